"""Reading a file the user named: only a regular file, within a size limit, with errors that
name it. A FIFO, a device or a folder given where a file is expected would otherwise hang or
crash the reader; every reader of user files (RDF, YAML, QDPX, queries) starts here."""

from __future__ import annotations

import stat
from pathlib import Path

from ipskg.model.errors import InputError

__all__ = ["check_file", "read_bytes"]


def check_file(path: Path, *, what: str = "RDF file", max_bytes: int | None = None) -> int:
    """The size of a regular, readable file; anything else (missing, a folder, a FIFO, a
    dangling link, too big) is an InputError naming it."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(
                "the file is a symbolic link to nothing", file=path, hint="fix or remove the link"
            ) from None
        raise InputError(f"no such {what}", file=path, hint="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror}", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"this is a folder where a {what} was expected", file=path, hint="name the file itself"
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"this is a device, pipe or socket where a {what} was expected (it is not read)",
            file=path,
            hint="give a file on disk",
        )
    if max_bytes is not None and info.st_size > max_bytes:
        raise InputError(
            f"the {what} is {info.st_size / 1e6:.1f} MB, larger than the "
            f"{max_bytes / 1e6:.0f} MB allowed here",
            file=path,
            hint="split it, or use the command meant for large graphs (see --help)",
        )
    return info.st_size


def read_bytes(path: Path, what: str, max_bytes: int | None) -> bytes:
    """The bytes of a regular file within ``max_bytes`` (see :func:`check_file`)."""
    check_file(path, what=what, max_bytes=max_bytes)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror}", file=path) from None
    if max_bytes is not None and len(data) > max_bytes:  # it grew while we looked
        raise InputError(f"the {what} is larger than the limit", file=path)
    return data


def decode_utf8(data: bytes, path: Path, hint: str = "") -> str:
    """The text of a file's bytes, or an InputError that gives the line and offset of the first
    byte that is not UTF-8 (a Latin-1 or Windows-1252 file, usually)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=path,
            line=data[: exc.start].count(b"\n") + 1,
            hint=hint or "re-save the file with UTF-8 encoding (e.g. iconv -f latin1 -t utf-8)",
        ) from None
