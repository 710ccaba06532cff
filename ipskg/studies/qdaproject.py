"""A REFI-QDA project as plain data: users, codebook, text sources with their selections and
codings, cases, variables and notes, read from a checked archive (ipskg.io.qdpx).

Tolerant of the exporters' known quirks (shared/reference/qdpx.md): any single ``*.qde``,
``sources/`` or ``Sources/``, memos as ``<Description>`` on selections (ATLAS.ti), zero-length
selections (counted, not imported), codebook set members as ``guid=`` or ``targetGUID=``, and
NVivo's positions in UTF-16 code units (converted to code points, as Web Annotation counts).
GUIDs are read only to connect the parts: they change on every export, so nothing is named
after them.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from ipskg.io.qdpx import QDA_NS, QdpxArchive, open_qdpx
from ipskg.model.errors import InputError

__all__ = ["Case", "Code", "Coding", "Note", "Project", "Selection", "Source", "read_project"]

_NS = f"{{{QDA_NS}}}"


@dataclass
class Coding:
    code: str  # code GUID
    user: str | None
    created: str | None


@dataclass
class Selection:
    guid: str
    start: int  # code points, start inclusive
    end: int  # end exclusive
    user: str | None
    created: str | None
    description: str | None
    codings: list[Coding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Source:
    guid: str
    name: str
    text: str
    sha256: str
    description: str | None
    selections: list[Selection] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)  # codes on the whole source
    variables: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Code:
    guid: str
    name: str
    path: tuple[str, ...]  # names from the top of the codebook
    parent: str | None
    description: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class Case:
    guid: str
    name: str
    description: str | None
    sources: list[str] = field(default_factory=list)
    selections: list[str] = field(default_factory=list)
    variables: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Note:
    guid: str
    name: str | None
    text: str
    user: str | None
    created: str | None


@dataclass
class Project:
    path: Path
    name: str
    origin: str
    users: dict[str, str]  # GUID -> name (never written out)
    codes: dict[str, Code]
    sources: list[Source]
    cases: list[Case]
    notes: dict[str, Note]
    zero_length: int = 0
    other_sources: int = 0  # pictures, PDFs, audio, video: not imported
    external_sources: int = 0  # text kept outside the archive: never read
    sets: int = 0
    links: int = 0
    graphs: int = 0
    project_notes: int = 0


def read_project(path: Path) -> Project:
    """Read a .qdpx (checked: see ipskg.io.qdpx) into a :class:`Project`."""
    archive = open_qdpx(path)
    try:
        return _Reader(archive).project()
    finally:
        archive.close()


def _text(el: Element | None) -> str | None:
    if el is None or el.text is None or not el.text.strip():
        return None
    return el.text.strip()


class _Reader:
    def __init__(self, archive: QdpxArchive) -> None:
        self.archive = archive
        self.root = archive.root
        self.nvivo = "nvivo" in (self.root.get("origin") or "").casefold()
        self.variables: dict[str, str] = {}

    def error(self, message: str, hint: str | None = None) -> InputError:
        return InputError(f"{self.archive.qde_name}: {message}", file=self.archive.path, hint=hint)

    def child(self, el: Element, name: str) -> Element | None:
        return el.find(_NS + name)

    def children(self, el: Element | None, name: str) -> list[Element]:
        return [] if el is None else el.findall(_NS + name)

    def project(self) -> Project:
        root = self.root
        users = {
            u.get("guid", ""): u.get("name") or u.get("id") or u.get("guid") or "user"
            for u in self.children(self.child(root, "Users"), "User")
        }
        for var in self.children(self.child(root, "Variables"), "Variable"):
            self.variables[var.get("guid", "")] = var.get("name") or var.get("guid") or "variable"
        codes: dict[str, Code] = {}
        self.read_codes(self.child(root, "CodeBook"), codes)
        project = Project(
            path=self.archive.path,
            name=root.get("name") or self.archive.path.stem,
            origin=root.get("origin") or "",
            users=users,
            codes=codes,
            sources=[],
            cases=[],
            notes={},
        )
        sources_el = self.child(root, "Sources")
        for el in list(sources_el) if sources_el is not None else []:
            if el.tag != _NS + "TextSource":
                project.other_sources += 1
                continue
            source = self.read_source(el, project)
            if source is not None:
                project.sources.append(source)
        for el in self.children(self.child(root, "Cases"), "Case"):
            project.cases.append(
                Case(
                    guid=el.get("guid", ""),
                    name=el.get("name") or "case",
                    description=_text(self.child(el, "Description")),
                    sources=[r.get("targetGUID", "") for r in self.children(el, "SourceRef")],
                    selections=[r.get("targetGUID", "") for r in self.children(el, "SelectionRef")],
                    variables=self.read_variables(el),
                    notes=self.note_refs(el),
                )
            )
        for el in self.children(self.child(root, "Notes"), "Note"):
            text = self.note_text(el)
            if text:
                project.notes[el.get("guid", "")] = Note(
                    guid=el.get("guid", ""),
                    name=el.get("name"),
                    text=text,
                    user=el.get("creatingUser"),
                    created=el.get("creationDateTime"),
                )
        project.project_notes = len(self.note_refs(root))
        project.sets = len(self.children(self.child(root, "Sets"), "Set"))
        project.links = len(self.children(self.child(root, "Links"), "Link"))
        project.graphs = len(self.children(self.child(root, "Graphs"), "Graph"))
        return project

    def read_codes(
        self,
        parent_el: Element | None,
        codes: dict[str, Code],
        parent: Code | None = None,
    ) -> None:
        if parent_el is None:
            return
        holder = self.child(parent_el, "Codes") if parent is None else parent_el
        for el in self.children(holder, "Code"):
            name = (el.get("name") or "").strip()
            if not name:
                raise self.error(f"a code (guid {el.get('guid')}) has no name")
            code = Code(
                guid=el.get("guid", ""),
                name=name,
                path=(*parent.path, name) if parent else (name,),
                parent=parent.guid if parent else None,
                description=_text(self.child(el, "Description")),
                notes=self.note_refs(el),
            )
            codes[code.guid] = code
            self.read_codes(el, codes, code)

    def note_refs(self, el: Element) -> list[str]:
        return [r.get("targetGUID", "") for r in self.children(el, "NoteRef")]

    def note_text(self, el: Element) -> str | None:
        inline = _text(self.child(el, "PlainTextContent"))
        if inline is not None:
            return inline
        path = el.get("plainTextPath") or ""
        if path.startswith("internal://"):
            text = self.archive.source_text(path)
            return text.strip() if text and text.strip() else None
        return _text(self.child(el, "Description"))

    def read_variables(self, el: Element) -> dict[str, object]:
        values: dict[str, object] = {}
        for vv in self.children(el, "VariableValue"):
            ref = self.child(vv, "VariableRef")
            name = self.variables.get(ref.get("targetGUID", "") if ref is not None else "")
            if name is None:
                continue
            for kind in ("Text", "Boolean", "Integer", "Float", "Date", "DateTime"):
                value_el = self.child(vv, f"{kind}Value")
                if value_el is None or value_el.text is None:
                    continue
                raw = value_el.text.strip()
                value: object = raw
                try:
                    if kind == "Boolean":
                        value = raw.casefold() in ("true", "1")
                    elif kind == "Integer":
                        value = int(raw)
                    elif kind == "Float":
                        value = float(raw)
                except ValueError:
                    value = raw
                values[name] = value
        return values

    def read_source(self, el: Element, project: Project) -> Source | None:
        name = el.get("name") or el.get("guid") or "source"
        path = el.get("plainTextPath")
        inline = self.child(el, "PlainTextContent")
        if path and path.startswith("internal://"):
            text = self.archive.source_text(path)
            if text is None:
                raise self.error(
                    f"text source {name!r} points at {path}, which the archive does not hold",
                    hint="re-export the project with its sources included",
                )
        elif inline is not None:
            text = inline.text or ""
        else:
            project.external_sources += 1  # a file on the exporter's disk: never read
            return None
        source = Source(
            guid=el.get("guid", ""),
            name=name,
            text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            description=_text(self.child(el, "Description")),
            codings=self.read_codings(el),
            variables=self.read_variables(el),
            notes=self.note_refs(el),
        )
        to_cp = _utf16_to_code_points(text) if self.nvivo else None
        for sel in self.children(el, "PlainTextSelection"):
            try:
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            except ValueError:
                raise self.error(
                    f"selection {sel.get('guid')} in source {name!r} has no whole-number "
                    "startPosition/endPosition"
                ) from None
            if to_cp is not None:
                start, end = to_cp(start), to_cp(end)
            if not 0 <= start <= end <= len(text):
                raise self.error(
                    f"selection {sel.get('guid')} in source {name!r} runs from {start} to "
                    f"{end}, outside the source's {len(text)} characters",
                    hint="the export is damaged or counts positions another way: re-export it",
                )
            if start == end:
                project.zero_length += 1
                continue
            source.selections.append(
                Selection(
                    guid=sel.get("guid", ""),
                    start=start,
                    end=end,
                    user=sel.get("creatingUser"),
                    created=sel.get("creationDateTime"),
                    description=_text(self.child(sel, "Description")),
                    codings=self.read_codings(sel),
                    notes=self.note_refs(sel),
                )
            )
        return source

    def read_codings(self, el: Element) -> list[Coding]:
        out = []
        for c in self.children(el, "Coding"):
            ref = self.child(c, "CodeRef")
            if ref is None:
                continue
            out.append(
                Coding(ref.get("targetGUID", ""), c.get("creatingUser"), c.get("creationDateTime"))
            )
        return out


def _utf16_to_code_points(text: str) -> Callable[[int], int]:
    """A function from a UTF-16 code-unit offset (NVivo) to a code-point offset."""
    astral: list[int] = []  # UTF-16 offsets just after each character outside the BMP
    units = 0
    for ch in text:
        units += 2 if ord(ch) > 0xFFFF else 1
        if ord(ch) > 0xFFFF:
            astral.append(units)

    def convert(offset: int) -> int:
        return offset - bisect_right(astral, offset)

    return convert
