"""Cross-study competency questions, on rdflib and on the embedded Oxigraph store.

Expected answers are computed independently from the study YAML files, not typed in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from rdflib.namespace import SKOS

from ipskg.namespaces import IPSKG
from ipskg.ontology import ontology_graph, vocabulary
from ipskg.resources import data_dir, queries_dir

STUDIES = ("harkko-2025", "noel-2017")
COMPANION_DOI = "10.1176/appi.ps.201500301"


def _text(value: Any) -> str | None:
    """A result cell as plain text (Oxigraph terms print with quotes and datatypes)."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _rdflib(graph, query: str) -> list[dict[str, str | None]]:
    result = graph.query(query)
    return [{str(v): _text(row[str(v)]) for v in result.vars} for row in result]


@pytest.fixture(scope="module")
def oxigraph(built_graph):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(built_graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _oxigraph(store, query: str) -> list[dict[str, str | None]]:
    result = store.query(query)
    names = [v.value for v in result.variables]
    return [{n: _text(row[n]) for n in names} for row in result]


@pytest.fixture(params=["rdflib", "oxigraph"])
def run(request, built_graph, oxigraph) -> Callable[[str], list[dict[str, str | None]]]:
    def runner(name: str) -> list[dict[str, str | None]]:
        query = (queries_dir() / "cq" / name).read_text(encoding="utf-8")
        if request.param == "rdflib":
            return _rdflib(built_graph, query)
        return _oxigraph(oxigraph, query)

    return runner


def _study_files(name: str) -> dict[str, dict]:
    out = {}
    for folder in sorted((data_dir() / "studies").iterdir()):
        path = folder / name
        if path.is_file():
            out[folder.name] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return out


def _section(source: Any) -> str:
    return source if isinstance(source, str) else source["section"]


def test_the_bundled_data_has_both_studies() -> None:
    assert set(STUDIES) <= set(_study_files("study.yaml"))


# ------------------------------------------------------------------ shared determinants
def _expected_shared() -> dict[str, dict[str, Counter]]:
    """construct notation -> study -> Counter of valence notations, from observations.yaml."""
    constructs = vocabulary(str(IPSKG.CFIRConcept), "CFIR 2022 construct")
    valences = vocabulary(str(IPSKG.Valence), "valence")
    onto = ontology_graph()

    seen: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for study, doc in _study_files("observations.yaml").items():
        for obs in doc.get("observations", []):
            valence = str(onto.value(valences.resolve(str(obs["valence"])), SKOS.notation))
            if valence == "M":
                continue
            code = str(onto.value(constructs.resolve(obs["construct"]), SKOS.notation))
            seen[code][study][valence] += 1
    return {code: dict(by_study) for code, by_study in seen.items() if len(by_study) >= 2}


def test_shared_determinants_match_the_data(run) -> None:
    expected = _expected_shared()
    assert expected, "the bundled studies share no construct: the question has nothing to answer"
    rows = run("cross-study-shared-determinants.rq")
    got = {(row["construct_code"], row["study"]): row for row in rows}
    assert set(got) == {(code, study) for code, by in expected.items() for study in by}
    for (code, study), row in got.items():
        by_study = expected[code]
        counts = by_study[study]
        assert [int(row[k]) for k in ("facilitator", "barrier", "neutral", "mixed")] == [
            counts["+"],
            counts["-"],
            counts["0"],
            counts["X"],
        ], (code, study)
        assert int(row["studies"]) == len(by_study)
        agree = len(set().union(*(set(c) for c in by_study.values()))) == 1
        assert row["valence_agrees"] == ("yes" if agree else "no"), code


def test_shared_determinants_draw_on_both_studies(run) -> None:
    rows = run("cross-study-shared-determinants.rq")
    assert set(STUDIES) <= {row["study"] for row in rows}


# ------------------------------------------------------------------ sustainment side by side
def _expected_sustainment() -> set[tuple]:
    out = set()
    for study, doc in _study_files("study.yaml").items():
        for c in doc.get("characteristics", []):
            if c.get("aspect") == "outcome-measure":
                out.add(
                    (
                        study,
                        "outcome measure",
                        c["id"],
                        str(c["value"]),
                        c.get("unit"),
                        _section(c["source"]),
                    )
                )
        for g in doc.get("case_groups", []):
            if g.get("robustness"):
                out.add(
                    (
                        study,
                        "group",
                        g["label"],
                        str(g["count"]) if "count" in g else None,
                        g["robustness"],
                        _section(g["source"]),
                    )
                )
        for c in doc.get("cases", []):
            if c.get("robustness"):
                out.add((study, "case", c["label"], None, c["robustness"], _section(c["source"])))
    return out


def test_sustainment_outcomes_match_the_data(run) -> None:
    rows = run("cross-study-sustainment.rq")
    kinds = {"outcome measure": "outcome measure", "case robustness": "case"}
    got = {
        (
            r["study"],
            kinds.get(r["reported_as"], "group"),
            r["subject"],
            r["value"],
            r["unit_or_level"],
            r["source_section"],
        )
        for r in rows
    }
    assert got == _expected_sustainment()
    assert set(STUDIES) <= {r["study"] for r in rows}


def test_companion_paper_figures_stay_apart(run) -> None:
    rows = [r for r in run("cross-study-sustainment.rq") if r["reported_as"] == "outcome measure"]
    companion = {r["value"] for r in rows if COMPANION_DOI in (r["source_document"] or "")}
    own = {r["value"] for r in rows if r["study"] == "noel-2017"} - companion
    noel = _study_files("study.yaml")["noel-2017"]["characteristics"]
    by_source = {c["id"]: str(c["value"]) for c in noel if c.get("aspect") == "outcome-measure"}
    assert companion == {v for k, v in by_source.items() if k.startswith("companion-")}
    assert own == {v for k, v in by_source.items() if not k.startswith("companion-")}
    assert companion and own and not companion & own


def test_every_cross_study_query_has_a_header() -> None:
    for path in sorted((queries_dir() / "cq").glob("cross-study-*.rq")):
        head = path.read_text(encoding="utf-8").splitlines()
        keys = [line.split(":")[0] for line in head if line.startswith("# ") and ":" in line]
        assert {"# title", "# question", "# parameters", "# columns"} <= set(keys), path.name
