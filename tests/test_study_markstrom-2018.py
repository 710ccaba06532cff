"""Markström, Svensson, Bergmark, Hansson & Bejerholm 2018 (J Ment Health) against the notes.

The notes (shared/reference/other-studies.md §5.3) and the reference list of Harkko et al. 2025
are read by the test itself when they exist; in a clean clone without them, only the assertions
that need them are skipped. The numbers of programmes fully established or not were not
retrievable: no count or outcome figure may appear.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ipskg.model.namespaces import IPSKG

ROOT = Path(__file__).resolve().parent.parent
SID = "markstrom-2018"
STUDY_DIR = ROOT / "data" / "studies" / SID
NOTES_FILES = (
    Path("/work/shared/reference/other-studies.md"),
    ROOT.parent / "shared" / "reference" / "other-studies.md",
)
PAPER_FILES = (
    Path("/work/shared/paper/harkko-2025-leadership-ips-sustainability.txt"),
    ROOT.parent / "shared" / "paper" / "harkko-2025-leadership-ips-sustainability.txt",
)
NOTES_SECTION = "### 5.3 Sweden"
ENTRY_MARKER = "**Markström, Svensson, Bergmark, Hansson, Bejerholm.**"
REFERENCE_NUMBER = 13
HARKKO_DOI = "10.1186/s12913-025-12495-1"


# ------------------------------------------------------------------------- helpers
def _first_file(paths) -> Path | None:
    return next((p for p in paths if p.is_file()), None)


def _norm(text: str) -> str:
    return text.replace("\u2013", "-").replace("\u2014", "-")


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", _norm(str(text))))


def _dois(text: str) -> set[str]:
    return {d.rstrip(".,;)") for d in re.findall(r"10\.\d{4,9}/[^\s\"']+", str(text))}


def _load(name: str) -> dict:
    path = STUDY_DIR / name
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _records():
    """(file, list key, record) for every fact record of the study, and the publication."""
    study = _load("study.yaml")
    yield "study.yaml", "publication", study.get("publication", {})
    if "project" in study:
        yield "study.yaml", "project", study["project"]
    for name in (
        "study.yaml",
        "findings.yaml",
        "observations.yaml",
        "fidelity.yaml",
        "outcomes.yaml",
    ):
        data = _load(name)
        for key, value in data.items():
            # The secondary sources' own data (an index entry's number, its paper's DOI) is
            # checked against the reference list, not the notes.
            if isinstance(value, list) and key != "secondary_sources":
                for record in value:
                    yield name, key, record


def _sources(record: dict) -> list:
    return [record[k] for k in ("source", "evidence_source") if k in record]


# Keys whose values state facts of the study (not ids, codes, curation rationales or the
# secondary sources' own bibliographic data, which are checked against the reference list).
FACT_KEYS = (
    "value",
    "unit",
    "label",
    "count",
    "statement",
    "description",
    "summary",
    "title",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "start",
    "end",
    "time_point",
    "population",
    "definition",
    "numerator",
    "denominator",
    "total",
)


def _fact_text(record: dict) -> str:
    return " ".join(str(record[k]) for k in FACT_KEYS if k in record)


@pytest.fixture(scope="module")
def notes_entry() -> str:
    path = _first_file(NOTES_FILES)
    if path is None:
        pytest.skip(
            "shared/reference/other-studies.md is absent (clean clone): "
            "checks against the notes skipped"
        )
    text = _norm(path.read_text(encoding="utf-8"))
    section = text[text.index(NOTES_SECTION) :]
    section = section[: section.find("\n### ", 1)]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if _norm(ENTRY_MARKER) in line)
    end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("- **")), len(lines))
    return "\n".join(lines[start:end])


@pytest.fixture(scope="module")
def reference_entry() -> str:
    path = _first_file(PAPER_FILES)
    if path is None:
        pytest.skip(
            "the Harkko et al. 2025 text is absent (clean clone): reference-list checks skipped"
        )
    text = _norm(path.read_text(encoding="utf-8"))
    match = re.search(rf"^- {REFERENCE_NUMBER}\.(.+)$", text, re.M)
    assert match, f"reference {REFERENCE_NUMBER} not found"
    return match.group(1)


@pytest.fixture(scope="module")
def built():
    from ipskg.studies.build import build

    return build(study_dirs=[STUDY_DIR])


# ------------------------------------------------------------------------- data alone
def test_builds_and_conforms_without_warnings(built):
    from ipskg.shacl.validate import validate_build

    report = validate_build(built)
    assert report.conforms, report.summary()
    assert report.counts()["Warning"] == 0, [r.message for r in report.results]


def test_abstract_level_and_no_full_text_anywhere(built):
    study = _load("study.yaml")
    assert study["source_kind"] == "abstract"
    for name, key, record in _records():
        for source in _sources(record):
            if isinstance(source, dict):
                assert source.get("kind") != "full-text", (name, key, record.get("id"))
    kinds = set(built.graph.objects(None, IPSKG.sourceKind))
    assert IPSKG.FullTextSource not in kinds
    assert kinds == {IPSKG.AbstractSource, IPSKG.IndexEntrySource}


def test_unretrievable_counts_stay_out():
    # No outcome measurement, effect or fidelity record: the notes give no figure for them.
    for name in ("outcomes.yaml", "fidelity.yaml"):
        assert not (STUDY_DIR / name).exists(), name
    study = _load("study.yaml")
    (group,) = study["case_groups"]
    assert group["count"] == 14 and "members" not in group and "cases" not in study
    numbers = set()
    for _, _, record in _records():
        numbers |= _numbers(_fact_text(record))
    # Only the 14 programmes, the 3 years and the bibliographic figures.
    assert numbers == {"14", "3", "2018", "27", "5", "395", "401"}


def test_doi_unknown_stays_unknown_and_no_diva_facts():
    study = _load("study.yaml")
    assert "doi" not in study["publication"]
    (secondary,) = study["secondary_sources"]
    assert secondary["kind"] == "index-entry" and secondary["doi"] == HARKKO_DOI
    assert secondary["title"] == f"Harkko et al. 2025, reference list, entry {REFERENCE_NUMBER}"
    assert study["publication"]["source"] == {"section": "References", "via": secondary["id"]}
    # Figures of the Bergmark et al. 2019 entry (its DiVA abstract) do not leak into this study.
    for _, _, record in _records():
        assert not {"2012", "12", "24", "6"} & _numbers(_fact_text(record)), record.get("id")
        assert not _dois(_fact_text(record))


def test_no_determinant_is_invented():
    # The notes name no single determinant, only "implementation components" as a whole.
    assert not (STUDY_DIR / "observations.yaml").exists()


# ------------------------------------------------------------------------- against the notes
def test_every_number_is_in_the_notes_entry(notes_entry):
    allowed = _numbers(notes_entry)
    for name, key, record in _records():
        missing = _numbers(_fact_text(record)) - allowed
        assert not missing, (name, key, record.get("id"), missing)
    assert "DOI [U]" in notes_entry
    assert "The exact n established/not established was not retrievable" in notes_entry


def test_findings_are_the_notes(notes_entry):
    findings = {f["id"]: f["statement"] for f in _load("findings.yaml")["findings"]}
    assert findings["f01"] in notes_entry
    assert findings["f02"] in notes_entry
    assert "SIS piloted on the same 14 programmes" in notes_entry


def test_publication_matches_reference_entry(reference_entry):
    pub = _load("study.yaml")["publication"]
    assert reference_entry.strip().startswith(", ".join(pub["authors"]) + ".")
    assert pub["title"] in reference_entry
    assert (
        f"{pub['journal']}. {pub['year']};{pub['volume']}({pub['issue']}):{pub['pages']}"
        in reference_entry
    )
    chars = {c["id"]: c for c in _load("study.yaml")["characteristics"]}
    assert chars["design"]["value"].lower() in reference_entry.lower()
