"""The performance benchmark: journeylang against hand-written Python on the reference workload.

    python benchmarks/run.py N [--seed S] [--check-only] [--whole-process]

Each side runs in its own process (so peak memory is its own), on the same N profiles and N
sign-ups built before timing: (a) journeylang through its API, `journeylang.simulate`, and
(b) the journey written by hand (benchmarks/reference/handwritten.py). Both must produce the
same sends: the count of each message and the sum of its send times. Prints seconds,
profiles/s, µs/profile, peak RSS and the ratio journeylang / hand-written (each time the best
of --repeat runs, 3 by default); exits 1 when the
two disagree. `--check-only` checks agreement without the timing table; `--whole-process`
also times `journey run` as a command on the same inputs written as JSON Lines (the best of
--repeat runs too).
"""

from __future__ import annotations

import argparse
import io
import json
import pathlib
import resource
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


class _SendTally(io.TextIOBase):
    """A trace file that keeps only what the comparison needs: per message, count and time sum."""

    def __init__(self):
        self.sends: dict[str, list[int]] = {}

    def write(self, text: str) -> int:
        from journeylang.core.instants import parse_instant
        for line in text.splitlines():
            record = json.loads(line)
            if record["kind"] == "send":
                tally = self.sends.setdefault(record["message"], [0, 0])
                tally[0] += 1
                tally[1] += parse_instant(record["time"])
        return len(text)


def run_journeylang(people, signups, with_tally: bool,
                    repeat: int = 1) -> tuple[float, float, dict | None, dict]:
    """(best seconds, first run's seconds, send tally or None, send counts)."""
    from journeylang.inputs import Event
    from journeylang.run import simulate
    from journeylang.workspace import load

    workspace = load([JOURNEY])
    events = [Event(at, who, "signup", {}) for at, who in signups]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = simulate(workspace, profiles=people, events=events)
        times.append(time.perf_counter() - started)
    counts = {send["message"]: send["sent"] for version in result.report["journeys"][0]["versions"]
              for send in version["sends"]}
    tally = None
    if with_tally:  # a second, untimed run, streaming its trace into the tally
        sink = _SendTally()
        simulate(workspace, profiles=people,
                 events=[Event(at, who, "signup", {}) for at, who in signups], trace=sink)
        tally = sink.sends
    return min(times), times[0], tally, counts


def run_handwritten(people, signups, repeat: int = 1) -> tuple[float, dict, dict]:
    import handwritten

    seconds = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        sends = handwritten.simulate(people, signups)
        seconds = min(seconds, time.perf_counter() - started)
    return seconds, sends, {message: tally[0] for message, tally in sends.items()}


def side(name: str, count: int, seed: int, with_tally: bool, repeat: int) -> None:
    """One side, in this process: print its figures as one JSON line."""
    people = generate.profiles(count, seed)
    signups = generate.signups(people)
    if name == "journeylang":
        seconds, first, tally, counts = run_journeylang(people, signups, with_tally, repeat)
    else:
        seconds, tally, counts = run_handwritten(people, signups, repeat)
        first = None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "first": first, "rss_mib": rss, "counts": counts,
                      "tally": tally}))


def spawn(name: str, count: int, seed: int, with_tally: bool, repeat: int) -> dict:
    command = [sys.executable, __file__, str(count), "--seed", str(seed), "--side", name,
               "--repeat", str(repeat)]
    if with_tally:
        command.append("--tally")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def whole_process(count: int, seed: int, repeat: int) -> float:
    """`journey run` as a command on the inputs written as JSON Lines: the best of `repeat`."""
    with tempfile.TemporaryDirectory() as temporary:
        directory = pathlib.Path(temporary)
        generate.write(directory, generate.profiles(count, seed))
        (directory / JOURNEY.name).write_text(JOURNEY.read_text())
        seconds = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "journeylang", "run", str(directory), "--format",
                            "json"], check=True, capture_output=True)
            seconds = min(seconds, time.perf_counter() - started)
        return seconds


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("n", type=int, help="number of profiles")
    options.add_argument("--seed", type=int, default=0)
    options.add_argument("--check-only", action="store_true")
    options.add_argument("--whole-process", action="store_true")
    options.add_argument("--repeat", type=int, default=3,
                         help="time each side this many times and keep the best (default 3)")
    options.add_argument("--side", choices=["journeylang", "handwritten"], help=argparse.SUPPRESS)
    options.add_argument("--tally", action="store_true", help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.side:
        side(args.side, args.n, args.seed, args.tally, args.repeat)
        return

    repeat = 1 if args.check_only else args.repeat
    mine = spawn("journeylang", args.n, args.seed, True, repeat)
    theirs = spawn("handwritten", args.n, args.seed, True, repeat)
    agree = mine["counts"] == theirs["counts"] and mine["tally"] == theirs["tally"]
    print(f"N = {args.n:,}   sends agree: {'yes' if agree else 'NO'}")
    if not agree:
        print(f"journeylang:  {mine['tally']}\nhand-written: {theirs['tally']}")
        sys.exit(1)
    if args.check_only:
        return
    print(f"{'':14}{'seconds':>10}{'profiles/s':>14}{'µs/profile':>12}{'peak RSS MiB':>14}")
    for label, figures in (("journeylang", mine), ("hand-written", theirs)):
        seconds = figures["seconds"]
        print(f"{label:14}{seconds:10.2f}{args.n / seconds:14,.0f}"
              f"{seconds / args.n * 1e6:12.2f}{figures['rss_mib']:14.0f}")
    print(f"ratio journeylang / hand-written: {mine['seconds'] / theirs['seconds']:.2f}")
    if args.whole_process:
        seconds = whole_process(args.n, args.seed, repeat)
        print(f"journey run (whole process, JSON Lines in, report out): {seconds:.2f} s, "
              f"{seconds / mine['seconds']:.2f}x the API's best time, "
              f"{seconds / mine['first']:.2f}x its first run in a fresh process ({mine['first']:.2f} s)")


if __name__ == "__main__":
    main()
