"""Reading a table the user keeps in a spreadsheet: one sheet of an ``.xlsx`` workbook or a
``.csv`` file, as rows of cell values that know where each cell is (file, sheet, row, column).

A workbook is a zip of XML files, so before openpyxl opens it the file's size, the number of
its parts, their unpacked size and their compression ratio are checked (a zip bomb is refused,
never unpacked), and a sheet larger than :data:`MAX_ROWS` × :data:`MAX_COLUMNS` is refused
rather than read. Cells are read as values, never evaluated: a formula's cached value is used,
and a formula without one (a file written by a program that does not compute) is an error that
says so. CSV files are UTF-8 (a byte-order mark is dropped), separated by commas, semicolons or
tabs, whichever the header row uses most.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipskg.io.files import decode_utf8, read_bytes
from ipskg.model.errors import InputError

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "TABLE_SUFFIXES", "Table", "read_table"]

MAX_TABLE_BYTES = 20 * 1024 * 1024
"""Largest spreadsheet file read; a rating matrix is a few kilobytes."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""Largest total size of a workbook's parts once unpacked."""
MAX_PARTS = 10_000
MAX_RATIO = 200
"""Largest compression ratio of a workbook part: XML packs well, a zip bomb far better."""
MAX_ROWS = 10_000
MAX_COLUMNS = 1_000
TABLE_SUFFIXES = (".xlsx", ".csv")


@dataclass
class Table:
    """The rows of one sheet (or CSV file), row 1 first; a cell is None when empty, else text
    (CSV, and text cells of a workbook), a number or a date as the workbook stores it."""

    path: Path
    sheet: str | None  # None for a CSV file
    rows: list[list[Any]] = field(default_factory=list)

    def cell(self, row: int, column: int, *, quoted: bool = True) -> str:
        """A cell's name: ``sheet 'Ratings', cell D7`` in a workbook, ``row 7, column 4`` in a
        CSV file (1-based)."""
        if self.sheet is None:
            return f"row {row}, column {column}"
        from openpyxl.utils import get_column_letter

        sheet = repr(self.sheet) if quoted else self.sheet
        return f"sheet {sheet}, cell {get_column_letter(column)}{row}"

    def where(self, row: int, column: int | None = None, header: str | None = None) -> str:
        """Where a cell (or a row) is, for a message: the file, the sheet, the row and the
        column (a letter in a workbook, a number in a CSV file) with its header."""
        if column is None:
            sheet = f", sheet {self.sheet!r}" if self.sheet is not None else ""
            return f"{self.path}{sheet}, row {row}"
        text = f"{self.path}, {self.cell(row, column)}"
        if self.sheet is not None:
            text += f" (row {row})"
        return text + (f", column header {header!r}" if header else "")


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The cells of ``path`` (``.xlsx``: the sheet named ``sheet``, by default the first;
    ``.csv``: the file, which has no sheets)."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(
            f"cannot read a {path.suffix or 'suffix-less'} file as a table",
            file=path,
            hint="give an .xlsx workbook or a .csv file (save the sheet as one of them)",
        )
    data = read_bytes(path, "spreadsheet", MAX_TABLE_BYTES)
    if suffix == ".csv":
        if sheet is not None:
            raise InputError(
                "a CSV file has no sheets", file=path, field="--sheet", hint="leave out --sheet"
            )
        return Table(path, None, _csv_rows(data, path))
    return _xlsx_table(data, path, sheet)


def _csv_rows(data: bytes, path: Path) -> list[list[Any]]:
    text = decode_utf8(data, path).removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise InputError(
            f"not a well-formed CSV file: {exc}",
            file=path,
            hint="re-save it as CSV (UTF-8) from the spreadsheet program",
        ) from None
    _check_size(path, len(rows), max((len(r) for r in rows), default=0))
    return [[cell if cell.strip() else None for cell in row] for row in rows]


def _check_size(path: Path, rows: int, columns: int, sheet: str | None = None) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        where = f"the sheet {sheet!r}" if sheet else "the table"
        raise InputError(
            f"{where} spans {rows} rows and {columns} columns, more than the {MAX_ROWS} rows "
            f"and {MAX_COLUMNS} columns read here",
            file=path,
            hint="keep only the table itself on the sheet (delete stray cells far below or to "
            "the right of it)",
        )


def _check_zip(data: bytes, path: Path) -> None:
    """Refuse a file that is not a zip, or whose parts are too many or unpack too large."""
    not_workbook = InputError(
        "not an .xlsx workbook (it is not a zip file)",
        file=path,
        hint="save the sheet as an Excel workbook (.xlsx) or as CSV; .xls and .ods are not read",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise not_workbook from None
    with archive:
        parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise InputError(f"the workbook has {len(parts)} parts; refused", file=path)
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_RATIO * max(part.compress_size, 1024) or total > (
            MAX_UNPACKED_BYTES
        ):
            raise InputError(
                "the workbook unpacks to far more than its size (a zip bomb?); it is not read",
                file=path,
                hint="re-save it from a spreadsheet program, or save the sheet as CSV",
            )


def _xlsx_table(data: bytes, path: Path, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    _check_zip(data, path)
    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise InputError(
            f"cannot read the workbook: {type(exc).__name__}: {exc}",
            file=path,
            hint="open it in a spreadsheet program and save it again as .xlsx",
        ) from None
    try:
        names = values.sheetnames
        if sheet is None:
            if not names:
                raise InputError("the workbook has no sheets", file=path)
            sheet = names[0]
        if sheet not in names:
            raise InputError(
                f"the workbook has no sheet {sheet!r}",
                file=path,
                field="--sheet",
                hint="its sheets: " + ", ".join(repr(n) for n in names),
            )
        ws, fs = values[sheet], formulas[sheet]
        _check_size(path, ws.max_row or 0, ws.max_column or 0, sheet)
        table = Table(path, sheet)
        for r, (row, frow) in enumerate(
            zip(
                ws.iter_rows(max_row=MAX_ROWS + 1, values_only=True),
                fs.iter_rows(max_row=MAX_ROWS + 1, values_only=True),
                strict=False,
            ),
            1,
        ):
            _check_size(path, r, len(row), sheet)
            cells: list[Any] = []
            for c, (value, raw) in enumerate(zip(row, frow, strict=False), 1):
                if value is None and isinstance(raw, str) and raw.startswith("="):
                    raise InputError(
                        f"the cell holds the formula {raw!r} with no computed value "
                        "(the file was written by a program that does not compute formulas)",
                        file=table.where(r, c),
                        hint="open the file in a spreadsheet program and save it (which stores "
                        "the values), or type the rating into the cell",
                    )
                if isinstance(value, str) and not value.strip():
                    value = None
                cells.append(value)
            while cells and cells[-1] is None:
                cells.pop()
            table.rows.append(cells)
        return table
    finally:
        values.close()
        formulas.close()
