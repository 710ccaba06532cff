"""moe-2021 (Moe et al. 2021, Norway, IPSNOR) against the curators' reference notes.

The data must say what the notes (shared/reference/other-studies.md §5.7) say and nothing more:
every number and the DOI in the notes, each finding coded once with the valence the notes' words
give it (0 where they give none), no source claimed fuller than an abstract. Assertions that need
the notes are skipped when the notes are absent (a clean clone); the others run on the data alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rdflib import URIRef

from ipskg.model.namespaces import IPSKG, STUDY

ROOT = Path(__file__).resolve().parent.parent
SID = "moe-2021"
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
    """The notes' bullet for this study (from '- **Norway' to the next top-level bullet)."""
    assert NOTES is not None
    m = re.search(r"^- \*\*Norway.*?(?=^- \*\*|^#|\Z)", NOTES, re.M | re.S)
    assert m, "the notes have no Norway item"
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
    assert pub["authors"] == ["Moe"] and pub["authors_complete"] is False  # "Moe et al."
    assert "project" not in STUDY_YAML  # what IPSNOR is, the notes do not say
    assert "cases" not in STUDY_YAML  # no site is reported by itself
    for group in STUDY_YAML["case_groups"]:
        assert "members" not in group
    assert not (FOLDER / "outcomes.yaml").exists()  # the notes report no outcome
    assert not (FOLDER / "fidelity.yaml").exists()


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
    keys = [(o["construct"], o["observed_in"], o["phase"], o.get("role")) for o in OBSERVATIONS]
    assert len(keys) == len(set(keys))


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
    numbers = set()
    for name in FILES:
        for key, value in walk(load(name)):
            # ratings (strength) are curation, not numbers of the study; the DOI and PMCID are
            # checked whole in test_bibliography_in_the_notes
            if key in ("rationale", "summary", "strength", "doi", "pmcid"):
                continue
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                numbers.add(str(value))
            elif isinstance(value, str) and key in TEXT_KEYS:
                numbers.update(re.findall(r"\d+(?:\.\d+)?", value))
    assert numbers
    for n in numbers:
        assert re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", item), n


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
