"""Where a long trace's time goes: the run's own process against the scribe's.

    python benchmarks/trace_split.py N [--repeat R]

Runs the reference workload's trace path (`simulate(..., trace=FILE)`) on N profiles in four
ways, each in a process of its own, interleaved over R rounds (3; each figure the median):

  report        no trace, for comparison
  here          the whole trace written in the run's process (the scribe never takes over)
  scribe        as a run writes it: after 64 batches, the scribe (runtime/scribe.py) on
                another processor
  own part      the run's process alone: the batches encoded as for the scribe, then dropped
                (no scribe), which is what the run itself pays per record, the floor of the
                scribe's design
  null scribe   the scribe writing to /dev/null: the run and the scribe without the kernel's
                writing of the file

and prints, beside the wall time, the run's own processor time, the scribe's user and system
time, and the seconds the run waited on the pipe to the scribe.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE / "reference"))

import generate  # noqa: E402

WAYS = ("report", "here", "scribe", "own part", "null scribe")


def run_way(way: str, count: int, path: str) -> dict:
    from journeylang.inputs import Event
    from journeylang.run import simulate
    from journeylang.runtime import trace
    from journeylang.workspace import load

    people = generate.profiles(count, 0)
    no_data: dict = {}
    events = [Event(at, who, "signup", no_data) for at, who in generate.each_signup(people)]
    workspace = load([HERE / "reference" / "reference.journey"])
    waited = [0.0]
    if way == "here":
        trace.HANDOFF = 1 << 62
    elif way == "own part":
        class Dropped:
            def behind(self) -> bool:
                return False  # (never: the run makes no lines)

            def send(self, what, payload) -> None:
                pass

            def close(self) -> None:
                pass

        trace.Scribe.start = classmethod(lambda cls, file, name: Dropped())
    else:
        send = trace.Scribe.send

        def timed(self, what, payload) -> None:
            started = time.perf_counter()
            send(self, what, payload)
            waited[0] += time.perf_counter() - started

        trace.Scribe.send = timed
    options = {} if way == "report" else {"trace": "/dev/null" if way == "null scribe" else path}
    started, processor = time.perf_counter(), time.process_time()
    simulate(workspace, profiles=people, events=events, **options)
    seconds, cpu = time.perf_counter() - started, time.process_time() - processor
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": seconds, "cpu": cpu, "scribe_user": children.ru_utime,
            "scribe_system": children.ru_stime, "waited": waited[0]}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("n", type=int)
    options.add_argument("--repeat", type=int, default=3)
    options.add_argument("--way", choices=WAYS, help=argparse.SUPPRESS)
    options.add_argument("--path", help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.way:
        print(json.dumps(run_way(args.way, args.n, args.path)))
        return
    runs: dict[str, list[dict]] = {way: [] for way in WAYS}
    with tempfile.TemporaryDirectory() as directory:
        path = str(pathlib.Path(directory) / "trace.jsonl")
        for _ in range(args.repeat):
            for way in WAYS:
                done = subprocess.run([sys.executable, __file__, str(args.n), "--way", way,
                                       "--path", path], check=True, capture_output=True,
                                      text=True)
                runs[way].append(json.loads(done.stdout.splitlines()[-1]))
                pathlib.Path(path).unlink(missing_ok=True)
                os.sync()
    median = {way: {key: statistics.median(run[key] for run in done)
                    for key in done[0]} for way, done in runs.items()}
    report = median["report"]["seconds"]
    print(f"N = {args.n:,}   median of {args.repeat} interleaved rounds")
    print(f"{'':14}{'seconds':>9}{'× report':>10}{'run CPU s':>11}{'scribe user':>13}"
          f"{'scribe sys':>12}{'waited s':>10}")
    for way, figures in median.items():
        print(f"{way:14}{figures['seconds']:9.2f}{figures['seconds'] / report:10.2f}"
              f"{figures['cpu']:11.2f}{figures['scribe_user']:13.2f}"
              f"{figures['scribe_system']:12.2f}{figures['waited']:10.2f}")


if __name__ == "__main__":
    main()
