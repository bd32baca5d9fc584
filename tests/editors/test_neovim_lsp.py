"""Neovim's built-in LSP client with the set-up of docs/lsp.md (`require("journeylang").setup()`
from editors/vim/lua): a headless nvim opens a journey, attaches `journey lsp`, and shows its
diagnostics. Skipped where nvim is not installed (.ci/run installs it)."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from ..conftest import ROOT

ATTACH = pathlib.Path(__file__).parent / "nvim" / "attach.lua"

pytest.importorskip("pygls")


@pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim (Debian `neovim`) is not installed")
def test_neovim_attaches_the_server_and_shows_its_diagnostics(tmp_path):
    journey = tmp_path / "workspace" / "typo.journey"
    journey.parent.mkdir()
    journey.write_text('journey "T" {\n    on event signup\n    if lowr(profile.tier) == "x" {\n'
                       '        exit\n    }\n}\n')
    output = tmp_path / "seen.json"
    bin_dir = pathlib.Path(sys.executable).parent  # where `journey` is installed
    environment = {**os.environ, "JOURNEY_FILE": str(journey), "JOURNEY_OUTPUT": str(output),
                   "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                   "XDG_CONFIG_HOME": str(tmp_path / "config"),
                   "XDG_DATA_HOME": str(tmp_path / "data"),
                   "XDG_STATE_HOME": str(tmp_path / "state"),
                   "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run(
        ["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-n",
         "--cmd", f"set runtimepath^={ROOT / 'editors' / 'vim'}", "-c", f"luafile {ATTACH}"],
        env=environment, capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL)
    assert output.exists(), result.stdout + result.stderr
    seen = json.loads(output.read_text())
    assert seen["filetype"] == "journey"
    assert seen["clients"] == ["journey"]
    diagnostic, = seen["diagnostics"]
    assert diagnostic["code"] == "J203" and diagnostic["line"] == 2
    assert "did you mean `lower`" in diagnostic["message"]
