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


def _inputs(data_root: Path | None) -> list[tuple[str, Path]]:
    """Every file that can change the built graph, with a name that says where it is: the
    whole ontology folder (mappings included), every file of every study folder (a stray file
    fails the build, so it must change the key too), and every module of the installed package
    (an editable install included)."""
    package = Path(__file__).resolve().parent.parent
    groups = [("ontology", ontology_dir(), sorted(ontology_dir().rglob("*")))]
    for study in find_study_dirs(data_root or data_dir()):
        groups.append((f"study:{study.resolve()}", study, sorted(study.rglob("*"))))
    groups.append(("package", package, sorted(package.rglob("*.py"))))
    return [
        (f"{group}/{path.relative_to(root).as_posix()}", path)
        for group, root, paths in groups
        for path in paths
        if path.is_file()
    ]


def fingerprint(data_root: Path | None = None) -> str:
    """Hash of every input of a build and of the versions of ipskg and the libraries that
    parse and write the graph."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for name in ("rdflib", "pyoxigraph", "PyYAML"):
        digest.update(f"{name}={version(name)}\0".encode())
    digest.update(f"ipskg={__version__}\0".encode())
    for name, path in _inputs(data_root):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cached_build(data_root: Path | None = None) -> Path | None:
    """N-Triples of the built graph, built once per distinct input; None when not cacheable.

    The graph is built exactly as ``ipskg build`` builds it (without writing ``out/``); a
    change to any input file gives a new fingerprint and so a new build. Each cached graph has
    a ``.sha256`` beside it: a graph file that was cut short or changed by hand no longer
    matches it and is built again, never read.
    """
    from ipskg.io.writers import atomic_write_many, serialize
    from ipskg.studies.build import build

    folder = cache_dir()
    path = folder / f"graph-{fingerprint(data_root)}.nt"
    check = path.with_suffix(".sha256")
    if path.is_file() and check.is_file() and _intact(path, check):
        return path
    data = serialize(build(data_root).graph, "nt")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_many(
            {path: lambda: data, check: lambda: hashlib.sha256(data).hexdigest().encode()}
        )
        for old in [*folder.glob("graph-*.nt"), *folder.glob("graph-*.sha256")]:
            if old not in (path, check):
                old.unlink(missing_ok=True)
    except OSError:
        return None  # a read-only home: the caller builds in memory instead
    return path


def _intact(path: Path, check: Path) -> bool:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == check.read_text(encoding="ascii").strip()
