"""Publishing to a real Virtuoso started on 127.0.0.1, and the faults a publish must survive.

One private Virtuoso serves this module's session (``virtuoso`` fixture). Without
``virtuoso-t`` the tests skip, except under CI (``CI=true``), where they fail so that a missing
package cannot pass silently (tests/backends.py keeps that rule). That every competency
question gives the same answer on Virtuoso is tested by the contract suite
(tests/test_contract.py), where Virtuoso is one of the backends; this module kills and restarts
its own server, so it does not share it. Faults are made deterministic by a small proxy between
ipskg and the server that kills the server, or holds a request, at a chosen request.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from backends import virtuoso_server
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from virtuoso_server import VirtuosoServer

from ipskg.cli import main
from ipskg.export.publish import graph_lines

pytestmark = pytest.mark.server

TARGET = "https://w3id.org/ipskg/graph/test"
STAGING_PREFIX = TARGET + ".staging-"
Q1 = "<https://w3id.org/ipskg/study/t/quote/q1>"
IPSKG = "https://w3id.org/ipskg/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SMALL = f"""\
{Q1} <{IPSKG}text> "\\"Yes\\" — ok"@en-GB .
{Q1} <{RDFS}label> "q1" .
_:r1 <{OWL}onProperty> <{IPSKG}saidBy> .
_:r1 <{OWL}someValuesFrom> _:r2 .
_:r2 <{RDFS}label> "nested" .
<{IPSKG}Quote> <{RDFS}subClassOf> _:r1 .
"""


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A private Virtuoso for the session; skipped without virtuoso-t unless CI=true."""
    server = virtuoso_server(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def env(virtuoso: VirtuosoServer) -> dict[str, str | None]:
    """Credentials through the config file only (hermetic: the shell's variables are unset)."""
    return {
        "IPSKG_CONFIG": str(virtuoso.credentials_file),
        "IPSKG_SPARQL_USER": None,
        "IPSKG_SPARQL_PASSWORD": None,
    }


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def synthetic(path: Path, n: int, tag: str = "v") -> Path:
    """``n`` ground triples with ipskg's IRI patterns."""
    study = "https://w3id.org/ipskg/study/syn"
    lines = [
        f'<{study}/quote/q{i}> <https://w3id.org/ipskg/ontology#text> "{tag} {i}"@en .'
        for i in range(n)
    ]
    return write(path, "\n".join(lines) + "\n")


def select(server: VirtuosoServer, query: str) -> list[dict]:
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(
        server.endpoint, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req) as resp:
        return json.load(resp)["results"]["bindings"]


def count(server: VirtuosoServer, iri: str = TARGET) -> int:
    rows = select(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


def staging_graphs(server: VirtuosoServer) -> dict[str, int]:
    rows = select(
        server,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }} GROUP BY ?g',
    )
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def content(server: VirtuosoServer, iri: str = TARGET) -> Graph:
    """The named graph as the server holds it (CONSTRUCT as N-Triples)."""
    data = urllib.parse.urlencode(
        {"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"}
    ).encode()
    req = urllib.request.Request(
        server.endpoint, data=data, headers={"Accept": "application/n-triples"}
    )
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req) as resp:
        body = resp.read()
    lines = sorted({str(t) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)})
    return as_graph(lines)


def as_graph(lines: list[str]) -> Graph:
    return Graph().parse(data="".join(f"{t} .\n" for t in lines), format="nt")


def local(path: Path) -> Graph:
    return as_graph(sorted({str(t) for t in ox.parse(path=str(path))}))


WKT = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")
VIRTUOSO_GEOMETRY = URIRef("http://www.openlinksw.com/schemas/virtrdf#Geometry")


def _geometry(graph: Graph) -> Graph:
    """WKT literals as Virtuoso answers them: it stores a ``geo:wktLiteral`` as its own
    geometry type (``virtrdf:Geometry``) and writes the coordinates back with ~14 significant
    digits. Both sides are mapped to ``geo:wktLiteral`` with coordinates rounded to 9
    decimals (0.1 mm), so only that documented change is forgiven."""

    def rounded(text: str) -> str:
        return re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group()):.9f}", text)

    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in (WKT, VIRTUOSO_GEOMETRY):
            o = Literal(rounded(str(o)), datatype=WKT)
        out.add((s, p, o))
    return out


def same(a: Graph, b: Graph) -> bool:
    return to_isomorphic(_geometry(a)) == to_isomorphic(_geometry(b))


def publish(runner, server: VirtuosoServer, env, *args: str, endpoint: str | None = None):
    argv = ["publish", "--endpoint", endpoint or server.endpoint, "--graph-iri", TARGET, *args]
    return runner.invoke(main, argv, env=env)


# -- publishing --------------------------------------------------------------------------
def test_publish_builds_the_seed_graph_and_the_server_holds_exactly_it(
    runner, virtuoso, env, built
) -> None:
    result = publish(runner, virtuoso, env)
    assert result.exit_code == 0, result.output
    expected = graph_lines(built.graph)
    assert count(virtuoso) == len(expected)
    assert same(content(virtuoso), as_graph(expected))
    assert staging_graphs(virtuoso) == {}
    assert virtuoso.password not in result.output


def test_republishing_is_idempotent(runner, virtuoso, env, tmp_path: Path) -> None:
    small = write(tmp_path / "small.nt", SMALL)
    first = publish(runner, virtuoso, env, "--graph-file", str(small))
    second = publish(runner, virtuoso, env, "--graph-file", str(small))
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "it held 6 triples before" in second.output
    assert count(virtuoso) == 6
    assert same(content(virtuoso), local(small))
    assert staging_graphs(virtuoso) == {}


def test_sparql_update_route_keeps_blank_node_structures(runner, virtuoso, env, tmp_path) -> None:
    """The generic SPARQL 1.1 route (INSERT DATA), with batches smaller than a structure."""
    small = write(tmp_path / "small.nt", SMALL)
    result = publish(
        runner, virtuoso, env, "--graph-file", str(small), "--via", "update", "--batch-size", "1"
    )
    assert result.exit_code == 0, result.output
    assert "by sparql update in 3 batch(es)" in result.output  # 2 ground + 1 blank structure
    assert same(content(virtuoso), local(small))


def test_readers_see_the_old_graph_or_the_new_one_never_a_mix(
    runner, virtuoso, env, tmp_path: Path
) -> None:
    old = write(tmp_path / "old.nt", SMALL)
    assert publish(runner, virtuoso, env, "--graph-file", str(old)).exit_code == 0
    new = synthetic(tmp_path / "new.nt", 20_000)
    seen: list[int] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            seen.append(count(virtuoso))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        result = publish(runner, virtuoso, env, "--graph-file", str(new), "--batch-size", "5000")
    finally:
        done.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert set(seen) <= {6, 20_000}
    assert seen[0] == 6 and count(virtuoso) == 20_000


# -- faults ------------------------------------------------------------------------------
def test_wrong_password_fails_before_touching_the_published_graph(
    runner, virtuoso, env, tmp_path: Path
) -> None:
    small = write(tmp_path / "small.nt", SMALL)
    assert publish(runner, virtuoso, env, "--graph-file", str(small)).exit_code == 0
    other = synthetic(tmp_path / "other.nt", 50)
    bad = {**env, "IPSKG_SPARQL_USER": "dba", "IPSKG_SPARQL_PASSWORD": "not-the-password"}
    result = publish(runner, virtuoso, bad, "--graph-file", str(other))
    assert result.exit_code == 2
    assert f"checking write access at {virtuoso.update_endpoint}" in result.output
    assert "authentication failed" in result.output and "as user 'dba'" in result.output
    assert "not-the-password" not in result.output
    assert same(content(virtuoso), local(small))
    assert staging_graphs(virtuoso) == {}


def test_no_credentials_says_how_to_give_them(runner, virtuoso, tmp_path: Path) -> None:
    small = write(tmp_path / "small.nt", SMALL)
    none = {"IPSKG_CONFIG": None, "IPSKG_SPARQL_USER": None, "IPSKG_SPARQL_PASSWORD": None}
    result = publish(runner, virtuoso, none, "--graph-file", str(small))
    assert result.exit_code == 2
    assert "authentication failed" in result.output and "without credentials" in result.output
    assert "IPSKG_SPARQL_USER" in result.output and "IPSKG_CONFIG" in result.output


Decide = Callable[[BaseHTTPRequestHandler, bytes], str]


@contextmanager
def proxy(server: VirtuosoServer, decide: Decide) -> Iterator[str]:
    """An HTTP proxy to the server; ``decide`` returns "forward", "drop" or "hold" per request.

    Yields the proxy's base URL (http://127.0.0.1:<port>).
    """
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.relay()

        do_POST = do_PUT = do_DELETE = do_GET

        def relay(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            action = decide(self, body)
            if action != "forward":
                if action == "hold":
                    release.wait(60)
                self.close_connection = True
                return
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in ("host", "connection", "content-length")
            }
            conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=60)
            try:
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except OSError:
                self.close_connection = True
                return
            self.send_response(resp.status)
            for key, value in resp.getheaders():
                if key.lower() not in (
                    "transfer-encoding",
                    "connection",
                    "content-length",
                    "server",
                    "date",
                ):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()


def via_proxy(base: str) -> tuple[str, ...]:
    return (
        "--endpoint",
        f"{base}/sparql",
        "--update-url",
        f"{base}/sparql-auth",
        "--gsp-url",
        f"{base}/sparql-graph-crud-auth",
    )


def test_server_killed_during_upload_leaves_the_published_graph_intact(
    runner, virtuoso, env, tmp_path: Path
) -> None:
    small = write(tmp_path / "small.nt", SMALL)
    assert publish(runner, virtuoso, env, "--graph-file", str(small)).exit_code == 0
    # Virtuoso 7.2.5's roll-forward after SIGKILL once in a few runs restored this committed
    # graph with one ground triple missing (docs/servers.md); a checkpoint keeps this test about
    # ipskg's protocol, not about replaying Virtuoso's transaction log.
    virtuoso.checkpoint()
    big = synthetic(tmp_path / "big.nt", 600)
    uploads = []

    def kill_on_third_upload(h: BaseHTTPRequestHandler, body: bytes) -> str:
        if h.command == "POST" and "graph-crud" in h.path and "Authorization" in h.headers:
            uploads.append(len(body))
            if len(uploads) == 3:
                virtuoso.kill()
                return "drop"
        return "forward"

    try:
        with proxy(virtuoso, kill_on_third_upload) as base:
            argv = [
                "publish",
                *via_proxy(base),
                "--graph-iri",
                TARGET,
                "--graph-file",
                str(big),
                "--batch-size",
                "100",
            ]
            result = runner.invoke(main, argv, env=env)
    finally:
        virtuoso.start()
    assert result.exit_code == 2, result.output
    assert f"uploading batch 3/6 to staging graph <{STAGING_PREFIX}" in result.output, result.output
    assert "the published graph was not changed" in result.output
    assert "could not be dropped" in result.output
    # After the restart: the old graph, plus the two committed batches in a staging graph.
    assert same(content(virtuoso), local(small))
    assert list(staging_graphs(virtuoso).values()) == [200]
    # The next publish removes the leftover staging graph and succeeds.
    again = publish(runner, virtuoso, env, "--graph-file", str(big), "--batch-size", "100")
    assert again.exit_code == 0, again.output
    assert "removed staging graph" in again.output
    assert count(virtuoso) == 600 and staging_graphs(virtuoso) == {}


def test_timeout_during_the_swap_is_reported_and_cleaned_up(
    runner, virtuoso, env, tmp_path: Path
) -> None:
    small = write(tmp_path / "small.nt", SMALL)
    assert publish(runner, virtuoso, env, "--graph-file", str(small)).exit_code == 0
    other = synthetic(tmp_path / "other.nt", 40)

    def hold_the_move(h: BaseHTTPRequestHandler, body: bytes) -> str:
        return "hold" if b"MOVE+GRAPH" in body else "forward"

    with proxy(virtuoso, hold_the_move) as base:
        argv = [
            "publish",
            *via_proxy(base),
            "--graph-iri",
            TARGET,
            "--graph-file",
            str(other),
            "--timeout",
            "10",  # every other request of the publish must fit in this on a busy machine
        ]
        result = runner.invoke(main, argv, env=env)
    assert result.exit_code == 2, result.output
    assert f"moving staging graph <{STAGING_PREFIX}" in result.output, result.output
    assert "(timed out)" in result.output
    assert "either the previous or the new one" in result.output
    assert same(content(virtuoso), local(small))  # the held MOVE never reached the server
    assert staging_graphs(virtuoso) == {}  # dropped after the failure
