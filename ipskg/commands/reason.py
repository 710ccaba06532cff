"""``ipskg reason``: HermiT (via owlready2) on the ontology, and optionally on the study data."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ipskg.model.errors import EXIT_NONCONFORMANT

from . import handle_errors, progress, study_options

__all__ = ["COMMANDS"]


@click.command("reason")
@click.option(
    "--with-data",
    is_flag=True,
    help="Also classify the study data (DL reasoning when small, SPARQL rules otherwise).",
)
@study_options
@click.option(
    "--max-individuals",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Above this many individuals, data is classified with SPARQL rules, not HermiT.",
)
@handle_errors
def reason_cmd(
    with_data: bool, data_root: Path | None, study_dirs: tuple[Path, ...], max_individuals: int
) -> None:
    """Check the ontology is consistent (HermiT, needs Java) and list inferred memberships.

    Exits 1 when the ontology (with the data) is inconsistent or has unsatisfiable classes.
    """
    from ipskg.vocab.reasoning import reason

    if (data_root or study_dirs) and not with_data:
        raise click.UsageError("--data and --study choose the data of --with-data: add it")
    data = None
    if with_data:
        from ipskg.studies.build import build

        data = build(data_root, list(study_dirs) or None, with_ontology=False).graph
    progress(
        "running HermiT (owlready2, Java) on the ontology" + (" and the data" if with_data else "")
    )
    report = reason(data, max_individuals=max_individuals)
    click.echo(report.render())
    if not report.consistent or report.unsatisfiable:
        sys.exit(EXIT_NONCONFORMANT)


COMMANDS = [reason_cmd]
