"""bond-2008: every encoded fact checked against the reference notes it was read from.

The notes (shared/reference/other-studies.md, §5.2) and the seed paper whose reference list
gives the title and first authors (Harkko et al. 2025, reference 11) are read by the test
itself when they exist; in a clean clone without them those assertions are skipped, and the
checks that need only the data still run.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import RDF
from studycheck import (
    DOI_RE,
    HARKKO_DOI,
    NUMBER_RE,
    StudyFiles,
    notes_text,
    paper_text,
    repeated_ratings,
    source_dicts,
)

from ipskg.model.namespaces import IPSKG, OA
from ipskg.shacl.validate import validate_build
from ipskg.studies.build import build

STUDY = "bond-2008"
DATA = StudyFiles(STUDY)

# The notes' four facilitators (in their words) and how each is encoded: the observations
# whose summary carries the words, with the valence of a facilitator.
FACILITATORS = {
    "discontinuing non-evidence-based vocational services": ["discontinuing-non-ebp-services"],
    "rapid structural change through administrative action": ["administrative-structural-change"],
    "measuring key process indicators": ["measuring-process-indicators"],
    "gradual integration of ES with clinical teams, mainly through supervisor leadership": [
        "integration-with-clinical-teams",
        "supervisor-leadership",
    ],
}
# the words of facilitator 4 that each of its two observations must carry
PART_OF_4 = {
    "integration-with-clinical-teams": "gradual integration of ES with clinical teams",
    "supervisor-leadership": "supervisor leadership",
}


# ------------------------------------------------------------------ helpers
def notes_section() -> str:
    """The notes' entry for Bond, McHugo, Becker, Rapp, Whitley 2008 (§5.2), with the heading
    of §5.2 (which gives the country)."""
    text = notes_text()
    heading = next(line for line in text.splitlines() if line.startswith("### 5.2"))
    start = text.index("- **Bond, McHugo, Becker, Rapp, Whitley 2008.**")
    end = text.index("- **Psychiatric Services 2008", start)
    return heading + "\n" + text[start:end]


def seed_reference_11() -> str:
    line = next((ln for ln in paper_text().splitlines() if ln.startswith("- 11.")), None)
    assert line is not None, "reference 11 not found in the seed paper's reference list"
    return line


def numbers_of(text: str) -> set[str]:
    return set(NUMBER_RE.findall(text))


def norm(text: str) -> str:
    return " ".join(text.lower().replace("employment specialists", "es").split())


# ------------------------------------------------------------------ data only
def test_the_study_builds_and_conforms() -> None:
    result = build(study_dirs=[DATA.folder])
    report = validate_build(result)
    assert report.conforms, report.summary()
    # the only warning: vcurrtc.org is named as a website; its page's title is not in the notes
    warnings = [(r.record, r.field) for r in report.results if r.severity == "Warning"]
    assert warnings == [("vcurrtc", "title")], warnings


def test_nothing_is_attributed_to_a_fuller_source_than_the_notes() -> None:
    study = DATA.load("study.yaml")
    # the notes are abstracts or summaries: the study's default must say so (the format's
    # default is full-text)
    assert study.get("source_kind") == "abstract-or-summary"  # the notes: "abstracts or summaries"
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert src.get("kind") != "full-text", (file, rec.get("id"))
    for sec in study.get("secondary_sources", []):
        assert sec["kind"] in ("summary", "index-entry"), sec["id"]
    # and in the graph: no source location of this study is a full text
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    kinds = set(graph.objects(None, IPSKG.sourceKind))
    assert kinds and IPSKG.FullTextSource not in kinds, kinds


def test_the_doi_is_unknown_and_left_out() -> None:
    pub = DATA.load("study.yaml")["publication"]
    assert "doi" not in pub
    # no DOI anywhere but the seed paper's, the secondary source reference 11 was read in
    dois = {d for _, rec in DATA.entries() for v in rec.values() for d in DOI_RE.findall(str(v))}
    assert dois == {HARKKO_DOI}, dois


def test_the_sites_are_a_group_not_cases() -> None:
    study = DATA.load("study.yaml")
    assert "cases" not in study
    (group,) = study["case_groups"]
    assert group["count"] == 9 and "members" not in group
    counts = {
        c["id"]: c["value"] for c in study["characteristics"] if c["aspect"] == "number-of-cases"
    }
    assert counts["number-of-cases"] == 9
    # the breakdowns add up to the 9 sites (8 + 1 by type, 5 + 4 by area)
    assert counts["cases-mh-treatment"] + counts["cases-psychiatric-rehabilitation"] == 9
    assert counts["cases-urban"] + counts["cases-rural"] == 9
    country = [c for c in study["characteristics"] if c["aspect"] == "country"]
    assert [c["value"] for c in country] == ["United States"]


def test_the_fidelity_result_is_a_count_of_sites_not_a_computed_share() -> None:
    (m,) = DATA.load("outcomes.yaml")["outcomes"]
    assert (m["outcome"], m["numerator"], m["denominator"]) == ("proctor-fidelity", 8, 9)
    assert "value" not in m and "unit" not in m  # no percentage computed from 8 of 9
    assert m["phase"] == "implementation"
    assert not (DATA.folder / "fidelity.yaml").exists()  # no scale, total or band is given


def test_one_rating_per_construct_unit_and_phase_and_abstract_level_strength() -> None:
    obs = DATA.load("observations.yaml")["observations"]
    assert repeated_ratings(obs) == []
    for o in obs:
        assert o["valence"] == "+" and o["strength"] == 1, o["id"]
        assert o.get("rationale"), o["id"]
        assert o["phase"] == "implementation", o["id"]
        if o["construct"].startswith("IV.R."):
            assert o.get("characteristic_unstated") is True, o["id"]


def test_every_observation_is_one_of_the_notes_facilitators() -> None:
    obs = {o["id"]: o for o in DATA.load("observations.yaml")["observations"]}
    encoded = [i for ids in FACILITATORS.values() for i in ids]
    assert sorted(encoded) == sorted(obs)  # no observation without a facilitator, no gap
    for phrase, ids in FACILITATORS.items():
        for oid in ids:
            words = PART_OF_4.get(oid, phrase)
            assert norm(words) in norm(obs[oid]["summary"]), (oid, obs[oid]["summary"])


def test_the_authors_are_the_verified_three_and_marked_incomplete() -> None:
    pub = DATA.load("study.yaml")["publication"]
    assert pub["authors"] == ["Bond GR", "McHugo GJ", "Becker DR"]
    assert pub["authors_complete"] is False
    assert pub["source"] == {"section": "References", "via": "harkko-2025-ref-11"}
    sec = {s["id"]: s for s in DATA.load("study.yaml")["secondary_sources"]}
    assert sec["harkko-2025-ref-11"]["kind"] == "index-entry"
    assert sec["harkko-2025-ref-11"]["doi"] == HARKKO_DOI
    assert "Harkko et al. 2025, reference 11" in sec["harkko-2025-ref-11"]["title"]
    # vcurrtc.org's five authors are recorded on its own record, not as the paper's authors
    assert "Rapp" in sec["vcurrtc"]["summarises"] and "Whitley" in sec["vcurrtc"]["summarises"]
    assert not any("Rapp" in a or "Whitley" in a for a in pub["authors"])


def test_every_figure_lies_in_this_studys_own_publication_or_its_secondary_sources() -> None:
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert "document" not in src, (file, rec.get("id"))
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    own = {
        URIRef(f"https://w3id.org/ipskg/study/{STUDY}/publication"),
        URIRef(f"https://w3id.org/ipskg/study/{STUDY}/secondary-source/harkko-2025-ref-11"),
        URIRef(f"https://w3id.org/ipskg/study/{STUDY}/secondary-source/vcurrtc"),
    }
    found = {
        o
        for loc in graph.subjects(RDF.type, IPSKG.SourceLocation)
        for o in graph.objects(loc, OA.hasSource)
    }
    assert found and found <= own, found - own


# ------------------------------------------------------------------ against the notes
def test_every_number_is_in_the_notes_entry() -> None:
    section_numbers = numbers_of(notes_section())
    for where, nums in DATA.fact_numbers().items():
        assert nums <= section_numbers, (where, nums - section_numbers)


def test_the_bibliographic_figures_are_those_of_the_notes_and_reference_11() -> None:
    pub = DATA.load("study.yaml")["publication"]
    section = notes_section()
    assert "DOI [U]" in section  # why no DOI is given
    assert f"PRJ {pub['volume']}({pub['issue']}):{pub['pages'].replace('-', '–')}" in section
    assert f"Whitley {pub['year']}" in section
    ref = seed_reference_11()
    assert ", ".join(pub["authors"]) in ref
    assert pub["title"] in ref
    assert f"{pub['year']};{pub['volume']}({pub['issue']}):300–5" in ref
    sec = {s["id"]: s for s in DATA.load("study.yaml")["secondary_sources"]}
    assert sec["harkko-2025-ref-11"]["summarises"] == ref.removeprefix("- 11.").split(" [")[0]
    assert HARKKO_DOI in paper_text()
    # the notes' author list, which vcurrtc.org gives: the three verified authors are its start
    notes_authors = re.search(r"\*\*(.+?) 2008\.\*\*", section).group(1).split(", ")
    assert notes_authors == ["Bond", "McHugo", "Becker", "Rapp", "Whitley"]
    assert [a.split()[0] for a in pub["authors"]] == notes_authors[:3]
    assert "authors per vcurrtc.org" in section


def test_the_facilitators_are_the_notes_list_as_facilitators() -> None:
    section = notes_section()
    listed = re.findall(r"^\s+\d\.\s+(.+?)\s*$", section.split("Facilitators:")[1], re.M)
    assert listed == list(FACILITATORS)
    assert "barrier" not in section.lower()  # no barrier to encode


def test_the_outcome_and_finding_read_as_in_the_notes() -> None:
    section = notes_section()
    (m,) = DATA.load("outcomes.yaml")["outcomes"]
    assert f"{m['numerator']} of {m['denominator']} {m['definition']}" in section
    assert f"{m['time_point'].capitalize()}, **{m['numerator']} of" in section
    (f,) = DATA.load("findings.yaml")["findings"]
    assert f["statement"].replace("[fidelity] ", "") in section
    assert "Fidelity rated at baseline and every 6 months" in section
    # a scale is named nowhere in the notes entry, so none is recorded
    assert not re.search(r"IPS-25|IPS-15|SEFS|Fidelity Scale", section)
