"""The VS Code TextMate grammar, tested with vscode-tmgrammar-test (pinned in
editors/vscode/package-lock.json and installed here with `npm ci` when missing)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from ..conftest import ROOT

VSCODE = ROOT / "editors" / "vscode"


@pytest.fixture(scope="session")
def tmgrammar_test():
    """The test runner, installed from the lock file the first time."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("node and npm are needed to test the VS Code grammar")
    runner = VSCODE / "node_modules" / ".bin" / "vscode-tmgrammar-test"
    if not runner.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=VSCODE, check=True,
                       capture_output=True)
    return runner


def test_scope_assertions_hold(tmgrammar_test):
    result = subprocess.run([str(tmgrammar_test), "-g", "syntaxes/journey.tmLanguage.json",
                             "tests/*.journey"], cwd=VSCODE, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "run successfuly" in result.stdout  # (sic) the runner's wording


def test_a_wrong_assertion_fails(tmgrammar_test, tmp_path):
    """The runner really checks: a keyword asserted where a name is fails."""
    case = tmp_path / "wrong.journey"
    case.write_text('# SYNTAX TEST "source.journey"\nlet waiting = 1\n'
                    "#   ^^^^^^^ keyword.control.journey\n")
    result = subprocess.run([str(tmgrammar_test), "-g",
                             str(VSCODE / "syntaxes" / "journey.tmLanguage.json"), str(case)],
                            capture_output=True, text=True)
    assert result.returncode != 0


def test_the_extension_manifest_names_the_grammar_and_configuration():
    manifest = json.loads((VSCODE / "package.json").read_text())
    language, = manifest["contributes"]["languages"]
    grammar, = manifest["contributes"]["grammars"]
    assert language["extensions"] == [".journey"]
    assert (VSCODE / language["configuration"]).is_file()
    assert (VSCODE / grammar["path"]).is_file() and grammar["scopeName"] == "source.journey"
    configuration = json.loads((VSCODE / "language-configuration.json").read_text())
    assert configuration["comments"]["lineComment"] == "#"
    assert {"open": '"', "close": '"', "notIn": ["string", "comment"]} in \
        configuration["autoClosingPairs"]
