"""``ipskg import qdpx`` and ``ipskg import codes-map``: a REFI-QDA project into a study folder."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from . import handle_errors, output_option, say

__all__ = ["codes_map_cmd", "qdpx_cmd"]

_STUDY_FILES = {"study.yaml", "coding.yaml", "quotes.yaml", "observations.yaml", "themes.yaml"}


@click.command("qdpx")
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--codes",
    "codes",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The team's code map (study block, codes → CFIR constructs and valences, documents "
    "→ cases); start one with ipskg import codes-map. Without it, codes come in unmapped and "
    "no ratings are made.",
)
@click.option(
    "-o",
    "--out-dir",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The study folder to write, e.g. data/studies/smith-2026 (its name is the study id).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace an existing study folder (only one that holds study files and nothing else).",
)
@handle_errors
def qdpx_cmd(project: Path, codes: Path | None, outdir: Path, replace: bool) -> None:
    """Import a REFI-QDA project (.qdpx from ATLAS.ti, NVivo, MAXQDA, QualCoder, Taguette …)
    into a reviewable study folder: the codebook, the coded quotes with their positions in
    the transcripts, codings, coders (pseudonymous), memos, cases and their variables, and,
    with --codes, starting CFIR ratings. The transcripts' text and names stay out; the import
    lists what it left out. Then: ipskg validate OUT_DIR.

    \b
    Examples:
      ipskg import codes-map interviews.qdpx -o codes.yaml     # then review codes.yaml
      ipskg import qdpx interviews.qdpx --codes codes.yaml -o data/studies/smith-2026
    """
    from ipskg.io.writers import write_folder
    from ipskg.model.errors import InputError
    from ipskg.studies.qdaproject import read_project
    from ipskg.studies.qdpximport import CodeMap, import_project, read_code_map

    if outdir.exists() and outdir.is_dir() and any(outdir.iterdir()):
        others = sorted(p.name for p in outdir.iterdir() if p.name not in _STUDY_FILES)
        if not replace:
            raise InputError(
                "the study folder exists and is not empty",
                file=outdir,
                hint="give a new folder, or --replace to replace its study files",
            )
        if others:
            raise InputError(
                f"the study folder holds other files ({', '.join(others[:3])}); --replace "
                "replaces the whole folder, so it must hold only study files",
                file=outdir,
                hint="move the other files out first",
            )
    proj = read_project(project)
    codemap = read_code_map(codes, proj) if codes else CodeMap()
    result = import_project(proj, codemap, outdir.name)
    encoded = {name: text.encode("utf-8") for name, text in result.files.items()}
    write_folder(
        outdir,
        {name: functools.partial(bytes, data) for name, data in encoded.items()},
        marker=False,
    )
    kept = ", ".join(f"{n} {what}" for what, n in result.counts.items())
    say(f"wrote {outdir}: {kept}")
    say("left out: " + "; ".join(result.left_out))
    for note in result.notes:
        say(f"note: {note}")
    if codes is None:
        say("no --codes: the codes are not mapped to CFIR, so no ratings were made")
    say(f"next: ipskg validate {outdir}")


@click.command("codes-map")
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@output_option(help="The code map to write (YAML), e.g. codes.yaml.")
@handle_errors
def codes_map_cmd(project: Path, output: str | None) -> None:
    """Write a starting code map for a REFI-QDA project: a CFIR 2022 construct, role and
    valence guessed from each code's name (e.g. "Financing -", "High-level Leaders:
    Motivation +"), every guess marked review: true. ipskg import qdpx refuses the map until
    each mark is checked and deleted."""
    from ipskg.io.writers import atomic_write
    from ipskg.studies.qdaproject import read_project
    from ipskg.studies.qdpximport import starter_map

    text = starter_map(read_project(project))
    if output in (None, "-"):
        click.echo(text, nl=False)
    else:
        atomic_write(Path(output), text.encode("utf-8"))
        say(f"wrote {output}: check every review: true, then ipskg import qdpx --codes {output}")
