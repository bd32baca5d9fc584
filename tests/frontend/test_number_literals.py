"""Number literals of any length: a number of the language, or a located error (J109 for a
number, J103 for a duration, in a version, a percentage or an expression) — never Python's
limit on turning thousands of digits into an int."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeylang import JourneySyntaxError, parse
from journeylang.core.instants import LONGEST_DURATION
from journeylang.core.values import MAX_DIGITS, MAX_NUMBER, check_number

literals = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

digit_runs = (st.integers(1, 6000).map(lambda count: "9" * count)
              | st.sampled_from([str(int(MAX_NUMBER)), str(int(MAX_NUMBER) + 1), "1" + "0" * 308,
                                 "1" + "0" * 309, "0" * 400 + "1"])
              | st.from_regex(r"[1-9][0-9]{0,20}", fullmatch=True))
numbers = st.builds(lambda whole, fraction: whole + fraction, digit_runs,
                    st.sampled_from(["", ".5", "." + "3" * 400]))


def located(text: str, code: str, literal: str):
    """The one diagnostic of `text`, which must have `code` and point at `literal`."""
    try:
        parse(text, "n.journey")
    except JourneySyntaxError as error:
        (diagnostic,) = error.diagnostics
        assert diagnostic.code == code, diagnostic
        assert text[diagnostic.span.start:diagnostic.span.end] == literal
        assert len(diagnostic.message) < 200
        return diagnostic
    return None


@literals
@given(numbers)
def test_a_number_literal_is_a_number_or_a_located_error(literal):
    text = f'journey "J" {{\n    on event go\n    let x = {literal}\n}}\n'
    diagnostic = located(text, "J109", literal)
    whole = literal.split(".")[0]
    if diagnostic is None:
        value = parse(text, "n.journey").journeys[0].body[0].value.value
        assert check_number(value) is None
    else:
        assert len(whole) > MAX_DIGITS or (float(literal) > MAX_NUMBER if "." in literal
                                           else int(literal) > int(MAX_NUMBER))


@literals
@given(digit_runs)
def test_a_version_of_any_length_is_a_version_or_a_located_error(literal):
    located(f'journey "J" version {literal} {{\n    on event go\n}}\n',
            "J109" if len(literal) > MAX_DIGITS or int(literal) > int(MAX_NUMBER) else "J108"
            if int(literal) < 1 else "none", literal)


@literals
@given(digit_runs, st.sampled_from("smhdw"))
def test_a_duration_of_any_length_is_a_duration_or_a_located_error(count, unit):
    literal = f"{count}{unit}"
    seconds = int(count) * {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[unit] \
        if len(count) < 30 else LONGEST_DURATION + 1
    diagnostic = located(f'journey "J" {{\n    on event go\n    let x = {literal}\n}}\n',
                         "J103", literal)
    assert (diagnostic is None) == (seconds <= LONGEST_DURATION)
    if diagnostic is not None:
        assert "longer than the longest duration" in diagnostic.message


def test_digits_other_than_0_to_9_are_not_a_number():
    text = 'journey "J" {\n    on event go\n    let x = 1\u0660\n}\n'  # an Arabic-Indic zero
    diagnostic = located(text, "J109", "1\u0660")
    assert "write its digits with 0 to 9" in diagnostic.message
