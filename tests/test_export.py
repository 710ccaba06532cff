"""Standard exports (TriG named graphs, compact JSON-LD) and the DCAT/VoID description."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

import ipskg
from ipskg.cli import main
from ipskg.export.dcat import DATASET, LICENSE, LINK_TARGETS
from ipskg.export.dump import (
    CONTEXT_URL,
    DESCRIPTION_GRAPH,
    MAPPINGS_GRAPH,
    ONTOLOGY_GRAPH,
    make_context,
    study_graph_iri,
)
from ipskg.model.namespaces import DCAT, IPSKG, VOID
from ipskg.model.resources import ontology_dir
from ipskg.vocab.ontology import ontology_graph
from ipskg.vocab.sssom import mapping_graph

SD_NAME = URIRef("http://www.w3.org/ns/sparql-service-description#name")


def _export(runner, tmp_path, *args: str) -> bytes:
    out = tmp_path / "export.out"
    result = runner.invoke(main, ["export", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _expected(built) -> Graph:
    """What every export must hold: the build plus the mappings."""
    graph = Graph()
    graph += built.graph
    graph += mapping_graph()
    return graph


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, bytes]:
    """Each export made once through the CLI (plus the description, as Turtle)."""
    from click.testing import CliRunner

    runner, folder = CliRunner(), tmp_path_factory.mktemp("exports")
    made = {fmt: _export(runner, folder, "-f", fmt) for fmt in ("ttl", "nt", "trig", "jsonld")}
    made["describe"] = _export(runner, folder, "--describe", "-f", "ttl")
    return made


@pytest.fixture(scope="module")
def nt_graph(exports):
    return Graph().parse(data=exports["nt"], format="nt")


@pytest.fixture(scope="module")
def trig(exports):
    ds = Dataset()
    ds.parse(data=exports["trig"], format="trig")
    return ds


@pytest.fixture(scope="module")
def description(exports):
    return Graph().parse(data=exports["describe"], format="turtle")


def test_turtle_and_ntriples_hold_the_build(exports, built, nt_graph):
    ttl = Graph().parse(data=exports["ttl"], format="turtle")
    expected = _expected(built)
    assert isomorphic(ttl, expected)
    assert isomorphic(nt_graph, expected)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_exports_are_byte_stable(runner, tmp_path, exports, fmt):
    assert _export(runner, tmp_path, "-f", fmt) == exports[fmt]


def test_trig_has_one_graph_per_study_plus_ontology_mappings_description(trig, built):
    graphs = {g.identifier: g for g in trig.graphs() if len(g)}
    expected_names = {
        ONTOLOGY_GRAPH,
        DESCRIPTION_GRAPH,
        *(study_graph_iri(s.id) for s in built.studies),
    }
    expected_names.add(MAPPINGS_GRAPH)
    assert set(graphs) == expected_names
    # each study is described in its own graph, and only there
    for study in built.studies:
        study_iri = URIRef(f"https://w3id.org/ipskg/study/{study.id}")
        holders = [name for name, g in graphs.items() if (study_iri, RDF.type, IPSKG.Study) in g]
        assert holders == [study_graph_iri(study.id)]
    assert (IPSKG.Study, None, None) in graphs[ONTOLOGY_GRAPH]
    # the union of the data graphs is the build; the description is kept apart
    union = Graph()
    for name, g in graphs.items():
        if name != DESCRIPTION_GRAPH:
            union += g
    assert isomorphic(union, _expected(built))
    assert (DATASET, RDF.type, DCAT.Dataset) in graphs[DESCRIPTION_GRAPH]
    assert (DATASET, RDF.type, DCAT.Dataset) not in union


def _offline_context() -> dict:
    return json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))


def test_jsonld_refers_to_the_published_context_and_round_trips(exports, nt_graph, tmp_path):
    from ipskg.io.rdf import read_graph

    data = exports["jsonld"]
    doc = json.loads(data)
    assert doc["@context"] == CONTEXT_URL == "https://w3id.org/ipskg/context.jsonld"
    # rdflib, with the context put in place of its IRI (nothing is fetched)
    inlined = {**doc, "@context": _offline_context()["@context"]}
    back = Graph().parse(data=json.dumps(inlined), format="json-ld")
    assert isomorphic(back, nt_graph)
    # ipskg's own reader resolves the IRI from the package
    path = tmp_path / "kg.jsonld"
    path.write_bytes(data)
    assert len(read_graph(path)) == len(nt_graph)
    # plain JSON for web developers: short keys, IRIs as strings
    quotes = [n for n in doc["@graph"] if n.get("type") == "Quote"]
    assert quotes, "no quote node with type 'Quote'"
    assert all(
        isinstance(q["inStudy"], str) and q["inStudy"].startswith("https://") for q in quotes
    )
    assert all("text" in q for q in quotes)


def test_jsonld_round_trips_through_pyld_offline(exports, nt_graph):
    pyld = pytest.importorskip("pyld")
    context = _offline_context()

    def loader(url, options=None):
        assert url == CONTEXT_URL, f"pyld asked for {url}"
        return {"contextUrl": None, "documentUrl": url, "document": context}

    doc = json.loads(exports["jsonld"])
    expanded = pyld.jsonld.expand(doc, {"documentLoader": loader})
    assert expanded
    nquads = pyld.jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": loader})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), nt_graph)


# the framed example of docs/exports.md: one study with its observations, each with the cases
# it was observed in
STUDY_FRAME = {
    "@context": [CONTEXT_URL, {"observations": {"@reverse": "ipskg:inStudy"}}],
    "@id": "https://w3id.org/ipskg/study/harkko-2025",
    "@explicit": True,
    "title": {},
    "observations": {
        "type": "DeterminantObservation",
        "@explicit": True,
        "construct": {"@embed": "@never"},
        "valence": {"@embed": "@never"},
        "strength": {},
        "observedIn": {
            "@explicit": True,
            "label": {},
            "hasMemberCase": {"@explicit": True, "label": {}},
        },
    },
}


def test_jsonld_frames_a_study_with_pyld(exports):
    pyld = pytest.importorskip("pyld")
    context = _offline_context()

    def loader(url, options=None):
        return {"contextUrl": None, "documentUrl": url, "document": context}

    doc = json.loads(exports["jsonld"])
    framed = pyld.jsonld.frame(doc, STUDY_FRAME, {"documentLoader": loader, "omitGraph": True})
    assert framed["type"] == "Study"
    observations = framed["observations"]
    assert len(observations) > 10
    first = min(observations, key=lambda o: o["id"])
    assert first["construct"].startswith("cfir:") and isinstance(first["strength"], int)
    unit = first["observedIn"]
    cases = unit.get("hasMemberCase", [unit]) if unit["type"] == "CaseGroup" else [unit]
    assert all(c["type"] == "Case" and c["label"] for c in cases)


def test_jsonld_numbers_and_booleans_are_native(exports):
    doc = json.loads(exports["jsonld"])
    keys = {k for n in doc["@graph"] for k in n}
    assert not [k for k in keys if k.startswith("ipskg:")], "a term fell back to a CURIE key"
    seen: dict[str, set[type]] = {}
    for node in doc["@graph"]:
        for key in (
            "strength",
            "ratingScore",
            "caseCount",
            "memberCount",
            "powellNumber",
            "sectionUnknown",
            "ratioMeasure",
        ):
            if key in node:
                values = node[key] if isinstance(node[key], list) else [node[key]]
                seen.setdefault(key, set()).update(type(v) for v in values)
    assert seen["strength"] == seen["ratingScore"] == seen["caseCount"] == {int}
    assert seen["memberCount"] == seen["powellNumber"] == {int}
    assert seen["sectionUnknown"] == seen["ratioMeasure"] == {bool}
    # reported numbers: a whole number as printed is a JSON number, a decimal a typed value
    values = [n["numericValue"] for n in doc["@graph"] if "numericValue" in n]
    assert any(isinstance(v, int) for v in values)
    assert all(
        isinstance(v, int) or (isinstance(v, dict) and v["@type"] == "xsd:decimal") for v in values
    )


def test_jsonld_literal_datatypes_agree_with_the_context(nt_graph):
    """Every typed term's values carry that datatype (else rdflib writes a CURIE key)."""
    ctx = _offline_context()["@context"]
    xsd = str(XSD)
    for term, definition in ctx.items():
        if not isinstance(definition, dict) or definition.get("@type", "@id") == "@id":
            continue
        prefix, local = definition["@id"].split(":", 1)
        prop = URIRef(ctx[prefix] + local)
        datatype = URIRef(xsd + definition["@type"].split(":", 1)[1])
        for value in nt_graph.objects(None, prop):
            assert isinstance(value, Literal) and value.datatype == datatype, (term, value)


def test_jsonld_can_inline_the_context(runner, tmp_path):
    doc = json.loads(_export(runner, tmp_path, "-f", "jsonld", "--inline-context"))
    assert doc["@context"] == _offline_context()["@context"]


def test_context_file_is_in_sync_with_the_ontology():
    published = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))
    assert published["@context"] == make_context(ontology_graph()), (
        "ontology/context.jsonld is out of date: run python -m ipskg.export.dump --write-context"
    )


def test_context_types_object_properties_as_iris():
    ctx = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    for term in ("label", "inStudy", "text", "valence", "construct", "saidBy"):
        assert term in ctx, term
    for term in ("inStudy", "valence", "construct", "saidBy"):
        assert ctx[term]["@type"] == "@id", term
    assert ctx["label"] == "rdfs:label"


def _value(graph: Graph, s, p) -> int:
    value = graph.value(s, p)
    assert isinstance(value, Literal), (s, p)
    return int(value)


def _count(graph: Graph, query: str) -> int:
    return int(next(iter(graph.query(query)))[0])


def test_description_counts_match_the_exported_data(description, trig, built, nt_graph):
    desc = description
    assert (DATASET, RDF.type, VOID.Dataset) in desc
    assert desc.value(DATASET, DCAT.version) == Literal(ipskg.__version__)
    assert desc.value(DATASET, DCTERMS.license) == LICENSE
    data = nt_graph
    counts = {
        VOID.triples: "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        VOID.distinctSubjects: "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
        VOID.distinctObjects: "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
        VOID.properties: "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
        VOID.classes: "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
        VOID.entities: "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
        "FILTER(isIRI(?s) && STRSTARTS(STR(?s), 'https://w3id.org/ipskg/')) }",
    }
    for prop, query in counts.items():
        assert _value(desc, DATASET, prop) == _count(data, query), prop
    # subsets: one per named graph, the same counts as the TriG graphs, adding up to the total
    sizes = {g.identifier: len(g) for g in trig.graphs() if g.identifier != DESCRIPTION_GRAPH}
    subsets = {
        desc.value(s, SD_NAME): _value(desc, s, VOID.triples)
        for s in desc.objects(DATASET, VOID.subset)
        if desc.value(s, SD_NAME)
    }
    assert subsets == {k: v for k, v in sizes.items() if v}
    assert sum(subsets.values()) == len(data)
    for study in built.studies:
        assert study_graph_iri(study.id) in subsets


def test_linksets_count_the_links_to_each_external_vocabulary(description, nt_graph):
    desc = description
    linksets = {s for s in desc.subjects(RDF.type, VOID.Linkset)}
    assert linksets, "no linkset: the graph links at least to the DOIs of its papers"
    found = 0
    for target in LINK_TARGETS:
        links = URIRef(f"{DATASET}/linkset/{target.key}")
        space = target.uri_space
        n = sum(
            1
            for s, _, o in nt_graph
            if isinstance(o, URIRef) and str(o).startswith(space) and not str(s).startswith(space)
        )
        if n == 0:
            assert links not in linksets, target.key
            continue
        found += 1
        assert _value(desc, links, VOID.triples) == n, target.key
        other = desc.value(links, VOID.objectsTarget)
        assert desc.value(other, VOID.uriSpace) == Literal(target.uri_space)
        assert (DATASET, VOID.subset, links) in desc
    assert found == len(linksets)


def test_description_names_the_endpoint_and_downloads(runner, tmp_path):
    desc = Graph().parse(
        data=_export(
            runner,
            tmp_path,
            "--describe",
            "--endpoint",
            "http://127.0.0.1:7878/query",
            "--download-url",
            "https://example.org/ipskg",
        ),
        format="turtle",
    )
    endpoint = URIRef("http://127.0.0.1:7878/query")
    assert desc.value(DATASET, VOID.sparqlEndpoint) == endpoint
    service = desc.value(predicate=DCAT.endpointURL, object=endpoint)
    assert (service, RDF.type, DCAT.DataService) in desc
    assert (service, DCAT.servesDataset, DATASET) in desc
    dumps = set(desc.objects(DATASET, VOID.dataDump))
    assert URIRef("https://example.org/ipskg/ipskg.trig") in dumps
    formats = {desc.value(d, DCAT.mediaType) for d in desc.objects(DATASET, DCAT.distribution)}
    assert URIRef("https://www.iana.org/assignments/media-types/application/ld+json") in formats


def test_description_without_endpoint_claims_none(description):
    desc = description
    assert desc.value(DATASET, VOID.sparqlEndpoint) is None
    assert not list(desc.subjects(RDF.type, DCAT.DataService))
    assert not list(desc.objects(None, DCAT.downloadURL))
    assert all(
        isinstance(v, Literal) and v.datatype == XSD.integer
        for v in desc.objects(None, VOID.triples)
    )


def test_bad_endpoint_url_is_a_usage_error(runner):
    result = runner.invoke(main, ["export", "--describe", "--endpoint", "localhost:3030"])
    assert result.exit_code == 2
    assert "not an http(s) URL" in result.output
