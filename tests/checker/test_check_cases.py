"""Checker cases under tests/cases/check/<case>/: a workspace and what `journey check` prints.

Each case folder is a workspace (`.journey` files, and a `journeys.lock` or `audiences.json`
where the rule needs one) with `expected.txt`: the exit code, then the diagnostics as a user
sees them. A case named `J…-name` triggers its rule; a case named `J…-ok-…` is a near miss that
must not. Regenerate with `JOURNEY_UPDATE_GOLDEN=1 pytest tests/checker`, and read every change.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from journeylang.checker import RULES
from journeylang.cli import main

from ..conftest import CASES, assert_golden

CHECK_CASES = sorted(path for path in (CASES / "check").iterdir() if path.is_dir())


def check_output(case, monkeypatch) -> str:
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["check", "."], prog_name="journey")
    return f"exit {result.exit_code}\n{result.output}"


@pytest.mark.parametrize("case", CHECK_CASES, ids=[case.name for case in CHECK_CASES])
def test_check_case(case, monkeypatch):
    assert_golden(case / "expected.txt", check_output(case, monkeypatch))


def _codes_reported(case) -> set[str]:
    return set(re.findall(r"(?:error|warning)\[(J\d+)\]", (case / "expected.txt").read_text()))


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_every_rule_has_a_trigger_and_a_near_miss(rule):
    named = [case for case in CHECK_CASES if rule.code in case.name.split("-ok")[0].split("-")]
    triggers = [case for case in named if "-ok" not in case.name]
    misses = [case for case in named if "-ok" in case.name]
    assert triggers, f"no case triggers {rule.code}"
    assert misses, f"no near-miss case for {rule.code}"
    for case in triggers:
        assert rule.code in _codes_reported(case), f"{case.name} does not report {rule.code}"
    for case in misses:
        assert rule.code not in _codes_reported(case), f"{case.name} reports {rule.code}"


def test_rules_have_distinct_codes_and_docstrings():
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    assert all(rule.doc for rule in RULES)
