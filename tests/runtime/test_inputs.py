"""The JSON Lines readers: chunks decoded at once must read exactly as line by line would,
and a problem anywhere must be named at its line, whatever chunk it falls in."""

from __future__ import annotations

import json

import pytest

from journeylang import inputs
from journeylang.inputs import InputError, load_events, load_profiles

GOOD_EVENTS = [
    '{"time": "2026-01-01T00:00:00Z", "profile": "p1", "event": "signup"}',
    '{"time": "2026-01-01T01:00:00+01:00", "profile": "p2", "event": "signup", "data": {"a": 1}}',
    '{"time": "2026-01-02T00:00:00Z", "profile": 7, "event": "buy", "data": null}',
    "",
    '{"time": " 2026-01-03T00:00:00Z ", "profile": "p1", "event": 5, "data": {}}',
    '{"time": "2026-01-04T00:00:00Z", "profile": "p3", "event": "buy"}',
]

BAD_EVENTS = [  # (line, the message's end)
    ('{"time": "2026-01-01T00:00:00", "profile": "p1", "event": "signup"}', "add Z (UTC) or an offset like +01:00"),
    ('{"time": "yesterday", "profile": "p1", "event": "signup"}', "is not a date-time (write it like 2026-03-01T09:00:00Z)"),
    ('{"time": "2026-01-01T00:00:00Z", "event": "signup"}', "this event has no `profile`"),
    ('{"time": "2026-01-01T00:00:00Z", "profile": "p1", "event": "x", "data": 0}', "`data` must be an object"),
    ('{"time": "2026-01-01T00:00:00Z", "profile": "p1", "event": "x", "data": []}', "`data` must be an object"),
    ('["2026-01-01T00:00:00Z", "p1"]', "an event must be an object"),
    ('{"time": 20260101, "profile": "p1", "event": "x"}', "expected a date-time, found 20260101"),
    ('{"time": "2026-01-01T00:00:00Z", "profile": "p1", "event": "x"', "63: not valid JSON (Expecting ',' delimiter)"),
]


def as_tuples(events):
    return [(e.time, e.profile, e.name, e.data, e.line) for e in events]


def read(load, tmp_path, lines, chunk, monkeypatch, newline="\n"):
    monkeypatch.setattr(inputs, "CHUNK", chunk)
    path = tmp_path / "input.jsonl"
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    try:
        return load(path)
    except InputError as error:
        column = f":{error.column}" if error.column is not None else ""
        return f"line {error.line}{column}: {error.message}"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("chunk", [1, 100, 250, 1 << 18])
def test_events_read_the_same_in_any_chunks(chunk, newline, tmp_path, monkeypatch):
    events = read(load_events, tmp_path, GOOD_EVENTS, chunk, monkeypatch, newline)
    assert as_tuples(events) == [
        (1767225600, "p1", "signup", {}, 1),
        (1767225600, "p2", "signup", {"a": 1}, 2),
        (1767312000, "7", "buy", {}, 3),
        (1767398400, "p1", "5", {}, 5),
        (1767484800, "p3", "buy", {}, 6),
    ]


@pytest.mark.parametrize("chunk", [1, 150, 1 << 18])
@pytest.mark.parametrize("bad, message", BAD_EVENTS)
def test_a_bad_event_is_named_at_its_line_in_any_chunk(bad, message, chunk, tmp_path, monkeypatch):
    lines = GOOD_EVENTS + GOOD_EVENTS[:2] + [bad] + GOOD_EVENTS[:1]
    error = read(load_events, tmp_path, lines, chunk, monkeypatch)
    assert error.startswith("line 9") and error.endswith(message)


GOOD_PROFILES = ['{"id": "a", "tier": "gold"}', '{"id": 2}', "   ", '{"id": "c", "consent": {"sms": false}}']


@pytest.mark.parametrize("chunk", [1, 40, 1 << 18])
def test_profiles_read_the_same_in_any_chunks(chunk, tmp_path, monkeypatch):
    assert read(load_profiles, tmp_path, GOOD_PROFILES, chunk, monkeypatch) == [
        {"id": "a", "tier": "gold"}, {"id": "2"}, {"id": "c", "consent": {"sms": False}}]


@pytest.mark.parametrize("chunk", [1, 40, 1 << 18])
@pytest.mark.parametrize("bad, message", [
    ('{"id": "a"}', "profile `a` appears twice"),
    ('{"id": ""}', "this profile has no `id`"),
    ('{"name": "Ann"}', "this profile has no `id`"),
    ('"a"', "a profile must be an object with an `id`"),
    ("{", "2: not valid JSON (Expecting property name enclosed in double quotes)"),
])
def test_a_bad_profile_is_named_at_its_line_in_any_chunk(bad, message, chunk, tmp_path, monkeypatch):
    lines = GOOD_PROFILES + ['{"id": "d"}', bad]
    separator = ":" if message[0].isdigit() else ": "
    assert read(load_profiles, tmp_path, lines, chunk, monkeypatch) == f"line 6{separator}{message}"


def test_the_same_id_twice_in_one_chunk_is_named_at_the_second(tmp_path, monkeypatch):
    lines = [json.dumps({"id": f"p{i}"}) for i in range(10)] + ['{"id": "p3"}']
    assert read(load_profiles, tmp_path, lines, 1 << 18, monkeypatch) == "line 11: profile `p3` appears twice"
