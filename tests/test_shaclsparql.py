"""ipskg's own SHACL engine (shapes compiled to SPARQL, run on Oxigraph) against pySHACL.

tests/test_shapes.py compares it with pySHACL on ipskg's shapes and the whole fixture
catalogue; here: the catalogue really exercises every constraint the shapes use, the engine
agrees with pySHACL on general shapes with awkward data, and refuses what it cannot do.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from ipskg.io.rdf import parse_into
from ipskg.shacl.compiled import Unsupported, compile_shapes
from ipskg.shacl.validate import (
    compiled_shapes,
    data_for_paths,
    engine_results,
    ontology_terms,
    result_rows,
    shapes_graph,
)
from ipskg.sparql.store import EmbeddedStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_shapes import _catalogue

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def test_the_catalogue_exercises_every_constraint_the_shapes_use():
    used = {c for check in compiled_shapes().checks for _, c in check.components}
    used |= {SH.SPARQLConstraintComponent for c in compiled_shapes().checks if c.kind == "sparql"}
    seen = set()
    for inputs in _catalogue():
        data, _ = data_for_paths(inputs)
        data += ontology_terms()
        seen |= {row[5] for row in engine_results(data, "sparql")[1]}
    assert len(used) >= 12
    assert used <= seen, f"no fixture fails {sorted(str(c) for c in used - seen)}"


def _rows(report: Graph) -> list[tuple[str, ...]]:
    return sorted(tuple(str(x) for x in row) for row in result_rows(report))


GENERAL_SHAPES = (
    PREFIXES
    + r"""
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property ex:code , ex:count , ex:size , ex:kind , ex:parts , ex:note , ex:link ,
        ex:amount , ex:partNames , ex:hash ;
    sh:sparql ex:NotSelfLinked ;
    sh:severity sh:Warning .

ex:code a sh:PropertyShape ; sh:path ex:code ; sh:minCount 1 ; sh:maxCount 2 ;
    sh:datatype xsd:string ; sh:pattern "^ab[0-9]+$" ; sh:flags "i" ;
    sh:minLength 3 ; sh:maxLength 6 ; sh:message "code" .
ex:count a sh:PropertyShape ; sh:path ex:count ; sh:maxCount 1 ;
    sh:datatype xsd:nonNegativeInteger ; sh:message "count" .
ex:size a sh:PropertyShape ; sh:path ex:size ; sh:minInclusive 2 ; sh:maxInclusive 9 ;
    sh:node ex:Whole ; sh:severity sh:Info ; sh:message "size" .
ex:kind a sh:PropertyShape ; sh:path ex:kind ; sh:in ( ex:A ex:B "c" 4 ) ;
    sh:message "kind" .
ex:parts a sh:PropertyShape ; sh:path ex:part ; sh:minCount 2 ;
    sh:qualifiedValueShape ex:IsPart ; sh:qualifiedMinCount 2 ; sh:message "parts" .
ex:note a sh:PropertyShape ; sh:path ex:note ;
    sh:or ( ex:English ex:HasAuthor ) ; sh:nodeKind sh:BlankNodeOrLiteral ; sh:message "note" .
ex:link a sh:PropertyShape ; sh:path ex:link ; sh:class ex:Thing ; sh:message "link" .
ex:amount a sh:PropertyShape ; sh:path ex:amount ; sh:datatype xsd:decimal ;
    sh:minExclusive 0 ; sh:maxExclusive 10 ; sh:message "amount" .

ex:partNames a sh:PropertyShape ; sh:path ( ex:part rdfs:label ) ; sh:maxCount 1 ;
    sh:minLength 4 ; sh:message "part names" .
ex:hash a sh:PropertyShape ; sh:path ex:hash ; sh:datatype xsd:hexBinary ; sh:message "hash" .

ex:Whole a sh:NodeShape ; sh:or ( ex:Int ex:Dec ) .
ex:Int a sh:NodeShape ; sh:datatype xsd:integer .
ex:Dec a sh:NodeShape ; sh:datatype xsd:boolean .
ex:IsPart a sh:NodeShape ; sh:class ex:Part ; sh:property ex:PartName .
ex:PartName a sh:PropertyShape ; sh:path rdfs:label ; sh:minCount 1 .
ex:English a sh:NodeShape ; sh:datatype <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .
ex:HasAuthor a sh:PropertyShape ; sh:path ex:author ; sh:minCount 1 .

ex:NotSelfLinked a sh:SPARQLConstraint ;
    sh:message "{$this} links to itself via {?path} ({?value}, n={?n})" ;
    sh:prefixes ex:decl ;
    sh:select '''SELECT $this ?path ?value ?n WHERE {
        $this ex:link $this . BIND ($this AS ?value) BIND (ex:link AS ?path) BIND (3 AS ?n) }''' .
ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .

ex:CheckedShape a sh:NodeShape ; sh:targetClass ex:Checked ;
    sh:or ( ex:HasAuthor ex:English ex:FlagB ex:IsC3 ) ; sh:property ex:flag ;
    sh:message "checked" .
ex:flag a sh:PropertyShape ; sh:path ex:flag ; sh:hasValue ex:A ; sh:message "flag" .
ex:FlagB a sh:PropertyShape ; sh:path ex:flag ; sh:hasValue ex:B .
ex:IsC3 a sh:NodeShape ; sh:hasValue ex:c3 .
ex:OnlyC1 a sh:NodeShape ; sh:targetClass ex:Checked ; sh:hasValue ex:c1 ;
    sh:severity sh:Info ; sh:message "c1" .
"""
)

GENERAL_DATA = (
    PREFIXES
    + r"""
ex:Sub rdfs:subClassOf ex:Thing .
ex:good a ex:Thing ; ex:code "AB12" ; ex:count 3 ; ex:size 5 ; ex:kind ex:A , "c" , 4 ;
    ex:part ex:p1 , ex:p2 ; ex:note "hello"@en ; ex:link ex:other .
ex:other a ex:Sub ; ex:code "ab1" , "ab2" ; ex:part ex:p1 , ex:p2 .
ex:p1 a ex:Part ; rdfs:label "one" .
ex:p2 a ex:Part ; rdfs:label "two" .
ex:p3 a ex:Part .
ex:bad a ex:Thing ;
    ex:code "x" , "abc123456" , "ab9"@en ;
    ex:count -1 , "3"^^xsd:integer ;
    ex:size "seven" , 12 , "true"^^xsd:boolean , "yes"^^xsd:boolean , 4.5 , "abc"^^xsd:integer ;
    ex:kind ex:C , "C" , "4" , 4.5 ;
    ex:part ex:p1 , ex:p3 , "lit" ;
    ex:note "plain" , [ ex:author ex:me ] , ex:iri ;
    ex:link ex:bad , ex:p1 , "text" ;
    ex:amount "0"^^xsd:decimal , 10 , "12"^^xsd:decimal , "0.5"^^xsd:decimal , -1.5 .
ex:hashed a ex:Thing ; ex:code "AB14" ; ex:part ex:p1 , ex:p1b ;
    ex:hash "0aFf"^^xsd:hexBinary , "abc"^^xsd:hexBinary , "zz"^^xsd:hexBinary , "" ,
        ""^^xsd:hexBinary .
ex:p1b a ex:Part ; rdfs:label "one" .
ex:good2 a ex:Thing ; ex:code "AB13" ; ex:part ex:p1 , ex:p2 ;
    ex:amount 2.5 , "0.25"^^xsd:decimal , 9.99 .
ex:empty a ex:Thing .
ex:c1 a ex:Checked ; ex:author ex:me ; ex:flag ex:A .
ex:c2 a ex:Checked .
ex:c3 a ex:Checked ; ex:flag "x" , ex:A .
ex:c4 a ex:Checked ; ex:flag ex:B .
"""
)


def test_general_shapes_give_pyshacls_results():
    shapes = Graph().parse(data=GENERAL_SHAPES, format="turtle")
    # Parsed as ipskg parses its input: lexical forms kept as written ("yes"^^xsd:boolean
    # stays "yes"; rdflib's own parser would rewrite it to "false").
    data = parse_into(Graph(), data=GENERAL_DATA, fmt="turtle")
    conforms, reference, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_infos=False, allow_warnings=False
    )
    ours, report = compile_shapes(shapes).validate(EmbeddedStore.from_graph(data).store)
    assert ours == conforms is False
    expected = _rows(reference)
    assert len(expected) >= 25
    assert len({row[5] for row in expected}) >= 14  # constraint components exercised
    assert _rows(report) == expected


@pytest.mark.parametrize(
    ("snippet", "feature"),
    [
        ("ex:S sh:targetClass ex:T ; sh:xone ( ex:A ex:B ) .", "xone"),
        (
            "ex:S sh:targetClass ex:T ; sh:property [ sh:path [ sh:inversePath ex:a ] ; "
            "sh:minCount 1 ] .",
            "path",
        ),
        (
            "ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:a ; sh:datatype xsd:double ] .",
            "double",
        ),
        ("ex:S sh:targetNode ex:n ; sh:class ex:T .", "targetNode"),
        ("ex:S sh:targetClass ex:T ; sh:closed true .", "closed"),
        ("ex:S sh:targetClass ex:T ; sh:minCount 1 .", "node shape"),
        (
            "ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:a ; "
            "sh:qualifiedValueShape ex:Q ; sh:qualifiedMaxCount 1 ] .",
            "qualifiedMaxCount",
        ),
        (
            "ex:S sh:targetClass ex:T ; sh:node ex:N . "
            'ex:N sh:sparql [ sh:select "SELECT $this WHERE {}" ] .',
            "SPARQL",
        ),
        (
            "ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:a ; sh:node ex:N ] . "
            "ex:N sh:property [ sh:path ex:b ; sh:minCount 2 ] .",
            "counts",
        ),
    ],
)
def test_unsupported_shapes_are_refused_not_approximated(snippet, feature):
    shapes = Graph().parse(data=PREFIXES + snippet, format="turtle")
    with pytest.raises(Unsupported, match=feature):
        compile_shapes(shapes)


@pytest.mark.parametrize(
    ("predicate", "values"),
    [
        # rewritten to -1, judged alike, read by no SPARQL constraint: the sparql engine answers
        ("participantNumber", '"-01"^^xsd:integer'),
        # the same on a predicate the robustness-rule queries read: turbo answers
        ("positionsDuringTrial", '"-01"^^xsd:integer'),
        # rewritten to xsd:integer, judged differently by the whole-number shape: turbo answers
        ("positionsDuringTrial", '"2"^^xsd:int'),
        # merged into one value by Oxigraph: turbo answers
        ("positionsDuringTrial", '1 , "01"^^xsd:integer'),
    ],
)
def test_sparql_engine_on_a_graph_gives_pyshacls_results_whatever_oxigraph_stores(
    predicate, values
):
    case = PREFIXES + (
        "@prefix ipskg: <https://w3id.org/ipskg/ontology#> .\n"
        "<https://w3id.org/ipskg/study/x/case/w> a ipskg:Case , ipskg:Participant ; "
        f"ipskg:{predicate} {values} .\n"
    )
    data = parse_into(Graph(), data=case, fmt="turtle")
    data += ontology_terms()
    assert engine_results(data, "sparql") == engine_results(data, "pyshacl")


LAKESIDE = Path(__file__).resolve().parent / "fixtures" / "cases" / "valid" / "lakeside-site"


@pytest.mark.parametrize(
    ("predicate", "lexical"),
    [
        ("commitmentCommunicated", "yes"),
        ("positionsMaintained", "yes"),
        ("commitmentCommunicated", "true "),
    ],
)
def test_an_unreadable_robustness_criterion_gives_pyshacls_results(predicate, lexical):
    """issue 21: "yes"^^xsd:boolean on a case with a declared robustness left the rule's ?rule
    unbound, and the compiled query then matched every skos:notation of the graph (777
    results instead of 5). The compiled shapes, run straight on Oxigraph with no guard, now
    give pySHACL's results: the datatype violation, and no rule result."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    data, _ = data_for_paths([LAKESIDE])
    data += ontology_terms()
    case = URIRef("https://w3id.org/ipskg/study/lakeside-site/case/lakeside-cmhc")
    ipskg = "https://w3id.org/ipskg/ontology#"
    data.set(
        (case, URIRef(ipskg + predicate), Literal(lexical, datatype=XSD.boolean, normalize=False))
    )
    _conforms, reference, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        allow_infos=False,
        allow_warnings=False,
    )
    _, compiled = compiled_shapes().validate(EmbeddedStore.from_graph(data).store)
    assert _rows(compiled) == _rows(reference)
    components = {row[5] for row in _rows(reference)}
    assert components == {str(SH.DatatypeConstraintComponent)}


def test_a_rewritten_count_is_harmless_where_only_other_values_are_grouped() -> None:
    """caseCount written as xsd:nonNegativeInteger is stored as xsd:integer: a constraint that
    compares it with a count of members grouped in a sub-select reads it by value (no
    fallback), while one that groups the count values themselves could tell the forms apart."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD

    from ipskg.shacl.literal_guard import _sparql_sensitive

    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix ex: <urn:ex:> .
        ex:shapes sh:declare [ sh:prefix "ipskg" ;
            sh:namespace "https://w3id.org/ipskg/ontology#"^^xsd:anyURI ] .
        ex:members sh:select '''SELECT $this ?value WHERE { $this ipskg:caseCount ?value .
            { SELECT $this (COUNT(DISTINCT ?m) AS ?n) WHERE { $this ipskg:hasMemberCase ?m }
              GROUP BY $this } FILTER (?n > ?value) }''' .
        ex:counts sh:select '''SELECT $this WHERE {
            { SELECT $this (COUNT(DISTINCT ?c) AS ?n) WHERE { $this ipskg:caseCount ?c }
              GROUP BY $this } FILTER (?n > 1) }''' .
        """,
        format="turtle",
    )
    p = URIRef("https://w3id.org/ipskg/ontology#caseCount")
    written = Literal("2", datatype=XSD.nonNegativeInteger, normalize=False)
    stored = Literal("2", datatype=XSD.integer)
    found = _sparql_sensitive({(p, written, stored)}, shapes)
    assert [f for f in found if "urn:ex:members" in f] == []
    assert [f for f in found if "urn:ex:counts" in f]
