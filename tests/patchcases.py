"""Test cases written as a base study plus a small patch.

Two sets of cases use this: tests/fixtures/cases/patches/*.yaml (the evidence model's rules) and
tests/fixtures/cases/invalid-studies/*.yaml (the study folders ``ipskg validate`` must refuse,
down to the loader's syntax errors). Each patch file names its base (a folder under
tests/fixtures/cases/valid/), says why it exists, changes some records, and states what
``ipskg validate`` must answer::

    why: a percentage written as text
    base: lakeside-site
    patch:
      outcomes.yaml:                 # a file of the base, or a new one
        outcomes:                    # a list of records, matched by id
          - {id: job-starts, value: "33.3%"}   # merged into the record (null deletes a key)
          - {id: old-one, _delete: true}        # removes a record
      study.yaml:
        source_kind: abstract        # a top-level key, set (null deletes it)
      themes.yaml: _delete           # removes the file
    expect:
      exit: 2
      message: "write 33.3 with unit: percent"
      file: outcomes.yaml            # where the answer must point: file, record and field
      record: job-starts
      field: value

A record whose id is not in the base list is appended. The patched study is written to a
folder named after the patch file, and the top-level ``id:`` line of its study.yaml is rewritten
to that name (the study id follows the folder name), so one format change means editing the
base, not every case. A file the patch changes is written back by the YAML dumper (comments and
layout go); the other files keep the base's text.

What a record patch cannot say (a syntax error, a duplicate key, bytes that are not UTF-8, a
line number that depends on the base's layout) is said on the text, before any record patch::

    replace:                         # [old, new] pairs applied in order to the file's text;
      quotes.yaml:                   # each old must occur exactly once, or materializing fails
        - ["form: block", "form: block: displayed"]
    text:                            # a file's whole new content (a new file, or an empty one)
      notes.yaml: "notes: []\\n"
      quotes.yaml: {hex: 89504e47}   # raw bytes, written as they are
    encoding:                        # write a text-edited file in this encoding, not UTF-8
      study.yaml: latin-1
    expect:
      exit: 2
      message: YAML syntax error
      file: quotes.yaml
      line: 8                        # the line the answer gives for file (a line of the base's
                                     # layout, kept by replace:)

``replace`` sees study.yaml with its id already set to the case name. An unknown key in a patch
file or in its ``expect`` is an error, so a misspelt expectation cannot go unchecked.
"""

from __future__ import annotations

import copy
import re
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
INVALID_STUDIES = CASES / "invalid-studies"
SETS = (PATCHES, INVALID_STUDIES)

_SPEC_KEYS = {"why", "base", "patch", "replace", "text", "encoding", "expect"}
_EXPECT_KEYS = {"exit", "message", "file", "record", "field", "line", "also"}


class PatchError(ValueError):
    """A patch file that cannot be applied as written."""


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
    line: int | None = None
    extra: dict[str, Any] = dc_field(default_factory=dict, hash=False, compare=False)


def _merge_list(items: list[Any], patches: list[dict[str, Any]], where: str) -> list[Any]:
    out = copy.deepcopy(items)
    index = {r.get("id"): i for i, r in enumerate(out) if isinstance(r, dict)}
    for patch in patches:
        rid = patch.get("id")
        if patch.get("_delete"):
            if rid not in index:
                raise PatchError(f"{where}: no record {rid!r} to delete")
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


def replace_once(text: str, pairs: list[list[str]], where: str) -> str:
    """Apply each [old, new] pair in order; an old string must occur exactly once."""
    for pair in pairs:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
        ):
            raise PatchError(f"{where}: a replace entry is an [old, new] pair of strings: {pair!r}")
        old, new = pair
        count = text.count(old) if old else 0
        if count != 1:
            raise PatchError(f"{where}: {old!r} occurs {count} times, not exactly once")
        text = text.replace(old, new)
    return text


def _set_study_id(path: Path, name: str) -> None:
    text, count = re.subn(
        r"^id:.*$", f"id: {name}", path.read_text(encoding="utf-8"), flags=re.MULTILINE
    )
    if count != 1:
        raise PatchError(f"{path}: {count} top-level id: lines, not exactly one")
    path.write_text(text, encoding="utf-8")


def _edit_text(folder: Path, spec: dict[str, Any], name: str) -> None:
    texts = spec.get("text") or {}
    replaces = spec.get("replace") or {}
    encodings = spec.get("encoding") or {}
    for file_name in sorted({*texts, *replaces, *encodings}):
        path = folder / file_name
        where = f"{name}: {file_name}"
        content = texts.get(file_name)
        if isinstance(content, dict):
            if set(content) != {"hex"} or file_name in replaces or file_name in encodings:
                raise PatchError(f"{where}: raw bytes are {{hex: ...}} alone")
            path.write_bytes(bytes.fromhex(content["hex"]))
            continue
        if content is None:
            if not path.is_file():
                raise PatchError(f"{where}: the base has no such file to edit")
            content = path.read_text(encoding="utf-8")
        content = replace_once(content, replaces.get(file_name) or [], where)
        path.write_bytes(content.encode(encodings.get(file_name, "utf-8")))


def materialize(spec: dict[str, Any], name: str, root: Path) -> Path:
    """Write the patched study to ``root/name`` and return the folder."""
    unknown = set(spec) - _SPEC_KEYS
    if unknown:
        raise PatchError(f"{name}: unknown keys {sorted(unknown)}")
    base = CASES / "valid" / spec.get("base", "lakeside-site")
    folder = root / name
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(base, folder)
    _set_study_id(folder / "study.yaml", name)  # the study id follows the folder name
    _edit_text(folder, spec, name)
    for file_name, file_patch in (spec.get("patch") or {}).items():
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


def load_case(path: Path, root: Path) -> PatchCase:
    """Read one patch file and materialize its study under ``root``."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    expect = spec["expect"]
    unknown = set(expect) - _EXPECT_KEYS
    if unknown:
        raise PatchError(f"{path.name}: unknown expect keys {sorted(unknown)}")
    return PatchCase(
        name=path.stem,
        why=spec["why"],
        folder=materialize(spec, path.stem, root),
        exit=int(expect["exit"]),
        message=expect["message"],
        file=expect.get("file"),
        record=expect.get("record"),
        field=expect.get("field"),
        line=int(expect["line"]) if expect.get("line") is not None else None,
        extra={k: v for k, v in expect.items()},
    )


@cache
def patch_cases(where: Path = PATCHES) -> tuple[PatchCase, ...]:
    """Every patch case of one set, materialized once per test session."""
    root = _root() / where.name
    return tuple(load_case(path, root) for path in sorted(where.glob("*.yaml")))


def case_folder(name: str) -> Path:
    """The materialized study folder of the patch case ``name`` (of any set)."""
    found = [c.folder for where in SETS for c in patch_cases(where) if c.name == name]
    if len(found) != 1:
        raise KeyError(f"{len(found)} patch cases named {name!r}, not exactly one")
    return found[0]


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


def _line_of(output: str, case: PatchCase) -> int | None:
    """The line the report gives for the case's file, on the line that names the record."""
    pattern = re.compile(re.escape(case.file or "") + r":(\d+)")
    for line in output.splitlines():
        match = pattern.search(line)
        if match and (case.record is None or f"'{case.record}'" in line):
            return int(match.group(1))
    return None


def check_answer(case: PatchCase, exit_code: int, output: str) -> None:
    """Raise AssertionError unless ``ipskg validate`` answered as the case expects: exit code,
    message, and where it points (file, line, record, field)."""

    def need(ok: bool, what: str) -> None:
        if not ok:
            raise AssertionError(f"{case.name}: {what}\n{case.why}\n{output}")

    need(exit_code == case.exit, f"exit code {exit_code}, expected {case.exit}")
    need(case.message in output, f"no {case.message!r} in the answer")
    need("Traceback" not in output, "a traceback in the answer")
    if case.extra.get("also"):
        need(case.extra["also"] in output, f"no {case.extra['also']!r} in the answer")
    if case.field:
        need(f"field '{case.field}'" in output, f"no field '{case.field}' in the answer")
    if case.record and case.record not in ("publication",):
        need(f"'{case.record}'" in output, f"no record '{case.record}' in the answer")
    if case.file:
        need(f"{case.file}:" in output, f"the answer does not point at {case.file}")
    if case.line is not None:
        at = f"{case.file or ''}:{case.line}"
        need(f"{at}:" in output or f"{at}," in output, f"the answer does not point at {at}")
    line = expected_line(case)
    if line is not None:
        need(_line_of(output, case) == line, f"expected line {line}")
