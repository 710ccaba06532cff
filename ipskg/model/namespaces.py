"""RDF namespaces: the standard vocabularies ipskg reuses and the IRIs it mints."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ipskg.model.terms import IPSKG

__all__ = [
    "BASE",
    "BIBO",
    "CFIR",
    "DCAT",
    "DCTERMS",
    "ERIC",
    "INTEGER_TYPES",
    "IPS",
    "IPSKG",
    "MODEL",
    "OA",
    "OUTCOME",
    "OWL",
    "PREFIXES",
    "PROCTOR",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "SPDX",
    "STUDY",
    "VOID",
    "XSD",
    "curie",
]

BASE = "https://w3id.org/ipskg/"
CFIR = Namespace(BASE + "cfir/")
OUTCOME = Namespace(BASE + "outcome/")
PROCTOR = Namespace(BASE + "proctor/")
IPS = Namespace(BASE + "ips/")
ERIC = Namespace(BASE + "eric/")
MODEL = Namespace(BASE + "model/")
STUDY = Namespace(BASE + "study/")
OA = Namespace("http://www.w3.org/ns/oa#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
SPDX = Namespace("http://spdx.org/rdf/terms#")

PREFIXES: dict[str, str] = {
    "ipskg": str(IPSKG),
    "cfir": str(CFIR),
    "outcome": str(OUTCOME),
    "proctor": str(PROCTOR),
    "ips": str(IPS),
    "eric": str(ERIC),
    "model": str(MODEL),
    "study": str(STUDY),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "dcat": str(DCAT),
    "void": str(VOID),
    "bibo": str(BIBO),
    "spdx": str(SPDX),
}


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def curie(iri: str, *, skip: frozenset[str] = frozenset(), name_only: bool = False) -> str | None:
    """The compact name ``prefix:local`` of an IRI under ipskg's prefixes (the longest
    namespace wins), or None. ``skip``: prefixes not to use; ``name_only``: only when the local
    part is a plain name (letters, digits, ``_`` and ``-``), as a JSON-LD term must be.

    The one CURIE compactor: reports, query tables and the JSON-LD context all use it."""
    for prefix, ns in _BY_LENGTH:
        if prefix in skip or not iri.startswith(ns):
            continue
        local = iri[len(ns) :]
        if name_only and not (local and all(c.isalnum() or c in "_-" for c in local)):
            continue
        return f"{prefix}:{local}"
    return None


# The integer subtypes of XSD: Oxigraph stores them as xsd:integer, every SPARQL backend of
# ipskg reports them so, and a stored graph gets them back from the properties' ranges.
INTEGER_TYPES = frozenset(
    str(XSD[t])
    for t in (
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
