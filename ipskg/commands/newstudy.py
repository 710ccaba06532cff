"""``ipskg new-study``: write an empty study folder with every file, ready to fill in."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path

import click

from ipskg.model.errors import InputError

from . import handle_errors, say

__all__ = ["COMMANDS"]


@click.command("new-study")
@click.argument("study_id")
@click.option(
    "--studies",
    "studies",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data") / "studies",
    show_default=True,
    help="The folder that holds study folders; the new one is STUDIES/STUDY_ID (a study "
    "folder is named by its id).",
)
@handle_errors
def new_study_cmd(study_id: str, studies: Path) -> None:
    """Start a study: write a folder with every file of the researcher format, each with its
    conventions and one commented example record, and nothing filled in.

    Then add the publication and the facts, and check them with ``ipskg validate FOLDER``,
    which names the file, line and field of anything missing or wrong. An existing folder that
    is not empty is never touched.

    \b
    Example:
      ipskg new-study smith-2026
      ipskg validate data/studies/smith-2026
    """
    from ipskg.io.writers import atomic_write_many
    from ipskg.studies.loader import ID_RE
    from ipskg.studies.template import study_files

    if not ID_RE.fullmatch(study_id):
        raise InputError(
            f"{study_id!r} is not a study id",
            field="STUDY_ID",
            hint="use lower-case letters, digits and '-', starting with a letter or digit, "
            "e.g. smith-2026",
        )
    target = studies / study_id
    taken = target.exists() and (not target.is_dir() or any(target.iterdir()))
    if target.is_symlink() or taken:
        raise InputError(
            "the folder already exists and is not empty; nothing was written",
            file=target,
            hint="choose another study id, or another --studies folder",
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new")
        )
    except OSError as exc:
        raise InputError(f"cannot create the folder: {exc.strerror}", file=target) from None
    try:
        files = {name: text.encode("utf-8") for name, text in study_files(study_id).items()}
        atomic_write_many(
            {staging / name: functools.partial(bytes, data) for name, data in files.items()}
        )
        if target.exists():
            target.rmdir()  # empty, checked above
        os.rename(staging, target)
    except OSError as exc:
        raise InputError(f"cannot write the study folder: {exc.strerror}", file=target) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    say(f"wrote {len(files)} files to {target}/ (study {study_id}); next: ipskg validate {target}")


COMMANDS = [new_study_cmd]
