"""A competency question's answer on the bundled graph as rows of plain strings, for tests that
check what a question means (tests/test_synthesis.py, tests/test_seed_review.py)."""

from __future__ import annotations

from ipskg.sparql.catalogue import catalogue, checked_bindings
from ipskg.sparql.store import EmbeddedStore


def answer_rows(store: EmbeddedStore, name: str, **params: str) -> list[dict[str, str]]:
    """The rows of bundled question ``name`` asked with ``params``: column -> lexical value
    ("" where unbound)."""
    query = catalogue()[name]
    result = store.select(query.text, checked_bindings(query, params, store))
    return [
        {c: ("" if t is None else t.value) for c, t in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]
