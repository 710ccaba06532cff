"""``ipskg validate``: check new case data against the shapes, with located results."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ipskg.model.formats import REPORT_FORMATS

from . import format_option, handle_errors, progress, say

__all__ = ["COMMANDS"]


@click.command("validate")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option(
    REPORT_FORMATS,
    "text",
    "Report format: readable text, JSON, or the standard sh:ValidationReport in Turtle.",
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
    help="A built graph (ipskg.ttl / .nt, any size) that the new data may refer "
    "to; default: the bundled studies. Read with Oxigraph; only the records the new data "
    "refers to are taken out of it.",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Like --graph, from a persistent store made by ipskg load (nothing is parsed again).",
)
@click.option(
    "--whole",
    is_flag=True,
    help="Validate whole graphs: every record in the given .nt/.ttl/.jsonld files (a built "
    "graph, a registry export), with the ontology, instead of new data against a graph.",
)
@click.option(
    "--engine",
    type=click.Choice(["pyshacl", "turbo", "sparql"]),
    default=None,
    help="SHACL engine (default: pyshacl-turbo for new data; with --whole, sparql: the shapes "
    "compiled to SPARQL and run on Oxigraph). All three give pySHACL's results.",
)
@handle_errors
def validate_cmd(
    inputs: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    graph_file: Path | None,
    whole: bool,
    engine: str | None,
    store_dir: Path | None,
) -> None:
    """Validate new case data (study folders, their study.yaml, or RDF files), or whole graphs.

    RDF files are read by their suffix: .ttl (Turtle), .nt (N-Triples), .jsonld or .json
    (JSON-LD), .rdf, .owl or .xml (RDF/XML).

    The data is checked with the ontology and with the records of the existing graph it
    refers to; only the new data is reported. With --whole, every record of the given RDF
    files is checked. Exit 0 when it conforms, 1 when it does not, 2 for unreadable input or
    wrong arguments, 3 when ipskg's own shapes are broken.
    """
    from ipskg.shacl.validate import DEFAULT_ENGINE, WHOLE_ENGINE, render_text, validate_paths

    if whole:
        if graph_file is not None or store_dir is not None:
            raise click.UsageError(
                "--whole validates the files themselves; leave out --graph and --store"
            )
        from ipskg.shacl.validate import validate_whole

        report = validate_whole(inputs, engine=engine or WHOLE_ENGINE)
    else:
        _hint_whole(inputs)
        existing = None
        if graph_file is not None and store_dir is not None:
            raise click.UsageError("give the existing graph as --graph FILE or --store DIR")
        if graph_file is not None or store_dir is not None:
            from ipskg.shacl.validate import reference_graph

            existing = reference_graph(graph_file, store_dir)
        report = validate_paths(inputs, existing=existing, engine=engine or DEFAULT_ENGINE)
    if report.note:  # e.g. which engine ran instead of the one asked for, and why
        say(f"note: {report.note}")
    if fmt == "json":
        text = report.to_json()
    elif fmt == "ttl":
        text = report.to_turtle()
    else:
        text = render_text(report)
    if output is not None:
        from ipskg.io.writers import atomic_write

        atomic_write(output, text.encode("utf-8"))
        say(f"wrote {output}")
    else:
        click.echo(text, nl=False)
    if fmt != "text" or output is not None:
        say(report.summary())
    sys.exit(0 if report.conforms else 1)


LARGE_RDF_BYTES = 5_000_000


def _hint_whole(inputs: tuple[Path, ...]) -> None:
    """Large RDF files are better checked with --whole (Oxigraph and the compiled shapes)."""
    from ipskg.model.formats import RDF_INPUT_SUFFIXES

    size = sum(
        p.stat().st_size
        for p in inputs
        if p.suffix.lower() in RDF_INPUT_SUFFIXES and p.is_file() and not p.is_symlink()
    )
    if size > LARGE_RDF_BYTES:
        say(
            f"note: {size / 1e6:.0f} MB of RDF: checking it as new data can take a while; "
            "ipskg validate --whole checks whole graphs several times faster"
        )
    progress("validating")


COMMANDS = [validate_cmd]
