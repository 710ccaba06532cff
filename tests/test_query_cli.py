"""``ipskg query`` as users run it: listing, formats, parameters and every documented error."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from backends import free_port
from click.testing import CliRunner, Result

from ipskg.cli import main
from ipskg.sparql.catalogue import catalogue

HERE = Path(__file__).resolve().parent
SEED_DATA = HERE.parent / "data"
EXPECTED = HERE / "cq" / "expected"


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ipskg.studies.build import build

    path = tmp_path_factory.mktemp("graph") / "seed.ttl"
    build(study_dirs=[SEED_DATA / "studies" / "harkko-2025"]).graph.serialize(path, format="turtle")
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_list_names_every_query_with_its_parameters() -> None:
    result = invoke("query", "--list")
    assert result.exit_code == 0, result.output
    for name, query in catalogue().items():
        assert f"{name}  {query.title}" in result.stdout
    assert "--param sub_theme=… (string, default 'Recovery Vision')" in result.stdout


def test_table_1_as_csv_matches_expected_answer(seed_graph: Path) -> None:
    result = invoke("query", "table-1", "--graph", str(seed_graph), "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (EXPECTED / "table-1.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["table", "tsv", "md", "json"])
def test_formats(seed_graph: Path, fmt: str) -> None:
    result = invoke("query", "subtheme-quote-counts", "--graph", str(seed_graph), "-f", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        doc = json.loads(out)
        assert doc["head"]["vars"][:3] == ["study", "approach", "sub_theme"]
        first = doc["results"]["bindings"][0]
        assert first["quotes"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    elif fmt == "tsv":  # W3C SPARQL 1.1 TSV: ?variables, cells in Turtle syntax
        assert out.splitlines()[0].split("\t")[:2] == ["?study", "?approach"]
        assert len(out.splitlines()) == 7
        assert out.splitlines()[1].split("\t")[0] == '"harkko-2025"'
        assert '"^^<http://www.w3.org/2001/XMLSchema#integer>' in out
    elif fmt == "md":
        assert out.startswith("| study | approach | sub_theme |")
    else:
        assert "Boundary-Spanning Leadership" in out


def test_tsv_reads_back_as_the_same_answer_in_rdflib(seed_graph: Path) -> None:
    """An independent reader (rdflib's SPARQL TSV results parser) gets the JSON answer."""
    from rdflib.query import Result as RdflibResult

    tsv = invoke("query", "subtheme-quote-counts", "--graph", str(seed_graph), "-f", "tsv")
    js = invoke("query", "subtheme-quote-counts", "--graph", str(seed_graph), "-f", "json")
    from_tsv = RdflibResult.parse(io.StringIO(tsv.stdout), format="tsv")
    from_json = RdflibResult.parse(io.StringIO(js.stdout), format="json")
    assert [list(map(str, r)) for r in from_tsv] == [list(map(str, r)) for r in from_json]
    assert [str(v) for v in from_tsv.vars or []] == [str(v) for v in from_json.vars or []]


def test_default_source_builds_bundled_data_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "cases.csv"
    result = invoke("query", "case-robustness", "-f", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    seed = [r for r in rows if r["case"].startswith("Case ")]
    assert {r["case"][:6]: r["derived_robustness"] for r in seed} == {
        "Case A": "more-robust",
        "Case B": "more-robust",
        "Case C": "less-robust",
        "Case D": "less-robust",
        "Case E": "mixed",
    }


def test_parameter_and_query_file(seed_graph: Path, tmp_path: Path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "# title: quotes of a participant\n"
        "# parameters: n (integer, default 1): participant number\n"
        "PREFIX ipskg: <https://w3id.org/ipskg/ontology#>\n"
        "SELECT ?n ?text WHERE { ?q ipskg:saidBy ?p ; ipskg:text ?text .\n"
        "  ?p ipskg:participantNumber ?n } ORDER BY ?text\n",
        encoding="utf-8",
    )
    result = invoke("query", str(rq), "--graph", str(seed_graph), "-f", "csv", "--param", "n=5")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) > 2 and {r[0] for r in rows[1:]} == {"5"}


def test_injection_through_param_is_refused_as_an_unknown_name(seed_graph: Path) -> None:
    """A value is checked against the themes the graph holds before the question runs (and
    would only ever be bound as one literal: tests/test_contract.py)."""
    evil = 'Recovery Vision") || true || ("'
    result = invoke(
        "query",
        "subtheme-evidence",
        "--graph",
        str(seed_graph),
        "-f",
        "csv",
        "--param",
        f"sub_theme={evil}",
    )
    assert result.exit_code == 2, result.output
    assert "is not a theme in this graph" in result.stderr
    assert "did you mean 'Recovery Vision'" in result.stderr
    assert result.stdout == ""


def test_unknown_query_name_suggests(seed_graph: Path) -> None:
    result = invoke("query", "table1", "--graph", str(seed_graph))
    assert result.exit_code == 2
    assert "no competency question named 'table1'" in result.stderr
    assert "did you mean 'table-1'" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_parameter(seed_graph: Path) -> None:
    result = invoke("query", "subtheme-evidence", "--param", "subtheme=x")
    assert result.exit_code == 2
    assert "has no parameter 'subtheme'" in result.stderr
    assert "did you mean 'sub_theme'" in result.stderr


def test_bad_integer_parameter(tmp_path: Path) -> None:
    rq = tmp_path / "n.rq"
    rq.write_text(
        "# parameters: n (integer, default 1)\nSELECT ?n WHERE { ?s ?p ?n }\n", encoding="utf-8"
    )
    result = invoke("query", str(rq), "--param", "n=two")
    assert result.exit_code == 2
    assert "'two' is not an integer" in result.stderr


def test_malformed_query_file_reports_file_and_line(tmp_path: Path) -> None:
    rq = tmp_path / "broken.rq"
    rq.write_text(
        "# title: broken\nPREFIX ex: <http://example.org/>\n"
        "SELECT ?s WHERE {\n  ?s ex:p ?o \n  FILTER(?o = ) }\n",
        encoding="utf-8",
    )
    result = invoke("query", str(rq))
    assert result.exit_code == 2
    assert f"{rq}:5: SPARQL syntax error" in result.stderr
    assert "Traceback" not in result.output


def test_missing_query_file() -> None:
    result = invoke("query", "nowhere/none.rq")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_unreachable_endpoint() -> None:
    port = free_port()  # nothing listens there
    result = invoke(
        "query", "table-1", "--endpoint", f"http://127.0.0.1:{port}/sparql", "--timeout", "2"
    )
    assert result.exit_code == 2
    assert f"cannot reach http://127.0.0.1:{port}/sparql" in result.stderr
    assert "Traceback" not in result.output


def test_credentials_are_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPSKG_SPARQL_USER", "alice")
    monkeypatch.setenv("IPSKG_SPARQL_PASSWORD", "s3cret-pw")
    result = invoke(
        "-v",
        "query",
        "table-1",
        "--endpoint",
        f"http://127.0.0.1:{free_port()}/sparql",
        "--timeout",
        "2",
    )
    assert result.exit_code == 2
    assert "s3cret-pw" not in result.output


def test_no_query_given() -> None:
    result = invoke("query")
    assert result.exit_code == 2
    assert "no query given" in result.stderr


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_bundled_query_is_standard_sparql(name: str) -> None:
    """`ipskg query NAME` skips rdflib's syntax check for the bundled files: it is done here."""
    from ipskg.sparql.catalogue import _check_syntax

    def fail(message: str, line: int | None = None, hint: str | None = None) -> AssertionError:
        return AssertionError(f"{name}:{line}: {message}")

    _check_syntax(catalogue()[name].text, fail)


def test_provenance_query_knows_every_record_kind() -> None:
    """provenance.rq builds record IRIs from a list of kinds: it must be the mapper's list."""
    import re

    from ipskg.model.schema import KINDS

    text = catalogue()["provenance"].text
    block = re.search(r"VALUES \?kind \{([^}]*)\}", text)
    assert block is not None
    assert set(re.findall(r'"([^"]+)"', block.group(1))) == {k.segment for k in KINDS.values()}


@pytest.mark.parametrize(
    ("query", "param", "guess"),
    [
        ("construct-observations", "construct=Mision Alignment", "'Mission Alignment'"),
        ("table-1", "study=harko-2025", "'harkko-2025'"),
        ("pathway-practices", "pathway=Direct Leadership Sustainment", None),
    ],
)
def test_unknown_parameter_values_exit_2_with_a_suggestion(
    seed_graph: Path, query: str, param: str, guess: str | None
) -> None:
    result = invoke("query", query, "--graph", str(seed_graph), "-p", param)
    assert result.exit_code == 2, result.output
    assert "would answer nothing" in result.stderr
    if guess:
        assert f"did you mean {guess}" in result.stderr
    assert "Traceback" not in result.output


def test_default_graph_is_sent_as_default_graph_uri() -> None:
    """--default-graph names the graph on a shared server: the SPARQL 1.1 protocol's
    default-graph-uri parameter goes with the query (a local server records what it got)."""
    import http.server
    import json
    import threading
    import urllib.parse

    from ipskg.sparql.catalogue import catalogue as questions

    seen: list[dict[str, list[str]]] = []
    columns = list(questions()["cross-study-shared-determinants"].columns)

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            seen.append(urllib.parse.parse_qs(body))
            answer = json.dumps({"head": {"vars": columns}, "results": {"bindings": []}})
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = invoke(
            "query",
            "cross-study-shared-determinants",
            "--endpoint",
            f"http://127.0.0.1:{server.server_address[1]}/sparql",
            "--default-graph",
            "https://w3id.org/ipskg/graph",
            "--default-graph",
            "https://example.org/other",
        )
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    assert seen and seen[0]["default-graph-uri"] == [
        "https://w3id.org/ipskg/graph",
        "https://example.org/other",
    ]
    assert "SELECT" in seen[0]["query"][0]  # the query text itself, not its name


def test_default_graph_without_endpoint_is_an_input_error() -> None:
    result = invoke("query", "table-1", "--default-graph", "https://w3id.org/ipskg/graph")
    assert result.exit_code == 2
    assert "give --endpoint too" in result.stderr
    bad = invoke(
        "query",
        "table-1",
        "--endpoint",
        f"http://127.0.0.1:{free_port()}/sparql",
        "--default-graph",
        "not an iri",
    )
    assert bad.exit_code == 2 and "is not an IRI" in bad.stderr
