"""Serialise graphs deterministically and write files atomically (never half a file)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from ipskg.model.formats import GRAPH_FORMATS

__all__ = ["atomic_write", "atomic_write_many", "serialize"]


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise a graph in one of :data:`ipskg.model.formats.GRAPH_FORMATS`; Turtle and
    N-Triples come out byte-identical for the same graph."""
    rdflib_fmt = GRAPH_FORMATS[fmt].rdflib
    if fmt == "nt":
        lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(set(lines)))
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", encoding="utf-8", sort_keys=True, indent=2)
    return graph.serialize(format=rdflib_fmt, encoding="utf-8")


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    atomic_write_many({path: lambda: data})


def atomic_write_many(outputs: dict[Path, Callable[[], bytes]]) -> None:
    """Produce every output first, then rename them all into place.

    If producing any output fails, no file is replaced and the temporary files are removed.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, produce in outputs.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(produce())
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
        staged = []
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
