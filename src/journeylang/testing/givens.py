"""A test's givens as the inputs of a run: profiles, events, audiences, fixtures, lifecycle."""

from __future__ import annotations

import pathlib

import attrs

from .. import nodes as n
from ..checker.rules.tests import instant_of
from ..inputs import Behaviour, Event, LifecycleStep, Scenario
from ..run import DEFAULT_START
from ..runtime.entry import scheduled_reads


@attrs.frozen
class Inputs:
    """What `run.simulate` is given for one test: only what the test says."""

    profiles: list[dict]
    events: list[Event]
    audiences: dict[str, list[str]]
    datasources: dict[str, list[tuple[dict, object]]]
    scenario: Scenario


def inputs_of(test: n.TestDecl, journeys) -> Inputs:
    """The run's inputs for `test` (its values are constants: the checker saw to it). Without
    `start`, the run starts at its earliest event or lifecycle step, else at the first
    scheduled audience read, else at DEFAULT_START; without `seed`, the seed is 0."""
    profiles: list[dict] = []
    events: list[Event] = []
    audiences: dict[str, list[str]] = {}
    datasources: dict[str, list[tuple[dict, object]]] = {}
    lifecycle: list[LifecycleStep] = []
    behaviours: list[Behaviour] = []
    start = until = seed = None
    for line in test.lines:
        if isinstance(line, n.TestStart):
            start = instant_of(line.at)
        elif isinstance(line, n.TestUntil):
            until = instant_of(line.at)
        elif isinstance(line, n.TestSeed):
            seed = line.seed
        elif isinstance(line, n.TestProfile):
            attributes = _data(line.attributes)
            profiles.append({**attributes, "id": line.id.name})
        elif isinstance(line, n.TestEvent):
            events.append(Event(instant_of(line.at), line.profile.name, line.event.name,
                                _data(line.data), line.span.line))
        elif isinstance(line, n.TestAudience):
            audiences[line.name.name] = n.constant_value(line.members)
        elif isinstance(line, n.TestFixture):
            datasources.setdefault(line.source.name, []).append(
                (_data(line.match), n.constant_value(line.result)))
        elif isinstance(line, n.TestFailingCall):
            behaviours.append(Behaviour("call", 1.0, action=line.action.name))
        elif isinstance(line, n.TestLifecycle):
            lifecycle.append(LifecycleStep(instant_of(line.at), line.action, line.journey.name,
                                           line.version, line.span.line))
    if start is None and not events and not lifecycle:
        reads = scheduled_reads(journeys)
        start = min(reads) if reads else DEFAULT_START
    scenario = Scenario(pathlib.Path(test.span.file), start=start, until=until,
                        seed=seed if seed is not None else 0,
                        lifecycle=tuple(sorted(lifecycle, key=lambda step: step.at)),
                        behaviours=tuple(behaviours))
    return Inputs(profiles, events, audiences, datasources, scenario)


def _data(record: n.RecordExpr | None) -> dict:
    return {} if record is None else n.constant_value(record)
