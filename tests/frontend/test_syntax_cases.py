"""Malformed programs under tests/cases/syntax/ and the diagnostics they must produce.

Each `NAME.journey` sits beside `NAME.expected`, the rendered diagnostics exactly as
`journey check` prints them. Regenerate with `JOURNEY_UPDATE_GOLDEN=1 pytest tests/frontend`,
then read the diff before committing it.
"""

from __future__ import annotations

import pytest

from journeylang import JourneySyntaxError, parse
from journeylang.diagnostics import render_all
from journeylang.source import Source

from ..conftest import CASES, assert_golden

SYNTAX = sorted((CASES / "syntax").glob("*.journey"))


def test_there_are_enough_cases():
    assert len(SYNTAX) >= 25


@pytest.mark.parametrize("path", SYNTAX, ids=[p.stem for p in SYNTAX])
def test_syntax_case(path):
    text = path.read_text(encoding="utf-8")
    with pytest.raises(JourneySyntaxError) as raised:
        parse(text, path.name)
    diagnostics = raised.value.diagnostics
    assert diagnostics and all(d.code.startswith("J1") for d in diagnostics)
    rendered = render_all(diagnostics, {path.name: Source(path.name, text)}) + "\n"
    assert_golden(path.with_suffix(".expected"), rendered)
