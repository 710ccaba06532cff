"""Answers as spreadsheets: one sheet (or CSV file) per question, a study register, and a
provenance sheet.

Programme leads and reviewers work in spreadsheets. A workbook holds the answer of each
question asked, each on its own sheet; the ``studies`` register (every study with its country,
citation, DOI and the kinds of source its records were read in), so that any row's study can be
looked up and weighed; and a ``provenance`` sheet that says what was asked (question, file,
parameters, rows), of which graph, by which engine, when, and with which ipskg, and how IRIs
were shortened.

Cells hold what the answer holds: numbers as numbers (a spreadsheet can sort them), IRIs
shortened with the ipskg prefixes, every text as text, never a formula (a value that starts with
``=`` stays the text it is), control characters written as escapes. The CSV form is one CSV
file per sheet with the same cells (formula-like cells neutralised, as ``ipskg query -f csv``
does) and the provenance as ``provenance.csv``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ipskg.model.display import neutralise_formula, visible
from ipskg.model.errors import InputError
from ipskg.model.namespaces import PREFIXES
from ipskg.sparql.catalogue import CompetencyQuery
from ipskg.sparql.catalogue import answer as ask
from ipskg.sparql.results import compact
from ipskg.sparql.store import SelectResult, Store, Term

__all__ = [
    "REGISTER",
    "SYNTHESIS",
    "Sheet",
    "answer_sheets",
    "csv_files",
    "provenance_rows",
    "xlsx_bytes",
]

# The questions a workbook holds when none are named: the evidence map and the synthesis
# questions across studies (docs/evidence-map.md), and the outcomes beside them.
SYNTHESIS: tuple[str, ...] = (
    "evidence-map",
    "convergence",
    "contradictions",
    "gaps",
    "strategies-for-barriers",
    "determinant-evidence-weight",
    "outcomes",
)
REGISTER = "studies"  # always added: the study behind every row, with its sources

_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#float",
}
_SHEET_NAME_MAX = 31  # the xlsx limit
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    """One question's answer: its sheet name, the question, the parameters it was asked with."""

    name: str
    query: CompetencyQuery
    parameters: dict[str, str]
    result: SelectResult = field(repr=False)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _NOT_IN_SHEET_NAME.sub("-", name)[:_SHEET_NAME_MAX] or "answer"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f"-{n}"
        candidate, n = base[: _SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def answer_sheets(
    store: Store, queries: Sequence[CompetencyQuery], values: dict[str, str]
) -> list[Sheet]:
    """Ask each query with the parameters it takes out of ``values``; a parameter that none of
    them takes is an error, and so is a query that is not a SELECT (a table needs rows)."""
    takes = {p.name for q in queries for p in q.parameters}
    unknown = sorted(set(values) - takes)
    if unknown:
        raise InputError(
            f"no question in this workbook takes the parameter {unknown[0]!r}",
            field="--param",
            hint="the questions' parameters: " + (", ".join(sorted(takes)) or "none"),
        )
    sheets: list[Sheet] = []
    taken = {"provenance"}
    for query in queries:
        if query.form != "SELECT":
            raise InputError(
                f"{query.name!r} is a {query.form} query: a sheet holds a SELECT query's table",
                field="QUESTIONS",
                hint="name SELECT questions (ipskg query --list)",
            )
        mine = {k: v for k, v in values.items() if query.parameter(k) is not None}
        answer = ask(query, mine, store)
        assert isinstance(answer, SelectResult)  # a SELECT query's answer
        sheets.append(Sheet(_sheet_name(query.name, taken), query, mine, answer))
    return sheets


def _cell(term: Term | None) -> Any:
    """A result term as a spreadsheet cell: numbers as numbers, IRIs shortened, text as text."""
    if term is None:
        return None
    if term.kind == "literal" and term.datatype in _NUMERIC:
        if term.datatype == "http://www.w3.org/2001/XMLSchema#integer":
            try:
                return int(term.value)
            except ValueError:
                return visible(term.value)
        try:
            number = float(term.value)
        except ValueError:
            return visible(term.value)
        # INF and NaN have no cell of their own: kept as the text the answer gives
        return number if math.isfinite(number) else visible(term.value)
    return visible(compact(term))


def _parameter_text(query: CompetencyQuery, name: str, given: dict[str, str]) -> str:
    """How a parameter was set: the value given, its default, or no restriction."""
    if name in given:
        return f"{name}={given[name]}"
    param = query.parameter(name)
    if param is not None and param.default is not None:
        return f"{name}={param.default} (default)"
    return f"{name}: any"


def provenance_rows(
    sheets: Sequence[Sheet], *, graph: str, engine: str, version: str, when: datetime | None = None
) -> list[list[Any]]:
    """What the workbook answers and where it comes from, as rows of a two-part table: the
    run (graph, engine, time, ipskg version), then one row per sheet, then the prefixes."""
    when = when or datetime.now(timezone.utc)
    rows: list[list[Any]] = [
        ["about", "value"],
        ["graph", graph],
        ["engine", engine],
        ["asked at", when.strftime("%Y-%m-%dT%H:%M:%SZ")],
        ["ipskg version", version],
        [
            "how to read",
            "Each row of a sheet names its study; the studies sheet gives each study's "
            "country, citation, DOI and the kinds of source its records were read in (full "
            "text, abstract, secondary summary, index entry). Ratings are never added up across "
            "studies. IRIs are shortened with the prefixes below.",
        ],
        [],
        ["sheet", "question", "title", "file", "parameters", "rows", "asks"],
    ]
    for sheet in sheets:
        q = sheet.query
        given = "; ".join(_parameter_text(q, p.name, sheet.parameters) for p in q.parameters)
        rows.append(
            [
                sheet.name,
                q.name,
                q.title,
                f"queries/{q.path.parent.name}/{q.path.name}" if q.bundled else str(q.path),
                given or "none",
                len(sheet.result),
                q.question,
            ]
        )
    rows += [[], ["prefix", "namespace"]]
    rows += [[prefix, str(ns)] for prefix, ns in sorted(PREFIXES.items())]
    return rows


def _table(sheet: Sheet) -> Iterable[list[Any]]:
    yield list(sheet.result.columns)
    for row in sheet.result.rows:
        yield [_cell(t) for t in row]


def xlsx_bytes(sheets: Sequence[Sheet], provenance: list[list[Any]]) -> bytes:
    """The workbook: one sheet per answer, then ``provenance``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    tables = [(s.name, list(_table(s)), True) for s in sheets]
    tables.append(
        (
            "provenance",
            [[visible(c) if isinstance(c, str) else c for c in r] for r in provenance],
            False,
        )
    )
    for name, rows, header_frozen in tables:
        ws = book.create_sheet(name)
        for r, values in enumerate(rows, 1):
            for c, value in enumerate(values, 1):
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula
        bold = Font(bold=True)
        for r, values in enumerate(rows, 1):
            if r == 1 or (values and values[0] in ("sheet", "prefix")):
                for c in range(1, len(values) + 1):
                    ws.cell(row=r, column=c).font = bold
        if header_frozen:
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
        widths: dict[int, int] = {}
        for values in rows:
            for c, value in enumerate(values, 1):
                widths[c] = max(widths.get(c, 0), min(len(str(value or "")), 60))
        for c, width in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = max(width + 2, 8)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            ["" if v is None else neutralise_formula(v) if isinstance(v, str) else v for v in row]
        )
    return out.getvalue().encode("utf-8")


def csv_files(sheets: Sequence[Sheet], provenance: list[list[Any]]) -> dict[str, bytes]:
    """One CSV file per sheet (``<sheet>.csv``) and ``provenance.csv``; cells as in the
    workbook, and a cell a spreadsheet would run as a formula neutralised as ``ipskg query -f
    csv`` does."""
    files = {f"{s.name}.csv": _csv(_table(s)) for s in sheets}
    files["provenance.csv"] = _csv(provenance)
    return files
