"""Whatever the text, parsing yields a program or located diagnostics — never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeylang import JourneySyntaxError, parse
from journeylang.diagnostics import render_all
from journeylang.source import Source

from ..conftest import CASES, EXAMPLES

SEEDS = sorted(EXAMPLES.rglob("*.journey")) + sorted((CASES / "syntax").glob("*.journey"))
TEXTS = [path.read_text(encoding="utf-8") for path in SEEDS] or ['journey "x" { on event a }']
ALPHABET = st.sampled_from(list('{}[]()",:.=<>!+-*/%#\\ \n\tabcdefwxyz0123456789TZ') + [
    "journey ", "wait ", "send email ", "on event ", "fork", "branch ", "join ", "\"{", "}\"",
    "1d ", "2026-03-01", "09:00", "profile.", "event.", "split", "50%", "if ", "else ", "exit",
])


def outcome(text: str) -> None:
    try:
        program = parse(text, "fuzz.journey")
    except JourneySyntaxError as error:
        assert error.diagnostics
        source = Source("fuzz.journey", text)
        for diagnostic in error.diagnostics:
            assert 1 <= diagnostic.span.line <= text.count("\n") + 1
            assert 0 <= diagnostic.span.start <= diagnostic.span.end <= len(text)
        assert render_all(error.diagnostics, {"fuzz.journey": source})
    else:
        assert program.span.file == "fuzz.journey"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_random_token_soup(text):
    outcome(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_unicode_text(text):
    outcome(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.data())
def test_mutated_programs(text, data):
    for _ in range(data.draw(st.integers(1, 4))):
        if not text:
            break
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        insert = data.draw(st.one_of(st.just(""), ALPHABET, st.text(max_size=3)))
        text = text[:start] + insert + text[end:]
    outcome(text)
