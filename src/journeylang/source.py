"""Source texts and the spans that locate every node and diagnostic in them."""

from __future__ import annotations

import bisect

import attrs


@attrs.frozen
class Span:
    """A region of a source: 1-based line and column of its start and of its end (exclusive)."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = attrs.field(default=0)
    end: int = attrs.field(default=0)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen
class Source:
    """A named text (a file's contents) that can turn offsets into lines and columns."""

    name: str
    text: str
    _line_starts: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        starts = [0]
        starts.extend(i + 1 for i, char in enumerate(self.text) if char == "\n")
        object.__setattr__(self, "_line_starts", tuple(starts))

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end))
        return Span(self.name, line, column, end_line, end_column, start, max(start, end))

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def end_of_content(self) -> int:
        """The offset just after the last character that is not white space."""
        return len(self.text.rstrip())
