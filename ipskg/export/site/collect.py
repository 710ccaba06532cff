"""Read the site's pages out of the built graph: a study, its units (cases and case groups),
quotes, themes, findings and outcomes, and every CFIR construct with evidence. Each fact is
shown with the source location it was derived from and links to the quotes behind it.

Ratings are listed one by one, each naming its study and unit; none is ever added up or
averaged across units or studies."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from ipskg.export.matrix import _notation_key as notation_key
from ipskg.model.namespaces import STUDY
from ipskg.model.terms import IPSKG

from .pages import Page, Part, Row, Section, Table

__all__ = [
    "RATING_CLASSES",
    "construct_pages",
    "evidence_parts",
    "label",
    "quote_pages",
    "rating_class",
    "rating_of",
    "record_path",
    "safe_name",
    "studies",
    "study_id",
    "study_path",
    "subgraph",
    "theme_pages",
    "unit_pages",
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


def _one(g: Graph, x: URIRef, p: URIRef) -> str:
    value = g.value(x, p)
    return "" if value is None else str(value)


def _record(iri: URIRef) -> tuple[str, str, str] | None:
    """(study id, kind, record id) of a record IRI ``<study>/<kind>/<id>``."""
    text = str(iri)
    if not text.startswith(str(STUDY)):
        return None
    parts = text[len(str(STUDY)) :].split("/")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def record_path(iri: URIRef) -> str | None:
    """The site path of a record's page (a case, group, quote or theme), else None."""
    found = _record(iri)
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
    return _one(g, s, DCTERMS.identifier) or str(s).rsplit("/", 1)[-1]


def studies(g: Graph) -> list[URIRef]:
    return sorted(
        (s for s in g.subjects(RDF.type, IPSKG.Study) if isinstance(s, URIRef)),
        key=lambda s: study_id(g, s),
    )


def _of_type(g: Graph, cls: URIRef, study: URIRef) -> list[URIRef]:
    found = [x for x in g.subjects(RDF.type, cls) if (x, IPSKG.inStudy, study) in g]
    return sorted((x for x in found if isinstance(x, URIRef)), key=_position_key(g))


def _position_key(g: Graph) -> Callable[[URIRef], tuple[int, str]]:
    def key(x: URIRef) -> tuple[int, str]:
        pos = g.value(x, IPSKG.positionInSource)
        return (int(pos) if isinstance(pos, Literal) and str(pos).isdigit() else 10**6, str(x))

    return key


def _link(g: Graph, x: URIRef, text: str | None = None) -> Part:
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

_OA = "http://www.w3.org/ns/oa#"


def location_parts(g: Graph, loc: URIRef) -> list[Part]:
    """A source location as text: section, locator, kind of source, and the publication (a DOI
    link)."""
    section = _one(g, loc, IPSKG.section) or "section not stated"
    parts = [Part(section, cls="loc-section", title="section")]
    locator = _one(g, loc, IPSKG.locator)
    if locator:
        parts.append(Part(f" · {locator}", cls="loc-locator", title="locator"))
    kind = g.value(loc, IPSKG.sourceKind)
    if isinstance(kind, URIRef):
        parts.append(Part(f" · {_one(g, kind, SKOS.notation) or label(g, kind)}", title="kind"))
    pub = g.value(loc, URIRef(_OA + "hasSource"))
    if isinstance(pub, URIRef):
        parts.append(Part(" · "))
        text = str(pub).replace("https://doi.org/", "doi:")
        href = str(pub) if str(pub).startswith(("https://", "http://")) else None
        parts.append(Part(text, href, cls="loc-doi"))
    return parts


def _locations(g: Graph, x: URIRef) -> list[URIRef]:
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
    return sorted(found, key=_position_key(g))


def evidence_parts(g: Graph, x: URIRef) -> list[Part]:
    """Where a fact comes from: each source location, then a link to each quote behind it."""
    parts: list[Part] = []
    for loc in _locations(g, x):
        if parts:
            parts.append(Part("; "))
        parts.extend(location_parts(g, loc))
    for q in _quotes(g, x):
        rid = (_record(q) or ("", "", label(g, q)))[2]
        parts.append(Part(" "))
        parts.append(Part(f"quote {rid}", record_path(q), cls="quote-link"))
    return parts or [Part("no source location recorded")]


# -- ratings -------------------------------------------------------------------------------------


def rating_of(g: Graph, obs: URIRef) -> str:
    """A rating as the CFIR scheme writes it (+2, -1, 0, X, M), from valence and strength."""
    valence = g.value(obs, IPSKG.valence)
    text = _one(g, valence, SKOS.notation) if isinstance(valence, URIRef) else "?"
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
    return _one(g, ph, SKOS.notation) if isinstance(ph, URIRef) else ""


def _role(g: Graph, obs: URIRef) -> list[Part]:
    role = g.value(obs, IPSKG.forRole)
    return [Part(label(g, role))] if isinstance(role, URIRef) else []


def obs_anchor(g: Graph, obs: URIRef) -> str:
    return "obs-" + ((_record(obs) or ("", "", "x"))[2])


def _rating_rows(g: Graph, obs_list: Iterable[URIRef], first: str) -> tuple[list[Row], list[str]]:
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
            head = [Part(f"{_one(g, c, SKOS.notation)} {label(g, c)}", construct_path(c))]
        else:
            sid = study_id(g, study) if isinstance(study, URIRef) else "?"
            head = [Part(sid, study_path(sid))]
        unit_parts = [_link(g, unit)] if isinstance(unit, URIRef) else []
        rows.append(
            [
                head,
                *([] if first == "construct" else [unit_parts]),
                *([unit_parts] if first == "construct" else []),
                _role(g, obs),
                [Part(_phase(g, obs))],
                [rating_part(rating_of(g, obs), href)],
                [Part(_one(g, obs, IPSKG.summary))],
                evidence_parts(g, obs),
            ]
        )
        ids.append(obs_anchor(g, obs))
    return rows, ids


RATING_COLUMNS = ["unit", "role", "phase", "rating", "summary", "source and quotes"]


# -- pages ---------------------------------------------------------------------------------------


def _units(g: Graph, study: URIRef) -> list[URIRef]:
    return _of_type(g, IPSKG.Case, study) + _of_type(g, IPSKG.CaseGroup, study)


def unit_pages(g: Graph, study: URIRef) -> Iterator[Page]:
    sid = study_id(g, study)
    obs_by_unit: dict[URIRef, list[URIRef]] = defaultdict(list)
    for obs in observations(g, study):
        unit = g.value(obs, IPSKG.observedIn)
        if isinstance(unit, URIRef):
            obs_by_unit[unit].append(obs)
    for unit in _units(g, study):
        path = record_path(unit)
        if path is None:
            continue
        kind = "case" if (unit, RDF.type, IPSKG.Case) in g else "case group"
        facts: list[tuple[str, list[Part]]] = [
            ("study", [Part(sid, study_path(sid))]),
            ("kind", [Part(kind)]),
        ]
        for p, name in (
            (IPSKG.declaredRobustness, "robustness"),
            (IPSKG.groupRobustness, "robustness"),
        ):
            level = g.value(unit, p)
            if isinstance(level, URIRef):
                facts.append((name, [Part(_one(g, level, SKOS.notation) or label(g, level))]))
        members = sorted(m for m in g.objects(unit, IPSKG.hasMemberCase) if isinstance(m, URIRef))
        if members:
            facts.append(("member cases", _joined(g, members)))
        facts.append(("source", evidence_parts(g, unit)))
        rows, ids = _rating_rows(g, obs_by_unit.get(unit, []), "construct")
        ratings = Table(
            f"CFIR ratings of {label(g, unit)}",
            ["construct", *RATING_COLUMNS[1:]],
            [r[:1] + r[2:] for r in rows],
            cls="ratings",
            cell_ids=ids,
        )
        quotes = [q for q in _of_type(g, IPSKG.Quote, study) if (q, IPSKG.fromGroup, unit) in g]
        findings = [
            f for f in _of_type(g, IPSKG.Finding, study) if (f, IPSKG.concernsGroup, unit) in g
        ]
        sections = [
            Section("About", facts=facts),
            Section("Ratings", table=ratings, legend=True),
        ]
        if quotes:
            sections.append(Section("Quotes from this group", table=quote_table(g, quotes)))
        if findings:
            sections.append(Section("Findings", table=finding_table(g, findings)))
        yield Page(
            path,
            f"{label(g, unit)} ({kind}, {sid})",
            "unit",
            sections,
            graph=subgraph(g, unit, *obs_by_unit.get(unit, [])),
            search_label=f"{label(g, unit)} — {sid}",
        )


def _joined(g: Graph, nodes: Iterable[URIRef]) -> list[Part]:
    parts: list[Part] = []
    for n in nodes:
        if parts:
            parts.append(Part(", "))
        parts.append(_link(g, n))
    return parts


def quote_table(g: Graph, quotes: list[URIRef]) -> Table:
    rows: list[Row] = []
    for q in quotes:
        text = _one(g, q, IPSKG.text)
        short = text if len(text) <= 140 else text[:139] + "…"
        rid = (_record(q) or ("", "", ""))[2]
        rows.append([[_link(g, q, rid)], [Part(short)], _who(g, q), evidence_parts(g, q)])
    return Table("Quotes", ["quote", "text", "who", "source"], rows)


def _who(g: Graph, q: URIRef) -> list[Part]:
    parts: list[Part] = []
    for p in (IPSKG.saidBy, IPSKG.statedRole, IPSKG.fromGroup):
        for o in sorted(o for o in g.objects(q, p) if isinstance(o, URIRef)):
            if parts:
                parts.append(Part(", "))
            parts.append(_link(g, o))
    return parts


def finding_table(g: Graph, findings: list[URIRef]) -> Table:
    rows: list[Row] = []
    for f in findings:
        about = sorted(
            o
            for p in (IPSKG.aboutTheme, IPSKG.concernsGroup)
            for o in g.objects(f, p)
            if isinstance(o, URIRef)
        )
        rows.append(
            [
                [Part((_record(f) or ("", "", "?"))[2])],
                [Part(_one(g, f, IPSKG.statement))],
                _joined(g, about),
                evidence_parts(g, f),
            ]
        )
    return Table("Findings", ["finding", "statement", "about", "source"], rows)


def quote_pages(g: Graph, study: URIRef) -> Iterator[Page]:
    sid = study_id(g, study)
    for q in _of_type(g, IPSKG.Quote, study):
        path = record_path(q)
        if path is None:
            continue
        rid = (_record(q) or ("", "", ""))[2]
        locs = _locations(g, q)
        source = Section("Source location", anchor="source")
        for loc in locs:
            pub = g.value(loc, URIRef(_OA + "hasSource"))
            kind = g.value(loc, IPSKG.sourceKind)
            source.facts += [
                ("section", [Part(_one(g, loc, IPSKG.section) or "not stated")]),
                ("locator", [Part(_one(g, loc, IPSKG.locator) or "none given")]),
                (
                    "kind of source",
                    [Part(_one(g, kind, SKOS.notation) if isinstance(kind, URIRef) else "?")],
                ),
                (
                    "publication",
                    [web_link(pub)] if isinstance(pub, URIRef) else [Part("?")],
                ),
            ]
        if not locs:
            source.facts.append(("source", [Part("no source location recorded")]))
        facts = [("study", [Part(sid, study_path(sid))]), ("who", _who(g, q) or [Part("?")])]
        lang = _one(g, q, IPSKG.translatedFrom)
        if lang:
            facts.append(("translated from", [Part(lang)]))
        themes = sorted(t for t in g.objects(q, IPSKG.supportsTheme) if isinstance(t, URIRef))
        if themes:
            facts.append(("supports", _joined(g, themes)))
        cited = [o for o in observations(g, study) if q in set(g.objects(o, IPSKG.evidenceQuote))]
        sections = [
            Section("Quote", quote=_one(g, q, IPSKG.text)),
            source,
            Section("About", facts=facts),
        ]
        if cited:
            rows, ids = _rating_rows(g, cited, "construct")
            sections.append(
                Section(
                    "Ratings this quote is evidence for",
                    table=Table("Ratings", ["construct", *RATING_COLUMNS], rows, "ratings", ids),
                    legend=True,
                )
            )
        yield Page(
            path,
            f"Quote {rid} ({sid})",
            "quote",
            sections,
            graph=subgraph(g, q),
            search_label=f"quote {rid} — {sid}: {_one(g, q, IPSKG.text)[:60]}",
        )


def theme_pages(g: Graph, study: URIRef) -> Iterator[Page]:
    sid = study_id(g, study)
    themes = _of_type(g, IPSKG.LeadershipApproach, study) + _of_type(g, IPSKG.SubTheme, study)
    for t in themes:
        path = record_path(t)
        if path is None:
            continue
        kind = (
            "leadership approach" if (t, RDF.type, IPSKG.LeadershipApproach) in g else "sub-theme"
        )
        facts = [("study", [Part(sid, study_path(sid))]), ("kind", [Part(kind)])]
        broader = g.value(t, SKOS.broader)
        if isinstance(broader, URIRef):
            facts.append(("approach", [_link(g, broader)]))
        narrower = sorted(
            (n for n in g.subjects(SKOS.broader, t) if isinstance(n, URIRef)), key=_position_key(g)
        )
        if narrower:
            facts.append(("sub-themes", _joined(g, narrower)))
        pw = g.value(t, IPSKG.correspondsToPathway)
        if isinstance(pw, URIRef):
            facts.append(("pathway", [Part(label(g, pw), "model.html")]))
        features = _one(g, t, IPSKG.definingFeatures)
        if features:
            facts.append(("defining features", [Part(features)]))
        facts.append(("source", evidence_parts(g, t)))
        sections = [Section("About", facts=facts)]
        quotes = [q for q in _of_type(g, IPSKG.Quote, study) if (q, IPSKG.supportsTheme, t) in g]
        if quotes:
            sections.append(Section("Quotes", table=quote_table(g, quotes)))
        findings = [f for f in _of_type(g, IPSKG.Finding, study) if (f, IPSKG.aboutTheme, t) in g]
        if findings:
            sections.append(Section("Findings", table=finding_table(g, findings)))
        addressed = [o for o in observations(g, study) if (o, IPSKG.addressedBy, t) in g]
        if addressed:
            rows, ids = _rating_rows(g, addressed, "construct")
            sections.append(
                Section(
                    "Determinants this theme addresses",
                    table=Table("Ratings", ["construct", *RATING_COLUMNS], rows, "ratings", ids),
                    legend=True,
                )
            )
        yield Page(
            path,
            f"{label(g, t)} ({kind}, {sid})",
            "theme",
            sections,
            graph=subgraph(g, t),
            search_label=f"{label(g, t)} — {sid}",
        )


def construct_pages(g: Graph) -> Iterator[Page]:
    """A page per CFIR 2022 construct with at least one rating: every rating, one per row,
    each naming its study and unit."""
    by_construct: dict[URIRef, list[URIRef]] = defaultdict(list)
    for obs in observations(g):
        c = g.value(obs, IPSKG.construct)
        if isinstance(c, URIRef):
            by_construct[c].append(obs)
    for c, obs_list in sorted(by_construct.items(), key=lambda kv: _notation_key(g, kv[0])):
        notation = _one(g, c, SKOS.notation)
        domain = g.value(c, IPSKG.inDomain)
        facts = [("notation", [Part(notation)])]
        if isinstance(domain, URIRef):
            facts.append(("domain", [Part(label(g, domain))]))
        definition = _one(g, c, SKOS.definition)
        if definition:
            facts.append(("definition", [Part(definition)]))
        facts.append(("IRI", [Part(str(c))]))
        obs_list.sort(key=lambda o: (str(g.value(o, IPSKG.inStudy)), str(o)))
        rows, ids = _rating_rows(g, obs_list, "study")
        n_studies = len({g.value(o, IPSKG.inStudy) for o in obs_list})
        yield Page(
            construct_path(c),
            f"{notation} {label(g, c)}",
            "construct",
            [
                Section("About", facts=facts),
                Section(
                    "Ratings across studies",
                    text=[
                        [
                            Part(
                                f"{len(obs_list)} ratings in {n_studies} "
                                f"stud{'y' if n_studies == 1 else 'ies'}, one per row; ratings are "
                                "never added up or averaged across units or studies."
                            )
                        ]
                    ],
                    table=Table(
                        f"Ratings of {label(g, c)}",
                        ["study", *RATING_COLUMNS],
                        rows,
                        "ratings",
                        ids,
                    ),
                    legend=True,
                ),
            ],
            graph=subgraph(g, c, *obs_list),
            search_label=f"{notation} {label(g, c)} (CFIR construct)",
        )


def _notation_key(g: Graph, c: URIRef) -> tuple[object, ...]:
    return notation_key(_one(g, c, SKOS.notation))


def constructs_with_evidence(g: Graph) -> list[URIRef]:
    found = {g.value(o, IPSKG.construct) for o in observations(g)}
    return sorted((c for c in found if isinstance(c, URIRef)), key=lambda c: _notation_key(g, c))
