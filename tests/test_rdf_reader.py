"""The one RDF reader (ipskg.io.rdf): the same graphs as rdflib's parser, and its policy —
nothing fetched or read but the named file, absolute non-file IRIs, located errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from ipskg.io.rdf import load_store, ntriples_lines, parse_into, read_graph
from ipskg.model.errors import InputError
from ipskg.model.resources import ontology_files, shapes_dir

ARTIFACTS = [*ontology_files(), *sorted(shapes_dir().glob("*.ttl"))]
EX = "http://example.org/"


@pytest.mark.parametrize("path", ARTIFACTS, ids=lambda p: p.name)
def test_same_graph_as_rdflib(path: Path) -> None:
    ours = parse_into(Graph(), path=path, fmt="ttl")
    theirs = Graph().parse(path, format="turtle")
    assert isomorphic(ours, theirs)


def test_blank_nodes_are_fresh_per_parse_and_strings_plain() -> None:
    text = (
        "@prefix ex: <http://example.org/> .\n"
        'ex:a ex:p _:b1 . _:b1 ex:q "x"^^<http://www.w3.org/2001/XMLSchema#string> , "y"@EN .'
    )
    graph = Graph()
    parse_into(graph, data=text, fmt="ttl")
    parse_into(graph, data=text, fmt="ttl")
    blanks = set(graph.objects(URIRef(EX + "a"), URIRef(EX + "p")))
    assert len(blanks) == 2 and all(isinstance(b, BNode) for b in blanks)
    values = set(graph.objects(None, URIRef(EX + "q")))
    assert Literal("x") in values and Literal("x", datatype=XSD.string) not in values
    assert Literal("y", lang="en") in values
    assert dict(graph.namespaces())["ex"] == URIRef(EX)


def test_literals_keep_their_lexical_form(tmp_path: Path) -> None:
    path = tmp_path / "a.ttl"
    path.write_text(f'<{EX}a> <{EX}p> "yes"^^<{XSD.boolean}> , "01"^^<{XSD.integer}> .\n')
    values = {str(o) for o in read_graph(path).objects()}
    assert values == {"yes", "01"}


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_graph(path)
    return caught.value


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.nt"
    path.write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n<{EX}a> <{EX}p> .\n")
    err = _error(path)
    assert err.line == 2 and "N-Triples syntax error" in str(err)
    assert str(path) in err.render()


def test_json_ld_remote_context_is_refused_not_fetched(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": EX + "a"}))
    assert "is not fetched" in str(_error(path))


def test_json_ld_nested_remote_context_is_refused(tmp_path: Path) -> None:
    doc = {"@context": {"@vocab": EX}, "@id": EX + "a", "p": {"@context": "file:///etc/passwd"}}
    path = tmp_path / "nested.jsonld"
    path.write_text(json.dumps(doc))
    assert "is not fetched" in str(_error(path))


def test_json_ld_ipskg_context_is_read_from_the_package(tmp_path: Path) -> None:
    doc = {"@context": "https://w3id.org/ipskg/context.jsonld", "@id": EX + "a", "label": "A"}
    path = tmp_path / "ours.jsonld"
    path.write_text(json.dumps(doc))
    assert (URIRef(EX + "a"), RDFS.label, Literal("A")) in read_graph(path)


def test_json_ld_nested_too_deep_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_text("[" * 5000 + "]" * 5000)
    assert "nested more than" in str(_error(path))


def test_rdf_xml_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "xxe.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:ex="{EX}"><rdf:Description rdf:about="{EX}a"><ex:p>&x;</ex:p>'
        "</rdf:Description></rdf:RDF>\n"
    )
    err = _error(path)
    assert "entity declarations" in str(err) and err.line == 2


def test_relative_and_file_iris_are_refused_with_their_line(tmp_path: Path) -> None:
    rel = tmp_path / "rel.ttl"
    rel.write_text(f"@prefix ex: <{EX}> .\n\n<local> ex:p 1 .\n")
    err = _error(rel)
    assert "relative IRI <local>" in str(err) and err.line == 3
    local = tmp_path / "file.ttl"
    local.write_text(f"<{EX}a> <{EX}p> <file:///etc/passwd> .\n")
    assert "names a local file" in str(_error(local))
    store_rel = tmp_path / "store.nt"
    store_rel.write_text(f"<{EX}a> <{EX}p> <b> .\n")
    import pyoxigraph as ox

    with pytest.raises(InputError) as caught:
        load_store(ox.Store(), store_rel)
    assert "relative IRI" in str(caught.value) and caught.value.line == 1


@pytest.mark.parametrize(
    ("name", "words"),
    [("rules.n3", "N3 is not read"), ("many.trig", "several named graphs"), ("x.csv", "suffix")],
)
def test_unsupported_formats_are_named(tmp_path: Path, name: str, words: str) -> None:
    path = tmp_path / name
    path.write_text("")
    assert words in str(_error(path))


def test_folders_pipes_and_missing_files_are_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "dir.ttl"
    folder.mkdir()
    assert "folder" in str(_error(folder))
    assert "no such" in str(_error(tmp_path / "none.ttl"))
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    assert "pipe" in str(_error(fifo))  # a read would block forever
    link = tmp_path / "dangling.ttl"
    link.symlink_to(tmp_path / "gone.ttl")
    assert "symbolic link to nothing" in str(_error(link))


def test_size_limit_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "big.nt"
    path.write_text(f"<{EX}a> <{EX}p> {'0' * 2000} .\n")
    with pytest.raises(InputError, match="larger than"):
        read_graph(path, max_bytes=1000)


def test_not_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin.ttl"
    path.write_bytes(f'<{EX}a> <{EX}p> "x" .\n<{EX}a> <{EX}p> "caf\xe9" .\n'.encode("latin-1"))
    err = _error(path)
    assert "not valid UTF-8" in str(err) and err.line == 2


def test_ntriples_lines_are_distinct_and_sorted(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    path.write_text(f"<{EX}b> <{EX}p> 1 .\n<{EX}a> <{EX}p> 1 .\n<{EX}a> <{EX}p> 1 .\n")
    assert ntriples_lines(path) == [
        f'<{EX}a> <{EX}p> "1"^^<{XSD.integer}>',
        f'<{EX}b> <{EX}p> "1"^^<{XSD.integer}>',
    ]
