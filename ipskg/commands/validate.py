"""``ipskg validate``: check new case data against the shapes, with located results."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import handle_errors, say

__all__ = ["COMMANDS"]

_FORMATS = ("text", "json", "ttl")


@click.command("validate")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="text",
    show_default=True,
    help="Report format: readable text, JSON, or the standard sh:ValidationReport in Turtle.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file (atomically) instead of stdout.",
)
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A built graph (ipskg.ttl / .nt) that the new data may refer "
    "to; default: the bundled studies.",
)
@click.option(
    "--engine",
    type=click.Choice(["pyshacl", "turbo"]),
    default=None,
    help="SHACL engine (default: the faster one, pyshacl-turbo).",
)
@handle_errors
def validate_cmd(
    inputs: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    graph_file: Path | None,
    engine: str | None,
) -> None:
    """Validate new case data: study folders (or their study.yaml), .ttl or .jsonld files.

    The data is checked with the ontology and with the records of the existing graph it
    refers to; only the new data is reported. Exit 0 when it conforms, 1 when it does not,
    2 for unreadable input, 3 when ipskg's own shapes are broken.
    """
    from ..validate import DEFAULT_ENGINE, render_text, validate_paths

    existing = None
    if graph_file is not None:
        from ..newdata import read_rdf

        existing, _ = read_rdf(graph_file)
    report = validate_paths(inputs, existing=existing, engine=engine or DEFAULT_ENGINE)
    if fmt == "json":
        text = report.to_json()
    elif fmt == "ttl":
        text = report.to_turtle()
    else:
        text = render_text(report)
    if output is not None:
        from ..writers import atomic_write

        atomic_write(output, text.encode("utf-8"))
        say(f"wrote {output}")
    else:
        click.echo(text, nl=False)
    if fmt != "text" or output is not None:
        say(report.summary())
    sys.exit(0 if report.conforms else 1)


COMMANDS = [validate_cmd]
