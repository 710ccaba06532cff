"""Standard exports: the graph split into named graphs (TriG), and compact JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ipskg.io.writers import canonical_blank_nodes, serialize, write_folder
from ipskg.model.errors import ArtifactError
from ipskg.model.formats import GRAPH_FORMATS
from ipskg.model.namespaces import BASE, IPSKG, PREFIXES, curie
from ipskg.model.resources import ontology_dir
from ipskg.studies.build import GRAPH_NAME, BuildResult
from ipskg.vocab.ontology import ontology_graph
from ipskg.vocab.sssom import mapping_graph

__all__ = [
    "CONTEXT_URL",
    "DESCRIPTION_GRAPH",
    "GRAPH_BASE",
    "MAPPINGS_GRAPH",
    "ONTOLOGY_GRAPH",
    "Part",
    "data_graph",
    "data_parts",
    "export_bytes",
    "graph_parts",
    "jsonld_context",
    "make_context",
    "serialize_description",
    "study_graph_iri",
    "write_outputs",
]

GRAPH_BASE = BASE + "graph/"
ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")
MAPPINGS_GRAPH = URIRef(GRAPH_BASE + "mappings")
DESCRIPTION_GRAPH = URIRef(GRAPH_BASE + "description")
OTHER_GRAPH = URIRef(GRAPH_BASE + "other")

# name -> (file suffix, media type); ttl/nt/jsonld carry the data graph, trig the named graphs

CONTEXT_FILE = "context.jsonld"
# The published context's IRI, as written in ipskg's JSON-LD files (and resolved offline by
# ipskg's reader, ipskg.io.rdf).
CONTEXT_URL = "https://w3id.org/ipskg/context.jsonld"
# Prefixes left out of the JSON-LD context so record IRIs stay full, clickable IRIs.
_CONTEXT_SKIP_PREFIXES = frozenset({"study"})


def study_graph_iri(study_id: str) -> URIRef:
    """Name of a study's named graph (distinct from the study IRI, which names the study)."""
    return URIRef(f"{GRAPH_BASE}study/{study_id}")


@dataclass
class Part:
    """One named graph of the export: its name, a title, its triples, and its study id."""

    name: URIRef
    title: str
    graph: Graph
    study: str | None = None

    @property
    def slug(self) -> str:
        return str(self.name)[len(GRAPH_BASE) :]


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


def _single_study(graph: Graph) -> str | None:
    """The id of the one study a merged file defines (https://w3id.org/ipskg/study/<id>)."""
    prefix = PREFIXES["study"]
    ids = {
        str(s)[len(prefix) :]
        for s in graph.subjects(RDF.type, IPSKG.Study)
        if isinstance(s, URIRef) and str(s).startswith(prefix)
    }
    if len(ids) == 1:
        sid = ids.pop()
        if sid and "/" not in sid and "#" not in sid:
            return sid
    return None


def data_parts(
    result: BuildResult,
    merged: Sequence[tuple[str, Graph]] = (),
    *,
    ontology: Graph | None = None,
    add_mappings: bool = True,
) -> list[Part]:
    """Split the built graph (plus mappings and merged files) into disjoint named graphs.

    Each triple goes to the first part that holds it, in this order: ontology, mappings,
    studies (by id), merged files (a file defining one new study gets that study's graph,
    others ``graph/merged/<file stem>``), then anything else (``graph/other``). The parts are
    disjoint and their union is the whole exported data, so their triple counts add up.
    Empty parts are left out. ``ontology`` is the ontology graph to match against (default:
    ipskg's, with the blank nodes the build used); ``add_mappings=False`` leaves out the
    mappings the graph does not hold itself.
    """
    candidates: list[tuple[URIRef, str, Iterable[Any], str | None]] = [
        (
            ONTOLOGY_GRAPH,
            "ipskg ontology",
            ontology if ontology is not None else ontology_graph(),
            None,
        ),
    ]
    mapping = mapping_graph()
    candidates.append((MAPPINGS_GRAPH, "ipskg mappings to external vocabularies", mapping, None))
    for study in sorted(result.studies, key=lambda s: s.id):
        candidates.append((study_graph_iri(study.id), f"study {study.id}", study.graph, study.id))
    used: set[str] = set()
    study_ids = {s.id for s in result.studies}
    for name, graph in merged:
        sid = _single_study(graph)
        if sid is not None and sid not in study_ids:  # a merged study gets a study graph
            study_ids.add(sid)
            candidates.append((study_graph_iri(sid), f"study {sid} (from {name})", graph, sid))
            continue
        slug, n = name, 2
        while slug in used:
            slug, n = f"{name}-{n}", n + 1
        used.add(slug)
        candidates.append(
            (URIRef(f"{GRAPH_BASE}merged/{slug}"), f"merged file {name}", graph, None)
        )

    everything = set(result.graph)
    if add_mappings:
        everything.update(mapping)
    for _, graph in merged:
        everything.update(graph)
    parts: list[Part] = []
    for name, title, triples, sid in candidates:
        part = _new_graph()
        for triple in triples:
            if triple in everything:
                part.add(triple)
                everything.discard(triple)
        if len(part):
            parts.append(Part(name, title, part, sid))
    if everything:
        rest = _new_graph()
        for triple in everything:
            rest.add(triple)
        parts.append(Part(OTHER_GRAPH, "other triples", rest))
    return parts


def graph_parts(graph: Graph) -> list[Part]:
    """The parts of a whole graph given as it is (``ipskg export --graph FILE`` or
    ``--store DIR``): the same split as :func:`data_parts` for a built graph, and nothing
    added (a built graph holds the mappings already). A study's part
    holds the statements about its IRI and the IRIs under it (``…/study/<id>/…``) and about
    the other IRIs they refer to, directly or through one another (its publications),
    that are not ontology terms;
    blank nodes are matched to the ontology's by their content, since a file or a store names
    them anew."""
    from ipskg.studies.records_to_rdf import MappedStudy

    graph = canonical_blank_nodes(graph)
    ontology = canonical_blank_nodes(ontology_graph())
    prefix = PREFIXES["study"]
    studies: dict[str, Graph] = {}
    for s in graph.subjects(RDF.type, IPSKG.Study):
        sid = str(s)[len(prefix) :] if isinstance(s, URIRef) and str(s).startswith(prefix) else ""
        if sid and "/" not in sid and "#" not in sid:
            studies[sid] = _new_graph()
    referred: dict[URIRef, set[str]] = {}
    for triple in graph:
        subject, obj = triple[0], triple[2]
        if isinstance(subject, URIRef) and str(subject).startswith(prefix):
            sid = str(subject)[len(prefix) :].split("/", 1)[0]
            if sid in studies:
                studies[sid].add(triple)
                if isinstance(obj, URIRef) and not str(obj).startswith(prefix):
                    referred.setdefault(obj, set()).add(sid)
    terms = set(ontology.subjects())
    todo = [node for node in referred if node not in terms]
    while todo:  # and what those refer to in turn (a publication's own references)
        node = todo.pop()
        sids = referred[node]
        for triple in graph.triples((node, None, None)):
            for sid in sids:
                studies[sid].add(triple)
            obj = triple[2]
            if isinstance(obj, URIRef) and not str(obj).startswith(prefix) and obj not in terms:
                known = referred.setdefault(obj, set())
                if not sids <= known:
                    known.update(sids)
                    todo.append(obj)
    result = BuildResult(graph, [MappedStudy(sid, g) for sid, g in studies.items()])
    return data_parts(result, ontology=ontology, add_mappings=False)


def data_graph(parts: Iterable[Part]) -> Graph:
    """The union of the parts: what the Turtle, N-Triples and JSON-LD exports contain."""
    graph = _new_graph()
    for part in parts:
        graph += part.graph
    return graph


def _dataset(parts: Iterable[Part], description: Graph | None) -> Dataset:
    ds = Dataset()
    for prefix, iri in PREFIXES.items():
        ds.bind(prefix, iri)
    ds.bind("graph", GRAPH_BASE)
    ds.bind("sd", "http://www.w3.org/ns/sparql-service-description#")
    named = [(p.name, p.graph) for p in parts]
    if description is not None:
        named.append((DESCRIPTION_GRAPH, description))
    for name, graph in named:
        target = ds.graph(name)
        for triple in graph:
            target.add(triple)
    return ds


def _trig(parts: Iterable[Part], description: Graph | None) -> bytes:
    """TriG with the named graphs in IRI order, each written as rdflib writes it and with blank
    nodes labelled by content: the same bytes on every rebuild (rdflib's own TriG writer takes
    the graphs in no fixed order)."""
    named = [(str(p.name), canonical_blank_nodes(p.graph)) for p in parts if len(p.graph)]
    if description is not None and len(description):
        named.append((str(DESCRIPTION_GRAPH), canonical_blank_nodes(description)))
    prefixes = {**PREFIXES, "graph": GRAPH_BASE, "sd": _SD}
    chunks: list[str] = []
    heads: set[str] = set()
    for name, graph in sorted(named, key=lambda item: item[0]):
        single = Dataset()
        for prefix, iri in prefixes.items():
            single.bind(prefix, iri)
        target = single.graph(URIRef(name))
        target.addN((s, p, o, target) for s, p, o in graph)
        lines = single.serialize(format="trig").splitlines(keepends=True)
        heads.update(line for line in lines if line.startswith("@prefix"))
        chunks.append("".join(ln for ln in lines if not ln.startswith("@prefix")).strip("\n"))
    return ("".join(sorted(heads)) + "\n" + "\n\n".join(chunks) + "\n").encode("utf-8")


_SD = "http://www.w3.org/ns/sparql-service-description#"


def export_bytes(
    fmt: str,
    parts: Sequence[Part],
    description: Graph | None = None,
    *,
    inline_context: bool = False,
) -> bytes:
    """Serialise the export in ``fmt`` (one of :data:`ipskg.model.formats.EXPORT_FORMATS`); the
    description goes in TriG only."""
    if fmt == "trig":
        return _trig(parts, description)
    graph = data_graph(parts)
    if fmt == "jsonld":
        return jsonld_bytes(graph, inline_context=inline_context)
    return serialize(graph, fmt)


def serialize_description(description: Graph, fmt: str) -> bytes:
    """Serialise the dataset description alone (TriG: in its named graph)."""
    if fmt == "trig":
        return _trig([], description)
    if fmt == "jsonld":
        return jsonld_bytes(description)
    return serialize(description, fmt)


# ------------------------------------------------------------------ JSON-LD


@cache
def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context (ontology/context.jsonld), its ``@context`` object."""
    path = ontology_dir() / CONTEXT_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        context = doc["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise ArtifactError(
            f"the JSON-LD context cannot be read: {exc}",
            artifact=str(path),
            hint="regenerate it: python -m ipskg.export.dump --write-context",
        ) from exc
    if not isinstance(context, dict):
        raise ArtifactError("@context is not an object", artifact=str(path))
    return context


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _sorted_values(node: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v, key=_sort_key) if isinstance(v, list) else v for k, v in node.items()}


def _native_integers(node: dict[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    """The values of integer-typed terms as JSON numbers (canonical lexical forms only)."""

    def native(value: Any) -> Any:
        digits = isinstance(value, str) and value.isascii() and value.isdigit()
        if digits and (value == "0" or not value.startswith("0")):
            return int(value)
        return value

    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in keys:
            value = [native(v) for v in value] if isinstance(value, list) else native(value)
        out[key] = value
    return out


def jsonld_bytes(
    graph: Graph, context: dict[str, Any] | None = None, *, inline_context: bool = False
) -> bytes:
    """Compact JSON-LD, nodes sorted by id, numbers and booleans as JSON numbers and booleans.

    With ipskg's published context (the default) the file refers to it by its IRI,
    ``"@context": "https://w3id.org/ipskg/context.jsonld"`` (ipskg's reader resolves that IRI
    from the package, offline); ``inline_context=True`` writes the context object itself.
    A ``context`` of the caller's is always inlined.
    """
    ctx = context if context is not None else jsonld_context()
    graph = canonical_blank_nodes(graph)  # the same blank node labels on every rebuild
    text = graph.serialize(format="json-ld", context=ctx, auto_compact=True)
    doc = json.loads(text)
    nodes = doc.get("@graph")
    if nodes is None:  # a single node is written without @graph
        nodes = [{k: v for k, v in doc.items() if k != "@context"}] if len(doc) > 1 else []
    id_key = next((k for k, v in ctx.items() if v == "@id"), "@id")
    integers = frozenset(
        k for k, v in ctx.items() if isinstance(v, dict) and v.get("@type") in _NATIVE_INTEGER_TYPES
    )
    nodes = sorted(
        (_native_integers(_sorted_values(n), integers) for n in nodes),
        key=lambda n: (str(n.get(id_key, "")), _sort_key(n)),
    )
    reference = context is None and not inline_context
    out = {"@context": CONTEXT_URL if reference else ctx, "@graph": nodes}
    return (json.dumps(out, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


# Ranges a datatype property's term is typed with. xsd:integer and xsd:boolean are not: their
# values are written as JSON numbers and booleans, which JSON-LD reads back as exactly those
# datatypes (a term typed with them would make rdflib fall back to a prefixed key). Nor is
# xsd:decimal: a reported number keeps the form it was printed in, a whole number an
# xsd:integer (a JSON number) and any other an xsd:decimal ({"@type": "xsd:decimal",
# "@value": "0.05"}: a JSON number with a fraction would be read back as an xsd:double).
_RANGE_COERCION = {
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.date,
    XSD.language,
}
# Typed terms whose values are written as JSON numbers: JSON-LD reads a number under a term
# typed xsd:nonNegativeInteger as "n"^^xsd:nonNegativeInteger.
_NATIVE_INTEGER_TYPES = frozenset({"xsd:nonNegativeInteger", "xsd:positiveInteger"})
# Standard terms named by their local name in the context (our own properties come first).
_STANDARD_TERMS = [
    "rdfs:label",
    "rdfs:comment",
    "rdfs:subClassOf",
    "rdfs:subPropertyOf",
    "rdfs:seeAlso",
    "rdfs:domain",
    "rdfs:range",
    "rdfs:isDefinedBy",
]


def make_context(ontology: Graph) -> dict[str, Any]:
    """Build the JSON-LD context from the ontology: prefixes, classes and property terms.

    Object properties are typed ``@id`` (their values read as IRIs); datatype properties
    with a non-negative or positive integer, date or language range are typed with it;
    integer, boolean and decimal ones are not (their values are JSON numbers and booleans, or
    typed values for decimals with a fraction). A local
    name used by
    two vocabularies keeps the first (ipskg's own terms win), the other stays prefixed.
    """
    ctx: dict[str, Any] = {"@version": 1.1, "id": "@id", "type": "@type"}
    for prefix, iri in sorted(PREFIXES.items()):
        if prefix not in _CONTEXT_SKIP_PREFIXES:
            ctx[prefix] = iri
    nsm = ontology.namespace_manager
    ipskg_ns = PREFIXES["ipskg"]

    terms: dict[str, Any] = {}

    def add(iri: URIRef, definition: dict[str, Any] | None) -> None:
        name = curie(str(iri), skip=_CONTEXT_SKIP_PREFIXES, name_only=True)
        if name is None:
            return
        local = name.split(":", 1)[1]
        if local in terms or local in ctx:
            return
        terms[local] = {"@id": name, **definition} if definition else name

    props: list[tuple[int, URIRef, dict[str, Any] | None]] = []
    for prop in set(ontology.subjects(RDF.type, OWL.ObjectProperty)):
        if isinstance(prop, URIRef):
            props.append((0, prop, {"@type": "@id"}))
    for kind in (OWL.DatatypeProperty, OWL.AnnotationProperty):
        for prop in set(ontology.subjects(RDF.type, kind)):
            ranges = set(ontology.objects(prop, RDFS.range))
            rng = next(iter(ranges)) if len(ranges) == 1 else None
            if isinstance(prop, URIRef):
                definition = (
                    {"@type": nsm.normalizeUri(rng)}
                    if isinstance(rng, URIRef) and rng in _RANGE_COERCION
                    else None
                )
                props.append((0, prop, definition))
    # Not typed @id: their values are often blank nodes (OWL class expressions), which rdflib
    # cannot write under an @id-typed term without losing them.
    for name in _STANDARD_TERMS:
        prefix, local = name.split(":")
        props.append((1, URIRef(PREFIXES[prefix] + local), None))
    # ipskg terms first, then other vocabularies, each sorted by IRI: stable and predictable
    for _, prop, definition in sorted(
        props, key=lambda t: (not str(t[1]).startswith(ipskg_ns), t[0], str(t[1]))
    ):
        if isinstance(prop, URIRef):
            add(prop, definition)
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    for cls in sorted(classes):
        if str(cls).startswith(ipskg_ns):
            add(cls, None)
    ctx.update(sorted(terms.items()))
    return ctx


def write_context(path: Path | None = None) -> Path:
    """Regenerate ontology/context.jsonld from the ontology (a maintainer's tool)."""
    from ipskg.io.writers import atomic_write

    target = path or ontology_dir() / CONTEXT_FILE
    doc = {"@context": make_context(ontology_graph())}
    atomic_write(target, (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    jsonld_context.cache_clear()
    return target


if __name__ == "__main__":  # python -m ipskg.export.dump --write-context
    import sys

    if sys.argv[1:] == ["--write-context"]:
        print(write_context())
    else:
        sys.exit("usage: python -m ipskg.export.dump --write-context")


def write_outputs(
    graph: Graph,
    outdir: Path,
    formats: Iterable[str] = ("ttl", "nt", "jsonld"),
    name: str = GRAPH_NAME,
) -> list[Path]:
    """Write the graph in each format to ``outdir/<name>.<suffix>``: the folder is switched as
    one (:func:`ipskg.io.writers.write_folder`), all or nothing."""
    outputs: dict[str, Callable[[], bytes]] = {}
    for fmt in formats:
        file = f"{name}{GRAPH_FORMATS[fmt].suffix}"
        if fmt == "jsonld":  # compact JSON-LD with the published context (ontology/context.jsonld)
            outputs[file] = partial(jsonld_bytes, graph)
        else:
            outputs[file] = partial(serialize, graph, fmt)
    return write_folder(outdir, outputs)
