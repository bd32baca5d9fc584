"""Orchestrated campaigns in a run (docs/campaigns.md): each audience read is one execution,
whose members move together, as populations, through the campaign's statements
(populations.py), and whose saved audiences feed later executions, other campaigns and
journeys."""

from __future__ import annotations

from ..core.instants import LAST_INSTANT
from . import records as r
from .instances import Member, Thread
from .populations import PopulationCompiler
from .rendezvous import Participant
from .versions import Version


class Execution:
    """One read of a campaign: when, how many members it read and let in (the held-out ones
    are not), the population that reached each statement, and each join's firing
    (statement index, instant, members handed on)."""

    __slots__ = ("number", "at", "read", "entered", "holdouts", "reached", "joins", "members")

    def __init__(self, number: int, at: int, read: int, statements: int):
        self.number = number
        self.at = at
        self.read = read
        self.entered = self.holdouts = 0
        self.reached = [0] * statements
        self.joins: list[tuple[int, int, int]] = []
        self.members: list[Participant] = []


class CampaignRun:
    """One campaign in a run: its statements compiled for populations, its executions."""

    def __init__(self, services, node, entries, profiles, outside):
        self.name = node.name
        self.executions: dict[int, Execution] = {}
        self.version = Version(services, node, lambda services, version: PopulationCompiler(
            services, version, self.executions))
        self.newest = self.version  # what reading an audience asks of a journey's family
        self.entries, self.profiles, self.outside = entries, profiles, outside
        self.clock, self.record = services.clock, services.record
        self.instances = services.instances
        self.member = Member()  # no re-entry rules: every execution's members stand alone
        self.stopped = False

    def schedule(self) -> None:
        self.entries.schedule_reads(self, self.execute)

    def execute(self, _family, _rate) -> None:
        """A read: one execution over the members read now, all of them at this instant."""
        if self.stopped:
            return
        version, clock, record = self.version, self.clock, self.record
        tally, now = version.tally, clock.now
        entries = self.entries
        members = entries.audiences.members(version.entry.audience.name, self.profiles,
                                            entries.unknown)
        number = len(self.executions) + 1
        execution = self.executions[number] = Execution(number, now, len(members),
                                                        len(version.statements))
        deadline = min(now + version.timeout, LAST_INSTANT)
        population = []
        for profile_id in members:
            if version.holdout:
                held_out = (self.outside.fraction("holdout", self.name, profile_id)
                            < version.holdout)
                tally.lift.entered(profile_id, held_out)
                if held_out:
                    tally.holdouts += 1
                    execution.holdouts += 1
                    if record is not None:
                        record(r.Holdout(now, self.name, 0, profile_id, number, version.entry_id))
                    continue
            instance = Participant(number, version, self.profiles[profile_id], profile_id,
                                   self.member, deadline)
            execution.members.append(instance)
            version.timeouts.add(instance)  # (a campaign's compiler always asks for them)
            if record is not None:
                record(r.Enter(now, self.name, 0, profile_id, number, version.entry_id))
            population.append(Thread(instance, None, None))
        execution.entered = len(population)
        tally.entries += len(population)
        if population:
            if tally.first_entry is None:
                tally.first_entry = now
            tally.last_entry = now
            version.start(population)

    def stop(self) -> None:
        """A lifecycle step `stop`: the executions in flight end, and no read runs again."""
        self.stopped = True
        for execution in self.executions.values():
            for instance in execution.members:
                if not instance.ended:
                    self.instances.finish(instance, "stopped", self.version.node_id)

    def in_flight(self) -> list:
        return [instance for execution in self.executions.values()
                for instance in execution.members if not instance.ended]
