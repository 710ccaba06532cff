"""The one RDF reader: every RDF file ipskg reads goes through here, with one policy.

Formats come from the file suffix (:data:`ipskg.model.formats.RDF_INPUT_SUFFIXES`): Turtle,
N-Triples, JSON-LD and RDF/XML, all parsed by Oxigraph's parsers. The policy:

- **nothing is fetched or read but the named file.** A JSON-LD ``@context`` that names ipskg's
  own context (``https://w3id.org/ipskg/context.jsonld``) is read from the package; any other
  remote or local context is refused with a message (Oxigraph's JSON-LD parser fetches
  nothing). RDF/XML with entity declarations is refused (no entity expansion, no external
  entities). IRIs are never dereferenced.
- **IRIs are absolute and not local files**: a relative IRI (resolved against no base) and a
  ``file:`` IRI are input errors that name the file, the line and the IRI.
- **limits**: a file larger than the caller's limit, a JSON document nested too deeply, a
  literal or a line the parser cannot buffer are input errors, never a crash or a hang.
- **literals as written**: a literal keeps its lexical form ("yes"^^xsd:boolean stays "yes",
  so the SHACL engines see what was written); ``xsd:string`` literals become plain literals,
  which is what rdflib compares them with; every blank node is fresh per parse.
- **located errors**: a syntax error names the file and line.

Readers: :func:`read_graph` (an rdflib graph), :func:`parse_into` (trusted artifacts and text),
:func:`load_store` (straight into an Oxigraph store: the fast path for big N-Triples and
Turtle files) and :func:`ntriples_lines` (publishing).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ipskg.io.files import check_file, decode_utf8, read_bytes
from ipskg.io.writers import at_prefixes
from ipskg.model.errors import ArtifactError, InputError
from ipskg.model.formats import GRAPH_FORMATS, RDF_INPUT_SUFFIXES

__all__ = [
    "IPSKG_CONTEXT_URLS",
    "StoreTriples",
    "as_written",
    "check_file",
    "from_oxigraph",
    "load_store",
    "ntriples_lines",
    "oxigraph_triples",
    "parse_artifact",
    "parse_into",
    "plain_strings",
    "rdf_format",
    "read_graph",
    "store_graph",
    "to_oxigraph",
    "turtle_text",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Relative IRIs are resolved against this base (a reserved, never-resolvable host) only so that
# they can be found and refused with their line: RDF data for a graph must use absolute IRIs.
_RELATIVE_BASE = "https://relative-iri.invalid/"
IPSKG_CONTEXT_URLS = frozenset(
    {"https://w3id.org/ipskg/context.jsonld", "https://w3id.org/ipskg/ontology/context.jsonld"}
)
MAX_JSON_DEPTH = 64
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _ox_format(key: str) -> Any:
    import pyoxigraph as ox

    return {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "xml": ox.RdfFormat.RDF_XML,
    }[key]


def rdf_format(path: Path) -> str:
    """The graph-format key of an RDF file, from its suffix (an InputError if none fits)."""
    suffix = path.suffix.lower()
    if suffix in RDF_INPUT_SUFFIXES:
        return RDF_INPUT_SUFFIXES[suffix]
    if suffix == ".n3":
        raise InputError(
            "N3 is not read by ipskg (its rules and formulae are not RDF graphs)",
            file=path,
            hint="convert the file to Turtle (.ttl) without rules",
        )
    if suffix in (".trig", ".nq"):
        raise InputError(
            "a dataset of several named graphs is not read here",
            file=path,
            hint="give one graph as .ttl, .nt, .jsonld or .rdf",
        )
    raise InputError(
        f"cannot tell the RDF format from the file name (suffix {suffix or 'none'!r})",
        file=path,
        hint="use one of " + ", ".join(sorted(RDF_INPUT_SUFFIXES)),
    )


def _line_of(data: bytes, needle: str) -> int | None:
    at = data.find(needle.encode("utf-8"))
    return data.count(b"\n", 0, at) + 1 if at >= 0 else None


def _prepare_jsonld(data: bytes, source: Path | str) -> bytes:
    """Resolve ipskg's own context offline and refuse every other non-inline context."""
    try:
        doc = json.loads(data)
    except RecursionError:
        raise InputError(
            f"the JSON-LD document is nested more than {MAX_JSON_DEPTH} levels deep",
            file=source,
        ) from None
    except ValueError as exc:
        raise InputError(
            f"JSON-LD syntax error: {exc.args[0] if exc.args else exc}",
            file=source,
            line=getattr(exc, "lineno", None),
            hint="the file may be cut off or hand-edited",
        ) from None
    if _depth(doc) > MAX_JSON_DEPTH:
        raise InputError(
            f"the JSON-LD document is nested more than {MAX_JSON_DEPTH} levels deep",
            file=source,
            hint="flatten the document",
        )
    changed = False

    def resolve(context: Any) -> Any:
        nonlocal changed
        if isinstance(context, str):
            if context in IPSKG_CONTEXT_URLS:
                changed = True
                return _ipskg_context()
            raise InputError(
                f"the JSON-LD context {context!r} is not fetched: ipskg reads nothing but the "
                "files you name",
                file=source,
                line=_line_of(data, context),
                hint="put the context in the document (@context: {...}), or use ipskg's own "
                "context https://w3id.org/ipskg/context.jsonld",
            )
        if isinstance(context, list):
            return [resolve(c) for c in context]
        return context

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "@context" in node:
                node["@context"] = resolve(node["@context"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    return json.dumps(doc).encode("utf-8") if changed else data


def _depth(node: Any) -> int:
    depth, stack = 0, [(node, 1)]
    while stack:
        item, level = stack.pop()
        depth = max(depth, level)
        if depth > MAX_JSON_DEPTH:
            return depth
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return depth


def _ipskg_context() -> Any:
    from ipskg.model.resources import ontology_dir

    return json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def _prepared(data: bytes, fmt: str, source: Path | str) -> bytes:
    if fmt == "jsonld":
        return _prepare_jsonld(data, source)
    if fmt == "xml" and _ENTITY.search(data[:65536] if b"<!DOCTYPE" in data[:65536] else b""):
        raise InputError(
            "RDF/XML with entity declarations (<!ENTITY ...>) is refused: entities can expand "
            "without bound or read other files",
            file=source,
            line=_line_of(data, "<!ENTITY"),
            hint="write the values out in the document",
        )
    return data


def _parse(data: bytes, fmt: str, source: Path | str) -> Iterator[Any]:
    """Oxigraph triples of one document, after the policy checks; errors located."""
    import pyoxigraph as ox

    data = _prepared(data, fmt, source)
    try:
        yield from ox.parse(data, format=_ox_format(fmt), base_iri=_RELATIVE_BASE)
    except SyntaxError as exc:
        if "LoadDocumentCallback" in (exc.msg or str(exc)):
            raise InputError(
                "a JSON-LD context inside the document is remote: it is not fetched",
                file=source,
                hint="put the context in the document",
            ) from None
        raise _syntax_error(exc, fmt, source) from None
    except (ValueError, OverflowError, MemoryError) as exc:
        raise _too_big(exc, fmt, source) from None


def _syntax_error(exc: SyntaxError, fmt: str, source: Path | str) -> InputError:
    """One located message for every parser error (Oxigraph gives the line)."""
    message = exc.msg or str(exc)
    line = exc.lineno if isinstance(exc.lineno, int) else None
    if "No scheme found in an absolute IRI" in message:
        return InputError(
            "a relative IRI has no base: RDF for ipskg uses absolute IRIs",
            file=source,
            line=line,
            hint="write the full IRI (https://…), or add an @base to the file",
        )
    return InputError(
        f"{GRAPH_FORMATS[fmt].name} syntax error: {message}",
        file=source,
        line=line,
        hint="the file may be cut off or hand-edited; check the statement on that line "
        "(each ends with ' .') and any unclosed quote or <IRI>",
    )


def _too_big(exc: Exception, fmt: str, source: Path | str) -> InputError:
    """Oxigraph's parsers buffer at most 16 MiB per statement: a longer literal or line."""
    return InputError(
        f"the {GRAPH_FORMATS[fmt].name} file cannot be read: {exc}",
        file=source,
        hint="a single statement (a literal or a line) is limited to 16 MiB; check for a "
        "runaway literal or a file that is not RDF",
    )


def _refuse_iri(iri: str, data: bytes, source: Path | str) -> None:
    if iri.startswith(_RELATIVE_BASE):
        relative = iri[len(_RELATIVE_BASE) :]
        raise InputError(
            f"the relative IRI <{relative}> has no base: RDF for ipskg uses absolute IRIs",
            file=source,
            line=_line_of(data, relative) if relative else None,
            hint="write the full IRI (https://…), or add an @base / @prefix to the file",
        )
    raise InputError(
        f"the IRI <{iri}> names a local file; ipskg does not accept file: IRIs in data",
        file=source,
        line=_line_of(data, iri),
        hint="use the record's w3id.org or https:// IRI",
    )


def parse_into(
    graph: Graph,
    *,
    path: Path | None = None,
    data: str | bytes | None = None,
    fmt: str = "ttl",
    source: Path | str | None = None,
) -> Graph:
    """Add the triples of an RDF document (a file's bytes, or text) to ``graph``; return it.

    ``fmt`` is a graph-format key (ttl, nt, jsonld, xml); older callers' "turtle" is accepted.
    Turtle prefixes are bound in ``graph``, as rdflib's parser binds them.
    """
    import pyoxigraph as ox

    fmt = {"turtle": "ttl", "json-ld": "jsonld"}.get(fmt, fmt)
    where: Path | str = source or path or "<data>"
    if path is not None:
        data = read_bytes(path, "RDF file", None)
    elif isinstance(data, str):
        data = data.encode("utf-8")
    data = data or b""

    named: dict[str, URIRef] = {}
    blanks: dict[str, BNode] = {}
    literals: dict[tuple[str, str | None, str], Literal] = {}

    def node(term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            value = term.value
            iri = named.get(value)
            if iri is None:
                if value.startswith((_RELATIVE_BASE, "file:")):
                    _refuse_iri(value, data, where)
                iri = named[value] = URIRef(value)
            return iri
        if isinstance(term, ox.BlankNode):
            blank = blanks.get(term.value)
            if blank is None:
                blank = blanks[term.value] = BNode()
            return blank
        if isinstance(term, ox.Literal):
            key = (term.value, term.language, term.datatype.value)
            lit = literals.get(key)
            if lit is None:
                lit = literals[key] = _literal(term)
            return lit
        raise InputError(f"unsupported RDF term {term!r} (RDF-star)", file=where)

    parser = _parse(data, fmt, where)
    triples = [(node(q.subject), node(q.predicate), node(q.object)) for q in parser]
    graph.addN((s, p, o, graph) for s, p, o in triples)
    if fmt == "ttl":
        for prefix, namespace in re.findall(
            r"(?im)^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*|):\s*<([^>\s]*)>",
            data.decode("utf-8", "replace"),
        ):
            graph.bind(prefix, namespace, override=False)
    return graph


def parse_artifact(graph: Graph, path: Path, what: str) -> Graph:
    """Add one of ipskg's own Turtle files (an ontology module, a shapes file) to ``graph``;
    a file that does not parse is ipskg's fault, so an ArtifactError (exit 3), not an input
    error."""
    try:
        return parse_into(graph, path=path, fmt="ttl")
    except InputError as exc:
        raise ArtifactError(f"the {what} does not parse: {exc}", artifact=str(path)) from None


def read_graph(path: Path, *, max_bytes: int | None = None, graph: Graph | None = None) -> Graph:
    """Read one RDF file (any accepted format) into an rdflib graph, under the policy."""
    fmt = rdf_format(path)
    data = read_bytes(path, "RDF file", max_bytes)
    if fmt != "jsonld":
        decode_utf8(data, path)  # a located error before the parser's own
    return parse_into(graph if graph is not None else Graph(), data=data, fmt=fmt, source=path)


def load_store(store: Any, path: Path) -> int:
    """Load one RDF file into an Oxigraph store; return the number of triples it added.

    N-Triples and Turtle take Oxigraph's bulk path (a large graph file is never held in
    Python); the other formats go through :func:`read_graph`'s checks first. This is the
    query path: ``file:`` IRIs are not looked for here, since a query never dereferences one.
    """

    fmt = rdf_format(path)
    check_file(path, what="RDF file")
    before = len(store)
    if fmt in ("nt", "ttl"):
        try:
            # no base IRI: a relative IRI is a syntax error with its line
            store.bulk_load(path=str(path), format=_ox_format(fmt))
        except SyntaxError as exc:
            raise _syntax_error(exc, fmt, path) from None
        except (ValueError, OverflowError, MemoryError) as exc:
            raise _too_big(exc, fmt, path) from None
        except OSError as exc:
            raise InputError(f"cannot read the graph file: {exc}", file=path) from None
    else:
        store_graph(store, read_graph(path))
    return len(store) - before


def ntriples_lines(path: Path) -> list[str]:
    """The distinct triples of an RDF file as canonical N-Triples lines without the final
    " ." (for publishing), sorted."""
    import pyoxigraph as ox

    fmt = rdf_format(path)
    data = read_bytes(path, "RDF file", None)
    quads = _parse(data, fmt, path)
    seen: set[str] = set()
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith((_RELATIVE_BASE, "file:")):
                _refuse_iri(term.value, data, path)
        seen.add(f"{q.subject} {q.predicate} {q.object}")
    return sorted(seen)


def oxigraph_triples(source: Path | bytes, fmt: str) -> Iterator[Any]:
    """Oxigraph's triples of a file (streamed for N-Triples and Turtle) or of bytes, under the
    same policy and with the same located errors as every other reader here; for callers that
    work on Oxigraph terms (the literal guard, the store loader, publishing)."""
    import pyoxigraph as ox

    if isinstance(source, Path) and fmt in ("nt", "ttl"):
        check_file(source, what="RDF file")
        try:  # no base IRI: a relative IRI is a syntax error with its line
            yield from ox.parse(path=str(source), format=_ox_format(fmt))
        except SyntaxError as exc:
            raise _syntax_error(exc, fmt, source) from None
        except (ValueError, OverflowError, MemoryError) as exc:
            raise _too_big(exc, fmt, source) from None
        return
    data = read_bytes(source, "RDF file", None) if isinstance(source, Path) else source
    yield from _parse(data, fmt, source if isinstance(source, Path) else "<data>")


def store_graph(store: Any, graph: Graph) -> None:
    """Add an rdflib graph to an Oxigraph store (as N-Triples, which Oxigraph loads natively)."""
    import pyoxigraph as ox

    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)


@contextmanager
def as_written() -> Iterator[None]:
    """While rdflib parses: literals keep the lexical form of the input (rdflib's global
    ``NORMALIZE_LITERALS``, restored after). Used where rdflib itself parses (SPARQL results)."""
    import rdflib

    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


def _literal(term: Any) -> Literal:
    """An Oxigraph literal as rdflib's: lexical form kept, ``xsd:string`` made plain."""
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(
        term.value, datatype=None if datatype == _XSD_STRING else datatype, normalize=False
    )


def from_oxigraph(term: Any) -> Any:
    """One Oxigraph term as rdflib's (a blank node keeps its Oxigraph id, so a term read
    back from a store names the node the store holds)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term)
    raise TypeError(f"unsupported RDF term {term!r}")


def to_oxigraph(term: Any) -> Any:
    """One rdflib term as Oxigraph's (the lexical form of a literal kept as it is)."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


def turtle_text(graph: Graph) -> str:
    """Turtle written by Oxigraph, with the graph's prefixes: valid Turtle for any literal
    (rdflib writes an ill-typed "yes"^^xsd:boolean as a bare ``yes``, which is not Turtle)."""
    import pyoxigraph as ox

    triples = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in graph]
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    return at_prefixes((data or b"").decode("utf-8"))


def plain_strings(graph: Graph) -> Graph:
    """A copy of a graph parsed or answered elsewhere, with ``xsd:string`` literals made plain
    (the rule :func:`parse_into` applies while parsing) and the same prefixes."""
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string and o.language is None:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


class StoreTriples:
    """The ``triples((s, p, o))`` look-up of an rdflib graph, answered by an Oxigraph store's
    default graph (its indexes; nothing is copied). Lets code written for rdflib graphs take
    a few records out of a large store. Literals come back as the store keeps them (by value:
    "3"^^xsd:positiveInteger reads as "3"^^xsd:integer)."""

    def __init__(self, store: Any) -> None:
        import pyoxigraph as ox

        self.store = store
        self._default = ox.DefaultGraph()

    def triples(self, pattern: tuple[Any, Any, Any]) -> Iterator[tuple[Any, Any, Any]]:
        s, p, o = (None if t is None else to_oxigraph(t) for t in pattern)
        for quad in self.store.quads_for_pattern(s, p, o, self._default):
            yield (
                from_oxigraph(quad.subject),
                from_oxigraph(quad.predicate),
                from_oxigraph(quad.object),
            )

    def __len__(self) -> int:
        return len(self.store)
