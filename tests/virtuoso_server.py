"""Test support: start and stop a private Virtuoso Open Source server on 127.0.0.1.

The server keeps its database in one throw-away folder, listens on free ports chosen at run
time (never Virtuoso's default 1111/8890, where a system instance may run), has its result-row
and query-time caps raised, and gets a random ``dba`` password right after its first start.
The password is written to ``<folder>/ipskg.ini`` (mode 0600), the credentials file that
``ipskg publish`` reads through ``IPSKG_CONFIG``.

This is not shipped with ipskg; docs/servers.md shows how to run a Virtuoso of your own.
"""

from __future__ import annotations

import configparser
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from ipskg.model.errors import ArtifactError, ServerError

__all__ = [
    "CREDENTIALS_FILE",
    "VirtuosoServer",
    "find_binaries",
    "free_port",
    "running_virtuoso",
]

CREDENTIALS_FILE = "ipskg.ini"
RESERVED_PORTS = frozenset({1111, 8890})  # the Debian package's system instance
# One SPARQL Update (the publish swap) is one transaction; its log must fit. Default 50 MB
# aborts a MOVE over an existing ~1M-triple graph ("SR325 ... log after image size").
_AFTER_IMAGE_LIMIT = 2_000_000_000
_DEBIAN_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = {query_mem}M
CheckpointInterval = 60
ThreadsPerQuery = 2
TransactionAfterImageLimit = {after_image}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
MaxQueryCostEstimationTime = {max_seconds}
"""


def find_binaries() -> tuple[str, str]:
    """Paths of ``virtuoso-t`` and ``isql-vt``; ArtifactError if Virtuoso is not installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        missing = "virtuoso-t" if server is None else "isql-vt"
        raise ArtifactError(
            f"{missing} was not found on PATH: Virtuoso Open Source 7 is not installed",
            artifact=missing,
            hint="install it (Debian/Ubuntu: sudo apt-get install virtuoso-opensource)",
        )
    return server, isql


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (never 1111 or 8890)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in RESERVED_PORTS:
            return port


class VirtuosoServer:
    """One private Virtuoso process with its database in ``directory``.

    ``start()`` may be called again after ``stop()`` or ``kill()``: the database, the ports and
    the password are kept, so the endpoint URLs stay valid.
    """

    user = "dba"

    def __init__(
        self,
        directory: Path,
        *,
        memory_mb: int = 256,
        max_rows: int = 10_000_000,
        max_seconds: int = 3600,
    ) -> None:
        self.directory = Path(directory).resolve()
        self.memory_mb = memory_mb
        self.max_rows = max_rows
        self.max_seconds = max_seconds
        self.sql_port = 0
        self.http_port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._server_bin, self._isql_bin = find_binaries()

    # -- where things are ---------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def endpoint(self) -> str:
        """SPARQL query endpoint (anonymous, read-only)."""
        return f"{self.base_url}/sparql"

    @property
    def update_endpoint(self) -> str:
        """SPARQL query and update endpoint behind HTTP digest authentication."""
        return f"{self.base_url}/sparql-auth"

    @property
    def gsp_endpoint(self) -> str:
        """SPARQL 1.1 Graph Store HTTP Protocol endpoint behind HTTP digest authentication."""
        return f"{self.base_url}/sparql-graph-crud-auth"

    @property
    def credentials_file(self) -> Path:
        return self.directory / CREDENTIALS_FILE

    @property
    def password(self) -> str:
        """The ``dba`` password (read from the credentials file)."""
        cfg = configparser.ConfigParser(interpolation=None)
        cfg.read(self.credentials_file, encoding="utf-8")
        return cfg.get("sparql", "password", fallback="dba")

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # -- lifecycle ----------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> VirtuosoServer:
        """Start the server and wait until its SPARQL endpoint answers."""
        if self.running():
            return self
        self.directory.mkdir(parents=True, exist_ok=True)
        if not self.sql_port:
            self.sql_port, self.http_port = free_port(), free_port()
            while self.http_port == self.sql_port:
                self.http_port = free_port()
        self._write_ini()
        log = open(self.directory / "virtuoso.out", "ab")  # noqa: SIM115 - owned by the child
        try:
            self.process = subprocess.Popen(
                [self._server_bin, "-f", "-c", str(self.directory / "virtuoso.ini")],
                cwd=self.directory,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        finally:
            log.close()
        self._wait_ready(timeout)
        if not self.credentials_file.exists():
            self._set_password(secrets.token_urlsafe(18))
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Shut the server down cleanly through isql; terminate, then kill it if that fails."""
        proc = self.process
        if proc is None or proc.poll() is not None:
            self.process = None
            return
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            self._isql("shutdown;", self.password, timeout=timeout)
        for sig, wait in ((None, timeout), (signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
            if sig is not None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(sig)
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.process = None

    def kill(self) -> None:
        """Kill the server abruptly (SIGKILL), as a crash would; committed data survives."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def checkpoint(self) -> None:
        """Write all committed changes into the database file (no transaction log replay)."""
        self._isql("checkpoint;\n", self.password)

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- internals ----------------------------------------------------------------------
    def _write_ini(self) -> None:
        vsp = _DEBIAN_VSP if _DEBIAN_VSP.is_dir() else self.directory / "vsp"
        vsp.mkdir(exist_ok=True)
        buffers = max(2000, self.memory_mb * 85)  # Virtuoso's guide: ~85,000 buffers per GB
        text = _INI.format(
            d=self.directory,
            sql_port=self.sql_port,
            http_port=self.http_port,
            vsp=vsp,
            buffers=buffers,
            dirty=buffers * 3 // 4,
            query_mem=max(64, self.memory_mb // 2),
            max_rows=self.max_rows,
            max_seconds=self.max_seconds,
            after_image=_AFTER_IMAGE_LIMIT,
        )
        (self.directory / "virtuoso.ini").write_text(text, encoding="utf-8")

    def _log_tail(self, lines: int = 8) -> str:
        path = self.directory / "virtuoso.log"
        if not path.exists():
            return "(no log written)"
        tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        return "\n    ".join(tail)

    def _wait_ready(self, timeout: float) -> None:
        url = self.endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                self.process = None
                raise ServerError(
                    f"Virtuoso exited during start-up (database folder {self.directory}); "
                    f"its log ends:\n    {self._log_tail()}",
                    hint="read virtuoso.log in that folder; a stale virtuoso.lck or a port in "
                    "use are the usual causes",
                )
            try:
                with opener.open(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.kill()
        raise ServerError(
            f"Virtuoso did not answer on {self.endpoint} within {timeout:.0f} s; "
            f"its log ends:\n    {self._log_tail()}",
            hint="the machine may be overloaded; retry, or read virtuoso.log",
        )

    def _isql(self, sql: str, password: str, timeout: float = 30.0) -> str:
        """Run SQL through isql-vt; raise ServerError on a SQL error (isql exits 0 on those)."""
        done = subprocess.run(
            [self._isql_bin, f"127.0.0.1:{self.sql_port}", self.user, password],
            input=sql.encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        out = (done.stdout + done.stderr).decode("utf-8", errors="replace")
        if done.returncode != 0 or "*** Error" in out:
            first = next((ln for ln in out.splitlines() if "Error" in ln), out.strip()[:200])
            raise ServerError(f"isql-vt on port {self.sql_port} failed: {first.strip()}")
        return out

    def _check_http_login(self, password: str) -> None:
        """Prove the password works by an authenticated request (no command line involved)."""
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, self.base_url, self.user, password)
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPDigestAuthHandler(manager)
        )
        url = self.update_endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        try:
            with opener.open(url, timeout=30) as response:
                response.read()
        except (urllib.error.URLError, OSError) as exc:
            raise ServerError(
                f"the new dba password of the Virtuoso on {self.base_url} was not accepted ({exc})",
                hint="delete the folder and start again",
            ) from exc

    def _set_password(self, new: str) -> None:
        """Replace the default ``dba`` password and store the new one (mode 0600)."""
        # The SQL goes through stdin, so the new password never appears on a command line.
        self._isql(f"USER_SET_PASSWORD('{self.user}', '{new}');\n", "dba")
        self._check_http_login(new)
        cfg = configparser.ConfigParser(interpolation=None)
        cfg["sparql"] = {"user": self.user, "password": new}
        fd = os.open(self.credentials_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("# ipskg credentials for the private Virtuoso in this folder\n")
            cfg.write(fh)


@contextlib.contextmanager
def running_virtuoso(directory: Path | None = None, **options: int) -> Iterator[VirtuosoServer]:
    """A started server, stopped on exit; a temporary folder (removed after) if none is given."""
    with contextlib.ExitStack() as stack:
        if directory is None:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ipskg-vt-")))
        server = VirtuosoServer(directory, **options)
        stack.enter_context(server)
        yield server
