"""Read a study folder, check its structure, and return records with their file and line."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from ipskg.io.yamlio import LineDict, LineList, line_of, read_yaml
from ipskg.model.errors import InputError
from ipskg.model.namespaces import IPSKG
from ipskg.model.schema import (
    DATA_COLLECTION_FIELDS,
    FILES,
    KINDS,
    PRIMARY_DATA,
    PROJECT_FIELDS,
    PUBLICATION_FIELDS,
    SOURCE_KINDS,
    STUDY_FIELDS,
    Field,
)
from ipskg.vocab.ontology import vocabulary

__all__ = [
    "Location",
    "Record",
    "StudyRecords",
    "find_ref",
    "find_study_dirs",
    "load_study",
    "suggest",
    "vocab_term",
]

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
ID_MAX = 100
DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"<>\\^`{|}]+")
YEAR_RE = re.compile(r"\d{4}")
YEAR_MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
URL_RE = re.compile(r"https?://[^\s\"<>\\^`{|}]+")
PAGES_RE = re.compile(r"[A-Za-z]?\d+(\s*[-–]\s*[A-Za-z]?\d+)?")
PERCENT_TEXT_RE = re.compile(r"\s*([-+]?\d+(?:[.,]\d+)?)\s*%\s*")
ET_AL_RE = re.compile(r"\bet\.?\s*al\b\.?", re.IGNORECASE)
# identifiers: the scheme, the pattern of its value, an example
IDENTIFIER_SCHEMES: dict[str, tuple[re.Pattern[str], str]] = {
    "pmid": (re.compile(r"\d{1,9}"), "27891567"),
    "pmcid": (re.compile(r"PMC\d{1,9}"), "PMC11877839"),
    "isbn": (re.compile(r"(97[89][- ]?)?\d{1,5}[- ]?\d+[- ]?\d+[- ]?[\dX]"), "978-0-19-973401-6"),
    "url": (URL_RE, "https://example.org/report"),
}
# bibliographic details that are fields of their own, not identifiers
BIBLIOGRAPHIC_KEYS = ("volume", "issue", "pages", "article_number", "year", "journal", "doi")


@dataclass(frozen=True)
class Location:
    """Where a record was written: file, line, the record's id, and each key's line."""

    file: str
    line: int | None
    record: str
    kind: str
    field_lines: dict[str, int] = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Record:
    kind: str
    id: str
    values: dict[str, Any]
    location: Location

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass
class StudyRecords:
    """A study folder after structural checks: everything the RDF mapping needs."""

    id: str
    folder: Path
    study: Record
    publication: Record | None
    project: Record | None
    records: dict[str, dict[str, Record]]  # kind -> id -> record
    data_collection: Record | None = None  # when the study collected its data

    def of(self, kind: str) -> list[Record]:
        return list(self.records.get(kind, {}).values())


def find_study_dirs(root: Path) -> list[Path]:
    """Study folders under a data root (``data/`` or ``data/studies/``), sorted by name.

    Every folder under ``studies/`` is a study folder (one without a study.yaml is an error
    when it is loaded, never skipped); names starting with ``.`` or ``_`` are not studies.
    """
    if not root.is_dir():
        raise InputError(
            "no such data folder" if not root.exists() else "the data folder is not a folder",
            file=root,
            hint="give the folder that holds studies/<id>/ (for example data/)",
        )
    studies = root / "studies" if (root / "studies").is_dir() else root
    if (studies / "study.yaml").exists() or (studies / "study.yaml").is_symlink():
        return [studies]
    try:
        entries = sorted(studies.iterdir())
    except OSError as exc:
        raise InputError(f"cannot list the data folder: {exc.strerror}", file=studies) from None
    return [p for p in entries if p.is_dir() and not p.name.startswith((".", "_"))]


def _suggest(name: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return found[0] if found else None


suggest = _suggest
"""``suggest(name, choices)``: the closest of ``choices`` to a misspelled ``name`` (a did-you-mean
hint), for the readers of other formats (studies.matrix)."""


class _Reader:
    """Checks one study folder; collects refs to resolve after every file is read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.records: dict[str, dict[str, Record]] = {}
        self.pending_refs: list[tuple[Record, str, Field, Any, int | None]] = []
        self.pending_sources: list[tuple[Location, str, str]] = []
        self.pending_transcripts: list[tuple[Location, str, str]] = []

    # ------------------------------------------------------------ values
    def _error(
        self, msg: str, loc: Location, key: str | None, hint: str | None = None
    ) -> InputError:
        line = loc.field_lines.get(key, loc.line) if key else loc.line
        return InputError(msg, file=loc.file, line=line, record=loc.record, field=key, hint=hint)

    def _value(self, key: str, spec: Field, raw: Any, loc: Location) -> Any:
        t = spec.type
        if t == "str":
            if isinstance(raw, bool) or not isinstance(raw, str | int | float):
                raise self._error(f"expected text, got {_describe(raw)}", loc, key)
            return str(raw)
        if t in ("text-list", "authors"):
            if isinstance(raw, str):
                raw = [raw]
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                raise self._error(f"expected a list of texts, got {_describe(raw)}", loc, key)
            if t == "authors":
                for name in raw:
                    if ET_AL_RE.search(name):
                        raise self._error(
                            f"{name!r} is not an author: list every author in the order printed",
                            loc,
                            key,
                            hint="write all authors' names; if the source you have lists only "
                            "some, give those and add authors_complete: false",
                        )
                    if not name.strip():
                        raise self._error("an author's name is empty", loc, key)
            return list(raw)
        if t == "number":
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                fix = f"write {key}: as a number without quotes, e.g. {key}: 12.5"
                if isinstance(raw, str) and (m := PERCENT_TEXT_RE.fullmatch(raw)):
                    number = m.group(1).replace(",", ".")
                    fix = f"write {number} with unit: percent"
                raise self._error(f"expected a number, got {_describe(raw)}", loc, key, hint=fix)
            if (isinstance(raw, float) and raw != raw) or raw in (float("inf"), float("-inf")):
                raise self._error(f"expected a finite number, got {raw}", loc, key)
            return raw
        if t == "year":
            if isinstance(raw, bool) or not isinstance(raw, int) or not 1000 <= raw <= 9999:
                raise self._error(
                    f"expected a year (four digits), got {_describe(raw)}",
                    loc,
                    key,
                    hint=f"write {key}: 2025, without quotes",
                )
            return raw
        if t == "doi":
            doi = str(raw).strip() if isinstance(raw, str) else None
            if doi is None or not DOI_RE.fullmatch(doi):
                raise self._error(
                    f"{raw!r} is not a DOI",
                    loc,
                    key,
                    hint="write the DOI without a resolver prefix, e.g. 10.1186/s12913-025-12495-1",
                )
            return doi
        if t == "url":
            url = raw.strip() if isinstance(raw, str) else None
            if url is None or not URL_RE.fullmatch(url):
                raise self._error(
                    f"{raw!r} is not a web address",
                    loc,
                    key,
                    hint="give the full address starting with https:// (it is kept as text and "
                    "never fetched)",
                )
            return url
        if t == "pages":
            pages = str(raw).strip() if isinstance(raw, str | int) else None
            if pages is None or isinstance(raw, bool) or not PAGES_RE.fullmatch(pages):
                raise self._error(
                    f"{raw!r} is not a page range",
                    loc,
                    key,
                    hint='write the first and last page, e.g. pages: "158-173" (an article '
                    "number goes under article_number:)",
                )
            return re.sub(r"\s*[-–]\s*", "–", pages)
        if t == "identifiers":
            if not isinstance(raw, dict):
                raise self._error(f"expected a mapping, got {_describe(raw)}", loc, key)
            ids: dict[str, str] = {}
            for scheme, value in raw.items():
                scheme = str(scheme)
                if scheme in BIBLIOGRAPHIC_KEYS:
                    raise self._error(
                        f"{scheme!r} is not an identifier",
                        loc,
                        key,
                        hint=f"write {scheme}: … directly under publication:, not under "
                        "identifiers:",
                    )
                if scheme not in IDENTIFIER_SCHEMES:
                    raise self._error(
                        f"{scheme!r} is not a known identifier scheme",
                        loc,
                        key,
                        hint="identifiers: takes " + ", ".join(IDENTIFIER_SCHEMES),
                    )
                pattern, example = IDENTIFIER_SCHEMES[scheme]
                text = str(value).strip()
                if isinstance(value, bool) or not pattern.fullmatch(text):
                    raise self._error(
                        f"{value!r} is not a valid {scheme}",
                        loc,
                        key,
                        hint=f"e.g. {scheme}: {example!r}",
                    )
                ids[scheme] = text
            return ids
        if t in ("int", "posint", "nonneg"):
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise self._error(
                    f"expected a whole number, got {_describe(raw)}",
                    loc,
                    key,
                    hint=f"write {key}: as a number without quotes, e.g. {key}: 3",
                )
            if t == "posint" and raw < 1:
                raise self._error(f"expected a number of 1 or more, got {raw}", loc, key)
            if t == "nonneg" and raw < 0:
                raise self._error(f"expected a number of 0 or more, got {raw}", loc, key)
            return raw
        if t == "bool":
            if not isinstance(raw, bool):
                raise self._error(
                    f"expected true or false, got {_describe(raw)}",
                    loc,
                    key,
                    hint="write true or false without quotes; leave the key out when unknown",
                )
            return raw
        if t == "scalar":
            if isinstance(raw, str) and (m := PERCENT_TEXT_RE.fullmatch(raw)):
                number = m.group(1).replace(",", ".")
                raise self._error(
                    f"{raw!r} is a percentage written as text",
                    loc,
                    key,
                    hint=f"write {key}: {number} with unit: percent (or record the figure in "
                    "outcomes.yaml)",
                )
            if isinstance(raw, float) and (raw != raw or raw in (float("inf"), float("-inf"))):
                raise self._error(f"expected a finite number, got {raw}", loc, key)
            if isinstance(raw, bool | int | float | str | dt.date):
                return raw
            raise self._error(f"expected a single value, got {_describe(raw)}", loc, key)
        if t == "date":
            if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
                return raw
            raise self._error(
                f"expected a date (YYYY-MM-DD), got {_describe(raw)}",
                loc,
                key,
                hint="write the date as e.g. 2024-03-01, without quotes",
            )
        if t == "partial-date":
            if isinstance(raw, int) and 1000 <= raw <= 9999:
                return str(raw)
            if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
                return raw
            if isinstance(raw, str) and (YEAR_RE.fullmatch(raw) or YEAR_MONTH_RE.fullmatch(raw)):
                return raw
            raise self._error(f"expected a year, YYYY-MM or a date, got {_describe(raw)}", loc, key)
        if t == "enum":
            choices = spec.target if isinstance(spec.target, tuple) else (spec.target,)
            if raw not in choices:
                hint = _suggest(str(raw), list(choices))
                raise self._error(
                    f"{raw!r} is not one of: {', '.join(choices)}",
                    loc,
                    key,
                    hint=f"did you mean {hint!r}?" if hint else None,
                )
            return raw
        if t == "source":
            return self._source(key, raw, loc)
        if t in ("vocab", "vocabs"):
            items = raw if t == "vocabs" else [raw]
            if t == "vocabs" and not isinstance(raw, list):
                items = [raw]
            return (
                [self._vocab(key, spec, item, loc) for item in items]
                if t == "vocabs"
                else (self._vocab(key, spec, raw, loc))
            )
        if t in ("ref", "refs"):
            items = raw if isinstance(raw, list) else [raw]
            if t == "ref" and isinstance(raw, list):
                raise self._error(f"expected one id, got a list of {len(raw)}", loc, key)
            for item in items:
                if not isinstance(item, str | int) or isinstance(item, bool):
                    raise self._error(f"expected an id, got {_describe(item)}", loc, key)
            return [str(i) for i in items] if t == "refs" else str(raw)
        if t == "map-int":
            if not isinstance(raw, dict):
                raise self._error(
                    f"expected a mapping of item: score, got {_describe(raw)}", loc, key
                )
            scores: dict[str, int] = {}
            for k, v in raw.items():
                if isinstance(v, bool) or not isinstance(v, int):
                    raise self._error(
                        f"score of {k} must be a whole number, got {_describe(v)}",
                        loc,
                        key,
                    )
                scores[str(k)] = v
            return scores
        if t == "attributes":
            if not isinstance(raw, dict):
                raise self._error(
                    f"expected a mapping of attribute: value, got {_describe(raw)}",
                    loc,
                    key,
                    hint='e.g. attributes: {region: "North", sustained: true}',
                )
            attrs: dict[str, Any] = {}
            for k, v in raw.items():
                attrs[str(k)] = self._value(key, Field("scalar"), v, loc)
            return attrs
        if t == "map-str":
            if not isinstance(raw, dict):
                raise self._error(f"expected a mapping, got {_describe(raw)}", loc, key)
            return {str(k): str(v) for k, v in raw.items()}
        raise AssertionError(f"unknown field type {t}")

    def _source(self, key: str, raw: Any, loc: Location) -> dict[str, str]:
        example = (
            'e.g. source: "Methods > Context", or source: {section: Results, locator: Table 1}'
        )
        if isinstance(raw, str) and raw.strip():
            raw = {"section": raw}
        if not isinstance(raw, dict):
            raise self._error(
                f"expected a source (a section path), got {_describe(raw)}", loc, key, hint=example
            )
        allowed = ("section", "locator", "document", "kind", "via", "transcript")
        unknown = [k for k in raw if k not in allowed]
        if unknown:
            guess = _suggest(str(unknown[0]), list(allowed))
            raise self._error(
                f"unknown key {unknown[0]!r} in a source",
                loc,
                key,
                hint=f"did you mean {guess!r}?"
                if guess
                else "a source takes " + ", ".join(allowed),
            )
        transcript = raw.get("transcript")
        if transcript is not None:
            # the study's own coded data: a transcript of its QDA project (coding.yaml)
            if not isinstance(transcript, str) or len(raw) > 1 + ("locator" in raw):
                raise self._error(
                    "a source in a transcript is {transcript: <documents id>} (and optionally "
                    "locator:), nothing else",
                    loc,
                    key,
                )
            self.pending_transcripts.append((loc, key, transcript))
            out_t = {"transcript": transcript.strip(), "kind": PRIMARY_DATA}
            if "locator" in raw:
                out_t["locator"] = str(raw["locator"]).strip()
            return out_t
        section = raw.get("section")
        if not isinstance(section, str) or not section.strip():
            raise self._error(
                "a source needs section: (the heading path, or unknown)",
                loc,
                key,
                hint="write section: unknown when the source does not tell, e.g. for a "
                "secondary summary",
            )
        out = {"section": section.strip()}
        for name in ("locator", "kind", "via", "document"):
            value = raw.get(name)
            if value is None:
                continue
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise self._error(f"{name} must be text, got {_describe(value)}", loc, key)
            out[name] = str(value).strip()
        if "kind" in out and out["kind"] not in (*SOURCE_KINDS, PRIMARY_DATA):
            raise self._error(
                f"{out['kind']!r} is not a source kind",
                loc,
                key,
                hint="kind: is one of " + ", ".join((*SOURCE_KINDS, PRIMARY_DATA)),
            )
        if "document" in out and not DOI_RE.fullmatch(out["document"]):
            raise self._error(
                f"document {out['document']!r} is not a DOI",
                loc,
                key,
                hint="give its DOI, e.g. document: 10.1176/appi.ps.201500301",
            )
        if "via" in out:
            if "document" in out:
                raise self._error(
                    "a source is either a companion publication (document:) or a secondary "
                    "source (via:), not both",
                    loc,
                    key,
                )
            if out.get("kind", "summary") not in ("summary", "index-entry"):
                raise self._error(
                    f"a source read via a secondary source cannot be of kind {out['kind']!r}",
                    loc,
                    key,
                    hint="leave kind: out (the secondary source's own kind is used)",
                )
            self.pending_sources.append((loc, key, out["via"]))
        return out

    def _vocab(self, key: str, spec: Field, raw: Any, loc: Location) -> URIRef:
        try:
            return vocab_term(spec.target, raw)
        except InputError as exc:
            raise self._error(exc.message, loc, key, hint=exc.hint) from None

    # ------------------------------------------------------------ records
    def record(
        self,
        kind: str,
        fields: dict[str, Field],
        raw: Any,
        file: Path,
        line: int | None,
        fallback_id: str | None = None,
    ) -> Record:
        rel = self._rel(file)
        if not isinstance(raw, LineDict):
            raise InputError(
                f"expected a {kind.replace('_', ' ')} record (a mapping of key: value), "
                f"got {_describe(raw)}",
                file=rel,
                line=line,
            )
        rid = raw.get("id", fallback_id)
        loc = Location(
            rel, raw.line, str(rid) if rid is not None else "?", kind, dict(raw.key_lines)
        )
        for key in raw:
            if key not in fields:
                guess = _suggest(key, list(fields))
                raise self._error(
                    f"unknown key {key!r} in a {kind.replace('_', ' ')} record",
                    loc,
                    key,
                    hint=(
                        f"did you mean {guess!r}?"
                        if guess
                        else "allowed keys: " + ", ".join(fields)
                    ),
                )
        for key, spec in fields.items():
            if spec.required and raw.get(key) is None and not (key == "id" and fallback_id):
                raise self._error(
                    f"missing required key {key!r}", loc, None, hint=f"add {key}: … to this record"
                )
        if (
            "id" in fields
            and rid is not None
            and (not isinstance(rid, str) or not ID_RE.fullmatch(rid))
        ):
            raise self._error(
                f"id {rid!r} is not a valid id",
                loc,
                "id",
                hint=f"use lower-case letters, digits and '-' (at most {ID_MAX} characters), "
                "e.g. case-a",
            )
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if value is None:
                continue  # an empty key is the same as a missing one: unknown stays unknown
            spec = fields[key]
            values[key] = self._value(key, spec, value, loc)
        rec = Record(kind, str(rid) if rid is not None else "", values, loc)
        for key, spec in fields.items():
            if spec.type in ("ref", "refs") and key in values:
                self.pending_refs.append((rec, key, spec, values[key], loc.field_lines.get(key)))
        return rec

    def _rel(self, file: Path) -> str:
        try:
            return str(file.relative_to(Path.cwd()))
        except ValueError:
            return str(file)

    def add(self, rec: Record) -> None:
        table = self.records.setdefault(rec.kind, {})
        if rec.id in table:
            first = table[rec.id].location
            raise InputError(
                f"duplicate id {rec.id!r}: already used by the {rec.kind.replace('_', ' ')} at "
                f"{first.file}:{first.line}",
                file=rec.location.file,
                line=rec.location.line,
                record=rec.id,
                field="id",
                hint="give each record its own id",
            )
        table[rec.id] = rec

    def resolve_refs(self) -> None:
        for rec, key, spec, value, line in self.pending_refs:
            targets = spec.target if isinstance(spec.target, tuple) else (spec.target,)
            for ref in value if isinstance(value, list) else [value]:
                if find_ref(self.records, targets, ref) is not None:
                    continue
                what = " or ".join(t.replace("_", " ") for t in targets)
                kind, sep, bare = ref.partition(":")
                if sep and kind.replace("-", "_") in targets:
                    targets, ref = (kind.replace("-", "_"),), bare
                found = [t for t in targets if ref in self.records.get(t, {})]
                if len(found) > 1:
                    raise InputError(
                        f"{ref!r} names records of several kinds ({', '.join(found)})",
                        file=rec.location.file,
                        line=line or rec.location.line,
                        record=rec.id,
                        field=key,
                        hint=f"write the kind before the id, e.g. {found[0]}:{ref}",
                    )
                known = [i for t in targets for i in self.records.get(t, {})]
                guess = _suggest(ref, known)
                raise InputError(
                    f"{ref!r} does not name any {what} in this study",
                    file=rec.location.file,
                    line=line or rec.location.line,
                    record=rec.id,
                    field=key,
                    hint=(f"did you mean {guess!r}?" if guess else f"define the {what} first"),
                )
        for pending, kind, what, where in (
            (self.pending_sources, "secondary_source", "via", "secondary_sources: in study.yaml"),
            (self.pending_transcripts, "document", "transcript", "documents: in coding.yaml"),
        ):
            for loc, key, ref in pending:
                if ref in self.records.get(kind, {}):
                    continue
                guess = _suggest(ref, list(self.records.get(kind, {})))
                raise InputError(
                    f"{what}: {ref!r} does not name a {kind.replace('_', ' ')} of this study",
                    file=loc.file,
                    line=loc.field_lines.get(key, loc.line),
                    record=loc.record,
                    field=key,
                    hint=f"did you mean {guess!r}?" if guess else f"define it under {where}",
                )


def vocab_term(target: str | tuple[str, ...], raw: Any) -> URIRef:
    """The ontology term a data file names by ``raw`` (notation, label or local name,
    case-insensitively) among the instances of the class(es) ``target`` (e.g. "CFIRConcept");
    a name that matches nothing is an InputError with a did-you-mean and the allowed names (the
    caller adds where it was written)."""
    targets = target if isinstance(target, tuple) else (target,)
    vocabs = [vocabulary(str(IPSKG[t]), t) for t in targets]
    for v in vocabs:
        iri = v.resolve(raw)
        if iri is not None:
            return iri
    suggestion = next((s for v in vocabs if (s := v.suggest(raw))), None)
    what = " or ".join(_KIND_NAMES.get(t, t) for t in targets)
    choices = [c for v in vocabs for c in v.choices()]
    listing = "one of: " + ", ".join(choices)
    hint = f"did you mean {suggestion}? Allowed: {listing}" if suggestion else f"use {listing}"
    raise InputError(f"{raw!r} is not a known {what}", hint=hint)


def find_ref(
    records: dict[str, dict[str, Record]], targets: tuple[str, ...] | str, ref: str
) -> str | None:
    """The kind of record an id (or a ``kind:id``) names among ``targets``, if exactly one."""
    targets = targets if isinstance(targets, tuple) else (targets,)
    kind, sep, bare = ref.partition(":")
    if sep and kind.replace("-", "_") in targets:
        kind = kind.replace("-", "_")
        return kind if bare in records.get(kind, {}) else None
    found = [t for t in targets if ref in records.get(t, {})]
    return found[0] if len(found) == 1 else None


_KIND_NAMES = {
    "CFIRConcept": "CFIR 2022 construct or subconstruct",
    "CFIRRole": "CFIR 2022 role",
    "StudyAspect": "study aspect",
    "RobustnessLevel": "robustness level",
    "IntegrationModel": "integration model",
    "InterviewSetting": "interview setting",
    "Valence": "valence",
    "FidelityBand": "fidelity band",
    "FidelityScale": "fidelity scale",
    "Pathway": "pathway",
    "OutcomeType": "outcome type",
    "MeasurementUnit": "unit",
    "SummaryStatistic": "summary statistic",
    "SustainmentStatus": "sustainment status",
    "EffectMeasure": "effect measure",
    "ImplementationPhase": "implementation phase",
    "ReviewerType": "reviewer type",
    "ChangeKind": "kind of change",
    "ImplementationStrategy": "ERIC implementation strategy",
}


def _describe(value: Any) -> str:
    if isinstance(value, LineDict | dict):
        return "a mapping"
    if isinstance(value, LineList | list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{type(value).__name__} {value!r}"


def load_study(folder: Path) -> StudyRecords:
    """Read and structurally check one study folder (``data/studies/<id>/``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a study folder", file=folder, hint="give data/studies/<study-id>")
    study_file = folder / "study.yaml"
    if not study_file.is_file():
        raise InputError(
            "the study folder has no study.yaml",
            file=folder,
            hint="every study folder needs a study.yaml (see data/README.md)",
        )
    reader = _Reader(folder)
    known_files = set(FILES)
    for extra in sorted(folder.iterdir()):
        if extra.suffix in (".yaml", ".yml") and extra.name not in known_files:
            raise InputError(
                f"unknown data file {extra.name!r}",
                file=extra,
                hint="a study folder holds " + ", ".join(FILES),
            )
    study: Record | None = None
    publication = project = data_collection = None
    for name, lists in FILES.items():
        path = folder / name
        if not path.exists() and not path.is_symlink():
            continue  # an optional file left out; anything else by this name is read (or refused)
        data = read_yaml(path)
        rel = reader._rel(path)
        if not isinstance(data, LineDict):
            raise InputError(
                f"expected a mapping at the top of the file, got {_describe(data)}",
                file=rel,
                line=1,
                hint="start the file with " + " / ".join(f"{k}:" for k in lists),
            )
        allowed = set(lists) | (set(STUDY_FIELDS) if name == "study.yaml" else set())
        for key in data:
            if key not in allowed:
                guess = _suggest(key, sorted(allowed))
                raise InputError(
                    f"unknown top-level key {key!r}",
                    file=rel,
                    line=data.key_lines.get(key),
                    field=key,
                    hint=f"did you mean {guess!r}?"
                    if guess
                    else "allowed: " + ", ".join(sorted(allowed)),
                )
        if name == "study.yaml":
            head = LineDict(
                {
                    k: v
                    for k, v in data.items()
                    if k in STUDY_FIELDS and STUDY_FIELDS[k].type != "record"
                }
            )
            head.line, head.key_lines = data.line, data.key_lines
            study = reader.record(
                "study",
                {k: v for k, v in STUDY_FIELDS.items() if v.type != "record"},
                head,
                path,
                1,
            )
            if study.id != folder.name:
                raise InputError(
                    f"study id {study.id!r} differs from its folder name {folder.name!r}",
                    file=rel,
                    line=data.key_lines.get("id"),
                    field="id",
                    hint=f"rename the folder or set id: {folder.name}",
                )
            if data.get("publication") is not None:
                publication = reader.record(
                    "publication",
                    PUBLICATION_FIELDS,
                    data["publication"],
                    path,
                    data.key_lines.get("publication"),
                    fallback_id="publication",
                )
            if data.get("project") is not None:
                project = reader.record(
                    "project", PROJECT_FIELDS, data["project"], path, data.key_lines.get("project")
                )
            if data.get("data_collection") is not None:
                data_collection = reader.record(
                    "data_collection",
                    DATA_COLLECTION_FIELDS,
                    data["data_collection"],
                    path,
                    data.key_lines.get("data_collection"),
                    fallback_id="data-collection",
                )
        for list_key, kind in lists.items():
            items = data.get(list_key)
            if items is None:
                continue
            if not isinstance(items, LineList):
                raise InputError(
                    f"{list_key!r} must be a list of records (each starting with '- id: …')",
                    file=rel,
                    line=data.key_lines.get(list_key),
                    field=list_key,
                )
            for item, line in zip(items, items.item_lines, strict=True):
                reader.add(reader.record(kind, KINDS[kind].fields, item, path, line))
    assert study is not None
    reader.resolve_refs()
    return StudyRecords(
        study.id, folder, study, publication, project, reader.records, data_collection
    )


__all__ += ["line_of"]
