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


def processor_time() -> float:
    """The processor time of this process and of the processes it started and waited for
    (the workers; the trace's scribe)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_path(path: str, count: int, seed: int, workers: int, directory: str | None) -> dict:
    """One path, timed, in this process: its seconds and what the comparison needs."""
    people = generate.profiles(count, seed)
    if path == "hand-written":
        import handwritten
        signups = generate.signups(people)
        started, processor = time.perf_counter(), time.process_time()
        sends = handwritten.simulate(people, signups)
        return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - processor,
                "tally": sends}
    from journeylang.inputs import Event
    from journeylang.run import simulate
    from journeylang.workspace import load

    workspace = load([JOURNEY] if path != "files" else [directory])
    no_data: dict = {}  # shared by the events without data, as the events reader does
    # each side holds its own input only, and never the other's on the way: here the events
    events = [Event(at, who, "signup", no_data) for at, who in generate.each_signup(people)]
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
    started, processor = time.perf_counter(), processor_time()
    result = simulate(workspace, profiles=people, events=events, **options)
    seconds, cpu = time.perf_counter() - started, processor_time() - processor
    counts = {send["message"]: send["sent"] for version in result.report["journeys"][0]["versions"]
              for send in version["sends"]}
    return {"seconds": seconds, "cpu": cpu, "tally": tally, "counts": counts}


def spawn(path: str, count: int, seed: int, workers: int = 2, directory: str | None = None) -> dict:
    """Run one path in a fresh process; its figures, with its peak RSS in MiB."""
    command = [sys.executable, __file__, str(count), "--seed", str(seed), "--path", path,
               "--workers", str(workers)]
    if directory is not None:
        command += ["--directory", directory]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def whole_process(directory: str) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "journeylang", "run", directory, "--format", "json"],
                   check=True, capture_output=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"seconds": seconds, "cpu": cpu, "rss_mib": after.ru_maxrss / 1024}


def settle(directory: str) -> None:
    """Between two paths, outside their timing: the trace's lines go, and what is still to be
    written to disk is written, so that the kernel's writing of 2 GB of trace does not take a
    core from the path after it (the workers path, which needs both)."""
    (pathlib.Path(directory) / "trace.jsonl").unlink(missing_ok=True)
    os.sync()


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
                settle(directory)

    seconds = {path: statistics.median(run["seconds"] for run in done) for path, done in runs.items()}
    cpu = {path: statistics.median(run["cpu"] for run in done) for path, done in runs.items()}
    rss = {path: max(run["rss_mib"] for run in done) for path, done in runs.items()}
    hand, hand_cpu = seconds["hand-written"], cpu["hand-written"]
    print(f"{'':16}{'seconds':>10}{'µs/profile':>12}{'× hand':>8}{'CPU s':>8}{'× hand':>8}"
          f"{'peak RSS MiB':>14}")
    for path in paths:
        label = f"workers {args.workers}" if path == "workers" else path
        print(f"{label:16}{seconds[path]:10.2f}{seconds[path] / args.n * 1e6:12.2f}"
              f"{seconds[path] / hand:8.2f}{cpu[path]:8.2f}{cpu[path] / hand_cpu:8.2f}"
              f"{rss[path]:14.0f}")
    print(f"median of {args.repeat} interleaved rounds, each path in a fresh process; CPU s is "
          "processor time, the processes a path starts included (workers, the trace's scribe)")
    print(f"{'':34}{'wall':>8}{'CPU':>8}")

    def ratio(label: str, mine: str, theirs: str, target: str, by_cpu: bool = True) -> None:
        wall = seconds[mine] / seconds[theirs]
        shown = f"{cpu[mine] / cpu[theirs]:8.2f}" if by_cpu else f"{'':8}"
        print(f"{label:34}{wall:8.2f}{shown}   ({target})")

    ratio("report only / hand-written", "report", "hand-written", "≤ 2.0")
    ratio("on_record / hand-written", "on_record", "hand-written", "≤ 3")
    ratio("trace / report only", "trace", "report", "≤ 1.5")
    ratio(f"one process / workers {args.workers}", "report", "workers", "≥ 1.7", by_cpu=False)
    if args.whole_process:
        ratio("whole process / API (data)", "whole process", "report", "≤ 1.3")
        ratio("whole process / API (files)", "whole process", "files", "")
    print(f"{'peak RSS report / hand-written':34}{rss['report'] / rss['hand-written']:8.2f}"
          f"{'':8}   (≤ 1.3)")


if __name__ == "__main__":
    main()
