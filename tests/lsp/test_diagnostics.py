"""Diagnostics as the file opens and changes, for its whole workspace (other files, the lock
file), each with its code and the link to its entry in docs/diagnostics.md."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from lsprotocol import types

from journeylang.checker import RULES
from journeylang.lsp.diagnostics import DOCS

from .conftest import (WORKSPACE, change_document, close_document, open_document, position,
                       settle, uri)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture
def workspace(tmp_path):
    copy = tmp_path / "workspace"
    shutil.copytree(WORKSPACE, copy)
    return copy


async def test_a_clean_workspace_has_no_diagnostics(client):
    document = await open_document(client, WORKSPACE / "welcome.journey")
    assert list(client.diagnostics[document]) == []
    assert list(client.diagnostics[uri(WORKSPACE / "gold.journey")]) == []
    await close_document(client, document)


async def test_a_change_is_checked_with_its_code_and_link(client, workspace):
    path = workspace / "welcome.journey"
    document = await open_document(client, path)
    assert list(client.diagnostics[document]) == []
    text = path.read_text().replace("primary tips", "primary tipz")
    await change_document(client, document, text, 2)
    shown, = client.diagnostics[document]
    assert shown.code == "J408" and shown.severity == types.DiagnosticSeverity.Error
    assert "did you mean `tips`" in shown.message
    assert shown.code_description.href == f"{DOCS}#j408"
    assert shown.source == "journey"
    assert shown.range == types.Range(start=position(text, "tipz"),
                                      end=position(text, "tipz", after=4))
    await change_document(client, document, path.read_text(), 3)
    assert list(client.diagnostics[document]) == []
    await close_document(client, document)


async def test_typing_publishes_once_the_changes_pause(client, workspace):
    """Changes in quick succession are checked once they pause, without any request."""
    path = workspace / "welcome.journey"
    document = await open_document(client, path)
    text = path.read_text()
    for version, typed in enumerate(("primary t", "primary ti", "primary tix"), start=2):
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=document, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(
                text=text.replace("primary tips", typed))]))
    published = await asyncio.wait_for(
        client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 10)
    assert published.uri in {document, uri(workspace / "gold.journey"),
                             uri(workspace / "schema.journey")}
    await settle(client, document)
    shown, = client.diagnostics[document]
    assert "`tix`" in shown.message
    await close_document(client, document)


async def test_columns_are_counted_in_utf16_as_the_client_expects(client, tmp_path):
    """An emoji is two UTF-16 code units: what follows it on the line is underlined there."""
    text = 'journey "J" {\n    on event signup\n    send email "😀" with { n: lowr(1) }\n}\n'
    document = await open_document(client, tmp_path / "u.journey", text)
    shown, = client.diagnostics[document]
    column = text.split("\n")[2].index("lowr") + 1  # one more unit for the emoji
    assert shown.range.start == types.Position(line=2, character=column)
    assert shown.range.end == types.Position(line=2, character=column + 4)
    await close_document(client, document)


async def test_an_incremental_change_is_applied_where_it_is_made(client, workspace):
    """Editors send only the range that changed (the server asks for incremental sync)."""
    path = workspace / "welcome.journey"
    text = path.read_text()
    document = await open_document(client, path)
    start = position(text, "primary tips", len("primary "))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=document, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=start, end=types.Position(line=start.line,
                                                              character=start.character + 4)),
            text="tops")]))
    await settle(client, document)
    shown, = client.diagnostics[document]
    assert shown.code == "J408" and "`tops`" in shown.message
    await close_document(client, document)


async def test_cross_file_rules_see_the_unsaved_buffers(client, workspace):
    """An audience renamed in one buffer, not saved: the journey of another file that reads it
    is reported, in that file; the file on disk is not what counts."""
    schema = workspace / "schema.journey"
    document = await open_document(client, schema)
    await change_document(client, document, schema.read_text().replace(
        '"gold members"', '"vip members"'), 2)
    shown, = client.diagnostics[uri(workspace / "gold.journey")]
    assert shown.code == "J201"
    await close_document(client, document)  # the file on disk takes over again
    assert list(client.diagnostics[uri(workspace / "gold.journey")]) == []


async def test_lock_file_rules_are_reported(client, workspace):
    """Changing the logic of a published version breaks a lock-file rule (J604)."""
    path = workspace / "gold.journey"
    document = await open_document(client, path)
    await change_document(client, document, path.read_text().replace('"gold"', '"platinum"'), 2)
    codes = {d.code for d in client.diagnostics[document]}
    assert codes & {rule.code for rule in RULES if rule.name == "published-version-changed"}
    await close_document(client, document)


async def test_a_broken_lock_file_is_reported_on_the_lock_file(client, workspace):
    (workspace / "journeys.lock").write_text("{ not json")
    document = await open_document(client, workspace / "gold.journey")
    shown, = client.diagnostics[uri(workspace / "journeys.lock")]
    assert shown.code == "J701"
    await close_document(client, document)


async def test_a_lock_file_changed_on_disk_is_checked_again(client, workspace):
    """`journey publish` writes the lock file behind the editor's back: the client's file
    watcher says so, and the workspace is checked again."""
    document = await open_document(client, workspace / "gold.journey")
    lock = workspace / "journeys.lock"
    assert list(client.diagnostics.get(uri(lock), [])) == []
    lock.write_text("{ not json")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(lock), type=types.FileChangeType.Changed)]))
    await settle(client, document)
    shown, = client.diagnostics[uri(lock)]
    assert shown.code == "J701"
    await close_document(client, document)


async def test_a_syntax_error_is_a_diagnostic_and_the_server_goes_on(client, workspace):
    path = workspace / "welcome.journey"
    document = await open_document(client, path, "journey \"W\" {\n    on event signup\n"
                                   "    if profile.tier = \"gold\" { send email \"x\" }\n}\n")
    shown, = client.diagnostics[document]
    assert shown.code == "J100" and shown.code_description.href.endswith("#j100")
    await change_document(client, document, "journey {{{ \x00 ]]]", 2)
    assert [d.code for d in client.diagnostics[document]]
    await change_document(client, document, path.read_text(), 3)
    assert list(client.diagnostics[document]) == []
    await close_document(client, document)


async def test_every_declaration_reports_its_syntax_error(client, workspace):
    path = workspace / "welcome.journey"
    document = await open_document(client, path, (
        'journey "A" {\n    on event signup\n    send emial "x"\n}\n\n'
        'journey "B" {\n    on event signup\n    wait 3 days\n}\n'))
    shown = client.diagnostics[document]
    assert [(d.code, d.range.start.line) for d in shown] == [("J100", 2), ("J100", 7)]
    await change_document(client, document, path.read_text(), 2)
    assert list(client.diagnostics[document]) == []
    await close_document(client, document)
