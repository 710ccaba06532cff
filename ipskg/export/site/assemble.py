"""Every file of the evidence site from the graph: the pages, each page's Turtle and JSON-LD,
the diagrams, the search index and the static files."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, Graph, URIRef

from ipskg.export.dump import jsonld_bytes
from ipskg.io.writers import serialize
from ipskg.model.terms import IPSKG
from ipskg.sparql.catalogue import CompetencyQuery, catalogue
from ipskg.sparql.store import Store

from .collect import construct_path, observations, safe_name, studies, study_id
from .diagrams import matrix_svg, model_dot, run_dot, svg_png, unit_profile
from .grid import cross_study_matrix, study_matrix
from .ontodoc import OntologyDoc, modules, ontology_pages, search_entries
from .outcomes import outcomes_page
from .overview import cross_matrix_page, index_page, model_page, question_page, study_page
from .pages import Figure, Page, Part, Section
from .records import construct_pages, quote_pages, theme_pages, unit_pages
from .render import STATIC_FILES, render_page, search_index, static_file
from .vocabpages import mapping_set_pages, strategy_pages, strategy_path, strategy_uses

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


def _svg_figure(site: Site, stem: str, svg: bytes, alt: str, caption: str) -> Figure:
    """An SVG drawn here, with its PNG copy when cairosvg can make one."""
    site.files[f"{stem}.svg"] = svg
    formats = [Part("SVG", f"{stem}.svg")]
    png = svg_png(svg)
    if png is not None:
        site.files[f"{stem}.png"] = png
        formats.append(Part("PNG", f"{stem}.png"))
    elif not any(note.startswith("PNG copies") for note in site.left_out):
        site.left_out.append(
            "PNG copies of the matrices and plots: cairosvg is not installed "
            "(pip install 'ipskg[site]')"
        )
    return Figure(f"{stem}.svg", alt, caption, formats)


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


def _vocabulary_pages(site: Site, g: Graph) -> list[Page]:
    """The ontology's documentation, a page per ERIC strategy and per mapping set; each
    concept of a scheme links to the evidence pages this graph gives it."""
    from ipskg.model.resources import ontology_files
    from ipskg.vocab.ontology import ontology_graph

    doc = OntologyDoc(ontology_graph())
    ratings: dict[URIRef, int] = {}
    for obs in observations(g):
        c = g.value(obs, IPSKG.construct)
        if isinstance(c, URIRef):
            ratings[c] = ratings.get(c, 0) + 1
    uses = strategy_uses(g)

    def evidence(concept: URIRef) -> list[Part]:
        if concept in ratings:
            n = ratings[concept]
            return [Part(f"{n} rating{'' if n == 1 else 's'}", construct_path(concept))]
        if (concept, RDF.type, IPSKG.ImplementationStrategy) in doc.graph:
            n = len(uses.get(concept, []))
            return [Part(f"{n} reported use{'' if n == 1 else 's'}", strategy_path(concept))]
        return []

    mapping, files = mapping_set_pages(doc)
    site.files.update(files)
    listed = [(p.title.removeprefix("Mapping set: "), p.path, _rows(p)) for p in mapping]
    pages = ontology_pages(doc, modules(ontology_files()), evidence, listed)
    pages[0].search_extra = search_entries(doc)
    return [*pages, *strategy_pages(g, doc), *mapping]


def _rows(page: Page) -> int:
    return sum(len(s.table.rows) for s in page.sections if s.table is not None)


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
        figure = None
        if m.rows:
            svg, alt = matrix_svg(m)
            figure = _svg_figure(
                site,
                f"img/matrix-{safe_name(sid)}",
                svg,
                alt,
                f"The same matrix as a picture ({sid})",
            )
        profiles: dict[URIRef, Figure] = {}
        for unit in m.units:
            rid = str(unit).rstrip("/").rsplit("/", 1)[-1]
            svg, alt = matrix_svg(unit_profile(m, unit))
            profiles[unit] = _svg_figure(
                site,
                f"img/profile-{safe_name(sid)}-{safe_name(rid)}",
                svg,
                alt,
                f"Profile of {m.labels[unit]}: its ratings as a picture",
            )
        pages.append(study_page(g, s, m, figure))
        pages.extend(unit_pages(g, s, profiles))
        pages.extend(quote_pages(g, s))
        pages.extend(theme_pages(g, s))
    pages.extend(construct_pages(g))
    cross = cross_study_matrix(g, studies(g))
    cross_figure = None
    if cross.rows:
        svg, alt = matrix_svg(cross)
        cross_figure = _svg_figure(
            site, "img/matrix-all-studies", svg, alt, "The same ratings as a picture"
        )
    pages.append(cross_matrix_page(g, studies(g), cross_figure))
    outcome_page, plots = outcomes_page(g)
    for section in outcome_page.sections:
        if section.figure is not None:
            stem = section.figure.src.removesuffix(".svg")
            f = section.figure
            section.figure = _svg_figure(site, stem, plots[f.src], f.alt, f.caption)
    pages.append(outcome_page)
    pages.extend(_vocabulary_pages(site, g))
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
