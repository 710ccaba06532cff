"""giesen-2007 (Giesen et al. 2007, Netherlands) against the curators' reference notes.

The data must say what the notes (shared/reference/other-studies.md §5.7) say and nothing more:
every number in the notes, valences as listed, no source claimed fuller than an abstract, no
numerator the notes do not give. Assertions that need the notes are skipped when the notes are
absent (a clean clone); the others run on the data alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rdflib import URIRef

from ipskg.model.namespaces import IPSKG, STUDY

ROOT = Path(__file__).resolve().parent.parent
SID = "giesen-2007"
FOLDER = ROOT / "data" / "studies" / SID
NOTES_NAME = Path("shared") / "reference" / "other-studies.md"
NOTES_CANDIDATES = [
    ROOT.parent / NOTES_NAME,
    ROOT.parent.parent / NOTES_NAME,
    Path("/work") / NOTES_NAME,
]


def _notes_text() -> str | None:
    for path in NOTES_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


NOTES = _notes_text()
needs_notes = pytest.mark.skipif(
    NOTES is None, reason="reference notes shared/reference/other-studies.md not available"
)


def notes_item() -> str:
    """The notes' bullet for this study (from '- **Netherlands' to the next top-level bullet)."""
    assert NOTES is not None
    m = re.search(r"^- \*\*Netherlands.*?(?=^- \*\*|^#|\Z)", NOTES, re.M | re.S)
    assert m, "the notes have no Netherlands item"
    return m.group(0)


def notes_line(item: str, label: str) -> str:
    m = re.search(rf"^\s*- {label}:(.*)$", item, re.M)
    assert m, f"the notes list no {label}"
    return m.group(1)


def load(name: str) -> dict:
    path = FOLDER / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def walk(node, key=None):
    """Every (key, value) pair anywhere in a loaded YAML tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, key)


FILES = sorted(p.name for p in FOLDER.glob("*.yaml"))
STUDY_YAML = load("study.yaml")
OBSERVATIONS = load("observations.yaml").get("observations", [])
OUTCOMES = load("outcomes.yaml").get("outcomes", [])
FINDINGS = load("findings.yaml").get("findings", [])

# Each observation and the determinant of the notes it codes: (list, words in the notes).
DETERMINANTS = {
    "o-staff-loss": ("Barriers", "loss of vocational staff"),
    "o-project-leader-time": ("Barriers", "project leaders' lack of time"),
    "o-finance": ("Barriers", "lack of finance"),
    "o-inter-organisational-cooperation": ("Barriers", "poor inter-organisational cooperation"),
    "o-vocational-worker-skill": ("Facilitators", "vocational worker skill and commitment"),
    "o-vocational-worker-commitment": ("Facilitators", "vocational worker skill and commitment"),
    "o-mh-team-integration": ("Facilitators", "integration with the MH team"),
}
VALENCE = {"Barriers": "-", "Facilitators": "+"}
# text fields whose digits are figures of the study (labels, statements, bibliographic numbers)
TEXT_KEYS = ("value", "statement", "label", "pages", "volume", "issue", "unit")


# ---------------------------------------------------------------- data alone


def test_builds_and_conforms_with_only_the_known_warning():
    from ipskg.shacl.validate import validate_paths

    report = validate_paths([FOLDER])
    assert report.conforms, [r.message for r in report.results]
    warnings = sorted((r.field, r.severity) for r in report.results)
    # the notes give no title: the one warning is the missing publication title
    assert warnings == [("title", "Warning")]


def test_build_has_the_study_with_abstract_sources_only():
    from ipskg.studies.build import build

    graph = build(study_dirs=[FOLDER]).graph
    study = STUDY[SID]
    locations = {
        loc
        for s in graph.subjects(IPSKG.inStudy, study)
        for loc in graph.objects(s, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    }
    assert locations, "no record of the study has a source location"
    kinds = {graph.value(loc, IPSKG.sourceKind) for loc in locations}
    assert kinds == {IPSKG.AbstractSource}


def test_no_source_claims_full_text():
    assert STUDY_YAML["source_kind"] == "abstract"
    for name in FILES:
        for key, value in walk(load(name)):
            if isinstance(value, dict) and key in ("source", "evidence_source"):
                assert value.get("kind") != "full-text", (name, value)
            assert not (key == "kind" and value == "full-text"), name


def test_unknowns_stay_unknown():
    pub = STUDY_YAML["publication"]
    assert "title" not in STUDY_YAML and "title" not in pub  # a label instead
    assert STUDY_YAML["label"]
    assert "doi" not in pub  # the notes give no DOI
    assert pub["authors_complete"] is False
    assert "cases" not in STUDY_YAML  # no location is reported by itself
    for group in STUDY_YAML["case_groups"]:
        assert "members" not in group
    assert not (FOLDER / "fidelity.yaml").exists()  # no scale, score or band in the notes
    (job,) = OUTCOMES
    assert "numerator" not in job  # 18 % of 316 is not turned into a count


def test_country_and_sites():
    chars = {c["aspect"]: c for c in STUDY_YAML["characteristics"]}
    assert chars["country"]["value"] == "Netherlands"
    assert chars["number-of-cases"]["value"] == 4
    assert STUDY_YAML["case_groups"][0]["count"] == 4


def test_outcome_as_printed():
    (job,) = OUTCOMES
    assert job["outcome"] == "job-start"
    assert (job["value"], job["unit"], job["denominator"]) == (18, "percent", 316)


def test_every_determinant_is_mapped_rated_and_justified():
    assert {o["id"] for o in OBSERVATIONS} == set(DETERMINANTS)
    units = {g["id"] for g in STUDY_YAML["case_groups"]}
    for o in OBSERVATIONS:
        listed, _ = DETERMINANTS[o["id"]]
        assert o["valence"] == VALENCE[listed], o["id"]
        assert o["strength"] == 1, o["id"]  # general statements
        assert o["observed_in"] in units
        assert o["rationale"].strip() and o["phase"] == "implementation"
        if o["construct"].startswith("IV.C."):
            assert o.get("role"), o["id"]


# ---------------------------------------------------------------- against the notes


@needs_notes
def test_bibliography_in_the_notes():
    item = notes_item()
    pub = STUDY_YAML["publication"]
    for author in pub["authors"]:
        assert author in item.splitlines()[0], author
    head = f"{pub['journal']} {pub['year']};{pub['volume']}({pub['issue']}):{pub['pages']}"
    assert head in item


@needs_notes
def test_every_number_is_in_the_notes():
    item = notes_item()
    numbers = set()
    for name in FILES:
        for key, value in walk(load(name)):
            # ratings (strength) are curation, not numbers of the study
            if key in ("rationale", "summary", "strength") or isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                numbers.add(str(value))
            elif isinstance(value, str) and key in TEXT_KEYS:
                numbers.update(re.findall(r"\d+(?:\.\d+)?", value))
    assert numbers
    for n in numbers:
        assert re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", item), n


@needs_notes
def test_each_determinant_is_in_the_notes_with_its_valence():
    item = notes_item()
    for oid, (listed, words) in DETERMINANTS.items():
        assert words.casefold() in notes_line(item, listed).casefold(), (oid, words)


@needs_notes
def test_findings_restate_the_notes():
    item = notes_item()
    assert "None reached the highest fidelity; 2 came close" in item
    assert "18% of 316 patients" in item
    assert {f["id"] for f in FINDINGS} == {"f-fidelity", "f-regular-job"}
