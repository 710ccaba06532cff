"""A DCAT + VoID description of the exported dataset: version, licence, counts, linksets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ipskg import __version__
from ipskg.export.dump import Part, data_graph
from ipskg.model.formats import EXPORT_FORMATS, GRAPH_FORMATS
from ipskg.model.namespaces import BASE, DCAT, OA, PREFIXES, VOID

__all__ = [
    "DATASET",
    "LICENSE",
    "LINK_TARGETS",
    "REUSED_VOCABULARIES",
    "LinkTarget",
    "describe",
    "link_counts",
]

DATASET = URIRef(BASE + "dataset")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
VANN = Namespace("http://purl.org/vocab/vann/")

TITLE = "ipskg: implementation determinants of Individual Placement and Support"
DESCRIPTION = (
    "Qualitative findings on the implementation and sustainment of Individual Placement and "
    "Support (IPS), coded to the updated Consolidated Framework for Implementation Research "
    "(CFIR 2022): studies, cases, quotes, determinant observations and findings, with the "
    "ipskg ontology and mappings to external vocabularies."
)

# Namespaces of standard vocabularies the data may reuse (void:vocabulary when used).
REUSED_VOCABULARIES: tuple[str, ...] = (
    str(RDF),
    str(RDFS),
    str(OWL),
    str(XSD),
    str(SKOS),
    str(DCTERMS),
    str(PROV),
    str(OA),
    str(DCAT),
    str(VOID),
    str(VANN),
)


@dataclass(frozen=True)
class LinkTarget:
    """An external dataset that ipskg links to, recognised by its IRI space."""

    key: str
    title: str
    uri_space: str
    homepage: str


LINK_TARGETS: tuple[LinkTarget, ...] = (
    LinkTarget(
        "mesh",
        "Medical Subject Headings (MeSH)",
        "http://id.nlm.nih.gov/mesh/",
        "https://www.nlm.nih.gov/mesh/",
    ),
    LinkTarget(
        "wikidata", "Wikidata", "http://www.wikidata.org/entity/", "https://www.wikidata.org/"
    ),
    LinkTarget("doi", "DOI (publications)", "https://doi.org/", "https://www.doi.org/"),
    LinkTarget(
        "cpo",
        "Causal Pathway Ontology (CPO)",
        "http://purl.obolibrary.org/obo/cpo_",
        "https://github.com/Display-Lab/CPO",
    ),
    LinkTarget(
        "bcio",
        "Behaviour Change Intervention Ontology (BCIO)",
        "http://humanbehaviourchange.org/ontology/BCIO_",
        "https://www.humanbehaviourchange.org/",
    ),
    LinkTarget(
        "psdo",
        "Performance Summary Display Ontology (PSDO)",
        "http://purl.obolibrary.org/obo/PSDO_",
        "https://github.com/Display-Lab/psdo",
    ),
)

_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


def link_counts(graph: Graph) -> dict[str, dict[URIRef, int]]:
    """Per link target: how many triples of each predicate point into its IRI space.

    A link is a triple whose object is an IRI in the target's space and whose subject is not.
    """
    counts: dict[str, dict[URIRef, int]] = {}
    for s, p, o in graph:
        if not isinstance(o, URIRef) or not isinstance(p, URIRef):
            continue
        for target in LINK_TARGETS:
            if str(o).startswith(target.uri_space) and not str(s).startswith(target.uri_space):
                per = counts.setdefault(target.key, {})
                per[p] = per.get(p, 0) + 1
    return counts


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _vocabularies(graph: Graph) -> list[str]:
    used: set[str] = set()
    terms = set(graph.predicates()) | {
        o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)
    }
    for term in terms:
        for ns in REUSED_VOCABULARIES:
            if str(term).startswith(ns) and len(str(term)) > len(ns):
                used.add(ns)
    return sorted(used)


def describe(
    parts: Sequence[Part],
    *,
    version: str = __version__,
    endpoint: str | None = None,
    download_base: str | None = None,
) -> Graph:
    """The DCAT/VoID description of the data made of ``parts`` (as ``ipskg export`` writes it).

    Counts are exact for the exported data (the union of the parts; the description itself
    is not counted). ``endpoint`` adds void:sparqlEndpoint and a dcat:DataService;
    ``download_base`` (a URL ending in /) adds dcat:downloadURL / void:dataDump per format.
    """
    data = data_graph(parts)
    g = Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    g.bind("sd", SD)
    ds = DATASET

    def add(s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        g.add((s, p, o))

    add(ds, RDF.type, DCAT.Dataset)
    add(ds, RDF.type, VOID.Dataset)
    add(ds, DCTERMS.title, Literal(TITLE, lang="en"))
    add(ds, DCTERMS.description, Literal(DESCRIPTION, lang="en"))
    add(ds, DCTERMS.license, LICENSE)
    add(ds, DCAT.version, Literal(version))
    add(ds, OWL.versionInfo, Literal(version))
    add(ds, DCTERMS.conformsTo, URIRef(BASE + "ontology"))
    add(ds, VOID.uriSpace, Literal(BASE))
    for keyword in (
        "Individual Placement and Support",
        "supported employment",
        "CFIR",
        "implementation science",
    ):
        add(ds, DCAT.keyword, Literal(keyword, lang="en"))

    # exact statistics of the exported data
    subjects = set(data.subjects())
    add(ds, VOID.triples, _int(len(data)))
    add(ds, VOID.distinctSubjects, _int(len(subjects)))
    add(ds, VOID.distinctObjects, _int(len(set(data.objects()))))
    add(ds, VOID.properties, _int(len(set(data.predicates()))))
    add(ds, VOID.classes, _int(len(set(data.objects(None, RDF.type)))))
    add(ds, VOID.entities, _int(sum(1 for s in subjects if str(s).startswith(BASE))))
    for ns in _vocabularies(data):
        add(ds, VOID.vocabulary, URIRef(ns))
    studies = sorted(str(p.study) for p in parts if p.study)
    if studies:
        add(ds, VOID.exampleResource, URIRef(f"{BASE}study/{studies[0]}"))

    # one subset per named graph (as in the TriG export)
    for part in parts:
        sub = URIRef(f"{ds}/{part.slug}")
        add(ds, VOID.subset, sub)
        add(sub, RDF.type, VOID.Dataset)
        add(sub, RDF.type, SD.NamedGraph)
        add(sub, SD.name, part.name)
        add(sub, DCTERMS.title, Literal(part.title, lang="en"))
        add(sub, VOID.triples, _int(len(part.graph)))
        add(sub, VOID.distinctSubjects, _int(len(set(part.graph.subjects()))))
        if part.study:
            add(sub, DCTERMS.subject, URIRef(f"{BASE}study/{part.study}"))

    # linksets to the external vocabularies actually linked to
    counts = link_counts(data)
    for target in LINK_TARGETS:
        per = counts.get(target.key)
        if not per:
            continue
        other = URIRef(f"{ds}/target/{target.key}")
        add(other, RDF.type, VOID.Dataset)
        add(other, DCTERMS.title, Literal(target.title, lang="en"))
        add(other, VOID.uriSpace, Literal(target.uri_space))
        add(other, RDFS.seeAlso, URIRef(target.homepage))
        links = URIRef(f"{ds}/linkset/{target.key}")
        add(ds, VOID.subset, links)
        add(links, RDF.type, VOID.Linkset)
        add(links, VOID.subjectsTarget, ds)
        add(links, VOID.objectsTarget, other)
        add(links, VOID.target, ds)
        add(links, VOID.target, other)
        add(links, VOID.triples, _int(sum(per.values())))
        for predicate in sorted(per):
            add(links, VOID.linkPredicate, predicate)

    # distributions, one per export format; download URLs only when given
    for fmt in EXPORT_FORMATS:
        spec = GRAPH_FORMATS[fmt]
        dist = URIRef(f"{ds}/distribution/{fmt}")
        add(ds, DCAT.distribution, dist)
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCTERMS.title, Literal(f"ipskg as {spec.name}", lang="en"))
        add(dist, DCAT.mediaType, URIRef(_MEDIA_TYPES + spec.media_type))
        add(dist, DCTERMS.format, URIRef(FORMATS_NS + spec.w3c))
        add(dist, DCTERMS.license, LICENSE)
        add(ds, VOID.feature, URIRef(FORMATS_NS + spec.w3c))
        if download_base:
            url = URIRef(f"{download_base}ipskg{spec.suffix}")
            add(dist, DCAT.downloadURL, url)
            add(dist, DCAT.accessURL, url)
            add(ds, VOID.dataDump, url)

    if endpoint:
        url = URIRef(endpoint)
        service = URIRef(f"{ds}/service/sparql")
        add(ds, VOID.sparqlEndpoint, url)
        add(service, RDF.type, DCAT.DataService)
        add(service, DCTERMS.title, Literal("ipskg SPARQL endpoint", lang="en"))
        add(service, DCAT.endpointURL, url)
        add(service, DCAT.servesDataset, ds)
        add(service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/"))
        dist = URIRef(f"{ds}/distribution/sparql")
        add(ds, DCAT.distribution, dist)
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCTERMS.title, Literal("ipskg through SPARQL", lang="en"))
        add(dist, DCAT.accessURL, url)
        add(dist, DCAT.accessService, service)
    return g
