"""The counts a run's report is made of, per journey version. They are kept by the statements
themselves, at the point each writes its record (a record for every count would put an object
on the report-only path), and never read by the run: counting changes nothing."""

from __future__ import annotations

import collections


class Tally:
    """One version's counters: entries (and when the first and the last came), hold-outs,
    rejections and exits by reason, runtime errors, profiles reaching each statement, and
    sends per message."""

    __slots__ = ("entries", "holdouts", "errors", "rejections", "exits", "reached", "sends",
                 "first_entry", "last_entry")

    def __init__(self):
        self.entries = self.holdouts = self.errors = 0
        self.first_entry = self.last_entry = None  # the instants of the first and last entry
        self.rejections: collections.Counter = collections.Counter()
        self.exits: collections.Counter = collections.Counter()
        self.reached: list[int] = []  # by statement index, in compile order
        self.sends: dict[tuple[str, str], list[int]] = {}  # (channel, message) -> [sent, suppressed]

    def statement(self) -> int:
        """A counter for one more statement; its index in `reached`."""
        self.reached.append(0)
        return len(self.reached) - 1

    def message(self, channel: str, message: str) -> list[int]:
        """The [sent, suppressed] counts of one message, shared by the sends of it."""
        return self.sends.setdefault((channel, message), [0, 0])

    def in_flight(self) -> int:
        """Profiles in this version now: every entry ends in exactly one exit."""
        return self.entries - sum(self.exits.values())
