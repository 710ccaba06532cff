"""Shared fixtures: the bundled graph built once per session, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Keep the build cache of `ipskg query` out of the user's home during tests."""
    mp = pytest.MonkeyPatch()
    mp.setenv("IPSKG_CACHE_DIR", str(tmp_path_factory.mktemp("ipskg-cache")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def built():
    """The bundled data built with the ontology (ipskg.build.BuildResult), not written."""
    from ipskg.studies.build import build

    return build()


@pytest.fixture(scope="session")
def built_graph(built):
    return built.graph


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
