"""The language server on a campaign (docs/campaigns.md): its diagnostics, hover, symbols,
completion of the set activities, and the saved audience as a definition."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .conftest import close_document, open_document, position

pytestmark = pytest.mark.asyncio(loop_scope="module")

CAMPAIGN = '''audience "members" = profile.tier != null

campaign "Spring tiers" {
    read audience "members"
    keep where profile.country == "FR"
    fork {
        branch gold when profile.tier == "gold" {
            send email "gold_offer"
        }
        branch silver when profile.tier == "silver" {
            wait 2d
        }
    }
    join gold, silver primary gold
    save audience "spring gold"
}

journey "Reads it" {
    read audience "spring gold"
    keep where true
}
'''


async def test_a_campaign_in_the_editor(client, tmp_path):
    path = tmp_path / "campaign.journey"
    path.write_text(CAMPAIGN)
    document = await open_document(client, path)
    identifier = types.TextDocumentIdentifier(uri=document)

    codes = sorted(d.code for d in client.diagnostics[document])
    assert codes == ["J805"], client.diagnostics[document]  # `keep where` in the journey

    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=identifier, position=position(CAMPAIGN, '"Spring tiers"', 2)))
    assert "Campaign" in hover.contents.value and "no versions" in hover.contents.value

    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=identifier))
    assert [s.name for s in symbols][:2] == ["members", "Spring tiers (campaign)"]

    read = position(CAMPAIGN, 'read audience "spring gold"', len('read audience "s'))
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=identifier, position=read))
    saved = position(CAMPAIGN, 'save audience "spring gold"', len("save audience "))
    assert [location.range.start.line for location in found] == [saved.line]

    typing = CAMPAIGN.replace("    save audience", "    \n    save audience")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=document, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=typing)]))
    at = position(typing, "    \n    save audience", 4)
    items = await client.text_document_completion_async(types.CompletionParams(
        text_document=identifier, position=at))
    labels = {item.label for item in items.items}
    assert {"keep where", "exclude audience", "save audience", "send"} <= labels
    assert "on event" not in labels
    await close_document(client, document)
