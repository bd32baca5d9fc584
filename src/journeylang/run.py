"""A run of the simulator: inputs resolved, the program checked, simulated and reported."""

from __future__ import annotations

import contextlib
import difflib
import io
import itertools
import operator
import os
import pathlib
import sys
from typing import Callable

import attrs

from . import nodes as n
from . import shards
from .checker import check_workspace
from .core import schema as types
from .diagnostics import Diagnostic
from .inputs import (ACTIONS_FILE, AUDIENCES_FILE, DATASOURCES_FILE, EVENTS_FILE, PROFILES_FILE,
                     Event, InputError, Scenario, load_action_responses, load_audiences,
                     load_datasources, load_events, load_profiles_by_id, load_scenario)
from .lockfile import read_lock
from .population import simulated_events, simulated_profiles
from .report.build import build_report
from .runtime.actions import limits_of
from .runtime.caps import caps_of
from .runtime.entry import scheduled_reads
from .runtime.records import Record, fan_out
from .runtime.simulation import Simulation, fewer_collections, profiles_by_id, saved_audiences
from .core.instants import TimeError, check_instant, format_instant, parse_instant
from .runtime.trace import TraceError, TraceWriter
from .workspace import Workspace, load

DEFAULT_START = parse_instant("2026-01-05T00:00:00Z")
_STREAMS = {"<stdout>": "standard output", "<stderr>": "standard error"}  # as errors name them
_time_of = operator.attrgetter("time")


class SimulationError(Exception):
    """A run that cannot start: the program has errors, or an input is unusable."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None,
                 workspace: Workspace | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or []
        self.workspace = workspace


@attrs.define
class SimulationResult:
    """What a run produced: the report (a JSON-ready dict), every record if asked for (typed:
    see runtime/records.py), the checker's warnings, and the profiles by id as the run left
    them (`set profile` changes them) with the events it replayed, in time order."""

    report: dict
    records: list[Record] | None = None
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    # by id, or the list as given (a run in shards), made a dict by id the first time it is read
    _profiles: dict[str, dict] | list[dict] = attrs.field(
        factory=dict, eq=profiles_by_id, repr=False)
    events: list[Event] = attrs.Factory(list)
    saved_audiences: dict[str, list[str]] = attrs.Factory(dict)  # by the campaigns' `save`

    @property
    def profiles(self) -> dict[str, dict]:
        """The profiles by id as the run left them (the very dicts given, changed in place)."""
        if not isinstance(self._profiles, dict):
            self._profiles = profiles_by_id(self._profiles)
        return self._profiles

    def sends(self) -> dict[tuple[str, str], int]:
        """Messages sent, per (channel, message), over every journey and version."""
        totals: dict[tuple[str, str], int] = {}
        for journey in self.report["journeys"]:
            for version in journey["versions"]:
                for send in version["sends"]:
                    key = (send["channel"], send["message"])
                    totals[key] = totals.get(key, 0) + send["sent"]
        return totals


def simulate(paths, *, profiles=None, events=None, audiences=None, datasources=None,
             actions=None, scenario=None, start=None, until=None, seed=None, trace=None,
             keep_records: bool = False, progress: Callable[[int, int], None] | None = None,
             population: int | None = None,
             on_record: Callable[[Record], None] | None = None, workers: int | None = None,
             scheduler: str | None = None) -> SimulationResult:
    """Simulate the journeys under `paths` (or a loaded Workspace).

    profiles / events / audiences / datasources / actions: a file path, or the data itself
    (lists of profile dicts and of inputs.Event, a dict of audiences, dicts of fixtures: the
    data sources' and the actions' responses). Missing ones come from the scenario, then from
    files named profiles.jsonl, events.jsonl, audiences.json, datasources.json and
    actions.json in the workspace, then (profiles and events only)
    from the built-in simulated population. `trace` is a path or a writable text file; the
    report is always returned; records only with keep_records=True. `on_record` is called
    with each record as it happens (nothing is kept for it). Watching changes nothing: the
    report is the same with or without a trace, kept records or `on_record`. Profiles given
    as data are updated in place by `set profile`.

    `workers` > 1 runs the profiles in that many processes, and `scheduler` (a Dask
    scheduler's address) on that cluster, by default in as many shards as its workers have
    threads (shards.py); the report, the trace and the profiles are those of one process.
    `progress` is then told of the share of the events done by the shard this process runs
    in worker processes, and not at all on a cluster.
    """
    with fewer_collections():
        return _simulate(paths, profiles=profiles, events=events, audiences=audiences,
                         datasources=datasources, actions=actions, scenario=scenario, start=start, until=until,
                         seed=seed, trace=trace, keep_records=keep_records, progress=progress,
                         population=population, on_record=on_record, workers=workers,
                         scheduler=scheduler)


def _simulate(paths, *, profiles, events, audiences, datasources, actions, scenario, start,
              until, seed, trace, keep_records, progress, population, on_record, workers,
              scheduler) -> SimulationResult:
    workspace = paths if isinstance(paths, Workspace) else load(
        [paths] if isinstance(paths, (str, os.PathLike)) else paths)
    scene = _scenario(scenario)
    root = workspace.root

    def pick(given, from_scenario, default_name):
        if given is not None:
            return given
        if from_scenario is not None:
            return from_scenario
        candidate = root / default_name
        return candidate if candidate.is_file() else None

    profiles = pick(profiles, scene.profiles, PROFILES_FILE)
    events = pick(events, scene.events, EVENTS_FILE)
    audiences = pick(audiences, scene.audiences, AUDIENCES_FILE)
    if audiences is not None and not isinstance(audiences, dict):
        audiences = load_audiences(audiences)
    datasources = pick(datasources, scene.datasources, DATASOURCES_FILE)
    actions = pick(actions, scene.actions, ACTIONS_FILE)
    diagnostics = check_workspace(workspace, audiences=audiences or {})
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        raise SimulationError(f"{len(errors)} error(s) in the program: nothing was simulated",
                              diagnostics, workspace)
    _check_lifecycle(scene, workspace)
    lock = read_lock(workspace.root)  # the checker has reported a broken one already
    seed = seed if seed is not None else (scene.seed if scene.seed is not None else 0)

    start = _instant(start, "--start") if start is not None else scene.start
    until = _instant(until, "--until") if until is not None else scene.until
    programs = workspace.programs.values()
    profile_fields = _profile_schema(programs)
    built_in = profiles is None
    if built_in:
        profiles = simulated_profiles(population or 1000, seed)
    elif not isinstance(profiles, list):
        profiles = load_profiles_by_id(profiles, profile_fields)
    if events is None and built_in:
        events = simulated_events(profiles, start if start is not None else DEFAULT_START, seed)
    elif events is None:
        events = []
    elif not isinstance(events, list):
        events = load_events(events)
    datasources = (datasources if isinstance(datasources, dict) or datasources is None
                   else load_datasources(datasources))
    actions = (actions if isinstance(actions, dict) or actions is None
               else load_action_responses(actions))

    times = list(map(_time_of, events))
    if not all(map(operator.le, times, itertools.islice(times, 1, None))):  # usually in order
        events = sorted(events, key=_time_of)  # stable: input order at one time
    if start is None:
        candidates = [events[0].time] if events else []
        candidates += [step.at for step in scene.lifecycle]
        candidates += scheduled_reads(workspace.journeys)
        if not candidates:
            if built_in:
                start = DEFAULT_START
            else:
                raise SimulationError("the run has no start: give --start (or `start` in the "
                                      "scenario), or events to begin with")
        else:
            start = min(candidates)
    if until is not None and until < start:
        raise SimulationError(f"--until ({format_instant(until)}) is before the start "
                              f"({format_instant(start)})")

    coerce_profile = types.coercer(profile_fields) if profile_fields is not None else None
    if coerce_profile is not None:
        for profile in profiles.values() if isinstance(profiles, dict) else profiles:
            coerce_profile(profile)
    coercers = {name: coerce for name, fields in _event_schemas(programs).items()
                if (coerce := types.coercer(fields)) is not None}
    if coercers:
        for event in events:
            coerce = coercers.get(event.name)
            if coerce is not None:
                coerce(event.data)

    records: list[Record] | None = [] if keep_records else None
    observers = []
    trace_file = writer = None
    if trace is not None:
        if hasattr(trace, "write"):  # (named as the file object names itself, if it does)
            name = getattr(trace, "name", None)
            writer = TraceWriter(trace, _STREAMS.get(name, name) if isinstance(name, str)
                                 else "the trace")
        elif (out := _standard_output_at(trace)) is not None:
            writer = TraceWriter(out, str(trace))
        else:
            try:
                trace_file = open(trace, "wb")
            except OSError as error:
                raise SimulationError(f"{trace}: cannot write the trace ({error.strerror})") from None
            writer = TraceWriter(trace_file, str(trace))
        observers.append(writer.write)
    if records is not None:
        observers.append(records.append)
    if on_record is not None:
        observers.append(on_record)

    if workers is not None and workers < 1:
        raise SimulationError(f"workers must be at least 1, not {workers}")
    connection = contextlib.ExitStack()  # the cluster's client, one for the whole run
    try:
        client = None if scheduler is None else connection.enter_context(
            shards.cluster(scheduler))
    except shards.ShardError as error:
        raise SimulationError(str(error)) from None
    with connection:
        count = shards.shard_count(workers, client)
        one_process = shards.one_process_because(workspace, profiles, audiences, count) \
            if count > 1 or client is not None else None
        if one_process is not None:
            count, client = 1, None
        if count > 1 or client is not None:
            common = shards.Common(
                workspace, [d for p in programs for d in p.audiences], datasources, actions,
                tuple(scene.lifecycle), tuple(scene.behaviours), seed, start, until,
                lock_statuses(lock), built_in, bool(observers))
            try:
                report, merged, given = shards.simulate(common, profiles, events, audiences,
                                                        count, client, progress)
                observer = fan_out(observers)
                for record in merged if observer is not None else ():
                    observer(record)
            except (shards.ShardError, TimeError, TraceError) as error:
                raise SimulationError(str(error)) from None
            finally:
                _close_trace(writer, trace_file, trace)
            return SimulationResult(report, records, diagnostics, given, events)

    try:
        simulation = Simulation(
            workspace.journeys, profiles, events, audiences=audiences,
            audience_decls=[d for p in programs for d in p.audiences],
            datasources=datasources, responses=actions,
            actions=limits_of(programs), caps=caps_of(programs), lifecycle=scene.lifecycle, behaviours=scene.behaviours,
            seed=seed, start=start, until=until, record=fan_out(observers), progress=progress,
            statuses=lock_statuses(lock))
        simulation.simulate()
    except (TimeError, TraceError) as error:
        raise SimulationError(str(error)) from None
    finally:
        _close_trace(writer, trace_file, trace)
    report = build_report(simulation, workspace, start, built_in)
    if one_process is not None:  # --workers or --scheduler asked for, and not taken
        report["one_process"] = one_process
    by_id = simulation.profiles
    saved = {name: simulation.audiences.data[name] for name in saved_audiences(
        campaign.version.node for campaign in simulation.campaigns.values())}
    simulation.release()
    return SimulationResult(report, records, diagnostics, by_id, events, saved)


def _standard_output_at(path):
    """Standard output's binary stream when `path` names the file it writes to
    (`/dev/stdout`, or the file it is redirected to), else None. Opening that path again
    would start a second position in the file (and empty it, were it a regular file), so
    that the report written after the trace would overwrite the trace's first lines."""
    try:
        out = sys.stdout.buffer
        same = os.path.samestat(os.stat(path), os.fstat(out.fileno()))
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None  # (no such file yet, or a standard output with no file behind it)
    if not same:
        return None
    sys.stdout.flush()
    return out


def _close_trace(writer, file, name) -> None:
    """Write the trace's last lines and close the file if the run opened it; a full disk may
    show only here."""
    try:
        try:
            if writer is not None:
                writer.close()
        finally:
            if file is not None:
                file.close()
    except TraceError as error:
        raise SimulationError(str(error)) from None
    except OSError as error:
        raise SimulationError(f"{name}: cannot write the trace ({error.strerror or error})") from None


def _instant(value, what: str) -> int:
    try:
        if isinstance(value, int):
            return check_instant(value, what)
        return parse_instant(value, what)
    except TimeError as error:
        raise SimulationError(str(error)) from None


def _scenario(scenario) -> Scenario:
    if scenario is None:
        return Scenario(pathlib.Path("."))
    if isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario)


def _profile_schema(programs) -> types.Fields | None:
    """The fields of the workspace's profile schema, merged over the files that declare one;
    None when none does."""
    declared = [schema.fields for program in programs for schema in program.profile_schemas]
    if not declared:
        return None
    fields: types.Fields = {}
    for record in declared:
        types.merge(fields, _fields(record))
    return fields


def _event_schemas(programs) -> dict[str, types.Fields]:
    """The fields of each event the workspace declares, merged over the files."""
    schemas: dict[str, types.Fields] = {}
    for program in programs:
        for schema in program.event_schemas:
            types.merge(schemas.setdefault(schema.name.name, {}), _fields(schema.fields))
    return schemas


def _fields(record: n.RecordType) -> types.Fields:
    """A record type of the program as the plain fields of core/schema.py (a field declared
    twice keeps its first type, as the checker does; an unknown type name is `any`)."""
    fields: types.Fields = {}
    for field in record.fields:
        fields.setdefault(field.name.name, _field_type(field.type))
    return fields


def _field_type(kind) -> types.FieldType:
    if isinstance(kind, n.RecordType):
        return _fields(kind)
    if isinstance(kind, n.ListType):
        return [_field_type(kind.item)]
    return kind.name if kind.name in types.TYPE_NAMES else "any"


def lock_statuses(lock) -> dict | None:
    """The lock file's statuses as {journey: {version: status}}, or None without a lock."""
    if lock is None:
        return None
    return {name: {number: locked.status for number, locked in versions.items()}
            for name, versions in lock.journeys.items()}


def _check_lifecycle(scene, workspace) -> None:
    """Every lifecycle step names a journey, and a version, that the workspace has; a campaign
    only stops."""
    versions: dict[str, set[int]] = {}
    for journey in workspace.journeys:
        versions.setdefault(journey.name, set()).add(journey.version)
    campaigns = {journey.name for journey in workspace.journeys if isinstance(journey, n.Campaign)}
    for index, step in enumerate(scene.lifecycle, start=1):
        if step.journey not in versions:
            close = difflib.get_close_matches(step.journey, list(versions), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise InputError(scene.path, step.line, f'{step.action} "{step.journey}": there is no '
                             f"journey of that name in the workspace{hint}")
        if step.journey in campaigns and (step.action != "stop" or step.version is not None):
            raise InputError(scene.path, step.line, f'{step.action} "{step.journey}": a campaign '
                             "has no versions: the lifecycle step it takes is `stop`, without "
                             "a version")
        if step.version is not None and step.version not in versions[step.journey]:
            known = ", ".join(str(v) for v in sorted(versions[step.journey]))
            raise InputError(scene.path, step.line, f'{step.action} "{step.journey}" version '
                             f"{step.version}: the workspace has version(s) {known}")
