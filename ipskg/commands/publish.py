"""``ipskg publish``: load the built graph into a named graph on a SPARQL 1.1 server."""

from __future__ import annotations

from pathlib import Path

import click

from ipskg.io.http import DEFAULT_TIMEOUT

from . import SECONDS, checked_build, handle_errors, merge_options, say, study_options

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
@study_options
@merge_options
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
    type=SECONDS,
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds to wait for each answer of the server.",
)
@handle_errors
def publish_cmd(
    endpoint: str,
    graph_iri: str,
    graph_file: Path | None,
    data_root: Path | None,
    study_dirs: tuple[Path, ...],
    merge_files: tuple[Path, ...],
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
    from ipskg.export.publish import graph_lines, publish, read_graph_file
    from ipskg.io.http import check_url, load_credentials

    credentials = load_credentials()
    check_url(endpoint, "--endpoint", credentials)  # before any slow build
    if graph_file is not None:
        if data_root or study_dirs or merge_files:
            raise click.UsageError(
                "--graph-file publishes a built file: leave out --data, --study and --merge"
            )
        lines = read_graph_file(graph_file)
        source = str(graph_file)
    else:
        built, _ = checked_build(
            data_root, study_dirs, merge_files, validate=not no_validate, nothing="published"
        )
        lines = graph_lines(built.graph)
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


COMMANDS = [publish_cmd]
