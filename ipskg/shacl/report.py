"""Validation results and reports: located results, JSON, sh:ValidationReport, readable text."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ipskg.io.rdf import turtle_text
from ipskg.model.display import visible
from ipskg.model.namespaces import PREFIXES, curie

__all__ = ["SEVERITY_ORDER", "Report", "ValidationResult", "render_text"]

SHAPES_NS = "https://w3id.org/ipskg/shapes#"

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One validation result, with where it is in the data files when known."""

    severity: str  # Violation | Warning | Info
    focus: Node
    path: Node | None
    value: Node | None
    message: str
    source_shape: Node
    component: Node | None = None
    file: str | None = None
    line: int | None = None
    record: str | None = None
    field: str | None = None
    label: str | None = None  # e.g. "observation 'o2'"
    value_label: str | None = None  # the value's own record, when it is one

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "record": self.record,
            "field": self.field,
            "message": self.message,
            "focus": str(self.focus),
            "path": str(self.path) if self.path is not None else None,
            "value": _plain(self.value),
            "source_shape": str(self.source_shape),
            "component": str(self.component) if self.component is not None else None,
        }


@dataclass
class Report:
    """A validation report: non-conformance is data, not an exception."""

    results: list[ValidationResult] = field(default_factory=list)
    engine: str = ""
    focus_count: int = 0
    note: str = ""  # how the engine was chosen, when that is not the obvious default

    @property
    def conforms(self) -> bool:
        """True when no result has severity Violation (warnings and infos are advice)."""
        return self.violation_count == 0

    @property
    def violation_count(self) -> int:
        return sum(1 for r in self.results if r.severity == "Violation")

    def counts(self) -> dict[str, int]:
        found = Counter(r.severity for r in self.results)
        return {s: found.get(s, 0) for s in SEVERITY_ORDER}

    def summary(self) -> str:
        c = self.counts()
        verdict = "conforms" if self.conforms else "does not conform"
        return (
            f"{verdict}: {c['Violation']} violation(s), {c['Warning']} warning(s), "
            f"{c['Info']} info(s)"
        )

    def to_json(self) -> str:
        doc = {
            "conforms": self.conforms,
            "violation_count": self.violation_count,
            "counts": self.counts(),
            "results": [r.as_dict() for r in self.results],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def to_graph(self) -> Graph:
        """The standard sh:ValidationReport (sh:conforms follows :attr:`conforms`)."""
        g = Graph()
        for prefix in ("ipskg", "cfir", "ips", "study", "prov", "xsd", "rdfs", "skos"):
            g.bind(prefix, PREFIXES[prefix])
        g.bind("sh", SH)
        g.bind("ipsh", SHAPES_NS)
        report = BNode("report")
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for i, r in enumerate(self.results):
            node = BNode(f"result{i}")
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.resultSeverity, SH[r.severity]))
            g.add((node, SH.focusNode, r.focus))
            g.add((node, SH.sourceShape, r.source_shape))
            g.add((node, SH.resultMessage, Literal(r.message)))
            if r.path is not None:
                g.add((node, SH.resultPath, r.path))
            if r.value is not None:
                g.add((node, SH.value, r.value))
            if r.component is not None:
                g.add((node, SH.sourceConstraintComponent, r.component))
        return g

    def to_turtle(self) -> str:
        """The report as Turtle; valid for any value the data holds (written by Oxigraph)."""
        return turtle_text(self.to_graph())


def _plain(term: Node | None) -> str | None:
    if term is None:
        return None
    return str(term)


def _display(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return repr(str(term)) if isinstance(term.value, str) or term.value is None else str(term)
    return curie(str(term), skip=_NOT_COMPACTED) or f"<{term}>"


_NOT_COMPACTED = frozenset({"study"})  # a record's full IRI is what a researcher can look up


def render_text(report: Report) -> str:
    """A readable report: one block per result, most useful location first."""
    lines: list[str] = []
    for r in report.results:
        where = f"{r.file}:{r.line}" if r.file and r.line else (r.file or f"<{r.focus}>")
        what = r.label or (f"record {r.record!r}" if r.record else "")
        head = f"{where}: {r.severity}"
        if what:
            head += f": {what}"
        if r.field:
            head += f", field {r.field!r}"
        lines.append(visible(head))
        lines.append(visible(f"    {r.message}"))
        if r.value is not None and r.value != r.focus:
            lines.append(visible(f"    value: {r.value_label or _display(r.value)}"))
    lines.append(report.summary())
    return "\n".join(lines) + "\n"
