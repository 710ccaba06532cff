"""DL reasoning: HermiT (owlready2) on the ontology and small data, SPARQL rules on large data."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from ipskg.model.errors import ArtifactError, InputError, IpskgError
from ipskg.model.namespaces import IPSKG
from ipskg.model.resources import queries_dir

__all__ = ["ReasonReport", "apply_rules", "java_version", "reason"]


@dataclass
class ReasonReport:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    inferred: dict[str, list[str]] = field(default_factory=dict)  # class IRI -> individuals
    method: str = "HermiT"
    individuals: int = 0
    seconds: float = 0.0

    def render(self) -> str:
        lines = [
            f"reasoner: {self.method} ({self.individuals} individuals, {self.seconds:.1f} s)",
            f"consistent: {'yes' if self.consistent else 'NO'}",
            f"unsatisfiable classes: {len(self.unsatisfiable)}",
        ]
        lines += [f"  {c}" for c in self.unsatisfiable]
        for cls, members in sorted(self.inferred.items()):
            lines.append(f"inferred {cls}: {len(members)}")
            lines += [f"  {m}" for m in sorted(members)]
        return "\n".join(lines)


def java_version() -> str | None:
    """The installed Java's version line, or None when there is no Java."""
    java = shutil.which("java")
    if java is None:
        return None
    proc = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    out = (proc.stderr or proc.stdout).strip().splitlines()
    return out[0] if out else "unknown"


def _require_java() -> None:
    if java_version() is None:
        raise ArtifactError(
            "Java was not found: the HermiT reasoner (through owlready2) needs a Java runtime",
            artifact="java",
            hint="install Java 11 or newer (Debian: apt-get install default-jre-headless) "
            "and make sure `java` is on PATH",
        )


def apply_rules(graph: Graph) -> Graph:
    """Classify large data with the SPARQL CONSTRUCT rules in queries/rules/ (no DL reasoning)."""
    inferred = Graph()
    for rule in sorted((queries_dir() / "rules").glob("*.rq")):
        for triple in graph.query(rule.read_text(encoding="utf-8")):
            inferred.add(triple)  # type: ignore[arg-type]
    return inferred


# Datatypes outside the OWL 2 datatype map, which HermiT refuses (xsd:date, xsd:gYear, …).
_NON_OWL2_DATATYPES = {
    XSD.date,
    XSD.time,
    XSD.gYear,
    XSD.gYearMonth,
    XSD.gMonth,
    XSD.gDay,
    XSD.gMonthDay,
    XSD.duration,
}


def _check_owl2_datatypes(graph: Graph) -> None:
    """Refuse literals outside the OWL 2 datatype map, which HermiT cannot read.

    ipskg's own graph has none (dates are ISO 8601 text); they can only come from other data.
    """
    bad = [
        (s, p, o)
        for s, p, o in graph
        if isinstance(o, Literal) and o.datatype in _NON_OWL2_DATATYPES
    ]
    if bad:
        s, p, o = bad[0]
        raise InputError(
            f"{len(bad)} literal(s) use datatypes outside the OWL 2 datatype map, which HermiT "
            f"refuses; the first: <{s}> <{p}> {o.n3()}",
            hint='write dates as ISO 8601 text ("2024-03-01") or xsd:dateTime; ipskg does '
            "not retype data behind your back",
        )


def _individual_count(graph: Graph) -> int:
    return len(
        set(graph.subjects(RDF.type, OWL.NamedIndividual))
        | {
            s
            for s, o in graph.subject_objects(RDF.type)
            if isinstance(o, URIRef) and str(o).startswith(str(IPSKG))
        }
    )


def run_hermit(graph: Graph) -> tuple[Any, bool]:
    """HermiT (owlready2) over ``graph``: the owlready2 World with the inferences, and whether
    the graph is consistent. Java missing or HermiT failing are errors that say so."""
    _require_java()
    import owlready2

    world = owlready2.World()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ipskg.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            consistent = True
        except owlready2.OwlReadyInconsistentOntologyError:
            consistent = False
        except owlready2.OwlReadyJavaError as exc:
            raise ArtifactError(
                f"HermiT failed: {str(exc).strip()[:500]}", artifact="HermiT"
            ) from None
        except FileNotFoundError as exc:  # java vanished between the check and the call
            raise IpskgError(f"cannot run Java: {exc}") from None
    return world, consistent


def reason(data: Graph | None = None, max_individuals: int = 1000) -> ReasonReport:
    """Check consistency and satisfiability with HermiT; classify ``data`` (the studies,
    without the ontology) by DL reasoning, or by SPARQL rules above ``max_individuals``."""
    from ipskg.vocab.ontology import ontology_graph

    graph = Graph()
    graph += ontology_graph()
    data_graph = data
    n_data = _individual_count(data_graph) if data_graph is not None else 0
    use_dl_on_data = data_graph is not None and n_data <= max_individuals
    if use_dl_on_data:
        assert data_graph is not None
        graph += data_graph
    _check_owl2_datatypes(graph)
    start = time.perf_counter()
    world, consistent = run_hermit(graph)
    report = ReasonReport(consistent=consistent, individuals=_individual_count(graph))
    if consistent:
        report.unsatisfiable = sorted(
            c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing)
        )
        for cls_iri in (IPSKG.Barrier, IPSKG.Facilitator):
            cls = world[str(cls_iri)]
            if cls is not None and use_dl_on_data:
                report.inferred[str(cls_iri)] = sorted(i.iri for i in cls.instances())
    if data_graph is not None and not use_dl_on_data:
        rules = apply_rules(data_graph)
        report.method = f"HermiT on the ontology; SPARQL rules on {n_data} data individuals"
        for cls_iri in (IPSKG.Barrier, IPSKG.Facilitator):
            report.inferred[str(cls_iri)] = sorted(
                str(s) for s in rules.subjects(RDF.type, cls_iri)
            )
    report.seconds = time.perf_counter() - start
    return report
