"""What the server's answers are made of: the diagnostics' links, the keywords' documentation."""

from __future__ import annotations

import re

from journeylang.checker import RULES
from journeylang.lsp.diagnostics import DOCS, documentation
from journeylang.lsp.keywords import FOLLOWERS, KEYWORDS, PROPERTIES, STATEMENTS
from journeylang.parser import keywords

from ..conftest import ROOT


def test_every_code_links_to_a_heading_of_the_diagnostics_page():
    """The link form is DOCS#<code in lower case>; docs/diagnostics.md has a `### CODE` heading
    for every code the checker reports, so each anchor exists."""
    headings = set(re.findall(r"^### (J\d+)$", (ROOT / "docs" / "diagnostics.md").read_text(),
                              re.MULTILINE))
    for rule in RULES:
        assert rule.code in headings
        assert documentation(rule.code) == f"{DOCS}#{rule.code.lower()}"


def test_every_keyword_of_the_grammar_is_documented_and_nothing_else():
    assert set(KEYWORDS) == set(keywords())


def test_completed_words_are_keywords():
    for phrase in (*STATEMENTS, *PROPERTIES, *(w for ws in FOLLOWERS.values() for w in ws)):
        assert set(phrase.split()) <= keywords(), phrase
