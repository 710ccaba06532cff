"""``ipskg release``: every release file of the ontology and the knowledge graph in one folder."""

from __future__ import annotations

from pathlib import Path

import click

from . import handle_errors, out_dir_option, say

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
@handle_errors
def release_cmd(
    outdir: Path, version: str | None, no_reasoner: bool, w3id_target: str | None
) -> None:
    """Write the release files: ipskg.owl / .ttl / .jsonld (the merged ontology),
    ipskg-full.owl (with the class hierarchy HermiT infers), ipskg-base.owl (ipskg's own
    axioms), ipskg-kg.ttl / .nt / .jsonld (the validated knowledge graph), ipskg-shapes.ttl,
    the SSSOM mapping sets (TSV and ipskg-mappings.ttl), context.jsonld, licences, citation,
    change log, SHA256SUMS and, with --w3id-target, w3id.htaccess, all with one dated version IRI.

    \b
    Example:
      ipskg release --out-dir release --version 2026-12-06 \\
          --w3id-target https://example.org/ipskg/
    """
    from ipskg.export.release import release_files, write_release

    if w3id_target is not None and not w3id_target.startswith("https://"):
        raise click.BadParameter("give an https:// URL", param_hint="--w3id-target")
    release = release_files(version, full=not no_reasoner, w3id_target=w3id_target)
    written = write_release(outdir, release)
    say(
        f"wrote {len(written)} files to {outdir} (version {release.version}; "
        f"{release.inferred} inferred subclass axioms in ipskg-full.owl)"
    )


COMMANDS = [release_cmd]
