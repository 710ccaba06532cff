"""Text from data made safe to show: control characters (ANSI and OSC escape sequences, bells,
carriage returns) are written out visibly, so a value in a study file cannot move the cursor,
retitle the terminal or hide text; spreadsheet formulas are neutralised in CSV."""

from __future__ import annotations

import re

__all__ = ["neutralise_formula", "visible"]

# C0 controls but tab and newline, DEL, and the C1 controls (U+0080-U+009F); the Unicode bidi
# overrides and isolates, which can reorder what a reader sees (CVE-2021-42574, "Trojan Source").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def visible(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def neutralise_formula(cell: str) -> str:
    """A CSV cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return) gets a leading apostrophe, as OWASP recommends; numbers
    such as ``-2`` and a lone sign (a valence ``+`` or ``-``) stay as they are."""
    if len(cell) > 1 and cell[0] in "=+-@\t\r" and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
