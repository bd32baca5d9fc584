"""What the text around the cursor is, read without parsing (the file may not parse while it
is typed): inside a comment or a string, the blocks open there, the word under the cursor."""

from __future__ import annotations

import re

import attrs

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@attrs.frozen
class Place:
    """The cursor's place: in a comment, in a string (where it starts), in an interpolation,
    and the offsets of the `{` still open before it, the outermost first."""

    comment: bool
    string_start: int | None
    interpolation: bool
    open_braces: tuple[int, ...]


class Scanner:
    """Reads a text forward once: at each offset asked for (in increasing order), the place
    there. Strings have `\\` escapes and `{…}` interpolations; comments run from `#` to the end
    of the line."""

    def __init__(self, text: str):
        self.text = text
        self.index = 0
        self.braces: list[int] = []
        self.string_start: int | None = None
        self.comment = False
        self.interpolation = 0  # braces open inside the current string

    def at(self, offset: int) -> Place:
        text, index = self.text, self.index
        offset = min(offset, len(text))
        while index < offset:
            char = text[index]
            if self.comment:
                if char == "\n":
                    self.comment = False
            elif self.string_start is not None and not self.interpolation:
                if char == "\\":
                    index += 1
                elif char == '"' or char == "\n":
                    self.string_start = None
                elif char == "{":
                    self.interpolation = 1
            elif self.string_start is not None:  # inside `{…}` of a string
                if char == "{":
                    self.interpolation += 1
                elif char == "}":
                    self.interpolation -= 1
                elif char == "\n":
                    self.string_start, self.interpolation = None, 0
            elif char == "#":
                self.comment = True
            elif char == '"':
                self.string_start = index
            elif char == "{":
                self.braces.append(index)
            elif char == "}" and self.braces:
                self.braces.pop()
            index += 1
        self.index = max(index, self.index)
        return Place(self.comment, self.string_start, self.interpolation > 0, tuple(self.braces))


def place(text: str, offset: int) -> Place:
    """The place at `offset`, the text read from its start."""
    return Scanner(text).at(offset)


def word_at(text: str, offset: int) -> tuple[int, int, str] | None:
    """The word (a name or keyword) under or just before the cursor: (start, end, word)."""
    start = offset
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    found = _WORD.match(text, start)
    if found is None or found.end() < offset:
        return None
    return found.start(), found.end(), found.group()


def line_before(text: str, offset: int) -> str:
    """The text of the cursor's line before it."""
    return text[text.rfind("\n", 0, offset) + 1:offset]


def opener(text: str, brace: int) -> str:
    """What comes before a `{` on its line, without surrounding white space: what opens the
    block (`profile`, `event purchase`, `journey "J" version 2`, `with`, …)."""
    return line_before(text, brace).strip()
