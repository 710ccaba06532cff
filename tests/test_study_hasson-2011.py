"""Hasson, Andersson & Bejerholm 2011 (first Swedish IPS RCT) against the reference notes.

The notes (shared/reference/other-studies.md §5.3) are read by the test itself when they exist;
in a clean clone without them, only the assertions that need them are skipped. Title, journal
and DOI are unknown ([U]) and must stay out; the four barriers are the notes' four.
"""

from __future__ import annotations

from rdflib import RDF
from studycheck import (
    StudyFiles,
    codings_differing,
    dois_in,
    fact_text,
    numbers_in,
    repeated_ratings,
    sources_of,
)

from ipskg.model.namespaces import IPSKG

SID = "hasson-2011"
STUDY = StudyFiles(SID)
NOTES_SECTION = "### 5.3 Sweden"
ENTRY_MARKER = "**Hasson, Andersson (Fred), Bejerholm 2011**"

# Each barrier of the notes -> (construct, role, valence, phase).
EXPECTED_OBSERVATIONS = {
    "o01": ("II.E", None, "-", "implementation", "social-insurance and employment regulations"),
    "o02": ("II.D", None, "-", "implementation", "poor cooperation with handling officers"),
    "o03": (
        "II.B",
        None,
        "-",
        "implementation",
        "employer scepticism and expectation of subsidies",
    ),
    "o04": ("IV.C.D", "IV.R.I", "-", "implementation", "participants' fear of losing benefits"),
}


# ------------------------------------------------------------------------- data alone
def test_builds_and_conforms_with_only_the_missing_title_warning(study_built):
    from ipskg.shacl.validate import validate_build

    report = validate_build(study_built)
    assert report.conforms, report.summary()
    warnings = [r for r in report.results if r.severity == "Warning"]
    # The title is unknown ([U]): a warning, not a violation, and it stays unknown.
    assert [(r.record, r.field) for r in warnings] == [("publication", "title")]


def test_abstract_level_and_no_full_text_anywhere(study_built):
    study = STUDY.load("study.yaml")
    assert study["source_kind"] == "abstract"
    for name, key, record in STUDY.records():
        for source in sources_of(record):
            if isinstance(source, dict):
                assert source.get("kind") != "full-text", (name, key, record.get("id"))
    kinds = set(study_built.graph.objects(None, IPSKG.sourceKind))
    assert kinds == {IPSKG.AbstractSource}
    assert (None, RDF.type, IPSKG.SourceLocation) in study_built.graph


def test_unknowns_stay_unknown():
    study = STUDY.load("study.yaml")
    assert "title" not in study and study["label"]
    pub = study["publication"]
    for key in ("title", "doi", "journal", "volume", "issue", "pages"):
        assert key not in pub, key
    assert pub["authors_complete"] is False
    assert "secondary_sources" not in study
    # No number of sites is given: a group without a count, no number-of-cases, no cases.
    (group,) = study["case_groups"]
    assert "count" not in group and "members" not in group and "cases" not in study
    aspects = {c["aspect"] for c in study["characteristics"]}
    assert "number-of-cases" not in aspects and "study-design" not in aspects
    for _, _, record in STUDY.records():
        assert not dois_in(fact_text(record)), record.get("id")


def test_one_rating_per_construct_unit_phase_and_strength_one():
    observations = STUDY.load("observations.yaml")["observations"]
    assert repeated_ratings(observations) == []
    for o in observations:
        assert o["rationale"]
        if o["valence"] in ("+", "-"):
            assert o["strength"] == 1, o["id"]
        if o["construct"].startswith("IV.C."):
            assert o.get("role"), o["id"]


def test_determinants_are_coded_as_expected():
    observations = {o["id"]: o for o in STUDY.load("observations.yaml")["observations"]}
    assert set(observations) == set(EXPECTED_OBSERVATIONS)
    assert codings_differing(list(observations.values()), EXPECTED_OBSERVATIONS) == []


def test_project_is_the_trial():
    study = STUDY.load("study.yaml")
    assert (study["project"]["start"], study["project"]["end"]) == (2008, 2009)
    chars = {c["id"]: c for c in study["characteristics"]}
    assert chars["country"]["value"] == "Sweden"


# ------------------------------------------------------------------------- against the notes
def test_every_number_is_in_the_notes_entry(notes_entry):
    allowed = numbers_in(notes_entry)
    for name, key, record in STUDY.records():
        missing = numbers_in(fact_text(record)) - allowed
        assert not missing, (name, key, record.get("id"), missing)
    assert "journal/DOI [U]" in notes_entry
    assert "first Swedish IPS RCT, 2008-2009" in notes_entry


def test_the_four_barriers_are_the_notes_four(notes_entry):
    (line,) = [x for x in notes_entry.splitlines() if x.strip().startswith("- Barriers:")]
    barriers = [b.strip().rstrip(".").lower() for b in line.split(":", 1)[1].split(";")]
    phrases = sorted(p.lower() for *_, p in EXPECTED_OBSERVATIONS.values())
    assert sorted(barriers) == phrases


def test_authors_are_the_notes_surnames(notes_entry):
    authors = STUDY.load("study.yaml")["publication"]["authors"]
    first_line = notes_entry.splitlines()[0]
    positions = [first_line.index(a) for a in authors]
    assert positions == sorted(positions)
    assert STUDY.load("study.yaml")["label"].split()[-1] in first_line  # the year
