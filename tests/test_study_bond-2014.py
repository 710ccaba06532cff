"""bond-2014: every encoded fact checked against the reference notes it was read from.

The notes (shared/reference/other-studies.md, §5.2) are read by the test itself when they
exist; in a clean clone without them those assertions are skipped, and the checks that need
only the data still run.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import RDF
from studycheck import DOI_RE, NUMBER_RE, StudyFiles, notes_text, repeated_ratings, source_dicts

from ipskg.model.namespaces import IPSKG, OA
from ipskg.shacl.validate import validate_build
from ipskg.studies.build import build

STUDY = "bond-2014"
DOI = "10.1007/s10488-012-0461-5"
# the related publications, encoded as studies of their own (jones-2014, jbhsr-2014-337)
RELATED_DOIS = ("10.1007/s11414-013-9358-7", "10.1007/s11414-013-9347-x")
DATA = StudyFiles(STUDY)


# The notes' determinants in their words: (list in the notes, the observation, its valence,
# the case group it is rated in).
DETERMINANTS = {
    "inadequate financial support": ("barriers", "inadequate-financial-support", "-"),
    "lack of prioritization": ("barriers", "lack-of-prioritization", "-"),
    "workforce issues": ("barriers", "workforce-issues", "-"),
    "adequate financing": ("promoters", "adequate-financing", "+"),
    "ongoing supervision": ("promoters", "ongoing-supervision", "+"),
    "fidelity/outcome monitoring": ("promoters", "fidelity-outcome-monitoring", "+"),
}
GROUP_OF_LIST = {"barriers": "discontinued-sites", "promoters": "all-sites"}
# figures that only the related publications report (Jones et al. 2014: 13 state leaders,
# 8 states, 71 %; the 8-year analysis: year 4, year 8)
RELATED_ONLY_FIGURES = {"13", "71", "8"}


# ------------------------------------------------------------------ helpers
def notes_section() -> str:
    """The notes' entry for Bond et al. 2014 without its "Related" publications, with the
    heading of §5.2 (which gives the country)."""
    text = notes_text()
    heading = next(line for line in text.splitlines() if line.startswith("### 5.2"))
    start = text.index("- **Bond et al. 2014.**")
    end = text.index("  - Related:", start)
    return heading + "\n" + text[start:end]


def design_note() -> str:
    """The notes' fixture design note on this study's sustainment categories."""
    line = next((ln for ln in notes_text().splitlines() if "Bond 2014:" in ln), None)
    assert line is not None, "the fixture design note on Bond 2014 is missing"
    return line[line.index("Bond 2014:") :]


def related_section() -> str:
    text = notes_text()
    start = text.index("  - Related:", text.index("- **Bond et al. 2014.**"))
    end = text.index("### Fixture design notes", start)
    return text[start:end]


# ------------------------------------------------------------------ data only
def test_the_study_builds_and_conforms_without_warnings() -> None:
    report = validate_build(build(study_dirs=[DATA.folder]))
    assert report.conforms, report.summary()
    assert report.counts()["Warning"] == 0, [r.message for r in report.results]


def test_nothing_is_attributed_to_a_fuller_source_than_the_notes() -> None:
    study = DATA.load("study.yaml")
    assert study.get("source_kind") == "abstract-or-summary"  # the notes: "abstracts or summaries"
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert src.get("kind") != "full-text", (file, rec.get("id"))
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    kinds = set(graph.objects(None, IPSKG.sourceKind))
    assert kinds and IPSKG.FullTextSource not in kinds, kinds


def test_figures_of_the_related_publications_stay_on_their_own_sources() -> None:
    # no record is read in a companion publication: Jones et al. 2014 and the 8-year analysis
    # are studies of their own
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert "document" not in src, (file, rec.get("id"))
    dois = {d for _, rec in DATA.entries() for v in rec.values() for d in DOI_RE.findall(str(v))}
    assert dois == {DOI}, dois
    for where, nums in DATA.fact_numbers().items():
        assert not nums & RELATED_ONLY_FIGURES, (where, nums & RELATED_ONLY_FIGURES)
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    found = {
        o
        for loc in graph.subjects(RDF.type, IPSKG.SourceLocation)
        for o in graph.objects(loc, OA.hasSource)
    }
    assert found == {URIRef(f"https://doi.org/{DOI}")}, found


def test_the_sustainment_statuses_are_percentages_without_computed_counts() -> None:
    outs = {m["status"]: m for m in DATA.load("outcomes.yaml")["outcomes"]}
    assert set(outs) == {"sustained", "restarted", "discontinued"}
    for m in outs.values():
        assert m["outcome"] == "sustainment" and m["unit"] == "percent"
        assert "numerator" not in m and "denominator" not in m, m["id"]
        assert m["phase"] == "sustainment" and m["measured_in"] == "all-sites"
        assert m["definition"], m["id"]
        # the figures are about all five EBPs, and say so
        assert "5 EBPs" in m["population"] and "not supported employment alone" in m["population"]
    assert sum(m["value"] for m in outs.values()) == 100  # 47 + 16 + 37: one partition


def test_the_sites_are_groups_and_the_discontinuing_sites_have_no_computed_count() -> None:
    study = DATA.load("study.yaml")
    assert "cases" not in study
    groups = {g["id"]: g for g in study["case_groups"]}
    assert groups["all-sites"]["count"] == 49
    assert "count" not in groups["discontinued-sites"]
    assert not any("members" in g for g in groups.values())
    chars = {c["id"]: c for c in study["characteristics"]}
    assert chars["country"]["value"] == "United States"
    assert chars["number-of-cases"]["value"] == 49


def test_one_rating_per_construct_unit_and_phase() -> None:
    obs = DATA.load("observations.yaml")["observations"]
    assert repeated_ratings(obs) == []
    for o in obs:
        assert o["strength"] == 1 and o.get("rationale"), o["id"]
        assert o["phase"] == "sustainment", o["id"]
        assert "5 EBPs" in o["summary"], o["id"]  # not supported employment alone
        if o["construct"].startswith("IV.R."):
            assert o.get("characteristic_unstated") is True, o["id"]


def test_every_observation_is_a_determinant_of_the_notes() -> None:
    obs = {o["id"]: o for o in DATA.load("observations.yaml")["observations"]}
    assert sorted(obs) == sorted(oid for _, oid, _ in DETERMINANTS.values())
    for phrase, (kind, oid, valence) in DETERMINANTS.items():
        o = obs[oid]
        assert phrase in o["summary"].lower(), (oid, o["summary"])
        assert o["valence"] == valence, oid
        assert o["observed_in"] == GROUP_OF_LIST[kind], oid
        if kind == "promoters":
            assert "suggested" in o["summary"], oid


# ------------------------------------------------------------------ against the notes
def test_every_number_and_the_doi_are_in_the_notes_entry() -> None:
    section = notes_section()
    section_numbers = set(NUMBER_RE.findall(section))
    for where, nums in DATA.fact_numbers().items():
        assert nums <= section_numbers, (where, nums - section_numbers)
    assert f"doi:{DOI}" in section
    pub = DATA.load("study.yaml")["publication"]
    cite = f"{pub['volume']}({pub['issue']}):{pub['pages'].replace('-', '–')}"
    assert f"{pub['journal']} {cite}" in section
    assert f"*{pub['title']}.*" in section
    assert f"**{pub['authors'][0]} et al. {pub['year']}.**" in section
    assert pub["authors_complete"] is False


def test_the_determinants_are_the_notes_lists() -> None:
    section = notes_section()
    lists = {
        "barriers": re.search(r"Discontinuing-site barriers: (.+?)\.\n", section).group(1),
        "promoters": re.search(r"Suggested promoters: (.+?)\.\n", section).group(1),
    }
    for kind, text in lists.items():
        named = [p.strip() for p in text.split(",")]
        assert sorted(named) == sorted(p for p, (k, _, _) in DETERMINANTS.items() if k == kind)


def test_the_outcomes_are_the_notes_figures_with_the_notes_definitions() -> None:
    section = notes_section()
    note = design_note()
    assert "6 years after implementation" in section
    for m in DATA.load("outcomes.yaml")["outcomes"]:
        assert f"{m['value']}% {m['status']}" in section, m["id"]
        assert f'"{m["definition"]}"' in note, m["id"]
        assert m["time_point"] in section, m["id"]


def test_the_related_figures_are_the_related_publications() -> None:
    """The figures kept out of this study are indeed only in the related entries."""
    section_numbers = set(NUMBER_RE.findall(notes_section()))
    related_numbers = set(NUMBER_RE.findall(related_section()))
    assert {"13", "71"} <= related_numbers - section_numbers
