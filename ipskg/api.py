"""A small Python API over the commands: build the graph, validate new data, ask a question.

Each function does what the ``ipskg`` command of the same purpose does, without printing or
exiting: errors are raised as :class:`ipskg.model.errors.IpskgError` (``InputError`` for the
user's data, ``ArtifactError`` for ipskg's own files), and non-conformance is a report, not an
exception::

    from ipskg import api
    graph = api.build_graph()                       # ontology + mappings + bundled studies
    report = api.validate(["data/studies/my-site"])  # a shacl.report.Report
    rows = api.ask("construct-observations", construct="Mission Alignment")
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from ipskg.shacl.report import Report
from ipskg.shacl.validate import DEFAULT_ENGINE, validate_paths
from ipskg.sparql.catalogue import checked_bindings, resolve
from ipskg.sparql.store import EmbeddedStore, SelectResult, Store
from ipskg.studies.build import build

__all__ = ["ask", "build_graph", "validate"]


def build_graph(data_root: Path | None = None, studies: Iterable[Path] = ()) -> Graph:
    """The ontology, the mappings and the studies under ``data_root`` (or the bundled ones, or
    just ``studies``) as one rdflib graph, not validated and not written."""
    chosen = list(studies)
    return build(data_root, study_dirs=chosen or None).graph


def validate(
    paths: Iterable[str | Path], *, existing: Graph | None = None, engine: str = DEFAULT_ENGINE
) -> Report:
    """Check new data (study folders, Turtle, JSON-LD) against the shapes, with what it refers
    to from the bundled studies or from ``existing``; ``report.conforms`` says whether it
    passed, ``report.results`` what did not."""
    return validate_paths([Path(p) for p in paths], existing=existing, engine=engine)


def ask(question: str, store: Store | None = None, **params: str) -> SelectResult:
    """Answer a competency question (a name from ``queries/cq`` or a path to a .rq file) on
    ``store`` (default: the bundled graph, built in memory). Parameter values are checked
    against the graph and bound, never written into the query text."""
    query = resolve(question)
    store = store if store is not None else EmbeddedStore.from_graph(build().graph)
    return store.select(query.text, checked_bindings(query, dict(params), store))
