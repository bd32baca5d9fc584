"""`fork` and `join` for a population (a campaign's And-join, docs/campaigns.md): the fork
gives every branch the members that pass its `when`; the join waits until every branch it
names has finished for its whole population (a branch nobody took finishes at once, a member
whose path ended on the way counts as finished), then hands on the members that arrived
through the primary branch, or, without `primary`, every member that arrived, once. The
join's instant is the latest branch's finish."""

from __future__ import annotations

from .. import nodes as n
from . import records as r
from .instances import Instance, StepError, Thread


def alive(population: list) -> list:
    """The members whose path goes on: those whose instance has ended meanwhile drop out (their
    joins were told when it ended)."""
    for thread in population:
        if thread.instance.ended:
            return [thread for thread in population if not thread.instance.ended]
    return population


class Participant(Instance):
    """A campaign member in one execution; `threads` are its threads that were out in a
    branch of a join, so that the joins stop waiting for them if the member's path ends."""

    __slots__ = ("threads",)

    def __init__(self, *arguments):
        super().__init__(*arguments)
        self.threads: list = []

    def left(self) -> None:
        """The member's path has ended: each join one of its threads was heading for has one
        fewer to wait for."""
        for thread in self.threads:
            join = thread.join
            if join is not None:
                thread.join = None
                join.lose(thread.branch, self)
        self.threads = []


class Rendezvous:
    """One join for one population that reached its fork: per named branch, the members still
    out in it and those that arrived; `outer` is the join the fork itself heads for (as branch
    `outer_branch`), to which `incoming` members were out when they reached the fork."""

    __slots__ = ("out", "arrivals", "launching", "fired", "decide", "outer", "outer_branch",
                 "incoming", "execution")

    def __init__(self, branches: int, decide, outer, outer_branch, incoming, execution):
        self.out = [0] * branches
        self.arrivals: list[list] = [[] for _ in range(branches)]
        self.launching = True
        self.fired = False
        self.decide = decide
        self.outer, self.outer_branch = outer, outer_branch
        self.incoming = incoming
        self.execution = execution

    def lose(self, branch: int, instance=None, count: int = 1) -> None:
        self.out[branch] -= count
        self.check()

    def arrive(self, branch: int, population: list) -> None:
        for thread in population:
            thread.join = None
        self.arrivals[branch].extend(population)
        self.out[branch] -= len(population)
        self.check()

    def arrived(self) -> bool:
        """Some member has arrived and waits for the rest (tally.waiting)."""
        return any(self.arrivals)

    def check(self) -> None:
        if not self.launching and not self.fired and not any(self.out):
            self.fired = True
            self.decide(self)


def compile_rendezvous(c, node: n.Fork, join: n.Join | None, then):
    reached, index, node_id = c.reach(node)
    started = c.version.tally.ways_out(index, len(node.branches))
    arrive_at_fork = c.activity(index, node)
    rt, version, executions = c.rt, c.version, c.executions
    end_thread, fail = rt.instances.end_thread, rt.instances.fail
    clock, record = rt.clock, rt.record
    named = [ident.name for ident in join.branches] if join else []
    primary = named.index(join.primary.name) if join and join.primary else None
    if join is not None:
        join_reached, join_index, join_id = c.reach(join)
        arrive_at_join = c.activity(join_index, join)
    whens, slots, bodies = [], [], []
    for branch in node.branches:
        name = branch.name.name
        whens.append(c.optional(node_id, branch.when))
        slot = named.index(name) if name in named else None
        slots.append(slot)
        bodies.append(c.population_block(branch.body, _arrival(slot) if slot is not None
                                         else c.ended))

    def decide(state: Rendezvous) -> None:
        arrivals = [alive(members) for members in state.arrivals]
        if primary is not None:
            passing = arrivals[primary]
            others = [t for slot, members in enumerate(arrivals) if slot != primary for t in members]
        else:
            passing, others, seen = [], [], set()
            for members in arrivals:
                for thread in members:
                    if thread.instance in seen:
                        others.append(thread)
                    else:
                        seen.add(thread.instance)
                        passing.append(thread)
        for thread in others:  # the member goes on through another branch, or not at all
            end_thread(thread)
        passing = alive(passing)
        executions[state.execution].joins.append((join_index, clock.now, len(passing)))
        outer = state.outer
        if outer is not None:
            for thread in passing:
                thread.join, thread.branch = outer, state.outer_branch
                thread.instance.threads.append(thread)
            if state.incoming > len(passing):
                outer.lose(state.outer_branch, None, state.incoming - len(passing))
        if not passing:
            return
        join_reached[join_index] += len(passing)
        arrive_at_join(passing)
        if record is not None:
            for thread in passing:
                instance = thread.instance
                record(r.Join(clock.now, version.name, 0, instance.profile_id, instance.number,
                              join_id))
        then(passing)

    if join is not None:
        version.tally.joins[decide] = join_index  # who waits at the join, when the run is over

    def fork(population: list) -> None:
        population = alive(population)
        if not population:
            return
        arrive_at_fork(population)
        reached[index] += len(population)
        outer, outer_branch = population[0].join, population[0].branch
        execution = population[0].instance.number
        state = None
        if join is not None:
            state = Rendezvous(len(named), decide, outer, outer_branch, len(population), execution)
        elif outer is not None:  # nothing after an unjoined fork: it never reaches `outer`
            outer.lose(outer_branch, None, len(population))
        parts: list[list] = [[] for _ in bodies]
        for thread in population:
            thread.join = None  # its way to `outer` is counted by this fork's join
            instance = thread.instance
            try:
                taken = [number for number, when in enumerate(whens)
                         if when is None or when(thread) is True]
            except StepError as error:
                fail(instance, error.node_id, str(error))
                continue
            if not taken:
                end_thread(thread)
                continue
            for order, number in enumerate(taken):
                if order:  # a thread of its own, with its own copy of the `let` bindings
                    instance.live += 1
                    scope = thread.scope
                    member = Thread(instance, dict(scope) if scope else None, thread.event)
                else:
                    member = thread
                started[number] += 1
                slot = slots[number]
                if slot is not None:
                    member.join, member.branch = state, slot
                    state.out[slot] += 1
                    instance.threads.append(member)
                parts[number].append(member)
        for body, part in zip(bodies, parts):
            if part:
                body(part)
        if state is not None:
            state.launching = False
            state.check()

    return fork


def _arrival(slot: int):
    """The end of a named branch: its population arrives at the join."""

    def arrive(population: list) -> None:
        population[0].join.arrive(slot, population)

    return arrive
