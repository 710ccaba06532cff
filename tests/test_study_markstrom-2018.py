"""Markström, Svensson, Bergmark, Hansson & Bejerholm 2018 (J Ment Health) against the notes.

The notes (shared/reference/other-studies.md §5.3) and the reference list of Harkko et al. 2025
are read by the test itself when they exist; in a clean clone without them, only the assertions
that need them are skipped. The numbers of programmes fully established or not were not
retrievable: no count or outcome figure may appear.
"""

from __future__ import annotations

from studycheck import HARKKO_DOI, StudyFiles, dois_in, fact_text, numbers_in, sources_of

from ipskg.model.namespaces import IPSKG

SID = "markstrom-2018"
STUDY = StudyFiles(SID)
NOTES_SECTION = "### 5.3 Sweden"
ENTRY_MARKER = "**Markström, Svensson, Bergmark, Hansson, Bejerholm.**"
REFERENCE_NUMBER = 13


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
    assert IPSKG.FullTextSource not in kinds
    assert kinds == {IPSKG.AbstractSource, IPSKG.IndexEntrySource}


def test_unretrievable_counts_stay_out():
    # No outcome measurement, effect or fidelity record: the notes give no figure for them.
    for name in ("outcomes.yaml", "fidelity.yaml"):
        assert not (STUDY.folder / name).exists(), name
    study = STUDY.load("study.yaml")
    (group,) = study["case_groups"]
    assert group["count"] == 14 and "members" not in group and "cases" not in study
    numbers = set()
    for _, _, record in STUDY.records():
        numbers |= numbers_in(fact_text(record))
    # Only the 14 programmes, the 3 years and the bibliographic figures.
    assert numbers == {"14", "3", "2018", "27", "5", "395", "401"}


def test_doi_unknown_stays_unknown_and_no_diva_facts():
    study = STUDY.load("study.yaml")
    assert "doi" not in study["publication"]
    (secondary,) = study["secondary_sources"]
    assert secondary["kind"] == "index-entry" and secondary["doi"] == HARKKO_DOI
    assert secondary["title"] == f"Harkko et al. 2025, reference list, entry {REFERENCE_NUMBER}"
    assert study["publication"]["source"] == {"section": "References", "via": secondary["id"]}
    # Figures of the Bergmark et al. 2019 entry (its DiVA abstract) do not leak into this study.
    for _, _, record in STUDY.records():
        assert not {"2012", "12", "24", "6"} & numbers_in(fact_text(record)), record.get("id")
        assert not dois_in(fact_text(record))


def test_no_determinant_is_invented():
    # The notes name no single determinant, only "implementation components" as a whole.
    assert not (STUDY.folder / "observations.yaml").exists()


# ------------------------------------------------------------------------- against the notes
def test_every_number_is_in_the_notes_entry(notes_entry):
    allowed = numbers_in(notes_entry)
    for name, key, record in STUDY.records():
        missing = numbers_in(fact_text(record)) - allowed
        assert not missing, (name, key, record.get("id"), missing)
    assert "DOI [U]" in notes_entry
    assert "The exact n established/not established was not retrievable" in notes_entry


def test_findings_are_the_notes(notes_entry):
    findings = {f["id"]: f["statement"] for f in STUDY.load("findings.yaml")["findings"]}
    assert findings["f01"] in notes_entry
    assert findings["f02"] in notes_entry
    assert "SIS piloted on the same 14 programmes" in notes_entry


def test_publication_matches_reference_entry(reference_entry):
    pub = STUDY.load("study.yaml")["publication"]
    assert reference_entry.strip().startswith(", ".join(pub["authors"]) + ".")
    assert pub["title"] in reference_entry
    assert (
        f"{pub['journal']}. {pub['year']};{pub['volume']}({pub['issue']}):{pub['pages']}"
        in reference_entry
    )
    chars = {c["id"]: c for c in STUDY.load("study.yaml")["characteristics"]}
    assert chars["design"]["value"].lower() in reference_entry.lower()
