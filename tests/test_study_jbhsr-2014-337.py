"""jbhsr-2014-337 (the "8-year analysis", J Behav Health Serv Res 2014;41(3):337-46): every
encoded fact checked against the reference notes it was read from.

The notes (shared/reference/other-studies.md, §5.2, the "Related" entry under Bond et al. 2014)
are read by the test itself when they exist; in a clean clone without them those assertions
are skipped, and the checks that need only the data still run.
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

STUDY = "jbhsr-2014-337"
DOI = "10.1007/s11414-013-9347-x"
PMID = "23709327"
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
# figures that only Bond et al. 2014 (47/16/37 %, 49 sites, 6 years) or Jones et al. 2014
# (13 state leaders, 71 %) report
OTHER_PAPERS_ONLY_FIGURES = {"47", "16", "37", "49", "6", "13", "71"}


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
    """The notes' entry for the 8-year analysis (one line under "Related"), with the heading
    of §5.2 (which gives the country)."""
    text = notes_text()
    heading = next(line for line in text.splitlines() if line.startswith("### 5.2"))
    line = next((ln for ln in text.splitlines() if "8-year analysis" in ln), None)
    assert line is not None, "the notes' entry for the 8-year analysis is missing"
    return heading + "\n" + line


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
    # the only warnings: no title and no authors, which the notes do not give
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


def test_no_title_or_author_is_filled_in() -> None:
    study = load("study.yaml")
    pub = study["publication"]
    assert "title" not in study and "title" not in pub and "authors" not in pub
    assert study["label"].startswith("8-year analysis")
    assert pub["identifiers"] == {"pmid": PMID}


def test_figures_stay_on_this_papers_own_source() -> None:
    for file, rec in records():
        for src in sources(rec):
            assert "document" not in src, (file, rec.get("id"))
    dois = {d for _, rec in records() for v in rec.values() for d in DOI_RE.findall(str(v))}
    assert dois == {DOI}, dois
    for where, nums in fact_numbers().items():
        assert not nums & OTHER_PAPERS_ONLY_FIGURES, (where, nums & OTHER_PAPERS_ONLY_FIGURES)
    graph = build(study_dirs=[FOLDER], with_ontology=False).graph
    found = {
        o
        for loc in graph.subjects(RDF.type, IPSKG.SourceLocation)
        for o in graph.objects(loc, OA.hasSource)
    }
    assert found == {URIRef(f"https://doi.org/{DOI}")}, found


def test_no_count_of_programs_and_no_outcome_figures_are_invented() -> None:
    study = load("study.yaml")
    (group,) = study["case_groups"]
    assert "count" not in group and "members" not in group
    assert not [c for c in study["characteristics"] if c["aspect"] == "number-of-cases"]
    assert not (FOLDER / "outcomes.yaml").exists()  # the notes give no figure


def test_only_the_predictor_with_a_stated_direction_is_rated() -> None:
    """Supervisor turnover 'predicted survival' without a direction, and fidelity at
    implementation is not a CFIR determinant: both stay findings; QI activities 'had little
    effect': rated 0, without strength."""
    (o,) = load("observations.yaml")["observations"]
    assert (o["id"], o["construct"], o["valence"]) == ("qi-activities", "V.H", "0")
    assert "strength" not in o and o.get("rationale")
    assert "QI activities" in o["summary"] and "little effect" in o["summary"]
    statements = [f["statement"] for f in load("findings.yaml")["findings"]]
    assert any("Supervisor turnover" in s for s in statements)
    assert any("Fidelity at implementation" in s for s in statements)


# ------------------------------------------------------------------ against the notes
def test_every_number_and_identifier_is_in_the_notes_entry() -> None:
    section = notes_section()
    section_numbers = set(NUMBER_RE.findall(section))
    for where, nums in fact_numbers().items():
        assert nums <= section_numbers, (where, nums - section_numbers)
    pub = load("study.yaml")["publication"]
    assert f"doi:{DOI}" in section and f"PMID {PMID}" in section
    cite = f"{pub['year']};{pub['volume']}({pub['issue']}):{pub['pages'].replace('-', '–')}"
    assert f"{pub['journal']} {cite}" in section
    assert load("study.yaml")["label"].removeprefix("8-year analysis, ") in section


def test_the_findings_are_the_notes_words() -> None:
    section = notes_section().lower()
    for f in load("findings.yaml")["findings"]:
        assert f["statement"].rstrip(".").lower() in section, f["id"]
    # the notes name the turnover's effect without a direction: nothing to rate it by
    assert not re.search(r"lower|higher|reduc|increas|worse|better", section)
