"""The fixes diagnostics carry: every "did you mean" (and `=` for `==`) comes with one, and
applying it to the cases of tests/cases/ makes that diagnostic go away."""

from __future__ import annotations

import shutil

import pytest

from journeylang.checker import check_workspace
from journeylang.workspace import load

from ..conftest import CASES

SUGGESTING = sorted(
    [case for case in (CASES / "check").iterdir()
     if case.is_dir() and "did you mean" in (case / "expected.txt").read_text()]
    + [case for case in (CASES / "syntax").glob("*.journey")
       if "write `==`" in case.with_suffix(".expected").read_text()])


def _diagnostics(path):
    return check_workspace(load([path]))


def _applied(text: str, fix) -> str:
    return text[:fix.span.start] + fix.text + text[fix.span.end:]


@pytest.mark.parametrize("case", SUGGESTING, ids=[case.name for case in SUGGESTING])
def test_a_suggestion_carries_a_fix_that_removes_its_diagnostic(case, tmp_path, monkeypatch):
    copy = tmp_path / case.name
    if case.is_dir():
        shutil.copytree(case, copy)
    else:
        copy.mkdir()
        shutil.copy(case, copy / case.name)
    monkeypatch.chdir(copy)
    suggesting = [d for d in _diagnostics(".") if "did you mean" in d.message
                  or "write `==`" in d.message]
    assert suggesting, "the case suggests nothing"
    for diagnostic in suggesting:
        fix = diagnostic.fix
        assert fix is not None, f"{diagnostic.span}: {diagnostic.message} has no fix"
        assert fix.span.file == diagnostic.span.file
        path = copy / fix.span.file
        original = path.read_text(encoding="utf-8")
        path.write_text(_applied(original, fix), encoding="utf-8")
        place = (diagnostic.code, diagnostic.span.file, diagnostic.span.line,
                 diagnostic.span.column)
        after = [(d.code, d.span.file, d.span.line, d.span.column) for d in _diagnostics(".")]
        assert place not in after, f"{fix.text!r} did not fix {diagnostic.message}"
        path.write_text(original, encoding="utf-8")


def test_a_diagnostic_without_a_near_miss_carries_no_fix(tmp_path, monkeypatch):
    (tmp_path / "j.journey").write_text(
        'journey "J" {\n    on event signup\n    send email "x" with { n: zzzzzz }\n}\n')
    monkeypatch.chdir(tmp_path)
    diagnostic, = _diagnostics(".")
    assert diagnostic.code == "J205" and "did you mean" not in diagnostic.message
    assert diagnostic.fix is None
