"""What the per-study tests (tests/test_study_<id>.py) share: the study's data files, the reference
notes and the seed paper's reference list they were read from, and the text helpers that compare
them.

The notes (``shared/reference/other-studies.md``) and the seed paper's text sit beside the
repository, not in it. When they are absent (a clean clone elsewhere), the checks that need them
are skipped (and fail under IPSKG_REQUIRE_ALL=1, see conftest.py); the checks on the data alone
still run.

The fixtures ``study_built``, ``notes_entry`` and ``reference_entry`` (conftest.py) read the
constants of the test module that asks for them: ``SID``, ``NOTES_SECTION``, ``ENTRY_MARKER``,
``REFERENCE_NUMBER``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib.namespace import PROV

from ipskg.model.namespaces import IPSKG, STUDY

ROOT = Path(__file__).resolve().parent.parent
STUDIES = ROOT / "data" / "studies"
SHARED_CANDIDATES = (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared"))
NOTES_NAME = Path("reference") / "other-studies.md"
PAPER_NAME = Path("paper") / "harkko-2025-leadership-ips-sustainability.txt"
HARKKO_DOI = "10.1186/s12913-025-12495-1"

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
# The same split by kind of value (the tests of the US studies count figures by field).
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
NUMERIC_KEYS = ("numerator", "denominator", "count", "total", "year", "volume", "issue", "pages")
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"'<>,;)]+")
FACT_FILES = ("study.yaml", "findings.yaml", "observations.yaml", "fidelity.yaml", "outcomes.yaml")


def shared_file(name: Path) -> Path | None:
    """The first copy of a shared reference file found beside the repository, if any."""
    return next((base / name for base in SHARED_CANDIDATES if (base / name).is_file()), None)


def norm(text: str) -> str:
    """En and em dashes as hyphens, so that ranges compare as the notes write them."""
    return text.replace("\u2013", "-").replace("\u2014", "-")


def numbers_in(value: Any) -> set[str]:
    """The figures a value states: a number itself, or the numbers written in a text."""
    if isinstance(value, bool):
        return set()
    if isinstance(value, int | float):
        return {str(value)}
    return set(NUMBER_RE.findall(str(value)))


def dois_in(text: Any) -> set[str]:
    return {d.rstrip(".,;)") for d in re.findall(r"10\.\d{4,9}/[^\s\"']+", str(text))}


def stated_numbers(
    node: Any, text_keys: tuple[str, ...], skip: tuple[str, ...] = ("doi", "pmcid")
) -> set[str]:
    """The figures a YAML tree states: every number, and the numbers written in the text keys
    given; never a rating (strength) or the curators' words (rationale, summary), nor the keys in
    ``skip`` (identifiers, checked whole elsewhere)."""
    found: set[str] = set()
    for key, value in walk(node):
        if key in ("rationale", "summary", "strength", *skip) or isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            found.add(str(value))
        elif isinstance(value, str) and key in text_keys:
            found.update(NUMBER_RE.findall(value))
    return found


def stands_in(number: str, text: str) -> bool:
    """Whether ``number`` is written in ``text`` as a number of its own (not part of another)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text) is not None


def source_dicts(record: dict[str, Any]) -> list[dict[str, Any]]:
    """A record's source and evidence source, a bare section name read as ``{section: ...}``."""
    return [s if isinstance(s, dict) else {"section": s} for s in sources_of(record)]


def sources_of(record: dict[str, Any]) -> list[Any]:
    return [record[k] for k in ("source", "evidence_source") if k in record]


def fact_text(record: dict[str, Any]) -> str:
    return " ".join(str(record[k]) for k in FACT_KEYS if k in record)


class StudyFiles:
    """One bundled study's researcher files, read as YAML."""

    def __init__(self, sid: str) -> None:
        self.sid = sid
        self.folder = STUDIES / sid

    def load(self, name: str) -> dict[str, Any]:
        path = self.folder / name
        if not path.is_file():
            return {}
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def records(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(file, list key, record) for every fact record of the study, and the publication."""
        study = self.load("study.yaml")
        yield "study.yaml", "publication", study.get("publication", {})
        if "project" in study:
            yield "study.yaml", "project", study["project"]
        for name in FACT_FILES:
            for key, value in self.load(name).items():
                # The secondary sources' own data (an index entry's number, its paper's DOI) is
                # checked against the reference list, not the notes.
                if isinstance(value, list) and key != "secondary_sources":
                    for record in value:
                        yield name, key, record

    def files(self) -> list[str]:
        return sorted(p.name for p in self.folder.glob("*.yaml"))

    def full_text_claims(self) -> list[str]:
        """The files in which a source (any ``kind:`` key, at any depth) says it is a full text."""
        return [
            name
            for name in self.files()
            for key, value in walk(self.load(name))
            if key == "kind" and value == "full-text"
        ]

    def source_kinds(self, graph: Any) -> set[Any]:
        """The source kinds of the source locations the study's records are derived from."""
        study = STUDY[self.sid]
        locations = {
            loc
            for s in graph.subjects(IPSKG.inStudy, study)
            for loc in graph.objects(s, PROV.wasDerivedFrom)
        }
        assert locations, "no record of the study has a source location"
        return {graph.value(loc, IPSKG.sourceKind) for loc in locations}

    def entries(self, with_secondary: bool = True) -> list[tuple[str, dict[str, Any]]]:
        """Every record of the study as (where, record), the study and publication included;
        the secondary sources' own records (titles, entries) only when asked."""
        out: list[tuple[str, dict[str, Any]]] = []
        for path in sorted(self.folder.glob("*.yaml")):
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

    def fact_numbers(self) -> dict[str, set[str]]:
        """Numbers stated as study facts, by where they are (file: id.key)."""
        out: dict[str, set[str]] = {}
        for file, rec in self.entries(with_secondary=False):
            for key in (*FACT_TEXT_KEYS, *NUMERIC_KEYS):
                if key in rec:
                    nums = numbers_in(rec[key])
                    if nums:
                        out[f"{file}: {rec.get('id', '?')}.{key}"] = nums
        return out


def walk(node: Any, key: Any = None) -> Iterator[tuple[Any, Any]]:
    """Every (key, value) pair anywhere in a loaded YAML tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, key)


def _read_notes() -> str | None:
    path = shared_file(NOTES_NAME)
    return None if path is None else path.read_text(encoding="utf-8")


NOTES = _read_notes()
"""The reference notes' text, or None in a clean clone without them."""
needs_notes = pytest.mark.skipif(
    NOTES is None, reason="reference notes shared/reference/other-studies.md not available"
)


def notes_bullet(start: str, text: str | None = None) -> str:
    """The notes' top-level bullet that starts ``- **<start>`` (a regular expression), up to the
    next top-level bullet or heading; in ``text`` when given (a section), else in all the notes."""
    text = NOTES if text is None else text
    assert text is not None, "the reference notes are absent"
    m = re.search(rf"^- \*\*{start}.*?(?=^- \*\*|^#|\Z)", text, re.M | re.S)
    assert m, f"the notes have no item '{start}'"
    return m.group(0)


def notes_line(item: str, label: str) -> str:
    """What follows ``- <label>:`` in a notes bullet."""
    m = re.search(rf"^\s*- {label}:(.*)$", item, re.M)
    assert m, f"the notes list no {label}"
    return m.group(1)


def notes_text() -> str:
    """The reference notes' text; the test is skipped when they are absent."""
    if NOTES is None:
        pytest.skip(
            "shared/reference/other-studies.md is absent (clean clone): "
            "checks against the notes skipped"
        )
    return NOTES


def notes_entry(section_heading: str, entry_marker: str) -> str:
    """The notes' bullet that starts with ``entry_marker`` under ``section_heading``, up to the
    next top-level bullet, dashes as hyphens."""
    text = norm(notes_text())
    section = text[text.index(section_heading) :]
    section = section[: section.find("\n### ", 1)]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if norm(entry_marker) in line)
    end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("- **")), len(lines))
    return "\n".join(lines[start:end])


def paper_text() -> str:
    path = shared_file(PAPER_NAME)
    if path is None:
        pytest.skip(
            "the Harkko et al. 2025 text is absent (clean clone): reference-list checks skipped"
        )
    return path.read_text(encoding="utf-8")


def reference_entry(number: int) -> str:
    """Entry ``number`` of the seed paper's reference list, dashes as hyphens."""
    match = re.search(rf"^- {number}\.(.+)$", norm(paper_text()), re.M)
    assert match, f"reference {number} not found"
    return match.group(1)


def repeated_ratings(observations: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The (construct, role, unit, phase) keys rated more than once: CFIR allows one rating per
    construct per unit and phase (an Individuals characteristic once per role)."""
    keys = [(o["construct"], o.get("role"), o["observed_in"], o["phase"]) for o in observations]
    return sorted({k for k in keys if keys.count(k) > 1}, key=str)


def codings_differing(
    observations: list[dict[str, Any]], expected: dict[str, tuple[Any, ...]]
) -> list[tuple[str, tuple[Any, ...], tuple[Any, ...]]]:
    """Observations whose (construct, role, valence, phase) differ from ``expected`` (id ->
    (construct, role, valence, phase, ...)); an observation missing or not expected counts too."""
    by_id = {o["id"]: o for o in observations}
    out = []
    for oid in sorted(set(by_id) | set(expected)):
        o = by_id.get(oid, {})
        got = (o.get("construct"), o.get("role"), o.get("valence"), o.get("phase"))
        want = tuple(expected[oid][:4]) if oid in expected else ()
        if got != want:
            out.append((oid, got, want))
    return out
