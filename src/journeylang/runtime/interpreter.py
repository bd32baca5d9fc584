"""Statements compiled once per journey version into continuation closures `step(path)`.

A step does its statement's work and calls the next step; a wait schedules the next step on
the clock and returns. Each statement class's meaning lives in one compile function below."""

from __future__ import annotations

import datetime

from .. import nodes as n
from .expressions import Context, compile_expression, may_fail
from ..core.instants import format_instant, local_to_instant, next_local_time, to_instant
from ..core.values import JourneyRuntimeError, to_json


class StepError(Exception):
    """A runtime error inside a statement, with the statement it happened in."""

    def __init__(self, node_id: str, error: Exception):
        self.node_id = node_id
        super().__init__(str(error))


class Path:
    """One thread of an instance: its `let` bindings and the event it sees."""

    __slots__ = ("instance", "scope", "event", "join")

    def __init__(self, instance, scope, event, join=None):
        self.instance = instance
        self.scope = scope
        self.event = event
        self.join = join  # the _JoinState of the innermost join this path must arrive at


class _JoinState:
    """A fork's join for one instance: how many named branches are still out, the path that
    continues, how to resolve the join, and the join the fork itself is inside."""

    __slots__ = ("remaining", "chosen", "launching", "resolve", "outer")

    def __init__(self, remaining: int, resolve, outer):
        self.remaining = remaining
        self.resolve = resolve
        self.outer = outer
        self.chosen = None
        self.launching = True  # every branch starts before what follows the join runs


class Compiler:
    """Compiles one journey version's statements against a simulation's services."""

    def __init__(self, sim, journey, zone):
        self.sim = sim
        self.journey = journey
        self.zone = zone
        self.ctx = Context(sim, zone)
        self.nodes: list[tuple[str, n.Node]] = []   # (node id, statement) in source order

    def expression(self, node):
        return compile_expression(node, self.ctx)

    def node_index(self, node) -> tuple[int, str]:
        node_id = str(node.span)
        self.nodes.append((node_id, node))
        return len(self.nodes) - 1, node_id

    def block(self, statements, k):
        """The step that runs `statements` and then `k`."""
        statements = list(statements)
        for index in range(len(statements) - 1, -1, -1):
            statement = statements[index]
            if isinstance(statement, n.Join):
                continue  # compiled with the fork before it
            if isinstance(statement, n.Fork):
                join = statements[index + 1] if index + 1 < len(statements) else None
                if isinstance(join, n.Join):
                    k = _fork(self, statement, join, k)
                else:
                    k = _fork(self, statement, None, self.sim.end_path)
                continue
            k = _STATEMENTS[type(statement)](self, statement, k)
        return k

    # ---- helpers -------------------------------------------------------------------------

    def guarded(self, node_id, expression):
        """An expression compiled so that its errors name the statement they happened in
        (an expression that cannot fail is left as it is: no wrapper on the hot path)."""
        value = self.expression(expression)
        if not may_fail(expression):
            return value

        def evaluate(path):
            try:
                return value(path)
            except JourneyRuntimeError as error:
                raise StepError(node_id, error) from None
        return evaluate

    def reach(self, node):
        index, node_id = self.node_index(node)
        return self.sim.reach_counter(self.journey, index), node_id


def _send(c: Compiler, node: n.Send, k):
    (reached, index), node_id = c.reach(node)
    sim, channel, message = c.sim, node.channel, node.message
    data = c.guarded(node_id, node.data) if node.data else None
    exit_when = c.sim.exit_when(c.journey)
    counts = sim.send_counter(c.journey, channel, message)  # [sent, suppressed]
    behaviours = sim.behaviours_for(channel, message)
    tracing = sim.trace is not None

    if exit_when is None and not behaviours and not tracing:
        def send_quietly(path):  # the same as send below when there is nothing else to do
            reached[index] += 1
            consent = path.instance.profile.get("consent")
            if consent is not None and isinstance(consent, dict) and consent.get(channel) is False:
                counts[1] += 1
            else:
                counts[0] += 1
            return k(path)

        return send_quietly

    def send(path):
        reached[index] += 1
        instance = path.instance
        if exit_when is not None and exit_when(path):
            return sim.finish(instance, "exit_criteria", node_id)
        consent = instance.profile.get("consent")
        if isinstance(consent, dict) and consent.get(channel) is False:
            counts[1] += 1
            if tracing:
                sim.record("suppress", instance, node_id, channel=channel, message=message)
        else:
            counts[0] += 1
            if tracing:
                payload = data(path) if data is not None else {}
                sim.record("send", instance, node_id, channel=channel, message=message,
                           data=to_json(payload))
            if behaviours:
                sim.react(instance, node_id, behaviours)
        return k(path)

    return send


def _call(c: Compiler, node: n.CallAction, k):
    (reached, index), node_id = c.reach(node)
    sim, action = c.sim, node.action.name
    data = c.guarded(node_id, node.data) if node.data else None
    exit_when = sim.exit_when(c.journey)
    on_error = c.block(node.on_error, k) if node.on_error is not None else sim.end_path
    failure = sim.call_failure(action)

    def call(path):
        reached[index] += 1
        instance = path.instance
        if exit_when is not None and exit_when(path):
            return sim.finish(instance, "exit_criteria", node_id)
        ok = failure is None or not sim.draw_fails(failure, action, instance, node_id)
        if sim.trace is not None:
            payload = data(path) if data is not None else {}
            sim.record("call", instance, node_id, action=action, data=to_json(payload), ok=ok)
        return k(path) if ok else on_error(path)

    return call


def _if(c: Compiler, node: n.If, k):
    (reached, index), node_id = c.reach(node)
    arms = [(c.guarded(node_id, arm.condition), c.block(arm.body, k))
            for arm in node.arms]
    orelse = c.block(node.orelse, k) if node.orelse is not None else k
    if len(arms) == 1:
        (condition, then), = arms

        def if_single(path):
            reached[index] += 1
            return then(path) if condition(path) is True else orelse(path)

        return if_single

    def if_chain(path):
        reached[index] += 1
        for condition, then in arms:
            if condition(path) is True:
                return then(path)
        return orelse(path)

    return if_chain


def _split(c: Compiler, node: n.Split, k):
    (reached, index), node_id = c.reach(node)
    sim, journey = c.sim, c.journey
    bounds, total = [], 0.0
    for arm in node.arms:
        total += arm.percent
        bounds.append((total / 100.0, c.block(arm.body, k)))

    def split(path):
        reached[index] += 1
        draw = sim.fraction("split", journey.name, node_id, path.instance.profile_id)
        for bound, arm in bounds:
            if draw < bound:
                return arm(path)
        return k(path)

    return split


def _wait(c: Compiler, node: n.Wait, k):
    (reached, index), node_id = c.reach(node)
    sim, seconds = c.sim, int(node.duration.total_seconds())
    add = sim.resume_timers(node_id, k, in_order=True).add
    tracing = sim.trace is not None

    def wait(path):
        reached[index] += 1
        when = sim.now + seconds
        if tracing:
            sim.record("wait", path.instance, node_id, until=format_instant(when))
        if when > path.instance.deadline:
            return sim.schedule_timeout(path.instance)
        return add(when, path)

    return wait


def _wait_until(c: Compiler, node: n.WaitUntil, k):
    (reached, index), node_id = c.reach(node)
    sim, zone = c.sim, c.zone
    target = c.guarded(node_id, node.target)
    timers = sim.resume_timers(node_id, k, in_order=False)

    def instant_of(value):
        if isinstance(value, datetime.datetime):
            return to_instant(value if value.tzinfo else value.replace(tzinfo=zone))
        if isinstance(value, datetime.date):
            return local_to_instant(datetime.datetime.combine(value, datetime.time()), zone)
        if isinstance(value, datetime.time):
            return next_local_time(sim.now, value, zone)
        raise StepError(node_id, JourneyRuntimeError(
            f"`wait until` needs a date-time, a date or a time of day, found {value!r}"))

    def wait_until(path):
        reached[index] += 1
        when = instant_of(target(path))
        if when <= sim.now:
            return k(path)
        return sim.wait(path, when, node_id, timers)

    return wait_until


def _wait_for(c: Compiler, node: n.WaitForEvent, k):
    (reached, index), node_id = c.reach(node)
    sim = c.sim
    where = c.guarded(node_id, node.where) if node.where is not None else None
    within = int(node.within.total_seconds()) if node.within is not None else None
    on_event = c.block(node.body, k) if node.body is not None else k
    on_timeout = c.block(node.on_timeout, k) if node.on_timeout is not None else k
    event_name = node.event.name
    timers = sim.deadline_timers()

    def wait_for(path):
        reached[index] += 1
        deadline = None if within is None else sim.now + within
        return sim.wait_for_event(path, event_name, where, deadline, node_id, on_event, on_timeout,
                                  timers)

    return wait_for


def _let(c: Compiler, node: n.Let, k):
    (reached, index), node_id = c.reach(node)
    name, sim = node.name.name, c.sim
    if isinstance(node.value, n.Fetch):
        source = node.value.source.name
        data = c.guarded(node_id, node.value.data) if node.value.data else None
        value = lambda path: sim.fetch(source, data(path) if data else {})  # noqa: E731
    else:
        value = c.guarded(node_id, node.value)

    def let(path):
        reached[index] += 1
        scope = path.scope
        if scope is None:
            scope = path.scope = {}
        scope[name] = value(path)
        return k(path)

    return let


def _set(c: Compiler, node: n.SetProfile, k):
    (reached, index), node_id = c.reach(node)
    sim, names = c.sim, node.path
    value = c.guarded(node_id, node.value)
    exit_when = sim.exit_when(c.journey)
    dotted = "profile." + ".".join(names)

    def set_profile(path):
        reached[index] += 1
        instance = path.instance
        if exit_when is not None and exit_when(path):
            return sim.finish(instance, "exit_criteria", node_id)
        new = value(path)
        target = instance.profile
        for name in names[:-1]:
            inner = target.get(name)
            if not isinstance(inner, dict):
                inner = target[name] = {}
            target = inner
        target[names[-1]] = new
        if sim.trace is not None:
            sim.record("update", instance, node_id, path=dotted, value=to_json(new))
        return k(path)

    return set_profile


def _exit(c: Compiler, node: n.Exit, k):
    (reached, index), node_id = c.reach(node)
    sim = c.sim

    def exit_(path):
        reached[index] += 1
        return sim.finish(path.instance, "exit", node_id)

    return exit_


def _fork(c: Compiler, node: n.Fork, join: n.Join | None, k):
    (reached, index), node_id = c.reach(node)
    sim = c.sim
    joined = {ident.name for ident in join.branches} if join else set()
    primary = join.primary.name if join and join.primary else None
    join_id = None
    if join is not None:
        (join_reached, join_index), join_id = c.reach(join)

    branches = []
    for position, branch in enumerate(node.branches):
        name = branch.name.name
        when = c.guarded(node_id, branch.when) if branch.when is not None else None
        if name in joined:
            body = c.block(branch.body, _arrival(sim, name == primary, primary is None))
        else:
            body = c.block(branch.body, sim.end_path)
        last = position == len(node.branches) - 1
        branches.append((name in joined, when, body, last))
    count = len(joined)
    tracing = sim.trace is not None

    def resolve(state, instance):
        if state.chosen is None:
            return sim.end_token(instance)
        join_reached[join_index] += 1
        if tracing:
            sim.record("join", instance, join_id)
        return k(state.chosen)

    def fork(path):
        reached[index] += 1
        instance = path.instance
        outer = path.join
        state = _JoinState(count, resolve, outer) if count else None
        if state is not None:
            instance.live += 1  # the join's continuation, released when the join resolves
        handed_on = False
        for is_joined, when, body, last in branches:
            if instance.ended:
                break
            if when is not None and when(path) is not True:
                if is_joined:
                    state.remaining -= 1
                continue
            if last:  # the forking path itself goes down the last branch
                path.join = state if is_joined else outer
                handed_on = True
                body(path)
            else:  # a path of its own, with its own copy of the `let` bindings
                instance.live += 1
                scope = path.scope
                body(Path(instance, dict(scope) if scope else None, path.event,
                          state if is_joined else outer))
        if state is not None:
            state.launching = False
            if state.remaining == 0 and not instance.ended:
                resolve(state, instance)
        if not handed_on:
            return sim.end_path(path)
        return None

    return fork


def _arrival(sim, is_primary: bool, first_wins: bool):
    """The end of a joined branch: counts the branch in and resolves the join when it is the
    last. The path that continues is the primary branch's, or without one the first to arrive."""

    def arrive(path):
        state = path.join
        path.join = state.outer
        instance = path.instance
        if is_primary or (first_wins and state.chosen is None):
            state.chosen = path
        state.remaining -= 1
        instance.live -= 1  # this path ends here; never the last, as the join holds one
        if state.remaining == 0 and not state.launching and not instance.ended:
            return state.resolve(state, instance)
        return None

    return arrive


_STATEMENTS = {
    n.Send: _send,
    n.CallAction: _call,
    n.If: _if,
    n.Split: _split,
    n.Wait: _wait,
    n.WaitUntil: _wait_until,
    n.WaitForEvent: _wait_for,
    n.Let: _let,
    n.SetProfile: _set,
    n.Exit: _exit,
}

