"""The function library: one table of functions, with arities and result types for the checker."""

from __future__ import annotations

import datetime
from typing import Callable

import attrs

from .instants import TimeError, in_range, local_date
from .values import (MAX_DIGITS, Date, DateTime, JourneyRuntimeError, check_number, contains,
                     describe, failure, less, to_text, type_name)


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
    raise JourneyRuntimeError(f"{function}() expects a date, found {type_name(value)} "
                              f"{describe(value)}")


def _text(value, function: str) -> str:
    if not isinstance(value, str):
        raise JourneyRuntimeError(f"{function}() expects a string, found {type_name(value)}")
    return value


def _number(value, function: str):
    """A number argument, which must be one of the language's."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise JourneyRuntimeError(f"{function}() expects a number, found {type_name(value)}")
    problem = check_number(value)
    if problem is not None:
        raise JourneyRuntimeError(f"{function}(): {problem}")
    return value


def _whole(value, function: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or check_number(value) is not None or not float(value).is_integer():
        raise JourneyRuntimeError(f"{function}() expects {what} to be a whole number, found "
                                  f"{type_name(value)} {describe(value)}")
    return int(value)


def _today(ctx):
    return local_date(ctx.now, ctx.zone)


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
        return contains(container, item)
    raise JourneyRuntimeError(f"contains() expects a string or a list, found {type_name(container)}")


def _round(ctx, number, digits=0):
    number = _number(number, "round")
    # Past MAX_DIGITS either way, rounding changes nothing more (and 10 ** digits of a huge
    # `digits` would take forever to compute).
    places = max(-MAX_DIGITS, min(_whole(digits, "round", "its digits"), MAX_DIGITS))
    result = round(number, places)
    result = int(result) if places == 0 else result
    if check_number(result) is not None:
        raise JourneyRuntimeError(f"round({describe(number)}, {places}) is beyond the largest "
                                  "number")
    return result


def _abs(ctx, number):
    return abs(_number(number, "abs"))


def _extreme(replaces):
    """min or max: the argument that no other `replaces` (by the language's ordering)."""
    def run(ctx, *values):
        present = [value for value in values if value is not None]
        if len(present) == 1 and isinstance(present[0], list):
            present = [value for value in present[0] if value is not None]
        if not present:
            return None
        best = present[0]
        for value in present[1:]:
            if replaces(value, best):
                best = value
        return best
    return run


def _parse_datetime(ctx, text):
    try:
        moment = datetime.datetime.fromisoformat(_text(text, "datetime"))
    except ValueError:
        raise JourneyRuntimeError(f"{describe(text)} is not a date-time") from None
    try:
        return in_range(moment if moment.tzinfo else moment.replace(tzinfo=ctx.zone))
    except TimeError as error:
        raise JourneyRuntimeError(f"datetime({describe(text)}): {error}") from None


def _parse_date(ctx, text):
    try:
        return datetime.date.fromisoformat(_text(text, "date"))
    except ValueError:
        raise JourneyRuntimeError(f"{describe(text)} is not a date") from None


def _join(ctx, items, separator=", "):
    if not isinstance(items, list):
        raise JourneyRuntimeError(f"join() expects a list, found {type_name(items)}")
    return _text(separator, "join").join(to_text(item) for item in items)


def _split(ctx, text, separator):
    if _text(separator, "split") == "":
        raise JourneyRuntimeError("split() needs a separator that is not empty")
    return _text(text, "split").split(separator)


def _birthday_today(ctx, birthday):
    born, today = _as_date(birthday, "birthday_today"), _today(ctx)
    return (born.month, born.day) == (today.month, today.day)


_TABLE = [
    ("now", 0, 0, "datetime", "now()", "the current instant of the simulation", "now()",
     lambda ctx: ctx.now),
    ("today", 0, 0, "date", "today()", "the current date in the journey's time zone", "today()",
     _today),
    ("lower", 1, 1, "string", "lower(s)", "the string in lower case", 'lower("FR") == "fr"',
     lambda ctx, s: _text(s, "lower").lower()),
    ("upper", 1, 1, "string", "upper(s)", "the string in upper case", 'upper("fr") == "FR"',
     lambda ctx, s: _text(s, "upper").upper()),
    ("len", 1, 1, "number", "len(x)", "the length of a string, list or record", "len([1, 2]) == 2",
     _len),
    ("contains", 2, 2, "bool", "contains(x, item)", "whether a string or list contains item",
     'contains("newsletter", "news")', _contains),
    ("starts_with", 2, 2, "bool", "starts_with(s, prefix)", "whether s starts with prefix",
     'starts_with(profile.email, "vip")',
     lambda ctx, s, p: _text(s, "starts_with").startswith(_text(p, "starts_with"))),
    ("ends_with", 2, 2, "bool", "ends_with(s, suffix)", "whether s ends with suffix",
     'ends_with(profile.email, ".fr")',
     lambda ctx, s, p: _text(s, "ends_with").endswith(_text(p, "ends_with"))),
    ("days_between", 2, 2, "number", "days_between(a, b)",
     "whole days from date a to date b (dates, date-times or ISO strings)",
     "days_between(profile.last_purchase, today()) > 90",
     lambda ctx, a, b: (_as_date(b, "days_between") - _as_date(a, "days_between")).days),
    ("exists", 1, 1, "bool", "exists(x)", "whether x is not null", "exists(profile.phone)",
     lambda ctx, value: value is not None),
    ("coalesce", 1, 99, "any", "coalesce(a, b, ...)", "the first argument that is not null",
     'coalesce(profile.first_name, "friend")',
     lambda ctx, *values: next((value for value in values if value is not None), None)),
    ("round", 1, 2, "number", "round(x[, digits])", "x rounded to digits decimals (default 0)",
     "round(event.amount * 0.1)", _round),
    ("abs", 1, 1, "number", "abs(x)", "the absolute value of x", "abs(-3) == 3", _abs),
    ("min", 1, 99, "any", "min(a, b, ...)", "the smallest argument (or of a list), nulls ignored",
     "min(profile.points, 100)", _extreme(less)),
    ("max", 1, 99, "any", "max(a, b, ...)", "the largest argument (or of a list), nulls ignored",
     "max(profile.points, 0)", _extreme(lambda value, best: less(best, value))),
    ("date", 1, 1, "date", "date(s)", "an ISO date string as a date", 'date("2026-03-01")',
     _parse_date),
    ("datetime", 1, 1, "datetime", "datetime(s)",
     "an ISO date-time string as a date-time (in the journey's zone without an offset)",
     'datetime("2026-03-01T09:00:00Z")', _parse_datetime),
    ("year", 1, 1, "number", "year(d)", "the year of a date", "year(profile.birthday)",
     lambda ctx, d: _as_date(d, "year").year),
    ("month", 1, 1, "number", "month(d)", "the month (1-12) of a date", "month(profile.birthday)",
     lambda ctx, d: _as_date(d, "month").month),
    ("day", 1, 1, "number", "day(d)", "the day of the month of a date", "day(profile.birthday)",
     lambda ctx, d: _as_date(d, "day").day),
    ("age", 1, 1, "number", "age(birthday)", "whole years since a birthday, today",
     "age(profile.birthday) >= 18", _age),
    ("join", 1, 2, "string", "join(list[, separator])", "the items of a list as text",
     'join(profile.interests, ", ")', _join),
    ("split", 2, 2, "list", "split(s, separator)", "a string cut at each separator",
     'split(profile.tags, ";")', _split),
    ("birthday_today", 1, 1, "bool", "birthday_today(birthday)",
     "whether today (in the journey's zone) is the birthday's anniversary",
     "birthday_today(profile.birthday)", _birthday_today),
]


#: The functions that take null as a value; every other gives null for a null argument.
_TAKE_NULL = {"exists", "coalesce", "min", "max"}


def _function(name: str, impl: Callable) -> Callable:
    """A library function as expressions call it: `impl` with null propagated (unless the
    function takes null) and every failure a JourneyRuntimeError. The arguments are checked
    in `impl`, with messages that name what is wrong; what Python itself may still raise on
    values at the edges (an overflow, a date past the calendar) is turned into a runtime
    error that names the call."""
    propagates = name not in _TAKE_NULL

    def run(ctx, *args):
        if propagates and None in args:
            return None
        try:
            return impl(ctx, *args)
        except JourneyRuntimeError:
            raise
        except (ArithmeticError, ValueError, TypeError, LookupError) as error:
            raise failure(error, f"{name}({', '.join(map(describe, args))})") from None

    return run


FUNCTIONS: dict[str, Function] = {row[0]: Function(*row[:7], _function(row[0], row[7]))
                                  for row in _TABLE}
