"""Runtime values and the operators of the language: numbers, null propagation, dates and
durations, and every limit on them.

The numeric model. A number is a whole number (an int) or a decimal one (a float), finite,
and at most MAX_NUMBER in magnitude (the largest double, about 1.8e308); whole numbers are
exact within that bound (they have at most 309 digits, far from Python's 4,300-digit limit
on turning an int into text). NaN and the infinities are not values of the language: a
literal cannot write them, the input reader rejects them (check_number, parse_number), and
no operator or function produces them: a result beyond the bound, a division by zero or an
operand that is not a number ends in a JourneyRuntimeError with a message, never in a Python
exception. Durations are at most LONGEST_DURATION long either way (the span of all instants);
a date or date-time computed past 0001-01-01 or 9999-12-31 is a runtime error too.

Every operator and function goes through this module (operators here, functions in
functions.py), so the checks sit in one place, on results rather than on the hot path of
reading values."""

from __future__ import annotations

import datetime
import json
import math
import re
import sys
from operator import add, mul, sub, truediv

from .instants import LONGEST_DURATION, TimeError, in_range

Duration = datetime.timedelta
Date = datetime.date
DateTime = datetime.datetime

#: The largest magnitude of a number: the largest double.
MAX_NUMBER = sys.float_info.max
#: The most digits a whole number can have (MAX_NUMBER has 309).
MAX_DIGITS = len(str(int(MAX_NUMBER)))
#: Whole-valued decimal numbers below this magnitude are written as whole numbers (`3`, not
#: `3.0`); at and above it, with an exponent (`1e+21`), as JavaScript and JSON tools do.
_WHOLE_BELOW = 1e21

_LONGEST = Duration(seconds=LONGEST_DURATION)
_INFINITY = float("inf")


class JourneyRuntimeError(Exception):
    """An error while evaluating one instance (bad data, say); the run goes on."""


def type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, DateTime):
        return "date-time"
    if isinstance(value, Date):
        return "date"
    if isinstance(value, datetime.time):
        return "time"
    if isinstance(value, Duration):
        return "duration"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "record"
    return type(value).__name__


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ---- numbers as inputs and literals --------------------------------------------------------

class NumberError(ValueError):
    """A text or a value that is not a number of the language; the message says why."""


def check_number(value) -> str | None:
    """None when `value` is a number of the language; otherwise why it is not, for an input
    error (JSON's `1e400` reads as infinity, `NaN` as NaN: neither is a number here, nor is a
    whole number beyond MAX_NUMBER)."""
    if not _number(value):
        return f"{describe(value)} is not a number"
    if -MAX_NUMBER <= value <= MAX_NUMBER:
        return None
    if value != value:
        return "NaN is not a number (numbers are finite)"
    if isinstance(value, float):
        return (f"{'-' if value < 0 else ''}infinity is not a number (numbers are finite; "
                f"the largest is {MAX_NUMBER!r}, and a larger one like 1e400 reads as infinity)")
    return f"{describe(value)} is beyond the largest number, {MAX_NUMBER!r}"


_NUMBER_TEXT = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", re.ASCII)


def parse_number(text: str) -> int | float:
    """A number written as JSON and the language write one (`12`, `-3.5`, `1e3`): an int when
    whole and without an exponent or fraction, a float otherwise; a NumberError for any other
    text, for more than MAX_DIGITS digits before the point, and for a number beyond
    MAX_NUMBER. Usable as json's parse_int and parse_float."""
    match = _NUMBER_TEXT.fullmatch(text)
    if match is None:
        other_digits = re.fullmatch(r"-?\d+(\.\d+)?", text) is not None  # `١٢`, say
        raise NumberError(f"`{_cut(text, 20)}` is not a number"
                          + (": write its digits with 0 to 9" if other_digits else ""))
    digits = len(text) - (text[0] == "-") - len(match.group(1) or "") - len(match.group(2) or "")
    if digits > MAX_DIGITS:
        raise NumberError(f"`{_cut(text, 20)}` has {digits:,} digits: a number has at most "
                          f"{MAX_DIGITS} (the largest is {MAX_NUMBER!r})")
    value = float(text) if match.group(1) or match.group(2) else int(text)
    if -MAX_NUMBER <= value <= MAX_NUMBER:
        return value
    raise NumberError(f"`{_cut(text, 20)}` is beyond the largest number, {MAX_NUMBER!r}")


# ---- values in messages ------------------------------------------------------------------

def describe(value) -> str:
    """A value as an error message shows it: short, and written for any value whatever (a
    whole number of thousands of digits cannot be turned into text, a long text is cut)."""
    if value is None or isinstance(value, bool):
        return to_text(value) or "null"
    if isinstance(value, int):
        if -10 ** 20 < value < 10 ** 20:
            return str(value)
        if -MAX_NUMBER <= value <= MAX_NUMBER:
            return f"{float(value):.6g}"
        return f"a number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (_INFINITY, -_INFINITY):
            return "-infinity" if value < 0 else "infinity"
        return _decimal_text(value)
    if isinstance(value, str):
        return json.dumps(_cut(value), ensure_ascii=False)
    if isinstance(value, (Date, datetime.time)):
        return to_json(value)
    if isinstance(value, Duration):
        return format_duration(value.total_seconds())
    if isinstance(value, list):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return "a record"
    return f"a {type(value).__name__}"


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _a(name: str) -> str:
    return ("an " if name[0] in "aeiou" else "a ") + name


def _mismatch(verb: str, left, right) -> JourneyRuntimeError:
    return JourneyRuntimeError(f"cannot {verb} {_a(type_name(left))} and {_a(type_name(right))}")


# ---- comparisons -----------------------------------------------------------------------------

def equal(left, right) -> bool:
    """`==`: values of different types are not equal (1 is not `true`, a date is not a
    date-time); lists and records are equal when their items are, by this same rule."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if _number(left) and _number(right):
        return left == right
    kind = type(left)
    if kind is not type(right):
        return isinstance(left, DateTime) and isinstance(right, DateTime) and left == right
    if kind is list:
        return len(left) == len(right) and all(map(equal, left, right))
    if kind is dict:
        return left.keys() == right.keys() and all(equal(item, right[key])
                                                  for key, item in left.items())
    return left == right


_ORDERED_TYPES = (str, Date, DateTime, Duration, datetime.time)


def _ordered(operator: str, left, right) -> bool:
    if left is None or right is None:
        return False
    return _compare(operator, left, right)


def _compare(operator: str, left, right) -> bool:
    comparable = (_number(left) and _number(right)) or (
        type(left) is type(right) and isinstance(left, _ORDERED_TYPES))
    if not comparable:
        raise _mismatch("compare", left, right)
    try:
        if operator == "<":
            return left < right
        if operator == "<=":
            return left <= right
        if operator == ">":
            return left > right
        return left >= right
    except TypeError:  # a date-time with a zone and one without, or times of day likewise
        raise JourneyRuntimeError(f"cannot compare {describe(left)} and {describe(right)}: "
                                  "one has a time zone and the other has none") from None


def less(left, right) -> bool:
    """`left < right` by the language's ordering (for `min`, `max` and the like): a runtime
    error for values it does not order (different types, lists, records, bools)."""
    return _compare("<", left, right)


def contains(container, item) -> bool:
    """`item in container`: an element of a list (by `==`), a part of a text, a key of a
    record (only a text can be one)."""
    if container is None:
        return False
    if isinstance(container, list):
        return any(equal(element, item) for element in container)
    if isinstance(container, str):
        if not isinstance(item, str):
            raise _mismatch("look for", item, container)
        return item in container
    if isinstance(container, dict):
        return isinstance(item, str) and item in container
    raise JourneyRuntimeError(f"cannot look inside {_a(type_name(container))} with `in`")


def index(container, key):
    """`container[key]`: a list's element by a whole number (from the end when negative), a
    record's field by a string; null out of range, for a missing key, and for a null
    container or key; a runtime error for a container or a key of another type."""
    if container is None or key is None:
        return None
    if isinstance(container, list):
        if isinstance(key, bool) or not isinstance(key, (int, float)):
            raise JourneyRuntimeError(f"a list is indexed by a whole number, not by "
                                      f"{_a(type_name(key))} ({describe(key)})")
        if isinstance(key, float):
            if not key.is_integer():
                raise JourneyRuntimeError(f"a list is indexed by a whole number, not by "
                                          f"{describe(key)}")
            key = int(key)
        return container[key] if -len(container) <= key < len(container) else None
    if isinstance(container, dict):
        if not isinstance(key, str):
            raise JourneyRuntimeError(f"a record is indexed by a string (a key), not by "
                                      f"{_a(type_name(key))} ({describe(key)})")
        return container.get(key)
    raise JourneyRuntimeError(f"cannot index {_a(type_name(container))} ({describe(container)}):"
                              " only a list or a record has elements")


# ---- arithmetic ----------------------------------------------------------------------------

class _Beyond(ArithmeticError):
    """A result outside the language's values; `args[0]` says which kind of value."""


def _finite(result):
    """A number result, when it is one of the language's (NaN fails every comparison)."""
    if -MAX_NUMBER <= result <= MAX_NUMBER:
        return result
    raise _Beyond("number")


def _bounded(compute, *operands) -> Duration:
    """A duration computed from the operands, when it is at most the longest one."""
    try:
        result = compute(*operands)
    except OverflowError:  # past timedelta's own limit, or times an infinity
        raise _Beyond("duration") from None
    if -_LONGEST <= result <= _LONGEST:
        return result
    raise _Beyond("duration")


def _add(left, right):
    if _number(left) and _number(right):
        return _finite(left + right)
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(left, Duration) and isinstance(right, Duration):
        return _bounded(add, left, right)
    if isinstance(left, (Date, DateTime)) and isinstance(right, Duration):
        return _shift(left, right)
    if isinstance(left, Duration) and isinstance(right, (Date, DateTime)):
        return _shift(right, left)
    if isinstance(left, list) and isinstance(right, list):
        return left + right
    raise _mismatch("add", left, right)


def _shift(moment, duration: Duration):
    """A date or date-time moved by a duration (a date by its whole days); past the calendar
    or the instants, a _Beyond that says on which side."""
    try:
        if isinstance(moment, DateTime):
            return in_range(moment + duration)
        return moment + datetime.timedelta(days=duration.days)
    except (OverflowError, TimeError):
        raise _Beyond("later" if duration > Duration(0) else "earlier") from None


def _subtract(left, right):
    if _number(left) and _number(right):
        return _finite(left - right)
    if isinstance(left, Duration) and isinstance(right, Duration):
        return _bounded(sub, left, right)
    if isinstance(left, (Date, DateTime)) and isinstance(right, Duration):
        return _shift(left, -right)
    if isinstance(left, DateTime) and isinstance(right, DateTime):
        return left - right
    if isinstance(left, Date) and isinstance(right, Date) and not isinstance(left, DateTime):
        return left - right
    raise _mismatch("subtract", left, right)


def _multiply(left, right):
    if _number(left) and _number(right):
        return _finite(left * right)
    if isinstance(left, Duration) and _number(right):
        return _bounded(mul, left, right)
    if _number(left) and isinstance(right, Duration):
        return _bounded(mul, right, left)
    raise _mismatch("multiply", left, right)


def _divide(left, right):
    if _number(left) and _number(right):
        if right == 0:
            raise ZeroDivisionError
        if type(left) is int and type(right) is int:
            quotient, remainder = divmod(left, right)
            if remainder == 0:
                return quotient  # exact, however large
        return _finite(left / right)
    if isinstance(left, Duration) and _number(right):
        if right == 0:
            raise ZeroDivisionError
        return _bounded(truediv, left, right)
    if isinstance(left, Duration) and isinstance(right, Duration):
        if not right:
            raise ZeroDivisionError
        return left / right
    raise _mismatch("divide", left, right)


def _modulo(left, right):
    """The remainder of a division that truncates: it has the sign of `left` (-7 % 3 is -1),
    for whole and decimal numbers alike."""
    if _number(left) and _number(right):
        if right == 0:
            raise ZeroDivisionError
        if type(left) is int and type(right) is int:
            remainder = abs(left) % abs(right)
            return -remainder if left < 0 else remainder
        return _finite(math.fmod(left, right))
    raise _mismatch("take the remainder of", left, right)


_ARITHMETIC = {"+": _add, "-": _subtract, "*": _multiply, "/": _divide, "%": _modulo}


def arithmetic(operator: str):
    """The function of an arithmetic operator; null in gives null out. Every failure of the
    computation is a JourneyRuntimeError that says what was computed."""
    apply = _ARITHMETIC[operator]

    def run(left, right):
        if left is None or right is None:
            return None
        try:
            return apply(left, right)
        except JourneyRuntimeError:
            raise
        except (ArithmeticError, ValueError, TypeError) as error:
            raise failure(error, f"{describe(left)} {operator} {describe(right)}") from None

    return run


_BEYOND = {
    "number": f"is beyond the largest number, about {MAX_NUMBER:.2g}",
    "duration": f"is longer than the longest duration, {LONGEST_DURATION // 86400:,} days "
                "(from 0001-01-01 to 9999-12-31)",
    "later": "is after 9999-12-31T23:59:59Z, the last instant there is",
    "earlier": "is before 0001-01-01T00:00:00Z, the first instant there is",
}


def failure(error: Exception, computed: str) -> JourneyRuntimeError:
    """The runtime error for a failure of a computation (`computed` says which): any
    exception Python raises from arithmetic, dates or conversions."""
    if isinstance(error, JourneyRuntimeError):
        return error
    if isinstance(error, _Beyond):
        return JourneyRuntimeError(f"{computed} {_BEYOND[error.args[0]]}")
    if isinstance(error, ZeroDivisionError):
        return JourneyRuntimeError(f"division by zero in {computed}")
    if isinstance(error, TimeError):
        return JourneyRuntimeError(f"{computed}: {error}")
    if isinstance(error, OverflowError):
        return JourneyRuntimeError(f"{computed} {_BEYOND['number']}")
    return JourneyRuntimeError(f"{computed} is not a number the language has (numbers are "
                               f"finite, at most about {MAX_NUMBER:.2g} in magnitude)")


def negate(value):
    """Prefix `-`: null stays null."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Duration)):
        raise JourneyRuntimeError(f"cannot negate {_a(type_name(value))}")
    try:
        return -value
    except OverflowError:  # timedelta.max has no opposite (no duration of the language is it)
        raise failure(_Beyond("duration"), f"-({describe(value)})") from None


def comparison(operator: str):
    """The function of a comparison operator."""
    if operator == "==":
        return equal
    if operator == "!=":
        return lambda left, right: not equal(left, right)
    if operator == "in":
        return lambda left, right: contains(right, left)
    if operator == "not in":
        return lambda left, right: not contains(right, left)
    return lambda left, right: _ordered(operator, left, right)


# ---- values as text and as JSON -------------------------------------------------------------

def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return sign + " ".join(parts)


def _decimal_text(value: float) -> str:
    """A finite float as text: a whole value below 1e21 without its `.0`, others as Python
    writes the shortest text that reads back as the same number (`0.1`, `1e+21`)."""
    if value.is_integer() and -_WHOLE_BELOW < value < _WHOLE_BELOW:
        return str(int(value))
    return repr(value)


def to_text(value) -> str:
    """A value as it appears inside an interpolated string; a JourneyRuntimeError for a
    number the language does not have (which no run's inputs or computations hold)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        problem = check_number(value)
        if problem is not None:
            raise JourneyRuntimeError(f"cannot write {problem}")
        return _decimal_text(value) if isinstance(value, float) else str(value)
    if isinstance(value, (Date, datetime.time)):
        return to_json(value)
    if isinstance(value, Duration):
        return format_duration(value.total_seconds())
    if isinstance(value, (list, dict)):
        return json.dumps(to_json(value), ensure_ascii=False, sort_keys=False)
    return str(value)


def to_json(value):
    """A value as the trace shows it: JSON types, date-times in UTC with `Z`. It writes every
    value there is, since observers must not fail where a run does not: a number outside
    the language's (only a caller that skips the input reader could hand one over) is
    `null`, a date-time whose UTC instant leaves 0001–9999 keeps its offset."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if -MAX_NUMBER <= value <= MAX_NUMBER else None
    if isinstance(value, float):
        if value.is_integer() and -_WHOLE_BELOW < value < _WHOLE_BELOW:
            return int(value)
        return value if -MAX_NUMBER <= value <= MAX_NUMBER else None
    if isinstance(value, DateTime):
        if value.tzinfo is None:
            return value.isoformat()
        try:
            utc = value.astimezone(datetime.timezone.utc)
        except OverflowError:
            return value.isoformat()
        return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
                f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z")
    if isinstance(value, (Date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Duration):
        return format_duration(value.total_seconds())
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    return str(value)
