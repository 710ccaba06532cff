"""One benchmark measurement, run by bench/run.py in a fresh process; prints one JSON line.

    python bench/measure.py TASK GRAPH.nt [options]

Tasks: parse-oxigraph, load-ipskg, load-rdflib, cq-ipskg, cq-rdflib, validate-ipskg,
validate-turbo, validate-pyshacl, validate-case, reason-data. Each prints {"seconds": …, …};
the parent reads the child's peak memory from the operating system (ru_maxrss), not from here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from ipskg.model.namespaces import INTEGER_TYPES

__all__ = ["main"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Parameter values that exist in every generated graph (the defaults name the seed study).
BENCH_PARAMS = {"study": "bench-000001", "sub_theme": "approach-1-sub-1", "record": "o001"}


def _now() -> float:
    return time.perf_counter()


# ---------------------------------------------------------------- stores
def load_ipskg(path: Path) -> tuple[Any, str]:
    """ipskg's embedded store holding the file."""
    from ipskg.sparql.store import EmbeddedStore

    return EmbeddedStore.from_file(path), "ipskg.sparql.store.EmbeddedStore (pyoxigraph)"


def _rdflib_value(term: Any) -> str:
    from rdflib import Literal

    if term is None:
        return ""
    if isinstance(term, Literal):
        if term.language:
            return f'"{term}"@{term.language.lower()}'
        dt = str(term.datatype) if term.datatype else ""
        if dt in ("", XSD_STRING):
            return f'"{term}"'
        return f'"{term}"^^{dt}'
    return str(term)


class _TimeUp(Exception):
    pass


class _time_limit:
    """Stop a pure-Python query after ``seconds`` (SIGALRM); 0 means no limit."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        if self.seconds:
            import signal

            def _raise(*_: object) -> None:
                raise _TimeUp

            signal.signal(signal.SIGALRM, _raise)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.seconds:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)


_INTEGER_FAMILY = tuple(f'"^^{t}' for t in sorted(INTEGER_TYPES))


def _loose(value: str) -> str:
    """Integer subtypes as xsd:integer: Oxigraph reports e.g. positiveInteger values so."""
    for suffix in _INTEGER_FAMILY:
        if value.endswith(suffix):
            return value[: -len(suffix)] + '"^^http://www.w3.org/2001/XMLSchema#integer'
    return value


def _digest(rows: list[tuple[str, ...]]) -> str:
    return hashlib.sha256("\n".join("\t".join(r) for r in sorted(rows)).encode()).hexdigest()[:16]


def run_cq_ipskg(store: Any, text: str, bindings: dict[str, Any]) -> list[tuple[str, ...]]:
    """ipskg.sparql.store.EmbeddedStore.select: a SelectResult of Term rows."""
    return [tuple(_term_value(t) for t in row) for row in store.select(text, bindings).rows]


def _term_value(t: Any) -> str:
    if t is None:
        return ""
    if t.kind != "literal":
        return t.value
    if t.lang:
        return f'"{t.value}"@{t.lang.lower()}'
    return f'"{t.value}"' if t.datatype in (None, XSD_STRING) else f'"{t.value}"^^{t.datatype}'


def run_cq_rdflib(graph: Any, text: str, bindings: dict[str, Any]) -> list[tuple[str, ...]]:
    """Plain rdflib: Graph.query on the Memory store, parameters as initBindings."""
    result = graph.query(text, initBindings=bindings)
    return [tuple(_rdflib_value(v) for v in row) for row in result]


# ---------------------------------------------------------------- tasks
def task_parse_oxigraph(path: Path, _: argparse.Namespace) -> dict[str, Any]:
    import pyoxigraph as ox

    t = _now()
    n = sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    return {"seconds": _now() - t, "triples": n}


def task_load_ipskg(path: Path, _: argparse.Namespace) -> dict[str, Any]:
    t = _now()
    _store, engine = load_ipskg(path)
    return {"seconds": _now() - t, "engine": engine}


def task_load_rdflib(path: Path, _: argparse.Namespace) -> dict[str, Any]:
    from rdflib import Graph

    t = _now()
    g = Graph()
    g.parse(path, format="nt")
    return {"seconds": _now() - t, "triples": len(g)}


def _cqs(args: argparse.Namespace) -> list[Path]:
    return [Path(p) for p in args.cq]


def task_cq(path: Path, args: argparse.Namespace, engine: str) -> dict[str, Any]:
    t = _now()
    if engine == "ipskg":
        store, name = load_ipskg(path)
        run = run_cq_ipskg
    else:
        from rdflib import Graph

        store, name = Graph(), "rdflib Memory"
        store.parse(path, format="nt")
        run = run_cq_rdflib
    load = _now() - t
    results = {}
    from ipskg.sparql.catalogue import load_query

    for cq in _cqs(args):
        query = load_query(cq)
        names = {p.name for p in query.parameters}
        bindings = query.bindings({k: v for k, v in BENCH_PARAMS.items() if k in names})
        t = _now()
        try:
            with _time_limit(args.cap if engine == "rdflib" else 0):
                rows = run(store, query.text, bindings)
        except _TimeUp:
            results[cq.stem] = {"seconds": _now() - t, "timed_out": True, "rows": -1, "digest": ""}
            continue
        results[cq.stem] = {
            "seconds": _now() - t,
            "rows": len(rows),
            "digest": _digest([tuple(_loose(v) for v in r) for r in rows]),
            "digest_strict": _digest(rows),
        }
    return {"seconds": load, "engine": name, "cq": results}


def _shapes_graph() -> Any:
    from rdflib import Graph

    from ipskg.model.resources import shapes_dir

    g = Graph()
    for p in sorted(shapes_dir().glob("*.ttl")):
        g.parse(p, format="turtle")
    return g


def _counts_from_report(report_graph: Any) -> tuple[int, dict[str, int]]:
    """The report's own results (sh:result), per source shape; the results pySHACL nests
    under an sh:node result (sh:detail) are not counted, as ipskg does not report them."""
    from rdflib.namespace import SH

    counts: dict[str, int] = {}
    n = 0
    for res in report_graph.objects(None, SH.result):
        shape = report_graph.value(res, SH.sourceShape)
        counts[str(shape)] = counts.get(str(shape), 0) + 1
        n += 1
    return n, counts


def task_validate_pyshacl(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Plain pySHACL with the same shapes and the same settings as ipskg's engines."""
    import pyshacl
    from rdflib import Graph

    g = Graph()
    g.parse(path, format="nt")
    shapes = _shapes_graph()
    t = _now()
    conforms, report, _ = pyshacl.validate(
        g,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_infos=False,
        allow_warnings=False,
    )
    seconds = _now() - t
    n, counts = _counts_from_report(report)
    from rdflib.namespace import SH

    violations = sum(
        1
        for r in report.objects(None, SH.result)
        if report.value(r, SH.resultSeverity) == SH.Violation
    )
    return {
        "seconds": seconds,
        "conforms": violations == 0,
        "pyshacl_conforms": bool(conforms),
        "results": n,
        "per_shape": counts,
    }


def _report_out(report: Any, seconds: float) -> dict[str, Any]:
    per: dict[str, int] = {}
    for r in report.results:
        per[str(r.source_shape)] = per.get(str(r.source_shape), 0) + 1
    violations = sum(1 for r in report.results if r.severity == "Violation")
    return {
        "seconds": seconds,
        "conforms": violations == 0,
        "results": len(report.results),
        "per_shape": per,
    }


def task_validate_ipskg(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """`ipskg validate --whole FILE`: ipskg.validate.validate_whole, timed from the file to the
    report (loading into Oxigraph, the check for literals Oxigraph rewrites, the compiled
    shapes, locating results). The file already holds the ontology."""
    from ipskg.shacl.validate import validate_whole

    t = _now()
    report = validate_whole([path])
    return {**_report_out(report, _now() - t), "engine": report.engine, "note": report.note}


def task_validate_turbo(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """pyshacl-turbo on an rdflib graph already in memory (ipskg.validate.validate_graph, as
    `ipskg build` checks its graph); the parse is not timed."""
    from rdflib import Graph

    from ipskg.shacl.validate import validate_graph

    g = Graph()
    g.parse(path, format="nt")
    t = _now()
    report = validate_graph(g, with_ontology=False, engine="turbo")
    return {**_report_out(report, _now() - t), "engine": "turbo"}


def task_validate_case(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One new case (a one-case study, N-Triples) checked against the big graph.

    ``ipskg.validate.validate_paths([delta], existing=graph)``: the incremental check that
    ``ipskg validate FILE --graph`` runs (new nodes and what they point at; nothing else).
    Timed from the delta file to the report; the existing graph is parsed first, untimed.
    """
    from rdflib import Graph

    from ipskg.shacl.validate import validate_paths

    t = _now()
    existing = Graph()
    existing.parse(path, format="nt")
    base = _now() - t
    t = _now()
    report = validate_paths([args.delta], existing=existing)
    return {**_report_out(report, _now() - t), "load_seconds": base}


def task_reason_data(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    from rdflib import Graph

    from ipskg.vocab.reasoning import reason

    g = Graph()
    g.parse(path, format="nt")
    t = _now()
    report = reason(g, max_individuals=args.max_individuals)
    return {
        "seconds": _now() - t,
        "method": report.method,
        "individuals": report.individuals,
        "consistent": report.consistent,
        "inferred": {k.rsplit("#", 1)[-1]: len(v) for k, v in report.inferred.items()},
    }


TASKS = {
    "parse-oxigraph": task_parse_oxigraph,
    "load-ipskg": task_load_ipskg,
    "load-rdflib": task_load_rdflib,
    "cq-ipskg": lambda p, a: task_cq(p, a, "ipskg"),
    "cq-rdflib": lambda p, a: task_cq(p, a, "rdflib"),
    "validate-ipskg": task_validate_ipskg,
    "validate-turbo": task_validate_turbo,
    "validate-pyshacl": task_validate_pyshacl,
    "validate-case": task_validate_case,
    "reason-data": task_reason_data,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=sorted(TASKS))
    ap.add_argument("graph", type=Path)
    ap.add_argument("--cq", action="append", default=[])
    ap.add_argument("--delta", type=Path)
    ap.add_argument("--cap", type=float, default=0, help="rdflib CQ time limit (s); 0 = none")
    ap.add_argument("--max-individuals", type=int, default=1000)
    args = ap.parse_args(argv)
    out = TASKS[args.task](args.graph, args)
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
