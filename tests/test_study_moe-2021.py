"""moe-2021 (Moe et al. 2021, Norway, IPSNOR) against the curators' reference notes.

The data must say what the notes (shared/reference/other-studies.md §5.7) say and nothing more:
every number and the DOI in the notes, each finding coded once with the valence the notes' words
give it (0 where they give none), no source claimed fuller than an abstract. Assertions that need
the notes are skipped when the notes are absent (a clean clone); the others run on the data alone.
"""

from __future__ import annotations

from studycheck import (
    StudyFiles,
    needs_notes,
    notes_bullet,
    notes_line,
    repeated_ratings,
    stands_in,
    stated_numbers,
)

from ipskg.model.namespaces import IPSKG
from ipskg.studies.build import build

SID = "moe-2021"
DATA = StudyFiles(SID)


def notes_item() -> str:
    """The notes' bullet for this study (from '- **Norway' to the next top-level bullet)."""
    return notes_bullet("Norway")


STUDY_YAML = DATA.load("study.yaml")
OBSERVATIONS = DATA.load("observations.yaml").get("observations", [])
OUTCOMES = DATA.load("outcomes.yaml").get("outcomes", [])
FINDINGS = DATA.load("findings.yaml").get("findings", [])

# Each observation and the words of the notes' findings it codes, with the valence those words
# give: "facilitates" +, "a challenge" and "tensions" -, none stated 0.
DETERMINANTS = {
    "o-es-pioneers": ("ES as pioneer of service development", "0"),
    "o-multi-organisation-adjustments": ("multi-organisation adjustments needed", "0"),
    "o-cross-sector-role-tensions": (
        "cross-sector role and legal (confidentiality/access) tensions",
        "-",
    ),
    "o-legal-tensions": ("cross-sector role and legal (confidentiality/access) tensions", "-"),
    "o-social-support": ("social support facilitates", "+"),
    "o-rurality": ("rurality a challenge", "-"),
}
VALENCE_WORDS = {"+": ("facilitat",), "-": ("challenge", "tension", "barrier"), "0": ()}
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
    assert pub["authors"] == ["Moe"] and pub["authors_complete"] is False  # "Moe et al."
    assert "project" not in STUDY_YAML  # what IPSNOR is, the notes do not say
    assert "cases" not in STUDY_YAML  # no site is reported by itself
    for group in STUDY_YAML["case_groups"]:
        assert "members" not in group
    assert not (DATA.folder / "outcomes.yaml").exists()  # the notes report no outcome
    assert not (DATA.folder / "fidelity.yaml").exists()


def test_country_sites_and_participants():
    chars = {c["aspect"]: c for c in STUDY_YAML["characteristics"]}
    assert chars["country"]["value"] == "Norway"
    assert chars["number-of-cases"]["value"] == 14
    assert chars["participants-analysed"]["value"] == 45
    assert STUDY_YAML["case_groups"][0]["count"] == 14
    assert STUDY_YAML["role_categories"][0]["count"] == 45


def test_every_finding_is_mapped_rated_and_justified():
    assert {o["id"] for o in OBSERVATIONS} == set(DETERMINANTS)
    units = {g["id"] for g in STUDY_YAML["case_groups"]}
    for o in OBSERVATIONS:
        _, valence = DETERMINANTS[o["id"]]
        assert o["valence"] == valence, o["id"]
        assert o.get("strength") == (1 if valence in "+-" else None), o["id"]
        assert o["observed_in"] in units
        assert o["rationale"].strip() and o["phase"] == "implementation"
        if o["construct"].startswith("IV.C."):
            assert o.get("role"), o["id"]
        if o["construct"].startswith("IV.R."):
            assert o.get("characteristic_unstated") is True, o["id"]


def test_one_rating_per_construct_unit_phase_and_role():
    assert repeated_ratings(OBSERVATIONS) == []


# ---------------------------------------------------------------- against the notes


@needs_notes
def test_bibliography_in_the_notes():
    item = notes_item()
    pub = STUDY_YAML["publication"]
    first = item.splitlines()[0]
    assert f"{pub['authors'][0]} et al. {pub['year']}" in first
    assert pub["journal"] in first
    assert f"doi:{pub['doi']}" in first
    assert pub["identifiers"]["pmcid"] in first
    assert "IPSNOR" in first and "IPSNOR" in STUDY_YAML["label"]


@needs_notes
def test_every_number_is_in_the_notes():
    item = notes_item()
    # ratings, rationales and summaries are curation, not figures of the study; the DOI is
    # checked whole in test_bibliography_in_the_notes
    numbers = {n for name in DATA.files() for n in stated_numbers(DATA.load(name), TEXT_KEYS)}
    assert numbers
    assert [n for n in numbers if not stands_in(n, item)] == []


@needs_notes
def test_each_determinant_is_a_finding_of_the_notes_with_its_valence():
    findings = notes_line(notes_item(), "Findings").casefold()
    for oid, (words, valence) in DETERMINANTS.items():
        assert words.casefold() in findings, (oid, words)
        # the valence is the one the words carry; a finding with no such word is neutral
        carried = {v for v, cues in VALENCE_WORDS.items() if any(c in words for c in cues)}
        assert carried == ({valence} if valence != "0" else set()), (oid, carried)


@needs_notes
def test_findings_restate_the_notes():
    findings = notes_line(notes_item(), "Findings")
    assert len(FINDINGS) == len([f for f in findings.split(";") if f.strip()])
    assert "45 employment specialists at 14 sites" in notes_item()
    assert "5 focus groups" in notes_item()
    chars = {c["id"]: c for c in STUDY_YAML["characteristics"]}
    assert chars["data-collection-method"]["value"].startswith("5 focus groups")
