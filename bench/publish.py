"""Issue 21: ``ipskg publish`` of a large graph file to a private Virtuoso, end to end as a whole
process, beside Virtuoso's own bulk loader on the same file in the same run.

Starts a Virtuoso on 127.0.0.1 with a throw-away folder (tests/virtuoso_server.py: free ports,
a random dba password), then for each round:

- ``ipskg publish --graph-file FILE`` into a named graph as a whole process (upload into a
  staging graph, count it, ``MOVE GRAPH`` it onto the target, count again). Its stderr lines
  are time-stamped as they arrive, so the read (until "publishing N triples"), the steps
  before the upload (count the target, look for stale staging graphs, check write access), the
  upload and count (until "swapping"), and the swap with the last count (until "published")
  are timed apart. Rounds after the first replace a graph of the same size, as a re-publish does.
- the baseline: ``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint`` through isql on the same
  file into another named graph (cleared after, not timed, so that the next publish finds the
  database as a re-publish does), Virtuoso's fastest route, which is not atomic for readers.

    python bench/generate.py --size 1M
    PYTHONPATH=. python bench/publish.py --size 1M --rounds 2
    PYTHONPATH=. python bench/publish.py --size 1M --memory-mb 2048 --batch-size 200000

Prints Markdown rows with the load average before each run. Target: 1M triples ≤ 30 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
sys.path.insert(0, str(ROOT / "tests"))

TARGET = "https://w3id.org/ipskg/graph/bench"
BULK = "https://w3id.org/ipskg/graph/bench-bulk"


def timed_publish(args: list[str], env: dict[str, str]) -> tuple[float, dict[str, float], str]:
    """Run ``ipskg publish`` as a whole process; (wall s, seconds at which its stderr lines
    marking the steps arrived, stderr)."""
    marks: dict[str, float] = {}
    lines: list[str] = []
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            now = time.perf_counter() - start
            lines.append(line)
            for key in ("publishing", "uploading batch 1/", "swapping", "published"):
                if line.startswith(key) and key not in marks:
                    marks[key] = now

    reader = threading.Thread(target=read)
    reader.start()
    proc.wait()
    reader.join()
    wall = time.perf_counter() - start
    err = "".join(lines)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {proc.returncode}:\n{err}")
    return wall, marks, err


def main() -> int:
    from virtuoso_server import VirtuosoServer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1M")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--memory-mb", type=int, default=256, help="the server's buffers")
    parser.add_argument("--batch-size", type=int, default=0, help="triples per GSP POST")
    parser.add_argument("--no-bulk", action="store_true", help="skip the bulk-loader baseline")
    args = parser.parse_args()
    graph = WORK / f"ipskg-{args.size}.nt"
    if not graph.is_file():
        raise SystemExit(f"{graph} is missing: python bench/generate.py --size {args.size}")
    folder = Path(tempfile.mkdtemp(prefix="ipskg-bench-vt-"))
    server = VirtuosoServer(folder / "db", memory_mb=args.memory_mb)
    try:
        server.start()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "IPSKG_CONFIG": str(server.credentials_file),
            "IPSKG_CACHE_DIR": str(folder / "cache"),
        }
        publish = [
            sys.executable,
            "-m",
            "ipskg",
            "publish",
            "--endpoint",
            server.endpoint,
            "--graph-iri",
            TARGET,
            "--graph-file",
            str(graph),
        ]
        if args.batch_size:
            publish += ["--batch-size", str(args.batch_size)]
        data = server.directory / "load"
        data.mkdir()
        try:  # the server reads only files under its DirsAllowed
            os.link(graph, data / graph.name)
        except OSError:
            shutil.copy(graph, data / graph.name)
        print(
            f"size {args.size} ({graph.stat().st_size / 1e6:.0f} MB), Virtuoso "
            f"{args.memory_mb} MB buffers, GSP batch {args.batch_size or 'default (50000)'}, "
            f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n"
        )
        print(
            "| round | run | wall | read + canonicalise | count, stale graphs, write check | "
            "upload + count | swap + count | load avg before |\n|---|---|---|---|---|---|---|---|",
            flush=True,
        )
        for n in range(1, args.rounds + 1):
            load = os.getloadavg()[0]
            wall, marks, err = timed_publish(publish, env)
            read = marks.get("publishing", float("nan"))
            upload = marks.get("uploading batch 1/", float("nan"))
            swap = marks.get("swapping", float("nan"))
            done = marks.get("published", wall)
            print(
                f"| {n} | `ipskg publish` (whole process) | {wall:.2f} s | {read:.2f} s | "
                f"{upload - read:.2f} s | {swap - upload:.2f} s | {done - swap:.2f} s | "
                f"{load:.2f} |",
                flush=True,
            )
            print("  " + err.strip().splitlines()[-1], flush=True)
            if args.no_bulk:
                continue
            server._isql(
                f"SPARQL CLEAR GRAPH <{BULK}>;\nDELETE FROM DB.DBA.load_list;\ncheckpoint;\n",
                server.password,
                timeout=600,
            )
            load = os.getloadavg()[0]
            start = time.perf_counter()
            server._isql(
                f"ld_dir('{data}', '{graph.name}', '{BULK}');\nrdf_loader_run();\ncheckpoint;\n",
                server.password,
                timeout=1800,
            )
            bulk = time.perf_counter() - start
            out = server._isql(
                "select count(*) from DB.DBA.load_list where ll_error is not null;\n"
                f"SPARQL SELECT COUNT(*) FROM <{BULK}> WHERE {{ ?s ?p ?o }};\n",
                server.password,
            )
            numbers = [ln.strip() for ln in out.splitlines() if ln.strip().isdigit()]
            server._isql(  # the next publish finds the database as a re-publish would
                f"SPARQL CLEAR GRAPH <{BULK}>;\ncheckpoint;\n", server.password, timeout=600
            )
            print(
                f"| {n} | baseline: `ld_dir` + `rdf_loader_run()` + `checkpoint` (isql) | "
                f"{bulk:.2f} s | | | | | {load:.2f} |  load errors, triples: {numbers}",
                flush=True,
            )
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
