"""Parsing a file again after an edit by its declarations: only the declarations whose text
changed are parsed, the others are moved to where they now are; the program is the one a
parse of the whole file gives, or the whole file is parsed when a piece does not parse."""

from __future__ import annotations

import functools
import re

import attrs

from .. import nodes as n
from ..diagnostics import JourneySyntaxError
from ..parser import parse_source
from ..source import Source, Span

#: Where a declaration starts: a line opening one, the lines where the parser itself starts
#: again after a syntax error. A line like it inside a declaration (an unindented `event` of a
#: test, say) splits that declaration in two pieces, neither of which parses alone: the whole
#: file is parsed then.
_DECLARATION_LINE = re.compile(
    r"^(?:journey|campaign|audience|event|profile|action|cap|test)\b", re.MULTILINE)


class Pieces:
    """The declarations of one file's pieces as last parsed, each as if the piece were a file
    of its own (its offsets counted from the start of the piece)."""

    def __init__(self) -> None:
        self._parsed: dict[str, tuple[n.Node, ...]] = {}

    def parse(self, source: Source) -> n.Program:
        """The program of `source`, as `parse_source` gives it (its errors raised the same
        way), parsing only the pieces not seen in the last parse."""
        starts = [0, *(found.start() for found in _DECLARATION_LINE.finditer(source.text)
                       if found.start() > 0), len(source.text)]
        parsed: dict[str, tuple[n.Node, ...]] = {}
        declarations: list[n.Node] = []
        for start, end in zip(starts, starts[1:]):
            text = source.text[start:end]
            if text not in parsed:
                try:
                    parsed[text] = self._parsed.get(text) \
                        or parse_source(Source(source.name, text)).declarations
                except (JourneySyntaxError, RecursionError):  # the piece alone does not parse
                    self._parsed = {}
                    return parse_source(source)
            alone = parsed[text]
            declarations.extend(_moved(declaration, source, start) for declaration in alone)
        self._parsed = parsed
        return n.Program(tuple(declarations), span=source.span(0, len(source.text)))


def _moved(value, source: Source, by: int):
    """A node (or a tuple of them) with every span `by` characters further, in `source`."""
    if isinstance(value, tuple):
        return tuple(_moved(item, source, by) for item in value)
    if not isinstance(value, n.Node):
        return value
    changes = {}
    for name in _node_fields(type(value)):
        inner = getattr(value, name)
        if isinstance(inner, (n.Node, tuple)):
            changes[name] = _moved(inner, source, by)
    span: Span | None = value.span
    if span is not None:
        changes["span"] = source.span(span.start + by, span.end + by)
    return attrs.evolve(value, **changes)


@functools.cache
def _node_fields(cls) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls) if field.name != "span")
