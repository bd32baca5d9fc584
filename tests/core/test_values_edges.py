"""The value layer at the edges: every operator and every library function, on any values
whatever (null, bools, whole numbers of thousands of digits, NaN and infinities, long texts,
dates at the ends of the calendar, date-times whose instant leaves 0001–9999, durations at
timedelta's limits, times, lists, records), gives a value or a JourneyRuntimeError, never
another exception. Given values of the language, what it gives is one too: no NaN, no
infinity, no number beyond the largest, no duration beyond the longest, no instant that is
not there."""

from __future__ import annotations

import datetime
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeylang.core.functions import FUNCTIONS
from journeylang.core.instants import LONGEST_DURATION, TimeError, to_instant, zone
from journeylang.core.values import (MAX_DIGITS, MAX_NUMBER, JourneyRuntimeError, NumberError,
                                     arithmetic, check_number, comparison, describe, equal,
                                     negate, parse_number, to_json, to_text)

from .edge_values import ZONE_NAMES, datetimes_in_range, numbers, values

edges = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ARITHMETIC = ["+", "-", "*", "/", "%"]
COMPARISONS = ["==", "!=", "<", "<=", ">", ">=", "in", "not in"]
LONGEST = datetime.timedelta(seconds=LONGEST_DURATION)


def is_value(value) -> bool:
    """Whether a value is one of the language's (what a run's inputs and literals hold)."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, datetime.time)):
        return True
    if isinstance(value, (int, float)):
        return check_number(value) is None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return False
        try:
            to_instant(value)
        except TimeError:
            return False
        return True
    if isinstance(value, datetime.timedelta):
        return -LONGEST <= value <= LONGEST
    if isinstance(value, list):
        return all(map(is_value, value))
    if isinstance(value, dict):
        return all(map(is_value, value.values()))
    return isinstance(value, datetime.date)


class Context:
    """What a function may read of the run: the clock's date-time and the journey's zone."""

    def __init__(self, now, zone_name):
        self.now = now
        self.zone = zone(zone_name)


contexts = st.builds(Context, datetimes_in_range, st.sampled_from(ZONE_NAMES))


@edges
@given(st.sampled_from(ARITHMETIC), values, values)
def test_arithmetic_gives_a_value_or_a_runtime_error(operator, left, right):
    try:
        result = arithmetic(operator)(left, right)
    except JourneyRuntimeError as error:
        assert str(error)
        return
    if is_value(left) and is_value(right):
        assert is_value(result), (left, operator, right, result)


@edges
@given(st.sampled_from(COMPARISONS), values, values)
def test_comparisons_give_a_bool_or_a_runtime_error(operator, left, right):
    try:
        result = comparison(operator)(left, right)
    except JourneyRuntimeError:
        return
    assert isinstance(result, bool)


@edges
@given(values)
def test_negation_gives_a_value_or_a_runtime_error(value):
    try:
        result = negate(value)
    except JourneyRuntimeError:
        return
    if is_value(value):
        assert is_value(result)


@edges
@given(st.data(), st.sampled_from(sorted(FUNCTIONS)), contexts)
def test_every_function_gives_a_value_or_a_runtime_error(data, name, context):
    function = FUNCTIONS[name]
    count = data.draw(st.integers(function.min_args, min(function.max_args, 4)), label="count")
    arguments = data.draw(st.lists(values, min_size=count, max_size=count), label="arguments")
    try:
        result = function.impl(context, *arguments)
    except JourneyRuntimeError as error:
        assert str(error)
        return
    if all(map(is_value, arguments)):
        assert is_value(result), (name, arguments, result)


@edges
@given(values)
def test_every_value_has_a_json_form_and_a_text_or_a_runtime_error(value):
    rendered = to_json(value)  # observers call it: it never fails
    json.dumps(rendered, allow_nan=False)
    try:
        text = to_text(value)
    except JourneyRuntimeError:
        assert not is_value(value)
        return
    assert isinstance(text, str)


@edges
@given(values)
def test_a_message_can_describe_any_value_briefly(value):
    assert len(describe(value)) < 300


@edges
@given(numbers)
def test_check_number_accepts_exactly_the_finite_numbers_up_to_the_largest(number):
    inside = math.isfinite(number) and abs(number) <= MAX_NUMBER if isinstance(number, float) \
        else abs(number) <= int(MAX_NUMBER)
    assert (check_number(number) is None) == inside


number_texts = st.builds(
    lambda sign, whole, fraction, exponent: sign + whole + fraction + exponent,
    st.sampled_from(["", "-"]),
    st.integers(1, 6000).map(lambda digits: "9" * digits)
    | st.from_regex(r"[0-9]{1,30}", fullmatch=True) | st.from_regex(r"\d{1,30}", fullmatch=True),
    st.sampled_from(["", ".5", ".000001"]),
    st.sampled_from(["", "e3", "e308", "e309", "E-400", "e400", "e+99999"]))


@edges
@given(number_texts | st.text())
def test_parse_number_gives_a_number_of_the_language_or_a_number_error(text):
    try:
        value = parse_number(text)
    except NumberError as error:
        assert len(str(error)) < 200
        return
    assert check_number(value) is None


# ---- the crashes that were, one by one ------------------------------------------------------

DAY = datetime.timedelta(days=1)
HUGE = 10 ** 400
NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("left, operator, right, message", [
    (HUGE, "/", 3, "beyond the largest number"),
    (HUGE, "%", 1.5, "beyond the largest number"),
    (INF, "%", 2, "not a number the language has"),
    (MAX_NUMBER, "*", 2, "beyond the largest number"),
    (1e308, "/", 1e-10, "beyond the largest number"),
    (MAX_NUMBER, "+", MAX_NUMBER, "beyond the largest number"),
    (DAY, "/", datetime.timedelta(0), "division by zero"),
    (DAY, "/", 0, "division by zero"),
    (DAY, "*", 1e30, "longer than the longest duration"),
    (DAY, "*", NAN, "not a number the language has"),
    (DAY, "*", INF, "longer than the longest duration"),
    (DAY, "/", 1e-300, "longer than the longest duration"),
    (datetime.timedelta.max, "+", DAY, "longer than the longest duration"),
    (datetime.date.max, "+", DAY, "after 9999-12-31"),
    (datetime.date.min, "-", DAY, "before 0001-01-01"),
    (datetime.datetime(9999, 12, 31, 20, tzinfo=datetime.timezone(-datetime.timedelta(hours=5))),
     "+", datetime.timedelta(hours=1), "after 9999-12-31"),
    (7, "%", 0, "division by zero"),
    (7.5, "%", 0.0, "division by zero"),
])
def test_an_operation_beyond_the_values_is_a_runtime_error(left, operator, right, message):
    with pytest.raises(JourneyRuntimeError, match=message):
        arithmetic(operator)(left, right)


@pytest.mark.parametrize("call, message", [
    (("round", 2.5, "a"), "whole number"),
    (("round", 2.5, True), "whole number"),
    (("round", 2.5, 1.5), "whole number"),
    (("round", INF), "infinity is not a number"),
    (("round", NAN), "NaN is not a number"),
    (("round", MAX_NUMBER, -308), "beyond the largest number"),
    (("abs", HUGE), "beyond the largest number"),
    (("today",), "before 0001-01-01"),
    (("datetime", "9999-12-31T23:00:00-05:00"), "after 9999-12-31"),
    (("split", "a,b", ""), "not empty"),
    (("join", [1, 2], 3), "expects a string"),
    (("join", "abc"), "expects a list"),
    (("min", 1, "a"), "cannot compare"),
    (("max", [[1], [2]]), "cannot compare"),
    (("days_between", HUGE, "2026-01-01"), "expects a date"),
])
def test_a_function_beyond_the_values_is_a_runtime_error(call, message):
    name, *arguments = call
    first_day_at_utc_minus_12 = Context(datetime.datetime(1, 1, 1, 5, tzinfo=datetime.timezone.utc),
                                        "Etc/GMT+12")
    with pytest.raises(JourneyRuntimeError, match=message):
        FUNCTIONS[name].impl(first_day_at_utc_minus_12, *arguments)


def test_round_with_any_number_of_digits_ends_at_once():
    round_ = FUNCTIONS["round"].impl
    assert round_(None, 10 ** 300, -(10 ** 20)) == 0  # 10 ** (10 ** 20) is never computed
    assert round_(None, 2.5, 10 ** 20) == 2.5
    assert round_(None, 1234, -2) == 1200 and round_(None, 2.675, 2) == 2.67


def test_a_list_inside_a_record_on_the_right_of_in_is_no_key():
    inside = comparison("in")
    assert inside([1], {"a": [1]}) is False
    assert inside({"a": 1}, {"a": 1}) is False
    assert inside("a", {"a": [1]}) is True
    assert inside([1], [[1], 2]) is True


def test_equality_of_lists_and_records_follows_the_language():
    assert not equal([1], [True]) and not equal({"a": 0}, {"a": False})
    assert equal([1, {"b": 2.0}], [1.0, {"b": 2}])


def test_whole_numbers_divide_exactly_and_remainders_take_the_sign_of_the_number_divided():
    divide, remainder = arithmetic("/"), arithmetic("%")
    big = 123456789012345678901234567890
    assert divide(big * 7, 7) == big and divide(7, 2) == 3.5
    assert remainder(-7, 3) == -1 and remainder(7, -3) == 1 and remainder(-7.5, 2) == -1.5


def test_decimal_numbers_as_text():
    assert to_text(3.0) == "3" and to_text(1e20) == "100000000000000000000"
    assert to_text(1e21) == "1e+21" and to_text(0.1) == "0.1"
    assert to_json(1e300) == 1e300 and to_json(2.0) == 2
    assert to_text(int(MAX_NUMBER)) == str(int(MAX_NUMBER))
    assert len(str(int(MAX_NUMBER))) == MAX_DIGITS == 309


def test_a_number_outside_the_language_is_written_as_null_in_json_and_cannot_be_text():
    for number in (HUGE, NAN, INF, -INF):
        assert to_json(number) is None
        with pytest.raises(JourneyRuntimeError, match="cannot write"):
            to_text(number)


def test_json_of_a_date_time_past_the_instants_keeps_its_offset():
    five_hours_west = datetime.timezone(-datetime.timedelta(hours=5))
    late = datetime.datetime(9999, 12, 31, 23, tzinfo=five_hours_west)
    assert to_json(late) == "9999-12-31T23:00:00-05:00"
    first = datetime.datetime(1, 1, 1, tzinfo=datetime.timezone.utc)
    assert to_json(first) == "0001-01-01T00:00:00Z"


def test_check_number_says_why_for_the_reader():
    assert check_number(12) is None and check_number(-3.5) is None
    assert "infinity" in check_number(json.loads("1e400"))
    assert "NaN" in check_number(float("nan"))
    assert "beyond the largest number" in check_number(10 ** 309)
    assert "not a number" in check_number("12")
