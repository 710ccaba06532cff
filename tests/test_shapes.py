"""The shapes graph: valid SHACL, every constraint named and explained, and both engines agree."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from patchcases import INVALID_STUDIES, patch_cases
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from ipskg.model.resources import shapes_dir
from ipskg.shacl.validate import data_for_paths, engine_results, ontology_terms, shapes_graph

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"
SEED = Path(__file__).resolve().parent.parent / "data" / "studies" / "harkko-2025"

# Constraint parameters of SHACL core that make a shape a constraint.
_CONSTRAINTS = {
    SH[name]
    for name in [
        *("class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive"),
        *("maxInclusive", "minLength", "maxLength", "pattern", "in", "or", "and", "not"),
        *("xone", "node", "qualifiedValueShape", "sparql", "hasValue"),
    ]
}


def test_shapes_conform_to_shacl_for_shacl():
    import pyshacl
    from pyshacl.shapes_graph import ShapesGraph  # noqa: F401 - the package ships shacl-shacl

    shsh = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    conforms, _graph, text = pyshacl.validate(
        shapes_graph(), shacl_graph=Graph().parse(shsh), inference="none"
    )
    assert conforms, text


def test_one_shapes_file_per_area():
    names = {p.stem for p in shapes_dir().glob("*.ttl")}
    assert {
        "study",
        "case",
        "participant",
        "evidence",
        "observation",
        "fidelity",
        "provenance",
    } <= names


def test_no_blank_node_shapes():
    g = shapes_graph()
    for predicate in _CONSTRAINTS | {SH.path, SH.property, SH.targetClass, SH.severity, SH.message}:
        for subject in g.subjects(predicate, None):
            assert isinstance(subject, URIRef), f"a blank-node shape uses {predicate}"


def _helpers(g: Graph) -> set[URIRef]:
    """Shapes used only as operands (sh:or members, sh:node, qualified value shapes)."""
    used: set[URIRef] = set()
    for predicate in (SH["or"], SH["and"], SH["xone"]):
        for lst in g.objects(None, predicate):
            used.update(x for x in g.items(lst) if isinstance(x, URIRef))
    used.update(x for x in g.objects(None, SH.node) if isinstance(x, URIRef))
    used.update(x for x in g.objects(None, SH.qualifiedValueShape) if isinstance(x, URIRef))
    used.update(x for x in g.objects(None, SH["not"]) if isinstance(x, URIRef))
    return used


def test_every_pattern_anchored_at_the_end_refuses_a_trailing_newline():
    """pySHACL reads sh:pattern with Python's re, whose $ also matches before a final newline;
    each pattern ending in $ is paired with sh:not ipsh:HasNewline (docs/security.md)."""
    g = shapes_graph()
    has_newline = URIRef("https://w3id.org/ipskg/shapes#HasNewline")
    anchored = [s for s, o in g.subject_objects(SH.pattern) if str(o).endswith("$")]
    assert anchored
    assert [s for s in anchored if (s, SH["not"], has_newline) not in g] == []


def test_every_constraint_has_a_severity_and_a_message():
    g = shapes_graph()
    helpers = _helpers(g)
    reported = [
        s for p in _CONSTRAINTS for s in g.subjects(p, None) if s not in helpers and p != SH.sparql
    ]
    assert reported
    for shape in set(reported):
        assert g.value(shape, SH.severity) is not None, f"{shape} has no sh:severity"
        assert g.value(shape, SH.message) is not None, f"{shape} has no sh:message"
    for holder, constraint in g.subject_objects(SH.sparql):
        assert g.value(holder, SH.severity) is not None, f"{holder} has no sh:severity"
        assert g.value(constraint, SH.message) is not None, f"{constraint} has no sh:message"
        assert not isinstance(constraint, BNode)


def _catalogue() -> list[list[Path]]:
    """Every fixture the loader accepts (the rest never reach SHACL), plus the seed study."""
    with open(CASES / "invalid" / "EXPECTED.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    shaped = [CASES / "invalid" / r["fixture"] for r in rows if r["exit_code"] == "1"]
    folders = [c.folder for c in patch_cases(INVALID_STUDIES) if c.exit == 1]
    folders += [CASES / "valid" / "lakeside-site", CASES / "valid" / "synthetic-per-site"]
    # Patch cases that reach the shapes (violations, or warnings on conforming data).
    folders += [c.folder for c in patch_cases() if c.exit in (0, 1)]
    if (SEED / "study.yaml").is_file():
        folders.append(SEED)
    rdf = [[p] for p in shaped] + [[p] for p in (CASES / "valid").glob("*.ttl")]
    # Study folders mint distinct IRIs (the folder name is the study id): one run covers them.
    return [folders, *rdf]


@pytest.fixture
def parse_sparql_once(monkeypatch):
    """pySHACL re-parses a SPARQL constraint for every focus node (~0.1 s each); reuse the
    parsed, translated query so the comparison runs in seconds. Evaluation is unchanged."""
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    original = processor.SPARQLProcessor.query
    cache: dict[tuple[object, ...], object] = {}

    def query(self, str_or_query, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(str_or_query, str):
            key = (str_or_query, tuple(sorted((initNs or {}).items())), base)
            if key not in cache:
                cache[key] = translateQuery(parseQuery(str_or_query), base, initNs)
            str_or_query = cache[key]
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    monkeypatch.setattr(processor.SPARQLProcessor, "query", query)


def _name(inputs: list[Path]) -> str:
    return inputs[0].name if len(inputs) == 1 else "study-folders"


@pytest.mark.parametrize("inputs", _catalogue(), ids=_name)
def test_fast_engines_give_the_same_results_as_pyshacl(inputs, parse_sparql_once):
    """pyshacl-turbo and ipskg's own sparql engine against the reference, result by result:
    severity, focus node, path, value, source shape, constraint component and message."""
    data, _ = data_for_paths(inputs)
    data += ontology_terms()
    reference = engine_results(data, "pyshacl")
    for engine in ("turbo", "sparql"):
        fast = engine_results(data, engine)
        assert fast[0] == reference[0], engine
        assert Counter(r[4] for r in fast[1]) == Counter(r[4] for r in reference[1]), engine
        assert fast[1] == reference[1], engine
    if len(inputs) > 1:  # the study folders exercise most shapes, so the comparison means much
        assert len({r[4] for r in reference[1]}) >= 20
