"""The virtual clock: one heap of what is due, ordered by (time, priority, sequence), and the
loop that replays the input's events merged with it. It never reads the wall clock."""

from __future__ import annotations

import datetime
import itertools
from heapq import heappop, heappush

from ..core.instants import to_datetime
from . import timers

# The order at one instant (part of the contract): lifecycle steps, then events and audience
# reads, then resumed waits, then wait deadlines and journey timeouts; within one priority,
# the order things were set.
LIFECYCLE, EVENT, RESUME, TIMEOUT = 0, 1, 2, 3


class Clock:
    """`now` in seconds since the epoch; `push` schedules `function(argument)` at a time.

    A keyed clock (a shard's, shards.py) also knows where in the run it is: `current`, the
    position of what runs now, comparable across shards. An event's position is (time, EVENT,
    (0, its index in the whole input)); whatever is set while something runs gets the sequence
    (1, the setter's position, a count), so positions order as the one heap of a run over all
    the profiles would, and a merge of shards' records by position is that run's order."""

    def __init__(self, start: int, keyed: bool = False):
        self.now = start
        self.previous = start
        self.heap: list = []
        self.keyed = keyed
        self.current: tuple = ()  # the position of what runs now (a keyed clock's only)
        self.sequence = _Positions(self) if keyed else itertools.count()

    def push(self, time: int, priority: int, function, argument) -> None:
        heappush(self.heap, (time, priority, next(self.sequence), function, argument))

    def timers(self, priority: int, function, in_order: bool):
        """Timers calling `function(argument)`; `in_order` when set with a fixed delay."""
        kind = timers.Timers if in_order else timers.AnyTimers
        return kind(self.heap, self.sequence, priority, function)

    def datetime(self) -> datetime.datetime:
        return to_datetime(self.now)

    def stand_still(self) -> None:
        """Called by a timer that turned out to have nothing to do: the clock did not move."""
        self.now = self.previous

    def run(self, events: list, deliver, until: int | None, progress=None,
            numbers: list[int] | None = None) -> None:
        """Replay `events` (in time order) merged with the heap, until nothing is left or
        `until` has passed. `numbers`: each event's index in the whole input (a shard's)."""
        heap, pop, keyed = self.heap, heappop, self.keyed
        index, count = 0, len(events)
        progress_every = max(1, count // 200)
        while index < count:
            event = events[index]
            time = event.time
            if heap:
                first = heap[0]  # before the event if earlier, or a lifecycle step at its instant
                if first[0] < time or (first[0] == time and first[1] < EVENT):
                    if until is not None and first[0] > until:
                        break
                    time, priority, sequence, function, argument = pop(heap)
                    self.previous, self.now = self.now, time
                    if keyed:
                        self.current = (time, priority, sequence)
                    function(argument)
                    continue
            if until is not None and time > until:
                break
            if keyed:
                self.current = (time, EVENT, (0, index if numbers is None else numbers[index]))
            index += 1
            self.previous, self.now = self.now, time
            deliver(event)
            if progress is not None and index % progress_every == 0:
                progress(index, count)
        while heap:
            if until is not None and heap[0][0] > until:
                break
            time, priority, sequence, function, argument = pop(heap)
            self.previous, self.now = self.now, time
            if keyed:
                self.current = (time, priority, sequence)
            function(argument)
        if progress is not None:
            progress(count, count)


class _Positions:
    """A keyed clock's sequence: (1, the position of what runs now, a count)."""

    __slots__ = ("clock", "count")

    def __init__(self, clock: Clock):
        self.clock = clock
        self.count = itertools.count()

    def __iter__(self):
        return self

    def __next__(self) -> tuple:
        return (1, self.clock.current, next(self.count))
