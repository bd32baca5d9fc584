"""A test run told: a line per test, failures at their lines, JUnit XML, and coverage."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from ..diagnostics import caret_lines
from .runner import Failure, TestRun


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _place(run: TestRun, failure: Failure) -> str:
    source = run.workspace.sources.get(failure.file)
    if source is None:
        return failure.file
    return str(source.span(failure.start, failure.end))


def summary(run: TestRun) -> str:
    failed = sum(1 for result in run.results if not result.passed)
    return (f"{_plural(len(run.results), 'test')}: {len(run.results) - failed} passed, "
            f"{failed} failed")


def render_text(run: TestRun) -> str:
    """One line per test (`ok` or `FAIL`, its place, its name); then each failure at its
    line and column with what happened instead, its source line, a caret and, when kept, the
    trace of its profile; then the summary."""
    lines = [f"{'ok  ' if result.passed else 'FAIL'}  {result.file}:{result.line}  {result.name}"
             for result in run.results]
    for result in run.results:
        if result.failures:
            lines += ["", f'test "{result.name}" failed:']
        traced: set[str] = set()
        for failure in result.failures:
            source = run.workspace.sources.get(failure.file)
            lines.append(f"{_place(run, failure)}: failed: {failure.message}")
            if source is not None:
                lines += caret_lines(source, source.span(failure.start, failure.end))
            if failure.trace and failure.profile not in traced:
                traced.add(failure.profile)
                lines.append(f"    the trace of {failure.profile}:")
                lines += [f"    {line}" for line in failure.trace]
    lines += ["", summary(run)]
    return "\n".join(lines) + "\n"


def junit_xml(run: TestRun) -> str:
    """The run as JUnit XML: a `testsuite` per file, a `testcase` per test (its file and line),
    a `failure` per failed test with every failure's place and message. No times: the same
    tests give the same file."""
    suites = ElementTree.Element("testsuites", name="journey test",
                                 tests=str(len(run.results)),
                                 failures=str(sum(not r.passed for r in run.results)),
                                 errors="0")
    files: dict[str, list] = {}
    for result in run.results:
        files.setdefault(result.file, []).append(result)
    for file, results in files.items():
        suite = ElementTree.SubElement(suites, "testsuite", name=file, tests=str(len(results)),
                                       failures=str(sum(not r.passed for r in results)),
                                       errors="0", skipped="0")
        for result in results:
            case = ElementTree.SubElement(suite, "testcase", name=result.name, classname=file,
                                          file=file, line=str(result.line))
            if result.failures:
                told = [f"{_place(run, f)}: {f.message}" for f in result.failures]
                failed = ElementTree.SubElement(case, "failure", message=told[0],
                                                type="expectation")
                failed.text = "\n".join(told)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        suites, encoding="unicode") + "\n"


def coverage(run: TestRun) -> str:
    """Per journey version, the share of its statements some test reached, and those none
    did, in source order."""
    reached = frozenset().union(*(result.reached for result in run.results))
    versions: dict[tuple[str, int], list] = {}
    for result in run.results:
        for statement in result.statements:
            listed = versions.setdefault((statement.journey, statement.version), [])
            if statement not in listed:
                listed.append(statement)
    lines = ["coverage:"]
    for (journey, version), statements in versions.items():
        missed = [s for s in statements if s.node not in reached]
        done = len(statements) - len(missed)
        share = 100 * done // len(statements) if statements else 100
        lines.append(f'  "{journey}" version {version}: {done} of '
                     f"{_plural(len(statements), 'statement')} reached ({share}%)")
        lines += [f"    not reached: {s.node}  {s.text}" for s in missed]
    return "\n".join(lines) + "\n"
