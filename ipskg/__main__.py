"""Run the CLI with python -m ipskg."""

from ipskg.cli import main

main()
