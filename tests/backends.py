"""Store backends the contract suite (tests/test_contract.py) runs every competency question on.

Each entry of :data:`BACKENDS` is a context manager factory: given an N-Triples file holding the
graph and a scratch folder, it yields an :class:`ipskg.store.Store` over that graph and cleans up
afterwards. A new server (e.g. Virtuoso) is added here and is then tested by the same suite.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from ipskg.store import EmbeddedStore, RdflibStore, RemoteStore, Store

__all__ = ["BACKENDS", "free_port", "oxigraph_server", "wait_for_http"]

Factory = Callable[[Path, Path], AbstractContextManager[Store]]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
def embedded(graph_file: Path, workdir: Path) -> Iterator[Store]:
    yield EmbeddedStore.from_file(graph_file)


@contextlib.contextmanager
def rdflib_reference(graph_file: Path, workdir: Path) -> Iterator[Store]:
    yield RdflibStore.from_file(graph_file)


@contextlib.contextmanager
def oxigraph_server(graph_file: Path, workdir: Path) -> Iterator[Store]:
    """A real Oxigraph HTTP SPARQL server (PyPI ``oxigraph``) on a free 127.0.0.1 port."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    location = workdir / "oxigraph-db"
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(graph_file)],
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
        yield RemoteStore(endpoint, timeout=30)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


BACKENDS: dict[str, Factory] = {
    "embedded": embedded,
    "rdflib": rdflib_reference,
    "oxigraph-server": oxigraph_server,
}
