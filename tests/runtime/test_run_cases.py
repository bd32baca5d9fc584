"""Simulation cases under tests/cases/run/<case>/: journeys, inputs and the expected trace.

Each case folder holds its `.journey` files, `profiles.jsonl`, `events.jsonl`, optionally
`scenario.toml`, `audiences.json`, `datasources.json`, and `expected.jsonl`: the trace the
run must write, byte for byte. Regenerate with `JOURNEY_UPDATE_GOLDEN=1 pytest
tests/runtime/test_run_cases.py`, and read every changed trace before committing it.
"""

from __future__ import annotations

import io
import itertools
import json

import pytest

from journeylang.runtime import clock, trace
from journeylang.runtime.timers import AnyTimers
from journeylang.run import simulate

from ..conftest import CASES, assert_golden

RUN_CASES = sorted(path for path in (CASES / "run").iterdir() if path.is_dir())


def run_case(case, monkeypatch) -> str:
    monkeypatch.chdir(case)
    trace = io.StringIO()
    scenario = "scenario.toml" if (case / "scenario.toml").exists() else None
    simulate(".", scenario=scenario, trace=trace)
    return trace.getvalue()


def test_there_are_enough_cases():
    assert len(RUN_CASES) >= 40


@pytest.mark.parametrize("case", RUN_CASES, ids=[case.name for case in RUN_CASES])
def test_run_case(case, monkeypatch):
    assert_golden(case / "expected.jsonl", run_case(case, monkeypatch))


def test_same_inputs_and_seed_give_identical_bytes(monkeypatch):
    case = CASES / "run" / "behaviours-seeded"
    assert run_case(case, monkeypatch) == run_case(case, monkeypatch)


@pytest.mark.parametrize("case", RUN_CASES, ids=[case.name for case in RUN_CASES])
def test_queued_timers_fire_as_one_heap_would(case, monkeypatch):
    """Fixed-delay timers wait in a queue per statement (runtime/timers.py): with every timer
    put straight on the heap instead, each case must give the same trace."""
    monkeypatch.setattr(clock.timers, "Timers", AnyTimers)
    assert run_case(case, monkeypatch) == (case / "expected.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("behind", [False, True], ids=["scribe", "shared"])
@pytest.mark.parametrize("case", RUN_CASES, ids=[case.name for case in RUN_CASES])
def test_the_scribe_writes_each_case_s_trace(case, behind, monkeypatch, tmp_path):
    """With the scribe taking over a trace file from its first batch (runtime/scribe.py), each
    case's trace file holds the same bytes; and as well when the scribe is found behind at
    every other batch, whose lines the run then makes itself."""
    monkeypatch.setattr(trace, "HANDOFF", 0)
    monkeypatch.setattr(trace, "BATCH", 3)  # many batches, each case's records among them
    if behind:
        turns = itertools.cycle([True, False])
        monkeypatch.setattr(trace.Scribe, "behind", lambda self: next(turns))
    monkeypatch.chdir(case)
    scenario = "scenario.toml" if (case / "scenario.toml").exists() else None
    simulate(".", scenario=scenario, trace=tmp_path / "trace.jsonl")
    assert ((tmp_path / "trace.jsonl").read_text(encoding="utf-8")
            == (case / "expected.jsonl").read_text(encoding="utf-8"))


def run_report(case, monkeypatch, **observers) -> dict:
    monkeypatch.chdir(case)
    scenario = "scenario.toml" if (case / "scenario.toml").exists() else None
    return simulate(".", scenario=scenario, **observers).report


@pytest.mark.parametrize("case", RUN_CASES, ids=[case.name for case in RUN_CASES])
def test_observers_cannot_change_the_report(case, monkeypatch):
    """A run gives the same report with no observer, with a trace, with records kept and with
    an `on_record` callback; the callback sees the trace's records, typed, in time order."""
    alone = run_report(case, monkeypatch)
    seen = []
    assert run_report(case, monkeypatch, trace=io.StringIO()) == alone
    assert run_report(case, monkeypatch, keep_records=True) == alone
    assert run_report(case, monkeypatch, on_record=seen.append) == alone
    times = [record.time for record in seen]
    assert all(isinstance(time, int) for time in times) and times == sorted(times)
    lines = "".join(json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"
                    for record in seen)
    assert lines == (case / "expected.jsonl").read_text(encoding="utf-8")
