"""Runs at the ends of time: events near 0001-01-01 and 9999-12-31, in zones far west and far
east, through waits, local times, `today()` and date arithmetic. A computation that leaves
the instants is a runtime error of its instance; the run goes on, ends, writes only instants
there are, and gives the same report whoever watches."""

from __future__ import annotations

import io
import json
import pathlib
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeylang.core.events import Event
from journeylang.core.instants import FIRST_INSTANT, LAST_INSTANT, parse_instant
from journeylang.run import simulate

DAY = 86400

JOURNEY = """
journey "Edge" {{
    timezone "{zone}"
    on event go
    send email "first" with {{ day: today(), later: now() + event.days * 1d }}
    wait {wait}
    wait until 09:00
    wait until now() + event.days * 1d
    send email "last" with {{ back: now() - event.days * 1d, age: age(event.born) }}
}}
"""

PROGRAMS = [("UTC", "1d"), ("Etc/GMT+12", "1h"), ("Pacific/Kiritimati", "30d"),
            ("America/New_York", "90d")]


@pytest.fixture(scope="module", params=PROGRAMS, ids=["-".join(p) for p in PROGRAMS])
def workspace(request):
    zone, wait = request.param
    with tempfile.TemporaryDirectory(prefix="journeylang-edges-") as directory:
        (pathlib.Path(directory) / "edge.journey").write_text(
            JOURNEY.format(zone=zone, wait=wait), encoding="utf-8")
        yield directory


near_the_ends = (st.integers(FIRST_INSTANT, FIRST_INSTANT + 40 * DAY)
                 | st.integers(LAST_INSTANT - 120 * DAY, LAST_INSTANT)
                 | st.sampled_from([FIRST_INSTANT, LAST_INSTANT]))
events = st.lists(st.builds(lambda time, profile, days, born: (time, profile, days, born),
                            near_the_ends, st.sampled_from(["p1", "p2", "p3"]),
                            st.integers(-5000, 5000) | st.sampled_from([0, 1, 10 ** 6]),
                            st.sampled_from(["0001-01-01", "9999-12-31", "2000-02-29", None])),
                  min_size=1, max_size=6)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(events)
def test_a_run_at_the_ends_of_time_ends_in_range_whoever_watches(workspace, drawn):
    def inputs():
        return dict(profiles=[{"id": "p1"}, {"id": "p2"}, {"id": "p3"}],
                    events=sorted((Event(time, who, "go", {"days": days, "born": born})
                                   for time, who, days, born in drawn), key=lambda e: e.time))

    alone = simulate(workspace, **inputs()).report
    trace = io.StringIO()
    assert simulate(workspace, trace=trace, **inputs()).report == alone
    for line in trace.getvalue().splitlines():
        record = json.loads(line)
        assert FIRST_INSTANT <= parse_instant(record["time"]) <= LAST_INSTANT
        if record.get("until") is not None:
            assert parse_instant(record["until"]) <= LAST_INSTANT
