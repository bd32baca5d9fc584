"""A simulation: the journeys of a workspace compiled against one run's clock, observer,
profiles and surroundings, then the input's events replayed through them."""

from __future__ import annotations

import collections
import contextlib
import datetime
import gc
import operator

from .. import nodes as n
from .actions import Actions
from .audiences import Audiences
from .campaigns import CampaignRun
from .caps import Caps, entry_cap_of
from .clock import LIFECYCLE, Clock
from .compiler import Services
from .entry import Entries
from .expressions import LocalClock
from .instances import Instances, Member
from .outside import Outside
from .versions import Family, Version
from .waiting import Waiting


@contextlib.contextmanager
def fewer_collections():
    """Collect garbage less often while inputs load and a run goes: both allocate many objects
    that live long (profiles, events, instances, waiting threads), and the default threshold
    would scan them over and over for nothing (a fifth to a quarter of the time). The
    previous thresholds come back after."""
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def profiles_by_id(profiles) -> dict:
    """A list of profiles as a dict by id, in one C-level pass (a dict is itself)."""
    if isinstance(profiles, dict):
        return profiles
    return dict(zip(map(operator.itemgetter("id"), profiles), profiles))


def saved_audiences(campaigns) -> list[str]:
    """The audiences the campaigns save, in the order they are first named."""
    return list(dict.fromkeys(node.audience.name for campaign in campaigns
                              for node in campaign.walk() if isinstance(node, n.SaveAudience)))


class Simulation:
    def __init__(self, journeys, profiles, events, *, audiences=None, audience_decls=(),
                 datasources=None, actions=None, responses=None, caps=None, lifecycle=(),
                 behaviours=(),
                 seed=0, start=None, until=None, record=None, progress=None, statuses=None,
                 event_numbers=None, audience_order=None, track_changes=False):
        """`profiles`: a list of profiles, or a dict of them by id (as the loader makes it).
        `actions`: the declared actions' limits by name (actions.Limits); `responses` the
        actions' fixtures, shaped as `datasources`.
        `caps`: the message caps across journeys (caps.Caps).
        `record`: the observer told of every record (None: nobody watches).
        `statuses` ({journey: {version: status}}, from the lock file) sets where a journey's
        versions start; versions it does not name are drafts. Without it, or for a journey the
        scenario's lifecycle governs, the latest version is live (or nothing is, until the
        lifecycle publishes one).
        `event_numbers`: for a shard of a run (shards.py) that needs positions, each event's
        index in the whole input; the clock is then keyed, where each unknown profile was
        first seen is kept, and `audience_order(audience, profile_id)` gives a member's place
        in the whole audience. `track_changes` (a shard's) keeps the ids of the profiles `set
        profile` changed, in `changed`."""
        self.seed = seed
        self.progress = progress
        self.until = until
        self.event_numbers = event_numbers
        self.clock = clock = Clock(start, keyed=event_numbers is not None)
        self.profiles = profiles_by_id(profiles)
        self.profile_count = len(self.profiles)
        self.events = events
        self.event_count = len(events)
        self.unknown_profile_events = 0
        self.unknown_profiles: list[str] = []
        self.unknown_positions: list[tuple] = []  # a shard's: where each was first seen
        self.instances = Instances(clock, record)
        self.waiting = Waiting(clock, record, self.instances)
        self.outside = Outside(clock, seed, datasources, behaviours, self.deliver, responses)
        self.actions = Actions(clock, start, self.instances, actions)
        local = LocalClock(clock, datetime.timezone.utc)
        campaigns = [journey for journey in journeys if isinstance(journey, n.Campaign)]
        journeys = [journey for journey in journeys if not isinstance(journey, n.Campaign)]
        audiences = dict(audiences or {})
        for name in saved_audiences(campaigns):  # each exists, empty, from the start
            audiences.setdefault(name, [])
        self.audiences = local.audiences = Audiences(audiences, audience_decls, local)
        self.entries = Entries(clock, record, self.instances, self.outside, self.profiles,
                               self.audiences, until, self._unknown_profile, audience_order)
        services = Services(clock, record, self.instances, self.waiting, self.actions,
                            self.audiences, caps or Caps([]), self.outside,
                            set() if track_changes else None)
        by_name: dict[str, list] = {}
        for journey in journeys:
            by_name.setdefault(journey.name, []).append(journey)
        self.families = {name: Family(name, [Version(services, node) for node in nodes])
                         for name, nodes in sorted(by_name.items())}
        self.family_list = list(self.families.values())
        services.entries, services.families = self.entries, self.families
        self.changed = services.changed  # the ids of the profiles `set profile` changed, or None
        self.campaigns = {node.name: CampaignRun(services, node, self.entries, self.profiles,
                                                 self.outside) for node in campaigns}
        for family in self.family_list:
            family.entry_cap = entry_cap_of(family.newest.node, start)
        self.on_event: dict[str, list[Family]] = {}
        self.lifts: dict[str, list] = {}  # event name -> the hold-out lifts that watch it
        for family in self.family_list:
            for version in family.versions.values():
                for name in version.tally.lift.senders if version.tally.lift else ():
                    self.lifts.setdefault(name, []).append(version.tally.lift)
        for family in self.family_list:
            entry = family.newest.entry
            if isinstance(entry, n.EventEntry):
                self.on_event.setdefault(entry.event.name, []).append(family)
        governed = {step.journey for step in lifecycle}
        for name, recorded in (statuses or {}).items():
            if name in self.families and name not in governed:
                family = self.families[name]
                family.set_statuses({number: recorded.get(number, "draft")
                                     for number in family.versions})
        for name in governed & set(self.families):
            family = self.families[name]
            family.set_statuses({number: "draft" for number in family.versions})
        for step in lifecycle:
            clock.push(step.at, LIFECYCLE, self._lifecycle, step)
        for family in self.family_list:
            if isinstance(family.newest.entry, n.AudienceEntry):
                self.entries.schedule_reads(family)
        for campaign in self.campaigns.values():
            if isinstance(campaign.version.entry, n.AudienceEntry):
                campaign.schedule()

    @property
    def now(self) -> int:
        return self.clock.now

    @property
    def emitted(self) -> collections.Counter:
        return self.outside.emitted

    def simulate(self) -> None:
        with fewer_collections():
            self.clock.run(self.events, self.deliver, self.until, self.progress,
                           self.event_numbers)

    def deliver(self, event) -> None:
        """An event arrives: it reaches the profile's instances, then enters journeys."""
        profile_id, name, data = event.profile, event.name, event.data
        profile = self.profiles.get(profile_id)
        if profile is None:
            return self._unknown_profile(profile_id)
        if self.lifts:  # before the event enters anyone: it counts only after an entry
            for lift in self.lifts.get(name, ()):
                lift.saw(profile_id, name)
        offer = self.waiting.offer
        for family in self.family_list:  # a profile is in a journey at most once at a time
            member = family.members.get(profile_id)
            if member is not None:
                instance = member.instance
                if instance is not None and not instance.ended:
                    offer(instance, name, data)
        entries = self.entries
        for family in self.on_event.get(name, ()):
            version = family.live or family.newest
            if version.entry_where is None or entries.may_enter(version, profile_id, profile, data):
                entries.enter(family, profile_id, profile, data)

    def _unknown_profile(self, profile_id) -> None:
        """Events and audience members for profiles not in the data are skipped, and counted."""
        self.unknown_profile_events += 1
        if len(self.unknown_profiles) < 5 and profile_id not in self.unknown_profiles:
            self.unknown_profiles.append(profile_id)
            if self.clock.keyed:
                self.unknown_positions.append(self.clock.current)

    def _lifecycle(self, step) -> None:
        campaign = self.campaigns.get(step.journey)
        if campaign is not None and step.action == "stop":
            return campaign.stop()
        family = self.families.get(step.journey)
        if family is not None:
            family.apply(step, self.instances.finish)

    def release(self) -> None:
        """Let go of everything, once the report is built. Compiled steps hold the run and
        instances hold their member, so without this the run's memory would wait for the next
        full collection (a long walk over millions of objects) instead of going back at once."""
        for family in self.family_list:
            if any(v.tally.in_flight() for v in family.versions.values()):  # instance <-> member
                for member in family.members.values():
                    if type(member) is Member:  # (an instance standing for itself holds none)
                        member.instance = None
        self.__dict__.clear()
