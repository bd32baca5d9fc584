"""docs/functions.md's table is the function library as core/functions.py holds it: each
function's signature, type rule, description and example, in the library's order."""

from __future__ import annotations

from journeylang.core.functions import library

from ..conftest import ROOT

DOC = ROOT / "docs" / "functions.md"
HEADER = "| function | type | what it gives | example |\n| --- | --- | --- | --- |\n"


def expected_table() -> str:
    rows = [f"| `{f.signature}` | `{_cell(f.rule)}` | {f.doc} | `{_cell(f.example)}` |\n"
            for f in library()]
    return HEADER + "".join(rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a `|` inside a table's cell, even in code, is escaped


def test_the_table_is_the_library():
    text = DOC.read_text(encoding="utf-8")
    start = text.index(HEADER)
    end = text.index("\n\n", start) + 1
    assert text[start:end] == expected_table(), (
        "docs/functions.md's table differs from core/functions.py; it should read:\n"
        + expected_table())


def test_every_function_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [f.signature for f in library() if f"| `{f.signature}` |" not in text]
    assert not missing, f"docs/functions.md lacks {missing}"
