"""Recovery from syntax errors: every error of a file in one run, each at its place, the echoes
of an error left out, at most MAX_SYNTAX_ERRORS of them; and a file without errors reports
none, however it was mutated to get there."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token

import journeylang
from journeylang import JourneySyntaxError, parse
from journeylang.parser import _parser
from journeylang.recovery import MAX_SYNTAX_ERRORS, Recovery, open_braces
from journeylang.source import Source

from ..conftest import CASES, EXAMPLES

SHIPPED = sorted(EXAMPLES.rglob("*.journey"))
TEXTS = [path.read_text(encoding="utf-8") for path in SHIPPED]
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\w+|\S')


def diagnostics(text: str) -> list:
    try:
        parse(text, "t.journey")
    except JourneySyntaxError as error:
        return error.diagnostics
    return []


def places(text: str) -> list[tuple[int, int, str]]:
    return [(d.span.line, d.span.column, d.code) for d in diagnostics(text)]


# ---- on mutations of the shipped examples ------------------------------------------------


def test_the_examples_report_nothing():
    assert len(TEXTS) >= 10
    for path, text in zip(SHIPPED, TEXTS):
        assert diagnostics(text) == [], path


def _mutate(text: str, data) -> str:
    """The text with a token or a line deleted or doubled."""
    what = data.draw(st.sampled_from(["delete token", "double token", "delete line",
                                      "double line"]))
    if what.endswith("token"):
        tokens = list(_TOKEN.finditer(text))
        if not tokens:
            return text
        token = data.draw(st.sampled_from(tokens))
        kept = "" if what == "delete token" else f"{token.group()} {token.group()}"
        return text[:token.start()] + kept + text[token.end():]
    lines = text.split("\n")
    index = data.draw(st.integers(0, len(lines) - 1))
    lines[index:index + 1] = [] if what == "delete line" else [lines[index]] * 2
    return "\n".join(lines)


@settings(max_examples=400, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.data())
def test_mutated_examples_give_located_diagnostics_and_nothing_else(text, data):
    for _ in range(data.draw(st.integers(1, 3))):
        text = _mutate(text, data)
    found = diagnostics(text)  # never another exception, and in time (the deadline)
    assert len(found) <= MAX_SYNTAX_ERRORS
    for diagnostic in found:
        assert diagnostic.code.startswith("J1")
        assert 0 <= diagnostic.span.start <= diagnostic.span.end <= len(text)
    assert [d.span.start for d in found] == sorted(d.span.start for d in found)
    assert len({(d.span.start, d.code) for d in found}) == len(found)  # one per place


@settings(max_examples=100, deadline=5000)
@given(st.sampled_from(TEXTS), st.data())
def test_a_mutation_that_keeps_the_program_whole_reports_nothing(text, data):
    """Doubling a blank or comment line, or deleting one, leaves a program without error."""
    lines = text.split("\n")
    quiet = [i for i, line in enumerate(lines) if not line.strip() or line.lstrip()[0] == "#"]
    if not quiet:
        return
    index = data.draw(st.sampled_from(quiet))
    lines[index:index + 1] = data.draw(st.sampled_from([[], [lines[index]] * 2]))
    assert diagnostics("\n".join(lines)) == []


# ---- several errors in one declaration ---------------------------------------------------

THREE = (CASES / "syntax" / "three-errors-in-one-journey.journey").read_text(encoding="utf-8")


def test_three_errors_far_apart_in_one_journey_are_each_reported_at_their_place():
    found = diagnostics(THREE)
    assert [(d.span.line, d.span.column, d.code) for d in found] == [
        (5, 10, "J100"), (7, 21, "J100"), (12, 10, "J100")]
    assert found[0].message.startswith("expected a channel")
    assert found[1].message.startswith("`=` does not compare")
    assert found[2].message.startswith("expected a duration")


def test_each_error_has_the_message_it_has_alone():
    """Recovery adds the errors after the first; it never changes what one error says."""
    lines = THREE.split("\n")
    alone = []
    for broken in (4, 6, 11):
        good = {4: '    send email "welcome"', 6: '    if profile.tier == "gold" {',
                11: "    wait 3d"}
        text = "\n".join(line if i == broken or i not in good else good[i]
                         for i, line in enumerate(lines))
        error, = diagnostics(text)
        alone.append(error)
    assert [d.message for d in diagnostics(THREE)] == [d.message for d in alone]


def test_errors_past_the_cap_are_left_out():
    body = "".join(f"    wait {n} days\n" for n in range(1, 31))
    found = places('journey "Many" {\n    on event signup\n' + body + "}\n")
    assert len(found) == MAX_SYNTAX_ERRORS
    assert found[-1][0] == 2 + MAX_SYNTAX_ERRORS


def test_the_echo_of_an_unterminated_string_is_left_out():
    text = 'journey "J" {\n    on event signup\n    send email "welcome\n    wait 1d\n}\n'
    assert places(text) == [(3, 16, "J102")]


def test_a_soft_keyword_is_a_place_to_start_again():
    text = ('campaign "C" {\n    read audience "all"\n    keep where profile.age >\n'
            '    exclude audience "churned"\n    save audience "rest" apend\n}\n')
    assert [(line, code) for line, _, code in places(text)] == [(4, "J100"), (5, "J100")]


def test_the_words_to_start_again_at_come_from_the_grammar():
    parser, builder = _parser()
    builder.reset(Source("t.journey", ""))
    recovery = Recovery(parser, Source("t.journey", ""), None, Exception)
    statements = {"SEND", "WAIT", "IF", "FORK", "JOIN", "CALL", "LET", "EXIT", "JUMP", "KEEP",
                  "EXCLUDE", "INTERSECT", "SAVE", "SET", "SPLIT"}
    assert statements | {"ON", "READ", "REENTRY", "TIMEOUT", "BRANCH", "EXPECT"} <= \
        recovery.line_words
    assert recovery.declaration_words == {"JOURNEY", "CAMPAIGN", "AUDIENCE", "EVENT", "PROFILE",
                                          "ACTION", "CAP", "TEST"}


# ---- braces left open --------------------------------------------------------------------


def test_a_brace_left_open_is_named_as_well_as_the_end_of_the_file():
    text = 'journey "J" {\n    on event signup\n    send email "welcome"\n'
    unclosed, end = diagnostics(text)
    assert (unclosed.code, unclosed.span.line, unclosed.span.column) == ("J112", 1, 13)
    assert unclosed.message == "this `{` is never closed: add its `}` before the end of the file"
    assert (end.code, end.span.line) == ("J106", 3)


def test_a_brace_left_open_before_a_declaration_is_the_one_its_indentation_names():
    text = ('journey "A" {\n    on event signup\n    if profile.vip {\n        send email "x"\n'
            '    send email "y"\n}\n\njourney "B" {\n    on event signup\n}\n')
    assert places(text) == [(3, 20, "J112"), (8, 1, "J100")]


def _braces(text: str) -> list[Token]:
    return [Token("LBRACE" if char == "{" else "RBRACE", char, start_pos=i, end_pos=i + 1)
            for i, char in enumerate(text) if char in "{}"]


@pytest.mark.parametrize("text, unclosed", [
    ("a {\n    b {\n    }\n", [2]),
    ("a {\n    b {\n}\n", [10]),
    ("a {\n    b { c }\n", [2]),
    ("a {\n    b {\n        c {\n}\n", [10, 22]),
    ("a {\n}\n}\n", []),
])
def test_open_braces_by_indentation(text, unclosed):
    assert [t.start_pos for t in open_braces(text, _braces(text))] == unclosed


# ---- where the errors go -----------------------------------------------------------------


def test_the_formatter_refuses_a_file_with_several_errors_and_names_them_all():
    with pytest.raises(journeylang.JourneyError) as raised:
        journeylang.format(THREE)
    assert [d.span.line for d in raised.value.diagnostics] == [5, 7, 12]
