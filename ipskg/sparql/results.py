"""Render query answers: a readable table, CSV, TSV, SPARQL 1.1 JSON results, or Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from rdflib import Graph

from ipskg.model.display import neutralise_formula, visible
from ipskg.model.namespaces import PREFIXES, curie
from ipskg.sparql.store import SelectResult, Term

__all__ = ["FORMATS", "compact", "render", "render_boolean", "render_graph"]

_CELL_WIDTH = 80


def compact(term: Term | None) -> str:
    """A term for people: IRIs shortened with the ipskg prefixes, literals as their text."""
    if term is None:
        return ""
    if term.kind == "uri":
        return curie(term.value) or f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


def _plain(term: Term | None) -> str:
    return "" if term is None else term.value


def _csv(result: SelectResult, raw: bool = False) -> str:
    """SPARQL 1.1 CSV results; a cell a spreadsheet would run as a formula is neutralised with
    a leading apostrophe unless ``raw`` (``ipskg query --raw-csv``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.rows:
        cells = [_plain(t) for t in row]
        writer.writerow(cells if raw else [neutralise_formula(c) for c in cells])
    return out.getvalue()


_TSV_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}
    | {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if c not in (9, 10, 13)}
)


def _tsv_term(term: Term | None) -> str:
    """One RDF term as the W3C SPARQL 1.1 TSV results format writes it (Turtle syntax)."""
    if term is None:
        return ""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    text = '"' + term.value.translate(_TSV_ESCAPES) + '"'
    if term.lang:
        return f"{text}@{term.lang}"
    if term.datatype:
        return f"{text}^^<{term.datatype}>"
    return text


def _tsv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/): a
    header of ``?variables`` and every cell an RDF term in Turtle syntax."""
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json(result: SelectResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def _one_line(text: str) -> str:
    """One line for a terminal or a Markdown cell, control characters written out visibly."""
    return visible(" ".join(text.split()))


def _table(result: SelectResult) -> str:
    def cell(term: Term | None) -> str:
        text = _one_line(compact(term))
        return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"

    cells = [[cell(t) for t in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def _markdown(result: SelectResult) -> str:
    def cell(term: Term | None) -> str:
        return _one_line(compact(term)).replace("|", "\\|")

    lines = [
        "| " + " | ".join(result.columns) + " |",
        "|" + "|".join("---" for _ in result.columns) + "|",
    ]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[SelectResult], str]] = {
    "table": _table,
    "csv": _csv,
    "tsv": _tsv,
    "json": _json,
    "md": _markdown,
}


def render(result: SelectResult, fmt: str, raw_csv: bool = False) -> str:
    """A SELECT answer in one of :data:`FORMATS`."""
    if fmt == "csv":
        return _csv(result, raw=raw_csv)
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
