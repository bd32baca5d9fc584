"""One keyword list: the grammar's keywords are those of the Pygments lexer, the TextMate grammar
and the Vim syntax, so that a keyword added to the language shows up everywhere or fails here."""

from __future__ import annotations

import json
import re

from journeylang import highlight
from journeylang.parser import keywords

from ..conftest import ROOT

GRAMMAR = keywords()


def split_words(alternation: str, separator: str) -> set[str]:
    return set(alternation.split(separator))


def test_pygments_lexer():
    lexer = {*highlight.KEYWORDS, *highlight.CHANNELS, *highlight.CONSTANTS,
             *highlight.WORD_OPERATORS, *highlight.TEST_KEYWORDS}
    assert lexer == GRAMMAR


def test_textmate_grammar():
    grammar = json.loads((ROOT / "editors/vscode/syntaxes/journey.tmLanguage.json").read_text())
    found = set()
    for rule in ("keyword", "test-keyword", "channel", "constant", "word-operator"):
        alternation = re.search(r"\(\?:([a-z_|]+)\)", grammar["repository"][rule]["match"])[1]
        found |= split_words(alternation, "|")
    assert found == GRAMMAR


def test_vim_syntax():
    syntax = (ROOT / "editors/vim/syntax/journey.vim").read_text()
    found = set()
    for group in ("Keyword", "TestKeyword", "Channel", "Constant", "OperatorWord"):
        alternation = re.search(rf'syn match journey{group} "\\<\\%\(([a-z_\\|]+)\\\)\\>"',
                                syntax)[1]
        found |= split_words(alternation, "\\|")
    assert found == GRAMMAR
