"""`journey test` over the shipped examples and over copies of them: every test passes, a
changed expectation fails at its line, the pool gives what one process gives, and tests change
nothing in `journey run`."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

import journeylang
from journeylang import nodes as n
from journeylang.cli import main
from journeylang.parser import parse
from journeylang.testing import render_text, run_tests

from ..conftest import EXAMPLES, ROOT


def journey(*words: str):
    return CliRunner().invoke(main, list(words), prog_name="journey")


def test_every_example_has_a_test():
    for example in sorted(path for path in EXAMPLES.iterdir() if path.is_dir()):
        tests = [test for file in example.glob("*.journey")
                 for test in parse(file.read_text(), file.name).tests]
        assert tests, f"{example.name} has no test"


def test_the_examples_pass_with_a_line_per_test_and_a_summary(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = journey("test", "examples")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    count = sum(len(parse(p.read_text(), p.name).tests) for p in EXAMPLES.rglob("*.journey"))
    assert sum(line.startswith("ok  ") for line in lines) == count
    assert lines[-1] == f"{count} tests: {count} passed, 0 failed"


def test_a_changed_expectation_fails_at_its_line(tmp_path, monkeypatch):
    copy = tmp_path / "welcome"
    shutil.copytree(EXAMPLES / "welcome", copy)
    tests = copy / "welcome.test.journey"
    text = tests.read_text()
    line = text[:text.index('expect "p2" gets email "welcome"')].count("\n") + 1
    tests.write_text(text.replace('expect "p2" gets email "welcome"',
                                  'expect "p2" gets email "gold_welcome"'))
    monkeypatch.chdir(tmp_path)
    result = journey("test", "welcome")
    assert result.exit_code == 1
    assert (f"welcome/welcome.test.journey:{line}:5: failed: p2 got email \"welcome\" at "
            '2026-03-01T10:00:00Z, not "gold_welcome"') in result.output
    assert result.output.splitlines()[-1] == "5 tests: 4 passed, 1 failed"


def test_the_pool_gives_what_one_process_gives(monkeypatch):
    monkeypatch.chdir(ROOT)
    alone = run_tests(["examples"], jobs=1)
    pooled = run_tests(["examples"], jobs=2)
    assert len(alone.results) >= 8  # enough for the pool
    assert render_text(pooled) == render_text(alone)
    assert pooled.results == alone.results


def test_a_file_given_runs_its_tests_against_its_directory(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = journey("test", "examples/versions/versions.test.journey", "-k", "stop*")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("ok    examples/versions/versions.test.journey:")
    assert "1 test: 1 passed" in result.output


def test_tests_change_nothing_in_a_run(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    shutil.copytree(EXAMPLES / "welcome", tmp_path / "welcome")
    (tmp_path / "welcome" / "welcome.test.journey").unlink()
    with_tests = journey("run", "examples/welcome", "--format", "json", "--seed", "5")
    monkeypatch.chdir(tmp_path)
    without = journey("run", "welcome", "--format", "json", "--seed", "5")
    assert with_tests.exit_code == without.exit_code == 0
    assert with_tests.output.replace("examples/welcome/", "welcome/") == without.output


def test_a_missing_path_is_a_usage_error():
    assert journey("test", "no/such/place").exit_code == 2


def test_the_api_runs_tests(monkeypatch):
    monkeypatch.chdir(ROOT)
    run = journeylang.run_tests(["examples/offer"], pattern="fortnight")
    assert run.passed and [r.name for r in run.results] == ["an offer is shown at most once a fortnight"]


def test_a_test_sees_no_journey_outside_its_directory(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "a.journey").write_text(
        'journey "A" {\n    on event signup\n    send email "a"\n}\n'
        'test "only A" {\n    profile "p1"\n    event signup for "p1" at 2026-03-01T00:00Z\n'
        '    expect sent email == 1\n}\n')
    (tmp_path / "b.journey").write_text(
        'journey "B" {\n    on event signup\n    send email "b"\n}\n')
    monkeypatch.chdir(tmp_path)
    result = journey("test", ".")
    assert result.exit_code == 0, result.output
    assert isinstance(parse((tmp_path / "a" / "a.journey").read_text()).tests[0], n.TestDecl)
