"""The competency-question catalogue: ``queries/cq/*.rq`` files, their headers and parameters.

Each file starts with a comment header::

    # title: Evidence for a sub-theme
    # question: Which quotes support the sub-theme, with participant, role and group?
    # parameters: sub_theme (string, default "Recovery Vision"): label or id of a sub-theme
    # columns: sub_theme, position, participant, role, group, text

More parameters go on continuation lines (``#   name (type, default …): …``). Types are
``string`` (a plain literal), ``integer``, ``boolean`` and ``iri`` (a full IRI or a CURIE with
an ipskg prefix such as ``cfir:MissionAlignment``). A parameter is bound to the variable of the
same name, which the query must project (pyoxigraph binds only projected variables) and must
not use inside a sub-select (where a bound value is not seen by every engine).

Two more options may follow the type: ``optional`` (left unbound when not given: the question
then answers for every value, e.g. every study) and ``values NAME``: the names the parameter
may take are the rows of ``queries/values/NAME.rq`` (a ``SELECT ?value`` run on the same
store), so a value that matches nothing is an error with a did-you-mean, not an empty answer;
a value that matches case-insensitively is bound as the store writes it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ipskg.io.files import decode_utf8, read_bytes
from ipskg.model.errors import ArtifactError, InputError, IpskgError, ServerError
from ipskg.model.namespaces import PREFIXES
from ipskg.model.resources import queries_dir
from ipskg.sparql.text import projected_variables, query_form, subquery_variables, tokens

__all__ = [
    "PARAMETER_TYPES",
    "QUESTIONS_MARKER",
    "CompetencyQuery",
    "Parameter",
    "catalogue",
    "catalogue_markdown",
    "checked_bindings",
    "known_values",
    "load_query",
    "parse_param_options",
    "resolve",
]

PARAMETER_TYPES = ("string", "integer", "boolean", "iri")
_HEADER_RE = re.compile(r"^#\s?(?P<key>[a-z]+):\s*(?P<value>.*)$")
_CONT_RE = re.compile(r"^#\s{2,}(?P<value>\S.*)$")
_OPTION = r'default\s+(?:"(?:[^"\\]|\\.)*"|[^\s),]+)|optional|values\s+[a-z][a-z0-9-]*'
_PARAM_RE = re.compile(
    r"^-?\s*(?P<name>[A-Za-z_][A-Za-z_0-9]*)\s*\(\s*(?P<type>[a-z]+)\s*"
    rf"(?P<options>(?:,\s*(?:{_OPTION})\s*)*)\)"
    r"\s*(?:[:\u2014-]\s*(?P<desc>.*))?$"
)
_OPTION_RE = re.compile(
    r'default\s+(?P<default>"(?:[^"\\]|\\.)*"|[^\s),]+)|(?P<optional>optional)'
    r"|values\s+(?P<values>[a-z][a-z0-9-]*)"
)
_NEW_PARAM_RE = re.compile(r"^-?\s*[A-Za-z_][A-Za-z_0-9]*\s*\(")
_IRI_RE = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^<>"{}|^`\\\s]*$')


@dataclass(frozen=True)
class Parameter:
    """A query parameter: its variable name, value type, default and meaning."""

    name: str
    type: str
    default: str | None = None
    description: str = ""
    optional: bool = False
    values: str | None = None  # queries/values/<values>.rq lists the names it may take

    def convert(self, raw: str) -> Identifier:
        """The RDF term a command-line value stands for (raises InputError if it cannot)."""
        where = f"--param {self.name}"
        if self.type == "string":
            return Literal(raw)
        if self.type == "integer":
            try:
                return Literal(int(raw.strip()), datatype=XSD.integer)
            except ValueError:
                raise InputError(
                    f"{raw!r} is not an integer",
                    field=where,
                    hint=f"give a whole number, e.g. {self.name}=2",
                ) from None
        if self.type == "boolean":
            value = raw.strip().lower()
            if value not in ("true", "false"):
                raise InputError(
                    f"{raw!r} is not true or false",
                    field=where,
                    hint=f"give {self.name}=true or {self.name}=false",
                )
            return Literal(value == "true")
        return _to_iri(raw, where)


def _to_iri(raw: str, where: str) -> URIRef:
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        text = PREFIXES[prefix] + local
    if not _IRI_RE.match(text):
        raise InputError(
            f"{raw!r} is not an IRI",
            field=where,
            hint="give a full IRI (https://…) or a CURIE such as "
            "cfir:MissionAlignment (prefixes: " + ", ".join(sorted(PREFIXES)) + ")",
        )
    return URIRef(text)


@dataclass(frozen=True)
class CompetencyQuery:
    """One .rq file: its header, its text and how its parameters are bound."""

    name: str
    path: Path
    text: str
    form: str
    title: str = ""
    question: str = ""
    parameters: tuple[Parameter, ...] = ()
    columns: tuple[str, ...] = ()
    ordered: bool = False
    unordered: tuple[str, ...] = ()  # columns holding lists in no set order (GROUP_CONCAT)
    bundled: bool = False
    header: dict[str, str] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def bindings(self, values: dict[str, str] | None = None) -> dict[str, Identifier]:
        """Typed bindings: given values over defaults; unknown or missing names are errors."""
        values = dict(values or {})
        known = [p.name for p in self.parameters]
        for name in values:
            if name not in known:
                guess = difflib.get_close_matches(name, known, n=1)
                raise InputError(
                    f"query {self.name!r} has no parameter {name!r}",
                    field="--param",
                    hint=(f"did you mean {guess[0]!r}? " if guess else "")
                    + (
                        "its parameters: " + ", ".join(known)
                        if known
                        else "this query takes no parameters"
                    ),
                )
        out: dict[str, Identifier] = {}
        for p in self.parameters:
            raw = values.get(p.name, p.default)
            if raw is None and p.optional:
                continue  # unbound: the question answers for every value
            if raw is None:
                raise InputError(
                    f"query {self.name!r} needs the parameter {p.name!r}",
                    field="--param",
                    hint=f"add --param {p.name}=VALUE ({p.type})",
                )
            out[p.name] = p.convert(raw)
        return out


def checked_bindings(
    query: CompetencyQuery, given: dict[str, str], store: object
) -> dict[str, Identifier]:
    """The query's bindings, each value with a ``values`` list checked against the names the
    store knows (case-insensitively) and bound as that list says (its ``?bind`` column, or
    the name as the store writes it); a value that matches nothing is an InputError with a
    did-you-mean."""
    bindings = query.bindings(given)
    for p in query.parameters:
        if p.values is None or p.name not in bindings:
            continue
        known = known_values(p.values, store)
        wanted = str(bindings[p.name])
        exact = {name.casefold(): bound for name, bound in known.items()}
        if wanted.casefold() in exact:
            bindings[p.name] = exact[wanted.casefold()]
            continue
        names = sorted(known)
        guess = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
        if not guess:
            folded = {n.casefold(): n for n in names}
            guess = [
                folded[g]
                for g in difflib.get_close_matches(wanted.casefold(), list(folded), n=3, cutoff=0.6)
            ]
        listing = ", ".join(names[:40]) + (" …" if len(names) > 40 else "")
        raise InputError(
            f"{wanted!r} is not a {p.values} in this graph, so {query.name!r} would answer nothing",
            field=f"--param {p.name}",
            hint=(f"did you mean {' or '.join(repr(g) for g in guess)}? " if guess else "")
            + f"known: {listing}",
        )
    return bindings


def known_values(name: str, store: object) -> dict[str, Identifier]:
    """The names queries/values/<name>.rq lists on this store, each with the RDF term bound
    for it (its ``?bind`` column when the query has one, else the name itself)."""
    text = (queries_dir() / "values" / f"{name}.rq").read_text(encoding="utf-8")
    result = store.select(text)  # type: ignore[attr-defined]
    if "value" not in result.columns:  # a server that answers some other question
        raise ServerError(
            f"the list of known {name} values came back without its column 'value' (columns: "
            + ", ".join(result.columns)
            + ")",
            hint="the endpoint did not answer the query it was sent; check --endpoint",
        )
    value = result.columns.index("value")
    bind = result.columns.index("bind") if "bind" in result.columns else value
    out: dict[str, Identifier] = {}
    for row in result.rows:
        if row[value] is not None and row[bind] is not None:
            out.setdefault(row[value].value, row[bind].to_rdflib())
    return out


def parse_param_options(options: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``name=value`` strings from ``--param`` as a dict (the value may contain ``=``)."""
    out: dict[str, str] = {}
    for opt in options:
        name, sep, value = opt.partition("=")
        if not sep or not name.strip():
            raise InputError(
                f"{opt!r} is not of the form name=value",
                field="--param",
                hint='write e.g. --param sub_theme="Recovery Vision"',
            )
        if name.strip() in out:
            raise InputError(f"parameter {name.strip()!r} is given twice", field="--param")
        out[name.strip()] = value
    return out


def _read_header(lines: list[str]) -> tuple[dict[str, str], dict[str, int], list[tuple[str, int]]]:
    header: dict[str, str] = {}
    where: dict[str, int] = {}
    params: list[tuple[str, int]] = []
    key = None
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if (m := _CONT_RE.match(line)) and key is not None:
            value = m.group("value").strip()
            if key == "parameters" and (_NEW_PARAM_RE.match(value) or not params):
                params.append((value, number))
            elif key == "parameters":
                params[-1] = (params[-1][0] + " " + value, params[-1][1])
            else:
                header[key] += " " + m.group("value").strip()
        elif m := _HEADER_RE.match(line):
            key = m.group("key")
            header[key] = m.group("value").strip()
            where[key] = number
            if key == "parameters" and header[key].lower() not in ("", "none"):
                params.append((header[key], number))
    return header, where, params


MAX_QUERY_BYTES = 1_000_000
"""Largest query file accepted (the bundled ones are a few kilobytes)."""


def load_query(path: Path, *, bundled: bool = False) -> CompetencyQuery:
    """Read and check one .rq file. Problems raise InputError (ArtifactError if ``bundled``)."""

    def fail(message: str, line: int | None = None, hint: str | None = None) -> IpskgError:
        if bundled:
            where = f"{path}:{line}" if line else str(path)
            return ArtifactError(message, artifact=where, hint=hint)
        return InputError(message, file=path, line=line, hint=hint)

    if bundled:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise fail(f"cannot read the query: {exc}") from exc
    else:  # a user's file: a regular file within the size of any real query, UTF-8
        text = decode_utf8(read_bytes(path, "query file", MAX_QUERY_BYTES), path)
    header, where, raw_params = _read_header(text.splitlines())
    params = []
    for raw, line in raw_params:
        m = _PARAM_RE.match(raw)
        if not m:
            raise fail(
                f"parameter declaration {raw!r} is malformed",
                line,
                'write: name (type, default "value"): meaning',
            )
        if m.group("type") not in PARAMETER_TYPES:
            raise fail(
                f"parameter {m.group('name')!r} has unknown type {m.group('type')!r}",
                line,
                "types: " + ", ".join(PARAMETER_TYPES),
            )
        default = optional = values = None
        for option in _OPTION_RE.finditer(m.group("options") or ""):
            default = option.group("default") or default
            optional = option.group("optional") or optional
            values = option.group("values") or values
        if default is not None and default.startswith('"'):
            default = re.sub(r"\\(.)", r"\1", default[1:-1])
        if values is not None and not (queries_dir() / "values" / f"{values}.rq").is_file():
            raise fail(
                f"parameter {m.group('name')!r} takes its values from queries/values/{values}.rq, "
                "which does not exist",
                line,
            )
        params.append(
            Parameter(
                m.group("name"),
                m.group("type"),
                default,
                (m.group("desc") or "").strip(),
                optional=bool(optional),
                values=values,
            )
        )
    if not bundled:
        # A user's file is checked with rdflib's parser for a located message. The bundled
        # files are checked by the tests (test_query_cli.py); building rdflib's SPARQL grammar
        # would cost ~0.4 s on every `ipskg query NAME`.
        _check_syntax(text, fail)
    form = query_form(text)
    projected = projected_variables(text) if form == "SELECT" else None
    inside_sub = subquery_variables(text)
    for p in params:
        pline = where.get("parameters")
        if projected is not None and p.name not in projected:
            raise fail(
                f"parameter {p.name!r} is not a projected variable of the query",
                pline,
                f"add ?{p.name} to the SELECT clause (and GROUP BY if the query groups)",
            )
        if p.name in inside_sub:
            raise fail(
                f"parameter {p.name!r} is used inside a sub-select",
                pline,
                "use parameters only in the outer query",
            )
        if p.default is not None:
            try:
                p.convert(p.default)
            except InputError as exc:
                raise fail(f"default of parameter {p.name!r}: {exc.message}", pline) from None
    columns = tuple(
        c.strip().lstrip("?") for c in header.get("columns", "").split(",") if c.strip()
    )
    unordered = tuple(
        c.strip().lstrip("?") for c in header.get("unordered", "").split(",") if c.strip()
    )
    if set(unordered) - set(columns):
        raise fail(
            "the header lists unordered columns that are not columns: "
            + ", ".join(sorted(set(unordered) - set(columns))),
            where.get("unordered"),
        )
    if form == "SELECT" and columns and projected is not None and list(columns) != projected:
        raise fail(
            f"the header lists columns {', '.join(columns)} but the query projects "
            f"{', '.join(projected)}",
            where.get("columns"),
            "make the two agree",
        )
    toks = list(tokens(text))
    words = [t.text.upper() for t in toks if t.kind == "word"]
    ordered = "ORDER" in words
    if ordered and "GROUP" in words and projected is not None:
        at = max(i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() == "ORDER")
        hidden = [t.text for t in toks[at:] if t.kind == "var" and t.text not in projected]
        if hidden:
            raise fail(
                f"ORDER BY uses {', '.join('?' + h for h in hidden)}, which the grouped "
                "query does not project",
                hint="order a grouped query by projected "
                "variables only (rdflib ignores the others)",
            )
    return CompetencyQuery(
        name=path.stem,
        path=path,
        text=text,
        form=form,
        title=header.get("title", ""),
        question=header.get("question", ""),
        parameters=tuple(params),
        columns=columns,
        ordered=ordered,
        unordered=unordered,
        bundled=bundled,
        header=header,
    )


def _check_syntax(text: str, fail: object) -> None:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseException as exc:
        raise fail(
            f"SPARQL syntax error at column {exc.col}: {exc.msg}",
            exc.lineno,  # type: ignore[operator]
            "fix the query text (standard SPARQL 1.1)",
        ) from None
    except Exception as exc:  # rdflib's algebra raises several types on semantic errors
        raise fail(
            f"the query is not valid SPARQL 1.1: {exc}",  # type: ignore[operator]
            hint="fix the query text (standard SPARQL 1.1)",
        ) from None


@cache
def _catalogue(folder: Path) -> dict[str, CompetencyQuery]:
    return {p.stem: load_query(p, bundled=True) for p in sorted(folder.glob("*.rq"))}


def catalogue() -> dict[str, CompetencyQuery]:
    """Every competency question shipped in ``queries/cq/``, by name (the file stem)."""
    return dict(_catalogue(queries_dir() / "cq"))


QUESTIONS_MARKER = (
    "<!-- generated from the headers of queries/**/*.rq by "
    "ipskg.sparql.catalogue.catalogue_markdown(): edit the .rq files, not the text below -->"
)
"""The line of docs/questions.md above which the page is written by hand."""


def _cell(text: str) -> str:
    """Text for one Markdown table cell: pipes escaped, on one line."""
    return " ".join(text.replace("|", "\\|").split())


def _parameter_rows(query: CompetencyQuery) -> list[str]:
    rows = [
        "| parameter | type | when not given | allowed values | meaning |",
        "|---|---|---|---|---|",
    ]
    for p in query.parameters:
        if p.default is not None:
            absent = f'`"{p.default}"`'
        elif p.optional:
            absent = "every value"
        else:
            absent = "required"
        allowed = (
            f"a name listed by [`values/{p.values}.rq`](../queries/values/{p.values}.rq)"
            if p.values
            else "any"
        )
        rows.append(
            f"| `{p.name}` | {p.type} | {absent} | {allowed} | {_cell(p.description) or '–'} |"
        )
    return rows


def _section(query: CompetencyQuery, folder: str, level: str) -> list[str]:
    lines = [f"{level} {query.name}", "", f"**{query.title}**", ""]
    if query.question:
        lines += [query.question, ""]
    if query.parameters:
        lines += [*_parameter_rows(query), ""]
    if query.form == "SELECT":
        lines.append("Columns: " + ", ".join(f"`{c}`" for c in query.columns) + ".")
        if query.unordered:
            listed = ", ".join(f"`{c}`" for c in query.unordered)
            lines.append(f"The lists in {listed} are in no set order.")
    else:
        shape = ", ".join(query.columns)
        lines.append(f"A {query.form} query" + (f": `{shape}`." if shape else "."))
    lines += ["", f"File: [`{folder}/{query.name}.rq`](../queries/{folder}/{query.name}.rq)", ""]
    return lines


def catalogue_markdown() -> str:
    """The generated part of docs/questions.md, from the headers of the bundled .rq files: the
    competency questions (``queries/cq``: title, question, parameters with their type, default
    and allowed values, columns), then the quality checks and the rules. Starts with
    :data:`QUESTIONS_MARKER`; the same files always give the same text."""
    questions = catalogue()
    lines = [
        QUESTIONS_MARKER,
        "",
        "## Competency questions",
        "",
        "| name | title | parameters |",
        "|---|---|---|",
    ]
    for name, query in questions.items():
        params = ", ".join(f"`{p.name}`" for p in query.parameters) or "–"
        lines.append(f"| [`{name}`](#{name}) | {_cell(query.title)} | {params} |")
    lines.append("")
    for query in questions.values():
        lines += _section(query, "cq", "###")
    extra = (
        (
            "checks",
            "Quality checks",
            "Each `*-violation.rq` file must return no rows on the ontology "
            "(`tests/test_ontology.py` runs them); a row names a term to fix.",
        ),
        (
            "rules",
            "Rules",
            "SPARQL forms of the ontology's class definitions: `ipskg reason --with-data` "
            "applies them instead of HermiT when the data has more individuals than "
            "`--max-individuals`.",
        ),
    )
    for folder, heading, intro in extra:
        lines += [f"## {heading}", "", intro, ""]
        for path in sorted((queries_dir() / folder).glob("*.rq")):
            lines += _section(load_query(path, bundled=True), folder, "###")
    return "\n".join(lines).rstrip("\n") + "\n"


def resolve(name_or_path: str) -> CompetencyQuery:
    """A catalogue query by name, or a user's ``.rq`` file by path."""
    path = Path(name_or_path)
    if name_or_path.endswith(".rq") or "/" in name_or_path or path.exists():
        if not path.exists() and not path.is_symlink():
            raise InputError(
                f"query file {name_or_path!r} does not exist",
                file=path,
                hint="give an existing .rq file, or a name from ipskg query --list",
            )
        return load_query(path)
    folder = queries_dir() / "cq"
    names = sorted(p.stem for p in folder.glob("*.rq"))
    if name_or_path not in names:
        guess = difflib.get_close_matches(name_or_path, names, n=3, cutoff=0.5)
        raise InputError(
            f"there is no competency question named {name_or_path!r}",
            hint=(f"did you mean {' or '.join(repr(g) for g in guess)}? " if guess else "")
            + "list them with: ipskg query --list",
        )
    return load_query(folder / f"{name_or_path}.rq", bundled=True)


def answer(query: CompetencyQuery, values: dict[str, str], store: Any) -> Any:
    """Ask ``query`` of ``store`` with ``values`` checked and bound (:func:`checked_bindings`).
    A query the engine fails on is ipskg's own broken artifact when it is bundled, else the
    user's input error, never a traceback."""
    bindings = checked_bindings(query, values, store)
    try:
        return store.run(query.text, bindings)
    except IpskgError:
        raise
    except Exception as exc:  # the engines raise their own types for failing queries
        message = f"the query failed on the {store.name} engine: {type(exc).__name__}: {exc}"
        if query.bundled:
            raise ArtifactError(message, artifact=str(query.path)) from exc
        raise InputError(message, file=query.path, hint="check the query text") from exc
