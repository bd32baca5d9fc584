"""Entry into a journey: the entry's `where`, the re-entry rules, the hold-out, and the
audience reads of batch journeys (once, at a time, or every period)."""

from __future__ import annotations

import datetime
import itertools

from .. import nodes as n
from ..core.instants import LAST_INSTANT, TimeError, local_to_instant, to_instant, zone
from ..core.values import JourneyRuntimeError, describe
from . import records as r
from .clock import EVENT
from .expressions import compile_expression
from .audiences import Probe
from .instances import Instance, Member, Thread


RECURRING_READS_FOR = 91 * 86400  # a recurring read's span in a run without an end
READ_RATE = 5000  # members entering per second, when a read does not say


class Entries:
    """Lets profiles into journeys, or rejects them with a reason."""

    def __init__(self, clock, record, instances, outside, profiles, audiences, until, unknown,
                 order=None):
        self.clock = clock
        self.record = record
        self.instances = instances
        self.outside = outside
        self.profiles = profiles
        self.audiences = audiences  # the run's Audiences
        self.until = until
        self.bounded_reads: list[str] = []  # journeys whose reads the 91 days bound
        # journey: (at, members, seconds until its last member enters)
        self.reads: dict[str, list[tuple[int, int, int]]] = {}
        self.unknown = unknown  # told of audience members that are not among the profiles
        self.order = order  # a shard's: a member's place in the whole audience (shards.py)
        self.numbers = itertools.count(1)  # instance numbers, in the order of entry

    def may_enter(self, version, profile_id, profile, data) -> bool:
        """The entry's `where`, on the event and the profile (an error there is counted)."""
        try:
            return version.entry_where(Thread(Probe(profile, profile_id, version), None, data)) is True
        except JourneyRuntimeError as error:
            version.tally.error(self.clock.now, version.entry_id, profile_id, str(error))
            if self.record is not None:
                self.record(r.Error(self.clock.now, version.name, version.version, profile_id,
                                    None, version.entry_id, str(error)))
            return False

    def enter(self, family, profile_id, profile, data) -> bool:
        """Let a profile in, or reject it (recorded in the version it would enter); whether
        it was let in (held out counts as let in)."""
        version = family.live
        if version is None:
            return self._reject(family.newest, profile_id, "closed")
        now = self.clock.now
        members = family.members
        member = members.get(profile_id)
        if member is None:
            if version.settled is None:  # (else the instance stands for itself, below)
                member = members[profile_id] = Member()
        elif member.instance is not None:
            return self._reject(version, profile_id, "active")
        elif member.entered is not None:
            if version.reentry == "never":
                return self._reject(version, profile_id, "reentry")
            if version.reentry == "after" and now - member.entered < version.reentry_period:
                return self._reject(version, profile_id, "wait_period")
        cap = family.entry_cap
        if cap is not None:
            if cap.full(now):
                return self._reject(version, profile_id, "capped")
            cap.entered += 1  # held-out profiles count, as every accepted entry does
        if member is not None:
            member.entered = now
        tally = version.tally
        if version.holdout:
            held_out = self.outside.fraction("holdout", family.name, profile_id) < version.holdout
            tally.lift.entered(profile_id, held_out)
            if held_out:
                if member is None:  # it has entered, and may not again
                    members[profile_id] = version.settled[1]
                tally.holdouts += 1
                if self.record is not None:
                    self.record(r.Holdout(now, version.name, version.version, profile_id, None,
                                          version.entry_id))
                return True
        deadline = now + version.timeout
        if deadline > LAST_INSTANT:  # time ends there: the instance cannot outlive it
            deadline = LAST_INSTANT
        if member is None:
            instance = members[profile_id] = Instance(next(self.numbers), version, profile,
                                                      profile_id, None, deadline)
        else:
            member.entries += 1
            instance = member.instance = Instance(next(self.numbers), version, profile,
                                                  profile_id, member, deadline)
        tally.entries += 1
        if tally.first_entry is None:
            tally.first_entry = now
        tally.last_entry = now
        if version.timeouts is not None:
            version.timeouts.add(instance)
        if self.record is not None:
            self.record(r.Enter(now, version.name, version.version, profile_id, instance.number,
                                version.entry_id))
        self.instances.run(version.start, Thread(instance, None, data))
        return True

    def jump_in(self, family, profile_id, profile, data) -> bool:
        """A `jump` into `family`: an entry without its `where`; whether it was accepted (a
        held-out profile's entry is)."""
        accepted = self.enter(family, profile_id, profile, data)
        if accepted:
            (family.live or family.newest).tally.jumped_in += 1
        return accepted

    def _reject(self, version, profile_id, reason) -> bool:
        version.tally.rejections[reason] += 1
        if self.record is not None:
            self.record(r.Reject(self.clock.now, version.name, version.version, profile_id, None,
                                 version.entry_id, reason))
        return False

    # ---- audience reads ------------------------------------------------------------------

    def schedule_reads(self, family, execute=None) -> None:
        """The reads of a batch journey (or a campaign, whose `execute(family, rate)` each read
        calls in place of letting the members in): once (now, or `at`), or every period from
        `starting` (or now) up to its `until` and the run's end, or, with neither, for 91 days
        from the first."""
        version = family.newest
        entry = version.entry
        rate = int(entry.rate.count) if entry.rate is not None else READ_RATE
        execute = execute or self._read
        if entry.every is None:
            first = _instant(entry.at, version) if entry.at is not None else self.clock.now
            return self.clock.push(first, EVENT, self._recur, (family, rate, None, None, execute))
        first = _instant(entry.starting, version) if entry.starting else self.clock.now
        ends = [moment for moment in (self.until, entry.until and _instant(entry.until, version))
                if moment is not None]
        if ends:
            last = min(ends)
        else:
            last = min(first + RECURRING_READS_FOR, LAST_INSTANT)
            self.bounded_reads.append(family.name)
        period = max(1, int(entry.every.total_seconds()))  # never twice at one instant
        if first <= last:
            self.clock.push(first, EVENT, self._recur, (family, rate, period, last, execute))

    def _recur(self, argument) -> None:
        """A read, and the next one of a recurring read."""
        family, rate, period, last, execute = argument
        execute(family, rate)
        if period is not None and self.clock.now + period <= last:
            self.clock.push(self.clock.now + period, EVENT, self._recur, argument)

    def _read(self, family, rate) -> None:
        """A read: its members enter `rate` a second, in the audience's order (member k
        `k // rate` seconds after the read), read once, now. In a shard, k is the member's
        place in the whole audience (`order`)."""
        name, clock = family.newest.entry.audience.name, self.clock
        members = self.audiences.members(name, self.profiles, self.unknown)
        places = (list(range(len(members))) if self.order is None
                  else [self.order(name, profile_id) for profile_id in members])
        self.reads.setdefault(family.name, []).append(
            (clock.now, len(members), places[-1] // rate if places else 0))
        read = clock.current
        seconds: dict[int, list] = {}
        for place, profile_id in zip(places, members):
            seconds.setdefault(place // rate, []).append((place, profile_id))
        for second, batch in seconds.items():
            if second == 0:
                self._let_in((family, name, batch))
            elif clock.now + second <= LAST_INSTANT:
                clock.push(clock.now + second, EVENT, self._let_in, (family, name, batch))
        if self.order is not None:
            clock.current = read + (1,)

    def _let_in(self, batch) -> None:
        """One second's share of a read's members enters, in the audience's order."""
        family, name, members = batch
        profiles, clock = self.profiles, self.clock
        position = clock.current
        for place, profile_id in members:
            if self.order is not None:  # each member's entry has a position of its own
                clock.current = position + (0, place)
            self.enter(family, profile_id, profiles[profile_id], None)
        if self.order is not None:
            clock.current = position + (1,)


def _instant(expression, version) -> int:
    """The instant of a read's `at` or `starting`; a TimeError (the run does not start) when
    it is not one there is."""
    value = compile_expression(expression, version.local)(None)
    try:
        if isinstance(value, datetime.datetime):
            return to_instant(value)
        if isinstance(value, datetime.date):
            return local_to_instant(datetime.datetime.combine(value, datetime.time()), version.zone)
    except TimeError as error:
        raise TimeError(f"{expression.span}: the audience read of \"{version.name}\": "
                        f"{error}") from None
    raise JourneyRuntimeError(f"a read schedule needs a date-time, found {describe(value)}")


def scheduled_reads(journeys) -> list[int]:
    """The instants written in audience schedules (`at`, `starting`), to find a run's start."""
    instants = []
    for journey in journeys:
        entry = journey.entry
        if isinstance(entry, n.AudienceEntry):
            for expression in (entry.at, entry.starting):
                if isinstance(expression, n.Literal) and isinstance(expression.value, datetime.datetime):
                    value = expression.value
                    if value.tzinfo is None:
                        timezone = journey.property(n.Timezone)
                        value = value.replace(tzinfo=zone(timezone.name) if timezone else datetime.timezone.utc)
                    try:
                        instants.append(to_instant(value))
                    except TimeError:
                        continue  # not an instant there is: building the run's reads says so
    return instants
