"""Synthetic IPS studies as researcher records (the contents of a study's YAML files).

Seeded: the same ``random.Random`` gives the same studies. Ontology terms (CFIR constructs and
subconstructs, CFIR roles, fidelity items and bands, pathways) are read from the ontology, so the
records use only names the loader resolves; bench/generate.py turns them into triples.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

__all__ = ["Vocab", "new_case_study", "study_records"]

_FALLBACK_CFIR = [
    "InnovationSource",
    "InnovationEvidenceBase",
    "InnovationRelativeAdvantage",
    "InnovationAdaptability",
    "InnovationComplexity",
    "InnovationCost",
    "CriticalIncidents",
    "LocalAttitudes",
    "LocalConditions",
    "Partnerships",
    "PolicyAndLaws",
    "Financing",
    "StructuralCharacteristics",
    "RelationalConnections",
    "Communications",
    "Culture",
    "TensionForChange",
    "Compatibility",
    "RelativePriority",
    "IncentiveSystems",
    "MissionAlignment",
    "AvailableResources",
    "AccessToKnowledge",
    "HighLevelLeaders",
    "MidLevelLeaders",
    "OpinionLeaders",
    "ImplementationFacilitators",
    "InnovationDeliverers",
    "Need",
    "Capability",
    "Opportunity",
    "Motivation",
    "Teaming",
    "Assessing",
    "Planning",
    "Engaging",
    "DoingIPS",
    "ReflectingAndEvaluating",
    "Adapting",
]

_WORDS = [
    "employment",
    "specialist",
    "team",
    "leader",
    "vocational",
    "unit",
    "mental",
    "health",
    "service",
    "clients",
    "job",
    "placement",
    "support",
    "recovery",
    "vision",
    "funding",
    "collaboration",
    "manager",
    "sustainment",
    "model",
    "pilot",
    "municipality",
    "agency",
    "commitment",
    "resources",
    "training",
    "supervision",
    "fidelity",
    "benefits",
    "counselling",
    "integration",
    "outreach",
    "rapid",
    "search",
    "follow-along",
    "career",
    "competitive",
    "work",
    "caseload",
    "meeting",
    "strategy",
    "leadership",
    "culture",
    "priority",
    "trust",
    "network",
    "partners",
    "office",
    "decision",
    "authority",
]


@dataclass
class Vocab:
    """Names the generated YAML uses for ontology terms (all resolvable by the loader)."""

    cfir: list[str]  # notations (or, before cfir.ttl, fallback local names)
    cfir_resolvable: bool
    cfir_roles: list[str]
    characteristics: list[str]
    fidelity_items: list[str]
    bands: list[tuple[int, int, str]]  # (min total, max total, name)
    pathways: list[str]

    @classmethod
    def from_ontology(cls) -> Vocab:
        from ipskg.model.namespaces import IPSKG
        from ipskg.vocab.ontology import vocabulary

        def names(local: str) -> list[str]:
            v = vocabulary(str(IPSKG[local]), local)
            return sorted({v.display[i].split(" (")[0] for i in v.display})

        # Constructs and subconstructs only: a domain or subdomain is not a valid code, and a
        # CFIR role is rated through one of its characteristics (construct + role), never alone.
        roles = set(names("CFIRRole"))
        cfir = sorted((set(names("CFIRConstruct")) | set(names("CFIRSubconstruct"))) - roles)
        items = names("FidelityItem")
        return cls(
            cfir=cfir or _FALLBACK_CFIR,
            cfir_resolvable=bool(cfir),
            cfir_roles=sorted(roles),
            characteristics=names("CFIRCharacteristic"),
            fidelity_items=items if len(items) == 25 else [],
            bands=_bands(),
            pathways=names("Pathway"),
        )


def _bands() -> list[tuple[int, int, str]]:
    """Fidelity bands with their total-score ranges, read from the ontology (ips module)."""
    from rdflib import Literal
    from rdflib.namespace import RDF, SKOS

    from ipskg.model.namespaces import IPSKG
    from ipskg.vocab.ontology import ontology_graph

    g = ontology_graph()
    out = []
    for band in set(g.subjects(RDF.type, IPSKG.FidelityBand)):
        nums = sorted(
            int(o)
            for _, o in g.predicate_objects(band)
            if isinstance(o, Literal)
            and isinstance(o.toPython(), int)
            and not isinstance(o.toPython(), bool)
        )
        name = str(g.value(band, SKOS.notation) or str(band).rsplit("/", 1)[-1])
        if len(nums) >= 2:
            out.append((nums[0], nums[-1], name))
        elif len(nums) == 1:  # only a minimum: the band runs up to the next one (or 125)
            out.append((nums[0], -1, name))
    out.sort()
    for i, (lo, hi, name) in enumerate(out):
        if hi < 0:
            out[i] = (lo, out[i + 1][0] - 1 if i + 1 < len(out) else 125, name)
    return out


def _text(rng: random.Random, lo: int, hi: int) -> str:
    words = rng.choices(_WORDS, k=rng.randint(lo, hi))
    return " ".join(words).capitalize() + "."


def study_records(
    n: int, rng: random.Random, vocab: Vocab, cases: tuple[int, int] = (3, 12)
) -> dict[str, dict[str, Any]]:
    """One synthetic study as the contents of its YAML files: {file name: mapping}."""
    sid = f"bench-{n:06d}"
    year = 2010 + n % 16
    n_cases = rng.randint(*cases)
    case_ids = [f"case-{i + 1}" for i in range(n_cases)]
    robust = {c: rng.choice(["more-robust", "less-robust"]) for c in case_ids}
    groups = []
    for level in ("more-robust", "less-robust"):
        members = [c for c in case_ids if robust[c] == level]
        groups.append(
            {
                "id": level,
                "label": f"cases with {level.replace('-', ' ')} sustainment",
                "robustness": level,
                "count": len(members),
                "members": members,
                "source": "Methods > Data analysis",
            }
        )
    cats = [
        ("frontline-workers", "frontline workers"),
        ("middle-managers", "middle managers"),
        ("senior-managers", "senior managers"),
    ]
    n_part = rng.randint(10, 40)
    role_cats = []
    left = n_part
    for i, (cid, label) in enumerate(cats):
        count = left if i == len(cats) - 1 else rng.randint(1, max(1, left - (len(cats) - i - 1)))
        left -= count
        role_cats.append(
            {
                "id": cid,
                "label": label,
                "count": count,
                "source": "Methods > Sampling and data collection",
            }
        )
    roles = []
    for rid, cat in (
        ("employment-specialist", "frontline-workers"),
        ("team-leader", "middle-managers"),
        ("unit-manager", "middle-managers"),
        ("director", "senior-managers"),
    ):
        rec: dict[str, Any] = {
            "id": rid,
            "label": rid.replace("-", " "),
            "category": cat,
            "source": "Results",
        }
        if vocab.cfir_roles:
            rec["cfir_roles"] = [rng.choice(vocab.cfir_roles)]
        roles.append(rec)
    study: dict[str, Any] = {
        "id": sid,
        "title": f"Sustaining IPS in {n_cases} sites: synthetic study {n}",
        "publication": {
            "doi": f"10.5555/ipskg-bench.{n}",
            "title": f"Synthetic IPS study {n}",
            "authors": [f"Author{n} A", f"Author{n} B", f"Author{n} C"],
            "journal": "Journal of Synthetic Implementation",
            "year": year,
            "source": "Front matter",
        },
        "characteristics": [
            {
                "id": "design",
                "aspect": "StudyDesignAspect",
                "value": "qualitative case study",
                "source": "Methods > Study design",
            },
            {"id": "country", "aspect": "CountryAspect", "value": "Finland", "source": "Methods"},
            {"id": "cases", "aspect": "NumberOfCasesAspect", "value": n_cases, "source": "Methods"},
            {
                "id": "duration",
                "aspect": "InterviewDurationMedianAspect",
                "value": rng.randint(30, 90),
                "unit": "minutes",
                "qualifier": "OnlineSetting",
                "source": "Methods > Sampling and data collection",
            },
        ],
        "role_categories": role_cats,
        "role_descriptions": roles,
        "case_groups": groups,
        "cases": [
            {
                "id": c,
                "label": f"Case {c.split('-')[1]}",
                "robustness": robust[c],
                "commitment_communicated": robust[c] == "more-robust",
                "positions_during_trial": (d := rng.randint(1, 6)),
                "positions_after_trial": (
                    d + rng.randint(0, 1) if robust[c] == "more-robust" else rng.randint(0, d - 1)
                ),
                "integration_model": rng.choice(
                    ["EmploymentHub", "PsychiatricServicesOnly", "WithPublicEmploymentServices"]
                ),
                "source": "Methods > Data analysis",
            }
            for c in case_ids
        ],
        "participants": [
            {"id": f"p{i + 1}", "number": i + 1, "source": "Results"} for i in range(n_part)
        ],
        "context_factors": [
            {
                "id": f"context-{i + 1}",
                "label": _text(rng, 2, 4),
                "level": rng.choice(["external", "organizational"]),
                "statement": _text(rng, 8, 16),
                "source": "Methods > Context",
            }
            for i in range(rng.randint(2, 4))
        ],
    }
    if rng.random() < 0.5:
        study["project"] = {
            "id": f"project-{n}",
            "label": f"IPS project {n}",
            "description": _text(rng, 10, 20),
            "start": year - 3,
            "end": f"{year - 1}-06",
            "source": "Methods > Context",
        }
    themes, subthemes, sections = [], [], []
    for a in range(3):
        aid = f"approach-{a + 1}"
        themes.append(
            {
                "id": aid,
                "kind": "approach",
                "label": f"Approach {a + 1}",
                "position": a + 1,
                "source": {"section": "Results", "locator": "Table 1"},
            }
        )
        for s in range(rng.randint(2, 4)):
            tid = f"{aid}-sub-{s + 1}"
            rec = {
                "id": tid,
                "kind": "sub-theme",
                "parent": aid,
                "label": f"Sub-theme {a + 1}.{s + 1}",
                "defining_features": _text(rng, 10, 25),
                "position": s + 1,
                "source": {"section": "Results", "locator": "Table 1"},
            }
            if vocab.pathways:
                rec["pathway"] = rng.choice(vocab.pathways)
            themes.append(rec)
            subthemes.append(tid)
            sections.append(f"Results > Approach {a + 1} > Sub-theme {a + 1}.{s + 1}")
    quotes = []
    for i in range(rng.randint(30, 120)):
        q: dict[str, Any] = {"id": f"q{i + 1:03d}", "text": _text(rng, 12, 60)}
        if rng.random() < 0.8:
            q["participant"] = f"p{rng.randint(1, n_part)}"
        if rng.random() < 0.7:
            q["stated_role"] = rng.choice(roles)["id"]
        if rng.random() < 0.6:
            q["group"] = rng.choice(groups)["id"]
        q["supports"] = rng.sample(subthemes, rng.randint(1, 2))
        q["form"] = rng.choice(["block", "in-text"])
        if rng.random() < 0.3:
            q["translated_from"] = "fi"
        q["position"] = i + 1
        q["source"] = rng.choice(sections)
        quotes.append(q)
    observations = []
    targets = case_ids + [g["id"] for g in groups]
    rated: set[tuple[str, str, str]] = set()  # one rating per construct (and role) per unit
    for i in range(rng.randint(20, 80)):
        valence = rng.choice(["+", "+", "-", "-", "0", "X", "M"])
        o: dict[str, Any] = {
            "id": f"o{i + 1:03d}",
            "observed_in": rng.choice(targets),
            "valence": valence,
        }
        if vocab.cfir_resolvable:
            o["construct"] = rng.choice(vocab.cfir)
            if o["construct"] in vocab.characteristics and vocab.cfir_roles:
                o["role"] = rng.choice(vocab.cfir_roles)  # whose need, capability, …
            key = (o["construct"], o.get("role", ""), o["observed_in"])
            if key in rated:
                continue
            rated.add(key)
        if valence in "+-":
            o["strength"] = rng.choice([1, 2])
        o["evidence_quotes"] = [q["id"] for q in rng.sample(quotes, rng.randint(1, 3))]
        o["evidence_source"] = rng.choice(sections)
        o["summary"] = _text(rng, 8, 20)
        if rng.random() < 0.3:
            o["context_factor"] = rng.choice(study["context_factors"])["id"]
        if rng.random() < 0.5:
            o["addressed_by"] = rng.sample(subthemes, 1)
        observations.append(o)
    findings = [
        {
            "id": f"f{i + 1:02d}",
            "statement": _text(rng, 10, 25),
            "themes": rng.sample(subthemes, rng.randint(1, 2)),
            "groups": [rng.choice(groups)["id"]],
            "source": rng.choice(sections),
        }
        for i in range(rng.randint(5, 15))
    ]
    files: dict[str, dict[str, Any]] = {
        "study.yaml": study,
        "themes.yaml": {"themes": themes},
        "quotes.yaml": {"quotes": quotes},
        "observations.yaml": {"observations": observations},
        "findings.yaml": {"findings": findings},
    }
    if vocab.fidelity_items and vocab.bands:
        reviews = []
        for c in case_ids:
            base = 4 if robust[c] == "more-robust" else 3
            for k in range(rng.randint(1, 3)):
                items = {
                    it: min(5, max(1, base + rng.randint(-2, 1))) for it in vocab.fidelity_items
                }
                total = sum(items.values())
                band = next(name for lo, hi, name in vocab.bands if lo <= total <= hi)
                reviews.append(
                    {
                        "id": f"{c}-{year + k}",
                        "case": c,
                        "date": dt.date(year + k, 1 + rng.randint(0, 11), 1 + rng.randint(0, 27)),
                        "reviewer_role": "external IPS trainer",
                        "items": items,
                        "total": total,
                        "band": band,
                        "source": f"Fidelity report {year + k}",
                    }
                )
        files["fidelity.yaml"] = {"fidelity_reviews": reviews}
    return files


def new_case_study(vocab: Vocab, seed: int = 7) -> dict[str, dict[str, Any]]:
    """A new study with one case (a few hundred triples): the incremental-validation delta."""
    return study_records(999_999, random.Random(seed), vocab, cases=(1, 1))
