"""Click commands of the ipskg CLI and the error handling they share."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ipskg.model.errors import EXIT_INTERNAL, IpskgError

__all__ = ["handle_errors", "output_option", "say", "study_options"]

F = TypeVar("F", bound=Callable[..., Any])


def say(message: str) -> None:
    """A diagnostic line on stderr (results go to stdout)."""
    click.echo(message, err=True)


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
            say(f"error: {exc.render()}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            say("interrupted")
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if verbose >= 1:
                traceback.print_exc()
            say(f"internal error: {type(exc).__name__}: {exc}")
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


def output_option(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        default=None,
        help="Write to this file (atomically) instead of stdout.",
    )(func)
