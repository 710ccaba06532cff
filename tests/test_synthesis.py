"""The synthesis questions against a second, independent reading of the data files.

Each synthesis question (evidence map, convergence, contradictions, gaps, strategies for
barriers, weight of evidence per determinant) is answered here a second way: in plain Python,
straight from the researcher-edited YAML files, with no ipskg code and no SPARQL. The two must
agree on every key and count. The expected CSVs in tests/cq/expected/ pin the exact answer on
every backend; this test pins what that answer means, so that a query that is wrong in the same
way on every engine (a join that drops a study, a count of ratings that should count studies)
cannot pass. The CFIR concept lists (construct codes and their broader codes) are read from the
ontology's Turtle text with a regular expression, not through rdflib.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import product
from pathlib import Path

import pytest
import yaml
from answers import answer_rows

from ipskg.sparql.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
STUDIES = ROOT / "data" / "studies"
SIGN = {"+": "+", "-": "-", "X": "X", "0": "0"}


# -- the independent reading ---------------------------------------------------------------
def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _country(study: dict) -> str:
    for c in study.get("characteristics", []):
        if c.get("aspect") == "country":
            return str(c["value"])
    return ""


def _ratings() -> list[dict]:
    """Every determinant rating: study, country, key (construct, role), sign, phase, flag."""
    out = []
    for folder in sorted(p for p in STUDIES.iterdir() if (p / "study.yaml").is_file()):
        study = _load(folder / "study.yaml")
        obs_file = folder / "observations.yaml"
        if not obs_file.is_file():
            continue
        for rec in _load(obs_file).get("observations", []):
            if rec.get("valence") not in SIGN:  # M (missing) is no rating of influence
                continue
            out.append(
                {
                    "study": study["id"],
                    "country": _country(study),
                    "key": (rec["construct"], rec.get("role", "")),
                    "sign": rec["valence"],
                    "phase": rec.get("phase", "unstated"),
                    "unit": rec["observed_in"],
                    "circular": bool(rec.get("restates_grouping")),
                }
            )
    return out


def _strategy_targets() -> list[tuple[str, str, str]]:
    """(targeted construct, ERIC number, study) for every strategy use with targets."""
    out = []
    for folder in sorted(STUDIES.iterdir()):
        if not (folder / "study.yaml").is_file():
            continue
        study = _load(folder / "study.yaml")
        for use in study.get("strategy_uses", []) or []:
            for target in use.get("targets", []) or []:
                out.append((target, str(use["strategy"]), study["id"]))
    return out


def _cfir() -> dict[str, tuple[str, str | None]]:
    """notation -> (class, broader notation) for every CFIR concept, read from cfir.ttl."""
    text = (ROOT / "ontology" / "cfir.ttl").read_text(encoding="utf-8")
    iri_of: dict[str, str] = {}
    blocks: dict[str, str] = {}
    for m in re.finditer(r"^cfir:(\w+) a ipskg:(CFIR\w+)(.*?)\s\.\n", text, re.M | re.S):
        blocks[m.group(1)] = m.group(2) + m.group(3)
        notation = re.search(r'skos:notation "([^"]+)"', m.group(3))
        if notation:
            iri_of[m.group(1)] = notation.group(1)
    out = {}
    for local, block in blocks.items():
        if local not in iri_of:
            continue
        broader = re.search(r"skos:broader cfir:(\w+)", block)
        out[iri_of[local]] = (
            block.split()[0],
            iri_of.get(broader.group(1)) if broader else None,
        )
    return out


RATINGS = _ratings()
EVIDENCE = [r for r in RATINGS if not r["circular"]]


# -- the store's answers -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def store(built_graph) -> EmbeddedStore:
    return EmbeddedStore.from_graph(built_graph)


def _key(row: dict[str, str]) -> tuple[str, str]:
    return (row["construct"], _role_code(row["role"]))


def _role_code(label: str) -> str:
    """A role's notation from its label (the questions show labels; the data files codes)."""
    if not label:
        return ""
    text = (ROOT / "ontology" / "cfir.ttl").read_text(encoding="utf-8")
    for m in re.finditer(r"^cfir:\w+ a ipskg:CFIRRole(.*?)\s\.\n", text, re.M | re.S):
        if f'skos:prefLabel "{label}"@en' in m.group(1):
            return re.search(r'skos:notation "([^"]+)"', m.group(1)).group(1)  # type: ignore[union-attr]
    raise AssertionError(f"no CFIR role labelled {label!r}")


# -- the checks ----------------------------------------------------------------------------
def test_the_evidence_is_wide_enough_to_synthesise() -> None:
    """At least 12 studies from at least 7 countries have ratings (issue: a living evidence map)."""
    assert len({r["study"] for r in RATINGS}) >= 12
    assert len({r["country"] for r in RATINGS} - {""}) >= 7


def test_evidence_map_counts_each_studys_ratings_of_each_determinant(store) -> None:
    want: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys("+-X0", 0))
    for r in RATINGS:
        counts = want[(r["key"], r["study"])]
        if not r["circular"]:
            counts[r["sign"]] += 1
    got = {
        (_key(row), row["study"]): {
            "+": int(row["facilitator"]),
            "-": int(row["barrier"]),
            "X": int(row["mixed"]),
            "0": int(row["neutral"]),
        }
        for row in answer_rows(store, "evidence-map")
    }
    assert got == dict(want)
    countries = {row["study"]: row["country"] for row in answer_rows(store, "evidence-map")}
    assert countries == {r["study"]: r["country"] for r in RATINGS}


@pytest.mark.parametrize(
    ("valence", "sign", "min_studies", "min_countries"),
    [("barrier", "-", 2, 1), ("facilitator", "+", 2, 2), ("mixed", "X", 1, 1), ("-", "-", 3, 3)],
)
def test_convergence_counts_studies_and_countries_not_ratings(
    store, valence: str, sign: str, min_studies: int, min_countries: int
) -> None:
    studies: dict[tuple, set[str]] = defaultdict(set)
    countries: dict[tuple, set[str]] = defaultdict(set)
    for r in EVIDENCE:
        if r["sign"] == sign:
            studies[r["key"]].add(r["study"])
            countries[r["key"]].add(r["country"])
    want = {
        k: (len(s), len(countries[k]), sorted(s))
        for k, s in studies.items()
        if len(s) >= min_studies and len(countries[k]) >= min_countries
    }
    rows = answer_rows(
        store,
        "convergence",
        valence=valence,
        min_studies=str(min_studies),
        min_countries=str(min_countries),
    )
    got = {
        _key(row): (int(row["studies"]), int(row["countries"]), sorted(row["study_ids"].split()))
        for row in rows
    }
    assert got == want
    assert want, "a convergence check that finds nothing checks nothing"


def test_contradictions_pair_every_facilitator_with_every_barrier(store) -> None:
    plus = [r for r in EVIDENCE if r["sign"] == "+"]
    minus = [r for r in EVIDENCE if r["sign"] == "-"]
    want = sorted(
        (p["key"], p["study"], m["study"], p["phase"], m["phase"])
        for p, m in product(plus, minus)
        if p["key"] == m["key"]
    )
    got = sorted(
        (
            _key(row),
            row["facilitator_study"],
            row["barrier_study"],
            row["facilitator_phase"] or "unstated",
            row["barrier_phase"] or "unstated",
        )
        for row in answer_rows(store, "contradictions")
    )
    assert got == want
    assert {row["same_study"] for row in answer_rows(store, "contradictions")} == {"yes", "no"}


@pytest.mark.parametrize("phase", ["any", "sustainment", "implementation"])
def test_gaps_are_the_cfir_determinants_no_study_rated(store, phase: str) -> None:
    cfir = _cfir()
    rated = {r["key"] for r in RATINGS if phase in ("any", r["phase"])}
    # A construct counts as rated when one of its subconstructs is.
    for construct, role in list(rated):
        broader = cfir.get(construct, ("", None))[1]
        while broader is not None:
            rated.add((broader, role))
            broader = cfir.get(broader, ("", None))[1]
    candidates = {
        (code, "")
        for code, (cls, _) in cfir.items()
        if cls in ("CFIRConstruct", "CFIRSubconstruct")
    } | {
        (char, role)
        for char, (cls, _) in cfir.items()
        if cls == "CFIRCharacteristic"
        for role, (rcls, _) in cfir.items()
        if rcls == "CFIRRole"
    }
    got = {
        (row["notation"], _role_code(row["role"]))
        for row in answer_rows(store, "gaps", phase=phase)
    }
    assert got == candidates - rated
    searched = {r["study"] for r in RATINGS if phase in ("any", r["phase"])}
    assert {int(row["studies_searched"]) for row in answer_rows(store, "gaps", phase=phase)} == {
        len(searched)
    }


def test_strategies_meet_the_barriers_they_target(store) -> None:
    cfir = _cfir()
    barrier_studies: dict[tuple, set[str]] = defaultdict(set)
    for r in EVIDENCE:
        if r["sign"] == "-":
            barrier_studies[r["key"]].add(r["study"])

    def ancestors(code: str) -> set[str]:
        out = {code}
        while cfir.get(code, ("", None))[1] is not None:
            code = cfir[code][1]  # type: ignore[assignment]
            out.add(code)
        return out

    want = set()
    for key, studies in barrier_studies.items():
        uses = {
            (number.zfill(2), study)
            for target, number, study in _strategy_targets()
            if target in ancestors(key[0])
        }
        want |= {(key, len(studies), n, s) for n, s in uses} or {(key, len(studies), "", "")}
    rows = answer_rows(store, "strategies-for-barriers", min_studies="1")
    got = {
        (_key(row), int(row["barrier_studies"]), row["strategy_notation"], row["used_by_study"])
        for row in rows
    }
    assert got == want
    assert any(row["strategy_notation"] for row in rows)


def test_weight_of_evidence_counts_studies_and_ratings_per_determinant(store) -> None:
    studies: dict[tuple, set[str]] = defaultdict(set)
    ratings: dict[tuple, int] = defaultdict(int)
    for r in EVIDENCE:
        studies[r["key"]].add(r["study"])
        ratings[r["key"]] += 1
    got = {
        _key(row): (int(row["studies"]), int(row["ratings"]))
        for row in answer_rows(store, "determinant-evidence-weight")
    }
    assert got == {k: (len(s), ratings[k]) for k, s in studies.items()}
    for row in answer_rows(store, "determinant-evidence-weight"):
        kinds = ("full_text", "abstract", "abstract_or_summary", "summary", "index_entry")
        assert sum(int(row[k]) for k in kinds) >= int(row["ratings"]), row


def test_shared_determinants_keep_each_role_apart(store) -> None:
    """A characteristic is a determinant for one role: Motivation of two roles is never pooled."""
    studies: dict[tuple, set[str]] = defaultdict(set)
    for r in EVIDENCE:
        studies[r["key"]].add(r["study"])
    want = {(k, s) for k, ss in studies.items() if len(ss) >= 2 for s in ss}
    got = {
        ((row["construct_code"], _role_code(row["role"])), row["study"])
        for row in answer_rows(store, "cross-study-shared-determinants")
    }
    assert got == want


def test_the_study_register_reads_as_the_study_files(store) -> None:
    """studies: one row per study folder, with its title (or label), year, country and DOI as its
    study.yaml gives them (nothing filled in), and the study's own kind of source among the kinds
    its records were read in."""
    want, kinds = {}, {}
    for folder in sorted(p for p in STUDIES.iterdir() if (p / "study.yaml").is_file()):
        study = _load(folder / "study.yaml")
        pub = study.get("publication", {})
        want[study["id"]] = (
            str(study.get("title") or pub.get("title") or study.get("label") or ""),
            str(pub.get("year", "")),
            _country(study),
            str(pub.get("doi", "")),
        )
        kinds[study["id"]] = str(study.get("source_kind", "full-text"))
    rows = answer_rows(store, "studies")
    assert {r["study"]: (r["label"], r["year"], r["country"], r["doi"]) for r in rows} == want
    for r in rows:
        assert int(r["records"]) > 0
        assert kinds[r["study"]] in r["source_kinds"].split(", "), r["study"]
    sweden = {r["study"] for r in answer_rows(store, "studies", country="Sweden")}
    assert sweden == {s for s, v in want.items() if v[2] == "Sweden"} and len(sweden) >= 3
