"""`fork` and its `join`: the threads a fork starts, and a join that knows, for each branch it
names, whether it arrived, was skipped or can no longer arrive, and decides once none is out.

Every thread heads for at most one join (the innermost one it can still reach) as one branch
of it. A thread that ends on the way (a failed `call` without `on error`, the end of a branch
of an unjoined fork) tells its join that its branch can no longer arrive; an inner join that
lets nothing through does the same for the branch it is in. Threads that cannot reach any
join (branches the join does not name, an unjoined fork) head for none."""

from __future__ import annotations

from .. import nodes as n
from . import records as r

SETTLED, ARRIVED = 1, 2  # how a branch is settled


class JoinState:
    """One fork's join in one instance: which named branches are still out and which arrived
    (bit masks, branch i's bit `1 << i`), the thread that goes on (the primary branch's, or
    without one the first to arrive), and the join this fork is itself inside (`outer`, as
    branch `outer_branch`)."""

    __slots__ = ("pending", "arrivals", "chosen", "launching", "decide", "outer", "outer_branch")

    def __init__(self, branches: int, decide, outer, outer_branch):
        self.pending = (1 << branches) - 1
        self.arrivals = 0
        self.chosen = None
        self.launching = True  # every branch starts before what follows the join runs
        self.decide = decide
        self.outer = outer
        self.outer_branch = outer_branch

    def settle(self, branch: int, instance, how: int = SETTLED) -> None:
        bit = 1 << branch
        if self.pending & bit:
            self.pending ^= bit
            if how == ARRIVED:
                self.arrivals |= bit
            if not self.pending and not self.launching and not instance.ended:
                self.decide(self, instance)

    lose = settle  # a branch that can no longer arrive is settled like one that was skipped

    def arrived(self) -> bool:
        """Some branch has arrived here (and, the join being undecided, waits for the rest)."""
        return bool(self.arrivals)


def compile_fork(c, node: n.Fork, join: n.Join | None, k):
    reached, index, node_id = c.reach(node)
    started = c.version.tally.ways_out(index, len(node.branches))  # per branch, not skipped
    rt = c.rt
    end_thread, release = rt.instances.end_thread, rt.instances.release
    named = [ident.name for ident in join.branches] if join else []
    width = len(named)
    primary = join.primary.name if join and join.primary else None
    if join is not None:
        join_reached, join_index, join_id = c.reach(join)
    clock, record, version = rt.clock, rt.record, c.version

    branches = []
    for branch in node.branches:
        name = branch.name.name
        when = c.optional(node_id, branch.when)
        if name in named:
            slot = named.index(name)
            body = c.block(branch.body, _arrival(slot, name == primary, primary is None))
        else:
            slot = None
            body = c.block(branch.body, end_thread)
        branches.append((slot, when, body, branch is node.branches[-1], len(branches)))

    def decide(state, instance):
        chosen = state.chosen
        if chosen is None:  # nothing goes on from this join
            if state.outer is not None:
                state.outer.lose(state.outer_branch, instance)
            return release(instance)
        chosen.join, chosen.branch = state.outer, state.outer_branch
        join_reached[join_index] += 1
        if record is not None:
            record(r.Join(clock.now, version.name, version.version, instance.profile_id,
                          instance.number, join_id))
        return k(chosen)

    if join is not None:
        c.version.tally.joins[decide] = join_index  # who waits at the join, when the run is over

    def fork(thread):
        reached[index] += 1
        instance = thread.instance
        outer, outer_branch = thread.join, thread.branch
        thread.join = None
        state = None
        if join is not None:  # the threads of named branches head for this join
            state = JoinState(width, decide, outer, outer_branch)
            instance.live += 1  # the join's own hold on the instance, until it decides
        handed_on = False
        for slot, when, body, last, number in branches:
            if instance.ended:
                break
            if when is not None and when(thread) is not True:
                if slot is not None:
                    state.settle(slot, instance)  # skipped
                continue
            started[number] += 1
            heading = state if slot is not None else None
            if last:  # the forking thread itself goes down the last branch
                thread.join, thread.branch = heading, slot
                handed_on = True
                body(thread)
            else:  # a thread of its own, with its own copy of the `let` bindings
                instance.live += 1
                scope = thread.scope
                body(type(thread)(instance, dict(scope) if scope else None, thread.event,
                                  heading, slot))
        if state is not None:
            state.launching = False
            if not state.pending and not instance.ended:
                decide(state, instance)
        elif outer is not None:  # nothing after an unjoined fork: it never reaches `outer`
            outer.lose(outer_branch, instance)
        if not handed_on:
            return end_thread(thread)
        return None

    return fork


def _arrival(slot: int, is_primary: bool, first_wins: bool):
    """The end of a named branch: the branch has arrived; the join decides when it was the
    last one out."""

    def arrive(thread):
        state = thread.join
        thread.join = None
        instance = thread.instance
        if is_primary or (first_wins and state.chosen is None):
            state.chosen = thread
        instance.live -= 1  # this thread stops here; never the last, as the join holds one
        state.settle(slot, instance, ARRIVED)

    return arrive
