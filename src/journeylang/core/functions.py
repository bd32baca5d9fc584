"""The function library, its one home: each function's signature, type rule, meaning,
documentation, example and implementation, read by the checker (arity, types), the runtime
(implementations), docs/functions.md and the language server (`library()`).

A type rule says which arguments a function takes and what it gives, in a notation of its
own (docs/functions.md shows it as is): `string, number? -> string` takes a string and
optionally a number; `T... -> T` takes one or more of a type T and gives that type; `[T] ->
T` takes a list of T and gives a T; `date|string -> number` takes either. Several forms are
separated by `;`, the first that fits the arguments applies. The types are those of the
checker (string, number, bool, date, datetime, time, duration, record, any), `[X]` a list
of X, and a capital letter a type found from the arguments."""

from __future__ import annotations

import datetime
import functools
import re
from typing import Callable

import attrs

from .instants import TimeError, in_range, local_date
from .values import (MAX_DIGITS, Date, DateTime, JourneyRuntimeError, check_number, contains,
                     describe, equal, failure, less, to_text, type_name)


@attrs.frozen
class Param:
    """One parameter of a form: its type (a term, see `Term`), optional, or repeated."""

    type: "Term"
    optional: bool = False
    repeated: bool = False


#: A type as a rule writes it: ("name", "number"), ("var", "T"), ("list", Term), or
#: ("union", (Term, ...)).
Term = tuple


@attrs.frozen
class Form:
    """One form of a type rule: its parameters and its result."""

    params: tuple[Param, ...]
    result: Term

    @property
    def min_args(self) -> int:
        return sum(1 for param in self.params if not param.optional)

    @property
    def max_args(self) -> int:
        return 99 if any(param.repeated for param in self.params) else len(self.params)


@attrs.frozen
class Function:
    """A function of the library. `impl(ctx, *arguments)` is the implementation as
    expressions call it: null propagated unless the function `takes_null`, every failure a
    JourneyRuntimeError; `ctx` gives `now` and `zone`."""

    name: str
    signature: str
    rule: str
    doc: str
    example: str
    impl: Callable
    takes_null: bool = False
    forms: tuple[Form, ...] = attrs.field(init=False)

    def __attrs_post_init__(self):
        object.__setattr__(self, "forms", parse_rule(self.rule))

    @property
    def min_args(self) -> int:
        return min(form.min_args for form in self.forms)

    @property
    def max_args(self) -> int:
        return max(form.max_args for form in self.forms)

    @property
    def result(self) -> str:
        """What the function gives, as its type rule writes it (`number`, `[T]`, `T`)."""
        return self.rule.split(";")[0].split("->")[1].strip()


def parse_rule(rule: str) -> tuple[Form, ...]:
    """The forms of a type rule written in the notation of the module's docstring."""
    forms = []
    for text in rule.split(";"):
        params_text, result_text = text.split("->")
        params = []
        for part in filter(None, (piece.strip() for piece in params_text.split(","))):
            repeated = part.endswith("...")
            part = part.removesuffix("...")
            optional = part.endswith("?")
            params.append(Param(_term(part.removesuffix("?")), optional, repeated))
        forms.append(Form(tuple(params), _term(result_text.strip())))
    return tuple(forms)


def _term(text: str) -> Term:
    alternatives = []
    depth, start = 0, 0
    for index, char in enumerate(text + "|"):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "|" and depth == 0:
            alternatives.append(text[start:index].strip())
            start = index + 1
    if len(alternatives) > 1:
        return ("union", tuple(_term(alternative) for alternative in alternatives))
    text = alternatives[0]
    if text.startswith("[") and text.endswith("]"):
        return ("list", _term(text[1:-1]))
    if re.fullmatch(r"[A-Z]", text):
        return ("var", text)
    if re.fullmatch(r"[a-z]+", text):
        return ("name", text)
    raise ValueError(f"not a type of a type rule: {text!r}")


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


def _list(value, function: str) -> list:
    if not isinstance(value, list):
        raise JourneyRuntimeError(f"{function}() expects a list, found {type_name(value)} "
                                  f"{describe(value)}")
    return value


def _first(ctx, items):
    items = _list(items, "first")
    return items[0] if items else None


def _last(ctx, items):
    items = _list(items, "last")
    return items[-1] if items else None


def _sum(ctx, items):
    total = 0
    for item in _list(items, "sum"):
        if item is not None:
            total += _number(item, "sum")
    problem = check_number(total)
    if problem is not None:
        raise JourneyRuntimeError(f"sum(): {problem}")
    return total


def _order(left, right) -> int:
    return -1 if less(left, right) else (1 if less(right, left) else 0)


def _sort(ctx, items):
    """Ascending by the language's ordering (as `<`), equal items kept in their order."""
    items = _list(items, "sort")
    try:
        return sorted(items, key=functools.cmp_to_key(_order))
    except JourneyRuntimeError as error:
        raise JourneyRuntimeError(f"sort(): {error}") from None


def _unique(ctx, items):
    kept: list = []
    for item in _list(items, "unique"):
        if not any(equal(item, seen) for seen in kept):
            kept.append(item)
    return kept


def _truths(items, function: str):
    """Whether each item is true, for any() and all(): null counts as false, as in `if`."""
    for item in _list(items, function):
        if item is not None and not isinstance(item, bool):
            raise JourneyRuntimeError(f"{function}() expects a list of true or false, found "
                                      f"{type_name(item)} {describe(item)} in it")
        yield item is True


_DAY = "date|datetime|string"

_LIBRARY = [
    Function("now", "now()", "-> datetime", "the current instant of the simulation", "now()",
             lambda ctx: ctx.now),
    Function("today", "today()", "-> date", "the current date in the journey's time zone",
             "today()", _today),
    Function("lower", "lower(s)", "string -> string", "the string in lower case",
             'lower("FR") == "fr"', lambda ctx, s: _text(s, "lower").lower()),
    Function("upper", "upper(s)", "string -> string", "the string in upper case",
             'upper("fr") == "FR"', lambda ctx, s: _text(s, "upper").upper()),
    Function("len", "len(x)", "string|[any]|record -> number",
             "the length of a string, list or record", "len([1, 2]) == 2", _len),
    Function("contains", "contains(x, item)", "string|[any], any -> bool",
             "whether a string or list contains item", 'contains("newsletter", "news")',
             _contains),
    Function("starts_with", "starts_with(s, prefix)", "string, string -> bool",
             "whether s starts with prefix", 'starts_with(profile.email, "vip")',
             lambda ctx, s, p: _text(s, "starts_with").startswith(_text(p, "starts_with"))),
    Function("ends_with", "ends_with(s, suffix)", "string, string -> bool",
             "whether s ends with suffix", 'ends_with(profile.email, ".fr")',
             lambda ctx, s, p: _text(s, "ends_with").endswith(_text(p, "ends_with"))),
    Function("days_between", "days_between(a, b)", f"{_DAY}, {_DAY} -> number",
             "whole days from date a to date b (dates, date-times or ISO strings)",
             "days_between(profile.last_purchase, today()) > 90",
             lambda ctx, a, b: (_as_date(b, "days_between") - _as_date(a, "days_between")).days),
    Function("exists", "exists(x)", "any -> bool", "whether x is not null",
             "exists(profile.phone)", lambda ctx, value: value is not None, takes_null=True),
    Function("coalesce", "coalesce(a, b, ...)", "T... -> T", "the first argument that is not null",
             'coalesce(profile.first_name, "friend")',
             lambda ctx, *values: next((value for value in values if value is not None), None),
             takes_null=True),
    Function("round", "round(x[, digits])", "number, number? -> number",
             "x rounded to digits decimals (default 0)", "round(event.amount * 0.1)", _round),
    Function("abs", "abs(x)", "number -> number", "the absolute value of x", "abs(-3) == 3",
             _abs),
    Function("min", "min(a, b, ...)", "[T] -> T; T... -> T",
             "the smallest argument (or of a list), nulls ignored", "min(profile.points, 100)",
             _extreme(less), takes_null=True),
    Function("max", "max(a, b, ...)", "[T] -> T; T... -> T",
             "the largest argument (or of a list), nulls ignored", "max(profile.points, 0)",
             _extreme(lambda value, best: less(best, value)), takes_null=True),
    Function("date", "date(s)", "string -> date", "an ISO date string as a date",
             'date("2026-03-01")', _parse_date),
    Function("datetime", "datetime(s)", "string -> datetime",
             "an ISO date-time string as a date-time (in the journey's zone without an offset)",
             'datetime("2026-03-01T09:00:00Z")', _parse_datetime),
    Function("year", "year(d)", f"{_DAY} -> number", "the year of a date",
             "year(profile.birthday)", lambda ctx, d: _as_date(d, "year").year),
    Function("month", "month(d)", f"{_DAY} -> number", "the month (1-12) of a date",
             "month(profile.birthday)", lambda ctx, d: _as_date(d, "month").month),
    Function("day", "day(d)", f"{_DAY} -> number", "the day of the month of a date",
             "day(profile.birthday)", lambda ctx, d: _as_date(d, "day").day),
    Function("age", "age(birthday)", f"{_DAY} -> number", "whole years since a birthday, today",
             "age(profile.birthday) >= 18", _age),
    Function("join", "join(list[, separator])", "[any], string? -> string",
             'the items of a list as text, separated by separator (default ", ")',
             'join(profile.interests, ", ")', _join),
    Function("split", "split(s, separator)", "string, string -> [string]",
             "a string cut at each separator", 'split(profile.tags, ";")', _split),
    Function("birthday_today", "birthday_today(birthday)", f"{_DAY} -> bool",
             "whether today (in the journey's zone) is the birthday's anniversary",
             "birthday_today(profile.birthday)", _birthday_today),
    Function("first", "first(list)", "[T] -> T", "the first item of a list (null when empty)",
             "first(event.products).sku", _first),
    Function("last", "last(list)", "[T] -> T", "the last item of a list (null when empty)",
             "last(profile.orders).total", _last),
    Function("sum", "sum(list)", "[number] -> number",
             "the sum of a list of numbers, nulls skipped (0 when empty)",
             "sum([p.price * p.qty for p in event.products]) > 100", _sum),
    Function("sort", "sort(list)", "[T] -> [T]",
             "the list in ascending order (numbers, strings, dates, date-times, durations or "
             "times, one kind in a list)", "first(sort(profile.scores))", _sort),
    Function("unique", "unique(list)", "[T] -> [T]",
             "the list without repeated items, each kept at its first place",
             'len(unique([p.category for p in event.products])) > 1', _unique),
    Function("any", "any(list)", "[bool] -> bool",
             "whether some item of a list of true or false is true (false when empty)",
             "any([p.price > 100 for p in event.products])",
             lambda ctx, items: any(_truths(items, "any"))),
    Function("all", "all(list)", "[bool] -> bool",
             "whether every item of a list of true or false is true (true when empty)",
             "all([p.in_stock for p in event.products])",
             lambda ctx, items: all(_truths(items, "all"))),
]


def _callable(function: Function) -> Callable:
    """A library function as expressions call it: its implementation with null propagated
    (unless it takes null) and every failure a JourneyRuntimeError. The arguments are checked
    in the implementation, with messages that name what is wrong; what Python itself may
    still raise on values at the edges (an overflow, a date past the calendar) is turned into
    a runtime error that names the call."""
    name, impl, propagates = function.name, function.impl, not function.takes_null

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


FUNCTIONS: dict[str, Function] = {
    function.name: attrs.evolve(function, impl=_callable(function)) for function in _LIBRARY}


def library() -> list[Function]:
    """Every function of the library, in the order docs/functions.md lists them."""
    return list(FUNCTIONS.values())
