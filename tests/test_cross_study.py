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

from ipskg.model.namespaces import IPSKG
from ipskg.model.resources import data_dir, queries_dir
from ipskg.vocab.ontology import ontology_graph, vocabulary

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
def _expected_shared() -> dict[tuple[str, str], dict[str, Counter]]:
    """(construct notation, role label or "") -> study -> Counter of valence notations, from
    observations.yaml: a characteristic of the Individuals domain is a determinant per role."""
    constructs = vocabulary(str(IPSKG.CFIRConcept), "CFIR 2022 construct")
    valences = vocabulary(str(IPSKG.Valence), "valence")
    onto = ontology_graph()

    seen: dict[tuple[str, str], dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for study, doc in _study_files("observations.yaml").items():
        for obs in doc.get("observations", []):
            valence = str(onto.value(valences.resolve(str(obs["valence"])), SKOS.notation))
            if valence == "M" or obs.get("restates_grouping"):
                continue  # not assessed, or circular evidence (the question leaves both out)
            code = str(onto.value(constructs.resolve(obs["construct"]), SKOS.notation))
            role = ""
            if obs.get("role"):
                role = str(onto.value(constructs.resolve(obs["role"]), SKOS.prefLabel))
            seen[(code, role)][study][valence] += 1
    return {code: dict(by_study) for code, by_study in seen.items() if len(by_study) >= 2}


def test_shared_determinants_match_the_data(run) -> None:
    expected = _expected_shared()
    assert expected, "the bundled studies share no construct: the question has nothing to answer"
    rows = run("cross-study-shared-determinants.rq")
    got = {((row["construct_code"], row["role"] or ""), row["study"]): row for row in rows}
    assert set(got) == {(key, study) for key, by in expected.items() for study in by}
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
def _unit_label(study: str, unit: str | None) -> str:
    if unit is None:
        return "(the whole study)"
    doc = _study_files("study.yaml")[study]
    for record in doc.get("cases", []) + doc.get("case_groups", []):
        if record["id"] == unit:
            return record["label"]
    raise AssertionError(f"{study}: no case or group {unit!r}")


def _expected_sustainment() -> set[tuple]:
    """Every outcome record about sustainment (outcome: sustainment, or a status), from
    outcomes.yaml: study, unit, status, value, unit of measure, definition, section."""
    out = set()
    for study, doc in _study_files("outcomes.yaml").items():
        for m in doc.get("outcomes", []):
            if m.get("outcome") != "sustainment" and "status" not in m:
                continue
            out.add(
                (
                    study,
                    _unit_label(study, m.get("measured_in")),
                    m.get("status"),
                    None if m.get("value") is None else str(m["value"]),
                    m.get("unit"),
                    m.get("definition"),
                    _section(m["source"]),
                )
            )
    return out


def test_sustainment_outcomes_match_the_data(run) -> None:
    rows = run("cross-study-sustainment.rq")
    got = {
        (
            r["study"],
            r["measured_in"],
            r["status"],
            r["value"],
            r["unit"],
            r["definition"],
            r["source_section"],
        )
        for r in rows
    }
    assert got == _expected_sustainment()
    assert "noel-2017" in {r["study"] for r in rows}


def test_companion_paper_figures_stay_apart(run) -> None:
    rows = run("cross-study-sustainment.rq")
    companion = {r["value"] for r in rows if COMPANION_DOI in (r["source_document"] or "")}
    own = {r["value"] for r in rows if r["study"] == "noel-2017"} - companion
    noel = _study_files("outcomes.yaml")["noel-2017"]["outcomes"]
    sustainment = [m for m in noel if m.get("outcome") == "sustainment"]
    by_doc = {
        str(m["value"]): (m["source"].get("document") if isinstance(m["source"], dict) else None)
        for m in sustainment
    }
    assert companion == {v for v, doc in by_doc.items() if doc == COMPANION_DOI} == {"96"}
    assert own == {v for v, doc in by_doc.items() if doc is None} == {"95"}
