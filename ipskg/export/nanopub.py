"""Nanopublications: one citable, immutable claim per finding and per determinant observation,
made with the ``nanopub`` library (its Nanopub graphs, its trusty-URI hashing and, when a key
is given, its RSA signing).

Each nanopublication holds
- the **assertion**: the record's own statements (an observation's construct, role, valence,
  strength, unit, phase …; a finding's statement, themes, groups);
- the **provenance** of the assertion: ``prov:wasDerivedFrom`` its source locations (section,
  locator, kind of source, the publication's DOI) and its evidence quotes with their exact text,
  ``prov:wasAttributedTo`` the study's authors or ipskg curation;
- the **publication info**: who made the nanopublication, when, and its licence (CC BY 4.0).

Unsigned nanopublications still get a trusty URI (``http://purl.org/np/RA…``): the hash of
their content, which anyone can check with the library (``Nanopub.has_valid_trusty``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ipskg.model.errors import InputError
from ipskg.model.namespaces import IPSKG, OA, PREFIXES

__all__ = ["NanopubOptions", "nanopublications"]

LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
# What an assertion leaves to the provenance graph.
_PROVENANCE_PROPS = {PROV.wasDerivedFrom, PROV.wasAttributedTo, IPSKG.evidenceQuote}


@dataclass(frozen=True)
class NanopubOptions:
    created: str  # YYYY-MM-DD: the same date gives the same trusty URIs
    creator: URIRef = IPSKG.CurationTeam
    key: Path | None = None  # an RSA private key (PEM or the nanopub library's id_rsa)
    orcid: str | None = None  # the signer's ORCID iD, needed with a key
    name: str | None = None


def _records(graph: Graph) -> Iterator[tuple[str, URIRef]]:
    for cls, kind in ((IPSKG.DeterminantObservation, "observation"), (IPSKG.Finding, "finding")):
        for record in sorted(graph.subjects(RDF.type, cls), key=str):
            if isinstance(record, URIRef):
                yield kind, record


def _describe(graph: Graph, node: URIRef, into: Graph, depth: int = 2) -> None:
    """``node``'s statements and, ``depth`` levels down, those of the nodes it points to that
    are part of its description (selectors of a source location)."""
    for p, o in graph.predicate_objects(node):
        into.add((node, p, o))
        if depth > 1 and p == OA.hasSelector and isinstance(o, URIRef):
            _describe(graph, o, into, depth - 1)


def nanopublications(graph: Graph, options: NanopubOptions) -> Iterator[tuple[str, bytes]]:
    """(file name, TriG) for every finding and determinant observation of ``graph``."""
    try:
        from nanopub import Nanopub, NanopubConf, Profile
        from nanopub.sign_utils import replace_trusty_in_graph
        from nanopub.trustyuri.rdf import RdfHasher, RdfUtils
    except ImportError:
        raise InputError(
            "nanopublications need the nanopub library, which is not installed",
            hint="pip install 'ipskg[nanopub]'",
        ) from None

    try:
        dt.date.fromisoformat(options.created)
    except ValueError:
        raise InputError(f"{options.created!r} is not a date", hint="give YYYY-MM-DD") from None
    profile = None
    if options.key is not None:
        if not options.orcid or not options.name:
            raise InputError(
                "signing needs the signer's ORCID iD and name",
                hint="give --signer-orcid https://orcid.org/… and --signer-name",
            )
        try:
            key_text = options.key.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the private key: {exc}", file=options.key) from None
        body = "".join(line for line in key_text.splitlines() if not line.startswith("-----"))
        try:
            profile = Profile(name=options.name, orcid_id=options.orcid, private_key=body)
        except Exception as exc:  # the library raises several kinds for a bad key
            raise InputError(f"the private key cannot be used: {exc}", file=options.key) from None
    created = Literal(f"{options.created}T00:00:00Z", datatype=XSD.dateTime)
    for kind, record in _records(graph):
        assertion, provenance, pubinfo = Graph(), Graph(), Graph()
        for prefix, ns in PREFIXES.items():
            for g in (assertion, provenance, pubinfo):
                g.bind(prefix, ns)
        for p, o in graph.predicate_objects(record):
            if p not in _PROVENANCE_PROPS:
                assertion.add((record, p, o))
        conf = NanopubConf(profile=profile)
        np = Nanopub(assertion=assertion, provenance=provenance, pubinfo=pubinfo, conf=conf)
        claim = np.metadata.assertion
        for source in sorted(graph.objects(record, PROV.wasDerivedFrom), key=str):
            np.provenance.add((claim, PROV.wasDerivedFrom, source))
            if isinstance(source, URIRef):
                _describe(graph, source, np.provenance)
        for quote in sorted(graph.objects(record, IPSKG.evidenceQuote), key=str):
            np.provenance.add((claim, PROV.wasDerivedFrom, quote))
            for p in (IPSKG.text, RDF.type, PROV.wasDerivedFrom):
                for o in graph.objects(quote, p):
                    np.provenance.add((quote, p, o))
                    if p == PROV.wasDerivedFrom and isinstance(o, URIRef):
                        _describe(graph, o, np.provenance)  # where the quote is printed
        for agent in graph.objects(record, PROV.wasAttributedTo):
            np.provenance.add((claim, PROV.wasAttributedTo, agent))
            for label in graph.objects(agent, RDFS.label):
                np.provenance.add((agent, RDFS.label, label))
        this = np.metadata.np_uri
        creator = (
            URIRef(options.orcid) if profile is not None and options.orcid else options.creator
        )
        np.pubinfo.add((this, DCTERMS.creator, creator))
        np.pubinfo.add((this, DCTERMS.created, created))
        np.pubinfo.add((this, DCTERMS.license, LICENCE))
        np.pubinfo.add((this, RDFS.label, Literal(f"ipskg {kind} {record}")))
        if profile is not None:
            np.sign()
        else:  # the library's trusty URI, without a signature
            assert np.is_valid
            rdf = np.rdf
            quads = RdfUtils.get_quads(rdf)
            ns = str(np.metadata.namespace)
            artefact = RdfHasher.make_hash(quads, baseuri=ns, hashstr=" ")
            np.update_from_signed(replace_trusty_in_graph(artefact, ns, rdf))
        study = str(record).split("/study/")[1].split("/")[0]
        name = f"{kind}-{study}-{str(record).rsplit('/', 1)[1]}.trig"
        yield name, np.rdf.serialize(format="trig").encode("utf-8")
