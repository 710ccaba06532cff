"""The patch-case mechanism itself (tests/patchcases.py): a patch that does not apply as written
fails loudly, and an answer that differs from the expectation in any part fails the check."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from patchcases import (
    CASES,
    SETS,
    PatchCase,
    PatchError,
    case_folder,
    check_answer,
    load_case,
    materialize,
    patch_cases,
)

from ipskg.cli import main

BASE = CASES / "valid" / "lakeside-site"

STRENGTH_3 = {
    "why": "a strength of 3",
    "base": "lakeside-site",
    "replace": {"observations.yaml": [["strength: 2", "strength: 3"]]},
    "expect": {
        "exit": 1,
        "message": "strength must be 1",
        "file": "observations.yaml",
        "line": 6,
    },
}


def _case(tmp_path: Path, spec: dict, name: str = "strength-three") -> PatchCase:
    path = tmp_path / "specs" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return load_case(path, tmp_path / "studies")


def test_text_edits_keep_the_base_layout(tmp_path):
    case = _case(tmp_path, STRENGTH_3)
    assert case.folder.name == "strength-three" and case.line == 6
    lines = (case.folder / "observations.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[5] == "    strength: 3"
    # the study id follows the folder name on the base's own id line; nothing else changes
    base = (BASE / "study.yaml").read_text(encoding="utf-8")
    study = (case.folder / "study.yaml").read_text(encoding="utf-8")
    assert study == base.replace("\nid: lakeside-site\n", "\nid: strength-three\n", 1) != base
    for name in ("quotes.yaml", "fidelity.yaml", "outcomes.yaml", "themes.yaml"):
        assert (case.folder / name).read_bytes() == (BASE / name).read_bytes()


def test_whole_file_text_bytes_and_encoding(tmp_path):
    spec = {
        "why": "w",
        "text": {"notes.yaml": "notes: []\n", "quotes.yaml": {"hex": "89504e47"}},
        "replace": {"findings.yaml": [["Discussion", "Diskussion äö"]]},
        "encoding": {"findings.yaml": "latin-1"},
    }
    folder = materialize(spec, "some-case", tmp_path)
    assert (folder / "notes.yaml").read_text(encoding="utf-8") == "notes: []\n"
    assert (folder / "quotes.yaml").read_bytes() == b"\x89PNG"
    assert b"Diskussion \xe4\xf6" in (folder / "findings.yaml").read_bytes()


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        # an old string that is absent, or that occurs twice
        ({"replace": {"observations.yaml": [["strength: 7", "strength: 3"]]}}, "0 times"),
        ({"replace": {"observations.yaml": [["strength:", "strenght:"]]}}, "2 times"),
        ({"replace": {"observations.yaml": [["", "x"]]}}, "0 times"),
        ({"replace": {"observations.yaml": ["strength: 2"]}}, "pair of strings"),
        # a file the base does not have cannot be edited, only written whole
        ({"replace": {"notes.yaml": [["a", "b"]]}}, "no such file"),
        ({"text": {"quotes.yaml": {"hex": "00"}}, "encoding": {"quotes.yaml": "latin-1"}}, "alone"),
        ({"replaces": {"observations.yaml": [["strength: 2", "strength: 3"]]}}, "unknown keys"),
        ({"patch": {"observations.yaml": {"observations": [{"id": "o9", "_delete": True}]}}}, "o9"),
    ],
)
def test_a_patch_that_does_not_apply_fails_loudly(tmp_path, spec, fragment):
    with pytest.raises(PatchError, match=fragment):
        materialize({"why": "w", **spec}, "some-case", tmp_path)


def test_a_misspelt_expectation_is_an_error(tmp_path):
    spec = {**STRENGTH_3, "expect": {**STRENGTH_3["expect"], "lien": 6}}
    with pytest.raises(PatchError, match="unknown expect keys"):
        _case(tmp_path, spec)


def test_case_names_are_unique_across_the_sets():
    """The case name is the study id: studies of both sets are validated together."""
    names = [c.name for where in SETS for c in patch_cases(where)]
    assert len(names) == len(set(names))


def test_case_folder_names_exactly_one_case():
    first = patch_cases(SETS[0])[0]
    assert case_folder(first.name) == first.folder
    with pytest.raises(KeyError):
        case_folder("no-such-case")


@pytest.mark.parametrize(
    "wrong",
    [
        {"exit": 2},
        {"message": "strength must be 2"},
        {"line": 7},
        {"file": "quotes.yaml"},
        {"record": "o2"},
        {"field": "valence"},
        {"extra": {"also": "a fragment the answer does not have"}},
    ],
    ids=lambda w: next(iter(w)),
)
def test_an_answer_unlike_the_expectation_fails_the_check(runner, tmp_path, wrong):
    case = _case(tmp_path, STRENGTH_3)
    result = runner.invoke(main, ["validate", str(case.folder)])
    check_answer(case, result.exit_code, result.output)  # the right expectation passes
    with pytest.raises(AssertionError):
        check_answer(dataclasses.replace(case, **wrong), result.exit_code, result.output)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("observations.yaml:6: strength must be 1\nTraceback (most recent call last):\n", "trace"),
        # line 60 is not line 6: the number must end where the line number ends
        ("observations.yaml:60: strength must be 1\n", "observations.yaml:6"),
        ("quotes.yaml:6: strength must be 1\n", "observations.yaml"),
    ],
)
def test_a_made_up_answer_fails_the_check(tmp_path, answer, fragment):
    case = _case(tmp_path, STRENGTH_3)
    with pytest.raises(AssertionError, match=fragment):
        check_answer(case, 1, answer)
