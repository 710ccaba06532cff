"""Render query answers: a readable table, CSV, TSV, SPARQL 1.1 JSON results, or Markdown."""

from __future__ import annotations

import csv
import io
import json
import textwrap
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


def _fit(widths: list[int], headers: list[str], width: int) -> list[int]:
    """Column widths that fit ``width`` characters with two spaces between columns. Each column
    keeps at least its header (up to 20 characters) or 12 characters, or its natural width if
    less; with too many columns for that, an equal share (at least 4). The room left is shared
    in proportion to how much more each column's text needs."""
    budget = width - 2 * (len(widths) - 1)
    if sum(widths) <= budget:
        return widths
    floor = [min(w, max(12, min(len(h), 20))) for w, h in zip(widths, headers, strict=True)]
    if sum(floor) > budget:
        floor = [min(w, max(4, budget // len(widths))) for w in widths]
    room = budget - sum(floor)
    if room <= 0:
        return floor
    wants = [w - f for w, f in zip(widths, floor, strict=True)]
    total = sum(wants)
    extra = [want * room // total for want in wants]
    for i in sorted(range(len(wants)), key=lambda i: -wants[i])[: room - sum(extra)]:
        extra[i] += 1
    return [f + e for f, e in zip(floor, extra, strict=True)]


def _table(result: SelectResult, width: int | None = None) -> str:
    """A table for people; with ``width`` (the terminal's), long cells are wrapped onto more
    lines so that the table fits."""

    def cell(term: Term | None) -> str:
        text = _one_line(compact(term))
        return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"

    cells = [[cell(t) for t in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    if width is not None:
        widths = _fit(widths, list(result.columns), width)

    def lines_of(row: list[str]) -> list[str]:
        wrapped = [
            (textwrap.wrap(c, w, break_long_words=True, break_on_hyphens=False) or [""])
            if len(c) > w
            else [c]
            for c, w in zip(row, widths, strict=True)
        ]
        height = max(len(w) for w in wrapped)
        return [
            "  ".join(
                (w[k] if k < len(w) else "").ljust(n) for w, n in zip(wrapped, widths, strict=True)
            ).rstrip()
            for k in range(height)
        ]

    lines = lines_of(list(result.columns))
    lines.append("  ".join("-" * w for w in widths))
    for r in cells:
        lines += lines_of(r)
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


def render(result: SelectResult, fmt: str, raw_csv: bool = False, width: int | None = None) -> str:
    """A SELECT answer in one of :data:`FORMATS`; ``width`` fits a ``table`` to a terminal of
    that many columns (the other formats always hold the full text)."""
    if fmt == "csv":
        return _csv(result, raw=raw_csv)
    if fmt == "table":
        return _table(result, width)
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
