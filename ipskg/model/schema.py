"""The researcher data format: which files, keys and value types a study folder may hold.

Only structure is checked here (unknown keys, value types, ids, references, ontology names);
what a complete, consistent record needs is checked by the SHACL shapes in ``shapes/``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DATA_COLLECTION_FIELDS",
    "FILES",
    "KINDS",
    "PRIMARY_DATA",
    "REVISABLE",
    "SOURCE_KINDS",
    "Field",
    "Kind",
]

SOURCE_KINDS = ("full-text", "abstract", "abstract-or-summary", "summary", "index-entry")
"""How much of a publication a fact was read in (skos:notation of the ontology's
ipskg:SourceKind individuals, in order of decreasing completeness but for index entries)."""
PRIMARY_DATA = "primary-data"
"""The source kind of a fact read in the study's own data (its QDA project), not a
publication: a source ``{transcript: <document id>}``, or ``{section: …, kind: primary-data}``
for the project's cases and variables."""


@dataclass(frozen=True)
class Field:
    """One key of a record.

    ``type`` is one of: str, text-list, authors, int, posint, nonneg, bool, number, scalar,
    date, partial-date, enum, source, ref, refs, vocab, vocabs, map-int, attributes,
    identifiers, record.
    """

    type: str
    target: str | tuple[str, ...] = ""  # ref kind(s), vocab class local name(s), enum values
    required: bool = False


@dataclass(frozen=True)
class Kind:
    """A kind of record: the YAML list it lives in and its IRI path segment."""

    name: str
    segment: str
    fields: dict[str, Field]
    default_attribution: str = "authors"


_SOURCE = {"source": Field("source"), "attributed_to": Field("enum", ("authors", "curation"))}

# The kinds of record a curation revision may name (revisions.yaml, records:).
REVISABLE = (
    "observation",
    "finding",
    "participant",
    "case_group",
    "case",
    "quote",
    "role_description",
    "strategy_use",
    "context_factor",
    "outcome",
    "effect",
    "fidelity_review",
)

PUBLICATION_FIELDS: dict[str, Field] = {
    "doi": Field("doi"),
    "title": Field("str"),
    "authors": Field("authors"),
    "authors_complete": Field("bool"),
    "journal": Field("str"),
    "year": Field("year"),
    "volume": Field("str"),
    "issue": Field("str"),
    "pages": Field("pages"),
    "article_number": Field("str"),
    "identifiers": Field("identifiers"),
    **_SOURCE,
}

KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "characteristic",
            "characteristic",
            {
                "id": Field("str", required=True),
                "aspect": Field("vocab", "StudyAspect"),
                "value": Field("scalar"),
                "unit": Field("str"),
                "qualifier": Field(
                    "vocab", ("InterviewSetting", "IntegrationModel", "RobustnessLevel")
                ),
                **_SOURCE,
            },
        ),
        Kind(
            "role_category",
            "role-category",
            {
                "id": Field("str", required=True),
                "label": Field("str"),
                "examples": Field("text-list"),
                "count": Field("nonneg"),
                **_SOURCE,
            },
        ),
        Kind(
            "role_description",
            "role",
            {
                "id": Field("str", required=True),
                "label": Field("str"),
                "category": Field("ref", "role_category"),
                "cfir_roles": Field("vocabs", "CFIRRole"),
                **_SOURCE,
            },
            default_attribution="curation",
        ),
        Kind(
            "case_group",
            "group",
            {
                "id": Field("str", required=True),
                "label": Field("str"),
                "robustness": Field("vocab", "RobustnessLevel"),
                "count": Field("nonneg"),
                "members": Field("refs", "case"),
                "may_include": Field("refs", "case"),
                **_SOURCE,
            },
        ),
        Kind(
            "case",
            "case",
            {
                "id": Field("str", required=True),
                "label": Field("str"),
                "robustness": Field("vocab", "RobustnessLevel"),
                "commitment_communicated": Field("bool"),
                "positions_maintained": Field("bool"),
                "positions_during_trial": Field("nonneg"),
                "positions_after_trial": Field("nonneg"),
                "integration_model": Field("vocab", "IntegrationModel"),
                "integration_model_note": Field("str"),
                "attributes": Field("attributes"),
                **_SOURCE,
            },
        ),
        Kind(
            "participant",
            "participant",
            {
                "id": Field("str", required=True),
                "number": Field("posint"),
                "conflicting_roles": Field("bool"),
                "note": Field("str"),
                **_SOURCE,
            },
        ),
        Kind(
            "context_factor",
            "context",
            {
                "id": Field("str", required=True),
                "label": Field("str"),
                "level": Field("enum", ("external", "organizational")),
                "statement": Field("str"),
                **_SOURCE,
            },
        ),
        Kind(
            "strategy_use",
            "strategy-use",
            {
                "id": Field("str", required=True),
                "strategy": Field("vocab", "ImplementationStrategy"),
                "used_in": Field("ref", ("case", "case_group")),
                "targets": Field("vocabs", "CFIRConcept"),
                "description": Field("str"),
                **_SOURCE,
            },
            default_attribution="curation",
        ),
        Kind(
            "theme",
            "theme",
            {
                "id": Field("str", required=True),
                "kind": Field("enum", ("approach", "sub-theme", "theme")),
                "label": Field("str"),
                "parent": Field("ref", "theme"),
                "defining_features": Field("str"),
                "pathway": Field("vocab", "Pathway"),
                "position": Field("posint"),
                **_SOURCE,
            },
        ),
        Kind(
            "quote",
            "quote",
            {
                "id": Field("str", required=True),
                "text": Field("str"),
                "participant": Field("ref", "participant"),
                "stated_role": Field("ref", "role_description"),
                "group": Field("ref", "case_group"),
                "case": Field("ref", "case"),
                "start": Field("nonneg"),
                "end": Field("nonneg"),
                "supports": Field("refs", "theme"),
                "form": Field("enum", ("block", "in-text")),
                "language": Field("str"),
                "translated_from": Field("str"),
                "position": Field("posint"),
                **_SOURCE,
            },
        ),
        Kind(
            "observation",
            "observation",
            {
                "id": Field("str", required=True),
                "construct": Field("vocab", "CFIRConcept"),
                "observed_in": Field("ref", ("case", "case_group")),
                "valence": Field("vocab", "Valence"),
                "strength": Field("int"),
                "evidence_quotes": Field("refs", "quote"),
                "evidence_source": Field("source"),
                "summary": Field("str"),
                "context_factor": Field("refs", "context_factor"),
                "role": Field("vocab", "CFIRRole"),
                "rationale": Field("str"),
                "addressed_by": Field("refs", "theme"),
                "phase": Field("vocab", "ImplementationPhase"),
                "restates_grouping": Field("bool"),
                "characteristic_unstated": Field("bool"),
                "attributed_to": Field("enum", ("authors", "curation")),
            },
            default_attribution="curation",
        ),
        Kind(
            "finding",
            "finding",
            {
                "id": Field("str", required=True),
                "statement": Field("str"),
                "themes": Field("refs", "theme"),
                "groups": Field("refs", "case_group"),
                **_SOURCE,
            },
        ),
        Kind(
            "fidelity_review",
            "review",
            {
                "id": Field("str", required=True),
                "case": Field("ref", "case"),
                "group": Field("ref", "case_group"),
                "scale": Field("vocab", "FidelityScale"),
                "scale_name": Field("str"),
                "date": Field("partial-date"),
                "reviewer_type": Field("vocab", "ReviewerType"),
                "reviewer_role": Field("str"),
                "items": Field("map-int"),
                "total": Field("number"),
                "total_statistic": Field("vocab", "SummaryStatistic"),
                "band": Field("vocab", "FidelityBand"),
                **_SOURCE,
            },
        ),
        Kind(
            "secondary_source",
            "secondary-source",
            {
                "id": Field("str", required=True),
                "kind": Field("enum", ("summary", "index-entry")),
                "title": Field("str"),
                "publisher": Field("str"),
                "url": Field("url"),
                "site": Field("str"),
                "doi": Field("doi"),
                "accessed": Field("date"),
                "summarises": Field("str"),
                "summarises_publication": Field("ref", "related_publication"),
            },
        ),
        Kind(
            "related_publication",
            "related-publication",
            {
                "id": Field("str", required=True),
                "type": Field("enum", ("article", "report", "book", "thesis", "web-page", "other")),
                "publisher": Field("str"),
                "url": Field("url"),
                **PUBLICATION_FIELDS,
            },
            default_attribution="curation",
        ),
        Kind(
            "outcome",
            "outcome",
            {
                "id": Field("str", required=True),
                "outcome": Field("vocab", "OutcomeType"),
                "definition": Field("str"),
                "measured_in": Field("ref", ("case", "case_group")),
                "status": Field("vocab", "SustainmentStatus"),
                "value": Field("number"),
                "unit": Field("vocab", "MeasurementUnit"),
                "statistic": Field("vocab", "SummaryStatistic"),
                "numerator": Field("nonneg"),
                "denominator": Field("nonneg"),
                "time_point": Field("str"),
                "period_start": Field("partial-date"),
                "period_end": Field("partial-date"),
                "population": Field("str"),
                "phase": Field("vocab", "ImplementationPhase"),
                **_SOURCE,
            },
        ),
        Kind(
            "effect",
            "effect",
            {
                "id": Field("str", required=True),
                "measure": Field("vocab", "EffectMeasure"),
                "value": Field("number"),
                "outcome": Field("ref", ("outcome", "fidelity_review")),
                "compared_with": Field("ref", ("outcome", "fidelity_review")),
                "comparator": Field("str"),
                "ci_lower": Field("number"),
                "ci_upper": Field("number"),
                "ci_level": Field("number"),
                "p_value": Field("number"),
                "p_below": Field("number"),
                **_SOURCE,
            },
        ),
        Kind(
            "coder",
            "coder",
            {"id": Field("str", required=True), "label": Field("str")},
        ),
        Kind(
            "document",
            "document",
            {
                "id": Field("str", required=True),
                "label": Field("str"),
                "sha256": Field("str"),
                "characters": Field("nonneg"),
                "case": Field("ref", "case"),
                "attributes": Field("attributes"),
            },
        ),
        Kind(
            "code",
            "code",
            {
                "id": Field("str", required=True),
                "label": Field("str"),
                "parent": Field("ref", "code"),
                "definition": Field("str"),
                "construct": Field("vocab", "CFIRConcept"),
                "theme": Field("ref", "theme"),
                "attributed_to": Field("enum", ("authors", "curation")),
            },
        ),
        Kind(
            "coding",
            "coding",
            {
                "id": Field("str", required=True),
                "code": Field("ref", "code"),
                "quote": Field("ref", "quote"),
                "document": Field("ref", "document"),
                "coder": Field("ref", "coder"),
                "date": Field("partial-date"),
            },
        ),
        Kind(
            "memo",
            "memo",
            {
                "id": Field("str", required=True),
                "text": Field("str"),
                "about": Field("refs", ("quote", "code", "document", "case", "coding")),
                "coder": Field("ref", "coder"),
                "date": Field("partial-date"),
            },
        ),
        Kind(
            "revision",
            "revision",
            {
                "id": Field("str", required=True),
                "date": Field("date"),
                "curator": Field("str"),
                "records": Field("refs", REVISABLE),
                "removed": Field("text-list"),
                "change": Field("vocabs", "ChangeKind"),
                "before": Field("str"),
                "after": Field("str"),
                "reason": Field("str"),
                "source": Field("source"),
            },
            default_attribution="curation",
        ),
    ]
}

# The top-level keys of study.yaml that are single records, not lists.
STUDY_FIELDS: dict[str, Field] = {
    "id": Field("str", required=True),
    "title": Field("str"),
    "label": Field("str"),
    "source_kind": Field("enum", SOURCE_KINDS),
    "publication": Field("record", "publication"),
    "project": Field("record", "project"),
    "data_collection": Field("record", "data_collection"),
}


PROJECT_FIELDS: dict[str, Field] = {
    "id": Field("str", required=True),
    "label": Field("str"),
    "description": Field("str"),
    "start": Field("partial-date"),
    "end": Field("partial-date"),
    **_SOURCE,
}

# When the study collected its data (dcterms:temporal, a dcterms:PeriodOfTime): the period at the
# precision the source gives, with the sentence that states it (quote:) and where (source:).
DATA_COLLECTION_FIELDS: dict[str, Field] = {
    "start": Field("partial-date"),
    "end": Field("partial-date"),
    "quote": Field("str"),
    **_SOURCE,
}

# file name -> {list key -> kind}
FILES: dict[str, dict[str, str]] = {
    "study.yaml": {
        "characteristics": "characteristic",
        "role_categories": "role_category",
        "role_descriptions": "role_description",
        "case_groups": "case_group",
        "cases": "case",
        "participants": "participant",
        "context_factors": "context_factor",
        "strategy_uses": "strategy_use",
        "secondary_sources": "secondary_source",
        "related_publications": "related_publication",
    },
    "themes.yaml": {"themes": "theme"},
    "quotes.yaml": {"quotes": "quote"},
    "observations.yaml": {"observations": "observation"},
    "findings.yaml": {"findings": "finding"},
    "fidelity.yaml": {"fidelity_reviews": "fidelity_review"},
    "outcomes.yaml": {"outcomes": "outcome", "effects": "effect"},
    "revisions.yaml": {"revisions": "revision"},
    "coding.yaml": {
        "coders": "coder",
        "documents": "document",
        "codes": "code",
        "codings": "coding",
        "memos": "memo",
    },
}
