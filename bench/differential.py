"""The wide differential run: the ``sparql`` engine (as ipskg runs it) against pySHACL on
thousands of mutated graphs (tests/mutants.py; tests/test_differential.py runs 150 in CI).

    PYTHONPATH=. python bench/differential.py --seeds 1000 --base lakeside-site
    PYTHONPATH=. python bench/differential.py --seeds 500 --base harkko-2025 --first 1000

Prints one line per disagreement (its seed reproduces it), then a summary: mutants, how many
the engine answered itself, how many went to a fallback (with its note), how many pySHACL
itself failed on (not compared), disagreements, and the time. Exit 1 on any disagreement.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

BASES = {
    "lakeside-site": ROOT / "tests" / "fixtures" / "cases" / "valid" / "lakeside-site",
    "harkko-2025": ROOT / "data" / "studies" / "harkko-2025",
}


def _parse_sparql_once() -> None:
    """As tests/test_shapes.py's fixture: pySHACL re-parses each SPARQL constraint per focus
    node; reuse the parsed query (evaluation unchanged)."""
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    original = processor.SPARQLProcessor.query
    cache: dict[tuple[object, ...], object] = {}

    def query(self, q, initBindings=None, initNs=None, base=None, DEBUG=False):  # type: ignore[no-untyped-def]
        if isinstance(q, str):
            key = (q, tuple(sorted((initNs or {}).items())), base)
            if key not in cache:
                cache[key] = translateQuery(parseQuery(q), base, initNs)
            q = cache[key]
        return original(self, q, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--base", choices=sorted(BASES), default="lakeside-site")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    _parse_sparql_once()

    from mutants import Mutator, judge

    from ipskg.shacl.validate import data_for_paths

    graph, _ = data_for_paths([BASES[args.base]])
    mutator = Mutator(graph)
    ran: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    failed = disagree = 0
    start = time.perf_counter()
    for seed in range(args.first, args.first + args.seeds):
        verdict = judge(mutator, seed)
        kinds.update(m.split(":", 1)[0] for m in verdict.mutations)
        if verdict.reference_failed:
            failed += 1
            continue
        ran[verdict.ran] += 1
        if not verdict.agrees:
            disagree += 1
            print(verdict.explain(), flush=True)
    elapsed = time.perf_counter() - start
    print(
        f"base {args.base}, seeds {args.first}..{args.first + args.seeds - 1}: "
        f"{args.seeds} mutants, answered by {dict(sorted(ran.items()))}, pySHACL failed on "
        f"{failed} (not compared), {disagree} disagreement(s), {elapsed:.0f} s "
        f"({elapsed / args.seeds:.2f} s per mutant, both engines)\n"
        f"mutations: {dict(sorted(kinds.items()))}"
    )
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
