"""``ipskg export``: the graph in a standard format, or its DCAT/VoID description."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import click

from ipskg.model.formats import EXPORT_FORMATS

from . import (
    checked_build,
    format_option,
    handle_errors,
    merge_options,
    output_option,
    publication_options,
    report_missing,
    say,
    study_options,
)

if TYPE_CHECKING:
    from rdflib import Graph

    from ipskg.export.dcat import Publication
    from ipskg.export.merge import MergedFile
    from ipskg.studies.build import BuildResult

__all__ = ["COMMANDS"]


def _first_release() -> dt.date | None:
    """The date of the first release in CHANGELOG.md (a source checkout), else None."""
    from ipskg.export.dcat import first_release_date
    from ipskg.model.resources import ontology_dir

    path = ontology_dir().parent / "CHANGELOG.md"
    return first_release_date(path.read_text(encoding="utf-8")) if path.is_file() else None


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


@click.command("export")
@format_option(
    EXPORT_FORMATS,
    "ttl",
    "ttl, nt and jsonld hold the data; trig one named graph "
    "per study plus ontology, mappings and description.",
)
@output_option
@study_options
@merge_options
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Export this graph file (a built graph, a registry export: .ttl, .nt, .jsonld, "
    "RDF/XML) as it is, instead of building the study folders.",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Export the graph of a persistent store made by ipskg load (nothing is parsed "
    "again), as it is.",
)
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
@click.option(
    "--nanopub",
    "nanopub_dir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write one nanopublication (TriG, with a trusty URI) per finding and per "
    "determinant observation into the folder DIR instead.",
)
@click.option(
    "--nanopub-date",
    metavar="YYYY-MM-DD",
    default=None,
    help="With --nanopub: the creation date in every nanopublication (default: today); the "
    "same data and date give the same trusty URIs.",
)
@click.option(
    "--sign-key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --nanopub: sign with this RSA private key (PEM); also give --signer-orcid and "
    "--signer-name. Unsigned by default.",
)
@click.option("--signer-orcid", metavar="IRI", default=None, help="The signer's ORCID iD IRI.")
@click.option("--signer-name", metavar="NAME", default=None, help="The signer's name.")
@publication_options
@click.option(
    "--inline-context",
    is_flag=True,
    help="JSON-LD: write the context object itself instead of its IRI "
    "https://w3id.org/ipskg/context.jsonld.",
)
@handle_errors
def export_cmd(
    fmt: str,
    output: str | None,
    data_root: Path | None,
    study_dirs: tuple[Path, ...],
    merge_files: tuple[Path, ...],
    no_validate: bool,
    graph_file: Path | None,
    store_dir: Path | None,
    describe: bool,
    endpoint: str | None,
    download_url: str | None,
    nanopub_dir: Path | None,
    nanopub_date: str | None,
    sign_key: Path | None,
    signer_orcid: str | None,
    signer_name: str | None,
    inline_context: bool,
    publication: Publication,
) -> None:
    """Export the knowledge graph in a standard format, or describe it (DCAT-AP 3 + VoID).

    JSON-LD is compact and refers to the published context by its IRI
    https://w3id.org/ipskg/context.jsonld (ontology/context.jsonld; --inline-context writes the
    context itself). --describe says on stderr which properties DCAT-AP 3 recommends and the
    description lacks (give --publisher, --contact, … to state them). The TriG
    export names its graphs https://w3id.org/ipskg/graph/ontology, …/graph/mappings,
    …/graph/study/<id>, …/graph/merged/<file> and …/graph/description.

    --graph FILE or --store DIR (made by ipskg load) exports that graph instead of building the
    study folders; it is not validated again (ipskg validate --whole FILE checks a graph
    file). A store keeps numbers, booleans and dates by value: integers of properties whose
    range is an integer subtype get that datatype back, other values come out in their
    canonical form ("4.0"^^xsd:decimal as "4").
    """
    from ipskg.export.dcat import describe as describe_graph
    from ipskg.export.dump import data_parts, export_bytes, graph_parts, serialize_description
    from ipskg.io.writers import atomic_write

    given: Graph | None = None
    result: BuildResult | None = None
    merged: list[MergedFile] = []
    if graph_file is not None or store_dir is not None:
        given = _given_graph(graph_file, store_dir, data_root, study_dirs, merge_files)
    else:
        result, merged = checked_build(
            data_root, study_dirs, merge_files, validate=not no_validate, nothing="exported"
        )
    if nanopub_dir is not None:
        import functools

        from ipskg.export.nanopub import NanopubOptions, nanopublications
        from ipskg.io.writers import write_folder

        options = NanopubOptions(
            created=nanopub_date or dt.date.today().isoformat(),
            key=sign_key,
            orcid=signer_orcid,
            name=signer_name,
        )
        if given is not None:
            graph = given
        else:
            assert result is not None
            graph = result.graph
            for m in merged:
                graph = graph + m.graph
        produced = dict(nanopublications(graph, options))
        write_folder(
            nanopub_dir,
            {name: functools.partial(bytes, data) for name, data in produced.items()},
        )
        say(f"wrote {len(produced)} nanopublications to {nanopub_dir}")
        return
    if given is not None:
        parts = graph_parts(given)
    else:
        assert result is not None
        parts = data_parts(result, [(m.name, m.graph) for m in merged])
    # --describe dates the description today unless told; the TriG export, which embeds it,
    # stays byte-identical from day to day (dct:modified only with --modified)
    publication = dataclasses.replace(
        publication,
        issued=publication.issued or _first_release(),
        modified=publication.modified or (dt.date.today() if describe else None),
    )
    description = describe_graph(
        parts, endpoint=endpoint, download_base=download_url, publication=publication
    )
    if describe:
        data = serialize_description(description, fmt)
    else:
        data = export_bytes(
            fmt, parts, description if fmt == "trig" else None, inline_context=inline_context
        )
    if output:
        atomic_write(Path(output), data)
        say(f"wrote {output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if describe:
        report_missing(description)


def _given_graph(
    graph_file: Path | None,
    store_dir: Path | None,
    data_root: Path | None,
    study_dirs: tuple[Path, ...],
    merge_files: tuple[Path, ...],
) -> Graph:
    """The graph of --graph FILE or --store DIR; with the study options it is a usage error."""
    if graph_file is not None and store_dir is not None:
        raise click.UsageError("give the graph to export as --graph FILE or --store DIR")
    if data_root is not None or study_dirs or merge_files:
        raise click.UsageError(
            "--graph and --store export the graph they hold; leave out --data, --study and --merge"
        )
    if store_dir is not None:
        from ipskg.sparql.persistent import stored_graph

        return stored_graph(store_dir)
    from ipskg.io.rdf import read_graph

    assert graph_file is not None
    return read_graph(graph_file)


COMMANDS = [export_cmd]
