"""The function library: one table of functions, with arities and result types for the checker."""

from __future__ import annotations

import datetime
from typing import Callable

import attrs

from .values import DateTime, Date, JourneyRuntimeError, to_text, type_name


@attrs.frozen
class Function:
    name: str
    min_args: int
    max_args: int
    result: str
    signature: str
    doc: str
    example: str
    impl: Callable


def _as_date(value, function: str):
    if isinstance(value, DateTime):
        return value.date()
    if isinstance(value, Date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise JourneyRuntimeError(f"{function}() expects a date, found {type_name(value)} {value!r}")


def _text(value, function: str) -> str:
    if not isinstance(value, str):
        raise JourneyRuntimeError(f"{function}() expects a string, found {type_name(value)}")
    return value


def _null_safe(impl):
    def run(ctx, *args):
        if any(arg is None for arg in args):
            return None
        return impl(ctx, *args)
    return run


def _today(ctx):
    return ctx.now.astimezone(ctx.zone).date()


def _age(ctx, birthday):
    born = _as_date(birthday, "age")
    today = _today(ctx)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _len(ctx, value):
    if isinstance(value, (str, list, dict)):
        return len(value)
    raise JourneyRuntimeError(f"len() expects a string, list or record, found {type_name(value)}")


def _contains(ctx, container, item):
    if isinstance(container, str):
        return _text(item, "contains") in container
    if isinstance(container, list):
        return item in container
    raise JourneyRuntimeError(f"contains() expects a string or a list, found {type_name(container)}")


def _round(ctx, number, digits=0):
    if not isinstance(number, (int, float)) or isinstance(number, bool):
        raise JourneyRuntimeError(f"round() expects a number, found {type_name(number)}")
    result = round(number, int(digits))
    return int(result) if digits == 0 else result


def _extreme(pick):
    def run(ctx, *values):
        present = [value for value in values if value is not None]
        if len(present) == 1 and isinstance(present[0], list):
            present = [value for value in present[0] if value is not None]
        if not present:
            return None
        try:
            return pick(present)
        except TypeError:
            raise JourneyRuntimeError("cannot compare values of different types") from None
    return run


def _parse_datetime(ctx, text):
    try:
        moment = datetime.datetime.fromisoformat(_text(text, "datetime"))
    except ValueError:
        raise JourneyRuntimeError(f"`{text}` is not a date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ctx.zone)


def _parse_date(ctx, text):
    try:
        return datetime.date.fromisoformat(_text(text, "date"))
    except ValueError:
        raise JourneyRuntimeError(f"`{text}` is not a date") from None


_TABLE = [
    ("now", 0, 0, "datetime", "now()", "the current instant of the simulation", "now()",
     lambda ctx: ctx.now),
    ("today", 0, 0, "date", "today()", "the current date in the journey's time zone", "today()",
     _today),
    ("lower", 1, 1, "string", "lower(s)", "the string in lower case", 'lower("FR") == "fr"',
     _null_safe(lambda ctx, s: _text(s, "lower").lower())),
    ("upper", 1, 1, "string", "upper(s)", "the string in upper case", 'upper("fr") == "FR"',
     _null_safe(lambda ctx, s: _text(s, "upper").upper())),
    ("len", 1, 1, "number", "len(x)", "the length of a string, list or record", "len([1, 2]) == 2",
     _null_safe(_len)),
    ("contains", 2, 2, "bool", "contains(x, item)", "whether a string or list contains item",
     'contains("newsletter", "news")', _null_safe(_contains)),
    ("starts_with", 2, 2, "bool", "starts_with(s, prefix)", "whether s starts with prefix",
     'starts_with(profile.email, "vip")',
     _null_safe(lambda ctx, s, p: _text(s, "starts_with").startswith(_text(p, "starts_with")))),
    ("ends_with", 2, 2, "bool", "ends_with(s, suffix)", "whether s ends with suffix",
     'ends_with(profile.email, ".fr")',
     _null_safe(lambda ctx, s, p: _text(s, "ends_with").endswith(_text(p, "ends_with")))),
    ("days_between", 2, 2, "number", "days_between(a, b)",
     "whole days from date a to date b (dates, date-times or ISO strings)",
     "days_between(profile.last_purchase, today()) > 90",
     _null_safe(lambda ctx, a, b: (_as_date(b, "days_between") - _as_date(a, "days_between")).days)),
    ("exists", 1, 1, "bool", "exists(x)", "whether x is not null", "exists(profile.phone)",
     lambda ctx, value: value is not None),
    ("coalesce", 1, 99, "any", "coalesce(a, b, ...)", "the first argument that is not null",
     'coalesce(profile.first_name, "friend")',
     lambda ctx, *values: next((value for value in values if value is not None), None)),
    ("round", 1, 2, "number", "round(x[, digits])", "x rounded to digits decimals (default 0)",
     "round(event.amount * 0.1)", _null_safe(_round)),
    ("abs", 1, 1, "number", "abs(x)", "the absolute value of x", "abs(-3) == 3",
     _null_safe(lambda ctx, x: abs(x) if isinstance(x, (int, float)) and not isinstance(x, bool)
                else _raise(f"abs() expects a number, found {type_name(x)}"))),
    ("min", 1, 99, "any", "min(a, b, ...)", "the smallest argument (or of a list), nulls ignored",
     "min(profile.points, 100)", _extreme(min)),
    ("max", 1, 99, "any", "max(a, b, ...)", "the largest argument (or of a list), nulls ignored",
     "max(profile.points, 0)", _extreme(max)),
    ("date", 1, 1, "date", "date(s)", "an ISO date string as a date", 'date("2026-03-01")',
     _null_safe(_parse_date)),
    ("datetime", 1, 1, "datetime", "datetime(s)",
     "an ISO date-time string as a date-time (in the journey's zone without an offset)",
     'datetime("2026-03-01T09:00:00Z")', _null_safe(_parse_datetime)),
    ("year", 1, 1, "number", "year(d)", "the year of a date", "year(profile.birthday)",
     _null_safe(lambda ctx, d: _as_date(d, "year").year)),
    ("month", 1, 1, "number", "month(d)", "the month (1-12) of a date", "month(profile.birthday)",
     _null_safe(lambda ctx, d: _as_date(d, "month").month)),
    ("day", 1, 1, "number", "day(d)", "the day of the month of a date", "day(profile.birthday)",
     _null_safe(lambda ctx, d: _as_date(d, "day").day)),
    ("age", 1, 1, "number", "age(birthday)", "whole years since a birthday, today",
     "age(profile.birthday) >= 18", _null_safe(_age)),
    ("join", 1, 2, "string", "join(list[, separator])", "the items of a list as text",
     'join(profile.interests, ", ")',
     _null_safe(lambda ctx, items, sep=", ": str(sep).join(to_text(item) for item in items))),
    ("split", 2, 2, "list", "split(s, separator)", "a string cut at each separator",
     'split(profile.tags, ";")',
     _null_safe(lambda ctx, s, sep: _text(s, "split").split(_text(sep, "split")))),
    ("birthday_today", 1, 1, "bool", "birthday_today(birthday)",
     "whether today (in the journey's zone) is the birthday's anniversary",
     "birthday_today(profile.birthday)",
     _null_safe(lambda ctx, d: (_as_date(d, "birthday_today").month, _as_date(d, "birthday_today").day)
                == (_today(ctx).month, _today(ctx).day))),
]


def _raise(message: str):
    raise JourneyRuntimeError(message)


FUNCTIONS: dict[str, Function] = {row[0]: Function(*row) for row in _TABLE}
