"""`ipskg query -f table` fits the terminal: long cells are wrapped to $COLUMNS (or the
terminal's width), and the other formats keep the full text."""

from __future__ import annotations

import csv
import io

import pytest

from ipskg.cli import main
from ipskg.sparql.results import _fit


def test_a_wide_answer_is_wrapped_to_80_columns(runner):
    narrow = runner.invoke(main, ["query", "table-1"], env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.output
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].split() == ["study", "approach", "sub_theme", "defining_features", "pathway"]
    assert "harkko-2025" in lines[2]  # short ids are not broken
    # the whole text is in the other formats
    full = runner.invoke(main, ["query", "table-1", "-f", "csv"], env={"COLUMNS": "80"})
    rows = list(csv.DictReader(io.StringIO(full.stdout)))
    assert max(len(r["defining_features"]) for r in rows) > 200


def test_a_pipe_without_columns_gets_the_full_width(runner):
    wide = runner.invoke(main, ["query", "table-1"], env={"COLUMNS": ""})
    assert wide.exit_code == 0, wide.output
    assert max(len(line) for line in wide.stdout.splitlines()) > 120


@pytest.mark.parametrize(
    ("widths", "headers", "width", "expected"),
    [
        ([5, 10], ["a", "b"], 80, [5, 10]),  # fits: unchanged
        ([11, 80, 40], ["study", "text", "more"], 80, [11, 42, 23]),  # shared by need
        ([30] * 20, ["h"] * 20, 80, [4] * 20),  # too many columns: 4 each, wider than 80
    ],
)
def test_fit(widths, headers, width, expected):
    fitted = _fit(widths, headers, width)
    assert fitted == expected
    if sum(expected) + 2 * (len(expected) - 1) <= width:
        assert sum(fitted) + 2 * (len(fitted) - 1) <= width
