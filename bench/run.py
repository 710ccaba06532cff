"""Run every benchmark in fresh processes and regenerate bench/RESULTS.md.

    python bench/run.py --sizes 10k,100k,1M [--repeat 3] [--quick] [--full-baselines]

Each figure is the median of ``--repeat`` child processes (bench/measure.py), each run from a
cold start; peak memory is the child's ru_maxrss as reported by the operating system. Generated
graphs are cached in bench/work/ (git-ignored); delete them to regenerate.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import SIZES, Vocab, generate, new_case_study, parse_size, study_triples  # noqa: E402
from report import machine_info, render  # noqa: E402

__all__ = ["main", "run_child"]

# pySHACL on 1M triples took ~1,660 s on this machine kind (shared/reference/engines.md).
SLOW_PYSHACL = 300_000
SLOW_RDFLIB_REPEAT = 2_000_000
# Some CQs run for many minutes on rdflib even at 10k; each rdflib query is stopped after this.
RDFLIB_CQ_CAP = 30
PYSHACL_TIMEOUT = 600
VALIDATE_1M_TIMEOUT = 1200


def run_child(
    argv: list[str], timeout: float = 3600, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run one command in a fresh process: wall seconds, peak RSS (MB), its JSON line if any."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=out, stderr=err, cwd=ROOT, env={**os.environ, **(env or {})}
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                return {"error": f"timed out after {timeout:.0f} s"}
            time.sleep(0.005)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        text, errtext = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    res: dict[str, Any] = {"wall": wall, "maxrss_mb": usage.ru_maxrss / 1024, "exit": code}
    lines = [ln for ln in text.splitlines() if ln.startswith("{")]
    if lines:
        res.update(json.loads(lines[-1]))
    if code != 0 and not lines:
        res["error"] = (errtext.strip().splitlines() or [f"exit {code}"])[-1][:300]
    return res


def repeat(argv: list[str], n: int, timeout: float = 3600) -> dict[str, Any]:
    """Median of n fresh runs; keeps the first run's extra fields (counts, engine, per-CQ)."""
    runs = [run_child(argv, timeout) for _ in range(n)]
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return {"error": runs[0].get("error", "failed"), "runs": n}
    out = dict(ok[0])
    for key in ("seconds", "wall", "maxrss_mb", "load_seconds"):
        if all(key in r for r in ok):
            out[key] = statistics.median(r[key] for r in ok)
    if "cq" in out:
        for name in out["cq"]:
            out["cq"][name]["seconds"] = statistics.median(r["cq"][name]["seconds"] for r in ok)
            if any(r["cq"][name].get("timed_out") for r in ok):
                out["cq"][name]["timed_out"] = True
    out["runs"] = len(ok)
    return out


def _py(*args: str) -> list[str]:
    return [sys.executable, str(HERE / "measure.py"), *args]


def ensure_graph(label: str) -> tuple[Path, dict[str, Any]]:
    path = WORK / f"ipskg-{label}.nt"
    info: dict[str, Any] = {}
    if not path.exists():
        t = time.perf_counter()
        generate(parse_size(label), path, progress=True)
        info = {"generated_seconds": time.perf_counter() - t}
    with path.open("rb") as fh:
        n = sum(1 for _ in fh)
    info.update(
        {"triples": n, "path": str(path.relative_to(ROOT)), "mb": path.stat().st_size / 1e6}
    )
    return path, info


def ensure_delta() -> Path:
    path = WORK / "new-case.nt"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        vocab = Vocab.from_ontology()
        path.write_text("".join(study_triples(new_case_study(vocab), vocab)), encoding="utf-8")
    return path


def cq_files() -> list[Path]:
    from ipskg.model.resources import queries_dir

    return sorted((queries_dir() / "cq").glob("*.rq"))


def measure_size(label: str, reps: int, args: argparse.Namespace) -> dict[str, Any]:
    path, info = ensure_graph(label)
    n = info["triples"]
    res: dict[str, Any] = {"graph": info}
    slow_reps = reps if n < SLOW_RDFLIB_REPEAT else 0
    if n >= SLOW_RDFLIB_REPEAT:  # 10M: one run of each (minutes per run)
        reps = 1
    print(f"[{label}] load", file=sys.stderr)
    res["parse_oxigraph"] = repeat(_py("parse-oxigraph", str(path)), reps)
    res["load_ipskg"] = repeat(_py("load-ipskg", str(path)), reps)
    res["load_rdflib"] = (
        repeat(_py("load-rdflib", str(path)), max(1, min(reps, 3)))
        if slow_reps
        else {
            "skipped": "rdflib baseline not run at 10M: it "
            "needs >10 GB and ~6 min per parse (≈35 s per 1M)"
        }
    )
    cqs = cq_files()
    if cqs:
        cq_args = [a for c in cqs for a in ("--cq", str(c))]
        print(f"[{label}] competency questions ({len(cqs)})", file=sys.stderr)
        res["cq_ipskg"] = repeat(_py("cq-ipskg", str(path), *cq_args), reps)
        res["cq_rdflib"] = (
            repeat(
                _py("cq-rdflib", str(path), *cq_args, "--cap", str(RDFLIB_CQ_CAP)),
                reps if n < 50_000 else 1,
            )
            if slow_reps
            else {"skipped": "rdflib baseline not run at 10M (see load)"}
        )
    if n > 2_000_000:
        res["validate_ipskg"] = res["validate_pyshacl"] = {"skipped": "not part of the 10M run"}
    else:
        print(f"[{label}] validation", file=sys.stderr)
        res["validate_ipskg"] = repeat(
            _py("validate-ipskg", str(path)), reps, timeout=VALIDATE_1M_TIMEOUT
        )
        res["validate_turbo"] = repeat(
            _py("validate-turbo", str(path)),
            reps if n < 500_000 else 1,
            timeout=VALIDATE_1M_TIMEOUT,
        )
        if n < SLOW_PYSHACL or args.full_baselines:
            res["validate_pyshacl"] = repeat(
                _py("validate-pyshacl", str(path)),
                reps if n < 50_000 else 1,
                timeout=PYSHACL_TIMEOUT,
            )
        else:
            res["validate_pyshacl"] = {
                "skipped": "plain pySHACL at 1M took ~1,660 s on this "
                "machine kind (shared reference); run with --full-baselines"
            }
        if n >= 900_000:
            res["validate_case"] = repeat(
                _py("validate-case", str(path), "--delta", str(ensure_delta())), reps
            )
        else:
            res["validate_case"] = {"skipped": "measured at 1M only"}
    if n >= 900_000 and n < 2_000_000 and not args.quick:
        print(f"[{label}] rule-based classification", file=sys.stderr)
        res["reason_rules"] = repeat(_py("reason-data", str(path), "--max-individuals", "1000"), 1)
    return res


def measure_cli(reps: int) -> dict[str, Any]:
    """Whole-process start-up: `ipskg --help` and one competency question on the seed graph."""
    exe = shutil.which("ipskg") or "ipskg"
    out: dict[str, Any] = {"help": repeat([exe, "--help"], max(reps, 10))}
    cqs = cq_files()
    if cqs:
        argv = [exe, "query", cqs[0].stem]
        # Cold: each run with an empty query cache, so it builds the seed graph from the YAML
        # files first (a user's first query, or the first after editing the data).
        cold = []
        for _ in range(max(reps, 5)):
            with tempfile.TemporaryDirectory() as cache:
                cold.append(run_child(argv, env={"IPSKG_CACHE_DIR": cache}))
        ok = [r for r in cold if "error" not in r]
        out["query_cold"] = (
            {**ok[0], "wall": statistics.median(r["wall"] for r in ok), "runs": len(ok)}
            if ok
            else {"error": cold[0]["error"], "runs": len(cold)}
        )
        # Warm: the cache filled by the first run (the usual case).
        out["query"] = repeat(argv, max(reps, 5))
        out["query"]["cq"] = cqs[0].stem
    return out


def measure_reasoning(reps: int) -> dict[str, Any]:
    exe = shutil.which("ipskg") or "ipskg"
    out: dict[str, Any] = {"ontology": repeat([exe, "reason"], reps, timeout=900)}
    sample = WORK / "sample-1-study.nt"
    if not sample.exists():
        generate(1, sample, seed=3, with_ontology=False)
    out["small_data"] = repeat(
        _py("reason-data", str(sample), "--max-individuals", "5000"), 1, timeout=900
    )
    return out


KEPT = "<!-- hand-recorded rows below: kept when bench/run.py rewrites this file -->"


def _write(path: Path, text: str) -> None:
    """Write the rendered table, keeping the hand-recorded section of the old file (issue 21's
    rows from bench/store.py and bench/differential.py, which run.py does not measure)."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if KEPT in old:
        text = text.rstrip("\n") + "\n\n" + KEPT + old.split(KEPT, 1)[1]
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run the ipskg benchmarks; write bench/RESULTS.md.")
    ap.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 10k,100k,1M,10M")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one run each; skip reasoning")
    ap.add_argument(
        "--full-baselines",
        action="store_true",
        help="also run plain pySHACL at 1M (about half an hour)",
    )
    ap.add_argument("-o", "--output", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite the table from bench/work/results.json without measuring",
    )
    args = ap.parse_args(argv)
    if args.render_only:
        saved = json.loads((WORK / "results.json").read_text(encoding="utf-8"))
        _write(args.output, render(saved))
        return 0
    reps = 1 if args.quick else args.repeat
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for s in labels:
        if s not in SIZES:
            ap.error(f"unknown size {s!r}: use {', '.join(SIZES)}")
    started = time.time()
    results: dict[str, Any] = {
        "machine": machine_info(),
        "repeat": reps,
        "sizes": {},
        "command": "python bench/run.py " + " ".join(argv or sys.argv[1:]),
    }
    results["cli"] = measure_cli(reps)
    for label in labels:
        results["sizes"][label] = measure_size(label, reps, args)
        _save(results)
        _write(args.output, render(results))  # partial results so far
    if not args.quick:
        print("[reasoning]", file=sys.stderr)
        results["reasoning"] = measure_reasoning(reps)
    results["elapsed_s"] = time.time() - started
    _save(results)
    _write(args.output, render(results))
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _save(results: dict[str, Any]) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
