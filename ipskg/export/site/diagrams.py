"""Diagrams drawn from the graph: the conceptual model (Graphviz ``dot``, run with a timeout,
left out with a note when it is missing) and a study's rating matrix (SVG written here)."""

from __future__ import annotations

import shutil
import subprocess
from xml.sax.saxutils import escape

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS

from ipskg.model.terms import IPSKG

from .collect import label
from .grid import StudyMatrix

__all__ = [
    "DOT_TIMEOUT",
    "PALETTE",
    "dot_available",
    "matrix_svg",
    "model_dot",
    "run_dot",
    "svg_png",
    "unit_profile",
]

DOT_TIMEOUT = 30.0
"""Seconds ``dot`` may take for one diagram."""

PALETTE = {
    "r-p2": ("#2c4f8c", "#ffffff"),
    "r-p1": ("#a6c8ea", "#000000"),
    "r-0": ("#e8e8e8", "#000000"),
    "r-m1": ("#f4b97a", "#000000"),
    "r-m2": ("#8a3b00", "#ffffff"),
    "r-x": ("#ffffff", "#000000"),
    "r-miss": ("#ffffff", "#000000"),
    "r-none": ("#ffffff", "#595959"),
    "r-other": ("#ffffff", "#000000"),
}
"""Fill and text colour of each rating class: a blue–orange diverging scale (safe for the
common colour-vision deficiencies, and ordered by lightness so it reads in grayscale); the same
values are in site.css. The rating text is in every cell, so colour never carries it alone."""


def _q(text: str) -> str:
    """A Graphviz quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def model_dot(g: Graph, study: URIRef) -> tuple[str, str]:
    """The conceptual model as dot source, and its alt text: each pathway of the model (from
    the graph's ipskg:Pathway nodes) from its starting element through the context it connects
    to its outcome, with the study's sub-themes (and their approach) on it."""
    pathways = sorted(p for p in g.subjects(RDF.type, IPSKG.Pathway) if isinstance(p, URIRef))
    lines = [
        "digraph model {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.3, ranksep=0.6];',
        '  node [fontname="Helvetica", fontsize=11, shape=box, style="rounded,filled", '
        'fillcolor="#ffffff"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    alt = [f"Conceptual model of {study_label(g, study)}: {len(pathways)} pathways."]
    elements: set[URIRef] = set()
    for n, pw in enumerate(pathways):
        start, ctx, end = (
            g.value(pw, p) for p in (IPSKG.pathwayFrom, IPSKG.connectsContext, IPSKG.pathwayTo)
        )
        role = g.value(pw, IPSKG.leadershipRoleInPathway)
        subs = sorted(
            (
                s
                for s in g.subjects(IPSKG.correspondsToPathway, pw)
                if isinstance(s, URIRef) and (s, IPSKG.inStudy, study) in g
            ),
            key=lambda s: str(g.value(s, IPSKG.positionInSource) or s),
        )
        lines.append(f"  subgraph cluster_{n} {{")
        lines.append(f"    label={_q(label(g, pw) + (f' ({role})' if role else ''))};")
        lines.append('    style="rounded"; color="#2c4f8c";')
        lines.append(f'    pw{n} [label={_q(label(g, pw))}, fillcolor="#a6c8ea"];')
        for k, s in enumerate(subs):
            approach = g.value(s, URIRef("http://www.w3.org/2004/02/skos/core#broader"))
            text = label(g, s) + (
                f"\n({label(g, approach)})" if isinstance(approach, URIRef) else ""
            )
            lines.append(f"    pw{n}s{k} [label={_q(text.replace(chr(10), ' — '))}];")
            lines.append(f"    pw{n} -> pw{n}s{k} [arrowhead=none, style=dotted];")
        lines.append("  }")
        elements.update(n for n in (start, ctx, end) if isinstance(n, URIRef))
        if isinstance(start, URIRef):
            lines.append(f"  {_node(start)} -> pw{n};")
        if isinstance(ctx, URIRef):
            lines.append(f'  pw{n} -> {_node(ctx)} [style=dashed, label="connects"];')
        if isinstance(end, URIRef):
            lines.append(f"  pw{n} -> {_node(end)};")
        alt.append(
            f"{label(g, pw)}: from {_lab(g, start)}"
            + (f" through {_lab(g, ctx)}" if isinstance(ctx, URIRef) else "")
            + f" to {_lab(g, end)}; practices: "
            + (", ".join(label(g, s) for s in subs) or "none")
            + "."
        )
    for node in sorted(elements):
        lines.append(
            f'  {_node(node)} [label={_q(label(g, node))}, shape=ellipse, fillcolor="#e8e8e8"];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n", " ".join(alt)


def _lab(g: Graph, node: object) -> str:
    return label(g, node) if isinstance(node, URIRef) else "?"


def _node(iri: URIRef) -> str:
    return _q("el:" + str(iri))


def study_label(g: Graph, study: URIRef) -> str:
    return str(g.value(study, DCTERMS.identifier) or study)


def dot_available() -> bool:
    return shutil.which("dot") is not None


def run_dot(source: str, fmt: str) -> bytes | None:
    """``dot -T<fmt>`` on ``source``; None when dot is missing, fails or times out."""
    exe = shutil.which("dot")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 and done.stdout else None


def matrix_svg(m: StudyMatrix) -> tuple[bytes, str]:
    """The rating matrix as an SVG and its alt text: each rating a coloured box with its text
    (a cell with several ratings, one per phase or per unit of a study, shows them side by
    side, each in its own colour), ``–`` where not rated."""
    box, rh, left, top = 34, 22, 330, 190
    per_column = [
        max([len(m.cells.get((i, unit), [])) for i in range(len(m.rows))] + [1]) for unit in m.units
    ]
    widths = [max(46, box * n + 6) for n in per_column]
    xs = [left + sum(widths[:j]) for j in range(len(m.units))]
    width = left + sum(widths) + 180  # room for the slanted unit labels
    height = top + rh * len(m.rows) + 10
    title = f"CFIR rating matrix of {m.study}"
    rated = sum(1 for v in m.cells.values() for _ in v)
    alt = (
        f"{title}: {len(m.rows)} constructs by {len(m.units)} columns, {rated} ratings; each "
        "cell shows its ratings (+2 to -2, X mixed, M missing, – not rated)."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t d" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(alt)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for j, unit in enumerate(m.units):
        x = xs[j] + widths[j] / 2
        out.append(
            f'<text transform="translate({x:.0f},{top - 6}) rotate(-50)" '
            f">{escape(_short(m.labels[unit], 34))}</text>"
        )
    for i in range(len(m.rows)):
        y = top + rh * i
        out.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(_short(m.row_name(i), 48))}</text>"
        )
        for j, unit in enumerate(m.units):
            cells = m.cells.get((i, unit), [])
            x, w = xs[j], widths[j]
            if not cells:
                fill, ink = PALETTE["r-none"]
                out.append(
                    f'<rect x="{x}" y="{y}" width="{w}" height="{rh}" fill="{fill}" '
                    'stroke="#595959" stroke-dasharray="3,2"/>'
                    f'<text x="{x + w / 2:.0f}" y="{y + 15}" text-anchor="middle" '
                    f'fill="{ink}" font-weight="bold">–</text>'
                )
                continue
            out.append(
                f'<rect x="{x}" y="{y}" width="{w}" height="{rh}" fill="#ffffff" stroke="#595959"/>'
            )
            bw = w if len(cells) == 1 else (w - 6) / len(cells)
            for k, cell in enumerate(cells):
                cls = _cls(cell.rating)
                fill, ink = PALETTE[cls]
                bx = x if len(cells) == 1 else x + 3 + k * bw
                inset = 0 if len(cells) == 1 else 2
                dash = ' stroke-dasharray="3,2"' if cls == "r-miss" else ""
                out.append(
                    f'<rect x="{bx:.1f}" y="{y + inset}" width="{bw:.1f}" '
                    f'height="{rh - 2 * inset}" '
                    f'fill="{fill}" stroke="#595959"{dash}/>'
                    f'<text x="{bx + bw / 2:.1f}" y="{y + 15}" text-anchor="middle" fill="{ink}" '
                    f'font-weight="bold">{escape(cell.rating)}</text>'
                )
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8"), alt


def svg_png(svg: bytes) -> bytes | None:
    """A PNG copy of an SVG drawn here, by cairosvg (``pip install 'ipskg[site]'``); None when
    cairosvg or the cairo library is missing. Nothing is fetched: these SVGs name no other
    file, ``unsafe`` stays off and the URL fetcher refuses every URL."""
    try:
        from cairosvg.surface import PNGSurface
    except (ImportError, OSError):
        return None

    def refuse(url: str, resource_type: str) -> bytes:
        raise ValueError(f"the site's diagrams fetch nothing ({resource_type} {url})")

    png = PNGSurface.convert(bytestring=svg, unsafe=False, url_fetcher=refuse)
    return png if isinstance(png, bytes) else None


def unit_profile(m: StudyMatrix, unit: URIRef) -> StudyMatrix:
    """One unit's column of its study's matrix: the constructs it was rated on."""
    rows = [i for i in range(len(m.rows)) if (i, unit) in m.cells]
    return StudyMatrix(
        f"{m.study}, {m.labels[unit]}",
        [m.rows[i] for i in rows],
        [unit],
        {(k, unit): m.cells[(i, unit)] for k, i in enumerate(rows)},
        m.notations,
        m.labels,
    )


def _cls(rating: str) -> str:
    from .collect import rating_class

    return rating_class(rating)[0]


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
