"""Seeded synthetic study data in ipskg's own model, at 10k to 10M triples, as N-Triples.

Each synthetic study is made as the records a researcher would write in YAML (data/README.md),
checked by the real loader's value checks and turned into RDF by the real ``ipskg.rdfmap``
mapper, one study at a time, so the triples are exactly those ``ipskg build`` would produce and
a 10M-triple file never needs 10M triples in memory. ``--yaml DIR`` also writes the study
folders themselves (small sizes), so the loader can read them from disk.

    python bench/generate.py --size 1M            # -> bench/work/ipskg-1M.nt
    python bench/generate.py --size 10k --yaml bench/work/yaml-10k
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.plugins.serializers.nt import _nt_row

__all__ = [
    "SIZES",
    "Vocab",
    "generate",
    "new_case_study",
    "parse_size",
    "study_records",
    "study_triples",
    "write_yaml",
]

WORK = Path(__file__).resolve().parent / "work"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}

# Used only until ontology/cfir.ttl lands: CFIR 2022 constructs as cfir: IRIs (no notation).
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


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    t = text.strip()
    mult = {"k": 1_000, "K": 1_000, "M": 1_000_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


@dataclass
class Vocab:
    """Names the generated YAML uses for ontology terms (all resolvable by the loader)."""

    cfir: list[str]  # notations (or, before cfir.ttl, fallback local names)
    cfir_resolvable: bool
    cfir_roles: list[str]
    fidelity_items: list[str]
    bands: list[tuple[int, int, str]]  # (min total, max total, name)
    pathways: list[str]

    @classmethod
    def from_ontology(cls) -> Vocab:
        from ipskg.namespaces import IPSKG
        from ipskg.ontology import vocabulary

        def names(local: str) -> list[str]:
            v = vocabulary(str(IPSKG[local]), local)
            return sorted({v.display[i].split(" (")[0] for i in v.display})

        # Constructs and subconstructs only: a domain or subdomain is not a valid code.
        cfir = sorted(set(names("CFIRConstruct")) | set(names("CFIRSubconstruct")))
        items = names("FidelityItem")
        return cls(
            cfir=cfir or _FALLBACK_CFIR,
            cfir_resolvable=bool(cfir),
            cfir_roles=names("CFIRRole"),
            fidelity_items=items if len(items) == 25 else [],
            bands=_bands(),
            pathways=names("Pathway"),
        )


def _bands() -> list[tuple[int, int, str]]:
    """Fidelity bands with their total-score ranges, read from the ontology (ips module)."""
    from rdflib import Literal
    from rdflib.namespace import RDF, SKOS

    from ipskg.namespaces import IPSKG
    from ipskg.ontology import ontology_graph

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


def _source(rng: random.Random, sections: list[str]) -> Any:
    section = rng.choice(sections)
    return {"section": section, "locator": "Table 1"} if rng.random() < 0.1 else section


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
    for i in range(rng.randint(20, 80)):
        valence = rng.choice(["+", "+", "-", "-", "0", "X", "M"])
        o: dict[str, Any] = {
            "id": f"o{i + 1:03d}",
            "observed_in": rng.choice(targets),
            "valence": valence,
        }
        if vocab.cfir_resolvable:
            o["construct"] = rng.choice(vocab.cfir)
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


def _line_dict(value: Any) -> Any:
    from ipskg.yamlio import LineDict, LineList

    if isinstance(value, dict):
        d = LineDict({k: _line_dict(v) for k, v in value.items()})
        d.line, d.key_lines = 0, {}
        return d
    if isinstance(value, list):
        seq = LineList(_line_dict(v) for v in value)
        seq.line, seq.item_lines = 0, [0] * len(seq)
        return seq
    return value


def _records(files: dict[str, dict[str, Any]], vocab: Vocab) -> Any:
    """The loader's checks and conversions on in-memory records (no YAML parsing)."""
    from ipskg.loader import StudyRecords, _Reader
    from ipskg.namespaces import CFIR
    from ipskg.schema import FILES, KINDS, PROJECT_FIELDS, PUBLICATION_FIELDS, STUDY_FIELDS

    study = files["study.yaml"]
    folder = Path(study["id"])
    reader = _Reader(folder)
    head = {k: v for k, v in study.items() if k in ("id", "title")}
    rec = reader.record(
        "study",
        {k: v for k, v in STUDY_FIELDS.items() if v.type != "record"},
        _line_dict(head),
        folder / "study.yaml",
        1,
    )
    pub = reader.record(
        "publication",
        PUBLICATION_FIELDS,
        _line_dict(study["publication"]),
        folder / "study.yaml",
        1,
        fallback_id="publication",
    )
    project = None
    if "project" in study:
        project = reader.record(
            "project", PROJECT_FIELDS, _line_dict(study["project"]), folder / "study.yaml", 1
        )
    for name, lists in FILES.items():
        data = files.get(name, {})
        for key, kind in lists.items():
            for item in data.get(key, []):
                r = reader.record(kind, KINDS[kind].fields, _line_dict(item), folder / name, 0)
                if kind == "observation" and not vocab.cfir_resolvable:
                    r.values["construct"] = URIRef(CFIR[random.Random(r.id).choice(vocab.cfir)])
                reader.add(r)
    reader.resolve_refs()
    return StudyRecords(rec.id, folder, rec, pub, project, reader.records)


def study_triples(files: dict[str, dict[str, Any]], vocab: Vocab) -> list[str]:
    """The N-Triples lines ipskg.rdfmap produces for one study (sorted, unique)."""
    from ipskg.rdfmap import map_study

    graph = map_study(_records(files, vocab)).graph
    return sorted(_nt_row(t) for t in graph)


def new_case_study(vocab: Vocab, seed: int = 7) -> dict[str, dict[str, Any]]:
    """A new study with one case (a few hundred triples): the incremental-validation delta."""
    return study_records(999_999, random.Random(seed), vocab, cases=(1, 1))


def _ontology_lines() -> list[str]:
    from ipskg.ontology import ontology_graph

    return sorted(_nt_row(t) for t in ontology_graph())


def generate(
    target: int,
    out: Path,
    seed: int = 42,
    with_ontology: bool = True,
    yaml_dir: Path | None = None,
    progress: bool = False,
) -> tuple[int, int]:
    """Write ontology + synthetic studies until ``target`` triples; return (triples, studies)."""
    vocab = Vocab.from_ontology()
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".part")
    count = studies = 0
    start = time.perf_counter()
    with tmp.open("w", encoding="utf-8") as fh:
        if with_ontology:
            lines = _ontology_lines()
            fh.writelines(lines)
            count += len(lines)
        for files in _studies(rng, vocab):
            if count >= target:
                break
            lines = study_triples(files, vocab)
            fh.writelines(lines)
            count += len(lines)
            studies += 1
            if yaml_dir is not None:
                write_yaml(files, yaml_dir / "studies" / files["study.yaml"]["id"])
            if progress and studies % 200 == 0:
                rate = count / (time.perf_counter() - start)
                print(
                    f"  {count:,} triples, {studies} studies ({rate:,.0f} triples/s)",
                    file=sys.stderr,
                )
    tmp.replace(out)
    return count, studies


def _studies(rng: random.Random, vocab: Vocab) -> Iterator[dict[str, dict[str, Any]]]:
    n = 0
    while True:
        n += 1
        yield study_records(n, rng, vocab)


def write_yaml(files: dict[str, dict[str, Any]], folder: Path) -> None:
    """Write one study's records as the YAML files a researcher would edit."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="10k", help="target triples: 10k, 100k, 1M, 10M or a number")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("-o", "--out", type=Path, help="default: bench/work/ipskg-<size>.nt")
    ap.add_argument("--yaml", type=Path, help="also write the study folders (YAML) here")
    ap.add_argument("--no-ontology", action="store_true", help="data only")
    args = ap.parse_args(argv)
    out = args.out or WORK / f"ipskg-{args.size}.nt"
    t0 = time.perf_counter()
    n, studies = generate(
        parse_size(args.size), out, args.seed, not args.no_ontology, args.yaml, progress=True
    )
    print(f"wrote {out}: {n:,} triples, {studies} studies in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
