"""benchmarks/lsp.py runs: its generated workspace passes `journey check`, and it times the
real server (a few rounds here; the figures are the script's, not a test's)."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from journeylang.cli import main

from ..conftest import ROOT


def test_the_language_server_benchmark_runs_on_a_clean_workspace(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "lsp.py"),
                             "--lines", "400", "--rounds", "3", "--keep", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "didChange → publishDiagnostics" in result.stdout and "completion" in result.stdout
    checked = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert checked.exit_code == 0, checked.output
    assert "no problems found" in checked.output
