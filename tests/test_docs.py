"""The documentation stays true: README length, links, the CLI and exit-code tables, questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipskg.cli import main
from ipskg.model.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_NONCONFORMANT, EXIT_OK
from ipskg.sparql.catalogue import QUESTIONS_MARKER, catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = sorted([README, ROOT / "ontology" / "README.md", *(ROOT / "docs").glob("*.md")])
REGENERATE = (
    'python -c "import pathlib, ipskg.sparql.catalogue as c; '
    "p = pathlib.Path('docs/questions.md'); "
    "p.write_text(p.read_text(encoding='utf-8').split(c.QUESTIONS_MARKER)[0] + "
    "c.catalogue_markdown(), encoding='utf-8')\""
)

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_INLINE_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
_EXTERNAL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # https:, mailto:, …


def broken_links(page: Path) -> list[str]:
    """Relative links of a Markdown page whose target file does not exist (anchors ignored;
    links inside fenced code blocks are not links)."""
    text = _FENCE.sub("", page.read_text(encoding="utf-8"))
    targets = _INLINE_LINK.findall(text) + _REFERENCE_LINK.findall(text)
    broken = []
    for target in targets:
        if _EXTERNAL.match(target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not (page.parent / path).exists():
            broken.append(target)
    return broken


def section(text: str, heading: str) -> str:
    """The body of the ``## heading`` section of a Markdown text ("" if there is none)."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``text``, as lists of cell texts."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if all(re.fullmatch(r":?-+:?", c) for c in cells):
            continue
        rows.append(cells)
    return rows[1:]  # without the header row


def cli_table_commands(readme: str) -> list[str]:
    """The ``ipskg <command>`` names in the first cell of each row of the README's CLI table."""
    names = []
    for row in table_rows(section(readme, "Commands")):
        names += re.findall(r"`ipskg ([a-z][a-z-]*)", row[0])
    return names


def exit_code_table(readme: str) -> dict[int, str]:
    """The README's exit-code table: code -> meaning."""
    return {int(row[0]): row[1] for row in table_rows(section(readme, "Exit codes"))}


# -- the questions page ---------------------------------------------------------------------


def test_questions_page_is_in_sync() -> None:
    page = (ROOT / "docs" / "questions.md").read_text(encoding="utf-8")
    assert page.count(QUESTIONS_MARKER) == 1, (
        "docs/questions.md needs the generated-part marker once; copy it from "
        "ipskg.sparql.catalogue.QUESTIONS_MARKER"
    )
    generated = page[page.index(QUESTIONS_MARKER) :]
    assert generated == catalogue_markdown(), (
        "docs/questions.md is out of date with the .rq headers; regenerate it (the hand-written "
        f"part above the marker is kept) with:\n  {REGENERATE}"
    )


def test_questions_page_lists_every_question_and_parameter() -> None:
    from ipskg.sparql.catalogue import catalogue

    text = catalogue_markdown()
    for name, query in catalogue().items():
        assert f"\n### {name}\n" in text
        for p in query.parameters:
            assert f"| `{p.name}` | {p.type} |" in text
    assert text == catalogue_markdown()  # deterministic


# -- README ---------------------------------------------------------------------------------


def test_readme_is_at_most_200_lines() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move detail to docs/"


def test_readme_cli_table_names_every_real_command() -> None:
    named = cli_table_commands(README.read_text(encoding="utf-8"))
    assert named, "README.md has no CLI table under '## Commands'"
    unknown = sorted(set(named) - set(main.commands))
    assert not unknown, f"README's CLI table names commands ipskg does not have: {unknown}"
    missing = sorted(set(main.commands) - set(named))
    assert not missing, f"README's CLI table leaves out: {missing}"


def test_readme_exit_codes_match_the_code() -> None:
    table = exit_code_table(README.read_text(encoding="utf-8"))
    assert sorted(table) == sorted([EXIT_OK, EXIT_NONCONFORMANT, EXIT_INPUT, EXIT_INTERNAL])
    assert "success" in table[EXIT_OK]
    assert "does not conform" in table[EXIT_NONCONFORMANT]
    assert "usage or input error" in table[EXIT_INPUT]
    assert "artifact" in table[EXIT_INTERNAL]


# -- links ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_files_that_exist(page: Path) -> None:
    assert not broken_links(page), f"{page.relative_to(ROOT)}: broken links {broken_links(page)}"


def test_every_docs_page_is_linked_from_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for page in [*(ROOT / "docs").glob("*.md"), ROOT / "ontology" / "README.md"]:
        assert f"]({page.relative_to(ROOT).as_posix()})" in readme, f"README does not link {page}"


# -- the checkers themselves can fail -------------------------------------------------------


def test_link_checker_reports_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "there.md").write_text("# there\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) [ok, anchor](there.md#there) [anchor only](#x) [web](https://example.org)\n"
        "[broken](missing.md) [broken too](sub/gone.md#part)\n"
        "[ref]: nowhere.md\n"
        "```\n[in code](not-a-link.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md", "sub/gone.md#part", "nowhere.md"]


def test_cli_table_check_sees_an_unknown_command() -> None:
    readme = (
        "## Commands\n\n| command | does |\n|---|---|\n"
        "| `ipskg build --out-dir DIR` | builds |\n| `ipskg frobnicate` | nothing |\n\n## Next\n"
    )
    assert cli_table_commands(readme) == ["build", "frobnicate"]
    assert set(cli_table_commands(readme)) - set(main.commands) == {"frobnicate"}


def test_exit_code_check_sees_a_wrong_code() -> None:
    readme = "## Exit codes\n\n| code | meaning |\n|---|---|\n| 0 | success |\n| 4 | oops |\n"
    assert sorted(exit_code_table(readme)) == [0, 4]
    assert sorted(exit_code_table(readme)) != sorted(
        [EXIT_OK, EXIT_NONCONFORMANT, EXIT_INPUT, EXIT_INTERNAL]
    )
