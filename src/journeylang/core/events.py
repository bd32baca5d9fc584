"""The events a run replays: a profile's event at an instant, with its data."""

from __future__ import annotations


class Event:
    """An event for a profile at an instant (seconds since the epoch), with its data and the
    line it was read from (0 when it was not read from a file).

    A plain class rather than an attrs one, as one is made per event read: this one is made
    in about two thirds of the time (benchmarks/run.py --whole-process shows it)."""

    __slots__ = ("time", "profile", "name", "data", "line")

    def __init__(self, time: int, profile: str, name: str, data: dict, line: int = 0):
        self.time = time
        self.profile = profile
        self.name = name
        self.data = data
        self.line = line

    def _fields(self) -> tuple:
        return (self.time, self.profile, self.name, self.data, self.line)

    def __eq__(self, other) -> bool:
        return self._fields() == other._fields() if isinstance(other, Event) else NotImplemented

    __hash__ = None  # mutable, so not hashable

    def __repr__(self) -> str:
        return "Event(time={!r}, profile={!r}, name={!r}, data={!r}, line={!r})".format(*self._fields())
