"""The VS Code extension's language client: packaged with vsce (pinned in
editors/vscode/package-lock.json, installed with `npm ci` when missing), then activated in
plain Node with a stub of `vscode`: it starts a client whose server is `journey lsp`."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import zipfile

import pytest

from ..conftest import ROOT

VSCODE = ROOT / "editors" / "vscode"
ACTIVATE = pathlib.Path(__file__).parent / "vscode" / "activate.js"


@pytest.fixture(scope="session")
def vsce():
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("node and npm are needed to package the VS Code extension")
    runner = VSCODE / "node_modules" / ".bin" / "vsce"
    if not runner.exists() or not (VSCODE / "node_modules" / "vscode-languageclient").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=VSCODE, check=True,
                       capture_output=True)
    return runner


@pytest.fixture(scope="session")
def packaged(vsce, tmp_path_factory):
    """The extension as `vsce package` makes it, and unpacked."""
    where = tmp_path_factory.mktemp("vsix")
    vsix = where / "journeylang.vsix"
    result = subprocess.run([str(vsce), "package", "--out", str(vsix),
                             "--allow-missing-repository", "--skip-license"],
                            cwd=VSCODE, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(vsix) as archive:
        names = archive.namelist()
        archive.extractall(where / "unpacked")
    return names, where / "unpacked" / "extension"


def test_the_package_holds_the_client_and_its_library_but_no_tests_or_tools(packaged):
    names, _ = packaged
    assert {"extension/extension.js", "extension/package.json",
            "extension/syntaxes/journey.tmLanguage.json",
            "extension/node_modules/vscode-languageclient/package.json"} <= set(names)
    assert not [name for name in names if name.startswith("extension/tests/")
                or "vscode-tmgrammar-test" in name or "/@vscode/vsce" in name]


def test_activating_the_extension_starts_journey_lsp(packaged):
    _, extension = packaged
    result = subprocess.run(["node", str(ACTIVATE), str(extension)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    client, = seen["clients"]
    assert client["serverOptions"] == {"command": "journey", "args": ["lsp"]}
    assert {"scheme": "file", "language": "journey"} in client["clientOptions"]["documentSelector"]
    assert client["started"] and client["stopped"]  # started on activation, stopped after
    assert seen["languageclient"].startswith("node_modules/vscode-languageclient/")


def test_the_manifest_activates_on_journey_files():
    manifest = json.loads((VSCODE / "package.json").read_text())
    assert manifest["main"] == "./extension.js" and (VSCODE / manifest["main"]).is_file()
    assert manifest["activationEvents"] == ["onLanguage:journey"]
    assert "vscode-languageclient" in manifest["dependencies"]
    assert "@vscode/vsce" in manifest["devDependencies"]
    setting = manifest["contributes"]["configuration"]["properties"]["journeylang.server.path"]
    assert setting["default"] == "journey"
