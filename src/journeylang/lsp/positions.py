"""Character offsets of a source and the editor's positions (line, column in the client's
code units: UTF-16 unless the client chose UTF-8 or UTF-32)."""

from __future__ import annotations

import pathlib
import urllib.parse

from lsprotocol import types

from ..source import Source, Span


def _units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class Positions:
    """One source's offsets ↔ positions."""

    def __init__(self, source: Source, encoding: str = types.PositionEncodingKind.Utf16):
        self.source = source
        self.encoding = encoding

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.source.text)))
        line, column = self.source.position(offset)
        text = self.source.line_text(line)[: column - 1]
        return types.Position(line=line - 1, character=_units(text, self.encoding))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def span_range(self, span: Span) -> types.Range:
        return self.range(span.start, span.end)

    def offset(self, position: types.Position) -> int:
        """The offset of a position; past a line's end is its end, past the text its end."""
        lines = self.source.text.count("\n") + 1
        if position.line >= lines:
            return len(self.source.text)
        line_span = self.source.line_span(position.line + 1)
        text = self.source.line_text(position.line + 1)
        units = 0
        for index, char in enumerate(text):
            if units >= position.character:
                return line_span.start + index
            units += _units(char, self.encoding)
        return line_span.end

    def whole(self) -> types.Range:
        return self.range(0, len(self.source.text))


def uri_of(name: str) -> str:
    """The URI of a source named by its path (absolute, or relative to the working directory),
    or the name itself when it is already a URI (an unsaved buffer)."""
    if "://" in name or name.startswith("untitled:"):
        return name
    return pathlib.Path(name).absolute().as_uri()


def path_of(uri: str) -> pathlib.Path | None:
    """The file a `file:` URI names, or None for any other kind of document."""
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme != "file":
        return None
    return pathlib.Path(urllib.parse.unquote(parsed.path))
