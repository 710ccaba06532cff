"""Outcomes beside fidelity, where a study reports both for the same unit at the same time: a
table of every fidelity review with the outcomes measured in the same unit in the same year,
and a scatter plot (SVG written here) for each outcome reported as a percentage.

Pairs are only made inside one unit of one study and one year; nothing is pooled, averaged or
fitted across units or studies, and a review without an outcome of its year stays unpaired.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

from rdflib import RDF, Graph, Literal, URIRef

from ipskg.model.terms import IPSKG

from .collect import (
    evidence_parts,
    label,
    record_path,
    study_id,
    study_path,
    subgraph,
    value_text,
)
from .pages import Figure, Page, Part, Row, Section, Table

__all__ = ["Pair", "fidelity_pairs", "outcomes_page", "scatter_svg"]

PERCENT = IPSKG.Percent
_MARKS = ("circle", "square", "triangle", "diamond")
_INK = ("#2c4f8c", "#8a3b00", "#000000", "#595959")


@dataclass(frozen=True)
class Pair:
    study: URIRef
    unit: URIRef
    year: str
    review: URIRef
    score: float
    outcome: URIRef | None


def _year(value: object) -> str:
    found = re.search(r"\b(1[89]\d\d|20\d\d)\b", str(value or ""))
    return found.group(1) if found else ""


def _number(value: object) -> float | None:
    """A literal's finite number, else None (an ill-typed, infinite or NaN value is not plotted
    or paired: a hostile graph cannot break the plot's axes)."""
    if isinstance(value, Literal):
        try:
            number = float(value.toPython())
        except (TypeError, ValueError, OverflowError):
            return None
        return number if math.isfinite(number) else None
    return None


def fidelity_pairs(g: Graph) -> list[Pair]:
    """Every fidelity review with a total score, paired with each outcome measured in the same
    unit of the same study in the same year (``outcome`` None when there is none)."""
    pairs: list[Pair] = []
    outcomes = [o for o in g.subjects(RDF.type, IPSKG.OutcomeMeasurement) if isinstance(o, URIRef)]
    for r in sorted(g.subjects(RDF.type, IPSKG.FidelityReview), key=str):
        unit, study = g.value(r, IPSKG.reviewOf), g.value(r, IPSKG.inStudy)
        score = _number(g.value(r, IPSKG.totalScore))
        if not isinstance(r, URIRef) or not isinstance(unit, URIRef):
            continue
        if not isinstance(study, URIRef) or score is None:
            continue
        year = _year(g.value(r, IPSKG.reviewDate))
        matched = [
            o
            for o in outcomes
            if (o, IPSKG.measuredIn, unit) in g
            and (o, IPSKG.inStudy, study) in g
            and year
            and _year(g.value(o, IPSKG.timePoint)) == year
        ]
        paired: list[URIRef | None] = [*sorted(matched, key=str)] or [None]
        for o in paired:
            pairs.append(Pair(study, unit, year, r, score, o))
    return sorted(
        pairs, key=lambda p: (study_id(g, p.study), label(g, p.unit), p.year, str(p.review))
    )


def _outcome_text(g: Graph, o: URIRef) -> str:
    kind = g.value(o, IPSKG.outcomeType)
    value = g.value(o, IPSKG.numericValue)
    unit = g.value(o, IPSKG.measurementUnit)
    unit_text = "%" if unit == PERCENT else (label(g, unit) if isinstance(unit, URIRef) else "")
    name = label(g, kind) if isinstance(kind, URIRef) else "outcome"
    return f"{name}: {value}{'' if unit_text == '%' else ' '}{unit_text}".strip()


def _scale_text(g: Graph, r: URIRef) -> str:
    scale = g.value(r, IPSKG.usesScale)
    band = g.value(r, IPSKG.fidelityBand)
    parts = [label(g, scale) if isinstance(scale, URIRef) else "scale not stated"]
    if isinstance(band, URIRef):
        parts.append(label(g, band))
    return "; ".join(parts)


def outcomes_page(g: Graph) -> tuple[Page, dict[str, bytes]]:
    pairs = fidelity_pairs(g)
    rows: list[Row] = []
    for p in pairs:
        sid = study_id(g, p.study)
        rows.append(
            [
                [Part(sid, study_path(sid))],
                [Part(label(g, p.unit), record_path(p.unit))],
                [Part(p.year or value_text(g, p.review, IPSKG.reviewDate) or "date not stated")],
                [Part(f"{p.score:g}"), Part(f" ({_scale_text(g, p.review)})")],
                evidence_parts(g, p.review),
                [Part(_outcome_text(g, p.outcome))]
                if p.outcome is not None
                else [Part("no outcome of the same unit and year reported")],
                evidence_parts(g, p.outcome) if p.outcome is not None else [],
            ]
        )
    files: dict[str, bytes] = {}
    sections = [
        Section(
            "Fidelity reviews and the outcomes of the same unit and year",
            text=[
                [
                    Part(
                        "Each row is one fidelity review as the study reports it (a case group's "
                        "score is the study's own summary, such as a mean), beside each outcome "
                        "the same study reports for the same unit in the same year. Nothing is "
                        "pooled or averaged across units or studies."
                    )
                ]
            ],
            table=Table(
                "Fidelity beside outcomes",
                [
                    "study",
                    "unit",
                    "year",
                    "total fidelity score",
                    "source of the score",
                    "outcome",
                    "source of the outcome",
                ],
                rows,
            ),
        )
    ]
    plotted = [
        p
        for p in pairs
        if p.outcome is not None and g.value(p.outcome, IPSKG.measurementUnit) == PERCENT
    ]
    kinds = sorted(
        {g.value(p.outcome, IPSKG.outcomeType) for p in plotted if p.outcome is not None},
        key=str,
    )
    for n, kind in enumerate(kinds):
        points = [
            p
            for p in plotted
            if p.outcome is not None and g.value(p.outcome, IPSKG.outcomeType) == kind
        ]
        name = label(g, kind) if isinstance(kind, URIRef) else "outcome"
        svg, alt = scatter_svg(g, points, name)
        path = f"img/outcomes-fidelity-{n + 1}.svg"
        files[path] = svg
        sections.append(
            Section(
                f"{name} against fidelity",
                figure=Figure(
                    path,
                    alt,
                    f"{name} (%) against the total fidelity score, one mark per unit and year; "
                    "drawn from the graph",
                    [Part("SVG", path)],
                ),
            )
        )
    subjects = [x for p in pairs for x in (p.review, p.outcome) if x is not None]
    page = Page(
        "outcomes.html",
        "Outcomes beside fidelity",
        "outcomes",
        sections,
        intro=[
            Part(
                f"{len({p.review for p in pairs})} fidelity reviews with a total score in "
                f"{len({p.study for p in pairs})} studies of this graph; "
                f"{sum(1 for p in pairs if p.outcome is not None)} pairs with an outcome of the "
                "same unit and year."
            )
        ],
        graph=subgraph(g, *subjects) if subjects else None,
        search_label="outcomes beside fidelity",
    )
    return page, files


def scatter_svg(g: Graph, points: list[Pair], outcome_name: str) -> tuple[bytes, str]:
    """A scatter plot of the pairs: x the total fidelity score, y the outcome in percent; one
    mark shape and ink per study (shape carries it, not colour alone), each mark labelled with
    its unit and year. The x axis spans the scale's range where the review names a scale with
    one (e.g. IPS-25: 25–125, with its bands shaded), else the data's range."""
    width, height, left, right, top, bottom = 720, 420, 70, 230, 30, 60
    scales = {g.value(p.review, IPSKG.usesScale) for p in points}
    scale = next(iter(scales)) if len(scales) == 1 else None
    lo = _number(g.value(scale, IPSKG.minScore)) if isinstance(scale, URIRef) else None
    hi = _number(g.value(scale, IPSKG.maxScore)) if isinstance(scale, URIRef) else None
    scores = [p.score for p in points]
    if lo is None or hi is None or hi <= lo:
        lo = float(int(min(scores) // 10 * 10)) - 10 if scores else 0.0
        hi = float(int(max(scores) // 10 * 10)) + 20 if scores else 100.0
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * plot_w

    def y(v: float) -> float:
        return top + plot_h - v / 100 * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="Helvetica, Arial, sans-serif" '
        'font-size="12">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if isinstance(scale, URIRef):  # the scale's bands, light grey stripes with their names
        bands = [
            b
            for b in g.subjects(IPSKG.partOfScale, scale)
            if isinstance(b, URIRef) and (b, RDF.type, IPSKG.FidelityBand) in g
        ]
        for k, b in enumerate(
            sorted(bands, key=lambda b: _number(g.value(b, IPSKG.minScore)) or 0)
        ):
            b_lo, b_hi = _number(g.value(b, IPSKG.minScore)), _number(g.value(b, IPSKG.maxScore))
            if b_lo is None or b_hi is None:
                continue
            x0, x1 = x(max(b_lo, lo)), x(min(b_hi + 1, hi))
            out.append(
                f'<rect x="{x0:.1f}" y="{top}" width="{max(x1 - x0, 0):.1f}" height="{plot_h}" '
                f'fill="{"#f2f2f2" if k % 2 else "#e0e0e0"}"/>'
            )
            out.append(
                f'<text x="{(x0 + x1) / 2:.1f}" y="{top - 8}" text-anchor="middle" '
                f'font-size="10">{escape(label(g, b))}</text>'
            )
    out.append(
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="#000000"/>'
    )
    step = 10 if hi - lo <= 60 else 25
    tick = int(lo // step * step) + (step if lo % step else 0)
    while tick <= hi:
        out.append(
            f'<line x1="{x(tick):.1f}" y1="{top + plot_h}" x2="{x(tick):.1f}" '
            f'y2="{top + plot_h + 5}" stroke="#000000"/>'
            f'<text x="{x(tick):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{tick}</text>'
        )
        tick += step
    for v in range(0, 101, 20):
        out.append(
            f'<line x1="{left - 5}" y1="{y(v):.1f}" x2="{left}" y2="{y(v):.1f}" stroke="#000000"/>'
            f'<text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>'
        )
    scale_name = label(g, scale) if isinstance(scale, URIRef) else "scale not stated"
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 18}" text-anchor="middle">'
        f"total fidelity score ({escape(scale_name)})</text>"
    )
    out.append(
        f'<text x="18" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 18 {top + plot_h / 2:.1f})">{escape(outcome_name)} (%)</text>'
    )
    series = sorted(
        {(p.study, p.unit) for p in points},
        key=lambda su: (study_id(g, su[0]), label(g, su[1])),
    )
    alt = [
        f"Scatter plot of {outcome_name} (percent) against the total fidelity score "
        f"({scale_name}), {len(points)} marks:"
    ]

    def style(k: int) -> tuple[str, str]:  # shape and ink of the k-th unit: 16 distinct pairs
        return _MARKS[k % len(_MARKS)], _INK[(k // len(_MARKS)) % len(_INK)]

    for p in points:
        assert p.outcome is not None
        value = _number(g.value(p.outcome, IPSKG.numericValue))
        if value is None:
            continue
        shape, ink = style(series.index((p.study, p.unit)))
        cx, cy = x(p.score), y(value)
        out.append(_mark(shape, cx, cy, ink))
        out.append(f'<text x="{cx + 9:.1f}" y="{cy + 4:.1f}" font-size="11">{p.year}</text>')
        alt.append(
            f"{study_id(g, p.study)}, {label(g, p.unit)}, {p.year}: fidelity {p.score:g}, "
            f"{value:g} %."
        )
    ly = top + 10
    for k, (study, unit) in enumerate(series):  # legend: one shape and ink per unit
        shape, ink = style(k)
        lx = width - right + 16
        out.append(_mark(shape, lx, ly, ink))
        lines = [study_id(g, study), *textwrap.wrap(label(g, unit), 30)[:4]]
        for n, line in enumerate(lines):
            weight = ' font-weight="bold"' if n == 0 else ""
            out.append(f'<text x="{lx + 12}" y="{ly + 4 + 14 * n}"{weight}>{escape(line)}</text>')
        ly += 14 * len(lines) + 10
    out.append(f"<title>{escape(alt[0])}</title>")
    out.append("</svg>")
    return "\n".join(out).encode("utf-8"), " ".join(alt)


def _mark(shape: str, cx: float, cy: float, ink: str) -> str:
    if shape == "square":
        return f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{ink}"/>'
    if shape == "triangle":
        return (
            f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx - 6:.1f},{cy + 5:.1f} '
            f'{cx + 6:.1f},{cy + 5:.1f}" fill="{ink}"/>'
        )
    if shape == "diamond":
        return (
            f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},{cy + 6:.1f} '
            f'{cx - 6:.1f},{cy:.1f}" fill="{ink}"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{ink}"/>'
