"""``ipskg validate``: every invalid fixture fails with its located message, valid data passes.

Invalid study folders are patch cases on a valid base (tests/fixtures/cases/invalid-studies,
written out by tests/patchcases.py); invalid RDF files are files in tests/fixtures/cases/invalid,
each with its row in EXPECTED.tsv."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from patchcases import INVALID_STUDIES, case_folder, check_answer, patch_cases
from rdflib import Graph
from rdflib.namespace import SH

from ipskg.cli import main
from ipskg.model.formats import GRAPH_FORMATS, RDF_INPUT_SUFFIXES
from ipskg.model.namespaces import IPSKG

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"
INVALID = CASES / "invalid"  # RDF files, one per case, with EXPECTED.tsv
VALID = CASES / "valid"
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "studies" / "harkko-2025"


def _expected() -> list[dict[str, str]]:
    with open(INVALID / "EXPECTED.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


EXPECTED = _expected()
STUDIES = {case.name: case for case in patch_cases(INVALID_STUDIES)}


def _run(runner, *args: str):
    return runner.invoke(main, ["validate", *args])


def test_catalogue_lists_every_fixture_once():
    names = [row["fixture"] for row in EXPECTED]
    assert len(names) == len(set(names))
    on_disk = {p.name for p in INVALID.iterdir() if p.name != "EXPECTED.tsv"}
    assert on_disk == set(names)
    assert {row["exit_code"] for row in EXPECTED} == {"1", "2"}
    # an invalid study is a patch file holding its own expectation (exit code and message)
    assert {p.name for p in INVALID_STUDIES.iterdir()} == {f"{name}.yaml" for name in STUDIES}
    assert {case.exit for case in STUDIES.values()} == {1, 2}
    assert all(case.why and case.message and case.file for case in STUDIES.values())
    assert not set(names) & set(STUDIES)
    assert len(names) + len(STUDIES) >= 30


@pytest.mark.parametrize("row", EXPECTED, ids=[row["fixture"] for row in EXPECTED])
def test_invalid_fixture_fails_with_its_message(runner, row):
    result = _run(runner, str(INVALID / row["fixture"]))
    out = result.output
    assert result.exit_code == int(row["exit_code"]), out
    assert row["expected_fragment"] in out, out
    if row["expected_line"]:
        line = row["expected_line"]
        assert f":{line}:" in out or f":{line}," in out, out
    assert "Traceback" not in out


@pytest.mark.parametrize("name", sorted(STUDIES))
def test_invalid_study_fails_with_its_message(runner, name):
    case = STUDIES[name]
    result = _run(runner, str(case.folder))
    check_answer(case, result.exit_code, result.output)


@pytest.mark.parametrize("name", sorted(p.name for p in VALID.iterdir()))
def test_valid_fixture_conforms(runner, name):
    result = _run(runner, str(VALID / name))
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violation(s)" in result.output


def test_seed_study_conforms_and_builds(runner, tmp_path):
    result = _run(runner, str(SEED))
    assert result.exit_code == 0, result.output
    built = runner.invoke(main, ["build", "--out-dir", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "out" / "ipskg.ttl").is_file()


def test_build_refuses_a_graph_that_does_not_conform(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        ["build", "--study", str(case_folder("fidelity-total-not-sum")), "--out-dir", str(out)],
    )
    assert result.exit_code == 1
    assert "is not the sum of the item scores" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_study_yaml_stands_for_its_folder(runner):
    result = _run(runner, str(case_folder("fidelity-band-inconsistent") / "study.yaml"))
    assert result.exit_code == 1
    assert "band: fair does not match total: 106" in result.output


def test_several_inputs_are_reported_together(runner):
    result = _run(
        runner,
        str(case_folder("no-evidence")),
        str(case_folder("strength-on-neutral")),
        "-f",
        "json",
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    files = {Path(r["file"]).parent.name for r in report["results"]}
    assert files == {"no-evidence", "strength-on-neutral"}


def test_json_report_names_file_line_record_and_field(runner):
    result = _run(runner, str(case_folder("missing-strength-on-positive")), "-f", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert report["violation_count"] == 1
    [res] = report["results"]
    assert res["severity"] == "Violation"
    assert res["file"].endswith("observations.yaml")
    assert res["record"] == "o2"
    assert res["field"] == "strength"
    assert res["line"] == STUDIES["missing-strength-on-positive"].line == 11
    assert res["source_shape"] == "https://w3id.org/ipskg/shapes#ObservationStrengthRequiredShape"
    assert res["focus"].endswith("/observation/o2")


def test_turtle_report_is_a_standard_validation_report(runner):
    as_json = json.loads(
        _run(runner, str(case_folder("robustness-contradicts-rule")), "-f", "json").stdout
    )
    result = _run(runner, str(case_folder("robustness-contradicts-rule")), "-f", "ttl")
    assert result.exit_code == 1
    graph = Graph().parse(data=result.stdout, format="turtle")
    [report] = graph.subjects(SH.conforms, None)
    assert graph.value(report, SH.conforms).toPython() is False
    results = list(graph.objects(report, SH.result))
    assert len(results) == len(as_json["results"]) == 2
    for node in results:
        assert graph.value(node, SH.focusNode) is not None
        assert graph.value(node, SH.resultSeverity) == SH.Violation
        assert graph.value(node, SH.sourceShape) is not None


def test_output_file_is_written_and_exit_code_kept(runner, tmp_path):
    target = tmp_path / "report.json"
    result = _run(runner, str(case_folder("no-evidence")), "-f", "json", "-o", str(target))
    assert result.exit_code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["violation_count"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_missing_input_is_an_input_error(runner, tmp_path):
    result = _run(runner, str(tmp_path / "no-such-study"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


@pytest.mark.parametrize("kind", ["ttl", "yaml"])
def test_a_50_mb_file_is_refused(runner, tmp_path, kind):
    line = b"# " + b"x" * 1021 + b"\n"
    if kind == "ttl":
        big = tmp_path / "big.ttl"
        target = big
    else:
        study = tmp_path / "lakeside-site"
        shutil.copytree(VALID / "lakeside-site", study)
        big = study / "quotes.yaml"
        target = study
    with open(big, "wb") as fh:
        for _ in range(50 * 1024):
            fh.write(line)
    assert big.stat().st_size >= 50 * 1024 * 1024
    result = _run(runner, str(target))
    assert result.exit_code == 2, result.output
    assert "50.0 MB, larger than" in result.output or "52.4 MB, larger than" in result.output


def test_new_case_is_classified_by_the_robustness_rule(runner, tmp_path):
    study = tmp_path / "lakeside-site"
    shutil.copytree(VALID / "lakeside-site", study)
    text = (study / "study.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    robustness: more-robust\n    commitment_communicated: true",
        "    commitment_communicated: true",
    )
    (study / "study.yaml").write_text(text, encoding="utf-8")
    result = _run(runner, str(study))
    assert result.exit_code == 0, result.output
    assert "classifies this case as more-robust" in result.output
    assert "Info" in result.output


def test_rdf_input_validates_against_referenced_records_only(tmp_path):
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from ipskg.shacl.validate import validate_paths
    from ipskg.studies.build import build

    existing = build(with_ontology=False).graph
    group = URIRef("https://w3id.org/ipskg/study/harkko-2025/group/more-robust")
    other = URIRef("https://w3id.org/ipskg/study/harkko-2025/finding/broken")
    # A defect elsewhere in the existing graph is not reported again…
    existing.add(
        (
            other,
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef("https://w3id.org/ipskg/ontology#Finding"),
        )
    )
    report = validate_paths([VALID / "harkko-extra-observation.ttl"], existing=existing)
    assert report.conforms, [r.message for r in report.results]
    assert all(
        "/observation/x1" in str(r.focus) or "/source/x1" in str(r.focus) for r in report.results
    )
    # …but what the new data refers to is checked: without the group it no longer conforms.
    existing.remove((group, None, None))
    existing.add((group, RDFS.label, Literal("a group without a type")))
    report = validate_paths([VALID / "harkko-extra-observation.ttl"], existing=existing)
    assert not report.conforms
    assert {r.field for r in report.results} == {"observed_in"}


def test_broken_shapes_are_an_artifact_error(runner, tmp_path, monkeypatch):
    from ipskg.shacl import validate

    (tmp_path / "broken.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y", encoding="utf-8"
    )
    monkeypatch.setattr(validate, "shapes_dir", lambda: tmp_path)
    validate.shapes_graph.cache_clear()
    try:
        result = _run(runner, str(VALID / "lakeside-site"))
    finally:
        validate.shapes_graph.cache_clear()
    assert result.exit_code == 3
    assert "the shapes file does not parse" in result.output


@pytest.mark.parametrize(
    ("fixture", "code", "fragment"),
    [
        (VALID / "harkko-extra-observation.ttl", 0, None),
        (
            INVALID / "construct-not-cfir.ttl",
            1,
            "did you mean https://w3id.org/ipskg/cfir/MissionAlignment",
        ),
        # rdflib's JSON-LD parser would read "yes"^^xsd:boolean as false; ipskg keeps "yes"
        (INVALID / "commitment-ill-typed.ttl", 1, "commitment_communicated must be true or false"),
    ],
)
def test_json_ld_input_is_validated_like_turtle(runner, tmp_path, fixture, code, fragment):
    from ipskg.io.rdf import parse_into

    target = tmp_path / (fixture.stem + ".jsonld")
    text = parse_into(Graph(), path=fixture, fmt="turtle").serialize(format="json-ld")
    # rdflib's serializer writes a boolean's Python value; the export being imitated wrote "yes"
    text = text.replace('"@value": false', '"@value": "yes"')
    target.write_text(text, encoding="utf-8")
    for engine in ("turbo", "pyshacl", "sparql"):
        result = _run(runner, str(target), "--engine", engine)
        assert result.exit_code == code, (engine, result.output)
        if fragment:
            assert fragment in result.output
            assert f"{target.name}:" in result.output


@pytest.mark.parametrize("suffix", sorted(RDF_INPUT_SUFFIXES))
def test_every_rdf_suffix_the_help_names_is_validated(runner, tmp_path, suffix):
    """The help names each suffix the one RDF reader takes, and a file with it is validated:
    the valid extra observation passes, and with its valence removed it fails, located."""
    from ipskg.io.rdf import parse_into

    assert suffix in runner.invoke(main, ["validate", "--help"]).output
    rdflib_name = GRAPH_FORMATS[RDF_INPUT_SUFFIXES[suffix]].rdflib
    graph = parse_into(Graph(), path=VALID / "harkko-extra-observation.ttl", fmt="turtle")
    good = tmp_path / f"extra{suffix}"
    good.write_text(graph.serialize(format=rdflib_name), encoding="utf-8")
    assert _run(runner, str(good)).exit_code == 0, _run(runner, str(good)).output
    graph.remove((None, IPSKG.valence, None))
    bad = tmp_path / f"no-valence{suffix}"
    bad.write_text(graph.serialize(format=rdflib_name), encoding="utf-8")
    result = _run(runner, str(bad))
    assert result.exit_code == 1, result.output
    assert "valence is required" in result.output and f"{bad.name}" in result.output


def test_graph_option_gives_the_records_new_data_refers_to(runner, tmp_path):
    # Against a graph without the seed study, the new observation's group does not exist.
    empty = tmp_path / "other.ttl"
    empty.write_text(
        "<https://w3id.org/ipskg/study/x> a <https://w3id.org/ipskg/ontology#Study> .\n",
        encoding="utf-8",
    )
    result = _run(runner, str(VALID / "harkko-extra-observation.ttl"), "--graph", str(empty))
    assert result.exit_code == 1
    assert "field 'observed_in'" in result.output
    assert "does not belong to exactly one study" in result.output
    assert "does not conform: 2 violation(s)" in result.output


# ---------------------------------------------------------------- --whole
@pytest.fixture(scope="module")
def built_nt(tmp_path_factory, built_graph):
    """The bundled graph written as N-Triples, as `ipskg build` writes it."""
    path = tmp_path_factory.mktemp("whole") / "ipskg.nt"
    path.write_bytes(built_graph.serialize(format="nt", encoding="utf-8"))
    return path


def _whole(runner, *args: str):
    result = runner.invoke(main, ["validate", "--whole", *args])
    assert "Traceback" not in result.output
    return result


def _json_results(result) -> list[tuple[object, ...]]:
    doc = json.loads(result.stdout)
    keys = ("severity", "focus", "path", "value", "source_shape", "component", "message")
    return sorted(tuple(str(r[k]) for k in keys) for r in doc["results"])


def test_whole_graph_conforms_with_the_sparql_engine(runner, built_nt):
    result = _whole(runner, str(built_nt))
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violation(s)" in result.output
    assert "note:" not in result.output  # no fallback: ipskg's own literals are harmless


@pytest.mark.parametrize(
    "fixture",
    sorted(
        p.name
        for p in INVALID.glob("*.ttl")
        if p.stat().st_size > 200
        and next(r for r in EXPECTED if r["fixture"] == p.name)["exit_code"] == "1"
    ),
)
def test_whole_graph_results_are_the_same_on_every_engine(runner, built_nt, fixture):
    runs = {
        engine: _whole(
            runner, str(INVALID / fixture), str(built_nt), "--engine", engine, "-f", "json"
        )
        for engine in ("sparql", "turbo", "pyshacl")
    }
    for engine, result in runs.items():
        assert result.exit_code == 1, (engine, result.output)
    assert _json_results(runs["sparql"]) == _json_results(runs["pyshacl"])
    assert _json_results(runs["turbo"]) == _json_results(runs["pyshacl"])
    results = json.loads(runs["sparql"].stdout)["results"]
    violations = [r for r in results if r["severity"] == "Violation"]
    assert violations and all(r["file"].endswith(fixture) and r["line"] for r in violations)
    # warnings and infos about the bundled studies (a title the sources do not give) are
    # located in the built graph, everything else in the fixture
    for r in results:
        if r["file"]:
            assert r["file"].endswith((fixture, built_nt.name)) and r["line"], r


RECORD = """@prefix ipskg: <https://w3id.org/ipskg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix h: <https://w3id.org/ipskg/study/harkko-2025/> .

h:{kind}\\/x-1 a ipskg:{cls} ;
    rdfs:label "X 1" ;
    ipskg:inStudy <https://w3id.org/ipskg/study/harkko-2025> ;
    prov:wasDerivedFrom h:source\\/methods-data-analysis ;
    prov:wasAttributedTo h:authors ;
"""


@pytest.mark.parametrize(
    ("kind", "cls", "values", "engine", "shown"),
    [
        # Stored as -1 and judged alike by the shapes, and no SPARQL constraint reads it:
        # the fast engine runs, and the report shows the value as written.
        (
            "participant",
            "Participant",
            'ipskg:participantNumber "-01"^^xsd:integer',
            "sparql",
            "-01",
        ),
        # The same rewrite on a predicate the robustness-rule queries read: turbo runs.
        ("case", "Case", 'ipskg:positionsDuringTrial "-01"^^xsd:integer', "turbo", "-01"),
        # Stored as "2"^^xsd:integer, which the whole-number shape accepts: turbo runs.
        ("case", "Case", 'ipskg:positionsDuringTrial "2"^^xsd:int', "turbo", "2"),
        # 1 and 01 are one value to Oxigraph, two to pySHACL (maxCount 1): turbo runs.
        ("case", "Case", 'ipskg:positionsDuringTrial 1 , "01"^^xsd:integer', "turbo", None),
        # Numbers outside XSD's lexical space, which pySHACL reads with Python's rules and
        # neither Oxigraph nor pyshacl-turbo reads alike: pySHACL itself decides.
        (
            "participant",
            "Participant",
            'ipskg:participantNumber " 3 "^^xsd:integer , "x"^^xsd:integer',
            "pyshacl",
            None,
        ),
        (
            "outcome",
            "OutcomeMeasurement",
            'ipskg:numericValue "1e3"^^xsd:decimal ; ipskg:measurementUnit ipskg:Percent',
            "pyshacl",
            None,
        ),
    ],
)
def test_literals_oxigraph_rewrites_never_change_the_results(
    runner, built_nt, tmp_path, kind, cls, values, engine, shown
):
    record = tmp_path / "record.ttl"
    record.write_text(RECORD.format(kind=kind, cls=cls) + f"    {values} .\n", encoding="utf-8")
    fast = _whole(runner, str(record), str(built_nt), "-f", "json")
    reference = _whole(runner, str(record), str(built_nt), "--engine", "pyshacl", "-f", "json")
    assert fast.exit_code == reference.exit_code == 1, fast.output
    assert _json_results(fast) == _json_results(reference)
    assert ("note: validated with pyshacl-turbo" in fast.stderr) == (engine == "turbo")
    assert ("note: validated with pySHACL" in fast.stderr) == (engine == "pyshacl")
    if shown is not None:
        values_shown = {str(r["value"]) for r in json.loads(fast.stdout)["results"]}
        assert shown in values_shown, values_shown


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("study", None, "--whole validates RDF files"),
        ("bad.nt", '<http://a> <http://b> "x .\n', "bad.nt:1: N-Triples syntax error"),
        ("empty.nt", "", "holds no triples"),
        ("missing.nt", None, "no such RDF file"),
    ],
)
def test_whole_graph_input_errors_are_located(runner, tmp_path, name, content, fragment):
    target = tmp_path / name
    if name == "study":
        target.mkdir()
    elif content is not None:
        target.write_text(content, encoding="utf-8")
    result = _whole(runner, str(target))
    assert result.exit_code == 2, result.output
    assert fragment in result.output


def test_whole_refuses_graph_option(runner, built_nt):
    result = _whole(runner, str(built_nt), "--graph", str(built_nt))
    assert result.exit_code == 2
    assert "leave out --graph" in result.output


def test_whole_json_ld_is_validated_with_turbo(runner, built_graph, tmp_path):
    target = tmp_path / "g.jsonld"
    target.write_text(built_graph.serialize(format="json-ld"), encoding="utf-8")
    result = _whole(runner, str(target))
    assert result.exit_code == 0, result.output
    assert "note: JSON-LD or RDF/XML input: validated with pyshacl-turbo" in result.stderr
