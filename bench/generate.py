"""Seeded synthetic study data in ipskg's own model, at 10k to 10M triples, as N-Triples.

Each synthetic study is made as the records a researcher would write in YAML (data/README.md),
checked by the real loader's value checks and turned into RDF by the real
``ipskg.studies.records_to_rdf`` mapper, one study at a time, so the triples are exactly those
``ipskg build`` would produce and a 10M-triple file never needs 10M triples in
memory. ``--yaml DIR`` also writes the study folders themselves (small sizes), so the
loader can read them from disk.

    python bench/generate.py --size 1M            # -> bench/work/ipskg-1M.nt
    python bench/generate.py --size 10k --yaml bench/work/yaml-10k
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.plugins.serializers.nt import _nt_row

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import Vocab, new_case_study, study_records

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


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    t = text.strip()
    mult = {"k": 1_000, "K": 1_000, "M": 1_000_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


def _line_dict(value: Any) -> Any:
    from ipskg.io.yamlio import LineDict, LineList

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
    from ipskg.model.namespaces import CFIR
    from ipskg.model.schema import FILES, KINDS, PROJECT_FIELDS, PUBLICATION_FIELDS, STUDY_FIELDS
    from ipskg.studies.loader import StudyRecords, _Reader

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
    """The N-Triples lines ipskg.studies.records_to_rdf produces for one study (sorted, unique)."""
    from ipskg.studies.records_to_rdf import map_study

    graph = map_study(_records(files, vocab)).graph
    return sorted(_nt_row(t) for t in graph)


def _ontology_lines() -> list[str]:
    """The ontology's triples, blank nodes canonically labelled, so output is byte-stable."""
    from rdflib.compare import to_canonical_graph

    from ipskg.vocab.ontology import ontology_graph

    return sorted(_nt_row(t) for t in to_canonical_graph(ontology_graph()))


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
