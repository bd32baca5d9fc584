"""`python -m journeylang`: the `journey` command."""

from .cli import entry

entry()
