"""The hostile-input corpus (tests/hostile_corpus.py): every case run as the user runs ipskg, in
its own process, with a time limit and a memory cap; each must end with its exit code and
message, no traceback, no "bug in ipskg", and nothing fetched from the counting server."""

from __future__ import annotations

import http.server
import os
import resource
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from hostile_corpus import CASES, Big, Case, Fifo, Folder, Link, Zip

ROOT = Path(__file__).resolve().parent.parent
VALID = Path(__file__).resolve().parent / "fixtures" / "cases" / "valid"
MEMORY_CAP = 3 * 1024**3  # bytes of address space per run: a runaway parse fails, not the host
WHYS = {
    "fetch", "hang", "silent-loss", "exit3", "invalid-output", "merge", "report",
    "credentials", "files", "display", "limits",
}  # fmt: skip


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = b'{"@context": {"@vocab": "http://example.org/fetched/"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Counter.hits
    finally:
        httpd.shutdown()


def _write(path: Path, content: object, folder: Path, server: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    if isinstance(content, Fifo):
        os.mkfifo(path)
    elif isinstance(content, Folder):
        path.mkdir()
    elif isinstance(content, Link):
        path.symlink_to(content.target)
    elif isinstance(content, Big):
        with path.open("w", encoding="utf-8") as fh:
            fh.write(content.head)
            for _ in range(content.times):
                fh.write(content.fill)
            fh.write(content.tail)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, Zip):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, text in content.members:
                zf.writestr(name, _fill(text, folder, server))
    else:
        assert isinstance(content, str)
        path.write_text(_fill(content, folder, server), encoding="utf-8")


def _fill(text: str, folder: Path, server: str) -> str:
    return text.replace("{d}", str(folder)).replace("{server}", server)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _run(case: Case, folder: Path, server: str) -> subprocess.CompletedProcess[str]:
    if case.base:
        shutil.copytree(VALID / case.base, folder / case.base)
    for name, edits in case.edits.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"{case.name}: {old!r} is not once in {name}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    for name, content in case.files.items():
        _write(folder / name, content, folder, server)
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPSKG_")}
    env |= {"IPSKG_CACHE_DIR": str(folder / ".cache"), "NO_COLOR": "1", "HOME": str(folder)}
    env |= {k: _fill(v, folder, server) for k, v in case.env.items()}
    return subprocess.run(
        [sys.executable, "-m", "ipskg", *(_fill(a, folder, server) for a in case.args)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=case.timeout,
        preexec_fn=_cap_memory,
        stdin=subprocess.DEVNULL,
    )


def test_the_corpus_is_large_and_covers_every_finding() -> None:
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES), "case names must be unique"
    assert {c.why for c in CASES} <= WHYS
    assert WHYS - {"invalid-output"} <= {c.why for c in CASES}


@pytest.mark.timeout(180)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_input(case: Case, tmp_path: Path, server: tuple[str, list[str]]) -> None:
    url, hits = server
    before = len(hits)
    try:
        result = _run(case, tmp_path, url)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.name}: still running after {case.timeout:g} s ({case.why})")
    out = result.stdout + result.stderr
    where = f"{case.name} ({case.why}) exited {result.returncode}:\n{out[-3000:]}"
    assert result.returncode == case.exit, where
    assert any(m in out for m in case.message.split("|")), where  # "a|b": either wording
    assert "Traceback" not in out, where
    if case.exit != 3:
        assert "bug in ipskg" not in out, where
    assert hits[before:] == [], f"{case.name}: the server was asked for {hits[before:]}"
    if case.check is not None:
        assert case.check(tmp_path, out) is not False, where
