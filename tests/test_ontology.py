"""The ontology: parses, counts match the reference, QA checks pass, HermiT finds it consistent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from ipskg.cli import main
from ipskg.model.namespaces import IPSKG
from ipskg.model.resources import queries_dir
from ipskg.vocab.ontology import load_ontology, ontology_graph

COUNT = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* ?cls }
"""


def count_instances(graph: Graph, cls) -> int:
    rows = list(graph.query(COUNT, initBindings={"cls": cls}))
    return int(rows[0][0])


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        (IPSKG.CFIRDomain, 5),
        (IPSKG.CFIRConstruct, 48),
        (IPSKG.CFIRSubconstruct, 19),
        (IPSKG.CFIRRole, 9),
        (IPSKG.CFIRCharacteristic, 4),
        (IPSKG.FidelityItem, 25),
        (IPSKG.IPSPrinciple, 8),
        (IPSKG.Pathway, 3),
        (IPSKG.Valence, 5),
        (IPSKG.RobustnessLevel, 3),
    ],
)
def test_reference_counts(cls, expected):
    assert count_instances(ontology_graph(), cls) == expected


def test_constructs_per_domain_match_cfir_2022():
    query = """
    PREFIX ipskg: <https://w3id.org/ipskg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?code (COUNT(DISTINCT ?c) AS ?n) WHERE {
      ?c a/rdfs:subClassOf* ipskg:CFIRConstruct ; ipskg:inDomain ?d .
      ?d skos:notation ?code .
    } GROUP BY ?code ORDER BY ?code
    """
    counts = {str(code): int(n) for code, n in ontology_graph().query(query)}
    assert counts == {"I": 8, "II": 7, "III": 11, "IV": 13, "V": 9}


def test_every_cfir_concept_has_a_unique_notation():
    query = """
    PREFIX ipskg: <https://w3id.org/ipskg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?c ?notation WHERE {
      ?c a/rdfs:subClassOf* ipskg:CFIRConcept . OPTIONAL { ?c skos:notation ?notation } }
    """
    rows = list(ontology_graph().query(query))
    notations = [str(n) for _, n in rows]
    assert all(n != "None" for n in notations)
    assert len(notations) == len(set(notations))


def test_ontology_header_is_complete():
    g = ontology_graph()
    onto = next(iter(g.query("SELECT ?o WHERE { ?o a <http://www.w3.org/2002/07/owl#Ontology> }")))[
        0
    ]
    props = {str(p) for p, _ in g.predicate_objects(onto)}
    for needed in (
        "http://www.w3.org/2002/07/owl#versionIRI",
        "http://purl.org/dc/terms/title",
        "http://purl.org/dc/terms/description",
        "http://purl.org/dc/terms/license",
        "http://purl.org/dc/terms/creator",
        "http://purl.org/vocab/vann/preferredNamespacePrefix",
    ):
        assert needed in props, needed


CHECKS = sorted((queries_dir() / "checks").glob("*-violation.rq"))


@pytest.mark.parametrize("check", CHECKS, ids=[c.stem for c in CHECKS])
def test_ontology_quality_check_returns_no_rows(check: Path):
    rows = list(ontology_graph().query(check.read_text(encoding="utf-8")))
    assert rows == [], f"{check.name}: " + "; ".join(" ".join(map(str, r)) for r in rows[:10])


@pytest.mark.parametrize("check", CHECKS, ids=[c.stem for c in CHECKS])
def test_quality_check_on_built_graph_returns_no_rows(check: Path, built_graph):
    rows = list(built_graph.query(check.read_text(encoding="utf-8")))
    assert rows == [], f"{check.name}: " + "; ".join(" ".join(map(str, r)) for r in rows[:10])


def test_violation_check_catches_a_missing_label():
    g = load_ontology()
    g.remove((IPSKG.Case, None, None))
    g.add(
        (IPSKG.Case, URIRef(str(IPSKG) + "dummy"), IPSKG.Study)
    )  # an undeclared term is caught too
    from rdflib.namespace import OWL, RDF

    g.add((IPSKG.Case, RDF.type, OWL.Class))
    labels = list(g.query((queries_dir() / "checks/label-count-violation.rq").read_text()))
    undeclared = list(g.query((queries_dir() / "checks/undeclared-term-violation.rq").read_text()))
    assert [str(r[0]) for r in labels] == [str(IPSKG.Case)]
    assert str(IPSKG) + "dummy" in {str(r[0]) for r in undeclared}


@pytest.mark.parametrize(
    ("fmt", "parse_as"), [("ttl", "turtle"), ("xml", "xml"), ("jsonld", "json-ld"), ("nt", "nt")]
)
def test_ontology_command_writes_each_format(runner, tmp_path, fmt, parse_as):
    out = tmp_path / f"ipskg.{fmt}"
    result = runner.invoke(main, ["ontology", "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    g = Graph().parse(out, format=parse_as)
    assert isomorphic(g, ontology_graph())


@pytest.mark.reasoner
def test_hermit_finds_the_ontology_consistent(runner):
    if shutil.which("java") is None:
        pytest.fail("Java is required for the reasoner tests (CI installs it)")
    result = runner.invoke(main, ["reason"])
    assert result.exit_code == 0, result.output
    assert "consistent: yes" in result.output
    assert "unsatisfiable classes: 0" in result.output


@pytest.mark.reasoner
def test_hermit_classifies_seed_observations(runner):
    result = runner.invoke(main, ["reason", "--with-data"])
    assert result.exit_code == 0, result.output
    assert "consistent: yes" in result.output
    barriers = int(
        result.output.split("inferred https://w3id.org/ipskg/ontology#Barrier: ")[1].split()[0]
    )
    facilitators = int(
        result.output.split("inferred https://w3id.org/ipskg/ontology#Facilitator: ")[1].split()[0]
    )
    assert barriers > 0 and facilitators > 0


def test_rules_agree_with_the_reasoner_definition(built_graph):
    from rdflib.namespace import RDF

    from ipskg.vocab.reasoning import apply_rules

    inferred = apply_rules(built_graph)
    q = """PREFIX ipskg: <https://w3id.org/ipskg/ontology#>
    SELECT ?o WHERE { ?o a ipskg:DeterminantObservation ; ipskg:valence ipskg:NegativeValence }"""
    negatives = {r[0] for r in built_graph.query(q)}
    assert set(inferred.subjects(RDF.type, IPSKG.Barrier)) == negatives
    assert negatives


def test_reason_without_java_exits_3(runner, monkeypatch):
    monkeypatch.setattr("ipskg.vocab.reasoning.shutil.which", lambda name: None)
    result = runner.invoke(main, ["reason"])
    assert result.exit_code == 3
    assert "Java was not found" in result.output
    assert "Traceback" not in result.output


def test_terms_module_is_in_sync_with_the_ontology():
    """Regenerate: python -m ipskg.vocab.ontology > t.tmp && mv t.tmp ipskg/model/terms.py"""
    from ipskg.model.resources import artifact_root
    from ipskg.vocab.ontology import terms_module_source

    current = (Path(__file__).resolve().parent.parent / "ipskg" / "model" / "terms.py").read_text(
        encoding="utf-8"
    )
    assert current == terms_module_source(), "regenerate: python -m ipskg.vocab.ontology"
    assert artifact_root().is_dir()


def test_misspelled_term_fails_loudly():
    with pytest.raises(AttributeError):
        IPSKG.DeterminantObservaton  # noqa: B018


def test_every_study_country_is_a_place_concept(built_graph):
    """The country a study's data names (its country characteristic) is the label of one
    ipskg:Country concept in ontology/places.ttl, so that mappings can link it."""
    from rdflib.namespace import RDF, RDFS

    countries = {
        str(label)
        for place in ontology_graph().subjects(RDF.type, IPSKG.Country)
        for label in ontology_graph().objects(place, RDFS.label)
    }
    named = {
        str(value)
        for c in built_graph.subjects(IPSKG.aspect, IPSKG.CountryAspect)
        for value in built_graph.objects(c, IPSKG.value)
    }
    assert len(named) >= 7
    assert named - countries == set()
