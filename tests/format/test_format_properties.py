"""Properties of the formatter over generated programs (tests/fuzz/programs.py), as written
and laid out anew: formatting keeps every journey's fingerprint and every comment, formatted
text formats to itself, and the layout does not depend on the spaces and indents of the text."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeylang.formatter import format_text

from .test_format_cases import assert_formatting_keeps

programs = pytest.importorskip("tests.fuzz.programs").programs

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The tokens of a program, roughly as the grammar reads them: enough to lay a text out anew.
_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\\n]|\\.)*")|(?P<comment>#[^\n]*)|(?P<space>\s+)|(?P<token>'
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?|\d{4}-\d{2}-\d{2}"
    r"|\d{2}:\d{2}(?::\d{2})?|\d+[A-Za-z_]\w*|\d+(?:\.\d+)?|[A-Za-z_]\w*|==|!=|<=|>=|.)")
_DURATION_PART = re.compile(r"\d+[smhdw]")
_WORDY = re.compile(r'[\w"]')


def relayout(text: str, random, lines: bool) -> str:
    """The text with other white space between its tokens, keeping what separates them: with
    `lines`, line breaks, blank lines and comments anywhere a token may be followed by one;
    without, the same line breaks and only other spaces and indents."""
    tokens = [(found.lastgroup, found.group()) for found in _TOKEN.finditer(text)]
    out: list[str] = []
    previous = None
    for index, (kind, token) in enumerate(tokens):
        if kind == "space":
            continue
        if previous is not None:
            gap = tokens[index - 1][1] if tokens[index - 1][0] == "space" else ""
            out.append(_gap(previous, token, gap, random, lines))
        out.append(token)
        previous = token
    return "".join(out) + "\n"


def _gap(before: str, after: str, gap: str, random, lines: bool) -> str:
    if before.startswith("#"):
        return "\n" * max(1, gap.count("\n") if not lines else random.choice((1, 1, 2, 3)))
    if _DURATION_PART.fullmatch(before) and after[:1].isdigit():
        return random.choice((" ", "  ", "\t"))  # parts of one duration
    spaces = [" ", "  ", "\t "]
    if not (_WORDY.match(before[-1]) and _WORDY.match(after[0])) and (before, after) != ("-", "-"):
        spaces.append("")  # punctuation needs no space
    if not lines:
        breaks = gap.count("\n")
        return "\n" * breaks + random.choice(("", "  ", "\t", "     ")) if breaks else \
            random.choice(spaces)
    return random.choice(spaces * 3 + ["\n", "\n\n\n", "  # note\n", "\n# on its own line\n\n"])


@SETTINGS
@given(programs())
def test_formatting_a_generated_program_changes_only_its_white_space(program):
    formatted = format_text(program.source)
    assert_formatting_keeps(program.source, formatted)
    assert re.sub(r"\s+", "", formatted) == re.sub(r"\s+", "", program.source)


@SETTINGS
@given(programs(), st.randoms(use_true_random=False))
def test_formatting_keeps_the_logic_whatever_the_layout(program, random):
    messy = relayout(program.source, random, lines=True)
    assert_formatting_keeps(messy, format_text(messy))


@SETTINGS
@given(programs(), st.randoms(use_true_random=False))
def test_the_layout_does_not_depend_on_spaces_and_indents(program, random):
    assert format_text(relayout(program.source, random, lines=False)) == \
        format_text(program.source)
