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


def place(text: str, offset: int) -> Place:
    """Scan the text up to `offset`: strings (with `\\` escapes and `{…}` interpolations),
    comments from `#` to the end of the line, and braces."""
    braces: list[int] = []
    string_start: int | None = None
    in_comment = False
    interpolation = 0  # braces open inside the current string
    index = 0
    while index < offset:
        char = text[index]
        if in_comment:
            if char == "\n":
                in_comment = False
        elif string_start is not None and not interpolation:
            if char == "\\":
                index += 1
            elif char == '"' or char == "\n":
                string_start = None
            elif char == "{":
                interpolation = 1
        elif string_start is not None:  # inside `{…}` of a string
            if char == "{":
                interpolation += 1
            elif char == "}":
                interpolation -= 1
            elif char == "\n":
                string_start, interpolation = None, 0
        elif char == "#":
            in_comment = True
        elif char == '"':
            string_start = index
        elif char == "{":
            braces.append(index)
        elif char == "}" and braces:
            braces.pop()
        index += 1
    return Place(in_comment, string_start, interpolation > 0, tuple(braces))


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
