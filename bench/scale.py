"""Issue 21 at scale: load a graph once into a persistent store with ``ipskg load``, then ask
every question of the catalogue from a fresh process with ``--store DIR``, each as a whole
process with its wall time and peak memory (the child's ``ru_maxrss`` from ``os.wait4``),
beside baselines in the same run: pyoxigraph's raw parse of the file (in process) for the load,
and ``ipskg query NAME --graph FILE`` (a fresh process that parses the file) for the questions
named by ``--baseline``.

    python bench/generate.py --size 10M                       # -> bench/work/ipskg-10M.nt
    PYTHONPATH=. python bench/scale.py --size 10M --repeat 1
    PYTHONPATH=. python bench/scale.py --size 10M --reuse     # keep bench/work/ipskg-10M.store

Each question is asked for every study (no ``study`` parameter, as ``ipskg query NAME`` asks
it), with the synthetic data's sub-theme and record where the question has that parameter
(bench/measure.py's ``BENCH_PARAMS``: the bundled defaults name records the synthetic data does
not have), and one synthetic study where the study is not optional (table-1); ``--one-study``
adds ``study=bench-000001`` everywhere. Answers are written as CSV to a file
in a temporary folder and their rows counted. Prints Markdown rows with the load average
(1 min) before each run; targets: each question ≤ 5 s and every process ≤ 6 GB. A watchdog
stops a question after ``--cap-seconds`` (120) or above ``--cap-mb`` (8,000 MB resident) and
records that instead, so that a runaway question cannot take a shared machine's memory.
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_SECONDS = 5.0
TARGET_MB = 6_000


class Stopped(Exception):
    """The child was stopped by the watchdog (too slow or too big)."""

    def __init__(self, why: str, wall: float, peak_mb: float) -> None:
        super().__init__(why)
        self.why, self.wall, self.peak_mb = why, wall, peak_mb


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0.0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) / 1024 if found else 0.0


def run_child(
    args: list[str], env: dict[str, str], out: Path, cap_s: float = 0, cap_mb: float = 0
) -> tuple[float, float, str]:
    """Run a whole process: (wall seconds, peak RSS in MB, stderr); stdout goes to ``out``.
    A watchdog stops it (SIGKILL; :class:`Stopped`) after ``cap_s`` seconds or above
    ``cap_mb`` MB of resident memory, so that a runaway question cannot take the machine."""
    err_path = out.with_suffix(out.suffix + ".err")
    stopped: list[str] = []
    with out.open("wb") as stdout, err_path.open("wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=stdout, stderr=stderr)
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.25):
                rss = _rss_mb(proc.pid)
                elapsed = time.perf_counter() - start
                if cap_mb and rss > cap_mb:
                    stopped.append(f"stopped above {cap_mb:,.0f} MB")
                elif cap_s and elapsed > cap_s:
                    stopped.append(f"stopped after {cap_s:.0f} s")
                else:
                    continue
                proc.kill()
                return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        done.set()
        watcher.join()
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux
    if stopped:
        raise Stopped(stopped[0], elapsed, peak)
    err = err_path.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {proc.returncode}:\n{err}")
    return elapsed, peak, err


def load1() -> float:
    return os.getloadavg()[0]


def question_args(name: str, one_study: bool) -> list[str]:
    from measure import BENCH_PARAMS

    from ipskg.sparql.catalogue import catalogue

    params = {p.name: p for p in catalogue()[name].parameters}
    return [  # a study parameter with a default (table-1's) names the seed study: give one
        f"--param={k}={v}"
        for k, v in BENCH_PARAMS.items()
        if k in params and (one_study or k != "study" or not params[k].optional)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10M")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the store")
    parser.add_argument("--one-study", action="store_true", help="ask about one study only")
    parser.add_argument(
        "--baseline",
        default="case-robustness",
        help="comma-separated questions also asked with --graph FILE (each parses the file)",
    )
    parser.add_argument("--only", default="", help="comma-separated questions (default: all)")
    parser.add_argument(
        "--cap-seconds", type=float, default=120, help="stop a question after this long"
    )
    parser.add_argument(
        "--cap-mb", type=float, default=8000, help="stop a question above this much memory"
    )
    args = parser.parse_args()
    graph = WORK / f"ipskg-{args.size}.nt"
    if not graph.is_file():
        raise SystemExit(f"{graph} is missing: python bench/generate.py --size {args.size}")
    from ipskg.sparql.catalogue import catalogue

    names = [n for n in catalogue() if not args.only or n in args.only.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="ipskg-bench-scale-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IPSKG_CACHE_DIR": str(tmp / "cache")}
    py = [sys.executable, "-m", "ipskg"]
    store = WORK / f"ipskg-{args.size}.store" if args.reuse else tmp / "graph.store"
    print(
        f"size {args.size} ({graph.stat().st_size / 1e6:.0f} MB), {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, repeat {args.repeat}, "
        f"{'one study' if args.one_study else 'every study'}",
        flush=True,
    )
    try:
        if not (store / "ipskg-store.json").is_file():
            import pyoxigraph

            before = load1()
            start = time.perf_counter()
            raw = sum(
                1 for _ in pyoxigraph.parse(path=str(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)
            )
            raw_s = time.perf_counter() - start
            shutil.rmtree(store, ignore_errors=True)
            load_before = load1()
            load_s, load_mb, err = run_child(
                [*py, "load", str(graph), "--store", str(store)], env, tmp / "load.out"
            )
            print(
                "| run | wall | peak MB | load avg before | baseline |\n|---|---|---|---|---|\n"
                f"| `ipskg load` (whole process) | {load_s:.2f} s | {load_mb:,.0f} | "
                f"{load_before:.2f} | pyoxigraph raw parse in process: {raw_s:.2f} s "
                f"({raw:,} triples, load avg {before:.2f}); {raw_s / load_s:.2f}x |",
                flush=True,
            )
            print(f"  {err.strip()}", flush=True)
        else:
            print(f"reusing {store}", flush=True)
        print(
            "\n| question | rows | `--store` wall | peak MB | load avg | `--graph FILE` "
            "(baseline) | target |\n|---|---|---|---|---|---|---|",
            flush=True,
        )
        misses = 0
        baselines = [b for b in args.baseline.split(",") if b]
        for name in names:
            extra = question_args(name, args.one_study)
            walls, peaks, loads = [], [], []
            rows = "?"
            for _ in range(args.repeat):
                loads.append(load1())
                try:
                    wall, peak, err = run_child(
                        [*py, "query", name, "--store", str(store), "-f", "csv", *extra],
                        env,
                        tmp / f"{name}.csv",
                        args.cap_seconds,
                        args.cap_mb,
                    )
                except Stopped as stop:
                    wall, peak, rows = stop.wall, stop.peak_mb, stop.why
                    walls.append(wall)
                    peaks.append(peak)
                    break
                walls.append(wall)
                peaks.append(peak)
                found = re.search(r"^(\d+) rows?", err, re.M)
                rows = found.group(1) if found else "?"
            baseline = "–"
            if name in baselines:
                b_load = load1()
                try:
                    b_wall, b_peak, _ = run_child(
                        [*py, "query", name, "--graph", str(graph), "-f", "csv", *extra],
                        env,
                        tmp / f"{name}.graph.csv",
                        args.cap_seconds * 3,
                        args.cap_mb,
                    )
                    baseline = f"{b_wall:.2f} s, {b_peak:,.0f} MB (load avg {b_load:.2f})"
                except Stopped as stop:
                    baseline = f"{stop.why} ({stop.peak_mb:,.0f} MB)"
            wall = statistics.median(walls)
            peak = max(peaks)
            ok = wall <= TARGET_SECONDS and peak <= TARGET_MB
            misses += not ok
            print(
                f"| {name}{' ' + ' '.join(extra) if extra else ''} | {rows} | {wall:.2f} s | "
                f"{peak:,.0f} | {statistics.median(loads):.2f} | {baseline} | "
                f"{'pass' if ok else 'miss'} |",
                flush=True,
            )
        print(
            f"\n{len(names) - misses} of {len(names)} questions within {TARGET_SECONDS:.0f} s "
            f"and {TARGET_MB:,} MB"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
