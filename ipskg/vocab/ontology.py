"""The merged ontology graph and name look-ups (notation or label to IRI) used by the loader."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ipskg.io.rdf import parse_artifact
from ipskg.model.namespaces import IPSKG, PREFIXES
from ipskg.model.resources import ontology_files

__all__ = ["Vocabulary", "load_ontology", "ontology_graph", "vocabulary"]

ONTOLOGY_IRI = URIRef("https://w3id.org/ipskg/ontology")


def load_ontology() -> Graph:
    """Parse every ontology module into one new graph (imports between modules dropped)."""
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    for path in ontology_files():
        parse_artifact(graph, path, "ontology module")
    # Modules import each other by IRI; the merged graph keeps only the top ontology header.
    for module in list(graph.subjects(RDF.type, OWL.Ontology)):
        if module != ONTOLOGY_IRI:
            for triple in list(graph.triples((module, None, None))):
                graph.remove(triple)
    graph.remove((ONTOLOGY_IRI, OWL.imports, None))
    return graph


@cache
def ontology_graph() -> Graph:
    """The merged ontology, parsed once per process. Do not modify it."""
    return load_ontology()


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().replace("–", "-").replace("&", "and").split())


@dataclass
class Vocabulary:
    """Names a data file may use for instances of one ontology class."""

    kind: str
    by_name: dict[str, URIRef] = field(default_factory=dict)
    display: dict[URIRef, str] = field(default_factory=dict)

    def add(self, iri: URIRef, *names: str) -> None:
        for name in names:
            self.by_name.setdefault(_norm(name), iri)

    def resolve(self, name: object) -> URIRef | None:
        if not isinstance(name, str | int | float):
            return None
        return self.by_name.get(_norm(str(name)))

    def suggest(self, name: object) -> str | None:
        """A did-you-mean suggestion for a name that resolves to nothing."""
        candidates = difflib.get_close_matches(
            _norm(str(name)), list(self.by_name), n=1, cutoff=0.6
        )
        if not candidates:
            return None
        iri = self.by_name[candidates[0]]
        return self.display.get(iri, candidates[0])

    def choices(self) -> list[str]:
        return sorted(set(self.display.values()))


@cache
def vocabulary(class_iri: str, kind: str) -> Vocabulary:
    """Every instance of ``class_iri`` (or a subclass), by skos:notation, labels and local name."""
    graph = ontology_graph()
    cls = URIRef(class_iri)
    classes = {cls, *graph.transitive_subjects(RDFS.subClassOf, cls)}
    vocab = Vocabulary(kind)
    for klass in sorted(classes, key=str):
        for inst in sorted(graph.subjects(RDF.type, klass), key=str):
            if not isinstance(inst, URIRef):
                continue
            notations = [str(n) for n in graph.objects(inst, SKOS.notation)]
            labels = [
                str(lit)
                for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
                for lit in graph.objects(inst, prop)
                if isinstance(lit, Literal)
            ]
            local = str(inst).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            # Notations and labels first: they win over a colliding alternative label.
            vocab.add(inst, *notations, *[lab for lab in labels[:1]], local)
            vocab.add(inst, *labels)
            shown = notations[0] if notations else local
            label = labels[0] if labels else None
            vocab.display[inst] = f"{shown} ({label})" if label and label != shown else shown
    return vocab


def terms_module_source(graph: Graph | None = None) -> str:
    """Python source of ipskg/model/terms.py: a DefinedNamespace of every declared ipskg: term."""
    graph = graph if graph is not None else load_ontology()
    declared = set()
    for kind in (
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,
    ):
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(str(IPSKG)):
                declared.add(str(term)[len(str(IPSKG)) :])
    lines = [
        '"""Every term of the ipskg ontology namespace; generated from ontology/*.ttl.',
        "",
        "Regenerate with:",
        "python -m ipskg.vocab.ontology > terms.tmp && mv terms.tmp ipskg/model/terms.py",
        '"""',
        "",
        "from rdflib import URIRef",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "",
        '__all__ = ["IPSKG"]',
        "",
        "",
        "class IPSKG(DefinedNamespace):",
        '    """ipskg: terms; a misspelled term raises AttributeError."""',
        "",
        '    _NS = Namespace("https://w3id.org/ipskg/ontology#")',
        "    _fail = True",
        "",
    ]
    lines += [f"    {name}: URIRef" for name in sorted(declared)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(terms_module_source(), end="")
