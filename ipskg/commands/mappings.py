"""``ipskg mappings``: validate the SSSOM mapping tables and export them as SKOS triples."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ipskg.model.formats import BUILD_FORMATS

from . import format_option, handle_errors, output_option, say

__all__ = ["COMMANDS"]


@click.group("mappings")
def mappings_cmd() -> None:
    """SSSOM mappings to CFIR 2009, Proctor, CPO/BCIO/PSDO, MeSH, Wikidata and PubMed."""


@mappings_cmd.command("validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@handle_errors
def validate_cmd(files: tuple[Path, ...]) -> None:
    """Check mapping tables with the sssom library and ipskg's rules (default: the bundled ones).

    Exit 0 if every table is valid, 1 if any problem was found (each is listed on stderr).
    """
    from ipskg.vocab.ontology import ontology_graph
    from ipskg.vocab.sssom import mapping_files, validate_mappings

    paths = list(files) or mapping_files()
    issues = validate_mappings(paths, ontology_graph())
    for issue in issues:
        say(f"error: {issue.render()}")
    if issues:
        say(f"{len(issues)} problem(s) in {len(paths)} mapping table(s)")
        sys.exit(1)
    say(f"{len(paths)} mapping table(s) valid")


@mappings_cmd.command("export")
@format_option(BUILD_FORMATS, "ttl", "RDF format.")
@click.option(
    "--candidates",
    is_flag=True,
    help="Also export candidate mappings (unverified; left out of the built graph).",
)
@output_option
@handle_errors
def export_cmd(fmt: str, candidates: bool, output: str | None) -> None:
    """Write the mappings as SKOS triples (one per table row)."""
    from ipskg.io.writers import atomic_write, serialize
    from ipskg.vocab.sssom import mapping_graph

    data = serialize(mapping_graph(include_candidates=candidates), fmt)
    if output:
        atomic_write(Path(output), data)
        say(f"wrote {output}")
    else:
        click.echo(data.decode("utf-8"), nl=False)


COMMANDS = [mappings_cmd]
