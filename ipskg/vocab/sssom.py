"""SSSOM mapping tables (ontology/mappings/*.sssom.tsv): read, validate, and turn into SKOS triples.

The tables are read with a small reader of our own (YAML header + TSV) so that ``ipskg build``
does not pay for importing the ``sssom`` library; ``validate_mappings`` runs the ``sssom``
library's own parser and schema validation as well, and a test checks both readers agree.

A row whose ``comment`` starts with ``candidate:`` is a candidate, not a fact: its identifier or
its meaning has not been verified. Candidates must have a confidence below 0.5 and are left out
of the built graph (``mapping_graph(include_candidates=True)`` adds them).
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ipskg.model.errors import ArtifactError
from ipskg.model.namespaces import BASE, PREFIXES
from ipskg.model.resources import ontology_dir

__all__ = [
    "CANDIDATE_PREFIX",
    "REQUIRED_COLUMNS",
    "REQUIRED_METADATA",
    "Mapping",
    "MappingIssue",
    "MappingSet",
    "mapping_files",
    "mapping_graph",
    "mappings_dir",
    "read_mapping_set",
    "validate_mappings",
]

CANDIDATE_PREFIX = "candidate:"
REQUIRED_COLUMNS = (
    "subject_id",
    "predicate_id",
    "object_id",
    "mapping_justification",
    "confidence",
    "comment",
)
REQUIRED_METADATA = ("mapping_set_id", "license", "mapping_date", "curie_map")
MAPPING_SET_BASE = BASE + "mappings/"
SUFFIX = ".sssom.tsv"


@dataclass(frozen=True)
class Mapping:
    """One row of a mapping table, with CURIEs expanded to IRIs."""

    subject: URIRef
    predicate: URIRef
    object: URIRef
    justification: URIRef
    confidence: float | None
    comment: str
    subject_label: str = ""
    object_label: str = ""
    row: int = 0

    @property
    def candidate(self) -> bool:
        return self.comment.strip().casefold().startswith(CANDIDATE_PREFIX)


@dataclass
class MappingSet:
    """One SSSOM file: its metadata block and its rows."""

    path: Path
    metadata: dict[str, Any]
    mappings: list[Mapping] = field(default_factory=list)


@dataclass(frozen=True)
class MappingIssue:
    """One validation problem: which file, which data row (1 = first row after the header)."""

    file: str
    message: str
    row: int | None = None

    def render(self) -> str:
        where = self.file + (f", row {self.row}" if self.row else "")
        return f"{where}: {self.message}"


def mappings_dir() -> Path:
    return ontology_dir() / "mappings"


def mapping_files(folder: Path | None = None) -> list[Path]:
    """The mapping tables, sorted by name."""
    return sorted((folder or mappings_dir()).glob("*" + SUFFIX))


def _split(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ArtifactError(
            f"cannot read the mapping table: {exc.strerror}", artifact=str(path)
        ) from exc
    header = [line[1:] for line in text.splitlines() if line.startswith("#")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as exc:
        raise ArtifactError(
            f"the '#' metadata block is not valid YAML: {exc}",
            artifact=str(path),
            hint="each header line is '#' followed by a line of YAML",
        ) from exc
    if not isinstance(meta, dict):
        raise ArtifactError("the '#' metadata block is not a YAML mapping", artifact=str(path))
    return meta, body


def _expand(curie: str, prefixes: dict[str, str], path: Path, row: int, column: str) -> URIRef:
    value = curie.strip()
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    prefix, sep, local = value.partition(":")
    if not sep or prefix not in prefixes:
        raise ArtifactError(
            f"row {row}, column {column}: {value!r} is not a CURIE with a prefix in curie_map",
            artifact=str(path),
            hint=f"add the prefix {prefix!r} to the curie_map header",
        )
    return URIRef(prefixes[prefix] + local)


def read_mapping_set(path: Path) -> MappingSet:
    """Read one SSSOM TSV file (the fast reader; no validation beyond what expansion needs)."""
    meta, body = _split(path)
    prefixes = {**PREFIXES, **{str(k): str(v) for k, v in (meta.get("curie_map") or {}).items()}}
    result = MappingSet(path, meta)
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ArtifactError(
            f"the table has no column {', '.join(missing)}",
            artifact=str(path),
            hint="the first line after the '#' header names the SSSOM columns",
        )
    for number, rec in enumerate(reader, start=1):

        def get(key: str, rec: dict[str, str] = rec) -> str:
            return (rec.get(key) or "").strip()

        conf = get("confidence")
        try:
            confidence = float(conf) if conf else None
        except ValueError:
            raise ArtifactError(
                f"row {number}: confidence {conf!r} is not a number",
                artifact=str(path),
                hint="write a number between 0 and 1",
            ) from None
        result.mappings.append(
            Mapping(
                subject=_expand(get("subject_id"), prefixes, path, number, "subject_id"),
                predicate=_expand(get("predicate_id"), prefixes, path, number, "predicate_id"),
                object=_expand(get("object_id"), prefixes, path, number, "object_id"),
                justification=_expand(
                    get("mapping_justification"), prefixes, path, number, "mapping_justification"
                ),
                confidence=confidence,
                comment=get("comment"),
                subject_label=get("subject_label"),
                object_label=get("object_label"),
                row=number,
            )
        )
    return result


SSSOM = Namespace("https://w3id.org/sssom/")


def mapping_graph(include_candidates: bool = False, folder: Path | None = None) -> Graph:
    """The mappings as RDF, in SSSOM's own RDF form (as sssom-py writes it) so that confidence,
    justification, labels and comment survive: each mapping set an ``sssom:MappingSet`` with
    its title, licence, version and creators; each mapping an ``owl:Axiom`` (annotated source,
    property and target, ``sssom:confidence``, ``sssom:mapping_justification``) with an IRI
    made from the set and the triple. The mapping itself is also asserted as one SKOS triple,
    unless a side is an OWL class of the ontology: asserting an object property of a class
    would pun it (make it an individual too), so a class mapping is kept only in its axiom.

    Candidate rows are left out unless ``include_candidates``; the graph for ``ipskg build``
    therefore asserts only mappings whose identifiers were verified.
    """
    from ipskg.vocab.ontology import ontology_graph

    classes = set(ontology_graph().subjects(RDF.type, OWL.Class))
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    graph.bind("sssom", SSSOM)
    for path in mapping_files(folder):
        mset = read_mapping_set(path)
        for prefix, iri in (mset.metadata.get("curie_map") or {}).items():
            if str(prefix) not in PREFIXES and str(prefix) not in ("skos", "semapv"):
                graph.bind(str(prefix).lower(), str(iri), override=False)
        meta = mset.metadata
        set_iri = URIRef(str(meta.get("mapping_set_id") or MAPPING_SET_BASE + path.name))
        graph.add((set_iri, RDF.type, SSSOM.MappingSet))
        for key, prop in (
            ("mapping_set_title", DCTERMS.title),
            ("mapping_set_description", DCTERMS.description),
            ("mapping_set_version", OWL.versionInfo),
        ):
            if meta.get(key):
                graph.add((set_iri, prop, Literal(str(meta[key]))))
        if meta.get("license"):
            graph.add((set_iri, DCTERMS.license, URIRef(str(meta["license"]))))
        if meta.get("mapping_provider"):
            graph.add((set_iri, SSSOM.mapping_provider, URIRef(str(meta["mapping_provider"]))))
        for label in meta.get("creator_label") or []:
            graph.add((set_iri, SSSOM.creator_label, Literal(str(label))))
        for m in mset.mappings:
            if m.candidate and not include_candidates:
                continue
            key = "|".join((m.subject, m.predicate, m.object))
            node = URIRef(f"{set_iri}#m-{hashlib.sha256(key.encode()).hexdigest()[:12]}")
            graph.add((set_iri, SSSOM.mappings, node))
            graph.add((node, RDF.type, OWL.Axiom))
            graph.add((node, OWL.annotatedSource, m.subject))
            graph.add((node, OWL.annotatedProperty, m.predicate))
            graph.add((node, OWL.annotatedTarget, m.object))
            graph.add((node, SSSOM.mapping_justification, m.justification))
            if m.confidence is not None:
                graph.add((node, SSSOM.confidence, Literal(m.confidence, datatype=XSD.double)))
            if m.subject_label:
                graph.add((node, SSSOM.subject_label, Literal(m.subject_label)))
            if m.object_label:
                graph.add((node, SSSOM.object_label, Literal(m.object_label)))
            if m.comment:
                graph.add((node, RDFS.comment, Literal(m.comment)))
            if m.subject not in classes and m.object not in classes:
                graph.add((m.subject, m.predicate, m.object))
    return graph


def _own_terms(ontology: Graph) -> dict[URIRef, set[str]]:
    names: dict[URIRef, set[str]] = {}
    for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
        for s, o in ontology.subject_objects(prop):
            if isinstance(s, URIRef) and isinstance(o, Literal):
                names.setdefault(s, set()).add(str(o).casefold())
    return names


def _check_rows(mset: MappingSet, ontology: Graph | None) -> list[MappingIssue]:
    """ipskg's own rules, on top of the SSSOM schema."""
    name = str(mset.path)
    issues = [
        MappingIssue(name, f"metadata {key!r} is missing")
        for key in REQUIRED_METADATA
        if key not in mset.metadata
    ]
    set_id = str(mset.metadata.get("mapping_set_id", ""))
    if set_id and not set_id.startswith(MAPPING_SET_BASE):
        issues.append(
            MappingIssue(name, f"mapping_set_id {set_id!r} is not under {MAPPING_SET_BASE}")
        )
    names = _own_terms(ontology) if ontology is not None else {}
    for m in mset.mappings:
        if m.confidence is None or not 0 <= m.confidence <= 1:
            issues.append(MappingIssue(name, "confidence must be a number from 0 to 1", m.row))
        if not m.comment:
            issues.append(
                MappingIssue(
                    name,
                    "comment is empty: say whose judgement or which source the mapping rests on",
                    m.row,
                )
            )
        if m.candidate and (m.confidence is None or m.confidence >= 0.5):
            issues.append(
                MappingIssue(name, "a candidate row must have confidence below 0.5", m.row)
            )
        if not m.candidate and m.confidence is not None and m.confidence < 0.5:
            issues.append(
                MappingIssue(
                    name,
                    f"confidence {m.confidence} is below 0.5 but the comment does not start "
                    f"with {CANDIDATE_PREFIX!r}",
                    m.row,
                )
            )
        if ontology is None:
            continue
        for iri, label, column in (
            (m.subject, m.subject_label, "subject_id"),
            (m.object, m.object_label, "object_id"),
        ):
            if not str(iri).startswith(BASE):
                continue
            if iri not in names:
                issues.append(
                    MappingIssue(
                        name,
                        f"{column} {iri} is not a term of the ipskg "
                        "ontology (misspelt or removed?)",
                        m.row,
                    )
                )
            elif label and label.casefold() not in names[iri]:
                issues.append(
                    MappingIssue(
                        name,
                        f"{column} label {label!r} is not a label of {iri} "
                        f"(it has: {', '.join(sorted(names[iri]))})",
                        m.row,
                    )
                )
    return issues


def _sssom_issues(path: Path) -> list[MappingIssue]:
    """Parse and validate with the sssom library; its warnings count as problems."""
    try:
        from sssom.constants import SchemaValidationType
        from sssom.parsers import parse_sssom_table
        from sssom.validators import validate
    except ImportError:
        raise ArtifactError(
            "the sssom library is not installed: validating mapping tables needs it",
            artifact="sssom",
            hint="pip install 'ipskg[mappings]' (or pip install sssom)",
        ) from None

    records: list[logging.LogRecord] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = _Collect(level=logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    issues: list[MappingIssue] = []
    try:
        # strict=True is not used: in sssom 0.4.x it rejects every file with standard metadata
        # (the flag is inverted); the same warnings are collected from the log instead.
        msdf = parse_sssom_table(path)
        reports = validate(
            msdf,
            [
                SchemaValidationType.JsonSchema,
                SchemaValidationType.PrefixMapCompleteness,
                SchemaValidationType.StrictCurieFormat,
            ],
            fail_on_error=False,
        )
    except Exception as exc:  # the library raises many types for a malformed table
        return [MappingIssue(str(path), f"sssom could not parse the table: {exc}")]
    finally:
        root.removeHandler(handler)
    for vtype, report in reports.items():
        for result in report.results:
            issues.append(MappingIssue(str(path), f"sssom {vtype.name}: {result.message}"))
    for record in records:
        if record.name == "root" or record.name.startswith("sssom"):
            issues.append(MappingIssue(str(path), f"sssom: {record.getMessage()}"))
    return issues


def validate_mappings(
    paths: Iterable[Path] | None = None, ontology: Graph | None = None, use_sssom: bool = True
) -> list[MappingIssue]:
    """Every problem in the mapping tables: sssom schema and prefixes, and ipskg's own rules.

    With ``ontology``, IRIs in ipskg's namespaces must be terms of it and their labels must
    match. ``use_sssom=False`` skips the (slow to import) sssom library: ipskg's rules only.
    """
    issues: list[MappingIssue] = []
    for path in list(paths) if paths is not None else mapping_files():
        try:
            mset = read_mapping_set(path)
        except ArtifactError as exc:
            issues.append(MappingIssue(str(path), exc.message))
            continue
        if use_sssom:
            issues += _sssom_issues(path)
        issues += _check_rows(mset, ontology)
    return issues
