"""Read SPARQL text without running it: query form, projected variables, and safe VALUES blocks.

A small lexer that knows where comments, strings and IRIs are, so that braces, keywords and
variables inside them are never mistaken for syntax. It is used to tell a query's form, to check
the rules a parameterised competency question must keep, and to bind parameters on a remote
endpoint by adding a standard ``VALUES`` block whose values are serialised as RDF terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

__all__ = [
    "Token",
    "inject_values",
    "projected_variables",
    "query_form",
    "subquery_variables",
    "term_to_sparql",
    "tokens",
]

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n\r]|\\.)*"|'
    r"'(?:[^'\\\n\r]|\\.)*'",
    re.S,
)
_VAR = re.compile(r"[?$]([A-Za-z_0-9\u00B7-\uFFFF]+)")
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9\-]*(?::[^\s{}()<>,;.\"']*)?")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


@dataclass(frozen=True)
class Token:
    kind: str  # "var", "word", "punct", "string", "iri", "other"
    text: str
    start: int
    line: int


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of a query (comments and whitespace dropped)."""
    i, line, n = 0, 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif ch.isspace():
            i += 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif ch in "\"'":
            m = _STRING.match(text, i)
            end = m.end() if m else n
            yield Token("string", text[i:end], i, line)
            line += text.count("\n", i, end)
            i = end
        elif ch == "<" and (m := _IRIREF.match(text, i)):
            yield Token("iri", m.group(), i, line)
            i = m.end()
        elif ch in "?$" and (m := _VAR.match(text, i)):
            yield Token("var", m.group(1), i, line)
            i = m.end()
        elif ch.isalpha() or ch == "_":
            m = _WORD.match(text, i)
            end = m.end() if m else i + 1
            yield Token("word", text[i:end], i, line)
            i = end
        elif ch in "{}()":
            yield Token("punct", ch, i, line)
            i += 1
        else:
            yield Token("other", ch, i, line)
            i += 1


def service_line(text: str) -> int | None:
    """The line of the first SERVICE clause (a federated query), or None."""
    for tok in tokens(text):
        if tok.kind == "word" and tok.text.upper() == "SERVICE":
            return tok.line
    return None


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword after the prologue."""
    for tok in tokens(text):
        if tok.kind == "word" and tok.text.upper() in _FORMS:
            return tok.text.upper()
    raise ValueError("no SELECT, ASK, CONSTRUCT or DESCRIBE keyword found")


def _where_brace(toks: list[Token]) -> int:
    """Index of the token opening the outermost WHERE group (after a CONSTRUCT template)."""
    form_at = next(
        (i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() in _FORMS), None
    )
    if form_at is None:
        raise ValueError("no SELECT, ASK, CONSTRUCT or DESCRIBE keyword found")
    i = form_at + 1
    if toks[form_at].text.upper() == "CONSTRUCT" and i < len(toks) and toks[i].text == "{":
        depth = 0
        for i in range(form_at + 1, len(toks)):
            if toks[i].kind == "punct" and toks[i].text in "{}":
                depth += 1 if toks[i].text == "{" else -1
                if depth == 0:
                    break
        i += 1
    parens = 0
    for j in range(i, len(toks)):
        tok = toks[j]
        if tok.kind != "punct":
            continue
        if tok.text == "(":
            parens += 1
        elif tok.text == ")":
            parens -= 1
        elif tok.text == "{" and parens == 0:
            return j
    raise ValueError("no WHERE group found")


def projected_variables(text: str) -> list[str] | None:
    """Variables a SELECT projects (``AS ?x`` included), or None for ``SELECT *``."""
    toks = list(tokens(text))
    names: list[str] = []
    seen_select = False
    depth = 0
    for tok in toks:
        if not seen_select:
            seen_select = tok.kind == "word" and tok.text.upper() == "SELECT"
            continue
        if tok.kind == "word" and tok.text.upper() in ("WHERE", "FROM") and depth == 0:
            break
        if tok.text == "{" and depth == 0:
            break
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "*" and depth == 0:
            return None
        elif (tok.kind == "var" and depth == 0) or (
            tok.kind == "var" and depth > 0 and _prev_is_as(toks, tok)
        ):
            names.append(tok.text)
    return names


def _prev_is_as(toks: list[Token], tok: Token) -> bool:
    i = toks.index(tok)
    return i > 0 and toks[i - 1].kind == "word" and toks[i - 1].text.upper() == "AS"


def subquery_variables(text: str) -> set[str]:
    """Variables that occur inside a nested SELECT (where bound parameters are not seen)."""
    toks = list(tokens(text))
    found: set[str] = set()
    depth = 0
    sub_depths: list[int] = []
    for tok in toks:
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
            while sub_depths and depth < sub_depths[-1]:
                sub_depths.pop()
        elif tok.kind == "word" and tok.text.upper() == "SELECT" and depth > 0:
            sub_depths.append(depth)
        elif tok.kind == "var" and sub_depths:
            found.add(tok.text)
    return found


def term_to_sparql(term: Identifier) -> str:
    """An RDF term as SPARQL text: an escaped literal or a checked IRI, never raw syntax."""
    if isinstance(term, URIRef):
        text = f"<{term}>"
        if not _IRIREF.fullmatch(text):
            raise ValueError(f"{str(term)!r} is not a valid IRI")
        return text
    if isinstance(term, Literal):
        body = '"' + "".join(_ECHAR.get(c, c) for c in str(term)) + '"'
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise ValueError(f"{term.language!r} is not a valid language tag")
            return f"{body}@{term.language}"
        if term.datatype is not None:
            return f"{body}^^{term_to_sparql(URIRef(term.datatype))}"
        return body
    if isinstance(term, BNode):
        raise ValueError("a blank node cannot be bound as a parameter")
    raise TypeError(f"cannot bind {term!r}")


def inject_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """The query with ``VALUES (?a ?b) { (t1 t2) }`` opening its outermost WHERE group.

    Values are serialised with :func:`term_to_sparql`, so a value can only ever be one RDF
    term: quotes, braces and keywords inside it stay inside the literal.
    """
    if not bindings:
        return text
    toks = list(tokens(text))
    brace = toks[_where_brace(toks)]
    names = list(bindings)
    for name in names:
        if not _VAR.fullmatch("?" + name):
            raise ValueError(f"{name!r} is not a valid variable name")
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(term_to_sparql(bindings[n]) for n in names)
    block = f" VALUES ({head}) {{ ({row}) }} "
    cut = brace.start + 1
    return text[:cut] + block + text[cut:]
