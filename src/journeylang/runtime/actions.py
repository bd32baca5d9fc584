"""Custom actions: `call`, the responses a simulation gives it, and the limits of an action
shared by every journey that calls it — throttling (`rate`: calls over it queue first in,
first out, for at most 6 hours) and capping (`cap`: calls beyond it fail)."""

from __future__ import annotations

import collections

import attrs

from .. import nodes as n
from ..core.values import to_json
from . import records as r
from .clock import RESUME, TIMEOUT
from .effects import EMPTY, exit_criteria

#: How long a call may wait for a slot of a throttled action before it fails (`throttled`).
LONGEST_QUEUE = 6 * 3600


@attrs.frozen
class Limits:
    """An action's declared limits: at most `rate` calls start in each `period` seconds, and
    at most `cap` calls in each `window` seconds (None: no such limit). Both count from the
    run's start."""

    rate: int | None = None
    period: int = 1
    cap: int | None = None
    window: int = 1


def limits_of(programs) -> dict[str, Limits]:
    """The declared actions' limits, in seconds, by name (the first declaration of each)."""
    limits: dict[str, Limits] = {}
    for program in programs:
        for decl in program.actions:
            if decl.name.name in limits:
                continue
            rate, cap = decl.setting(n.Rate), decl.setting(n.ActionCap)
            limits[decl.name.name] = Limits(
                rate=int(rate.count) if rate else None, period=rate.seconds if rate else 1,
                cap=int(cap.count) if cap else None,
                window=int(cap.window.total_seconds()) if cap else 1)
    return limits



class Action:
    """One action over the whole run: its limits, its queue, and its counts for the report
    (calls started, failures by error, the longest wait in its queue)."""

    __slots__ = ("name", "limits", "clock", "start", "run", "queue", "period", "used",
                 "dispatching", "deadlines", "window", "in_window", "calls", "failures",
                 "longest_wait")

    def __init__(self, name: str, limits: Limits, clock, start: int, run):
        self.name = name
        self.limits = limits
        self.clock = clock
        self.start = start
        self.run = run  # runs a thread's step, a runtime error ending its instance
        self.queue: collections.deque = collections.deque()  # [made, thread, data, begin, done]
        self.period = self.used = 0  # the current period of the rate, and its calls
        self.dispatching = False  # whether the next period's start is on the clock
        self.deadlines = clock.timers(TIMEOUT, self._expire, in_order=True)
        self.window = self.in_window = 0  # the current window of the cap, and its calls
        self.calls = 0
        self.failures: collections.Counter = collections.Counter()
        self.longest_wait = 0

    @property
    def throttled(self) -> bool:
        return self.limits.rate is not None

    def capped(self) -> bool:
        """Whether a call starting now is beyond the cap; a call that is not counts in it."""
        cap = self.limits.cap
        if cap is None:
            return False
        window = (self.clock.now - self.start) // self.limits.window
        if window != self.window:
            self.window, self.in_window = window, 0
        if self.in_window >= cap:
            return True
        self.in_window += 1
        return False

    def throttle(self, thread, data, begin) -> None:
        """A call made now: it starts now if a slot is free and nobody waits, or waits in the
        queue. `begin(thread, data, queued)` starts it (or fails it, `queued` None: throttled)."""
        now, queue = self.clock.now, self.queue
        self._new_period(now)
        while queue and (queue[0][4] or queue[0][1].instance.ended):
            queue.popleft()
        if not queue and self.used < self.limits.rate:
            self.used += 1
            return begin(thread, data, 0)
        entry = [now, thread, data, begin, False]
        queue.append(entry)
        self.deadlines.add(now + LONGEST_QUEUE, entry)
        if not self.dispatching:
            self._next_period()
        return None

    def _new_period(self, now: int) -> None:
        period = (now - self.start) // self.limits.period
        if period != self.period:
            self.period, self.used = period, 0

    def _next_period(self) -> None:
        self.dispatching = True
        self.clock.push(self.start + (self.period + 1) * self.limits.period, RESUME,
                        self._dispatch, None)

    def _dispatch(self, _) -> None:
        """A new period: the calls at the head of the queue start, as many as it allows."""
        self.dispatching = False
        now, queue, run = self.clock.now, self.queue, self.run
        self._new_period(now)
        started = False
        while queue and self.used < self.limits.rate:
            entry = queue.popleft()
            made, thread, data, begin, done = entry
            if done or thread.instance.ended:
                continue
            entry[4] = started = True
            self.used += 1
            run(lambda thread: begin(thread, data, now - made), thread)  # noqa: B023 (at once)
        while queue and (queue[0][4] or queue[0][1].instance.ended):
            queue.popleft()
        if queue:
            self._next_period()
        if not started:
            self.clock.stand_still()

    def _expire(self, entry) -> None:
        """A call has waited as long as a call may: unless it started, it fails (`throttled`)."""
        _, thread, data, begin, done = entry
        if done or thread.instance.ended:
            return self.clock.stand_still()
        entry[4] = True
        self.run(lambda thread: begin(thread, data, None), thread)


class Actions:
    """Every action of a run by name, made when a journey first calls it."""

    def __init__(self, clock, start: int, instances, limits: dict[str, Limits] | None):
        self.clock = clock
        self.start = start
        self.instances = instances
        self.limits = limits or {}
        self.by_name: dict[str, Action] = {}

    def get(self, name: str) -> Action:
        action = self.by_name.get(name)
        if action is None:
            action = self.by_name[name] = Action(name, self.limits.get(name, Limits()),
                                                 self.clock, self.start, self.instances.run)
        return action


def compile_call(c, node: n.CallAction, k):
    reached, index, node_id = c.reach(node)
    clock, record, version = c.rt.clock, c.rt.record, c.version
    name = node.action.name
    action = c.rt.actions.get(name)
    payload = c.optional(node_id, node.data)
    leaves = exit_criteria(c, node_id)
    on_error = c.block(node.on_error, k) if node.on_error is not None else c.rt.instances.end_thread
    fails = c.rt.outside.failure_of(name)
    respond = c.rt.outside.respond
    result = node.result.name if node.result is not None else None
    failures = action.failures
    ways = c.version.tally.ways_out(index, 2)  # [ok, failed]

    def begin(thread, data, queued):
        """The call starts now, `queued` seconds after it was made, or fails: beyond the cap,
        by a behaviour's draw, or (`queued` None) after waiting too long for a slot."""
        instance = thread.instance
        if queued is None:
            error, queued = "throttled", LONGEST_QUEUE
        elif action.capped():
            error = "capped"
        elif fails is not None and fails(instance, node_id):
            error = "failed"
        else:
            error = None
        if error != "throttled" and error != "capped":
            action.calls += 1
        ways[0 if error is None else 1] += 1
        if error is not None:
            failures[error] += 1
        if queued > action.longest_wait:
            action.longest_wait = queued
        if record is not None:
            record(r.Call(clock.now, version.name, version.version, instance.profile_id,
                          instance.number, node_id, name, to_json(data), error is None, error,
                          queued))
        if result is not None:
            scope = thread.scope
            if scope is None:
                scope = thread.scope = {}
            scope[result] = respond(name, data) if error is None else None
        return k(thread) if error is None else on_error(thread)

    throttled = action.throttled
    if throttled:
        c.needs_timeouts = True  # a call may wait for a slot past the journey timeout
        c.version.tally.queued.append((index, action, begin))  # who waits, when the run is over

    def call(thread):
        reached[index] += 1
        if leaves is not None and leaves(thread):
            return None
        data = EMPTY if payload is None else payload(thread)
        if throttled:
            return action.throttle(thread, data, begin)
        return begin(thread, data, 0)

    return call


STATEMENTS = {n.CallAction: compile_call}
