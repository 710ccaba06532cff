"""bc-chc-2023 (BMC Psychiatry 2023, British Columbia, Canada) against the curators' notes.

The data must say what the notes (shared/reference/other-studies.md §5.7) say and nothing more:
3 community health centres, n = 15, CFIR 2.0, the DOI; the two determinants "acted as both
facilitator and barrier" (X); no author or title, since the notes give neither. Assertions that
need the notes are skipped when the notes are absent (a clean clone); the others run on the data
alone.
"""

from __future__ import annotations

from studycheck import (
    StudyFiles,
    needs_notes,
    notes_bullet,
    repeated_ratings,
    stands_in,
    stated_numbers,
)

from ipskg.model.namespaces import IPSKG
from ipskg.studies.build import build

SID = "bc-chc-2023"
DATA = StudyFiles(SID)


def notes_item() -> str:
    """The notes' bullet for this study (from '- **Canada' to the next top-level bullet)."""
    return notes_bullet("Canada")


STUDY_YAML = DATA.load("study.yaml")
OBSERVATIONS = DATA.load("observations.yaml").get("observations", [])
OUTCOMES = DATA.load("outcomes.yaml").get("outcomes", [])
FINDINGS = DATA.load("findings.yaml").get("findings", [])

# Each observation and the determinant of the notes it codes; both "acted as both facilitator
# and barrier" (X). "Leadership support at all levels" is rated once for high-level and once for
# mid-level leaders.
DETERMINANTS = {
    "o-team-integration": "integration with existing teams",
    "o-leadership-high": "leadership support at all levels",
    "o-leadership-mid": "leadership support at all levels",
}
# text fields whose digits are figures of the study (labels, statements, bibliographic numbers)
TEXT_KEYS = ("value", "statement", "label", "pages", "volume", "issue", "unit")


# ---------------------------------------------------------------- data alone


def test_builds_and_conforms_with_only_the_known_warnings():
    from ipskg.shacl.validate import validate_paths

    report = validate_paths([DATA.folder])
    assert report.conforms, [r.message for r in report.results]
    warnings = sorted((r.field, r.severity) for r in report.results)
    # the notes give neither authors nor title: exactly these two warnings
    assert warnings == [("authors", "Warning"), ("title", "Warning")]


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
    assert "authors" not in pub  # the notes name no author
    assert "cases" not in STUDY_YAML  # no centre is reported by itself
    for group in STUDY_YAML["case_groups"]:
        assert "members" not in group
    assert not (DATA.folder / "outcomes.yaml").exists()  # the notes report no outcome
    assert not (DATA.folder / "fidelity.yaml").exists()


def test_country_centres_participants_and_framework():
    chars = {c["aspect"]: c for c in STUDY_YAML["characteristics"]}
    assert chars["country"]["value"] == "Canada"
    assert chars["number-of-cases"]["value"] == 3
    assert chars["participants-analysed"]["value"] == 15
    assert "CFIR 2.0" in chars["analysis-method"]["value"]
    assert STUDY_YAML["case_groups"][0]["count"] == 3


def test_every_determinant_is_mapped_mixed_and_justified():
    assert {o["id"] for o in OBSERVATIONS} == set(DETERMINANTS)
    units = {g["id"] for g in STUDY_YAML["case_groups"]}
    for o in OBSERVATIONS:
        assert o["valence"] == "X", o["id"]  # both facilitator and barrier
        assert "strength" not in o, o["id"]  # a mixed rating takes no strength
        assert o["observed_in"] in units
        assert o["rationale"].strip() and o["phase"] == "implementation"
        if o["construct"].startswith("IV.R."):
            assert o.get("characteristic_unstated") is True, o["id"]
    leaders = {o["construct"] for o in OBSERVATIONS if o["id"].startswith("o-leadership")}
    assert leaders == {"IV.R.A", "IV.R.B"}  # "at all levels": high- and mid-level leaders


def test_one_rating_per_construct_unit_phase_and_role():
    assert repeated_ratings(OBSERVATIONS) == []


# ---------------------------------------------------------------- against the notes


@needs_notes
def test_bibliography_in_the_notes():
    first = notes_item().splitlines()[0]
    pub = STUDY_YAML["publication"]
    assert f"{pub['journal']} {pub['year']}" in first
    assert f"doi:{pub['doi']}" in first


@needs_notes
def test_every_number_is_in_the_notes():
    item = notes_item()
    # ratings, rationales and summaries are curation, not figures of the study; the DOI is
    # checked whole in test_bibliography_in_the_notes
    numbers = {n for name in DATA.files() for n in stated_numbers(DATA.load(name), TEXT_KEYS)}
    assert numbers
    assert [n for n in numbers if not stands_in(n, item)] == []


@needs_notes
def test_each_determinant_is_in_the_notes_as_both():
    item = notes_item()
    (both,) = [line for line in item.splitlines() if "both facilitator and barrier" in line]
    for oid, words in DETERMINANTS.items():
        assert words.casefold() in both.casefold(), (oid, words)


@needs_notes
def test_setting_and_sample_in_the_notes():
    item = notes_item()
    assert "3 community health centres; n = 15; CFIR 2.0" in item
    assert "(BC)" in item.splitlines()[0]
    (finding,) = FINDINGS
    assert finding["statement"].rstrip(".").casefold() in item.casefold()
