"""Differential tests: ipskg's ``sparql`` engine against pySHACL on mutated valid graphs.

tests/mutants.py perturbs the graph of a valid fixture study (lakeside-site) and of a bundled
study (harkko-2025, the paper's cases with their robustness criteria) with a fixed set of seeds:
ill-typed literals, wrong datatypes, values out of range, lexical variants, deleted and
duplicated values, dangling references, wrong classes. Every mutant is validated by the
``sparql`` engine as ipskg runs it (its literal guard, its fallbacks) and by pySHACL, and the
results must be the same: conformance and, per result, severity, focus node, path, value,
source shape, constraint component and message. bench/differential.py runs thousands of seeds.
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from ipskg.shacl.validate import data_for_paths, engine_run, ontology_terms

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from mutants import Mutator, judge  # noqa: E402
from test_shapes import parse_sparql_once  # noqa: E402, F401  (a fixture)

ROOT = HERE.parent
BASES = {
    "lakeside-site": HERE / "fixtures" / "cases" / "valid" / "lakeside-site",
    "harkko-2025": ROOT / "data" / "studies" / "harkko-2025",
}
# (base, first seed, seeds): 150 mutants in all (about 2 minutes on 2 busy cores), in
# chunks so a failure names its seeds
CHUNKS = [("lakeside-site", start, 25) for start in range(0, 100, 25)] + [
    ("harkko-2025", start, 25) for start in range(0, 50, 25)
]


@cache
def mutator(base: str) -> Mutator:
    graph, _ = data_for_paths([BASES[base]])
    return Mutator(graph)


@pytest.mark.usefixtures("parse_sparql_once")
@pytest.mark.parametrize("base", sorted(BASES))
def test_the_unmutated_bases_run_on_the_sparql_engine_and_conform(base):
    """Otherwise the mutants would test a fallback, not the engine."""
    graph, _ = data_for_paths([BASES[base]])
    graph += ontology_terms()
    conforms, rows, ran, note = engine_run(graph, "sparql")
    assert (ran, note) == ("sparql", "")
    assert conforms, rows


@pytest.mark.slow
@pytest.mark.usefixtures("parse_sparql_once")
@pytest.mark.parametrize(("base", "start", "count"), CHUNKS)
def test_mutants_give_pyshacls_results(base, start, count):
    verdicts = [judge(mutator(base), seed) for seed in range(start, start + count)]
    disagreements = [v.explain() for v in verdicts if not v.agrees]
    assert not disagreements, "\n".join(disagreements)
    # the engine itself answers most mutants; the rest are fallbacks with their note
    ran = Counter(v.ran for v in verdicts)
    assert ran["sparql"] >= count // 3, ran
    assert all(v.note for v in verdicts if v.ran != "sparql")
