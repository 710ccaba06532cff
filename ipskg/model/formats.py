"""Every format ipskg reads or writes, one table per key space (no I/O, light to import).

- RDF graph formats (``-f`` of ``build``, ``export``, ``merge``, ``ontology``): a key, the file
  suffix, the media type and rdflib's serializer name.
- RDF input suffixes: how the one RDF reader (:mod:`ipskg.io.rdf`) tells a file's format.
- Result formats of a question (``ipskg query -f``) and report formats (``ipskg validate -f``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BUILD_FORMATS",
    "EXPORT_FORMATS",
    "GRAPH_FORMATS",
    "ONTOLOGY_FORMATS",
    "RDF_INPUT_SUFFIXES",
    "REPORT_FORMATS",
    "RESULT_FORMATS",
    "GraphFormat",
]


@dataclass(frozen=True)
class GraphFormat:
    """One RDF serialisation: its name, file suffix, IANA media type, rdflib's name, and the
    local name of its W3C format IRI (http://www.w3.org/ns/formats/<w3c>)."""

    name: str
    suffix: str
    media_type: str
    rdflib: str
    w3c: str


GRAPH_FORMATS: dict[str, GraphFormat] = {
    "ttl": GraphFormat("Turtle", ".ttl", "text/turtle", "longturtle", "Turtle"),
    "nt": GraphFormat("N-Triples", ".nt", "application/n-triples", "nt", "N-Triples"),
    "jsonld": GraphFormat("JSON-LD", ".jsonld", "application/ld+json", "json-ld", "JSON-LD"),
    "xml": GraphFormat("RDF/XML", ".owl", "application/rdf+xml", "xml", "RDF_XML"),
    "trig": GraphFormat("TriG", ".trig", "application/trig", "trig", "TriG"),
}

# which graph formats each writer offers
BUILD_FORMATS: tuple[str, ...] = ("ttl", "nt", "jsonld")  # ipskg build: one graph
EXPORT_FORMATS: tuple[str, ...] = ("ttl", "nt", "trig", "jsonld")  # export, merge: + named graphs
ONTOLOGY_FORMATS: tuple[str, ...] = ("ttl", "xml", "jsonld", "nt")  # ipskg ontology: + Protégé

# suffix -> graph format key of a file the RDF reader accepts
RDF_INPUT_SUFFIXES: dict[str, str] = {
    ".ttl": "ttl",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}

# ``ipskg query -f``: table for people; csv and tsv as the W3C SPARQL 1.1 CSV and TSV result
# formats; json the SPARQL 1.1 JSON results; md a Markdown table.
RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "md")

# ``ipskg validate -f``: text for people, json for programs, ttl the standard sh:ValidationReport.
REPORT_FORMATS: tuple[str, ...] = ("text", "json", "ttl")
