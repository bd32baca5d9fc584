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

#: The instants there are, in seconds since the epoch: from 0001-01-01T00:00:00Z to
#: 9999-12-31T23:59:59Z. An input outside is an input error; a computation that leaves the
#: range at run time is a runtime error of its instance. Every instant is made by the functions
#: below, which check it, at the boundaries: where an input is read, where a `wait until` or a
#: local time is computed, where a date-time becomes an instant. The hot path (`wait 1d`)
#: adds whole seconds to an instant already checked, and the one place it can leave the range
#: (a wait past the end of an instance's time) is handled where the wait is entered.
FIRST_INSTANT = (datetime.datetime.min.replace(tzinfo=UTC) - EPOCH) // SECOND
LAST_INSTANT = (datetime.datetime.max.replace(tzinfo=UTC) - EPOCH) // SECOND

#: The longest duration: from the first instant to the last. No two instants are further
#: apart, so a longer duration cannot be added to any instant without leaving the range.
LONGEST_DURATION = LAST_INSTANT - FIRST_INSTANT

_FIRST_TEXT, _LAST_TEXT = "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"


def check_instant(instant: int, where: str = "") -> int:
    """The instant itself when it exists (from 0001-01-01 to 9999-12-31, in UTC); a TimeError
    that says which end it passed otherwise."""
    if FIRST_INSTANT <= instant <= LAST_INSTANT:
        return instant
    raise TimeError(_out_of_range(instant, where))


def _out_of_range(instant: int, where: str = "", what: str = "") -> str:
    prefix = f"{where}: " if where else ""
    what = what or "the instant"
    if instant < FIRST_INSTANT:
        return f"{prefix}{what} is before {_FIRST_TEXT}, the first instant there is"
    return f"{prefix}{what} is after {_LAST_TEXT}, the last instant there is"


def to_instant(moment: datetime.datetime) -> int:
    """An aware date-time as whole seconds since the epoch (the second it falls in); a
    TimeError when it is not between 0001-01-01 and 9999-12-31 in UTC (a date-time of
    9999-12-31T23:00-05:00 is one: in UTC it falls in the year 10000). A naive one is a
    TypeError."""
    instant = (moment - EPOCH) // SECOND
    if FIRST_INSTANT <= instant <= LAST_INSTANT:
        return instant
    raise TimeError(_out_of_range(instant, what=f"`{moment.isoformat()}`"))


def to_datetime(instant: int) -> datetime.datetime:
    """The instant as an aware date-time in UTC; a TimeError outside the range."""
    try:
        return EPOCH + datetime.timedelta(seconds=instant)
    except OverflowError:
        raise TimeError(_out_of_range(instant)) from None


def in_range(moment: datetime.datetime) -> datetime.datetime:
    """An aware date-time itself when its instant exists, a TimeError otherwise (a naive one
    is taken as it is: it names no instant)."""
    if moment.tzinfo is not None:
        to_instant(moment)
    return moment


_format_cache: dict[int, str] = {}
_MINUTES = [f"{minute // 60:02d}:{minute % 60:02d}:" for minute in range(1440)]
_SECONDS = [f"{second:02d}Z" for second in range(60)]


def format_instant(instant: int) -> str:
    """`2026-03-01T09:00:00Z`; the date cached by day and the time of day from two tables,
    since it is called for every trace record. A TimeError outside the range."""
    day, second = divmod(instant, 86400)
    prefix = _format_cache.get(day)
    if prefix is None:
        date = to_datetime(day * 86400)  # (strftime writes the year 1 as `1`, not `0001`)
        prefix = _format_cache[day] = f"{date.year:04d}-{date.month:02d}-{date.day:02d}T"
    minute, second = divmod(second, 60)
    return prefix + _MINUTES[minute] + _SECONDS[second]


def parse_instant(text, where: str = "") -> int:
    """An ISO-8601 date-time with `Z` or an offset (or a TOML date-time) as an instant; a
    TimeError for anything else, and for an instant before 0001-01-01 or after 9999-12-31 in
    UTC."""
    prefix = f"{where}: " if where else ""
    if isinstance(text, datetime.datetime):
        moment = text
    elif isinstance(text, str):
        try:
            moment = datetime.datetime.fromisoformat(text.strip())
        except ValueError:
            raise TimeError(f"{prefix}`{_cut(text)}` is not a date-time "
                            "(write it like 2026-03-01T09:00:00Z)") from None
    else:
        raise TimeError(f"{prefix}expected a date-time, found {_kind(text)}")
    if moment.tzinfo is None:
        raise TimeError(f"{prefix}`{_cut(str(text))}` has no time zone: add Z (UTC) or an "
                        "offset like +01:00")
    instant = (moment - EPOCH) // SECOND
    if FIRST_INSTANT <= instant <= LAST_INSTANT:
        return instant
    raise TimeError(_out_of_range(instant, where, f"`{moment.isoformat()}`"))


def _cut(text: str, limit: int = 40) -> str:
    """A text short enough for a message."""
    return text if len(text) <= limit else text[:limit] + "…"


def _kind(value) -> str:
    """A value that is not a date-time or a duration, for a message: written out when short
    (a whole number of thousands of digits cannot even be turned into text)."""
    if isinstance(value, int) and not -10 ** 20 < value < 10 ** 20:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    if value is None or isinstance(value, (int, float, str, datetime.date, datetime.time)):
        return _cut(repr(value))
    return f"a {type(value).__name__}"


def local_to_instant(local: datetime.datetime, tz: datetime.tzinfo) -> int:
    """A wall-clock time in a zone as an instant. A time repeated when clocks go back is its
    first occurrence; a time skipped when clocks go forward is moved forward by the length of
    the gap (02:30 on a night that jumps from 02:00 to 03:00 is 03:30). A TimeError when the
    instant is not one there is."""
    return to_instant(local.replace(tzinfo=tz, fold=0))


def next_local_time(instant: int, time_of_day: datetime.time, tz: datetime.tzinfo) -> int:
    """The first instant at or after `instant` when the zone's clock shows `time_of_day`; a
    TimeError when that is after the last instant."""
    try:
        day = to_datetime(instant).astimezone(tz).date()
        for offset in range(3):
            local = datetime.datetime.combine(day + datetime.timedelta(days=offset), time_of_day)
            # (unchecked: a candidate before the first instant is before `instant` too)
            candidate = (local.replace(tzinfo=tz, fold=0) - EPOCH) // SECOND
            if candidate >= instant:
                if candidate <= LAST_INSTANT:
                    return candidate
                break
    except OverflowError:
        pass  # the zone's date is past the calendar's end
    raise TimeError(f"the next {time_of_day.isoformat()} in {tz} is after {_LAST_TEXT}, "
                    "the last instant there is")


def local_date(moment: datetime.datetime, tz: datetime.tzinfo) -> datetime.date:
    """The date a zone's clock shows at an aware date-time; a TimeError when that date is
    outside the calendar (at 0001-01-01T05:00:00Z, the date at UTC−12 is in the year 0)."""
    try:
        return moment.astimezone(tz).date()
    except OverflowError:
        side = "before 0001-01-01" if moment.year < 5000 else "after 9999-12-31"
        raise TimeError(f"the date in {tz} at {moment.isoformat().replace('+00:00', 'Z')} is "
                        f"{side}, outside the calendar") from None


_DURATION = re.compile(r"\s*(\d+)\s*([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str, where: str = "") -> int:
    """`1d 12h` as seconds; a TimeError for anything else, and for a duration longer than the
    span of all instants (LONGEST_DURATION)."""
    prefix = f"{where}: " if where else ""
    if not isinstance(text, str):
        raise TimeError(f"{prefix}expected a duration (like 2h, 3d or 1d 12h), found {_kind(text)}")
    position, total = 0, 0
    while position < len(text.rstrip()):
        match = _DURATION.match(text, position)
        if match is None:
            raise TimeError(f"{prefix}`{_cut(text)}` is not a duration (like 2h, 3d or 1d 12h)")
        count = match.group(1)
        if len(count) > 15:  # longer than LONGEST_DURATION whatever the unit; int() of
            total = LONGEST_DURATION + 1  # thousands of digits would fail
        else:
            total += int(count) * _UNITS[match.group(2)]
        position = match.end()
    if position == 0:
        raise TimeError(f"{prefix}`{_cut(text)}` is not a duration")
    if total > LONGEST_DURATION:
        raise TimeError(f"{prefix}`{_cut(text)}` is longer than any two instants are apart "
                        f"(at most {LONGEST_DURATION // 86400:,} days, from 0001-01-01 to "
                        "9999-12-31)")
    return total


def parse_delay(text: str, where: str = "") -> tuple[int, int]:
    """`2h` or a range `1h..2d` as (low, high) seconds; a TimeError as parse_duration gives,
    and for a range that runs backwards."""
    if not isinstance(text, str):
        return parse_duration(text, where)  # the TimeError that says what it is
    low, _, high = text.partition("..")
    bounds = (parse_duration(low, where), parse_duration(high or low, where))
    if bounds[0] > bounds[1]:
        raise TimeError(f"{where + ': ' if where else ''}`{_cut(text)}`: the range runs backwards")
    return bounds
