"""The complete example of docs/testing.md is what the tool does: its journey and its tests,
run, print the pass shown; the failure shown comes from the change the page describes."""

from __future__ import annotations

from click.testing import CliRunner

from journeylang.cli import main

from ..conftest import ROOT
from ..docs.test_doc_examples import fenced_blocks

PAGE = ROOT / "docs" / "testing.md"


def test_the_complete_example_prints_what_the_page_shows(tmp_path, monkeypatch):
    journey, tests, passed, failed = [code for _, _, code in fenced_blocks(PAGE)[:4]]
    (tmp_path / "welcome.journey").write_text(journey)
    (tmp_path / "welcome.test.journey").write_text(tests)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["test", ".", "--coverage"], prog_name="journey")
    assert (result.exit_code, result.output) == (0, passed)
    (tmp_path / "welcome.test.journey").write_text(tests.replace(
        'expect "p2" gets email "welcome"', 'expect "p2" gets email "gold_welcome"'))
    result = CliRunner().invoke(main, ["test", "."], prog_name="journey")
    assert (result.exit_code, result.output) == (1, failed)
