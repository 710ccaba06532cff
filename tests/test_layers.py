"""The package's import direction and cycles, checked by import-linter against the contracts in
pyproject.toml ([tool.importlinter]): model <- io <- vocab <- studies <- sparql <- shacl <-
export <- api <- commands <- cli, and no cycle among the modules of a subpackage."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint(config: Path, cwd: Path) -> int:
    from importlinter.cli import lint_imports

    before = Path.cwd()
    os.chdir(cwd)
    try:
        return lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    finally:
        os.chdir(before)


def test_ipskg_keeps_its_import_contracts() -> None:
    assert _lint(ROOT / "pyproject.toml", ROOT) == 0


def test_the_check_fails_on_an_import_that_runs_upward(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same kind of contract on a two-module package whose lower layer imports the upper."""
    pkg = tmp_path / "layered"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "high.py").write_text("from layered import low\n")
    (pkg / "low.py").write_text("from layered import high\n")
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "layered"\n\n'
        '[[tool.importlinter.contracts]]\nname = "one way"\ntype = "layers"\n'
        'layers = ["layered.high", "layered.low"]\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _lint(config, tmp_path) == 1
