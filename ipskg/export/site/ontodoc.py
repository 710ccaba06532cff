"""The ontology's documentation in the evidence site, written from the ontology graph itself:
the ontology's own header and its modules, every class and property, every SKOS concept scheme
with all its concepts, and the value lists (individuals outside any scheme) under their class.

Why these pages rather than a documentation generator: pyLODE, the usual tool, does not get this
ontology right, as the audit behind issue 19 found (3.4.1 crashed on import; 3.3.4 showed the ERIC
scheme's IRI and eight titles as the ontology's own metadata, since the merged file holds
several resources with titles, and left out the 328 scheme members, which it does not treat as
part of the vocabulary). Here the header comes from the one ``owl:Ontology`` node of the merged
ontology and the modules from their own files, and each scheme page lists every
``skos:inScheme`` member; tests compare what the pages say with the ontology files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, SKOS, VANN
from rdflib.term import Node

from ipskg.export.matrix import _notation_key as notation_key

from .collect import label, safe_name, web_link
from .pages import Page, Part, Row, Section, Table

__all__ = [
    "OntologyDoc",
    "class_href",
    "ontology_doc",
    "ontology_pages",
    "scheme_path",
    "source_link",
    "source_parts",
]

ONTOLOGY_IRI = URIRef("https://w3id.org/ipskg/ontology")
IPSKG_NS = "https://w3id.org/ipskg/ontology#"
CLASSES_PAGE = "ontology/classes.html"
PROPERTIES_PAGE = "ontology/properties.html"
INDEX_PAGE = "ontology/index.html"

_PROPERTY_KINDS = {
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
}
_CHARACTERISTICS = {
    OWL.FunctionalProperty: "functional",
    OWL.InverseFunctionalProperty: "inverse functional",
    OWL.TransitiveProperty: "transitive",
    OWL.SymmetricProperty: "symmetric",
    OWL.AsymmetricProperty: "asymmetric",
    OWL.ReflexiveProperty: "reflexive",
    OWL.IrreflexiveProperty: "irreflexive",
}
# what places a concept under another in a scheme page's listing: SKOS, then the ERIC cluster,
# the fidelity-scale section and the CFIR domain where a module uses those instead
_PARENTS = (
    SKOS.broader,
    URIRef(IPSKG_NS + "inCluster"),
    URIRef(IPSKG_NS + "inSection"),
    URIRef(IPSKG_NS + "inDomain"),
)
_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


def anchor(text: str) -> str:
    """An HTML id from a CURIE or name (letters, digits, ``-`` and ``_``)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)


def local_name(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri).rstrip("/#"))[-1]


def scheme_path(scheme: URIRef) -> str:
    return f"ontology/scheme-{safe_name(local_name(scheme))}.html"


def class_href(curie: str) -> str:
    return f"{CLASSES_PAGE}#{anchor(curie)}"


@dataclass
class OntologyDoc:
    """What the pages document, read once from the merged ontology graph."""

    graph: Graph
    classes: list[URIRef] = field(default_factory=list)
    properties: list[URIRef] = field(default_factory=list)
    schemes: list[URIRef] = field(default_factory=list)
    members: dict[URIRef, list[URIRef]] = field(default_factory=dict)
    loose: dict[URIRef, list[URIRef]] = field(default_factory=dict)  # class -> individuals
    others: list[URIRef] = field(default_factory=list)  # individuals of outside classes only
    curies: dict[URIRef, str] = field(default_factory=dict)

    def curie(self, iri: URIRef) -> str:
        if iri not in self.curies:
            try:
                prefix, _ns, name = self.graph.namespace_manager.compute_qname(iri, False)
                self.curies[iri] = f"{prefix}:{name}" if prefix else str(iri)
            except (ValueError, KeyError):
                self.curies[iri] = str(iri)
        return self.curies[iri]

    def href(self, iri: URIRef) -> str | None:
        """The site path documenting ``iri``: its class or property entry, or its row in a
        scheme page or a class's value list; None for terms from elsewhere."""
        if iri in self.class_set:
            return class_href(self.curie(iri))
        if iri in self.property_set:
            return f"{PROPERTIES_PAGE}#{anchor(self.curie(iri))}"
        if iri in self.scheme_of:
            return f"{scheme_path(self.scheme_of[iri])}#c-{anchor(self.curie(iri))}"
        if iri in self.schemes:
            return scheme_path(iri)
        if iri in self.loose_of:
            return f"{CLASSES_PAGE}#i-{anchor(self.curie(iri))}"
        return None

    def name(self, iri: URIRef) -> str:
        """A term's label where the ontology gives one, else its CURIE."""
        g = self.graph
        for p in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
            if g.value(iri, p) is not None:
                return label(g, iri)
        return self.curie(iri)

    def link(self, iri: Node, text: str | None = None) -> list[Part]:
        if isinstance(iri, BNode):
            return [Part(describe(self, iri))]
        if not isinstance(iri, URIRef):
            return [Part(str(iri))]
        href = self.href(iri)
        shown = text or self.name(iri)
        if href is not None:
            return [Part(shown, href, title=self.curie(iri))]
        return [Part(shown, str(iri) if str(iri).startswith(("http://", "https://")) else None)]

    def __post_init__(self) -> None:
        g = self.graph
        named = lambda cls: {x for x in g.subjects(RDF.type, cls) if isinstance(x, URIRef)}  # noqa: E731
        self.classes = sorted(named(OWL.Class), key=self.curie)
        props: set[URIRef] = set()
        for kind in _PROPERTY_KINDS:
            props |= named(kind)
        self.properties = sorted(props, key=self.curie)
        in_scheme = {s for s in g.objects(None, SKOS.inScheme) if isinstance(s, URIRef)}
        self.schemes = sorted(named(SKOS.ConceptScheme) | in_scheme, key=self.curie)
        self.scheme_of: dict[URIRef, URIRef] = {}
        for scheme in self.schemes:
            found = [c for c in g.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)]
            self.members[scheme] = hierarchy(g, found)
            for c in found:
                self.scheme_of.setdefault(c, scheme)
        self.class_set = set(self.classes)
        self.property_set = set(self.properties)
        self.loose_of: dict[URIRef, URIRef] = {}
        for ind in sorted(named(OWL.NamedIndividual), key=self.curie):
            if ind in self.scheme_of or ind in self.schemes:
                continue
            types = sorted(
                t for t in g.objects(ind, RDF.type) if isinstance(t, URIRef) and t in self.class_set
            )
            if types:
                self.loose.setdefault(types[0], []).append(ind)
                self.loose_of[ind] = types[0]
            else:  # typed only by classes of other vocabularies (prov:Organization, oa:Motivation)
                self.others.append(ind)
                self.loose_of[ind] = OWL.Thing


def ontology_doc(onto: Graph) -> OntologyDoc:
    return OntologyDoc(onto)


def hierarchy(g: Graph, concepts: Iterable[URIRef]) -> list[URIRef]:
    """``concepts`` in reading order: each under its parent (SKOS broader, else the cluster,
    section or domain it belongs to), siblings by notation; depth-first."""
    members = set(concepts)
    children: dict[URIRef | None, list[URIRef]] = {}
    for c in members:
        parent = next(
            (o for p in _PARENTS for o in g.objects(c, p) if o in members and o != c), None
        )
        children.setdefault(parent if isinstance(parent, URIRef) else None, []).append(c)

    def key(c: URIRef) -> tuple[object, ...]:
        return (notation_key(str(g.value(c, SKOS.notation) or "")), label(g, c), str(c))

    out: list[URIRef] = []
    seen: set[URIRef] = set()

    def walk(node: URIRef | None) -> None:
        for c in sorted(children.get(node, []), key=key):
            if c not in seen:
                seen.add(c)
                out.append(c)
                walk(c)

    walk(None)
    for c in sorted(members - seen, key=key):  # a cycle of parents: listed after the rest
        out.append(c)
    return out


def depth(g: Graph, c: URIRef, members: set[URIRef]) -> int:
    n, node, seen = 0, c, {c}
    while True:
        parent = next((o for p in _PARENTS for o in g.objects(node, p) if o in members), None)
        if not isinstance(parent, URIRef) or parent in seen:
            return n
        n, node = n + 1, parent
        seen.add(parent)


# -- class expressions ---------------------------------------------------------------------------


def describe(doc: OntologyDoc, node: Node, budget: int = 40) -> str:
    """A blank-node class expression in Manchester-like words (``observed in some Case``,
    ``Study or Case``); a bounded walk, so a malformed graph cannot make it loop."""
    g = doc.graph
    if budget <= 0:
        return "…"
    if isinstance(node, URIRef):
        return doc.curie(node)
    if not isinstance(node, BNode):
        return str(node)
    for op, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
        head = g.value(node, op)
        if head is not None:
            items = list(Collection(g, head))[:20]
            return "(" + word.join(describe(doc, i, budget // 2) for i in items) + ")"
    one_of = g.value(node, OWL.oneOf)
    if one_of is not None:
        return "{" + ", ".join(describe(doc, i, budget // 2) for i in Collection(g, one_of)) + "}"
    complement = g.value(node, OWL.complementOf)
    if complement is not None:
        return "not " + describe(doc, complement, budget - 1)
    prop = g.value(node, OWL.onProperty)
    if prop is not None:
        p = describe(doc, prop, budget - 1)
        filler = g.value(node, OWL.onClass) or g.value(node, OWL.onDataRange)
        f = f" {describe(doc, filler, budget - 1)}" if filler is not None else ""
        for pred, word in (
            (OWL.someValuesFrom, "some"),
            (OWL.allValuesFrom, "only"),
        ):
            target = g.value(node, pred)
            if target is not None:
                return f"{p} {word} {describe(doc, target, budget - 1)}"
        value = g.value(node, OWL.hasValue)
        if value is not None:
            return f"{p} value {describe(doc, value, budget - 1)}"
        for pred, word in (
            (OWL.cardinality, "exactly"),
            (OWL.qualifiedCardinality, "exactly"),
            (OWL.minCardinality, "min"),
            (OWL.minQualifiedCardinality, "min"),
            (OWL.maxCardinality, "max"),
            (OWL.maxQualifiedCardinality, "max"),
        ):
            n = g.value(node, pred)
            if n is not None:
                return f"{p} {word} {n}{f}"
    with_restrictions = g.value(node, OWL.withRestrictions)
    on_datatype = g.value(node, OWL.onDatatype)
    if on_datatype is not None and with_restrictions is not None:
        facets = [
            f"{doc.curie(fp)} {fv}"
            for r in Collection(g, with_restrictions)
            for fp, fv in g.predicate_objects(r)
            if isinstance(fp, URIRef)
        ]
        return f"{describe(doc, on_datatype, budget - 1)}[{', '.join(facets)}]"
    return "an anonymous class"


# -- pages ----------------------------------------------------------------------------------------


def _text(g: Graph, x: Node, p: URIRef) -> str:
    values = sorted(str(v) for v in g.objects(x, p) if isinstance(v, Literal))
    return " / ".join(values)


def _links(doc: OntologyDoc, nodes: Iterable[Node]) -> list[Part]:
    parts: list[Part] = []
    for n in sorted(nodes, key=lambda n: (isinstance(n, BNode), describe(doc, n))):
        if parts:
            parts.append(Part(", "))
        parts.extend(doc.link(n))
    return parts


def source_parts(g: Graph, x: URIRef) -> list[Part]:
    parts: list[Part] = []
    for s in sorted(g.objects(x, DCTERMS.source), key=str):
        if parts:
            parts.append(Part(", "))
        parts.append(source_link(s) if isinstance(s, URIRef) else Part(str(s)))
    return parts


def source_link(iri: URIRef) -> Part:
    """A source IRI as a link, a DOI written ``doi:…``."""
    text = str(iri)
    if not text.startswith(("https://", "http://")):
        return Part(text)
    return Part(text.replace("https://doi.org/", "doi:"), text)


def _common_facts(doc: OntologyDoc, x: URIRef) -> list[tuple[str, list[Part]]]:
    g = doc.graph
    facts: list[tuple[str, list[Part]]] = [("IRI", [web_link(x)]), ("CURIE", [Part(doc.curie(x))])]
    for name, p in (
        ("label", RDFS.label),
        ("preferred label", SKOS.prefLabel),
        ("alternative labels", SKOS.altLabel),
        ("notation", SKOS.notation),
        ("definition", SKOS.definition),
        ("comment", RDFS.comment),
        ("scope note", SKOS.scopeNote),
        ("example", SKOS.example),
    ):
        text = _text(g, x, p)
        if text:
            facts.append((name, [Part(text)]))
    if (x, OWL.deprecated, Literal(True)) in g:
        facts.append(("status", [Part("deprecated")]))
    return facts


def _closing_facts(doc: OntologyDoc, x: URIRef) -> list[tuple[str, list[Part]]]:
    g = doc.graph
    facts: list[tuple[str, list[Part]]] = []
    sources = source_parts(g, x)
    if sources:
        facts.append(("source", sources))
    see = sorted(g.objects(x, RDFS.seeAlso), key=str)
    if see:
        facts.append(("see also", _links(doc, see)))
    for name, p in (("editorial note", SKOS.editorialNote), ("change note", SKOS.changeNote)):
        text = _text(g, x, p)
        if text:
            facts.append((name, [Part(text)]))
    return facts


def _class_section(doc: OntologyDoc, c: URIRef) -> Section:
    g = doc.graph
    facts = _common_facts(doc, c)
    supers = [o for o in g.objects(c, RDFS.subClassOf) if o != c]
    if supers:
        facts.append(("subclass of", _links(doc, supers)))
    subs = [s for s in g.subjects(RDFS.subClassOf, c) if isinstance(s, URIRef) and s != c]
    if subs:
        facts.append(("subclasses", _links(doc, subs)))
    for name, p in (("equivalent to", OWL.equivalentClass), ("disjoint with", OWL.disjointWith)):
        found = [o for o in g.objects(c, p) if o != c] + [
            s for s in g.subjects(p, c) if isinstance(s, URIRef) and s != c
        ]
        if found:
            facts.append((name, _links(doc, set(found))))
    for name, p in (("domain of", RDFS.domain), ("range of", RDFS.range)):
        props = [
            s
            for s in g.subjects(p, None)
            if isinstance(s, URIRef) and c in _named_in(g, g.value(s, p))
        ]
        if props:
            facts.append((name, _links(doc, set(props))))
    schemes = sorted(
        {
            doc.scheme_of[i]
            for i in g.subjects(RDF.type, c)
            if isinstance(i, URIRef) and i in doc.scheme_of
        },
        key=str,
    )
    for scheme in schemes:
        n = sum(
            1
            for i in g.subjects(RDF.type, c)
            if isinstance(i, URIRef) and doc.scheme_of.get(i) == scheme
        )
        facts.append(
            (
                "members",
                [Part(f"{n} in the scheme "), Part(label(g, scheme), scheme_path(scheme))],
            )
        )
    facts.extend(_closing_facts(doc, c))
    individuals = doc.loose.get(c, [])
    table = None
    if individuals:
        table = Table(
            f"Values of {label(g, c)}",
            ["value", "CURIE", "definition"],
            [
                [
                    [Part(label(g, i))],
                    [Part(doc.curie(i))],
                    [Part(_text(g, i, SKOS.definition) or _text(g, i, RDFS.comment))],
                ]
                for i in individuals
            ],
            cell_ids=[f"i-{anchor(doc.curie(i))}" for i in individuals],
        )
    return Section(
        f"{label(g, c)} ({doc.curie(c)})", facts=facts, table=table, anchor=anchor(doc.curie(c))
    )


def _others_section(doc: OntologyDoc) -> Section:
    g = doc.graph
    rows: list[Row] = [
        [
            [Part(label(g, i))],
            [Part(doc.curie(i))],
            _links(doc, [t for t in g.objects(i, RDF.type) if t != OWL.NamedIndividual]),
            [Part(_text(g, i, SKOS.definition) or _text(g, i, RDFS.comment))],
        ]
        for i in doc.others
    ]
    return Section(
        "Individuals of classes from other vocabularies",
        table=Table(
            "Individuals typed only by classes of other vocabularies",
            ["individual", "CURIE", "type", "definition"],
            rows,
            cell_ids=[f"i-{anchor(doc.curie(i))}" for i in doc.others],
        ),
        anchor="other-individuals",
    )


def _named_in(g: Graph, node: Node | None, budget: int = 10) -> set[URIRef]:
    """The named classes of a domain or range: the class itself, or the members of a union."""
    if isinstance(node, URIRef):
        return {node}
    if isinstance(node, BNode) and budget > 0:
        head = g.value(node, OWL.unionOf)
        if head is not None:
            out: set[URIRef] = set()
            for item in list(Collection(g, head))[:50]:
                out |= _named_in(g, item, budget - 1)
            return out
    return set()


def _property_section(doc: OntologyDoc, p: URIRef) -> Section:
    g = doc.graph
    kinds = [text for k, text in _PROPERTY_KINDS.items() if (p, RDF.type, k) in g]
    traits = [text for k, text in _CHARACTERISTICS.items() if (p, RDF.type, k) in g]
    facts = _common_facts(doc, p)
    facts.insert(0, ("kind", [Part(", ".join(kinds + traits))]))
    for name, pred in (("domain", RDFS.domain), ("range", RDFS.range)):
        values = list(g.objects(p, pred))
        if values:
            facts.append((name, _links(doc, values)))
    supers = [o for o in g.objects(p, RDFS.subPropertyOf) if o != p]
    if supers:
        facts.append(("subproperty of", _links(doc, supers)))
    subs = [s for s in g.subjects(RDFS.subPropertyOf, p) if isinstance(s, URIRef) and s != p]
    if subs:
        facts.append(("subproperties", _links(doc, subs)))
    inverse = list(g.objects(p, OWL.inverseOf)) + [
        s for s in g.subjects(OWL.inverseOf, p) if isinstance(s, URIRef)
    ]
    if inverse:
        facts.append(("inverse of", _links(doc, set(inverse))))
    chain = g.value(p, OWL.propertyChainAxiom)
    if chain is not None:
        steps = list(Collection(g, chain))[:10]
        parts: list[Part] = []
        for step in steps:
            if parts:
                parts.append(Part(" then "))
            parts.extend(doc.link(step))
        facts.append(("implied by the chain", parts))
    facts.extend(_closing_facts(doc, p))
    return Section(f"{label(g, p)} ({doc.curie(p)})", facts=facts, anchor=anchor(doc.curie(p)))


def _term_graph(onto: Graph, terms: Iterable[URIRef]) -> Graph:
    out = Graph()
    for prefix, ns in onto.namespaces():
        out.bind(prefix, ns, override=True)
    for t in terms:
        for triple in onto.cbd(t):
            out.add(triple)
    return out


def _summary_table(doc: OntologyDoc, terms: list[URIRef], caption: str, what: str) -> Table:
    g = doc.graph
    rows: list[Row] = []
    for t in terms:
        rows.append(
            [
                [Part(label(g, t), doc.href(t))],
                [Part(doc.curie(t))],
                [Part(_text(g, t, SKOS.definition) or _text(g, t, RDFS.comment))],
            ]
        )
    return Table(caption, [what, "CURIE", "definition"], rows)


def _scheme_page(
    doc: OntologyDoc, scheme: URIRef, evidence: Callable[[URIRef], list[Part]]
) -> Page:
    g = doc.graph
    members = doc.members[scheme]
    member_set = set(members)
    facts = _common_facts(doc, scheme)
    title = _text(g, scheme, DCTERMS.title)
    if title:
        facts.append(("title", [Part(title)]))
    kinds = sorted(
        {
            t
            for c in members
            for t in g.objects(c, RDF.type)
            if isinstance(t, URIRef) and t in doc.class_set
        }
    )
    facts.append(("concepts", [Part(str(len(members)))]))
    if kinds:
        facts.append(("of the classes", _links(doc, kinds)))
    tops = [c for c in members if (c, SKOS.topConceptOf, scheme) in g] + [
        c for c in g.objects(scheme, SKOS.hasTopConcept) if c in member_set
    ]
    if tops:
        facts.append(("top concepts", _links(doc, set(tops))))
    facts.extend(_closing_facts(doc, scheme))
    rows: list[Row] = []
    for c in members:
        notation = _text(g, c, SKOS.notation)
        indent = "· " * depth(g, c, member_set)
        kind = [t for t in g.objects(c, RDF.type) if t in doc.class_set]
        parent = next((o for p in _PARENTS for o in g.objects(c, p) if o in member_set), None)
        matches: list[Part] = []
        for p in _MATCHES:
            for o in sorted(g.objects(c, p), key=str):
                if matches:
                    matches.append(Part(", "))
                matches.append(Part(f"{doc.curie(p).removeprefix('skos:')} "))
                matches.extend(doc.link(o))
        rows.append(
            [
                [Part(f"{indent}{notation} {label(g, c)}".strip())],
                _links(doc, kind),
                [Part(_text(g, c, SKOS.definition))],
                doc.link(parent) if parent is not None else [],
                matches,
                source_parts(g, c),
                evidence(c),
            ]
        )
    return Page(
        scheme_path(scheme),
        f"Concept scheme: {label(g, scheme)}",
        "concept scheme",
        [
            Section("About", facts=facts),
            Section(
                "Concepts",
                text=[
                    [
                        Part(
                            "Every concept of the scheme, each under the one it belongs to "
                            "(· marks the depth); the last column links to the evidence pages "
                            "of this site where the graph holds some."
                        )
                    ]
                ],
                table=Table(
                    f"Concepts of {label(g, scheme)}",
                    ["concept", "class", "definition", "under", "mappings", "source", "evidence"],
                    rows,
                    cell_ids=[f"c-{anchor(doc.curie(c))}" for c in members],
                ),
            ),
        ],
        graph=_term_graph(g, [scheme, *members]),
        search_label=f"{label(g, scheme)} (concept scheme)",
    )


@dataclass(frozen=True)
class Module:
    iri: str
    title: str
    version: str
    file: str
    declares: int


def modules(files: Iterable[Path]) -> list[Module]:
    """Each ontology module's own header (IRI, title, version IRI) and how many terms its file
    declares, read from the module files."""
    from ipskg.io.rdf import parse_artifact

    out: list[Module] = []
    for path in files:
        mg = Graph()
        parse_artifact(mg, path, "ontology module")
        for m in mg.subjects(RDF.type, OWL.Ontology):
            declared = {
                s
                for k in (OWL.Class, *_PROPERTY_KINDS, OWL.NamedIndividual)
                for s in mg.subjects(RDF.type, k)
            }
            out.append(
                Module(
                    str(m),
                    _text(mg, m, DCTERMS.title),
                    str(mg.value(m, OWL.versionIRI) or ""),
                    path.name,
                    len(declared),
                )
            )
    return sorted(out, key=lambda m: (m.iri != str(ONTOLOGY_IRI), m.iri))


def ontology_pages(
    doc: OntologyDoc,
    module_list: list[Module],
    evidence: Callable[[URIRef], list[Part]],
    mapping_pages: list[tuple[str, str, int]],
) -> list[Page]:
    """The ontology's index page, a page of classes, one of properties and one per concept
    scheme. ``evidence(concept)`` gives the links to a concept's evidence pages;
    ``mapping_pages`` are (title, path, number of mappings) of the mapping-set pages."""
    g = doc.graph
    o = ONTOLOGY_IRI
    facts: list[tuple[str, list[Part]]] = [("IRI", [web_link(o)])]
    for name, p in (
        ("title", DCTERMS.title),
        ("description", DCTERMS.description),
        ("version", OWL.versionInfo),
        ("created", DCTERMS.created),
        ("modified", DCTERMS.modified),
        ("creator", DCTERMS.creator),
        ("preferred prefix", VANN.preferredNamespacePrefix),
        ("namespace", VANN.preferredNamespaceUri),
    ):
        text = _text(g, o, p)
        if text:
            facts.append((name, [Part(text)]))
    for name, p in (("version IRI", OWL.versionIRI), ("licence", DCTERMS.license)):
        for v in sorted(g.objects(o, p), key=str):
            facts.append((name, [web_link(v)]))
    sources = source_parts(g, o)
    if sources:
        facts.append(("sources", sources))
    counts = [
        ("classes", len(doc.classes), CLASSES_PAGE),
        ("properties", len(doc.properties), PROPERTIES_PAGE),
        ("concept schemes", len(doc.schemes), f"{INDEX_PAGE}#schemes"),
        (
            "values outside schemes",
            sum(len(v) for v in doc.loose.values()) + len(doc.others),
            CLASSES_PAGE,
        ),
    ]
    facts.append(
        (
            "terms",
            [
                part
                for i, (what, n, href) in enumerate(counts)
                for part in ([Part(", ")] if i else []) + [Part(f"{n} {what}", href)]
            ],
        )
    )
    module_rows: list[Row] = [
        [[Part(m.title or m.iri)], [web_link(m.iri)], [Part(m.file)], [Part(str(m.declares))]]
        for m in module_list
    ]
    scheme_rows: list[Row] = [
        [
            [Part(label(g, s), scheme_path(s))],
            [Part(doc.curie(s))],
            [Part(str(len(doc.members[s])))],
            source_parts(g, s),
        ]
        for s in doc.schemes
    ]
    mapping_rows: list[Row] = [
        [[Part(title, path)], [Part(str(n))]] for title, path, n in mapping_pages
    ]
    header = Graph()
    for prefix, ns in g.namespaces():
        header.bind(prefix, ns, override=True)
    for t in g.triples((o, None, None)):
        header.add(t)
    index = Page(
        INDEX_PAGE,
        _text(g, o, DCTERMS.title) or "The ipskg ontology",
        "ontology",
        [
            Section("About the ontology", facts=facts),
            Section(
                "Modules",
                text=[
                    [
                        Part(
                            "The top file imports these modules; each opens offline in "
                            "Protégé through ontology/catalog-v001.xml."
                        )
                    ]
                ],
                table=Table(
                    "Ontology modules", ["module", "IRI", "file", "terms declared"], module_rows
                ),
            ),
            Section(
                "Concept schemes",
                table=Table(
                    "Concept schemes", ["scheme", "CURIE", "concepts", "source"], scheme_rows
                ),
                anchor="schemes",
            ),
            Section(
                "Mapping sets",
                table=Table("Mapping sets (SSSOM)", ["mapping set", "mappings"], mapping_rows),
            ),
        ],
        intro=[
            Part("Written from the ontology shipped with this ipskg version: "),
            Part("classes", CLASSES_PAGE),
            Part(", "),
            Part("properties", PROPERTIES_PAGE),
            Part(", and each concept scheme with all its concepts."),
        ],
        graph=header,
        search_label="ontology",
    )
    classes = Page(
        CLASSES_PAGE,
        f"Ontology classes ({len(doc.classes)})",
        "ontology classes",
        [
            Section(
                "All classes",
                table=_summary_table(doc, doc.classes, "Classes", "class"),
            ),
            *(_class_section(doc, c) for c in doc.classes),
            _others_section(doc),
        ],
        graph=_term_graph(g, doc.classes),
        search_label="ontology classes",
    )
    properties = Page(
        PROPERTIES_PAGE,
        f"Ontology properties ({len(doc.properties)})",
        "ontology properties",
        [
            Section(
                "All properties",
                table=_summary_table(doc, doc.properties, "Properties", "property"),
            ),
            *(_property_section(doc, p) for p in doc.properties),
        ],
        graph=_term_graph(g, doc.properties),
        search_label="ontology properties",
    )
    return [index, classes, properties, *(_scheme_page(doc, s, evidence) for s in doc.schemes)]


def search_entries(doc: OntologyDoc) -> list[tuple[str, str, str]]:
    """(label, kind, path#anchor) of every class, property and concept, for the search box."""
    g = doc.graph
    out: list[tuple[str, str, str]] = []
    for kind, terms in (("class", doc.classes), ("property", doc.properties)):
        out.extend((f"{label(g, t)} ({doc.curie(t)})", kind, doc.href(t) or "") for t in terms)
    for scheme in doc.schemes:
        for c in doc.members[scheme]:
            notation = _text(g, c, SKOS.notation)
            out.append((f"{notation} {label(g, c)}".strip(), label(g, scheme), doc.href(c) or ""))
    return [e for e in out if e[2]]
