"""A content-addressed cache of the built graph, so repeated queries skip the YAML build."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ipskg import __version__
from ipskg.model.resources import data_dir, ontology_dir
from ipskg.studies.loader import find_study_dirs

__all__ = ["cache_dir", "cached_build", "fingerprint"]


def cache_dir() -> Path:
    """``$IPSKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/ipskg``, else ``~/.cache/ipskg``."""
    explicit = os.environ.get("IPSKG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ipskg"


def _inputs(data_root: Path | None) -> list[Path]:
    """Every file that can change the built graph: the whole ontology folder, every study
    file, and every module of the installed package (an editable install included)."""
    files = sorted(p for p in ontology_dir().rglob("*") if p.is_file())
    for study in find_study_dirs(data_root or data_dir()):
        files += sorted(p for p in study.iterdir() if p.suffix in (".yaml", ".yml"))
    package = Path(__file__).resolve().parent.parent
    files += sorted(package.rglob("*.py"))
    return files


def fingerprint(data_root: Path | None = None) -> str:
    """Hash of every input of a build (ontology, mappings, study files, mapping code, version)."""
    digest = hashlib.sha256(__version__.encode())
    for path in _inputs(data_root):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cached_build(data_root: Path | None = None) -> Path | None:
    """N-Triples of the built graph, built once per distinct input; None when not cacheable.

    The graph is built exactly as ``ipskg build`` builds it (without writing ``out/``); a
    change to any input file gives a new fingerprint and so a new build.
    """
    from ipskg.io.writers import atomic_write, serialize
    from ipskg.studies.build import build

    folder = cache_dir()
    path = folder / f"graph-{fingerprint(data_root)}.nt"
    if path.is_file():
        return path
    data = serialize(build(data_root).graph, "nt")
    try:
        atomic_write(path, data)
        for old in folder.glob("graph-*.nt"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return None  # a read-only home: the caller builds in memory instead
    return path
