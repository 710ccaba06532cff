"""Merge RDF files from elsewhere into a build: parse, refuse IRI clashes, validate, then add."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rdflib import Graph, Node, URIRef
from rdflib.namespace import RDF

from ipskg.io.rdf import read_graph
from ipskg.model.errors import EXIT_NONCONFORMANT, InputError, IpskgError
from ipskg.model.namespaces import BASE, IPSKG
from ipskg.studies.build import BuildResult

__all__ = [
    "MergedFile",
    "NonConformingMerge",
    "Report",
    "check_clashes",
    "merge_external",
    "parse_external",
]


class Report(Protocol):
    """What merge needs of a validation report (ipskg.shacl.validate's report has more)."""

    conforms: bool


# (graph to validate, nodes whose results count) -> report with .conforms
Validator = Callable[[Graph, set[Node]], Any]
Renderer = Callable[[Any], str]


@dataclass
class MergedFile:
    """One external file accepted into the build: where it came from and its triples."""

    path: Path
    graph: Graph

    @property
    def name(self) -> str:
        return self.path.stem


class NonConformingMerge(IpskgError):
    """The merged graph does not conform to the shapes: nothing was merged (exit 1)."""

    exit_code = EXIT_NONCONFORMANT

    def __init__(self, files: Sequence[Path], report: Any, rendered: str) -> None:
        names = ", ".join(str(p) for p in files)
        super().__init__(
            f"merging {names} gives a graph that does not conform to the shapes; nothing was "
            f"merged\n{rendered}",
            hint="fix the reported nodes in the external file(s) and merge again",
        )
        self.report = report


def parse_external(path: Path) -> Graph:
    """Read one RDF file to merge, with the one reader's policy (:mod:`ipskg.io.rdf`)."""
    return read_graph(path)


def check_clashes(
    result: BuildResult,
    path: Path,
    graph: Graph,
    studies_seen: dict[URIRef, str],
    claimed: dict[URIRef, Path],
) -> None:
    """Refuse triples about IRIs the build (or an earlier file) has, and a study defined twice.

    ``studies_seen`` maps study IRIs to the source that defined them; ``claimed`` maps our
    IRIs (under https://w3id.org/ipskg/) that earlier external files describe to their file.
    Both are updated.
    """
    defined = {s for s in graph.subjects(RDF.type, IPSKG.Study) if isinstance(s, URIRef)}
    for study in sorted(defined):
        if study in studies_seen:
            raise InputError(
                f"defines study <{study}>, which {studies_seen[study]} already defines",
                file=path,
                hint="give the study in this file its own IRI (a new study id)",
            )
        studies_seen[study] = str(path)
    ours = result.graph
    mine = sorted(
        {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE)}
    )
    for subject in mine:
        if (subject, None, None) in ours:
            raise InputError(
                f"asserts triples about <{subject}>, which ipskg's ontology or a study already "
                "defines; an external file may only add new IRIs or link to ours as objects",
                file=path,
                hint="mint IRIs of your own for new nodes and refer to ours as objects",
            )
        if subject in claimed:
            raise InputError(
                f"asserts triples about <{subject}>, which {claimed[subject]} already describes",
                file=path,
                hint="describe each node in one file only",
            )
    for subject in mine:
        claimed[subject] = path


def _default_validator() -> tuple[Validator, Renderer]:
    """ipskg's case-data shapes, reporting only results about the merged files' nodes."""
    from ipskg.shacl.validate import render_text, validate_graph
    from ipskg.vocab.ontology import ONTOLOGY_IRI

    def run(graph: Graph, focus: set[Node]) -> Any:
        with_ontology = (ONTOLOGY_IRI, None, None) not in graph
        return validate_graph(graph, focus=focus, with_ontology=with_ontology)

    return run, render_text


def merge_external(
    result: BuildResult,
    paths: Iterable[Path],
    *,
    validator: Validator | None = None,
    renderer: Renderer | None = None,
    validate: bool = True,
) -> list[MergedFile]:
    """Merge RDF files into ``result.graph``, all or nothing.

    Every file is parsed and checked for clashes first; then the build plus all files is
    validated with the shapes (``validator``, default ipskg.validate.validate_graph, with
    results kept for the files' own nodes) and only a conforming whole is merged.
    Raises InputError (exit 2) for an unparsable file or an IRI clash, and
    NonConformingMerge (exit 1, carrying the report) when the result does not conform.
    Returns the merged files in order.
    """
    studies_seen: dict[URIRef, str] = {
        URIRef(f"{BASE}study/{s.id}"): f"study folder {s.id!r}" for s in result.studies
    }
    studies_seen.update(
        {
            s: "the build"
            for s in result.graph.subjects(RDF.type, IPSKG.Study)
            if isinstance(s, URIRef) and s not in studies_seen
        }
    )
    claimed: dict[URIRef, Path] = {}
    files: list[MergedFile] = []
    seen_paths: set[Path] = set()
    for path in paths:
        path = Path(path)
        graph = parse_external(path)  # first: refuses links to nothing, loops, pipes, …
        if path.resolve() in seen_paths:
            raise InputError("given twice", file=path, hint="merge each file once")
        seen_paths.add(path.resolve())
        check_clashes(result, path, graph, studies_seen, claimed)
        files.append(MergedFile(path, graph))
    if not files:
        return files
    candidate = Graph()
    candidate += result.graph
    for f in files:
        candidate += f.graph
    if validate:
        if validator is None:
            validator, default_renderer = _default_validator()
            renderer = renderer or default_renderer
        focus: set[Node] = set()
        for f in files:
            focus.update(f.graph.subjects())
        report = validator(candidate, focus)
        if not report.conforms:
            text = renderer(report) if renderer else str(report)
            raise NonConformingMerge([f.path for f in files], report, text)
    for f in files:
        result.graph += f.graph
        for node in set(f.graph.subjects()):
            if isinstance(node, URIRef):
                result.labels.setdefault(node, f"node from {f.path.name}")
    return files
