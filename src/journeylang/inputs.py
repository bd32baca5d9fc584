"""Reading a run's inputs (profiles, events, audiences, data sources, scenarios): every file is
read by one reader, and every problem is an InputError that names the file, the line and,
where it helps, the column."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import json
import operator
import os
import pathlib
import re
import stat
import tomllib
from typing import Iterable, Mapping

import attrs

from .core.events import Event
from .core.instants import (EPOCH, FIRST_INSTANT, LAST_INSTANT, SECOND, TimeError, parse_delay,
                            parse_instant)
from .core.schema import Fields, SchemaError, column_type, reader, shown
from .core.values import MAX_DIGITS, NumberError, check_number, describe, parse_number

try:
    import fcntl
except ImportError:  # not on Windows, where there are no FIFOs to open without blocking
    fcntl = None  # type: ignore[assignment]


#: The files `journey run` reads from a workspace when no option names them.
PROFILES_FILE, EVENTS_FILE = "profiles.jsonl", "events.jsonl"
AUDIENCES_FILE, DATASOURCES_FILE = "audiences.json", "datasources.json"
ACTIONS_FILE = "actions.json"

#: The most an input read from a pipe or a FIFO may hold (a regular file may hold more).
MAX_STREAM = 1 << 30
#: How deep arrays and objects may nest in a JSON input (a profile's record is one level).
MAX_DEPTH = 100


#: What a message shows of the characters that would break its line or could not be printed:
#: control characters and halves of surrogate pairs, as escapes.
_ESCAPES = {**{code: f"\\x{code:02x}" for code in (*range(32), 127)},
            **{code: f"\\u{code:04x}" for code in range(0xD800, 0xE000)},
            ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}


class InputError(Exception):
    """A problem in an input file: `file:line:column: message`, the line and the column left
    out when unknown; one line, whatever the file holds."""

    def __init__(self, file, line: int | None, message: str, column: int | None = None):
        self.file = str(file).translate(_ESCAPES)
        self.line = line
        self.column = column if line is not None else None
        self.message = message.translate(_ESCAPES)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"

    def where(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return where

    def render(self) -> str:
        """As the commands print it, the way diagnostics are: `file:line:col: error: message`."""
        return f"{self.where()}: error: {self.message}"


# ---- one reader for every file -------------------------------------------------------------

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BLOCK = 1 << 20


def _read(path) -> str:
    """The text of an input file, whatever the path names: InputError for a missing or
    unreadable file, a directory, a device, a stream longer than MAX_STREAM, and for bytes
    that are not UTF-8 text. A UTF-8 byte-order mark at the start is skipped."""
    try:
        # Not blocking, so that a FIFO nobody writes to reads as empty instead of hanging.
        descriptor = os.open(path, os.O_RDONLY | _NONBLOCK)
    except OSError as error:
        raise InputError(path, None, _why(error)) from None
    except ValueError:
        raise InputError(path, None, "not a file name (it holds a NUL character)") from None
    try:
        return _decoded(path, _read_all(path, descriptor))
    except OSError as error:
        raise InputError(path, None, _why(error)) from None
    except MemoryError:
        raise InputError(path, None, "too large to be read into memory") from None
    finally:
        os.close(descriptor)


def _why(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory, not a file"
    return f"cannot be read ({error.strerror or error})"


def _read_all(path, descriptor: int) -> bytes:
    mode = os.fstat(descriptor).st_mode
    if stat.S_ISREG(mode):
        with open(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    if stat.S_ISDIR(mode):
        raise InputError(path, None, "is a directory, not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError(path, None, "is a device, not a file")
    if fcntl is not None:  # a pipe or a FIFO: read as it comes, waiting for what is written
        fcntl.fcntl(descriptor, fcntl.F_SETFL, fcntl.fcntl(descriptor, fcntl.F_GETFL) & ~_NONBLOCK)
    blocks: list[bytes] = []
    size = 0
    while block := os.read(descriptor, _BLOCK):
        if b"\0" in block:  # not text: stop at once (`cat /dev/zero |` never ends)
            return b"".join([*blocks, block])
        size += len(block)
        if size > MAX_STREAM:
            raise InputError(path, None, f"more than {MAX_STREAM:,} bytes read from this "
                             "stream: too long for an input")
        blocks.append(block)
    return b"".join(blocks)


def _decoded(path, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(path, 1, "not UTF-8 text (it starts with a UTF-16 byte-order mark): "
                         "save it as UTF-8", 1)
    nul = data.find(b"\0")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        raise InputError(path, line, "not a text file (it holds a NUL byte)", column)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(data, error.start)
        raise InputError(path, line, f"not UTF-8 text (byte 0x{data[error.start]:02x})",
                         column) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """The line and the column (in characters) of a byte offset."""
    start = data.rfind(b"\n", 0, offset) + 1
    return (data.count(b"\n", 0, offset) + 1,
            len(data[start:offset].decode("utf-8", errors="replace")) + 1)


def _position(text: str, offset: int, first_line: int = 1) -> tuple[int, int]:
    """The line and the column of a character offset in a text that starts at `first_line`."""
    return (text.count("\n", 0, offset) + first_line, offset - text.rfind("\n", 0, offset))


# ---- JSON ----------------------------------------------------------------------------------

def _whole(text: str) -> int:
    """A whole number of JSON as the language's (core/values.py): fewer digits than a number
    can have are always one (and read at once), more are checked."""
    return int(text) if len(text) < MAX_DIGITS else parse_number(text)


def _fraction(text: str) -> float:
    """A number of JSON with a fraction or an exponent as the language's: `1e400`, which
    would read as infinity, is not one."""
    value = float(text)
    if value == _INFINITY or value == -_INFINITY:
        raise NumberError(check_number(value))
    return value


def _no_constant(name: str):
    raise NumberError(check_number(float(name)))


_INFINITY = float("inf")
# `NaN`, `Infinity` and `-Infinity` are not JSON, though Python's json reads them by default.
_DECODER = json.JSONDecoder(parse_int=_whole, parse_float=_fraction, parse_constant=_no_constant)
_decode = _DECODER.decode
#: The decoder for texts whose lines are too short to hold a whole number of MAX_DIGITS
#: digits: their whole numbers are all the language's, read by json itself (a third faster).
_decode_short_lines = json.JSONDecoder(parse_float=_fraction, parse_constant=_no_constant).decode
_CONTAINER, _IS_DICT = {dict: True, list: True}.get, {dict: True}.get
_compress, _chain = itertools.compress, itertools.chain.from_iterable
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _unusual(text: str, values: list) -> bool:
    """Whether the values decoded from a text may hold what the language cannot: arrays and
    objects nested deeper than MAX_DEPTH, half of a surrogate pair (`\\ud83d` alone).
    _json_problem says which, and where."""
    return _too_deep(text, values) or _half_a_pair(text, values)


def _too_deep(text: str, values: list) -> bool:
    """Whether a value nests arrays and objects deeper than MAX_DEPTH. A value nests no deeper
    than it has brackets: only a text of many is looked into, a level at a time, without a
    Python step per value."""
    if text.count("{") + text.count("[") <= MAX_DEPTH:
        return False
    level = values
    for _ in range(MAX_DEPTH):
        containers = list(_compress(level, map(_CONTAINER, map(type, level))))
        if not containers:
            return False
        dicts = list(_compress(containers, map(_IS_DICT, map(type, containers))))
        inner = _chain(map(dict.values, dicts))
        if len(dicts) < len(containers):
            inner = _chain((inner, _chain(c for c in containers if type(c) is list)))
        level = list(inner)
    return any(map(_CONTAINER, map(type, level)))


#: The longest line that cannot nest deeper than MAX_DEPTH (each level takes two brackets).
_SHALLOW_LINE = 2 * MAX_DEPTH + 1


def _unusual_lines(lines: list[str], longest: int, chunk: str, values: list) -> bool:
    """_unusual for a chunk of JSON Lines, a value a line, as a hint: true when a line may
    nest too deeply (it is then read alone, and looked into) or a value holds half of a
    surrogate pair. A line nests no deeper than half its length, nor than it has brackets."""
    if longest > _SHALLOW_LINE:
        long = list(_compress(lines, map(_SHALLOW_LINE.__lt__, map(len, lines))))
        if max(map(operator.add, map(str.count, long, itertools.repeat("{")),
                   map(str.count, long, itertools.repeat("[")))) > MAX_DEPTH:
            return True
    return _half_a_pair(chunk, values)


def _half_a_pair(text: str, values: list) -> bool:
    """Whether a string of the values holds half of a surrogate pair, which only an escape
    can write: a text without a backslash has none."""
    if "\\" not in text or _SURROGATE_ESCAPE.search(text) is None:
        return False
    try:
        json.dumps(values, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{\]}]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?'
                         r"|NaN|-?Infinity", re.S)
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.S)


def _json_problem(text: str) -> tuple[int, str] | None:
    """The first thing in a JSON text that the language cannot hold, as (offset, message):
    arrays and objects nested more than MAX_DEPTH deep, a number that is not one of the
    language's (NaN, 1e400, thousands of digits), half of a surrogate pair. None when there
    is none."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        first = token.group()[0]
        if first == '"':
            lone = _lone_surrogate(token.group())
            if lone is not None:
                return token.start() + lone[0], lone[1]
        elif first in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return token.start(), f"arrays and objects nested more than {MAX_DEPTH} deep"
        elif first in "]}":
            depth -= 1
        else:
            try:
                if first in "NI" or token.group().startswith("-I"):
                    _no_constant(token.group())
                parse_number(token.group())
            except NumberError as error:
                return token.start(), str(error)
    return None


def _lone_surrogate(string: str) -> tuple[int, str] | None:
    """(offset, message) of the first `\\uD800`–`\\uDFFF` escape of a JSON string literal
    that is not half of a pair, or None."""
    pending = None  # (offset, code, end) of a first half waiting for its second
    for escape in _ESCAPE.finditer(string):
        code = int(escape[1], 16) if escape[1] else None
        if pending is not None:
            if code is not None and 0xDC00 <= code <= 0xDFFF and escape.start() == pending[2]:
                pending = None
                continue
            break
        if code is not None and 0xD800 <= code <= 0xDBFF:
            pending = (escape.start(), code, escape.end())
        elif code is not None and 0xDC00 <= code <= 0xDFFF:
            pending = (escape.start(), code, -1)
            break
    if pending is None:
        return None
    return pending[0], (f"\\u{pending[1]:04x} is half of a surrogate pair, without the other "
                        "half: not a character")


def _json_value(path, text: str, first_line: int = 1):
    """A JSON text decoded, or an InputError at the line and column of its first problem: not
    JSON, or holding what the language cannot (see _json_problem)."""
    try:
        value = _decode(text)
    except json.JSONDecodeError as error:
        line, column = _position(text, error.pos, first_line)
        raise InputError(path, line, f"not valid JSON ({error.msg})", column) from None
    except (ValueError, RecursionError) as error:  # a number json cannot make, deep nesting
        value, failure = None, error
    else:
        if not _unusual(text, [value]):
            return value
        failure = None
    problem = _json_problem(text)
    if problem is None:
        if failure is None:
            return value
        raise InputError(path, first_line, f"not valid JSON ({failure})")
    line, column = _position(text, problem[0], first_line)
    raise InputError(path, line, problem[1], column)


#: About how many characters of a JSON Lines file are decoded at once.
CHUNK = 1 << 18


def _json_chunks(path):
    """The file's non-blank lines decoded, as (line numbers, values) a chunk of whole lines at
    a time. A chunk is decoded as one JSON array, its newlines made commas (twice as fast as
    line by line), and checked as a whole (_unusual_lines); a chunk that fails (a bad or a
    blank line, a value the language cannot hold) is decoded line by line, to skip blank
    lines and name a bad one. Lines end with a newline (a carriage return before it is white
    space to JSON)."""
    text, size = _read(path), CHUNK
    start, first, length = 0, 1, len(text)
    while start < length:
        end = text.find("\n", start + size - 1)
        end = length if end < 0 else end + 1
        chunk = text[start:end].removesuffix("\n")
        start = end
        lines = chunk.split("\n")
        count, longest = len(lines), max(map(len, lines))
        decode = _decode if longest >= MAX_DIGITS else _decode_short_lines
        try:
            values = decode("[" + chunk.replace("\n", ",") + "]")
        except (ValueError, RecursionError):
            values = None
        if (values is not None and len(values) == count
                and not _unusual_lines(lines, longest, chunk, values)):
            yield range(first, first + count), values
            first += count
            continue
        numbers, values = [], []
        for number, line in enumerate(lines, start=first):
            if line.strip():
                values.append(_json_value(path, line, number))
                numbers.append(number)
        first += count
        yield numbers, values


def _json_document(path) -> tuple[str, object]:
    """The text of a JSON file and its value."""
    text = _read(path)
    return text, _json_value(path, text)


_WHITE = re.compile(r"[ \t\n\r]*")


def _offset_of(text: str, keys: tuple) -> int:
    """The offset in a JSON text (one that decoded) of the value at a path of object keys and
    array indices; as far as the path could be followed."""
    position = _WHITE.match(text).end()
    for key in keys:
        opener = text[position:position + 1]
        if opener not in ("{", "["):
            break
        inner, index, found = position + 1, 0, None
        while found is None:
            inner = _WHITE.match(text, inner).end()
            if text[inner:inner + 1] in ("}", "]", ""):
                break
            if opener == "{":
                name, inner = json.decoder.scanstring(text, inner + 1)
                inner = _WHITE.match(text, _WHITE.match(text, inner).end() + 1).end()
                if name == key:
                    found = inner
            elif index == key:
                found = inner
            if found is None:
                inner = _WHITE.match(text, _DECODER.raw_decode(text, inner)[1]).end()
                if text[inner:inner + 1] != ",":
                    break
                inner += 1
                index += 1
        if found is None:
            break
        position = found
    return position


class _Problem(Exception):
    """A problem in data shaped like an input file, at a path of keys and indices; located
    in the file's text when there is one."""

    def __init__(self, keys: tuple, message: str):
        super().__init__(message)
        self.keys = keys
        self.message = message

    def located(self, origin, text: str | None) -> InputError:
        if text is None:
            return InputError(origin, None, self.message)
        line, column = _position(text, _offset_of(text, self.keys))
        return InputError(origin, line, self.message, column)


# ---- profiles ------------------------------------------------------------------------------

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
        if type(identity) not in (int, float):
            raise InputError(path, line, "the `id` must be a string or a number")
        identity = record["id"] = str(identity)
    if not identity:
        raise InputError(path, line, "this profile has no `id`")
    if identity in seen:
        raise InputError(path, line, f"profile `{identity}` appears twice")
    seen[identity] = record
    return record


def load_profiles(path, schema: Fields | None = None) -> list[dict]:
    """Profiles from JSON Lines (.jsonl), JSON (.json: a list, or {"profiles": [...]}) or CSV,
    whose cells are read by the profile schema's `fields` where it declares them."""
    return list(load_profiles_by_id(path, schema).values())


def load_profiles_by_id(path, schema: Fields | None = None) -> dict[str, dict]:
    """The profiles of load_profiles, by id, in file order."""
    path = pathlib.Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_profiles(path, _read(path), schema)
    if suffix == ".json":
        text, data = _json_document(path)
        keys: tuple = ()
        if isinstance(data, dict) and isinstance(data.get("profiles"), list):
            data, keys = data["profiles"], ("profiles",)
        if not isinstance(data, list):
            raise _Problem((), 'expected a list of profiles (or {"profiles": [...]})'
                           ).located(path, text)
        return _numbered_profiles(path, data, text, keys)
    seen: dict[str, dict] = {}
    for numbers, records in _json_chunks(path):
        if not _plain_profiles(records, seen):
            for line, record in zip(numbers, records):
                _profile(path, line, record, seen)
    return seen


def profiles_from_records(records: Iterable[dict], origin: str = "profiles") -> list[dict]:
    """Profiles given as data, checked as a file's are; an error names `origin` and the
    profile's place (from 1). A non-text `id` is made text in place."""
    return list(_numbered_profiles(origin, records).values())


def _numbered_profiles(origin, records: Iterable, text: str | None = None,
                       keys: tuple = ()) -> dict[str, dict]:
    seen: dict[str, dict] = {}
    for index, record in enumerate(records, start=1):
        try:
            _profile(origin, None, record, seen)
        except InputError as error:
            problem = _Problem((*keys, index - 1), f"profile {index}: {error.message}")
            raise problem.located(origin, text) from None
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


#: The profile attributes every schema has: `id` is text, even when it looks like a number.
_PROFILE_BASE: Fields = {"id": "string"}


def _csv_profiles(path, text: str, schema: Fields | None) -> dict[str, dict]:
    """Profiles from CSV: a header row naming the attributes (`consent.email` for an attribute
    of a record), then a profile a row. A cell is read by the type the schema declares for its
    column, or guessed (true/false, numbers) where it declares none; an empty cell is left
    out. A row starts on the line its first cell does (a quoted cell may hold newlines)."""
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    seen: dict[str, dict] = {}
    header: list[str] | None = []
    while header == []:  # blank lines before the header
        header_line = rows.line_num + 1
        header = _csv_row(path, rows)
    if header is None:
        return seen
    columns = _csv_columns(path, header_line, header, {**(schema or {}), **_PROFILE_BASE})
    while True:
        line = rows.line_num + 1
        row = _csv_row(path, rows)
        if row is None:
            return seen
        if not row:
            continue  # a blank line
        if len(row) > len(columns):
            raise InputError(path, line, f"this row has {len(row)} cells, more than the header's "
                             f"{len(columns)}")
        record: dict = {}
        for (name, parents, leaf, read), cell in zip(columns, row):
            if cell == "":
                continue
            try:
                value = read(cell)
            except SchemaError as error:
                raise InputError(path, line, f'column "{name}": {error}') from None
            target = record
            for parent in parents:
                target = target.setdefault(parent, {})
            target[leaf] = value
        _profile(path, line, record, seen)


def _csv_row(path, rows) -> list[str] | None:
    line = rows.line_num + 1
    try:
        return next(rows)
    except StopIteration:
        return None
    except csv.Error as error:
        message = str(error)
        if message.startswith("field larger than field limit"):
            message = f"a cell is longer than {csv.field_size_limit():,} characters"
        raise InputError(path, line, f"not valid CSV ({message})") from None


def _csv_columns(path, line: int, header: list[str], fields: Fields) -> list[tuple]:
    """(name, parent names, leaf name, reading function) of each column of a CSV header."""
    names = [cell.strip() for cell in header]
    places: dict[str, int] = {}
    for index, name in enumerate(names, start=1):
        if not name:
            raise InputError(path, line, f"column {index} of the header has no name")
        if "" in name.split("."):
            raise InputError(path, line, f'column "{name}": a part of the name is empty')
        if name in places:
            raise InputError(path, line, f'column "{name}" appears twice (columns {places[name]} '
                             f"and {index})")
        places[name] = index
    for name in names:
        parts = name.split(".")
        for end in range(1, len(parts)):
            outer = ".".join(parts[:end])
            if outer in places:
                raise InputError(path, line, f'column "{name}" is inside column "{outer}": an '
                                 "attribute is either a value or a record of values")
    if "id" not in places:
        raise InputError(path, line, 'the header has no "id" column')
    columns = []
    for name in names:
        parts = name.split(".")
        try:
            read = reader(column_type(fields, parts))
        except SchemaError as error:
            raise InputError(path, line, f'column "{name}": {error}') from None
        columns.append((name, parts[:-1], parts[-1], read))
    return columns


# ---- events --------------------------------------------------------------------------------

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
    offset (the usual case) within the instants that exist; None when any is not, for the
    caller to check one by one."""
    if not records:
        return []
    try:
        times = [(_fromisoformat(record["time"]) - EPOCH) // SECOND for record in records]
        events = list(map(Event, times, map(_profile_of, records), map(_name_of, records),
                          map(_data_of, records), lines))
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    if (FIRST_INSTANT <= min(times) and max(times) <= LAST_INSTANT
            and set(map(type, map(_profile_of, records))) == {str}
            and set(map(type, map(_name_of, records))) == {str}
            and set(map(type, map(_data_of, records))) == {dict}):
        return events
    return None


_fromisoformat = datetime.datetime.fromisoformat
_profile_of, _name_of = operator.itemgetter("profile"), operator.itemgetter("event")
_data_of = operator.methodcaller("get", "data", _NO_DATA)


def instant_from_data(value, where: str = "") -> int:
    """An instant given as data: whole seconds since the epoch, or what parse_instant reads
    (an ISO-8601 text with `Z` or an offset, an aware datetime), from 0001-01-01 to
    9999-12-31. Raises TimeError."""
    if type(value) is not int:
        return parse_instant(value, where)
    if not FIRST_INSTANT <= value <= LAST_INSTANT:
        raise TimeError(f"{where + ': ' if where else ''}{value} is not an instant from "
                        "0001-01-01 to 9999-12-31 (in seconds since 1970-01-01T00:00:00Z)")
    return value


def _event(path, line: int | None, record, instants: bool = False) -> Event:
    """One event checked field by field, with an error that names the problem; with
    `instants`, its `time` may also be seconds since the epoch or a datetime."""
    try:
        time, who, name = record["time"], record["profile"], record["event"]
    except (KeyError, TypeError):
        raise _event_error(path, line, record) from None
    data = record.get("data")
    if data is None or data == {}:
        data = _NO_DATA
    elif type(data) is not dict:
        raise InputError(path, line, "`data` must be an object")
    if not instants and not isinstance(time, str):
        raise InputError(path, line, f"expected a date-time, found {describe(time)}")
    try:
        instant = instant_from_data(time)
    except TimeError as error:
        raise InputError(path, line, str(error)) from None
    return Event(instant, who if type(who) is str else str(who), str(name), data, line or 0)


def _event_error(path, line: int | None, record) -> InputError:
    if not isinstance(record, dict):
        return InputError(path, line, "an event must be an object")
    missing = next(key for key in ("time", "profile", "event") if key not in record)
    return InputError(path, line, f"this event has no `{missing}`")


# ---- audiences and data sources ------------------------------------------------------------

def load_audiences(path) -> dict[str, list[str]]:
    text, data = _json_document(path)
    try:
        return _audiences(data)
    except _Problem as problem:
        raise problem.located(path, text) from None


def audiences_from_data(data, origin: str = "audiences") -> dict[str, list[str]]:
    """Audiences given as data, {"audience name": ["profile id", ...]}, checked as a file's
    are; an error names `origin`."""
    try:
        return _audiences(data)
    except _Problem as problem:
        raise problem.located(origin, None) from None


def _audiences(data) -> dict[str, list[str]]:
    if not isinstance(data, Mapping):
        raise _Problem((), 'expected {"audience name": ["profile id", ...]}')
    audiences = {}
    for name, ids in data.items():
        if not isinstance(ids, list):
            raise _Problem((name,), f"audience `{name}` must be a list of profile ids")
        for index, identity in enumerate(ids):
            if type(identity) not in (str, int, float):
                raise _Problem((name, index), f"audience `{name}`: entry {index + 1} is not a "
                               "profile id (a string)")
        audiences[name] = [i if type(i) is str else str(i) for i in ids]
    return audiences


def load_datasources(path, noun: str = "data source") -> dict[str, list[tuple[dict, object]]]:
    """Fixtures: {"source": [{"with": {...}, "result": ...}, ...]}. A fetch takes the first
    entry whose `with` keys all equal the fetch's (an entry with no `with` matches any).
    Actions' responses (`noun` "action") have the same shape."""
    text, data = _json_document(path)
    try:
        return _fixtures(data, noun)
    except _Problem as problem:
        raise problem.located(path, text) from None


def load_action_responses(path) -> dict[str, list[tuple[dict, object]]]:
    """Actions' responses: {"action": [{"with": {...}, "result": ...}, ...]}, as fixtures."""
    return load_datasources(path, "action")


def datasources_from_data(data, origin: str = "datasources",
                          noun: str = "data source") -> dict[str, list[tuple[dict, object]]]:
    """The fixtures of load_datasources given as data, checked as a file's are; an error
    names `origin`."""
    try:
        return _fixtures(data, noun)
    except _Problem as problem:
        raise problem.located(origin, None) from None


def action_responses_from_data(data) -> dict[str, list[tuple[dict, object]]]:
    return datasources_from_data(data, "actions", "action")


def _fixtures(data, noun: str) -> dict[str, list[tuple[dict, object]]]:
    if not isinstance(data, Mapping):
        raise _Problem((), f'expected {{"{noun.split()[-1]}": [{{"with": {{...}}, "result": ...}}]}}')
    sources = {}
    for name, entries in data.items():
        if not isinstance(entries, list):
            raise _Problem((name,), f"{noun} `{name}` must be a list of entries")
        rows = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or "result" not in entry:
                raise _Problem((name, index), f"entry {index + 1} of `{name}` needs a `result`")
            match = entry.get("with", {})
            if not isinstance(match, dict):
                raise _Problem((name, index, "with"),
                               f"entry {index + 1} of `{name}`: `with` must be an object")
            rows.append((match, entry["result"]))
        sources[name] = rows
    return sources


# ---- scenarios -----------------------------------------------------------------------------

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
    actions: pathlib.Path | None = None
    lifecycle: tuple[LifecycleStep, ...] = ()
    behaviours: tuple[Behaviour, ...] = ()


_SCENARIO_KEYS = {"start", "until", "seed", "profiles", "events", "audiences", "datasources",
                  "actions", "lifecycle", "behaviour", "behaviours"}
#: A seed is one of TOML's integers: 64 bits, signed.
_SEEDS = range(-(1 << 63), 1 << 63)


class _TomlLines:
    """Where things are in a TOML text, so that errors in valid TOML still name a line."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        headers = [number for number, line in enumerate(self.lines, start=1)
                   if line.lstrip().startswith("[")]
        self.first_header = headers[0] if headers else len(self.lines) + 1

    def key(self, key: str, lines: range | None = None) -> int | None:
        """The line of `key = …` at the top (before any table), or among `lines`."""
        pattern = re.compile(rf"\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        for number in lines or range(1, self.first_header):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def table(self, name: str, index: int) -> int | None:
        """The line of the index-th (from 1) `[[name]]` header."""
        headers = self._headers(name)
        return headers[index - 1] if index <= len(headers) else None

    def key_in_table(self, name: str, index: int, key: str) -> int | None:
        """The line of `key = …` in the index-th `[[name]]` table, else of its header."""
        header = self.table(name, index)
        if header is None:
            return self.key(name)
        end = header + 1
        while end <= len(self.lines) and not self.lines[end - 1].lstrip().startswith("["):
            end += 1
        return self.key(key, range(header + 1, end)) or header

    def _headers(self, name: str) -> list[int]:
        pattern = re.compile(rf"\s*\[\[\s*{re.escape(name)}\s*\]\]")
        return [number for number, line in enumerate(self.lines, start=1) if pattern.match(line)]


def _toml_kind(value) -> str:
    """What a TOML value is, in TOML's words."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, datetime.datetime):
        return "a date-time" if value.tzinfo is not None else "a local date-time"
    for kind, words in ((str, "a string"), (int, "an integer"), (float, "a float"),
                        (datetime.date, "a date"), (datetime.time, "a time"),
                        (list, "an array"), (dict, "a table")):
        if isinstance(value, kind):
            return words
    return type(value).__name__


def _toml(path, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        place = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if place is None:
            place = re.search(r"\s*\(at end of document\)$", message)
            line = text.count("\n") + 1 if place is not None else None
            message = message[:place.start()] if place is not None else message
            raise InputError(path, line, f"not valid TOML ({message})") from None
        raise InputError(path, int(place[1]), f"not valid TOML ({message[:place.start()]})",
                         int(place[2])) from None
    except ValueError:  # an integer of more digits than Python turns into an int
        for number in re.finditer(r"\d[\d_]*", text):
            try:
                parse_number(number.group().replace("_", ""))
            except NumberError as error:
                line, column = _position(text, number.start())
                raise InputError(path, line, str(error), column) from None
        raise InputError(path, None, "not valid TOML (a number that cannot be read)") from None
    except RecursionError:
        depth = 0
        for bracket in re.finditer(r"[\[{]|[\]}]", text):
            depth += 1 if bracket.group() in "[{" else -1
            if depth > MAX_DEPTH:
                line, column = _position(text, bracket.start())
                raise InputError(path, line, f"arrays and tables nested more than {MAX_DEPTH} "
                                 "deep", column) from None
        raise InputError(path, None, "not valid TOML (nested too deeply)") from None


def load_scenario(path) -> Scenario:
    path = pathlib.Path(path)
    text = _read(path)
    data = _toml(path, text)
    where_is = _TomlLines(text)
    unknown = sorted(set(data) - _SCENARIO_KEYS)
    if unknown:
        raise InputError(path, where_is.key(unknown[0]), f"unknown key `{unknown[0]}` "
                         f"(known: {', '.join(sorted(_SCENARIO_KEYS))})")

    def instant(key, value, line):
        try:
            return _toml_instant(key, value)
        except TimeError as error:
            raise InputError(path, line, str(error)) from None

    def file(key):
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InputError(path, where_is.key(key), f"`{key}` must be a file name (a string), "
                             f"not {_toml_kind(value)}")
        return path.parent / value

    seed = data.get("seed")
    if seed is not None and (type(seed) is not int or seed not in _SEEDS):
        found = "" if type(seed) is int else f", not {_toml_kind(seed)}"
        raise InputError(path, where_is.key("seed"), "`seed` must be a whole number from "
                         f"-2^63 to 2^63 - 1{found}")
    lifecycle = [_lifecycle_step(path, where_is, index, step, instant)
                 for index, step in enumerate(_tables(path, where_is, data, "lifecycle"), 1)]
    behaviours = []
    for key in ("behaviour", "behaviours"):
        for index, item in enumerate(_tables(path, where_is, data, key), start=1):
            header = where_is.table(key, index) or where_is.key(key)
            behaviours.append(_behaviour(
                path, header, item,
                lambda name, key=key, index=index: where_is.key_in_table(key, index, name)))
    return Scenario(
        path,
        start=instant("start", data["start"], where_is.key("start")) if "start" in data else None,
        until=instant("until", data["until"], where_is.key("until")) if "until" in data else None,
        seed=seed,
        profiles=file("profiles"), events=file("events"), audiences=file("audiences"),
        datasources=file("datasources"), actions=file("actions"),
        lifecycle=tuple(sorted(lifecycle, key=lambda step: step.at)),
        behaviours=tuple(behaviours),
    )


def _toml_instant(key: str, value) -> int:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        raise TimeError(f"`{key}` must be a date-time, not a date: write it like "
                        f"{value.isoformat()}T00:00:00Z")
    if not isinstance(value, (str, datetime.datetime)):
        raise TimeError(f"`{key}` must be a date-time like 2026-03-01T00:00:00Z, not "
                        f"{_toml_kind(value)}")
    return instant_from_data(value, f"`{key}`")


def _lifecycle_step(path, where_is: _TomlLines, index: int, step, instant) -> LifecycleStep:
    line = where_is.table("lifecycle", index) or where_is.key("lifecycle")
    if not isinstance(step, dict):
        raise InputError(path, line, f"[[lifecycle]] must be a table, not {_toml_kind(step)}")
    actions = [key for key in ("publish", "close", "stop") if key in step]
    if len(actions) != 1:
        raise InputError(path, line, "[[lifecycle]] needs exactly one of publish, close or stop")
    extra = sorted(set(step) - {"at", "version", *actions})
    if extra:
        raise InputError(path, where_is.key_in_table("lifecycle", index, extra[0]),
                         f"[[lifecycle]]: unknown key `{extra[0]}` "
                         "(known: at, publish, close, stop, version)")
    if "at" not in step:
        raise InputError(path, line, "[[lifecycle]] needs `at`, the instant of the step")
    journey = step[actions[0]]
    if not isinstance(journey, str):
        raise InputError(path, where_is.key_in_table("lifecycle", index, actions[0]),
                         f"[[lifecycle]]: `{actions[0]}` must be a journey's name (a string), "
                         f"not {_toml_kind(journey)}")
    version = step.get("version")
    if version is not None and (type(version) is not int or not 1 <= version <= _SEEDS[-1]):
        found = "" if type(version) is int else f", not {_toml_kind(version)}"
        raise InputError(path, where_is.key_in_table("lifecycle", index, "version"),
                         f"[[lifecycle]]: `version` must be a whole number from 1 to 2^63 - 1{found}")
    at = instant("at", step["at"], where_is.key_in_table("lifecycle", index, "at"))
    return LifecycleStep(at, actions[0], journey, version, line)


def _tables(path, where_is: _TomlLines, data, key) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InputError(path, where_is.key(key), f"`{key}` must be written as [[{key}]] "
                         f"tables, not {_toml_kind(value)}")
    return value


_CHANNELS = ("email", "sms", "push", "inapp", "whatsapp")


def _behaviour(path, line, item, line_of) -> Behaviour:
    """A [[behaviour]] table whose header is at `line`; `line_of(key)` is the line of one of
    its keys (of its header when it has no such key)."""
    where = "[[behaviour]]"
    if not isinstance(item, dict):
        raise InputError(path, line, f"{where} must be a table, not {_toml_kind(item)}")
    if "call" in item:
        extra = sorted(set(item) - {"call", "fail"})
        if extra:
            raise InputError(path, line_of(extra[0]), f"{where}: unknown key `{extra[0]}` "
                             "(known: call, fail)")
        if not isinstance(item["call"], str):
            raise InputError(path, line_of("call"), f"{where}: `call` must be a custom "
                             f"action's name (a string), not {_toml_kind(item['call'])}")
        return Behaviour("call", _probability(path, line_of("fail"), item.get("fail"), "fail"),
                         action=item["call"])
    extra = sorted(set(item) - {"after", "emit", "probability", "delay"})
    if extra:
        raise InputError(path, line_of(extra[0]), f"{where}: unknown key `{extra[0]}` "
                         "(known: after, emit, probability, delay)")
    for key in ("after", "emit"):
        if not isinstance(item.get(key), str):
            found = f", not {_toml_kind(item[key])}" if key in item else ""
            raise InputError(path, line_of(key), f"{where} needs `{key}` (a string){found}, "
                             "or `call`")
    words = item["after"].split()
    if len(words) not in (2, 3) or words[0] != "send" or words[1] not in _CHANNELS:
        raise InputError(path, line_of("after"), f'{where}: `after` must be like "send email" '
                         f'or "send email welcome", not {shown(item["after"])}')
    return Behaviour("send", _probability(path, line_of("probability"),
                                          item.get("probability", 1.0), "probability"),
                     channel=words[1], message=words[2] if len(words) == 3 else None,
                     emit=item["emit"], delay=_delay(path, line_of("delay"), item.get("delay", "0s")))


def _delay(path, line, value) -> tuple[int, int]:
    if not isinstance(value, str):
        raise InputError(path, line, '[[behaviour]]: `delay` must be a duration like "2h" or a '
                         f'range like "1h..2d" (a string), not {_toml_kind(value)}')
    try:
        return parse_delay(value, "`delay`")
    except TimeError as error:
        raise InputError(path, line, f"[[behaviour]]: {error}") from None


def _probability(path, line, value, key) -> float:
    if type(value) not in (int, float) or not 0 <= value <= 1:
        raise InputError(path, line, f"[[behaviour]]: `{key}` must be a number from 0 to 1")
    return float(value)
