"""Watching a run changes nothing, for every shipped example and from the command line: the
report is the same with no observer, a trace, kept records or an `on_record` callback."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from journeylang.cli import main
from journeylang.run import simulate

from ..conftest import CASES, EXAMPLES

EXAMPLE_DIRS = sorted(path for path in EXAMPLES.iterdir() if path.is_dir())


def _report(example, **observers) -> dict:
    scenario = example / "scenario.toml"
    return simulate(example, scenario=scenario if scenario.exists() else None, **observers).report


@pytest.mark.parametrize("example", EXAMPLE_DIRS, ids=[path.name for path in EXAMPLE_DIRS])
def test_an_example_reports_the_same_whoever_watches(example):
    alone = _report(example)
    assert _report(example, trace=io.StringIO()) == alone
    assert _report(example, keep_records=True) == alone
    seen = []
    assert _report(example, on_record=seen.append) == alone
    assert seen, "every example does something"


def test_the_command_prints_the_same_report_with_a_trace(tmp_path):
    case = str(CASES / "run" / "observed-payload-error")
    runner = CliRunner()
    plain = runner.invoke(main, ["run", case, "--format", "json"])
    traced = runner.invoke(main, ["run", case, "--format", "json",
                                  "--trace", str(tmp_path / "trace.jsonl")])
    assert plain.exit_code == traced.exit_code == 0
    assert plain.stdout == traced.stdout
    report = json.loads(plain.stdout)
    assert report["journeys"][0]["versions"][0]["exits"] == {"error": 2}
    assert len((tmp_path / "trace.jsonl").read_text(encoding="utf-8").splitlines()) == 6
