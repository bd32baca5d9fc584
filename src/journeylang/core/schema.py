"""The types that `profile { … }` and `event … { … }` declare, as plain data, and input values
read by them: what the checker, the input reader and the run share about attributes' types.

A schema's fields are a dict {name: type}, where a type is a name from TYPE_NAMES, the fields
of a nested record (a dict of the same shape), or a list of one type, `[type]`, for a list
of values of that type (`[{"sku": "string"}]` for `[{ sku: string }]`; "list" is a list of
values of any type). The checker builds them from the
syntax tree (this layer knows no nodes); the input reader types CSV cells by them; the run
reads the dates and date-times of JSON inputs by them.
"""

from __future__ import annotations

import datetime
from typing import Callable, Mapping, Union

from .instants import TimeError, to_instant
from .values import NumberError, parse_number

#: The scalar types an attribute can be declared with.
TYPE_NAMES = ("string", "number", "bool", "date", "datetime", "time", "duration", "any")

FieldType = Union[str, "Fields", list]
Fields = dict[str, FieldType]

_UTC = datetime.timezone.utc


class SchemaError(ValueError):
    """A value that is not of its declared type, or a column that does not fit the schema;
    the message says which and why, without saying where (the caller knows)."""


def merge(into: dict, fields: Mapping) -> None:
    """Add a record type's fields to another; records declared twice merge their fields (a
    conflicting declaration is reported by a rule, and the first one kept)."""
    for name, kind in fields.items():
        if isinstance(kind, dict) and isinstance(into.get(name), dict):
            merge(into[name], kind)
        else:
            into.setdefault(name, kind)


def shown(text: str, limit: int = 40) -> str:
    """A text quoted for a message, cut short when long."""
    return f'"{text if len(text) <= limit else text[:limit] + "…"}"'


# ---- reading one value by its type -------------------------------------------------------

def read_number(text: str) -> int | float:
    """A number written as JSON writes one (12, -4.5, 1e3), white space around it allowed:
    the language's numbers (core/values.py), a SchemaError for any other text."""
    try:
        return parse_number(text.strip())
    except NumberError as error:
        raise SchemaError(str(error)) from None


def read_bool(text: str) -> bool:
    """`true` or `false`, in any case."""
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise SchemaError(f"{shown(text)} is not true or false")
    return lowered == "true"


def read_date(text: str) -> datetime.date:
    """An ISO-8601 date (`2026-03-01`), or the date of an ISO-8601 date-time as written."""
    stripped = text.strip()
    try:
        return datetime.date.fromisoformat(stripped)
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(stripped).date()
    except ValueError:
        raise SchemaError(f"{shown(text)} is not a date (write it like 2026-03-01)") from None


def read_datetime(text: str) -> datetime.datetime:
    """An ISO-8601 date-time with `Z` or an offset, in UTC. One without an offset, or whose
    instant falls outside 0001-01-01 to 9999-12-31 in UTC, is a SchemaError."""
    stripped = text.strip()
    try:
        moment = datetime.datetime.fromisoformat(stripped)
    except ValueError:
        raise SchemaError(f"{shown(text)} is not a date-time "
                          "(write it like 2026-03-01T09:00:00Z)") from None
    if moment.tzinfo is None:
        raise SchemaError(f"{shown(text)} has no time zone: add Z (UTC) or an offset like +01:00")
    try:
        to_instant(moment)
    except TimeError as error:
        raise SchemaError(str(error)) from None
    return moment.astimezone(_UTC)


def guess(text: str):
    """A value of undeclared type written as text (a CSV cell): true or false, a number of
    the language, or else the text itself."""
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return parse_number(stripped)
    except NumberError:
        return text


def _text(text: str) -> str:
    return text


def _no_list(text: str):
    raise SchemaError("a list cannot be written in a CSV cell (use JSON Lines for lists)")


#: How a text is read for each declared type. Times and durations stay text, as they do in
#: JSON inputs, which have no such types either.
_READERS: dict[str, Callable[[str], object]] = {
    "string": _text, "time": _text, "duration": _text, "number": read_number,
    "bool": read_bool, "date": read_date, "datetime": read_datetime, "any": guess,
    "list": _no_list,
}


def reader(kind: FieldType | None) -> Callable[[str], object]:
    """The function that reads a text as a value of a declared scalar type (None: not
    declared, guessed); each raises SchemaError for a text that is not one."""
    if isinstance(kind, dict):
        raise TypeError("a record is not read from one text")
    if isinstance(kind, list):
        return _no_list
    return guess if kind is None else _READERS.get(kind, guess)


def column_type(fields: Mapping | None, path: list[str]) -> FieldType | None:
    """The declared type of an attribute named by its path (`consent.email` as ["consent",
    "email"]): None when the schema does not declare it. SchemaError when the path goes
    through an attribute declared with a scalar type, or ends at a record."""
    kind: FieldType | None = fields  # type: ignore[assignment]
    for depth, name in enumerate(path):
        if not isinstance(kind, Mapping):
            return None
        kind = kind.get(name)
        if kind is None:
            return None
        if not isinstance(kind, dict) and depth < len(path) - 1:
            shown_kind = "list" if isinstance(kind, list) else kind
            raise SchemaError(f"`{'.'.join(path[:depth + 1])}` is declared a {shown_kind}, not "
                              "a record with attributes")
    if isinstance(kind, dict):
        example = ".".join([*path, next(iter(kind), "name")])
        raise SchemaError(f"`{'.'.join(path)}` is declared a record: give its attributes as "
                          f'columns like "{example}"')
    return kind


# ---- dates and date-times of JSON values ---------------------------------------------------

def _lenient(read: Callable[[str], object]) -> Callable[[str], object]:
    def attempt(text: str):
        try:
            return read(text)
        except SchemaError:
            return text  # left as text: using it as a date is then a located runtime error
    return attempt


_MOMENTS = {"date": _lenient(read_date), "datetime": _lenient(read_datetime)}


def coercer(fields: Mapping) -> Callable[[dict], None] | None:
    """A function that turns, in a record of these fields, the texts of attributes declared
    `date` or `datetime` into dates and date-times (in UTC), leaving a text that is not one
    as it is; None when the fields declare no such attribute, as there is nothing to do."""
    plan = _plan(fields)
    if not plan:
        return None

    def coerce(record: dict) -> None:
        _apply(plan, record)
    return coerce


def _plan(fields: Mapping) -> list[tuple[str, object]]:
    """(name, how) for each field that needs work: a reading function, a nested plan (a
    list), or for a list of such values, how to work on each of its items (a tuple)."""
    plan: list[tuple[str, object]] = []
    for name, kind in fields.items():
        how = _how(kind)
        if how is not None:
            plan.append((name, how))
    return plan


def _how(kind):
    if isinstance(kind, dict):
        return _plan(kind) or None
    if isinstance(kind, list):
        each = _how(kind[0]) if kind else None
        return None if each is None else (each,)
    return _MOMENTS.get(kind) if isinstance(kind, str) else None


def _apply(plan: list, record: dict) -> None:
    for name, how in plan:
        value = record.get(name)
        new = _worked(how, value)
        if new is not value:
            record[name] = new


def _worked(how, value):
    """The value with the plan's work done (the same object when there was none to do)."""
    if type(value) is str:
        return how(value) if callable(how) else value
    if type(value) is dict and type(how) is list:
        _apply(how, value)
    elif type(value) is list and type(how) is tuple:
        each = how[0]
        for index, item in enumerate(value):
            new = _worked(each, item)
            if new is not item:
                value[index] = new
    return value
