"""The public Python API: check and simulate, on files and on text, with inputs as data."""

from __future__ import annotations

import datetime
import importlib.resources
import io
import json
import typing

import pytest

import journeylang
from journeylang import CheckResult, JourneyError, SimulationResult
from journeylang.core.instants import format_instant, parse_instant

from ..conftest import EXAMPLES

WELCOME = """journey "Welcome" {
    on event signup
    send email "welcome" with { name: "{profile.first_name}" }
    wait 1d
    if profile.tier == "gold" {
        send sms "gold_tip"
    }
}
"""

PROFILES = [{"id": "p1", "first_name": "Ann", "tier": "gold"},
            {"id": "p2", "first_name": "Bob", "tier": "silver"}]

EVENTS = [{"time": "2026-03-01T09:00:00Z", "profile": "p1", "event": "signup"},
          {"time": "2026-03-01T10:30:00+01:00", "profile": "p2", "event": "signup",
           "data": {"source": "app"}}]


def welcome(**options) -> SimulationResult:
    return journeylang.simulate(source=WELCOME, profiles=[dict(p) for p in PROFILES], **options)


def test_the_public_names_are_exported_and_typed():
    for name in ("parse", "check", "simulate", "CheckResult", "SimulationResult",
                 "JourneyError", "TraceRecord", "Diagnostic"):
        assert name in journeylang.__all__ and hasattr(journeylang, name)
    hints = typing.get_type_hints(journeylang.simulate)
    assert hints["return"] is SimulationResult and "on_record" in hints
    assert typing.get_type_hints(journeylang.check)["return"] is CheckResult


def test_the_package_ships_py_typed():
    assert importlib.resources.files("journeylang").joinpath("py.typed").is_file()


def test_check_a_good_directory_and_a_list_of_files():
    result = journeylang.check(EXAMPLES / "welcome")
    assert result.ok and result.diagnostics == () and result.render() == ""
    files = [str(EXAMPLES / "versions" / name) for name in ("loyalty.v1.journey",
                                                              "loyalty.v2.journey")]
    assert journeylang.check(files).ok


def test_check_good_source_text():
    result = journeylang.check(source=WELCOME)
    assert result == CheckResult(())
    assert result.ok and result.errors == () and result.warnings == ()


def test_check_bad_source_text_locates_the_error():
    result = journeylang.check(source=WELCOME.replace('"gold"', "gold"))
    assert not result.ok and result.warnings == ()
    [error] = result.errors
    assert (error.code, error.span.file, error.span.line, error.span.column) == (
        "J205", "<source>", 5, 24)
    assert error.message.startswith("unknown name `gold`")
    assert result.render().splitlines()[0] == f"<source>:5:24: error[J205]: {error.message}"
    assert result.render().splitlines()[2].endswith("^~~~")
    assert result.to_json()[0]["line"] == 5 and result.to_json()[0]["code"] == "J205"


def test_source_texts_by_file_name_are_one_workspace():
    result = journeylang.check(source={
        "a.journey": 'event signup { source: string }\n',
        "b.journey": WELCOME.replace("profile.tier", "event.tier"),
    })
    [error] = result.errors
    assert (error.code, error.span.file, error.span.line) == ("J301", "b.journey", 5)


def test_a_syntax_error_in_source_text_is_a_diagnostic():
    [error] = journeylang.check(source='journey "x" {\n    wait 1x\n}\n').errors
    assert (error.code, error.span.line, error.span.column) == ("J103", 2, 10)


def test_source_text_reads_nothing_from_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "journeys.lock").write_text("not json", encoding="utf-8")
    (tmp_path / "audiences.json").write_text('{"vip": "p1"}', encoding="utf-8")
    (tmp_path / "events.jsonl").write_text(json.dumps(EVENTS[0]) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert journeylang.check(source=WELCOME).ok
    result = welcome(start="2026-03-01T00:00:00Z")
    assert result.report["events"] == 0
    assert result.report["journeys"][0]["versions"][0]["entries"] == 0


def test_check_takes_audiences_as_data():
    text = 'journey "Sale" {\n    read audience "vip" at 2026-03-01T09:00:00Z\n' \
           '    send email "sale"\n}\n'
    assert [d.code for d in journeylang.check(source=text).errors] == ["J201"]
    assert journeylang.check(source=text, audiences={"vip": ["p1"]}).ok


def test_paths_or_source_not_both_nor_neither():
    with pytest.raises(TypeError, match="not both"):
        journeylang.check(EXAMPLES / "welcome", source=WELCOME)
    with pytest.raises(TypeError, match="source="):
        journeylang.simulate()


def test_a_path_that_cannot_be_used_is_a_journey_error(tmp_path):
    with pytest.raises(JourneyError, match="no such file or directory") as caught:
        journeylang.check(tmp_path / "missing")
    assert caught.value.diagnostics == ()
    with pytest.raises(JourneyError, match=r"pass it as source=\)$"):
        journeylang.check(WELCOME)


def test_simulate_with_dict_events_gives_the_expected_sends():
    result = welcome(events=EVENTS)
    assert result.sends() == {("email", "welcome"): 2, ("sms", "gold_tip"): 1}
    [version] = result.report["journeys"][0]["versions"]
    assert (version["entries"], version["exits"]) == (2, {"end": 2})
    assert result.report["start"] == "2026-03-01T09:00:00Z"
    assert result.report["end"] == "2026-03-02T09:30:00Z"
    assert [(e.time, e.profile, e.name, e.data) for e in result.events] == [
        (parse_instant("2026-03-01T09:00:00Z"), "p1", "signup", {}),
        (parse_instant("2026-03-01T09:30:00Z"), "p2", "signup", {"source": "app"})]


def test_an_event_time_may_be_seconds_since_the_epoch():
    in_seconds = [dict(event, time=parse_instant(event["time"])) for event in EVENTS]
    assert welcome(events=in_seconds).report == welcome(events=EVENTS).report


def test_inputs_given_as_data_read_as_their_files(monkeypatch):
    monkeypatch.chdir(EXAMPLES / "offer")
    fixtures = json.loads((EXAMPLES / "offer" / "datasources.json").read_text(encoding="utf-8"))
    from_file = journeylang.simulate(".", population=50)
    assert journeylang.simulate(".", population=50, datasources=fixtures).report == from_file.report
    assert ("inapp", "tier_offer") in from_file.sends()


BAD_EVENTS = [
    ({"time": "2026-03-01T09:00:00Z", "event": "signup"}, "this event has no `profile`"),
    ({"time": "2026-03-01T09:00:00", "profile": "p1", "event": "signup"},
     "`2026-03-01T09:00:00` has no time zone: add Z (UTC) or an offset like +01:00"),
    ({"time": "soon", "profile": "p1", "event": "signup"},
     "`soon` is not a date-time (write it like 2026-03-01T09:00:00Z)"),
    ({"time": True, "profile": "p1", "event": "signup"}, "expected a date-time, found True"),
    ({"time": 10**12, "profile": "p1", "event": "signup"},
     "1000000000000 is not an instant from 0001-01-01 to 9999-12-31 "
     "(in seconds since 1970-01-01T00:00:00Z)"),
    ({"time": "2026-03-01T09:00:00Z", "profile": "p1", "event": "signup", "data": [1]},
     "`data` must be an object"),
    (["2026-03-01T09:00:00Z", "p1", "signup"], "an event must be an object"),
]


@pytest.mark.parametrize("bad, message", BAD_EVENTS)
def test_a_bad_event_dict_is_named_by_its_place(bad, message):
    with pytest.raises(JourneyError) as caught:
        welcome(events=[EVENTS[0], bad])
    error = caught.value
    assert str(error) == f"events: event 2: {message}"
    assert (error.file, error.line, error.diagnostics) == ("events", None, ())
    assert error.render() == f"error: events: event 2: {message}"


@pytest.mark.parametrize("profiles, message", [
    ([{"id": "p1"}, {"name": "Bob"}], "profiles: profile 2: this profile has no `id`"),
    ([{"id": "p1"}, {"id": "p1"}], "profiles: profile 2: profile `p1` appears twice"),
    (["p1"], "profiles: profile 1: a profile must be an object with an `id`"),
])
def test_a_bad_profile_dict_is_named_by_its_place(profiles, message):
    with pytest.raises(JourneyError) as caught:
        journeylang.simulate(source=WELCOME, profiles=profiles, events=EVENTS)
    assert str(caught.value) == message


@pytest.mark.parametrize("option, value, message", [
    ("audiences", {"vip": "p1"}, "audiences: audience `vip` must be a list of profile ids"),
    ("datasources", {"offers": [{"with": {}}]}, "datasources: entry 1 of `offers` needs a `result`"),
    ("events", "missing.jsonl", "missing.jsonl: no such file"),
])
def test_other_bad_inputs_are_journey_errors(option, value, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(JourneyError) as caught:
        welcome(**{"events": EVENTS, option: value})
    assert str(caught.value) == message


@pytest.mark.parametrize("start, message", [
    ("tomorrow", "start: `tomorrow` is not a date-time (write it like 2026-03-01T09:00:00Z)"),
    ("2026-03-01T00:00:00", "start: `2026-03-01T00:00:00` has no time zone: add Z (UTC) or an "
                            "offset like +01:00"),
    (10**15, "start: 1000000000000000 is not an instant from 0001-01-01 to 9999-12-31 "
             "(in seconds since 1970-01-01T00:00:00Z)"),
])
def test_a_bad_start_is_a_journey_error(start, message):
    with pytest.raises(JourneyError) as caught:
        welcome(events=EVENTS, start=start)
    assert str(caught.value) == message


def test_start_and_until_take_an_int_a_datetime_or_text():
    moment = datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.timezone.utc)
    starts = (moment, "2026-03-01T08:00:00Z", parse_instant("2026-03-01T08:00:00Z"))
    reports = [welcome(events=EVENTS, start=start, until="2026-03-01T12:00:00+01:00").report
               for start in starts]
    assert reports[0] == reports[1] == reports[2]
    assert reports[0]["start"] == "2026-03-01T08:00:00Z"
    assert reports[0]["journeys"][0]["versions"][0]["in_flight"] == 2  # still waiting at 11:00


def test_profiles_given_as_data_are_the_ones_changed():
    ann = {"id": "ann", "points": 10}
    result = journeylang.simulate(
        source='journey "Points" {\n    on event purchase\n'
               '    set profile.points = profile.points + 100\n}\n',
        profiles=[ann], events=[{"time": 1_772_355_600, "profile": "ann", "event": "purchase"}])
    assert result.profiles["ann"] is ann and ann["points"] == 110


def test_a_program_with_errors_is_not_simulated():
    with pytest.raises(JourneyError) as caught:
        journeylang.simulate(source=WELCOME.replace("wait 1d", "wait 100d"), events=EVENTS)
    error = caught.value
    assert str(error) == "2 error(s) in the program: nothing was simulated"
    assert sorted(d.code for d in error.diagnostics) == ["J501", "J504"]
    rendered = error.render()
    assert "<source>:4:5: error[J501]" in rendered and " 4 |     wait 100d" in rendered
    assert rendered.endswith("\n\nerror: 2 error(s) in the program: nothing was simulated")


def test_on_record_receives_typed_records_in_time_order():
    seen: list[tuple[str, int, dict]] = []

    def watch(record: journeylang.TraceRecord) -> None:
        assert isinstance(record, journeylang.TraceRecord)
        seen.append((record.kind, record.time, record.to_json()))

    trace = io.StringIO()
    streamed = welcome(events=EVENTS, on_record=watch, trace=trace)
    assert all(type(kind) is str and type(time) is int for kind, time, _ in seen)
    times = [time for _, time, _ in seen]
    assert times == sorted(times) and times[0] == parse_instant("2026-03-01T09:00:00Z")
    assert all(record["kind"] == kind and record["time"] == format_instant(time)
               for kind, time, record in seen)
    assert [record for _, _, record in seen] == [
        json.loads(line) for line in trace.getvalue().splitlines()]
    assert [kind for kind, _, _ in seen].count("send") == 3
    assert streamed.records is None
    assert streamed.report == welcome(events=EVENTS).report
