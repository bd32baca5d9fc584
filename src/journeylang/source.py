"""Source texts and the spans that locate every node and diagnostic in them."""

from __future__ import annotations

import bisect


class Span:
    """A region of a source, by character offsets; its 1-based line and column (of the start,
    and of the end, exclusive) are worked out when first asked for."""

    __slots__ = ("file", "start", "end", "_line_starts", "_position")

    def __init__(self, file: str, start: int, end: int, line_starts: tuple[int, ...]):
        self.file = file
        self.start = start
        self.end = end
        self._line_starts = line_starts
        self._position = None

    def _resolve(self) -> tuple[int, int, int, int]:
        if self._position is None:
            starts = self._line_starts
            line = bisect.bisect_right(starts, self.start)
            end_line = bisect.bisect_right(starts, self.end)
            self._position = (line, self.start - starts[line - 1] + 1,
                              end_line, self.end - starts[end_line - 1] + 1)
        return self._position

    @property
    def line(self) -> int:
        return self._resolve()[0]

    @property
    def column(self) -> int:
        return self._resolve()[1]

    @property
    def end_line(self) -> int:
        return self._resolve()[2]

    @property
    def end_column(self) -> int:
        return self._resolve()[3]

    def part(self, start: int, end: int) -> "Span":
        """Another span of the same source, by character offsets."""
        return Span(self.file, start, max(start, end), self._line_starts)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Span):
            return NotImplemented
        return (self.file, self.start, self.end) == (other.file, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.file, self.start, self.end))

    def __repr__(self) -> str:
        return f"Span({self})"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Source:
    """A named text (a file's contents) that can turn offsets into lines and columns."""

    __slots__ = ("name", "text", "_line_starts")

    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text
        starts = [0]
        find = text.find
        index = find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = find("\n", index + 1)
        self._line_starts = tuple(starts)

    def __repr__(self) -> str:
        return f"Source({self.name!r})"

    def span(self, start: int, end: int) -> Span:
        return Span(self.name, start, max(start, end), self._line_starts)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def line_span(self, line: int) -> Span:
        """The span of a whole 1-based line, without its line break."""
        start = self._line_starts[min(max(line, 1), len(self._line_starts)) - 1]
        return self.span(start, start + len(self.line_text(line)))

    def end_of_content(self) -> int:
        """The offset just after the last character that is not white space."""
        return len(self.text.rstrip())
