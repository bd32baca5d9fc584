"""The Pygments lexer: found by name and file name once installed, every example lexed without
an error token and back to its text, and golden token streams for a few snippets."""

from __future__ import annotations

import pathlib

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Whitespace

from journeylang.highlight import JourneyLexer

from ..conftest import EXAMPLES, assert_golden

TOKENS = pathlib.Path(__file__).parent / "tokens"
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.journey"))
SNIPPETS = sorted(TOKENS.glob("*.journey"))


def test_the_lexer_is_registered_with_pygments():
    assert isinstance(get_lexer_by_name("journey"), JourneyLexer)
    assert isinstance(get_lexer_for_filename("welcome.journey"), JourneyLexer)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_every_example_lexes_cleanly_and_back_to_its_text(path):
    text = path.read_text(encoding="utf-8")
    tokens = list(JourneyLexer().get_tokens_unprocessed(text))
    assert [value for _, kind, value in tokens if kind is Error] == []
    assert "".join(value for _, _, value in tokens) == text


def render(text: str) -> str:
    """One line per token, white space left out: `Token.Keyword 'wait'`."""
    return "".join(f"{str(kind)} {value!r}\n" for kind, value in JourneyLexer().get_tokens(text)
                   if kind is not Whitespace and value.strip())


@pytest.mark.parametrize("path", SNIPPETS, ids=[p.stem for p in SNIPPETS])
def test_snippet_tokens(path):
    assert_golden(path.with_suffix(".tokens"), render(path.read_text(encoding="utf-8")))
