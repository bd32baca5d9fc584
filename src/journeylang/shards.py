"""A run over shards (§9): the profiles split by a stable hash of their id, each shard
simulated on its own in a process or on a Dask cluster (one `concurrent.futures.Executor`
serves both), and the shards' partial results merged by a pure function.

A shard holds its profiles, the events of those profiles (with each event's index in the
whole input) and the audience members among them; everything else (the program, data
sources, lifecycle, behaviours, seed, start and end) every shard shares. Profiles never
meet in a run of this edition's statements but through an action's `rate` and `cap`, of which
each shard enforces its share (§9; the report says how they were shared), so each shard does
for its profiles what one process would: where no share was reached, the report's counts add
up to the one-process report, byte for byte. A
shard's clock is keyed (runtime/clock.py): each record carries its position in the run, and
the shards' records merged by position are the one-process trace, instance numbers given
again in the order of entry (all but the ties of a lifecycle step that stops instances in
several shards at one instant, which keep time order and each profile's order)."""

from __future__ import annotations

import array
import concurrent.futures
import contextlib
import gc
import heapq
import itertools
import mmap
import multiprocessing
import operator
import os
import select
import signal
import threading
import time
import warnings
import zlib
from typing import Callable, Iterator

import attrs
import msgspec

from . import nodes as n
from .report.build import build_report, share
from .runtime.tally import FIRST_ERRORS
from .runtime.actions import Limits, limits_of
from .runtime.caps import caps_of
from .runtime.entry import READ_RATE
from .runtime.records import Enter, Record
from .runtime.simulation import Simulation, fewer_collections, profiles_by_id

CONNECT_SECONDS = 10  # how long to wait for a Dask scheduler before saying it is unreachable


class ShardError(Exception):
    """The shards could not run: no Dask installed, or a scheduler that does not answer."""


def shard_of(profile_id: str, shards: int) -> int:
    """The shard of a profile: CRC-32 of its id, the same on every machine and run (never
    Python's salted `hash`)."""
    return shards_of((profile_id,), shards)[0]


def shards_of(profile_ids, count: int) -> list[int]:
    """`shard_of` each id, in C-level passes."""
    return list(map(count.__rmod__, map(zlib.crc32, map(str.encode, map(str, profile_ids)))))


class Hashed:
    """Every profile's and every event's shard, worked out by the `count` forked processes of
    a run together, in memory they share: each hashes one slice of the ids, reading (and so
    copying, page by page, out of the memory it shares with the others) only that slice's
    profiles and events, then reads the others' slices. A process whose slice is not done
    within `wait` seconds (a worker that never started, or ended) is not waited for longer:
    the one waiting hashes that slice itself."""

    def __init__(self, profiles, events, count: int):
        self.inputs, self.count = (profiles, events), count
        self.memory = mmap.mmap(-1, 4 * (len(profiles) + len(events) + 1))
        self.table = memoryview(self.memory).cast("B" if count <= 256 else "I")
        self.done = mmap.mmap(-1, count)  # a slice's byte is set once its shards are written
        self.barrier = multiprocessing.get_context("fork").Barrier(count)

    def shards(self, index: int, wait: float = 10.0) -> tuple:
        """Each profile's shard and each event's, once process `index` has hashed its slice and
        the others theirs."""
        self.hash_slice(index)
        try:
            self.barrier.wait(wait)
        except threading.BrokenBarrierError:  # (every process waiting is told at once)
            for other in range(self.count):
                if not self.done[other]:
                    self.hash_slice(other)
        profiles, events = map(len, self.inputs)
        return self.table[:profiles], self.table[profiles:profiles + events]

    def hash_slice(self, index: int) -> None:
        """Write the shards of slice `index` of the profiles and of the events."""
        offset = 0
        for items, ids_of in zip(self.inputs, (_ids, _event_profiles)):
            low, high = (len(items) * place // self.count for place in (index, index + 1))
            ids = (itertools.islice(items, low, high) if isinstance(items, dict)  # (its keys)
                   else ids_of(items[low:high]))
            self.table[offset + low:offset + high] = array.array(
                self.table.format, shards_of(ids, self.count))
            offset += len(items)
        self.done[index] = 1


@attrs.frozen
class Common:
    """What every shard of a run shares."""

    workspace: object
    audience_decls: list
    datasources: dict | None
    responses: dict | None  # the actions' fixtures
    lifecycle: tuple
    behaviours: tuple
    seed: int
    start: int
    until: int | None
    statuses: dict | None
    built_in: bool
    watched: bool  # records are kept, with their positions, for the merged trace


@attrs.frozen
class Shard:
    common: Common
    profiles: dict
    events: list
    numbers: list[int]  # each event's index in the whole input
    audiences: dict | None
    keyed: bool  # its clock knows positions: for its records, or its unknown profiles
    places: dict  # a member's place in its audience, {audience: {id: index}} (keyed only)
    index: int = 0  # its place among the shards, for its share of the actions' limits
    count: int = 1


@attrs.frozen
class Partial:
    """A shard's result: its report, where it first saw each unknown profile, its records,
    and the profiles `set profile` changed, as the shard left them."""

    report: dict
    unknowns: list[tuple[tuple, str]]
    records: list[tuple[tuple, int, Record]]  # (position, count in the shard, record)
    changed: dict  # {id: profile}


@attrs.frozen
class Plan:
    """Where a run's profiles, events and audience members go among `count` shards."""

    common: Common | None
    profiles: dict | list  # as given
    keys: list[str] | None  # a dict's keys, in their order (None for a list)
    events: list
    mine: list[list[int] | None]  # per shard: where its profiles are in `profiles`
    theirs: list[list[int] | None]  # per shard: where its events are in `events`
    # (None for a shard not planned: a forked worker plans its own only)
    members: list  # per shard: its members of each audience
    places: list[dict]  # per shard: {audience: {id: place in the whole audience}}
    count: int


def plan(common: Common | None, profiles, events, audiences, count: int,
         only: int | None = None, hashed: tuple | None = None) -> Plan:
    """Where everything goes, or (`only`) what goes to one shard. An event goes where its
    profile's id hashes, whether the profile is in the data or not (one not in the data is
    counted by that shard). A shard is told where its own profiles and events are, so that
    taking them reads nothing of the others'."""
    if hashed is None:
        hashed = (shards_of(_ids(profiles), count), shards_of(_event_profiles(events), count))
    members: list = [{name: [] for name in audiences} if audiences else audiences
                     for _ in range(count)]
    places: list[dict] = [{} for _ in range(count)]
    for name, ids_of in (audiences or {}).items():
        for place, profile_id in enumerate(ids_of):
            shard = shard_of(profile_id, count)
            members[shard][name].append(profile_id)
            places[shard].setdefault(name, {}).setdefault(profile_id, place)
    if common is not None and common.audience_decls:  # audiences the program defines
        order = dict(zip(_ids(profiles), itertools.count()))
        for shard in places:
            for decl in common.audience_decls:
                shard.setdefault(decl.name.name, order)
    keys = list(profiles) if isinstance(profiles, dict) else None
    return Plan(common, profiles, keys, events, _positions(hashed[0], count, only),
                _positions(hashed[1], count, only), members, places, count)


def _ids(profiles) -> Iterator[str]:
    """The profiles' ids, in their order."""
    return iter(profiles) if isinstance(profiles, dict) else map(operator.itemgetter("id"),
                                                                 profiles)


def _event_profiles(events) -> Iterator[str]:
    return map(operator.attrgetter("profile"), events)


def _positions(shards, count: int, only: int | None) -> list[list[int] | None]:
    """Per shard (or for shard `only`, the others None), the positions of its items, given
    each item's shard (a list, or `Hashed`'s memory)."""
    return [list(itertools.compress(itertools.count(), _is(shards, index)))
            if only is None or index == only else None for index in range(count)]


def _is(shards, index: int):
    """Whether each item's shard is `index`, item by item: over `Hashed`'s bytes, a mask of
    them made in one C-level pass."""
    if isinstance(shards, memoryview) and shards.format == "B":
        return bytes(shards).translate(bytes(value == index for value in range(256)))
    return map(index.__eq__, shards)


def one_shard(plan: Plan, index: int) -> Shard:
    """Shard `index` of a plan: its profiles, its events (with their indices in the whole
    input) and its audience members. Its clock is keyed when its records are watched, or when
    some of its events or members are of profiles not in the data (where each was first seen
    decides which the report names)."""
    if isinstance(plan.profiles, dict):
        ids = list(map(plan.keys.__getitem__, plan.mine[index]))
        profiles = dict(zip(ids, map(plan.profiles.__getitem__, ids)))
    else:
        profiles = profiles_by_id(list(map(plan.profiles.__getitem__, plan.mine[index])))
    numbers = plan.theirs[index]
    events = list(map(plan.events.__getitem__, numbers))
    known = profiles.__contains__
    members = plan.members[index]
    unknown = not (all(map(known, _event_profiles(events)))
                   and all(all(map(known, ids)) for ids in (members or {}).values()))
    watched = plan.common is not None and plan.common.watched
    return Shard(plan.common, profiles, events, numbers, members, watched or unknown,
                 plan.places[index], index, plan.count)


def split(whole: Plan) -> list[Shard]:
    """A plan's inputs as its shards."""
    return [one_shard(whole, index) for index in range(whole.count)]


@attrs.frozen
class _Forked:
    """What a forked worker finds in its command's memory: the whole run's inputs (common,
    profiles, events, audiences, count), of which it plans and takes its own shard, reading
    only its own profiles and events (and its slice of the ids, to hash), the pipe's end where
    it says it has started, and the shards of the ids as the processes hash them."""

    inputs: tuple
    started: int
    hashed: Hashed


_LOCAL: _Forked | None = None


def run_shard(shard: Shard | int, progress=None) -> Partial:
    """Simulate one shard (given, or by its index among the shards of a forked pool, which
    plans its own share of the inputs); `progress(done, total)` is told of its events."""
    if isinstance(shard, int):
        assert _LOCAL is not None
        if shard:  # (a worker's; this process runs the first)
            os.write(_LOCAL.started, b"s")
        shard = one_shard(plan(*_LOCAL.inputs, only=shard,
                               hashed=_LOCAL.hashed.shards(shard)), shard)
    common = shard.common
    records: list[tuple[tuple, int, Record]] = []
    clock = None

    def keep(record: Record) -> None:
        records.append((clock.current, len(records), record))

    with fewer_collections():
        simulation = Simulation(
            common.workspace.journeys, shard.profiles, shard.events, audiences=shard.audiences,
            audience_decls=common.audience_decls, datasources=common.datasources,
            responses=common.responses,
            actions=shared_limits(limits_of(common.workspace.programs.values()), shard.index,
                                  shard.count),
            caps=caps_of(common.workspace.programs.values()),
            lifecycle=common.lifecycle, behaviours=common.behaviours, seed=common.seed,
            start=common.start, until=common.until, record=keep if common.watched else None,
            statuses=common.statuses, progress=progress, track_changes=True,
            event_numbers=shard.numbers if shard.keyed else None,
            audience_order=(lambda audience, profile_id: shard.places[audience][profile_id])
            if shard.keyed else None)
        clock = simulation.clock
        simulation.simulate()
        report = build_report(simulation, common.workspace, common.start, common.built_in)
        unknowns = list(zip(simulation.unknown_positions, simulation.unknown_profiles))
        changed = {profile_id: simulation.profiles[profile_id]
                   for profile_id in simulation.changed}
    simulation.release()
    return Partial(report, unknowns, records, changed)


def simulate(common: Common, profiles, events, audiences, count: int,
             client=None, progress=None) -> tuple[dict, Iterator[Record], dict | list]:
    """Run the inputs in `count` shards, in processes or on the Dask cluster of `client`
    (`cluster()`'s);
    the merged report, the merged records (none unless watched) and the profiles as the run
    left them: each profile a shard changed (`set profile`) is updated in place with the
    shard's, as one process changes the profiles it was given, and they are handed back as
    given (a list, or a dict by id) when no shard changed any (SimulationResult makes a list
    a dict by id once it is asked for).

    In processes, this one forks a worker for each shard but the first, which finds the
    inputs in memory (frozen out of the garbage collector's walks, which would otherwise copy
    every page of them into each worker), hashes its slice of the ids with the others
    (`Hashed`), plans its own share and takes it; this process does the same for the first
    shard meanwhile, simulates it, and tells `progress(done, total)` of its
    events as a share of the whole input's (the shards go at about one pace). A page of the
    inputs that both a worker and this process write (a count of references, as an object is
    read) is then copied once, by the first to write, where two workers would each copy it."""
    global _LOCAL
    with _pool(count, client) as pool:
        started = os.pipe() if pool.forks else None
        if pool.forks:
            _LOCAL = _Forked((common, profiles, events, audiences, count), started[1],
                             Hashed(profiles, events, count))
            gc.freeze()
        try:
            payloads = range(1, count) if pool.forks else split(
                plan(common, profiles, events, audiences, count))
            futures = _submitted(pool.executor, payloads)
            if pool.forks:
                _started(started[0], len(futures))
            here = [run_shard(0, _scaled(progress, len(events)))] if pool.forks else []
            partials = here + _results(futures, pool)
        finally:
            _LOCAL = None
            gc.unfreeze()
            for descriptor in started or ():
                os.close(descriptor)
    if any(partial.changed for partial in partials):
        profiles = profiles_by_id(profiles)
        for partial in partials:
            for profile_id, profile in partial.changed.items():
                profiles[profile_id].update(profile)  # (`set` adds or replaces, never removes)
    return merge_reports(partials), merge_records(partials), profiles


def _submitted(executor, payloads) -> list:
    """The shards handed to the executor (which starts its worker processes at the first),
    or a ShardError when the system cannot start them (too many processes, say)."""
    try:
        with warnings.catch_warnings():  # (Dask's advice on sending a shard's inputs with it:
            warnings.filterwarnings("ignore", "Sending large graph", UserWarning)  # by design)
            return [executor.submit(run_shard, payload) for payload in payloads]
    except OSError as error:
        raise ShardError(f"cannot start the worker processes ({error.strerror or error})") from None


def _results(futures, pool: _Pool) -> list[Partial]:
    """The shards' partial results, or a ShardError when a worker ended before its shard was
    done (killed, say, or out of memory; on a cluster, once Dask has given up on it), or when
    the cluster has had no workers for CONNECT_SECONDS."""
    if pool.workers is not None:
        _while_workers(futures, pool.workers)
    try:
        return [future.result() for future in futures]
    except pool.ended:
        raise ShardError("a worker ended before its shard was done (killed, or out of "
                         "memory?)") from None


def _while_workers(futures, workers, every: float = 1.0) -> None:
    """Wait for `futures` while the cluster has workers: a shard waits for a worker as long as
    it takes, and a cluster that has lost them all would keep the run waiting for ever."""
    pending, since = futures, None
    while pending:
        pending = concurrent.futures.wait(pending, timeout=every).not_done
        if not pending or workers():
            since = None
        elif since is None:
            since = time.monotonic()
        elif time.monotonic() - since > CONNECT_SECONDS:
            raise ShardError(f"the Dask cluster has had no workers for {CONNECT_SECONDS} s, "
                             "with shards still to run")


def _scaled(progress, whole: int):
    """`progress` told of a shard's events as a share of the `whole` input's."""
    if progress is None:
        return None
    return lambda done, total: progress(done * whole // total if total else whole, whole)


def _started(descriptor: int, workers: int, longest: float = 0.5) -> None:
    """Wait (at most `longest` seconds) until the forked `workers` have each said they started
    on their shard: the executor's threads that hand the shards over need the interpreter,
    which planning and simulating the first shard here would hold for as long as it takes."""
    until = time.monotonic() + longest
    while workers > 0:
        left = until - time.monotonic()
        if left <= 0 or not select.select([descriptor], [], [], left)[0]:
            return
        workers -= len(os.read(descriptor, workers))


@attrs.frozen
class _Pool:
    """Where the shards run: an Executor, whether its workers are forks of this process
    (which find the inputs in memory instead of having them sent, and leave the first shard
    to this process), what its futures raise when a worker ended before its shard was done,
    and on a cluster how many workers it has (else None)."""

    executor: concurrent.futures.Executor
    forks: bool
    ended: tuple[type[BaseException], ...]
    workers: Callable[[], int] | None = None


@contextlib.contextmanager
def _pool(count: int, client):
    """The worker processes of a run in `count` shards, or the cluster of `client`."""
    if client is None:
        forks = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if forks else None)
        with concurrent.futures.ProcessPoolExecutor(
                count - 1 if forks else count, mp_context=context,
                initializer=_end_with, initargs=(os.getpid(),)) as executor:
            yield _Pool(executor, forks, (concurrent.futures.BrokenExecutor,))
        return
    yield cluster_pool(client)


def cluster_pool(client) -> _Pool:
    """A Dask cluster's client as a pool: its executor, its workers counted."""
    return _Pool(client.get_executor(), False, (dask().KilledWorker,),
                 lambda: len(client.nthreads()))


PR_SET_PDEATHSIG = 1  # (Linux's prctl: the signal a process gets when its parent ends)


def _end_with(parent: int) -> None:
    """A worker's start: it ends when the command that started it does (killed by a time
    limit, say) instead of simulating its shard for nobody. On Linux; elsewhere a worker
    ends once it finds the command gone, at the end of its shard."""
    import ctypes  # (here: only a worker needs it)

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError, TypeError):  # (no prctl: not Linux)
        return
    if os.getppid() != parent:  # the command ended before the signal was asked for
        os._exit(1)


def dask():
    """The `distributed` module, or a ShardError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise ShardError("--scheduler needs Dask: pip install 'journeylang[dask]'") from None
    return distributed


def address_problem(scheduler: str) -> str | None:
    """What is wrong with `scheduler` as the address of a Dask scheduler, or None: a scheme
    Dask knows (tcp:// when none is given) and, over TCP or TLS, a host and a port."""
    from distributed.comm import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(scheduler)
        get_backend(scheme)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except ValueError as error:
        text = str(error)
        reason = ("no port" if "missing port" in text else
                  "its port is not a number" if "invalid literal" in text else text)
        return (f"{scheduler!r} is not the address of a Dask scheduler ({reason}; "
                "tcp://HOST:PORT, as `dask scheduler` prints it)")
    return None


@contextlib.contextmanager
def cluster(scheduler: str):
    """A client of the Dask cluster at `scheduler`, once it has a worker, or a ShardError
    saying why not (no scheduler there, or none of its workers joined within
    CONNECT_SECONDS)."""
    distributed = dask()
    problem = address_problem(scheduler)
    if problem is not None:
        raise ShardError(problem)
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ShardError(f"cannot reach the Dask scheduler at {scheduler} within "
                         f"{CONNECT_SECONDS} s ({error})") from None
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as error:
            raise ShardError(f"the Dask scheduler at {scheduler} has no workers (none joined "
                             f"within {CONNECT_SECONDS} s; start one with `dask worker "
                             f"{scheduler}`)") from None
        yield client
    finally:
        client.close()


def shard_count(workers: int | None, client=None) -> int:
    """How many shards a run has: `workers`, or without it one in a process of its own, and
    on the cluster of `client` as many as its workers have threads (what must still run in
    one process whatever the count: `one_process_because`)."""
    if workers is not None:
        return workers
    if client is None:
        return 1
    return max(1, sum(client.nthreads().values()))


def share_of_limit(limit: int, index: int, count: int) -> int:
    """Shard `index`'s share of a global limit over `count` shards: limit // count, and one
    more for each of the first limit % count shards (the shares add up to the limit)."""
    return limit // count + (index < limit % count)


def shared_limits(limits: dict[str, Limits], index: int, count: int) -> dict[str, Limits]:
    """The limits one shard enforces: its share of every action's `rate` and `cap` (§9)."""
    if count == 1:
        return limits
    return {name: attrs.evolve(
        limit, rate=None if limit.rate is None else share_of_limit(limit.rate, index, count),
        cap=None if limit.cap is None else share_of_limit(limit.cap, index, count))
        for name, limit in limits.items()}


def one_process_because(workspace, profiles, audiences, count: int) -> str | None:
    """Why a run must stay in one process whatever `--workers` says, or None. In this
    edition: a campaign (its populations and joins span every member), an action whose
    `rate` or `cap` is smaller than the `count` shards it would be shared out among (a shard
    with a share of 0 could never call it), a journey's `cap entries` (an entry's rejection
    depends on every profile's entries before it), and an audience read whose members may
    take more than one second to enter at its rate (member k enters `k // rate` seconds
    after the read, k counted over the whole audience)."""
    campaigns = sorted(j.name for j in workspace.journeys if isinstance(j, n.Campaign))
    if campaigns:
        return (f"campaign \"{campaigns[0]}\" moves its population together, and its joins "
                "span every member")
    programs = list(workspace.programs.values())
    for name, limits in sorted(limits_of(programs).items()):
        for kind, limit in (("rate", limits.rate), ("cap", limits.cap)):
            if limit is not None and limit < count:
                return (f"action `{name}` has a {kind} of {limit}, too small to share out "
                        f"over {count} workers")
    capped = sorted(journey.name for journey in workspace.journeys
                    if journey.property(n.EntryCap) is not None)
    if capped:
        return f"journey \"{capped[0]}\" caps its entries over all profiles"
    for journey in workspace.journeys:
        entry = journey.entry
        if not isinstance(entry, n.AudienceEntry):
            continue
        rate = int(entry.rate.count) if entry.rate is not None else READ_RATE
        given = (audiences or {}).get(entry.audience.name)
        members = len(given) if given is not None else len(profiles)
        if members > rate:
            return (f"the audience read of \"{journey.name}\" lets its members in over more "
                    "than one second")
    return None


def merge_reports(partials: list[Partial]) -> dict:
    """The one-process report from the shards' reports: counts added, the end the latest,
    the first unknown profiles by where they were first seen."""
    reports = [partial.report for partial in partials]
    merged = dict(reports[0])
    for field in ("profiles", "events", "unknown_profile_events"):
        merged[field] = sum(report[field] for report in reports)
    merged["end"] = max(report["end"] for report in reports)
    merged["behaviour_events"] = _add_counts(report["behaviour_events"] for report in reports)
    unknowns = sorted(pair for partial in partials for pair in partial.unknowns)
    merged["unknown_profiles"] = [profile_id for _, profile_id in unknowns][:5]
    merged["journeys"] = [
        {**_added(journeys), "versions": [_merge_version(versions)
                                          for versions in zip(*(j["versions"] for j in journeys))]}
        for journeys in zip(*(report["journeys"] for report in reports))]
    merged["actions"] = _added([report["actions"] for report in reports])
    shared = limits_shared(reports)
    for action, shares in zip(merged["actions"], shared):
        for kind in ("rate", "cap"):
            if shares[kind] is not None:
                action[kind] = {**action[kind], "calls": sum(shares[kind])}
    shared = [shares for shares in shared if shares["rate"] or shares["cap"]]
    if shared and len(reports) > 1:
        merged["limits_shared"] = {"workers": len(reports), "actions": shared}
    return merged


def limits_shared(reports: list[dict]) -> list[dict]:
    """Per action (in the reports' order), the share of its `rate` and of its `cap` that
    each shard enforced (None: no such limit): what the report says of the sharing."""
    return [{"action": actions[0]["action"],
             **{kind: None if actions[0][kind] is None else
                [action[kind]["calls"] for action in actions] for kind in ("rate", "cap")}}
            for actions in zip(*(report["actions"] for report in reports))]


def _merge_version(versions) -> dict:
    """One version's figures over the shards: counts added, the first and last entries and
    the first errors over all, shares worked out again from the added counts."""
    merged = _added(versions)
    entered = [version["entered"] for version in versions if version["entered"] is not None]
    merged["entered"] = {"first": min(e["first"] for e in entered),
                         "last": max(e["last"] for e in entered)} if entered else None
    # (in the order one process keeps them, tally.error_order: its instants sort as text)
    errors = sorted((error for version in versions for error in version["first_errors"]),
                    key=lambda error: (error["time"], error["file"], error["line"],
                                       error["column"], error["profile"]))
    merged["first_errors"] = errors[:FIRST_ERRORS]
    merged["more_errors"] = merged["errors"] - len(merged["first_errors"])
    lift = merged["lift"]
    if lift is not None:
        for event in lift["events"]:
            held = share(event["held_out_senders"], lift["held_out"])
            treated = share(event["treated_senders"], lift["treated"])
            event.update(held_out_share=held, treated_share=treated,
                         lift=round(treated - held, 4) if None not in (held, treated) else None)
    return merged


def _added(values):
    """Values of one shape from every shard, added: numbers summed (but the places and
    numbers that name things), counts by key added, lists of records merged item by item."""
    values = [value for value in values if value is not None]  # (a shard with none of it)
    if not values:
        return None
    first = values[0]
    if isinstance(first, dict):
        merged = {}
        keys = dict.fromkeys(key for value in values for key in value)  # counts by reason, say,
        for key in keys:  # that only some shards have
            found = [value[key] for value in values if key in value]
            if key in _NAMES or isinstance(found[0], (str, bool)):
                merged[key] = found[0]
            elif key in _LONGEST:
                merged[key] = max(found)
            else:
                merged[key] = _added(found)
        if all(isinstance(value, int) for value in merged.values()):
            merged = dict(sorted(merged.items()))  # counts by key, as a report sorts them
        return merged
    if isinstance(first, list):
        return [_added(list(items)) for items in zip(*values)]
    if isinstance(first, (int, float)) and not isinstance(first, bool):
        return sum(values)
    return first


_NAMES = {"version", "line", "column", "schema_version", "seed", "rate", "cap"}
_LONGEST = {"longest_queue_wait", "last_member_after"}


def _add_counts(counts) -> dict:
    total: dict = {}
    for count in counts:
        for key, value in count.items():
            total[key] = total.get(key, 0) + value
    return dict(sorted(total.items()))


def merge_records(partials: list[Partial]) -> Iterator[Record]:
    """The shards' records in the one-process order (by position, then as each shard made
    them), instances numbered again in the order of entry."""
    numbers: dict[tuple[int, int], int] = {}
    entered = itertools.count(1)
    streams = [[(position, count, shard, record) for position, count, record in partial.records]
               for shard, partial in enumerate(partials)]
    for _, _, shard, record in heapq.merge(*streams, key=operator.itemgetter(0, 1)):
        if record.instance is not None:
            key = (shard, record.instance)
            if type(record) is Enter:
                numbers[key] = next(entered)
            record = msgspec.structs.replace(record, instance=numbers[key])
        yield record
