"""docs/diagnostics.md documents every code the tool can report."""

from __future__ import annotations

import re

from journeylang.checker import RULES

from ..conftest import CASES, ROOT

DOC = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")


def documented() -> set[str]:
    return set(re.findall(r"^### (J\d+)$", DOC, flags=re.MULTILINE))


def test_every_rule_is_documented():
    assert {rule.code for rule in RULES} <= documented()


def test_every_code_in_the_test_cases_is_documented():
    reported = set()
    for expected in [*CASES.rglob("*.expected"), *CASES.rglob("expected.txt"),
                     *CASES.rglob("expected.out")]:
        reported |= set(re.findall(r"(?:error|warning)\[(J\d+)\]", expected.read_text()))
    assert reported <= documented()
