"""psychserv-2008-886 (Psychiatric Services 2008;59(8):886): every encoded fact checked against
the reference notes it was read from.

The notes (shared/reference/other-studies.md, §5.2) are read by the test itself when they exist;
in a clean clone without them those assertions are skipped, and the checks that need only the
data still run.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDF
from studycheck import DOI_RE, NUMBER_RE, StudyFiles, notes_text, source_dicts

from ipskg.model.namespaces import IPSKG, OA
from ipskg.shacl.validate import validate_build
from ipskg.studies.build import build

STUDY = "psychserv-2008-886"
DOI = "10.1176/ps.2008.59.8.886"
DATA = StudyFiles(STUDY)

# the unverified ([U]) attribution of the notes: none of it may appear in the data
UNVERIFIED_WORDS = ("Marshall", "Rapp", "Becker", "Bond", "Key factors")


# ------------------------------------------------------------------ helpers
def notes_section() -> str:
    """The notes' entry for the Psychiatric Services 2008 item, with the heading of §5.2
    (which gives the country)."""
    text = notes_text()
    heading = next(line for line in text.splitlines() if line.startswith("### 5.2"))
    start = text.index("- **Psychiatric Services 2008;59(8):886**")
    end = text.index("- **Bond et al. 2014.**", start)
    return heading + "\n" + text[start:end]


# ------------------------------------------------------------------ data only
def test_the_study_builds_and_conforms() -> None:
    report = validate_build(build(study_dirs=[DATA.folder]))
    assert report.conforms, report.summary()
    # the only warnings: no title and no authors, which are unverified in the notes
    warnings = sorted(r.field for r in report.results if r.severity != "Violation")
    assert warnings == ["authors", "title"], warnings


def test_nothing_is_attributed_to_a_fuller_source_than_the_notes() -> None:
    study = DATA.load("study.yaml")
    assert study.get("source_kind") == "abstract-or-summary"  # the notes: "abstracts or summaries"
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert src.get("kind") != "full-text", (file, rec.get("id"))
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    kinds = set(graph.objects(None, IPSKG.sourceKind))
    assert kinds and IPSKG.FullTextSource not in kinds, kinds


def test_the_unverified_title_and_authors_are_not_recorded() -> None:
    study = DATA.load("study.yaml")
    pub = study["publication"]
    assert "title" not in study and "title" not in pub and "authors" not in pub
    assert study["label"] == "Psychiatric Services 2008;59(8):886"
    # nowhere in the data files, not even in a comment
    for path in DATA.folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for word in UNVERIFIED_WORDS:
            assert word not in text, (path.name, word)


def test_figures_stay_on_this_items_own_source() -> None:
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert "document" not in src, (file, rec.get("id"))
    dois = {d for _, rec in DATA.entries() for v in rec.values() for d in DOI_RE.findall(str(v))}
    assert dois == {DOI}, dois
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    found = {
        o
        for loc in graph.subjects(RDF.type, IPSKG.SourceLocation)
        for o in graph.objects(loc, OA.hasSource)
    }
    assert found == {URIRef(f"https://doi.org/{DOI}")}, found


def test_no_determinant_or_outcome_is_invented() -> None:
    # the notes name no factor and no figure of this item
    for name in ("observations.yaml", "outcomes.yaml", "findings.yaml", "fidelity.yaml"):
        assert not (DATA.folder / name).exists(), name
    (group,) = DATA.load("study.yaml")["case_groups"]
    assert group["count"] == 9 and "members" not in group


# ------------------------------------------------------------------ against the notes
def test_every_number_and_the_doi_are_in_the_notes_entry() -> None:
    section = notes_section()
    section_numbers = set(NUMBER_RE.findall(section))
    for where, nums in DATA.fact_numbers().items():
        assert nums <= section_numbers, (where, nums - section_numbers)
    assert f"doi:{DOI} [V]" in section  # the DOI is the verified part
    assert "authors and title" in section and "[U]" in section
    pub = DATA.load("study.yaml")["publication"]
    assert (
        f"**{pub['journal']} {pub['year']};{pub['volume']}({pub['issue']}):{pub['pages']}**"
        in section
    )


def test_the_characteristics_read_as_in_the_notes() -> None:
    section = notes_section()
    study = DATA.load("study.yaml")
    chars = {c["id"]: c for c in study["characteristics"]}
    assert chars["study-design"]["value"].capitalize() in section
    assert f"{chars['number-of-cases']['value']} {chars['number-of-cases']['unit']}" in section
    assert study["project"]["description"].removeprefix("The o").rstrip(".") in section
    assert "(USA)" in section and chars["country"]["value"] == "United States"
