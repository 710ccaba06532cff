"""The build cache behind `ipskg query`: reused when nothing changed, rebuilt when an input did."""

from __future__ import annotations

import shutil
from pathlib import Path

from ipskg.cli import main
from ipskg.sparql.cache import cache_dir, fingerprint

MINI = Path(__file__).parent / "fixtures" / "golden" / "mini-study"


def test_query_sees_an_edited_study_file(runner, tmp_path):
    data = tmp_path / "data"
    study = data / "studies" / "mini-study"
    shutil.copytree(MINI, study)
    first = runner.invoke(
        main, ["query", "table-1", "-p", "study=mini-study", "--data", str(data), "-f", "csv"]
    )
    assert first.exit_code == 0, first.output
    assert "Mini Shared Vision" in first.output
    before = fingerprint(data)

    themes = study / "themes.yaml"
    themes.write_text(themes.read_text().replace("Mini Shared Vision", "Mini Common Vision"))
    assert fingerprint(data) != before
    second = runner.invoke(
        main, ["query", "table-1", "-p", "study=mini-study", "--data", str(data), "-f", "csv"]
    )
    assert second.exit_code == 0, second.output
    assert "Mini Common Vision" in second.output and "Mini Shared Vision" not in second.output
    assert len(list(cache_dir().glob("graph-*.nt"))) == 1  # the stale graph was removed


def test_unchanged_inputs_reuse_the_cached_graph(runner, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data / "studies" / "mini-study")
    ask = ["query", "table-1", "-p", "study=mini-study", "--data", str(data)]
    assert runner.invoke(main, ask).exit_code == 0
    cached = cache_dir() / f"graph-{fingerprint(data)}.nt"
    stamp = cached.stat().st_mtime_ns
    assert runner.invoke(main, ask).exit_code == 0
    assert cached.stat().st_mtime_ns == stamp
