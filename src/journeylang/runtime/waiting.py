"""`wait for event` and what an event does to the instances of its profile: exit criteria
(`exit on event`) first, then the threads waiting for it."""

from __future__ import annotations

from .. import nodes as n
from ..core.instants import LAST_INSTANT, format_instant
from ..core.values import JourneyRuntimeError
from . import records as r
from .clock import TIMEOUT
from .instances import StepError, Thread


class Waiter:
    """A thread waiting for an event; `ways` counts its statement's [received, timed out]."""

    __slots__ = ("thread", "event", "where", "node_id", "on_event", "on_timeout", "done", "ways")

    def __init__(self, thread, event, where, node_id, on_event, on_timeout, ways):
        self.thread, self.event, self.where, self.node_id = thread, event, where, node_id
        self.on_event, self.on_timeout = on_event, on_timeout
        self.done = False
        self.ways = ways


class Waiting:
    """The threads waiting for events, reached through their instances."""

    def __init__(self, clock, record, instances):
        self.clock = clock
        self.record = record
        self.instances = instances

    def _resume(self, waiter, step) -> None:
        thread = waiter.thread
        instance = thread.instance
        waiter.done = True
        instance.waiters.remove(waiter)
        if self.record is not None:
            version = instance.journey
            self.record(r.Resume(self.clock.now, version.name, version.version,
                                 instance.profile_id, instance.number, waiter.node_id))
        self.instances.run(step, thread)

    def deadline(self, waiter) -> None:
        """A `within` has passed without the event."""
        if not waiter.done and not waiter.thread.instance.ended:
            waiter.ways[1] += 1
            self._resume(waiter, waiter.on_timeout)

    def offer(self, instance, name: str, data) -> None:
        """An event of `instance`'s profile arrives."""
        version = instance.journey
        for event_name, where, node_id in version.exit_on_events:
            if event_name == name and (where is None or _holds(where, instance, data)):
                return self.instances.finish(instance, "exit_criteria", node_id)
        if not instance.waiters:
            return
        for waiter in list(instance.waiters):
            if waiter.done or waiter.event != name or instance.ended:
                continue
            thread = waiter.thread
            if waiter.where is not None:
                seen = thread.event
                thread.event = data
                try:
                    matched = waiter.where(thread) is True
                except StepError as error:
                    return self.instances.fail(instance, error.node_id, str(error))
                if not matched:
                    thread.event = seen
                    continue
            thread.event = data
            waiter.ways[0] += 1
            self._resume(waiter, waiter.on_event)


def _holds(condition, instance, data) -> bool:
    """An `exit on event … where` on the event (an error there counts as not holding)."""
    try:
        return condition(Thread(instance, None, data)) is True
    except JourneyRuntimeError:
        return False


def compile_wait_for(c, node: n.WaitForEvent, k):
    reached, index, node_id = c.reach(node)
    ways = c.version.tally.ways_out(index, 2)  # [received, timed out]
    c.version.tally.waits_for[node_id] = index
    rt, version = c.rt, c.version
    clock, record, waiting = rt.clock, rt.record, rt.waiting
    where = c.optional(node_id, node.where)
    within = int(node.within.total_seconds()) if node.within is not None else None
    on_event = c.block(node.body, k) if node.body is not None else k
    on_timeout = c.block(node.on_timeout, k) if node.on_timeout is not None else k
    event_name = node.event.name
    deadlines = clock.timers(TIMEOUT, waiting.deadline, in_order=True)
    c.needs_timeouts = True  # the event may never come: the journey timeout ends the wait

    def wait_for(thread):
        reached[index] += 1
        instance = thread.instance
        deadline = None if within is None else clock.now + within
        if deadline is not None and deadline > LAST_INSTANT:
            raise StepError(node_id, JourneyRuntimeError(
                f"the wait's deadline would be after {format_instant(LAST_INSTANT)}, "
                "the last instant there is"))
        if record is not None:
            record(r.Wait(clock.now, version.name, version.version, instance.profile_id,
                          instance.number, node_id, deadline))
        waiter = Waiter(thread, event_name, where, node_id, on_event, on_timeout, ways)
        if instance.waiters is None:
            instance.waiters = []
        instance.waiters.append(waiter)
        if deadline is not None and deadline <= instance.deadline:  # else the timeout ends it
            deadlines.add(deadline, waiter)

    return wait_for


STATEMENTS = {n.WaitForEvent: compile_wait_for}
