"""The VS Code extension as it is shipped: packaged with vsce (pinned in
editors/vscode/package-lock.json with esbuild, installed with `npm ci` when missing) without a
warning, its client bundled into dist/extension.js; then activated in plain Node against a
stand-in for the `vscode` API, where the bundled client starts the real `journey lsp`."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import zipfile

import pytest

from ..conftest import ROOT

VSCODE = ROOT / "editors" / "vscode"
ACTIVATE = pathlib.Path(__file__).parent / "vscode" / "activate.js"
TOOLS = VSCODE / "node_modules" / ".bin"


@pytest.fixture(scope="session")
def vsce():
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("node and npm are needed to package the VS Code extension")
    if not all((TOOLS / tool).exists() for tool in ("vsce", "esbuild")) \
            or not (VSCODE / "node_modules" / "vscode-languageclient").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=VSCODE, check=True,
                       capture_output=True)
    return TOOLS / "vsce"


@pytest.fixture(scope="session")
def packaged(vsce, tmp_path_factory):
    """The extension as `vsce package` makes it (its prepublish step bundles the client):
    what vsce printed, the package's file names, and the package unpacked."""
    where = tmp_path_factory.mktemp("vsix")
    vsix = where / "journeylang.vsix"
    result = subprocess.run([str(vsce), "package", "--out", str(vsix)], cwd=VSCODE,
                            capture_output=True, text=True, timeout=300)
    printed = result.stdout + result.stderr
    assert result.returncode == 0, printed
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        archive.extractall(where / "unpacked")
    return printed, names, where / "unpacked" / "extension"


def test_packaging_prints_no_warning(packaged):
    printed, _, _ = packaged
    assert "DONE" in printed and "Packaged:" in printed
    assert "warning" not in printed.lower(), printed


def test_the_package_holds_the_bundle_the_grammar_and_the_license_and_nothing_else(packaged):
    _, names, extension = packaged
    assert {"extension/dist/extension.js", "extension/package.json",
            "extension/syntaxes/journey.tmLanguage.json",
            "extension/language-configuration.json", "extension/LICENSE.txt"} <= names
    assert not [name for name in names if "node_modules/" in name
                or name.startswith(("extension/tests/", "extension/extension.js"))]
    assert (extension / "LICENSE.txt").read_text() == (ROOT / "LICENSE").read_text()
    assert (VSCODE / "LICENSE").read_text() == (ROOT / "LICENSE").read_text()


def test_activating_the_bundled_extension_starts_journey_lsp(packaged):
    """The client inside the bundle spawns `journey lsp` (the one next to this Python, first
    on the PATH), initializes it, and shuts it down when the extension is deactivated."""
    _, _, extension = packaged
    environment = {**os.environ,
                   "PATH": os.pathsep.join((str(pathlib.Path(sys.executable).parent),
                                            os.environ.get("PATH", "")))}
    result = subprocess.run(["node", str(ACTIVATE), str(extension)], capture_output=True,
                            text=True, timeout=60, env=environment)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["main"] == "./dist/extension.js"
    assert seen["spawned"] == [{"command": "journey", "args": ["lsp"]}]
    assert seen["sent"][:2] == ["initialize", "initialized"]
    assert seen["sent"][-2:] == ["shutdown", "exit"]
    assert seen["capabilities"], "the server did not answer initialize"
    assert seen["started"] and seen["stopped"] and seen["exit"] == 0
    assert seen["errors"] == []


def test_the_manifest_bundles_the_client_and_activates_on_journey_files():
    manifest = json.loads((VSCODE / "package.json").read_text())
    assert manifest["main"] == "./dist/extension.js"
    assert manifest["scripts"]["vscode:prepublish"] == "npm run build"
    assert "--outfile=dist/extension.js" in manifest["scripts"]["build"]
    assert manifest["repository"]["url"].startswith("https://github.com/")
    assert manifest["activationEvents"] == ["onLanguage:journey"]
    assert "vscode-languageclient" in manifest["dependencies"]
    assert {"@vscode/vsce", "esbuild"} <= set(manifest["devDependencies"])
    setting = manifest["contributes"]["configuration"]["properties"]["journeylang.server.path"]
    assert setting["default"] == "journey"
