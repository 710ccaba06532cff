"""The Oxigraph-backed parser gives the same graphs as rdflib's own parser."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from ipskg.io.rdf import parse_into
from ipskg.model.resources import ontology_files, shapes_dir

ARTIFACTS = [*ontology_files(), *sorted(shapes_dir().glob("*.ttl"))]


@pytest.mark.parametrize("path", ARTIFACTS, ids=lambda p: p.name)
def test_same_graph_as_rdflib(path: Path) -> None:
    ours = parse_into(Graph(), path=path, fmt="turtle")
    theirs = Graph().parse(path, format="turtle")
    assert isomorphic(ours, theirs)


def test_blank_nodes_are_fresh_per_parse_and_strings_plain() -> None:
    text = (
        "@prefix ex: <http://example.org/> .\n"
        'ex:a ex:p _:b1 . _:b1 ex:q "x"^^<http://www.w3.org/2001/XMLSchema#string> , "y"@EN .'
    )
    graph = Graph()
    parse_into(graph, data=text, fmt="turtle")
    parse_into(graph, data=text, fmt="turtle")
    blanks = set(graph.objects(URIRef("http://example.org/a"), URIRef("http://example.org/p")))
    assert len(blanks) == 2 and all(isinstance(b, BNode) for b in blanks)
    values = set(graph.objects(None, URIRef("http://example.org/q")))
    assert Literal("x") in values and Literal("x", datatype=XSD.string) not in values
    assert Literal("y", lang="en") in values
    assert dict(graph.namespaces())["ex"] == URIRef("http://example.org/")


def test_syntax_error_raises() -> None:
    with pytest.raises(SyntaxError):
        parse_into(Graph(), data="<http://example.org/a> <http://example.org/p> .", fmt="nt")
