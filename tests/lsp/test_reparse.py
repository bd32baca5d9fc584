"""Parsing a file again by its declarations gives what parsing the whole file gives: the same
program with the same spans, or the same syntax errors, edit after edit."""

from __future__ import annotations

import random

import pytest

from journeylang import nodes as n
from journeylang.diagnostics import JourneySyntaxError
from journeylang.lsp.reparse import Pieces
from journeylang.parser import parse_source
from journeylang.source import Source

from ..conftest import EXAMPLES
from .conftest import WORKSPACE

FILES = sorted(EXAMPLES.rglob("*.journey")) + sorted(WORKSPACE.glob("*.journey"))
INSERTED = ["x", '"', "{", "}", "\n", " ", "1", "event ", 'journey "J" {\n', "\ntest ", "#"]


def outcome(parse, source: Source):
    """The program with every node's span, or the syntax errors."""
    try:
        program = parse(source)
    except JourneySyntaxError as error:
        return "errors", [(d.code, d.message, d.span.start, d.span.end) for d in error.diagnostics]
    located = [(type(node).__name__, node.span.start, node.span.end, node.span.line,
                node.span.column, node.span.end_line, node.span.end_column)
               for node in program.walk() if node.span is not None]
    return program, located


def edited(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    if rng.random() < 0.4:
        return text[:at] + text[at + 1:]
    return text[:at] + rng.choice(INSERTED) + text[at:]


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_edit_after_edit_the_pieces_parse_as_the_whole_file(path):
    rng = random.Random(path.name)
    pieces = Pieces()
    text = path.read_text(encoding="utf-8")
    for _ in range(12):
        source = Source(str(path), text)
        assert outcome(pieces.parse, source) == outcome(parse_source, source)
        text = edited(text, rng)


def test_only_the_changed_declaration_is_parsed_again(monkeypatch):
    text = (WORKSPACE / "welcome.journey").read_text(encoding="utf-8")
    pieces = Pieces()
    pieces.parse(Source("welcome.journey", text))
    parsed: list[str] = []
    original = parse_source

    def counting(source):
        parsed.append(source.text)
        return original(source)

    monkeypatch.setattr("journeylang.lsp.reparse.parse_source", counting)
    changed = text.replace("primary tips", "primary promo")
    program = pieces.parse(Source("welcome.journey", "# a comment\n" + changed))
    assert len(parsed) == 2  # the first journey (after the new comment), the one changed
    assert "primary promo" in parsed[1] and parsed[1].startswith("journey")
    assert isinstance(program, n.Program) and program.journeys
    assert program.journeys[0].span.line > 1
