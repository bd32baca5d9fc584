"""Properties of the simulator over generated programs and inputs (see programs.py).

(a) observers watch, they do not act: the report is the same with no observer, with a trace
and with an `on_record` callback (which is handed the trace's records, typed); (b) the trace
is in time order, each instance has one `enter` first and one `exit` last, and exits by its
journey's timeout (with an `until`: those whose timeout falls by then); (c) two runs write
the same bytes; (d) the trace's counts are the report's: entries, holdouts, exits and
rejections by reason, sends and suppressions per message, errors. Also, from the language's
§2: an instance whose path reaches a `wait` ending after its timeout ends there and then;
and from §6: every run ends (one still going after RUN_SECONDS fails).

Each property first tries the failures it found in the first runtime (KNOWN_FAILURES), then
JOURNEY_FUZZ_EXAMPLES generated cases (100 by default: the file takes about 20 seconds), the
same ones every time; JOURNEY_FUZZ_RANDOM=1 draws new ones instead.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import inspect
import io
import json
import os
import signal
import tempfile

from hypothesis import HealthCheck, assume, example, given, settings

from journeylang.checker import check_workspace
from journeylang.core.events import Event
from journeylang.run import simulate
from journeylang.workspace import load

from .programs import MAX_TIMEOUT, START, Case, JourneyInfo, Program, cases

settled = settings(max_examples=int(os.environ.get("JOURNEY_FUZZ_EXAMPLES", "100")),
                   deadline=None, derandomize=os.environ.get("JOURNEY_FUZZ_RANDOM") != "1",
                   database=None, suppress_health_check=[HealthCheck.too_slow])


def _signup_journey(body: str, timeout: int = MAX_TIMEOUT) -> Program:
    header = "" if timeout == MAX_TIMEOUT else f"    timeout {timeout // 3600}h\n"
    return Program.written(f'journey "J1" {{\n{header}    on event signup\n{body}}}\n',
                           JourneyInfo("J1", timeout, "signup", None, "never"))


_SIGNUP = [Event(START, "p1", "signup", {})]

# Failures that these properties found in the first runtime, as hypothesis shrank them: every
# property tries them before the generated cases.
KNOWN_FAILURES = (
    # a payload evaluated only when traced: the division by zero was an error with a trace
    # and a send without one; the report counted the send either way
    Case(_signup_journey('    send email "welcome" with { a: 100 / profile.points }\n'),
         [{"id": "p1", "points": 0}], _SIGNUP),
    # a joined branch ending in a fork without a join never arrived: the instance stayed at
    # the join, and no timeout was armed to end it
    Case(_signup_journey("    fork {\n        branch b1 {\n            fork {\n"
                         "                branch b2 { }\n            }\n        }\n    }\n"
                         "    join b1\n"),
         [{"id": "p1"}], _SIGNUP),
    # the same with a joined branch whose call fails without `on error`
    Case(_signup_journey('    fork {\n        branch b1 {\n            call "crm.sync"\n'
                         "        }\n    }\n    join b1\n"),
         [{"id": "p1"}], _SIGNUP, scenario='[[behaviour]]\ncall = "crm.sync"\nfail = 1.0\n'),
    # a wait ending after the timeout: the instance waited until the timeout instead of
    # ending when it reached the wait
    Case(_signup_journey("    wait until 09:00\n", timeout=2 * 3600), [{"id": "p1"}], _SIGNUP),
    # two recurring reads kept each other going: the run never ended
    Case(Program.written('audience "gold members" = profile.tier == "gold"\n\n'
                         'journey "J1" {\n    read audience "gold members" every 1d\n}\n\n'
                         'journey "J2" {\n    read audience "gold members" every 1d\n}\n',
                         JourneyInfo("J1", MAX_TIMEOUT, None, "gold members", "never"),
                         JourneyInfo("J2", MAX_TIMEOUT, None, "gold members", "never")),
         [{"id": "p1", "tier": "gold"}], []),
)


def fuzz(test):
    """The suite's settings, the known failures, then generated cases."""
    for case in reversed(KNOWN_FAILURES):
        test = example(case)(test)
    return settled(given(cases())(test))


@contextlib.contextmanager
def written(case: Case):
    """The case in a directory of its own, once the checker has accepted it."""
    with tempfile.TemporaryDirectory(prefix="journeylang-fuzz-") as directory:
        case.write(directory)
        diagnostics = check_workspace(load([directory]), audiences=case.audiences)
        assume(not any(diagnostic.is_error for diagnostic in diagnostics))
        yield directory


RUN_SECONDS = 10  # a generated run takes milliseconds; one still going after this never ends


@contextlib.contextmanager
def ending():
    """Fails a run that goes on for RUN_SECONDS of real time: the contract says every run
    ends (a recurring read without an end repeats for 91 days, then stops). Where there is no
    interval timer, runs are not timed."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum, frame):
        raise AssertionError(f"the run was still going after {RUN_SECONDS}s: it never ends")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, RUN_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(case: Case, directory, **observers):
    with ending():
        return simulate(directory, **case.simulate_arguments(directory), **observers)


def traced(case: Case, directory) -> tuple[dict, str]:
    """The report and the trace's text of one run."""
    trace = io.StringIO()
    report = run(case, directory, trace=trace).report
    return report, trace.getvalue()


def records_of(trace: str) -> list[dict]:
    return [json.loads(line) for line in trace.splitlines()]


def seconds(text: str) -> int:
    return int(datetime.datetime.fromisoformat(text).timestamp())


def differences(expected, actual, where="report") -> list[str]:
    """Where two JSON values differ, as `path: expected != actual` lines."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual), key=str):
            found += differences(expected.get(key), actual.get(key), f"{where}.{key}")
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        found = []
        for index, (left, right) in enumerate(zip(expected, actual)):
            found += differences(left, right, f"{where}[{index}]")
        return found
    return [] if expected == actual else [f"{where}: {expected!r} != {actual!r}"]


# ---- (a) observers do not act ----------------------------------------------------------

@fuzz
def test_a_trace_does_not_change_the_report(case):
    with written(case) as directory:
        quiet = run(case, directory).report
        watched, _ = traced(case, directory)
        assert watched == quiet, "\n".join(["with a trace, the report changes:",
                                            *differences(quiet, watched)])


def test_an_on_record_callback_does_not_change_the_report():
    assert "on_record" in inspect.signature(simulate).parameters, \
        "simulate() takes no on_record= callback"
    an_on_record_callback_does_not_change_the_report()


@fuzz
def an_on_record_callback_does_not_change_the_report(case):
    with written(case) as directory:
        quiet = run(case, directory).report
        _, trace = traced(case, directory)
        handed = []
        watched = run(case, directory, on_record=handed.append).report
        assert watched == quiet, "\n".join(["with on_record, the report changes:",
                                            *differences(quiet, watched)])
        # the records handed over are the trace's, typed, with an integer time
        assert [record.to_json() for record in handed] == records_of(trace)
        assert [record.time for record in handed] == [
            seconds(record["time"]) for record in records_of(trace)]
        assert all(record.kind == record.to_json()["kind"] for record in handed)


# ---- (b) the trace is well-formed ------------------------------------------------------

def instances(records: list[dict]) -> dict[tuple, list[tuple[int, dict]]]:
    """The records of each instance, (position in the trace, record), by (journey, version,
    instance); records of no instance (rejections, holdouts) are left out."""
    found: dict[tuple, list] = collections.defaultdict(list)
    for position, record in enumerate(records):
        if record["instance"] is not None:
            found[record["journey"], record["version"], record["instance"]].append(
                (position, record))
    return found


@fuzz
def test_b_the_trace_is_in_time_order_and_every_instance_exits_in_time(case):
    """Without `until`, every instance exits, by its timeout; with one, every instance whose
    timeout falls by then has exited, and nothing is recorded after it."""
    with written(case) as directory:
        report, trace = traced(case, directory)
    records = records_of(trace)
    times = [seconds(record["time"]) for record in records]
    assert times == sorted(times), "the trace is not in time order"
    if case.until is not None:
        assert not times or times[-1] <= case.until, "records after the run's end"
    still_in = 0
    for key, entries in instances(records).items():
        kinds = [record["kind"] for _, record in entries]
        assert kinds[0] == "enter", f"instance {key} starts with {kinds[0]}, not enter"
        assert kinds.count("enter") == 1, f"instance {key} enters {kinds.count('enter')} times"
        assert kinds.count("exit") <= 1, f"instance {key} exits {kinds.count('exit')} times"
        entered = entries[0][1]["time"]
        deadline = seconds(entered) + case.program.journey(key[0]).timeout
        if "exit" not in kinds:
            assert case.until is not None, f"instance {key} never exits: {kinds}"
            assert deadline > case.until, (
                f"instance {key} entered at {entered} and is still in at the end, past its "
                f"timeout: {kinds}")
            still_in += 1
            continue
        assert kinds[-1] == "exit", f"instance {key} has records after its exit: {kinds}"
        assert seconds(entries[-1][1]["time"]) <= deadline, (
            f"instance {key} entered at {entered} and left at {entries[-1][1]['time']}, "
            "after its timeout")
    in_flight = sum(version["in_flight"] for journey in report["journeys"]
                    for version in journey["versions"])
    assert in_flight == still_in, (f"the report has {in_flight} instance(s) in flight at the "
                                   f"end, the trace {still_in}")


@fuzz
def test_b_a_wait_past_the_timeout_ends_the_instance_at_once(case):
    """§2: a path enters a `wait D` or `wait until` only if the wait ends by the journey's
    timeout; otherwise the instance ends when the path reaches the wait (reason timeout)."""
    with written(case) as directory:
        _, trace = traced(case, directory)
    lines = case.program.source.splitlines()
    for key, entries in instances(records_of(trace)).items():
        deadline = seconds(entries[0][1]["time"]) + case.program.journey(key[0]).timeout
        for index, (_, record) in enumerate(entries):
            if record["kind"] != "wait" or record.get("until") is None:
                continue
            line, column = map(int, record["node"].rsplit(":", 2)[1:])
            if lines[line - 1][column - 1:].startswith("wait for"):
                continue
            if seconds(record["until"]) > deadline:
                ending = [r for _, r in entries[index + 1:]]
                assert ending and ending[0]["kind"] == "exit" and \
                    ending[0]["reason"] == "timeout" and ending[0]["time"] == record["time"], (
                        f"instance {key} waits at {record['node']} until {record['until']}, "
                        f"past its timeout, and goes on: {ending[:2]}")


# ---- (c) determinism -------------------------------------------------------------------

@fuzz
def test_c_two_runs_write_the_same_bytes(case):
    with written(case) as directory:
        first_report, first = traced(case, directory)
        second_report, second = traced(case, directory)
    assert first == second, "two runs of the same inputs write different traces"
    assert first_report == second_report


# ---- (d) the trace's counts are the report's -------------------------------------------

def counted(records: list[dict]) -> dict:
    """Per (journey, version): what the report counts, counted in the trace."""
    counts: dict = collections.defaultdict(lambda: {
        "entries": 0, "holdouts": 0, "errors": 0, "exits": collections.Counter(),
        "rejections": collections.Counter(), "sends": collections.Counter()})
    for record in records:
        tally = counts[record["journey"], record["version"]]
        kind = record["kind"]
        if kind == "enter":
            tally["entries"] += 1
        elif kind == "holdout":
            tally["holdouts"] += 1
        elif kind == "error":
            tally["errors"] += 1
        elif kind == "exit":
            tally["exits"][record["reason"]] += 1
        elif kind == "reject":
            tally["rejections"][record["reason"]] += 1
        elif kind in ("send", "suppress"):
            tally["sends"][record["channel"], record["message"], kind] += 1
    return {key: _plain(tally) for key, tally in counts.items() if any(_plain(tally).values())}


def reported(report: dict) -> dict:
    """The same counts, as the report gives them."""
    counts = {}
    for journey in report["journeys"]:
        for version in journey["versions"]:
            sends = collections.Counter()
            for send in version["sends"]:
                sends[send["channel"], send["message"], "send"] += send["sent"]
                sends[send["channel"], send["message"], "suppress"] += send["suppressed"]
            tally = _plain({"entries": version["entries"], "holdouts": version["holdouts"],
                            "errors": version["errors"],
                            "exits": collections.Counter(version["exits"]),
                            "rejections": collections.Counter(version["rejections"]),
                            "sends": sends})
            if any(tally.values()):
                counts[journey["journey"], version["version"]] = tally
    return counts


def _plain(tally: dict) -> dict:
    return {key: {k: v for k, v in sorted(value.items()) if v} if isinstance(value, dict)
            else value for key, value in tally.items()}


@fuzz
def test_d_the_trace_counts_what_the_report_says(case):
    with written(case) as directory:
        report, trace = traced(case, directory)
    from_trace, from_report = counted(records_of(trace)), reported(report)
    assert from_trace == from_report, "\n".join(
        ["the trace and the report count differently:",
         *differences({str(k): v for k, v in from_report.items()},
                      {str(k): v for k, v in from_trace.items()}, "counts")])
