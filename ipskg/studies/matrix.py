"""A CFIR rating matrix (construct × unit, as CFIR analyses keep it in a spreadsheet) read into
the observations of a study folder.

The table's first row is its header. The first column names the construct (CFIR 2022 notation
such as ``III.F`` or label such as ``Compatibility``, as ``construct:`` takes it); a second
column headed ``role`` names the role of an Individuals-domain row (``IV.C.D`` of ``IV.R.A``);
every other column is a unit of the study, a case or case group by id or label (``case:x`` or
``case_group:x`` where a case and a group share the id). A cell holds a rating as the CFIR
scheme writes it: ``+2 +1 -1 -2`` (``2`` and ``1`` are positive; ``−`` is a minus), ``0``,
``X`` (mixed) or ``M`` (missing); an empty cell is not rated.

Each rated cell becomes an observation ``m-<construct>[-<role>]-<unit>[-<phase>]`` (the same id
on every import of the same cell). New observations are added at the end of observations.yaml
as text, so the curators' comments and records stay as they were written; ``replace`` rewrites
in place only the records that an earlier import of the same cells wrote (same ids). A cell that
rates what another record already rates is an error naming both, never a silent overwrite.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef
from rdflib.namespace import SKOS

from ipskg.io.tables import Table
from ipskg.io.yamlio import read_text
from ipskg.model.errors import InputError
from ipskg.studies.loader import (
    ID_MAX,
    ID_RE,
    Record,
    StudyRecords,
    find_ref,
    load_study,
    suggest,
    vocab_term,
)
from ipskg.vocab.ontology import ontology_graph

__all__ = [
    "RATING_HELP",
    "ROLE_HEADER",
    "MatrixImport",
    "observation_id",
    "parse_rating",
    "phase_term",
    "plan_import",
    "rating_text",
    "term_notation",
]

ROLE_HEADER = "role"
"""The header of the optional second column: the role of an Individuals-domain row."""
RATING_HELP = (
    "write +2, +1, -1, -2 (or 2, 1), 0, X (mixed) or M (missing), or leave the cell empty "
    "(not rated)"
)
_RATING_RE = re.compile(r"([+-]?)([012])")
_MINUS = str.maketrans({"−": "-", "–": "-"})
_UNITS = ("case", "case_group")
_EMPTY_LIST_RE = re.compile(r"^(observations:)\s*\[\s*\]\s*(#.*)?$")
_PLAIN_RE = re.compile(r"[a-z][a-z0-9-]*")  # an id or a notation such as sustainment: unquoted
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_NEW_FILE = (
    "# CFIR 2022 determinants: one rating per construct per unit and phase.\n"
    '# Format: data/README.md, section "observations.yaml".\n'
)


def parse_rating(value: Any) -> tuple[str, int | None] | None:
    """A cell as (valence notation, strength): ``+2`` -> ("+", 2), ``0`` -> ("0", None),
    ``x`` -> ("X", None); None for an empty cell; ValueError for anything else. A number (an
    xlsx cell holding 2, -1 or 0) is read as the rating it writes."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        value = f"{value:+d}" if value else "0"
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip().translate(_MINUS)
    if not text:
        return None
    if text.upper() in ("X", "M"):
        return text.upper(), None
    match = _RATING_RE.fullmatch(text)
    if match is None:
        raise ValueError(value)
    sign, digit = match.groups()
    if digit == "0":
        if sign:
            raise ValueError(value)
        return "0", None
    return sign or "+", int(digit)


def rating_text(valence: str, strength: int | None) -> str:
    """A rating as the CFIR scheme writes it: ``+2``, ``-1``, ``0``, ``X``, ``M``."""
    return valence + (str(strength) if strength is not None else "")


def term_notation(iri: URIRef) -> str:
    """The skos:notation of an ontology term (``III.F``, ``sustainment``)."""
    found = ontology_graph().value(iri, SKOS.notation)
    return str(found) if found is not None else str(iri).rsplit("/", 1)[-1]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def observation_id(construct: str, role: str | None, unit: str, phase: str | None) -> str:
    """The id of the observation a matrix cell becomes: ``m-<construct>[-<role>]-<unit>
    [-<phase>]``, from the notations and the unit's id (stable across imports)."""
    parts = ["m", construct, *([role] if role else []), unit, *([phase] if phase else [])]
    return "-".join(_slug(p) for p in parts)


@dataclass
class MatrixImport:
    """What an import adds to (and replaces in) a study's observations.yaml, and its text."""

    path: Path
    text: str
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Unit:
    ref: str  # as observed_in: writes it (kind:id where a case and a group share the id)
    key: tuple[str, str]  # (kind, id)


def _cell_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value)


def _units(study: StudyRecords) -> dict[str, list[_Unit]]:
    """Every name a column may give a unit by: its id, kind:id, and its label (casefolded)."""
    names: dict[str, list[_Unit]] = {}
    for kind in _UNITS:
        for rid, rec in study.records.get(kind, {}).items():
            shared = find_ref(study.records, _UNITS, rid) is None
            unit = _Unit(f"{kind}:{rid}" if shared else rid, (kind, rid))
            keys = [rid, f"{kind}:{rid}", f"{kind.replace('_', '-')}:{rid}"]
            if isinstance(rec.get("label"), str):
                keys.append(rec.get("label"))
            for key in keys:
                bucket = names.setdefault(key.casefold(), [])
                if unit not in bucket:
                    bucket.append(unit)
    return names


def _unit(study: StudyRecords, names: dict[str, list[_Unit]], header: str, where: str) -> _Unit:
    found = names.get(header.casefold(), [])
    if len(found) == 1:
        return found[0]
    if found:
        raise InputError(
            f"{header!r} names {len(found)} units of study {study.id!r}",
            file=where,
            hint="head the column with the id instead: " + ", ".join(u.ref for u in found),
        )
    ids = [rid for kind in _UNITS for rid in study.records.get(kind, {})]
    guess = suggest(header, ids) or suggest(header.casefold(), list(names))
    listing = ", ".join(ids) or "none: add cases: or case_groups: to study.yaml"
    raise InputError(
        f"{header!r} is not a case or case group of study {study.id!r}",
        file=where,
        hint=(f"did you mean {guess!r}? " if guess else "")
        + "the columns after the construct (and role) column are units: "
        + listing,
    )


def _term(target: str, raw: Any, where: str | None = None, field: str | None = None) -> URIRef:
    """``vocab_term`` of a cell or an option, its error located there."""
    try:
        return vocab_term(target, _cell_text(raw))
    except InputError as exc:
        raise InputError(exc.message, file=where, field=field, hint=exc.hint) from None


def phase_term(phase: str) -> URIRef:
    """The implementation phase that ``--phase`` names (notation or label, any case)."""
    return _term("ImplementationPhase", phase, field="--phase")


@dataclass
class _Cell:
    record: dict[str, Any]
    key: tuple[Any, ...]
    where: str


def _read_cells(
    table: Table,
    study: StudyRecords,
    *,
    source: str,
    phase: URIRef | None,
    attributed_to: str,
) -> list[_Cell]:
    rows = table.rows
    if not rows or not any(v is not None for v in rows[0]):
        raise InputError(
            "the matrix has no header row",
            file=table.where(1),
            hint="row 1 names the columns: construct, (role,) then one unit per column",
        )
    header = [None if v is None else _cell_text(v) for v in rows[0]]
    width = max(len(r) for r in rows)
    header += [None] * (width - len(header))
    has_role = width > 1 and (header[1] or "").casefold() == ROLE_HEADER
    first_unit = 2 if has_role else 1
    names = _units(study)
    units: dict[int, _Unit] = {}
    seen_units: dict[tuple[str, str], int] = {}
    for c in range(first_unit, width):
        name = header[c]
        if name is None:
            filled = next((r for r, row in enumerate(rows[1:], 2) if _at(row, c) is not None), 0)
            if filled:
                raise InputError(
                    "a column without a header holds a value",
                    file=table.where(filled, c + 1),
                    hint="name the unit (case or case group) in row 1 of the column",
                )
            continue
        unit = _unit(study, names, name, table.where(1, c + 1, name))
        if unit.key in seen_units:
            raise InputError(
                f"{unit.ref!r} has two columns",
                file=table.where(1, c + 1, name),
                hint=f"merge it with column {seen_units[unit.key] + 1} (one column per unit)",
            )
        seen_units[unit.key] = c
        units[c] = unit
    phase_notation = term_notation(phase) if phase is not None else None
    cells: list[_Cell] = []
    seen_rows: dict[tuple[URIRef, URIRef | None], int] = {}
    for r, row in enumerate(rows[1:], 2):
        if all(v is None for v in row):
            continue
        if row[0] is None:
            raise InputError(
                "the row rates no construct (its first cell is empty)",
                file=table.where(r, 1, header[0]),
                hint="write the construct's notation (III.F) or label (Compatibility)",
            )
        construct = _term("CFIRConcept", row[0], table.where(r, 1, header[0]))
        role_cell = _at(row, 1) if has_role else None
        role = (
            _term("CFIRRole", role_cell, table.where(r, 2, header[1]))
            if role_cell is not None
            else None
        )
        if (construct, role) in seen_rows:
            raise InputError(
                f"the construct {_cell_text(row[0])!r}"
                + (f" of role {_cell_text(role_cell)!r}" if role is not None else "")
                + f" has two rows ({seen_rows[(construct, role)]} and {r})",
                file=table.where(r),
                hint="keep one row per construct (and role)",
            )
        seen_rows[(construct, role)] = r
        for c, unit in units.items():
            value = _at(row, c)
            where = table.where(r, c + 1, header[c])
            try:
                rating = parse_rating(value)
            except ValueError:
                raise InputError(
                    f"{_cell_text(value)!r} is not a CFIR rating", file=where, hint=RATING_HELP
                ) from None
            if rating is None:
                continue
            valence, strength = rating
            notation = term_notation(construct)
            role_notation = term_notation(role) if role is not None else None
            rid = observation_id(notation, role_notation, unit.key[1], phase_notation)
            if not ID_RE.fullmatch(rid) or len(rid) > ID_MAX:
                raise InputError(
                    f"the observation id {rid!r} would be longer than {ID_MAX} characters",
                    file=where,
                    hint="give the unit a shorter id in study.yaml",
                )
            record: dict[str, Any] = {"id": rid, "construct": notation}
            if role_notation is not None:
                record["role"] = role_notation
            record |= {"observed_in": unit.ref, "valence": valence}
            if strength is not None:
                record["strength"] = strength
            if phase_notation is not None:
                record["phase"] = phase_notation
            record |= {
                "evidence_source": source,
                "attributed_to": attributed_to,
                "rationale": f"Imported from {table.path.name}, "
                f"{table.cell(r, c + 1, quoted=False)}.",
            }
            cells.append(_Cell(record, (construct, role, unit.key, phase), where))
    return cells


def _at(row: list[Any], c: int) -> Any:
    return row[c] if c < len(row) else None


def _key(study: StudyRecords, rec: Record) -> tuple[Any, ...]:
    ref = str(rec.get("observed_in", ""))
    kind = find_ref(study.records, _UNITS, ref) or ""
    return (rec.get("construct"), rec.get("role"), (kind, ref.rpartition(":")[2]), rec.get("phase"))


def _describe(rec: Record) -> str:
    return f"observation {rec.id!r} ({rec.location.file}:{rec.location.line})"


def plan_import(
    table: Table,
    study_dir: Path,
    *,
    source: str,
    phase: str | None = None,
    attributed_to: str = "curation",
    replace: bool = False,
) -> MatrixImport:
    """Read ``table`` as a rating matrix of the study in ``study_dir`` and work out the new text
    of its observations.yaml; nothing is written (see :class:`MatrixImport`)."""
    if not source.strip():
        raise InputError(
            "the source is empty",
            field="--source",
            hint='say where the matrix was read, e.g. --source "Results > Table 3"',
        )
    phase_iri = phase_term(phase) if phase is not None else None
    study = load_study(study_dir)
    cells = _read_cells(
        table, study, source=source.strip(), phase=phase_iri, attributed_to=attributed_to
    )
    existing = {rec.id: rec for rec in study.of("observation")}
    by_key = {_key(study, rec): rec for rec in existing.values()}
    replaced: dict[str, dict[str, Any]] = {}
    added: list[dict[str, Any]] = []
    for cell in cells:
        rid = cell.record["id"]
        other = by_key.get(cell.key)
        if other is not None and other.id != rid:
            raise InputError(
                f"the cell rates what {_describe(other)} already rates (same construct, role, "
                "unit and phase)",
                file=cell.where,
                hint="keep one of the two: empty the cell, or remove the record from "
                "observations.yaml (--replace replaces only records an import wrote)",
            )
        if rid in existing:
            if not replace:
                raise InputError(
                    f"the cell is already imported as {_describe(existing[rid])}",
                    file=cell.where,
                    hint="pass --replace to replace the records an earlier import of this "
                    "matrix wrote (same ids); other records are never changed",
                )
            replaced[rid] = cell.record
        else:
            added.append(cell.record)
    path = study.folder / "observations.yaml"
    text = _new_text(path, replaced, added)
    return MatrixImport(path, text, [r["id"] for r in added], list(replaced))


def _emit(record: dict[str, Any], indent: int) -> str:
    """One record as a YAML block-list item as the data files write them: ids plain, other
    strings double-quoted (a JSON string is a YAML double-quoted scalar)."""
    lines = []
    for n, (key, value) in enumerate(record.items()):
        text = str(value)
        if isinstance(value, str) and not (_PLAIN_RE.fullmatch(value) and value not in _YAML_WORDS):
            text = json.dumps(value, ensure_ascii=False)
        lead = " " * indent + ("- " if n == 0 else "  ")
        lines.append(f"{lead}{key}: {text}\n")
    return "".join(lines)


def _new_text(path: Path, replaced: dict[str, dict[str, Any]], added: list[dict[str, Any]]) -> str:
    """observations.yaml with the ``replaced`` records rewritten where they stand and the
    ``added`` ones appended to its list; the rest of the text (comments included) unchanged.
    The result is parsed again and must hold exactly the expected records."""
    if not path.exists() and not path.is_symlink():
        return _NEW_FILE + "observations:\n" + "".join(_emit(r, 2) for r in added)
    from ipskg.io.yamlio import LineDict, LineList, read_yaml

    old_text = read_text(path)
    data = read_yaml(path)
    lines = old_text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    items = data.get("observations") if isinstance(data, LineDict) else None
    indent = 2
    if isinstance(items, LineList) and items:
        first = lines[items.item_lines[0] - 1]
        indent = first.index("-") if first.lstrip().startswith("-") else 2
        # replace each record's own lines, from its item to its last line that is not a
        # comment or blank (a comment before the next record stays)
        starts = [*items.item_lines, len(lines) + 1]
        for i in reversed(range(len(items))):
            rid = items[i].get("id") if isinstance(items[i], dict) else None
            if rid not in replaced:
                continue
            start, end = starts[i] - 1, starts[i + 1] - 1
            while end > start + 1 and (
                not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
            ):
                end -= 1
            lines[start:end] = [_emit(replaced[rid], indent)]
    elif isinstance(data, LineDict) and "observations" in data:
        at = data.key_lines["observations"] - 1
        lines[at] = _EMPTY_LIST_RE.sub(r"\1", lines[at].rstrip("\n")) + "\n"
    else:
        lines.append("observations:\n")
    text = "".join(lines) + "".join(_emit(r, indent) for r in added)
    old = items if isinstance(items, list) else []
    want = [replaced.get(str(i.get("id")), i) if isinstance(i, dict) else i for i in old]
    want += added
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError:
        parsed = None
    got = (parsed.get("observations") or []) if isinstance(parsed, dict) else None
    if got != _plain(want):
        raise InputError(
            "cannot add the ratings to observations.yaml without changing what else it says "
            "(its observations: list is not a block list of '- id: …' items at the end of the "
            "file)",
            file=path,
            hint="make observations: the file's only key, its records written as '- id: …' "
            "items, and import again; nothing was written",
        )
    return text


def _plain(value: Any) -> Any:
    """A value read by the line-keeping loader as plain lists and dicts, for comparison."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
