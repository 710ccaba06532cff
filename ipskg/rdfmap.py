"""Turn checked study records into RDF, with provenance on every node and a line index."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .errors import InputError
from .loader import Location, Record, StudyRecords
from .namespaces import IPSKG, MODEL, OA, PREFIXES, STUDY
from .ontology import vocabulary

__all__ = ["FIELD_OF_PREDICATE", "MappedStudy", "map_study", "study_iri"]

_SLUG_RE = re.compile(r"[^a-z0-9]+")
_YEAR_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR_RE = re.compile(r"^\d{4}$")

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
}

_VALENCE_SIGN = {IPSKG.PositiveValence: 1, IPSKG.NegativeValence: -1}


def study_iri(study_id: str) -> URIRef:
    return STUDY[study_id]


def slug(text: str) -> str:
    return _SLUG_RE.sub("-", text.casefold()).strip("-")[:80] or "x"


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

    def iri(self, kind: str, rid: str) -> URIRef:
        from .schema import KINDS

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
            from .schema import KINDS

            who = KINDS[rec.kind].default_attribution if rec.kind in KINDS else "authors"
        self.add(
            iri, PROV.wasAttributedTo, IPSKG.CurationTeam if who == "curation" else self.authors
        )

    def location(self, src: dict[str, str], rec: Record, exact: str | None) -> URIRef:
        key = src["section"] + ("|" + src["locator"] if "locator" in src else "")
        if "document" in src:
            key = src["document"] + "|" + key
        loc = URIRef(f"{self.study}/source/" + (f"{rec.kind}-{rec.id}" if exact else slug(key)))
        self.add(loc, RDF.type, IPSKG.SourceLocation)
        self.add(loc, IPSKG.section, Literal(src["section"]))
        if "locator" in src:
            self.add(loc, IPSKG.locator, Literal(src["locator"]))
        if "document" in src:  # a companion publication, not the study's own report
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

    def text(self, iri: URIRef, prop: URIRef, value: str | None, lang: str = "en") -> None:
        if value is not None:
            self.add(iri, prop, Literal(value, lang=lang))

    def lit(self, iri: URIRef, prop: URIRef, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            self.add(iri, prop, Literal(value))
        elif isinstance(value, int):
            self.add(iri, prop, Literal(value, datatype=XSD.integer))
        elif isinstance(value, float):
            self.add(iri, prop, Literal(repr(value), datatype=XSD.decimal))
        elif isinstance(value, dt.date):
            self.add(iri, prop, Literal(value.isoformat(), datatype=XSD.date))
        elif isinstance(value, str) and _YEAR_MONTH_RE.match(value):
            self.add(iri, prop, Literal(value, datatype=XSD.gYearMonth))
        elif (
            isinstance(value, str)
            and _YEAR_RE.match(value)
            and prop
            in (
                IPSKG.periodStart,
                IPSKG.periodEnd,
                DCTERMS.issued,
            )
        ):
            self.add(iri, prop, Literal(value, datatype=XSD.gYear))
        else:
            self.add(iri, prop, Literal(str(value)))

    # ------------------------------------------------------------ kinds
    def run(self) -> MappedStudy:
        d = self.data
        if d.publication is not None:
            self.publication(d.publication)
        s = self.node(d.study, self.study, IPSKG.Study)
        self.lit(s, DCTERMS.title, d.study.get("title"))
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
            "quote",
            "observation",
            "finding",
            "fidelity_review",
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
        self.lit(iri, IPSKG.doi, doi)
        self.lit(iri, DCTERMS.title, rec.get("title"))
        for author in rec.get("authors", []):
            self.add(iri, DCTERMS.creator, Literal(author))
        if rec.get("authors"):
            citation = ", ".join(rec.get("authors"))
            parts = [
                citation,
                rec.get("title"),
                rec.get("journal"),
                str(rec.get("year")) if rec.get("year") else None,
                f"doi:{doi}" if doi else None,
            ]
            self.add(iri, DCTERMS.bibliographicCitation, Literal(". ".join(p for p in parts if p)))
        self.lit(iri, IPSKG.journalTitle, rec.get("journal"))
        if rec.get("year") is not None:
            self.add(iri, DCTERMS.issued, Literal(str(rec.get("year")), datatype=XSD.gYear))
        for scheme, value in sorted(rec.get("identifiers", {}).items()):
            self.add(iri, DCTERMS.identifier, Literal(f"{scheme}:{value}"))
        self.provenance(rec, iri)

    def project(self, rec: Record) -> None:
        iri = self.node(rec, URIRef(f"{self.study}/project/{rec.id}"), IPSKG.ImplementationProject)
        self.add(self.study, IPSKG.studiesProject, iri)
        self.lit(iri, RDFS.label, rec.get("label"))
        self.text(iri, DCTERMS.description, rec.get("description"))
        self.lit(iri, IPSKG.periodStart, rec.get("start"))
        self.lit(iri, IPSKG.periodEnd, rec.get("end"))
        self.provenance(rec, iri)

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
            self.lit(grp, IPSKG.memberCount, rec.get("count"))
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
        self.lit(iri, IPSKG.caseCount, rec.get("count"))
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
            kind = "case" if target in self.data.records.get("case", {}) else "case_group"
            where = self.iri(kind, target)
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

    def observation(self, rec: Record) -> None:
        iri = self.node(rec, self.iri(rec.kind, rec.id), IPSKG.DeterminantObservation)
        if rec.get("construct") is not None:
            self.add(iri, IPSKG.construct, rec.get("construct"))
        target = rec.get("observed_in")
        if target:
            kind = "case" if target in self.data.records.get("case", {}) else "case_group"
            self.add(iri, IPSKG.observedIn, self.iri(kind, target))
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
        self.lit(iri, IPSKG.reviewDate, rec.get("date"))
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
        self.lit(iri, IPSKG.totalScore, rec.get("total"))
        if rec.get("band") is not None:
            self.add(iri, IPSKG.fidelityBand, rec.get("band"))
        self.provenance(rec, iri)


def map_study(data: StudyRecords) -> MappedStudy:
    """Build the RDF graph of one study. Pure: reads only the records and the ontology."""
    return _Mapper(data).run()
