"""``ipskg ontology`` (write the merged ontology) and ``ipskg reason`` (HermiT via owlready2)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import handle_errors, output_option, say

__all__ = ["COMMANDS"]

_FORMATS = ["ttl", "xml", "jsonld", "nt"]


@click.command("ontology")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="ttl",
    show_default=True,
    help="ttl = Turtle, xml = RDF/XML (opens in Protégé), jsonld, nt.",
)
@output_option
@handle_errors
def ontology_cmd(fmt: str, output: str | None) -> None:
    """Write the merged ontology (all modules, one file)."""
    from ipskg.io.writers import atomic_write, serialize
    from ipskg.vocab.ontology import ontology_graph

    data = serialize(ontology_graph(), fmt)
    if output:
        atomic_write(Path(output), data)
        say(f"wrote {output}")
    else:
        sys.stdout.buffer.write(data)


@click.command("reason")
@click.option(
    "--data",
    "with_data",
    is_flag=True,
    help="Also classify the built study data (DL reasoning when small, rules otherwise).",
)
@click.option(
    "--max-individuals",
    default=1000,
    show_default=True,
    help="Above this many individuals, data is classified with SPARQL rules, not HermiT.",
)
@handle_errors
def reason_cmd(with_data: bool, max_individuals: int) -> None:
    """Check the ontology is consistent (HermiT, needs Java) and list inferred memberships."""
    from ipskg.vocab.reasoning import reason

    report = reason(with_data=with_data, max_individuals=max_individuals)
    click.echo(report.render())
    if not report.consistent or report.unsatisfiable:
        sys.exit(1)


COMMANDS = [ontology_cmd, reason_cmd]
