"""``ipskg workbook``: answers as a spreadsheet with a studies register and a provenance sheet.

The workbook is read back with openpyxl, as a spreadsheet program would read it; its tables are
compared with the hand-checked expected answers in tests/cq/expected/ and with ``ipskg query``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ipskg.cli import main
from ipskg.export.workbook import SYNTHESIS

EXPECTED = Path(__file__).resolve().parent / "cq" / "expected"


def _rows(ws) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _sorted_kinds(row: list[str], column: int) -> list[str]:
    out = list(row)
    out[column] = ", ".join(sorted(str(row[column]).split(", ")))
    return out


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    from click.testing import CliRunner

    target = tmp_path_factory.mktemp("wb") / "evidence.xlsx"
    result = CliRunner().invoke(main, ["workbook", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return load_workbook(target)


def test_default_workbook_holds_the_synthesis_the_register_and_provenance(book):
    assert book.sheetnames == [*SYNTHESIS, "studies", "provenance"]


def test_the_studies_sheet_is_the_hand_checked_register(book):
    got = [["" if v is None else str(v) for v in row] for row in _rows(book["studies"])]
    want = _csv((EXPECTED / "studies.csv").read_text(encoding="utf-8"))
    kinds = want[0].index("source_kinds")
    assert got[0] == want[0]
    assert sorted(_sorted_kinds(r, kinds) for r in got[1:]) == sorted(
        _sorted_kinds(r, kinds) for r in want[1:]
    )
    # counts are numbers a spreadsheet can sort, not text
    records = want[0].index("records")
    assert all(isinstance(row[records], int) for row in _rows(book["studies"])[1:])


def test_each_sheet_is_the_answer_of_ipskg_query(book, runner):
    for name in SYNTHESIS:
        answer = _csv(runner.invoke(main, ["query", name, "-f", "csv"]).stdout)
        sheet = _rows(book[name])
        assert sheet[0] == answer[0], name
        assert len(sheet) == len(answer), name
        if "study" in answer[0]:
            col = answer[0].index("study")
            assert sorted(str(r[col]) for r in sheet[1:]) == sorted(r[col] for r in answer[1:])


def test_provenance_names_every_question_its_file_and_parameters(book):
    rows = _rows(book["provenance"])
    about = {r[0]: r[1] for r in rows[: rows.index([None] * len(rows[0]))] if r[0]}
    assert about["graph"] == "the bundled studies" and about["engine"] == "embedded"
    assert about["ipskg version"] and about["asked at"].endswith("Z")
    header = next(i for i, r in enumerate(rows) if r[0] == "sheet")
    listed = {r[0]: r for r in rows[header + 1 :] if r[0] and r[1]}
    for name in [*SYNTHESIS, "studies"]:
        row = listed[name]
        assert row[3] == f"queries/cq/{name}.rq"
        assert row[5] == len(_rows(book[name])) - 1
    assert listed["convergence"][4] == (
        "valence=barrier (default); min_studies=2 (default); min_countries=1 (default)"
    )
    prefixes = {r[0]: r[1] for r in rows[rows.index(next(r for r in rows if r[0] == "prefix")) :]}
    assert prefixes["ipskg"] == "https://w3id.org/ipskg/ontology#"


def test_parameters_go_to_the_questions_that_take_them(runner, tmp_path):
    target = tmp_path / "sweden"
    result = runner.invoke(
        main,
        [
            "workbook",
            "evidence-map",
            "convergence",
            "-p",
            "country=sweden",
            "-f",
            "csv",
            "--out-dir",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir() if not p.name.startswith(".")) == [
        "convergence.csv",
        "evidence-map.csv",
        "provenance.csv",
        "studies.csv",
    ]
    emap = _csv((target / "evidence-map.csv").read_text(encoding="utf-8"))
    country = emap[0].index("country")
    assert emap[1:] and {r[country] for r in emap[1:]} == {"Sweden"}
    register = _csv((target / "studies.csv").read_text(encoding="utf-8"))
    assert {r[3] for r in register[1:]} == {"Sweden"}
    provenance = (target / "provenance.csv").read_text(encoding="utf-8")
    # as given (matched case-insensitively); the parameters not given restrict nothing
    assert "evidence-map.rq,study: any; country=sweden; construct: any," in provenance
    assert "convergence.rq,valence=barrier (default)" in provenance  # takes no country


def test_cells_are_text_or_finite_numbers_never_formulas(runner, tmp_path):
    data = tmp_path / "g.ttl"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    data.write_text(
        f'<https://example.org/a> {label} "=HYPERLINK(\\"http://evil.example\\")" .\n'
        f'<https://example.org/b> {label} "bell\\u0007ring" .\n'
        f'<https://example.org/c> {label} "INF"^^<http://www.w3.org/2001/XMLSchema#double> .\n'
        f'<https://example.org/d> {label} "42"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
        encoding="utf-8",
    )
    question = tmp_path / "labels.rq"
    question.write_text(
        "# title: labels\n# question: every label\n# columns: x, label\n"
        "SELECT ?x ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }\n"
        "ORDER BY ?x\n",
        encoding="utf-8",
    )
    # the register question runs too: on a graph without studies it answers no rows
    target = tmp_path / "labels.xlsx"
    result = runner.invoke(
        main, ["workbook", str(question), "--graph", str(data), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    ws = load_workbook(target)["labels"]
    formula = ws.cell(row=2, column=2)
    assert formula.value == '=HYPERLINK("http://evil.example")' and formula.data_type == "s"
    assert ws.cell(row=3, column=2).value == "bell\\x07ring"
    assert ws.cell(row=4, column=2).value == "INF"  # no number cell holds infinity
    assert ws.cell(row=5, column=2).value == 42
    folder = tmp_path / "csv"
    result = runner.invoke(
        main,
        ["workbook", str(question), "--graph", str(data), "-f", "csv", "--out-dir", str(folder)],
    )
    assert result.exit_code == 0, result.output
    rows = _csv((folder / "labels.csv").read_text(encoding="utf-8"))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["-o", "x.xlsx", "-p", "contry=Sweden"], "no question in this workbook takes"),
        (["-p", "country=Swedn", "-o", "x.xlsx"], "did you mean 'Sweden'"),
        ([], "give -o FILE.xlsx"),
        (["-f", "csv", "-o", "x.csv"], "give --out-dir FOLDER"),
        (["no-such-question", "-o", "x.xlsx"], "no-such-question"),
    ],
)
def test_mistakes_are_input_errors(runner, tmp_path, monkeypatch, args, fragment):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["workbook", *args])
    assert result.exit_code == 2, result.output
    assert fragment in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_a_query_that_is_not_a_select_is_refused(runner, tmp_path):
    question = tmp_path / "ask.rq"
    question.write_text("# title: ask\n# question: any triple?\nASK { ?s ?p ?o }\n", "utf-8")
    result = runner.invoke(main, ["workbook", str(question), "-o", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 2, result.output
    assert "is a ASK query" in result.output or "ASK query" in result.output
