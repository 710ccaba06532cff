"""``ipskg new-study``: a study folder with every file, that validate then guides to completion."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from ipskg.cli import main
from ipskg.model.schema import FILES
from ipskg.studies.template import EXAMPLE_MARK


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def _uncomment_examples(folder: Path) -> None:
    """Use every commented example: uncomment it and drop the empty lists it fills."""
    for path in folder.glob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        if EXAMPLE_MARK not in lines:
            continue
        start = lines.index(EXAMPLE_MARK) + 1
        end = start
        while end < len(lines) and lines[end].startswith("# "):
            end += 1
        example = [line[2:] for line in lines[start:end]]
        keys = {m.group(1) for line in example if (m := re.match(r"([a-z_]+):", line))}
        rest = [line for line in lines[end:] if line.split(":")[0] not in keys]
        path.write_text("\n".join(lines[:start] + example + rest) + "\n", encoding="utf-8")


def test_new_study_writes_every_file_and_validate_says_what_to_add(tmp_path: Path) -> None:
    folder = tmp_path / "smith-2026"
    result = _invoke("new-study", "smith-2026", "--studies", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert {p.name for p in folder.iterdir()} == set(FILES)
    assert "ipskg validate" in result.stderr
    checked = _invoke("validate", str(folder))
    assert checked.exit_code == 1, checked.output
    assert f"{folder / 'study.yaml'}:" in checked.output
    assert "the study names no publication: add a publication: block" in checked.output
    assert "Traceback" not in checked.output


def test_the_commented_examples_make_a_conforming_study(tmp_path: Path) -> None:
    folder = tmp_path / "smith-2026"
    assert _invoke("new-study", "smith-2026", "--studies", str(tmp_path)).exit_code == 0
    _uncomment_examples(folder)
    checked = _invoke("validate", str(folder))
    assert checked.exit_code == 0, checked.output
    assert "conforms" in checked.output
    built = _invoke("build", "--study", str(folder), "--out-dir", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output


def test_default_folder_is_data_studies_id(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _invoke("new-study", "jones-2027").exit_code == 0
    assert (tmp_path / "data" / "studies" / "jones-2027" / "study.yaml").is_file()
    text = (tmp_path / "data" / "studies" / "jones-2027" / "study.yaml").read_text()
    assert "\nid: jones-2027\n" in text


def test_an_existing_folder_is_never_touched(tmp_path: Path) -> None:
    folder = tmp_path / "taken-2026"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = _invoke("new-study", "taken-2026", "--studies", str(tmp_path))
    assert result.exit_code == 2
    assert "already exists and is not empty; nothing was written" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".taken-2026")]


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "empty-2026"
    folder.mkdir()
    assert _invoke("new-study", "empty-2026", "--studies", str(tmp_path)).exit_code == 0
    assert (folder / "observations.yaml").is_file()


def test_a_bad_id_is_refused_with_the_rule(tmp_path: Path) -> None:
    result = _invoke("new-study", "Smith 2026", "--studies", str(tmp_path))
    assert result.exit_code == 2
    assert "lower-case letters, digits and '-'" in result.stderr
    assert not list(tmp_path.iterdir())
