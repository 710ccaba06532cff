"""Bonfils 2022 (European Journal of Social Work) against the reference notes.

The notes (shared/reference/other-studies.md §5.5) and the reference list of Harkko et al. 2025
are read by the test itself when they exist; in a clean clone without them, only the assertions
that need them are skipped. Kept apart: Bonfils 2022 in Nordic Social Work Research (Harkko et
al. reference 22, a different paper) and the 2017 literature review (not a case).
"""

from __future__ import annotations

from rdflib import RDF
from studycheck import (
    STUDIES,
    StudyFiles,
    codings_differing,
    dois_in,
    fact_text,
    numbers_in,
    repeated_ratings,
    sources_of,
)

from ipskg.model.namespaces import IPSKG

SID = "bonfils-2022"
STUDY = StudyFiles(SID)
NOTES_SECTION = "### 5.5 Denmark"
ENTRY_MARKER = "**Bonfils 2022** (e-pub 13 Jan 2021)"
REFERENCE_NUMBER = 22  # the OTHER Bonfils 2022 paper (Nordic Social Work Res): must not be used

# Each barrier/facilitator of the notes -> (construct, role, valence, phase, the notes' words).
EXPECTED_OBSERVATIONS = {
    "o01": (
        "III.F",
        None,
        "-",
        "implementation",
        "PES pressure to adapt IPS towards internships and wage subsidies",
    ),
    "o02": (
        "III.A.3",
        None,
        "-",
        "implementation",
        "MH services treated IPS as a parallel service, not a shared responsibility",
    ),
    "o03": (
        "IV.R.B",
        None,
        "-",
        "implementation",
        "Managers in both sectors challenged parts of the fidelity scale",
    ),
    "o04": (
        "I.C",
        None,
        "+",
        "implementation",
        "both sectors saw IPS as innovative and meaningful",
    ),
}


# ------------------------------------------------------------------------- data alone
def test_builds_and_conforms_without_warnings(study_built):
    from ipskg.shacl.validate import validate_build

    report = validate_build(study_built)
    assert report.conforms, report.summary()
    assert report.counts()["Warning"] == 0, [r.message for r in report.results]


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


def test_four_units_as_one_group_with_the_studys_own_integration_description():
    study = STUDY.load("study.yaml")
    assert "cases" not in study
    (group,) = study["case_groups"]
    assert group["count"] == 4 and "members" not in group
    chars = {c["id"]: c for c in study["characteristics"]}
    assert chars["number-of-cases"]["value"] == 4
    assert chars["country"]["value"] == "Denmark"
    model = chars["integration-model"]
    assert model["qualifier"] == "other" and "cross-sector collaboration" in model["value"]


def test_sustainability_support_is_a_finding_not_a_number():
    # Not an outcome measurement: no outcomes.yaml, no fidelity figures.
    assert not (STUDY.folder / "outcomes.yaml").exists()
    assert not (STUDY.folder / "fidelity.yaml").exists()
    findings = {f["id"]: f for f in STUDY.load("findings.yaml")["findings"]}
    assert "supported the programme's sustainability" in findings["f02"]["statement"]
    assert not numbers_in(findings["f02"]["statement"])


def test_kept_apart_from_the_other_bonfils_papers():
    study = STUDY.load("study.yaml")
    pub = study["publication"]
    assert pub["journal"] == "European Journal of Social Work"
    assert (
        pub["authors"] == ["Bonfils"] and pub["authors_complete"] is False
    )  # no initials borrowed
    assert "doi" not in pub and "secondary_sources" not in study
    text = " ".join(fact_text(r) for _, _, r in STUDY.records())
    for other in ("Nordic Social Work", "Challenges of integrating", "Scand", "literature review"):
        assert other not in text, other
    assert not (STUDIES / "bonfils-2017").exists()
    assert not (STUDIES / "bonfils-2016").exists()


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
    # Only the role is named for the managers: the characteristic is left unstated.
    assert observations["o03"]["characteristic_unstated"] is True


# ------------------------------------------------------------------------- against the notes
def test_every_number_is_in_the_notes_entry(notes_entry):
    allowed = numbers_in(notes_entry)
    for name, key, record in STUDY.records():
        missing = numbers_in(fact_text(record)) - allowed
        assert not missing, (name, key, record.get("id"), missing)
        assert not dois_in(fact_text(record))
    assert "European Journal of Social Work (DOI [U])" in notes_entry


def test_title_and_design_are_the_notes(notes_entry):
    study = STUDY.load("study.yaml")
    assert f"*{study['publication']['title']}.*" in notes_entry
    assert study["title"] == study["publication"]["title"]
    assert "case study in Denmark" in study["title"]
    assert "4 IPS units" in notes_entry and "institutional-logic lens" in notes_entry
    chars = {c["id"]: c for c in study["characteristics"]}
    described = chars["integration-model"]["value"].replace("mental health", "MH")
    assert described.split("IPS units ", 1)[1] in notes_entry


def test_every_determinant_is_named_in_the_notes(notes_entry):
    lines = notes_entry.splitlines()
    start = next(i for i, x in enumerate(lines) if x.strip() == "- Barriers:")
    barriers = []
    for x in lines[start + 1 :]:
        if not x.startswith("    - "):
            break
        barriers.append(x.strip()[2:].rstrip("."))
    negative = sorted(e[4] for e in EXPECTED_OBSERVATIONS.values() if e[2] == "-")
    assert sorted(barriers) == negative
    (facilitators,) = [x for x in lines if x.strip().startswith("- Facilitators and outcome:")]
    for _construct, _role, valence, _phase, phrase in EXPECTED_OBSERVATIONS.values():
        if valence == "+":
            assert phrase in facilitators
    assert "supported the programme's sustainability" in facilitators


def test_the_other_bonfils_2022_is_a_different_paper(reference_entry):
    pub = STUDY.load("study.yaml")["publication"]
    assert "Bonfils" in reference_entry and "2022" in reference_entry
    assert pub["title"] not in reference_entry
    assert "Nordic Social Work Res" in reference_entry
    text = " ".join(fact_text(r) for _, _, r in STUDY.records())
    assert not {"59", "72", "12"} & numbers_in(text)
