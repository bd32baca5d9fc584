"""The instant boundary: instants exist from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, and
every function of core/instants.py that makes one gives one of those or a TimeError, whatever
it is handed; within the range, instants, date-times and their text go round unchanged."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeylang.core.instants import (FIRST_INSTANT, LAST_INSTANT, LONGEST_DURATION, TimeError,
                                       check_instant, format_instant, local_date,
                                       next_local_time, parse_delay, parse_duration,
                                       parse_instant, to_datetime, to_instant, zone)

from .edge_values import ZONE_NAMES, aware_datetimes, instants, texts, values

edges = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

any_instant = st.integers() | st.sampled_from([FIRST_INSTANT - 1, LAST_INSTANT + 1]) | instants
zones = st.sampled_from(ZONE_NAMES).map(zone)


def inside(instant) -> bool:
    return type(instant) is int and FIRST_INSTANT <= instant <= LAST_INSTANT


def test_the_range_is_the_calendar_in_utc():
    assert format_instant(FIRST_INSTANT) == "0001-01-01T00:00:00Z"
    assert format_instant(LAST_INSTANT) == "9999-12-31T23:59:59Z"
    assert LONGEST_DURATION == LAST_INSTANT - FIRST_INSTANT


@edges
@given(any_instant)
def test_an_instant_is_checked_converted_and_written_or_a_time_error(instant):
    if not inside(instant):
        for function in (check_instant, to_datetime, format_instant):
            with pytest.raises(TimeError):
                function(instant)
        return
    assert check_instant(instant) == instant
    assert to_instant(to_datetime(instant)) == instant
    assert parse_instant(format_instant(instant)) == instant


@edges
@given(aware_datetimes)
def test_a_date_time_is_an_instant_or_a_time_error(moment):
    try:
        instant = to_instant(moment)
    except TimeError as error:
        assert "instant there is" in str(error)
        return
    assert inside(instant)
    assert parse_instant(moment) == instant == parse_instant(moment.isoformat())


@edges
@given(values | texts)
def test_parse_instant_of_anything_is_an_instant_or_a_time_error(value):
    try:
        instant = parse_instant(value, "`start`")
    except TimeError as error:
        assert str(error).startswith("`start`: ") and len(str(error)) < 300
        return
    assert inside(instant)


@edges
@given(instants, st.times(), zones)
def test_the_next_local_time_is_an_instant_at_or_after_now_or_a_time_error(instant, time, tz):
    try:
        found = next_local_time(instant, time, tz)
    except TimeError as error:
        assert "after 9999-12-31T23:59:59Z" in str(error)
        return
    assert inside(found) and found >= instant


@edges
@given(instants, zones)
def test_the_local_date_is_a_date_or_a_time_error(instant, tz):
    try:
        day = local_date(to_datetime(instant), tz)
    except TimeError as error:
        assert "outside the calendar" in str(error)
        return
    assert isinstance(day, datetime.date)


duration_texts = st.builds(lambda count, unit: f"{count}{unit}",
                           st.integers(0, 10 ** 20) | st.integers(1, 6000).map(lambda n: "9" * n),
                           st.sampled_from("smhdwx"))


@edges
@given(duration_texts | st.builds(lambda low, high: f"{low}..{high}", duration_texts,
                                  duration_texts) | values)
def test_a_delay_is_within_the_span_of_instants_or_a_time_error(text):
    try:
        low, high = parse_delay(text, "`delay`")
    except TimeError as error:
        assert str(error).startswith("`delay`: ") and len(str(error)) < 300
        return
    assert 0 <= low <= high <= LONGEST_DURATION


@pytest.mark.parametrize("text, message", [
    ("9999-12-31T23:00:00-05:00", "after 9999-12-31T23:59:59Z"),
    ("0001-01-01T00:00:00+01:00", "before 0001-01-01T00:00:00Z"),
    ("9999-12-31T23:59:59Z", None),
    ("0001-01-01T00:00:00Z", None),
])
def test_parse_instant_at_the_ends(text, message):
    if message is None:
        assert inside(parse_instant(text))
    else:
        with pytest.raises(TimeError, match=message):
            parse_instant(text, "--start")


def test_a_delay_longer_than_all_time_or_of_thousands_of_digits_is_a_time_error():
    with pytest.raises(TimeError, match="longer than any two instants"):
        parse_duration("3652059d")
    with pytest.raises(TimeError, match="longer than any two instants"):
        parse_delay("1h.." + "9" * 5000 + "d")
    assert parse_duration("3652058d") == 3652058 * 86400


def test_today_at_the_first_instant_west_of_utc_is_outside_the_calendar():
    with pytest.raises(TimeError, match="before 0001-01-01"):
        local_date(to_datetime(FIRST_INSTANT), zone("Etc/GMT+12"))
    assert local_date(to_datetime(FIRST_INSTANT), zone("Etc/GMT-14")) == datetime.date(1, 1, 1)
