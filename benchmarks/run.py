"""The performance benchmark: journeylang against hand-written Python on the reference workload.

    python benchmarks/run.py N [--seed S] [--repeat R] [--workers W] [--check-only] [--whole-process]

Every path runs in a process of its own (so its peak memory is its own), on the same N
profiles and N sign-ups built before timing, once per round; the rounds interleave the paths
(the machine is shared and noisy) and each figure is the median over `--repeat` rounds (3):

  hand-written  the journey written by hand (benchmarks/reference/handwritten.py): a heap of
                timers, every send handed to a function with its time
  report        `journeylang.simulate`, the report only (its counts)
  on_record     the same with `on_record=`: every record handed over typed, with an integer
                time, nothing kept; the callback tallies the sends as the hand-written one does
  trace         the same with `trace=` a file: every record written as a line of JSON
  workers W     the report with `workers=W` processes (W from --workers, 2 by default)
  files         `journeylang.simulate(directory)`: the same inputs read from JSON Lines
  whole process `journey run DIR --format json` as a command, on those files (--whole-process)

The on_record path's send tally (per message: count and sum of send times) must equal the
hand-written one, or the script exits 1; `--check-only` checks that and nothing else. Prints
seconds, µs/profile, peak RSS and each ratio the benchmark's README quotes.
"""

from __future__ import annotations

import argparse
import json
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

JOURNEY = HERE / "reference" / "reference.journey"
PATHS = ("hand-written", "report", "on_record", "trace", "workers", "files")


def tally_sends():
    """An on_record callback keeping what a caller acting on sends needs, as the hand-written
    version does: per message, the count and the sum of the send times."""
    from journeylang.runtime.records import Send

    sends: dict[str, list[int]] = {}

    def watch(record) -> None:
        if type(record) is Send:
            tally = sends.get(record.message)
            if tally is None:
                tally = sends[record.message] = [0, 0]
            tally[0] += 1
            tally[1] += record.time

    return watch, sends


def run_path(path: str, count: int, seed: int, workers: int, directory: str | None) -> dict:
    """One path, timed, in this process: its seconds and what the comparison needs."""
    people = generate.profiles(count, seed)
    signups = generate.signups(people)
    if path == "hand-written":
        import handwritten
        started = time.perf_counter()
        sends = handwritten.simulate(people, signups)
        return {"seconds": time.perf_counter() - started, "tally": sends}
    from journeylang.inputs import Event
    from journeylang.run import simulate
    from journeylang.workspace import load

    workspace = load([JOURNEY] if path != "files" else [directory])
    events = [Event(at, who, "signup", {}) for at, who in signups]
    del signups  # each side holds its own input only: here the events
    options: dict = {}
    tally = None
    if path == "on_record":
        options["on_record"], tally = tally_sends()
    elif path == "trace":
        options["trace"] = str(pathlib.Path(directory) / "trace.jsonl")
    elif path == "workers":
        options["workers"] = workers
    elif path == "files":
        del people, events
        people = events = None
    started = time.perf_counter()
    result = simulate(workspace, profiles=people, events=events, **options)
    seconds = time.perf_counter() - started
    counts = {send["message"]: send["sent"] for version in result.report["journeys"][0]["versions"]
              for send in version["sends"]}
    return {"seconds": seconds, "tally": tally, "counts": counts}


def spawn(path: str, count: int, seed: int, workers: int = 2, directory: str | None = None) -> dict:
    """Run one path in a fresh process; its figures, with its peak RSS in MiB."""
    command = [sys.executable, __file__, str(count), "--seed", str(seed), "--path", path,
               "--workers", str(workers)]
    if directory is not None:
        command += ["--directory", directory]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def whole_process(directory: str) -> dict:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "journeylang", "run", directory, "--format", "json"],
                   check=True, capture_output=True)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "rss_mib": rss}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("n", type=int, help="number of profiles")
    options.add_argument("--seed", type=int, default=0)
    options.add_argument("--repeat", type=int, default=3, help="rounds; each figure is the median")
    options.add_argument("--workers", type=int, default=2, help="processes of the workers path")
    options.add_argument("--check-only", action="store_true")
    options.add_argument("--whole-process", action="store_true")
    options.add_argument("--path", choices=PATHS, help=argparse.SUPPRESS)
    options.add_argument("--directory", help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.path:
        figures = run_path(args.path, args.n, args.seed, args.workers, args.directory)
        figures["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return

    mine = spawn("on_record", args.n, args.seed)
    theirs = spawn("hand-written", args.n, args.seed)
    agree = mine["tally"] == theirs["tally"]
    print(f"N = {args.n:,}   sends agree: {'yes' if agree else 'NO'}")
    if not agree:
        print(f"journeylang:  {mine['tally']}\nhand-written: {theirs['tally']}")
        sys.exit(1)
    if args.check_only:
        return

    with tempfile.TemporaryDirectory() as directory:
        generate.write(pathlib.Path(directory), generate.profiles(args.n, args.seed))
        (pathlib.Path(directory) / JOURNEY.name).write_text(JOURNEY.read_text())
        paths = list(PATHS) + (["whole process"] if args.whole_process else [])
        runs: dict[str, list[dict]] = {path: [] for path in paths}
        for _ in range(args.repeat):
            for path in paths:
                runs[path].append(whole_process(directory) if path == "whole process"
                                  else spawn(path, args.n, args.seed, args.workers, directory))

    seconds = {path: statistics.median(run["seconds"] for run in done) for path, done in runs.items()}
    rss = {path: max(run["rss_mib"] for run in done) for path, done in runs.items()}
    hand = seconds["hand-written"]
    print(f"{'':16}{'seconds':>10}{'µs/profile':>12}{'peak RSS MiB':>14}{'× hand-written':>16}")
    for path in paths:
        label = f"workers {args.workers}" if path == "workers" else path
        print(f"{label:16}{seconds[path]:10.2f}{seconds[path] / args.n * 1e6:12.2f}"
              f"{rss[path]:14.0f}{seconds[path] / hand:16.2f}")
    print(f"median of {args.repeat} interleaved rounds; each path in a fresh process")
    print(f"report only / hand-written:      {seconds['report'] / hand:.2f}   (≤ 2.0)")
    print(f"on_record / hand-written:        {seconds['on_record'] / hand:.2f}   (≤ 3)")
    print(f"trace / report only:             {seconds['trace'] / seconds['report']:.2f}   (≤ 1.5)")
    print(f"peak RSS report / hand-written:  {rss['report'] / rss['hand-written']:.2f}   (≤ 1.3)")
    print(f"workers {args.workers}: faster than one by     {seconds['report'] / seconds['workers']:.2f}×  (≥ 1.7)")
    if args.whole_process:
        print(f"whole process / API (data):      {seconds['whole process'] / seconds['report']:.2f}   (≤ 1.3)")
        print(f"whole process / API (files):     {seconds['whole process'] / seconds['files']:.2f}")


if __name__ == "__main__":
    main()
