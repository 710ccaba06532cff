"""Click commands of the ipskg CLI and the error handling they share."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ipskg.model.display import visible
from ipskg.model.errors import EXIT_INTERNAL, EXIT_NONCONFORMANT, IpskgError

if TYPE_CHECKING:
    from ipskg.export.merge import MergedFile
    from ipskg.studies.build import BuildResult

__all__ = [
    "SECONDS",
    "checked_build",
    "handle_errors",
    "merge_options",
    "out_dir_option",
    "output_option",
    "progress",
    "publication_options",
    "report_missing",
    "say",
    "study_options",
]

F = TypeVar("F", bound=Callable[..., Any])


class _Seconds(click.ParamType):
    """A positive, finite number of seconds (click's FloatRange lets nan and inf through)."""

    name = "seconds"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        import math

        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or seconds < 0.1:
            self.fail(f"{value!r} is not a number of seconds of at least 0.1", param, ctx)
        return seconds


SECONDS = _Seconds()


def say(message: str) -> None:
    """A diagnostic line on stderr (results go to stdout)."""
    click.echo(message, err=True)


def progress(message: str) -> None:
    """A line about slow work in progress, on stderr and only when stderr is a terminal (a log
    or a pipe gets the results and the errors, not the chatter)."""
    if sys.stderr.isatty():
        click.echo(message + " …", err=True)


def handle_errors(func: F) -> F:
    """Turn ipskg errors into a message and an exit code; no traceback unless -vv."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        verbose = (ctx.find_root().obj or {}).get("verbose", 0)
        try:
            return func(*args, **kwargs)
        except IpskgError as exc:
            if verbose >= 2:
                traceback.print_exc()
            say(f"error: {visible(exc.render())}")  # data in a message cannot drive the terminal
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            say("interrupted")
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if verbose >= 1:
                traceback.print_exc()
            say(visible(f"internal error: {type(exc).__name__}: {exc}"))
            say("  this is a bug in ipskg; rerun with -vv for the traceback and report it")
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def study_options(func: F) -> F:
    """--data and --study: which study folders to build (shared by build, export, merge)."""
    func = click.option(
        "--study",
        "study_dirs",
        multiple=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Use only these study folders (repeatable).",
    )(func)
    return click.option(
        "--data",
        "data_root",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Folder holding studies/<id>/ (default: the bundled data/).",
    )(func)


def format_option(
    choices: tuple[str, ...], default: str | tuple[str, ...], help: str
) -> Callable[[F], F]:
    """-f/--format, the same word in every command; the choices come from the writers' tables
    in ipskg.model.formats. A tuple default makes it repeatable (several files at once)."""
    several = isinstance(default, tuple)
    return click.option(
        "-f",
        "--format",
        "formats" if several else "fmt",
        multiple=several,
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help=help,
    )


def output_option(
    func: F | None = None, *, help: str = "Write to this file (atomically) instead of stdout."
) -> Any:
    """-o/--output FILE, always one file written atomically; used bare or with other help."""
    option = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        default=None,
        help=help,
    )
    return option if func is None else option(func)


def out_dir_option(
    func: F | None = None,
    *,
    default: Path | None = Path("out"),
    help: str = "Folder to write the graph files to (replaced all together, or not at all).",
) -> Any:
    """--out-dir FOLDER, the same word in every command that writes a folder; used bare
    (``@out_dir_option``) or with another default and help."""
    option = click.option(
        "--out-dir",
        "outdir",
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help=help,
    )
    return option if func is None else option(func)


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from urllib.parse import urlparse

    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise click.BadParameter(f"{value!r} is not an http(s) URL")
    return value


def _contact(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import re

    if value is None:
        return None
    if re.fullmatch(r"(mailto:)?[^@\s:/]+@[^@\s/]+\.[^@\s/]+", value):
        return value.removeprefix("mailto:")
    return _http_url(ctx, param, value)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def publication_options(func: F) -> F:
    """What only the publisher can say in the DCAT-AP description (export --describe, release):
    --publisher, --publisher-type, --contact, --homepage, --issued, --modified, --availability.
    The command receives them as one ``publication`` (:class:`ipskg.export.dcat.Publication`);
    what is not given is left out of the description, never guessed."""
    from ipskg.export.dcat import AVAILABILITY, PUBLISHER_TYPES

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        publisher: str | None,
        publisher_type: str | None,
        contact: str | None,
        homepage: str | None,
        issued: Any,
        modified: Any,
        availability: str | None,
        **kwargs: Any,
    ) -> Any:
        from ipskg.export.dcat import Publication

        publication = Publication(
            publisher=publisher,
            publisher_type=publisher_type,
            contact=contact,
            homepage=homepage,
            issued=issued,
            modified=modified,
            availability=availability,
        )
        return func(*args, publication=publication, **kwargs)

    options = [
        click.option(
            "--publisher",
            metavar="NAME",
            help="Who publishes the dataset (dct:publisher, a foaf:Agent with this name).",
        ),
        click.option(
            "--publisher-type",
            type=click.Choice(sorted(PUBLISHER_TYPES)),
            help="The kind of publisher (dct:type, from the ADMS publisher types).",
        ),
        click.option(
            "--contact",
            metavar="EMAIL-or-URL",
            callback=_contact,
            help="Contact point (dcat:contactPoint, a vcard:Kind with this e-mail or URL).",
        ),
        click.option(
            "--homepage",
            metavar="URL",
            callback=_http_url,
            help="Landing page of the dataset and homepage of the catalogue.",
        ),
        click.option(
            "--issued",
            metavar="YYYY-MM-DD",
            callback=_iso_date,
            help="Release date of the dataset (default: the first release in CHANGELOG.md).",
        ),
        click.option(
            "--modified",
            metavar="YYYY-MM-DD",
            callback=_iso_date,
            help="Last modification date (default: today for --describe; for a release, its "
            "version date).",
        ),
        click.option(
            "--availability",
            type=click.Choice(list(AVAILABILITY)),
            help="How long the files will stay available (dcatap:availability; a release "
            "defaults to stable).",
        ),
    ]
    out: Any = wrapper
    for option in reversed(options):
        out = option(out)
    return out


def report_missing(description: Any) -> None:
    """Say on stderr which DCAT-AP properties the description lacks, and how to give them."""
    from ipskg.export.dcat import missing_recommended

    missing = missing_recommended(description)
    if missing:
        say("DCAT-AP 3: the description lacks what it makes mandatory or recommends:")
        for item in missing:
            say(f"  - {item}")


def merge_options(func: F) -> F:
    """--merge FILE… and --no-validate (build, export, publish)."""
    func = click.option(
        "--no-validate",
        is_flag=True,
        help="Skip SHACL validation of the graph (not recommended).",
    )(func)
    return click.option(
        "--merge",
        "merge_files",
        multiple=True,
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Extra RDF file to merge (repeatable): IRI clashes with ipskg's IRIs are refused "
        "and the merged graph is validated with the shapes.",
    )(func)


def checked_build(
    data_root: Path | None,
    study_dirs: tuple[Path, ...] = (),
    merge_files: tuple[Path, ...] = (),
    *,
    validate: bool = True,
    nothing: str = "written",
) -> tuple[BuildResult, list[MergedFile]]:
    """Build the study folders, merge the external files (clashes refused, exit 2) and, unless
    told not to, validate the whole graph: a graph that does not conform is reported on stderr
    and the command exits 1 with "nothing was <nothing>"."""
    from ipskg.export.merge import merge_external
    from ipskg.studies.build import build

    progress("building the graph from the study folders")
    result = build(data_root, list(study_dirs) or None)
    merged = merge_external(result, merge_files, validate=False) if merge_files else []
    if validate:
        from ipskg.shacl.validate import render_text, validate_build

        progress(f"validating {len(result.graph)} triples against the shapes")
        report = validate_build(result)
        if not report.conforms:
            click.echo(render_text(report), err=True)
            say(
                f"error: the graph does not conform ({report.violation_count} violations); "
                f"nothing was {nothing}"
            )
            sys.exit(EXIT_NONCONFORMANT)
    return result, merged
