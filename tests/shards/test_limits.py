"""An action's `rate` and `cap` over shards (§9): each shard enforces its share (L // S, one
more for the first L % S shards), the report says how they were shared, and a limit smaller
than the shards keeps the run in one process."""

from __future__ import annotations

import collections
import io
import json

import pytest

from journeylang.core.events import Event
from journeylang.core.instants import parse_instant
from journeylang.report.html import render_html
from journeylang.run import simulate
from journeylang.shards import shard_of, share_of_limit
from journeylang.workspace import load

START = parse_instant("2026-03-01T09:00:00Z")
PROGRAM = """action "crm.lookup" {{
    rate {rate}/s
    cap {cap} per 1d
}}

journey "Lookup" {{
    on event signup
    call "crm.lookup" with {{ id: profile.id }} on error {{ send email "fallback" }}
    send email "after"
}}
"""


def run(tmp_path, rate: int, cap: int, count: int, **options):
    (tmp_path / "case.journey").write_text(PROGRAM.format(rate=rate, cap=cap))
    profiles = [{"id": f"p{i}"} for i in range(count)]
    events = [Event(START, profile["id"], "signup", {}) for profile in profiles]
    trace = io.StringIO()
    result = simulate(tmp_path, profiles=profiles, events=events, trace=trace, **options)
    return result.report, [json.loads(line) for line in trace.getvalue().splitlines()]


@pytest.mark.parametrize("limit, count", [(5, 2), (7, 3), (3, 3), (100, 7)])
def test_the_shares_add_up_to_the_limit_and_the_first_shards_take_the_rest(limit, count):
    shares = [share_of_limit(limit, index, count) for index in range(count)]
    assert sum(shares) == limit
    assert shares == sorted(shares, reverse=True) and max(shares) - min(shares) <= 1
    assert shares.count(limit // count + 1) == limit % count


def test_each_shard_starts_at_most_its_share_of_calls_per_second(tmp_path):
    report, records = run(tmp_path, rate=3, cap=1000, count=40, workers=2)
    assert report["limits_shared"] == {
        "workers": 2, "actions": [{"action": "crm.lookup", "rate": [2, 1], "cap": [500, 500]}]}
    assert report["actions"][0]["rate"] == {"calls": 3, "per": 1}  # the declared limit
    started = collections.Counter((shard_of(r["profile"], 2), r["time"]) for r in records
                                  if r["kind"] == "call" and r.get("error") is None)
    assert max(n for (shard, _), n in started.items() if shard == 0) == 2
    assert max(n for (shard, _), n in started.items() if shard == 1) == 1
    assert sum(started.values()) == 40  # nobody waited six hours
    assert "one_process" not in report


def test_each_shard_caps_at_its_share(tmp_path):
    report, records = run(tmp_path, rate=100, cap=5, count=12, workers=2)
    calls = [r for r in records if r["kind"] == "call"]
    ok = collections.Counter(shard_of(r["profile"], 2) for r in calls if r["ok"])
    assert ok == {0: 3, 1: 2}
    assert report["actions"][0]["calls"] == 5
    assert report["actions"][0]["failures"] == {"capped": 7}


def test_where_no_limit_is_reached_the_report_is_that_of_one_process(tmp_path):
    one, one_trace = run(tmp_path, rate=50, cap=1000, count=30)
    two, two_trace = run(tmp_path, rate=50, cap=1000, count=30, workers=2)
    assert two.pop("limits_shared")["actions"] == [
        {"action": "crm.lookup", "rate": [25, 25], "cap": [500, 500]}]
    assert two == one and two_trace == one_trace


def test_a_limit_smaller_than_the_shards_keeps_the_run_in_one_process(tmp_path):
    one, _ = run(tmp_path, rate=2, cap=1000, count=10)
    three, _ = run(tmp_path, rate=2, cap=1000, count=10, workers=3)
    assert three.pop("one_process") == ("action `crm.lookup` has a rate of 2, too small to "
                                        "share out over 3 workers")
    assert three == one and "limits_shared" not in three


def test_the_text_and_html_reports_say_the_limits_were_shared(tmp_path):
    from rich.console import Console
    from journeylang.report.text import render
    report, _ = run(tmp_path, rate=3, cap=5, count=4, workers=2)
    console = Console(width=200, record=True)
    render(report, console)
    text = " ".join(console.export_text().split())
    note = ("note: the actions' limits were shared out over 2 workers, each enforcing its "
            "share")
    assert note in text and "crm.lookup: rate shares 2 + 1, cap shares 3 + 2" in text
    page = render_html(report, load([tmp_path]))
    assert "limits were shared out over 2 workers" in page.replace("&#x27;", "'")
