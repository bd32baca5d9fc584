"""What lies outside a journey, as a simulation has it: data sources' and actions' fixtures,
whether an action's call fails, profiles' simulated reactions to a send, and the seed's draws."""

from __future__ import annotations

import collections

from ..core.events import Event
from ..core.instants import LAST_INSTANT
from ..core.values import equal
from .chance import fraction
from .clock import EVENT


class Outside:
    def __init__(self, clock, seed, datasources, behaviours, deliver, responses=None):
        self.clock = clock
        self.seed = seed
        self.datasources = datasources or {}
        self.responses = responses or {}  # actions' fixtures, as data sources' are
        self.behaviours = list(behaviours)
        self.deliver = deliver
        self.emitted: collections.Counter = collections.Counter()  # events behaviours emitted

    def fraction(self, *keys) -> float:
        """A number in [0, 1) fixed by the seed and the keys."""
        return fraction(self.seed, *keys)

    def fetch(self, source: str, request: dict):
        """The first fixture of `source` whose `with` fields all equal the request's; null if none."""
        return _first_match(self.datasources.get(source, ()), request)

    def respond(self, action: str, request: dict):
        """The response to a call of `action`: its first fixture that matches, or null."""
        return _first_match(self.responses.get(action, ()), request)

    def failure_of(self, action: str):
        """A draw `fails(instance, node_id)` for calls of `action`, or None if they never fail."""
        rates = [b.probability for b in self.behaviours if b.kind == "call" and b.action == action]
        if not rates:
            return None
        rate, seed = rates[-1], self.seed

        def fails(instance, node_id) -> bool:
            return fraction(seed, "call", action, instance.profile_id, instance.ordinal, node_id) < rate

        return fails

    def behaviours_for(self, channel: str, message: str) -> list:
        return [(index, b) for index, b in enumerate(self.behaviours)
                if b.kind == "send" and b.channel == channel and b.message in (None, message)]

    def react(self, instance, node_id: str, behaviours, channel: str, message: str) -> None:
        """A delivered send: each behaviour it matches may have the profile emit an event,
        which says what it reacts to (`event.channel`, `event.message`, `event.journey`)."""
        now = self.clock.now
        for index, behaviour in behaviours:
            keys = (index, instance.journey.name, instance.profile_id, instance.ordinal, node_id)
            if self.fraction("behaviour", *keys) >= behaviour.probability:
                continue
            low, high = behaviour.delay
            delay = low + int(self.fraction("delay", *keys) * (high - low + 1))
            if now + delay > LAST_INSTANT:  # a reaction after the end of time never comes
                continue
            self.emitted[behaviour.emit] += 1
            self.clock.push(now + delay, EVENT, self.deliver,
                            Event(now + delay, instance.profile_id, behaviour.emit,
                                  {"channel": channel, "message": message,
                                   "journey": instance.journey.name}))


def _first_match(fixtures, request: dict):
    for match, result in fixtures:
        if all(key in request and equal(request[key], value) for key, value in match.items()):
            return result
    return None
