"""One store interface over the embedded Oxigraph store, plain rdflib, and remote SPARQL endpoints.

Every backend answers ``select``, ``ask`` and ``construct`` with plain Python values: a
:class:`SelectResult` of :class:`Term` rows, a ``bool``, or an rdflib ``Graph``.
Parameters are bound, never formatted into the query: pyoxigraph ``substitutions``, rdflib
``initBindings``, and for a remote endpoint a standard ``VALUES`` block built from escaped RDF
terms (:func:`ipskg.sparql.text.inject_values`).
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier

from ipskg.io.http import DEFAULT_TIMEOUT, SparqlClient, ask_answer, load_credentials
from ipskg.io.rdf import load_store, parse_into, plain_strings, read_graph, store_graph
from ipskg.model.errors import InputError, ServerError
from ipskg.model.namespaces import INTEGER_TYPES
from ipskg.sparql.text import inject_values, query_form, service_line

__all__ = [
    "Bindings",
    "EmbeddedStore",
    "RdflibStore",
    "RemoteStore",
    "SelectResult",
    "Store",
    "Term",
]

Bindings = Mapping[str, Identifier]
T = TypeVar("T")


def run_bounded(work: Callable[[], T], timeout: float | None, what: str) -> T:
    """``work()`` in a daemon thread, waited for at most ``timeout`` seconds (None: no limit)
    in short steps, so that Ctrl-C (KeyboardInterrupt) reaches the main thread at once. A query
    that runs past the limit is an input error: the thread is abandoned (it ends with the
    process; the engines release the GIL, so it does not hold the program up)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, name="ipskg-query", daemon=True)
    worker.start()
    deadline = None if timeout is None else time.monotonic() + timeout
    while worker.is_alive():
        step = 0.2 if deadline is None else min(0.2, max(0.0, deadline - time.monotonic()))
        worker.join(step)
        if worker.is_alive() and deadline is not None and time.monotonic() >= deadline:
            raise InputError(
                f"{what} did not finish within {timeout:g} s",
                hint="raise --timeout, add a LIMIT, or ask a narrower question",
            )
    if "error" in box:
        raise box["error"]
    return box["value"]


_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_BOOLEAN = str(XSD.boolean)
# "1" and "0" are legal lexical forms of xsd:boolean (Virtuoso 7 returns stored booleans so);
# every backend reports the canonical "true" and "false".
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


@dataclass(frozen=True)
class Term:
    """One RDF term of a result: IRIs and blank nodes as their string, literals with their
    lexical form, datatype (None for a plain string) and language tag (lower case).

    Normalised so that every backend gives equal terms: ``xsd:string`` is a plain string, the
    integer subtypes (``xsd:positiveInteger``, …) are ``xsd:integer``, as Oxigraph stores them,
    and an ``xsd:boolean`` has its canonical lexical form (``true``/``false``, not ``1``/``0``).
    """

    value: str
    kind: str = "literal"  # "uri" | "literal" | "bnode"
    datatype: str | None = None
    lang: str | None = None

    def __str__(self) -> str:
        return self.value

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        if lang:
            return cls(value, "literal", None, lang.lower())
        if datatype in (_XSD_STRING, _LANG_STRING):
            datatype = None
        elif datatype in INTEGER_TYPES:
            datatype = str(XSD.integer)
        elif datatype == _BOOLEAN:
            value = _CANONICAL_BOOLEAN.get(value, value)
        return cls(value, "literal", datatype, None)

    @classmethod
    def from_rdflib(cls, node: Identifier) -> Term:
        if isinstance(node, URIRef):
            return cls(str(node), "uri")
        if isinstance(node, BNode):
            return cls(str(node), "bnode")
        if isinstance(node, Literal):
            dt = str(node.datatype) if node.datatype is not None else None
            return cls.literal(str(node), dt, node.language)
        raise TypeError(f"not an RDF term: {node!r}")

    @classmethod
    def from_oxigraph(cls, node: Any) -> Term:
        import pyoxigraph as ox

        if isinstance(node, ox.NamedNode):
            return cls(node.value, "uri")
        if isinstance(node, ox.BlankNode):
            return cls(node.value, "bnode")
        if isinstance(node, ox.Literal):
            return cls.literal(node.value, node.datatype.value, node.language)
        raise TypeError(f"not an RDF term: {node!r}")

    @classmethod
    def from_json(cls, obj: Mapping[str, str]) -> Term:
        """A term of the SPARQL 1.1 Query Results JSON format."""
        kind = obj["type"]
        if kind == "uri":
            return cls(obj["value"], "uri")
        if kind == "bnode":
            return cls(obj["value"], "bnode")
        if kind in ("literal", "typed-literal"):
            return cls.literal(obj["value"], obj.get("datatype"), obj.get("xml:lang"))
        raise ValueError(f"unknown term type {kind!r}")

    def to_json(self) -> dict[str, str]:
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out

    def to_rdflib(self) -> Identifier:
        if self.kind == "uri":
            return URIRef(self.value)
        if self.kind == "bnode":
            return BNode(self.value)
        return Literal(
            self.value, lang=self.lang, datatype=URIRef(self.datatype) if self.datatype else None
        )


Row = tuple[Term | None, ...]


@dataclass
class SelectResult:
    """The answer of a SELECT query: column names and rows (None where a variable is unbound)."""

    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (lexical values), the CSV view."""
        return [tuple(None if t is None else t.value for t in row) for row in self.rows]

    def to_json(self) -> dict[str, Any]:
        """The SPARQL 1.1 Query Results JSON document."""
        bindings = [
            {c: t.to_json() for c, t in zip(self.columns, row, strict=True) if t is not None}
            for row in self.rows
        ]
        return {"head": {"vars": list(self.columns)}, "results": {"bindings": bindings}}


class Store(ABC):
    """A SPARQL 1.1 query engine holding the ipskg graph."""

    name = "store"

    @abstractmethod
    def _select(self, query: str, bindings: Bindings) -> SelectResult: ...

    @abstractmethod
    def _ask(self, query: str, bindings: Bindings) -> bool: ...

    @abstractmethod
    def _construct(self, query: str, bindings: Bindings) -> Graph: ...

    timeout: float | None = None
    """Seconds a local query may run (None: no limit); a remote store's client has its own."""

    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult:
        return self._guarded(query, lambda: self._select(query, dict(bindings or {})))

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        return self._guarded(query, lambda: self._ask(query, dict(bindings or {})))

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        return self._guarded(query, lambda: self._construct(query, dict(bindings or {})))

    def _guarded(self, query: str, answer: Callable[[], T]) -> T:
        """Run a local query under the local rules: no federated SERVICE calls (a query file
        must not make ipskg send requests), and at most :attr:`timeout` seconds, with Ctrl-C
        honoured while it runs (the engines do not look at signals: the query runs in a worker
        thread that is abandoned when the limit passes or the user interrupts)."""
        line = service_line(query)
        if line is not None:
            raise InputError(
                "the query calls another SPARQL endpoint (SERVICE); local queries send no requests",
                line=line,
                hint="remove the SERVICE clause, or run the query on a server that allows it "
                "(--endpoint)",
            )
        return run_bounded(answer, self.timeout, f"the query on the {self.name} store")

    def run(self, query: str, bindings: Bindings | None = None) -> SelectResult | bool | Graph:
        """Run a query of any form; the answer type follows the form."""
        form = query_form(query)
        if form == "SELECT":
            return self.select(query, bindings)
        if form == "ASK":
            return self.ask(query, bindings)
        return self.construct(query, bindings)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (a no-op for in-memory stores)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RdflibStore(Store):
    """Plain rdflib ``Graph.query``: the reference implementation the others are checked against."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    @classmethod
    def from_file(cls, path: Path) -> RdflibStore:
        return cls(read_graph(path))

    def _query(self, query: str, bindings: Bindings) -> Any:
        return self.graph.query(query, initBindings=dict(bindings))

    def _select(self, query: str, bindings: Bindings) -> SelectResult:
        res = self._query(query, bindings)
        columns = [str(v) for v in res.vars or []]
        rows = [tuple(None if t is None else Term.from_rdflib(t) for t in row) for row in res]
        return SelectResult(columns, rows)

    def _ask(self, query: str, bindings: Bindings) -> bool:
        return bool(self._query(query, bindings).askAnswer)

    def _construct(self, query: str, bindings: Bindings) -> Graph:
        return plain_strings(self._query(query, bindings).graph)


class EmbeddedStore(Store):
    """An in-memory pyoxigraph store: the default engine of ``ipskg query``."""

    name = "embedded"

    def __init__(self) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self.store = ox.Store()

    @classmethod
    def from_graph(cls, graph: Graph) -> EmbeddedStore:
        store = cls()
        store.add_graph(graph)
        return store

    @classmethod
    def from_file(cls, path: Path) -> EmbeddedStore:
        store = cls()
        store.add_file(path)
        return store

    @classmethod
    def from_persistent(cls, folder: Path) -> EmbeddedStore:
        """A store made by ``ipskg load`` (:mod:`ipskg.sparql.persistent`), opened read-only:
        nothing is parsed again."""
        from ipskg.sparql.persistent import open_persistent

        store = cls()
        store.store, _info = open_persistent(folder)
        store.name = "persistent"
        return store

    def add_graph(self, graph: Graph) -> None:
        """Add an rdflib graph."""
        store_graph(self.store, graph)

    def add_file(self, path: Path) -> None:
        """Add an RDF file through the one reader (N-Triples and Turtle on Oxigraph's bulk
        path, never held in Python)."""
        load_store(self.store, path)

    def _subs(self, bindings: Bindings) -> dict[Any, Any]:
        ox = self._ox
        out = {}
        for name, term in bindings.items():
            if isinstance(term, URIRef):
                value = ox.NamedNode(str(term))
            elif isinstance(term, Literal):
                value = ox.Literal(
                    str(term),
                    language=term.language,
                    datatype=None
                    if term.datatype is None or term.language
                    else ox.NamedNode(str(term.datatype)),
                )
            else:
                raise TypeError(f"cannot bind {term!r}")
            out[ox.Variable(name)] = value
        return out

    def _query(self, query: str, bindings: Bindings) -> Any:
        return self.store.query(query, substitutions=self._subs(bindings) or None)

    def _select(self, query: str, bindings: Bindings) -> SelectResult:
        res = self._query(query, bindings)
        columns = [v.value for v in res.variables]
        rows = [
            tuple(
                None if sol[i] is None else Term.from_oxigraph(sol[i]) for i in range(len(columns))
            )
            for sol in res
        ]
        return SelectResult(columns, rows)

    def _ask(self, query: str, bindings: Bindings) -> bool:
        return bool(self._query(query, bindings))

    def _construct(self, query: str, bindings: Bindings) -> Graph:
        graph = Graph()
        for triple in self._query(query, bindings):
            s, p, o = (
                Term.from_oxigraph(x).to_rdflib()
                for x in (triple.subject, triple.predicate, triple.object)
            )
            graph.add((s, p, o))
        return graph


class RemoteStore(Store):
    """Any SPARQL 1.1 query endpoint, through the one HTTP client (:mod:`ipskg.io.http`:
    credentials from the environment or ``IPSKG_CONFIG``, never printed; partial answers are
    errors). Parameters are bound with a ``VALUES`` block (see module doc)."""

    name = "remote"

    def _guarded(self, query: str, answer: Callable[[], T]) -> T:
        return answer()  # the server decides about SERVICE; the HTTP client has the timeout

    def __init__(
        self,
        endpoint: str,
        timeout: float = DEFAULT_TIMEOUT,
        default_graphs: tuple[str, ...] = (),
    ) -> None:
        self.endpoint = endpoint
        self.client = SparqlClient(
            endpoint,
            credentials=load_credentials(),
            timeout=timeout,
            default_graphs=default_graphs,
        )

    def _request(self, query: str, bindings: Bindings, accept: str) -> tuple[bytes, str]:
        text = inject_values(query, bindings)
        response = self.client.query(f"querying SPARQL endpoint {self.endpoint}", text, accept)
        ctype = response.headers.get("Content-Type", "") or ""
        return response.body, ctype.split(";")[0].strip().lower()

    def _json(self, query: str, bindings: Bindings) -> dict[str, Any]:
        return self.client.results(
            f"querying SPARQL endpoint {self.endpoint}", inject_values(query, bindings)
        )

    def _select(self, query: str, bindings: Bindings) -> SelectResult:
        doc = self._json(query, bindings)
        try:
            columns = list(doc["head"]["vars"])
            rows = [
                tuple(Term.from_json(b[c]) if c in b else None for c in columns)
                for b in doc["results"]["bindings"]
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise ServerError(
                f"SPARQL endpoint {self.endpoint} sent malformed results: {exc}",
                hint="the endpoint may not speak SPARQL 1.1",
            ) from exc
        return SelectResult(columns, rows)

    def _ask(self, query: str, bindings: Bindings) -> bool:
        answer = ask_answer(self._json(query, bindings))
        if answer is None:
            raise ServerError(f"SPARQL endpoint {self.endpoint} sent no boolean for an ASK query")
        return answer

    def _construct(self, query: str, bindings: Bindings) -> Graph:
        body, ctype = self._request(query, bindings, "application/n-triples, text/turtle;q=0.9")
        fmt = {
            "text/turtle": "ttl",
            "application/n-triples": "nt",
            "application/rdf+xml": "xml",
            "application/ld+json": "jsonld",
        }.get(ctype, "ttl")
        try:
            return parse_into(Graph(), data=body, fmt=fmt, source=self.endpoint)
        except InputError as exc:
            raise ServerError(
                f"SPARQL endpoint {self.endpoint} sent RDF that does not parse: {exc}"
            ) from exc
