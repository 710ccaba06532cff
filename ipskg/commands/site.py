"""``ipskg site``: a static evidence site from the validated graph, written as one folder."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from . import checked_build, handle_errors, progress, say

__all__ = ["COMMANDS"]


@click.command("site")
@click.option(
    "-o",
    "--out-dir",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="The folder to write (replaced all together, or not at all).",
)
@click.option(
    "--graph",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Use this graph file (as written by ipskg build, which validated it) instead of "
    "building and validating the studies.",
)
@click.option(
    "--data",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Build (and validate) the graph from this folder of studies/<id>/.",
)
@handle_errors
def site_cmd(outdir: Path, graph: Path | None, data: Path | None) -> None:
    """Write a static evidence site: a page per study, case and case group, quote, theme,
    CFIR construct with evidence, ERIC strategy, mapping set and competency question; the
    conceptual model, each study's rating matrix, each unit's profile, the ratings across
    studies and outcomes beside fidelity drawn from the graph; the ontology's classes,
    properties and concept schemes; every page with its Turtle and JSON-LD and a search box.
    It works from file:// and from any static host.

    \b
    Examples:
      ipskg site -o site/
      ipskg site -o site/ --graph out/ipskg.nt
      ipskg site -o my-site/ --data my-data/
    """
    from ipskg import __version__
    from ipskg.export.site import site_files
    from ipskg.io.writers import write_folder
    from ipskg.model.errors import InputError
    from ipskg.sparql.store import EmbeddedStore

    if graph is not None and data is not None:
        raise InputError(
            "--graph and --data name two graphs: give one",
            field="--graph",
            hint="use --graph for a built graph file, or --data for a folder of studies",
        )
    if graph is not None:
        from ipskg.io.rdf import read_graph

        progress(f"reading {graph}")
        g = read_graph(graph)
    else:
        g = checked_build(data, nothing="written")[0].graph
    progress("writing the pages")
    with EmbeddedStore.from_graph(g) as store:
        site = site_files(g, store, __version__)
    write_folder(
        outdir, {name: functools.partial(bytes, body) for name, body in site.files.items()}
    )
    for note in site.left_out:
        say(f"note: left out {note}")
    say(f"wrote {outdir}/: {len(site.pages)} pages, {len(site.files)} files")


COMMANDS = [site_cmd]
