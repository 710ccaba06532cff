"""Bergmark, Bejerholm & Markström 2018 (Soc Policy Adm) against the reference notes.

The notes (shared/reference/other-studies.md §5.3) and the reference list of Harkko et al. 2025
(shared/paper/…) are read by the test itself when they exist; in a clean clone without them,
only the assertions that need them are skipped, and the checks on the data alone still run.
"""

from __future__ import annotations

import yaml
from rdflib import RDF
from studycheck import (
    HARKKO_DOI,
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

SID = "bergmark-2018"
STUDY = StudyFiles(SID)
NOTES_SECTION = "### 5.3 Sweden"
ENTRY_MARKER = "**Bergmark, Bejerholm, Markström.** *Critical Components"
REFERENCE_NUMBER = 15

# Each determinant observation, the construct/role/valence/phase it is coded to, and the words of
# the notes it rests on.
EXPECTED_OBSERVATIONS = {
    "o01": ("II.D", None, "+", "implementation", "strategic networking"),
    "o02": ("V.D", None, "+", "pre-implementation", "planning/preparation before start"),
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
    assert IPSKG.FullTextSource not in kinds
    assert kinds <= {IPSKG.AbstractSource, IPSKG.IndexEntrySource}
    assert len(set(study_built.graph.subjects(RDF.type, IPSKG.SourceLocation))) >= 2


def test_three_sites_as_one_group_without_members():
    study = STUDY.load("study.yaml")
    assert "cases" not in study
    (group,) = study["case_groups"]
    assert group["count"] == 3 and "members" not in group
    chars = {c["id"]: c for c in study["characteristics"]}
    assert chars["number-of-cases"]["value"] == 3
    assert chars["country"]["value"] == "Sweden"
    assert chars["follow-up-duration"]["value"] == 2
    assert "2009" in chars["analysis-method"]["value"]


def test_doi_unknown_stays_unknown():
    study = STUDY.load("study.yaml")
    assert "doi" not in study["publication"]
    for _, _, record in STUDY.records():
        assert not dois_in(fact_text(record)), record.get("id")


def test_publication_read_in_the_reference_list_entry():
    study = STUDY.load("study.yaml")
    (secondary,) = study["secondary_sources"]
    assert secondary["kind"] == "index-entry"
    assert secondary["doi"] == HARKKO_DOI
    assert secondary["title"] == f"Harkko et al. 2025, reference list, entry {REFERENCE_NUMBER}"
    harkko = yaml.safe_load((STUDIES / "harkko-2025" / "study.yaml").read_text())
    assert harkko["publication"]["doi"] == HARKKO_DOI
    source = study["publication"]["source"]
    assert source == {"section": "References", "via": secondary["id"]}


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
    # The study's CFIR 2009 term is named in the rationale without claiming the paper's coding.
    assert "2009" in observations["o01"]["rationale"]
    assert "2009" in observations["o02"]["rationale"]


# ------------------------------------------------------------------------- against the notes
def test_every_determinant_is_named_in_the_notes(notes_entry):
    lower = notes_entry.lower()
    for oid, (*_, phrase) in EXPECTED_OBSERVATIONS.items():
        assert phrase.lower() in lower, (oid, phrase)
    assert "gaps in these are hard to compensate for later" in lower


def test_every_number_is_in_the_notes_entry(notes_entry):
    allowed = numbers_in(notes_entry)
    for name, key, record in STUDY.records():
        missing = numbers_in(fact_text(record)) - allowed
        assert not missing, (name, key, record.get("id"), missing)


def test_facts_in_the_notes(notes_entry):
    assert "3 IPS demonstration sites" in notes_entry
    assert "followed for 2 years" in notes_entry
    assert "CFIR 2009" in notes_entry
    assert "DOI [U]" in notes_entry
    assert "Soc Policy Adm 2018;52(3):790-808" in notes_entry


def test_publication_matches_reference_entry(reference_entry):
    pub = STUDY.load("study.yaml")["publication"]
    assert reference_entry.strip().startswith(", ".join(pub["authors"]) + ".")
    assert pub["title"] in reference_entry
    assert (
        f"{pub['journal']}. {pub['year']};{pub['volume']}({pub['issue']}):{pub['pages']}"
        in reference_entry
    )
    # The design characteristic cited to the reference entry is in its title.
    chars = {c["id"]: c for c in STUDY.load("study.yaml")["characteristics"]}
    assert chars["design"]["value"].lower() in reference_entry.lower()
