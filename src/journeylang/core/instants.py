"""Virtual time: int seconds since the Unix epoch (UTC), ISO-8601 parsing, time zones, DST."""

from __future__ import annotations

import datetime
import functools
import re
import zoneinfo

UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)


class TimeError(ValueError):
    """A malformed date-time, duration or time zone; the message says which and why."""


@functools.lru_cache(maxsize=None)
def zone(name: str) -> datetime.tzinfo:
    """The IANA time zone `name`; TimeError for any name that is not one.

    zoneinfo turns the name into a path under the zone database and reads the file there, so
    what it raises for a name that is not a zone depends on the name and on the system: a
    directory (`Europe`) gives IsADirectoryError, a name too long for the file system OSError,
    a NUL character, `..`, an absolute path or a file that is not a zone ValueError, a lone
    surrogate UnicodeEncodeError. Every failure means the same: no such zone."""
    if name == "UTC":
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except Exception:
        raise TimeError(f"unknown time zone `{name}` (use an IANA name like \"Europe/Paris\")") from None


SECOND = datetime.timedelta(seconds=1)


def to_instant(moment: datetime.datetime) -> int:
    """An aware date-time as whole seconds since the epoch (the second it falls in; a naive
    one is a TypeError)."""
    return (moment - EPOCH) // SECOND


def to_datetime(instant: int) -> datetime.datetime:
    return EPOCH + datetime.timedelta(seconds=instant)


_format_cache: dict[int, str] = {}


def format_instant(instant: int) -> str:
    """`2026-03-01T09:00:00Z`; cached by day, since it is called for every trace record."""
    day, second = divmod(instant, 86400)
    prefix = _format_cache.get(day)
    if prefix is None:
        prefix = _format_cache[day] = to_datetime(day * 86400).strftime("%Y-%m-%dT")
    hours, rest = divmod(second, 3600)
    return f"{prefix}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


def parse_instant(text, where: str = "") -> int:
    """An ISO-8601 date-time with `Z` or an offset (or a TOML date-time) as an instant."""
    prefix = f"{where}: " if where else ""
    if isinstance(text, datetime.datetime):
        moment = text
    elif isinstance(text, str):
        try:
            moment = datetime.datetime.fromisoformat(text.strip())
        except ValueError:
            raise TimeError(f"{prefix}`{text}` is not a date-time "
                            "(write it like 2026-03-01T09:00:00Z)") from None
    else:
        raise TimeError(f"{prefix}expected a date-time, found {text!r}")
    if moment.tzinfo is None:
        raise TimeError(f"{prefix}`{text}` has no time zone: add Z (UTC) or an offset like +01:00")
    return to_instant(moment)


def local_to_instant(local: datetime.datetime, tz: datetime.tzinfo) -> int:
    """A wall-clock time in a zone as an instant. A time repeated when clocks go back is its
    first occurrence; a time skipped when clocks go forward is moved forward by the length of
    the gap (02:30 on a night that jumps from 02:00 to 03:00 is 03:30)."""
    return to_instant(local.replace(tzinfo=tz, fold=0))


def next_local_time(instant: int, time_of_day: datetime.time, tz: datetime.tzinfo) -> int:
    """The first instant at or after `instant` when the zone's clock shows `time_of_day`."""
    local_now = to_datetime(instant).astimezone(tz)
    day = local_now.date()
    for offset in range(3):
        candidate = local_to_instant(datetime.datetime.combine(day + datetime.timedelta(days=offset),
                                                               time_of_day), tz)
        if candidate >= instant:
            return candidate
    raise AssertionError("unreachable: a local time occurs every day")


_DURATION = re.compile(r"\s*(\d+)\s*([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str, where: str = "") -> int:
    """`1d 12h` as seconds."""
    position, total = 0, 0
    text = str(text)
    while position < len(text.rstrip()):
        match = _DURATION.match(text, position)
        if match is None:
            prefix = f"{where}: " if where else ""
            raise TimeError(f"{prefix}`{text}` is not a duration (like 2h, 3d or 1d 12h)")
        total += int(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position == 0:
        raise TimeError(f"{where + ': ' if where else ''}`{text}` is not a duration")
    return total


def parse_delay(text: str, where: str = "") -> tuple[int, int]:
    """`2h` or a range `1h..2d` as (low, high) seconds."""
    low, _, high = str(text).partition("..")
    bounds = (parse_duration(low, where), parse_duration(high or low, where))
    if bounds[0] > bounds[1]:
        raise TimeError(f"{where + ': ' if where else ''}`{text}`: the range runs backwards")
    return bounds
