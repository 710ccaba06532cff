"""giesen-2007 (Giesen et al. 2007, Netherlands) against the curators' reference notes.

The data must say what the notes (shared/reference/other-studies.md §5.7) say and nothing more:
every number in the notes, valences as listed, no source claimed fuller than an abstract, no
numerator the notes do not give. Assertions that need the notes are skipped when the notes are
absent (a clean clone); the others run on the data alone.
"""

from __future__ import annotations

from studycheck import (
    StudyFiles,
    needs_notes,
    notes_bullet,
    notes_line,
    stands_in,
    stated_numbers,
)

from ipskg.model.namespaces import IPSKG
from ipskg.studies.build import build

SID = "giesen-2007"
DATA = StudyFiles(SID)


def notes_item() -> str:
    """The notes' bullet for this study (from '- **Netherlands' to the next top-level bullet)."""
    return notes_bullet("Netherlands")


STUDY_YAML = DATA.load("study.yaml")
OBSERVATIONS = DATA.load("observations.yaml").get("observations", [])
OUTCOMES = DATA.load("outcomes.yaml").get("outcomes", [])
FINDINGS = DATA.load("findings.yaml").get("findings", [])

# Each observation and the determinant of the notes it codes: (list, words in the notes).
DETERMINANTS = {
    "o-staff-loss": ("Barriers", "loss of vocational staff"),
    "o-project-leader-time": ("Barriers", "project leaders' lack of time"),
    "o-finance": ("Barriers", "lack of finance"),
    "o-inter-organisational-cooperation": ("Barriers", "poor inter-organisational cooperation"),
    "o-vocational-worker-skill": ("Facilitators", "vocational worker skill and commitment"),
    "o-vocational-worker-commitment": ("Facilitators", "vocational worker skill and commitment"),
    "o-mh-team-integration": ("Facilitators", "integration with the MH team"),
}
VALENCE = {"Barriers": "-", "Facilitators": "+"}
# text fields whose digits are figures of the study (labels, statements, bibliographic numbers)
TEXT_KEYS = ("value", "statement", "label", "pages", "volume", "issue", "unit")


# ---------------------------------------------------------------- data alone


def test_builds_and_conforms_with_only_the_known_warning():
    from ipskg.shacl.validate import validate_paths

    report = validate_paths([DATA.folder])
    assert report.conforms, [r.message for r in report.results]
    warnings = sorted((r.field, r.severity) for r in report.results)
    # the notes give no title: the one warning is the missing publication title
    assert warnings == [("title", "Warning")]


def test_build_has_the_study_with_abstract_sources_only():
    kinds = DATA.source_kinds(build(study_dirs=[DATA.folder]).graph)
    assert kinds == {IPSKG.AbstractSource}


def test_no_source_claims_full_text():
    assert STUDY_YAML["source_kind"] == "abstract"
    assert not DATA.full_text_claims()


def test_unknowns_stay_unknown():
    pub = STUDY_YAML["publication"]
    assert "title" not in STUDY_YAML and "title" not in pub  # a label instead
    assert STUDY_YAML["label"]
    assert "doi" not in pub  # the notes give no DOI
    assert pub["authors_complete"] is False
    assert "cases" not in STUDY_YAML  # no location is reported by itself
    for group in STUDY_YAML["case_groups"]:
        assert "members" not in group
    assert not (DATA.folder / "fidelity.yaml").exists()  # no scale, score or band in the notes
    (job,) = OUTCOMES
    assert "numerator" not in job  # 18 % of 316 is not turned into a count


def test_country_and_sites():
    chars = {c["aspect"]: c for c in STUDY_YAML["characteristics"]}
    assert chars["country"]["value"] == "Netherlands"
    assert chars["number-of-cases"]["value"] == 4
    assert STUDY_YAML["case_groups"][0]["count"] == 4


def test_outcome_as_printed():
    (job,) = OUTCOMES
    assert job["outcome"] == "job-start"
    assert (job["value"], job["unit"], job["denominator"]) == (18, "percent", 316)


def test_every_determinant_is_mapped_rated_and_justified():
    assert {o["id"] for o in OBSERVATIONS} == set(DETERMINANTS)
    units = {g["id"] for g in STUDY_YAML["case_groups"]}
    for o in OBSERVATIONS:
        listed, _ = DETERMINANTS[o["id"]]
        assert o["valence"] == VALENCE[listed], o["id"]
        assert o["strength"] == 1, o["id"]  # general statements
        assert o["observed_in"] in units
        assert o["rationale"].strip() and o["phase"] == "implementation"
        if o["construct"].startswith("IV.C."):
            assert o.get("role"), o["id"]


# ---------------------------------------------------------------- against the notes


@needs_notes
def test_bibliography_in_the_notes():
    item = notes_item()
    pub = STUDY_YAML["publication"]
    for author in pub["authors"]:
        assert author in item.splitlines()[0], author
    head = f"{pub['journal']} {pub['year']};{pub['volume']}({pub['issue']}):{pub['pages']}"
    assert head in item


@needs_notes
def test_every_number_is_in_the_notes():
    item = notes_item()
    # ratings, rationales and summaries are curation, not figures of the study; the DOI is
    # checked whole in test_bibliography_in_the_notes
    numbers = {n for name in DATA.files() for n in stated_numbers(DATA.load(name), TEXT_KEYS)}
    assert numbers
    assert [n for n in numbers if not stands_in(n, item)] == []


@needs_notes
def test_each_determinant_is_in_the_notes_with_its_valence():
    item = notes_item()
    for oid, (listed, words) in DETERMINANTS.items():
        assert words.casefold() in notes_line(item, listed).casefold(), (oid, words)


@needs_notes
def test_findings_restate_the_notes():
    item = notes_item()
    assert "None reached the highest fidelity; 2 came close" in item
    assert "18% of 316 patients" in item
    assert {f["id"] for f in FINDINGS} == {"f-fidelity", "f-regular-job"}
