"""A file with several syntax errors shows each of them as it is typed, not only the first."""

from __future__ import annotations

import pytest

from ..conftest import CASES
from .conftest import WORKSPACE, change_document, close_document, open_document

pytestmark = pytest.mark.asyncio(loop_scope="module")

THREE = (CASES / "syntax" / "three-errors-in-one-journey.journey").read_text(encoding="utf-8")


async def test_three_syntax_errors_in_one_journey_publish_three_diagnostics(client, tmp_path):
    path = tmp_path / "three.journey"
    document = await open_document(client, path, THREE)
    shown = client.diagnostics[document]
    assert [(d.code, d.range.start.line, d.range.start.character) for d in shown] == [
        ("J100", 4, 9), ("J100", 6, 20), ("J100", 11, 9)]
    assert shown[1].message.startswith("`=` does not compare")
    fixed = THREE.replace("emial", "email").replace("wait 3 days", "wait 3d")
    await change_document(client, document, fixed, 2)
    assert [d.range.start.line for d in client.diagnostics[document]] == [6]
    await change_document(client, document, fixed.replace(" = ", " == "), 3)
    assert list(client.diagnostics[document]) == []
    await close_document(client, document)


async def test_an_unclosed_brace_is_shown_where_it_opens_and_at_the_end(client):
    path = WORKSPACE / "welcome.journey"
    text = 'journey "W" {\n    on event signup\n    send email "welcome"\n'
    document = await open_document(client, path, text)
    shown = client.diagnostics[document]
    assert [(d.code, d.range.start.line) for d in shown] == [("J112", 0), ("J106", 2)]
    assert shown[0].code_description.href.endswith("#j112")
    await change_document(client, document, path.read_text(), 2)
    assert list(client.diagnostics[document]) == []
    await close_document(client, document)
