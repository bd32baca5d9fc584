"""Statements compiled for a population (a campaign's, docs/campaigns.md): each statement runs
for every member of the population that reaches it, at one instant, then hands the members
that go on to what follows as one population.

A population step wraps the statement's own compiled step (compiler.py: one meaning per
statement): the step runs for each member with a continuation that gathers the member
instead of running on, and the gathered population goes on together. Nested blocks (an
`if`'s arms, a `split`'s, an `on error`) gather their own population, which goes through
its block and then on. A wait parks the population, not each member: the members that wait
until one instant resume together. `fork` and `join` have their population meaning in
rendezvous.py; the set activities (`keep where`, `exclude`, `intersect`, `save audience`)
are here.

Every population is *uniform*: its members come from one execution and head for the same
join as the same branch (or for none), so what is counted per population is counted right."""

from __future__ import annotations

from .. import nodes as n
from . import records as r
from .clock import RESUME
from .compiler import STATEMENTS, Compiler, backwards
from .rendezvous import alive, compile_rendezvous


def key_of(thread) -> tuple:
    """What makes populations uniform: the execution, and the join the member heads for."""
    return thread.instance.number, id(thread.join), thread.branch


def grouped(members: list) -> list[list]:
    """Members that arrived on their own, as uniform populations, in the order they came."""
    groups: dict = {}
    for thread in members:
        groups.setdefault(key_of(thread), []).append(thread)
    return list(groups.values())


class Step:
    """One statement for a population: `go(population)`."""

    __slots__ = ("per", "gathers", "running", "activity")

    def __init__(self, activity):
        self.per = None  # the statement's own step, for one member
        self.gathers: list[Gather] = []  # where its members go on: its blocks, then after it
        self.running = False
        self.activity = activity

    def go(self, population: list, run) -> None:
        population = alive(population)
        if not population:
            return
        self.activity(population)
        per = self.per
        self.running = True
        try:
            for thread in population:
                run(per, thread)
        finally:
            self.running = False
        for gather in self.gathers:
            gather.flush()


class Gather:
    """The members a statement hands to one way on (`then`): gathered while the statement runs
    for its population and handed on together after; a member arriving on its own later (a
    throttled call's) goes on with the others that arrive at that instant."""

    __slots__ = ("members", "then", "step", "clock")

    def __init__(self, then, step: Step, clock):
        self.members: list = []
        self.then = then
        self.step = step
        self.clock = clock

    def __call__(self, thread) -> None:
        self.members.append(thread)
        if not self.step.running and len(self.members) == 1:
            self.clock.push(self.clock.now, RESUME, self.late, None)

    def flush(self) -> None:
        members = self.members
        if members:
            self.members = []
            self.then(members)

    def late(self, _) -> None:
        members, self.members = self.members, []
        for population in grouped(members):
            self.then(population)


class Parked:
    """The populations waiting in one wait statement, each until its instant: one timer per
    population, not per member."""

    __slots__ = ("clock", "resumed", "then", "bins")

    def __init__(self, clock, resumed, then):
        self.clock = clock
        self.resumed = resumed  # records each member's resume
        self.then = then
        self.bins: dict[tuple, list] = {}

    def add(self, when: int, thread) -> None:
        key = (when, *key_of(thread))
        members = self.bins.get(key)
        if members is None:
            members = self.bins[key] = []
            self.clock.push(when, RESUME, self.fire, key)
        members.append(thread)

    def fire(self, key) -> None:
        population = alive(self.bins.pop(key))
        if population:
            self.resumed(population)
            self.then(population)

    def waiting(self) -> list:
        """The members parked here, as a statement's timers give them (tally.waiting)."""
        return [thread for members in self.bins.values() for thread in members]


class PopulationCompiler(Compiler):
    """Compiles a campaign's statements for populations; `executions` are the campaign's, by
    number, each counting the population that reaches each statement."""

    def __init__(self, services, version, executions):
        super().__init__(services, version)
        self.executions = executions
        self.needs_timeouts = True  # each member of an execution has its timer (campaigns.py)
        self.then = None  # what follows the statement being compiled
        self.step: Step | None = None

    def body(self, statements):
        return self.population_block(statements, self.ended)

    def ended(self, population: list) -> None:
        end_thread = self.rt.instances.end_thread
        for thread in population:
            end_thread(thread)

    def population_block(self, statements, then):
        for statement, join in backwards(statements):
            if isinstance(statement, n.Fork):
                then = compile_rendezvous(self, statement, join, then)
            elif isinstance(statement, n.SaveAudience):
                then = compile_save(self, statement, then)
            else:
                then = self.population_step(statement, then)
        return then

    def population_step(self, statement, then):
        step = Step(None)
        saved = self.then, self.step
        self.then, self.step = then, step
        out = Gather(then, step, self.rt.clock)
        index = len(self.statements)  # the statement's, as its compile function reaches it
        kind = type(statement)
        step.per = (POPULATION_STATEMENTS.get(kind) or STATEMENTS[kind])(self, statement, out)
        step.gathers.append(out)  # after the blocks' populations
        self.then, self.step = saved
        step.activity = self.activity(index, statement)
        run = self.rt.instances.run
        return lambda population: step.go(population, run)

    def activity(self, index: int, statement):
        """What a population reaching statement `index` does first: it is counted, per
        execution, and recorded (`activity`)."""
        executions, record, clock = self.executions, self.rt.record, self.rt.clock
        name, node_id = self.version.name, str(statement.span)

        def arrive(population: list) -> None:
            number = population[0].instance.number
            executions[number].reached[index] += len(population)
            if record is not None:
                record(r.Activity(clock.now, name, 0, "", number, node_id, len(population)))

        return arrive

    def block(self, statements, k):
        """A nested block of the statement being compiled: its members gather and go through
        the block together, then on to what follows the statement."""
        if not statements:
            return k
        gather = Gather(self.population_block(statements, self.then), self.step, self.rt.clock)
        self.step.gathers.append(gather)
        return gather

    def resumer(self, index: int, node_id: str, k, in_order: bool):
        record, version, clock = self.rt.record, self.version, self.rt.clock

        def resumed(population: list) -> None:
            if record is not None:
                for thread in population:
                    instance = thread.instance
                    record(r.Resume(clock.now, version.name, 0, instance.profile_id,
                                    instance.number, node_id))

        parked = Parked(clock, resumed, self.then)
        version.tally.parked.append((index, parked))
        return parked


# ---- set activities ----------------------------------------------------------------------


def compile_keep(c, node: n.Keep, k):
    reached, index, node_id = c.reach(node)
    condition, end_thread = c.guarded(node_id, node.condition), c.rt.instances.end_thread

    def keep(thread):
        reached[index] += 1
        return k(thread) if condition(thread) is True else end_thread(thread)

    return keep


def compile_membership(c, node, k):
    """`exclude audience NAME` (the members go on unless in it) and `intersect audience NAME`
    (only if in it)."""
    reached, index, node_id = c.reach(node)
    contains, name = c.rt.audiences.contains, node.audience.name
    wanted, end_thread = isinstance(node, n.IntersectAudience), c.rt.instances.end_thread

    def membership(thread):
        reached[index] += 1
        return k(thread) if contains(name, thread) is wanted else end_thread(thread)

    return membership


def compile_save(c: PopulationCompiler, node: n.SaveAudience, then):
    """`save audience NAME [append]`: the first population of an execution to get here replaces
    the audience (or, with `append`, adds to it); the later ones of the execution add to it."""
    reached, index, node_id = c.reach(node)
    audiences, name, append = c.rt.audiences, node.audience.name, node.append
    activity = c.activity(index, node)
    saved_by: set[int] = set()  # the executions that have saved here

    def save(population: list) -> None:
        population = alive(population)
        if not population:
            return
        activity(population)
        reached[index] += len(population)
        number = population[0].instance.number
        audiences.save(name, [thread.instance.profile_id for thread in population],
                       append or number in saved_by)
        saved_by.add(number)
        then(population)

    return save


POPULATION_STATEMENTS = {n.Keep: compile_keep, n.ExcludeAudience: compile_membership,
                         n.IntersectAudience: compile_membership}
