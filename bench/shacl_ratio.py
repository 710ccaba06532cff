"""Issue 21: the SHACL ratio measured interleaved, so that both engines see the same load.

Each round runs, as fresh processes one after the other, ipskg's whole-graph validation
(``bench/measure.py validate-ipskg``: ``validate_whole`` from the N-Triples file to the
located report, as ``ipskg validate --whole FILE`` runs it) and plain pySHACL on the same graph
(``bench/measure.py validate-pyshacl``: its rdflib parse not timed, which favours the
baseline), alternating which goes first. The 1-minute load average is read before each run.

    python bench/generate.py --size 100k
    PYTHONPATH=. python bench/shacl_ratio.py --size 100k --rounds 3

Prints a Markdown row per round (both times, the ratio pySHACL / ipskg, the load averages,
both engines' conforms flags and result counts, and whether the counts per source shape agree)
and the median ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
MEASURE = ROOT / "bench" / "measure.py"


def measure(task: str, graph: Path) -> tuple[float, float, dict[str, object]]:
    """(load average before, wall of the whole process, the task's JSON)."""
    load = os.getloadavg()[0]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(MEASURE), task, str(graph)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{task} exited {done.returncode}:\n{done.stderr}")
    return load, wall, json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    graph = WORK / f"ipskg-{args.size}.nt"
    if not graph.is_file():
        raise SystemExit(f"{graph} is missing: python bench/generate.py --size {args.size}")
    print(
        f"size {args.size} ({graph.stat().st_size / 1e6:.0f} MB), {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n"
    )
    print(
        "| round | first | ipskg `validate --whole` | load avg | plain pySHACL (parse untimed) "
        "| load avg | ratio | conforms (ipskg, pySHACL) | results (ipskg, pySHACL) | same per "
        "shape |\n|---|---|---|---|---|---|---|---|---|---|",
        flush=True,
    )
    ratios = []
    for n in range(1, args.rounds + 1):
        order = ["validate-ipskg", "validate-pyshacl"]
        if n % 2 == 0:
            order.reverse()
        got = {task: measure(task, graph) for task in order}
        i_load, _i_wall, ipskg = got["validate-ipskg"]
        p_load, _p_wall, plain = got["validate-pyshacl"]
        i_s, p_s = float(ipskg["seconds"]), float(plain["seconds"])  # type: ignore[arg-type]
        ratios.append(p_s / i_s)
        print(
            f"| {n} | {order[0].removeprefix('validate-')} | {i_s:.2f} s "
            f"({ipskg.get('engine')}) | {i_load:.2f} | {p_s:.1f} s | {p_load:.2f} | "
            f"{p_s / i_s:.1f}x | {ipskg['conforms']}, {plain['conforms']} | "
            f"{ipskg['results']}, {plain['results']} | "
            f"{'yes' if ipskg['per_shape'] == plain['per_shape'] else 'no'} |",
            flush=True,
        )
    print(f"\nmedian ratio {statistics.median(ratios):.1f}x over {len(ratios)} rounds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
