"""docs/functions.md lists every function of the library with its signature."""

from __future__ import annotations

from journeylang.core.functions import FUNCTIONS

from ..conftest import ROOT


def test_every_function_is_documented():
    doc = (ROOT / "docs" / "functions.md").read_text(encoding="utf-8")
    missing = [f.signature for f in FUNCTIONS.values() if f"| `{f.signature}` |" not in doc]
    assert not missing, f"docs/functions.md lacks {missing}"
