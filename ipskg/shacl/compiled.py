"""A SHACL engine for ipskg's shapes: each shape compiled to SPARQL, run on Oxigraph.

pySHACL (the reference) and pyshacl-turbo both take the data as an rdflib graph or text and
index it again on every run. This engine instead asks the data's own Oxigraph store: the shapes
graph is compiled once into a few SPARQL SELECT queries per shape (one per property shape for
its value constraints, one for its counts, one per SPARQL-based constraint), which the store
answers for every focus node at once. Whole-graph validation of a million triples then costs a
few seconds of query time on a store the user has already loaded.

It implements the part of SHACL Core that ipskg's shapes use, with pySHACL's semantics where
the specification leaves room (a literal's datatype is checked the way pySHACL checks it, with
rdflib's notion of an ill-typed literal; a SPARQL constraint's message is filled in the way
pySHACL fills it, a boolean compared with a number counts as 0 or 1). A shapes graph that uses
anything else is refused when it is compiled (:class:`Unsupported`), never validated
approximately. tests/test_shapes.py checks that it gives pySHACL's results on the whole fixture
catalogue, and tests/test_shaclsparql.py on general shapes with awkward data.

The engine sees literals as Oxigraph stores them, by value: integer subtypes become
xsd:integer and non-canonical lexical forms canonical ("01"^^xsd:integer is "1"), and two
triples that differ only so become one. pySHACL sees them as written, so ``sh:in ( 1 2 )``
rejects "01"^^xsd:integer there and accepts "1" here. Callers therefore check the input first
(:mod:`ipskg.shacl.literal_guard`, used by :mod:`ipskg.shacl.validate`) and fall back to
pyshacl-turbo when a
rewrite could change a result.

The SPARQL text is generated from the shapes graph only (ipskg's own artifacts); data values
never reach the query text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from ipskg.io.rdf import from_oxigraph

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["CompiledShapes", "Unsupported", "compile_shapes"]


class Unsupported(ValueError):
    """The shapes graph uses a SHACL feature this engine does not implement."""


# Value-node constraints: parameter -> constraint component.
_VALUE: dict[Node, URIRef] = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
}
_COMPARISON: dict[Node, str] = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
_COUNT: dict[Node, URIRef] = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
}
# Parameters that carry no constraint of their own (or belong to one above).
_QUIET = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.targetClass,
    SH.property,
    SH.path,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.flags,
    SH.sparql,
    SH.qualifiedValueShape,
}

# A literal "has" a datatype the way pySHACL decides it: the datatype IRI is equal and rdflib
# does not call the literal ill-typed (rdflib checks these lexical forms; for datatypes it has
# no parser for, such as xsd:gYear or xsd:language, pySHACL accepts any lexical form).
_LEXICAL: dict[Node, str] = {
    XSD.integer: r"^\s*[+-]?[0-9]+\s*$",
    XSD.nonNegativeInteger: r"^\s*(\+?[0-9]+|-0+)\s*$",
    XSD.positiveInteger: r"^\s*\+?0*[1-9][0-9]*\s*$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.hexBinary: r"^([0-9a-fA-F]{2})*$",
    # rdflib reads xsd:decimal with Python's Decimal, which also accepts exponents, underscores,
    # "Infinity" and "NaN" (ASCII digits only here; case-insensitive through the "i" flag).
    XSD.decimal: r"^\s*[+-]?(([0-9](_?[0-9])*[.]([0-9](_?[0-9])*)?|[.]?[0-9](_?[0-9])*)"
    r"([eE][+-]?[0-9](_?[0-9])*)?|inf(inity)?|s?nan([0-9](_?[0-9])*)?)\s*$",
    # rdflib reads xsd:hexBinary with binascii.unhexlify: pairs of hex digits, either case
    XSD.hexBinary: r"^([0-9a-fA-F]{2})*$",
}
_ANY_LEXICAL: set[Node] = {XSD.gYear, XSD.gYearMonth, XSD.language, XSD.anyURI}

_PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)


def _term(node: Node) -> str:
    """A shapes-graph term written as SPARQL (IRIs and literals of ipskg's own shapes)."""
    if isinstance(node, URIRef):
        if any(c in str(node) for c in '<>"{}|^`\\ '):
            raise Unsupported(f"an IRI that cannot be written in SPARQL: {node!r}")
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"a blank node where a term is needed: {node!r}")


def _string(text: str) -> str:
    """A SPARQL string literal (double quotes; backslashes, quotes and newlines escaped)."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


@dataclass
class _Names:
    """Fresh SPARQL variable names for nested patterns."""

    n: int = 0

    def __call__(self) -> str:
        self.n += 1
        return f"?_v{self.n}"


@dataclass(frozen=True)
class _Check:
    """One SELECT and how to turn its rows into validation results."""

    kind: str  # "value" | "count" | "node" | "sparql"
    query: str
    shape: URIRef | BNode
    severity: Node
    path: Node | None
    messages: tuple[Literal, ...]
    components: tuple[tuple[str, Node], ...] = ()  # (variable, constraint component)
    constraint: Node | None = None  # the sh:SPARQLConstraint node
    constraint_messages: tuple[Literal, ...] = ()
    path_triples: tuple[tuple[Node, Node, Node], ...] = ()  # a sequence path's RDF list


@dataclass
class CompiledShapes:
    """The shapes graph as SPARQL checks; compile once, run on any number of stores."""

    checks: list[_Check] = field(default_factory=list)

    def results(self, store: pyoxigraph.Store) -> list[dict[Node, Any]]:
        """Every validation result, as a mapping of SHACL result predicates to terms.

        The checks are independent read-only queries; Oxigraph answers them without holding
        Python's lock, so they run on up to four threads (one per core)."""
        import os
        from concurrent.futures import ThreadPoolExecutor

        import pyoxigraph

        def run(check: _Check) -> list[dict[Node, Any]]:
            solutions = store.query(check.query)
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            names = [v.value for v in solutions.variables]
            return [r for row in solutions for r in _rows_to_results(check, row, names)]

        workers = max(1, min(4, os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return [r for found in pool.map(run, self.checks) for r in found]

    def validate(self, store: pyoxigraph.Store) -> tuple[bool, Graph]:
        """pySHACL's (conforms, results graph), with infos and warnings counting as results
        (pySHACL's ``allow_infos=False, allow_warnings=False``)."""
        report = Graph()
        root = BNode()
        report.add((root, RDF.type, SH.ValidationReport))
        conforms = True
        lists = {c.path: c.path_triples for c in self.checks if c.path_triples}
        for result in self.results(store):
            for triple in lists.get(result.get(SH.resultPath), ()):
                report.add(triple)  # a sequence path is reported as its RDF list
            conforms = False
            node = BNode()
            report.add((root, SH.result, node))
            report.add((node, RDF.type, SH.ValidationResult))
            for predicate, value in result.items():
                if predicate == SH.resultMessage:
                    for message in value:
                        report.add((node, predicate, message))
                elif value is not None:
                    report.add((node, predicate, value))
        report.add((root, SH.conforms, Literal(conforms)))
        return conforms, report


def _rows_to_results(check: _Check, row: Any, names: list[str]) -> Iterator[dict[Node, Any]]:
    focus = from_oxigraph(row["this"])
    base: dict[Node, Any] = {
        SH.focusNode: focus,
        SH.sourceShape: check.shape,
        SH.resultSeverity: check.severity,
    }
    if check.kind != "sparql":
        # value checks report the failing value; node checks the focus node; counts no value
        value = (
            from_oxigraph(row["value"])
            if check.kind == "value"
            else focus
            if check.kind == "node"
            else None
        )
        for var, component in check.components:
            if not _true(row[var]):
                yield {
                    **base,
                    SH.resultPath: check.path,
                    SH.value: value,
                    SH.sourceConstraintComponent: component,
                    SH.resultMessage: check.messages,
                }
        return
    # a SPARQL-based constraint, pySHACL's way
    bound: dict[str, Node] = {}
    for name in names:
        term = row[name]
        if term is not None:
            bound[name] = from_oxigraph(term)
    this = bound.get("this", focus)
    path = bound.get("path", check.path)
    shown: Node | None = bound.get("value", focus if check.path is None else None)
    fill = dict(bound)
    if this is not None:
        fill["this"] = this
    if path is not None:
        fill["path"] = path
    if shown is not None:
        fill["value"] = shown
    messages = tuple(
        Literal(_fill(str(m), fill)) for m in (*check.constraint_messages, *check.messages)
    )
    yield {
        **base,
        SH.focusNode: this,
        SH.resultPath: path,
        SH.value: shown,
        SH.sourceConstraintComponent: SH.SPARQLConstraintComponent,
        SH.sourceConstraint: check.constraint,
        SH.resultMessage: messages,
    }


def _fill(message: str, bound: dict[str, Node]) -> str:
    """pySHACL's message template filling: {?name} / {$name} -> str(term)."""
    for name, term in bound.items():
        message = re.sub(f"{{[?$]{re.escape(name)}}}", _literally(str(term)), message)
    return message


def _literally(text: str) -> Any:
    """A re.sub replacement that inserts ``text`` as is (no backslash escapes)."""
    return lambda _match: text


def _true(term: Any) -> bool:
    return term is not None and getattr(term, "value", None) == "true"


# ---------------------------------------------------------------- compiling
class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.names = _Names()
        self.prefixes = self._sparql_prefixes()

    # -- helpers
    def _one(self, node: Node, predicate: URIRef) -> Node | None:
        values = list(self.g.objects(node, predicate))
        if len(values) > 1:
            raise Unsupported(f"{node} has {len(values)} values of {predicate}")
        return values[0] if values else None

    def _int(self, node: Node, predicate: URIRef) -> int | None:
        value = self._one(node, predicate)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise Unsupported(f"{node} {predicate} must be an integer")
        return int(value.toPython())

    def _check_parameters(self, shape: Node) -> None:
        for predicate in set(self.g.predicates(shape, None)):
            if predicate in _VALUE or predicate in _COUNT or predicate in _QUIET:
                continue
            if predicate == SH.hasValue:
                continue
            if str(predicate).startswith(str(SH)):
                raise Unsupported(f"{shape} uses {predicate}, which this engine does not implement")

    def _path(self, shape: Node) -> URIRef | BNode:
        """A predicate path, or a sequence path of predicates (an RDF list)."""
        path = self._one(shape, SH.path)
        if isinstance(path, URIRef):
            return path
        if isinstance(path, BNode) and self._sequence(path):
            return path
        raise Unsupported(
            f"{shape}: only predicate and sequence paths are implemented (got {path!r})"
        )

    def _sequence(self, path: Node) -> list[URIRef]:
        """The predicates of a sequence path of two or more predicates (else [])."""
        if not isinstance(path, BNode) or self.g.value(path, RDF.first) is None:
            return []
        steps = list(self.g.items(path))
        if len(steps) < 2 or not all(isinstance(step, URIRef) for step in steps):
            return []
        return [step for step in steps if isinstance(step, URIRef)]

    def _sparql_path(self, path: Node) -> str:
        steps = self._sequence(path)
        if steps:
            return "(" + "/".join(_term(step) for step in steps) + ")"
        return _term(path)

    def path_triples(self, path: Node) -> list[tuple[Node, Node, Node]]:
        """The RDF list of a sequence path, to copy into a report with sh:resultPath."""
        out: list[tuple[Node, Node, Node]] = []
        node: Node | None = path
        while isinstance(node, BNode):
            out.extend(
                (node, p, o)
                for p, o in self.g.predicate_objects(node)
                if p in (RDF.first, RDF.rest)
            )
            node = self.g.value(node, RDF.rest)
        return out

    def _sparql_prefixes(self) -> str:
        lines = []
        for decl in self.g.objects(None, SH.declare):
            prefix = self._one(decl, SH.prefix)
            namespace = self._one(decl, SH.namespace)
            if prefix is None or namespace is None:
                raise Unsupported(f"a sh:declare without sh:prefix and sh:namespace: {decl}")
            lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines)))

    def _targets(self, shape: Node) -> str:
        classes = sorted(self.g.objects(shape, SH.targetClass), key=str)
        return (
            "{ SELECT DISTINCT ?this WHERE { "
            f"VALUES ?_target {{ {' '.join(_term(c) for c in classes)} }} "
            "?_class rdfs:subClassOf* ?_target . ?this rdf:type ?_class } }"
        )

    # -- conditions: SPARQL expressions, true when the node conforms
    def value_condition(self, predicate: Node, param: Node, var: str, shape: Node) -> str:
        """The expression for one value-node constraint (never an error: errors are false)."""
        return f"COALESCE({self._raw_condition(predicate, param, var, shape)}, false)"

    def _raw_condition(self, predicate: Node, param: Node, var: str, shape: Node) -> str:
        if predicate == SH["class"]:
            return f"EXISTS {{ {var} rdf:type/rdfs:subClassOf* {_term(param)} }}"
        if predicate == SH.datatype:
            return self._datatype(param, var)
        if predicate == SH["in"]:
            members = list(self.g.items(param))
            return (
                "(" + " || ".join(self._same(var, m) for m in members) + ")" if members else "false"
            )
        if predicate == SH.nodeKind:
            kinds: dict[Node, str] = {
                SH.IRI: f"isIRI({var})",
                SH.Literal: f"isLiteral({var})",
                SH.BlankNode: f"isBlank({var})",
                SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
                SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
                SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
            }
            if param not in kinds:
                raise Unsupported(f"{shape}: sh:nodeKind {param}")
            return kinds[param]
        if predicate == SH.pattern:
            flags = self._one(shape, SH.flags)
            args = f"STR({var}), {_string(str(param))}"
            if flags is not None:
                args += f", {_string(str(flags))}"
            return f"(!isBlank({var}) && REGEX({args}))"
        if predicate in (SH.minLength, SH.maxLength):
            op = ">=" if predicate == SH.minLength else "<="
            return f"(!isBlank({var}) && STRLEN(STR({var})) {op} {_term(param)})"
        if predicate in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            op = _COMPARISON[predicate]
            if not isinstance(param, Literal) or not isinstance(param.toPython(), (int, float)):
                raise Unsupported(f"{shape}: {predicate} with a non-numeric bound {param!r}")
            # pySHACL compares rdflib's Python values, so a boolean counts as 0 or 1 (and
            # rdflib reads any lexical form but "true" and "1", in any case, as false).
            number = (
                f"IF(datatype({var}) = xsd:boolean, "
                f'IF(LCASE(STR({var})) IN ("true", "1"), 1, 0), {var})'
            )
            return f"(isLiteral({var}) && {number} {op} {_term(param)})"
        if predicate == SH.node:
            return self.shape_condition(param, var)
        if predicate == SH["or"]:
            members = list(self.g.items(param))
            if not members:
                return "false"
            return "(" + " || ".join(self.shape_condition(m, var) for m in members) + ")"
        if predicate == SH["not"]:
            return f"(!{self.shape_condition(param, var)})"
        raise Unsupported(f"{shape}: {predicate}")

    def _has_value(self, var: str, path: Node, wanted: Node) -> str:
        """sh:hasValue on a property shape: some value node is ``wanted`` (rdflib's ``==`` on
        terms, as pySHACL compares them: sameTerm)."""
        value = self.names()
        same = self._same(value, wanted)
        return f"EXISTS {{ {var} {self._sparql_path(path)} {value} . FILTER ({same}) }}"

    def _same(self, var: str, member: Node) -> str:
        """sh:in compares terms (SPARQL sameTerm; rdflib's ``==`` on terms parsed without
        normalising their lexical forms, as ipskg parses them)."""
        return f"sameTerm({var}, {_term(member)})"

    def _datatype(self, datatype: Node, var: str) -> str:
        lit = f"isLiteral({var})"
        if datatype == XSD.string:
            return f"({lit} && datatype({var}) = xsd:string)"
        if datatype == RDF.langString:
            return f'({lit} && lang({var}) != "")'
        typed = f"({lit} && datatype({var}) = {_term(datatype)}"
        if datatype in _LEXICAL:
            flags = ', "i"' if datatype == XSD.decimal else ""
            return f"{typed} && REGEX(STR({var}), {_string(_LEXICAL[datatype])}{flags}))"
        if datatype == XSD.date:
            return f"{typed} && isLiteral(xsd:date(STR({var}))))"
        if datatype in _ANY_LEXICAL:
            return typed + ")"
        raise Unsupported(f"sh:datatype {datatype}: its lexical check is not implemented")

    def shape_condition(self, shape: Node, var: str) -> str:
        """True when the node in ``var`` conforms to ``shape`` (a node or property shape)."""
        self._check_parameters(shape)
        if self.g.value(shape, SH.sparql) is not None:
            raise Unsupported(f"{shape}: a SPARQL constraint in a nested shape")
        parts: list[str] = []
        if self.g.value(shape, SH.path) is not None:
            path = self._path(shape)
            value = self.names()
            checks = [
                self.value_condition(p, o, value, shape)
                for p, o in self.g.predicate_objects(shape)
                if p in _VALUE
            ]
            if checks:
                parts.append(
                    f"NOT EXISTS {{ {var} {self._sparql_path(path)} {value} . "
                    f"FILTER (!({' && '.join(checks)})) }}"
                )
            for wanted in sorted(self.g.objects(shape, SH.hasValue), key=str):
                parts.append(self._has_value(var, path, wanted))
            low = self._int(shape, SH.minCount)
            high = self._int(shape, SH.maxCount)
            if (low is not None and low > 1) or (high is not None and high > 0):
                raise Unsupported(f"{shape}: counts other than minCount 1 / maxCount 0 nested")
            if low == 1:
                parts.append(f"EXISTS {{ {var} {self._sparql_path(path)} {self.names()} }}")
            if high == 0:
                parts.append(f"NOT EXISTS {{ {var} {self._sparql_path(path)} {self.names()} }}")
            qualified = self._one(shape, SH.qualifiedValueShape)
            if qualified is not None:
                if self._int(shape, SH.qualifiedMinCount) != 1:
                    raise Unsupported(f"{shape}: only qualifiedMinCount 1 is implemented nested")
                inner = self.names()
                parts.append(
                    f"EXISTS {{ {var} {self._sparql_path(path)} {inner} . "
                    f"FILTER ({self.shape_condition(qualified, inner)}) }}"
                )
        else:
            for p, o in self.g.predicate_objects(shape):
                if p in _VALUE:
                    parts.append(self.value_condition(p, o, var, shape))
                elif p == SH.hasValue:
                    parts.append(self._same(var, o))
                elif p in _COUNT:
                    raise Unsupported(f"{shape}: {p} on a node shape")
        for prop in self.g.objects(shape, SH.property):
            parts.append(self.shape_condition(prop, var))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    # -- top-level checks
    def compile(self) -> CompiledShapes:
        compiled = CompiledShapes()
        for target in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            for shape in self.g.subjects(target, None):
                raise Unsupported(f"{shape} uses {target}; only sh:targetClass is implemented")
        shapes = sorted(set(self.g.subjects(SH.targetClass, None)), key=str)
        for shape in shapes:
            if not isinstance(shape, (URIRef, BNode)):
                raise Unsupported(f"a shape that is a literal: {shape!r}")
            self._check_parameters(shape)
            if self.g.value(shape, SH.path) is not None:
                raise Unsupported(f"{shape}: a property shape with its own targets")
            targets = self._targets(shape)
            severity = self._one(shape, SH.severity) or SH.Violation
            messages = tuple(m for m in self.g.objects(shape, SH.message) if isinstance(m, Literal))
            if any(p in _COUNT for p in self.g.predicates(shape, None)):
                raise Unsupported(f"{shape}: sh:minCount / sh:maxCount on a node shape")
            node_params = [(p, o) for p, o in self.g.predicate_objects(shape) if p in _VALUE]
            if node_params:
                compiled.checks.append(self._node_check(shape, targets, severity, messages))
            for wanted in sorted(self.g.objects(shape, SH.hasValue), key=str):
                # pySHACL reports sh:hasValue on a node shape with no sh:value
                query = (
                    f"SELECT ?this ?hv WHERE {{ {targets} "
                    f"BIND ({self._same('?this', wanted)} AS ?hv) FILTER (!?hv) }}"
                )
                compiled.checks.append(
                    _Check(
                        "count",
                        _PREFIXES + query,
                        shape,
                        severity,
                        None,
                        messages,
                        (("hv", SH.HasValueConstraintComponent),),
                    )
                )
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                compiled.checks.extend(self._property_checks(prop, targets))
            for constraint in sorted(self.g.objects(shape, SH.sparql), key=str):
                compiled.checks.append(
                    self._sparql_check(shape, constraint, targets, severity, messages)
                )
        return compiled

    def _node_check(
        self, shape: Node, targets: str, severity: Node, messages: tuple[Literal, ...]
    ) -> _Check:
        components = []
        binds = []
        for i, (p, o) in enumerate(sorted(self.g.predicate_objects(shape), key=str)):
            var = f"c{i}"
            if p not in _VALUE:
                continue
            binds.append(f"BIND ({self.value_condition(p, o, '?this', shape)} AS ?{var})")
            components.append((var, _VALUE[p]))
        names = " ".join(f"?{v}" for v, _ in components)
        failed = " || ".join(f"!?{v}" for v, _ in components)
        query = f"SELECT ?this {names} WHERE {{ {targets} {' '.join(binds)} FILTER ({failed}) }}"
        assert isinstance(shape, (URIRef, BNode))
        return _Check("node", _PREFIXES + query, shape, severity, None, messages, tuple(components))

    def _property_checks(self, prop: Node, targets: str) -> list[_Check]:
        self._check_parameters(prop)
        if not isinstance(prop, (URIRef, BNode)):
            raise Unsupported(f"a property shape that is a literal: {prop!r}")
        if self.g.value(prop, SH.property) is not None or self.g.value(prop, SH.sparql):
            raise Unsupported(f"{prop}: nested sh:property / sh:sparql on a property shape")
        path = self._path(prop)
        severity = self._one(prop, SH.severity) or SH.Violation
        messages = tuple(m for m in self.g.objects(prop, SH.message) if isinstance(m, Literal))
        checks: list[_Check] = []
        params = sorted(((p, o) for p, o in self.g.predicate_objects(prop) if p in _VALUE), key=str)
        if params:
            components = []
            binds = []
            for i, (p, o) in enumerate(params):
                var = f"c{i}"
                binds.append(f"BIND ({self.value_condition(p, o, '?value', prop)} AS ?{var})")
                components.append((var, _VALUE[p]))
            names = " ".join(f"?{v}" for v, _ in components)
            failed = " || ".join(f"!?{v}" for v, _ in components)
            values = f"{targets} ?this {self._sparql_path(path)} ?value ."
            if self._sequence(path):  # value nodes are a set; a sequence path can repeat one
                values = f"{{ SELECT DISTINCT ?this ?value WHERE {{ {values} }} }}"
            query = (
                f"SELECT ?this ?value {names} WHERE {{ {values} "
                f"{' '.join(binds)} FILTER ({failed}) }}"
            )
            checks.append(
                _Check(
                    "value",
                    _PREFIXES + query,
                    prop,
                    severity,
                    path,
                    messages,
                    tuple(components),
                    path_triples=tuple(self.path_triples(path)),
                )
            )
        low = self._int(prop, SH.minCount)
        high = self._int(prop, SH.maxCount)
        qualified = self._one(prop, SH.qualifiedValueShape)
        qmin = self._int(prop, SH.qualifiedMinCount)
        if self.g.value(prop, SH.qualifiedMaxCount) is not None:
            raise Unsupported(f"{prop}: sh:qualifiedMaxCount")
        if (qualified is None) != (qmin is None):
            raise Unsupported(f"{prop}: sh:qualifiedValueShape needs sh:qualifiedMinCount")
        wanted = sorted(self.g.objects(prop, SH.hasValue), key=str)
        if low is not None or high is not None or qualified is not None or wanted:
            if qualified is not None and self._sequence(path):
                raise Unsupported(f"{prop}: sh:qualifiedValueShape on a sequence path")
            distinct = "DISTINCT " if self._sequence(path) else ""
            aggregates = [f"(COUNT({distinct}?value) AS ?n)"]
            components = []
            tests = []
            for i, value in enumerate(wanted):
                aggregates.append(
                    f"(SUM(IF(BOUND(?value) && {self._same('?value', value)}, 1, 0)) AS ?h{i})"
                )
                components.append((f"chv{i}", SH.HasValueConstraintComponent))
                tests.append(f"BIND (?h{i} > 0 AS ?chv{i})")
            if low is not None:
                components.append(("cmin", SH.MinCountConstraintComponent))
                tests.append(f"BIND (?n >= {low} AS ?cmin)")
            if high is not None:
                components.append(("cmax", SH.MaxCountConstraintComponent))
                tests.append(f"BIND (?n <= {high} AS ?cmax)")
            if qualified is not None:
                cond = self.shape_condition(qualified, "?value")
                aggregates.append(f"(SUM(IF(BOUND(?value) && {cond}, 1, 0)) AS ?q)")
                components.append(("cq", SH.QualifiedMinCountConstraintComponent))
                tests.append(f"BIND (?q >= {qmin} AS ?cq)")
            names = " ".join(f"?{v}" for v, _ in components)
            failed = " || ".join(f"!?{v}" for v, _ in components)
            query = (
                f"SELECT ?this {names} WHERE {{ {{ SELECT ?this {' '.join(aggregates)} WHERE {{ "
                f"{targets} OPTIONAL {{ ?this {self._sparql_path(path)} ?value }} }} "
                "GROUP BY ?this } "
                f"{' '.join(tests)} FILTER ({failed}) }}"
            )
            checks.append(
                _Check(
                    "count",
                    _PREFIXES + query,
                    prop,
                    severity,
                    path,
                    messages,
                    tuple(components),
                    path_triples=tuple(self.path_triples(path)),
                )
            )
        return checks

    def _sparql_check(
        self,
        shape: Node,
        constraint: Node,
        targets: str,
        severity: Node,
        messages: tuple[Literal, ...],
    ) -> _Check:
        for predicate in set(self.g.predicates(constraint, None)):
            if str(predicate).startswith(str(SH)) and predicate not in (
                SH.select,
                SH.message,
                SH.prefixes,
            ):
                raise Unsupported(f"{constraint} uses {predicate}")
        select = self._one(constraint, SH.select)
        if select is None:
            raise Unsupported(f"{constraint}: only sh:select constraints are implemented")
        text = str(select)
        if re.search(r"(?i)\b(PREFIX|BASE)\b", text) or "$PATH" in text:
            raise Unsupported(f"{constraint}: PREFIX / BASE / $PATH inside sh:select")
        if re.search(r"\$(currentShape|shapesGraph|value)\b", text):
            raise Unsupported(f"{constraint}: a pre-bound variable other than $this")
        own = tuple(m for m in self.g.objects(constraint, SH.message) if isinstance(m, Literal))
        query = f"{_PREFIXES}{self.prefixes}\nSELECT DISTINCT * WHERE {{ {targets} {{ {text} }} }}"
        assert isinstance(shape, (URIRef, BNode))
        return _Check(
            "sparql",
            query,
            shape,
            severity,
            None,
            messages,
            constraint=constraint,
            constraint_messages=own,
        )


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile a shapes graph; :class:`Unsupported` names the first feature it cannot run."""
    return _Compiler(shapes).compile()
