"""``ipskg publish``: load the built graph into a named graph on a SPARQL 1.1 server."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import handle_errors, say

__all__ = ["COMMANDS"]


@click.command("publish")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The server's SPARQL query endpoint, e.g. http://127.0.0.1:8890/sparql.",
)
@click.option(
    "--graph-iri",
    required=True,
    metavar="IRI",
    help="Named graph to replace, e.g. https://w3id.org/ipskg/graph.",
)
@click.option(
    "--graph-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Publish this file (.nt/.ttl from `ipskg build`) instead of building now.",
)
@click.option(
    "--data",
    "data_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="When building now: folder holding studies/<id>/.",
)
@click.option("--no-validate", is_flag=True, help="When building now: skip SHACL validation.")
@click.option(
    "--gsp-url",
    metavar="URL",
    default=None,
    help="Graph Store HTTP Protocol URL (found automatically on Virtuoso).",
)
@click.option(
    "--update-url",
    metavar="URL",
    default=None,
    help="SPARQL Update URL (default: --endpoint; Virtuoso: /sparql-auth).",
)
@click.option(
    "--via",
    type=click.Choice(["auto", "gsp", "update"]),
    default="auto",
    show_default=True,
    help="Upload by Graph Store Protocol or by INSERT DATA.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Triples per request (default 50000 by Graph Store, 1000 by update).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=300.0,
    show_default=True,
    help="Seconds to wait for each answer of the server.",
)
@handle_errors
def publish_cmd(
    endpoint: str,
    graph_iri: str,
    graph_file: Path | None,
    data_root: Path | None,
    no_validate: bool,
    gsp_url: str | None,
    update_url: str | None,
    via: str,
    batch_size: int | None,
    timeout: float,
) -> None:
    """Replace a named graph on a SPARQL 1.1 server with the ipskg graph.

    Uploads into a staging graph, checks the triple count, then swaps it in with one SPARQL
    Update MOVE, so readers see the old graph or the new one, never half of it. Credentials
    come from IPSKG_SPARQL_USER and IPSKG_SPARQL_PASSWORD, or from the INI file named by
    IPSKG_CONFIG ([sparql] user = …, password = …); never from the command line.
    """
    from ipskg.export.publish import publish, read_graph_file
    from ipskg.io.http import load_credentials

    credentials = load_credentials()
    if graph_file is not None:
        lines = read_graph_file(graph_file)
        source = str(graph_file)
    else:
        lines = _build_lines(data_root, no_validate)
        source = "the graph built from " + str(data_root or "the bundled data")
    say(f"publishing {len(lines)} triples from {source} to <{graph_iri}>")
    result = publish(
        lines,
        endpoint,
        graph_iri,
        credentials=credentials,
        gsp_url=gsp_url,
        update_url=update_url,
        via=via,
        batch_size=batch_size,
        timeout=timeout,
        progress=say,
    )
    say(
        f"published {result.triples} triples to <{result.graph_iri}> at {endpoint} by "
        f"{result.route} in {result.batches} batch(es); it held {result.previous_triples} "
        "triples before"
    )


def _build_lines(data_root: Path | None, no_validate: bool) -> list[str]:
    """Build (and by default validate) the graph in-process, as ``ipskg build`` does."""
    from ipskg.export.publish import graph_lines
    from ipskg.studies.build import build

    result = build(data_root)
    if not no_validate:
        from ipskg.shacl.validate import render_text, validate_build

        report = validate_build(result)
        if not report.conforms:
            click.echo(render_text(report), err=True)
            say(
                f"error: the graph does not conform ({report.violation_count} violations); "
                "nothing was published"
            )
            sys.exit(1)
    return graph_lines(result.graph)


COMMANDS = [publish_cmd]
