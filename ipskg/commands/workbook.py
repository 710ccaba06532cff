"""``ipskg workbook``: answers as a spreadsheet, one sheet per question, with provenance."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from . import format_option, handle_errors, out_dir_option, output_option, say
from .query import GraphSource, open_store, param_option, source_options

__all__ = ["COMMANDS"]

WORKBOOK_FORMATS = ("xlsx", "csv")


@click.command("workbook")
@click.argument("questions", nargs=-1)
@format_option(
    WORKBOOK_FORMATS,
    "xlsx",
    "xlsx: one workbook (-o FILE); csv: a folder of CSV files, one per sheet (--out-dir).",
)
@output_option(help="The workbook to write (atomically), e.g. evidence-map.xlsx.")
@out_dir_option(
    default=None, help="With -f csv: the folder to write (replaced all together, or not at all)."
)
@param_option
@source_options
@handle_errors
def workbook_cmd(
    questions: tuple[str, ...],
    fmt: str,
    output: str | None,
    outdir: Path | None,
    params: tuple[str, ...],
    source: GraphSource,
) -> None:
    """Answer QUESTIONS into a spreadsheet: one sheet each, the studies register, and a
    provenance sheet (graph, engine, time, ipskg version, each question's file and parameters).

    QUESTIONS are names from ``ipskg query --list`` or .rq files (SELECT queries); without
    any, the evidence map, the synthesis questions across studies and the outcomes. A
    --param is given to every question that takes it.

    \b
    Examples:
      ipskg workbook -o evidence.xlsx
      ipskg workbook convergence contradictions -p min_studies=3 -o recurring.xlsx
      ipskg workbook evidence-map -p country=Sweden -f csv --out-dir sweden/
    """
    from ipskg import __version__
    from ipskg.export.workbook import (
        REGISTER,
        SYNTHESIS,
        answer_sheets,
        csv_files,
        provenance_rows,
        xlsx_bytes,
    )
    from ipskg.io.writers import atomic_write, write_folder
    from ipskg.model.errors import InputError
    from ipskg.sparql.catalogue import parse_param_options, resolve

    if fmt == "xlsx" and (output is None or outdir is not None):
        raise InputError(
            "an xlsx workbook is one file: give -o FILE.xlsx (and no --out-dir)",
            field="-o",
            hint="e.g. ipskg workbook -o evidence.xlsx, or -f csv --out-dir FOLDER for CSV files",
        )
    if fmt == "csv" and (outdir is None or output is not None):
        raise InputError(
            "CSV sheets are a folder of files: give --out-dir FOLDER (and no -o)",
            field="--out-dir",
            hint="e.g. ipskg workbook -f csv --out-dir evidence/",
        )
    names = list(questions) or list(SYNTHESIS)
    if REGISTER not in names:
        names.append(REGISTER)
    queries = [resolve(name) for name in names]
    values = parse_param_options(params)
    with open_store(source) as store:
        sheets = answer_sheets(store, queries, values)
        store_name = store.name
    provenance = provenance_rows(
        sheets, graph=source.describe(), engine=store_name, version=__version__
    )
    if fmt == "xlsx":
        assert output is not None
        atomic_write(Path(output), xlsx_bytes(sheets, provenance))
        written = str(output)
    else:
        assert outdir is not None
        files = csv_files(sheets, provenance)
        write_folder(outdir, {name: functools.partial(bytes, body) for name, body in files.items()})
        written = f"{outdir}/ ({len(files)} files)"
    rows = ", ".join(f"{s.name} {len(s.result)}" for s in sheets)
    say(f"wrote {written}: {rows} rows")


COMMANDS = [workbook_cmd]
