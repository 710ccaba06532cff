"""Turn checked study records into RDF, with provenance on every node and a line index."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ipskg.model.errors import InputError
from ipskg.model.namespaces import BIBO, DCAT, IPSKG, MODEL, OA, PREFIXES, SPDX, STUDY
from ipskg.model.schema import PRIMARY_DATA
from ipskg.studies.loader import Location, Record, StudyRecords, find_ref
from ipskg.vocab.ontology import vocabulary

__all__ = ["FIELD_OF_PREDICATE", "MappedStudy", "map_study", "study_iri"]

_SLUG_RE = re.compile(r"[^a-z0-9]+")
_SOURCE_KIND = {
    "full-text": IPSKG.FullTextSource,
    "abstract": IPSKG.AbstractSource,
    "abstract-or-summary": IPSKG.AbstractOrSummarySource,
    "summary": IPSKG.SecondarySummarySource,
    "index-entry": IPSKG.IndexEntrySource,
    "primary-data": IPSKG.PrimaryDataSource,
}

# Which data-file key a predicate comes from, so a SHACL result can point at its line.
FIELD_OF_PREDICATE: dict[URIRef, str] = {
    DCTERMS.title: "title",
    RDFS.label: "label",
    IPSKG.aspect: "aspect",
    IPSKG.value: "value",
    IPSKG.unit: "unit",
    IPSKG.qualifier: "qualifier",
    IPSKG.roleExamples: "examples",
    IPSKG.memberCount: "count",
    IPSKG.inRoleCategory: "category",
    IPSKG.cfirRole: "cfir_roles",
    IPSKG.groupRobustness: "robustness",
    IPSKG.caseCount: "count",
    IPSKG.hasMemberCase: "members",
    IPSKG.mayIncludeCase: "may_include",
    IPSKG.declaredRobustness: "robustness",
    IPSKG.commitmentCommunicated: "commitment_communicated",
    IPSKG.positionsMaintained: "positions_maintained",
    IPSKG.positionsDuringTrial: "positions_during_trial",
    IPSKG.positionsAfterTrial: "positions_after_trial",
    IPSKG.integrationModel: "integration_model",
    IPSKG.participantNumber: "number",
    IPSKG.contextLevel: "level",
    IPSKG.statement: "statement",
    IPSKG.definingFeatures: "defining_features",
    IPSKG.correspondsToPathway: "pathway",
    IPSKG.positionInSource: "position",
    SKOS.broader: "parent",
    IPSKG.text: "text",
    IPSKG.saidBy: "participant",
    IPSKG.statedRole: "stated_role",
    IPSKG.fromGroup: "group",
    IPSKG.supportsTheme: "supports",
    IPSKG.quoteForm: "form",
    IPSKG.translatedFrom: "translated_from",
    IPSKG.construct: "construct",
    IPSKG.observedIn: "observed_in",
    IPSKG.valence: "valence",
    IPSKG.strength: "strength",
    IPSKG.ratingScore: "strength",
    IPSKG.evidenceQuote: "evidence_quotes",
    IPSKG.summary: "summary",
    IPSKG.concernsContext: "context_factor",
    IPSKG.addressedBy: "addressed_by",
    IPSKG.forRole: "role",
    IPSKG.ofStrategy: "strategy",
    IPSKG.targetsConstruct: "targets",
    IPSKG.ratingRationale: "rationale",
    IPSKG.aboutTheme: "themes",
    IPSKG.concernsGroup: "groups",
    IPSKG.reviewOf: "case",
    IPSKG.reviewDate: "date",
    IPSKG.reviewerRole: "reviewer_role",
    IPSKG.hasItemScore: "items",
    IPSKG.score: "items",
    IPSKG.fidelityItem: "items",
    IPSKG.totalScore: "total",
    IPSKG.fidelityBand: "band",
    PROV.wasDerivedFrom: "source",
    PROV.wasAttributedTo: "attributed_to",
    IPSKG.doi: "doi",
    IPSKG.journalTitle: "journal",
    DCTERMS.creator: "authors",
    DCTERMS.issued: "year",
    IPSKG.periodStart: "start",
    IPSKG.periodEnd: "end",
    DCTERMS.description: "description",
    IPSKG.integrationModelNote: "integration_model_note",
    IPSKG.conflictingStatedRoles: "conflicting_roles",
    IPSKG.phase: "phase",
    IPSKG.restatesGroupingCriterion: "restates_grouping",
    IPSKG.characteristicUnstated: "characteristic_unstated",
    IPSKG.usesScale: "scale",
    IPSKG.scaleName: "scale_name",
    IPSKG.reviewerType: "reviewer_type",
    IPSKG.summaryStatistic: "statistic",
    IPSKG.outcomeType: "outcome",
    IPSKG.outcomeDefinition: "definition",
    IPSKG.measuredIn: "measured_in",
    IPSKG.sustainmentStatus: "status",
    IPSKG.numericValue: "value",
    IPSKG.measurementUnit: "unit",
    IPSKG.numerator: "numerator",
    IPSKG.denominator: "denominator",
    IPSKG.timePoint: "time_point",
    IPSKG.population: "population",
    IPSKG.effectMeasure: "measure",
    IPSKG.estimateOf: "outcome",
    IPSKG.comparedWith: "compared_with",
    IPSKG.comparator: "comparator",
    IPSKG.ciLower: "ci_lower",
    IPSKG.ciUpper: "ci_upper",
    IPSKG.ciLevel: "ci_level",
    IPSKG.pValue: "p_value",
    IPSKG.pValueBelow: "p_below",
    IPSKG.revisedRecord: "records",
    IPSKG.removedRecordId: "removed",
    IPSKG.changeKind: "change",
    IPSKG.revisionDate: "date",
    IPSKG.curatorName: "curator",
    IPSKG.valueBefore: "before",
    IPSKG.valueAfter: "after",
    IPSKG.revisionReason: "reason",
    IPSKG.accessedOn: "accessed",
    IPSKG.webAddress: "url",
    IPSKG.publisherName: "publisher",
    IPSKG.websiteName: "site",
    IPSKG.publicationType: "type",
    BIBO.volume: "volume",
    BIBO.issue: "issue",
    BIBO.pages: "pages",
    BIBO.number: "article_number",
    BIBO.pmid: "identifiers",
    IPSKG.authorListComplete: "authors_complete",
    IPSKG.fromCase: "case",
    IPSKG.collectedIn: "case",
    IPSKG.hasAttribute: "attributes",
    IPSKG.characterCount: "characters",
    SPDX.checksum: "sha256",
    SKOS.prefLabel: "label",
    SKOS.definition: "definition",
    SKOS.broadMatch: "construct",
    OA.hasBody: "code",
    OA.hasTarget: "quote",
    OA.bodyValue: "text",
    DCTERMS.created: "date",
}

_VALENCE_SIGN = {IPSKG.PositiveValence: 1, IPSKG.NegativeValence: -1}


def study_iri(study_id: str) -> URIRef:
    return STUDY[study_id]


def slug(text: str) -> str:
    return _SLUG_RE.sub("-", text.casefold()).strip("-")[:80] or "x"


def decimal_text(value: int | float) -> str:
    """The canonical xsd:decimal lexical form of a number read from YAML."""
    text = format(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), "f")
    if "." not in text:
        return text + ".0"
    text = text.rstrip("0")
    return text + "0" if text.endswith(".") else text


def source_slug(key: str) -> str:
    """A source location's IRI segment: a readable prefix and a hash of the whole key.

    The hash keeps two different section paths apart however they slug ("Results > Table 1"
    and "Results: Table-1"; headings in non-Latin scripts, which slug to nothing).
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    readable = _SLUG_RE.sub("-", key.casefold()).strip("-")[:48].strip("-")
    return f"{readable}-{digest}" if readable else digest


@dataclass
class MappedStudy:
    """A study's graph plus where each node came from in the data files."""

    id: str
    graph: Graph
    locations: dict[URIRef, Location] = field(default_factory=dict)
    labels: dict[URIRef, str] = field(default_factory=dict)


class _Mapper:
    def __init__(self, data: StudyRecords) -> None:
        self.data = data
        self.sid = data.id
        self.study = study_iri(self.sid)
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.g.bind("sid", str(self.study) + "/")
        self.out = MappedStudy(self.sid, self.g)
        self.authors = URIRef(f"{self.study}/authors")
        self.paper: URIRef | None = None
        self.default_kind = str(data.study.get("source_kind", "full-text"))

    def iri(self, kind: str, rid: str) -> URIRef:
        from ipskg.model.schema import KINDS

        return URIRef(f"{self.study}/{KINDS[kind].segment}/{rid}")

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.g.add((s, p, o))

    def node(self, rec: Record, iri: URIRef, rdf_type: URIRef) -> URIRef:
        self.add(iri, RDF.type, rdf_type)
        self.out.locations[iri] = rec.location
        self.out.labels[iri] = f"{rec.kind.replace('_', ' ')} {rec.id!r}"
        if iri != self.study:
            self.add(iri, IPSKG.inStudy, self.study)
        return iri

    def provenance(
        self, rec: Record, iri: URIRef, source_key: str = "source", exact: str | None = None
    ) -> None:
        src = rec.get(source_key)
        if src is not None:
            self.add(iri, PROV.wasDerivedFrom, self.location(src, rec, exact))
        who = rec.get("attributed_to")
        if who is None:
            from ipskg.model.schema import KINDS

            who = KINDS[rec.kind].default_attribution if rec.kind in KINDS else "authors"
        self.add(
            iri, PROV.wasAttributedTo, IPSKG.CurationTeam if who == "curation" else self.authors
        )

    def location(self, src: dict[str, str], rec: Record, exact: str | None) -> URIRef:
        if "transcript" in src:
            return self.transcript_location(src, rec, exact)
        section = src["section"]
        unknown = section.casefold() == "unknown"
        via = src.get("via")
        if via is not None:
            kind = self.data.records["secondary_source"][via].get("kind", "summary")
        else:
            kind = src.get("kind") or self.default_kind
        parts = [
            src.get("document", ""),
            f"via:{via}" if via else "",
            kind,
            "" if unknown else section,
            src.get("locator", ""),
        ]
        key = "|".join(parts)
        loc = URIRef(
            f"{self.study}/source/" + (f"{rec.kind}-{rec.id}" if exact else source_slug(key))
        )
        self.add(loc, RDF.type, IPSKG.SourceLocation)
        if unknown:
            self.add(loc, IPSKG.sectionUnknown, Literal(True))
        else:
            self.add(loc, IPSKG.section, Literal(section))
        self.add(loc, IPSKG.sourceKind, _SOURCE_KIND[kind])
        if "locator" in src:
            self.add(loc, IPSKG.locator, Literal(src["locator"]))
        if kind == PRIMARY_DATA:  # the study's own data, e.g. its QDA project's cases
            data = URIRef(f"{self.study}/primary-data")
            self.add(loc, OA.hasSource, data)
            self.add(data, RDF.type, PROV.Entity)
            self.add(data, RDFS.label, Literal(f"the own primary data of study {self.sid}"))
        elif via is not None:
            self.add(loc, OA.hasSource, self.iri("secondary_source", via))
        elif "document" in src:  # a companion publication, not the study's own report
            self.add(loc, OA.hasSource, URIRef(f"https://doi.org/{src['document']}"))
        else:
            self.add(loc, OA.hasSource, self.paper or self.study)
        if exact:
            sel = URIRef(f"{loc}/selector")
            self.add(loc, OA.hasSelector, sel)
            self.add(sel, RDF.type, OA.TextQuoteSelector)
            self.add(sel, OA.exact, Literal(exact))
        self.out.locations.setdefault(loc, rec.location)
        return loc

    def transcript_location(self, src: dict[str, str], rec: Record, exact: str | None) -> URIRef:
        """Where in one of the study's own transcripts a record was read: the transcript,
        the exact text and, when given, its character positions (Web Annotation selectors:
        code points, start inclusive, end exclusive)."""
        doc = self.iri("document", src["transcript"])
        key = f"transcript|{src['transcript']}|{src.get('locator', '')}"
        loc = URIRef(
            f"{self.study}/source/" + (f"{rec.kind}-{rec.id}" if exact else source_slug(key))
        )
        self.add(loc, RDF.type, IPSKG.SourceLocation)
        self.add(loc, IPSKG.sourceKind, IPSKG.PrimaryDataSource)
        self.add(loc, OA.hasSource, doc)
        if "locator" in src:
            self.add(loc, IPSKG.locator, Literal(src["locator"]))
        if exact:
            sel = URIRef(f"{loc}/selector")
            self.add(loc, OA.hasSelector, sel)
            self.add(sel, RDF.type, OA.TextQuoteSelector)
            self.add(sel, OA.exact, Literal(exact))
        start, end = rec.get("start"), rec.get("end")
        if start is not None and end is not None:
            pos = URIRef(f"{loc}/position")
            self.add(loc, OA.hasSelector, pos)
            self.add(pos, RDF.type, OA.TextPositionSelector)
            self.add(pos, OA.start, Literal(start, datatype=XSD.nonNegativeInteger))
            self.add(pos, OA.end, Literal(end, datatype=XSD.nonNegativeInteger))
        self.out.locations.setdefault(loc, rec.location)
        return loc

    def attributes(self, iri: URIRef, rec: Record) -> None:
        """A case's or transcript's attributes (REFI-QDA variables), one node each."""
        for name, value in (rec.get("attributes") or {}).items():
            node = URIRef(f"{iri}/attribute/{slug(name) or 'attribute'}")
            self.add(iri, IPSKG.hasAttribute, node)
            self.add(node, RDF.type, IPSKG.Attribute)
            self.add(node, RDFS.label, Literal(name))
            self.lit(node, IPSKG.value, value)

    def text(self, iri: URIRef, prop: URIRef, value: str | None, lang: str = "en") -> None:
        if value is not None:
            self.add(iri, prop, Literal(value, lang=lang))

    def lit(self, iri: URIRef, prop: URIRef, value: Any) -> None:
        """A literal in the OWL 2 datatype map: dates and partial dates stay ISO 8601 text."""
        if value is None:
            return
        if isinstance(value, bool):
            self.add(iri, prop, Literal(value))
        elif isinstance(value, int):
            self.add(iri, prop, Literal(value, datatype=XSD.integer))
        elif isinstance(value, float):
            self.add(iri, prop, Literal(decimal_text(value), datatype=XSD.decimal))
        elif isinstance(value, dt.date):
            self.add(iri, prop, Literal(value.isoformat()))
        else:
            self.add(iri, prop, Literal(str(value)))

    def number(self, iri: URIRef, prop: URIRef, value: Any) -> None:
        """A reported number as printed: a whole number as xsd:integer, any other as an
        xsd:decimal in canonical form (1e-05 → "0.00001"), both in the xsd:decimal range of
        every such property, so that Turtle, N-Triples and JSON-LD hold the same literal (in
        JSON-LD a whole number is a JSON number, a decimal a typed value)."""
        if value is None:
            return
        if isinstance(value, int):
            self.add(iri, prop, Literal(value, datatype=XSD.integer))
        else:
            self.add(iri, prop, Literal(decimal_text(value), datatype=XSD.decimal))

    def count(self, iri: URIRef, prop: URIRef, value: Any) -> None:
        """A count, typed as its property's range says (xsd:nonNegativeInteger)."""
        if value is None:
            return
        self.add(iri, prop, Literal(int(value), datatype=XSD.nonNegativeInteger))

    def ref(self, targets: tuple[str, ...], ref: str) -> URIRef:
        kind = find_ref(self.data.records, targets, ref)
        assert kind is not None, f"unresolved reference {ref!r}"  # the loader checked it
        return self.iri(kind, ref.partition(":")[2] if ":" in ref else ref)

    # ------------------------------------------------------------ kinds
    def run(self) -> MappedStudy:
        d = self.data
        if d.publication is not None:
            self.publication(d.publication)
        s = self.node(d.study, self.study, IPSKG.Study)
        self.add(s, DCTERMS.identifier, Literal(self.sid))
        self.lit(s, DCTERMS.title, d.study.get("title"))
        self.lit(s, RDFS.label, d.study.get("label"))
        if self.paper is not None:
            self.add(s, IPSKG.reportedIn, self.paper)
            assert d.publication is not None
            self.provenance(d.publication, s)
        else:
            self.provenance(d.study, s)
        self.add(self.authors, RDF.type, PROV.Agent)
        self.add(self.authors, RDFS.label, Literal(f"authors of study {self.sid}"))
        if d.project is not None:
            self.project(d.project)
        if d.data_collection is not None:
            self.data_collection(d.data_collection)
        for rec in d.of("related_publication"):
            self.related_publication(rec)
        for rec in d.of("secondary_source"):
            self.secondary_source(rec)
        for kind in (
            "characteristic",
            "role_category",
            "role_description",
            "case",
            "case_group",
            "participant",
            "context_factor",
            "strategy_use",
            "theme",
            "coder",
            "document",
            "code",
            "quote",
            "coding",
            "memo",
            "observation",
            "finding",
            "fidelity_review",
            "outcome",
            "effect",
            "revision",
        ):
            handler = getattr(self, kind)
            for rec in d.of(kind):
                handler(rec)
        return self.out

    def publication(self, rec: Record) -> None:
        doi = rec.get("doi")
        iri = URIRef(f"https://doi.org/{doi}") if doi else URIRef(f"{self.study}/publication")
        self.paper = iri
        self.add(iri, RDF.type, DCTERMS.BibliographicResource)
        self.out.locations[iri] = rec.location
        self.out.labels[iri] = "publication"
        self.bibliographic(iri, rec)
        self.provenance(rec, iri)

    def related_publication(self, rec: Record) -> None:
        doi = rec.get("doi")
        iri = self.node(
            rec,
            URIRef(f"https://doi.org/{doi}") if doi else self.iri(rec.kind, rec.id),
            IPSKG.RelatedPublication,
        )
        self.add(iri, RDF.type, DCTERMS.BibliographicResource)
        self.add(self.study, DCTERMS.relation, iri)
        self.lit(iri, IPSKG.publicationType, rec.get("type"))
        self.lit(iri, IPSKG.publisherName, rec.get("publisher"))
        if rec.get("url"):
            self.add(iri, IPSKG.webAddress, Literal(rec.get("url"), datatype=XSD.anyURI))
        self.bibliographic(iri, rec)
        self.provenance(rec, iri)

    def bibliographic(self, iri: URIRef, rec: Record) -> None:
        """Title, authors, journal, year, volume, issue, pages, identifiers and citation."""
        self.lit(iri, IPSKG.doi, rec.get("doi"))
        self.lit(iri, DCTERMS.title, rec.get("title"))
        authors = rec.get("authors", [])
        for author in authors:
            self.add(iri, DCTERMS.creator, Literal(author))
        complete = rec.get("authors_complete", True)
        if authors:
            self.add(iri, IPSKG.authorListComplete, Literal(bool(complete)))
            self.add(iri, DCTERMS.bibliographicCitation, Literal(self.citation(rec, complete)))
        self.lit(iri, IPSKG.journalTitle, rec.get("journal"))
        if rec.get("year") is not None:
            self.add(iri, DCTERMS.issued, Literal(str(rec.get("year"))))
        self.lit(iri, BIBO.volume, rec.get("volume"))
        self.lit(iri, BIBO.issue, rec.get("issue"))
        self.lit(iri, BIBO.pages, rec.get("pages"))
        self.lit(iri, BIBO.number, rec.get("article_number"))
        ids = rec.get("identifiers", {})
        if "pmid" in ids:
            self.add(iri, BIBO.pmid, Literal(ids["pmid"]))
        for scheme, value in sorted(ids.items()):
            self.add(iri, DCTERMS.identifier, Literal(f"{scheme}:{value}"))

    @staticmethod
    def citation(rec: Record, complete: bool) -> str:
        """A Vancouver-style citation: authors, title, journal year;volume(issue):pages."""
        authors = ", ".join(rec.get("authors"))
        if not complete:
            authors += ", et al"
        where = rec.get("journal") or ""
        if rec.get("year"):
            where += f" {rec.get('year')}" if where else str(rec.get("year"))
        if rec.get("volume"):
            where += f";{rec.get('volume')}"
            if rec.get("issue"):
                where += f"({rec.get('issue')})"
        if rec.get("pages"):
            where += f":{rec.get('pages')}"
        elif rec.get("article_number"):
            where += f":{rec.get('article_number')}"
        if rec.get("publisher") and not rec.get("journal"):  # a report: publisher, year
            where = f"{rec.get('publisher')}; {where}" if where else str(rec.get("publisher"))
        doi = f"doi:{rec.get('doi')}" if rec.get("doi") else None
        parts = [authors, rec.get("title"), where, doi]
        return ". ".join(str(p).rstrip(".") for p in parts if p) + "."

    def secondary_source(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.SecondarySource)
        self.lit(iri, DCTERMS.title, rec.get("title"))
        self.lit(iri, IPSKG.publisherName, rec.get("publisher"))
        if rec.get("url"):
            self.add(iri, IPSKG.webAddress, Literal(rec.get("url"), datatype=XSD.anyURI))
        self.lit(iri, IPSKG.doi, rec.get("doi"))
        self.lit(iri, IPSKG.websiteName, rec.get("site"))
        self.lit(iri, IPSKG.accessedOn, rec.get("accessed"))
        self.text(iri, DCTERMS.description, rec.get("summarises"))
        if rec.get("summarises_publication"):
            other = self.data.records["related_publication"][rec.get("summarises_publication")]
            doi = other.get("doi")
            self.add(
                iri,
                IPSKG.summarises,
                URIRef(f"https://doi.org/{doi}") if doi else self.iri(other.kind, other.id),
            )
        elif self.paper is not None:
            self.add(iri, IPSKG.summarises, self.paper)
        self.add(iri, PROV.wasAttributedTo, IPSKG.CurationTeam)

    def project(self, rec: Record) -> None:
        iri = self.node(rec, URIRef(f"{self.study}/project/{rec.id}"), IPSKG.ImplementationProject)
        self.add(self.study, IPSKG.studiesProject, iri)
        self.lit(iri, RDFS.label, rec.get("label"))
        self.text(iri, DCTERMS.description, rec.get("description"))
        self.lit(iri, IPSKG.periodStart, rec.get("start"))
        self.lit(iri, IPSKG.periodEnd, rec.get("end"))
        self.provenance(rec, iri)

    def data_collection(self, rec: Record) -> None:
        """When the study collected its data: a dcterms:PeriodOfTime with dcat:startDate and
        dcat:endDate as ISO 8601 text at the precision the source gives (the OWL 2 datatype map
        has no xsd:gYear; the DCAT description types them), derived from the passage quoted."""
        iri = self.node(rec, URIRef(f"{self.study}/period/data-collection"), DCTERMS.PeriodOfTime)
        self.add(self.study, DCTERMS.temporal, iri)
        self.lit(iri, DCAT.startDate, rec.get("start"))
        self.lit(iri, DCAT.endDate, rec.get("end"))
        self.provenance(rec, iri, exact=rec.get("quote"))

    def characteristic(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.StudyCharacteristic)
        self.add(self.study, IPSKG.hasCharacteristic, iri)
        if rec.get("aspect") is not None:
            self.add(iri, IPSKG.aspect, rec.get("aspect"))
        self.lit(iri, IPSKG.value, rec.get("value"))
        self.lit(iri, IPSKG.unit, rec.get("unit"))
        if rec.get("qualifier") is not None:
            self.add(iri, IPSKG.qualifier, rec.get("qualifier"))
        self.provenance(rec, iri)

    def role_category(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.RoleCategory)
        self.lit(iri, RDFS.label, rec.get("label"))
        for ex in rec.get("examples", []):
            self.add(iri, IPSKG.roleExamples, Literal(ex))
        self.provenance(rec, iri)
        if rec.get("count") is not None:
            grp = self.node(
                rec, URIRef(f"{self.study}/participant-group/{rec.id}"), IPSKG.ParticipantGroup
            )
            self.add(grp, IPSKG.roleCategory, iri)
            self.count(grp, IPSKG.memberCount, rec.get("count"))
            if rec.get("label"):
                self.add(grp, RDFS.label, Literal(f"participants: {rec.get('label')}"))
            self.provenance(rec, grp)

    def role_description(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.RoleDescription)
        self.lit(iri, RDFS.label, rec.get("label"))
        if rec.get("category"):
            self.add(iri, IPSKG.inRoleCategory, self.iri("role_category", rec.get("category")))
        for role in rec.get("cfir_roles", []):
            self.add(iri, IPSKG.cfirRole, role)
        self.provenance(rec, iri)

    def case_group(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.CaseGroup)
        self.lit(iri, RDFS.label, rec.get("label"))
        if rec.get("robustness") is not None:
            self.add(iri, IPSKG.groupRobustness, rec.get("robustness"))
        self.count(iri, IPSKG.caseCount, rec.get("count"))
        for c in rec.get("members", []):
            self.add(iri, IPSKG.hasMemberCase, self.iri("case", c))
        for c in rec.get("may_include", []):
            self.add(iri, IPSKG.mayIncludeCase, self.iri("case", c))
        self.provenance(rec, iri)

    def case(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.Case)
        self.lit(iri, RDFS.label, rec.get("label"))
        if rec.get("robustness") is not None:
            self.add(iri, IPSKG.declaredRobustness, rec.get("robustness"))
        self.lit(iri, IPSKG.commitmentCommunicated, rec.get("commitment_communicated"))
        self.lit(iri, IPSKG.positionsMaintained, rec.get("positions_maintained"))
        for key, prop in (
            ("positions_during_trial", IPSKG.positionsDuringTrial),
            ("positions_after_trial", IPSKG.positionsAfterTrial),
        ):
            if rec.get(key) is not None:
                self.add(iri, prop, Literal(rec.get(key), datatype=XSD.nonNegativeInteger))
        if rec.get("integration_model") is not None:
            self.add(iri, IPSKG.integrationModel, rec.get("integration_model"))
        self.lit(iri, IPSKG.integrationModelNote, rec.get("integration_model_note"))
        self.attributes(iri, rec)
        self.provenance(rec, iri)

    def participant(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.Participant)
        if rec.get("number") is not None:
            self.add(
                iri,
                IPSKG.participantNumber,
                Literal(rec.get("number"), datatype=XSD.positiveInteger),
            )
            self.add(iri, RDFS.label, Literal(f"Participant {rec.get('number')}"))
        if rec.get("conflicting_roles") is not None:
            self.add(iri, IPSKG.conflictingStatedRoles, Literal(rec.get("conflicting_roles")))
        self.text(iri, SKOS.editorialNote, rec.get("note"))
        self.provenance(rec, iri)

    def context_factor(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.ContextFactor)
        self.lit(iri, RDFS.label, rec.get("label"))
        level = rec.get("level")
        if level:
            self.add(
                iri,
                IPSKG.contextLevel,
                MODEL.ExternalContext if level == "external" else MODEL.OrganizationalContext,
            )
        self.text(iri, IPSKG.statement, rec.get("statement"))
        self.provenance(rec, iri)

    def strategy_use(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.StrategyUse)
        strategy = rec.get("strategy")
        if strategy is not None:
            self.add(iri, IPSKG.ofStrategy, strategy)
        target = rec.get("used_in")
        if target:
            where = self.ref(("case", "case_group"), target)
            self.add(where, IPSKG.hasStrategyUse, iri)
            if strategy is not None:  # the property chain, materialised for plain SPARQL
                self.add(where, IPSKG.usedStrategy, strategy)
        for construct in rec.get("targets", []):
            self.add(iri, IPSKG.targetsConstruct, construct)
        self.text(iri, DCTERMS.description, rec.get("description"))
        self.provenance(rec, iri)

    def theme(self, rec: Record) -> None:
        cls = {"approach": IPSKG.LeadershipApproach, "sub-theme": IPSKG.SubTheme}.get(
            rec.get("kind"), IPSKG.Theme
        )
        iri = self.node(rec, self.iri(rec.kind, rec.id), cls)
        scheme = URIRef(f"{self.study}/themes")
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, RDFS.label, Literal(f"themes of study {self.sid}"))
        self.add(iri, SKOS.inScheme, scheme)
        if rec.get("label"):
            self.lit(iri, RDFS.label, rec.get("label"))
            self.add(iri, SKOS.prefLabel, Literal(rec.get("label"), lang="en"))
        if rec.get("parent"):
            self.add(iri, SKOS.broader, self.iri("theme", rec.get("parent")))
        self.text(iri, IPSKG.definingFeatures, rec.get("defining_features"))
        if rec.get("pathway") is not None:
            self.add(iri, IPSKG.correspondsToPathway, rec.get("pathway"))
        if rec.get("position") is not None:
            self.add(
                iri,
                IPSKG.positionInSource,
                Literal(rec.get("position"), datatype=XSD.positiveInteger),
            )
        self.provenance(rec, iri)

    def quote(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.Quote)
        lang = rec.get("language", "en")
        self.text(iri, IPSKG.text, rec.get("text"), lang)
        if rec.get("participant"):
            self.add(iri, IPSKG.saidBy, self.iri("participant", rec.get("participant")))
        if rec.get("stated_role"):
            self.add(iri, IPSKG.statedRole, self.iri("role_description", rec.get("stated_role")))
        if rec.get("group"):
            self.add(iri, IPSKG.fromGroup, self.iri("case_group", rec.get("group")))
        if rec.get("case"):
            self.add(iri, IPSKG.fromCase, self.iri("case", rec.get("case")))
        for t in rec.get("supports", []):
            self.add(iri, IPSKG.supportsTheme, self.iri("theme", t))
        self.lit(iri, IPSKG.quoteForm, rec.get("form"))
        if rec.get("translated_from"):
            self.add(
                iri,
                IPSKG.translatedFrom,
                Literal(rec.get("translated_from"), datatype=XSD.language),
            )
        if rec.get("position") is not None:
            self.add(
                iri,
                IPSKG.positionInSource,
                Literal(rec.get("position"), datatype=XSD.positiveInteger),
            )
        self.provenance(rec, iri, exact=rec.get("text"))

    # ------------------------------------------------ a team's own coding (coding.yaml)
    def coder(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), PROV.Agent)
        self.lit(iri, RDFS.label, rec.get("label") or f"coder {rec.id}")

    def document(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.Transcript)
        self.lit(iri, RDFS.label, rec.get("label") or f"transcript {rec.id}")
        if rec.get("sha256"):
            checksum = URIRef(f"{iri}/checksum")
            self.add(iri, SPDX.checksum, checksum)
            self.add(checksum, RDF.type, SPDX.Checksum)
            self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
            self.add(
                checksum, SPDX.checksumValue, Literal(rec.get("sha256"), datatype=XSD.hexBinary)
            )
        if rec.get("characters") is not None:
            self.add(
                iri,
                IPSKG.characterCount,
                Literal(rec.get("characters"), datatype=XSD.nonNegativeInteger),
            )
        if rec.get("case"):
            self.add(iri, IPSKG.collectedIn, self.iri("case", rec.get("case")))
        self.attributes(iri, rec)
        self.provenance(rec, iri)

    def code(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.Code)
        scheme = URIRef(f"{self.study}/codebook")
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, RDFS.label, Literal(f"codebook of study {self.sid}"))
        self.add(iri, SKOS.inScheme, scheme)
        if rec.get("label"):
            self.add(iri, SKOS.prefLabel, Literal(rec.get("label"), lang="en"))
        self.text(iri, SKOS.definition, rec.get("definition"))
        if rec.get("parent"):
            self.add(iri, SKOS.broader, self.iri("code", rec.get("parent")))
        if rec.get("construct") is not None:
            self.add(iri, SKOS.broadMatch, rec.get("construct"))
        if rec.get("theme"):
            self.add(iri, SKOS.broadMatch, self.iri("theme", rec.get("theme")))
        self.provenance(rec, iri)

    def coding(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), OA.Annotation)
        self.add(iri, OA.motivatedBy, OA.classifying)
        if rec.get("code"):
            self.add(iri, OA.hasBody, self.iri("code", rec.get("code")))
        if rec.get("quote"):
            self.add(iri, OA.hasTarget, self.iri("quote", rec.get("quote")))
        if rec.get("document"):
            self.add(iri, OA.hasTarget, self.iri("document", rec.get("document")))
        if rec.get("coder"):
            self.add(iri, DCTERMS.creator, self.iri("coder", rec.get("coder")))
        self.lit(iri, DCTERMS.created, rec.get("date"))
        self.provenance(rec, iri)

    def memo(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), OA.Annotation)
        self.add(iri, OA.motivatedBy, OA.commenting)
        self.text(iri, OA.bodyValue, rec.get("text"))
        for ref in rec.get("about", []):
            self.add(
                iri, OA.hasTarget, self.ref(("quote", "code", "document", "case", "coding"), ref)
            )
        if rec.get("coder"):
            self.add(iri, DCTERMS.creator, self.iri("coder", rec.get("coder")))
        self.lit(iri, DCTERMS.created, rec.get("date"))
        self.provenance(rec, iri)

    def observation(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.DeterminantObservation)
        if rec.get("construct") is not None:
            self.add(iri, IPSKG.construct, rec.get("construct"))
        target = rec.get("observed_in")
        if target:
            self.add(iri, IPSKG.observedIn, self.ref(("case", "case_group"), target))
        valence = rec.get("valence")
        if valence is not None:
            self.add(iri, IPSKG.valence, valence)
        strength = rec.get("strength")
        if strength is not None:
            self.add(iri, IPSKG.strength, Literal(strength, datatype=XSD.integer))
        if valence in _VALENCE_SIGN and strength in (1, 2):
            self.add(
                iri,
                IPSKG.ratingScore,
                Literal(_VALENCE_SIGN[valence] * strength, datatype=XSD.integer),
            )
        elif valence == IPSKG.NeutralValence and strength is None:
            self.add(iri, IPSKG.ratingScore, Literal(0, datatype=XSD.integer))
        for q in rec.get("evidence_quotes", []):
            quote = self.iri("quote", q)
            self.add(iri, IPSKG.evidenceQuote, quote)
            self.add(iri, PROV.wasDerivedFrom, quote)
        self.text(iri, IPSKG.summary, rec.get("summary"))
        for factor in rec.get("context_factor", []):
            self.add(iri, IPSKG.concernsContext, self.iri("context_factor", factor))
        if rec.get("role") is not None:
            self.add(iri, IPSKG.forRole, rec.get("role"))
        self.text(iri, IPSKG.ratingRationale, rec.get("rationale"))
        for t in rec.get("addressed_by", []):
            self.add(iri, IPSKG.addressedBy, self.iri("theme", t))
        if rec.get("phase") is not None:
            self.add(iri, IPSKG.phase, rec.get("phase"))
        if rec.get("characteristic_unstated") is not None:
            self.add(iri, IPSKG.characteristicUnstated, Literal(rec.get("characteristic_unstated")))
        if rec.get("restates_grouping") is not None:
            self.add(iri, IPSKG.restatesGroupingCriterion, Literal(rec.get("restates_grouping")))
        self.provenance(rec, iri, source_key="evidence_source")

    def finding(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.Finding)
        self.text(iri, IPSKG.statement, rec.get("statement"))
        for t in rec.get("themes", []):
            self.add(iri, IPSKG.aboutTheme, self.iri("theme", t))
        for grp in rec.get("groups", []):
            self.add(iri, IPSKG.concernsGroup, self.iri("case_group", grp))
        self.provenance(rec, iri)

    def fidelity_review(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.FidelityReview)
        if rec.get("case"):
            self.add(iri, IPSKG.reviewOf, self.iri("case", rec.get("case")))
        if rec.get("group"):
            self.add(iri, IPSKG.reviewOf, self.iri("case_group", rec.get("group")))
        if rec.get("scale") is not None:
            self.add(iri, IPSKG.usesScale, rec.get("scale"))
        self.lit(iri, IPSKG.scaleName, rec.get("scale_name"))
        self.lit(iri, IPSKG.reviewDate, rec.get("date"))
        if rec.get("reviewer_type") is not None:
            self.add(iri, IPSKG.reviewerType, rec.get("reviewer_type"))
        self.lit(iri, IPSKG.reviewerRole, rec.get("reviewer_role"))
        items = vocabulary(str(IPSKG.FidelityItem), "FidelityItem")
        for code, score in rec.get("items", {}).items():
            item = items.resolve(code)
            if item is None:
                guess = items.suggest(code)
                raise InputError(
                    f"{code!r} is not an item of the IPS Fidelity Scale",
                    file=rec.location.file,
                    line=rec.location.field_lines.get("items", rec.location.line),
                    record=rec.id,
                    field="items",
                    hint=f"did you mean {guess}?" if guess else "items are S1–S3, O1–O8, V1–V14",
                )
            node = URIRef(f"{iri}/item/{slug(code)}")
            self.add(iri, IPSKG.hasItemScore, node)
            self.add(node, RDF.type, IPSKG.FidelityItemScore)
            self.add(node, IPSKG.fidelityItem, item)
            self.add(node, IPSKG.score, Literal(score, datatype=XSD.integer))
            self.out.locations[node] = rec.location
            self.out.labels[node] = f"fidelity review {rec.id!r}, item {code}"
        self.number(iri, IPSKG.totalScore, rec.get("total"))
        if rec.get("total_statistic") is not None:
            self.add(iri, IPSKG.summaryStatistic, rec.get("total_statistic"))
        if rec.get("band") is not None:
            self.add(iri, IPSKG.fidelityBand, rec.get("band"))
        self.provenance(rec, iri)

    def outcome(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.OutcomeMeasurement)
        if rec.get("outcome") is not None:
            self.add(iri, IPSKG.outcomeType, rec.get("outcome"))
        self.text(iri, IPSKG.outcomeDefinition, rec.get("definition"))
        if rec.get("measured_in"):
            unit = self.ref(("case", "case_group"), rec.get("measured_in"))
            self.add(iri, IPSKG.measuredIn, unit)
        for key, prop in (
            ("status", IPSKG.sustainmentStatus),
            ("unit", IPSKG.measurementUnit),
            ("statistic", IPSKG.summaryStatistic),
            ("phase", IPSKG.phase),
        ):
            if rec.get(key) is not None:
                self.add(iri, prop, rec.get(key))
        self.number(iri, IPSKG.numericValue, rec.get("value"))
        for key, prop in (("numerator", IPSKG.numerator), ("denominator", IPSKG.denominator)):
            if rec.get(key) is not None:
                self.add(iri, prop, Literal(rec.get(key), datatype=XSD.nonNegativeInteger))
        self.lit(iri, IPSKG.timePoint, rec.get("time_point"))
        self.lit(iri, IPSKG.periodStart, rec.get("period_start"))
        self.lit(iri, IPSKG.periodEnd, rec.get("period_end"))
        self.lit(iri, IPSKG.population, rec.get("population"))
        self.provenance(rec, iri)

    def effect(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.EffectEstimate)
        if rec.get("measure") is not None:
            self.add(iri, IPSKG.effectMeasure, rec.get("measure"))
        measured = ("outcome", "fidelity_review")
        if rec.get("outcome"):
            self.add(iri, IPSKG.estimateOf, self.ref(measured, rec.get("outcome")))
        if rec.get("compared_with"):
            self.add(iri, IPSKG.comparedWith, self.ref(measured, rec.get("compared_with")))
        self.lit(iri, IPSKG.comparator, rec.get("comparator"))
        for key, prop in (
            ("value", IPSKG.numericValue),
            ("ci_lower", IPSKG.ciLower),
            ("ci_upper", IPSKG.ciUpper),
            ("ci_level", IPSKG.ciLevel),
            ("p_value", IPSKG.pValue),
            ("p_below", IPSKG.pValueBelow),
        ):
            self.number(iri, prop, rec.get(key))
        self.provenance(rec, iri)

    def revision(self, rec: Record) -> None:
        from ipskg.model.schema import REVISABLE

        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.CurationRevision)
        self.add(iri, PROV.wasAssociatedWith, IPSKG.CurationTeam)
        self.lit(iri, IPSKG.revisionDate, rec.get("date"))
        self.lit(iri, IPSKG.curatorName, rec.get("curator"))
        for ref in rec.get("records", []):
            self.add(iri, IPSKG.revisedRecord, self.ref(REVISABLE, ref))
        for rid in rec.get("removed", []):
            self.add(iri, IPSKG.removedRecordId, Literal(rid))
        for change in rec.get("change", []):
            self.add(iri, IPSKG.changeKind, change)
        self.text(iri, IPSKG.valueBefore, rec.get("before"))
        self.text(iri, IPSKG.valueAfter, rec.get("after"))
        self.text(iri, IPSKG.revisionReason, rec.get("reason"))
        if rec.get("source") is not None:
            self.add(iri, PROV.used, self.location(rec.get("source"), rec, None))
        self.add(iri, PROV.wasAttributedTo, IPSKG.CurationTeam)


def map_study(data: StudyRecords) -> MappedStudy:
    """Build the RDF graph of one study. Pure: reads only the records and the ontology."""
    return _Mapper(data).run()
