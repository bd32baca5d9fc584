"""`journeylang.format(source)`: the text in the canonical layout, or a JourneyError."""

from __future__ import annotations

import pytest

import journeylang


def test_format_returns_the_text_in_the_canonical_layout():
    text = 'journey "Welcome" { on event signup\n send email "welcome" with {name:"x"} }'
    assert journeylang.format(text) == (
        'journey "Welcome" {\n    on event signup\n    send email "welcome" with { name: "x" }\n'
        "}\n")


def test_format_of_nothing_is_nothing():
    assert journeylang.format("") == ""
    assert journeylang.format("\n\n  \n") == ""


def test_syntax_errors_raise_a_journey_error_with_the_diagnostics():
    with pytest.raises(journeylang.JourneyError) as raised:
        journeylang.format('journey "J" {\n    wait 12x\n    send email welcome\n}\n')
    error = raised.value
    assert str(error) == "2 syntax error(s) in the text: it was not formatted"
    duration, grammar = error.diagnostics  # the bad literal before the error of grammar too
    assert (duration.code, duration.span.line) == ("J103", 2)
    assert (grammar.code, grammar.span.file, grammar.span.line) == ("J100", "<source>", 3)
    assert " 3 |     send email welcome" in error.render()


def test_format_takes_text():
    with pytest.raises(TypeError):
        journeylang.format(b'journey "J" {}')


def test_format_is_exported():
    assert "format" in journeylang.__all__
    assert journeylang.format is journeylang.api.format
