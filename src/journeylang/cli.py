"""The `journey` command line: thin click commands over the public API."""

from __future__ import annotations

import sys

import click

from . import __version__
from .checker import check_workspace
from .diagnostics import render_all, summary, to_json
from .workspace import WorkspaceError, load

FORMATS = click.Choice(["text", "json"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="journey")
def main() -> None:
    """Check, simulate and manage customer journeys written in journeylang.

    \b
    Examples:
      journey check examples/
      journey run examples/welcome.journey
    """


def _load(paths):
    try:
        return load(paths)
    except WorkspaceError as error:
        raise click.UsageError(str(error)) from None


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "output", type=FORMATS, default="text", show_default=True,
              help="text for people, json for tools")
def check(paths: tuple[str, ...], output: str) -> None:
    """Report every problem in the journeys under PATH (files or directories).

    Exits 0 when there is no error (warnings allowed), 1 when there is one.

    \b
    Examples:
      journey check examples/
      journey check welcome.journey --format json
    """
    workspace = _load(paths)
    diagnostics = check_workspace(workspace)
    if output == "json":
        click.echo(to_json(diagnostics))
    else:
        if diagnostics:
            click.echo(render_all(diagnostics, workspace.sources) + "\n")
            sys.stdout.flush()
        click.echo(summary(diagnostics, len(workspace.sources) or 1), err=True)
    sys.exit(1 if any(d.is_error for d in diagnostics) else 0)
