"""The content of a site page, independent of HTML: sections of facts, tables and figures whose
cells are runs of text and links (paths from the site's root, made relative when rendered)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

__all__ = ["Figure", "Page", "Part", "Row", "Section", "Table"]


@dataclass(frozen=True)
class Part:
    """A run of text, a link when ``href`` is set (a site path, or an http(s) URL); ``cls`` is
    a CSS class (a rating colour), ``title`` a tooltip."""

    text: str
    href: str | None = None
    cls: str = ""
    title: str = ""


Row = list[list[Part]]


@dataclass
class Table:
    """A table whose first column heads its rows (``th scope="row"``)."""

    caption: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    cls: str = ""
    cell_ids: list[str] = field(default_factory=list)  # an anchor id per row, or ""


@dataclass
class Figure:
    """A diagram drawn from the graph: an image with its alt text, and other formats."""

    src: str
    alt: str
    caption: str
    formats: list[Part] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    facts: list[tuple[str, list[Part]]] = field(default_factory=list)
    text: list[list[Part]] = field(default_factory=list)
    quote: str = ""
    table: Table | None = None
    figure: Figure | None = None
    code: str = ""
    legend: bool = False
    anchor: str = ""


@dataclass
class Page:
    """One HTML page at ``path`` (e.g. ``study/harkko-2025.html``); ``graph`` is what its Turtle
    and JSON-LD files hold (None: the page offers none), ``downloads`` other files beside it."""

    path: str
    title: str
    kind: str
    sections: list[Section] = field(default_factory=list)
    intro: list[Part] = field(default_factory=list)
    graph: Graph | None = None
    downloads: list[Part] = field(default_factory=list)
    search_label: str = ""
    search_extra: list[tuple[str, str, str]] = field(default_factory=list)
    """More (label, kind, path#anchor) entries for the search box: terms documented on the
    page."""
