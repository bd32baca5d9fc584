"""`journey lsp` as a command: without pygls it says how to install it (exit 2)."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from journeylang.cli import main

_WITHOUT = ("import sys; sys.modules[{name!r}] = None; sys.argv = ['journey', 'lsp']; "
            "from journeylang.cli import entry; entry()")


def test_without_pygls_it_says_how_to_install_it():
    for missing in ("pygls", "lsprotocol"):
        result = subprocess.run([sys.executable, "-c", _WITHOUT.format(name=missing)],
                                capture_output=True, text=True, timeout=60,
                                stdin=subprocess.DEVNULL)
        assert result.returncode == 2, result.stderr
        assert 'pip install "journeylang[lsp]"' in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_the_command_is_listed_with_its_help():
    result = CliRunner().invoke(main, ["lsp", "--help"], prog_name="journey")
    assert result.exit_code == 0 and "language server" in result.output
    assert "language server" in CliRunner().invoke(main, ["--help"]).output.lower()
