"""``ipskg build``: ontology + study folders -> one validated graph, written atomically."""

from __future__ import annotations

from pathlib import Path

import click

from ipskg.model.formats import BUILD_FORMATS

from . import (
    checked_build,
    format_option,
    handle_errors,
    merge_options,
    out_dir_option,
    say,
    study_options,
)

__all__ = ["COMMANDS"]


@click.command("build")
@study_options
@out_dir_option
@format_option(BUILD_FORMATS, BUILD_FORMATS, "Formats to write (repeatable).")
@merge_options
@handle_errors
def build_cmd(
    data_root: Path | None,
    study_dirs: tuple[Path, ...],
    outdir: Path,
    formats: tuple[str, ...],
    merge_files: tuple[Path, ...],
    no_validate: bool,
) -> None:
    """Build the knowledge graph from the ontology and every study folder.

    Nothing is written unless the whole graph conforms to the shapes.
    """
    from ipskg.export.dump import write_outputs

    result, _ = checked_build(
        data_root, study_dirs, merge_files, validate=not no_validate, nothing=f"written to {outdir}"
    )
    paths = write_outputs(result.graph, outdir, formats)
    summary = result.summary()
    say("built " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    for path in paths:
        say(f"wrote {path}")


COMMANDS = [build_cmd]
