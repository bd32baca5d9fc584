"""What a shard costs before any process boundary: about half of N profiles simulated in one
process, taken as a shard takes them or as a contiguous block.

    python benchmarks/shard_locality.py N [--repeat R]

  contiguous    the first N/2 profiles and their sign-ups, one a second
  block, shard's times
                the same profiles, signing up at the times of shard 0's sign-ups, in order
  shard         the profiles whose id hashes to shard 0 of 2, and their sign-ups

Every side holds all N profiles and events in memory and runs the reference workload
(benchmarks/reference/). The whole input's sign-ups come one a second, and so do a
contiguous block's; a shard's come at the uneven gaps the hash leaves (one to a few seconds),
and its inputs are spread over the whole input's memory. The middle side tells the two
apart: the ratios are what each costs a worker of `--workers 2` per profile, which no count
of processes takes back. Each side runs in a fresh process, the rounds interleave them, and
each figure is the median of `--repeat` rounds (3).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "reference"))

import generate  # noqa: E402

JOURNEY = HERE / "reference" / "reference.journey"
SIDES = ("contiguous", "block, shard's times", "shard")


def run_side(side: str, count: int, seed: int) -> dict:
    from journeylang.inputs import Event
    from journeylang.run import simulate
    from journeylang.shards import shards_of
    from journeylang.workspace import load

    people = generate.profiles(count, seed)
    no_data: dict = {}
    events = [Event(at, who, "signup", no_data) for at, who in generate.each_signup(people)]
    owners = shards_of((person["id"] for person in people), 2)
    shard = [person for person, owner in zip(people, owners) if owner == 0]
    mine = {person["id"] for person in shard}
    shard_events = [event for event in events if event.profile in mine]
    if side == "shard":
        profiles, taken = shard, shard_events
    else:
        profiles, taken = people[:len(shard)], events[:len(shard)]
        if side != "contiguous":
            taken = [Event(at.time, event.profile, event.name, event.data)
                     for at, event in zip(shard_events, taken)]
    del shard, shard_events, mine
    workspace = load([JOURNEY])
    started = time.perf_counter()
    simulate(workspace, profiles=profiles, events=taken)
    return {"seconds": time.perf_counter() - started, "profiles": len(profiles)}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("n", type=int, help="number of profiles of the whole input")
    options.add_argument("--seed", type=int, default=0)
    options.add_argument("--repeat", type=int, default=3, help="rounds; each figure is the median")
    options.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.side:
        print(json.dumps(run_side(args.side, args.n, args.seed)))
        return
    runs: dict[str, list[dict]] = {side: [] for side in SIDES}
    for _ in range(args.repeat):
        for side in SIDES:
            output = subprocess.run(
                [sys.executable, __file__, str(args.n), "--seed", str(args.seed), "--side", side],
                check=True, capture_output=True, text=True).stdout
            runs[side].append(json.loads(output.splitlines()[-1]))
    print(f"N = {args.n:,}: shard 0 of 2 and blocks of its size, each in one process")
    print(f"{'':24}{'profiles':>10}{'seconds':>10}{'µs/profile':>12}")
    cost = {}
    for side in SIDES:
        seconds = statistics.median(run["seconds"] for run in runs[side])
        profiles = runs[side][0]["profiles"]
        cost[side] = seconds / profiles
        print(f"{side:24}{profiles:>10,}{seconds:>10.2f}{cost[side] * 1e6:>12.2f}")
    print(f"median of {args.repeat} interleaved rounds, each side in a fresh process")
    print(f"per profile: shard / contiguous {cost['shard'] / cost['contiguous']:.2f}; "
          f"uneven times {cost[SIDES[1]] / cost['contiguous']:.2f}, "
          f"then spread inputs {cost['shard'] / cost[SIDES[1]]:.2f}")


if __name__ == "__main__":
    main()
