"""A DCAT-AP 3 + VoID description of the exported or released dataset: catalogue, dataset,
distributions (with access URLs, media types, formats, licence and, for release files, SHA-256
checksums and byte sizes), publisher and contact point when given, counts and linksets.

What only the user can say (the publisher, the contact point, a homepage, where the files are
downloaded) comes from command options; when it is not given it is left out, never guessed,
and :func:`missing_recommended` names what DCAT-AP 3 recommends and the description lacks."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from ipskg import __version__
from ipskg.export.dump import Part, data_graph
from ipskg.model.formats import EXPORT_FORMATS, GRAPH_FORMATS
from ipskg.model.namespaces import BASE, DCAT, IPSKG, OA, PREFIXES, SPDX, VOID

__all__ = [
    "CATALOG",
    "DATASET",
    "LICENSE",
    "LINK_TARGETS",
    "PUBLISHER_TYPES",
    "REUSED_VOCABULARIES",
    "LinkTarget",
    "Publication",
    "describe",
    "first_release_date",
    "link_counts",
    "missing_recommended",
]

DATASET = URIRef(BASE + "dataset")
CATALOG = URIRef(BASE + "catalog")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
VANN = Namespace("http://purl.org/vocab/vann/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = Namespace(EU + "file-type/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")

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

# Kinds of publisher, from the ADMS publisher type vocabulary DCAT-AP 3 names for an Agent's
# dct:type (option key -> (IRI local name, label)).
PUBLISHER_TYPES: dict[str, tuple[str, str]] = {
    "academia": ("Academia-ScientificOrganisation", "Academia/Scientific organisation"),
    "company": ("Company", "Company"),
    "industry-consortium": ("IndustryConsortium", "Industry consortium"),
    "local-authority": ("LocalAuthority", "Local authority"),
    "national-authority": ("NationalAuthority", "National authority"),
    "non-governmental": ("NonGovernmentalOrganisation", "Non-governmental organisation"),
    "non-profit": ("NonProfitOrganisation", "Non-profit organisation"),
    "individual": ("PrivateIndividual(s)", "Private individual(s)"),
    "regional-authority": ("RegionalAuthority", "Regional authority"),
    "standardisation-body": ("StandardisationBody", "Standardisation body"),
    "supranational-authority": ("SupraNationalAuthority", "Supra-national authority"),
}

# Planned availability (EU authority table DCAT-AP 3 names for dcatap:availability).
AVAILABILITY: dict[str, str] = {
    "temporary": "Temporary",
    "experimental": "Experimental",
    "available": "Available",
    "stable": "Stable",
}

# The EU data themes the dataset is about (dcat:theme from the mandatory vocabulary).
_THEMES = (("HEAL", "Health"), ("SOCI", "Population and society"))
_DATA_THEME = URIRef(EU + "data-theme")
_ENGLISH = URIRef(EU + "language/ENG")

# file suffix -> (IANA media type, EU file type)
_FILE_TYPES: dict[str, tuple[str, str]] = {
    ".ttl": ("text/turtle", "RDF_TURTLE"),
    ".nt": ("application/n-triples", "RDF_N_TRIPLES"),
    ".trig": ("application/trig", "RDF_TRIG"),
    ".jsonld": ("application/ld+json", "JSON_LD"),
    ".owl": ("application/rdf+xml", "RDF_XML"),
    ".tsv": ("text/tab-separated-values", "TSV"),
}

# What each release file holds (title, description); files not listed are not distributions
# of the dataset (licences, citation, change log, checksums, redirect rules).
_RELEASE_FILES: dict[str, tuple[str, str]] = {
    "ipskg-kg.ttl": (
        "ipskg knowledge graph (Turtle)",
        "The validated knowledge graph: ontology, every bundled study and the mappings.",
    ),
    "ipskg-kg.nt": (
        "ipskg knowledge graph (N-Triples)",
        "The validated knowledge graph: ontology, every bundled study and the mappings.",
    ),
    "ipskg-kg.jsonld": (
        "ipskg knowledge graph data (JSON-LD)",
        "The studies and the mappings of the knowledge graph as compact JSON-LD, without "
        "the ontology (in ipskg.jsonld).",
    ),
    "ipskg.owl": ("ipskg ontology (RDF/XML)", "The merged ipskg ontology, all modules."),
    "ipskg.ttl": ("ipskg ontology (Turtle)", "The merged ipskg ontology, all modules."),
    "ipskg.jsonld": ("ipskg ontology (JSON-LD)", "The merged ipskg ontology, all modules."),
    "ipskg-full.owl": (
        "ipskg ontology with inferred hierarchy (RDF/XML)",
        "The merged ontology with the class hierarchy the HermiT reasoner infers.",
    ),
    "ipskg-base.owl": (
        "ipskg base ontology (RDF/XML)",
        "ipskg's own axioms only, without the declarations of reused terms.",
    ),
    "ipskg-shapes.ttl": (
        "ipskg SHACL shapes (Turtle)",
        "The SHACL shapes the knowledge graph conforms to, for validating new case data.",
    ),
    "ipskg-mappings.ttl": (
        "ipskg mappings in SSSOM RDF (Turtle)",
        "The mapping sets in SSSOM's own RDF, with confidence and justification.",
    ),
    "context.jsonld": (
        "ipskg JSON-LD context",
        "The JSON-LD context of ipskg's JSON-LD files (https://w3id.org/ipskg/context.jsonld).",
    ),
}

_KEYWORDS = (
    "Individual Placement and Support",
    "supported employment",
    "CFIR",
    "implementation science",
)


@dataclass(frozen=True)
class Publication:
    """What the user says about publishing the dataset (command options); None: not stated."""

    publisher: str | None = None
    publisher_type: str | None = None  # a key of PUBLISHER_TYPES
    contact: str | None = None  # an e-mail address or an http(s) URL
    homepage: str | None = None
    issued: dt.date | None = None
    modified: dt.date | None = None
    availability: str | None = None  # a key of AVAILABILITY


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


def first_release_date(changelog: str) -> dt.date | None:
    """The date of the earliest released version in a Keep a Changelog file."""
    dates = re.findall(r"^## \[[^\]]+\] - (\d{4}-\d{2}-\d{2})", changelog, flags=re.MULTILINE)
    return min((dt.date.fromisoformat(d) for d in dates), default=None)


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _vocabularies(graph: Graph) -> list[str]:
    used: set[str] = set()
    terms = set(graph.predicates()) | {
        o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)
    }
    own = str(IPSKG)
    for term in terms:
        if str(term).startswith(own):
            used.add(own)
        for ns in REUSED_VOCABULARIES:
            if str(term).startswith(ns) and len(str(term)) > len(ns):
                used.add(ns)
    return sorted(used)


def _countries(data: Graph) -> list[tuple[URIRef, Literal]]:
    """The countries (ipskg:Country) that the exported studies name as their country."""
    named = {
        str(value)
        for char in data.subjects(IPSKG.aspect, IPSKG.CountryAspect)
        for value in data.objects(char, IPSKG.value)
    }
    found: list[tuple[URIRef, Literal]] = []
    for country in data.subjects(RDF.type, IPSKG.Country):
        label = next((lb for lb in data.objects(country, RDFS.label) if str(lb) in named), None)
        if isinstance(country, URIRef) and isinstance(label, Literal):
            found.append((country, label))
    return sorted(found)


def _partial_date(text: str) -> Literal:
    """An ISO 8601 year, year-month or date, typed as DCAT recommends (xsd:gYear,
    xsd:gYearMonth, xsd:date), at the precision it was written."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(text), XSD.date)
    return Literal(text, datatype=datatype)


@dataclass(frozen=True)
class _Period:
    """When one study collected its data, as its study file states it."""

    study: URIRef
    name: str
    start: str | None
    end: str | None


def _periods(data: Graph) -> list[_Period]:
    """The data collection periods the exported studies state (study.yaml data_collection:)."""
    found: list[_Period] = []
    for study in data.subjects(RDF.type, IPSKG.Study):
        period = data.value(study, DCTERMS.temporal)
        if not isinstance(study, URIRef) or period is None:
            continue
        sid = data.value(study, DCTERMS.identifier)
        title = data.value(study, DCTERMS.title) or data.value(study, RDFS.label)
        name = f"{sid}: {title}" if title is not None else str(sid)
        start, end = data.value(period, DCAT.startDate), data.value(period, DCAT.endDate)
        found.append(
            _Period(
                study,
                name,
                str(start) if start is not None else None,
                str(end) if end is not None else None,
            )
        )
    return sorted(found, key=lambda p: str(p.study))


def describe(
    parts: Sequence[Part],
    *,
    version: str = __version__,
    endpoint: str | None = None,
    download_base: str | None = None,
    publication: Publication | None = None,
    files: Mapping[str, bytes] | None = None,
) -> Graph:
    """The DCAT-AP 3 / VoID description of the data made of ``parts``.

    Counts are exact for the data (the union of the parts; the description itself is not
    counted). Without ``files`` the distributions are the ``ipskg export`` formats
    (``ipskg.ttl``, ``.nt``, ``.trig``, ``.jsonld``); with ``files`` (release file name ->
    bytes) they are the release files, with their SHA-256 checksums and byte sizes.
    ``download_base`` (a URL ending in /) adds dcat:downloadURL (and is the access URL);
    without it the access URL is the file's permanent IRI under https://w3id.org/ipskg/release/
    (release) or the dataset's IRI (export). ``endpoint`` adds void:sparqlEndpoint and a
    dcat:DataService. ``publication`` carries what the user states (publisher, contact,
    homepage, dates, availability); what it leaves out is left out.
    """
    pub = publication or Publication()
    data = data_graph(parts)
    g = Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    for prefix, namespace in (
        ("sd", SD),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("dcatap", DCATAP),
        ("adms", ADMS),
        ("filetype", FILE_TYPE),
    ):
        g.bind(prefix, str(namespace))
    ds = DATASET

    def add(s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        g.add((s, p, o))

    def concept(iri: URIRef, label: str, scheme: URIRef | None = None) -> URIRef:
        add(iri, RDF.type, SKOS.Concept)
        add(iri, SKOS.prefLabel, Literal(label, lang="en"))
        if scheme is not None:
            add(iri, SKOS.inScheme, scheme)
        return iri

    def document(url: str) -> URIRef:
        add(URIRef(url), RDF.type, FOAF.Document)
        return URIRef(url)

    add(ds, RDF.type, DCAT.Dataset)
    add(ds, RDF.type, VOID.Dataset)
    add(ds, DCTERMS.title, Literal(TITLE, lang="en"))
    add(ds, DCTERMS.description, Literal(DESCRIPTION, lang="en"))
    add(ds, DCTERMS.license, LICENSE)
    add(ds, DCAT.version, Literal(version))
    add(ds, OWL.versionInfo, Literal(version))
    add(ds, DCTERMS.conformsTo, URIRef(BASE + "ontology"))
    add(URIRef(BASE + "ontology"), RDF.type, DCTERMS.Standard)
    add(ds, DCTERMS.language, _ENGLISH)
    add(_ENGLISH, RDF.type, DCTERMS.LinguisticSystem)
    add(ds, VOID.uriSpace, Literal(BASE))
    for keyword in _KEYWORDS:
        add(ds, DCAT.keyword, Literal(keyword, lang="en"))
    add(_DATA_THEME, RDF.type, SKOS.ConceptScheme)
    add(_DATA_THEME, DCTERMS.title, Literal("Data theme", lang="en"))
    for code, label in _THEMES:
        add(ds, DCAT.theme, concept(URIRef(f"{_DATA_THEME}/{code}"), label, _DATA_THEME))
    if pub.issued:
        add(ds, DCTERMS.issued, _date(pub.issued))
    if pub.modified:
        add(ds, DCTERMS.modified, _date(pub.modified))
    if pub.homepage:
        add(ds, DCAT.landingPage, document(pub.homepage))

    # the licence: CC BY 4.0, an attribution licence
    add(LICENSE, RDF.type, DCTERMS.LicenseDocument)
    add(LICENSE, RDFS.label, Literal("Creative Commons Attribution 4.0 International", lang="en"))
    add(LICENSE, DCTERMS.type, concept(LICENCE_TYPE.Attribution, "Attribution"))

    # publisher and contact point: only as the user states them
    publisher = URIRef(f"{ds}/publisher")
    if pub.publisher:
        add(ds, DCTERMS.publisher, publisher)
        add(publisher, RDF.type, FOAF.Agent)
        add(publisher, FOAF.name, Literal(pub.publisher))
        if pub.publisher_type:
            local, label = PUBLISHER_TYPES[pub.publisher_type]
            add(publisher, DCTERMS.type, concept(PUBLISHER_TYPE[local], label))
    contact = URIRef(f"{ds}/contact")
    if pub.contact:
        add(ds, DCAT.contactPoint, contact)
        add(contact, RDF.type, VCARD.Kind)
        add(contact, VCARD.fn, Literal(pub.publisher or pub.contact))
        if "@" in pub.contact and not pub.contact.startswith(("http://", "https://")):
            add(contact, VCARD.hasEmail, URIRef(f"mailto:{pub.contact.removeprefix('mailto:')}"))
        else:
            add(contact, VCARD.hasURL, URIRef(pub.contact))

    # where the studies took place (as the studies state it; ontology/places.ttl)
    for country, label in _countries(data):
        add(ds, DCTERMS.spatial, country)
        add(country, RDF.type, DCTERMS.Location)
        add(country, SKOS.prefLabel, Literal(str(label), lang="en"))
        for match in data.objects(country, SKOS.exactMatch):
            if isinstance(match, URIRef):
                add(country, SKOS.exactMatch, match)
        # coordinates as ontology/places.ttl records them (and cites their datasets)
        for prop in (DCAT.bbox, DCAT.centroid):
            value = data.value(country, prop)
            if isinstance(value, Literal):
                add(country, prop, value)

    # when the studies collected their data: one period per study that states it
    for period in _periods(data):
        sid = str(period.study).rsplit("/", 1)[1]
        node = URIRef(f"{ds}/temporal/{sid}")
        add(ds, DCTERMS.temporal, node)
        add(node, RDF.type, DCTERMS.PeriodOfTime)
        add(node, RDFS.label, Literal(f"data collection of study {period.name}", lang="en"))
        add(node, PROV.wasDerivedFrom, period.study)
        if period.start:
            add(node, DCAT.startDate, _partial_date(period.start))
        if period.end:
            add(node, DCAT.endDate, _partial_date(period.end))

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

    # distributions: the export formats, or the release files with checksums and sizes
    entries: list[tuple[str, str, str, bytes | None, str]]
    if files is None:
        entries = [
            (
                f"ipskg{GRAPH_FORMATS[fmt].suffix}",
                f"ipskg as {GRAPH_FORMATS[fmt].name}",
                "The ontology, the studies and the mappings"
                + (", one named graph each." if fmt == "trig" else ", as one graph."),
                None,
                fmt,
            )
            for fmt in EXPORT_FORMATS
        ]
    else:
        entries = []
        for name in sorted(files):
            if name in _RELEASE_FILES:
                title, text = _RELEASE_FILES[name]
            elif name.endswith(".sssom.tsv"):
                title = f"ipskg mapping set {name.removesuffix('.sssom.tsv')} (SSSOM TSV)"
                text = "A mapping set as an SSSOM table, with its metadata."
            else:
                continue
            entries.append((name, title, text, files[name], name.replace(".", "-")))
    for name, title, text, content, slug in entries:
        suffix = "." + name.rsplit(".", 1)[1]
        media, file_type = _FILE_TYPES[suffix]
        dist = URIRef(f"{ds}/distribution/{slug}")
        add(ds, DCAT.distribution, dist)
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCTERMS.title, Literal(title, lang="en"))
        add(dist, DCTERMS.description, Literal(text, lang="en"))
        add(dist, DCAT.mediaType, URIRef(_MEDIA_TYPES + media))
        add(URIRef(_MEDIA_TYPES + media), RDF.type, DCTERMS.MediaType)
        add(dist, DCTERMS.format, FILE_TYPE[file_type])
        add(FILE_TYPE[file_type], RDF.type, DCTERMS.MediaTypeOrExtent)
        add(dist, DCTERMS.license, LICENSE)
        if suffix in (".ttl", ".nt", ".trig", ".jsonld", ".owl"):
            w3c = {
                ".ttl": "Turtle",
                ".nt": "N-Triples",
                ".trig": "TriG",
                ".jsonld": "JSON-LD",
                ".owl": "RDF_XML",
            }[suffix]
            add(ds, VOID.feature, URIRef(FORMATS_NS + w3c))
        if download_base:
            url = URIRef(f"{download_base}{name}")
            add(dist, DCAT.downloadURL, url)
            add(dist, DCAT.accessURL, url)
            if files is None or name.startswith("ipskg-kg."):
                add(ds, VOID.dataDump, url)
        elif files is not None:
            add(dist, DCAT.accessURL, URIRef(f"{BASE}release/{name}"))
        else:
            add(dist, DCAT.accessURL, ds)
        if pub.availability:
            level = URIRef(f"{EU}planned-availability/{pub.availability.upper()}")
            add(dist, DCATAP.availability, concept(level, AVAILABILITY[pub.availability]))
        if content is not None:
            checksum = URIRef(f"{dist}/checksum")
            add(dist, SPDX.checksum, checksum)
            add(checksum, RDF.type, SPDX.Checksum)
            add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
            add(SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm)
            digest = hashlib.sha256(content).hexdigest()
            add(checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary))
            add(dist, DCAT.byteSize, Literal(len(content), datatype=XSD.nonNegativeInteger))
            if pub.modified:
                add(dist, DCTERMS.issued, _date(pub.modified))

    if endpoint:
        url = URIRef(endpoint)
        service = URIRef(f"{ds}/service/sparql")
        add(ds, VOID.sparqlEndpoint, url)
        add(service, RDF.type, DCAT.DataService)
        add(service, DCTERMS.title, Literal("ipskg SPARQL endpoint", lang="en"))
        add(service, DCAT.endpointURL, url)
        add(service, DCAT.servesDataset, ds)
        protocol = URIRef("https://www.w3.org/TR/sparql11-protocol/")
        add(service, DCTERMS.conformsTo, protocol)
        add(protocol, RDF.type, DCTERMS.Standard)
        for keyword in _KEYWORDS:
            add(service, DCAT.keyword, Literal(keyword, lang="en"))
        for code, _ in _THEMES:
            add(service, DCAT.theme, URIRef(f"{_DATA_THEME}/{code}"))
        if pub.publisher:
            add(service, DCTERMS.publisher, publisher)
        if pub.contact:
            add(service, DCAT.contactPoint, contact)
        dist = URIRef(f"{ds}/distribution/sparql")
        add(ds, DCAT.distribution, dist)
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCTERMS.title, Literal("ipskg through SPARQL", lang="en"))
        add(
            dist,
            DCTERMS.description,
            Literal("The dataset served by a SPARQL endpoint.", lang="en"),
        )
        add(dist, DCAT.accessURL, url)
        add(dist, DCAT.accessService, service)
        add(dist, DCTERMS.license, LICENSE)
        add(dist, DCTERMS.format, FILE_TYPE.SPARQLQ)
        add(FILE_TYPE.SPARQLQ, RDF.type, DCTERMS.MediaTypeOrExtent)
        if pub.availability:
            level = URIRef(f"{EU}planned-availability/{pub.availability.upper()}")
            add(dist, DCATAP.availability, level)

    # the catalogue: only with a publisher (mandatory for a DCAT-AP catalogue)
    if pub.publisher:
        cat = CATALOG
        add(cat, RDF.type, DCAT.Catalog)
        add(cat, DCTERMS.title, Literal("ipskg catalogue", lang="en"))
        add(
            cat,
            DCTERMS.description,
            Literal("The catalogue of the ipskg knowledge graph and its release files.", lang="en"),
        )
        add(cat, DCTERMS.publisher, publisher)
        add(cat, DCAT.dataset, ds)
        add(cat, DCTERMS.license, LICENSE)
        add(cat, DCTERMS.language, _ENGLISH)
        add(cat, DCAT.themeTaxonomy, _DATA_THEME)
        for place in list(g.objects(ds, DCTERMS.spatial)):
            if isinstance(place, URIRef):
                add(cat, DCTERMS.spatial, place)
        if pub.issued:
            add(cat, DCTERMS.issued, _date(pub.issued))
        if pub.modified:
            add(cat, DCTERMS.modified, _date(pub.modified))
        if pub.homepage:
            add(cat, FOAF.homepage, document(pub.homepage))
        if endpoint:
            add(cat, DCAT.service, URIRef(f"{ds}/service/sparql"))
    return g


def missing_recommended(description: Graph) -> list[str]:
    """What DCAT-AP 3 makes mandatory or recommends and the description does not state, each
    with how to give it (or why ipskg cannot)."""
    ds = DATASET
    missing: list[str] = []

    def lacks(s: URIRef, p: URIRef) -> bool:
        return description.value(s, p) is None

    if (CATALOG, RDF.type, DCAT.Catalog) not in description:
        missing.append("dcat:Catalog: left out, its dct:publisher is mandatory (--publisher NAME)")
    if lacks(ds, DCTERMS.publisher):
        missing.append("dct:publisher of the dataset (--publisher NAME)")
    else:
        publisher = description.value(ds, DCTERMS.publisher)
        if isinstance(publisher, URIRef) and lacks(publisher, DCTERMS.type):
            missing.append("dct:type of the publisher (--publisher-type)")
    if lacks(ds, DCAT.contactPoint):
        missing.append("dcat:contactPoint (--contact EMAIL-or-URL)")
    if lacks(ds, DCTERMS.issued):
        missing.append("dct:issued (--issued YYYY-MM-DD)")
    if lacks(ds, DCTERMS.modified):
        missing.append("dct:modified (--modified YYYY-MM-DD)")
    if lacks(ds, DCAT.landingPage):
        missing.append("foaf:homepage of the catalogue, dcat:landingPage (--homepage URL)")
    studies = {
        s
        for sub in description.objects(ds, VOID.subset)
        for s in description.objects(sub, DCTERMS.subject)
    }
    dated = {
        s
        for p in description.objects(ds, DCTERMS.temporal)
        for s in description.objects(p, PROV.wasDerivedFrom)
    }
    undated = sorted(str(s).rsplit("/", 1)[1] for s in studies - dated)
    if lacks(ds, DCTERMS.temporal):
        missing.append(
            "dct:temporal: not stated, no exported study states when it collected its data "
            "(data_collection: in study.yaml)"
        )
    elif undated:
        missing.append(
            f"dct:temporal covers the studies that state when they collected their data; "
            f"{len(undated)} do not (no data_collection: in study.yaml): {', '.join(undated)}"
        )
    if lacks(ds, DCTERMS.spatial):
        missing.append("dct:spatial: no exported study names its country")
    else:
        places = [c for c in description.objects(ds, DCTERMS.spatial) if isinstance(c, URIRef)]
        without = sorted(
            str(c).rsplit("/", 1)[1]
            for c in places
            if lacks(c, DCAT.bbox) or lacks(c, DCAT.centroid)
        )
        if without:
            missing.append(
                "dcat:bbox and dcat:centroid: ontology/places.ttl records none for "
                + ", ".join(without)
            )
    dists = [d for d in description.objects(ds, DCAT.distribution) if isinstance(d, URIRef)]
    if any(lacks(d, DCATAP.availability) for d in dists):
        missing.append("dcatap:availability of the distributions (--availability)")
    if any(lacks(d, DCAT.downloadURL) and lacks(d, DCAT.accessService) for d in dists):
        missing.append("dcat:downloadURL of the files (--download-url URL)")
    for service in description.subjects(RDF.type, DCAT.DataService):
        if isinstance(service, URIRef) and lacks(service, DCAT.endpointDescription):
            missing.append("dcat:endpointDescription of the SPARQL service: not stated")
    return missing
