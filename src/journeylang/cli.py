"""The `journey` command line: thin click commands over the public API."""

from __future__ import annotations

import json
import os
import sys

import click

from . import __version__
from .checker import check_workspace
from .diagnostics import as_errors, render_all, summary, to_github, to_json, to_sarif
from .workspace import WorkspaceError, load

_FILE = click.Path(exists=True, dir_okay=False)


class _Instant(click.ParamType):
    """A date-time option, checked before anything runs (a bad one is a usage error)."""

    name = "datetime"

    def convert(self, value, param, ctx):
        from .core.instants import TimeError, parse_instant
        try:
            return parse_instant(value)
        except TimeError as error:
            self.fail(str(error), param, ctx)

FORMATS = click.Choice(["text", "json"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="journey")
def main() -> None:
    """Check, simulate and manage customer journeys written in journeylang.

    \b
    Examples:
      journey check examples/
      journey run examples/welcome
    """


def _stop(error, diagnostics, sources):
    """The program's problems (on standard output), then `error: …` on standard error; exit 1."""
    if diagnostics:
        click.echo(render_all(diagnostics, sources) + "\n")
        sys.stdout.flush()
    click.echo(f"error: {error}", err=True)
    sys.exit(1)


def _load(paths):
    try:
        return load(paths)
    except WorkspaceError as error:
        raise click.UsageError(str(error)) from None


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "output", type=click.Choice(["text", "json", "github", "sarif"]),
              default="text", show_default=True,
              help="text for people, json for tools, github annotations or SARIF 2.1.0 for CI")
@click.option("--warnings-as-errors", is_flag=True,
              help="report every warning as an error (and exit 1 on one)")
def check(paths: tuple[str, ...], output: str, warnings_as_errors: bool) -> None:
    """Report every problem in the journeys under PATH (files or directories).

    Exits 0 when there is no error (warnings allowed), 1 when there is one. A comment
    `# journey: ignore[J202]` silences that code on its line.

    \b
    Examples:
      journey check examples/
      journey check welcome.journey --format json
      journey check examples/ --format sarif > journey.sarif
    """
    workspace = _load(paths)
    diagnostics = check_workspace(workspace)
    if warnings_as_errors:
        diagnostics = as_errors(diagnostics)
    if output == "json":
        click.echo(to_json(diagnostics))
    elif output == "github":
        if diagnostics:
            click.echo(to_github(diagnostics, {code: rule[0] for code, rule in _codes().items()}))
    elif output == "sarif":
        click.echo(to_sarif(diagnostics, workspace.sources, _codes(), __version__))
    else:
        if diagnostics:
            click.echo(render_all(diagnostics, workspace.sources) + "\n")
            sys.stdout.flush()
        files = sum(1 for name in workspace.sources if name.endswith(".journey"))
        click.echo(summary(diagnostics, files or 1), err=True)
    sys.exit(1 if any(d.is_error for d in diagnostics) else 0)


def _codes() -> dict[str, tuple[str, str, str]]:
    """Every code the tool reports: its name, default severity and what it says."""
    from .checker import RULES
    from .diagnostics import OTHER_CODES
    return {**OTHER_CODES, **{rule.code: (rule.name, rule.severity.value, rule.doc)
                              for rule in RULES}}


@main.command()
@click.argument("path", metavar="PATH")
@click.option("--profiles", type=_FILE, help="profiles: JSON Lines, JSON or CSV (id required)")
@click.option("--events", type=_FILE, help="events: JSON Lines of {time, profile, event, data}")
@click.option("--audiences", type=_FILE, help='audiences as data: {"name": ["id", ...]}')
@click.option("--datasources", type=_FILE, help="data-source fixtures for fetch (JSON)")
@click.option("--actions", type=_FILE, help="actions' responses for `let r = call` (JSON)")
@click.option("--scenario", type=_FILE, help="a scenario file (TOML): inputs, lifecycle, behaviours")
@click.option("--start", type=_Instant(), metavar="DATETIME", help="when the run starts, e.g. 2026-03-01T00:00:00Z")
@click.option("--until", type=_Instant(), metavar="DATETIME", help="when the run stops (default: when nothing is left)")
@click.option("--seed", type=int, help="seed of every random draw (default 0)")
@click.option("--population", type=click.IntRange(1), metavar="N",
              help="size of the built-in population, when no profiles are given (default 1000)")
@click.option("--trace", "trace_path", type=click.Path(dir_okay=False, writable=True,
                                                      allow_dash=True),
              help="write every record of the run to this file, as JSON Lines "
              "(- for standard output, before the report)")
@click.option("--format", "output", type=FORMATS, default="text", show_default=True,
              help="text for people, json for tools")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, writable=True),
              metavar="FILE", help="also write the report as one self-contained HTML page, "
              "with each journey's diagram and its counts")
@click.option("--strict", is_flag=True, help="exit 1 when any runtime error happened")
@click.option("--audiences-out", "audiences_out", type=click.Path(dir_okay=False, writable=True),
              metavar="FILE", help="write the audiences the campaigns saved, in the shape "
              "--audiences reads")
@click.option("--workers", type=click.IntRange(1), metavar="N",
              help="run the profiles in N processes (the same report as one)")
@click.option("--scheduler", metavar="ADDRESS",
              help="run the shards on the Dask cluster at ADDRESS (needs journeylang[dask])")
def run(path, profiles, events, audiences, datasources, actions, scenario, start, until, seed,
        population, trace_path, output, html_path, strict, audiences_out, workers,
        scheduler) -> None:
    """Simulate the journeys under PATH on a virtual clock and report what happened.

    Without --profiles, PATH's profiles.jsonl is used, else a built-in simulated population.

    \b
    Examples:
      journey run examples/welcome
      journey run examples/cart --scenario examples/cart/scenario.toml --trace trace.jsonl
      journey run examples/welcome --seed 7 --format json
      journey run examples/welcome --html report.html --strict
      journey run examples/welcome --population 1000000 --workers 2
      journey run examples/and-join-campaign --audiences-out saved.json
    """
    from rich.console import Console

    from .inputs import InputError
    from .report import runtime_errors, to_json as report_json
    from .report.html import render_html
    from .report.text import render
    from .run import SimulationError, simulate

    if start is not None and until is not None and until < start:
        raise click.BadParameter("it is before --start", param_hint="--until")
    if scheduler is not None:  # the extra journeylang[dask]: without it, a usage error
        from .shards import ShardError, address_problem, dask
        try:
            dask()
        except ShardError as error:
            raise click.UsageError(str(error)) from None
        if (problem := address_problem(scheduler)) is not None:
            raise click.BadParameter(problem, param_hint="--scheduler")
    workspace = _load([path])
    for written, what in ((html_path, "the report"), (audiences_out, "the saved audiences")):
        if written is not None:
            _can_write(written, what)  # before the run, not after it
    error_console = Console(stderr=True)
    progress = _progress_bar(error_console)
    try:
        with progress as advance:
            result = simulate(workspace, profiles=profiles, events=events, audiences=audiences,
                              datasources=datasources, actions=actions, scenario=scenario,
                              start=start,
                              until=until, seed=seed, population=population,
                              trace=_standard_output() if trace_path == "-" else trace_path,
                              progress=advance, workers=workers, scheduler=scheduler)
    except SimulationError as error:
        _stop(error, error.diagnostics, workspace.sources)
    except InputError as error:
        click.echo(error.render(), err=True)
        sys.exit(1)
    warnings = [d for d in result.diagnostics if not d.is_error]
    if warnings and output == "text":
        click.echo(render_all(warnings, workspace.sources) + "\n", err=True)
    if output == "json":
        click.echo(report_json(result.report))
    else:
        render(result.report, Console(highlight=False))
    if html_path is not None:
        _write(html_path, "the report", render_html(result.report, workspace))
    if audiences_out is not None:
        _write(audiences_out, "the saved audiences",
               json.dumps(result.saved_audiences, indent=1, ensure_ascii=False) + "\n")
    errors = runtime_errors(result.report)
    if strict and errors:
        sys.stdout.flush()
        click.echo(f"error: {plural_errors(errors)} happened during the run (--strict)", err=True)
        sys.exit(1)
    return result  # kept until the command exits (see `entry`): its inputs can be millions of objects


def _can_write(path: str, what: str) -> None:
    """Stop at once, as `_write` would after the run, when `path`'s folder is not there."""
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        reason = "Not a directory" if os.path.exists(folder) else "No such file or directory"
        click.echo(f"error: {path}: cannot write {what} ({reason})", err=True)
        sys.exit(1)


def _write(path: str, what: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        click.echo(f"error: {path}: cannot write {what} ({error.strerror})", err=True)
        sys.exit(1)


def plural_errors(count: int) -> str:
    return f"{count} runtime error" + ("" if count == 1 else "s")


@main.command()
@click.argument("path", metavar="PATH")
@click.option("--journey", "name", metavar="NAME",
              help="the journey to draw (needed when PATH holds several)")
@click.option("--version", "version", type=click.IntRange(1), metavar="N",
              help="the version to draw (default: the latest)")
@click.option("--format", "output", type=click.Choice(["svg", "mermaid", "dot", "html"]),
              default="svg", show_default=True,
              help="SVG laid out by journeylang, Mermaid or DOT text, or an HTML page")
def graph(path, name, version, output) -> None:
    """Draw a journey as a left-to-right flow: its entry, each statement, the ways out of each
    condition, split, fork and wait, and its joins.

    Prints the drawing on standard output. PATH holding several journeys needs --journey.

    \b
    Examples:
      journey graph examples/welcome > welcome.svg
      journey graph examples/ab-test --format mermaid
      journey graph examples/versions --journey Loyalty --version 1 --format dot | dot -Tpng > v1.png
    """
    from . import graph as drawing

    workspace = _load([path])
    if workspace.syntax_errors:
        click.echo(render_all(list(workspace.syntax_errors), workspace.sources) + "\n", err=True)
        click.echo("error: the journeys have syntax errors: nothing was drawn", err=True)
        sys.exit(1)
    try:
        journey = drawing.pick(workspace.journeys, name, version)
    except drawing.PickError as error:
        raise click.UsageError(str(error)) from None
    flow = drawing.build_flow(journey, workspace.sources.get(journey.span.file))
    writers = {"svg": drawing.to_svg, "mermaid": drawing.to_mermaid, "dot": drawing.to_dot,
               "html": drawing.to_html}
    click.echo(writers[output](flow), nl=False)


@main.command("test")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-k", "pattern", metavar="PATTERN",
              help="run only the tests whose name holds PATTERN (or matches it, with * ? [ ])")
@click.option("-v", "--verbose", is_flag=True, help="show the trace of a failing test's profile")
@click.option("--junit-xml", "junit", type=click.Path(dir_okay=False, writable=True),
              metavar="FILE", help="write the results as JUnit XML, for CI")
@click.option("--coverage", "show_coverage", is_flag=True,
              help="list, per journey, the statements no test reached")
@click.option("-j", "--jobs", type=click.IntRange(1), metavar="N",
              help="processes to run the tests in (default: the machine's cores)")
def test_command(paths, pattern, verbose, junit, show_coverage, jobs) -> None:
    """Run the tests (`test "…" { … }`) written in the journeys under PATH.

    Each test is a fresh, seeded simulation of the workspace with only what the test gives.
    Exits 0 when every test passes, 1 when one fails (or the workspace has errors).

    \b
    Examples:
      journey test examples/
      journey test examples/welcome -k gold -v
      journey test examples/ --junit-xml results.xml --coverage
    """
    from .testing import TestingError, coverage, junit_xml, render_text, run_tests

    try:
        run = run_tests(paths, pattern, verbose, jobs)
    except WorkspaceError as error:
        raise click.UsageError(str(error)) from None
    except TestingError as error:
        if error.diagnostics:
            _stop(error, error.diagnostics, error.sources)
        raise click.UsageError(str(error)) from None
    if run.warnings:
        click.echo(render_all(run.warnings, run.workspace.sources) + "\n", err=True)
    click.echo(render_text(run), nl=False)
    if show_coverage:
        click.echo("\n" + coverage(run), nl=False)
    if junit is not None:
        try:
            with open(junit, "w", encoding="utf-8") as handle:
                handle.write(junit_xml(run))
        except OSError as error:
            click.echo(f"error: {junit}: cannot write the JUnit report ({error.strerror})",
                       err=True)
            sys.exit(1)
    sys.exit(0 if run.passed else 1)


def _standard_output():
    """Standard output's binary stream, for `--trace -`; a SimulationError if there is none
    (standard output closed: `journey run … >&-`)."""
    from .run import SimulationError

    try:
        return click.get_binary_stream("stdout")
    except RuntimeError:
        raise SimulationError("standard output: cannot write the trace (it is closed)") from None


def entry() -> None:
    """The `journey` command as installed: `main`, then an exit that skips tearing the
    interpreter down. A large run leaves millions of objects (profiles, events), and freeing
    them one by one at exit would only delay the prompt; the output is flushed first."""
    try:
        main(prog_name="journey")
        ending = SystemExit(0)
    except SystemExit as leaving:
        ending = leaving  # kept until the exit: its traceback holds what the command returned
    code = ending.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # a closed pipe (`journey … | head`),
            pass  # or no stream at all, closed before the start (`>&-`: None)
    os._exit(code)


def _now() -> str:
    import datetime
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _change_lifecycle(path: str, change, needs_clean: bool) -> None:
    """Apply a lifecycle change to the workspace's lock file, or refuse it and change nothing.
    The check, the read and the write happen under the lock file's exclusive lock, so that
    commands changing it at the same time each see the others' changes."""
    from .lifecycle import LifecycleError, UnknownVersion
    from .lockfile import Lock, LockError, LockWriteError, changing, read_lock, write_lock
    from .workspace import display_name

    workspace = _load([path])
    try:
        with changing(workspace.root):
            errors = [d for d in check_workspace(workspace) if d.is_error]
            lock_broken = any(d.code in ("J701", "J702") for d in errors)
            if errors and (needs_clean or lock_broken):
                click.echo(render_all(errors, workspace.sources) + "\n")
                sys.stdout.flush()
                click.echo("error: nothing was changed: fix these errors first", err=True)
                sys.exit(1)
            lock = read_lock(workspace.root, None) or Lock()
            told = change(lock, workspace.journeys)
            write_lock(workspace.root, lock)
    except UnknownVersion as error:
        raise click.UsageError(str(error)) from None
    except (LifecycleError, LockError, LockWriteError) as error:
        click.echo(f"error: {error}; nothing was changed", err=True)
        sys.exit(1)
    click.echo(f"{told}\n(recorded in {display_name(workspace.root / 'journeys.lock')})")


_WORKSPACE = click.argument("path", metavar="WORKSPACE")
_NAME = click.argument("name")
_VERSION = click.option("--version", "version", type=click.IntRange(1), metavar="N",
                        help="the version (default: see above)")
_AT = click.option("--at", type=_Instant(), metavar="DATETIME",
                   help="the time to record (default: now)")


@main.command()
@_WORKSPACE
@_NAME
@_VERSION
@_AT
def publish(path, name, version, at) -> None:
    """Publish version N of journey NAME (default: the latest): it goes live, and the version
    that was live is closed (profiles in it finish there).

    Refused, with nothing changed, when the workspace has errors or a rule forbids it: only the
    latest version can be published, and only once.

    \b
    Example:
      journey publish examples/versions "Loyalty" --version 2
    """
    from . import lifecycle
    moment = _format_instant(at) if at is not None else _now()
    _change_lifecycle(path, lambda lock, journeys: lifecycle.publish(
        lock, journeys, name, version, moment), needs_clean=True)


@main.command()
@_WORKSPACE
@_NAME
@_VERSION
@_AT
def stop(path, name, version, at) -> None:
    """Stop version N of journey NAME (default: the live one): every profile in it leaves at
    once and it takes no new entries. No earlier version reopens.

    \b
    Example:
      journey stop examples/versions "Loyalty"
    """
    from . import lifecycle
    moment = _format_instant(at) if at is not None else _now()
    _change_lifecycle(path, lambda lock, journeys: lifecycle.stop(
        lock, journeys, name, version, moment), needs_clean=False)


@main.command()
@_WORKSPACE
@_NAME
@_VERSION
def close(path, name, version) -> None:
    """Close version N of journey NAME (default: the live one) to new entries; the profiles in
    it finish there.

    \b
    Example:
      journey close examples/versions "Loyalty"
    """
    from . import lifecycle
    _change_lifecycle(path, lambda lock, journeys: lifecycle.close(lock, journeys, name, version),
                      needs_clean=False)


@main.command()
@_WORKSPACE
@click.argument("name", required=False)
@click.option("--format", "output", type=FORMATS, default="text", show_default=True,
              help="text for people, json for tools")
def versions(path, name, output) -> None:
    """List the versions of every journey (or of NAME) and their status: draft, live, closed,
    stopped; a published version whose logic changed since is flagged.

    \b
    Example:
      journey versions examples/versions
    """
    import json

    from rich.console import Console
    from rich.table import Table

    from .lifecycle import UnknownVersion, version_rows
    from .lockfile import Lock, LockError, read_lock

    workspace = _load([path])
    try:
        rows = version_rows(read_lock(workspace.root, None) or Lock(), workspace.journeys, name)
    except UnknownVersion as error:
        raise click.UsageError(str(error)) from None
    except LockError as error:
        click.echo(render_all([error.diagnostic], {error.source.name: error.source}))
        sys.exit(1)
    if output == "json":
        click.echo(json.dumps([row.to_json() for row in rows], indent=2, ensure_ascii=False))
        return
    table = Table(show_edge=False, header_style="bold")
    for column in ("journey", "version", "status", "published", "defined at"):
        table.add_column(column, no_wrap=column != "journey")
    styles = {"live": "bold green", "draft": "yellow", "stopped": "red", "closed": "dim"}
    for row in rows:
        status = row.status + (" (changed since publishing!)" if row.changed else "")
        table.add_row(row.journey, str(row.version), f"[{styles.get(row.status, '')}]{status}",
                      row.published or "—", row.where or "missing from the workspace")
    Console(highlight=False).print(table)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--check", is_flag=True,
              help="write nothing: list the files that would change, and exit 1 if any would")
@click.option("--diff", is_flag=True, help="write nothing: print the changes as a unified diff")
def fmt(paths: tuple[str, ...], check: bool, diff: bool) -> None:
    """Rewrite the journeys under PATH (files or directories) in the canonical layout.

    Comments and the logic of every version are kept (docs/formatting.md). A file with
    syntax errors is left as it is, and its errors are shown. Exits 0 when all is well, 1 when
    a file has errors or, with --check, when a file would change.

    \b
    Examples:
      journey fmt examples/
      journey fmt --check examples/
      journey fmt --diff welcome.journey
    """
    from .formatter import format_files, summary

    try:
        files = format_files(paths)
    except WorkspaceError as error:
        raise click.UsageError(str(error)) from None
    for file in files:
        if file.formatted is None:
            if file.diagnostics:
                click.echo(render_all(file.diagnostics, {file.name: file.source}) + "\n",
                           err=True)
            click.echo(f"error: {file.problem or file.name + ' has errors'}: it is left as it "
                       "is", err=True)
        elif file.changed and diff:
            click.echo(file.diff(), nl=False)
        elif file.changed and check:
            click.echo(file.name)
        elif file.changed:
            file.write()
            click.echo(f"reformatted {file.name}", err=True)
    click.echo(summary(files, check or diff), err=True)
    refused = any(file.formatted is None for file in files)
    sys.exit(1 if refused or (check and any(file.changed for file in files)) else 0)


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False), metavar="FILE")
@click.option("--format", "output", type=click.Choice(["terminal", "html"]), default="terminal",
              show_default=True, help="colours for a terminal, or a standalone HTML page")
def highlight(path, output) -> None:
    """Print a journey file highlighted, for a terminal or as an HTML page.

    \b
    Examples:
      journey highlight examples/welcome/welcome.journey
      journey highlight examples/cart/cart.journey --format html > cart.html
    """
    from .highlight import highlight_text
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        click.echo(f"error: {path}: not UTF-8 text", err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"error: {path}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(highlight_text(text, output), nl=False, color=True)


@main.command()
def lsp() -> None:
    """Serve the language server over stdin and stdout, for editors.

    Needs the `lsp` extra: pip install "journeylang[lsp]". See docs/lsp.md.

    \b
    Examples:
      journey lsp
    """
    try:
        from .lsp.server import serve
    except ImportError as error:
        if (error.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        missing = error.name.split(".")[0]
        click.echo(f"error: journey lsp needs {missing}, which is not installed; install it "
                   'with: pip install "journeylang[lsp]"', err=True)
        sys.exit(2)
    serve()


def _format_instant(seconds: int) -> str:
    from .core.instants import format_instant
    return format_instant(seconds)


class _progress_bar:
    """A progress bar on stderr while events are replayed, only when stderr is a terminal."""

    def __init__(self, console):
        self.console = console
        self.progress = None

    def __enter__(self):
        if not self.console.is_terminal:
            return None
        from rich.progress import Progress
        self.progress = Progress(console=self.console, transient=True)
        self.progress.start()
        task = self.progress.add_task("simulating", total=None)

        def advance(done, total):
            self.progress.update(task, completed=done, total=total)
        return advance

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()
        return False
