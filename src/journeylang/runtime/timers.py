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
import itertools
from heapq import heappush


class Timers:
    """Timers that fall due in the order they are set; each calls `function(argument)`. The
    queue holds each timer as three items in a row (time, sequence, argument), not a tuple:
    a quarter of a million timers in flight take 20 MB less."""

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
        queue.append(time)
        queue.append(sequence)
        queue.append(argument)

    def fire(self, _) -> None:
        """Called from the heap for the first timer: puts the next one on the heap, then runs."""
        queue = self.queue
        popleft = queue.popleft
        popleft()
        popleft()
        argument = popleft()
        if queue:
            heappush(self.heap, (queue[0], self.priority, queue[1], self.fire, None))
        self.function(argument)

    def waiting(self) -> list:
        """The arguments of the timers still to fire, in order."""
        return list(itertools.islice(self.queue, 2, None, 3))


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


class Timeouts:
    """The journey timeout of every instance of one version (one whose instances can outlive
    it: Version.timeouts): one timer per instance, set at its entry and cancelled at its
    end. Entries come in time order and the timeout is the same for all, so the timers fall
    due in the order they are set and wait in one queue; one heap entry stands for the queue's
    first timer. Ending an instance drops the ended ones at the head (so the queue holds only
    instances in flight, roughly); a heap entry whose timer has gone by the time it falls due
    does nothing and leaves the clock where it was."""

    __slots__ = ("clock", "priority", "expire", "queue", "scheduled")

    def __init__(self, clock, priority: int, expire):
        self.clock = clock
        self.priority = priority
        self.expire = expire
        self.queue: collections.deque = collections.deque()
        self.scheduled = None  # the sequence of the timer the heap entry stands for, if any

    def add(self, instance) -> None:
        sequence = next(self.clock.sequence)
        self.queue.append((instance.deadline, sequence, instance))
        if self.scheduled is None:
            self._schedule()

    def cancel(self, instance) -> None:
        """`instance` has ended: its timer will do nothing."""
        self._drop_ended()

    def _drop_ended(self) -> None:
        """Let go of the ended instances at the head of the queue."""
        queue = self.queue
        while queue and queue[0][2].ended:
            queue.popleft()

    def _schedule(self) -> None:
        time, sequence, _ = self.queue[0]
        self.scheduled = sequence
        heappush(self.clock.heap, (time, self.priority, sequence, self.fire, sequence))

    def fire(self, sequence) -> None:
        self.scheduled = None
        queue = self.queue
        self._drop_ended()
        if not queue:
            return self.clock.stand_still()
        if queue[0][1] != sequence:  # the timer this entry stood for has gone: stand for the next
            self._schedule()
            return self.clock.stand_still()
        instance = queue[0][2]
        queue.popleft()
        self._drop_ended()
        if queue:
            self._schedule()
        self.expire(instance)
