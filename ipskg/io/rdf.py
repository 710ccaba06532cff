"""Turtle and N-Triples into an rdflib graph through Oxigraph's parser (several times faster).

rdflib's own Turtle parser is the slowest step of loading the ontology, the shapes and a new
case before validation. This parses with pyoxigraph and converts each term to rdflib's:

- every blank node gets a fresh ``BNode`` per parse, as rdflib's parser gives (two files that
  both say ``_:b1`` do not share a node);
- ``xsd:string`` literals become plain literals, which is what rdflib's parser and the loader
  produce and what rdflib compares them with (see ``../shared/reference/engines.md``: left as
  ``xsd:string`` they make false SHACL violations and empty joins);
- Oxigraph lower-cases language tags, which RDF 1.1 allows (tags compare case-insensitively);
- a literal keeps its lexical form as written (rdflib's parser would rewrite
  "yes"^^xsd:boolean to "false" and "01"^^xsd:integer to "1", hiding an ill-typed or
  non-canonical value from the SHACL engines that read lexical forms). For the formats rdflib
  parses (JSON-LD), :func:`as_written` keeps them the same way.

A syntax error is raised as pyoxigraph's ``SyntaxError``; callers that owe the user a located
message re-parse with rdflib, whose errors they already turn into file-and-line messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

__all__ = ["FAST_FORMATS", "as_written", "from_oxigraph", "parse_into", "plain_strings"]

FAST_FORMATS = frozenset({"turtle", "nt"})
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@contextmanager
def as_written() -> Iterator[None]:
    """While rdflib parses: literals keep the lexical form of the input (rdflib's global
    ``NORMALIZE_LITERALS``, restored after)."""
    import rdflib

    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


def parse_into(
    graph: Graph,
    *,
    path: Path | None = None,
    data: str | bytes | None = None,
    fmt: str = "turtle",
    base: str | None = None,
) -> Graph:
    """Add the triples of a Turtle or N-Triples file (or text) to ``graph``; return it.

    The file's prefixes are bound in ``graph`` (Turtle), as rdflib's parser binds them.
    """
    import pyoxigraph as ox

    if fmt not in FAST_FORMATS:
        raise ValueError(f"parse_into reads Turtle and N-Triples, not {fmt!r}")
    rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    if path is not None:
        base = base or path.resolve().as_uri()  # rdflib's default base for a file
        parser = ox.parse(path=str(path), format=rdf_format, base_iri=base)
    else:
        if isinstance(data, str):
            data = data.encode("utf-8")
        parser = ox.parse(data or b"", format=rdf_format, base_iri=base)

    named: dict[str, URIRef] = {}
    blanks: dict[str, BNode] = {}
    literals: dict[tuple[str, str | None, str], Literal] = {}

    def node(term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            value = term.value
            iri = named.get(value)
            if iri is None:
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
        raise ValueError(f"unsupported RDF term {term!r}")  # RDF-star triple terms

    triples = [(node(q.subject), node(q.predicate), node(q.object)) for q in parser]
    graph.addN((s, p, o, graph) for s, p, o in triples)
    for prefix, namespace in (parser.prefixes or {}).items():
        graph.bind(prefix, namespace, override=False)
    return graph


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
