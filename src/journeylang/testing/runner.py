"""Running tests: each a fresh seeded `run.simulate`, in a process pool when there are many."""

from __future__ import annotations

import concurrent.futures
import fnmatch
import json
import multiprocessing
import os
import pathlib
import posixpath
from typing import Iterable

import attrs

from .. import nodes as n
from ..checker import check_workspace
from ..checker.rules.tests import in_scope
from ..diagnostics import Diagnostic
from ..inputs import InputError
from ..run import SimulationError, simulate
from ..workspace import Workspace, display_name, journey_files, load
from .expectations import Outcome, failure
from .givens import inputs_of

#: From how many tests on, they run in a process pool (below it, starting one costs more).
PARALLEL_FROM = 8


class TestingError(Exception):
    """The tests cannot run: the workspace has errors (carried, with the workspace's sources),
    or it holds no test."""

    __test__ = False  # not a test class, for pytest

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None,
                 sources: dict | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or []
        self.sources = sources or {}


@attrs.frozen
class Failure:
    """An expectation that did not hold (or a run that could not start), where it is written
    (file and character offsets), what happened instead, and the trace of its profile."""

    file: str
    start: int
    end: int
    message: str
    profile: str | None = None
    trace: tuple[str, ...] = ()


@attrs.frozen
class Statement:
    journey: str
    version: int
    node: str  # file:line:col
    text: str


@attrs.frozen
class TestResult:
    """One test's result: its name and place, its failures, and the statements it reached."""

    __test__ = False  # not a test class, for pytest

    name: str
    file: str
    line: int
    failures: tuple[Failure, ...]
    reached: frozenset[str]
    statements: tuple[Statement, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


@attrs.frozen
class TestRun:
    """Every selected test's result, in the order the tests are written (files in order)."""

    __test__ = False  # not a test class, for pytest

    workspace: Workspace
    results: tuple[TestResult, ...]
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results)


def selected(workspace: Workspace, pattern: str | None,
             files: set[str] | None = None) -> list[n.TestDecl]:
    """The workspace's tests (those of `files`, when given) whose name matches `pattern` (a
    part of the name, or a glob with `*`, `?` or `[…]`; case does not matter), in file and
    source order."""
    tests = [test for name, program in workspace.programs.items()
             if files is None or name in files for test in program.tests]
    if pattern is None:
        return tests
    wanted = pattern.lower()
    if any(char in wanted for char in "*?["):
        return [test for test in tests if fnmatch.fnmatchcase(test.name.lower(), wanted)]
    return [test for test in tests if wanted in test.name.lower()]


def run_tests(paths: Iterable[str | os.PathLike] | Workspace, pattern: str | None = None,
              verbose: bool = False, jobs: int | None = None) -> TestRun:
    """Check the workspace, then run its tests (those matching `pattern`). `jobs` is the
    number of processes (default: the machine's cores, when there are PARALLEL_FROM tests or
    more). Raises TestingError when the workspace has errors or no test matches."""
    files = None
    if not isinstance(paths, Workspace):
        # a file's tests see the journeys of its directory: that directory is loaded
        named = [os.fspath(p) for p in paths]
        files = {display_name(path) for path in journey_files(named)}
        paths = list(dict.fromkeys(os.path.dirname(p) or "." if os.path.isfile(p) else p
                                   for p in named))
    workspace = paths if isinstance(paths, Workspace) else load(paths)
    diagnostics = check_workspace(workspace)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        raise TestingError(f"{len(errors)} error(s) in the workspace: no test was run",
                           diagnostics, workspace.sources)
    tests = selected(workspace, pattern, files)
    if not tests:
        raise TestingError(f"no test matches `{pattern}`" if pattern else
                           "no test in " + ", ".join(map(str, paths)) + ': write one with '
                           '`test "NAME" { … }` (docs/testing.md)')
    keys = [_key(workspace, test) for test in tests]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if isinstance(paths, Workspace) or workers < 2 or len(tests) < max(PARALLEL_FROM, 2):
        results = [run_test(workspace, test, verbose) for test in tests]
    else:
        with _pool(min(workers, len(tests)), workspace, paths) as pool:
            results = list(pool.map(_run_in_worker, keys, [verbose] * len(keys),
                                    chunksize=max(1, len(keys) // (workers * 4))))
    warnings = tuple(d for d in diagnostics if not d.is_error)
    return TestRun(workspace, tuple(results), warnings)


def _key(workspace: Workspace, test: n.TestDecl) -> tuple[str, int]:
    return test.span.file, workspace.programs[test.span.file].tests.index(test)


_worker_workspace: Workspace | None = None


def _pool(workers: int, workspace: Workspace, paths) -> concurrent.futures.ProcessPoolExecutor:
    """Processes that hold the workspace: forked from this one where the system can (they
    inherit it, parsed), else started afresh and loading it from `paths`."""
    global _worker_workspace
    if "fork" in multiprocessing.get_all_start_methods():
        _worker_workspace = workspace
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, initializer=_start_worker, initargs=(paths,))


def _start_worker(paths) -> None:
    global _worker_workspace
    _worker_workspace = load(paths)


def _run_in_worker(key: tuple[str, int], verbose: bool) -> TestResult:
    file, index = key
    return run_test(_worker_workspace, _worker_workspace.programs[file].tests[index], verbose)


def scope(workspace: Workspace, test: n.TestDecl) -> Workspace:
    """The part of the workspace a test sees: the files of its directory and below."""
    programs = {name: program for name, program in workspace.programs.items()
                if in_scope(test.span.file, name)}
    if len(programs) == len(workspace.programs):
        return workspace
    directory = posixpath.dirname(test.span.file)
    return Workspace(pathlib.Path(directory or "."),
                     {name: workspace.sources[name] for name in programs}, programs, ())


def run_test(workspace: Workspace, test: n.TestDecl, verbose: bool = False) -> TestResult:
    """Run one test: a simulation of the journeys it sees given only the test's inputs."""
    workspace = scope(workspace, test)
    inputs = inputs_of(test, workspace.journeys)
    try:
        result = simulate(workspace, profiles=inputs.profiles, events=inputs.events,
                          audiences=inputs.audiences, datasources=inputs.datasources,
                          actions=inputs.datasources,  # a fixture answers fetches and calls
                          scenario=inputs.scenario, keep_records=True)
    except SimulationError as error:
        why = str(error)
        if error.diagnostics:
            first = next(d for d in error.diagnostics if d.is_error)
            why = f"{first.span}: {first.message}"
        return _unrun(test, f"the test's run cannot start: {why}")
    except InputError as error:
        return _unrun(test, f"the test's run cannot start: {error.message}")
    statements = tuple(Statement(journey["journey"], version["version"], _node(statement),
                                 statement["source"])
                       for journey in result.report["journeys"]
                       for version in journey["versions"] for statement in version["statements"])
    reached = frozenset(_node(statement) for journey in result.report["journeys"]
                        for version in journey["versions"] for statement in version["statements"]
                        if statement["reached"])
    outcome = Outcome(result.records, result.profiles, reached, workspace)
    failures = []
    for expectation in test.expectations:
        message = failure(expectation, outcome)
        if message is not None:
            profile = getattr(expectation, "profile", None)
            failures.append(Failure(expectation.span.file, expectation.span.start,
                                    expectation.span.end, message,
                                    None if profile is None else profile.name,
                                    _trace(profile, outcome) if verbose else ()))
    return TestResult(test.name, test.span.file, test.span.line, tuple(failures), reached,
                      statements)


def _unrun(test: n.TestDecl, message: str) -> TestResult:
    return TestResult(test.name, test.span.file, test.span.line,
                      (Failure(test.span.file, test.span.start, test.span.start, message),),
                      frozenset(), ())


def _trace(profile: n.Ident | None, outcome: Outcome) -> tuple[str, ...]:
    """The run's records of the profile an expectation names, as trace lines."""
    if profile is None:
        return ()
    return tuple(json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":"))
                 for record in outcome.records if record.profile == profile.name)


def _node(statement: dict) -> str:
    """A report's statement as the trace names it: `file:line:col`."""
    return f"{statement['file']}:{statement['line']}:{statement['column']}"
