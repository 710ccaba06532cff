"""jones-2014: every encoded fact checked against the reference notes it was read from.

The notes (shared/reference/other-studies.md, §5.2, the "Related" entry under Bond et al. 2014)
are read by the test itself when they exist; in a clean clone without them those assertions
are skipped, and the checks that need only the data still run.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import RDF
from studycheck import DOI_RE, NUMBER_RE, StudyFiles, notes_text, repeated_ratings, source_dicts

from ipskg.model.namespaces import IPSKG, OA
from ipskg.shacl.validate import validate_build
from ipskg.studies.build import build

STUDY = "jones-2014"
DOI = "10.1007/s11414-013-9358-7"
DATA = StudyFiles(STUDY)


# The notes' determinants in their words ("steady state funding and state-sponsored
# training/expertise critical"), each one observation, read as facilitators.
DETERMINANTS = {
    "steady state funding": "steady-state-funding",
    "state-sponsored training/expertise": "state-sponsored-training",
}
# figures that only Bond et al. 2014 reports (47 % sustained, 16 % restarted, 37 % discontinued,
# 6 years): they must not be read as this paper's
BOND_2014_ONLY_FIGURES = {"47", "16", "37", "6"}


# ------------------------------------------------------------------ helpers
def notes_section() -> str:
    """The notes' entry for Jones et al. 2014 (one line under "Related"), with the heading of
    §5.2 (which gives the country)."""
    text = notes_text()
    heading = next(line for line in text.splitlines() if line.startswith("### 5.2"))
    line = next((ln for ln in text.splitlines() if "Jones et al. 2014" in ln), None)
    assert line is not None, "the notes' entry for Jones et al. 2014 is missing"
    return heading + "\n" + line


# ------------------------------------------------------------------ data only
def test_the_study_builds_and_conforms() -> None:
    report = validate_build(build(study_dirs=[DATA.folder]))
    assert report.conforms, report.summary()
    # the only warning: the notes give no title (a label instead), which stays unknown
    warnings = [(r.field, r.severity) for r in report.results if r.severity != "Violation"]
    assert warnings == [("title", "Warning")], warnings


def test_nothing_is_attributed_to_a_fuller_source_than_the_notes() -> None:
    study = DATA.load("study.yaml")
    assert study.get("source_kind") == "abstract-or-summary"  # the notes: "abstracts or summaries"
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert src.get("kind") != "full-text", (file, rec.get("id"))
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    kinds = set(graph.objects(None, IPSKG.sourceKind))
    assert kinds and IPSKG.FullTextSource not in kinds, kinds


def test_no_title_or_author_is_filled_in() -> None:
    study = DATA.load("study.yaml")
    assert "title" not in study and "title" not in study["publication"]
    assert study["label"].startswith("Jones et al. 2014")
    assert study["publication"]["authors"] == ["Jones"]
    assert study["publication"]["authors_complete"] is False
    for key in ("volume", "issue", "pages"):
        assert key not in study["publication"], key


def test_figures_stay_on_this_papers_own_source() -> None:
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert "document" not in src, (file, rec.get("id"))
    dois = {d for _, rec in DATA.entries() for v in rec.values() for d in DOI_RE.findall(str(v))}
    assert dois == {DOI}, dois
    for where, nums in DATA.fact_numbers().items():
        assert not nums & BOND_2014_ONLY_FIGURES, (where, nums & BOND_2014_ONLY_FIGURES)
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    found = {
        o
        for loc in graph.subjects(RDF.type, IPSKG.SourceLocation)
        for o in graph.objects(loc, OA.hasSource)
    }
    assert found == {URIRef(f"https://doi.org/{DOI}")}, found


def test_the_outcome_is_a_share_with_its_own_criterion_and_no_computed_count() -> None:
    (m,) = DATA.load("outcomes.yaml")["outcomes"]
    assert (m["outcome"], m["value"], m["unit"], m["denominator"]) == (
        "sustainment",
        71,
        "percent",
        49,
    )
    assert "numerator" not in m  # 71 % of 49 is not computed
    assert "status" not in m  # the notes do not call these programs "sustained"
    assert m["measured_in"] == "programs-49"


def test_one_rating_per_construct_unit_and_phase() -> None:
    obs = DATA.load("observations.yaml")["observations"]
    assert repeated_ratings(obs) == []
    for o in obs:
        assert (o["valence"], o["strength"], o["phase"]) == ("+", 1, "sustainment"), o["id"]
        assert o.get("rationale"), o["id"]


def test_every_observation_is_a_determinant_of_the_notes() -> None:
    obs = {o["id"]: o for o in DATA.load("observations.yaml")["observations"]}
    assert sorted(obs) == sorted(DETERMINANTS.values())
    for phrase, oid in DETERMINANTS.items():
        assert phrase in obs[oid]["summary"].lower(), (oid, obs[oid]["summary"])
        assert "critical" in obs[oid]["summary"], oid


# ------------------------------------------------------------------ against the notes
def test_every_number_and_the_doi_are_in_the_notes_entry() -> None:
    section = notes_section()
    section_numbers = set(NUMBER_RE.findall(section))
    for where, nums in DATA.fact_numbers().items():
        assert nums <= section_numbers, (where, nums - section_numbers)
    assert f"doi:{DOI}" in section
    pub = DATA.load("study.yaml")["publication"]
    assert f"{pub['authors'][0]} et al. {pub['year']}, {pub['journal']}" in section


def test_the_counts_read_as_in_the_notes() -> None:
    section = notes_section()
    study = DATA.load("study.yaml")
    (cat,) = study["role_categories"]
    assert f"{cat['count']} {cat['label']}" in section
    chars = {c["id"]: c for c in study["characteristics"]}
    assert chars["setting"]["value"] in section
    assert (
        f"{chars['participants-analysed']['value']} {chars['participants-analysed']['unit']}"
        in section
    )
    (m,) = DATA.load("outcomes.yaml")["outcomes"]
    assert f"{m['value']}% of {m['population']} {m['definition']}" in section


def test_the_determinants_are_the_notes_list() -> None:
    section = notes_section()
    text = re.search(r"; ([^;]+) critical", section).group(1)
    assert sorted(p.strip() for p in text.split(" and ")) == sorted(DETERMINANTS)
