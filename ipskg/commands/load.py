"""``ipskg load``: load graph files once into a persistent store that query and validate
open without parsing them again."""

from __future__ import annotations

from pathlib import Path

import click

from . import handle_errors, progress, say

__all__ = ["COMMANDS"]


@click.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="The store's folder: created when missing or empty; an existing store of this "
    "version gets the files added.",
)
@handle_errors
def load_cmd(files: tuple[Path, ...], store_dir: Path) -> None:
    """Load RDF graph files (.nt and .ttl on Oxigraph's bulk path; also .jsonld and RDF/XML)
    into a persistent store, once.

    \b
    Then answer from it without reparsing:
      ipskg query case-robustness --store DIR
      ipskg validate new-case.ttl --store DIR

    The store records the ipskg and pyoxigraph versions that wrote it and what was loaded
    (DIR/ipskg-store.json); another version refuses to open it and says how to reload it.
    """
    from ipskg.sparql.persistent import load_files

    progress(f"loading {len(files)} file(s) into {store_dir}")
    info = load_files(store_dir, list(files))
    say(f"{store_dir}: {info.triples} triples from {len(info.files)} file(s)")


COMMANDS = [load_cmd]
