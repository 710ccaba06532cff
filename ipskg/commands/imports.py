"""``ipskg import``: bring a study's coding in from the files researchers keep it in (a CFIR
rating matrix, a REFI-QDA project; each format a subcommand of the group)."""

from __future__ import annotations

from pathlib import Path

import click

from . import handle_errors, say
from .qdpx import codes_map_cmd, qdpx_cmd

__all__ = ["COMMANDS", "import_cmd"]


@click.group("import")
def import_cmd() -> None:
    """Bring coded data into a study folder (see docs/import.md)."""


@import_cmd.command("matrix")
@click.argument("matrix", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--study",
    "study_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The study folder to add the ratings to (data/studies/ID).",
)
@click.option(
    "--source",
    required=True,
    metavar="SECTION",
    help='Where the matrix was read, as evidence_source: of every rating, e.g. "Results > '
    'Table 3".',
)
@click.option("--sheet", default=None, help="The workbook's sheet (default: the first).")
@click.option(
    "--phase",
    default=None,
    help="The implementation phase of every rating (pre-implementation, implementation, "
    "sustainment); default: none recorded.",
)
@click.option(
    "--attributed-to",
    "attributed_to",
    type=click.Choice(["authors", "curation"]),
    default="curation",
    show_default=True,
    help="authors: the study printed these ratings; curation: the curators coded them.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Rewrite the records an earlier import of the same cells wrote (same ids); other "
    "records are never changed.",
)
@handle_errors
def matrix_cmd(
    matrix: Path,
    study_dir: Path,
    source: str,
    sheet: str | None,
    phase: str | None,
    attributed_to: str,
    replace: bool,
) -> None:
    """Read a CFIR rating matrix (.xlsx or .csv) into the study's observations.yaml.

    Row 1 is the header; column 1 the construct (III.F or Compatibility); an optional column
    headed "role" the role of an Individuals-domain row (IV.R.A); every other column a case or
    case group of the study. Cells: +2 +1 -1 -2 (2 1) 0 X M, empty = not rated. New ratings
    are appended to observations.yaml, which keeps its comments; nothing is written if any cell
    is wrong or rates what another record rates.

    \b
    Examples:
      ipskg import matrix ratings.xlsx --study data/studies/my-study --source "Results > Table 3"
      ipskg import matrix ratings.csv --study data/studies/my-study --source "Table 3" \\
          --phase sustainment --replace
    """
    from ipskg.io.tables import read_table
    from ipskg.io.writers import atomic_write
    from ipskg.studies.matrix import plan_import

    table = read_table(matrix, sheet)
    plan = plan_import(
        table,
        study_dir,
        source=source,
        phase=phase,
        attributed_to=attributed_to,
        replace=replace,
    )
    atomic_write(plan.path, plan.text.encode("utf-8"))
    say(
        f"wrote {plan.path}: {len(plan.added)} ratings added, {len(plan.replaced)} replaced; "
        f"check the study with: ipskg validate {study_dir}"
    )


import_cmd.add_command(qdpx_cmd)
import_cmd.add_command(codes_map_cmd)

COMMANDS = [import_cmd]
