"""A REFI-QDA project → a reviewable study folder in the researcher format.

What goes in: the codebook (``coding.yaml`` codes, with their CFIR mapping), every non-empty
text selection that carries a code as a quote (its exact text and its positions in the
transcript), the codings (code, coder, date), memos, cases with their variables, and, from
the team's mapping of codes to CFIR constructs and valences, one starting rating per
construct, unit and phase (``observations.yaml``, attributed to curation, with the rule in
its rationale). What stays out, and is reported: the transcripts' text and names, the
users' names (coders become ``coder-1`` …), the archive's local ``basePath``, sources other
than text, sets, links and graphs.

Every id is made from content (the transcript's SHA-256, positions, code paths, names), never
from the exporter's GUIDs, which change on every export: re-importing a re-exported project
gives the same ids and so the same IRIs.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib.namespace import RDF

from ipskg.io.yamlio import LineDict, line_of, read_yaml
from ipskg.model.errors import InputError
from ipskg.model.namespaces import IPSKG
from ipskg.studies.qdaproject import Project, Selection, Source
from ipskg.vocab.ontology import vocabulary

__all__ = ["CodeMap", "ImportResult", "import_project", "read_code_map", "starter_map"]

_SLUG = re.compile(r"[^a-z0-9]+")
_VALENCE_MARK = re.compile(
    r"\s*(?:\(?(?P<word>barrier|facilitator|mixed|neutral|neg|pos|negative|positive)\)?"
    r"|(?P<sign>[+\-−]))\s*$",
    re.I,
)
_WORD_VALENCE = {
    "barrier": "-",
    "neg": "-",
    "negative": "-",
    "facilitator": "+",
    "pos": "+",
    "positive": "+",
    "mixed": "X",
    "neutral": "0",
}
_MAP_KEYS = {"construct", "role", "valence", "phase", "theme", "review", "note"}
_THEME_KEYS = {"kind", "label", "parent", "pathway", "defining_features"}


def _slug(text: str, limit: int = 60) -> str:
    return _SLUG.sub("-", text.casefold()).strip("-")[:limit].strip("-") or "x"


def _notation(display: str | None) -> str:
    """The notation of a vocabulary entry as shown ("II.F (Financing)" → "II.F")."""
    return (display or "").split(" (")[0]


def _digest(*parts: object, n: int = 10) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:n]


def _date(stamp: str | None) -> dt.date | None:
    if not stamp:
        return None
    try:
        return dt.date.fromisoformat(stamp[:10])
    except ValueError:
        return None


# ------------------------------------------------------------------ the team's code map
@dataclass
class CodeRule:
    construct: str | None = None
    role: str | None = None
    valence: str | None = None
    phase: str | None = None
    theme: str | None = None  # a themes: id of the map (a leadership approach or sub-theme)


@dataclass
class CodeMap:
    """The team's import settings: study block, code → CFIR rules, documents → cases."""

    path: Path | None = None
    study: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, CodeRule] = field(default_factory=dict)
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    themes: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_code_map(path: Path, project: Project) -> CodeMap:
    """Read and check a code map (``ipskg import qdpx --codes``); errors name the line."""
    data = read_yaml(path)
    if not isinstance(data, LineDict):
        raise InputError("a code map is a mapping with study:, codes: and cases:", file=path)
    for key in data:
        if key not in ("study", "codes", "cases", "themes"):
            raise InputError(
                f"unknown key {key!r} in a code map",
                file=path,
                line=line_of(data, key),
                hint="a code map has study:, themes:, codes: and cases:",
            )
    out = CodeMap(path=path, study=dict(data.get("study") or {}))
    for theme_id, spec in (data.get("themes") or {}).items():
        line = line_of(data.get("themes"), theme_id)
        if not isinstance(spec, dict) or not spec.get("label") or set(spec) - _THEME_KEYS:
            raise InputError(
                f"theme {theme_id!r} needs label: and takes only " + ", ".join(sorted(_THEME_KEYS)),
                file=path,
                line=line,
                hint="e.g. recovery-vision: {kind: sub-theme, parent: visionary-approach, "
                'label: "Recovery vision", pathway: "Direct Leadership-Sustainment Pathway"}',
            )
        out.themes[str(theme_id)] = dict(spec)
    names = {"/".join(c.path): c for c in project.codes.values()}
    for name, rule in (data.get("codes") or {}).items():
        line = line_of(data.get("codes"), name)
        if str(name) not in names:
            import difflib

            guess = difflib.get_close_matches(str(name), list(names), n=1)
            raise InputError(
                f"code {name!r} is not in the project's codebook",
                file=path,
                line=line,
                field="codes",
                hint=f"did you mean {guess[0]!r}?"
                if guess
                else "write the code's path as the codebook gives it, parents first, joined by /",
            )
        rule = rule or {}
        if not isinstance(rule, dict):
            raise InputError(
                f"the rule for code {name!r} must be a mapping (construct:, valence:, …)",
                file=path,
                line=line,
            )
        unknown = set(rule) - _MAP_KEYS
        if unknown:
            raise InputError(
                f"unknown key {sorted(unknown)[0]!r} in the rule for code {name!r}",
                file=path,
                line=line_of(rule, sorted(unknown)[0]) or line,
                hint="a rule has " + ", ".join(sorted(_MAP_KEYS)),
            )
        if rule.get("review"):
            raise InputError(
                f"the mapping of code {name!r} is still marked review: true",
                file=path,
                line=line_of(rule, "review") or line,
                hint="check the guessed construct, role and valence, then delete the "
                "review: line (or delete the rule to keep the code without a CFIR mapping)",
            )
        resolved = CodeRule()
        for key, cls in (
            ("construct", "CFIRConcept"),
            ("role", "CFIRRole"),
            ("valence", "Valence"),
            ("phase", "ImplementationPhase"),
        ):
            value = rule.get(key)
            if value is None:
                continue
            vocab = vocabulary(str(IPSKG[cls]), cls)
            iri = vocab.resolve(value)
            if iri is None:
                suggestion = vocab.suggest(value)
                raise InputError(
                    f"{value!r} is not a known {key} (code {name!r})",
                    file=path,
                    line=line_of(rule, key) or line,
                    field=key,
                    hint=f"did you mean {suggestion}?" if suggestion else "see docs/data-values.md",
                )
            setattr(resolved, key, _notation(vocab.display.get(iri, str(value))))
        if rule.get("theme") is not None:
            if str(rule["theme"]) not in out.themes:
                import difflib

                close = difflib.get_close_matches(str(rule["theme"]), list(out.themes), n=1)
                raise InputError(
                    f"theme {rule['theme']!r} of code {name!r} is not under themes: in the map",
                    file=path,
                    line=line_of(rule, "theme") or line,
                    hint=f"did you mean {close[0]!r}?" if close else "define it under themes:",
                )
            resolved.theme = str(rule["theme"])
        if resolved.construct is None and (resolved.valence or resolved.role):
            raise InputError(
                f"the rule for code {name!r} gives a valence or role but no construct",
                file=path,
                line=line,
                hint="add construct: (a CFIR 2022 code or name)",
            )
        out.codes[str(name)] = resolved
    documents = {s.name for s in project.sources}
    for case_id, spec in (data.get("cases") or {}).items():
        line = line_of(data.get("cases"), case_id)
        if not isinstance(spec, dict) or not isinstance(spec.get("documents"), list):
            raise InputError(
                f"case {case_id!r} needs documents: a list of document names (wildcards * ?)",
                file=path,
                line=line,
            )
        for pattern in spec["documents"]:
            if not any(fnmatch.fnmatchcase(d, str(pattern)) for d in documents):
                raise InputError(
                    f"document pattern {pattern!r} of case {case_id!r} matches no document "
                    "of the project",
                    file=path,
                    line=line_of(spec, "documents") or line,
                    hint="the project's documents: " + ", ".join(sorted(documents)[:10]),
                )
        out.cases[_slug(str(case_id))] = dict(spec)
    return out


def starter_map(project: Project) -> str:
    """A code map to start from: a guess for every code whose name reads as a CFIR 2022
    construct (with an optional role, ``Role: Characteristic``, and a trailing valence sign or
    word), each marked ``review: true``; the import refuses a map until every mark is gone."""
    constructs = vocabulary(str(IPSKG.CFIRConcept), "CFIRConcept")
    roles = vocabulary(str(IPSKG.CFIRRole), "CFIRRole")
    lines = [
        f"# Code map for the REFI-QDA project {project.name!r}, written by ipskg import",
        "# codes-map. Every guess is marked review: true: check it, then delete that line.",
        "# A code without a rule stays in the codebook with its quotes, and gets no rating.",
        "study:",
        f"  id: {_slug(project.name)}",
        f"  title: {_yaml_scalar(project.name)}",
        "  language: und         # the transcripts' language (e.g. en, fi); und = not stated",
        "  # publication: {doi: …, title: …, authors: [...], journal: …, year: …,",
        "  #               source: Front matter}   (validate asks for one)",
        "codes:",
    ]
    from ipskg.vocab.ontology import ontology_graph

    graph = ontology_graph()
    ratable = {  # constructs, subconstructs and characteristics: not domains or subdomains
        iri
        for cls in ("CFIRConstruct", "CFIRSubconstruct", "CFIRCharacteristic")
        for iri in graph.subjects(RDF.type, IPSKG[cls])
    }

    for code in sorted(project.codes.values(), key=lambda c: c.path):
        name = "/".join(code.path)
        bare, valence = re.sub(r"[_\s]+", " ", code.name).strip(), None
        if m := _VALENCE_MARK.search(bare):
            bare = bare[: m.start()]
            valence = (
                _WORD_VALENCE[m.group("word").casefold()]
                if m.group("word")
                else ("-" if m.group("sign") in "-−" else "+")
            )
        role = None
        construct = constructs.resolve(bare)
        if construct is None and ":" in bare:
            who, _, what = bare.partition(":")
            role, construct = roles.resolve(who), constructs.resolve(what)
        if construct is None and role is None:  # "high level leaders motivation"
            for size in range(len(bare.split()) - 1, 0, -1):
                words = bare.split()
                who, what = " ".join(words[:size]), " ".join(words[size:])
                if roles.resolve(who) and constructs.resolve(what):
                    role, construct = roles.resolve(who), constructs.resolve(what)
                    break
        guess = construct or constructs.resolve(constructs.suggest(bare) or "")
        if guess is None or guess not in ratable:
            lines.append(f"  # {_yaml_scalar(name)}: no CFIR 2022 construct recognised in the name")
            continue
        shown = constructs.display.get(guess)
        lines.append(f"  {_yaml_scalar(name)}:")
        lines.append(f"    construct: {_notation(shown)}    # {shown}")
        if role is not None:
            lines.append(
                f"    role: {_notation(roles.display.get(role))}    # {roles.display.get(role)}"
            )
        if valence is not None:
            lines.append(f'    valence: "{valence}"')
        lines.append("    review: true")
    lines += [
        "# cases:                 # when the project has no cases: which documents are whose",
        '#   site-north: {label: Site North, documents: ["Interview 01*"]}',
    ]
    return "\n".join(lines) + "\n"


def _yaml_scalar(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=1000).strip().removesuffix("\n...")


# ------------------------------------------------------------------ the import
@dataclass
class ImportResult:
    files: dict[str, str]
    counts: dict[str, int]
    left_out: list[str]
    notes: list[str]


class _Import:
    def __init__(self, project: Project, codemap: CodeMap, study_id: str) -> None:
        self.p = project
        self.map = codemap
        self.sid = study_id
        self.doc_id = {s.guid: f"t-{s.sha256[:10]}" for s in project.sources}
        self.code_id: dict[str, str] = {}
        taken: set[str] = set()
        for code in sorted(project.codes.values(), key=lambda c: c.path):
            base = _slug("-".join(code.path), 90)
            cid, n = base, 2
            while cid in taken:
                cid, n = f"{base}-{n}", n + 1
            taken.add(cid)
            self.code_id[code.guid] = cid
        names = sorted({n for n in project.users.values()})
        self.coder_of_name = {name: f"coder-{i}" for i, name in enumerate(names, 1)}
        self.used_coders: set[str] = set()
        self.case_id: dict[str, str] = {}
        self.doc_case: dict[str, str] = {}
        self.sel_case: dict[str, str] = {}
        self.notes: list[str] = []
        self.left_out: list[str] = []

    def coder(self, user_guid: str | None) -> str | None:
        name = self.p.users.get(user_guid or "")
        if name is None:
            return None
        cid = self.coder_of_name[name]
        self.used_coders.add(cid)
        return cid

    # ---- cases
    def cases(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        taken: set[str] = set()
        doc_cases: dict[str, set[str]] = {}
        for case in sorted(self.p.cases, key=lambda c: c.name):
            cid, n = _slug(case.name), 2
            while cid in taken:
                cid, n = f"{_slug(case.name)}-{n}", n + 1
            taken.add(cid)
            self.case_id[case.guid] = cid
            rec: dict[str, Any] = {"id": cid, "label": case.name}
            if case.variables:
                rec["attributes"] = dict(case.variables)
            rec["source"] = {"section": f"Cases > {case.name}", "kind": "primary-data"}
            out.append(rec)
            for guid in case.sources:
                doc_cases.setdefault(guid, set()).add(cid)
            for guid in case.selections:
                self.sel_case[guid] = cid
        for cid, spec in self.map.cases.items():
            if cid in taken:
                raise InputError(
                    f"the code map's case {cid!r} is also a case of the project",
                    file=self.map.path,
                    hint="give it another id, or leave cases: out of the map",
                )
            taken.add(cid)
            rec = {"id": cid, "label": str(spec.get("label") or cid)}
            rec["source"] = {"section": "Code map > cases", "kind": "primary-data"}
            out.append(rec)
            for source in self.p.sources:
                if any(fnmatch.fnmatchcase(source.name, str(p)) for p in spec["documents"]):
                    doc_cases.setdefault(source.guid, set()).add(cid)
        for guid, owners in doc_cases.items():
            if len(owners) == 1:
                self.doc_case[guid] = next(iter(owners))
            else:
                self.notes.append(
                    f"document {self.doc_id.get(guid, guid)} belongs to {len(owners)} cases "
                    f"({', '.join(sorted(owners))}): its quotes are linked to none of them"
                )
        return out

    # ---- everything
    def run(self) -> ImportResult:
        cases = self.cases()
        documents, quotes, codings, memos = [], [], [], []
        quote_of_sel: dict[str, str] = {}
        quote_recs: dict[str, dict[str, Any]] = {}
        for source in sorted(self.p.sources, key=lambda s: s.sha256):
            did = self.doc_id[source.guid]
            doc: dict[str, Any] = {
                "id": did,
                "label": f"transcript {did}",
                "sha256": source.sha256,
                "characters": len(source.text),
            }
            if source.guid in self.doc_case:
                doc["case"] = self.doc_case[source.guid]
            if source.variables:
                doc["attributes"] = dict(source.variables)
            documents.append(doc)
            for sel in sorted(source.selections, key=lambda s: (s.start, s.end)):
                qid = f"q-{_digest(source.sha256, sel.start, sel.end)}"
                quote_of_sel[sel.guid] = qid
                if qid not in quote_recs:
                    quote_recs[qid] = self.quote(qid, did, source, sel)
                for coding in sel.codings:
                    codings.append(
                        self.coding(qid, "quote", coding.code, coding.user, coding.created)
                    )
                if sel.description:  # ATLAS.ti writes a quotation's comment here
                    memos.append(self.memo(sel.description, [qid], sel.user, sel.created))
            for coding in source.codings:
                codings.append(
                    self.coding(did, "document", coding.code, coding.user, coding.created)
                )
        # only coded selections become quotes: an uncoded selection is not evidence of anything
        coded = {c["quote"] for c in codings if "quote" in c}
        quotes = [quote_recs[q] for q in sorted(quote_recs) if q in coded]
        theme_of_code = {
            self.code_id[c.guid]: rule.theme
            for c in self.p.codes.values()
            if (rule := self.map.codes.get("/".join(c.path))) and rule.theme
        }
        for quote in quotes:
            supported = sorted(
                {
                    theme_of_code[c["code"]]
                    for c in codings
                    if c.get("quote") == quote["id"] and c["code"] in theme_of_code
                }
            )
            if supported:
                quote["supports"] = supported
        uncoded = len(quote_recs) - len(quotes)
        if uncoded:
            self.left_out.append(f"{uncoded} selection(s) without a code")
        codings = list({c["id"]: c for c in codings}.values())
        memos += self.notes_as_memos(quote_of_sel, coded)
        memos = list({m["id"]: m for m in memos}.values())
        codes = self.codes()
        groups, observations = self.observations(quotes, codings, documents)
        coders = [
            {"id": cid, "label": f"coder {cid.split('-')[1]}"} for cid in sorted(self.used_coders)
        ]
        study = self.study(cases, groups)
        files = {"study.yaml": _dump(study, self.header("the study, its cases"))}
        files["coding.yaml"] = _dump(
            {
                "coders": coders,
                "documents": documents,
                "codes": codes,
                "codings": codings,
                "memos": memos,
            },
            self.header("the team's codebook, transcripts (by checksum), codings and memos"),
        )
        if self.map.themes:
            themes: list[dict[str, Any]] = []
            for tid, spec in self.map.themes.items():
                theme: dict[str, Any] = {"id": tid, "kind": spec.get("kind", "theme")}
                for key in ("label", "parent", "pathway", "defining_features"):
                    if key in spec:
                        theme[key] = spec[key]
                theme["source"] = {"section": "Code map > themes", "kind": "primary-data"}
                themes.append(theme)
            files["themes.yaml"] = _dump(
                {"themes": themes}, self.header("the team's themes, from its code map")
            )
        if quotes:
            files["quotes.yaml"] = _dump({"quotes": quotes}, self.header("the coded quotes"))
        if observations:
            files["observations.yaml"] = _dump(
                {"observations": observations},
                self.header("starting CFIR ratings from the code map: review each"),
            )
        self.report_left_out()
        counts = {
            "documents": len(documents),
            "codes": len(codes),
            "quotes": len(quotes),
            "codings": len(codings),
            "memos": len(memos),
            "cases": len(cases),
            "coders": len(coders),
            "observations": len(observations),
        }
        return ImportResult(files, counts, self.left_out, self.notes)

    def header(self, what: str) -> str:
        return (
            f"# Imported by ipskg import qdpx from {self.p.path.name} (REFI-QDA project "
            f"{self.p.name!r}, written by {self.p.origin or 'an unnamed program'}): {what}.\n"
            "# Ids are made from content, so a re-import of a re-export gives the same ids.\n"
        )

    def quote(self, qid: str, did: str, source: Source, sel: Selection) -> dict[str, Any]:
        rec: dict[str, Any] = {"id": qid, "text": source.text[sel.start : sel.end]}
        case = self.sel_case.get(sel.guid) or self.doc_case.get(source.guid)
        if case:
            rec["case"] = case
        # the transcripts' language as the team states it; otherwise BCP 47 "und"
        # (undetermined), never a guess
        rec["language"] = str(self.map.study.get("language") or "und")
        rec["start"], rec["end"] = sel.start, sel.end
        rec["source"] = {"transcript": did}
        return rec

    def coding(
        self, target: str, kind: str, code_guid: str, user: str | None, created: str | None
    ) -> dict[str, Any]:
        code = self.code_id.get(code_guid)
        if code is None:
            raise InputError(
                f"{self.p.path.name}: a coding refers to code {code_guid}, which the codebook "
                "does not hold",
                file=self.p.path,
                hint="the export is damaged: re-export the project",
            )
        rec: dict[str, Any] = {"id": f"c-{_digest(target, code)}", "code": code, kind: target}
        coder = self.coder(user)
        if coder:
            rec["coder"] = coder
        if (day := _date(created)) is not None:
            rec["date"] = day
        return rec

    def memo(
        self, text: str, about: list[str], user: str | None, created: str | None
    ) -> dict[str, Any]:
        rec: dict[str, Any] = {"id": f"memo-{_digest(text, *about)}", "text": text, "about": about}
        coder = self.coder(user)
        if coder:
            rec["coder"] = coder
        if (day := _date(created)) is not None:
            rec["date"] = day
        return rec

    def notes_as_memos(self, quote_of_sel: dict[str, str], coded: set[str]) -> list[dict[str, Any]]:
        about: dict[str, list[str]] = {}

        def attach(note_guids: list[str], target: str) -> None:
            for guid in note_guids:
                about.setdefault(guid, []).append(target)

        for source in self.p.sources:
            attach(source.notes, self.doc_id[source.guid])
            if source.description:
                self.notes.append(
                    f"document {self.doc_id[source.guid]}'s description was left out (it often "
                    "describes the participant)"
                )
            for sel in source.selections:
                if quote_of_sel.get(sel.guid) in coded:
                    attach(sel.notes, quote_of_sel[sel.guid])
        for code in self.p.codes.values():
            attach(code.notes, self.code_id[code.guid])
        for case in self.p.cases:
            attach(case.notes, self.case_id[case.guid])
        memos = []
        for guid, note in self.p.notes.items():
            targets = sorted(set(about.get(guid, [])))
            if targets:
                memos.append(self.memo(note.text, targets, note.user, note.created))
        unattached = len(self.p.notes) - len(memos) - self.p.project_notes
        if unattached:
            self.left_out.append(
                f"{unattached} note(s) not attached to a code, quote, document or case"
            )
        return memos

    def codes(self) -> list[dict[str, Any]]:
        out = []
        for code in sorted(self.p.codes.values(), key=lambda c: c.path):
            rec: dict[str, Any] = {"id": self.code_id[code.guid], "label": code.name}
            if code.parent:
                rec["parent"] = self.code_id[code.parent]
            if code.description:
                rec["definition"] = code.description
            rule = self.map.codes.get("/".join(code.path))
            if rule and rule.construct:
                rec["construct"] = rule.construct
            if rule and rule.theme:
                rec["theme"] = rule.theme
            if rule and (rule.construct or rule.theme):
                rec["attributed_to"] = "curation"
            out.append(rec)
        return out

    def observations(
        self,
        quotes: list[dict[str, Any]],
        codings: list[dict[str, Any]],
        documents: list[dict[str, Any]],
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rules = {
            self.code_id[c.guid]: self.map.codes["/".join(c.path)]
            for c in self.p.codes.values()
            if "/".join(c.path) in self.map.codes and self.map.codes["/".join(c.path)].construct
        }
        by_quote = {q["id"]: q for q in quotes}
        doc_of_quote = {q["id"]: q["source"]["transcript"] for q in quotes}
        cells: dict[tuple[str, str, str, str], dict[str, set[str]]] = {}
        no_valence: set[str] = set()
        groups: list[dict[str, Any]] = []
        for coding in codings:
            rule = rules.get(coding["code"])
            if rule is None or "quote" not in coding:
                continue
            assert rule.construct is not None
            if rule.valence is None:
                no_valence.add(coding["code"])
                continue
            quote = by_quote[coding["quote"]]
            unit = quote.get("case") or "all-transcripts"
            key = (rule.construct, rule.role or "", unit, rule.phase or "")
            cells.setdefault(key, {}).setdefault(rule.valence, set()).add(quote["id"])
        if no_valence:
            self.notes.append(
                "codes mapped to a construct without a valence (quotes kept, no rating): "
                + ", ".join(sorted(no_valence))
            )
        docs_in_unit: dict[str, set[str]] = {}
        for doc in documents:
            docs_in_unit.setdefault(doc.get("case", "all-transcripts"), set()).add(doc["id"])
        docs_in_unit["all-transcripts"] = {d["id"] for d in documents}
        out = []
        for (construct, role, unit, phase), by_valence in sorted(cells.items()):
            if unit == "all-transcripts" and not groups:
                groups.append(
                    {
                        "id": "all-transcripts",
                        "label": f"all transcripts of the project {self.p.name!r} "
                        "(the project does not say which case each comes from)",
                        "source": {"section": "Sources", "kind": "primary-data"},
                    }
                )
            quotes_all = sorted(set().union(*by_valence.values()))
            valences = set(by_valence)
            rec: dict[str, Any] = {
                "id": "o-" + _slug("-".join(x for x in (construct, role, unit, phase) if x), 90),
                "construct": construct,
            }
            if role:
                rec["role"] = role
            rec["observed_in"] = unit
            n_docs = len(docs_in_unit.get(unit, set()))
            if {"+", "-"} <= valences or "X" in valences:
                rec["valence"] = "X"
                why = "quotes coded both as facilitator and as barrier: mixed (X)"
            elif valences & {"+", "-"}:
                sign = "+" if "+" in valences else "-"
                k = len({doc_of_quote[q] for q in by_valence[sign]})
                rec["valence"] = sign
                rec["strength"] = 2 if k >= 2 and k * 2 > n_docs else 1
                why = (
                    f"quotes from {k} of the unit's {n_docs} transcript(s); strength "
                    f"{rec['strength']}: 2 when coded quotes come from most transcripts "
                    "(at least two), 1 otherwise (after Damschroder & Lowery 2013)"
                )
            else:
                rec["valence"] = sorted(valences)[0]
                why = "quotes coded neutral"
            rec["evidence_quotes"] = quotes_all
            if phase:
                rec["phase"] = phase
            rec["rationale"] = (
                f"Starting rating made by ipskg import qdpx from the team's code map: "
                f"{len(quotes_all)} coded quote(s); {why}. Review it."
            )
            out.append(rec)
        return groups, out

    def study(self, cases: list[dict[str, Any]], groups: list[dict[str, Any]]) -> dict[str, Any]:
        block = self.map.study
        study: dict[str, Any] = {"id": self.sid}
        study["title"] = str(block.get("title") or self.p.name)
        if block.get("label"):
            study["label"] = str(block["label"])
        if block.get("publication"):
            study["publication"] = _plain(block["publication"])
        if cases:
            study["cases"] = cases
        if groups:
            study["case_groups"] = groups
        return study

    def report_left_out(self) -> None:
        p = self.p
        self.left_out.insert(0, "the transcripts' text (only the coded quotes are kept)")
        self.left_out.insert(1, "document names (transcripts are named by checksum)")
        self.left_out.insert(2, "users' names (coders are coder-1, coder-2, …)")
        for count, what in (
            (p.zero_length, "zero-length selection(s)"),
            (p.other_sources, "picture, PDF, audio or video source(s)"),
            (p.external_sources, "text source(s) kept outside the archive (never read)"),
            (p.sets, "set(s) of codes or documents"),
            (p.links, "link(s) between codes or quotes"),
            (p.graphs, "network view(s)"),
            (p.project_notes, "note(s) on the project itself"),
        ):
            if count:
                self.left_out.append(f"{count} {what}")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order given, Unicode kept."""


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def _dump(data: dict[str, Any], header: str) -> str:
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return header + body


def import_project(project: Project, codemap: CodeMap, study_id: str | None = None) -> ImportResult:
    """The study folder's files (name → YAML text) and what the import kept and left out."""
    sid = study_id or str(codemap.study.get("id") or _slug(project.name))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,99}", sid):
        raise InputError(
            f"{sid!r} is not a study id",
            hint="a study id is a slug: lower-case letters, digits and -, e.g. smith-2026",
        )
    return _Import(project, codemap, sid).run()
