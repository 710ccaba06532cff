"""``ipskg query``: run a competency question (or any .rq file) on the graph or an endpoint."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ipskg.io.http import DEFAULT_TIMEOUT
from ipskg.model.formats import RESULT_FORMATS

from . import SECONDS, format_option, handle_errors, output_option, say

if TYPE_CHECKING:
    from ipskg.sparql.catalogue import CompetencyQuery
    from ipskg.sparql.store import Store

__all__ = ["COMMANDS", "GraphSource", "open_store", "param_option", "source_options"]

F = TypeVar("F", bound=Callable[..., Any])


def _list_queries() -> str:
    from ipskg.sparql.catalogue import catalogue

    lines = []
    for name, q in catalogue().items():
        lines.append(f"{name}  {q.title}")
        for line in textwrap.wrap(q.question, width=92):
            lines.append(f"    {line}")
        for p in q.parameters:
            default = (
                f", default {p.default!r}"
                if p.default is not None
                else (", optional" if p.optional else ", required")
            )
            lines.append(f"    --param {p.name}=… ({p.type}{default}) {p.description}".rstrip())
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class GraphSource:
    """Which graph answers a question (the options of :func:`source_options`)."""

    graph: Path | None = None
    data: Path | None = None
    endpoint: str | None = None
    store_dir: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    engine: str = "embedded"
    default_graphs: tuple[str, ...] = ()

    def describe(self) -> str:
        """The source in words, for provenance notes."""
        if self.endpoint:
            return f"the SPARQL endpoint {self.endpoint}"
        if self.store_dir is not None:
            return f"the persistent store {self.store_dir}"
        if self.graph is not None:
            return f"the graph file {self.graph}"
        return f"the studies in {self.data}" if self.data is not None else "the bundled studies"


def open_store(source: GraphSource) -> Store:
    """The store that answers for ``source``; combinations that make no sense are input
    errors naming the options."""
    from ipskg.model.errors import InputError
    from ipskg.sparql.store import EmbeddedStore, RemoteStore

    if source.default_graphs and not source.endpoint:
        raise InputError(
            "--default-graph names a graph of a SPARQL endpoint: give --endpoint too",
            field="--default-graph",
            hint="a local graph (--graph, --data, --store) is already the default graph",
        )
    if source.store_dir is not None:
        if source.endpoint or source.graph or source.data or source.engine != "embedded":
            raise InputError(
                "--store cannot be combined with --endpoint, --graph, --data or --engine rdflib",
                field="--store",
                hint="the store already holds the graph it answers from",
            )
        local = EmbeddedStore.from_persistent(source.store_dir)
        local.timeout = source.timeout
        return local
    if source.endpoint:
        if source.graph or source.data:
            raise InputError(
                "--endpoint cannot be combined with --graph or --data",
                field="--endpoint",
                hint="query either an endpoint or a local graph",
            )
        return RemoteStore(
            source.endpoint, timeout=source.timeout, default_graphs=source.default_graphs
        )
    store = _local_store(source.graph, source.data, source.engine)
    store.timeout = source.timeout  # local queries honour --timeout and Ctrl-C too
    return store


def _local_store(graph: Path | None, data: Path | None, engine: str) -> Store:
    from ipskg.sparql.store import EmbeddedStore, RdflibStore

    if graph is not None:
        return (
            RdflibStore.from_file(graph) if engine == "rdflib" else EmbeddedStore.from_file(graph)
        )
    from ipskg.sparql.cache import cached_build

    cached = cached_build(data)  # the built graph as N-Triples, rebuilt when an input changes
    if cached is not None:
        return (
            RdflibStore.from_file(cached) if engine == "rdflib" else EmbeddedStore.from_file(cached)
        )
    from ipskg.studies.build import build

    built = build(data).graph
    return RdflibStore(built) if engine == "rdflib" else EmbeddedStore.from_graph(built)


def terminal_width() -> int | None:
    """The width to fit a table to: $COLUMNS, else the terminal's when stdout is one; None for
    a pipe or a file (the table keeps its full width there)."""
    import os
    import shutil
    import sys

    if os.environ.get("COLUMNS", "").strip().isdigit() or sys.stdout.isatty():
        return max(shutil.get_terminal_size().columns, 40)
    return None


def _run(
    store: Store,
    query: CompetencyQuery,
    values: dict[str, str],
    fmt: str,
    raw_csv: bool = False,
    width: int | None = None,
) -> str:
    from ipskg.sparql.catalogue import answer as ask
    from ipskg.sparql.results import render, render_boolean, render_graph
    from ipskg.sparql.store import SelectResult

    answer = ask(query, values, store)
    if isinstance(answer, SelectResult):
        say(f"{len(answer)} row{'s' if len(answer) != 1 else ''} ({query.name}, {store.name})")
        return render(answer, fmt, raw_csv=raw_csv, width=width)
    if isinstance(answer, bool):
        return render_boolean(answer, fmt)
    return render_graph(answer, fmt)


def param_option(func: F) -> F:
    """-p/--param NAME=VALUE, repeatable (query, workbook)."""
    return click.option(
        "-p",
        "--param",
        "params",
        multiple=True,
        metavar="NAME=VALUE",
        help="Set a query parameter (repeatable). Values are bound, never spliced into the "
        "query text.",
    )(func)


def source_options(func: F) -> F:
    """Which graph answers: --graph, --data, --store or --endpoint (with --default-graph),
    --timeout and --engine (query, workbook, matrix), given to the command as one
    ``source`` (:class:`GraphSource`), opened by :func:`open_store`."""

    command = func

    @functools.wraps(command)
    def with_source(
        *args: Any,
        graph: Path | None,
        data: Path | None,
        endpoint: str | None,
        store_dir: Path | None,
        timeout: float,
        engine: str,
        default_graphs: tuple[str, ...],
        **kwargs: Any,
    ) -> Any:
        source = GraphSource(graph, data, endpoint, store_dir, timeout, engine, default_graphs)
        return command(*args, source=source, **kwargs)

    func = with_source  # type: ignore[assignment]
    func = click.option(
        "--default-graph",
        "default_graphs",
        metavar="IRI",
        multiple=True,
        help="With --endpoint: the graph a question reads, sent as the SPARQL protocol's "
        "default-graph-uri (repeatable); name it on a server that holds other graphs too.",
    )(func)
    func = click.option(
        "--engine",
        type=click.Choice(["embedded", "rdflib"]),
        default="embedded",
        show_default=True,
        help="Local engine: Oxigraph (embedded) or plain rdflib.",
    )(func)
    func = click.option(
        "--timeout",
        type=SECONDS,
        default=DEFAULT_TIMEOUT,
        show_default=True,
        help="Seconds a question may take: the endpoint's answer, or the local engine's.",
    )(func)
    func = click.option(
        "--store",
        "store_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Query a persistent store made by ipskg load (nothing is parsed again).",
    )(func)
    func = click.option(
        "--endpoint",
        metavar="URL",
        default=None,
        help="Query a SPARQL 1.1 endpoint instead (credentials from IPSKG_SPARQL_USER / "
        "IPSKG_SPARQL_PASSWORD or the IPSKG_CONFIG file).",
    )(func)
    func = click.option(
        "--data",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=None,
        help="Build the graph from this folder of studies/<id>/.",
    )(func)
    func = click.option(
        "--graph",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help="Query this graph file (.ttl, .nt, .jsonld, or RDF/XML .rdf/.owl/.xml) instead of "
        "building the bundled data.",
    )(func)
    return func


@click.command("query")
@click.argument("query", required=False)
@click.option(
    "--list",
    "list_queries",
    is_flag=True,
    help="List the competency questions with their parameters, then exit.",
)
@param_option
@format_option(
    RESULT_FORMATS,
    "table",
    "table (for people), csv, tsv, json (SPARQL 1.1 results) or md (Markdown).",
)
@click.option(
    "--raw-csv",
    is_flag=True,
    help="With -f csv: keep cells that start with = + - @ as they are (by default they get a "
    "leading ' so that a spreadsheet does not run them as formulas; numbers are never changed).",
)
@output_option
@source_options
@handle_errors
def query_cmd(
    query: str | None,
    list_queries: bool,
    params: tuple[str, ...],
    fmt: str,
    raw_csv: bool,
    output: str | None,
    source: GraphSource,
) -> None:
    """Answer a competency question: QUERY is a name from --list or a path to a .rq file.

    \b
    Examples:
      ipskg query --list
      ipskg query table-1
      ipskg query subtheme-evidence --param sub_theme="Goal Alignment" -f csv
      ipskg query my-question.rq --graph out/ipskg.nt
      ipskg query case-robustness --store registry.store
      ipskg query case-robustness --endpoint http://localhost:8890/sparql \\
          --default-graph https://w3id.org/ipskg/graph
    """
    from ipskg.io.writers import atomic_write
    from ipskg.model.errors import InputError
    from ipskg.sparql.catalogue import parse_param_options, resolve

    if list_queries:
        text = _list_queries()
    else:
        if not query:
            raise InputError(
                "no query given",
                field="QUERY",
                hint="name a query (see ipskg query --list) or give a .rq file",
            )
        cq = resolve(query)
        values = parse_param_options(params)
        cq.bindings(values)  # unknown or malformed parameters fail before any loading
        with open_store(source) as store:
            width = terminal_width() if fmt == "table" and not output else None
            text = _run(store, cq, values, fmt, raw_csv, width)
    if output:
        atomic_write(Path(output), text.encode("utf-8"))
        say(f"wrote {output}")
    else:
        click.echo(text, nl=False)


COMMANDS = [query_cmd]
