"""Timers on the simulation's clock.

Everything scheduled sits on one heap ordered by (time, priority, sequence). Most timers,
though, are set with a fixed delay from now by one statement (`wait 1d`, `within 7d`): they
fall due in the order they were set, so they need no heap of their own. Such timers wait in
a first-in first-out queue per statement, and only the first of each queue is on the heap.
The heap then holds as many entries as there are queues, whatever the number of profiles in
flight, and timers fire in exactly the order one heap of all of them would give.
"""

from __future__ import annotations

import collections
from heapq import heappush


class Timers:
    """Timers that fall due in the order they are set; each calls `function(argument)`."""

    __slots__ = ("heap", "sequence", "priority", "function", "queue")

    def __init__(self, heap: list, sequence, priority: int, function):
        self.heap = heap
        self.sequence = sequence
        self.priority = priority
        self.function = function
        self.queue: collections.deque = collections.deque()

    def add(self, time: int, argument) -> None:
        queue = self.queue
        sequence = next(self.sequence)
        if not queue:
            heappush(self.heap, (time, self.priority, sequence, self.fire, None))
        queue.append((time, sequence, argument))

    def fire(self, _) -> None:
        """Called from the heap for the first timer: puts the next one on the heap, then runs."""
        queue = self.queue
        argument = queue.popleft()[2]
        if queue:
            time, sequence, _ = queue[0]
            heappush(self.heap, (time, self.priority, sequence, self.fire, None))
        self.function(argument)


class AnyTimers:
    """Timers set in no particular order of time (`wait until`): straight on the heap."""

    __slots__ = ("heap", "sequence", "priority", "function")

    def __init__(self, heap: list, sequence, priority: int, function):
        self.heap = heap
        self.sequence = sequence
        self.priority = priority
        self.function = function

    def add(self, time: int, argument) -> None:
        heappush(self.heap, (time, self.priority, next(self.sequence), self.function, argument))
