"""The report's figures (§8.3): ways taken, waits for an event, profiles still waiting, the first
runtime errors, the hold-out's lift. Each is checked against what the trace and the inputs say
on their own, for a run made to show them all and for every run case."""

from __future__ import annotations

import collections
import json

import pytest

from journeylang import api

from ..conftest import CASES

FIGURES = '''
event signup {}
event purchase {}
event unsubscribed {}

journey "Figures" {
    exit on event unsubscribed
    holdout 30%
    on event signup
    split {
        50% { send email "a" }
        50% { send email "b" }
    }
    wait for event purchase within 2d {
        send email "thanks"
    } on timeout {
        if profile.tier == "gold" {
            send email "gold"
        } else {
            let broken = 1 / profile.zero
        }
    }
    wait 10d
    send email "done"
}
'''

START = 1_772_323_200  # 2026-03-01T00:00:00Z
DAY = 86400
PROFILES = [{"id": f"p{i:02}", "tier": "gold" if i % 2 else "silver", "zero": 0}
            for i in range(40)]


def events() -> list[dict]:
    """Every profile signs up; a third buy within the day, a third after the wait's 2 days;
    one in five unsubscribes on day 3."""
    given = [{"time": START, "profile": p["id"], "event": "signup", "data": {}} for p in PROFILES]
    for index, profile in enumerate(PROFILES):
        if index % 3 == 0:
            given.append({"time": START + DAY, "profile": profile["id"], "event": "purchase"})
        elif index % 3 == 1:
            given.append({"time": START + 3 * DAY, "profile": profile["id"], "event": "purchase"})
        if index % 5 == 0:
            given.append({"time": START + 3 * DAY + 60, "profile": profile["id"],
                          "event": "unsubscribed"})
    return sorted(given, key=lambda event: event["time"])


@pytest.fixture(scope="module")
def figures():
    result = api.simulate(source={"figures.journey": FIGURES}, profiles=[dict(p) for p in PROFILES],
                          events=events(), until=START + 5 * DAY, keep_records=True)
    version = result.report["journeys"][0]["versions"][0]
    return version, [record.to_json() for record in result.records]


def line_of(version, line: int) -> dict:
    return next(s for s in version["statements"] if s["line"] == line)


def test_split_arms_are_the_profiles_that_took_them(figures):
    version, trace = figures
    split = line_of(version, 10)
    arms = [way["profiles"] for way in split["ways"]]
    sent = collections.Counter(r["message"] for r in trace if r["kind"] == "send")
    assert arms == [sent["a"], sent["b"]] and sum(arms) == split["reached"] == version["entries"]
    assert [way["way"] for way in split["ways"]] == ["50%", "50%"]


def test_waits_for_an_event_count_received_and_timed_out(figures):
    version, trace = figures
    held_out = {r["profile"] for r in trace if r["kind"] == "holdout"}
    treated = [p["id"] for p in PROFILES if p["id"] not in held_out]
    in_time = [p for p in treated if int(p[1:]) % 3 == 0]
    [wait] = version["waits_for_event"]
    assert (wait["event"], wait["line"], wait["within"]) == ("purchase", 14, True)
    assert wait["received"] == len(in_time) == line_of(version, 15)["reached"]
    assert wait["timed_out"] == len(treated) - len(in_time)
    assert wait["waiting"] == 0


def test_if_branches_and_runtime_errors(figures):
    version, trace = figures
    timed_out = version["waits_for_event"][0]["timed_out"]
    branches = line_of(version, 17)
    gold, silver = (way["profiles"] for way in branches["ways"])
    assert gold + silver == timed_out == branches["reached"]
    errors = [r for r in trace if r["kind"] == "error"]
    assert version["errors"] == len(errors) == silver == line_of(version, 20)["errors"]
    assert len(version["first_errors"]) == 5 and version["more_errors"] == len(errors) - 5
    for shown, record in zip(version["first_errors"], errors):
        assert f"{shown['file']}:{shown['line']}:{shown['column']}" == record["node"]
        assert (shown["time"], shown["profile"], shown["message"]) == (
            record["time"], record["profile"], record["message"])
        assert "division by zero" in shown["message"]


def test_profiles_still_waiting_at_the_end(figures):
    version, trace = figures
    wait = line_of(version, 23)
    assert wait["statement"] == "wait"
    assert wait["waiting"] == version["in_flight"] > 0
    assert sum(s["waiting"] for s in version["statements"]) == version["in_flight"]


def test_the_lift_is_the_share_of_each_group_that_sent_each_event_after_entry(figures):
    version, trace = figures
    held_out = {r["profile"] for r in trace if r["kind"] == "holdout"}
    treated = {r["profile"] for r in trace if r["kind"] == "enter"}
    lift = version["lift"]
    assert (lift["held_out"], lift["treated"]) == (len(held_out), len(treated))
    assert held_out and treated
    senders = collections.defaultdict(set)
    for event in events():
        if event["event"] != "signup":
            senders[event["event"]].add(event["profile"])
    assert [event["event"] for event in lift["events"]] == ["unsubscribed", "purchase"]
    for event in lift["events"]:
        sent = senders[event["event"]]
        assert event["held_out_senders"] == len(sent & held_out)
        assert event["treated_senders"] == len(sent & treated)
        assert event["held_out_share"] == round(len(sent & held_out) / len(held_out), 4)
        assert event["treated_share"] == round(len(sent & treated) / len(treated), 4)
        assert event["lift"] == round(event["treated_share"] - event["held_out_share"], 4)


def test_json_reports_carry_a_schema_version_and_spans_as_fields(figures):
    version, _ = figures
    statement = version["statements"][0]
    assert {"file", "line", "column"} <= set(statement) and "node" not in statement
    assert statement["file"] == "figures.journey"
    result = api.simulate(source="journey \"J\" { on event e\n send email \"m\" }", events=[],
                          start=START)
    assert result.report["schema_version"] == 2
    json.dumps(result.report)


RUN_CASES = sorted(path for path in (CASES / "run").iterdir() if path.is_dir())


@pytest.mark.parametrize("case", RUN_CASES, ids=[case.name for case in RUN_CASES])
def test_the_figures_agree_with_the_trace(case, monkeypatch):
    """For every run case: errors per statement and the first errors are the trace's error
    records; the profiles waiting at a `wait`, `wait until` or `wait for event` at the end are
    the trace's waits not resumed in instances that have not exited; ways out add up."""
    monkeypatch.chdir(case)
    scenario = "scenario.toml" if (case / "scenario.toml").exists() else None
    result = api.simulate(".", scenario=scenario, keep_records=True)
    trace = [record.to_json() for record in result.records]
    for journey in result.report["journeys"]:
        for version in journey["versions"]:
            mine = [r for r in trace if (r["journey"], r.get("version")) ==
                    (journey["journey"], version["version"])]
            errors = [r for r in mine if r["kind"] == "error"]
            by_node = collections.Counter(r["node"] for r in errors)
            shown = {f"{s['file']}:{s['line']}:{s['column']}": s for s in version["statements"]}
            assert {key: s["errors"] for key, s in shown.items() if s["errors"]} == {
                key: count for key, count in by_node.items() if key in shown}
            assert version["entry_errors"] == sum(c for k, c in by_node.items() if k not in shown)
            assert [(e["time"], e["profile"], e["message"]) for e in version["first_errors"]] == [
                (r["time"], r["profile"], r["message"]) for r in errors[:5]]
            pending = collections.Counter()
            per_instance = collections.defaultdict(list)
            for record in mine:
                if record["instance"] is not None:
                    per_instance[record["instance"]].append(record)
            for records in per_instance.values():
                if any(r["kind"] == "exit" for r in records):
                    continue
                for record in records:
                    if record["kind"] == "wait":
                        pending[record["node"]] += 1
                    elif record["kind"] == "resume":
                        pending[record["node"]] -= 1
            for key, statement in shown.items():
                if statement["statement"] in ("wait", "wait until", "wait for event"):
                    assert statement["waiting"] == pending[key], (key, statement)
                if statement["statement"] == "split":
                    assert sum(w["profiles"] for w in statement["ways"]) == statement["reached"]
                if statement["statement"] == "if":
                    taken = sum(w["profiles"] for w in statement["ways"])
                    assert taken + statement["errors"] == statement["reached"]
    for campaign in result.report["campaigns"]:
        activities = [r for r in trace if r["kind"] == "activity"
                      and r["journey"] == campaign["campaign"]]
        for execution in campaign["executions"]:
            passed = collections.Counter()
            for record in activities:
                if record["execution"] == execution["execution"]:
                    passed[record["node"]] += record["population"]
            assert {f"{p['file']}:{p['line']}:{p['column']}": p["population"]
                    for p in execution["populations"] if p["population"]} == passed
            joins = {(r["time"], r["node"]) for r in trace if r["kind"] == "join"
                     and r["journey"] == campaign["campaign"]
                     and r["execution"] == execution["execution"]}
            assert joins <= {(j["at"], f"{j['file']}:{j['line']}:{j['column']}")
                             for j in execution["joins"]}
        for statement in campaign["statements"]:
            total = sum(p["population"] for e in campaign["executions"] for p in e["populations"]
                        if (p["line"], p["column"]) == (statement["line"], statement["column"]))
            assert total == statement["reached"], statement


def test_a_profile_waits_at_a_join_while_a_branch_is_still_out():
    source = '''
    journey "J" {
        on event signup
        fork {
            branch a { send email "now" }
            branch b { wait for event purchase { send email "later" } }
            branch c when profile.tier == "gold" { wait 2d }
        }
        join a, b, c
        send email "after"
    }
    '''
    profiles = [{"id": "p1", "tier": "gold"}, {"id": "p2", "tier": "silver"}]
    signups = [{"time": START, "profile": p["id"], "event": "signup"} for p in profiles]
    result = api.simulate(source=source, profiles=profiles, events=signups, until=START + DAY)
    version = result.report["journeys"][0]["versions"][0]
    waiting = {s["statement"]: s["waiting"] for s in version["statements"]}
    assert waiting == {"fork": 0, "send": 0, "wait for event": 2, "wait": 1, "join": 2}
    fork = next(s for s in version["statements"] if s["statement"] == "fork")
    assert [way["profiles"] for way in fork["ways"]] == [2, 2, 1]
