"""Every file of the evidence site from the graph: the pages, each page's Turtle and JSON-LD,
the diagrams, the search index and the static files."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from ipskg.export.dump import jsonld_bytes
from ipskg.io.writers import serialize
from ipskg.sparql.catalogue import CompetencyQuery, catalogue
from ipskg.sparql.store import Store

from .collect import safe_name, studies, study_id
from .diagrams import matrix_svg, model_dot, run_dot
from .grid import study_matrix
from .overview import cross_matrix_page, index_page, model_page, question_page, study_page
from .pages import Figure, Page, Part, Section
from .records import construct_pages, quote_pages, theme_pages, unit_pages
from .render import STATIC_FILES, render_page, search_index, static_file

__all__ = ["SEED_STUDY", "Site", "questions", "site_files"]

SEED_STUDY = "harkko-2025"
"""The study whose themes and pathways draw the conceptual model."""


@dataclass
class Site:
    files: dict[str, bytes] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for p in self.pages if p.kind == kind)


def questions() -> list[CompetencyQuery]:
    """The competency questions of queries/cq, by name."""
    return [q for name, q in sorted(catalogue().items()) if q.path.parent.name == "cq"]


def _dot_figure(site: Site, stem: str, source: str, alt: str, caption: str) -> Figure | None:
    svg = run_dot(source, "svg")
    if svg is None:
        site.left_out.append(f"{stem}.svg ({caption}): Graphviz dot is not installed or failed")
        return None
    site.files[f"{stem}.svg"] = svg
    site.files[f"{stem}.dot"] = source.encode("utf-8")
    formats = [Part("SVG", f"{stem}.svg"), Part("Graphviz source", f"{stem}.dot")]
    png = run_dot(source, "png")
    if png is not None:
        site.files[f"{stem}.png"] = png
        formats.insert(1, Part("PNG", f"{stem}.png"))
    return Figure(f"{stem}.svg", alt, caption, formats)


def site_files(g: Graph, store: Store, version: str) -> Site:
    """The whole site as {path: bytes}; ``left_out`` names any diagram that could not be drawn."""
    site = Site()
    pages = site.pages
    seed: URIRef | None = None
    for s in studies(g):
        sid = study_id(g, s)
        if sid == SEED_STUDY:
            seed = s
        m = study_matrix(g, s, sid)
        svg_path = f"img/matrix-{safe_name(sid)}.svg"
        figure = None
        if m.rows:
            svg, alt = matrix_svg(m)
            site.files[svg_path] = svg
            figure = Figure(
                svg_path,
                alt,
                f"The same matrix as a picture ({sid})",
                [Part("SVG", svg_path)],
            )
        pages.append(study_page(g, s, m, figure))
        pages.extend(unit_pages(g, s))
        pages.extend(quote_pages(g, s))
        pages.extend(theme_pages(g, s))
    pages.extend(construct_pages(g))
    pages.append(cross_matrix_page(g, studies(g)))
    if seed is not None:
        source, alt = model_dot(g, seed)
        figure = _dot_figure(
            site, "img/model", source, alt, "The conceptual model, drawn from the graph"
        )
        note = "" if figure else "The diagram was left out: Graphviz dot is not installed."
        pages.append(model_page(g, seed, figure, note))
    else:  # the page stays, since every page links to it
        note = f"The seed study {SEED_STUDY} is not in this graph, so no model is drawn."
        site.left_out.append(
            f"the conceptual model: the seed study {SEED_STUDY} is not in the graph"
        )
        pages.append(
            Page(
                "model.html",
                "Conceptual model: leadership pathways to IPS sustainment",
                "model",
                [Section("Pathways and their practices", text=[[Part(note)]])],
            )
        )
    qs = questions()
    for q in qs:
        page, extra = question_page(q, store, g)
        pages.append(page)
        site.files.update(extra)
    pages.append(index_page(g, qs))
    for page in pages:
        site.files[page.path] = render_page(page, version)
        if page.graph is not None:
            stem = page.path.removesuffix(".html")
            site.files[f"{stem}.ttl"] = serialize(page.graph, "ttl")
            site.files[f"{stem}.jsonld"] = jsonld_bytes(page.graph, inline_context=True)
    site.files["search-index.js"] = search_index(pages)
    for name in STATIC_FILES:
        site.files[name] = static_file(name)
    return site
