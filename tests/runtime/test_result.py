"""What `simulate()` hands back besides the report: the profiles as the run left them and
the events it replayed."""

from __future__ import annotations

from journeylang.inputs import Event
from journeylang.run import simulate

from ..conftest import CASES


def test_the_result_holds_the_profiles_as_the_run_left_them(monkeypatch):
    monkeypatch.chdir(CASES / "run" / "set-profile-seen-by-another-journey")
    result = simulate(".")
    assert result.profiles["ann"]["points"] == 110
    assert result.profiles["ann"]["badges"] == {"buyer": True}
    assert [(event.name, event.profile) for event in result.events] == [
        ("check", "ann"), ("purchase", "ann"), ("check", "ann")]


def test_profiles_given_as_data_are_the_ones_changed():
    ann = {"id": "ann", "points": 10}
    result = simulate(CASES / "run" / "set-profile-seen-by-another-journey", profiles=[ann],
                      events=[Event(1_772_355_600, "ann", "purchase", {})])
    assert result.profiles["ann"] is ann and ann["points"] == 110
