"""Pages for the vocabularies the evidence uses: one per ERIC implementation strategy (its
definition, cluster and every reported use across studies, beside the unit's ratings of the
constructs the use targeted) and one per SSSOM mapping set (every mapping with its predicate,
justification, confidence and comment)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ipskg.model.terms import IPSKG

from .collect import (
    construct_path,
    evidence_parts,
    label,
    obs_anchor,
    observations,
    rating_of,
    rating_part,
    record_path,
    safe_name,
    study_id,
    study_path,
    subgraph,
    value_text,
    web_link,
)
from .ontodoc import OntologyDoc, local_name, source_parts
from .pages import Page, Part, Row, Section, Table

__all__ = ["mapping_set_pages", "strategy_pages", "strategy_path", "strategy_uses"]


def strategy_path(strategy: URIRef) -> str:
    return f"strategy/{safe_name(local_name(strategy))}.html"


def strategy_uses(g: Graph) -> dict[URIRef, list[tuple[URIRef, URIRef | None]]]:
    """Each strategy's reported uses as (unit or study, strategy-use node or None): the
    qualified form (``hasStrategyUse`` / ``ofStrategy``) and the simple ``usedStrategy`` triple
    where no use node stands behind it."""
    found: dict[URIRef, list[tuple[URIRef, URIRef | None]]] = {}
    qualified: set[tuple[URIRef, URIRef]] = set()
    for use in sorted(g.subjects(RDF.type, IPSKG.StrategyUse), key=str):
        strategy = g.value(use, IPSKG.ofStrategy)
        if not isinstance(use, URIRef) or not isinstance(strategy, URIRef):
            continue
        for where in sorted(g.subjects(IPSKG.hasStrategyUse, use), key=str):
            if isinstance(where, URIRef):
                found.setdefault(strategy, []).append((where, use))
                qualified.add((where, strategy))
    for where, strategy in sorted(g.subject_objects(IPSKG.usedStrategy), key=str):
        if (
            isinstance(where, URIRef)
            and isinstance(strategy, URIRef)
            and (where, strategy) not in qualified
        ):
            found.setdefault(strategy, []).append((where, None))
    return found


def _study_of(g: Graph, where: URIRef) -> URIRef | None:
    if (where, RDF.type, IPSKG.Study) in g:
        return where
    s = g.value(where, IPSKG.inStudy)
    return s if isinstance(s, URIRef) else None


def _ratings_of_targets(g: Graph, where: URIRef, targets: list[URIRef]) -> list[Part]:
    """The unit's own ratings of the constructs a use targeted, each linking to the rating."""
    parts: list[Part] = []
    page = record_path(where)
    for obs in observations(g):
        if (obs, IPSKG.observedIn, where) in g and g.value(obs, IPSKG.construct) in targets:
            c = g.value(obs, IPSKG.construct)
            if parts:
                parts.append(Part(" "))
            parts.append(
                Part(f"{value_text(g, c, SKOS.notation)} " if isinstance(c, URIRef) else "")
            )
            parts.append(
                rating_part(rating_of(g, obs), f"{page}#{obs_anchor(g, obs)}" if page else None)
            )
    return parts


def strategy_pages(g: Graph, doc: OntologyDoc) -> Iterator[Page]:
    """A page per ERIC strategy (from the ontology), with its uses in the graph's studies."""
    onto = doc.graph
    uses = strategy_uses(g)
    for s in sorted(onto.subjects(RDF.type, IPSKG.ImplementationStrategy), key=str):
        if not isinstance(s, URIRef):
            continue
        number = value_text(onto, s, IPSKG.powellNumber)
        facts: list[tuple[str, list[Part]]] = [("name", [Part(label(onto, s))])]
        if number:
            facts.append(("Powell number", [Part(number)]))
        cluster = onto.value(s, IPSKG.inCluster)
        if isinstance(cluster, URIRef):
            facts.append(("cluster", doc.link(cluster, label(onto, cluster))))
        for name, p in (("definition", SKOS.definition), ("also called", SKOS.altLabel)):
            text = " / ".join(sorted(str(v) for v in onto.objects(s, p)))
            if text:
                facts.append((name, [Part(text)]))
        sources = source_parts(onto, s)
        if sources:
            facts.append(("source", sources))
        facts.append(("IRI", [web_link(s)]))
        facts.append(("in the ontology", doc.link(s, "ERIC concept scheme entry")))
        rows: list[Row] = []
        subjects: list[URIRef] = []
        for where, use in uses.get(s, []):
            study = _study_of(g, where)
            sid = study_id(g, study) if study is not None else "?"
            targets = (
                sorted(
                    (t for t in g.objects(use, IPSKG.targetsConstruct) if isinstance(t, URIRef)),
                    key=str,
                )
                if use is not None
                else []
            )
            target_parts: list[Part] = []
            for t in targets:
                if target_parts:
                    target_parts.append(Part(", "))
                name = f"{value_text(g, t, SKOS.notation)} {label(g, t)}".strip()
                target_parts.append(Part(name, construct_path(t)))
            rows.append(
                [
                    [Part(sid, study_path(sid))],
                    [Part(label(g, where), record_path(where))] if where != study else [],
                    target_parts,
                    _ratings_of_targets(g, where, targets),
                    [Part(value_text(g, use, DCTERMS.description))] if use is not None else [],
                    evidence_parts(g, use if use is not None else where),
                ]
            )
            subjects.append(use if use is not None else where)
        n_studies = len({row[0][0].text for row in rows})
        yield Page(
            strategy_path(s),
            f"ERIC strategy {number}: {label(onto, s)}".replace(" : ", ": "),
            "ERIC strategy",
            [
                Section("About", facts=facts),
                Section(
                    "Reported uses across studies",
                    text=[
                        [
                            Part(
                                f"{len(rows)} reported use{'' if len(rows) == 1 else 's'} in "
                                f"{n_studies} stud{'y' if n_studies == 1 else 'ies'} of this "
                                "graph, one per row; where a use names the CFIR constructs it "
                                "targeted, the unit's own ratings of them stand beside it."
                            )
                        ]
                    ],
                    table=Table(
                        f"Uses of {label(onto, s)}",
                        [
                            "study",
                            "unit",
                            "targeted constructs",
                            "the unit's ratings of them",
                            "description",
                            "source and quotes",
                        ],
                        rows,
                    ),
                    legend=bool(rows),
                ),
            ],
            graph=_with(subgraph(g, *subjects) if subjects else Graph(), onto, s),
            search_label=f"{number} {label(onto, s)} (ERIC strategy)",
        )


def _short(iri: URIRef, prefixes: dict[str, str], doc: OntologyDoc) -> str:
    """An IRI as a CURIE of the mapping set's own ``curie_map``, else of the ontology."""
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if str(iri).startswith(ns) and len(str(iri)) > len(ns):
            return f"{prefix}:{str(iri)[len(ns) :]}"
    return doc.curie(iri)


def _with(out: Graph, onto: Graph, term: URIRef) -> Graph:
    for prefix, ns in onto.namespaces():
        out.bind(prefix, ns, override=True)
    for t in onto.triples((term, None, None)):
        out.add(t)
    return out


def mapping_set_path(path: Path) -> str:
    return f"mappings/{safe_name(path.name.removesuffix('.sssom.tsv'))}.html"


def mapping_set_pages(doc: OntologyDoc) -> tuple[list[Page], dict[str, bytes]]:
    """A page per SSSOM mapping set of the ontology, and the TSV files they offer."""
    from ipskg.vocab.sssom import SSSOM, mapping_files, mapping_graph, read_mapping_set

    full = mapping_graph(include_candidates=True)
    pages: list[Page] = []
    files: dict[str, bytes] = {}
    for path in mapping_files():
        mset = read_mapping_set(path)
        meta = mset.metadata
        site_path = mapping_set_path(path)
        tsv = f"mappings/{safe_name(path.name)}"
        files[tsv] = path.read_bytes()
        facts: list[tuple[str, list[Part]]] = []
        for key in (
            "mapping_set_id",
            "mapping_set_title",
            "mapping_set_description",
            "mapping_set_version",
            "mapping_date",
            "license",
            "mapping_provider",
        ):
            value = meta.get(key)
            if value:
                text = str(value)
                facts.append((key.replace("_", " "), [web_link(text)]))
        creators = meta.get("creator_label") or meta.get("creator_id") or []
        if creators:
            facts.append(("creators", [Part(", ".join(str(c) for c in creators))]))
        candidates = sum(1 for m in mset.mappings if m.candidate)
        facts.append(
            (
                "mappings",
                [
                    Part(
                        f"{len(mset.mappings)}, of which {candidates} candidates (identifiers "
                        "not yet verified; left out of the built graph)"
                    )
                ],
            )
        )
        prefixes = {str(k): str(v) for k, v in (meta.get("curie_map") or {}).items()}
        rows: list[Row] = []
        for m in mset.mappings:
            rows.append(
                [
                    doc.link(m.subject, m.subject_label or None),
                    [Part(_short(m.predicate, prefixes, doc))],
                    doc.link(m.object, m.object_label or None),
                    [Part(_short(m.justification, prefixes, doc))],
                    [Part("" if m.confidence is None else f"{m.confidence:g}")],
                    [Part(("candidate · " if m.candidate else "") + m.comment)],
                ]
            )
        set_iri = URIRef(str(meta.get("mapping_set_id") or ""))
        graph = Graph()
        for prefix, ns in full.namespaces():
            graph.bind(prefix, ns, override=True)
        for t in full.triples((set_iri, None, None)):
            graph.add(t)
        for node in full.objects(set_iri, SSSOM.mappings):
            for t in full.triples((node, None, None)):
                graph.add(t)
        title = str(meta.get("mapping_set_title") or path.name)
        pages.append(
            Page(
                site_path,
                f"Mapping set: {title}",
                "mapping set",
                [
                    Section("About", facts=facts),
                    Section(
                        "Mappings",
                        table=Table(
                            f"Mappings of {title}",
                            [
                                "subject",
                                "predicate",
                                "object",
                                "justification",
                                "confidence",
                                "comment",
                            ],
                            rows,
                        ),
                    ),
                ],
                graph=graph if len(graph) else None,
                downloads=[Part("SSSOM TSV", tsv)],
                search_label=f"{title} (mapping set)",
            )
        )
    return pages, files
