"""Read new case data for ``ipskg validate``: study folders, Turtle and JSON-LD, and the
parts of the existing graph the new data refers to."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ipskg.io.rdf import rdf_format, read_graph
from ipskg.io.yamlio import read_text
from ipskg.model.errors import InputError
from ipskg.model.formats import RDF_INPUT_SUFFIXES
from ipskg.model.namespaces import PREFIXES, STUDY
from ipskg.studies.loader import Location, find_study_dirs

__all__ = [
    "NewData",
    "locate_subjects",
    "read_inputs",
    "read_rdf",
    "referenced_context",
]

_YAML = (".yaml", ".yml")


@dataclass
class NewData:
    """New data to validate: its graph, where each node was written, and its own nodes."""

    graph: Graph = field(default_factory=Graph)
    locations: dict[URIRef, Location] = field(default_factory=dict)
    labels: dict[URIRef, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def subjects(self) -> set[Node]:
        return set(self.graph.subjects())


def read_rdf(path: Path) -> tuple[Graph, str]:
    """Read one RDF file with the one reader's policy (:mod:`ipskg.io.rdf`); an empty file is
    an input error too. Returns the graph and the text, for locating its records."""
    text = read_text(path, "RDF")  # size limit of a hand-edited file, UTF-8, not empty
    graph = read_graph(path)
    if len(graph) == 0:
        raise InputError(
            "the RDF file holds no triples",
            file=path,
            hint="add the case data, or check that this is the right file",
        )
    return graph, text


def _rdf_locations(graph: Graph, text: str, file: str) -> dict[URIRef, Location]:
    """Where each subject IRI is first written as a subject in an RDF file (best effort)."""
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    return _first_subject_lines(subjects, dict(graph.namespaces()), text, file)


_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w\-.]*)?:\s*<([^>]*)>", re.I | re.M)


def locate_subjects(paths: Iterable[Path], iris: set[URIRef]) -> dict[URIRef, Location]:
    """Where these IRIs are first written as subjects in these RDF files (best effort; the
    Turtle prefixes are read from the files' own @prefix / PREFIX lines)."""
    found: dict[URIRef, Location] = {}
    for path in paths:
        missing = iris - set(found)
        if not missing:
            break
        text = path.read_text(encoding="utf-8", errors="replace")
        namespaces = {m.group(1) or "": m.group(2) for m in _PREFIX_LINE.finditer(text)}
        for iri, loc in _first_subject_lines(missing, namespaces, text, _rel(path)).items():
            found.setdefault(iri, loc)
    return found


def _first_subject_lines(
    subjects: set[URIRef], namespaces: dict[str, Any], text: str, file: str
) -> dict[URIRef, Location]:
    names: dict[str, URIRef] = {}
    for s in subjects:
        names[f"<{s}>"] = s
        for prefix, ns in namespaces.items():
            if prefix and str(s).startswith(str(ns)):
                local = str(s)[len(str(ns)) :]
                names[f"{prefix}:{local}"] = s
    found: dict[URIRef, Location] = {}
    # a subject as Turtle / N-Triples write it at the start of a line, a JSON-LD "@id", or an
    # RDF/XML rdf:about (its XML escapes undone)
    token = re.compile(r'^\s*(<[^>]+>|[A-Za-z][\w\-]*:(?:[\w.\-]|\\.)*)|"@id"\s*:\s*"([^"]+)"')
    about = re.compile(r'\brdf:about\s*=\s*"([^"]+)"')
    for number, line in enumerate(text.splitlines(), 1):
        if a := about.search(line):
            key = f"<{html.unescape(a.group(1))}>"
        elif m := token.search(line):
            key = re.sub(r"\\(.)", r"\1", m.group(1)) if m.group(1) else f"<{m.group(2)}>"
        else:
            continue
        iri = names.get(key)
        if iri is not None and iri not in found:
            record = str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            found[iri] = Location(file, number, record, "rdf", {})
            if len(found) == len(subjects):
                break
    return found


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_inputs(paths: Iterable[Path]) -> NewData:
    """Load every input: study folders (or a study.yaml), data roots, and RDF files."""
    from ipskg.studies.build import load_studies

    new = NewData()
    for prefix, ns in PREFIXES.items():
        new.graph.bind(prefix, ns)
    folders: list[Path] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            if path.is_symlink():
                raise InputError(
                    "the file is a symbolic link to nothing", file=path, hint="fix the link"
                )
            raise InputError(
                "no such file or folder",
                file=path,
                hint="give a study folder, a study.yaml, or an RDF file (.ttl, .jsonld, .nt, .rdf)",
            )
        if path.is_dir():
            dirs = find_study_dirs(path) if not (path / "study.yaml").is_file() else [path]
            if not dirs:
                raise InputError(
                    "the folder holds no study.yaml (and no study folders)",
                    file=path,
                    hint="every study folder needs a study.yaml",
                )
            folders.extend(dirs)
        elif path.suffix.lower() in _YAML:
            folders.append(path.parent)
        elif path.suffix.lower() in RDF_INPUT_SUFFIXES:
            graph, text = read_rdf(path)
            new.graph += graph
            for prefix, ns in graph.namespaces():
                if prefix:
                    new.graph.bind(prefix, ns, override=False)
            for iri, loc in _rdf_locations(graph, text, _rel(path)).items():
                new.locations.setdefault(iri, loc)
            new.sources.append(_rel(path))
        else:
            if path.suffix.lower() in (".n3", ".trig", ".nq"):
                rdf_format(path)  # says why this RDF is not read
            raise InputError(
                f"cannot validate a {path.suffix or 'suffix-less'} file",
                file=path,
                hint="give a study folder or its study.yaml (researcher YAML), "
                "or an RDF file (" + ", ".join(sorted(RDF_INPUT_SUFFIXES)) + ")",
            )
    unique = {f.resolve(): f for f in reversed(folders)}
    for study in load_studies(reversed(list(unique.values()))):
        new.graph += study.graph
        new.locations.update(study.locations)
        new.labels.update(study.labels)
        new.sources.append(study.id)
    return new


class TripleSource(Protocol):
    """What :func:`referenced_context` reads: an rdflib graph, or a large store's indexes
    (:class:`ipskg.io.rdf.StoreTriples`)."""

    def triples(self, pattern: tuple[Any, Any, Any]) -> Iterator[tuple[Any, Any, Any]]: ...


def referenced_context(new: Graph, existing: TripleSource) -> Graph:
    """The existing nodes the new data points at (study records it does not define itself).

    Each such node brings its own triples, and the types of the nodes those point at, so
    class checks on the new data's references see them; nothing else of the existing graph
    is validated again.
    """
    own = set(new.subjects())
    refs = {
        o
        for o in new.objects()
        if isinstance(o, URIRef) and str(o).startswith(str(STUDY)) and o not in own
    }
    context = Graph()
    seconds: set[Node] = set()
    for ref in refs | {s for s in own if isinstance(s, URIRef) and str(s).startswith(str(STUDY))}:
        for triple in existing.triples((ref, None, None)):
            context.add(triple)
            if isinstance(triple[2], URIRef):
                seconds.add(triple[2])
    for node in seconds - own - refs:
        for triple in existing.triples((node, RDF.type, None)):
            context.add(triple)
    return context
