"""What the server does with what the client says at `initialize`: `diagnosticsDocs` (where
the diagnostics' links go), and a client that can watch files is asked to watch the
workspace's files."""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import close_document, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

MIRROR = "https://docs.example.test/journeylang/diagnostics.html"


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(
    server_command=[sys.executable, "-m", "journeylang", "lsp"]))
async def mirrored(lsp_client: LanguageClient):
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=True))),
        initialization_options={"diagnosticsDocs": MIRROR}))
    yield
    await lsp_client.shutdown_session()


async def test_the_links_go_where_the_client_says(mirrored, tmp_path):
    document = await open_document(mirrored, tmp_path / "m.journey",
                                   'journey "M" {\n    send email "x"\n}\n')
    shown, = mirrored.diagnostics[document]
    assert shown.code == "J401"
    assert shown.code_description.href == f"{MIRROR}#j401"
    await close_document(mirrored, document)


async def test_a_client_that_watches_files_is_asked_to_watch_the_workspaces(mirrored, tmp_path):
    await open_document(mirrored, tmp_path / "w.journey", "")  # answered after the request
    registration, = mirrored.registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    globs = {watcher["globPattern"] for watcher in registration.register_options["watchers"]}
    assert globs == {"**/*.journey", "**/journeys.lock", "**/audiences.json"}
