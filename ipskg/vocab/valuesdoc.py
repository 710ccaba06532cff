"""The allowed values of every vocabulary a data file names, as Markdown (docs/data-values.md).

Regenerate with: python -m ipskg.vocab.valuesdoc > docs/data-values.md (a test keeps it in sync).
"""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import OWL, SKOS

from ipskg.model.namespaces import IPSKG
from ipskg.model.schema import SOURCE_KINDS
from ipskg.vocab.ontology import ontology_graph, vocabulary

__all__ = ["VOCABULARIES", "values_markdown"]

# (heading, the data keys that take it, ontology class local name)
VOCABULARIES: tuple[tuple[str, str, str], ...] = (
    (
        "CFIR 2022 constructs and subconstructs",
        "observations: construct; strategy_uses: targets",
        "CFIRConcept",
    ),
    ("CFIR 2022 roles", "observations: role; role_descriptions: cfir_roles", "CFIRRole"),
    ("Valences", "observations: valence", "Valence"),
    ("Implementation phases", "observations, outcomes: phase", "ImplementationPhase"),
    ("Outcome types", "outcomes: outcome", "OutcomeType"),
    ("Units", "outcomes: unit", "MeasurementUnit"),
    (
        "Summary statistics",
        "outcomes: statistic; fidelity_reviews: total_statistic",
        "SummaryStatistic",
    ),
    ("Sustainment statuses", "outcomes: status", "SustainmentStatus"),
    ("Effect measures", "effects: measure", "EffectMeasure"),
    ("Fidelity scales", "fidelity_reviews: scale", "FidelityScale"),
    ("Fidelity bands", "fidelity_reviews: band", "FidelityBand"),
    ("Fidelity items", "fidelity_reviews: items", "FidelityItem"),
    ("Reviewer types", "fidelity_reviews: reviewer_type", "ReviewerType"),
    ("Study aspects", "characteristics: aspect", "StudyAspect"),
    (
        "Integration models",
        "cases: integration_model; characteristics: qualifier",
        "IntegrationModel",
    ),
    ("Interview settings", "characteristics: qualifier", "InterviewSetting"),
    (
        "Robustness levels",
        "cases, case_groups: robustness; characteristics: qualifier",
        "RobustnessLevel",
    ),
    ("Pathways", "themes: pathway", "Pathway"),
    ("ERIC implementation strategies", "strategy_uses: strategy", "ImplementationStrategy"),
    ("Kinds of curation change", "revisions: change", "ChangeKind"),
)


def values_markdown() -> str:
    lines = [
        "# Allowed values in the data files",
        "",
        "Generated from the ontology by `python -m ipskg.vocab.valuesdoc > docs/data-values.md`;",
        "a test keeps it in sync. A data file may name a value by its code (the first column)",
        "or its label, case-insensitively. Source kinds (`source_kind:`, `source: {kind: …}`) are",
        ", ".join(f"`{k}`" for k in SOURCE_KINDS) + ".",
        "",
    ]
    onto = ontology_graph()
    deprecated = {
        str(code)
        for term in onto.subjects(OWL.deprecated, Literal(True))
        for code in onto.objects(term, SKOS.notation)
    }
    for heading, keys, cls in VOCABULARIES:
        vocab = vocabulary(str(IPSKG[cls]), cls)
        lines += [f"## {heading}", "", f"Used by: {keys}.", "", "| code | label |", "|---|---|"]
        for shown in vocab.choices():
            code, _, label = shown.partition(" (")
            label = (label[:-1] if label.endswith(")") else label) or code
            label = label.replace("|", "/")
            if code in deprecated:
                label += " (deprecated)"
            lines.append(f"| `{code}` | {label} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(values_markdown(), end="")
