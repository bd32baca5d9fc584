"""Runtime values and the operators of the language: null propagation, dates and durations."""

from __future__ import annotations

import datetime
import math

Duration = datetime.timedelta
Date = datetime.date
DateTime = datetime.datetime


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


def _mismatch(verb: str, left, right) -> JourneyRuntimeError:
    return JourneyRuntimeError(f"cannot {verb} {_a(type_name(left))} and {_a(type_name(right))}")


def _a(name: str) -> str:
    return ("an " if name[0] in "aeiou" else "a ") + name


def equal(left, right) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if _number(left) and _number(right):
        return left == right
    if type(left) is not type(right) and not (isinstance(left, DateTime) and isinstance(right, DateTime)):
        return False
    return left == right


def _ordered(operator: str, left, right) -> bool:
    if left is None or right is None:
        return False
    comparable = (_number(left) and _number(right)) or (
        type(left) is type(right) and isinstance(left, (str, Date, DateTime, Duration, datetime.time)))
    if not comparable:
        raise _mismatch("compare", left, right)
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    return left >= right


def contains(container, item) -> bool:
    if container is None:
        return False
    if isinstance(container, list):
        return any(equal(element, item) for element in container)
    if isinstance(container, str):
        if not isinstance(item, str):
            raise _mismatch("look for", item, container)
        return item in container
    if isinstance(container, dict):
        return item in container
    raise JourneyRuntimeError(f"cannot look inside {_a(type_name(container))} with `in`")


def _add(left, right):
    if _number(left) and _number(right):
        return left + right
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(left, Duration) and isinstance(right, Duration):
        return left + right
    if isinstance(left, (Date, DateTime)) and isinstance(right, Duration):
        return _shift(left, right)
    if isinstance(left, Duration) and isinstance(right, (Date, DateTime)):
        return _shift(right, left)
    if isinstance(left, list) and isinstance(right, list):
        return left + right
    raise _mismatch("add", left, right)


def _shift(moment, duration: Duration):
    if isinstance(moment, DateTime):
        return moment + duration
    return moment + datetime.timedelta(days=duration.days)


def _subtract(left, right):
    if _number(left) and _number(right):
        return left - right
    if isinstance(left, Duration) and isinstance(right, Duration):
        return left - right
    if isinstance(left, (Date, DateTime)) and isinstance(right, Duration):
        return _shift(left, -right)
    if isinstance(left, DateTime) and isinstance(right, DateTime):
        return left - right
    if isinstance(left, Date) and isinstance(right, Date) and not isinstance(left, DateTime):
        return left - right
    raise _mismatch("subtract", left, right)


def _multiply(left, right):
    if _number(left) and _number(right):
        return left * right
    if isinstance(left, Duration) and _number(right):
        return left * right
    if _number(left) and isinstance(right, Duration):
        return right * left
    raise _mismatch("multiply", left, right)


def _divide(left, right):
    if _number(right) and right == 0:
        raise JourneyRuntimeError("division by zero")
    if _number(left) and _number(right):
        result = left / right
        return int(result) if result.is_integer() and isinstance(left, int) and isinstance(right, int) else result
    if isinstance(left, Duration) and _number(right):
        return left / right
    if isinstance(left, Duration) and isinstance(right, Duration):
        return left / right
    raise _mismatch("divide", left, right)


def _modulo(left, right):
    if _number(left) and _number(right):
        if right == 0:
            raise JourneyRuntimeError("division by zero")
        return math.fmod(left, right) if isinstance(left, float) or isinstance(right, float) else left % right
    raise _mismatch("take the remainder of", left, right)


_ARITHMETIC = {"+": _add, "-": _subtract, "*": _multiply, "/": _divide, "%": _modulo}


def arithmetic(operator: str):
    """The function of an arithmetic operator; null in gives null out."""
    apply = _ARITHMETIC[operator]

    def run(left, right):
        if left is None or right is None:
            return None
        return apply(left, right)

    return run


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


def to_text(value) -> str:
    """A value as it appears inside an interpolated string."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (Date, datetime.time)):
        return to_json(value)
    if isinstance(value, Duration):
        return format_duration(value.total_seconds())
    if isinstance(value, (list, dict)):
        import json
        return json.dumps(to_json(value), ensure_ascii=False, sort_keys=False)
    return str(value)


def to_json(value):
    """A value as the trace shows it: JSON types, date-times in UTC with `Z`."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, DateTime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, (Date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Duration):
        return format_duration(value.total_seconds())
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    return str(value)
