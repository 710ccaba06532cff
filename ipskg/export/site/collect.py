"""Read the site's pages out of the built graph: a study, its units (cases and case groups),
quotes, themes, findings and outcomes, and every CFIR construct with evidence. Each fact is
shown with the source location it was derived from and links to the quotes behind it.

Ratings are listed one by one, each naming its study and unit; none is ever added up or
averaged across units or studies."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from ipskg.export.matrix import _notation_key as notation_key
from ipskg.model.namespaces import STUDY
from ipskg.model.terms import IPSKG

from .pages import Part, Row

__all__ = [
    "RATING_CLASSES",
    "evidence_parts",
    "label",
    "rating_class",
    "rating_of",
    "record_path",
    "safe_name",
    "studies",
    "study_id",
    "study_path",
    "subgraph",
    "web_link",
]

RATING_CLASSES = {
    "+2": ("r-p2", "strong facilitator"),
    "+1": ("r-p1", "weak facilitator"),
    "0": ("r-0", "neutral"),
    "-1": ("r-m1", "weak barrier"),
    "-2": ("r-m2", "strong barrier"),
    "X": ("r-x", "mixed"),
    "M": ("r-miss", "missing: not enough information to rate"),
}
"""Each rating's CSS class (its colour in ``site.css``) and what it means."""

_PAGE_OF_KIND = {"case": "unit", "group": "unit", "quote": "quote", "theme": "theme"}


def label(g: Graph, x: URIRef) -> str:
    """A node's label for people: rdfs:label, skos:prefLabel, dcterms:title, else its IRI's
    last segment."""
    for p in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
        values = sorted(str(v) for v in g.objects(x, p))
        if values:
            return values[0]
    return str(x).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def value_text(g: Graph, x: URIRef, p: URIRef) -> str:
    value = g.value(x, p)
    return "" if value is None else str(value)


def record_parts(iri: URIRef) -> tuple[str, str, str] | None:
    """(study id, kind, record id) of a record IRI ``<study>/<kind>/<id>``."""
    text = str(iri)
    if not text.startswith(str(STUDY)):
        return None
    parts = text[len(str(STUDY)) :].split("/")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def record_path(iri: URIRef) -> str | None:
    """The site path of a record's page (a case, group, quote or theme), else None."""
    found = record_parts(iri)
    if found is None or found[1] not in _PAGE_OF_KIND:
        return None
    sid, kind, rid = safe_name(found[0]), found[1], safe_name(found[2])
    page = _PAGE_OF_KIND[kind]
    return f"{page}/{sid}/{kind}-{rid}.html" if page == "unit" else f"{page}/{sid}/{rid}.html"


def safe_name(text: str) -> str:
    """``text`` as a file name in the site: as it is when it is a plain name (letters, digits,
    ``.``, ``_``, ``-``, not starting with a dot), else a name made from its hash, so that no
    value in a graph can name a path outside its folder."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", text):
        return text
    return "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def study_path(sid: str) -> str:
    return f"study/{safe_name(sid)}.html"


def web_link(iri: object) -> Part:
    """An IRI as text, a link only when it is an http(s) URL."""
    text = str(iri)
    return Part(text, text if text.startswith(("https://", "http://")) else None)


def construct_path(c: URIRef) -> str:
    return f"construct/{safe_name(str(c).rsplit('/', 1)[-1])}.html"


def study_id(g: Graph, s: URIRef) -> str:
    return value_text(g, s, DCTERMS.identifier) or str(s).rsplit("/", 1)[-1]


def studies(g: Graph) -> list[URIRef]:
    return sorted(
        (s for s in g.subjects(RDF.type, IPSKG.Study) if isinstance(s, URIRef)),
        key=lambda s: study_id(g, s),
    )


def of_type(g: Graph, cls: URIRef, study: URIRef) -> list[URIRef]:
    found = [x for x in g.subjects(RDF.type, cls) if (x, IPSKG.inStudy, study) in g]
    return sorted((x for x in found if isinstance(x, URIRef)), key=position_key(g))


def position_key(g: Graph) -> Callable[[URIRef], tuple[int, str]]:
    def key(x: URIRef) -> tuple[int, str]:
        pos = g.value(x, IPSKG.positionInSource)
        return (int(pos) if isinstance(pos, Literal) and str(pos).isdigit() else 10**6, str(x))

    return key


def link(g: Graph, x: URIRef, text: str | None = None) -> Part:
    return Part(text or label(g, x), record_path(x))


def subgraph(g: Graph, *subjects: URIRef) -> Graph:
    """The concise bounded descriptions of ``subjects`` with those of the source locations
    they were derived from (and of those locations' selectors)."""
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns, override=True)
    seen: set[URIRef] = set()
    todo = list(subjects)
    while todo:
        x = todo.pop()
        if x in seen:
            continue
        seen.add(x)
        for t in g.cbd(x):
            out.add(t)
        if x in subjects or (x, RDF.type, IPSKG.SourceLocation) in g:
            for p in (
                PROV.wasDerivedFrom,
                PROV.used,
                URIRef("http://www.w3.org/ns/oa#hasSelector"),
            ):
                todo.extend(
                    o
                    for o in g.objects(x, p)
                    if isinstance(o, URIRef) and (o, IPSKG.inStudy, None) not in g
                )
    return out


# -- source locations and evidence -------------------------------------------------------------

OA_NS = "http://www.w3.org/ns/oa#"


def location_parts(g: Graph, loc: URIRef) -> list[Part]:
    """A source location as text: section, locator, kind of source, and the publication (a DOI
    link)."""
    section = value_text(g, loc, IPSKG.section) or "section not stated"
    parts = [Part(section, cls="loc-section", title="section")]
    locator = value_text(g, loc, IPSKG.locator)
    if locator:
        parts.append(Part(f" · {locator}", cls="loc-locator", title="locator"))
    kind = g.value(loc, IPSKG.sourceKind)
    if isinstance(kind, URIRef):
        parts.append(
            Part(f" · {value_text(g, kind, SKOS.notation) or label(g, kind)}", title="kind")
        )
    pub = g.value(loc, URIRef(OA_NS + "hasSource"))
    if isinstance(pub, URIRef):
        parts.append(Part(" · "))
        text = str(pub).replace("https://doi.org/", "doi:")
        href = str(pub) if str(pub).startswith(("https://", "http://")) else None
        parts.append(Part(text, href, cls="loc-doi"))
    return parts


def locations(g: Graph, x: URIRef) -> list[URIRef]:
    return sorted(
        o
        for p in (PROV.wasDerivedFrom, PROV.used)
        for o in g.objects(x, p)
        if isinstance(o, URIRef) and (o, RDF.type, IPSKG.SourceLocation) in g
    )


def _quotes(g: Graph, x: URIRef) -> list[URIRef]:
    found = {
        o
        for p in (PROV.wasDerivedFrom, IPSKG.evidenceQuote)
        for o in g.objects(x, p)
        if isinstance(o, URIRef) and (o, RDF.type, IPSKG.Quote) in g
    }
    return sorted(found, key=position_key(g))


def evidence_parts(g: Graph, x: URIRef) -> list[Part]:
    """Where a fact comes from: each source location, then a link to each quote behind it."""
    parts: list[Part] = []
    for loc in locations(g, x):
        if parts:
            parts.append(Part("; "))
        parts.extend(location_parts(g, loc))
    for q in _quotes(g, x):
        rid = (record_parts(q) or ("", "", label(g, q)))[2]
        parts.append(Part(" "))
        parts.append(Part(f"quote {rid}", record_path(q), cls="quote-link"))
    return parts or [Part("no source location recorded")]


# -- ratings -------------------------------------------------------------------------------------


def rating_of(g: Graph, obs: URIRef) -> str:
    """A rating as the CFIR scheme writes it (+2, -1, 0, X, M), from valence and strength."""
    valence = g.value(obs, IPSKG.valence)
    text = value_text(g, valence, SKOS.notation) if isinstance(valence, URIRef) else "?"
    strength = g.value(obs, IPSKG.strength)
    return text + (str(strength) if strength is not None else "")


def rating_class(rating: str) -> tuple[str, str]:
    return RATING_CLASSES.get(rating, ("r-other", "rating"))


def rating_part(rating: str, href: str | None = None) -> Part:
    cls, meaning = rating_class(rating)
    return Part(rating, href, cls=f"rating {cls}", title=meaning)


def observations(g: Graph, study: URIRef | None = None) -> list[URIRef]:
    found = [
        o
        for o in g.subjects(RDF.type, IPSKG.DeterminantObservation)
        if isinstance(o, URIRef) and (study is None or (o, IPSKG.inStudy, study) in g)
    ]
    return sorted(found)


def _phase(g: Graph, obs: URIRef) -> str:
    ph = g.value(obs, IPSKG.phase)
    return value_text(g, ph, SKOS.notation) if isinstance(ph, URIRef) else ""


def _role(g: Graph, obs: URIRef) -> list[Part]:
    role = g.value(obs, IPSKG.forRole)
    return [Part(label(g, role))] if isinstance(role, URIRef) else []


def obs_anchor(g: Graph, obs: URIRef) -> str:
    return "obs-" + ((record_parts(obs) or ("", "", "x"))[2])


def rating_rows(g: Graph, obs_list: Iterable[URIRef], first: str) -> tuple[list[Row], list[str]]:
    """Rows of a ratings table: the first column is the construct or the study and unit."""
    rows: list[Row] = []
    ids: list[str] = []
    for obs in obs_list:
        c = g.value(obs, IPSKG.construct)
        unit = g.value(obs, IPSKG.observedIn)
        study = g.value(obs, IPSKG.inStudy)
        unit_href = record_path(unit) if isinstance(unit, URIRef) else None
        href = f"{unit_href}#{obs_anchor(g, obs)}" if unit_href else None
        if first == "construct" and isinstance(c, URIRef):
            head = [Part(f"{value_text(g, c, SKOS.notation)} {label(g, c)}", construct_path(c))]
        else:
            sid = study_id(g, study) if isinstance(study, URIRef) else "?"
            head = [Part(sid, study_path(sid))]
        unit_parts = [link(g, unit)] if isinstance(unit, URIRef) else []
        rows.append(
            [
                head,
                *([] if first == "construct" else [unit_parts]),
                *([unit_parts] if first == "construct" else []),
                _role(g, obs),
                [Part(_phase(g, obs))],
                [rating_part(rating_of(g, obs), href)],
                [Part(value_text(g, obs, IPSKG.summary))],
                evidence_parts(g, obs),
            ]
        )
        ids.append(obs_anchor(g, obs))
    return rows, ids


RATING_COLUMNS = ["unit", "role", "phase", "rating", "summary", "source and quotes"]


def construct_order(g: Graph, c: URIRef) -> tuple[object, ...]:
    return notation_key(value_text(g, c, SKOS.notation))


def constructs_with_evidence(g: Graph) -> list[URIRef]:
    found = {g.value(o, IPSKG.construct) for o in observations(g)}
    return sorted((c for c in found if isinstance(c, URIRef)), key=lambda c: construct_order(g, c))
