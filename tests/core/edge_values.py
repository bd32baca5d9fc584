"""Hypothesis strategies for values at the edges: every type a value of the language can have,
and what a careless input could still hand over (NaN, infinities, whole numbers of thousands
of digits, date-times whose instant leaves 0001–9999, naive date-times)."""

from __future__ import annotations

import datetime

from hypothesis import strategies as st

from journeylang.core.instants import FIRST_INSTANT, LAST_INSTANT, to_datetime
from journeylang.core.values import MAX_NUMBER

#: Offsets from the widest west to the widest east (a fixed offset may be up to a day).
OFFSETS = st.sampled_from([datetime.timedelta(hours=hours)
                           for hours in (-23, -12, -5, 0, 1, 14, 23)])

#: Named zones at the ends of the world, and one with daylight saving time.
ZONE_NAMES = ["UTC", "Etc/GMT+12", "Etc/GMT-14", "Pacific/Kiritimati", "Pacific/Pago_Pago",
              "America/New_York", "Europe/Paris"]

huge_integers = st.builds(lambda digits, sign, low: sign * (10 ** digits + low),
                          st.integers(15, 6000), st.sampled_from([1, -1]), st.integers(0, 10 ** 6))
# (drawn by their number of digits: hypothesis writes out what it samples from, and a whole
# number of more than 4,300 digits cannot be written out)
edge_integers = st.sampled_from([0, 1, -1, 2 ** 53, 2 ** 53 + 1, int(MAX_NUMBER), -int(MAX_NUMBER),
                                 int(MAX_NUMBER) + 1, 10 ** 308, 10 ** 309]) | st.sampled_from(
    [4299, 4300, 4301, 5000]).map(lambda digits: -(10 ** digits))
integers = st.integers() | huge_integers | edge_integers
floats = st.floats() | st.sampled_from([MAX_NUMBER, -MAX_NUMBER, 5e-324, float("inf"),
                                        float("-inf"), float("nan"), 1e308, 1e21, 1e-300])
numbers = integers | floats

dates = st.dates() | st.sampled_from([datetime.date.min, datetime.date.max])
durations = st.timedeltas() | st.sampled_from([
    datetime.timedelta.min, datetime.timedelta.max, datetime.timedelta(0),
    datetime.timedelta(seconds=LAST_INSTANT - FIRST_INSTANT), datetime.timedelta(microseconds=1)])
times = st.times()


def _aware(moment: datetime.datetime, offset: datetime.timedelta) -> datetime.datetime:
    return moment.replace(tzinfo=datetime.timezone(offset))


#: Date-times with an offset, over the whole calendar: some fall outside the instants in UTC.
aware_datetimes = st.builds(_aware, st.datetimes(), OFFSETS) | st.sampled_from([
    to_datetime(FIRST_INSTANT), to_datetime(LAST_INSTANT),
    _aware(datetime.datetime.max, datetime.timedelta(hours=-12)),
    _aware(datetime.datetime.min, datetime.timedelta(hours=14))])
#: Date-times the language makes: aware, with an instant there is.
instants = st.integers(FIRST_INSTANT, LAST_INSTANT) | st.sampled_from([FIRST_INSTANT, LAST_INSTANT])
datetimes_in_range = instants.map(to_datetime)

texts = st.text() | st.sampled_from(["", "2026-03-01", "9999-12-31T23:00:00-05:00",
                                     "0001-01-01T00:00:00+01:00", "1e400", "NaN", "a" * 5000])

scalars = (st.none() | st.booleans() | numbers | texts | dates | aware_datetimes
           | st.datetimes() | durations | times)

#: Any value at all, lists and records of them included.
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(texts, inner, max_size=4), max_leaves=12)
