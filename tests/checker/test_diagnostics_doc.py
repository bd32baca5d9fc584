"""docs/diagnostics.md documents every code the tool can report."""

from __future__ import annotations

import re

from journeylang.checker import RULES
from journeylang.diagnostics import OTHER_CODES

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


def test_the_table_of_codes_is_the_tools_list_of_codes():
    """The table at the top of docs/diagnostics.md names each code the tool knows (the rules
    and OTHER_CODES: what `--format sarif` describes) with its name and severity."""
    table = {code: (name, severity) for code, name, severity in re.findall(
        r"^\| \[(J\d+)\]\(#j\d+\) \| ([\w-]+) \| (\w+) \|", DOC, flags=re.MULTILINE)}
    known = {rule.code: (rule.name, rule.severity.value) for rule in RULES}
    known.update({code: (name, severity) for code, (name, severity, _) in OTHER_CODES.items()})
    assert table == known
