"""The release files, in the Ontology Development Kit's way: the merged ontology, its ``-full``
variant with the class hierarchy a reasoner infers, its ``-base`` variant with only ipskg's own
axioms, the knowledge graph, the shapes, the mapping sets (TSV and SSSOM RDF), the Protégé
catalog, licences and citation, and the w3id redirect rules, all with one dated version IRI."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from ipskg.io.writers import serialize, write_folder
from ipskg.model.errors import ArtifactError, InputError
from ipskg.model.namespaces import BASE
from ipskg.model.resources import ontology_dir

if TYPE_CHECKING:
    from ipskg.export.dcat import Publication

__all__ = [
    "DCAT_FILE",
    "ONTOLOGY_IRI",
    "Release",
    "base_graph",
    "htaccess",
    "inferred_hierarchy",
    "release_files",
    "write_release",
]

ONTOLOGY_IRI = URIRef(BASE + "ontology")
_ROOT_FILES = ("LICENSE", "CITATION.cff", "CHANGELOG.md")
DCAT_FILE = "ipskg-dcat.ttl"


@dataclass
class Release:
    version: str
    files: dict[str, Callable[[], bytes]]
    inferred: int  # subclass axioms the reasoner added in -full
    site_pages: int = 0  # pages of the evidence site in site/ (0: left out)
    # the DCAT-AP description of the files, made from their bytes once they exist
    describe: Callable[[Mapping[str, bytes]], Graph] | None = None


def _versioned(graph: Graph, version: str, variant: str) -> Graph:
    """A copy with the ontology header's version IRI and info set to ``version``."""
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns)
    out += graph
    out.remove((ONTOLOGY_IRI, OWL.versionIRI, None))
    out.remove((ONTOLOGY_IRI, OWL.versionInfo, None))
    suffix = "" if variant == "ipskg" else f"/{variant}"
    out.add((ONTOLOGY_IRI, OWL.versionIRI, URIRef(f"{ONTOLOGY_IRI}/{version}{suffix}")))
    out.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(version)))
    return out


def base_graph(merged: Graph) -> Graph:
    """ipskg's own axioms: statements about IRIs under https://w3id.org/ipskg/ (and the blank
    nodes of their restrictions and lists), without the declarations of reused terms (SKOS,
    PROV, Web Annotation, …) that the merged ontology carries to be self-contained."""
    own = Graph()
    for prefix, ns in merged.namespaces():
        own.bind(prefix, ns)
    for s, p, o in merged:
        if (isinstance(s, URIRef) and str(s).startswith(BASE)) or isinstance(s, BNode):
            own.add((s, p, o))
    return own


def inferred_hierarchy(merged: Graph) -> Graph:
    """The direct named superclasses HermiT infers for every class of the ontology (owlready2),
    as rdfs:subClassOf triples not already asserted."""
    from ipskg.vocab.reasoning import run_hermit

    world, consistent = run_hermit(merged)
    if not consistent:
        raise ArtifactError("the ontology is inconsistent", artifact="ontology/")
    out = Graph()
    for cls in world.classes():
        sub = URIRef(cls.iri)
        for sup in cls.is_a:
            iri = getattr(sup, "iri", None)
            if iri is None or iri == str(OWL.Thing) or iri == cls.iri:
                continue
            if (sub, RDFS.subClassOf, URIRef(iri)) not in merged:
                out.add((sub, RDFS.subClassOf, URIRef(iri)))
    return out


def htaccess(target: str) -> str:
    """w3id.org redirect rules for https://w3id.org/ipskg/ (the w3id project's convention: one
    .htaccess per folder of github.com/perma-id/w3id.org), with content negotiation, to where
    the release files (``<target>release/``) and the evidence site written inside them
    (``<target>release/site/``) are served."""
    t = target if target.endswith("/") else target + "/"
    records = "^(study|cfir|ips|eric|outcome|proctor|model|mappings)/"
    lines = [
        "# w3id.org/ipskg: permanent identifiers of the ipskg ontology, data and questions.",
        "# Install as ipskg/.htaccess in https://github.com/perma-id/w3id.org (pull request).",
        "# Content negotiation: Turtle, RDF/XML, JSON-LD, or the HTML pages.",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "",
        "# the ontology, its modules and terms (a hash IRI reaches the server as /ontology)",
    ]
    for media, file in (
        ("text/turtle", "ipskg.ttl"),
        ("application/rdf\\+xml", "ipskg.owl"),
        ("application/ld\\+json", "ipskg.jsonld"),
    ):
        lines += [
            f"RewriteCond %{{HTTP_ACCEPT}} {media}",
            f"RewriteRule ^ontology(/.*)?$ {t}release/{file} [R=303,L]",
        ]
    lines += [
        f"RewriteRule ^ontology(/.*)?$ {t}release/site/ontology/index.html [R=303,L]",
        "",
        "# release files by name, and the JSON-LD context",
        f"RewriteRule ^context\\.jsonld$ {t}release/context.jsonld [R=303,L]",
        f"RewriteRule ^release/(.+)$ {t}release/$1 [R=303,L]",
        "",
        "# study records, concepts and mapping sets: the knowledge graph, or the site",
    ]
    for media, file in (
        ("text/turtle", "ipskg-kg.ttl"),
        ("application/ld\\+json", "ipskg-kg.jsonld"),
    ):
        lines += [
            f"RewriteCond %{{HTTP_ACCEPT}} {media}",
            f"RewriteRule {records}.*$ {t}release/{file} [R=303,L]",
        ]
    lines += [
        "# in HTML: a strategy's page, a mapping set's page, else the site's home",
        f"RewriteRule ^eric/ERIC$ {t}release/site/ontology/scheme-ERIC.html [R=303,L]",
        f"RewriteRule ^eric/([A-Za-z0-9]+)$ {t}release/site/strategy/$1.html [R=303,L]",
        f"RewriteRule ^mappings/([A-Za-z0-9._-]+)\\.sssom\\.tsv$ {t}release/site/mappings/$1.html "
        "[R=303,L]",
        f"RewriteRule {records}.*$ {t}release/site/index.html [R=303,L]",
        "",
    ]
    return "\n".join(lines)


def release_files(
    version: str | None = None,
    *,
    full: bool = True,
    w3id_target: str | None = None,
    publication: Publication | None = None,
    download_url: str | None = None,
    site: bool = True,
) -> Release:
    """Every release file (name → bytes producer), the graphs built and validated once.

    ``ipskg-kg.jsonld`` holds the data (studies and mappings) without the ontology, which is
    ``ipskg.jsonld``: no OWL blank nodes (restrictions, lists) in the data file. The DCAT-AP
    description is made by :func:`write_release` once the bytes exist; its download URLs are
    under ``download_url``, else under ``<w3id_target>release/`` (where w3id.htaccess sends
    https://w3id.org/ipskg/release/<file>); ``publication`` says who publishes it (its
    modification date defaults to the version, its availability to stable)."""
    from ipskg.export.dcat import Publication, describe, first_release_date
    from ipskg.export.dump import ONTOLOGY_GRAPH, data_graph, data_parts, jsonld_bytes
    from ipskg.shacl.validate import shapes_graph, validate_build
    from ipskg.studies.build import build
    from ipskg.vocab.ontology import ontology_graph
    from ipskg.vocab.sssom import mapping_files, mapping_graph

    version = version or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(version)
    except ValueError:
        raise InputError(
            f"{version!r} is not a date", field="--version", hint="give YYYY-MM-DD"
        ) from None
    result = build()
    report = validate_build(result)
    if not report.conforms:
        raise InputError(
            "the bundled data does not conform to the shapes; nothing was released",
            hint="run ipskg build to see the results",
        )
    parts = data_parts(result)
    data = [p for p in parts if p.name != ONTOLOGY_GRAPH]
    merged = _versioned(ontology_graph(), version, "ipskg")
    inferred = inferred_hierarchy(merged) if full else Graph()
    full_graph = _versioned(merged + inferred, version, "ipskg-full")
    base = _versioned(base_graph(merged), version, "ipskg-base")
    files: dict[str, Callable[[], bytes]] = {
        "ipskg.owl": functools.partial(serialize, merged, "xml"),
        "ipskg.ttl": functools.partial(serialize, merged, "ttl"),
        "ipskg.jsonld": functools.partial(jsonld_bytes, merged),
        "ipskg-base.owl": functools.partial(serialize, base, "xml"),
        "ipskg-kg.ttl": functools.partial(serialize, result.graph, "ttl"),
        "ipskg-kg.nt": functools.partial(serialize, result.graph, "nt"),
        "ipskg-kg.jsonld": functools.partial(jsonld_bytes, data_graph(data)),
        "ipskg-shapes.ttl": functools.partial(serialize, shapes_graph(), "ttl"),
        "ipskg-mappings.ttl": functools.partial(serialize, mapping_graph(), "ttl"),
    }
    if w3id_target:
        files["w3id.htaccess"] = lambda: htaccess(w3id_target).encode("utf-8")
    if full:
        files["ipskg-full.owl"] = functools.partial(serialize, full_graph, "xml")
    for path in mapping_files():
        files[path.name] = path.read_bytes
    pages = 0
    if site:  # the evidence site with the ontology's documentation, from the same graph
        from ipskg import __version__
        from ipskg.export.site import site_files
        from ipskg.sparql.store import EmbeddedStore

        with EmbeddedStore.from_graph(result.graph) as store:
            built = site_files(result.graph, store, __version__)
        for name, body in built.files.items():
            files[f"site/{name}"] = functools.partial(bytes, body)
        pages = len(built.pages)
    files["context.jsonld"] = (ontology_dir() / "context.jsonld").read_bytes
    root = ontology_dir().parent
    for name in _ROOT_FILES:  # present in a source checkout; a wheel has LICENSE metadata only
        if (root / name).is_file():
            files[name] = (root / name).read_bytes
    changelog = root / "CHANGELOG.md"
    pub = replace(
        publication or Publication(),
        modified=(publication and publication.modified) or dt.date.fromisoformat(version),
        availability=(publication and publication.availability) or "stable",
    )
    if pub.issued is None and changelog.is_file():
        pub = replace(pub, issued=first_release_date(changelog.read_text(encoding="utf-8")))
    base_url = download_url or (
        (w3id_target if w3id_target.endswith("/") else w3id_target + "/") + "release/"
        if w3id_target
        else None
    )
    if base_url and not base_url.endswith("/"):
        base_url += "/"

    def description(produced: Mapping[str, bytes]) -> Graph:
        return describe(
            parts, version=version, download_base=base_url, publication=pub, files=produced
        )

    return Release(version, files, len(inferred), pages, description)


def write_release(outdir: Path, release: Release) -> list[Path]:
    """Write the release folder (switched as one): every file, then the DCAT-AP description
    of those bytes (ipskg-dcat.ttl: SHA-256 checksums and byte sizes of the files as written),
    then SHA256SUMS over all of them."""
    produced = {name: make() for name, make in release.files.items()}
    if release.describe is not None:
        produced[DCAT_FILE] = serialize(release.describe(produced), "ttl")
    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(produced.items())
    )
    produced["SHA256SUMS"] = sums.encode("utf-8")
    return write_folder(
        outdir, {name: functools.partial(bytes, data) for name, data in produced.items()}
    )
