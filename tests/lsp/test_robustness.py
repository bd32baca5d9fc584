"""No input stops the server or makes a handler fail: hostile texts, every request at every
kind of place, positions past the end; the server still answers afterwards."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .conftest import WORKSPACE, change_document, close_document, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

HOSTILE = [
    "",
    "\x00\x01\x02",
    "journey",
    'journey "',
    'journey "J" {',
    "}" * 50,
    "{" * 500,
    'journey "J" { on event e\n' + "if true { " * 60 + "}" * 60 + "\n}",
    'journey "J" { on event e let x = ' + "(" * 300 + "1" + ")" * 300 + " }",
    'journey "😀" { on event 😀 send email "é😀" with { x: "{profile.😀}" } }',
    'audience "a" = profile.\nevent e { x: }\nprofile { a: { b: { c: } } }',
    'journey "J" {\n    on event e\n    join a, b primary c\n    fork {\n        branch a {\n',
    'journey "J" { on event e wait for event x where event. within 1d { let y = event.',
    "# only a comment \\ \" { } \n",
    '"\\',
    "let = = = fetch fetch",
]


async def test_hostile_texts_get_every_request_answered_without_a_failure(client, tmp_path):
    path = tmp_path / "h.journey"
    document = await open_document(client, path, "")
    identifier = types.TextDocumentIdentifier(uri=document)
    for version, text in enumerate(HOSTILE, start=2):
        await change_document(client, document, text, version)
        lines = text.split("\n")
        places = {(line, column) for line, content in enumerate(lines)
                  for column in {0, len(content) // 2, len(content)}}
        places |= {(len(lines) + 3, 0), (0, 10_000)}
        for line, column in sorted(places):
            at = types.Position(line=line, character=column)
            await client.text_document_completion_async(types.CompletionParams(
                text_document=identifier, position=at))
            await client.text_document_hover_async(types.HoverParams(
                text_document=identifier, position=at))
            await client.text_document_definition_async(types.DefinitionParams(
                text_document=identifier, position=at))
            await client.text_document_references_async(types.ReferenceParams(
                text_document=identifier, position=at,
                context=types.ReferenceContext(include_declaration=True)))
        await client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=identifier, options=types.FormattingOptions(tab_size=4,
                                                                       insert_spaces=True)))
        everything = types.Range(start=types.Position(line=0, character=0),
                                 end=types.Position(line=len(lines), character=0))
        await client.text_document_code_action_async(types.CodeActionParams(
            text_document=identifier, range=everything,
            context=types.CodeActionContext(diagnostics=[])))
    failures = [m.message for m in client.log_messages if m.type == types.MessageType.Error]
    assert failures == []
    await close_document(client, document)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=(WORKSPACE / "welcome.journey")
                                                   .absolute().as_uri())))
    assert symbols  # still serving


async def test_a_document_outside_any_file_is_checked_on_its_own(client):
    document = "untitled:Untitled-1"
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=document, language_id="journey", version=1,
                                             text='journey "U" {\n    send email "x"\n}\n')))
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=document),
        position=types.Position(line=1, character=5)))
    assert "send CHANNEL" in hover.contents.value
    assert [d.code for d in client.diagnostics[document]] == ["J401"]
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=document)))
