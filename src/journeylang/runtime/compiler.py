"""Statements compiled once per journey version into continuation closures `step(thread)`.

A step does its statement's work and calls the next step; a wait sets a timer for the next
step and returns. Each statement class's meaning lives in one compile function (flow.py,
effects.py, actions.py, forks.py, waiting.py), fast paths included; compiled steps reach the run only
through `Services`."""

from __future__ import annotations

from .. import nodes as n
from ..core.values import JourneyRuntimeError
from . import actions, effects, flow, waiting
from .expressions import LocalClock, compile_expression, may_fail
from .forks import compile_fork
from .instances import StepError


class Services:
    """What compiled statements may use of a run, and nothing more: the clock, the observer
    (None when nobody watches), ending threads and instances, waiting for events, the
    actions' limits, the audiences, the caps across journeys, and what lies outside the journey (data sources, action responses,
    behaviours, the seed's draws); `changed` gathers the ids of the profiles `set profile`
    changed, in a shard (what it hands back, shards.py; None in one process)."""

    __slots__ = ("clock", "record", "instances", "waiting", "actions", "audiences", "caps",
                 "outside", "entries", "families", "changed")

    def __init__(self, clock, record, instances, waiting, actions, audiences, caps, outside,
                 changed: set[str] | None = None):
        self.clock = clock
        self.caps = caps
        self.entries = None  # the run's Entries, and its journeys by name (for `jump`), set
        self.families: dict = {}  # once the journeys are compiled
        self.audiences = audiences
        self.record = record
        self.instances = instances
        self.waiting = waiting
        self.actions = actions
        self.outside = outside
        self.changed = changed


class Compiler:
    """Compiles one journey version's statements; `statements` lists them in compile order,
    each with its counter in the version's tally."""

    def __init__(self, services: Services, version):
        self.rt = services
        self.version = version
        self.zone = version.zone
        self.local = LocalClock(services.clock, version.zone, services.audiences)
        self.statements: list[n.Node] = []
        #: Whether a statement may keep an instance waiting past its journey timeout (`wait
        #: for event`, a throttled `call`: they say so). Only then does each instance need a
        #: timeout timer: every other wait ends its instance when it would end past it.
        self.needs_timeouts = False

    def expression(self, node):
        return compile_expression(node, self.local)

    def guarded(self, node_id: str, expression):
        """An expression compiled so that its errors name the statement they happened in (one
        that cannot fail is left as it is: no wrapper on the hot path)."""
        value = self.expression(expression)
        if not may_fail(expression):
            return value

        def evaluate(thread):
            try:
                return value(thread)
            except JourneyRuntimeError as error:
                raise StepError(node_id, error) from None
        return evaluate

    def optional(self, node_id: str, expression):
        return self.guarded(node_id, expression) if expression is not None else None

    def reach(self, node) -> tuple[list[int], int, str]:
        """The statement's counter (the list and the index in it) and its id, `file:line:col`."""
        self.statements.append(node)
        index = self.version.tally.statement()
        return self.version.tally.reached, index, str(node.span)

    def body(self, statements):
        """The step a new thread of the journey starts at."""
        return self.block(statements, self.rt.instances.end_thread)

    def resumer(self, index: int, node_id: str, k, in_order: bool):
        """The timers of wait statement `index`, resuming each thread at `k`."""
        return flow.resumer(self, index, node_id, k, in_order)

    def block(self, statements, k):
        """The step that runs `statements` and then `k`."""
        for statement, join in backwards(statements):
            if isinstance(statement, n.Fork):
                k = compile_fork(self, statement, join, k)
            else:
                k = STATEMENTS[type(statement)](self, statement, k)
        return k


def backwards(statements):
    """A block's statements from the last to the first, as a block is compiled (each step
    knowing what follows it): each with the `join` right after it when it is a `fork` (else
    None); the joins themselves are compiled with their fork."""
    statements = list(statements)
    for index in range(len(statements) - 1, -1, -1):
        statement = statements[index]
        if isinstance(statement, n.Join):
            continue
        following = statements[index + 1] if index + 1 < len(statements) else None
        yield statement, following if isinstance(following, n.Join) else None


STATEMENTS = {**flow.STATEMENTS, **effects.STATEMENTS, **actions.STATEMENTS, **waiting.STATEMENTS}
