"""Loader and build: golden graph, determinism, atomic output, located errors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from ipskg.cli import main
from ipskg.studies.build import build

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN_STUDY = FIXTURES / "golden" / "mini-study"
GOLDEN_TTL = FIXTURES / "golden" / "mini-study.ttl"


def test_loader_output_matches_golden_graph():
    """Regenerate deliberately with IPSKG_REGEN=1 after an intended change to the mapping."""
    graph = build(study_dirs=[GOLDEN_STUDY], with_ontology=False).graph
    if os.environ.get("IPSKG_REGEN"):
        GOLDEN_TTL.write_bytes(graph.serialize(format="longturtle", encoding="utf-8"))
        pytest.skip(f"IPSKG_REGEN=1: rewrote {GOLDEN_TTL.name}; review the diff before committing")
    expected = Graph().parse(GOLDEN_TTL, format="turtle")
    if not isomorphic(graph, expected):
        _, only_new, only_old = graph_diff(to_isomorphic(graph), to_isomorphic(expected))
        pytest.fail(
            "loader output differs from the golden graph\n"
            f"only in output:\n{only_new.serialize(format='nt')}\n"
            f"only in golden:\n{only_old.serialize(format='nt')}"
        )


def test_rebuild_is_byte_identical(runner, tmp_path):
    for out in ("a", "b"):
        result = runner.invoke(
            main, ["build", "--study", str(GOLDEN_STUDY), "--out-dir", str(tmp_path / out)]
        )
        assert result.exit_code == 0, result.output
    for name in ("ipskg.ttl", "ipskg.nt"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_build_summary_on_stderr(runner, tmp_path):
    result = runner.invoke(
        main, ["build", "--study", str(GOLDEN_STUDY), "--out-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "1 studies, 1 cases, 2 participants, 1 quotes, 3 observations, 1 findings, "
        "2 fidelity reviews, 3 outcome measurements, 1 effect estimates, 1 curation revisions"
    ) in result.output
    # the JSON-LD refers to ipskg's context by its IRI: put the packaged context in its place
    import json

    from ipskg.export.dump import jsonld_context

    doc = json.loads((tmp_path / "ipskg.jsonld").read_text(encoding="utf-8"))
    doc["@context"] = jsonld_context()
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert isomorphic(g, Graph().parse(tmp_path / "ipskg.ttl", format="turtle"))


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    study = tmp_path / "studies" / "mini-study"
    shutil.copytree(GOLDEN_STUDY, study)
    path = study / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return study


@pytest.mark.parametrize(
    ("file", "old", "new", "message", "line"),
    [
        (
            "study.yaml",
            "    commitment_communicated: true",
            "    commitment_comunicated: true",
            "unknown key 'commitment_comunicated'",
            60,
        ),
        (
            "quotes.yaml",
            "participant: p1",
            "participant: p9",
            "'p9' does not name any participant",
            4,
        ),
        ("study.yaml", "  - id: online", "  - id: design", "duplicate id 'design'", 27),
        ("study.yaml", "    count: 3", "    count: three", "expected a whole number", 41),
        (
            "observations.yaml",
            'construct: "II.E"',
            'construct: "Policies and Lawz"',
            "is not a known CFIR 2022 construct",
            14,
        ),
        ("themes.yaml", "kind: sub-theme", "kind: subtheme", "did you mean 'sub-theme'", 8),
        (
            "quotes.yaml",
            "    form: block",
            "    form: block\n  bad indent: [",
            "YAML syntax error",
            None,
        ),
    ],
)
def test_malformed_data_gives_located_error_and_writes_nothing(
    runner, tmp_path, file, old, new, message, line
):
    study = _broken_copy(tmp_path, file, old, new)
    out = tmp_path / "out"
    out.mkdir()
    (out / "ipskg.ttl").write_text("previous build\n")
    result = runner.invoke(main, ["build", "--study", str(study), "--out-dir", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert file in result.output
    if line is not None:
        assert f"{file}:{line}" in result.output
    assert "Traceback" not in result.output
    assert (out / "ipskg.ttl").read_text() == "previous build\n"
    assert sorted(p.name for p in out.iterdir()) == ["ipskg.ttl"]


def test_did_you_mean_for_cfir_construct(runner, tmp_path):
    study = _broken_copy(
        tmp_path,
        "observations.yaml",
        'construct: "Mission Alignment"',
        'construct: "Mision Alignment"',
    )
    result = runner.invoke(
        main, ["build", "--study", str(study), "--out-dir", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "did you mean III.I (Mission Alignment)?" in result.output


def test_atomic_write_leaves_no_partial_file_when_serialisation_fails(tmp_path, monkeypatch):
    from ipskg.io import writers

    target = tmp_path / "g.ttl"
    target.write_text("old")

    def boom() -> bytes:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        writers.atomic_write_many({tmp_path / "other.nt": lambda: b"x", target: boom})
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]
