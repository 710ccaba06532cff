"""Reading a REFI-QDA project archive (.qdpx) the user named, without trusting it.

A .qdpx is a ZIP holding one ``*.qde`` XML file (``project.qde``, or named after the project
by ATLAS.ti) and a ``sources/`` folder (``Sources/`` in some exports) of plain-text sources.
Nothing is extracted to disk. Refused, with exit 2: members whose names leave the archive
(``../``, absolute paths, drive letters), more members or more uncompressed bytes than
the limits below, members that claim a compression ratio only a zip bomb has (and members
that inflate beyond what they declare), and XML with a DOCTYPE, entities or external
references (defusedxml, the well-kept guard against entity expansion and external entities,
parses the project; nothing is ever fetched).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element

from ipskg.io.files import check_file
from ipskg.model.errors import InputError

__all__ = [
    "MAX_ARCHIVE_BYTES",
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "QDA_NS",
    "QdpxArchive",
    "open_qdpx",
]

QDA_NS = "urn:QDA-XML:project:1.0"
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024
"""The largest .qdpx accepted (projects with audio or video sources are large; only the text
sources are read)."""
MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
"""The largest project XML or text source read (uncompressed)."""
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
"""Text and XML compress 3–10 times; a member that claims more than this is a zip bomb."""

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class QdpxArchive:
    """An opened, checked archive: the project XML's root element and the text sources."""

    path: Path
    qde_name: str
    root: Element
    _zip: zipfile.ZipFile
    _sources: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    def source_text(self, internal: str) -> str | None:
        """The text of an ``internal://<name>`` source (case-insensitive folder and name),
        or None when the archive does not hold it."""
        name = internal.removeprefix("internal://").strip("/").casefold()
        info = self._sources.get(name)
        if info is None:
            return None
        data = self.read_member(info)
        text = _decode(data, self.path, info.filename)
        return text.removeprefix("\ufeff")

    def read_member(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, stopping at the limit whatever its header declares."""
        with self._zip.open(info) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
        if len(data) > MAX_MEMBER_BYTES or len(data) > max(info.file_size, 0):
            raise InputError(
                f"archive member {info.filename!r} inflates beyond the "
                f"{MAX_MEMBER_BYTES // (1024 * 1024)} MB limit or its declared size "
                "(a zip bomb or a damaged archive); nothing was imported",
                file=self.path,
                hint="re-export the project from the QDA program",
            )
        return data

    def close(self) -> None:
        self._zip.close()


def open_qdpx(path: Path) -> QdpxArchive:
    """Open and check a .qdpx archive; every refusal is an InputError naming the member."""
    check_file(path, what="REFI-QDA project (.qdpx)", max_bytes=MAX_ARCHIVE_BYTES)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            f"this is not a REFI-QDA project archive (not a ZIP file: {exc})",
            file=path,
            hint="export the project from your QDA program as REFI-QDA (.qdpx)",
        ) from None
    try:
        infos = zf.infolist()
        _check_members(path, infos)
        qdes = [
            i for i in infos if "/" not in i.filename and i.filename.casefold().endswith(".qde")
        ]
        if not qdes:
            raise InputError(
                "the archive holds no project file (*.qde) at its top level",
                file=path,
                hint="export the project from your QDA program as REFI-QDA (.qdpx)",
            )
        if len(qdes) > 1:
            names = ", ".join(sorted(i.filename for i in qdes))
            raise InputError(
                f"the archive holds more than one project file ({names})",
                file=path,
                hint="export one project per .qdpx",
            )
        archive = QdpxArchive(path, qdes[0].filename, Element("x"), zf)
        archive.root = _parse_xml(path, qdes[0].filename, archive.read_member(qdes[0]))
        for info in infos:
            parts = PurePosixPath(info.filename).parts
            if len(parts) == 2 and parts[0].casefold() == "sources" and not info.is_dir():
                archive._sources[parts[1].casefold()] = info
        return archive
    except BaseException:
        zf.close()
        raise


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            f"the archive has {len(infos)} members, more than the {MAX_MEMBERS} allowed",
            file=path,
        )
    total = 0
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
            raise InputError(
                f"archive member {name!r} points outside the archive (path traversal); "
                "nothing was imported",
                file=path,
                hint="this archive was not written by a QDA program; do not use it",
            )
        if info.flag_bits & 0x1:
            raise InputError(
                f"archive member {name!r} is encrypted", file=path, hint="export it unencrypted"
            )
        if info.file_size > MAX_MEMBER_BYTES and _wanted(parts):
            raise InputError(
                f"archive member {name!r} is {info.file_size / 1e6:.0f} MB uncompressed, "
                f"more than the {MAX_MEMBER_BYTES // (1024 * 1024)} MB a project file or text "
                "source may be",
                file=path,
            )
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise InputError(
                f"archive member {name!r} claims a compression ratio of "
                f"{info.file_size / info.compress_size:.0f}:1 (a zip bomb); nothing was imported",
                file=path,
                hint="this archive was not written by a QDA program; do not use it",
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            f"the archive unpacks to {total / 1e9:.1f} GB, more than the "
            f"{MAX_TOTAL_BYTES / 1e9:.0f} GB allowed",
            file=path,
        )


def _wanted(parts: tuple[str, ...]) -> bool:
    """Members ipskg reads: the project XML and text sources (media are never opened)."""
    if len(parts) == 1:
        return parts[0].casefold().endswith(".qde")
    return len(parts) == 2 and parts[1].casefold().endswith(".txt")


def _parse_xml(path: Path, member: str, data: bytes) -> Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(
            f"{member}: the project XML declares a DTD, entities or external references "
            f"({type(exc).__name__}); they are refused, never expanded or fetched",
            file=path,
            hint="a QDA program's export has none: re-export the project",
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise InputError(
            f"{member}: the project XML is not well-formed ({exc})",
            file=path,
            line=line,
            hint=f"column {column}; re-export the project from the QDA program",
        ) from None
    if root.tag != f"{{{QDA_NS}}}Project":
        raise InputError(
            f"{member}: the root element is {root.tag!r}, not a REFI-QDA Project "
            f"(namespace {QDA_NS})",
            file=path,
            hint="export the project as REFI-QDA project (.qdpx), not as a codebook (.qdc)",
        )
    return root


def _decode(data: bytes, path: Path, member: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"text source {member!r} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start})",
            file=path,
            hint="REFI-QDA text sources are UTF-8: re-export the project",
        ) from None
