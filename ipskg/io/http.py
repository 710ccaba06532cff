"""The one SPARQL 1.1 protocol client (query, update, Graph Store) of ipskg.

``ipskg query --endpoint`` and ``ipskg publish`` both talk to servers through
:class:`SparqlClient`, so they share:

- **one credential source order**: ``IPSKG_SPARQL_USER`` / ``IPSKG_SPARQL_PASSWORD``, else the
  INI file named by ``IPSKG_CONFIG`` (:func:`load_credentials`); never the command line;
- **one URL policy**: http(s) only; a user name or password written in the URL is refused (it
  would land in shell history and logs); credentials are not sent over plain http to a host
  other than this machine; urllib's basic and digest handlers send them only when the server
  asks (HTTP 401), and only to the URLs they were given for;
- **one timeout policy**: :data:`DEFAULT_TIMEOUT` seconds per answer unless ``--timeout``;
- **one partial-result check**: Virtuoso answers a query that hit its time or cost cap with
  HTTP 200 and *partial* results, flagged only by an ``X-SQL-State`` header; that is an error;
- **one error wording**: every request is made for a *step* ("querying …", "uploading batch
  3/10 …") and every failure is a :class:`~ipskg.model.errors.ServerError` that starts with it.

Why not SPARQLWrapper (the design card's client): it had to be told not to send
``format=xml`` beside a JSON ``Accept`` (Virtuoso answers HTTP 406), had its query-form guess
overridden (a comment containing "with" made it an update), does not check ``X-SQL-State``,
and covers neither the Graph Store protocol nor digest authentication that gives up after one
refusal. One urllib client of ~300 lines does all of it; docs/servers.md has the details.
"""

from __future__ import annotations

import configparser
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipskg.io.files import read_bytes
from ipskg.model.errors import InputError, ServerError

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_TIMEOUT",
    "PASSWORD_ENV",
    "USER_ENV",
    "Credentials",
    "SparqlClient",
    "ask_answer",
    "check_url",
    "load_credentials",
]

USER_ENV = "IPSKG_SPARQL_USER"
PASSWORD_ENV = "IPSKG_SPARQL_PASSWORD"
CONFIG_ENV = "IPSKG_CONFIG"
DEFAULT_TIMEOUT = 300.0
"""Seconds to wait for each answer of a server (``--timeout`` of ``query`` and ``publish``)."""
_JSON = "application/sparql-results+json"
_CRED_HINT = (
    f"set {USER_ENV} and {PASSWORD_ENV}, or point {CONFIG_ENV} at a file with a "
    "[sparql] section holding user = … and password = …"
)


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a SPARQL server (the password never shows in repr)."""

    user: str
    password: str = field(repr=False)


def load_credentials(environ: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials from ``IPSKG_SPARQL_USER``/``_PASSWORD``, else the ``IPSKG_CONFIG`` file.

    The file is INI: a ``[sparql]`` section with ``user`` and ``password``. None if neither
    source names a user.
    """
    env = os.environ if environ is None else environ
    if env.get(USER_ENV):
        return Credentials(env[USER_ENV], env.get(PASSWORD_ENV, ""))
    path_text = env.get(CONFIG_ENV)
    if not path_text:
        return None
    path = Path(path_text)
    cfg = configparser.ConfigParser(interpolation=None)
    try:
        raw = read_bytes(path, f"credentials file named by {CONFIG_ENV}", 65536)
    except InputError as exc:
        raise InputError(exc.message, file=path, hint=_CRED_HINT) from None
    try:
        cfg.read_string(raw.decode("utf-8"), source=str(path))
    except UnicodeDecodeError:
        raise InputError(
            "the credentials file is not UTF-8 text", file=path, hint=_CRED_HINT
        ) from None
    except configparser.Error as exc:
        raise InputError(
            f"the credentials file is not INI text: {exc.message}", file=path, hint=_CRED_HINT
        ) from exc
    if not cfg.has_option("sparql", "user"):
        raise InputError("no [sparql] section with a 'user' key", file=path, hint=_CRED_HINT)
    return Credentials(cfg.get("sparql", "user"), cfg.get("sparql", "password", fallback=""))


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


class _DigestOnce(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that gives up when the credentials were refused once.

    urllib's handler retries a refused password five more times, and Virtuoso answers each
    refusal slowly.
    """

    def http_error_401(self, req, fp, code, msg, headers):
        if req.unredirected_hdrs.get("Authorization"):
            raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)
        return super().http_error_401(req, fp, code, msg, headers)


@dataclass
class Response:
    status: int
    headers: Any
    body: bytes


def check_url(url: str, option: str, credentials: Credentials | None = None) -> str:
    """An http(s) URL without user info; with credentials, https unless on this machine."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"{url!r} is not an http(s) URL",
            field=option,
            hint="give the full URL, e.g. http://127.0.0.1:8890/sparql",
        )
    if parts.username is not None or parts.password is not None:
        raise InputError(
            "the URL holds a user name or password; ipskg does not take credentials in URLs",
            field=option,
            hint="remove them from the URL and " + _CRED_HINT,
        )
    if credentials is not None and parts.scheme == "http" and not _is_loopback(url):
        raise InputError(
            f"credentials would be sent unencrypted to {parts.hostname} (plain http)",
            field=option,
            hint="use the server's https:// URL, or unset the credentials for a public endpoint",
        )
    return url


class SparqlClient:
    """Talks to one server: a query endpoint, an update endpoint and an optional Graph Store."""

    def __init__(
        self,
        endpoint: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        credentials: Credentials | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        default_graphs: tuple[str, ...] = (),
    ) -> None:
        check_url(endpoint, "--endpoint", credentials)
        for iri in default_graphs:
            parsed = urllib.parse.urlparse(iri)
            if not parsed.scheme or any(c in iri for c in ' <>"{}|\\^`'):
                raise InputError(
                    f"--default-graph {iri!r} is not an IRI",
                    field="--default-graph",
                    hint="give the graph's full IRI, e.g. https://w3id.org/ipskg/graph",
                )
        self.default_graphs = default_graphs
        for url, option in ((update_url, "--update-url"), (gsp_url, "--gsp-url")):
            if url is not None:
                check_url(url, option, credentials)
        self.endpoint = endpoint
        self.update_url = update_url or endpoint
        self.gsp_url = gsp_url
        self.credentials = credentials
        self.timeout = timeout
        self.server = ""  # the Server header of the last answer
        handlers: list[urllib.request.BaseHandler] = []
        if _is_loopback(endpoint):  # a proxy from the environment must not see local traffic
            handlers.append(urllib.request.ProxyHandler({}))
        if credentials is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {endpoint, self.update_url, gsp_url or endpoint}:
                manager.add_password(None, url, credentials.user, credentials.password)
            handlers += [
                _DigestOnce(manager),
                urllib.request.HTTPBasicAuthHandler(manager),
            ]
        self._opener = urllib.request.build_opener(*handlers)

    # -- the one place requests are made --------------------------------------------------
    def request(
        self,
        step: str,
        url: str,
        *,
        data: bytes | None = None,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Response:
        req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        wait = self.timeout if timeout is None else timeout
        try:
            with self._opener.open(req, timeout=wait) as response:
                self.server = response.headers.get("Server") or ""
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as exc:
            raise self._http_error(step, url, exc) from exc
        except TimeoutError as exc:
            raise ServerError(
                f"{step}: no answer from {url} within {wait:g} s (timed out)",
                hint="the server may be overloaded or the graph large; raise "
                "--timeout, lower --batch-size, or check the server",
            ) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise ServerError(
                    f"{step}: no answer from {url} within {wait:g} s (timed out)",
                    hint="raise --timeout or check the server",
                ) from exc
            text = getattr(reason, "strerror", None) or str(reason)
            raise ServerError(
                f"{step}: cannot reach {url}: {text}",
                hint="check that the server is running and the URL is right",
            ) from exc
        except ValueError as exc:  # urllib: an authentication scheme it does not speak
            raise ServerError(
                f"{step}: {url} asks for something ipskg cannot answer ({exc})",
                hint="ipskg speaks HTTP basic and digest authentication",
            ) from exc
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            what = type(exc).__name__ if not str(exc) else f"{type(exc).__name__}: {exc}"
            raise ServerError(
                f"{step}: the connection to {url} broke ({what})",
                hint="the server stopped or the network failed; check the server and publish again",
            ) from exc

    def _http_error(self, step: str, url: str, exc: urllib.error.HTTPError) -> ServerError:
        if exc.code in (401, 403):
            who = "without credentials"
            hint = _CRED_HINT
            if self.credentials is not None:
                who = f"as user {self.credentials.user!r}"
                hint = (
                    f"check the user and password in {USER_ENV}/{PASSWORD_ENV} or the "
                    f"{CONFIG_ENV} file, and that this user may write to the server"
                )
            return ServerError(
                f"{step}: authentication failed at {url} {who} (HTTP {exc.code})", hint=hint
            )
        try:
            body = exc.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException):
            body = ""
        first = next((ln.strip() for ln in body.splitlines() if ln.strip()), "")[:300]
        detail = f": {first}" if first else ""
        return ServerError(
            f"{step}: {url} answered HTTP {exc.code} {exc.reason}{detail}",
            hint="read the server's message above; for a batch the server "
            "refused, lower --batch-size",
        )

    # -- SPARQL operations ----------------------------------------------------------------
    def query(self, step: str, text: str, accept: str = _JSON) -> Response:
        """POST a query (SPARQL 1.1 protocol, form-encoded); partial answers are errors."""
        response = self.request(
            step,
            self.endpoint,
            method="POST",
            data=urllib.parse.urlencode(
                [("query", text), *(("default-graph-uri", g) for g in self.default_graphs)]
            ).encode("utf-8"),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        state = response.headers.get("X-SQL-State")
        if state:  # Virtuoso returns *partial* results with 200 when a query hits its time cap
            raise ServerError(
                f"{step}: {self.endpoint} gave up on the query and sent a partial answer "
                f"(X-SQL-State {state}: {response.headers.get('X-SQL-Message', '')})",
                hint="raise the server's MaxQueryExecutionTime or ResultSetMaxRows, or ask a "
                "narrower question",
            )
        return response

    def results(self, step: str, text: str) -> dict[str, Any]:
        """The SPARQL 1.1 JSON results of a SELECT or ASK query."""
        response = self.query(step, text)
        try:
            doc = json.loads(response.body)
            if not isinstance(doc, dict) or "head" not in doc:
                raise ValueError("no 'head' member")
        except ValueError as exc:
            ctype = response.headers.get("Content-Type", "no content type")
            raise ServerError(
                f"{step}: {self.endpoint} did not answer like a SPARQL endpoint (expected "
                f"SPARQL JSON results, got {ctype}: {response.body[:60]!r})",
                hint="check that --endpoint is the server's SPARQL query URL "
                "(Virtuoso: http://host:8890/sparql; Fuseki: …/dataset/query)",
            ) from exc
        return doc

    def ask(self, step: str, query: str) -> bool:
        answer = ask_answer(self.results(step, query))
        if answer is None:
            raise ServerError(
                f"{step}: {self.endpoint} answered an ASK query without a boolean",
                hint="check that --endpoint is a SPARQL 1.1 query endpoint",
            )
        return answer

    def count(self, step: str, graph_ref: str) -> int:
        """Triples in a named graph (``graph_ref`` is an already checked ``<IRI>``)."""
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph_ref} {{ ?s ?p ?o }} }}"
        doc = self.results(step, query)
        try:
            return int(doc["results"]["bindings"][0]["n"]["value"])
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise ServerError(
                f"{step}: {self.endpoint} sent a malformed count ({exc!r})",
                hint="check that --endpoint is a SPARQL 1.1 query endpoint",
            ) from exc

    def select_column(self, step: str, query: str, var: str) -> list[str]:
        doc = self.results(step, query)
        try:
            return [b[var]["value"] for b in doc["results"]["bindings"] if var in b]
        except (KeyError, TypeError) as exc:
            raise ServerError(f"{step}: {self.endpoint} sent malformed results ({exc!r})") from exc

    def update(self, step: str, text: str, timeout: float | None = None) -> None:
        self.request(
            step,
            self.update_url,
            method="POST",
            timeout=timeout,
            data=urllib.parse.urlencode({"update": text}).encode("utf-8"),
            headers={
                "Accept": f"{_JSON}, */*;q=0.5",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def gsp_post(self, step: str, graph_iri: str, ntriples: bytes) -> None:
        """Add N-Triples to a graph by the Graph Store HTTP Protocol (POST merges)."""
        assert self.gsp_url is not None
        sep = "&" if "?" in self.gsp_url else "?"
        url = f"{self.gsp_url}{sep}{urllib.parse.urlencode({'graph': graph_iri})}"
        self.request(
            step,
            url,
            method="POST",
            data=ntriples,
            headers={"Content-Type": "application/n-triples"},
        )


_TRUE = frozenset({"1", "true"})
_FALSE = frozenset({"0", "false"})


def ask_answer(doc: Mapping[str, Any]) -> bool | None:
    """The answer of an ASK query from its JSON results; None if there is none.

    SPARQL 1.1 JSON results have a ``boolean`` member. Virtuoso 7 (Debian) answers ASK as a
    one-column SELECT instead: variable ``__ASK_RETVAL``, one row with the integer 1 for true,
    no row for false.
    """
    if isinstance(doc.get("boolean"), bool):
        return bool(doc["boolean"])
    try:
        columns = doc["head"]["vars"]
        rows = doc["results"]["bindings"]
        if len(columns) != 1 or len(rows) > 1:
            return None
        if not rows:
            return False
        term = rows[0][columns[0]]
        if term.get("type") not in ("literal", "typed-literal"):
            return None
        value = str(term["value"]).strip().lower()
    except (KeyError, TypeError, AttributeError):
        return None
    return True if value in _TRUE else False if value in _FALSE else None
