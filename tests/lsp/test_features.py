"""Hover, completion, go to definition, find references, document symbols, formatting and
quick fixes, asked of the real server over stdio on the workspace of tests/lsp/workspace."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .conftest import WORKSPACE, change_document, close_document, open_document, position, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")

WELCOME = WORKSPACE / "welcome.journey"
GOLD = WORKSPACE / "gold.journey"
SCHEMA = WORKSPACE / "schema.journey"


def _document(path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri(path))


async def _hover(client, path, marker, after=0) -> str:
    text = path.read_text()
    result = await client.text_document_hover_async(types.HoverParams(
        text_document=_document(path), position=position(text, marker, after)))
    assert result is not None, f"no hover at {marker!r}"
    return result.contents.value


async def _labels(client, document, text, marker, after=None) -> list[str]:
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=document),
        position=position(text, marker, len(marker) if after is None else after)))
    return [item.label for item in result.items]


# ---- hover ------------------------------------------------------------------------------

async def test_hover_on_a_keyword_shows_its_documentation(client):
    shown = await _hover(client, WELCOME, "fork")
    assert "fork { branch NAME [when EXPR]" in shown and "parallel" in shown


async def test_hover_on_a_function_shows_the_librarys_documentation(client, tmp_path):
    from journeylang.core.functions import FUNCTIONS
    path = tmp_path / "f.journey"
    path.write_text('journey "F" {\n    on event signup\n    if lower(profile.tier) == "x" {\n'
                    '        exit\n    }\n}\n')
    document = await open_document(client, path)
    shown = await _hover(client, path, "lower")
    assert FUNCTIONS["lower"].signature in shown and FUNCTIONS["lower"].doc in shown
    await close_document(client, document)


async def test_hover_on_an_attribute_shows_its_type_from_the_schema(client):
    assert "number" in await _hover(client, WELCOME, "profile.points", len("profile.p"))
    shown = await _hover(client, WELCOME, "event.amount", len("event.a"))
    assert "number" in shown and "purchase" in shown
    assert "string" in await _hover(client, WELCOME, "event.source", len("event.s"))


async def test_hover_on_an_audience_shows_its_predicate(client):
    shown = await _hover(client, GOLD, '"gold members"', 2)
    assert 'profile.tier == "gold"' in shown


async def test_hover_on_a_journey_shows_its_versions_and_their_status(client):
    shown = await _hover(client, WELCOME, '"Welcome" version 2', 2)
    assert "version 1: **live**, published 2026-03-01T00:00:00Z" in shown
    assert "version 2: **draft**" in shown


async def test_hover_on_an_event_shows_its_schema(client):
    shown = await _hover(client, WELCOME, "purchase within", 2)
    assert "event purchase { amount: number, sku: string }" in shown


# ---- completion -------------------------------------------------------------------------

async def test_completion_offers_what_fits_where(client, tmp_path):
    path = tmp_path / "ws" / "c.journey"
    path.parent.mkdir()
    path.write_text(SCHEMA.read_text())
    (tmp_path / "ws" / "other.journey").write_text(
        'journey "Other" {\n    on event signup\n    call "crm.sync"\n}\n')
    document = await open_document(client, path)
    base = SCHEMA.read_text() + '\njourney "C" {\n    on event purchase\n'

    async def at_end(extra: str) -> list[str]:
        text = base + extra
        await change_document(client, document, text, len(text))
        return await _labels(client, document, text, text, len(text))

    assert {"journey", "profile", "event", "audience"} <= set(
        await _labels(client, document, SCHEMA.read_text() + "\nj", "\nj"))
    new_version = SCHEMA.read_text() + "\njourney "
    await change_document(client, document, new_version, 2)
    assert "Other" in await _labels(client, document, new_version, new_version, len(new_version))
    statements = await at_end("    ")
    assert {"send", "wait", "fork", "let", "timeout", "reentry"} <= set(statements)
    assert "journey" not in statements
    assert set(await at_end("    send ")) == {"email", "sms", "push", "inapp", "whatsapp"}
    assert {"id", "first_name", "tier", "points", "consent"} == set(
        await at_end("    if profile."))
    assert {"email", "sms"} == set(await at_end("    if profile.consent."))
    assert {"amount", "sku"} == set(await at_end("    if event."))
    assert {"signup", "purchase"} <= set(await at_end("    wait for event "))
    assert "gold members" in await at_end('    call "crm.sync"\n}\njourney "R" {\n'
                                          "    read audience ")
    assert "crm.sync" in await at_end("    call ")
    typed = base + '    call "crm.sync"\n}\njourney "R" {\n    read audience "gol'
    await change_document(client, document, typed, 98)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=document),
        position=position(typed, typed, len(typed))))
    item, = [item for item in result.items if item.label == "gold members"]
    end = position(typed, typed, len(typed))
    assert item.text_edit.new_text == "gold members"  # over what is typed inside the quotes
    assert item.text_edit.range == types.Range(
        start=types.Position(line=end.line, character=end.character - 3), end=end)
    assert {"until", "for event"} == set(await at_end("    wait "))
    assert {"never", "always", "after"} == set(await at_end("    reentry "))
    assert ["branch"] == await at_end("    fork {\n        ")
    assert {"signup", "purchase"} <= set(await at_end("    exit on event "))
    schema = "profile {\n    extra: "
    await change_document(client, document, schema, 99)
    assert {"string", "number", "bool", "date"} <= set(
        await _labels(client, document, schema, schema, len(schema)))
    expression = await at_end("    let total = 1\n    if ")
    assert {"total", "profile", "event", "lower", "days_between"} <= set(expression)
    await close_document(client, document)


async def test_completion_of_branches_in_a_join_and_functions_with_their_signature(client):
    text = WELCOME.read_text()
    document = await open_document(client, WELCOME)
    edited = text.replace("join tips, promo primary tips", "join ")
    await change_document(client, document, edited, 2)  # does not parse: the last good parse
    labels = await _labels(client, document, edited, "    join ")
    assert set(labels) == {"tips", "promo"}
    edited = text.replace("join tips, promo primary tips", "join tips, ")
    await change_document(client, document, edited, 3)
    assert await _labels(client, document, edited, "join tips, ") == ["promo"]
    edited = text.replace("send sms \"tip\"", "send sms \"tip\" with { x: ")
    await change_document(client, document, edited, 4)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=document),
        position=position(edited, "{ x: ", 5)))
    functions = {item.label: item for item in result.items
                 if item.kind == types.CompletionItemKind.Function}
    assert functions["days_between"].detail == "days_between(a, b)"
    variables = {item.label for item in result.items
                 if item.kind == types.CompletionItemKind.Variable}
    assert variables == {"bonus"}  # the `let` before the fork, in scope in its branches
    await close_document(client, document)


# ---- navigation -------------------------------------------------------------------------

async def _definition(client, path, marker, after=1):
    result = await client.text_document_definition_async(types.DefinitionParams(
        text_document=_document(path), position=position(path.read_text(), marker, after)))
    return [(location.uri, location.range.start.line, location.range.start.character)
            for location in result or []]


async def test_go_to_definition_across_files(client):
    schema = SCHEMA.read_text()
    at = position(schema, '"gold members" =')
    assert await _definition(client, GOLD, '"gold members"') == [
        (uri(SCHEMA), at.line, at.character)]
    at = position(schema, "purchase {")
    assert await _definition(client, WELCOME, "purchase within") == [
        (uri(SCHEMA), at.line, at.character)]
    text = WELCOME.read_text()
    at = position(text, "tips {")
    assert await _definition(client, WELCOME, "primary tips", len("primary t")) == [
        (uri(WELCOME), at.line, at.character)]
    at = position(text, "bonus =")
    assert await _definition(client, WELCOME, "bonus: bonus", len("bonus: b")) == [
        (uri(WELCOME), at.line, at.character)]
    versions = await _definition(client, WELCOME, '"Welcome" version 2')
    assert [line for _, line, _ in versions] == [0, 5]


async def test_find_references(client):
    result = await client.text_document_references_async(types.ReferenceParams(
        text_document=_document(SCHEMA), position=position(SCHEMA.read_text(), "signup {"),
        context=types.ReferenceContext(include_declaration=False)))
    assert sorted((r.uri, r.range.start.line) for r in result) == [
        (uri(WELCOME), 1), (uri(WELCOME), 6)]
    result = await client.text_document_references_async(types.ReferenceParams(
        text_document=_document(GOLD), position=position(GOLD.read_text(), '"crm.tag"', 1),
        context=types.ReferenceContext(include_declaration=True)))
    assert sorted((r.uri, r.range.start.line) for r in result) == [
        (uri(GOLD), 2), (uri(WELCOME), 13)]
    result = await client.text_document_references_async(types.ReferenceParams(
        text_document=_document(WELCOME), position=position(WELCOME.read_text(), "bonus =", 1),
        context=types.ReferenceContext(include_declaration=True)))
    assert sorted(r.range.start.line for r in result) == [7, 13, 18, 18] or \
        sorted(r.range.start.line for r in result) == [7, 13, 18]


async def test_document_symbols(client):
    result = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=_document(WELCOME)))
    assert [(s.name, s.detail) for s in result] == [
        ("Welcome v1", "version 1, live"), ("Welcome v2", "version 2, draft")]
    result = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=_document(SCHEMA)))
    assert [(s.name, s.kind) for s in result] == [
        ("profile", types.SymbolKind.Struct), ("signup", types.SymbolKind.Event),
        ("purchase", types.SymbolKind.Event), ("gold members", types.SymbolKind.Constant)]
    consent = next(field for field in result[0].children if field.name == "consent")
    assert [field.name for field in consent.children] == ["email", "sms"]


# ---- formatting and quick fixes ---------------------------------------------------------

async def test_formatting_gives_the_formatters_text_and_leaves_a_broken_file(client, tmp_path):
    from journeylang.formatter import format_text
    path = tmp_path / "f.journey"
    messy = 'journey "F" {\non event signup\n  wait 1d12h\nsend email "x"}\n'
    document = await open_document(client, path, messy)
    options = types.FormattingOptions(tab_size=4, insert_spaces=True)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=document), options=options))
    edit, = edits
    assert edit.new_text == format_text(messy) and "wait 1d 12h" in edit.new_text
    assert edit.range.start == types.Position(line=0, character=0)
    assert edit.range.end == types.Position(line=4, character=0)
    await change_document(client, document, format_text(messy), 2)
    assert not await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=document), options=options))
    await change_document(client, document, messy.replace("}", ""), 3)
    assert not await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=document), options=options))
    await close_document(client, document)


async def test_quick_fixes_apply_the_suggestions(client, tmp_path):
    path = tmp_path / "q.journey"
    text = ('journey "Q" {\n    on event signup\n    if profile.tier = "gold" {\n'
            '        send email "x"\n    }\n}\n')
    document = await open_document(client, path, text)
    shown, = client.diagnostics[document]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=document), range=shown.range,
        context=types.CodeActionContext(diagnostics=[shown])))
    action, = actions
    assert action.kind == types.CodeActionKind.QuickFix and action.title == "Replace with `==`"
    edit, = action.edit.changes[document]
    assert edit.new_text == "==" and edit.range == shown.range
    fixed = text.replace("= \"gold\"", "== \"gold\"")
    typo = fixed.replace("if profile.tier", "if lowr(profile.tier)")
    await change_document(client, document, typo, 2)
    shown, = client.diagnostics[document]
    action, = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=document), range=shown.range,
        context=types.CodeActionContext(diagnostics=[shown])))
    edit, = action.edit.changes[document]
    assert edit.new_text == "lower"
    nowhere = types.Range(start=types.Position(line=0, character=0),
                          end=types.Position(line=0, character=1))
    assert not await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=document), range=nowhere,
        context=types.CodeActionContext(diagnostics=[])))
    await close_document(client, document)


# ---- a file that does not parse ---------------------------------------------------------

async def test_a_file_with_a_syntax_error_keeps_its_last_good_parse(client):
    text = WELCOME.read_text()
    document = await open_document(client, WELCOME)
    broken = text.replace('send email "thanks"', 'send email "thanks" )))')
    await change_document(client, document, broken, 2)
    codes = [d.code for d in client.diagnostics[document]]
    assert codes and codes[0].startswith("J1")
    result = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=document)))
    assert [s.name for s in result] == ["Welcome v1", "Welcome v2"]
    assert "bonus" in await _labels(client, document, broken, "thanks\" )))")
    await close_document(client, document)
