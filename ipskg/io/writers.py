"""Serialise graphs deterministically and write files and folders atomically (never half a
file, never two runs mixed in one folder)."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph

from ipskg.model.errors import InputError
from ipskg.model.formats import GRAPH_FORMATS

__all__ = [
    "MARKER",
    "at_prefixes",
    "atomic_write",
    "atomic_write_many",
    "serialize",
    "write_folder",
]


def canonical_blank_nodes(graph: Graph) -> Graph:
    """The same graph with blank nodes labelled by their content (rdflib's RGDA1 canonical
    labelling), so that a rebuild writes the same labels. Only the triples that touch a blank
    node are relabelled (every statement about a blank node touches it), which keeps the cost
    proportional to them: the OWL restrictions and lists of the ontology, not the data."""
    from rdflib.compare import to_canonical_graph

    blank = Graph()
    for triple in graph:
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            blank.add(triple)
    if not blank:
        return graph
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    out.addN((s, p, o, out) for s, p, o in graph if (s, p, o) not in blank)
    out.addN((s, p, o, out) for s, p, o in to_canonical_graph(blank))
    return out


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise a graph in one of :data:`ipskg.model.formats.GRAPH_FORMATS`, byte-identical
    for the same graph: N-Triples sorted, blank nodes labelled by their content."""
    rdflib_fmt = GRAPH_FORMATS[fmt].rdflib
    if fmt in ("nt", "jsonld"):
        graph = canonical_blank_nodes(graph)
    if fmt == "nt":
        lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(set(lines)))
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", encoding="utf-8", sort_keys=True, indent=2)
    data = graph.serialize(format=rdflib_fmt, encoding="utf-8")
    if fmt == "ttl":
        return at_prefixes(data.decode("utf-8")).encode("utf-8")
    return data


_PREFIX_LINE = re.compile(r"PREFIX ([^\s:]*): <([^>]*)>")


def at_prefixes(text: str) -> str:
    """Turtle's ``@prefix`` lines for the SPARQL-style ``PREFIX`` lines Oxigraph writes at
    the top of a document: older Turtle parsers (Raptor before 2.0.16, the OWL API that
    Pellet 2.3 uses) know only ``@prefix``. Only the leading prefix lines are rewritten."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _PREFIX_LINE.fullmatch(line)
        if m is None:
            break
        lines[i] = f"@prefix {m.group(1)}: <{m.group(2)}> ."
    return "\n".join(lines)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    atomic_write_many({path: lambda: data})


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _refuse_link(path: Path) -> None:
    """Refuse an output path that is a link, or that exists and is not a regular file (as root,
    renaming over /dev/null would replace the device)."""
    if path.exists() and not path.is_symlink() and not path.is_file() and not path.is_dir():
        raise InputError(
            "the output is a device, pipe or socket, not a file; ipskg replaces its outputs "
            "as a whole and would replace it",
            file=path,
            hint="leave out -o to write to standard output, or give a file path",
        )
    if path.is_symlink():
        raise InputError(
            "the output is a symbolic link; ipskg does not write through links (it would "
            "replace the link, not the file it points to)",
            file=path,
            hint="give the real path, or remove the link",
        )


def _os_error(exc: OSError, path: Path) -> InputError:
    reason = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EEXIST: "a part of the path is a file, not a folder",
        errno.EISDIR: "the output is a folder",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return InputError(
        f"cannot write the output: {reason}",
        file=path,
        hint="choose a folder you can write to, with free space; nothing was changed",
    )


def atomic_write_many(outputs: dict[Path, Callable[[], bytes]]) -> None:
    """Produce every output first, then rename them all into place.

    If producing any output fails, no file is replaced and the temporary files are removed.
    Files get the permissions the user's umask gives (as ``open`` would), not mkstemp's 0600;
    a path that is a symbolic link is refused; a folder that cannot be written is an input
    error that names it.
    """
    for path in outputs:
        _refuse_link(path)
    mode = 0o666 & ~_umask()
    staged: list[tuple[str, Path]] = []
    current = Path()
    try:
        for path, produce in outputs.items():
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), mode)
                fh.write(produce())
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
        staged = []
    except OSError as exc:
        raise _os_error(exc, current) from None
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


MARKER = ".ipskg-output"
"""The file that marks a folder as written by ipskg (``build``, ``merge``), listing its files."""


def write_folder(
    outdir: Path, outputs: dict[str, Callable[[], bytes]], *, marker: bool = True
) -> list[Path]:
    """Write a whole output folder, switched as one: every file is written into a new folder
    beside ``outdir``, which then takes its place, so the files in ``outdir`` always come from
    one run (``ipskg.ttl``, ``.nt`` and ``.jsonld`` never mix two builds).

    An existing ``outdir`` is replaced only when it is empty or was written by ipskg (it holds
    :data:`MARKER` and nothing else than the files it lists): a folder with other files is an
    input error, never emptied. If writing fails, ``outdir`` is left as it was. Without
    ``marker`` (a folder of researcher-edited files, e.g. an imported study), no marker is
    written and the caller has checked that ``outdir`` may be replaced.
    """
    _refuse_link(outdir)
    if outdir.exists() and marker:
        _check_replaceable(outdir)
    parent = outdir.parent
    mode = 0o777 & ~_umask()
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{outdir.name}.", suffix=".new"))
    except OSError as exc:
        raise _os_error(exc, outdir) from None
    try:
        os.chmod(staging, mode)
        atomic_write_many({staging / name: produce for name, produce in outputs.items()})
        if marker:
            listing = "".join(f"{name}\n" for name in sorted(outputs))
            atomic_write(staging / MARKER, listing.encode("utf-8"))
        old: Path | None = None
        if outdir.exists():
            old = Path(tempfile.mkdtemp(dir=parent, prefix=f".{outdir.name}.", suffix=".old"))
            os.rmdir(old)
            os.rename(outdir, old)
        os.rename(staging, outdir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _os_error(exc, outdir) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [outdir / name for name in outputs]


def _files_under(outdir: Path) -> set[str]:
    """Every file in ``outdir`` and its subfolders as a relative POSIX path, as the marker lists
    them (a link to a folder counts as a file: it is never followed)."""
    found: set[str] = set()
    for folder, dirs, names in os.walk(outdir):
        rel = Path(folder).relative_to(outdir)
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        found.update((rel / name).as_posix() for name in [*names, *links])
    return found


def _check_replaceable(outdir: Path) -> None:
    if not outdir.is_dir():
        raise InputError(
            "the output folder is a file", file=outdir, hint="give a folder for --out-dir"
        )
    entries = _files_under(outdir)
    if not entries:
        return
    marker = outdir / MARKER
    listed = set(marker.read_text(encoding="utf-8").split()) if marker.is_file() else set()
    # an output folder of an earlier ipskg (before the marker) holds only ipskg.<suffix> files
    listed |= {MARKER} | {f"ipskg{spec.suffix}" for spec in GRAPH_FORMATS.values()}
    if not entries <= listed:
        others = sorted(entries - listed)[:3]
        raise InputError(
            "the output folder holds files ipskg did not write ("
            + ", ".join(others)
            + (", …" if len(entries - listed) > 3 else "")
            + "); it is replaced as a whole, so it must be empty or an earlier ipskg output",
            file=outdir,
            hint="give a new or empty folder to --out-dir",
        )
