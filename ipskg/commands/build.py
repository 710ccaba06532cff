"""``ipskg build``: ontology + study folders -> one validated graph, written atomically."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import handle_errors, say, study_options

__all__ = ["COMMANDS"]


@click.command("build")
@study_options
@click.option(
    "-o",
    "--out",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["ttl", "nt", "jsonld"]),
    default=("ttl", "nt", "jsonld"),
    show_default=True,
    help="Formats to write (repeatable).",
)
@click.option(
    "--merge",
    "merge_files",
    multiple=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Extra RDF file to merge (repeatable); clashes with ipskg's IRIs are refused.",
)
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not recommended).")
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
    from ipskg.studies.build import build, write_outputs

    result = build(data_root, list(study_dirs) or None)
    if merge_files:
        from ipskg.export.merge import merge_external

        # the whole merged graph is validated below; clashes are refused here
        merge_external(result, merge_files, validate=False)
    if not no_validate:
        from ipskg.shacl.validate import render_text, validate_build

        report = validate_build(result)
        if not report.conforms:
            click.echo(render_text(report), err=True)
            say(
                f"error: the graph does not conform ({report.violation_count} violations); "
                f"nothing was written to {outdir}"
            )
            sys.exit(1)
    paths = write_outputs(result.graph, outdir, formats)
    summary = result.summary()
    say("built " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    for path in paths:
        say(f"wrote {path}")


COMMANDS = [build_cmd]
