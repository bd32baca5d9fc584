"""Instances and their threads: one profile's way through one journey version, the threads a
fork starts in it, and how an instance ends (once, with one reason, at its end or timeout)."""

from __future__ import annotations

from ..core.values import JourneyRuntimeError
from . import records as r


class Instance:
    """One profile in one version: compact, as a million may be in flight. `live` counts its
    running threads and its undecided joins; it ends when that reaches 0, or before.

    `member` is the profile's standing in the journey (a Member), or None in a journey no
    profile enters twice: there the instance stands for itself in the family's members while
    it runs (it is its own `instance`), and one shared Member once it has ended
    (Version.settled), so that no Member is made per profile."""

    __slots__ = ("number", "ordinal", "journey", "profile", "profile_id", "member", "live",
                 "ended", "deadline", "waiters")

    def __init__(self, number, journey, profile, profile_id, member, deadline):
        self.number = number  # in the order of entry into any journey: the trace's `instance`
        # the profile's how-manieth in this journey: the draws'
        self.ordinal = member.entries if member is not None else 1
        self.journey = journey
        self.profile = profile
        self.profile_id = profile_id
        self.member = member
        self.live = 1
        self.ended = False
        self.deadline = deadline  # its journey timeout: entry + timeout
        self.waiters = None  # its paths waiting for an event (`wait for event`)

    @property
    def instance(self):
        """As a standing in its journey's members: the profile is in this instance."""
        return self


class Member:
    """A profile's standing in one journey: the instance it is in, if any (never two at once),
    when it last entered (for the re-entry rules) and how many instances it has had."""

    __slots__ = ("instance", "entered", "entries")

    def __init__(self):
        self.instance = None
        self.entered = None
        self.entries = 0


class Thread:
    """One thread of an instance: its `let` bindings, the event it sees, and the join it is
    heading for (`join`, with its branch there), if any."""

    __slots__ = ("instance", "scope", "event", "join", "branch")

    def __init__(self, instance, scope, event, join=None, branch=0):
        self.instance = instance
        self.scope = scope
        self.event = event
        self.join = join
        self.branch = branch


class StepError(Exception):
    """A runtime error inside a statement, with the statement it happened in."""

    def __init__(self, node_id: str, error: Exception):
        self.node_id = node_id
        super().__init__(str(error))


class Instances:
    """Ending threads and instances; what a compiled statement calls when its path stops."""

    def __init__(self, clock, record):
        self.clock = clock
        self.record = record

    def end_thread(self, thread) -> None:
        """A thread has run to its end. A join it was heading for no longer waits for it."""
        instance = thread.instance
        instance.live -= 1
        join = thread.join
        if join is not None:
            thread.join = None
            join.lose(thread.branch, instance)
        if instance.live == 0 and not instance.ended:
            self.finish(instance, "end", instance.journey.node_id)

    def release(self, instance) -> None:
        """An undecided join of `instance` has decided that nothing goes on from it."""
        instance.live -= 1
        if instance.live == 0 and not instance.ended:
            self.finish(instance, "end", instance.journey.node_id)

    def finish(self, instance, reason: str, node_id: str) -> None:
        """End `instance` at once, all its threads (the first reason wins)."""
        if instance.ended:
            return
        instance.ended = True
        version = instance.journey
        version.tally.exits[reason] += 1
        member = instance.member
        if member is None:  # it stood for itself in a journey that no profile enters twice
            members, done = version.settled
            members[instance.profile_id] = done
        elif member.instance is instance:
            member.instance = None
        if version.timeouts is not None:
            version.timeouts.cancel(instance)
        if type(instance) is not Instance:  # a campaign's member: its joins stop waiting for it
            instance.left()
        if self.record is not None:
            self.record(r.Exit(self.clock.now, version.name, version.version, instance.profile_id,
                               instance.number, node_id, reason))

    def expire(self, instance) -> None:
        """The journey timeout of `instance` has come."""
        if not instance.ended:
            self.finish(instance, "timeout", instance.journey.node_id)

    def run(self, step, thread) -> None:
        """Run a thread's steps until it waits or ends; a runtime error ends its instance."""
        try:
            step(thread)
        except StepError as error:
            self.fail(thread.instance, error.node_id, str(error))
        except JourneyRuntimeError as error:
            self.fail(thread.instance, thread.instance.journey.node_id, str(error))

    def fail(self, instance, node_id: str, message: str) -> None:
        if instance.ended:
            return
        version = instance.journey
        version.tally.error(self.clock.now, node_id, instance.profile_id, message)
        if self.record is not None:
            self.record(r.Error(self.clock.now, version.name, version.version, instance.profile_id,
                                instance.number, node_id, message))
        self.finish(instance, "error", node_id)
