"""The ``ipskg`` command line: a thin click group; each command lives in ipskg/commands/."""

from __future__ import annotations

import click

from . import __version__

__all__ = ["main"]

EXIT_CODES_HELP = """\b
Exit codes:
  0  success; data conforms
  1  data does not conform to the shapes (validation results were reported)
  2  usage or input error (bad file, bad option, unreachable server)
  3  internal or artifact error (ipskg's own ontology/shapes/queries, missing Java)
"""


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ipskg")
@click.option("-v", "--verbose", count=True, help="More detail on stderr; -vv shows tracebacks.")
@click.pass_context
def main(ctx: click.Context, verbose: int) -> None:
    """ipskg: knowledge graph of implementation determinants for IPS (CFIR 2022)."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    _quiet_rdflib_literals()


def _quiet_rdflib_literals() -> None:
    """rdflib logs a traceback (and warns) for every ill-typed literal it reads, such as
    "yes"^^xsd:boolean. ipskg reports those itself, as SHACL results with file and line, so
    the library's chatter is kept off the user's terminal."""
    import logging
    import warnings

    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=UserWarning, module=r"rdflib\.term")


_COMMAND_MODULES = (
    "build",
    "validate",
    "query",
    "load",
    "export",
    "merge",
    "publish",
    "ontology",
    "reason",
    "mappings",
    "newstudy",
    "workbook",
    "imports",
    "matrix",
    "site",
    "release",
)


def _register() -> None:
    """Add the commands of every module in ipskg/commands/ (each is light to import)."""
    import importlib

    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"ipskg.commands.{name}")
        for command in module.COMMANDS:
            main.add_command(command)


_register()
