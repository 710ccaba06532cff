"""``ipskg export`` (standard formats and the DCAT/VoID description) and ``ipskg merge``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

import click

from . import handle_errors, output_option, say, study_options

if TYPE_CHECKING:
    from ipskg.export.dump import Part
    from ipskg.export.merge import MergedFile
    from ipskg.studies.build import BuildResult

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["COMMANDS"]

_FORMATS = ["ttl", "nt", "trig", "jsonld"]  # = ipskg.export.EXPORT_FORMATS (kept light here)


def _url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise click.BadParameter(
            f"{value!r} is not an http(s) URL (e.g. https://example.org/sparql)"
        )
    if param.name == "download_url" and not value.endswith("/"):
        value += "/"
    return value


def _source_options(func: F) -> F:
    func = click.option(
        "--no-validate",
        is_flag=True,
        help="Merge --merge files without SHACL validation (not recommended).",
    )(func)
    func = click.option(
        "--merge",
        "merge_files",
        multiple=True,
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Extra RDF file to merge (repeatable): validated with the shapes; "
        "IRI clashes with ipskg's IRIs are refused.",
    )(func)
    return study_options(func)


def _load(
    data_root: Path | None,
    study_dirs: tuple[Path, ...],
    merge_files: tuple[Path, ...],
    no_validate: bool,
) -> tuple[BuildResult, list[MergedFile], list[Part]]:
    from ipskg.export.dump import data_parts
    from ipskg.export.merge import merge_external
    from ipskg.studies.build import build

    result = build(data_root, list(study_dirs) or None)
    merged = merge_external(result, merge_files, validate=not no_validate)
    parts = data_parts(result, [(m.name, m.graph) for m in merged])
    return result, merged, parts


@click.command("export")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="ttl",
    show_default=True,
    help="ttl, nt and jsonld hold the data; trig one named graph "
    "per study plus ontology, mappings and description.",
)
@output_option
@_source_options
@click.option(
    "--describe",
    is_flag=True,
    help="Write the DCAT/VoID description of the export instead of the data.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    callback=_url,
    help="SPARQL endpoint serving the data (added to the description).",
)
@click.option(
    "--download-url",
    "download_url",
    metavar="URL",
    callback=_url,
    help="Base URL where the export files are published (adds download URLs).",
)
@handle_errors
def export_cmd(
    fmt: str,
    output: str | None,
    data_root: Path | None,
    study_dirs: tuple[Path, ...],
    merge_files: tuple[Path, ...],
    no_validate: bool,
    describe: bool,
    endpoint: str | None,
    download_url: str | None,
) -> None:
    """Export the knowledge graph in a standard format, or describe it (DCAT + VoID).

    JSON-LD is compact, using the published context (ontology/context.jsonld). The TriG
    export names its graphs https://w3id.org/ipskg/graph/ontology, …/graph/mappings,
    …/graph/study/<id>, …/graph/merged/<file> and …/graph/description.
    """
    from ipskg.export.dcat import describe as describe_graph
    from ipskg.export.dump import export_bytes, serialize_description
    from ipskg.io.writers import atomic_write

    _, _, parts = _load(data_root, study_dirs, merge_files, no_validate)
    description = describe_graph(parts, endpoint=endpoint, download_base=download_url)
    if describe:
        data = serialize_description(description, fmt)
    else:
        data = export_bytes(fmt, parts, description if fmt == "trig" else None)
    if output:
        atomic_write(Path(output), data)
        say(f"wrote {output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@click.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
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
    type=click.Choice(_FORMATS),
    default=("ttl", "nt", "trig", "jsonld"),
    show_default=True,
    help="Formats to write (repeatable).",
)
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

    Each file is parsed (syntax errors give file and line), refused if it asserts triples
    about ipskg's own IRIs or defines a study IRI another source defines (exit 2), and the
    merged graph is validated with the shapes before anything is written (exit 1).
    """
    from ipskg.export.dcat import describe as describe_graph
    from ipskg.export.dump import EXPORT_FORMATS, export_bytes
    from ipskg.io.writers import atomic_write_many

    result, merged, parts = _load(data_root, study_dirs, files, no_validate)
    description = describe_graph(parts)

    def produce(fmt: str) -> Callable[[], bytes]:
        return lambda: export_bytes(fmt, parts, description if fmt == "trig" else None)

    outputs = {outdir / f"ipskg{EXPORT_FORMATS[fmt][0]}": produce(fmt) for fmt in formats}
    atomic_write_many(outputs)
    added = sum(len(m.graph) for m in merged)
    say(
        f"merged {len(merged)} file(s) ({added} triples) into the build of "
        f"{len(result.studies)} study folder(s); {len(result.graph)} triples in total"
    )
    for path in outputs:
        say(f"wrote {path}")


COMMANDS = [export_cmd, merge_cmd]
