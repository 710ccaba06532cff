"""Run the CLI with python -m ipskg."""

from .cli import main

main()
