"""The server's initialization options: `diagnosticsDocs`, where the diagnostics' links go."""

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
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
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
