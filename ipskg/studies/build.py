"""Build the knowledge graph: ontology + every study folder, checked, then written atomically."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ipskg.model.errors import InputError
from ipskg.model.namespaces import IPSKG, PREFIXES
from ipskg.model.resources import data_dir
from ipskg.studies.loader import Location, find_study_dirs, load_study
from ipskg.studies.records_to_rdf import MappedStudy, map_study
from ipskg.vocab.ontology import ontology_graph

__all__ = ["GRAPH_NAME", "BuildResult", "build", "load_studies"]

GRAPH_NAME = "ipskg"


@dataclass
class BuildResult:
    graph: Graph
    studies: list[MappedStudy]
    locations: dict[URIRef, Location] = field(default_factory=dict)
    labels: dict[URIRef, str] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        g = self.graph

        def count(cls: URIRef) -> int:
            return len(set(g.subjects(RDF.type, cls)))

        return {
            "triples": len(g),
            "studies": count(IPSKG.Study),
            "cases": count(IPSKG.Case),
            "participants": count(IPSKG.Participant),
            "quotes": count(IPSKG.Quote),
            "observations": count(IPSKG.DeterminantObservation),
            "findings": count(IPSKG.Finding),
            "fidelity reviews": count(IPSKG.FidelityReview),
            "outcome measurements": count(IPSKG.OutcomeMeasurement),
            "effect estimates": count(IPSKG.EffectEstimate),
            "curation revisions": count(IPSKG.CurationRevision),
        }


def load_studies(folders: Iterable[Path]) -> list[MappedStudy]:
    """Load and map each study folder; refuse two studies minting the same IRIs."""
    mapped: list[MappedStudy] = []
    seen: dict[str, Path] = {}
    for folder in folders:
        study = map_study(load_study(folder))
        if study.id in seen:
            raise InputError(
                f"study id {study.id!r} is used by two folders ({seen[study.id]} and {folder})",
                file=folder / "study.yaml",
                hint="give each study a unique id",
            )
        seen[study.id] = folder
        mapped.append(study)
    return mapped


def build(
    data_root: Path | None = None,
    study_dirs: Iterable[Path] | None = None,
    with_ontology: bool = True,
) -> BuildResult:
    """Ontology + studies as one graph (not yet validated)."""
    folders = (
        list(study_dirs) if study_dirs is not None else find_study_dirs(data_root or data_dir())
    )
    studies = load_studies(folders)
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    if with_ontology:
        from ipskg.vocab.sssom import mapping_graph

        graph += ontology_graph()
        graph += mapping_graph()  # SSSOM mappings to external vocabularies, as SKOS triples
    result = BuildResult(graph, studies)
    for study in studies:
        graph += study.graph
        result.locations.update(study.locations)
        result.labels.update(study.labels)
    return result
