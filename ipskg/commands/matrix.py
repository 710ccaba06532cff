"""``ipskg matrix``: a study's CFIR ratings as a construct × unit spreadsheet, the layout
``ipskg import matrix`` reads."""

from __future__ import annotations

from pathlib import Path

import click

from . import handle_errors, output_option, say
from .query import GraphSource, open_store, source_options

__all__ = ["COMMANDS"]


@click.command("matrix")
@click.argument("study")
@output_option(help="The matrix to write (atomically): FILE.xlsx or FILE.csv.")
@click.option(
    "--phase",
    default=None,
    help="Only the ratings of this phase (needed when a unit has one rating per phase).",
)
@source_options
@handle_errors
def matrix_cmd(
    study: str,
    output: str | None,
    phase: str | None,
    source: GraphSource,
) -> None:
    """Write the CFIR rating matrix of STUDY (a study id): a row per construct (and role), a
    column per unit (case or case group, by id), each cell a rating (+2 +1 0 -1 -2 X M) or
    empty where not rated. The ratings are read from the graph (question rating-matrix).

    \b
    Examples:
      ipskg matrix harkko-2025 --phase sustainment -o harkko.xlsx
      ipskg matrix my-study --graph out/ipskg.nt -o ratings.csv
    """
    from ipskg.export.matrix import matrix_csv, matrix_xlsx, rating_matrix
    from ipskg.io.writers import atomic_write
    from ipskg.model.errors import InputError

    suffix = Path(output).suffix.lower() if output else ""
    if suffix not in (".xlsx", ".csv"):
        raise InputError(
            "give the file to write with -o: FILE.xlsx (a workbook) or FILE.csv",
            field="-o",
            hint=f"e.g. ipskg matrix {study} -o ratings.xlsx",
        )
    assert output is not None
    with open_store(source) as store:
        matrix = rating_matrix(store, study, phase)
    body = matrix_xlsx(matrix) if suffix == ".xlsx" else matrix_csv(matrix)
    atomic_write(Path(output), body)
    say(
        f"wrote {output}: {len(matrix.rows)} rows, {len(matrix.header) - matrix.first_unit} "
        f"units, {matrix.ratings} ratings"
    )


COMMANDS = [matrix_cmd]
