"""Loading a run's inputs (profiles, events, audiences, data sources, scenarios), with errors
that name the file and the line."""

from __future__ import annotations

import csv
import datetime
import itertools
import json
import operator
import pathlib
import re
import tomllib
from typing import Iterable, Mapping

import attrs

from .core.events import Event
from .core.instants import EPOCH, SECOND, TimeError, parse_delay, parse_instant, to_instant


#: The files `journey run` reads from a workspace when no option names them.
PROFILES_FILE, EVENTS_FILE = "profiles.jsonl", "events.jsonl"
AUDIENCES_FILE, DATASOURCES_FILE = "audiences.json", "datasources.json"


class InputError(Exception):
    """A problem in an input file: `file:line: message` (line omitted when unknown)."""

    def __init__(self, file, line: int | None, message: str):
        self.file = str(file)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


def _read(path) -> str:
    try:
        return pathlib.Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except UnicodeDecodeError:
        raise InputError(path, None, "not UTF-8 text") from None
    except OSError as error:
        raise InputError(path, None, error.strerror or str(error)) from None


#: About how many characters of a JSON Lines file are decoded at once.
CHUNK = 1 << 18


def _json_chunks(path):
    """The file's non-blank lines decoded, as (line numbers, values) a chunk of whole lines at
    a time. A chunk is decoded as one JSON array, its newlines made commas (twice as fast as
    line by line); a chunk that fails (a bad or a blank line) is decoded line by line, to skip
    blank lines and name a bad one. Lines end with a newline (a carriage return before it
    is white space to JSON)."""
    text, size = _read(path), CHUNK
    start, first, length = 0, 1, len(text)
    while start < length:
        end = text.find("\n", start + size - 1)
        end = length if end < 0 else end + 1
        chunk = text[start:end].removesuffix("\n")
        start = end
        count = chunk.count("\n") + 1
        try:
            values = json.loads("[" + chunk.replace("\n", ",") + "]")
        except json.JSONDecodeError:
            values = None
        if values is not None and len(values) == count:
            yield range(first, first + count), values
            first += count
            continue
        numbers, values = [], []
        for number, line in enumerate(chunk.split("\n"), start=first):
            if not line.strip():
                continue
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise InputError(path, number, f"not valid JSON ({error.msg} at column "
                                 f"{error.colno})") from None
            numbers.append(number)
        first += count
        yield numbers, values


def _json(path):
    try:
        return json.loads(_read(path))
    except json.JSONDecodeError as error:
        raise InputError(path, error.lineno, f"not valid JSON ({error.msg} at column {error.colno})") from None


def _profile(path, line, record, seen: dict) -> dict:
    try:
        identity = record["id"]
    except (KeyError, TypeError):
        identity = None
    if type(identity) is not str:
        if not isinstance(record, dict):
            raise InputError(path, line, "a profile must be an object with an `id`")
        if identity is None:
            raise InputError(path, line, "this profile has no `id`")
        identity = record["id"] = str(identity)
    if not identity:
        raise InputError(path, line, "this profile has no `id`")
    if identity in seen:
        raise InputError(path, line, f"profile `{identity}` appears twice")
    seen[identity] = record
    return record


def _cell(text: str):
    if text == "":
        return None
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def load_profiles(path) -> list[dict]:
    """Profiles from JSON Lines (.jsonl), JSON (.json: a list, or {"profiles": [...]}) or CSV."""
    return list(load_profiles_by_id(path).values())


def load_profiles_by_id(path) -> dict[str, dict]:
    """The profiles of load_profiles, by id, in file order."""
    path = pathlib.Path(path)
    seen: dict[str, dict] = {}
    suffix = path.suffix.lower()
    if suffix == ".csv":
        reader = csv.DictReader(_read(path).splitlines())
        for line, row in enumerate(reader, start=2):
            if None in row:
                raise InputError(path, line, "this row has more cells than the header")
            record: dict = {}
            for column, text in row.items():
                value = _cell(text or "")
                if value is None:
                    continue
                target = record
                *parents, leaf = column.split(".")
                for parent in parents:
                    target = target.setdefault(parent, {})
                target[leaf] = value
            _profile(path, line, record, seen)
        return seen
    if suffix == ".json":
        data = _json(path)
        if isinstance(data, dict) and isinstance(data.get("profiles"), list):
            data = data["profiles"]
        if not isinstance(data, list):
            raise InputError(path, None, 'expected a list of profiles (or {"profiles": [...]})')
        return _numbered_profiles(path, data)
    for numbers, records in _json_chunks(path):
        if not _plain_profiles(records, seen):
            for line, record in zip(numbers, records):
                _profile(path, line, record, seen)
    return seen


def profiles_from_records(records: Iterable[dict], origin: str = "profiles") -> list[dict]:
    """Profiles given as data, checked as a file's are; an error names `origin` and the
    profile's place (from 1). A non-text `id` is made text in place."""
    return list(_numbered_profiles(origin, records).values())


def _numbered_profiles(origin, records: Iterable) -> dict[str, dict]:
    seen: dict[str, dict] = {}
    for index, record in enumerate(records, start=1):
        try:
            _profile(origin, None, record, seen)
        except InputError as error:
            raise InputError(origin, None, f"profile {index}: {error.message}") from None
    return seen


def _plain_profiles(records: list, seen: dict) -> bool:
    """Whether a chunk of profiles is all objects with a new text `id`, checked in bulk (and
    then added to `seen`); if not, the caller checks them one by one, to name the problem."""
    try:
        ids = [record["id"] for record in records]
    except (KeyError, TypeError):
        return False
    if set(map(type, ids)) != {str} or "" in ids:  # (only objects have an "id" to read)
        return False
    if len(set(ids)) != len(ids) or not seen.keys().isdisjoint(ids):
        return False
    seen.update(zip(ids, records))
    return True


_NO_DATA: dict = {}  # the data of the events that have none, shared: event data is read-only


def load_events(path) -> list[Event]:
    """Events from JSON Lines: {"time", "profile", "event", "data"}, in file order."""
    events: list[Event] = []
    for numbers, records in _json_chunks(path):
        chunk = _well_formed_events(records, numbers)
        if chunk is None:  # checked again one by one, to name the problem
            chunk = [_event(path, line, record) for line, record in zip(numbers, records)]
        events.extend(chunk)
    return events


def events_from_records(records: Iterable[Mapping], origin: str = "events") -> list[Event]:
    """Events given as data, dicts like the lines of an events file, checked as those are;
    an error names `origin` and the event's place (from 1). A `time` may also be an instant
    (whole seconds since the epoch) or an aware datetime."""
    records = list(records)
    events = _well_formed_events(records, itertools.repeat(0))
    if events is not None:
        return events
    events = []
    for index, record in enumerate(records, start=1):
        try:
            events.append(_event(origin, None, record, instants=True))
        except InputError as error:
            raise InputError(origin, None, f"event {index}: {error.message}") from None
    return events


def _well_formed_events(records: list, lines: Iterable[int]) -> list[Event] | None:
    """The events, made at once when all are well formed, their times texts in UTC or with an
    offset (the usual case); None when any is not, for the caller to check one by one."""
    try:
        events = [Event((_fromisoformat(record["time"]) - EPOCH) // SECOND, record["profile"],
                        record["event"], record.get("data", _NO_DATA), line)
                  for line, record in zip(lines, records)]
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    if (set(map(type, map(_profile_of, events))) == set(map(type, map(_name_of, events)))
            == {str} and set(map(type, map(_data_of, events))) == {dict}):
        return events
    return None


_fromisoformat = datetime.datetime.fromisoformat
_profile_of, _name_of = operator.attrgetter("profile"), operator.attrgetter("name")
_data_of = operator.attrgetter("data")


#: The instants that exist: from 0001-01-01 to 9999-12-31, in seconds since the epoch.
_FIRST_INSTANT = to_instant(datetime.datetime.min.replace(tzinfo=datetime.timezone.utc))
_LAST_INSTANT = to_instant(datetime.datetime.max.replace(tzinfo=datetime.timezone.utc))


def instant_from_data(value, where: str = "") -> int:
    """An instant given as data: whole seconds since the epoch, or what parse_instant reads
    (an ISO-8601 text with `Z` or an offset, an aware datetime). Raises TimeError."""
    if type(value) is not int:
        return parse_instant(value, where)
    if not _FIRST_INSTANT <= value <= _LAST_INSTANT:
        raise TimeError(f"{where + ': ' if where else ''}{value} is not an instant from "
                        "0001-01-01 to 9999-12-31 (in seconds since 1970-01-01T00:00:00Z)")
    return value


def _event(path, line: int | None, record, instants: bool = False) -> Event:
    """One event checked field by field, with an error that names the problem; with
    `instants`, its `time` is read by instant_from_data."""
    try:
        time, who, name = record["time"], record["profile"], record["event"]
    except (KeyError, TypeError):
        raise _event_error(path, line, record) from None
    data = record.get("data")
    if data is None or data == {}:
        data = _NO_DATA
    elif type(data) is not dict:
        raise InputError(path, line, "`data` must be an object")
    try:
        instant = instant_from_data(time) if instants else parse_instant(time)
    except TimeError as error:
        raise InputError(path, line, str(error)) from None
    return Event(instant, who if type(who) is str else str(who), str(name), data, line or 0)


def _event_error(path, line: int | None, record) -> InputError:
    if not isinstance(record, dict):
        return InputError(path, line, "an event must be an object")
    missing = next(key for key in ("time", "profile", "event") if key not in record)
    return InputError(path, line, f"this event has no `{missing}`")


def load_audiences(path) -> dict[str, list[str]]:
    return audiences_from_data(_json(path), path)


def audiences_from_data(data, origin: str = "audiences") -> dict[str, list[str]]:
    """Audiences given as data, {"audience name": ["profile id", ...]}, checked as a file's
    are; an error names `origin`."""
    if not isinstance(data, Mapping):
        raise InputError(origin, None, 'expected {"audience name": ["profile id", ...]}')
    for name, ids in data.items():
        if not isinstance(ids, list):
            raise InputError(origin, None, f"audience `{name}` must be a list of profile ids")
    return {name: [str(i) for i in ids] for name, ids in data.items()}


def load_datasources(path) -> dict[str, list[tuple[dict, object]]]:
    """Fixtures: {"source": [{"with": {...}, "result": ...}, ...]}. A fetch takes the first
    entry whose `with` keys all equal the fetch's (an entry with no `with` matches any)."""
    return datasources_from_data(_json(path), path)


def datasources_from_data(
        data, origin: str = "datasources") -> dict[str, list[tuple[dict, object]]]:
    """The fixtures of load_datasources given as data, checked as a file's are; an error
    names `origin`."""
    if not isinstance(data, Mapping):
        raise InputError(origin, None, 'expected {"source": [{"with": {...}, "result": ...}]}')
    sources = {}
    for name, entries in data.items():
        if not isinstance(entries, list):
            raise InputError(origin, None, f"data source `{name}` must be a list of entries")
        rows = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or "result" not in entry:
                raise InputError(origin, None, f"entry {index + 1} of `{name}` needs a `result`")
            match = entry.get("with", {})
            if not isinstance(match, dict):
                raise InputError(origin, None,
                                 f"entry {index + 1} of `{name}`: `with` must be an object")
            rows.append((match, entry["result"]))
        sources[name] = rows
    return sources


@attrs.frozen
class LifecycleStep:
    at: int
    action: str  # publish | close | stop
    journey: str
    version: int | None
    line: int | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Behaviour:
    """A simulated reaction: after a send (on a channel, optionally of one message) the profile
    emits an event; or a custom action fails with a probability."""

    kind: str  # "send" or "call"
    probability: float
    channel: str | None = None
    message: str | None = None
    emit: str | None = None
    delay: tuple[int, int] = (0, 0)
    action: str | None = None


@attrs.frozen
class Scenario:
    path: pathlib.Path
    start: int | None = None
    until: int | None = None
    seed: int | None = None
    profiles: pathlib.Path | None = None
    events: pathlib.Path | None = None
    audiences: pathlib.Path | None = None
    datasources: pathlib.Path | None = None
    lifecycle: tuple[LifecycleStep, ...] = ()
    behaviours: tuple[Behaviour, ...] = ()


_SCENARIO_KEYS = {"start", "until", "seed", "profiles", "events", "audiences", "datasources",
                  "lifecycle", "behaviour", "behaviours"}


class _TomlLines:
    """Where things are in a TOML text, so that errors in valid TOML still name a line."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def key(self, key: str) -> int | None:
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
        return next((number for number, line in enumerate(self.lines, start=1)
                     if pattern.match(line)), None)

    def table(self, name: str, index: int) -> int | None:
        """The line of the index-th (from 1) `[[name]]` header."""
        pattern = re.compile(rf"\s*\[\[\s*{re.escape(name)}\s*\]\]")
        headers = [number for number, line in enumerate(self.lines, start=1) if pattern.match(line)]
        return headers[index - 1] if index <= len(headers) else None


def load_scenario(path) -> Scenario:
    path = pathlib.Path(path)
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        place = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if place is None:
            raise InputError(path, None, f"not valid TOML ({message})") from None
        raise InputError(path, int(place[1]), f"not valid TOML ({message[:place.start()]} "
                         f"at column {place[2]})") from None
    where_is = _TomlLines(text)
    unknown = sorted(set(data) - _SCENARIO_KEYS)
    if unknown:
        raise InputError(path, where_is.key(unknown[0]), f"unknown key `{unknown[0]}` "
                         f"(known: {', '.join(sorted(_SCENARIO_KEYS))})")

    def instant(key, value, line):
        try:
            return parse_instant(value, f"`{key}`")
        except TimeError as error:
            raise InputError(path, line, str(error)) from None

    def file(key):
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InputError(path, where_is.key(key), f"`{key}` must be a file name (a string)")
        return path.parent / value

    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise InputError(path, where_is.key("seed"), "`seed` must be a whole number")
    lifecycle = []
    for index, step in enumerate(_tables(path, data, "lifecycle"), start=1):
        line = where_is.table("lifecycle", index)
        if not isinstance(step, dict):
            raise InputError(path, line, "[[lifecycle]] must be a table")
        actions = [key for key in ("publish", "close", "stop") if key in step]
        if len(actions) != 1:
            raise InputError(path, line, "[[lifecycle]] needs exactly one of publish, close or stop")
        extra = sorted(set(step) - {"at", "version", *actions})
        if extra:
            raise InputError(path, line, f"[[lifecycle]]: unknown key `{extra[0]}` "
                             "(known: at, publish, close, stop, version)")
        if "at" not in step:
            raise InputError(path, line, "[[lifecycle]] needs `at`, the instant of the step")
        version = step.get("version")
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)
                                    or version < 1):
            raise InputError(path, line, "[[lifecycle]]: `version` must be a whole number from 1")
        lifecycle.append(LifecycleStep(instant("at", step["at"], line), actions[0],
                                       str(step[actions[0]]), version, line))
    behaviours = []
    for key in ("behaviour", "behaviours"):
        for index, item in enumerate(_tables(path, data, key), start=1):
            behaviours.append(_behaviour(path, where_is.table(key, index), item))
    return Scenario(
        path,
        start=instant("start", data["start"], where_is.key("start")) if "start" in data else None,
        until=instant("until", data["until"], where_is.key("until")) if "until" in data else None,
        seed=seed,
        profiles=file("profiles"), events=file("events"), audiences=file("audiences"),
        datasources=file("datasources"),
        lifecycle=tuple(sorted(lifecycle, key=lambda step: step.at)),
        behaviours=tuple(behaviours),
    )


def _tables(path, data, key) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InputError(path, None, f"`{key}` must be written as [[{key}]] tables")
    return value


_CHANNELS = ("email", "sms", "push", "inapp", "whatsapp")


def _behaviour(path, line: int | None, item) -> Behaviour:
    where = "[[behaviour]]"
    if not isinstance(item, dict):
        raise InputError(path, line, f"{where} must be a table")
    if "call" in item:
        extra = sorted(set(item) - {"call", "fail"})
        if extra:
            raise InputError(path, line, f"{where}: unknown key `{extra[0]}` (known: call, fail)")
        return Behaviour("call", _probability(path, line, item.get("fail"), "fail"),
                         action=str(item["call"]))
    extra = sorted(set(item) - {"after", "emit", "probability", "delay"})
    if extra:
        raise InputError(path, line, f"{where}: unknown key `{extra[0]}` "
                         "(known: after, emit, probability, delay)")
    for key in ("after", "emit"):
        if not isinstance(item.get(key), str):
            raise InputError(path, line, f"{where} needs `{key}` (a string) or `call`")
    words = item["after"].split()
    if len(words) not in (2, 3) or words[0] != "send" or words[1] not in _CHANNELS:
        raise InputError(path, line, f'{where}: `after` must be like "send email" or '
                         f'"send email welcome", not "{item["after"]}"')
    try:
        delay = parse_delay(item.get("delay", "0s"), "`delay`")
    except TimeError as error:
        raise InputError(path, line, str(error)) from None
    return Behaviour("send", _probability(path, line, item.get("probability", 1.0), "probability"),
                     channel=words[1], message=words[2] if len(words) == 3 else None,
                     emit=item["emit"], delay=delay)


def _probability(path, line, value, key) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise InputError(path, line, f"[[behaviour]]: `{key}` must be a number from 0 to 1")
    return float(value)
