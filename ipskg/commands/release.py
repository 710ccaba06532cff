"""``ipskg release``: every release file of the ontology and the knowledge graph in one folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import handle_errors, out_dir_option, publication_options, report_missing, say

if TYPE_CHECKING:
    from ipskg.export.dcat import Publication

__all__ = ["COMMANDS"]


@click.command("release")
@out_dir_option(default=Path("release"), help="The folder to write (replaced all together).")
@click.option(
    "--version",
    "version",
    metavar="YYYY-MM-DD",
    default=None,
    help="The release date, in every version IRI (default: today).",
)
@click.option(
    "--no-reasoner",
    is_flag=True,
    help="Leave out ipskg-full.owl (it needs Java for HermiT).",
)
@click.option(
    "--w3id-target",
    metavar="URL",
    default=None,
    help="Where the release files (URL/release/) and site (URL/site/) are served: writes "
    "w3id.htaccess, the redirect rules for https://w3id.org/ipskg/.",
)
@click.option(
    "--download-url",
    metavar="URL",
    default=None,
    help="Where the release files are downloaded (dcat:downloadURL; default: URL/release/ of "
    "--w3id-target).",
)
@click.option(
    "--no-site",
    is_flag=True,
    help="Leave out site/, the evidence site with the ontology's documentation.",
)
@publication_options
@handle_errors
def release_cmd(
    outdir: Path,
    version: str | None,
    no_reasoner: bool,
    w3id_target: str | None,
    download_url: str | None,
    no_site: bool,
    publication: Publication,
) -> None:
    """Write the release files: ipskg.owl / .ttl / .jsonld (the merged ontology),
    ipskg-full.owl (with the class hierarchy HermiT infers), ipskg-base.owl (ipskg's own
    axioms), ipskg-kg.ttl / .nt / .jsonld (the validated knowledge graph), ipskg-shapes.ttl,
    the SSSOM mapping sets (TSV and ipskg-mappings.ttl), context.jsonld, licences, citation,
    change log, ipskg-dcat.ttl (the DCAT-AP 3 description of the files, with their SHA-256
    checksums and byte sizes), SHA256SUMS, site/ (the evidence site with the ontology's
    documentation, as ipskg site writes it) and, with --w3id-target, w3id.htaccess, all with
    one dated version IRI. Give --publisher, --contact, … for the description (what is not given is
    left out and named on stderr).

    \b
    Example:
      ipskg release --out-dir release --version 2026-12-06 \\
          --w3id-target https://example.org/ipskg/ \\
          --publisher "ipskg developers" --contact ipskg@example.org
    """
    from ipskg.export.release import release_files, write_release

    if w3id_target is not None and not w3id_target.startswith("https://"):
        raise click.BadParameter("give an https:// URL", param_hint="--w3id-target")
    if download_url is not None and not download_url.startswith(("https://", "http://")):
        raise click.BadParameter("give an http(s) URL", param_hint="--download-url")
    release = release_files(
        version,
        full=not no_reasoner,
        w3id_target=w3id_target,
        publication=publication,
        download_url=download_url,
        site=not no_site,
    )
    written = write_release(outdir, release)
    say(
        f"wrote {len(written)} files to {outdir} (version {release.version}; "
        f"{release.inferred} inferred subclass axioms in ipskg-full.owl"
        + (
            f"; the evidence site in site/, {release.site_pages} pages)"
            if release.site_pages
            else ")"
        )
    )
    from rdflib import Graph

    report_missing(Graph().parse(outdir / "ipskg-dcat.ttl", format="turtle"))


COMMANDS = [release_cmd]
