"""The simulation: a virtual clock over a heap, entries and re-entry, versions and their
lifecycle, exit criteria, timeouts, behaviours — and the counts the report is made of."""

from __future__ import annotations

import collections
import contextlib
import datetime
import gc
import heapq
import itertools
import operator

from .. import nodes as n
from ..core.events import Event
from .chance import fraction
from .expressions import Context, compile_expression
from .interpreter import Compiler, Path, StepError
from .timers import AnyTimers, Timers
from ..core.instants import format_instant, local_to_instant, to_datetime, to_instant, zone
from ..core.values import JourneyRuntimeError, equal

DEFAULT_TIMEOUT = 91 * 86400

# Heap priorities at one instant: lifecycle changes, then events and audience reads, then
# resumes, then timeouts (so an event exactly at a deadline still counts).
LIFECYCLE, EVENT, RESUME, TIMEOUT = 0, 1, 2, 3


class Instance:
    """One profile's journey through one version: compact, as a million may be in flight."""

    __slots__ = ("number", "journey", "profile", "profile_id", "member", "live", "ended",
                 "deadline", "timeout_scheduled", "waiters")

    def __init__(self, number, journey, profile, profile_id, member, deadline):
        self.number = number
        self.journey = journey
        self.profile = profile
        self.profile_id = profile_id
        self.member = member
        self.live = 1
        self.ended = False
        self.deadline = deadline
        self.timeout_scheduled = False
        self.waiters = None


class Member:
    """A profile's standing in one journey: the instance it is in, if any (never two at
    once), and when it last entered (for the re-entry rules)."""

    __slots__ = ("instance", "entered")

    def __init__(self):
        self.instance = None
        self.entered = None


class Waiter:
    """A path waiting for an event (`wait for event`)."""

    __slots__ = ("path", "event", "where", "deadline", "node_id", "on_event", "on_timeout", "done")

    def __init__(self, path, event, where, deadline, node_id, on_event, on_timeout):
        self.path, self.event, self.where, self.deadline = path, event, where, deadline
        self.node_id, self.on_event, self.on_timeout = node_id, on_event, on_timeout
        self.done = False


class Version:
    """A compiled journey version with its settings and counters."""

    def __init__(self, sim, node: n.Journey):
        self.node = node
        self.name = node.name
        self.version = node.version
        self.node_id = str(node.span)
        timezone = node.property(n.Timezone)
        self.zone = zone(timezone.name) if timezone else datetime.timezone.utc
        timeout = node.property(n.Timeout)
        self.timeout = int(timeout.duration.total_seconds()) if timeout else DEFAULT_TIMEOUT
        reentry = node.property(n.Reentry)
        self.reentry = reentry.mode if reentry else "never"
        self.reentry_period = int(reentry.period.total_seconds()) if reentry and reentry.period else 0
        holdout = node.property(n.Holdout)
        self.holdout = holdout.percent / 100.0 if holdout else 0.0
        self.ctx = Context(sim, self.zone)
        exits = [p for p in node.properties if isinstance(p, n.ExitOnEvent)]
        self.exit_on_events = [(p.event.name, _optional(p.where, self.ctx), str(p.span)) for p in exits]
        whens = [compile_expression(p.condition, self.ctx)
                 for p in node.properties if isinstance(p, n.ExitWhen)]
        self.exit_when = (lambda path: any(when(path) is True for when in whens)) if whens else None
        self.entry = node.entry
        self.entry_id = str(node.entry.span) if node.entry else self.node_id
        self.entry_where = None
        if isinstance(node.entry, n.EventEntry):
            self.entry_where = _optional(node.entry.where, self.ctx)
        self.reached: list[int] = []
        self.entries = self.holdouts = self.errors = 0
        self.rejections: collections.Counter = collections.Counter()
        self.exits: collections.Counter = collections.Counter()
        self.sends: dict[tuple[str, str], int] = {}
        self.compiler = Compiler(sim, self, self.zone)
        self.start = self.compiler.block(node.body, sim.end_path)
        self.reached.extend([0] * (len(self.compiler.nodes) - len(self.reached)))

    def in_flight(self) -> int:
        """Profiles in this version now: every entry ends in exactly one exit."""
        return self.entries - sum(self.exits.values())


def _optional(expression, ctx):
    return compile_expression(expression, ctx) if expression is not None else None


@contextlib.contextmanager
def fewer_collections():
    """Collect garbage less often while inputs load and a run goes: both allocate many objects
    that live long (profiles, events, instances, waiting paths), and the default threshold
    would scan them over and over for nothing (a fifth to a quarter of the time). The
    previous thresholds come back after."""
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


class Family:
    """All versions of one journey, their statuses, and who is in it."""

    def __init__(self, name: str, versions: list[Version]):
        self.name = name
        self.versions = {v.version: v for v in sorted(versions, key=lambda v: v.version)}
        self.members: dict[str, Member] = {}
        latest = max(self.versions)
        self.newest = self.versions[latest]
        self.status = {number: "live" if number == latest else "closed" for number in self.versions}

    @property
    def status(self) -> dict[int, str]:
        return self._status

    @status.setter
    def status(self, statuses: dict[int, str]) -> None:
        self._status = statuses
        self.refresh()

    def in_flight(self) -> list[Instance]:
        """The instances under way, in the order they started."""
        instances = [m.instance for m in self.members.values() if m.instance is not None]
        return sorted(instances, key=lambda instance: instance.number)

    def refresh(self) -> None:
        """Work out the live version again, after a change of statuses (read on every entry)."""
        live = [number for number, status in self._status.items() if status == "live"]
        self.live: Version | None = self.versions[max(live)] if live else None


class Simulation:
    def __init__(self, journeys, profiles, events, *, audiences=None, audience_decls=(),
                 datasources=None, lifecycle=(), behaviours=(), seed=0, start=None, until=None,
                 trace=None, profile_schema=None, event_schemas=None, progress=None,
                 statuses=None):
        """`profiles`: a list of profiles, or a dict of them by id (as the loader makes it).
        `statuses` ({journey: {version: status}}, from the lock file) sets where a journey's
        versions start; versions it does not name are drafts. Without it, or for a journey the
        scenario's lifecycle governs, the latest version is live (or nothing is, until the
        lifecycle publishes one)."""
        self.seed = seed
        self.trace = trace
        self.progress = progress
        self.now = start
        self.until = until
        self.heap: list = []
        self.sequence = itertools.count()
        self.instance_numbers = itertools.count(1)
        self.profiles = profiles if isinstance(profiles, dict) else dict(
            zip(map(operator.itemgetter("id"), profiles), profiles))
        self.profile_count = len(self.profiles)
        self.events = events
        self.event_count = len(events)
        self.datasources = datasources or {}
        self.audiences = audiences or {}
        self.behaviour_list = list(behaviours)
        self.unknown_profile_events = 0
        self.unknown_profiles: list[str] = []
        self.emitted: collections.Counter = collections.Counter()
        self.sends: dict[tuple, list[int]] = {}  # (journey, version, channel, message) -> counts
        by_name: dict[str, list] = {}
        for journey in journeys:
            by_name.setdefault(journey.name, []).append(journey)
        self.families = {name: Family(name, [Version(self, node) for node in nodes])
                         for name, nodes in sorted(by_name.items())}
        self.family_list = list(self.families.values())
        self.on_event: dict[str, list[Family]] = {}
        for family in self.families.values():
            entry = family.newest.entry
            if isinstance(entry, n.EventEntry):
                self.on_event.setdefault(entry.event.name, []).append(family)
        utc = Context(self, datetime.timezone.utc)
        self.audience_predicates = {decl.name.name: compile_expression(decl.condition, utc)
                                    for decl in audience_decls}
        governed = {step.journey for step in lifecycle}
        for name, recorded in (statuses or {}).items():
            if name in self.families and name not in governed:
                family = self.families[name]
                family.status = {number: recorded.get(number, "draft") for number in family.versions}
        for name in governed & set(self.families):
            family = self.families[name]
            family.status = {number: "draft" for number in family.versions}
        for step in lifecycle:
            self.push(step.at, LIFECYCLE, self._lifecycle, step)
        for family in self.families.values():
            entry = family.newest.entry
            if isinstance(entry, n.AudienceEntry):
                self._schedule_reads(family, entry)

    # ---- services for compiled statements -----------------------------------------------

    def now_datetime(self) -> datetime.datetime:
        return to_datetime(self.now)

    def push(self, time, priority, function, argument) -> None:
        heapq.heappush(self.heap, (time, priority, next(self.sequence), function, argument))

    def reach_counter(self, version: Version, index: int):
        while len(version.reached) <= index:
            version.reached.append(0)
        return version.reached, index

    def send_counter(self, version: Version, channel: str, message: str) -> list[int]:
        """The counts of one message of one version: [sent, suppressed], shared by its sends."""
        key = (version.name, version.version, channel, message)
        return self.sends.setdefault(key, [0, 0])

    def exit_when(self, version: Version):
        return version.exit_when

    def fraction(self, *keys) -> float:
        return fraction(self.seed, *keys)

    def record(self, kind, instance, node_id, **fields) -> None:
        journey = instance.journey
        record = {"time": format_instant(self.now), "kind": kind, "journey": journey.name,
                  "version": journey.version, "profile": instance.profile_id,
                  "instance": instance.number, "node": node_id}
        record.update(fields)
        self.trace(record)

    def _record_without_instance(self, kind, version, profile_id, node_id, **fields) -> None:
        record = {"time": format_instant(self.now), "kind": kind, "journey": version.name,
                  "version": version.version, "profile": profile_id, "instance": None,
                  "node": node_id}
        record.update(fields)
        self.trace(record)

    def end_path(self, path) -> None:
        instance = path.instance
        instance.live -= 1
        if instance.live == 0 and not instance.ended:
            self.finish(instance, "end", instance.journey.node_id)

    def end_token(self, instance) -> None:
        instance.live -= 1
        if instance.live == 0 and not instance.ended:
            self.finish(instance, "end", instance.journey.node_id)

    def finish(self, instance, reason, node_id) -> None:
        if instance.ended:
            return
        instance.ended = True
        version = instance.journey
        version.exits[reason] += 1
        member = instance.member
        if member.instance is instance:
            member.instance = None
        if self.trace is not None:
            self.record("exit", instance, node_id, reason=reason)

    def resume_timers(self, node_id, k, in_order: bool):
        """Timers that resume paths at `k` (after a wait); `in_order` when they are set with
        a fixed delay, so fall due in the order they are set (see timers.py)."""
        sim = self

        def resume(path):
            instance = path.instance
            if instance.ended:
                return
            if sim.trace is not None:
                sim.record("resume", instance, node_id)
            sim.run(k, path)

        kind = Timers if in_order else AnyTimers
        return kind(self.heap, self.sequence, RESUME, resume)

    def deadline_timers(self) -> Timers:
        """Timers for the deadlines of one `wait for … within` (a fixed delay, so in order)."""
        return Timers(self.heap, self.sequence, TIMEOUT, self._wait_timeout)

    def wait(self, path, when, node_id, timers) -> None:
        instance = path.instance
        if self.trace is not None:
            self.record("wait", instance, node_id, until=format_instant(when))
        if when > instance.deadline:
            self.schedule_timeout(instance)
        else:
            timers.add(when, path)

    def wait_for_event(self, path, event, where, deadline, node_id, on_event, on_timeout,
                       timers) -> None:
        instance = path.instance
        if self.trace is not None:
            self.record("wait", instance, node_id,
                        until=None if deadline is None else format_instant(deadline))
        waiter = Waiter(path, event, where, deadline, node_id, on_event, on_timeout)
        if instance.waiters is None:
            instance.waiters = []
        instance.waiters.append(waiter)
        if deadline is None or deadline > instance.deadline:
            self.schedule_timeout(instance)
        else:
            timers.add(deadline, waiter)

    def _wait_timeout(self, waiter) -> None:
        instance = waiter.path.instance
        if waiter.done or instance.ended:
            return
        waiter.done = True
        instance.waiters.remove(waiter)
        if self.trace is not None:
            self.record("resume", instance, waiter.node_id)
        self.run(waiter.on_timeout, waiter.path)

    def schedule_timeout(self, instance) -> None:
        if not instance.timeout_scheduled:
            instance.timeout_scheduled = True
            self.push(instance.deadline, TIMEOUT, self._timeout, instance)

    def _timeout(self, instance) -> None:
        if not instance.ended:
            self.finish(instance, "timeout", instance.journey.node_id)

    def behaviours_for(self, channel, message):
        return [(index, b) for index, b in enumerate(self.behaviour_list)
                if b.kind == "send" and b.channel == channel and b.message in (None, message)]

    def react(self, instance, node_id, behaviours) -> None:
        for index, behaviour in behaviours:
            keys = (index, instance.journey.name, instance.profile_id, instance.number, node_id)
            if self.fraction("behaviour", *keys) >= behaviour.probability:
                continue
            low, high = behaviour.delay
            delay = low + int(self.fraction("delay", *keys) * (high - low + 1))
            event = Event(self.now + delay, instance.profile_id, behaviour.emit, {})
            self.emitted[behaviour.emit] += 1
            self.push(event.time, EVENT, self._deliver, event)

    def call_failure(self, action):
        rates = [b.probability for b in self.behaviour_list if b.kind == "call" and b.action == action]
        return rates[-1] if rates else None

    def draw_fails(self, rate, action, instance, node_id) -> bool:
        return self.fraction("call", action, instance.profile_id, instance.number, node_id) < rate

    def fetch(self, source, request):
        for match, result in self.datasources.get(source, ()):
            if all(key in request and equal(request[key], value) for key, value in match.items()):
                return result
        return None

    # ---- running ------------------------------------------------------------------------

    def run(self, step, path) -> None:
        """Run a path's steps until it waits or ends; a runtime error ends its instance."""
        try:
            step(path)
        except StepError as error:
            self._fail(path.instance, error.node_id, str(error))
        except JourneyRuntimeError as error:
            self._fail(path.instance, path.instance.journey.node_id, str(error))

    def _fail(self, instance, node_id, message) -> None:
        if instance.ended:
            return
        instance.journey.errors += 1
        if self.trace is not None:
            self.record("error", instance, node_id, message=message)
        self.finish(instance, "error", node_id)

    def simulate(self) -> None:
        with fewer_collections():
            self._simulate()

    def _simulate(self) -> None:
        heap, events, pop = self.heap, self.events, heapq.heappop
        index, count, until = 0, len(events), self.until
        deliver = self._deliver
        progress, progress_every = self.progress, max(1, count // 200)
        while index < count:  # the input's events, merged with what the heap holds
            event = events[index]
            time = event.time
            if heap:
                first = heap[0]  # goes before the event if earlier, or a lifecycle step at its instant
                if first[0] < time or (first[0] == time and first[1] < EVENT):
                    if until is not None and first[0] > until:
                        break
                    time, _, _, function, argument = pop(heap)
                    self.now = time
                    function(argument)
                    continue
            if until is not None and time > until:
                break
            index += 1
            self.now = time
            deliver(event)
            if progress is not None and index % progress_every == 0:
                progress(index, count)
        while heap:  # then what the heap holds
            if until is not None and heap[0][0] > until:
                break
            time, _, _, function, argument = pop(heap)
            self.now = time
            function(argument)
        if progress is not None:
            progress(count, count)

    def release(self) -> None:
        """Let go of everything, once the report is built. Compiled steps hold the simulation
        and instances hold their member, so without this the run's memory would wait for the
        next full collection (a long walk over millions of objects) instead of going back at
        once."""
        for family in self.family_list:
            if any(v.in_flight() for v in family.versions.values()):  # instance <-> member
                for member in family.members.values():
                    member.instance = None
        self.__dict__.clear()

    def _deliver(self, event: Event) -> None:
        profile = self.profiles.get(event.profile)
        if profile is None:
            return self._unknown_profile(event.profile)
        data = event.data
        for family in self.family_list:  # a profile is in a journey at most once at a time
            member = family.members.get(event.profile)
            if member is not None:
                instance = member.instance
                if instance is not None and not instance.ended:
                    self._offer(instance, event.name, data)
        for family in self.on_event.get(event.name, ()):
            version = family.live or family.newest
            if version.entry_where is None or self._may_enter(version, event.profile, profile, data):
                self.enter(family, event.profile, profile, data)

    def _unknown_profile(self, profile_id) -> None:
        """Events and audience members for profiles not in the data are skipped, and counted."""
        self.unknown_profile_events += 1
        if len(self.unknown_profiles) < 5 and profile_id not in self.unknown_profiles:
            self.unknown_profiles.append(profile_id)

    def _offer(self, instance, name, data) -> None:
        """An event reaches an instance: exit criteria first, then its waiting paths."""
        version = instance.journey
        for event_name, where, node_id in version.exit_on_events:
            if event_name == name and (where is None or self._holds(where, instance, data)):
                return self.finish(instance, "exit_criteria", node_id)
        if not instance.waiters:
            return
        for waiter in list(instance.waiters):
            if waiter.done or waiter.event != name or instance.ended:
                continue
            path = waiter.path
            if waiter.where is not None:
                seen = path.event
                path.event = data
                try:
                    matched = waiter.where(path) is True
                except StepError as error:
                    self._fail(instance, error.node_id, str(error))
                    return
                if not matched:
                    path.event = seen
                    continue
            path.event = data
            waiter.done = True
            instance.waiters.remove(waiter)
            if self.trace is not None:
                self.record("resume", instance, waiter.node_id)
            self.run(waiter.on_event, path)

    def _holds(self, condition, instance, data) -> bool:
        try:
            return condition(Path(instance, None, data)) is True
        except JourneyRuntimeError:
            return False

    def _may_enter(self, version, profile_id, profile, data) -> bool:
        """The entry's `where`, on the event and the profile (an error there is counted)."""
        try:
            return version.entry_where(Path(_Probe(profile, profile_id, version), None, data)) is True
        except JourneyRuntimeError as error:
            version.errors += 1
            if self.trace is not None:
                self._record_without_instance("error", version, profile_id, version.entry_id,
                                              message=str(error))
            return False

    def enter(self, family, profile_id, profile, data) -> None:
        version = family.live
        if version is None:
            return self._reject(family.newest, profile_id, "closed")
        now = self.now
        member = family.members.get(profile_id)
        if member is None:
            member = family.members[profile_id] = Member()
        elif member.instance is not None:
            return self._reject(version, profile_id, "active")
        elif member.entered is not None:
            if version.reentry == "never":
                return self._reject(version, profile_id, "reentry")
            if version.reentry == "after" and now - member.entered < version.reentry_period:
                return self._reject(version, profile_id, "wait_period")
        member.entered = now
        if version.holdout and self.fraction("holdout", family.name, profile_id) < version.holdout:
            version.holdouts += 1
            if self.trace is not None:
                self._record_without_instance("holdout", version, profile_id, version.entry_id)
            return
        instance = member.instance = Instance(next(self.instance_numbers), version, profile,
                                              profile_id, member, now + version.timeout)
        version.entries += 1
        if self.trace is not None:
            self.record("enter", instance, version.entry_id)
        self.run(version.start, Path(instance, None, data))

    def _reject(self, version, profile_id, reason) -> None:
        version.rejections[reason] += 1
        if self.trace is not None:
            self._record_without_instance("reject", version, profile_id, version.entry_id,
                                          reason=reason)

    # ---- audiences and lifecycle ---------------------------------------------------------

    def _schedule_reads(self, family, entry: n.AudienceEntry) -> None:
        version = family.newest
        if entry.at is not None:
            self.push(self._instant(entry.at, version), EVENT, self._read, (family, None))
        elif entry.every is not None:
            first = self._instant(entry.starting, version) if entry.starting else self.now
            period = int(entry.every.total_seconds())
            self.push(first, EVENT, self._read, (family, period))
        else:
            self.push(self.now, EVENT, self._read, (family, None))

    def _instant(self, expression, version) -> int:
        value = compile_expression(expression, version.ctx)(None)
        if isinstance(value, datetime.datetime):
            return to_instant(value)
        if isinstance(value, datetime.date):
            return local_to_instant(datetime.datetime.combine(value, datetime.time()), version.zone)
        raise JourneyRuntimeError(f"a read schedule needs a date-time, found {value!r}")

    def audience_members(self, name) -> list[str]:
        if name in self.audiences:
            members = []
            for profile_id in self.audiences[name]:
                if profile_id in self.profiles:
                    members.append(profile_id)
                else:
                    self._unknown_profile(profile_id)
            return members
        predicate = self.audience_predicates.get(name)
        if predicate is None:
            return []
        members = []
        for profile_id, profile in self.profiles.items():
            try:
                if predicate(Path(_Probe(profile, profile_id, None), None, None)) is True:
                    members.append(profile_id)
            except JourneyRuntimeError:
                continue
        return members

    def _read(self, argument) -> None:
        family, period = argument
        entry = family.newest.entry
        for profile_id in self.audience_members(entry.audience.name):
            self.enter(family, profile_id, self.profiles[profile_id], None)
        if period is not None:
            following = self.now + period
            more_to_come = bool(self.heap) or bool(self.events and self.events[-1].time > self.now)
            if (self.until is not None and following <= self.until) or (
                    self.until is None and more_to_come):
                self.push(following, EVENT, self._read, argument)

    def _lifecycle(self, step) -> None:
        family = self.families.get(step.journey)
        if family is None:
            return
        number = step.version or max(family.versions)
        if number not in family.versions:
            return
        if step.action == "publish":
            for other, status in family.status.items():
                if status == "live" and other != number:
                    family.status[other] = "closed"
            family.status[number] = "live"
        elif step.action == "close":
            if family.status[number] == "live":
                family.status[number] = "closed"
        else:
            family.status[number] = "stopped"
        family.refresh()
        if step.action == "stop":
            version = family.versions[number]
            doomed = [i for i in family.in_flight() if i.journey is version]
            for instance in doomed:
                self.finish(instance, "stopped", version.node_id)


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
                    instants.append(to_instant(value))
    return instants


class _Probe:
    """Stands in for an instance where only the profile is readable (entry filters, audiences)."""

    __slots__ = ("profile", "profile_id", "journey")

    def __init__(self, profile, profile_id, journey):
        self.profile = profile
        self.profile_id = profile_id
        self.journey = journey
