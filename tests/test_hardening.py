"""What the hostile-input corpus cannot show in one run: credentials sent only when asked for,
the query cache checked before use, outputs that keep the umask, are byte-stable on rebuild and
are switched as one folder, and local queries bounded in time."""

from __future__ import annotations

import base64
import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from ipskg.cli import main
from ipskg.model.errors import InputError
from ipskg.sparql.cache import cache_dir


class _Challenging(http.server.BaseHTTPRequestHandler):
    """Answers 401 with a Basic challenge unless the request carries alice's credentials."""

    seen: ClassVar[list[str | None]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        auth = self.headers.get("Authorization")
        type(self).seen.append(auth)
        expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
        if auth != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def challenging() -> Iterator[str]:
    _Challenging.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Challenging)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    finally:
        httpd.shutdown()


def test_credentials_go_only_in_answer_to_a_challenge(
    challenging: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ipskg.sparql.store import RemoteStore

    monkeypatch.setenv("IPSKG_SPARQL_USER", "alice")
    monkeypatch.setenv("IPSKG_SPARQL_PASSWORD", "s3cret")
    result = RemoteStore(challenging, timeout=10).select("SELECT ?x WHERE { ?x ?p ?o }")
    assert result.columns == ["x"] and result.rows == []
    assert _Challenging.seen[0] is None  # the first request carries no password
    assert _Challenging.seen[-1] is not None and len(_Challenging.seen) == 2


def test_credentials_from_the_config_file_are_used_by_query(
    challenging: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "ipskg.ini"
    config.write_text("[sparql]\nuser = alice\npassword = s3cret\n", encoding="utf-8")
    monkeypatch.delenv("IPSKG_SPARQL_USER", raising=False)
    monkeypatch.setenv("IPSKG_CONFIG", str(config))
    from ipskg.sparql.store import RemoteStore

    RemoteStore(challenging, timeout=10).select("SELECT ?x WHERE { ?x ?p ?o }")
    assert _Challenging.seen[-1] == "Basic " + base64.b64encode(b"alice:s3cret").decode()


def test_a_damaged_cached_graph_is_built_again(runner) -> None:
    first = runner.invoke(main, ["query", "table-1", "-f", "csv"])
    assert first.exit_code == 0, first.output
    (cached,) = cache_dir().glob("graph-*.nt")
    data = cached.read_bytes()
    cached.write_bytes(data[: len(data) // 2 - 7])  # cut short in the middle of a line
    second = runner.invoke(main, ["query", "table-1", "-f", "csv"])
    assert second.exit_code == 0, second.output
    assert second.stdout == first.stdout
    assert cached.read_bytes() == data


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_outputs_keep_the_users_umask(runner, tmp_path: Path, mask: int, mode: int) -> None:
    before = os.umask(mask)
    try:
        result = runner.invoke(main, ["ontology", "-o", str(tmp_path / "onto.ttl")])
    finally:
        os.umask(before)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "onto.ttl").stat().st_mode & 0o777 == mode


def test_a_rebuild_writes_the_same_bytes(runner, tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = runner.invoke(main, ["build", "--out-dir", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    for file in ("ipskg.ttl", "ipskg.nt", "ipskg.jsonld"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file


def test_the_output_folder_is_switched_as_one(
    runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", "--out-dir", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ipskg.export.dump.jsonld_bytes", broken)
    result = runner.invoke(main, ["build", "--out-dir", str(out)])
    assert result.exit_code == 2 and "no space left" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the old build, whole
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def test_local_queries_are_bounded_in_time() -> None:
    from ipskg.sparql.store import run_bounded

    started = time.monotonic()
    with pytest.raises(InputError, match=r"did not finish within 0\.5 s"):
        run_bounded(lambda: time.sleep(30), 0.5, "the query")
    assert time.monotonic() - started < 5
    assert run_bounded(lambda: 42, 0.5, "the query") == 42
    with pytest.raises(ZeroDivisionError):
        run_bounded(lambda: 1 / 0, None, "the query")


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("+", "+"),  # a valence
        ("-2", "-2"),  # a rating
        ("+1.5e3", "+1.5e3"),
        ("Mission Alignment", "Mission Alignment"),
    ],
)
def test_csv_cells_that_spreadsheets_would_run_are_neutralised(cell: str, shown: str) -> None:
    from ipskg.model.display import neutralise_formula

    assert neutralise_formula(cell) == shown


def test_control_characters_are_shown_not_obeyed() -> None:
    from ipskg.model.display import visible

    assert visible("a\x1b[2Jb\x07\u202ec\td\n") == "a\\x1b[2Jb\\x07\\u202ec\td\n"
