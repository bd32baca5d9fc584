"""`--scheduler`: the same shards on a Dask cluster (an in-process one here) give, for every
run case and example, the report of one process and leave the profiles as it does; a
scheduler that does not answer, has no workers or loses them, an address that is none, or
Dask missing, is a clear error."""

from __future__ import annotations

import concurrent.futures
import sys
import threading
import time

import pytest

from journeylang.run import SimulationError, simulate
from journeylang import shards

from ..conftest import CASES, EXAMPLES
from .test_workers import (EXAMPLE_DIRS, RUN_CASES, assert_case_runs_as_one_process,
                           assert_example_runs_as_one_process)

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    """A local cluster of two worker processes, a thread each, behind a scheduler on
    127.0.0.1: every shard and partial result crosses a socket, pickled, as on a real one."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.mark.parametrize("name", ["behaviours-seeded", "fork-join-primary", "consent-suppressed",
                                  "set-profile-seen-by-another-journey"])
def test_more_shards_than_the_cluster_has_threads_give_the_same_report(name, scheduler,
                                                                        monkeypatch):
    case = CASES / "run" / name
    monkeypatch.chdir(case)
    options = {"scenario": "scenario.toml"} if (case / "scenario.toml").exists() else {}
    one = simulate(".", **options)
    three = simulate(".", scheduler=scheduler, workers=3, **options)
    assert three.report == one.report and three.profiles == one.profiles


@pytest.mark.parametrize("case", RUN_CASES, ids=[case.name for case in RUN_CASES])
def test_every_run_case_gives_on_a_cluster_the_report_of_one_process(case, scheduler,
                                                                      monkeypatch):
    """As with two worker processes (tests/shards/test_workers.py): the report byte for byte,
    the profiles as one process leaves them, and the same trace."""
    assert_case_runs_as_one_process(case, monkeypatch, scheduler=scheduler)


@pytest.mark.parametrize("example", EXAMPLE_DIRS, ids=[path.name for path in EXAMPLE_DIRS])
def test_every_example_gives_on_a_cluster_the_report_of_one_process(example, scheduler,
                                                                    monkeypatch):
    assert_example_runs_as_one_process(example, monkeypatch, scheduler=scheduler)


def test_a_cluster_shares_the_actions_limits_as_worker_processes_do(scheduler, monkeypatch):
    monkeypatch.chdir(EXAMPLES / "crm-lookup")
    processes = simulate(".", scenario="scenario.toml", workers=2).report
    assert processes["limits_shared"]["actions"][0]["rate"] == [3, 2]
    assert simulate(".", scenario="scenario.toml", scheduler=scheduler, workers=2).report == processes


def test_an_unreachable_scheduler_is_an_error_not_a_hang(monkeypatch):
    monkeypatch.setattr(shards, "CONNECT_SECONDS", 1)
    with pytest.raises(SimulationError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        simulate(CASES / "run" / "consent-suppressed", scheduler="tcp://127.0.0.1:9")


def test_without_dask_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(SimulationError, match=r"pip install 'journeylang\[dask\]'"):
        simulate(CASES / "run" / "consent-suppressed", scheduler="tcp://127.0.0.1:9")


def test_a_scheduler_without_workers_is_an_error_not_a_hang(monkeypatch):
    """A scheduler started with no worker yet: the run says so instead of waiting for ever."""
    monkeypatch.setattr(shards, "CONNECT_SECONDS", 1)
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty:
        started = time.monotonic()
        with pytest.raises(SimulationError, match="has no workers .*start one with `dask worker"):
            simulate(CASES / "run" / "consent-suppressed", scheduler=empty.scheduler_address)
        assert time.monotonic() - started < 30


def test_a_cluster_that_loses_its_workers_is_an_error_not_a_hang(monkeypatch):
    """Shards still to run, and no worker left to run them for CONNECT_SECONDS: an error."""
    monkeypatch.setattr(shards, "CONNECT_SECONDS", 0.2)
    never = concurrent.futures.Future()
    with pytest.raises(shards.ShardError, match="no workers for 0.2 s"):
        shards._while_workers([never], lambda: 0, every=0.05)
    done = concurrent.futures.Future()  # with a worker, however long the shard takes
    threading.Timer(0.5, done.set_result, [None]).start()
    shards._while_workers([done], lambda: 1, every=0.05)
    assert done.done()


def test_an_address_that_is_none_is_an_error_before_any_connection():
    with pytest.raises(SimulationError, match=r"'tcp://127.0.0.1' is not the address of a Dask "
                                              r"scheduler \(no port; tcp://HOST:PORT"):
        simulate(CASES / "run" / "consent-suppressed", scheduler="tcp://127.0.0.1")


def test_a_shard_dask_gave_up_on_is_an_error_saying_a_worker_ended(scheduler):
    """Dask retries a shard whose worker died, then gives up on it (KilledWorker)."""
    given_up = concurrent.futures.Future()
    given_up.set_exception(distributed.KilledWorker("run_shard-0", "tcp://127.0.0.1:1",
                                                    allowed_failures=3))
    with shards.cluster(scheduler) as client:
        with pytest.raises(shards.ShardError, match="a worker ended before its shard was done"):
            shards._results([given_up], shards.cluster_pool(client))
