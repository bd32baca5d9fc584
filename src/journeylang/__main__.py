"""`python -m journeylang`: the `journey` command."""

from .cli import main

main(prog_name="journey")
