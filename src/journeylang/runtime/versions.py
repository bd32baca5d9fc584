"""Journey versions compiled for a run, and their lifecycle: which version is live, which are
closed or stopped, as the lock file and the scenario's steps say."""

from __future__ import annotations

import datetime

from .. import nodes as n
from ..core.instants import zone
from .clock import TIMEOUT
from .compiler import Compiler
from .expressions import LocalClock, compile_expression
from .instances import Member
from .tally import Lift, Tally
from .timers import Timeouts

DEFAULT_TIMEOUT = 91 * 86400


class Version:
    """One journey version: its settings, its compiled statements, its counts."""

    def __init__(self, services, node: n.Journey, compiler=Compiler):
        """`compiler` makes the compiler of its statements (a campaign's compiles them for
        populations: populations.py)."""
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
        self.local = LocalClock(services.clock, self.zone, services.audiences)
        self.exit_on_events = [(p.event.name, self.optional(p.where), str(p.span))
                               for p in node.properties if isinstance(p, n.ExitOnEvent)]
        whens = [compile_expression(p.condition, self.local)
                 for p in node.properties if isinstance(p, n.ExitWhen)]
        self.exit_when = (lambda thread: any(when(thread) is True for when in whens)) if whens else None
        self.entry = node.entry
        self.entry_id = str(node.entry.span) if node.entry else self.node_id
        self.entry_where = None
        if isinstance(node.entry, n.EventEntry):
            self.entry_where = self.optional(node.entry.where)
        self.tally = Tally()
        # (its family's members, the Member that stands for a profile whose instance has
        # ended), when that Member is the same for every such profile (Family)
        self.settled: tuple[dict, Member] | None = None
        if self.holdout:
            self.tally.lift = Lift(watched_events(node))
        compiler = compiler(services, self)
        self.start = compiler.body(node.body)
        # its instances' journey timeouts, when an instance may outlive its timeout (a
        # statement says so as it compiles); else None: every wait ends its instance then
        self.timeouts = (Timeouts(services.clock, TIMEOUT, services.instances.expire)
                         if compiler.needs_timeouts else None)
        self.statements: list[n.Node] = compiler.statements  # in the order of tally.reached

    def optional(self, expression):
        return compile_expression(expression, self.local) if expression is not None else None


def watched_events(node: n.Journey) -> list[str]:
    """The events a journey waits for or exits on, in the order it names them first."""
    names = [p.event.name for p in node.properties if isinstance(p, n.ExitOnEvent)]
    names += [s.event.name for statement in node.body for s in statement.walk()
              if isinstance(s, n.WaitForEvent)]
    return list(dict.fromkeys(names))


class Family:
    """All versions of one journey, their statuses, and who is in it."""

    def __init__(self, name: str, versions: list[Version]):
        self.name = name
        self.versions = {v.version: v for v in sorted(versions, key=lambda v: v.version)}
        self.members: dict = {}  # profile id -> its standing: a Member, or an Instance
        if all(version.reentry == "never" for version in versions):
            # A profile's standing is its instance while that runs (the instance stands for
            # itself), and once it has ended (or the profile was held out) the same for every
            # profile (it entered and may not again): one Member stands for all of them, in
            # place of one per profile that ever entered (Instances.finish puts it there).
            done = Member()
            done.entered, done.entries = 0, 1
            for version in versions:
                version.settled = self.members, done
        self.entry_cap = None  # its `cap entries` (caps.EntryCap), set by the simulation
        self.newest = self.versions[max(self.versions)]
        self.live: Version | None = None
        self.set_statuses({number: "live" if version is self.newest else "closed"
                           for number, version in self.versions.items()})

    def set_statuses(self, statuses: dict[int, str]) -> None:
        self.status = statuses
        self.refresh()

    def refresh(self) -> None:
        """Work out the live version again, after a change of statuses (read on every entry)."""
        live = [number for number, status in self.status.items() if status == "live"]
        self.live = self.versions[max(live)] if live else None

    def in_flight(self) -> list:
        """The instances under way, in the order they started."""
        instances = [m.instance for m in self.members.values() if m.instance is not None]
        return sorted(instances, key=lambda instance: instance.number)

    def apply(self, step, finish) -> None:
        """A lifecycle step (publish, close or stop a version) at the current instant."""
        number = step.version or max(self.versions)
        if number not in self.versions:
            return
        status = self.status
        if step.action == "publish":
            for other, state in status.items():
                if state == "live" and other != number:
                    status[other] = "closed"
            status[number] = "live"
        elif step.action == "close":
            if status[number] == "live":
                status[number] = "closed"
        else:
            status[number] = "stopped"
        self.refresh()
        if step.action == "stop":
            version = self.versions[number]
            for instance in [i for i in self.in_flight() if i.journey is version]:
                finish(instance, "stopped", version.node_id)
