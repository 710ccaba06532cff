"""The persistent store (``ipskg load … --store DIR``) and validation against a large graph
(``ipskg validate NEW --graph BIG`` / ``--store DIR``), on small graphs (issue 21)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import ipskg.io.yamlio
from ipskg.cli import main

HERE = Path(__file__).resolve().parent
GRAPH = HERE / "fixtures" / "golden" / "mini-study.ttl"  # a built graph of one study
HARKKO_EXTRA = HERE / "fixtures" / "cases" / "valid" / "harkko-extra-observation.ttl"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def new_observation(tmp_path: Path, group: str = "robust") -> Path:
    """A curator's new observation about the mini study's case group ``group``: it refers to
    records that only the reference graph holds."""
    text = (
        HARKKO_EXTRA.read_text(encoding="utf-8")
        .replace("harkko-2025/group/more-robust", f"mini-study/group/{group}")
        .replace("study/harkko-2025", "study/mini-study")
        .replace("10.1186/s12913-025-12495-1", "10.5555/ipskg.mini")
    )
    path = tmp_path / "new-observation.ttl"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "mini.store"
    code, _, err = run("load", str(GRAPH), "--store", str(folder))
    assert code == 0, err
    assert "triples from 1 file(s)" in err
    return folder


def test_load_records_versions_and_what_was_loaded(store: Path):
    import pyoxigraph

    from ipskg import __version__

    info = json.loads((store / "ipskg-store.json").read_text(encoding="utf-8"))
    assert (info["ipskg"], info["pyoxigraph"]) == (__version__, pyoxigraph.__version__)
    assert [Path(f["file"]).name for f in info["loaded"]] == [GRAPH.name]
    assert info["triples"] == info["loaded"][0]["triples_added"] > 100


def test_query_from_the_store_answers_as_from_the_file(store: Path):
    from_file = run("query", "case-robustness", "--graph", str(GRAPH), "-f", "csv")
    from_store = run("query", "case-robustness", "--store", str(store), "-f", "csv")
    assert from_file[0] == from_store[0] == 0
    assert from_store[1] == from_file[1]
    assert from_store[1].count("\n") >= 2  # a header and the mini study's case


def test_loading_more_files_adds_to_the_store(store: Path, tmp_path: Path):
    extra = tmp_path / "extra.nt"
    extra.write_text(
        '<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .\n',
        encoding="utf-8",
    )
    before = json.loads((store / "ipskg-store.json").read_text(encoding="utf-8"))["triples"]
    code, _, err = run("load", str(extra), "--store", str(store))
    assert code == 0, err
    info = json.loads((store / "ipskg-store.json").read_text(encoding="utf-8"))
    assert info["triples"] == before + 1
    assert len(info["loaded"]) == 2


@pytest.mark.parametrize("command", ["query", "validate", "export"])
def test_a_missing_folder_or_one_that_is_not_a_store_is_a_clear_error(command, tmp_path):
    args = {"query": ["case-robustness"], "validate": [str(HARKKO_EXTRA)], "export": []}[command]
    code, _, err = run(command, *args, "--store", str(tmp_path / "nothing"))
    assert code == 2
    assert "no such store folder" in err and "ipskg load" in err
    plain = tmp_path / "plain"
    plain.mkdir()
    code, _, err = run(command, *args, "--store", str(plain))
    assert code == 2
    assert "not an ipskg store" in err and "ipskg load FILE... --store" in err


def test_a_store_written_by_another_version_says_how_to_reload(store: Path):
    meta = store / "ipskg-store.json"
    info = json.loads(meta.read_text(encoding="utf-8"))
    info["pyoxigraph"] = "0.1.0"
    meta.write_text(json.dumps(info), encoding="utf-8")
    code, _, err = run("query", "case-robustness", "--store", str(store))
    assert code == 2
    assert "written by ipskg" in err and "pyoxigraph 0.1.0" in err
    assert f"ipskg load {GRAPH}" in err  # the files it was loaded from


def test_store_excludes_other_sources(store: Path):
    code, _, err = run("query", "case-robustness", "--store", str(store), "--graph", str(GRAPH))
    assert code == 2
    assert "--store cannot be combined" in err


@pytest.mark.parametrize("source", ["--graph", "--store"])
def test_new_data_is_validated_against_a_reference_graph_over_the_size_limit(
    source, store, tmp_path, monkeypatch
):
    """The hand-edited-file limit applies to the new data only: the reference graph (here
    larger than the limit, made small for the test) is read with Oxigraph and only the records
    the new data refers to are taken out; a dangling reference into it is still reported."""
    new = new_observation(tmp_path)
    limit = new.stat().st_size + 100
    assert GRAPH.stat().st_size > limit
    monkeypatch.setattr(ipskg.io.yamlio, "MAX_FILE_BYTES", limit)
    reference = str(GRAPH) if source == "--graph" else str(store)

    code, out, err = run("validate", str(new), source, reference)
    assert code == 0, out + err
    assert "0 violation(s)" in out

    dangling = new_observation(tmp_path, group="no-such-group")
    code, out, err = run("validate", str(dangling), source, reference, "-f", "json")
    assert code == 1, out + err
    report = json.loads(out)
    assert any(
        r["path"] == "https://w3id.org/ipskg/ontology#observedIn"
        and r["value"].endswith("/group/no-such-group")
        for r in report["results"]
    ), report


def test_the_size_limit_still_applies_to_the_new_data(tmp_path, monkeypatch):
    new = new_observation(tmp_path)
    monkeypatch.setattr(ipskg.io.yamlio, "MAX_FILE_BYTES", new.stat().st_size - 1)
    code, _, err = run("validate", str(new), "--graph", str(GRAPH))
    assert code == 2
    assert "larger than" in err


def test_without_the_reference_graph_the_references_dangle(tmp_path):
    """The records the new data refers to come from the reference graph: the bundled studies
    do not hold the mini study, so its references dangle there."""
    code, out, _ = run("validate", str(new_observation(tmp_path)))
    assert code == 1, out


MINI_STUDY = HERE / "fixtures" / "golden" / "mini-study"  # the study folder of GRAPH


@pytest.fixture
def built_store(tmp_path: Path) -> tuple[Path, Path]:
    """The mini study built as ipskg build writes it (with the ontology and mappings), as a
    graph file and loaded into a store."""
    out = tmp_path / "out"
    code, _, err = run("build", "--study", str(MINI_STUDY), "--out-dir", str(out), "-f", "nt")
    assert code == 0, err
    folder = tmp_path / "built.store"
    code, _, err = run("load", str(out / "ipskg.nt"), "--store", str(folder))
    assert code == 0, err
    return out / "ipskg.nt", folder


@pytest.mark.parametrize("fmt", ["nt", "trig", "ttl"])
def test_export_from_a_store_is_the_export_of_the_build(fmt, built_store, tmp_path):
    """``ipskg export --store DIR`` writes what ``ipskg export`` writes for the study folders
    the stored graph was built from, byte for byte, and so does ``--graph FILE``: the same
    named graphs in TriG, and the integers the store keeps as xsd:integer with their
    property's range (xsd:positiveInteger, xsd:nonNegativeInteger) again."""
    graph_file, folder = built_store
    outputs = {}
    for name, source in {
        "build": ["--study", str(MINI_STUDY)],
        "graph": ["--graph", str(graph_file)],
        "store": ["--store", str(folder)],
    }.items():
        target = tmp_path / f"{name}.{fmt}"
        code, _, err = run("export", "-f", fmt, "-o", str(target), *source)
        assert code == 0, err
        outputs[name] = target.read_bytes()
    assert outputs["store"] == outputs["build"]
    assert outputs["graph"] == outputs["build"]
    if fmt == "nt":
        assert b"XMLSchema#positiveInteger>" in outputs["store"]
    if fmt == "trig":
        assert b"<https://w3id.org/ipskg/graph/study/mini-study> {" in outputs["store"]
        assert b"/graph/other" not in outputs["store"]


def test_export_from_the_store_of_a_plain_graph_file(store: Path):
    """A store loaded from any graph file exports the graph the file holds (nothing added:
    the build's export adds ipskg's mappings, a given graph is exported as it is)."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    code, from_store, err = run("export", "-f", "nt", "--store", str(store))
    assert code == 0, err
    code, from_file, err = run("export", "-f", "nt", "--graph", str(GRAPH))
    assert code == 0, err
    assert from_store == from_file
    exported = Graph().parse(data=from_store, format="nt")
    assert isomorphic(exported, Graph().parse(GRAPH))


@pytest.mark.parametrize(
    "extra",
    [["--graph", str(GRAPH)], ["--data", str(HERE)], ["--study", str(MINI_STUDY)]],
)
def test_export_from_a_store_refuses_other_sources(extra, store: Path):
    code, _, err = run("export", "--store", str(store), *extra)
    assert code == 2
    assert "--graph FILE or --store DIR" in err or "leave out --data" in err
