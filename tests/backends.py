"""Store backends the contract suite (tests/test_contract.py) runs every competency question on.

Each entry of :data:`BACKENDS` is a context manager factory: given named N-Triples files (e.g.
``{"seed": ..., "fixture": ...}``) and a scratch folder, it yields one :class:`ipskg.store.Store`
per name, each answering over that graph alone, and cleans up afterwards. On a server backend
each graph is loaded into its own named graph (:func:`graph_iri`; Oxigraph: one server for all
graphs, Virtuoso: one server per graph) and queried through :class:`ipskg.store.RemoteStore`
with the SPARQL 1.1 protocol's ``default-graph-uri`` parameter in the endpoint URL, so the
queries themselves never name a graph. Server backends are marked ``server``
(:func:`backend_params`), so ``pytest -m "not server"`` starts no process.

Virtuoso (:func:`virtuoso_server`) skips when ``virtuoso-t`` is not installed, except under CI
(``CI=true``), where that fails, so a missing package cannot pass silently.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from virtuoso_server import VirtuosoServer, free_port

from ipskg.model.errors import ArtifactError
from ipskg.sparql.store import EmbeddedStore, RdflibStore, RemoteStore, Store

__all__ = [
    "BACKENDS",
    "SERVER_BACKENDS",
    "backend_params",
    "free_port",
    "graph_iri",
    "oxigraph_server",
    "virtuoso",
    "virtuoso_server",
    "wait_for_http",
]

Graphs = Mapping[str, Path]
Factory = Callable[[Graphs, Path], AbstractContextManager[dict[str, Store]]]


def graph_iri(name: str) -> str:
    """The named graph a server backend loads graph ``name`` into."""
    return f"https://w3id.org/ipskg/graph/contract-{name}"


def _remote(endpoint: str, name: str) -> RemoteStore:
    query = urllib.parse.urlencode({"default-graph-uri": graph_iri(name)})
    return RemoteStore(f"{endpoint}?{query}", timeout=60)


def wait_for_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Poll ``url`` until it answers 200, or fail with the server's own output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {out[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not answer within {timeout} s")


@contextlib.contextmanager
def embedded(graphs: Graphs, workdir: Path) -> Iterator[dict[str, Store]]:
    yield {name: EmbeddedStore.from_file(path) for name, path in graphs.items()}


@contextlib.contextmanager
def rdflib_reference(graphs: Graphs, workdir: Path) -> Iterator[dict[str, Store]]:
    yield {name: RdflibStore.from_file(path) for name, path in graphs.items()}


@contextlib.contextmanager
def oxigraph_server(graphs: Graphs, workdir: Path) -> Iterator[dict[str, Store]]:
    """A real Oxigraph HTTP SPARQL server (PyPI ``oxigraph``) on a free 127.0.0.1 port."""
    # the environment running the tests first (its bin/ need not be on PATH)
    beside = Path(sys.executable).parent / "oxigraph"
    binary = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    location = workdir / "oxigraph-db"
    for name, path in graphs.items():
        load = ["load", "--location", str(location), "--file", str(path)]
        subprocess.run(
            [binary, *load, "--graph", graph_iri(name)],
            check=True,
            capture_output=True,
        )
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}/query"
        wait_for_http(endpoint + "?query=ASK%7B%7D", proc)
        yield {name: _remote(endpoint, name) for name in graphs}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def virtuoso_server(directory: Path) -> VirtuosoServer:
    """A private Virtuoso (not started yet); skips without virtuoso-t, fails so under CI=true."""
    try:
        return VirtuosoServer(directory)
    except ArtifactError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the Virtuoso tests: {exc.render()}")
        pytest.skip(
            f"Virtuoso is not installed ({exc.message}); "
            "apt-get install virtuoso-opensource to run these tests"
        )


@contextlib.contextmanager
def virtuoso(graphs: Graphs, workdir: Path) -> Iterator[dict[str, Store]]:
    """A private Virtuoso 7 per graph, each graph published (by ``ipskg.export.publish``) as a
    named graph.

    One database per graph, as a deployment publishes one graph: with the same ontology and study
    triples in several named graphs of one database, Virtuoso 7.2.5's cost estimator rejected
    construct-observations ("estimated execution time 5305 (sec) exceeds the limit"), depending
    on the load order (see "Virtuoso compatibility" in docs/servers.md).
    """
    from ipskg.export.publish import publish, read_graph_file
    from ipskg.io.http import load_credentials

    with contextlib.ExitStack() as stack:
        stores: dict[str, Store] = {}
        for name, path in graphs.items():
            server = stack.enter_context(virtuoso_server(workdir / f"virtuoso-{name}"))
            credentials = load_credentials({"IPSKG_CONFIG": str(server.credentials_file)})
            lines = read_graph_file(path)
            publish(lines, server.endpoint, graph_iri(name), credentials=credentials)
            stores[name] = _remote(server.endpoint, name)
        yield stores


BACKENDS: dict[str, Factory] = {
    "embedded": embedded,
    "rdflib": rdflib_reference,
    "oxigraph-server": oxigraph_server,
    "virtuoso": virtuoso,
}
SERVER_BACKENDS = frozenset({"oxigraph-server", "virtuoso"})


def backend_params() -> list[Any]:
    """The backend names as pytest params; server backends carry the ``server`` mark."""
    return [
        pytest.param(name, marks=pytest.mark.server) if name in SERVER_BACKENDS else name
        for name in sorted(BACKENDS)
    ]
