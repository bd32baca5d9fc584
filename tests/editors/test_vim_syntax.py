"""The Vim files, driven headlessly: `vim -Es` loads editors/vim, opens a sample, and writes the
syntax group of every run of text; the result is compared with a golden file, and a few facts
are asserted outright. Regenerate the golden file with `JOURNEY_UPDATE_GOLDEN=1`."""

from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

from ..conftest import ROOT, assert_golden

HERE = pathlib.Path(__file__).parent / "vim"
SAMPLE = HERE / "sample.journey"


@pytest.fixture(scope="module")
def vim_view(tmp_path_factory):
    """(runs of syntax groups, [filetype, commentstring]) of the sample, as Vim sees them."""
    vim = shutil.which("vim")
    if vim is None:
        pytest.skip("vim is needed (.ci/run installs it)")
    out = tmp_path_factory.mktemp("vim")
    groups, meta = out / "groups.txt", out / "meta.txt"
    subprocess.run(
        [vim, "-Es", "-u", "NONE", "-N", "-i", "NONE",
         "--cmd", f"set rtp^={ROOT / 'editors' / 'vim'}",
         "-c", "filetype plugin on", "-c", "syntax on",
         "-c", f"let g:out = '{groups}'",
         "-c", f"edit {SAMPLE}",
         "-c", f"source {HERE / 'groups.vim'}",
         "-c", f"call writefile([&filetype, &commentstring], '{meta}')",
         "-c", "qa!"],
        check=True, capture_output=True, timeout=60)
    return groups.read_text(), meta.read_text().splitlines()


def test_filetype_and_comment_string(vim_view):
    assert vim_view[1] == ["journey", "# %s"]


def test_groups_match_the_golden_file(vim_view):
    assert_golden(HERE / "sample.groups", vim_view[0])


def group_of(view: str, line: int, text: str) -> str:
    for row in view.splitlines():
        where, group, piece = row.split(" ", 2)
        if int(where.split(":")[0]) == line and piece == text:
            return group
    raise AssertionError(f"no run {text!r} on line {line}")


def test_keywords_inside_names_and_after_dots_are_not_keywords(vim_view):
    view = vim_view[0]
    lines = SAMPLE.read_text().splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "let waiting" in text)
    assert group_of(view, line, "let") == "journeyKeyword"
    assert group_of(view, line + 1, "emails") == "-"
    assert group_of(view, line, "wait") == "journeyAttribute"
    assert group_of(view, line, "event") == "journeyPathRoot"
