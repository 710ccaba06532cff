"""Pages to HTML (Jinja2, every value escaped), and the search index as a script that sets a
global (a JSON file cannot be fetched from file:// in Chromium)."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from importlib.resources import files
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from jinja2 import Environment, Template

from .collect import RATING_CLASSES
from .pages import Page, Part

__all__ = ["STATIC_FILES", "render_page", "search_index", "static_file"]

STATIC_FILES = ("site.css", "search.js")

_LEGEND = [(text, cls, meaning) for text, (cls, meaning) in RATING_CLASSES.items()] + [
    ("–", "r-none", "not rated")
]


def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("ipskg.export.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def relative(href: str, page_path: str) -> str:
    """A site path (``study/x.html#a``) as seen from the page at ``page_path``; an http(s)
    URL unchanged."""
    if href.startswith(("http://", "https://")):
        return href
    depth = page_path.count("/")
    if not href:
        return "../" * depth
    target, _, fragment = href.partition("#")
    start = posixpath.dirname(page_path) or "."
    out = posixpath.relpath(target, start) if target else ""
    return out + (f"#{fragment}" if fragment else "")


def _parts_renderer(page_path: str) -> Callable[[list[Part]], Markup]:
    def render(parts: list[Part]) -> Markup:
        out = []
        for p in parts:
            attrs = ""
            if p.cls:
                attrs += f' class="{escape(p.cls)}"'
            if p.title:
                attrs += f' title="{escape(p.title)}"'
            if p.href is not None:
                if p.title:  # a link's tooltip is read out too (a hover is not for everyone)
                    attrs += f' aria-label="{escape(p.text)}: {escape(p.title)}"'
                out.append(
                    f'<a href="{escape(relative(p.href, page_path))}"{attrs}>{escape(p.text)}</a>'
                )
            elif attrs:
                out.append(f"<span{attrs}>{escape(p.text)}</span>")
            else:
                out.append(str(escape(p.text)))
        return Markup("".join(out))

    return render


_TEMPLATE: Template | None = None


def render_page(page: Page, version: str) -> bytes:
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = _env().get_template("page.html")
    html = _TEMPLATE.render(
        page=page,
        rel=lambda href: relative(href, page.path),
        parts=_parts_renderer(page.path),
        stem=page.path.removesuffix(".html"),
        legend=_LEGEND,
        version=version,
    )
    return html.encode("utf-8")


def search_index(pages: list[Page]) -> bytes:
    """``search-index.js``: ``window.IPSKG_SEARCH = [[label, kind, path], …]``."""
    entries = sorted(
        [p.search_label or p.title, p.kind, p.path] for p in pages if p.kind != "index"
    )
    entries += sorted([label, kind, path] for p in pages for label, kind, path in p.search_extra)
    body = json.dumps(entries, ensure_ascii=True, separators=(",", ":"))
    # ensure_ascii and no '</' keep the script inert whatever the labels hold
    body = body.replace("</", "<\\/")
    return f"window.IPSKG_SEARCH = {body};\n".encode()


def static_file(name: str) -> bytes:
    return files("ipskg.export.site").joinpath("static", name).read_bytes()
