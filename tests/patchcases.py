"""Test cases written as a base study plus a small patch (tests/fixtures/cases/patches/*.yaml).

Each patch file names its base (a folder under tests/fixtures/cases/valid/), says why it exists,
changes some records, and states what ``ipskg validate`` must answer::

    why: a percentage written as text
    base: lakeside-site
    patch:
      outcomes.yaml:                 # a file of the base, or a new one
        outcomes:                    # a list of records, matched by id
          - {id: job-starts, value: "33.3%"}   # merged into the record (null deletes a key)
          - {id: old-one, _delete: true}        # removes a record
      study.yaml:
        source_kind: abstract        # a top-level key, set (null deletes it)
    expect:
      exit: 2
      message: "write 33.3 with unit: percent"
      file: outcomes.yaml            # where the answer must point: file, record and field
      record: job-starts
      field: value

A record whose id is not in the base list is appended. The patched study is written to a
folder named after the patch file (the study id follows the folder name), so one format change
means editing the base, not every case.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"
PATCHES = CASES / "patches"


@dataclass(frozen=True)
class PatchCase:
    name: str
    why: str
    folder: Path
    exit: int
    message: str
    file: str | None = None
    record: str | None = None
    field: str | None = None
    extra: dict[str, Any] = dc_field(default_factory=dict, hash=False, compare=False)


def _merge_list(items: list[Any], patches: list[dict[str, Any]], where: str) -> list[Any]:
    out = copy.deepcopy(items)
    index = {r.get("id"): i for i, r in enumerate(out) if isinstance(r, dict)}
    for patch in patches:
        rid = patch.get("id")
        if patch.get("_delete"):
            assert rid in index, f"{where}: no record {rid!r} to delete"
            out[index[rid]] = None
            continue
        if rid in index and out[index[rid]] is not None:
            record = out[index[rid]]
            for key, value in patch.items():
                if value is None:
                    record.pop(key, None)
                else:
                    record[key] = value
        else:
            out.append({k: v for k, v in patch.items() if v is not None})
    return [r for r in out if r is not None]


def apply_patch(data: dict[str, Any] | None, patch: dict[str, Any], where: str) -> dict[str, Any]:
    out = copy.deepcopy(data) if data else {}
    for key, value in patch.items():
        if isinstance(value, list) and isinstance(out.get(key, []), list):
            out[key] = _merge_list(out.get(key, []), value, f"{where}:{key}")
        elif value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def materialize(spec: dict[str, Any], name: str, root: Path) -> Path:
    """Write the patched study to ``root/name`` and return the folder."""
    base = CASES / "valid" / spec.get("base", "lakeside-site")
    folder = root / name
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(base, folder)
    patch = dict(spec.get("patch") or {})
    study_patch = dict(patch.pop("study.yaml", None) or {})
    study_patch["id"] = name  # the study id follows the folder name
    patch["study.yaml"] = study_patch
    for file_name, file_patch in patch.items():
        path = folder / file_name
        if file_patch == "_delete":
            path.unlink()
            continue
        current = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
        new = apply_patch(current, file_patch or {}, file_name)
        path.write_text(
            yaml.safe_dump(new, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8"
        )
    return folder


@cache
def _root() -> Path:
    return Path(tempfile.mkdtemp(prefix="ipskg-patchcases-"))


@cache
def patch_cases() -> tuple[PatchCase, ...]:
    """Every patch case, materialized once per test session."""
    cases = []
    for path in sorted(PATCHES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        expect = spec["expect"]
        cases.append(
            PatchCase(
                name=path.stem,
                why=spec["why"],
                folder=materialize(spec, path.stem, _root()),
                exit=int(expect["exit"]),
                message=expect["message"],
                file=expect.get("file"),
                record=expect.get("record"),
                field=expect.get("field"),
                extra={k: v for k, v in expect.items()},
            )
        )
    return tuple(cases)


def expected_line(case: PatchCase) -> int | None:
    """The line the answer must point at: the field's key in the record (or the record)."""
    if case.file is None or case.record is None:
        return None
    from ipskg.io.yamlio import LineDict, LineList, read_yaml

    data = read_yaml(case.folder / case.file)
    candidates: list[LineDict] = []
    for value in data.values():
        if isinstance(value, LineList):
            candidates += [r for r in value if isinstance(r, LineDict)]
    if case.file == "study.yaml" and case.record in ("publication", "project"):
        candidates.append(data[case.record])
        record = data[case.record]
    else:
        record = next((r for r in candidates if r.get("id") == case.record), None)
    assert record is not None, f"{case.name}: no record {case.record!r} in {case.file}"
    if case.field and case.field in record.key_lines:
        return record.key_lines[case.field]
    return record.line
