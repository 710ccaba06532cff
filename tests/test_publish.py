"""``ipskg publish`` without a real server: batching, credentials, and servers that misbehave.

The misbehaving servers are tiny HTTP servers started on 127.0.0.1 by the tests: one that
answers junk, one that never answers, one that gives up like Virtuoso at its time cap, one that
refuses every password. Publishing against Virtuoso itself is in test_virtuoso.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from virtuoso_server import VirtuosoServer, free_port

from ipskg.cli import main
from ipskg.export.publish import batches, iri_ref, read_graph_file
from ipskg.io.http import Credentials, load_credentials
from ipskg.model.errors import ArtifactError, InputError

EX = "https://w3id.org/ipskg/study/t"
XSD_STRING = "<http://www.w3.org/2001/XMLSchema#string>"
GRAPH_IRI = "https://w3id.org/ipskg/test-graph"
NT = f"""\
<{EX}/quote/q1> <https://w3id.org/ipskg/ontology#text> "It \\"works\\" — mostly"@en .
<{EX}/quote/q1> <http://www.w3.org/2000/01/rdf-schema#label> "q1" .
<{EX}/quote/q2> <http://www.w3.org/2000/01/rdf-schema#label> "q2"^^{XSD_STRING} .
_:r1 <http://www.w3.org/2002/07/owl#onProperty> <{EX}/p> .
_:r1 <http://www.w3.org/2002/07/owl#someValuesFrom> _:r2 .
_:r2 <http://www.w3.org/2000/01/rdf-schema#label> "nested" .
<{EX}/c> <http://www.w3.org/2000/01/rdf-schema#subClassOf> _:r1 .
_:x <http://www.w3.org/2000/01/rdf-schema#label> "alone" .
"""

Reply = Callable[[BaseHTTPRequestHandler], None]


@contextmanager
def fake_server(reply: Reply) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 whose every GET/POST is answered by ``reply``; yields /sparql."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        body = b""

        def do_GET(self) -> None:
            reply(self)

        def do_POST(self) -> None:
            self.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            reply(self)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    ctype: str,
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "g.nt"
    path.write_text(NT, encoding="utf-8")
    return path


def run_publish(runner, endpoint: str, graph_file: Path, *extra: str, env=None):
    args = [
        "publish",
        "--endpoint",
        endpoint,
        "--graph-iri",
        GRAPH_IRI,
        "--graph-file",
        str(graph_file),
        *extra,
    ]
    return runner.invoke(main, args, env=env or {})


# -- batching and terms --------------------------------------------------------------------
def test_batches_keep_blank_node_structures_together(graph_file: Path) -> None:
    lines = read_graph_file(graph_file)
    assert len(lines) == 8
    parts = batches(lines, 1)
    assert sum(len(p) for p in parts) == len(lines)
    structure = [p for p in parts if any("_:r1" in t for t in p)]
    assert len(structure) == 1
    assert sum("_:r" in t for t in structure[0]) == 4  # r1 and r2 and their subclass link
    alone = [p for p in parts if any('"alone"' in t for t in p)]
    assert alone and all("_:r" not in t for t in alone[0])


def test_blank_node_look_alikes_inside_literals_and_iris_are_not_blank_nodes() -> None:
    lines = [
        f'<{EX}/a> <{EX}/p> "see _:r1"',
        f'<{EX}/a> <{EX}/p> "x _:r1"@en',
        f"<{EX}/a_:r1> <{EX}/p> <{EX}/_:r1>",
        f"_:r1 <{EX}/p> <{EX}/o>",
        f"<{EX}/s> <{EX}/p> _:r1",
    ]
    parts = batches(lines, 1)
    assert sorted(len(p) for p in parts) == [1, 1, 1, 2]
    assert next(p for p in parts if len(p) == 2) == lines[3:]


def test_every_file_the_build_writes_can_be_published(tmp_path: Path, graph_file: Path) -> None:
    from rdflib import Graph

    graph = Graph().parse(graph_file, format="nt")
    expected = sorted(read_graph_file(graph_file))
    for fmt, suffix in (("turtle", "ttl"), ("json-ld", "jsonld"), ("xml", "owl")):
        path = tmp_path / f"g.{suffix}"
        graph.serialize(path, format=fmt)
        got = read_graph_file(path)
        assert len(got) == len(expected), suffix
        assert sorted(t for t in got if "_:" not in t) == [t for t in expected if "_:" not in t]


def test_batches_respect_the_size_for_ground_triples() -> None:
    lines = [f"<{EX}/s{i}> <{EX}/p> <{EX}/o>" for i in range(10)]
    assert [len(b) for b in batches(lines, 4)] == [4, 4, 2]


def test_literals_are_canonical_and_distinct(tmp_path: Path) -> None:
    path = tmp_path / "dup.nt"
    path.write_text(
        f'<{EX}/a> <{EX}/p> "x" .\n<{EX}/a> <{EX}/p> "x"^^'
        "<http://www.w3.org/2001/XMLSchema#string> .\n",
        encoding="utf-8",
    )
    assert read_graph_file(path) == [f'<{EX}/a> <{EX}/p> "x"']


@pytest.mark.parametrize("bad", ["not an iri", "https://ex.org/a>b", "relative/path", 'x:"q"'])
def test_bad_graph_iri_is_refused_before_any_request(runner, graph_file: Path, bad: str) -> None:
    with pytest.raises(InputError):
        iri_ref(bad)
    port = free_port()  # nothing listens: reaching the network would give another message
    result = runner.invoke(
        main,
        [
            "publish",
            "--endpoint",
            f"http://127.0.0.1:{port}/sparql",
            "--graph-iri",
            bad,
            "--graph-file",
            str(graph_file),
        ],
    )
    assert result.exit_code == 2
    assert "is not an absolute IRI" in result.output


def test_dataset_file_and_missing_file_are_input_errors(runner, tmp_path: Path) -> None:
    nq = tmp_path / "g.nq"
    nq.write_text(f"<{EX}/a> <{EX}/p> <{EX}/o> <{EX}/g> .\n", encoding="utf-8")
    for path, words in (
        (nq, "a dataset of several named graphs is not read here"),
        (tmp_path / "no.nt", "no such RDF file"),
    ):
        result = run_publish(runner, "http://127.0.0.1:9/sparql", path)
        assert result.exit_code == 2, result.output
        assert words in result.output and str(path) in result.output


def test_empty_graph_is_refused(runner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.nt"
    empty.write_text("", encoding="utf-8")
    result = run_publish(runner, "http://127.0.0.1:9/sparql", empty)
    assert result.exit_code == 2
    assert "empty" in result.output


# -- credentials ---------------------------------------------------------------------------
def test_credentials_from_environment_win_over_the_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "ipskg.ini"
    cfg.write_text("[sparql]\nuser = fileuser\npassword = filepass\n", encoding="utf-8")
    assert load_credentials({"IPSKG_CONFIG": str(cfg)}) == Credentials("fileuser", "filepass")
    env = {"IPSKG_CONFIG": str(cfg), "IPSKG_SPARQL_USER": "u", "IPSKG_SPARQL_PASSWORD": "p"}
    assert load_credentials(env) == Credentials("u", "p")
    assert load_credentials({}) is None
    assert "filepass" not in repr(load_credentials({"IPSKG_CONFIG": str(cfg)}))


@pytest.mark.parametrize("text", [None, "user = x\n", "[other]\nuser = x\n"])
def test_unreadable_config_file_says_which_file_and_how_to_fix(tmp_path: Path, text) -> None:
    cfg = tmp_path / "ipskg.ini"
    if text is not None:
        cfg.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_credentials({"IPSKG_CONFIG": str(cfg)})
    assert str(cfg) in info.value.render()
    assert "[sparql]" in info.value.render()


# -- servers that misbehave ------------------------------------------------------------------
def test_server_not_running(runner, graph_file: Path) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/sparql"
    result = run_publish(runner, endpoint, graph_file)
    assert result.exit_code == 2
    assert f"contacting the SPARQL endpoint {endpoint}: cannot reach" in result.output
    assert "Traceback" not in result.output


def test_server_answering_garbage(runner, graph_file: Path) -> None:
    def junk(h: BaseHTTPRequestHandler) -> None:
        send(h, 200, b"<html><body>Welcome to nginx!</body></html>", "text/html")

    with fake_server(junk) as endpoint:
        result = run_publish(runner, endpoint, graph_file)
    assert result.exit_code == 2
    assert "did not answer like a SPARQL endpoint" in result.output
    assert "text/html" in result.output and "Welcome to nginx" in result.output


def test_server_that_never_answers_times_out(runner, graph_file: Path) -> None:
    release = threading.Event()

    def hang(h: BaseHTTPRequestHandler) -> None:
        release.wait(20)

    with fake_server(hang) as endpoint:
        result = run_publish(runner, endpoint, graph_file, "--timeout", "0.5")
        release.set()
    assert result.exit_code == 2
    assert "contacting the SPARQL endpoint" in result.output
    assert "within 0.5 s (timed out)" in result.output


def test_query_cut_off_by_the_server_time_cap_is_an_error(runner, graph_file: Path) -> None:
    """Virtuoso answers 200 with partial rows and X-SQL-State when MaxQueryExecutionTime hits."""
    ask = {"head": {}, "boolean": True}
    count = {
        "head": {"vars": ["n"]},
        "results": {"bindings": [{"n": {"type": "literal", "value": "0"}}]},
    }

    def capped(h: BaseHTTPRequestHandler) -> None:
        if b"ASK" in h.body:  # type: ignore[attr-defined]
            send(h, 200, json.dumps(ask).encode(), "application/sparql-results+json")
            return
        send(
            h,
            200,
            json.dumps(count).encode(),
            "application/sparql-results+json",
            {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"},
        )

    with fake_server(capped) as endpoint:
        result = run_publish(runner, endpoint, graph_file)
    assert result.exit_code == 2
    assert "counting triples in the published graph" in result.output
    assert "gave up on the query and sent a partial answer (X-SQL-State S1TAT" in result.output


def test_refused_password_is_reported_and_never_shown(runner, graph_file: Path) -> None:
    ask = json.dumps({"head": {}, "boolean": True}).encode()
    results = json.dumps(
        {
            "head": {"vars": ["n", "g"]},
            "results": {"bindings": [{"n": {"type": "literal", "value": "3"}}]},
        }
    ).encode()
    secret = "s3cr3t-Pa55"

    def guarded(h: BaseHTTPRequestHandler) -> None:
        if "/update" in h.path:
            send(h, 401, b"no", "text/plain", {"WWW-Authenticate": 'Basic realm="t"'})
        elif b"ASK" in h.body:  # type: ignore[attr-defined]
            send(h, 200, ask, "application/sparql-results+json")
        else:
            send(h, 200, results, "application/sparql-results+json")

    with fake_server(guarded) as endpoint:
        update = endpoint.replace("/sparql", "/update")
        env = {"IPSKG_SPARQL_USER": "alice", "IPSKG_SPARQL_PASSWORD": secret}
        result = run_publish(runner, endpoint, graph_file, "--update-url", update, env=env)
    assert result.exit_code == 2, result.output
    assert "checking write access" in result.output
    assert "authentication failed" in result.output and "as user 'alice'" in result.output
    assert secret not in result.output


def test_missing_virtuoso_is_a_clear_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ArtifactError) as info:
        VirtuosoServer(tmp_path / "db")
    assert "virtuoso-t" in info.value.render()
    assert "apt-get install virtuoso-opensource" in info.value.render()
