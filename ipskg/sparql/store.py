"""One store interface over the embedded Oxigraph store, plain rdflib, and remote SPARQL endpoints.

Every backend answers ``select``, ``ask`` and ``construct`` with plain Python values: a
:class:`Result` of :class:`Term` rows, a ``bool``, or an rdflib ``Graph``. Parameters are bound,
never formatted into the query: pyoxigraph ``substitutions``, rdflib ``initBindings``, and for a
remote endpoint a standard ``VALUES`` block built from escaped RDF terms
(:func:`ipskg.sparqltext.inject_values`).
"""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier

from ipskg.io.rdf import as_written, plain_strings
from ipskg.model.errors import InputError, ServerError
from ipskg.sparql.text import inject_values, query_form

__all__ = [
    "PASSWORD_ENV",
    "USER_ENV",
    "Bindings",
    "EmbeddedStore",
    "RdflibStore",
    "RemoteStore",
    "Result",
    "Store",
    "Term",
]

USER_ENV = "IPSKG_SPARQL_USER"
PASSWORD_ENV = "IPSKG_SPARQL_PASSWORD"
Bindings = Mapping[str, Identifier]
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_BOOLEAN = str(XSD.boolean)
# "1" and "0" are legal lexical forms of xsd:boolean (Virtuoso 7 returns stored booleans so);
# every backend reports the canonical "true" and "false".
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}
# Oxigraph stores the integer subtypes as xsd:integer; every backend reports them so.
_INTEGER_TYPES = frozenset(
    str(XSD[t])
    for t in (
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_RDF_SUFFIX = {
    ".nt": "nt",
    ".ttl": "turtle",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".nq": "nquads",
    ".trig": "trig",
}


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
        elif datatype in _INTEGER_TYPES:
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
class Result:
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


def _rdf_format(path: Path) -> str:
    fmt = _RDF_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"cannot tell the RDF format of {path.name!r} from its suffix",
            file=path,
            hint="use a .ttl, .nt or .jsonld file",
        )
    return fmt


class Store(ABC):
    """A SPARQL 1.1 query engine holding the ipskg graph."""

    name = "store"

    @abstractmethod
    def _select(self, query: str, bindings: Bindings) -> Result: ...

    @abstractmethod
    def _ask(self, query: str, bindings: Bindings) -> bool: ...

    @abstractmethod
    def _construct(self, query: str, bindings: Bindings) -> Graph: ...

    def select(self, query: str, bindings: Bindings | None = None) -> Result:
        return self._select(query, dict(bindings or {}))

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        return self._ask(query, dict(bindings or {}))

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        return self._construct(query, dict(bindings or {}))

    def run(self, query: str, bindings: Bindings | None = None) -> Result | bool | Graph:
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
        graph = Graph()
        graph.parse(path, format=_rdf_format(path))
        return cls(graph)

    def _query(self, query: str, bindings: Bindings) -> Any:
        return self.graph.query(query, initBindings=dict(bindings))

    def _select(self, query: str, bindings: Bindings) -> Result:
        res = self._query(query, bindings)
        columns = [str(v) for v in res.vars or []]
        rows = [tuple(None if t is None else Term.from_rdflib(t) for t in row) for row in res]
        return Result(columns, rows)

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

    def add_graph(self, graph: Graph) -> None:
        """Add an rdflib graph (serialised as N-Triples, which Oxigraph loads natively)."""
        self.store.load(
            graph.serialize(format="nt", encoding="utf-8"), format=self._ox.RdfFormat.N_TRIPLES
        )

    def add_file(self, path: Path) -> None:
        """Add an RDF file: N-Triples and Turtle straight into Oxigraph, the rest via rdflib."""
        fmt = _rdf_format(path)
        if fmt not in ("nt", "turtle"):  # JSON-LD and the rest: rdflib parses, then load
            graph = Graph()
            try:
                with as_written():
                    graph.parse(path, format=fmt)
            except Exception as exc:  # rdflib's parsers raise many exception types
                reason = str(exc).splitlines()[0] if str(exc) else repr(exc)
                raise InputError(
                    f"the graph file does not parse: {reason}",
                    file=path,
                    hint="check the file is complete and valid " + fmt,
                ) from None
            self.add_graph(graph)
            return
        ox = self._ox
        try:
            self.store.load(
                path=str(path),
                format=ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE,
            )
        except SyntaxError as exc:
            raise InputError(
                f"the graph file does not parse: {exc.msg}",
                file=path,
                line=exc.lineno if isinstance(exc.lineno, int) else None,
                hint="the file may be cut off or hand-edited; check the statement on that line",
            ) from None
        except OSError as exc:
            raise InputError(
                f"cannot read the file: {exc.strerror or exc}",
                file=path,
                hint="check that the path names a readable file",
            ) from None

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

    def _select(self, query: str, bindings: Bindings) -> Result:
        res = self._query(query, bindings)
        columns = [v.value for v in res.variables]
        rows = [
            tuple(
                None if sol[i] is None else Term.from_oxigraph(sol[i]) for i in range(len(columns))
            )
            for sol in res
        ]
        return Result(columns, rows)

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


_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def _ask_from_bindings(doc: Mapping[str, Any]) -> bool | None:
    """The answer of an ASK sent in the shape of a one-column SELECT result; None if it is not.

    Virtuoso 7 answers ASK so: variable ``__ASK_RETVAL``, one row with the integer 1 for true,
    no row for false. SPARQL 1.1 JSON results have a ``boolean`` member instead.
    """
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


class RemoteStore(Store):
    """Any SPARQL 1.1 query endpoint over HTTP, through SPARQLWrapper.

    Credentials come from the environment (``IPSKG_SPARQL_USER``, ``IPSKG_SPARQL_PASSWORD``)
    and are never printed. Parameters are bound with a ``VALUES`` block (see module doc).
    """

    name = "remote"

    def __init__(self, endpoint: str, timeout: float = 30.0) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise InputError(
                f"{endpoint!r} is not an http(s) URL",
                field="--endpoint",
                hint="give the endpoint's full URL, e.g. http://localhost:8890/sparql",
            )
        self.endpoint = endpoint
        self.timeout = timeout

    def _request(self, query: str, bindings: Bindings, accept: str) -> tuple[bytes, str]:
        import urllib.error

        from SPARQLWrapper import POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        text = inject_values(query, bindings)
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setTimeout(max(1, round(self.timeout)))
        client.setQuery(text)
        # Content negotiation only: by default SPARQLWrapper also sends format=xml/output=xml,
        # which contradicts the Accept header, and Virtuoso answers that with HTTP 406.
        client.setOnlyConneg(True)
        # SPARQLWrapper guesses the form by regex and takes a word such as "with" in a comment
        # for an update; the lexer's answer is exact.
        client.queryType = query_form(text)
        client.addCustomHttpHeader("Accept", accept)
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        if user:
            client.setCredentials(user, password or "")
        where = f"SPARQL endpoint {self.endpoint}"
        try:
            response = client.query().response
            body = response.read()
            ctype = response.headers.get("Content-Type", "") or ""
        except SPARQLWrapperException as exc:
            detail = " ".join(str(exc).split()) or type(exc).__name__
            raise ServerError(
                f"{where} answered with an error: {detail[:400]}",
                hint="check the query and the endpoint URL; -vv shows details",
            ) from exc
        except urllib.error.HTTPError as exc:
            raise ServerError(
                f"{where} answered HTTP {exc.code} {exc.reason}",
                hint=f"check the URL and credentials ({USER_ENV}, {PASSWORD_ENV})",
            ) from exc
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServerError(
                f"cannot reach {where}: {reason}",
                hint="check that the server is running and the URL is right, or raise --timeout",
            ) from exc
        return body, ctype.split(";")[0].strip().lower()

    def _json(self, query: str, bindings: Bindings) -> dict[str, Any]:
        body, _ = self._request(query, bindings, "application/sparql-results+json")
        try:
            doc = json.loads(body)
            if not isinstance(doc, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            raise ServerError(
                f"SPARQL endpoint {self.endpoint} did not answer with SPARQL JSON results "
                f"({exc}); it began: {body[:80]!r}",
                hint="check that the URL is the query endpoint (often ending in /sparql or /query)",
            ) from exc
        return doc

    def _select(self, query: str, bindings: Bindings) -> Result:
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
        return Result(columns, rows)

    def _ask(self, query: str, bindings: Bindings) -> bool:
        doc = self._json(query, bindings)
        answer = doc.get("boolean")
        if answer is None:
            answer = _ask_from_bindings(doc)
        if not isinstance(answer, bool):
            raise ServerError(f"SPARQL endpoint {self.endpoint} sent no boolean for an ASK query")
        return answer

    def _construct(self, query: str, bindings: Bindings) -> Graph:
        body, ctype = self._request(query, bindings, "application/n-triples, text/turtle;q=0.9")
        fmt = {
            "text/turtle": "turtle",
            "application/n-triples": "nt",
            "application/rdf+xml": "xml",
            "application/ld+json": "json-ld",
        }.get(ctype, "turtle")
        graph = Graph()
        try:
            graph.parse(data=body, format=fmt)
        except Exception as exc:  # rdflib raises many parser exception types
            raise ServerError(
                f"SPARQL endpoint {self.endpoint} sent RDF that does not parse: {exc}"
            ) from exc
        return plain_strings(graph)
