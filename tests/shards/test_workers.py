"""Runs over shards (§9): every run case and example gives, with two worker processes, the
report of one process byte for byte, the same trace and the profiles as one process leaves
them; where an action's limits are shared out over the workers, wherever no limit was
reached."""

from __future__ import annotations

import io
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import pytest

from journeylang.inputs import load_scenario
from journeylang.run import SimulationError, simulate
from journeylang import shards as shards_module
from journeylang.shards import plan, shard_of, split

from ..conftest import CASES, EXAMPLES

RUN_CASES = sorted(path for path in (CASES / "run").iterdir() if path.is_dir())
EXAMPLE_DIRS = sorted(path for path in EXAMPLES.iterdir() if path.is_dir())


def run_case(case, monkeypatch, **options) -> tuple[str, str, dict]:
    """(the report as JSON, the trace, the profiles as the run left them) of a case."""
    monkeypatch.chdir(case)
    trace = io.StringIO()
    scenario = "scenario.toml" if (case / "scenario.toml").exists() else None
    result = simulate(".", scenario=scenario, trace=trace, **options)
    report = result.report
    if options:  # a run that stayed in one process says why, and is otherwise the same
        assert (report.pop("one_process", None) is not None) == stays_in_one_process(case)
        assert (report.pop("limits_shared", None) is not None) == shares_limits(case)
    return json.dumps(report, indent=2), trace.getvalue(), result.profiles


def _texts(case) -> list[str]:
    return [path.read_text() for path in case.glob("*.journey")]


def stays_in_one_process(case) -> bool:
    """The cases whose workspace caps a journey's entries, has a read longer than a second, a
    campaign, or an action's limit smaller than two."""
    return any(re.search(r"cap entries|read audience .* rate |\ncampaign |\n    rate 1/|"
                         r"\n    cap 1 ", text) for text in _texts(case))


def shares_limits(case) -> bool:
    """The cases whose actions' limits two workers share out."""
    return not stays_in_one_process(case) and any(
        word in text for text in _texts(case) for word in ("\n    rate ", "\n    cap "))


def reached_a_limit(report: str) -> bool:
    return any(action["longest_queue_wait"] or action["failures"].get("throttled")
               or action["failures"].get("capped") for action in json.loads(report)["actions"])


def shares_items(case) -> bool:
    """Whether a lifecycle step ends instances of profiles in more than one shard at one
    instant: their records at that instant may then come in another order (§9 asks for time
    order and each profile's own order). Audience reads give each member a place of its own."""
    scenario = case / "scenario.toml"
    return (scenario.exists() and bool(load_scenario(scenario).lifecycle)
            and not stays_in_one_process(case))


def by_profile(trace: str) -> dict[str, list[dict]]:
    """Each profile's records in order, instances named by their order within the profile."""
    records: dict[str, list[dict]] = {}
    names: dict[tuple[str, int], int] = {}
    for line in trace.splitlines():
        record = json.loads(line)
        if record["instance"] is not None:
            key = (record["profile"], record["instance"])
            record["instance"] = names.setdefault(key, len([k for k in names if k[0] == key[0]]))
        records.setdefault(record["profile"], []).append(record)
    return records


def assert_case_runs_as_one_process(case, monkeypatch, **options) -> None:
    """With `options` (workers, a scheduler), the case's report byte for byte and its profiles
    are those of one process, and its trace the same bytes (or, where a lifecycle step ends
    instances in several shards at one instant, the same records in time order and in each
    profile's order), unless a shard reached its share of an action's limits."""
    report, trace, profiles = run_case(case, monkeypatch)
    sharded_report, sharded_trace, sharded_profiles = run_case(case, monkeypatch, **options)
    if shares_limits(case) and (reached_a_limit(report) or reached_a_limit(sharded_report)):
        return  # each shard kept its share of the limits: tests/shards/test_limits.py
    assert sharded_report == report
    assert sharded_profiles == profiles
    if not shares_items(case):
        assert sharded_trace == trace
        return
    times = [json.loads(line)["time"] for line in sharded_trace.splitlines()]
    assert times == sorted(times)
    assert by_profile(sharded_trace) == by_profile(trace)


@pytest.mark.parametrize("case", RUN_CASES, ids=[case.name for case in RUN_CASES])
def test_two_workers_give_the_report_and_trace_of_one(case, monkeypatch):
    assert_case_runs_as_one_process(case, monkeypatch, workers=2)


def test_enough_cases_are_byte_identical():
    """Most cases have no shared items: their trace is compared byte for byte."""
    assert sum(not shares_items(case) for case in RUN_CASES) >= 50


def assert_example_runs_as_one_process(example, monkeypatch, **options) -> None:
    """The example's report (as JSON) and profiles with `options` (workers, a scheduler) are
    those of one process, unless a shard reached its share of an action's limits."""
    monkeypatch.chdir(example)
    scenario = "scenario.toml" if (example / "scenario.toml").exists() else None

    def run(**options):
        result = simulate(".", scenario=scenario, **options)
        result.report.pop("one_process", None)  # a run that stayed in one process says why
        result.report.pop("limits_shared", None)  # and one over shards how it shared limits
        return json.dumps(result.report, indent=2), result.profiles

    (one, profiles), (sharded, sharded_profiles) = run(), run(**options)
    if not (shares_limits(example) and (reached_a_limit(one) or reached_a_limit(sharded))):
        assert sharded == one
        assert sharded_profiles == profiles


@pytest.mark.parametrize("example", EXAMPLE_DIRS, ids=[path.name for path in EXAMPLE_DIRS])
def test_every_example_gives_the_same_report_with_two_workers(example, monkeypatch):
    """As `journey run EXAMPLE --workers 2` does (the command itself: tests/cases/cli)."""
    assert_example_runs_as_one_process(example, monkeypatch, workers=2)


def test_the_profiles_a_shard_changed_are_the_caller_s_own(monkeypatch):
    """`set profile` in a worker changes the profile the caller gave, as in one process."""
    monkeypatch.chdir(EXAMPLES / "onboarding")
    given = [json.loads(line) for line in open("profiles.jsonl")]
    result = simulate(".", profiles=given, workers=2)
    changed = [profile for profile in given if profile.get("onboarded")]
    assert changed and all(result.profiles[profile["id"]] is profile for profile in given)


def test_on_record_and_kept_records_see_the_merged_records(monkeypatch):
    case = CASES / "run" / "behaviours-seeded"
    monkeypatch.chdir(case)
    seen = []
    one = simulate(".", scenario="scenario.toml", keep_records=True).records
    two = simulate(".", scenario="scenario.toml", keep_records=True, workers=3,
                   on_record=seen.append).records
    assert two == one == seen
    assert all(isinstance(record.time, int) for record in seen)


def test_the_shard_of_a_profile_is_a_stable_hash_of_its_id():
    """CRC-32, the same in every process whatever PYTHONHASHSEED says."""
    assert [shard_of(f"p{i}", 4) for i in range(8)] == [1, 3, 1, 3, 0, 2, 0, 2]
    script = "from journeylang.shards import shard_of; print(shard_of('someone', 7))"
    answers = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
               for seed in ("1", "2")}
    assert answers == {f"{shard_of('someone', 7)}\n"}


def test_events_and_audience_members_go_with_their_profile():
    from journeylang.core.events import Event
    profiles = [{"id": f"p{i}"} for i in range(20)]
    events = [Event(i, f"p{i % 25}", "signup", {}) for i in range(50)]
    audiences = {"all": [f"p{i}" for i in range(25)]}
    shards = split(plan(None, profiles, events, audiences, 3))
    for index, shard in enumerate(shards):
        assert all(shard_of(profile_id, 3) == index for profile_id in shard.profiles)
        assert all(shard_of(event.profile, 3) == index for event in shard.events)
        assert all(shard_of(member, 3) == index for member in shard.audiences["all"])
        assert [events[number] for number in shard.numbers] == shard.events
    assert sorted(number for shard in shards for number in shard.numbers) == list(range(50))
    assert sum(len(shard.audiences["all"]) for shard in shards) == 25


def test_a_worker_plans_its_own_shard_as_the_whole_plan_places_it():
    """A forked worker plans only its own share: the same profiles and events as the plan of
    every shard gives it, and nothing of the others'."""
    from journeylang.core.events import Event
    profiles = [{"id": f"p{i}"} for i in range(30)]
    events = [Event(i, f"p{i % 35}", "signup", {}) for i in range(60)]
    whole = plan(None, profiles, events, None, 3)
    for index in range(3):
        mine = plan(None, profiles, events, None, 3, only=index)
        assert mine.mine[index] == whole.mine[index] and mine.theirs[index] == whole.theirs[index]
        assert [positions is None for positions in mine.mine] == [i != index for i in range(3)]


@pytest.mark.parametrize("count", [2, 3, 300])
@pytest.mark.parametrize("as_dict", [False, True], ids=["list", "dict"])
def test_the_ids_hashed_in_slices_are_the_ids_shards(count, as_dict):
    """The forked processes hash the ids in slices, in memory they share: the shards they read
    back are every profile's and every event's, over one byte each or (more than 256 shards)
    more; a slice whose process never comes is hashed, after the wait, by the one waiting."""
    from journeylang.core.events import Event
    profiles = [{"id": f"p{i}"} for i in range(40)]
    events = [Event(i, f"p{i % 45}", "signup", {}) for i in range(70)]
    given = {profile["id"]: profile for profile in profiles} if as_dict else profiles
    hashed = shards_module.Hashed(given, events, count)
    hashed.hash_slice(1)  # (another process's slice, done before this one's wait)
    started = time.monotonic()
    profile_shards, event_shards = hashed.shards(0, wait=0.1)  # (nobody else comes)
    assert time.monotonic() - started < 5
    assert list(profile_shards) == shards_module.shards_of(
        (profile["id"] for profile in profiles), count)
    assert list(event_shards) == shards_module.shards_of((e.profile for e in events), count)
    assert all(hashed.done)
    whole = plan(None, given, events, None, count)
    for index in (0, 1, count - 1):  # and a shard's positions read from them are the plan's
        mine = plan(None, given, events, None, count, only=index,
                    hashed=(profile_shards, event_shards))
        assert mine.mine[index] == whole.mine[index] and mine.theirs[index] == whole.theirs[index]


def test_nothing_to_hash():
    profile_shards, event_shards = shards_module.Hashed([], [], 2).shards(0, wait=0.05)
    assert list(profile_shards) == [] and list(event_shards) == []


@pytest.mark.parametrize("trace", [False, True], ids=["report", "trace"])
def test_the_unknown_profiles_named_are_those_one_process_names(tmp_path, trace):
    """Events of profiles not in the data, over every shard: the report names the first five
    as one process does, by where each was first seen (a shard that has such events keys its
    clock to know it, traced or not), at one instant and at several."""
    (tmp_path / "j.journey").write_text('journey "J" {\n    on event signup\n'
                                        '    send email "hi"\n}\n')
    profiles = [{"id": f"p{i}"} for i in range(10)]
    events = [{"time": f"2026-03-01T09:00:{i // 4:02d}Z", "profile": f"p{(i * 7) % 40}",
               "event": "signup", "data": {}} for i in range(120)]
    from journeylang import simulate as simulate_data  # (the API: events as dicts)
    options = {"trace": io.StringIO()} if trace else {}
    one = simulate_data(tmp_path, profiles=profiles, events=events, **options).report
    assert len(one["unknown_profiles"]) == 5 and one["unknown_profile_events"] == 90
    for workers in (2, 3):
        options = {"trace": io.StringIO()} if trace else {}
        sharded = simulate_data(tmp_path, profiles=profiles, events=events, workers=workers,
                                **options).report
        assert json.dumps(sharded, indent=2) == json.dumps(one, indent=2)


def test_this_process_waits_for_its_workers_to_start_but_not_for_ever():
    """Before it simulates its own shard, the command waits until every forked worker has
    said it started (the hand-over needs this process's interpreter), at most `longest`."""
    read, write = os.pipe()
    try:
        os.write(write, b"ss")
        started = time.monotonic()
        shards_module._started(read, 2, longest=5)
        assert time.monotonic() - started < 1
        started = time.monotonic()
        shards_module._started(read, 1, longest=0.2)  # (nobody says so: it gives up)
        assert 0.15 < time.monotonic() - started < 2
    finally:
        os.close(read)
        os.close(write)


COMMAND = os.getpid()


def _ends_in_a_worker(shard, progress=None):
    """A shard's run that ends its process abruptly, in a worker (not in the command)."""
    if os.getpid() != COMMAND:
        os._exit(3)
    return _RUN_SHARD(shard, progress)


_RUN_SHARD = shards_module.run_shard


def test_a_worker_that_ends_abruptly_is_an_error_not_a_traceback(monkeypatch):
    monkeypatch.setattr(shards_module, "run_shard", _ends_in_a_worker)
    with pytest.raises(SimulationError, match="a worker ended before its shard was done"):
        simulate(EXAMPLES / "welcome", workers=2)


def test_workers_the_system_cannot_start_are_an_error_not_a_traceback(monkeypatch):
    def fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(SimulationError, match="cannot start the worker processes "
                                              r"\(Resource temporarily unavailable\)"):
        simulate(EXAMPLES / "welcome", workers=2)


def test_workers_below_one_are_refused():
    with pytest.raises(SimulationError, match="workers must be at least 1"):
        simulate(EXAMPLES / "welcome", workers=0)


@pytest.mark.parametrize("workers", [None, 2, 3])
def test_progress_goes_up_to_every_event(workers, monkeypatch):
    """With workers, this process tells of the shard it runs, as a share of every event."""
    monkeypatch.chdir(EXAMPLES / "onboarding")
    told: list[tuple[int, int]] = []
    result = simulate(".", scenario="scenario.toml", workers=workers,
                      progress=lambda done, total: told.append((done, total)))
    events = len(result.events)
    assert events > 0 and told[-1] == (events, events)
    assert {total for _, total in told} == {events}
    assert [done for done, _ in told] == sorted(done for done, _ in told)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a worker's end with its "
                    "command is asked of Linux (prctl)")
def test_a_worker_ends_when_its_command_is_killed():
    """Killed by a time limit, the command takes its workers with it: none goes on
    simulating a shard for nobody."""
    script = ("import sys; from journeylang.core.events import Event; "
              "from journeylang.run import simulate; "
              "profiles = [{'id': f'p{i}', 'tier': 'gold'} for i in range(1_000_000)]; "
              "events = [Event(i, f'p{i}', 'signup', {}) for i in range(1_000_000)]; "
              "simulate(sys.argv[1], profiles=profiles, events=events, workers=2)")
    command = subprocess.Popen([sys.executable, "-c", script, str(EXAMPLES / "welcome")])
    try:
        workers = _children(command.pid, until=time.monotonic() + 60)
        assert workers, "the command started no worker"
        command.send_signal(signal.SIGKILL)
        command.wait()
        deadline = time.monotonic() + 2  # (its shard alone would take longer)
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers)
    finally:
        command.kill()
        command.wait()


def _children(pid: int, until: float) -> list[int]:
    """The processes `pid` started, once it has started some (or none, at `until`)."""
    while time.monotonic() < until:
        found = [int(child) for task in pathlib.Path(f"/proc/{pid}/task").iterdir()
                 for child in (task / "children").read_text().split()]
        if found:
            return found
        time.sleep(0.05)
    return []


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, ended and not yet reaped by init, does not)."""
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False
