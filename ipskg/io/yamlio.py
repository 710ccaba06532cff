"""Read researcher-edited YAML files into plain values that remember their line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ipskg.io.files import decode_utf8, read_bytes
from ipskg.model.errors import InputError

__all__ = ["MAX_FILE_BYTES", "LineDict", "LineList", "line_of", "read_text", "read_yaml"]

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Largest data file accepted; a study's hand-edited files are a few hundred kilobytes."""


class LineDict(dict):
    """A mapping read from YAML; ``line`` is where it starts and ``key_lines`` where each key is."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A sequence read from YAML; ``line`` is where it starts, ``item_lines`` each item's."""

    line: int = 0
    item_lines: list[int]


def line_of(value: Any, key: str | None = None) -> int | None:
    """The line of a mapping (or of one of its keys) or of a list, when known."""
    if isinstance(value, LineDict):
        if key is not None and key in value.key_lines:
            return value.key_lines[key]
        return value.line
    if isinstance(value, LineList):
        return value.line
    return None


# libyaml's parser when PyYAML has it (its wheels do): several times faster than the pure-Python
# one on a study's files, with the same nodes, marks and errors.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """SafeLoader that keeps line numbers and refuses duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            )
        key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} appears twice in the same mapping",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    """A date as PyYAML reads it, but an impossible one (2024-02-30) is a located error."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"{node.value!r} is not a real date ({exc})",
            node.start_mark,
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_text(path: Path, what: str = "YAML") -> str:
    """Read a hand-edited data file, refusing missing, huge, binary, non-UTF-8 and empty files."""
    raw = read_bytes(path, f"{what} file", MAX_FILE_BYTES)
    if b"\x00" in raw[:8192]:
        raise InputError(
            f"this is a binary file, not {what} text",
            file=path,
            hint=f"save the data as UTF-8 {what} (see data/README.md)",
        )
    text = decode_utf8(raw, path)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("the file is empty", file=path, hint=f"add {what} data to it")
    return text


MAX_DEPTH = 32
"""Deepest nesting of lists and mappings accepted in a data file (the format needs five)."""


def _check_tree(root: yaml.Node | None, path: Path) -> None:
    """Refuse aliases (``*name``: a few lines can stand for billions of values) and nesting
    deeper than :data:`MAX_DEPTH`, before anything is built from the document."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise InputError(
                "YAML aliases (*name) are not accepted in data files",
                file=path,
                line=line,
                hint="write the value out where it is used (anchors & and aliases * are refused)",
            )
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise InputError(
                f"the data is nested more than {MAX_DEPTH} levels deep",
                file=path,
                line=line,
                hint="records are mappings in lists a few levels deep; check the brackets",
            )
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))


def read_yaml(path: Path) -> Any:
    """Parse one YAML data file, turning every problem into a located :class:`InputError`."""
    text = read_text(path, "YAML")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            _check_tree(node, path)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except RecursionError:
        raise InputError(
            f"the data is nested more than {MAX_DEPTH} levels deep",
            file=path,
            hint="records are mappings in lists a few levels deep; check the brackets",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError):  # well-formed, but not allowed
            raise InputError(
                problem,
                file=path,
                line=line,
                hint="keep each key once per record"
                if "appears twice" in problem
                else "correct the value on that line (a date is YYYY-MM-DD and must exist)",
            ) from None
        if "nesting depth" in problem:  # libyaml's own limit
            problem = f"the data is nested too deeply ({problem})"
        raise InputError(
            f"YAML syntax error: {problem}",
            file=path,
            line=line,
            hint="check indentation and quoting on that line (quote text containing ': ' or '#')",
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, before parsing
        raise InputError(
            f"the file holds a character YAML does not allow ({exc.reason}, #x{exc.character:04x})"
            if isinstance(exc.character, int)
            else f"the file holds a character YAML does not allow ({exc.reason})",
            file=path,
            line=text[: exc.position].count("\n") + 1,
            hint="remove the control character (it may come from a copy and paste)",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", file=path) from None
    if data is None:
        raise InputError(
            "the file holds no data (only comments?)",
            file=path,
            hint="add the records described in data/README.md",
        )
    return data
