"""Validate case data against the SHACL shapes; results located in the researcher's files."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from ipskg.io.gcpause import gc_paused
from ipskg.io.rdf import parse_artifact
from ipskg.model.errors import ArtifactError, InputError
from ipskg.model.namespaces import IPSKG
from ipskg.model.resources import shapes_dir
from ipskg.shacl.report import SEVERITY_ORDER, SHAPES_NS, Report, ValidationResult, render_text
from ipskg.studies.loader import Location
from ipskg.studies.records_to_rdf import FIELD_OF_PREDICATE

if TYPE_CHECKING:
    from ipskg.shacl.compiled import CompiledShapes
    from ipskg.shacl.literal_guard import Rewrites
    from ipskg.studies.build import BuildResult
    from ipskg.studies.inputs import NewData

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "SHAPES_NS",
    "Report",
    "ValidationResult",
    "data_for_paths",
    "engine_results",
    "engine_run",
    "ontology_terms",
    "reference_graph",
    "render_text",
    "result_rows",
    "shapes_graph",
    "validate_build",
    "validate_graph",
    "validate_paths",
    "validate_whole",
]

DATA_KEY = URIRef(SHAPES_NS + "dataKey")
CONSTRUCT_SHAPE = URIRef(SHAPES_NS + "Observation-construct")
ENGINES = ("pyshacl", "turbo", "sparql")
DEFAULT_ENGINE = "turbo"
"""pyshacl-turbo gives the same results as pySHACL on every fixture (tests/test_shapes.py
checks it) and is 5-40 times faster on this data; pySHACL stays selectable (--engine).
``sparql`` is ipskg's own engine (:mod:`ipskg.shacl.compiled`): the shapes compiled to SPARQL and
run on an Oxigraph store, also checked against pySHACL on every fixture. It is the engine of
whole-graph validation (``ipskg validate --whole``), where the data is loaded into Oxigraph
anyway; for a small graph in rdflib, turbo is as fast and needs no copy."""


@cache
def shapes_graph() -> Graph:
    """Every shapes file in shapes/, parsed once per process. Do not modify it."""
    graph = Graph()
    files = sorted(shapes_dir().glob("*.ttl"))
    if not files:
        raise ArtifactError(
            "no shapes files found",
            artifact=str(shapes_dir()),
            hint="reinstall ipskg; shapes/*.ttl ship with the package",
        )
    for path in files:
        parse_artifact(graph, path, "shapes file")
    return graph


_TERM_PREDICATES = (
    RDF.type,
    RDFS.subClassOf,
    RDFS.label,
    SKOS.notation,
    IPSKG.minScore,
    IPSKG.maxScore,
    IPSKG.itemCount,
    IPSKG.partOfScale,
    IPSKG.ratioMeasure,
    OWL.deprecated,  # a deprecated study aspect is warned about
)


@cache
def ontology_terms() -> Graph:
    """The part of the ontology the shapes look at: types, class hierarchy, notations, labels,
    deprecations, fidelity scales and bands (items, bounds) and which effect measures are
    ratios (about a third of the ontology, so merging it is cheap)."""
    from ipskg.vocab.ontology import ontology_graph

    full = ontology_graph()
    terms = Graph()
    for predicate in _TERM_PREDICATES:
        for triple in full.triples((None, predicate, None)):
            terms.add(triple)
    return terms


@cache
def compiled_shapes() -> CompiledShapes:
    """The bundled shapes compiled to SPARQL for the ``sparql`` engine, once per process."""
    from ipskg.shacl.compiled import Unsupported, compile_shapes

    try:
        return compile_shapes(shapes_graph())
    except Unsupported as exc:
        raise ArtifactError(
            f"the shapes use a SHACL feature the sparql engine does not implement: {exc}",
            artifact=str(shapes_dir()),
            hint="use --engine turbo or pyshacl, and report this as a bug",
        ) from exc


def _run_engine(
    data: Graph, shapes: Graph, engine: str, *, check_literals: bool = True
) -> tuple[Graph, str, str]:
    """Run one SHACL engine with no inference: its results graph, the engine that actually
    ran, and why it differs from the one asked for ("" when it does not)."""
    if engine not in ENGINES:
        raise ArtifactError(
            f"unknown SHACL engine {engine!r}", hint="use one of " + ", ".join(ENGINES)
        )
    from ipskg.shacl.literal_guard import unreadable_literals

    if engine != "pyshacl" and check_literals and (odd := unreadable_literals(data)):
        # Ill-typed literals and numbers pySHACL reads with rdflib's and Python's rules and
        # the fast engines do not: the reference itself decides (such literals are rare in
        # data that passed the loader, so speed matters less than the answer).
        try:
            results, _, _ = _run_engine(data, shapes, "pyshacl")
        except ArtifactError as exc:  # the reference itself fails on some odd data
            results, ran, note = _run_engine(data, shapes, engine, check_literals=False)
            failed = (
                f"pySHACL failed on this data ({exc}); validated with {ran}, which may read "
                f"{odd[0]} differently from pySHACL"
            )
            return results, ran, "; ".join(n for n in (failed, note) if n)
        return (
            results,
            "pyshacl",
            f"validated with pySHACL: {odd[0]}, which {engine} reads "
            "differently from the reference",
        )
    if engine == "sparql":
        from ipskg.shacl.literal_guard import graph_rewrites
        from ipskg.sparql.store import EmbeddedStore

        if shapes is not shapes_graph():
            raise ArtifactError("the sparql engine runs the bundled shapes only")
        store = EmbeddedStore.from_graph(data).store
        rewrites = graph_rewrites(data, len(store), shapes)
        if rewrites.harmful:  # Oxigraph's form of some literal could change a result:
            results, _, recheck = _run_engine(data, shapes, "turbo")  # pySHACL's, from turbo
            why = (
                "validated with pyshacl-turbo: Oxigraph stores some literals in another form, "
                f"and that could change a result ({rewrites.harmful[0]})"
            )
            return results, "turbo", "; ".join(n for n in (why, recheck) if n)
        results = compiled_shapes().validate(store)[1]
        _as_written(results, rewrites)
        note = _recheck_mistyped(results, lambda: data)
        return results, "sparql", note
    if engine == "turbo":
        import pyshacl_turbo as shacl
    else:
        import pyshacl as shacl  # type: ignore[no-redef]
    try:
        _conforms, results, _text = shacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            allow_infos=False,
            allow_warnings=False,
            abort_on_first=False,
        )
    except Exception as exc:  # the engine failing is our artifact's fault, not the user's
        raise ArtifactError(
            f"SHACL validation failed to run ({engine}): {exc}",
            artifact=str(shapes_dir()),
            hint="rerun with -vv and report this as a bug",
        ) from exc
    if not isinstance(results, Graph):
        raise ArtifactError(f"the {engine} engine returned no results graph")
    if engine == "turbo" and shapes is shapes_graph():
        return results, engine, _recheck_mistyped(results, lambda: data)
    return results, engine, ""


Row = tuple[Any, ...]


def top_results(results: Graph) -> list[Node]:
    """The report's own results (``sh:result``). pySHACL also types the results it nests
    under an sh:node result (``sh:detail``) as sh:ValidationResult; those repeat the parent's
    finding about the value in the engine's generic words, so ipskg does not report them."""
    return list(results.objects(None, SH.result))


def result_rows(results: Graph) -> list[Row]:
    """The report's own results as (severity, focus node, path, value, source shape,
    constraint component, sorted messages) rows, in no particular order; a sequence path is
    the tuple of its predicates."""
    fields = (
        SH.resultSeverity,
        SH.focusNode,
        SH.resultPath,
        SH.value,
        SH.sourceShape,
        SH.sourceConstraintComponent,
    )
    rows = []
    for r in top_results(results):
        row: list[Any] = [results.value(r, p) for p in fields]
        if isinstance(row[2], BNode):  # a sequence path: its predicates (blank nodes differ)
            row[2] = tuple(results.items(row[2]))
        rows.append((*row, tuple(sorted(str(m) for m in results.objects(r, SH.resultMessage)))))
    return rows


def engine_results(data: Graph, engine: str = DEFAULT_ENGINE) -> tuple[bool, list[Row]]:
    """The engine's own sh:conforms and its (severity, focus, path, value, source shape,
    constraint component, messages) rows, sorted; used to check that the engines agree.
    ``data`` must already hold the ontology."""
    conforms, rows, _ran, _note = engine_run(data, engine)
    return conforms, rows


def engine_run(data: Graph, engine: str = DEFAULT_ENGINE) -> tuple[bool, list[Row], str, str]:
    """:func:`engine_results`, with the engine that actually ran and the note saying why it
    is not the one asked for ("" when it is)."""
    results, ran, note = _run_engine(data, shapes_graph(), engine)
    conforms = any(
        o.toPython() is True for o in results.objects(None, SH.conforms) if isinstance(o, Literal)
    )
    rows = result_rows(results)
    return conforms, sorted(rows, key=lambda row: tuple(str(x) for x in row)), ran, note


def validate_graph(
    data: Graph,
    *,
    locations: dict[URIRef, Location] | None = None,
    labels: dict[URIRef, str] | None = None,
    engine: str = DEFAULT_ENGINE,
    with_ontology: bool = True,
    focus: Iterable[Node] | None = None,
) -> Report:
    """Validate ``data`` against the case-data shapes.

    ``with_ontology`` adds the ontology (CFIR constructs, fidelity bands, …) to a copy of the
    data so that class and band checks can see it. ``focus`` keeps only results about these
    nodes (the new data, when validating against referenced parts of an existing graph).
    """
    if with_ontology:
        merged = Graph()
        merged += ontology_terms()
        merged += data
        data = merged
    results, ran, note = _run_engine(data, shapes_graph(), engine)
    report = _report(results, data, locations or {}, labels or {}, ran, focus)
    report.note = note
    return report


def _report(
    results: Graph,
    data: Graph | None,
    locations: dict[URIRef, Location],
    labels: dict[URIRef, str],
    engine: str,
    focus: Iterable[Node] | None = None,
) -> Report:
    """The engine's results graph as located, readable results (``focus``: only these).
    ``data`` is what a did-you-mean looks in (default: the ontology)."""
    shapes = shapes_graph()
    keep = set(focus) if focus is not None else None
    out: list[ValidationResult] = []
    for node in top_results(results):
        focus_node = results.value(node, SH.focusNode)
        if focus_node is None or (keep is not None and focus_node not in keep):
            continue
        out.append(_result(results, node, focus_node, shapes, data, locations, labels))
    out.sort(key=_sort_key)
    return Report(out, engine, len(keep) if keep is not None else 0)


WHOLE_ENGINE = "sparql"
"""The default engine of whole-graph validation: the files go straight into Oxigraph and the
compiled shapes query it there (bench/RESULTS.md compares it with plain pySHACL)."""


def validate_whole(paths: Iterable[Any], *, engine: str = WHOLE_ENGINE) -> Report:
    """Validate whole graphs: every record in these RDF files (a built graph, a registry
    export), checked together with the ontology. Nothing is sliced or skipped; results are
    located by the line where their record's IRI is first written as a subject."""
    from ipskg.io.rdf import read_graph
    from ipskg.studies.inputs import locate_subjects

    files = [Path(p) for p in paths]
    for path in files:
        _check_rdf_file(path)
    note = ""
    with gc_paused():
        results: Graph | None = None
        data: Graph | None = None
        if engine == "sparql":
            results, note = _whole_sparql(files)
            if results is None:
                engine = "turbo"
        if results is None:
            data = Graph()
            for path in files:
                before = len(data)
                read_graph(path, graph=data)
                if len(data) == before:
                    raise InputError(
                        "the file holds no triples (none that are new)",
                        file=path,
                        hint="check that this is the right file",
                    )
            data += ontology_terms()
            results, engine, fallback = _run_engine(data, shapes_graph(), engine)
            note = "; ".join(n for n in (note, fallback) if n)
        focus = {
            f
            for r in top_results(results)
            if isinstance(f := results.value(r, SH.focusNode), URIRef)
        }
        locations = locate_subjects(files, focus) if focus else {}
        report = _report(results, data, locations, {}, engine)
        report.note = note
        return report


def _whole_sparql(files: list[Path]) -> tuple[Graph | None, str]:
    """Load the files into Oxigraph and run the compiled shapes there. Returns no results
    (and why) when Oxigraph's storage of some literal could make them differ from pySHACL's:
    the caller then validates with pyshacl-turbo (:mod:`ipskg.shacl.literal_guard`)."""
    from ipskg.io.rdf import rdf_format
    from ipskg.shacl.literal_guard import find_rewrites
    from ipskg.sparql.store import EmbeddedStore

    store = EmbeddedStore()
    loaded: list[tuple[Path, str, int]] = []
    for path in files:
        before = len(store.store)
        store.add_file(path)
        added = len(store.store) - before
        if added == 0:
            raise InputError(
                "the file holds no triples (none that are new)",
                file=path,
                hint="check that this is the right file",
            )
        loaded.append((path, rdf_format(path), added))
    if any(fmt not in ("nt", "ttl") for _, fmt, _ in loaded):
        return (
            None,
            "JSON-LD or RDF/XML input: validated with pyshacl-turbo (the sparql engine reads "
            ".nt and .ttl files)",
        )
    rewrites = find_rewrites(loaded, shapes_graph())
    if rewrites.unreadable:
        return None, ""  # the caller's engine sees them and hands over to pySHACL
    if rewrites.harmful:
        return None, (
            "validated with pyshacl-turbo: Oxigraph stores some literals in another form, "
            f"and that could change a result ({rewrites.harmful[0]}"
            + (f"; and {len(rewrites.harmful) - 1} more" if len(rewrites.harmful) > 1 else "")
            + ")"
        )
    _add_ontology_terms(store.store)
    results = compiled_shapes().validate(store.store)[1]
    _as_written(results, rewrites)
    return results, _recheck_mistyped(results, lambda: _store_graph(store.store))


# Results that say a value has the wrong type or kind (a value out of range, a pattern or a
# count says nothing about how engines read the value).
_ABOUT_TYPE = {
    SH.DatatypeConstraintComponent,
    SH.NodeKindConstraintComponent,
    SH.ClassConstraintComponent,
    SH.NodeConstraintComponent,
    SH.OrConstraintComponent,
    SH.NotConstraintComponent,
}


def _recheck_mistyped(results: Graph, data: Callable[[], Graph]) -> str:
    """Give pySHACL's results for every constraint that reads a value the engine's own
    results call mistyped (a string where a number belongs, a boolean where a score belongs,
    an IRI of the wrong class): the property shapes on that predicate and the SPARQL-based
    constraints that name it. Engines differ on such values (rdflib orders a string against a
    number where SPARQL, Oxigraph and pyshacl-turbo raise an error; pyshacl-turbo compares a
    boolean with a number its own way; tests/test_differential.py found these), so the
    reference answers for those constraints: their results are replaced by pySHACL's, on the
    same data, and the returned note names them ("" when nothing needed it).

    Valid data has no such result, so this costs nothing there; on a large graph with many
    mistyped values it costs a pySHACL run of those constraints."""
    from ipskg.shacl.literal_guard import sparql_readers

    mistyped: set[str] = set()
    for r in top_results(results):
        if results.value(r, SH.sourceConstraintComponent) not in _ABOUT_TYPE:
            continue
        path = results.value(r, SH.resultPath)
        if isinstance(path, URIRef):
            mistyped.add(str(path))
        elif isinstance(path, BNode):
            mistyped.update(str(step) for step in results.items(path))
    if not mistyped:
        return ""
    shapes = shapes_graph()
    constraints = {c for c, _text, named in sparql_readers(shapes) if named & mistyped}
    properties = set()
    for holder in set(shapes.subjects(SH.targetClass, None)):
        for prop in shapes.objects(holder, SH.property):
            path = shapes.value(prop, SH.path)
            if path is None:
                continue
            steps = [path] if isinstance(path, URIRef) else list(shapes.items(path))
            if {str(step) for step in steps} & mistyped:
                properties.add(prop)
    if not constraints and not properties:
        return ""
    names = ", ".join(sorted(str(c).rsplit("#", 1)[-1] for c in constraints | properties))
    try:
        reference = _subset_with_pyshacl(data(), constraints, properties)
    except ArtifactError as exc:
        return (
            f"the constraints {names} read a value of the wrong type, which engines read "
            f"differently, and pySHACL failed on this data ({exc}): their results are this "
            "engine's"
        )
    for r in top_results(results):
        if (
            results.value(r, SH.sourceConstraint) in constraints
            or results.value(r, SH.sourceShape) in properties
        ):
            results.remove((None, SH.result, r))
            results.remove((r, None, None))
    root = next(iter(results.subjects(SH.conforms, None)))
    for r in top_results(reference):
        results.add((root, SH.result, r))
        for triple in reference.triples((r, None, None)):
            results.add(triple)
        path = reference.value(r, SH.resultPath)
        if isinstance(path, BNode):  # a sequence path's RDF list
            node: Node | None = path
            while isinstance(node, BNode):
                for triple in reference.triples((node, None, None)):
                    results.add(triple)
                node = reference.value(node, RDF.rest)
    if any(True for _ in results.objects(root, SH.result)):
        results.set((root, SH.conforms, Literal(False)))
    return (
        f"validated the constraints {names} with pySHACL: they read a value of the wrong "
        "type, which engines read differently"
    )


def _subset_with_pyshacl(data: Graph, constraints: set[Node], properties: set[Node]) -> Graph:
    """pySHACL's results for these SPARQL-based constraints and top-level property shapes
    alone (each on the targets of the node shapes that hold it); no other shape runs."""
    import pyshacl

    shapes = shapes_graph()
    keep = {(h, SH.sparql, c) for c in constraints for h in shapes.subjects(SH.sparql, c)}
    keep |= {(h, SH.property, p) for p in properties for h in shapes.subjects(SH.property, p)}
    holders = {h for h, _, _ in keep}
    targeted = set(shapes.subjects(SH.targetClass, None))
    sub = Graph()
    for s, p, o in shapes:
        if s in targeted and p != RDF.type and str(p).startswith(str(SH)):
            if (s, p, o) in keep or (
                s in holders and p in (SH.targetClass, SH.severity, SH.message)
            ):
                sub.add((s, p, o))
            continue
        sub.add((s, p, o))
    try:
        _conforms, results, _text = pyshacl.validate(
            data,
            shacl_graph=sub,
            inference="none",
            advanced=False,
            allow_infos=False,
            allow_warnings=False,
        )
    except Exception as exc:
        raise ArtifactError(
            f"SHACL validation failed to run (pyshacl, re-checking some constraints): {exc}",
            artifact=str(shapes_dir()),
            hint="rerun with -vv and report this as a bug",
        ) from exc
    assert isinstance(results, Graph)
    return results


def _store_graph(store: Any) -> Graph:
    """An Oxigraph store's default graph as an rdflib graph (for a pySHACL re-check)."""
    from ipskg.io.rdf import from_oxigraph

    graph = Graph()
    for quad in store:
        graph.add(
            (from_oxigraph(quad.subject), from_oxigraph(quad.predicate), from_oxigraph(quad.object))
        )
    return graph


def _add_ontology_terms(store: Any) -> None:
    """Add :func:`ontology_terms` to an Oxigraph store, parsed by Oxigraph (no rdflib)."""
    import pyoxigraph as ox

    from ipskg.io.rdf import oxigraph_triples
    from ipskg.model.resources import ontology_files
    from ipskg.vocab.ontology import ONTOLOGY_IRI

    keep = {ox.NamedNode(str(p)) for p in _TERM_PREDICATES}
    a, ontology = (
        ox.NamedNode(str(RDF.type)),
        ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology"),
    )
    for path in ontology_files():
        try:
            triples = list(oxigraph_triples(path, "ttl"))
        except InputError as exc:
            raise ArtifactError(
                f"the ontology module does not parse: {exc}", artifact=str(path)
            ) from None
        modules = {t.subject for t in triples if t.predicate == a and t.object == ontology} - {
            ox.NamedNode(str(ONTOLOGY_IRI))
        }
        store.extend(
            ox.Quad(t.subject, t.predicate, t.object)
            for t in triples
            if t.predicate in keep and t.subject not in modules
        )


def _as_written(results: Graph, rewrites: Rewrites) -> None:
    """Report values as the input wrote them, not as Oxigraph stores them."""
    if not rewrites.changed:
        return
    for r in top_results(results):
        value = results.value(r, SH.value)
        if value is None:
            continue
        original = rewrites.original(
            results.value(r, SH.focusNode), results.value(r, SH.resultPath), value
        )
        if original is not value:
            results.set((r, SH.value, original))


def _check_rdf_file(path: Path) -> None:
    from ipskg.io.files import check_file
    from ipskg.io.rdf import rdf_format

    if path.is_dir():
        raise InputError(
            "--whole validates RDF files (a built graph or an export), not folders",
            file=path,
            hint="for a study folder leave out --whole",
        )
    rdf_format(path)
    check_file(path, what="RDF file")


def validate_build(result: BuildResult, engine: str = DEFAULT_ENGINE) -> Report:
    """Validate a whole build (its graph already holds the ontology)."""
    return validate_graph(
        result.graph,
        locations=result.locations,
        labels=result.labels,
        engine=engine,
        with_ontology=False,
    )


def _sort_key(r: ValidationResult) -> tuple[Any, ...]:
    return (
        r.file or "~",
        r.line or 0,
        r.record or "",
        SEVERITY_ORDER.get(r.severity, 9),
        r.field or "",
        r.message,
        str(r.focus),
        str(r.value),
    )


def _result(
    results: Graph,
    node: Node,
    focus: Node,
    shapes: Graph,
    data: Graph | None,
    locations: dict[URIRef, Location],
    labels: dict[URIRef, str],
) -> ValidationResult:
    severity = results.value(node, SH.resultSeverity)
    sev = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
    path = results.value(node, SH.resultPath)
    value = results.value(node, SH.value)
    shape = results.value(node, SH.sourceShape)
    component = results.value(node, SH.sourceConstraintComponent)
    messages = sorted(str(m) for m in results.objects(node, SH.resultMessage))
    message = messages[0] if messages else f"does not conform to {shape}"
    if shape == CONSTRUCT_SHAPE and isinstance(value, URIRef):
        message += _construct_suggestion(value, data if data is not None else ontology_terms())
    key = FIELD_OF_PREDICATE.get(path) if isinstance(path, URIRef) else None
    if key is None and shape is not None:
        annotated = shapes.value(shape, DATA_KEY)
        key = str(annotated) if annotated is not None else None
    loc = locations.get(focus) if isinstance(focus, URIRef) else None
    file = line = record = None
    if loc is not None:
        if "/item/" in str(focus):  # a fidelity item score: reported on the review's items:
            key = "items"
        file, record = loc.file, loc.record
        line = loc.field_lines.get(key, loc.line) if key else loc.line
    label = labels.get(focus) if isinstance(focus, URIRef) else None
    value_label = labels.get(value) if isinstance(value, URIRef) else None
    assert shape is not None
    return ValidationResult(
        sev,
        focus,
        path,
        value,
        message,
        shape,
        component,
        file,
        line,
        record,
        key,
        label,
        value_label,
    )


def _construct_suggestion(value: URIRef, data: Graph) -> str:
    """A did-you-mean for an IRI that is not a CFIR construct or subconstruct."""
    candidates: dict[str, URIRef] = {}
    for cls in (IPSKG.CFIRConstruct, IPSKG.CFIRSubconstruct, IPSKG.CFIRRole):
        for inst in data.subjects(RDF.type, cls):
            if isinstance(inst, URIRef):
                candidates[str(inst).rsplit("/", 1)[-1].casefold()] = inst
    local = str(value).rsplit("/", 1)[-1].rsplit("#", 1)[-1].casefold()
    found = difflib.get_close_matches(local, list(candidates), n=1, cutoff=0.6)
    if not found:
        return f" ({value} is not one)"
    iri = candidates[found[0]]
    notation = data.value(iri, SKOS.notation)
    label = data.value(iri, RDFS.label)
    return (
        f" ({value} is not one; did you mean {iri}"
        + (f", {notation} {label}" if notation is not None else "")
        + "?)"
    )


def reference_graph(graph_file: Path | None = None, store_dir: Path | None = None) -> Any:
    """The existing graph new data is validated against, for taking out only the records it
    refers to: a persistent store (``--store``, opened read-only) or a graph file (``--graph``)
    loaded into an in-memory Oxigraph store (N-Triples and Turtle on its bulk path). No rdflib
    parse of the whole graph, and no hand-edited-file size limit: it is a built graph, not new
    data (the limits stay on the new data)."""
    from ipskg.io.rdf import StoreTriples, load_store

    if store_dir is not None:
        from ipskg.sparql.persistent import open_persistent

        store, _info = open_persistent(store_dir)
        return StoreTriples(store)
    import pyoxigraph

    store = pyoxigraph.Store()
    if graph_file is not None:
        load_store(store, graph_file)
    return StoreTriples(store)


def data_for_paths(paths: Iterable[Any], existing: Any = None) -> tuple[Graph, NewData]:
    """The graph ``ipskg validate`` checks for these inputs (without the ontology terms).

    That is the new data plus those nodes of the existing graph it refers to (``existing``; by
    default the bundled studies, built only when the new data refers to records it does not
    define); an rdflib graph or :func:`reference_graph`'s view of a large one.
    """
    from ipskg.studies.inputs import read_inputs, referenced_context

    new = read_inputs(paths)
    data = Graph()
    data += new.graph
    if _refers_outside(new.graph, new.subjects()):
        data += referenced_context(new.graph, existing if existing is not None else _bundled())
    return data, new


def validate_paths(
    paths: Iterable[Any], *, existing: Any = None, engine: str = DEFAULT_ENGINE
) -> Report:
    """Validate new case data (study folders, Turtle, JSON-LD) incrementally.

    Only the new data's nodes are reported; the existing graph is not validated again.
    """
    with gc_paused():
        data, new = data_for_paths(paths, existing)
        return validate_graph(
            data, locations=new.locations, labels=new.labels, engine=engine, focus=new.subjects()
        )


@cache
def _bundled() -> Graph:
    """The bundled studies (no ontology), built once per process, for incremental checks."""
    from ipskg.studies.build import build

    return build(with_ontology=False).graph


def _refers_outside(graph: Graph, own: set[Node]) -> bool:
    from ipskg.model.namespaces import STUDY

    return any(
        isinstance(o, URIRef) and str(o).startswith(str(STUDY)) and o not in own
        for o in graph.objects()
    )
