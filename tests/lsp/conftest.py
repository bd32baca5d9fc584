"""The language server under test: `journey lsp` started as an editor starts it, driven over
stdio by pytest-lsp's client; helpers to open documents and wait for what they publish."""

from __future__ import annotations

import pathlib
import sys

import pytest

pytest.importorskip("pytest_lsp")

import pytest_lsp  # noqa: E402
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

WORKSPACE = pathlib.Path(__file__).parent / "workspace"


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(
    server_command=[sys.executable, "-m", "journeylang", "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        root_uri=WORKSPACE.as_uri()))
    yield
    await lsp_client.shutdown_session()


def uri(path: pathlib.Path) -> str:
    return path.absolute().as_uri()


async def settle(client: LanguageClient, document: str) -> None:
    """Wait until the server has handled everything sent so far: it answers in order, so once
    this request is answered, the diagnostics published before it have arrived."""
    await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=document)))


async def open_document(client: LanguageClient, path: pathlib.Path, text: str | None = None,
                        version: int = 1) -> str:
    document = uri(path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(
            uri=document, language_id="journey", version=version,
            text=path.read_text(encoding="utf-8") if text is None else text)))
    await settle(client, document)
    return document


async def change_document(client: LanguageClient, document: str, text: str, version: int):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=document, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    await settle(client, document)


async def close_document(client: LanguageClient, document: str) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=document)))
    await settle(client, document)


def position(text: str, marker: str, after: int = 0) -> types.Position:
    """The position of `marker` in `text` (plus `after` characters), as an editor counts it."""
    offset = text.index(marker) + after
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return types.Position(line=line, character=column)
