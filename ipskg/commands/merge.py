"""``ipskg merge``: build, merge RDF files from elsewhere, validate, write every export format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ipskg.model.formats import EXPORT_FORMATS, GRAPH_FORMATS

from . import checked_build, format_option, handle_errors, out_dir_option, say, study_options

__all__ = ["COMMANDS"]


@click.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@study_options
@out_dir_option
@format_option(EXPORT_FORMATS, EXPORT_FORMATS, "Formats to write (repeatable).")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not recommended).")
@handle_errors
def merge_cmd(
    files: tuple[Path, ...],
    data_root: Path | None,
    study_dirs: tuple[Path, ...],
    outdir: Path,
    formats: tuple[str, ...],
    no_validate: bool,
) -> None:
    """Build, merge RDF FILES from elsewhere, and write the merged graph to the output folder.

    Each file is read with the one RDF reader (errors give file and line), refused if it
    asserts triples about ipskg's own IRIs or defines a study IRI another source defines
    (exit 2), and the merged graph is validated with the shapes before anything is written
    (exit 1). The TriG file keeps each merged file in its own named graph.
    """
    from ipskg.export.dcat import describe as describe_graph
    from ipskg.export.dump import data_parts, export_bytes
    from ipskg.io.writers import write_folder

    result, merged = checked_build(
        data_root, study_dirs, files, validate=not no_validate, nothing=f"written to {outdir}"
    )
    parts = data_parts(result, [(m.name, m.graph) for m in merged])
    description = describe_graph(parts)

    def produce(fmt: str) -> Callable[[], bytes]:
        return lambda: export_bytes(fmt, parts, description if fmt == "trig" else None)

    outputs = {f"ipskg{GRAPH_FORMATS[fmt].suffix}": produce(fmt) for fmt in formats}
    written = write_folder(outdir, outputs)
    added = sum(len(m.graph) for m in merged)
    say(
        f"merged {len(merged)} file(s) ({added} triples) into the build of "
        f"{len(result.studies)} study folder(s); {len(result.graph)} triples in total"
    )
    for path in written:
        say(f"wrote {path}")


COMMANDS = [merge_cmd]
