"""A study's CFIR rating matrix for the site: constructs (and roles) × units (cases and case
groups), each cell the ratings as written, one per phase, never added up."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ipskg.export.matrix import _notation_key
from ipskg.model.terms import IPSKG

from .collect import (
    construct_path,
    constructs_with_evidence,
    label,
    obs_anchor,
    observations,
    rating_class,
    rating_of,
    record_path,
    study_id,
)
from .pages import Part, Row, Table

__all__ = [
    "Cell",
    "StudyMatrix",
    "cross_study_matrix",
    "cross_study_table",
    "matrix_table",
    "study_matrix",
]


@dataclass(frozen=True)
class Cell:
    rating: str
    phase: str
    observation: URIRef


@dataclass
class StudyMatrix:
    study: str
    rows: list[tuple[URIRef, URIRef | None]] = field(default_factory=list)
    units: list[URIRef] = field(default_factory=list)
    cells: dict[tuple[int, URIRef], list[Cell]] = field(default_factory=dict)
    notations: dict[URIRef, str] = field(default_factory=dict)
    labels: dict[URIRef, str] = field(default_factory=dict)

    def row_name(self, i: int) -> str:
        construct, role = self.rows[i]
        name = f"{self.notations[construct]} {self.labels[construct]}"
        return f"{name} ({self.labels[role]})" if role is not None else name

    def row_id(self, i: int) -> str:
        construct, role = self.rows[i]
        rid = f"row-{self.notations[construct]}"
        return f"{rid}-{self.notations[role]}" if role is not None else rid


def study_matrix(g: Graph, study: URIRef, sid: str) -> StudyMatrix:
    m = StudyMatrix(sid)
    rows: set[tuple[URIRef, URIRef | None]] = set()
    units: set[URIRef] = set()
    found: dict[tuple[tuple[URIRef, URIRef | None], URIRef], list[Cell]] = {}
    for obs in observations(g, study):
        c, unit = g.value(obs, IPSKG.construct), g.value(obs, IPSKG.observedIn)
        role = g.value(obs, IPSKG.forRole)
        if not isinstance(c, URIRef) or not isinstance(unit, URIRef):
            continue
        key = (c, role if isinstance(role, URIRef) else None)
        rows.add(key)
        units.add(unit)
        ph = g.value(obs, IPSKG.phase)
        phase = str(g.value(ph, SKOS.notation) or "") if isinstance(ph, URIRef) else ""
        found.setdefault((key, unit), []).append(Cell(rating_of(g, obs), phase, obs))
    for node in {c for c, _ in rows} | {r for _, r in rows if r is not None}:
        m.notations[node] = str(g.value(node, SKOS.notation) or label(g, node))
        m.labels[node] = label(g, node)
    for unit in units:
        m.labels[unit] = label(g, unit)
    m.rows = sorted(
        rows,
        key=lambda k: (
            _notation_key(m.notations[k[0]]),
            _notation_key(m.notations[k[1]]) if k[1] is not None else (),
        ),
    )
    m.units = sorted(units, key=lambda u: (str(u).split("/")[-2], m.labels[u]))
    m.cells = {
        (i, u): sorted(found[(key, u)], key=lambda c: (c.phase, c.rating))
        for i, key in enumerate(m.rows)
        for u in m.units
        if (key, u) in found
    }
    return m


def matrix_table(m: StudyMatrix) -> Table:
    """The matrix as an HTML table: every cell holds its rating text (colour is never the only
    carrier) and links to the rating with its source and quotes; ``–`` where not rated."""
    rows: list[Row] = []
    for i, (construct, _) in enumerate(m.rows):
        row: Row = [[Part(m.row_name(i), construct_path(construct))]]
        for unit in m.units:
            cells = m.cells.get((i, unit), [])
            if not cells:
                row.append([Part("–", cls="rating r-none", title="not rated")])
                continue
            parts: list[Part] = []
            for cell in cells:
                cls, meaning = rating_class(cell.rating)
                page = record_path(unit)
                href = f"{page}#{obs_anchor_of(cell.observation)}" if page else None
                phase = f" ({cell.phase})" if len(cells) > 1 and cell.phase else ""
                parts.append(
                    Part(
                        cell.rating + phase,
                        href,
                        cls=f"rating {cls}",
                        title=f"{m.row_name(i)} in {m.labels[unit]}: {meaning}",
                    )
                )
            row.append(parts)
        rows.append(row)
    return Table(
        f"CFIR rating matrix of {m.study}: constructs × units",
        ["construct", *(m.labels[u] for u in m.units)],
        rows,
        cls="matrix",
        cell_ids=[m.row_id(i) for i in range(len(m.rows))],
    )


def obs_anchor_of(obs: URIRef) -> str:
    return obs_anchor(Graph(), obs)


def cross_study_matrix(g: Graph, study_list: list[URIRef]) -> StudyMatrix:
    """Constructs × studies as a :class:`StudyMatrix` (a column per study) for the picture:
    each cell the study's ratings of the construct one by one, by unit and phase."""
    m = StudyMatrix("all studies: constructs × studies")
    found: dict[tuple[URIRef, URIRef], list[Cell]] = {}
    for obs in observations(g):
        c, s = g.value(obs, IPSKG.construct), g.value(obs, IPSKG.inStudy)
        if not isinstance(c, URIRef) or s not in study_list:
            continue
        assert isinstance(s, URIRef)
        ph = g.value(obs, IPSKG.phase)
        phase = str(g.value(ph, SKOS.notation) or "") if isinstance(ph, URIRef) else ""
        unit = g.value(obs, IPSKG.observedIn)
        where = label(g, unit) if isinstance(unit, URIRef) else ""
        found.setdefault((c, s), []).append(Cell(rating_of(g, obs), f"{where} {phase}", obs))
    constructs = constructs_with_evidence(g)
    m.rows = [(c, None) for c in constructs]
    m.units = [s for s in study_list if any((c, s) in found for c in constructs)]
    for c in constructs:
        m.notations[c] = str(g.value(c, SKOS.notation) or label(g, c))
        m.labels[c] = label(g, c)
    for s in m.units:
        m.labels[s] = study_id(g, s)
    m.cells = {
        (i, s): sorted(found[(c, s)], key=lambda cell: (cell.phase, str(cell.observation)))
        for i, c in enumerate(constructs)
        for s in m.units
        if (c, s) in found
    }
    return m


def cross_study_table(g: Graph, study_list: list[URIRef]) -> Table:
    """Constructs × studies: each cell lists that study's ratings of the construct one by one
    (each names its unit and phase, and links to it), never a sum or an average."""
    by_cell: dict[tuple[URIRef, URIRef], list[URIRef]] = {}
    for obs in observations(g):
        c, s = g.value(obs, IPSKG.construct), g.value(obs, IPSKG.inStudy)
        if isinstance(c, URIRef) and isinstance(s, URIRef):
            by_cell.setdefault((c, s), []).append(obs)
    rows: list[Row] = []
    ids: list[str] = []
    for c in constructs_with_evidence(g):
        notation = str(g.value(c, SKOS.notation) or "")
        row: Row = [[Part(f"{notation} {label(g, c)}", construct_path(c))]]
        for s in study_list:
            parts: list[Part] = []
            for obs in by_cell.get((c, s), []):
                unit = g.value(obs, IPSKG.observedIn)
                rating = rating_of(g, obs)
                cls, meaning = rating_class(rating)
                page = record_path(unit) if isinstance(unit, URIRef) else None
                where = label(g, unit) if isinstance(unit, URIRef) else "?"
                ph = g.value(obs, IPSKG.phase)
                phase = str(g.value(ph, SKOS.notation) or "") if isinstance(ph, URIRef) else ""
                if parts:
                    parts.append(Part(" "))
                parts.append(
                    Part(
                        rating,
                        f"{page}#{obs_anchor(g, obs)}" if page else None,
                        cls=f"rating {cls}",
                        title=f"{where}{f', {phase}' if phase else ''}: {meaning}",
                    )
                )
            row.append(parts or [Part("–", cls="rating r-none", title="not rated")])
        rows.append(row)
        ids.append(f"row-{notation}")
    return Table(
        "CFIR ratings across studies: constructs × studies, every rating listed",
        ["construct", *(study_id(g, s) for s in study_list)],
        rows,
        cls="matrix cross",
        cell_ids=ids,
    )
