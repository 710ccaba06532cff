"""The one place that knows where the ontology, shapes, queries and bundled data live."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = [
    "artifact_root",
    "data_dir",
    "ontology_dir",
    "ontology_files",
    "queries_dir",
    "shapes_dir",
]

_PACKAGE = Path(__file__).resolve().parent.parent  # ipskg/
_NAMES = ("ontology", "shapes", "queries", "data")


@cache
def artifact_root() -> Path:
    """Folder holding ontology/, shapes/, queries/ and data/.

    A source checkout (or editable install) uses the repository's top-level folders; an
    installed wheel carries copies under ``ipskg/_artifacts`` (hatch ``force-include``).
    """
    bundled = _PACKAGE / "_artifacts"
    if (bundled / "ontology").is_dir():
        return bundled
    checkout = _PACKAGE.parent
    if all((checkout / name).is_dir() for name in _NAMES[:3]):
        return checkout
    from ipskg.model.errors import ArtifactError

    raise ArtifactError(
        "the ontology/shapes/queries folders were not found next to the package",
        artifact=str(_PACKAGE),
        hint="reinstall ipskg (pip install --force-reinstall ipskg)",
    )


def ontology_dir() -> Path:
    return artifact_root() / "ontology"


def shapes_dir() -> Path:
    return artifact_root() / "shapes"


def queries_dir() -> Path:
    return artifact_root() / "queries"


def data_dir() -> Path:
    """The bundled study data (data/studies/<id>/)."""
    return artifact_root() / "data"


def ontology_files() -> list[Path]:
    """Every Turtle module of the ontology, top file first, then modules sorted by name."""
    folder = ontology_dir()
    top = folder / "ipskg.ttl"
    modules = sorted(p for p in folder.glob("*.ttl") if p != top)
    return [top, *modules]
