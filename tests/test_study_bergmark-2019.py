"""Bergmark, Bejerholm & Markström 2019 (Soc Work Ment Health) against the reference notes.

The notes (shared/reference/other-studies.md §5.3) and the reference list of Harkko et al. 2025
are read by the test itself when they exist; in a clean clone without them, only the assertions
that need them are skipped. The notes give this paper's citation and DOI, and separately a
"Related abstract (DiVA)": the facts read there must stay on that secondary source.
"""

from __future__ import annotations

from rdflib import RDF, URIRef
from studycheck import StudyFiles, dois_in, fact_text, numbers_in, sources_of

from ipskg.model.namespaces import IPSKG

SID = "bergmark-2019"
STUDY = StudyFiles(SID)
NOTES_SECTION = "### 5.3 Sweden"
ENTRY_MARKER = "**Bergmark, Bejerholm, Markström.** *Implementation of evidence-based"
REFERENCE_NUMBER = 14
DIVA = "diva-related-abstract"
OA_HAS_SOURCE = URIRef("http://www.w3.org/ns/oa#hasSource")


# ------------------------------------------------------------------------- helpers
def _via(record: dict) -> str | None:
    for source in sources_of(record):
        if isinstance(source, dict) and "via" in source:
            return source["via"]
    return None


def _bullet(entry: str, start: str) -> str:
    """The one line of the entry that starts with the given bullet text."""
    (line,) = [line for line in entry.splitlines() if line.strip().startswith(start)]
    return line


# ------------------------------------------------------------------------- data alone
def test_builds_and_conforms_with_only_the_unknown_title_warning(study_built):
    from ipskg.shacl.validate import validate_build

    report = validate_build(study_built)
    assert report.conforms, report.summary()
    warnings = [r for r in report.results if r.severity == "Warning"]
    # The DiVA record is known by its repository only (site: DiVA): no title, page or date.
    assert [(r.record, r.field) for r in warnings] == [(DIVA, "title")]


def test_abstract_level_and_no_full_text_anywhere(study_built):
    study = STUDY.load("study.yaml")
    assert study["source_kind"] == "abstract"
    for name, key, record in STUDY.records():
        for source in sources_of(record):
            if isinstance(source, dict):
                assert source.get("kind") != "full-text", (name, key, record.get("id"))
    kinds = set(study_built.graph.objects(None, IPSKG.sourceKind))
    assert IPSKG.FullTextSource not in kinds
    assert kinds == {IPSKG.AbstractSource, IPSKG.SecondarySummarySource}


def test_diva_abstract_is_a_related_record_not_this_papers_abstract(study_built):
    study = STUDY.load("study.yaml")
    (diva,) = study["secondary_sources"]
    assert diva["id"] == DIVA and diva["kind"] == "summary"
    assert "doi" not in diva  # the paper's DOI is not the DiVA record's
    # In the graph the DiVA facts lie in the secondary source, not in the publication.
    locations = [
        s
        for s in study_built.graph.subjects(RDF.type, IPSKG.SourceLocation)
        if (s, IPSKG.sourceKind, IPSKG.SecondarySummarySource) in study_built.graph
    ]
    assert locations
    for loc in locations:
        (target,) = study_built.graph.objects(loc, OA_HAS_SOURCE)
        assert str(target).endswith(f"/study/{SID}/secondary-source/{DIVA}"), target


def test_programmes_grants_waves_and_fidelity_read_via_diva():
    study = STUDY.load("study.yaml")
    chars = {c["id"]: c for c in study["characteristics"]}
    for cid in (
        "number-of-cases",
        "data-collection-method",
        "follow-up-duration",
        "fidelity-measure",
    ):
        assert _via(chars[cid]) == DIVA, cid
    assert chars["number-of-cases"]["value"] == 14
    assert chars["follow-up-duration"]["value"] == 24
    (group,) = study["case_groups"]
    assert group["count"] == 14 and _via(group) == DIVA and "members" not in group
    assert all(_via(r) == DIVA for r in study["strategy_uses"] + study["context_factors"])
    # The SIS bullet is not part of the DiVA bullet: read at this paper's abstract level.
    assert _via(chars["sis-instrument"]) is None
    assert chars["country"]["value"] == "Sweden"


def test_no_fidelity_scores_and_no_determinants_invented():
    # The notes give SEFS at 12 and 24 months without scores or bands, and name no determinant.
    assert not (STUDY.folder / "fidelity.yaml").exists()
    assert not (STUDY.folder / "outcomes.yaml").exists()
    assert not (STUDY.folder / "observations.yaml").exists()
    chars = {c["id"]: c for c in STUDY.load("study.yaml")["characteristics"]}
    assert "SEFS" in chars["fidelity-measure"]["value"]


# ------------------------------------------------------------------------- against the notes
def test_doi_and_citation_are_the_notes(notes_entry):
    pub = STUDY.load("study.yaml")["publication"]
    citation = notes_entry.splitlines()[0]
    assert f"doi:{pub['doi']}" in citation
    assert all(dois_in(fact_text(r)) <= dois_in(citation) for _, _, r in STUDY.records())
    assert f"{pub['year']};{pub['volume']}({pub['issue']}):{pub['pages']}" in citation
    assert pub["title"].lower() in citation.lower()
    assert ", ".join(pub["authors"]) in citation


def test_figures_stay_on_their_own_source(notes_entry):
    citation = notes_entry.splitlines()[0]
    diva = _bullet(notes_entry, "- Related abstract (DiVA):")
    tool = _bullet(notes_entry, "- Tool:")
    diva_numbers = numbers_in(diva)
    own_numbers = numbers_in(citation) | numbers_in(tool)
    for _name, key, record in STUDY.records():
        numbers = numbers_in(fact_text(record))
        if _via(record) == DIVA:
            assert numbers <= diva_numbers, (key, record.get("id"), numbers - diva_numbers)
        else:
            assert numbers <= own_numbers, (key, record.get("id"), numbers - own_numbers)


def test_diva_facts_are_in_the_diva_bullet(notes_entry):
    diva = _bullet(notes_entry, "- Related abstract (DiVA):")
    for phrase in (
        "14 IPS programs started in 2012 with national stimulus start-up grants",
        "Interviews at baseline, 12 and 24 months",
        "the 24-month wave came 6 months after grants ended",
        "SEFS fidelity at 12 and 24 months",
    ):
        assert phrase in diva, phrase


def test_sis_subscales_are_in_the_notes(notes_entry):
    tool = _bullet(notes_entry, "- Tool:")
    chars = {c["id"]: c for c in STUDY.load("study.yaml")["characteristics"]}
    assert "Sustainable Implementation Scale (SIS)" in tool
    for subscale in ("organisational level", "team level", "continuous support"):
        assert subscale in tool and subscale in chars["sis-instrument"]["value"]


def test_reference_entry_names_the_same_three_authors(reference_entry):
    import unicodedata

    def plain(text: str) -> str:
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()

    authors = STUDY.load("study.yaml")["publication"]["authors"]
    listed = reference_entry.split(".")[0].strip()
    assert [plain(a.split()[0]) for a in listed.split(", ")] == [plain(a) for a in authors]
