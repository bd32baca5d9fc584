"""The readers over generated files: arbitrary bytes, arbitrary text, and texts that are
nearly right (JSON, CSV and TOML built from edge values: huge and non-finite numbers, deep
nesting, half surrogate pairs, byte-order marks, odd headers). Whatever the file, a reader
returns what the language can hold or raises InputError; nothing else ever comes out.

JOURNEY_FUZZ_EXAMPLES sets the examples per test (60 by default); JOURNEY_FUZZ_RANDOM=1
draws new ones instead of the same ones every run.
"""

from __future__ import annotations

import json
import os
import pathlib
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeylang.core.instants import FIRST_INSTANT, LAST_INSTANT
from journeylang.inputs import (MAX_DEPTH, InputError, load_audiences, load_datasources,
                                load_events, load_profiles_by_id, load_scenario)

fuzz = settings(max_examples=int(os.environ.get("JOURNEY_FUZZ_EXAMPLES", "60")),
                deadline=None, derandomize=os.environ.get("JOURNEY_FUZZ_RANDOM") != "1",
                database=None, suppress_health_check=[HealthCheck.too_slow])

SCHEMA = {"id": "string", "points": "number", "code": "string", "vip": "bool",
          "birthday": "date", "seen": "datetime", "consent": {"email": "bool"}, "tags": "list"}

# ---- nearly right texts ------------------------------------------------------------------

NUMBERS = st.sampled_from(["0", "-0", "007", "1.5", "-2e3", "1e400", "-1e400", "1e-400",
                           "NaN", "Infinity", "-Infinity", "9" * 310, "9" * 5000, "1" + "0" * 308,
                           "17976931348623157" + "0" * 292, "1_000", "0x10", ".5", "5."])
STRINGS = st.sampled_from(['""', '"p1"', '"a"', '"\\ud83d"', '"\\ude00\\ud83d"', '"\\ud83d\\ude00"',
                           '"2026-03-01T09:00:00Z"', '"2026-03-01T09:00:00"', '"9999-12-31T23:00:00-05:00"',
                           '"0001-01-01T00:00:00+01:00"', '"2026-03-01"', '"\\u0000"', '"\\\\ud83d"',
                           '"[[[["', '"{{"'])
KEYS = st.sampled_from(['"id"', '"time"', '"profile"', '"event"', '"data"', '"profiles"',
                        '"with"', '"result"', '"points"', '"consent"', '"vip"', '"\\ud800"'])
SCALARS = st.one_of(NUMBERS, STRINGS, st.sampled_from(["true", "false", "null"]))


def _json_values(depth: int):
    if depth == 0:
        return SCALARS
    inner = _json_values(depth - 1)
    return st.one_of(
        SCALARS,
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(KEYS, inner), max_size=4).map(
            lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"),
    )


DEEP = st.integers(MAX_DEPTH - 2, MAX_DEPTH + 3).flatmap(lambda depth: st.sampled_from([
    "[" * depth + "]" * depth, '{"id": "p1", "x": ' + "[" * depth + "]" * depth + "}",
    "[" * 20_000 + "]" * 20_000, '{"a": ' * depth + "1" + "}" * depth]))
JSON = st.one_of(_json_values(3), DEEP)
RECORDS = st.lists(st.tuples(KEYS, st.one_of(SCALARS, _json_values(1))), max_size=5).map(
    lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}")
LINES = st.lists(st.one_of(RECORDS, JSON, st.sampled_from(["", "  ", "{", "\r"])), max_size=6)
PREFIX = st.sampled_from(["", "\ufeff", "\ufeff\ufeff"])
NEWLINE = st.sampled_from(["\n", "\r\n"])
JSON_LINES = st.tuples(PREFIX, LINES, NEWLINE).map(lambda t: t[0] + t[2].join(t[1]) + t[2])
JSON_DOCUMENTS = st.tuples(PREFIX, st.one_of(JSON, RECORDS)).map("".join)

COLUMNS = st.sampled_from(["id", "points", "code", "vip", "birthday", "seen", "consent",
                           "consent.email", "tags", "tier", "tier.x", "", " ", "a..b", "id"])
CELLS = st.sampled_from(["", "p1", "p2", "007", "abc", "true", "FALSE", "yes", "1e400", "9" * 5000,
                         "2026-03-01", "2026-13-01", "2026-03-01T09:00:00Z", "2026-03-01T09:00:00",
                         "9999-12-31T23:00:00-05:00", '"quoted, cell"', '"a\nb"', '"unclosed',
                         "a" * 140_000, "nan", "inf", "\x00"])
CSV = st.tuples(PREFIX, st.lists(COLUMNS, max_size=5),
                st.lists(st.lists(CELLS, max_size=6), max_size=4), NEWLINE).map(
    lambda t: t[0] + t[3].join([",".join(t[1]), *(",".join(row) for row in t[2])]) + t[3])

TOML_VALUES = st.sampled_from(['"x"', '""', "5", "-1", "1.5", "nan", "inf", "true", "[1]", "[]",
                               "{ a = 1 }", "2026-03-01T00:00:00Z", "2026-03-01T00:00:00",
                               "2026-03-01", "09:00:00", "9999-12-31T23:00:00-05:00",
                               '"Welcome"', '"send email"', '"send email welcome"', '"1h..2d"',
                               '"2d..1h"', '"99999999999999w"', "9" * 25, "9" * 5000,
                               "[" * 200 + "]" * 200, '"\\ud83d"', "0.3", '"profiles.jsonl"',
                               '"/dev/zero"', '"."'])
TOML_KEYS = st.sampled_from(["start", "until", "seed", "profiles", "events", "audiences",
                             "datasources", "lifecycle", "behaviour", "at", "publish", "close",
                             "stop", "version", "after", "emit", "probability", "delay", "call",
                             "fail", "typo"])
TOML_LINES = st.one_of(st.tuples(TOML_KEYS, TOML_VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
                       st.sampled_from(["[[lifecycle]]", "[[behaviour]]", "[[behaviours]]",
                                        "[lifecycle]", "# a comment", "", "= 1", "[[x"]))
TOML = st.tuples(PREFIX, st.lists(TOML_LINES, max_size=8)).map(lambda t: t[0] + "\n".join(t[1]) + "\n")


# ---- the oracle ----------------------------------------------------------------------------

def _holdable(value, depth: int = 0) -> None:
    """A value the language can hold: finite numbers, text that is text, nesting in bounds."""
    assert depth <= MAX_DEPTH
    if isinstance(value, float):
        assert value == value and abs(value) != float("inf")
    elif isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for key, item in value.items():
            key.encode("utf-8")
            _holdable(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _holdable(item, depth + 1)


def _read(load, content: bytes, suffix: str, refused: bool = False):
    """What a reader makes of the content in a file of that suffix: its result, or None for
    an InputError (with `refused`, the error's message, and any result is a failure)."""
    with tempfile.TemporaryDirectory(prefix="journeylang-inputs-") as directory:
        path = pathlib.Path(directory) / f"input{suffix}"
        path.write_bytes(content)
        try:
            result = load(path)
        except InputError as error:
            assert str(error).startswith(str(path))
            assert "\n" not in error.message and error.message
            return error.message if refused else None
        assert not refused, result
        return result


def _profiles(content: bytes) -> None:
    for suffix in (".jsonl", ".json", ".csv"):
        for schema in (None, SCHEMA):
            profiles = _read(lambda path: load_profiles_by_id(path, schema), content, suffix)
            for identity, profile in (profiles or {}).items():
                assert type(identity) is str and identity and profile["id"] == identity
                _holdable(profile)


def _events(content: bytes) -> None:
    for event in _read(load_events, content, ".jsonl") or []:
        assert FIRST_INSTANT <= event.time <= LAST_INSTANT
        assert type(event.profile) is str and type(event.name) is str
        _holdable(event.data)


def _documents(content: bytes) -> None:
    for audience, ids in (_read(load_audiences, content, ".json") or {}).items():
        assert all(type(i) is str for i in ids)
    for source, rows in (_read(load_datasources, content, ".json") or {}).items():
        for match, result in rows:
            _holdable(match)
            _holdable(result)


def _scenario(content: bytes) -> None:
    scenario = _read(load_scenario, content, ".toml")
    if scenario is not None:
        for instant in (scenario.start, scenario.until, *(s.at for s in scenario.lifecycle)):
            assert instant is None or FIRST_INSTANT <= instant <= LAST_INSTANT
        assert scenario.seed is None or -(1 << 63) <= scenario.seed < 1 << 63


def _every_reader(content: bytes) -> None:
    _profiles(content)
    _events(content)
    _documents(content)
    _scenario(content)


@fuzz
@given(st.binary(max_size=300))
def test_arbitrary_bytes(content):
    _every_reader(content)


@fuzz
@given(st.text(max_size=200))
def test_arbitrary_text(text):
    _every_reader(text.encode("utf-8", errors="surrogatepass"))


@fuzz
@given(JSON_LINES)
def test_json_lines_of_edge_values(text):
    content = text.encode("utf-8")
    _profiles(content)
    _events(content)


@fuzz
@given(JSON_DOCUMENTS)
def test_json_documents_of_edge_values(text):
    content = text.encode("utf-8")
    _documents(content)
    for profile in (_read(load_profiles_by_id, content, ".json") or {}).values():
        _holdable(profile)


@fuzz
@given(CSV)
def test_csv_of_edge_headers_and_cells(text):
    content = text.encode("utf-8")
    for schema in (None, SCHEMA):
        profiles = _read(lambda path: load_profiles_by_id(path, schema), content, ".csv")
        for profile in (profiles or {}).values():
            _holdable(profile)


@fuzz
@given(TOML)
def test_scenarios_of_edge_values(text):
    _scenario(text.encode("utf-8"))


def test_each_kind_of_edge_value_is_refused_with_its_own_message():
    """The problems the strategies are made of, each once: a reader refuses every one."""
    messages = set()
    for text in ('{"id": "p1", "x": NaN}', '{"id": "p1", "x": 1e400}',
                 '{"id": "p1", "x": ' + "9" * 5000 + "}", '{"id": "\\ud83d"}',
                 '{"id": "p1", "x": ' + "[" * 200 + "]" * 200 + "}"):
        messages.add(_read(load_profiles_by_id, (text + "\n").encode("utf-8"), ".jsonl", refused=True))
    assert len(messages) == 5, messages


def test_a_decoded_json_value_round_trips():
    """What the reader accepts is JSON as any JSON tool reads it."""
    text = '{"id": "p1", "name": "Zo\\u00eb \\ud83d\\ude00", "n": -0, "x": 1.5e3, "l": [[[]]]}\n'
    with tempfile.TemporaryDirectory() as directory:
        path = pathlib.Path(directory) / "p.jsonl"
        path.write_text(text, encoding="utf-8")
        assert load_profiles_by_id(path) == {"p1": json.loads(text)}
