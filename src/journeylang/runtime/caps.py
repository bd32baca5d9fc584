"""Caps: at most N messages per profile over all journeys (business rules: per calendar day,
week or month in UTC, or in a rolling window), and at most N entries into a journey."""

from __future__ import annotations

import collections

from .. import nodes as n
from ..core.instants import to_datetime

_DAY = 86400


def _day(now: int) -> int:
    return now // _DAY


def _week(now: int) -> int:
    return (now // _DAY + 3) // 7  # weeks start on Monday; 1970-01-01 was a Thursday


def _month(now: int) -> int:
    moment = to_datetime(now)
    return moment.year * 12 + moment.month


PERIODS = {"day": _day, "week": _week, "month": _month}


class Rule:
    """One cap: `count` messages of `channel` (None: every channel) per calendar `period`, or
    in a rolling `window` of seconds; each profile's deliveries counted."""

    __slots__ = ("channel", "count", "period", "window", "seen")

    def __init__(self, channel, count: int, period: str | None, window: int | None):
        self.channel = channel
        self.count = count
        self.period = PERIODS.get(period) if period else None
        self.window = window
        self.seen: dict = {}  # profile id -> [period, delivered] or a deque of delivery times

    def full(self, profile_id: str, now: int) -> bool:
        seen = self.seen.get(profile_id)
        if seen is None:
            return False
        if self.period is not None:
            return seen[0] == self.period(now) and seen[1] >= self.count
        while seen and seen[0] <= now - self.window:  # delivered in (now - window, now] count
            seen.popleft()
        return len(seen) >= self.count

    def count_one(self, profile_id: str, now: int) -> None:
        if self.period is not None:
            key = self.period(now)
            seen = self.seen.get(profile_id)
            if seen is None or seen[0] != key:
                self.seen[profile_id] = [key, 1]
            else:
                seen[1] += 1
        else:
            self.seen.setdefault(profile_id, collections.deque()).append(now)


class Caps:
    """The run's message caps; `of(channel)` the check a `send` on that channel makes (None
    when no cap counts that channel)."""

    def __init__(self, rules: list[Rule]):
        self.rules = rules

    def of(self, channel: str):
        rules = [rule for rule in self.rules if rule.channel in (None, channel)]
        if not rules:
            return None

        def delivers(profile_id: str, now: int) -> bool:
            """Whether a message may go to the profile now; if so it counts."""
            if any(rule.full(profile_id, now) for rule in rules):
                return False
            for rule in rules:
                rule.count_one(profile_id, now)
            return True

        return delivers


class EntryCap:
    """A journey's `cap entries N [per D]`: accepted entries over all its versions, in all or
    per window of D from the run's start."""

    __slots__ = ("count", "window", "start", "current", "entered")

    def __init__(self, count: int, window: int | None, start: int):
        self.count = count
        self.window = window
        self.start = start
        self.current = 0
        self.entered = 0

    def full(self, now: int) -> bool:
        if self.window is not None:
            current = (now - self.start) // self.window
            if current != self.current:
                self.current, self.entered = current, 0
        return self.entered >= self.count


def caps_of(programs) -> Caps:
    """The message caps the programs declare (`cap email 1 per day`, `cap messages 3 per 7d`)."""
    return Caps([Rule(cap.channel, int(cap.count), cap.period,
                      int(cap.window.total_seconds()) if cap.window is not None else None)
                 for program in programs for cap in program.caps])


def entry_cap_of(journey, start: int) -> EntryCap | None:
    """A journey version's `cap entries`, counted from the run's start; None without one."""
    cap = journey.property(n.EntryCap)
    if cap is None:
        return None
    return EntryCap(int(cap.count), int(cap.window.total_seconds()) if cap.window else None,
                    start)
