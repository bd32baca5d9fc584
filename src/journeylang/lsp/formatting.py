"""Formatting a document through `journey fmt`'s formatter: one edit for the whole text, none
when it is already formatted or does not parse."""

from __future__ import annotations

from lsprotocol import types

from ..diagnostics import JourneySyntaxError
from ..formatter import LayoutError, format_source
from ..source import Source
from .positions import Positions


def format_document(name: str, text: str, encoding: str) -> list[types.TextEdit]:
    source = Source(name, text)
    try:
        formatted = format_source(source)
    except (JourneySyntaxError, LayoutError):  # left as it is; the diagnostics say why
        return []
    if formatted == text:
        return []
    return [types.TextEdit(range=Positions(source, encoding).whole(), new_text=formatted)]
