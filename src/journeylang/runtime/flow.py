"""The statements that steer a thread: `if`, `split`, `wait`, `wait until`, `let` and `exit`."""

from __future__ import annotations

import datetime

from .. import nodes as n
from ..core.instants import LAST_INSTANT, TimeError, local_to_instant, next_local_time, to_instant
from ..core.values import JourneyRuntimeError, describe
from . import records as r
from .clock import RESUME
from .instances import StepError


def compile_if(c, node: n.If, k):
    reached, index, node_id = c.reach(node)
    taken = c.version.tally.ways_out(index, len(node.arms) + 1)  # each arm, then the else
    arms = [(c.guarded(node_id, arm.condition), c.block(arm.body, k)) for arm in node.arms]
    orelse = c.block(node.orelse, k) if node.orelse is not None else k
    otherwise = len(arms)
    if len(arms) == 1:
        (condition, then), = arms

        def if_single(thread):
            reached[index] += 1
            if condition(thread) is True:
                taken[0] += 1
                return then(thread)
            taken[1] += 1
            return orelse(thread)

        return if_single

    def if_chain(thread):
        reached[index] += 1
        for arm, (condition, then) in enumerate(arms):
            if condition(thread) is True:
                taken[arm] += 1
                return then(thread)
        taken[otherwise] += 1
        return orelse(thread)

    return if_chain


def compile_split(c, node: n.Split, k):
    reached, index, node_id = c.reach(node)
    taken = c.version.tally.ways_out(index, len(node.arms))
    draw, journey = c.rt.outside.fraction, c.version.name
    bounds, total = [], 0.0
    for arm, body in enumerate(node.arms):
        total += body.percent
        bounds.append((total / 100.0, arm, c.block(body.body, k)))

    def split(thread):
        reached[index] += 1
        share = draw("split", journey, node_id, thread.instance.profile_id)
        for bound, arm, step in bounds:
            if share < bound:
                taken[arm] += 1
                return step(thread)
        return k(thread)

    return split


def resumer(c, index: int, node_id: str, k, in_order: bool):
    """The timers of one wait statement (statement `index`): each resumes its thread at `k`
    (unless its instance has ended meanwhile)."""
    record, version, run = c.rt.record, c.version, c.rt.instances.run
    clock = c.rt.clock

    def resume(thread):
        instance = thread.instance
        if instance.ended:
            return
        if record is not None:
            record(r.Resume(clock.now, version.name, version.version, instance.profile_id,
                            instance.number, node_id))
        run(k, thread)

    timers = clock.timers(RESUME, resume, in_order)
    c.version.tally.parked.append((index, timers))  # who waits there, when the run is over
    return timers


def enter_wait(c, node_id: str, timers):
    """Puts a thread in a wait that ends at a given instant. A wait that would end after the
    last instant there is (9999-12-31T23:59:59Z) is a runtime error of the instance; one that
    would end after the journey's timeout is not entered: the instance ends there and then
    (reason `timeout`). An instance's timeout is never after the last instant (entry.py), so
    the first check costs nothing on the way of a wait that is entered."""
    clock, record, version = c.rt.clock, c.rt.record, c.version
    finish, add = c.rt.instances.finish, timers.add

    def wait(thread, when: int):
        instance = thread.instance
        if when > instance.deadline:
            if when > LAST_INSTANT:
                raise StepError(node_id, JourneyRuntimeError(
                    "the wait would end after 9999-12-31T23:59:59Z, the last instant there is"))
            return finish(instance, "timeout", node_id)
        if record is not None:
            record(r.Wait(clock.now, version.name, version.version, instance.profile_id,
                          instance.number, node_id, when))
        return add(when, thread)

    return wait


def compile_wait(c, node: n.Wait, k):
    reached, index, node_id = c.reach(node)
    clock, seconds = c.rt.clock, int(node.duration.total_seconds())
    wait = enter_wait(c, node_id, c.resumer(index, node_id, k, in_order=True))

    def wait_for_duration(thread):
        reached[index] += 1
        return wait(thread, clock.now + seconds)

    return wait_for_duration


def compile_wait_until(c, node: n.WaitUntil, k):
    reached, index, node_id = c.reach(node)
    clock, zone = c.rt.clock, c.zone
    target = c.guarded(node_id, node.target)
    wait = enter_wait(c, node_id, c.resumer(index, node_id, k, in_order=False))

    def instant_of(value) -> int:
        if isinstance(value, datetime.datetime):
            return to_instant(value if value.tzinfo else value.replace(tzinfo=zone))
        if isinstance(value, datetime.date):
            return local_to_instant(datetime.datetime.combine(value, datetime.time()), zone)
        if isinstance(value, datetime.time):
            return next_local_time(clock.now, value, zone)
        raise StepError(node_id, JourneyRuntimeError(
            f"`wait until` needs a date-time, a date or a time of day, found {describe(value)}"))

    def wait_until(thread):
        reached[index] += 1
        try:
            when = instant_of(target(thread))
        except TimeError as error:  # the instant is not one there is
            raise StepError(node_id, JourneyRuntimeError(f"`wait until`: {error}")) from None
        if when <= clock.now:
            return k(thread)
        return wait(thread, when)

    return wait_until


def compile_let(c, node: n.Let, k):
    reached, index, node_id = c.reach(node)
    name = node.name.name
    if isinstance(node.value, n.Fetch):
        fetch, source = c.rt.outside.fetch, node.value.source.name
        data = c.optional(node_id, node.value.data)
        value = lambda thread: fetch(source, data(thread) if data else {})  # noqa: E731
    else:
        value = c.guarded(node_id, node.value)

    def let(thread):
        reached[index] += 1
        scope = thread.scope
        if scope is None:
            scope = thread.scope = {}
        scope[name] = value(thread)
        return k(thread)

    return let


def compile_exit(c, node: n.Exit, k):
    reached, index, node_id = c.reach(node)
    finish = c.rt.instances.finish

    def exit_(thread):
        reached[index] += 1
        return finish(thread.instance, "exit", node_id)

    return exit_


def compile_jump(c, node: n.Jump, k):
    reached, index, node_id = c.reach(node)
    clock, record, version, rt = c.rt.clock, c.rt.record, c.version, c.rt
    target = node.target.name
    jumps = version.tally.jumps  # [out, accepted by the target]

    def jump(thread):
        reached[index] += 1
        instance = thread.instance
        accepted = rt.entries.jump_in(rt.families[target], instance.profile_id,
                                      instance.profile, thread.event)
        jumps[0] += 1
        jumps[1] += accepted
        if record is not None:
            record(r.Jump(clock.now, version.name, version.version, instance.profile_id,
                          instance.number, node_id, target, accepted))
        return k(thread)

    return jump


STATEMENTS = {n.If: compile_if, n.Jump: compile_jump, n.Split: compile_split, n.Wait: compile_wait,
              n.WaitUntil: compile_wait_until, n.Let: compile_let, n.Exit: compile_exit}
