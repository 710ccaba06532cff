"""A persistent store: graphs loaded once into an on-disk Oxigraph store, then queried and
validated against without parsing them again (``ipskg load FILE... --store DIR``, then
``ipskg query NAME --store DIR`` and ``ipskg validate NEW --store DIR``).

The folder holds Oxigraph's own files and ``ipskg-store.json``: the ipskg and pyoxigraph
versions that wrote it, and what was loaded (each file's name, size and the triples it added).
A store is opened only by the versions that wrote it: another version's store gets an error
that says how to reload it, since Oxigraph's on-disk format and ipskg's graph may both change
between versions.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipskg.io.rdf import load_store
from ipskg.io.writers import atomic_write
from ipskg.model.errors import InputError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "METADATA",
    "StoreInfo",
    "load_files",
    "open_persistent",
    "stored_graph",
    "versions",
]

METADATA = "ipskg-store.json"
FORMAT = 1


def versions() -> dict[str, str]:
    """The versions a store records and must match to be opened."""
    import pyoxigraph

    from ipskg import __version__

    return {"ipskg": __version__, "pyoxigraph": pyoxigraph.__version__}


class StoreInfo(dict[str, Any]):
    """The metadata of a store (``ipskg-store.json``)."""

    @property
    def triples(self) -> int:
        return int(self.get("triples", 0))

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self.get("loaded", []))


def _reload_hint(folder: Path, info: dict[str, Any] | None) -> str:
    files = " ".join(str(f.get("file")) for f in (info or {}).get("loaded", [])) or "FILE..."
    return f"reload it: ipskg load {files} --store {folder}-new (or delete {folder} first)"


def _read_info(folder: Path) -> StoreInfo:
    if not folder.exists():
        raise InputError(
            "no such store folder",
            file=folder,
            hint=f"create it first: ipskg load FILE... --store {folder}",
        )
    if not folder.is_dir():
        raise InputError(
            "--store names a folder made by ipskg load, and this is not a folder",
            file=folder,
            hint="for a graph file use --graph",
        )
    meta = folder / METADATA
    if not meta.is_file():
        raise InputError(
            f"this folder is not an ipskg store (it has no {METADATA})",
            file=folder,
            hint=f"create a store with: ipskg load FILE... --store {folder}",
        )
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"the store's {METADATA} cannot be read ({exc})",
            file=folder,
            hint=_reload_hint(folder, None),
        ) from None
    if not isinstance(info, dict):
        raise InputError(f"the store's {METADATA} is not an object", file=folder)
    return StoreInfo(info)


def _check_versions(folder: Path, info: StoreInfo) -> None:
    wrote = {k: str(info.get(k)) for k in ("ipskg", "pyoxigraph")}
    now = versions()
    if info.get("format") != FORMAT or wrote != now:
        raise InputError(
            f"the store was written by ipskg {wrote['ipskg']} with pyoxigraph "
            f"{wrote['pyoxigraph']}; this is ipskg {now['ipskg']} with pyoxigraph "
            f"{now['pyoxigraph']}, which does not read another version's store",
            file=folder,
            hint=_reload_hint(folder, info),
        )


def open_persistent(folder: Path) -> tuple[Any, StoreInfo]:
    """Open a store made by :func:`load_files`, read-only (several processes may read it at
    once); a missing folder, a folder that is not a store, or another version's store is an
    InputError (exit 2) that says what to do."""
    import pyoxigraph

    info = _read_info(folder)
    _check_versions(folder, info)
    try:
        store = pyoxigraph.Store.read_only(str(folder))
    except OSError as exc:
        raise InputError(
            f"the store cannot be opened: {exc}", file=folder, hint=_reload_hint(folder, info)
        ) from None
    return store, info


def stored_graph(folder: Path) -> Graph:
    """The default graph of a store made by :func:`load_files`, as an rdflib graph (for
    ``ipskg export --store``).

    Oxigraph keeps numbers, booleans and dates by value: an integer of a property whose range
    in ipskg's ontology is an integer subtype (xsd:positiveInteger, xsd:nonNegativeInteger, …)
    comes back as xsd:integer and is given its range's datatype again, which is how ipskg
    writes it; other values come back in their canonical form ("4.0"^^xsd:decimal as "4").
    """
    import pyoxigraph as ox
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS, XSD

    from ipskg.io.rdf import parse_into
    from ipskg.model.namespaces import INTEGER_TYPES
    from ipskg.vocab.ontology import ontology_graph

    ranges = {
        p: URIRef(str(r))
        for p, r in ontology_graph().subject_objects(RDFS.range)
        if isinstance(p, URIRef) and str(r) in INTEGER_TYPES
    }
    store, _info = open_persistent(folder)
    # Oxigraph writes the graph as N-Triples and the one reader takes it in (terms shared, as
    # for a graph file): about twice as fast as adding the store's quads one by one.
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    graph = parse_into(Graph(), data=data, fmt="nt", source=folder)
    for predicate, datatype in ranges.items():
        stored = [
            (s, o)
            for s, o in graph.subject_objects(predicate)
            if isinstance(o, Literal) and o.datatype == XSD.integer
        ]
        for s, o in stored:
            graph.remove((s, predicate, o))
            graph.add((s, predicate, Literal(str(o), datatype=datatype, normalize=False)))
    return graph


def load_files(folder: Path, files: list[Path]) -> StoreInfo:
    """Load RDF files into the store in ``folder`` (created when missing or empty; an
    existing store of this version gets the files added). Returns its metadata."""
    import pyoxigraph

    if folder.exists() and not folder.is_dir():
        raise InputError("--store must name a folder", file=folder)
    fresh = not folder.exists() or not any(folder.iterdir())
    if fresh:
        info = StoreInfo(format=FORMAT, **versions(), created=_now(), loaded=[], triples=0)
    else:
        info = _read_info(folder)
        _check_versions(folder, info)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        store = pyoxigraph.Store(str(folder))
    except OSError as exc:
        raise InputError(f"the store cannot be opened for writing: {exc}", file=folder) from None
    try:
        for path in files:
            added = load_store(store, path)
            info["loaded"] = [
                *info.files,
                {
                    "file": str(path.resolve()),
                    "bytes": path.stat().st_size,
                    "triples_added": added,
                    "loaded": _now(),
                },
            ]
        store.optimize()
        info["triples"] = len(store)
    finally:
        store.flush()
        del store
    atomic_write(folder / METADATA, (json.dumps(info, indent=2) + "\n").encode("utf-8"))
    return info


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
