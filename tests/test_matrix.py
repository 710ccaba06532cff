"""``ipskg import matrix`` and ``ipskg matrix``: a CFIR rating matrix read into a study folder and
written back from the graph, as a user sees them (the CLI, its messages and exit codes, the
files it writes).

The round trip: a hand-written matrix (CSV, and a workbook made with openpyxl) is imported into
a copy of a fixture study, the study validates, the graph is built from it, and the matrix
exported from the built graph equals the imported one cell by cell. A bundled study's export
is checked against its observations.yaml by hand.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from ipskg.cli import main

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "cases" / "valid" / "lakeside-site"
SOURCE = "Results > Table 3"

# The fixture's units are the case group "lakeside" and the case "lakeside-cmhc"; its own
# observations (o1-o4) have no phase, so the sustainment ratings below are all the import's.
MATRIX = [
    ["construct", "role", "lakeside", "lakeside-cmhc"],
    ["II.A", "", "+2", ""],
    ["III.F", "", "-1", "X"],
    ["IV.C.D", "IV.R.A", "0", "M"],
    ["IV.C.D", "IV.R.H", "", "+1"],
    ["V.D", "", "-2", "-1"],
]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _write(path: Path, rows: list[list[object]], sheet: str = "Ratings") -> Path:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    else:
        book = Workbook()
        ws = book.active
        ws.title = sheet
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value != "":
                    ws.cell(row=r, column=c, value=value)
        book.save(path)
    return path


def _read(path: Path) -> list[list[str]]:
    """A matrix file as rows of text, "" where a cell is empty."""
    if path.suffix == ".csv":
        return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    ws = load_workbook(path).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def _observations(study: Path) -> list[dict]:
    return yaml.safe_load((study / "observations.yaml").read_text(encoding="utf-8"))["observations"]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "lakeside-site"
    shutil.copytree(FIXTURE, folder)
    return folder


def _import(matrix: Path, study: Path, *more: str) -> tuple[int, str]:
    return _run("import", "matrix", str(matrix), "--study", str(study), "--source", SOURCE, *more)


# -- the round trip -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_validate_build_export_gives_the_same_matrix(
    study: Path, tmp_path: Path, suffix: str
) -> None:
    matrix = _write(tmp_path / f"ratings{suffix}", MATRIX)
    code, out = _import(matrix, study, "--phase", "sustainment")
    assert code == 0, out
    assert "8 ratings added, 0 replaced" in out

    code, out = _run("validate", str(study))
    assert code == 0, out
    assert "conforms" in out

    built = tmp_path / "out"
    code, out = _run("build", "--study", str(study), "--out-dir", str(built))
    assert code == 0, out

    exported = tmp_path / f"exported{suffix}"
    code, out = _run(
        "matrix", "lakeside-site", "--graph", str(built / "ipskg.nt"), "--phase", "sustainment",
        "-o", str(exported),
    )  # fmt: skip
    assert code == 0, out
    assert "5 rows, 2 units, 8 ratings" in out
    assert _read(exported) == MATRIX


def test_imported_records_say_where_they_were_read(study: Path, tmp_path: Path) -> None:
    matrix = _write(tmp_path / "ratings.xlsx", MATRIX)
    assert _import(matrix, study, "--phase", "sustainment")[0] == 0
    by_id = {o["id"]: o for o in _observations(study)}
    assert by_id["m-iii-f-lakeside-cmhc-sustainment"] == {
        "id": "m-iii-f-lakeside-cmhc-sustainment",
        "construct": "III.F",
        "observed_in": "lakeside-cmhc",
        "valence": "X",
        "phase": "sustainment",
        "evidence_source": SOURCE,
        "attributed_to": "curation",
        "rationale": "Imported from ratings.xlsx, sheet Ratings, cell D3.",
    }
    assert by_id["m-iv-c-d-iv-r-a-lakeside-sustainment"]["role"] == "IV.R.A"
    assert by_id["m-v-d-lakeside-sustainment"]["strength"] == 2
    assert by_id["m-v-d-lakeside-sustainment"]["valence"] == "-"


def test_import_appends_and_keeps_the_file_as_written(study: Path, tmp_path: Path) -> None:
    before = (study / "observations.yaml").read_text(encoding="utf-8")
    matrix = _write(tmp_path / "ratings.csv", MATRIX)
    assert _import(matrix, study)[0] == 0
    after = (study / "observations.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert [o["id"] for o in _observations(study)][:4] == ["o1", "o2", "o3", "o4"]
    assert "  - id: m-ii-a-lakeside\n" in after  # no phase given: none in the id or the record
    assert "phase" not in after[len(before) :]


def test_an_empty_list_of_a_new_study_is_filled(study: Path, tmp_path: Path) -> None:
    path = study / "observations.yaml"
    path.write_text("# curators' note, kept\nobservations: []\n", encoding="utf-8")
    matrix = _write(tmp_path / "ratings.csv", [["construct", "lakeside"], ["II.A", "+1"]])
    code, out = _import(matrix, study)
    assert code == 0, out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# curators' note, kept\nobservations:\n  - id: m-ii-a-lakeside\n")
    assert _run("validate", str(study))[0] == 0


def test_labels_codes_any_case_and_numbers_are_read(study: Path, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Construct", "Role", "the Lakeside site", "CASE:lakeside-cmhc"],
        ["compatibility", "", 2, -1],
        ["iv.c.d", "High-level Leaders", 0, "−2"],
        ["Mission Alignment", "", "x", "m"],
    ]
    code, out = _import(_write(tmp_path / "ratings.xlsx", rows), study, "--phase", "Sustainment")
    assert code == 0, out
    got = {
        (o["construct"], o.get("role"), o["observed_in"]): (o["valence"], o.get("strength"))
        for o in _observations(study)
        if o["id"].startswith("m-")
    }
    assert got == {
        ("III.F", None, "lakeside"): ("+", 2),
        ("III.F", None, "lakeside-cmhc"): ("-", 1),
        ("IV.C.D", "IV.R.A", "lakeside"): ("0", None),
        ("IV.C.D", "IV.R.A", "lakeside-cmhc"): ("-", 2),
        ("III.I", None, "lakeside"): ("X", None),
        ("III.I", None, "lakeside-cmhc"): ("M", None),
    }


# -- re-import --------------------------------------------------------------------------------


def test_reimport_needs_replace_and_replace_gives_the_same_file(
    study: Path, tmp_path: Path
) -> None:
    matrix = _write(tmp_path / "ratings.xlsx", MATRIX)
    assert _import(matrix, study, "--phase", "sustainment")[0] == 0
    first = (study / "observations.yaml").read_bytes()

    code, out = _import(matrix, study, "--phase", "sustainment")
    assert code == 2
    assert "cell C2" in out
    assert "already imported as observation 'm-ii-a-lakeside-sustainment'" in out
    assert "--replace" in out
    assert "Traceback" not in out
    assert (study / "observations.yaml").read_bytes() == first

    code, out = _import(matrix, study, "--phase", "sustainment", "--replace")
    assert code == 0, out
    assert "0 ratings added, 8 replaced" in out
    assert (study / "observations.yaml").read_bytes() == first


def test_replace_rewrites_a_changed_cell_in_place(study: Path, tmp_path: Path) -> None:
    matrix = _write(tmp_path / "ratings.csv", MATRIX)
    assert _import(matrix, study)[0] == 0
    changed = [row[:] for row in MATRIX]
    changed[1][2] = "+1"
    assert _import(_write(matrix, changed), study, "--replace")[0] == 0
    ids = [o["id"] for o in _observations(study)]
    assert ids.count("m-ii-a-lakeside") == 1 and len(ids) == 4 + 8
    record = next(o for o in _observations(study) if o["id"] == "m-ii-a-lakeside")
    assert record["strength"] == 1
    assert _run("validate", str(study))[0] == 0


def test_a_cell_that_rates_what_a_record_rates_is_refused_even_with_replace(
    study: Path, tmp_path: Path
) -> None:
    # o3 rates II.E in the Lakeside site (no phase)
    matrix = _write(tmp_path / "ratings.csv", [["construct", "lakeside"], ["II.E", "-1"]])
    before = (study / "observations.yaml").read_bytes()
    for more in ((), ("--replace",)):
        code, out = _import(matrix, study, *more)
        assert code == 2
        assert "row 2, column 2" in out and "observation 'o3'" in out
    assert (study / "observations.yaml").read_bytes() == before


# -- errors a user sees -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["+3", "yes"])
def test_a_bad_cell_is_located_in_a_workbook(study: Path, tmp_path: Path, bad: str) -> None:
    rows = [row[:] for row in MATRIX]
    rows[3][3] = bad
    code, out = _import(_write(tmp_path / "ratings.xlsx", rows), study)
    assert code == 2
    assert "ratings.xlsx, sheet 'Ratings', cell D4 (row 4), column header 'lakeside-cmhc'" in out
    assert f"{bad!r} is not a CFIR rating" in out
    assert "fix: write +2, +1, -1, -2" in out
    assert "Traceback" not in out


def test_a_bad_cell_is_located_in_a_csv_file(study: Path, tmp_path: Path) -> None:
    rows = [row[:] for row in MATRIX]
    rows[2][2] = "++"
    code, out = _import(_write(tmp_path / "ratings.csv", rows), study)
    assert code == 2
    assert "ratings.csv, row 3, column 3, column header 'lakeside'" in out
    assert "'++' is not a CFIR rating" in out


@pytest.mark.parametrize(
    ("rows", "suffix", "where", "message", "fix"),
    [
        (
            [["construct", "lakeside"], ["Compatibilty", "+1"]],
            ".csv",
            "row 2, column 1",
            "'Compatibilty' is not a known CFIR 2022 construct",
            "did you mean III.F (Compatibility)?",
        ),
        (
            [["construct", "lakesid"], ["II.A", "+1"]],
            ".xlsx",
            "cell B1",
            "'lakesid' is not a case or case group of study 'lakeside-site'",
            "did you mean 'lakeside'?",
        ),
    ],
    ids=["construct", "unit"],
)
def test_an_unknown_construct_or_unit_gets_a_did_you_mean(
    study: Path, tmp_path: Path, rows, suffix: str, where: str, message: str, fix: str
) -> None:
    code, out = _import(_write(tmp_path / f"ratings{suffix}", rows), study)
    assert code == 2
    assert where in out and message in out and fix in out


def test_an_unknown_role_and_phase_get_a_did_you_mean(study: Path, tmp_path: Path) -> None:
    rows = [["construct", "role", "lakeside"], ["IV.C.D", "IV.R.Z", "+1"]]
    matrix = _write(tmp_path / "ratings.csv", rows)
    code, out = _import(matrix, study)
    assert code == 2 and "row 2, column 2" in out and "is not a known CFIR 2022 role" in out
    code, out = _import(matrix, study, "--phase", "sustainmnet")
    assert code == 2 and "--phase" in out and "did you mean sustainment" in out


def test_a_formula_without_a_value_is_refused(study: Path, tmp_path: Path) -> None:
    matrix = _write(tmp_path / "ratings.xlsx", [["construct", "lakeside"], ["II.A", "=1+1"]])
    code, out = _import(matrix, study)
    assert code == 2
    assert "cell B2" in out and "formula '=1+1' with no computed value" in out


def test_not_a_workbook_and_no_such_sheet(study: Path, tmp_path: Path) -> None:
    fake = tmp_path / "ratings.xlsx"
    fake.write_text("construct,lakeside\n", encoding="utf-8")
    code, out = _import(fake, study)
    assert code == 2 and "not an .xlsx workbook" in out
    matrix = _write(tmp_path / "real.xlsx", MATRIX)
    code, out = _import(matrix, study, "--sheet", "Sheet9")
    assert code == 2 and "no sheet 'Sheet9'" in out and "'Ratings'" in out


def test_a_zip_bomb_is_not_unpacked(study: Path, tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "ratings.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 50_000_000 + b">")
    code, out = _import(bomb, study)
    assert code == 2 and "zip bomb" in out


# -- a bundled study --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def harkko(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """harkko-2025's matrix in each phase, from the bundled data, as CSV and as a workbook."""
    folder = tmp_path_factory.mktemp("harkko")
    out = {}
    for phase in ("sustainment", "implementation"):
        for suffix in (".csv", ".xlsx"):
            path = folder / f"{phase}{suffix}"
            code, text = _run("matrix", "harkko-2025", "--phase", phase, "-o", str(path))
            assert code == 0, text
            out[phase + suffix] = path
    return out


def _cell(rows: list[list[str]], construct: str, unit: str, role: str = "") -> str:
    header = rows[0]
    row = next(r for r in rows if r[0] == construct and r[1] == role)
    return row[header.index(unit)]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_bundled_study_export_gives_the_ratings_of_its_file(harkko, suffix: str) -> None:
    sustainment = _read(harkko["sustainment" + suffix])
    assert sustainment[0] == [
        "construct", "role", "all-cases", "cases-with-leadership-tiers", "less-robust",
        "more-robust", "pes-unit-less-robust",
    ]  # fmt: skip
    assert _cell(sustainment, "II.E", "all-cases") == "-2"  # o01: -, strength 2, sustainment
    assert _cell(sustainment, "III.I", "more-robust") == "+2"  # o11
    assert _cell(sustainment, "IV.C.D", "more-robust", "IV.R.A") == "+2"  # o28
    assert _cell(sustainment, "IV.C.C", "all-cases", "IV.R.D") == "X"  # o09
    assert _cell(sustainment, "II.E", "less-robust") == ""  # not rated
    constructs = [r[0] for r in sustainment[1:]]
    assert constructs.index("II.F") < constructs.index("III.A") < constructs.index("III.I")
    implementation = _read(harkko["implementation" + suffix])
    assert _cell(implementation, "II.E", "all-cases") == "0"  # o02
    assert _cell(implementation, "IV.C.C", "all-cases", "IV.R.D") == "+1"  # o37


def test_ratings_stay_as_written_in_csv_and_text_in_a_workbook(harkko) -> None:
    text = harkko["sustainment.csv"].read_text(encoding="utf-8")
    assert "II.E,,-2," in text and "'" not in text
    ws = load_workbook(harkko["sustainment.xlsx"]).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells)


def test_a_cell_with_two_phases_asks_for_one(tmp_path: Path) -> None:
    code, out = _run("matrix", "harkko-2025", "-o", str(tmp_path / "m.csv"))
    assert code == 2
    assert "II.E in 'all-cases' has 2 ratings, one per phase" in out
    assert "(implementation 0, sustainment -2)" in out
    assert "pass --phase with one of the study's phases: implementation, sustainment" in out
    assert not (tmp_path / "m.csv").exists()


def test_export_needs_a_known_study_and_a_spreadsheet_file(tmp_path: Path) -> None:
    code, out = _run("matrix", "harko-2025", "-o", str(tmp_path / "m.csv"))
    assert code == 2 and "harkko-2025" in out
    code, out = _run("matrix", "harkko-2025", "-o", str(tmp_path / "m.txt"))
    assert code == 2 and "FILE.xlsx" in out


def test_the_export_of_a_rated_study_does_not_import_over_its_ratings(
    harkko, tmp_path: Path
) -> None:
    """Its cells are rated by the study's own records (o01, …): refused, nothing written."""
    copy = tmp_path / "harkko-2025"
    shutil.copytree(HERE.parent / "data" / "studies" / "harkko-2025", copy)
    before = (copy / "observations.yaml").read_bytes()
    code, out = _import(harkko["sustainment.xlsx"], copy, "--phase", "sustainment", "--replace")
    assert code == 2 and "already rates" in out and "observation 'o07'" in out
    assert (copy / "observations.yaml").read_bytes() == before
