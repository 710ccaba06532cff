"""``ipskg ontology``: write the merged ontology (every module in one file)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ipskg.model.formats import ONTOLOGY_FORMATS

from . import format_option, handle_errors, output_option, say

__all__ = ["COMMANDS"]


@click.command("ontology")
@format_option(
    ONTOLOGY_FORMATS, "ttl", "ttl = Turtle, xml = RDF/XML (opens in Protégé), jsonld, nt."
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


COMMANDS = [ontology_cmd]
