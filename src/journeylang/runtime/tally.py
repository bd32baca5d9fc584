"""The counts a run's report is made of, per journey version. They are kept by the statements
themselves, at the point each writes its record (a record for every count would put an object
on the report-only path), and never read by the run: counting changes nothing."""

from __future__ import annotations

import bisect
import collections
import functools

from .timers import AnyTimers

FIRST_ERRORS = 5  # runtime errors kept with their message; the rest are only counted


def error_order(error: tuple[int, str, str, str]) -> tuple:
    """A kept error's place among the first: (time, file, line, column, profile)."""
    time, node_id, profile_id, _ = error
    return (time, *source_place(node_id), profile_id)


@functools.cache
def source_place(node_id: str) -> tuple[str, int, int]:
    """`file:line:col` as (file, line, column) (a file name may hold colons)."""
    file, line, column = node_id.rsplit(":", 2)
    return file, int(line), int(column)


class Tally:
    """One version's counters: entries (and when the first and the last came), hold-outs,
    rejections and exits by reason, runtime errors (per statement, the first ones with their
    message), profiles reaching each statement, the way each branching statement was left,
    and sends per message."""

    __slots__ = ("entries", "holdouts", "errors", "rejections", "exits", "reached", "sends",
                 "first_entry", "last_entry", "ways", "error_at", "first_errors", "parked",
                 "queued", "waits_for", "joins", "lift", "jumps", "jumped_in")

    def __init__(self):
        self.entries = self.holdouts = self.errors = 0
        self.first_entry = self.last_entry = None  # the instants of the first and last entry
        self.rejections: collections.Counter = collections.Counter()
        self.exits: collections.Counter = collections.Counter()
        self.reached: list[int] = []  # by statement index, in compile order
        self.sends: dict[tuple[str, str], list[int]] = {}  # (channel, message) -> counts
        # statement index -> a count per way out: `if` arms then the else, `split` arms, `fork`
        # branches started, `wait for event` [received, timed out], `call` [ok, failed]
        self.ways: dict[int, list[int]] = {}
        self.error_at: collections.Counter = collections.Counter()  # statement id -> errors
        # (time, statement id, profile, message), in error_order
        self.first_errors: list[tuple[int, str, str, str]] = []
        self.parked: list[tuple[int, object]] = []  # (statement index, its resume timers)
        self.queued: list[tuple[int, object, object]] = []  # (index, action, its calls' start)
        self.waits_for: dict[str, int] = {}  # a `wait for event`'s id -> its index
        self.joins: dict[object, int] = {}  # a fork's join decision -> the join's index
        self.lift: Lift | None = None  # with a hold-out only
        self.jumps = [0, 0]  # jumps out of this version: made, accepted by their target
        self.jumped_in = 0  # profiles that jumped into this version

    def statement(self) -> int:
        """A counter for one more statement; its index in `reached`."""
        self.reached.append(0)
        return len(self.reached) - 1

    def ways_out(self, index: int, count: int) -> list[int]:
        """The counters of a statement's `count` ways out."""
        counts = self.ways[index] = [0] * count
        return counts

    def message(self, channel: str, message: str) -> list[int]:
        """The [sent, suppressed for consent, suppressed by a cap] counts of one message, shared
        by the sends of it."""
        return self.sends.setdefault((channel, message), [0, 0, 0])

    def error(self, time: int, node_id: str, profile_id: str, message: str) -> None:
        """A runtime error in statement `node_id` (or the entry, or the journey). The first
        errors kept are the first FIRST_ERRORS by `error_order`: by time (as they come), and
        those of one instant by their place in the source, then by profile, so that which are
        kept does not hang on the order of one instant's steps, nor on how the profiles are
        shared among processes (shards.py keeps the first of every shard's)."""
        self.errors += 1
        self.error_at[node_id] += 1
        first = self.first_errors
        error = (time, node_id, profile_id, message)
        if len(first) < FIRST_ERRORS or (time <= first[-1][0]  # (time never goes back)
                                         and error_order(error) < error_order(first[-1])):
            bisect.insort(first, error, key=error_order)  # (after its equals: the first stays)
            del first[FIRST_ERRORS:]

    def in_flight(self) -> int:
        """Profiles in this version now: every entry ends in exactly one exit."""
        return self.entries - sum(self.exits.values())

    def waiting(self, heap: list, instances) -> list[int]:
        """Per statement index, the profiles waiting there now: threads parked in a `wait` or
        `wait until` (in their statement's timers, or straight on the clock's heap), waiting
        for an event, or arrived at a join whose other branches are still out. `instances`
        are this version's instances in flight. Read once, when the run is over."""
        threads = []
        on_heap = {}
        for index, timers in self.parked:
            if isinstance(timers, AnyTimers):  # straight on the heap
                on_heap[timers.function] = index
            else:
                threads.extend((index, thread) for thread in timers.waiting())
        for index, action, begin in self.queued:  # calls waiting for a throttled action's slot
            threads.extend((index, entry[1]) for entry in action.queue
                           if entry[3] is begin and not entry[4])
        if on_heap:
            for entry in heap:
                index = on_heap.get(entry[3])
                if index is not None:
                    threads.append((index, entry[4]))
        for instance in instances:
            for waiter in instance.waiters or ():
                if not waiter.done:
                    threads.append((self.waits_for[waiter.node_id], waiter.thread))
        counts = [0] * len(self.reached)
        at_joins = set()
        for index, thread in threads:
            if thread.instance.ended:
                continue
            counts[index] += 1
            state = thread.join
            while state is not None:
                if state.arrived() and id(state) not in at_joins:
                    at_joins.add(id(state))
                    counts[self.joins[state.decide]] += 1
                state = state.outer
        return counts


class Lift:
    """For a version with a hold-out: the profiles held out and those let in, and for each
    event the journey waits for or exits on, who of each group sent it after their entry."""

    __slots__ = ("held_out", "treated", "senders")

    def __init__(self, events):
        self.held_out: set[str] = set()
        self.treated: set[str] = set()
        self.senders = {name: (set(), set()) for name in events}  # (held out, treated)

    def entered(self, profile_id: str, held_out: bool) -> None:
        (self.held_out if held_out else self.treated).add(profile_id)

    def saw(self, profile_id: str, name: str) -> None:
        """An event of `name` arrives for a profile (before it may enter again)."""
        held_out, treated = self.senders[name]
        if profile_id in self.held_out:
            held_out.add(profile_id)
        elif profile_id in self.treated:
            treated.add(profile_id)
