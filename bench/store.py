"""Issue 21's end-to-end rows, each beside its baseline in the same run, as whole processes
from the CLI: loading a graph into a persistent store (beside pyoxigraph's raw parse),
``ipskg query`` from ``--graph FILE`` and from ``--store DIR``, and one new case that refers to
records of the big graph validated against ``--graph FILE`` and ``--store DIR``.

    PYTHONPATH=. python bench/store.py --size 100k          # needs bench/work/ipskg-100k.nt
    PYTHONPATH=. python bench/store.py --size 1M --repeat 3  # (python bench/generate.py --size 1M)

Prints Markdown rows (median of --repeat runs, wall time, and the machine's load average).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"

NEW_CASE = """@prefix ipskg: <https://w3id.org/ipskg/ontology#> .
@prefix cfir: <https://w3id.org/ipskg/cfir/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix s: <{study}/> .

# A new observation about a case that only the big graph holds.
s:observation\\/bench-new a ipskg:DeterminantObservation ;
    ipskg:inStudy <{study}> ;
    ipskg:construct cfir:MissionAlignment ;
    ipskg:observedIn <{case}> ;
    ipskg:valence ipskg:PositiveValence ;
    ipskg:strength 1 ;
    ipskg:summary "Leaders linked IPS to the organisation's recovery goals."@en ;
    prov:wasDerivedFrom s:source\\/bench-new ;
    prov:wasAttributedTo ipskg:CurationTeam .

s:source\\/bench-new a ipskg:SourceLocation ;
    ipskg:section "Results" ;
    ipskg:sourceKind ipskg:FullTextSource ;
    <http://www.w3.org/ns/oa#hasSource> <https://doi.org/10.5555/bench> .
"""


def timed(args: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return elapsed


def median(args: list[str], env: dict[str, str], repeat: int) -> float:
    return statistics.median(timed(args, env) for _ in range(repeat))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--question", default="case-robustness")
    args = parser.parse_args()
    graph = WORK / f"ipskg-{args.size}.nt"
    if not graph.is_file():
        raise SystemExit(f"{graph} is missing: python bench/generate.py --size {args.size}")
    head = graph.read_bytes()[:2_000_000].decode("utf-8", "replace")
    case = re.search(r"<(https://w3id\.org/ipskg/study/[^/>]+)/case/([^>]+)>", head)
    assert case is not None
    study, case_iri = case.group(1), f"{case.group(1)}/case/{case.group(2)}"
    tmp = Path(tempfile.mkdtemp(prefix="ipskg-bench-store-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IPSKG_CACHE_DIR": str(tmp / "cache")}
    py = [sys.executable, "-m", "ipskg"]
    try:
        new = tmp / "new-case.ttl"
        new.write_text(NEW_CASE.format(study=study, case=case_iri), encoding="utf-8")
        store = tmp / "graph.store"

        import pyoxigraph

        start = time.perf_counter()
        raw = sum(
            1 for _ in pyoxigraph.parse(path=str(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)
        )
        raw_s = time.perf_counter() - start
        load_s = timed([*py, "load", str(graph), "--store", str(store)], env)
        rows = [
            (
                "load into a persistent store (`ipskg load`, whole process)",
                load_s,
                f"pyoxigraph raw parse, in process: {raw_s:.2f} s ({raw:,} triples); "
                f"ratio {raw_s / load_s:.2f}x of raw-parse throughput",
            ),
        ]
        q_graph = median([*py, "query", args.question, "--graph", str(graph)], env, args.repeat)
        q_store = median([*py, "query", args.question, "--store", str(store)], env, args.repeat)
        rows.append(
            (
                f"`ipskg query {args.question} --store` (fresh process)",
                q_store,
                f"`--graph FILE`: {q_graph:.2f} s ({q_graph / q_store:.1f}x)",
            )
        )
        v_graph = median([*py, "validate", str(new), "--graph", str(graph)], env, args.repeat)
        v_store = median([*py, "validate", str(new), "--store", str(store)], env, args.repeat)
        rows.append(
            (
                "one new case referring into the graph, `ipskg validate NEW --store`",
                v_store,
                f"`--graph FILE`: {v_graph:.2f} s",
            )
        )
        load = os.getloadavg()
        print(
            f"size {args.size} ({graph.stat().st_size / 1e6:.0f} MB), median of "
            f"{args.repeat}, load average {load[0]:.2f} / {load[1]:.2f} on {os.cpu_count()} cores"
        )
        print("| measurement | ipskg | baseline |\n|---|---|---|")
        for what, seconds, baseline in rows:
            print(f"| {what} | {seconds:.2f} s | {baseline} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
