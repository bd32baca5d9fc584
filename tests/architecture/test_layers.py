"""The package's layering is a test: import-linter's contracts in pyproject.toml must hold."""

from __future__ import annotations

import subprocess
import sys

from ..conftest import ROOT


def test_import_contracts_are_kept():
    lint = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
            " sys.exit(lint_imports_command())", "--config", str(ROOT / "pyproject.toml")]
    done = subprocess.run(lint, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_runtime_module_is_long():
    """Each runtime module is one concept a newcomer finds by name, and stays short."""
    runtime = ROOT / "src" / "journeylang" / "runtime"
    lengths = {path.name: len(path.read_text(encoding="utf-8").splitlines())
               for path in runtime.glob("*.py")}
    assert max(lengths.values()) <= 300, lengths
