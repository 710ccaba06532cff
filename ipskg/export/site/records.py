"""The pages of the records: each case and case group, quote and theme of a study, and each
CFIR construct with evidence (every rating across the studies, one per row, each naming its
study and unit; none is added up or averaged)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from ipskg.model.terms import IPSKG

from .collect import (
    OA_NS,
    RATING_COLUMNS,
    construct_order,
    construct_path,
    evidence_parts,
    label,
    link,
    locations,
    observations,
    of_type,
    position_key,
    rating_rows,
    record_parts,
    record_path,
    study_id,
    study_path,
    subgraph,
    value_text,
    web_link,
)
from .pages import Figure, Page, Part, Row, Section, Table

__all__ = [
    "construct_pages",
    "finding_table",
    "quote_pages",
    "quote_table",
    "theme_pages",
    "unit_pages",
    "units",
]


def _ratings_by_construct(g: Graph, ratings: Iterable[URIRef], title: str) -> Section:
    """A section listing ``ratings`` one row each, keyed by construct, with the legend."""
    rows, ids = rating_rows(g, ratings, "construct")
    return Section(
        title,
        table=Table("Ratings", ["construct", *RATING_COLUMNS], rows, "ratings", ids),
        legend=True,
    )


def units(g: Graph, study: URIRef) -> list[URIRef]:
    return of_type(g, IPSKG.Case, study) + of_type(g, IPSKG.CaseGroup, study)


def unit_pages(
    g: Graph, study: URIRef, profiles: Mapping[URIRef, Figure] | None = None
) -> Iterator[Page]:
    """A page per case and case group: its ratings (with its profile picture from
    ``profiles``), fidelity reviews and outcomes, quotes and findings."""
    sid = study_id(g, study)
    obs_by_unit: dict[URIRef, list[URIRef]] = defaultdict(list)
    for obs in observations(g, study):
        unit = g.value(obs, IPSKG.observedIn)
        if isinstance(unit, URIRef):
            obs_by_unit[unit].append(obs)
    for unit in units(g, study):
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
                facts.append((name, [Part(value_text(g, level, SKOS.notation) or label(g, level))]))
        members = sorted(m for m in g.objects(unit, IPSKG.hasMemberCase) if isinstance(m, URIRef))
        if members:
            facts.append(("member cases", _joined(g, members)))
        facts.append(("source", evidence_parts(g, unit)))
        rows, ids = rating_rows(g, obs_by_unit.get(unit, []), "construct")
        ratings = Table(
            f"CFIR ratings of {label(g, unit)}",
            ["construct", *RATING_COLUMNS[1:]],
            [r[:1] + r[2:] for r in rows],
            cls="ratings",
            cell_ids=ids,
        )
        quotes = [q for q in of_type(g, IPSKG.Quote, study) if (q, IPSKG.fromGroup, unit) in g]
        findings = [
            f for f in of_type(g, IPSKG.Finding, study) if (f, IPSKG.concernsGroup, unit) in g
        ]
        sections = [
            Section("About", facts=facts),
            Section(
                "Ratings",
                table=ratings,
                legend=True,
                figure=(profiles or {}).get(unit),
            ),
        ]
        reviews = [
            r for r in of_type(g, IPSKG.FidelityReview, study) if (r, IPSKG.reviewOf, unit) in g
        ]
        outcomes = [
            o
            for o in of_type(g, IPSKG.OutcomeMeasurement, study)
            if (o, IPSKG.measuredIn, unit) in g
        ]
        if reviews:
            sections.append(Section("Fidelity", table=fidelity_table(g, reviews)))
        if outcomes:
            sections.append(Section("Outcomes", table=outcome_table(g, outcomes)))
        if quotes:
            sections.append(Section("Quotes from this group", table=quote_table(g, quotes)))
        if findings:
            sections.append(Section("Findings", table=finding_table(g, findings)))
        yield Page(
            path,
            f"{label(g, unit)} ({kind}, {sid})",
            "unit",
            sections,
            graph=subgraph(g, unit, *obs_by_unit.get(unit, []), *reviews, *outcomes),
            search_label=f"{label(g, unit)} — {sid}",
        )


def outcome_table(g: Graph, outcomes: list[URIRef]) -> Table:
    rows: list[Row] = []
    for o in outcomes:
        kind = g.value(o, IPSKG.outcomeType)
        unit = g.value(o, IPSKG.measuredIn)
        number = g.value(o, IPSKG.numericValue)
        measure = g.value(o, IPSKG.measurementUnit)
        words = [] if number is None else [str(number)]
        if isinstance(measure, URIRef):
            words.append(label(g, measure))
        value = " ".join(words)
        status = g.value(o, IPSKG.sustainmentStatus)
        if not value and isinstance(status, URIRef):
            value = label(g, status)
        phase = g.value(o, IPSKG.phase)
        when = value_text(g, o, IPSKG.timePoint) or (
            label(g, phase) if isinstance(phase, URIRef) else ""
        )
        rows.append(
            [
                [Part(label(g, kind) if isinstance(kind, URIRef) else "?")],
                [Part(label(g, unit), record_path(unit))] if isinstance(unit, URIRef) else [],
                [Part(value)],
                [Part(when)],
                evidence_parts(g, o),
            ]
        )
    return Table("Outcomes", ["outcome", "unit", "value", "when", "source"], rows)


def fidelity_table(g: Graph, reviews: list[URIRef]) -> Table:
    """Fidelity reviews as the study reports them: date, total score, scale and band."""
    rows: list[Row] = []
    for r in reviews:
        scale, band = g.value(r, IPSKG.usesScale), g.value(r, IPSKG.fidelityBand)
        rows.append(
            [
                [Part(value_text(g, r, IPSKG.reviewDate) or "date not stated")],
                [Part(value_text(g, r, IPSKG.totalScore) or "not reported")],
                [Part(label(g, scale) if isinstance(scale, URIRef) else "not stated")],
                [Part(label(g, band) if isinstance(band, URIRef) else "not stated")],
                evidence_parts(g, r),
            ]
        )
    return Table("Fidelity reviews", ["date", "total score", "scale", "band", "source"], rows)


def _joined(g: Graph, nodes: Iterable[URIRef]) -> list[Part]:
    parts: list[Part] = []
    for n in nodes:
        if parts:
            parts.append(Part(", "))
        parts.append(link(g, n))
    return parts


def quote_table(g: Graph, quotes: list[URIRef]) -> Table:
    rows: list[Row] = []
    for q in quotes:
        text = value_text(g, q, IPSKG.text)
        short = text if len(text) <= 140 else text[:139] + "…"
        rid = (record_parts(q) or ("", "", ""))[2]
        rows.append([[link(g, q, rid)], [Part(short)], _who(g, q), evidence_parts(g, q)])
    return Table("Quotes", ["quote", "text", "who", "source"], rows)


def _who(g: Graph, q: URIRef) -> list[Part]:
    parts: list[Part] = []
    for p in (IPSKG.saidBy, IPSKG.statedRole, IPSKG.fromGroup):
        for o in sorted(o for o in g.objects(q, p) if isinstance(o, URIRef)):
            if parts:
                parts.append(Part(", "))
            parts.append(link(g, o))
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
                [Part((record_parts(f) or ("", "", "?"))[2])],
                [Part(value_text(g, f, IPSKG.statement))],
                _joined(g, about),
                evidence_parts(g, f),
            ]
        )
    return Table("Findings", ["finding", "statement", "about", "source"], rows)


def quote_pages(g: Graph, study: URIRef) -> Iterator[Page]:
    sid = study_id(g, study)
    for q in of_type(g, IPSKG.Quote, study):
        path = record_path(q)
        if path is None:
            continue
        rid = (record_parts(q) or ("", "", ""))[2]
        locs = locations(g, q)
        source = Section("Source location", anchor="source")
        for loc in locs:
            pub = g.value(loc, URIRef(OA_NS + "hasSource"))
            kind = g.value(loc, IPSKG.sourceKind)
            source.facts += [
                ("section", [Part(value_text(g, loc, IPSKG.section) or "not stated")]),
                ("locator", [Part(value_text(g, loc, IPSKG.locator) or "none given")]),
                (
                    "kind of source",
                    [Part(value_text(g, kind, SKOS.notation) if isinstance(kind, URIRef) else "?")],
                ),
                (
                    "publication",
                    [web_link(pub)] if isinstance(pub, URIRef) else [Part("?")],
                ),
            ]
        if not locs:
            source.facts.append(("source", [Part("no source location recorded")]))
        facts = [("study", [Part(sid, study_path(sid))]), ("who", _who(g, q) or [Part("?")])]
        lang = value_text(g, q, IPSKG.translatedFrom)
        if lang:
            facts.append(("translated from", [Part(lang)]))
        themes = sorted(t for t in g.objects(q, IPSKG.supportsTheme) if isinstance(t, URIRef))
        if themes:
            facts.append(("supports", _joined(g, themes)))
        cited = [o for o in observations(g, study) if q in set(g.objects(o, IPSKG.evidenceQuote))]
        sections = [
            Section("Quote", quote=value_text(g, q, IPSKG.text)),
            source,
            Section("About", facts=facts),
        ]
        if cited:
            sections.append(_ratings_by_construct(g, cited, "Ratings this quote is evidence for"))
        yield Page(
            path,
            f"Quote {rid} ({sid})",
            "quote",
            sections,
            graph=subgraph(g, q),
            search_label=f"quote {rid} — {sid}: {value_text(g, q, IPSKG.text)[:60]}",
        )


def theme_pages(g: Graph, study: URIRef) -> Iterator[Page]:
    sid = study_id(g, study)
    themes = of_type(g, IPSKG.LeadershipApproach, study) + of_type(g, IPSKG.SubTheme, study)
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
            facts.append(("approach", [link(g, broader)]))
        narrower = sorted(
            (n for n in g.subjects(SKOS.broader, t) if isinstance(n, URIRef)), key=position_key(g)
        )
        if narrower:
            facts.append(("sub-themes", _joined(g, narrower)))
        pw = g.value(t, IPSKG.correspondsToPathway)
        if isinstance(pw, URIRef):
            facts.append(("pathway", [Part(label(g, pw), "model.html")]))
        features = value_text(g, t, IPSKG.definingFeatures)
        if features:
            facts.append(("defining features", [Part(features)]))
        facts.append(("source", evidence_parts(g, t)))
        sections = [Section("About", facts=facts)]
        quotes = [q for q in of_type(g, IPSKG.Quote, study) if (q, IPSKG.supportsTheme, t) in g]
        if quotes:
            sections.append(Section("Quotes", table=quote_table(g, quotes)))
        findings = [f for f in of_type(g, IPSKG.Finding, study) if (f, IPSKG.aboutTheme, t) in g]
        if findings:
            sections.append(Section("Findings", table=finding_table(g, findings)))
        addressed = [o for o in observations(g, study) if (o, IPSKG.addressedBy, t) in g]
        if addressed:
            sections.append(
                _ratings_by_construct(g, addressed, "Determinants this theme addresses")
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
    for c, obs_list in sorted(by_construct.items(), key=lambda kv: construct_order(g, kv[0])):
        notation = value_text(g, c, SKOS.notation)
        domain = g.value(c, IPSKG.inDomain)
        facts = [("notation", [Part(notation)])]
        if isinstance(domain, URIRef):
            facts.append(("domain", [Part(label(g, domain))]))
        definition = value_text(g, c, SKOS.definition)
        if definition:
            facts.append(("definition", [Part(definition)]))
        facts.append(("IRI", [Part(str(c))]))
        obs_list.sort(key=lambda o: (str(g.value(o, IPSKG.inStudy)), str(o)))
        rows, ids = rating_rows(g, obs_list, "study")
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
