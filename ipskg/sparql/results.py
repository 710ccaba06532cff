"""Render query answers: a readable table, CSV, TSV, SPARQL 1.1 JSON results, or Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from rdflib import Graph

from ipskg.model.namespaces import PREFIXES
from ipskg.sparql.store import Result, Term

__all__ = ["FORMATS", "compact", "render", "render_boolean", "render_graph"]

_CELL_WIDTH = 80


def compact(term: Term | None) -> str:
    """A term for people: IRIs shortened with the ipskg prefixes, literals as their text."""
    if term is None:
        return ""
    if term.kind == "uri":
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns) :]}"
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


def _plain(term: Term | None) -> str:
    return "" if term is None else term.value


def _csv(result: Result, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_plain(t) for t in row])
    return out.getvalue()


def _tsv(result: Result) -> str:
    def cell(term: Term | None) -> str:
        text = _plain(term)
        return (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )

    lines = ["\t".join(result.columns)]
    lines += ["\t".join(cell(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json(result: Result) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _table(result: Result) -> str:
    def cell(term: Term | None) -> str:
        text = _one_line(compact(term))
        return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"

    cells = [[cell(t) for t in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def _markdown(result: Result) -> str:
    def cell(term: Term | None) -> str:
        return _one_line(compact(term)).replace("|", "\\|")

    lines = [
        "| " + " | ".join(result.columns) + " |",
        "|" + "|".join("---" for _ in result.columns) + "|",
    ]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Result], str]] = {
    "table": _table,
    "csv": _csv,
    "tsv": _tsv,
    "json": _json,
    "md": _markdown,
}


def render(result: Result, fmt: str) -> str:
    """A SELECT answer in one of :data:`FORMATS`."""
    return FORMATS[fmt](result)


def render_boolean(answer: bool, fmt: str) -> str:
    """An ASK answer: SPARQL JSON for ``json``, else ``true``/``false``."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer}) + "\n"
    return ("true" if answer else "false") + "\n"


def render_graph(graph: Graph, fmt: str) -> str:
    """A CONSTRUCT answer: JSON-LD for ``json``, N-Triples for csv/tsv, else Turtle."""
    if fmt == "json":
        return graph.serialize(format="json-ld", indent=2)
    if fmt in ("csv", "tsv"):
        return "".join(sorted(graph.serialize(format="nt").splitlines(keepends=True)))
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph.serialize(format="turtle")
