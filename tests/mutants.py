"""A seeded mutator of valid graphs, for differential tests of the SHACL engines.

``Mutator(graph).mutant(seed)`` copies a valid data graph and applies one to three random
perturbations of the kinds bad data takes: ill-typed literals ("yes"^^xsd:boolean,
"abc"^^xsd:integer, "2024-13-45"^^xsd:date), wrong datatypes, values out of range, lexical
variants ("01"^^xsd:integer, "true "), deleted and duplicated values, dangling references (IRIs
of nothing), wrong classes, IRIs where literals belong and the reverse. The same seed gives the
same mutant (``random.Random(seed)``; the graph's triples are sorted first), so a disagreement is
reproduced from its seed alone. Used by tests/test_differential.py (a small fixed seed set) and
bench/differential.py (thousands).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

ILL_TYPED = [
    ("yes", XSD.boolean),
    ("no", XSD.boolean),
    ("abc", XSD.integer),
    ("1.5", XSD.integer),
    ("2024-13-45", XSD.date),
    ("2024-02-30", XSD.date),
    ("-", XSD.decimal),
    ("zz", XSD.hexBinary),
    ("ten", XSD.positiveInteger),
    ("0", XSD.positiveInteger),
    ("-3", XSD.nonNegativeInteger),
]
LEXICAL_VARIANTS = [
    ("01", XSD.integer),
    ("+3", XSD.integer),
    (" 3", XSD.integer),
    ("003", XSD.positiveInteger),
    ("true ", XSD.boolean),
    ("TRUE", XSD.boolean),
    ("1", XSD.boolean),
    ("0", XSD.boolean),
    ("3.0", XSD.decimal),
    ("0.50", XSD.decimal),
    ("1e2", XSD.decimal),
    ("2", XSD.int),
    ("2", XSD.long),
    ("2.0", XSD.double),
]
OUT_OF_RANGE = [-1, 0, 6, 101, 1000000, -0.5, 1.5, 250.5]
OTHER_DATATYPES = [XSD.string, XSD.integer, XSD.boolean, XSD.decimal, XSD.date, XSD.anyURI]


@dataclass
class Mutator:
    """Mutants of ``graph`` (the data, without the ontology terms the caller adds)."""

    graph: Graph

    def __post_init__(self) -> None:
        self.triples: list[Triple] = sorted(self.graph, key=lambda t: tuple(str(x) for x in t))
        self.subjects = sorted({s for s, _, _ in self.triples if isinstance(s, URIRef)}, key=str)
        self.classes = sorted({o for _, p, o in self.triples if p == RDF.type}, key=str)
        self.iris = sorted(
            {o for _, p, o in self.triples if isinstance(o, URIRef) and p != RDF.type}, key=str
        )
        self.kinds: list[tuple[str, Callable[[random.Random, Graph], str | None]]] = [
            ("ill-typed", self._ill_typed),
            ("wrong-datatype", self._wrong_datatype),
            ("out-of-range", self._out_of_range),
            ("lexical-variant", self._lexical_variant),
            ("delete", self._delete),
            ("duplicate", self._duplicate),
            ("dangling", self._dangling),
            ("wrong-class", self._wrong_class),
            ("iri-for-literal", self._iri_for_literal),
            ("literal-for-iri", self._literal_for_iri),
            ("robustness-criterion", self._robustness_criterion),
        ]

    def mutant(self, seed: int) -> tuple[Graph, list[str]]:
        """A mutated copy and what was done to it (one line per perturbation)."""
        rng = random.Random(seed)
        g = Graph()
        for triple in self.triples:
            g.add(triple)
        done: list[str] = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            for _attempt in range(10):
                kind, mutate = rng.choice(self.kinds)
                what = mutate(rng, g)
                if what is not None:
                    done.append(f"{kind}: {what}")
                    break
        return g, done

    # -- helpers
    def _pick(self, rng: random.Random, g: Graph, test: Callable[[Triple], bool]) -> Triple | None:
        found = [t for t in sorted(g, key=lambda t: tuple(str(x) for x in t)) if test(t)]
        return rng.choice(found) if found else None

    @staticmethod
    def _typed(t: Triple) -> bool:
        return isinstance(t[2], Literal) and t[2].datatype is not None

    @staticmethod
    def _literal(t: Triple) -> bool:
        return isinstance(t[2], Literal)

    @staticmethod
    def _replace(g: Graph, t: Triple, new: Node) -> str:
        g.remove(t)
        g.add((t[0], t[1], new))
        return f"{t[0]} {t[1]} {t[2].n3()} -> {new.n3()}"

    # -- perturbations (None: nothing in the graph to apply it to)
    def _ill_typed(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, self._literal)
        if t is None:
            return None
        lexical, datatype = rng.choice(ILL_TYPED)
        return self._replace(g, t, Literal(lexical, datatype=datatype, normalize=False))

    def _wrong_datatype(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, self._literal)
        if t is None:
            return None
        assert isinstance(t[2], Literal)
        datatype = rng.choice([d for d in OTHER_DATATYPES if d != t[2].datatype])
        new = (
            Literal(str(t[2]))
            if datatype == XSD.string
            else Literal(str(t[2]), datatype=datatype, normalize=False)
        )
        return self._replace(g, t, new)

    def _out_of_range(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, self._typed)
        if t is None:
            return None
        number = rng.choice(OUT_OF_RANGE)
        assert isinstance(t[2], Literal)
        datatype = t[2].datatype if isinstance(number, int) else XSD.decimal
        if datatype in (XSD.boolean, XSD.date, XSD.anyURI, XSD.hexBinary, XSD.gYear):
            datatype = XSD.integer if isinstance(number, int) else XSD.decimal
        return self._replace(g, t, Literal(str(number), datatype=datatype, normalize=False))

    def _lexical_variant(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, self._typed)
        if t is None:
            return None
        lexical, datatype = rng.choice(LEXICAL_VARIANTS)
        return self._replace(g, t, Literal(lexical, datatype=datatype, normalize=False))

    def _delete(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, lambda _t: True)
        if t is None:
            return None
        g.remove(t)
        return f"removed {t[0]} {t[1]} {t[2].n3()}"

    def _duplicate(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, lambda t: t[1] != RDF.type)
        if t is None:
            return None
        if isinstance(t[2], Literal):
            options: list[Node] = [Literal(str(t[2]) + " (2)"), t[2]]
            if t[2].datatype is not None:
                options.append(Literal("01", datatype=t[2].datatype, normalize=False))
            other = [o for o in g.objects(None, t[1]) if o != t[2]]
            options.extend(other[:1])
            new = rng.choice(options)
        else:
            new = rng.choice([o for o in g.objects(None, t[1])] + [rng.choice(self.iris)])
        g.add((t[0], t[1], new))
        return f"added {t[0]} {t[1]} {new.n3()}"

    def _dangling(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, lambda t: isinstance(t[2], URIRef) and t[1] != RDF.type)
        if t is None:
            return None
        return self._replace(g, t, URIRef(f"{t[2]}-ghost{rng.randrange(100)}"))

    def _wrong_class(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, lambda t: t[1] == RDF.type)
        if t is None or len(self.classes) < 2:
            return None
        other = rng.choice([c for c in self.classes if c != t[2]])
        if rng.random() < 0.5:
            g.add((t[0], RDF.type, other))
            return f"added {t[0]} a {other}"
        return self._replace(g, t, other)

    def _iri_for_literal(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, self._literal)
        if t is None or not self.iris:
            return None
        return self._replace(g, t, rng.choice(self.iris))

    def _literal_for_iri(self, rng: random.Random, g: Graph) -> str | None:
        t = self._pick(rng, g, lambda t: isinstance(t[2], URIRef) and t[1] != RDF.type)
        if t is None:
            return None
        return self._replace(g, t, Literal(str(t[2]).rsplit("/", 1)[-1]))

    def _robustness_criterion(self, rng: random.Random, g: Graph) -> str | None:
        """The issue-21 case and its relatives: a criterion of a case's robustness rule
        (commitment, maintained, position counts) made unreadable or odd."""
        names = (
            "commitmentCommunicated",
            "positionsMaintained",
            "positionsDuringTrial",
            "positionsAfterTrial",
        )
        ipskg = "https://w3id.org/ipskg/ontology#"
        t = self._pick(rng, g, lambda t: str(t[1]) in {ipskg + n for n in names})
        if t is None:
            return None
        value = rng.choice(
            [
                Literal("yes", datatype=XSD.boolean, normalize=False),
                Literal("true ", datatype=XSD.boolean, normalize=False),
                Literal("1", datatype=XSD.boolean, normalize=False),
                Literal("true"),
                Literal("abc", datatype=XSD.integer, normalize=False),
                Literal("-2", datatype=XSD.integer, normalize=False),
                Literal("02", datatype=XSD.positiveInteger, normalize=False),
                Literal(True),
                Literal(0),
            ]
        )
        return self._replace(g, t, value)


@dataclass
class Verdict:
    """One mutant through the ``sparql`` engine (as ipskg runs it: guard and fallbacks
    included) and through pySHACL, the reference."""

    seed: int
    mutations: list[str]
    ran: str  # the engine that answered for ``sparql`` ("sparql", "turbo" or "pyshacl")
    note: str
    reference_failed: str = ""  # pySHACL itself raised: nothing to compare with
    only_sparql: list[tuple[str, ...]] = field(default_factory=list)
    only_reference: list[tuple[str, ...]] = field(default_factory=list)
    conforms: tuple[bool, bool] = (True, True)

    @property
    def agrees(self) -> bool:
        return bool(self.reference_failed) or (
            not self.only_sparql
            and not self.only_reference
            and self.conforms[0] == self.conforms[1]
        )

    def explain(self) -> str:
        lines = [f"seed {self.seed} ({self.ran}; {self.note or 'no note'}):"]
        lines += [f"  mutation {m}" for m in self.mutations]
        lines += [f"  only sparql:    {r}" for r in self.only_sparql]
        lines += [f"  only reference: {r}" for r in self.only_reference]
        if self.conforms[0] != self.conforms[1]:
            lines.append(f"  conforms: sparql {self.conforms[0]}, reference {self.conforms[1]}")
        return "\n".join(lines)


def _key(row: tuple[Any, ...], messages: bool) -> tuple[str, ...]:
    """(severity, focus node, path, value, source shape, constraint component[, messages])."""
    return tuple(str(x) for x in (row if messages else row[:6]))


def judge(mutator: Mutator, seed: int) -> Verdict:
    """Mutate with ``seed`` and compare the engines. Messages are compared too, except when
    pyshacl-turbo answered (its message wording is its own, not ipskg's engine's)."""
    from ipskg.model.errors import ArtifactError
    from ipskg.shacl.validate import engine_run, ontology_terms

    graph, mutations = mutator.mutant(seed)
    graph += ontology_terms()
    conforms, rows, ran, note = engine_run(graph, "sparql")
    verdict = Verdict(seed, mutations, ran, note)
    try:
        ref_conforms, ref_rows, _, _ = engine_run(graph, "pyshacl")
    except ArtifactError as exc:
        verdict.reference_failed = str(exc)
        return verdict
    messages = ran != "turbo"
    ours = {_key(r, messages) for r in rows}
    theirs = {_key(r, messages) for r in ref_rows}
    verdict.only_sparql = sorted(ours - theirs)
    verdict.only_reference = sorted(theirs - ours)
    verdict.conforms = (conforms, ref_conforms)
    return verdict
