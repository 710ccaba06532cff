"""psychserv-2008-886 (Psychiatric Services 2008;59(8):886): every encoded fact checked against
the reference notes it was read from.

The notes (shared/reference/other-studies.md, §5.2) are read by the test itself when they exist;
in a clean clone without them those assertions are skipped, and the checks that need only the
data still run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import URIRef
from rdflib.namespace import RDF

from ipskg.model.namespaces import IPSKG, OA
from ipskg.shacl.validate import validate_build
from ipskg.studies.build import build

STUDY = "psychserv-2008-886"
DOI = "10.1176/ps.2008.59.8.886"
ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "data" / "studies" / STUDY
NOTES = Path("/work/shared/reference/other-studies.md")

NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"'<>,;)]+")
FACT_TEXT_KEYS = (
    "title",
    "label",
    "description",
    "value",
    "unit",
    "statement",
    "summary",
    "definition",
    "population",
    "time_point",
)
NUMERIC_KEYS = (
    "numerator",
    "denominator",
    "count",
    "total",
    "year",
    "volume",
    "issue",
    "pages",
)
# the unverified ([U]) attribution of the notes: none of it may appear in the data
UNVERIFIED_WORDS = ("Marshall", "Rapp", "Becker", "Bond", "Key factors")


# ------------------------------------------------------------------ helpers
def load(name: str) -> dict[str, Any]:
    path = FOLDER / name
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def records(with_secondary: bool = True) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(FOLDER.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in doc.items():
            if key == "secondary_sources" and not with_secondary:
                continue
            if isinstance(value, list):
                out += [(f"{path.name}:{key}", r) for r in value if isinstance(r, dict)]
            elif isinstance(value, dict):
                out.append((f"{path.name}:{key}", value))
        if path.name == "study.yaml":
            top = {k: v for k, v in doc.items() if not isinstance(v, list | dict)}
            out.append((path.name, top))
    return out


def sources(rec: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for key in ("source", "evidence_source"):
        src = rec.get(key)
        if src is not None:
            found.append(src if isinstance(src, dict) else {"section": src})
    return found


def notes_text() -> str:
    if not NOTES.is_file():
        pytest.skip(f"the reference notes {NOTES} are not available (e.g. a clean clone)")
    return NOTES.read_text(encoding="utf-8")


def notes_section() -> str:
    """The notes' entry for the Psychiatric Services 2008 item, with the heading of §5.2
    (which gives the country)."""
    text = notes_text()
    heading = next(line for line in text.splitlines() if line.startswith("### 5.2"))
    start = text.index("- **Psychiatric Services 2008;59(8):886**")
    end = text.index("- **Bond et al. 2014.**", start)
    return heading + "\n" + text[start:end]


def numbers_in(value: Any) -> set[str]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int | float):
        return {str(value)}
    if isinstance(value, str):
        return set(NUMBER_RE.findall(value))
    return set()


def fact_numbers() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for file, rec in records(with_secondary=False):
        for key in (*FACT_TEXT_KEYS, *NUMERIC_KEYS):
            if key in rec:
                nums = numbers_in(rec[key])
                if nums:
                    out[f"{file}: {rec.get('id', '?')}.{key}"] = nums
    return out


# ------------------------------------------------------------------ data only
def test_the_study_builds_and_conforms() -> None:
    report = validate_build(build(study_dirs=[FOLDER]))
    assert report.conforms, report.summary()
    # the only warnings: no title and no authors, which are unverified in the notes
    warnings = sorted(r.field for r in report.results if r.severity != "Violation")
    assert warnings == ["authors", "title"], warnings


def test_nothing_is_attributed_to_a_fuller_source_than_the_notes() -> None:
    study = load("study.yaml")
    assert study.get("source_kind") == "abstract-or-summary"  # the notes: "abstracts or summaries"
    for file, rec in records():
        for src in sources(rec):
            assert src.get("kind") != "full-text", (file, rec.get("id"))
    graph = build(study_dirs=[FOLDER], with_ontology=False).graph
    kinds = set(graph.objects(None, IPSKG.sourceKind))
    assert kinds and IPSKG.FullTextSource not in kinds, kinds


def test_the_unverified_title_and_authors_are_not_recorded() -> None:
    study = load("study.yaml")
    pub = study["publication"]
    assert "title" not in study and "title" not in pub and "authors" not in pub
    assert study["label"] == "Psychiatric Services 2008;59(8):886"
    # nowhere in the data files, not even in a comment
    for path in FOLDER.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for word in UNVERIFIED_WORDS:
            assert word not in text, (path.name, word)


def test_figures_stay_on_this_items_own_source() -> None:
    for file, rec in records():
        for src in sources(rec):
            assert "document" not in src, (file, rec.get("id"))
    dois = {d for _, rec in records() for v in rec.values() for d in DOI_RE.findall(str(v))}
    assert dois == {DOI}, dois
    graph = build(study_dirs=[FOLDER], with_ontology=False).graph
    found = {
        o
        for loc in graph.subjects(RDF.type, IPSKG.SourceLocation)
        for o in graph.objects(loc, OA.hasSource)
    }
    assert found == {URIRef(f"https://doi.org/{DOI}")}, found


def test_no_determinant_or_outcome_is_invented() -> None:
    # the notes name no factor and no figure of this item
    for name in ("observations.yaml", "outcomes.yaml", "findings.yaml", "fidelity.yaml"):
        assert not (FOLDER / name).exists(), name
    (group,) = load("study.yaml")["case_groups"]
    assert group["count"] == 9 and "members" not in group


# ------------------------------------------------------------------ against the notes
def test_every_number_and_the_doi_are_in_the_notes_entry() -> None:
    section = notes_section()
    section_numbers = set(NUMBER_RE.findall(section))
    for where, nums in fact_numbers().items():
        assert nums <= section_numbers, (where, nums - section_numbers)
    assert f"doi:{DOI} [V]" in section  # the DOI is the verified part
    assert "authors and title" in section and "[U]" in section
    pub = load("study.yaml")["publication"]
    assert (
        f"**{pub['journal']} {pub['year']};{pub['volume']}({pub['issue']}):{pub['pages']}**"
        in section
    )


def test_the_characteristics_read_as_in_the_notes() -> None:
    section = notes_section()
    study = load("study.yaml")
    chars = {c["id"]: c for c in study["characteristics"]}
    assert chars["study-design"]["value"].capitalize() in section
    assert f"{chars['number-of-cases']['value']} {chars['number-of-cases']['unit']}" in section
    assert study["project"]["description"].removeprefix("The o").rstrip(".") in section
    assert "(USA)" in section and chars["country"]["value"] == "United States"
