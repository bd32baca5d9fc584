"""Every Python example of the documentation runs, and holds.

The convention: in docs/*.md, a fenced block opened with ```python (nothing else on the line)
is an example, and is run as a script of its own — a fresh namespace, from the repository
root (so `examples/...` paths work), with the page's line numbers (a failure points into the
page). A block is complete in itself, imports included; its `assert`s state what it shows;
it writes nothing into the checkout. A block that is not meant to run is fenced as something
else (```text, or no language); ```py and ```python3 are refused, so that no example is
skipped by a slip of the fence.
"""

from __future__ import annotations

import pathlib
import re

import pytest

from ..conftest import ROOT

DOCS = ROOT / "docs"
_FENCE = re.compile(r"^```(\S*)\s*$")
_NOT_RUN_BY_MISTAKE = {"py", "python3", "pycon"}


def fenced_blocks(page: pathlib.Path) -> list[tuple[str, int, str]]:
    """Each fenced block of a page as (info string, line of its first code line, code)."""
    blocks, info, first, lines = [], None, 0, []
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        fence = _FENCE.match(line)
        if info is None:
            if fence:
                info, first, lines = fence[1], number + 1, []
        elif fence and not fence[1]:
            blocks.append((info, first, "\n".join(lines) + "\n"))
            info = None
        else:
            lines.append(line)
    return blocks


EXAMPLES = [(page, first, code) for page in sorted(DOCS.glob("*.md"))
            for info, first, code in fenced_blocks(page) if info == "python"]


def test_the_api_page_has_examples():
    assert sum(1 for page, _, _ in EXAMPLES if page.name == "api.md") >= 6


def test_no_example_is_fenced_so_that_it_would_not_run():
    slips = [f"{page.name}:{first - 1}" for page in sorted(DOCS.glob("*.md"))
             for info, first, _ in fenced_blocks(page) if info in _NOT_RUN_BY_MISTAKE]
    assert not slips, f"fence these ```python (or ```text if they must not run): {slips}"


@pytest.mark.parametrize("page, first, code", EXAMPLES,
                         ids=[f"{page.name}:{first}" for page, first, _ in EXAMPLES])
def test_doc_example(page, first, code, monkeypatch):
    monkeypatch.chdir(ROOT)
    script = compile("\n" * (first - 1) + code, str(page.relative_to(ROOT)), "exec")
    exec(script, {"__name__": "__doc_example__"})
