"""A study's CFIR ratings as a construct × unit matrix (``ipskg matrix``), the layout that
``ipskg import matrix`` reads: one row per construct (and role), one column per unit by id, a
cell per rating as the CFIR scheme writes it, empty where the unit was not rated.

The ratings come from the graph through the bundled question ``rating-matrix`` (the study is a
bound parameter). A workbook holds every cell as text (``-1`` stays ``-1``, never a number or a
formula); a CSV file neutralises a text cell that a spreadsheet would run as a formula, as
``ipskg query -f csv`` does (ratings are numbers or single letters and stay as written).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from ipskg.model.display import neutralise_formula, visible
from ipskg.model.errors import InputError
from ipskg.sparql.catalogue import answer, catalogue
from ipskg.sparql.store import SelectResult, Store
from ipskg.studies.matrix import (
    ROLE_HEADER,
    parse_rating,
    phase_term,
    rating_text,
    term_notation,
)

__all__ = ["MATRIX_QUESTION", "Matrix", "matrix_csv", "matrix_xlsx", "rating_matrix"]

MATRIX_QUESTION = "rating-matrix"
SHEET = "ratings"


@dataclass
class Matrix:
    """The header and rows of a rating matrix, every cell text ("" where not rated)."""

    study: str
    phase: str | None
    header: list[str]
    rows: list[list[str]]

    @property
    def ratings(self) -> int:
        return sum(1 for row in self.rows for cell in row[self.first_unit :] if cell)

    @property
    def first_unit(self) -> int:
        return 2 if len(self.header) > 1 and self.header[1] == ROLE_HEADER else 1


def _notation_key(notation: str) -> tuple[Any, ...]:
    """Sort key of a CFIR notation: II.A before III.A before IV.C.A, III.A.2 before III.A.10
    (the domain is a Roman numeral, the rest letters or numbers)."""
    domain, *rest = notation.split(".")
    numerals = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
    return (
        numerals.get(domain, 9),
        domain,
        *((int(p), "") if p.isdigit() else (0, p) for p in rest),
    )


def rating_matrix(store: Store, study: str, phase: str | None = None) -> Matrix:
    """The ratings of ``study`` (in ``phase``, by notation or label, when given) as a matrix; a
    cell that would hold two ratings (two phases, no phase asked for) is an error that names
    the phases."""
    phase_notation = term_notation(phase_term(phase)) if phase is not None else None
    result = answer(catalogue()[MATRIX_QUESTION], {"study": study}, store)
    assert isinstance(result, SelectResult)
    rows = [
        {c: ("" if t is None else t.value) for c, t in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]
    if phase_notation is not None:
        rows = [r for r in rows if r["phase"] == phase_notation]
    kinds: dict[str, set[str]] = {}
    for r in rows:
        kinds.setdefault(r["unit"], set()).add(r["unit_kind"])

    def column(r: dict[str, str]) -> str:
        shared = len(kinds[r["unit"]]) > 1  # a case and a group with one id: say which
        kind = "case_group" if r["unit_kind"] == "group" else r["unit_kind"]
        return f"{kind}:{r['unit']}" if shared else r["unit"]

    units = sorted({column(r) for r in rows})
    keys = sorted(
        {(r["construct_notation"], r["role_notation"]) for r in rows},
        key=lambda k: (_notation_key(k[0]), _notation_key(k[1]) if k[1] else ()),
    )
    cells: dict[tuple[str, str, str], dict[str, str]] = {}
    for r in rows:
        cell = cells.setdefault((r["construct_notation"], r["role_notation"], column(r)), {})
        parsed = parse_rating(r["rating"])
        cell[r["phase"]] = rating_text(*parsed) if parsed else r["rating"]
    for (construct, role, unit), by_phase in cells.items():
        if len(by_phase) > 1:
            named = sorted({r["phase"] or "(no phase)" for r in rows})
            raise InputError(
                f"{construct}{' ' + role if role else ''} in {unit!r} has "
                f"{len(by_phase)} ratings, one per phase ("
                + ", ".join(f"{p or '(no phase)'} {v}" for p, v in sorted(by_phase.items()))
                + "): a cell holds one",
                field="--phase",
                hint="pass --phase with one of the study's phases: " + ", ".join(named),
            )
    has_role = any(role for _, role in keys)
    header = ["construct", *([ROLE_HEADER] if has_role else []), *units]
    table = []
    for construct, role in keys:
        line = [construct, *([role] if has_role else [])]
        line += [next(iter(cells.get((construct, role, u), {"": ""}).values())) for u in units]
        table.append(line)
    return Matrix(study, phase_notation, header, table)


def matrix_xlsx(matrix: Matrix) -> bytes:
    """The matrix as a one-sheet workbook (``ratings``), every cell text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = SHEET
    bold = Font(bold=True)
    for r, values in enumerate([matrix.header, *matrix.rows], 1):
        for c, value in enumerate(values, 1):
            if not value:
                continue
            cell = ws.cell(row=r, column=c, value=visible(value))
            cell.data_type = "s"  # text, never a number or a formula
            if r == 1 or c <= matrix.first_unit:
                cell.font = bold
    ws.freeze_panes = ws.cell(row=2, column=matrix.first_unit + 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def matrix_csv(matrix: Matrix) -> bytes:
    """The matrix as CSV (UTF-8, CRLF); text cells that a spreadsheet would run as a formula
    get a leading apostrophe, ratings stay as written."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for r, values in enumerate([matrix.header, *matrix.rows]):
        writer.writerow(
            [
                v if r and c >= matrix.first_unit else neutralise_formula(visible(v))
                for c, v in enumerate(values)
            ]
        )
    return out.getvalue().encode("utf-8")
