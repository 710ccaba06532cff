"""Literals that Oxigraph stores in another form, and whether that can change a SHACL result.

Oxigraph keeps literals of the numeric, boolean and date/time datatypes by value: an integer
subtype becomes xsd:integer ("3"^^xsd:positiveInteger is stored as "3"^^xsd:integer) and a
non-canonical lexical form becomes canonical ("01" -> "1", "4.0"^^xsd:decimal -> "4"), so two
triples that differ only in such a form become one. pySHACL, the reference, sees the literals
as written.

Before ipskg's SPARQL engine (:mod:`ipskg.shacl.compiled`) validates a store, :func:`find_rewrites`
finds every literal of the input that Oxigraph rewrote (by a round trip through Oxigraph, not
a guess) and checks, with pyshacl-turbo on a small probe graph, whether any property shape
judges the written and the stored form differently; it also checks that no two triples of a
file were merged, and that no SPARQL-based constraint reads a rewritten literal in a way that
could tell the two forms apart (:func:`_sparql_sensitive`). If any of these happened, the
caller validates with pyshacl-turbo instead; if not, the engine's results are pySHACL's, and
:meth:`Rewrites.original` shows a reported value as it was written. ipskg's own data is
affected in the harmless way only: it writes positions and counts as xsd:positiveInteger /
xsd:nonNegativeInteger, which the shapes accept as whole numbers in either form and the
SPARQL-based constraints compare by value.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from ipskg.io.rdf import from_oxigraph, oxigraph_triples

__all__ = [
    "Rewrites",
    "find_rewrites",
    "graph_rewrites",
    "sparql_readers",
    "unreadable_literals",
]

_KEEP = {str(XSD.string), str(RDF.langString)}
# A typed literal in N-Triples: "lexical"^^<datatype> (the lexical form may hold escapes).
_NT_TYPED = re.compile(rb'"((?:[^"\\\n]|\\.)*)"\^\^<([^>\n]*)>')

Typed = tuple[str, str]  # (lexical form, datatype IRI)


@dataclass
class Rewrites:
    """What Oxigraph stores differently in the input, and whether that can mislead."""

    changed: dict[Typed, Typed] = field(default_factory=dict)  # written -> stored
    harmful: list[str] = field(default_factory=list)  # why the stored forms can mislead
    unreadable: list[str] = field(default_factory=list)  # numbers outside XSD's forms
    files: list[tuple[Path, str]] = field(default_factory=list)
    _written: dict[tuple[Node | None, Node | None, Literal], Literal] | None = None

    def original(self, subject: Node | None, predicate: Node | None, value: Node) -> Node:
        """A result's value as written in the input (it differs from the stored value only
        for a rewritten literal; the files are searched for those on first use)."""
        if not isinstance(value, Literal) or not self.changed:
            return value
        stored = (str(value), str(value.datatype or XSD.string))
        if stored not in set(self.changed.values()):
            return value
        if self._written is None:
            self._written = {}
            for path, fmt in self.files:
                for s, p, written, stored_form in _occurrences(path, fmt, self.changed):
                    self._written.setdefault((s, p, stored_form), written)
        return self._written.get((subject, predicate, value), value)


def _typed_nt(data: bytes) -> set[Typed]:
    """Distinct typed literals of N-Triples text, found by one regex pass (in C)."""

    out: set[Typed] = set()
    for lexical, datatype in set(_NT_TYPED.findall(data)):
        dt = datatype.decode("utf-8", "replace")
        if dt in _KEEP:
            continue
        if b"\\" in lexical:  # unescape exactly as the parser does
            line = b'<urn:x> <urn:y> "' + lexical + b'"^^<' + datatype + b"> .\n"
            (triple,) = oxigraph_triples(line, "nt")
            out.add((triple.object.value, dt))
        else:
            out.add((lexical.decode("utf-8", "replace"), dt))
    return out


def _nt_lines(data: bytes) -> int:
    """Triple lines of N-Triples text (one triple per line), counted in C. An upper bound:
    a blank line holding spaces counts; :func:`_nt_distinct` settles the doubtful case."""
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    blank = data.count(b"\n\n") + data.count(b"\n#") + (1 if data.startswith((b"#", b"\n")) else 0)
    return max(lines - blank, 0)


def _nt_distinct(data: bytes) -> int:
    lines = {line.strip() for line in data.split(b"\n")}
    return len({line for line in lines if line and not line.startswith(b"#")})


def _stored_forms(typed: Iterable[Typed]) -> dict[Typed, Typed]:
    """Oxigraph's stored form of each typed literal, found by storing it (changed ones only)."""
    import pyoxigraph as ox

    items = sorted(typed)
    store = ox.Store()
    store.extend(
        ox.Quad(
            ox.NamedNode(f"urn:ipskg:literal:{i}"),
            ox.NamedNode("urn:ipskg:v"),
            ox.Literal(lexical, datatype=ox.NamedNode(datatype)),
        )
        for i, (lexical, datatype) in enumerate(items)
    )
    changed: dict[Typed, Typed] = {}
    for quad in store:
        i = int(quad.subject.value.rsplit(":", 1)[1])
        stored = (quad.object.value, quad.object.datatype.value)
        if stored != items[i]:
            changed[items[i]] = stored
    return changed


_PREDICATE = re.compile(rb"^[ \t]*(?:<[^>]*>|_:\S+)[ \t]+<([^>]*)>")


def _lines_holding(data: bytes, changed: dict[Typed, Typed]) -> Iterator[tuple[int, Any]]:
    """(line start, match) for each rewritten literal written in N-Triples text, found by one
    search in C. Lexical forms with escapes are not searched for (callers parse instead)."""
    needles = sorted((f'"{lex}"^^<{dt}>'.encode() for lex, dt in changed), key=len, reverse=True)
    pattern = re.compile(b"|".join(re.escape(n) for n in needles))
    for m in pattern.finditer(data):
        yield data.rfind(b"\n", 0, m.start()) + 1, m


def _nt_predicates(data: bytes, changed: dict[Typed, Typed]) -> set[tuple[str, Typed]]:
    """(predicate, written literal) for each rewritten literal of N-Triples text; only the
    predicate of each line holding one is read."""
    found: set[tuple[str, Typed]] = set()
    for start, m in _lines_holding(data, changed):
        line = _PREDICATE.match(data, start)
        if line is None or line.end() > m.start():
            continue  # not in object position (a literal cannot be a subject or predicate)
        lexical, _, datatype = m.group(0).decode("utf-8")[1:-1].partition('"^^<')
        found.add((line.group(1).decode("utf-8"), (lexical, datatype)))
    return found


def _lit(typed: Typed) -> Literal:
    return Literal(typed[0], datatype=typed[1], normalize=False)


def _occurrences(
    path: Path, fmt: str, changed: dict[Typed, Typed]
) -> Iterator[tuple[Node, Node, Literal, Literal]]:
    """(subject, predicate, written, stored) for every rewritten literal of the file."""
    import pyoxigraph as ox

    lits = {k: (_lit(k), _lit(v)) for k, v in changed.items()}
    if fmt == "nt" and not any("\\" in lexical for lexical, _ in changed):
        data = path.read_bytes()
        starts: set[int] = set()
        lines: list[bytes] = []
        for start, m in _lines_holding(data, changed):
            if start not in starts:
                starts.add(start)
                end = data.find(b"\n", m.end())
                lines.append(data[start : end if end >= 0 else len(data)])
        triples: Iterable[Any] = oxigraph_triples(b"\n".join(lines) + b"\n", "nt")
    else:
        triples = oxigraph_triples(path, fmt)
    for triple in triples:
        o = triple.object
        if isinstance(o, ox.Literal) and not o.language:
            pair = lits.get((o.value, o.datatype.value))
            if pair is not None:
                yield from_oxigraph(triple.subject), from_oxigraph(triple.predicate), *pair


def find_rewrites(files: list[tuple[Path, str, int]], shapes: Graph) -> Rewrites:
    """Check the input files (path, "nt" | "ttl", triples the store gained by loading it)
    for literals Oxigraph rewrites, and whether that can mislead the shapes."""
    import pyoxigraph as ox

    rewrites = Rewrites(files=[(path, fmt) for path, fmt, _ in files])
    typed: set[Typed] = set()
    for path, fmt, added in files:
        if fmt == "nt":
            data = path.read_bytes()
            typed |= _typed_nt(data)
            distinct = _nt_distinct(data) if added < _nt_lines(data) else added
        else:
            triples: set[tuple[str, str, str]] = set()
            for triple in oxigraph_triples(path, "ttl"):
                o = triple.object
                triples.add((str(triple.subject), str(triple.predicate), str(o)))
                if isinstance(o, ox.Literal) and not o.language and o.datatype.value not in _KEEP:
                    typed.add((o.value, o.datatype.value))
            distinct = len(triples)
        if added < distinct:
            rewrites.harmful.append(
                f"{path.name}: {distinct} distinct triples were stored as {added} (a value "
                "written in two forms, such as 1 and 01, or triples repeated across the inputs)"
            )
    rewrites.unreadable = _unreadable(typed)
    rewrites.harmful.extend(rewrites.unreadable)
    rewrites.changed = _stored_forms(typed)
    if not rewrites.changed or rewrites.harmful:
        return rewrites
    pairs: set[tuple[Node, Literal, Literal]] = set()
    lits = {k: (_lit(k), _lit(v)) for k, v in rewrites.changed.items()}
    for path, fmt in rewrites.files:
        if fmt == "nt" and not any("\\" in lexical for lexical, _ in rewrites.changed):
            for predicate, key in _nt_predicates(path.read_bytes(), rewrites.changed):
                pairs.add((URIRef(predicate), *lits[key]))
        else:
            pairs |= {(p, w, st) for _s, p, w, st in _occurrences(path, fmt, rewrites.changed)}
    rewrites.harmful.extend(_judge(pairs, shapes))
    return rewrites


def graph_rewrites(graph: Graph, stored: int, shapes: Graph) -> Rewrites:
    """The same checks for an rdflib graph copied into a store that holds ``stored`` triples
    of it (the ``sparql`` engine on data that is not read from files)."""
    rewrites = Rewrites()
    if stored < len(graph):
        rewrites.harmful.append(
            f"{len(graph)} triples were stored as {stored} (a value written in two forms, "
            "such as 1 and 01)"
        )
        return rewrites
    typed = {
        (str(o), str(o.datatype))
        for o in graph.objects()
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) not in _KEEP
    }
    rewrites.unreadable = _unreadable(typed)
    rewrites.harmful.extend(rewrites.unreadable)
    if rewrites.harmful:
        return rewrites
    rewrites.changed = _stored_forms(typed)
    if not rewrites.changed:
        return rewrites
    rewrites._written = {}
    pairs = set()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None:
            new = rewrites.changed.get((str(o), str(o.datatype)))
            if new is not None:
                stored_form = _lit(new)
                rewrites._written.setdefault((s, p, stored_form), o)
                pairs.add((p, o, stored_form))
    rewrites.harmful.extend(_judge(pairs, shapes))
    return rewrites


# The lexical spaces of XSD's numeric types (Oxigraph reads a number only in these forms).
_XSD_INTEGER = re.compile(r"[+-]?[0-9]+")
_XSD_DECIMAL = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)")
_XSD_FLOAT = re.compile(r"([+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)")


def unreadable_literals(graph: Graph) -> list[str]:
    """Ill-typed literals of an rdflib graph, and numbers outside XSD's lexical space (see
    below)."""
    return _unreadable(
        {
            (str(o), str(o.datatype))
            for o in graph.objects()
            if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) not in _KEEP
        }
    )


def _unreadable(typed: set[Typed]) -> list[str]:
    """Literals the engines read differently from pySHACL, the reference:

    - ill-typed literals, as rdflib (and so pySHACL) judges them: "yes"^^xsd:boolean,
      "2024-13-45"^^xsd:date, "-1"^^xsd:positiveInteger. pySHACL reads their value with
      rdflib's rules (a comparison with such a value, a SPARQL constraint's truth value or
      arithmetic on it), which neither Oxigraph nor pyshacl-turbo follow; the differential tests
      (tests/test_differential.py) found disagreements of every kind here, so the reference
      decides whenever one is present;
    - numeric literals outside XSD's lexical space ("1e5"^^xsd:decimal, " 3 ", "abc"). pySHACL
      reads them with Python (which accepts some of these forms as numbers, and orders the rest
      by its own rules); Oxigraph cannot read them as numbers at all, so a comparison the shapes
      make could come out differently."""
    out = []
    with _rdflib_quiet():
        ill = {(lexical, datatype) for lexical, datatype in typed if _ill_typed(lexical, datatype)}
    for lexical, datatype in sorted(typed):
        if (lexical, datatype) in ill:
            out.append(f'"{lexical}"^^<{datatype}> is not a valid {_short(datatype)}')
            continue
        if datatype not in _NUMERIC:
            continue
        if datatype in (str(XSD.float), str(XSD.double)):
            pattern = _XSD_FLOAT
        elif datatype == str(XSD.decimal):
            pattern = _XSD_DECIMAL
        else:
            pattern = _XSD_INTEGER
        if not pattern.fullmatch(lexical):
            out.append(f'"{lexical}"^^<{datatype}> is not a number in XSD\'s lexical form')
    return out[:5]


def _ill_typed(lexical: str, datatype: str) -> bool:
    """rdflib's verdict on a literal (None, for a datatype it has no parser for, is not)."""
    return Literal(lexical, datatype=datatype, normalize=False).ill_typed is True


@contextmanager
def _rdflib_quiet() -> Iterator[None]:
    """Silence rdflib's warning and logged traceback for each ill-typed literal it reads."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _short(datatype: str) -> str:
    return "xsd:" + datatype[len(str(XSD)) :] if datatype.startswith(str(XSD)) else datatype


def _judge(pairs: set[tuple[Node, Literal, Literal]], shapes: Graph) -> list[str]:
    """Why the stored forms of these (predicate, written, stored) literals could mislead:
    a property shape judging them differently, or a SPARQL-based constraint reading them."""
    out = [
        f"{written.n3()} (for {p}) is judged differently when stored as {stored.n3()}"
        for p, written, stored in sorted(_differing_pairs(pairs, shapes), key=str)
    ]
    return out + _sparql_sensitive(pairs, shapes)


_NUMERIC = {
    str(XSD[name])
    for name in [
        "integer",
        "decimal",
        "float",
        "double",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "positiveInteger",
    ]
}
# What in a SPARQL query can tell "3"^^xsd:positiveInteger from "3"^^xsd:integer: the
# datatype itself, term identity, and grouping or de-duplicating by term.
_COMMENT = re.compile(r"(?m)(^|\s)#[^\n]*")  # a SPARQL comment (# inside an IRI has no space)
_TERM_SENSITIVE = re.compile(r"(?i)\b(DATATYPE|SAMETERM|STRDT|GROUP\s+BY|DISTINCT|REDUCED)\b")


def sparql_readers(shapes: Graph) -> list[tuple[Node, str, set[str]]]:
    """(constraint, its SELECT without comments, the IRIs it names) for every SPARQL-based
    constraint of the shapes graph: what each one can read."""
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    readers: list[tuple[Node, str, set[str]]] = []
    for constraint, select in shapes.subject_objects(SH.select):
        text = _COMMENT.sub(r"\1", str(select))  # a word in a comment reads nothing
        named = set(re.findall(r"<([^>\s]+)>", text))
        for prefix, local in re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):([\w-]+)", text):
            if prefix in prefixes:
                named.add(prefixes[prefix] + local)
        readers.append((constraint, text, named))
    return sorted(readers, key=lambda r: str(r[0]))


def _sub_selects(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every ``{ SELECT … }`` group of a query, nested ones included."""
    for m in re.finditer(r"\{\s*SELECT\b", text, re.IGNORECASE):
        depth = 0
        for i in range(m.start(), len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                yield m.start(), i + 1
                break


def _without_unrelated_subqueries(text: str, predicate: str, prefixes: dict[str, str]) -> str:
    """The query without the sub-selects that never name ``predicate``: their DISTINCT or
    GROUP BY work on other values (e.g. counting a group's members), never on its literals."""
    names = {f"<{predicate}>"} | {
        f"{prefix}:{predicate[len(ns) :]}"
        for prefix, ns in prefixes.items()
        if predicate.startswith(ns)
    }
    cut = [
        (a, b)
        for a, b in _sub_selects(text)
        if not any(re.search(rf"(?<![\w:]){re.escape(n)}(?![\w-])", text[a:b]) for n in names)
    ]
    for a, b in sorted(cut, reverse=True):
        if not any(a2 <= a and b <= b2 and (a2, b2) != (a, b) for a2, b2 in cut):
            text = text[:a] + "{}" + text[b:]
    return text


def _sparql_sensitive(pairs: set[tuple[Node, Literal, Literal]], shapes: Graph) -> list[str]:
    """Rewrites a SPARQL-based constraint could see. Comparisons and arithmetic on numbers
    go by value, and a message shows the lexical form, so a rewrite is harmless to a query
    that reads the predicate when it keeps the lexical form, stays numeric, and the query
    never looks at datatypes or term identity where it reads it (a sub-select that never
    names the predicate may group or count other values); any other rewrite counts as
    harmful."""
    readers = sparql_readers(shapes)
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    out = []
    for p, written, stored in sorted(pairs, key=str):
        for constraint, text, named in readers:
            if str(p) not in named:
                continue
            same_form = str(written) == str(stored)
            numeric = {str(written.datatype), str(stored.datatype)} <= _NUMERIC
            reading = _without_unrelated_subqueries(text, str(p), prefixes)
            if not (same_form and numeric) or _TERM_SENSITIVE.search(reading):
                out.append(
                    f"{written.n3()} (for {p}) would reach the SPARQL constraint {constraint} "
                    f"as {stored.n3()}"
                )
    return out


def _differing_pairs(
    cases: set[tuple[Node, Literal, Literal]], shapes: Graph
) -> set[tuple[Node, Literal, Literal]]:
    """Run every (predicate, written, stored) case as two probe nodes through the property
    shapes on that predicate with pyshacl-turbo; return the cases whose results differ.

    No other data is needed: what a shape says about a literal value depends on the literal
    alone (a literal has no type and no properties of its own, so sh:class, sh:node and
    nested property shapes judge both forms alike)."""
    import pyshacl_turbo

    props: dict[Node, list[Node]] = {}
    for prop in set(shapes.objects(None, SH.property)):
        path = shapes.value(prop, SH.path)
        if isinstance(path, URIRef):
            props.setdefault(path, []).append(prop)
    probe_shapes = Graph()
    probe_shapes += shapes
    data = Graph()
    probes: dict[Node, tuple[int, str]] = {}
    ordered = sorted(cases, key=str)
    for i, (p, written, stored) in enumerate(ordered):
        paths = [p] if p in props else []
        if not paths:
            continue
        shape = URIRef(f"urn:ipskg:probe-shape:{i}")
        probe_shapes.add((shape, RDF.type, SH.NodeShape))
        for side, value in (("written", written), ("stored", stored)):
            node = URIRef(f"urn:ipskg:probe:{i}:{side}")
            probes[node] = (i, side)
            probe_shapes.add((shape, SH.targetNode, node))
            for path in paths:
                data.add((node, path, value))
        for path in paths:
            for prop in props.get(path, []):
                probe_shapes.add((shape, SH.property, prop))
    if not probes:
        return set()
    _conforms, report, _ = pyshacl_turbo.validate(
        data, shacl_graph=probe_shapes, inference="none", allow_infos=False, allow_warnings=False
    )
    verdicts: dict[tuple[int, str], set[tuple[str, str]]] = {}
    for r in report.objects(None, SH.result):
        where = probes.get(report.value(r, SH.focusNode))
        if where is not None:
            verdicts.setdefault(where, set()).add(
                (
                    str(report.value(r, SH.sourceShape)),
                    str(report.value(r, SH.sourceConstraintComponent)),
                )
            )
    return {
        case
        for i, case in enumerate(ordered)
        if verdicts.get((i, "written"), set()) != verdicts.get((i, "stored"), set())
    }
