"""Instructions per profile: the report-only path's processor instructions, counted, not timed.

    python benchmarks/instructions.py [N] [--path report|on_record|trace|hand-written]

Runs the reference workload under valgrind's callgrind twice, simulating N and 5×N of the
same generated profiles (5,000 and 25,000 by default), and prints the difference in
instructions divided by the difference in profiles: the cost of one more profile, with the
interpreter's start, the imports and the parsing of the journey taken out. The count is the
same from one run to the next (to about 0.5%) whatever the machine's load, so a change of a
percent or two shows here when timing runs on a shared machine cannot see it; it does not
see what memory costs (a cache miss counts as one instruction). The trace path counts the
run's own process: the trace's scribe (runtime/scribe.py), a process of its own, is not
counted, nor what the kernel does to pass it the batches. Needs valgrind (Debian's
package `valgrind`); takes about a minute.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
JOURNEY = HERE / "reference" / "reference.journey"


def workload(count: int, total: int, path: str) -> None:
    """Simulate the first `count` of `total` generated profiles (all of them generated, so
    that both runs do the same work outside the simulation)."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE / "reference"))
    import generate

    people = generate.profiles(total, 0)[:count]
    if path == "hand-written":
        import handwritten
        signups = generate.signups(people)
        if count:
            handwritten.simulate(people, signups)
        return
    from journeylang.inputs import Event
    from journeylang.run import simulate
    from journeylang.workspace import load

    workspace = load([JOURNEY])
    no_data: dict = {}
    events = [Event(at, who, "signup", no_data) for at, who in generate.each_signup(people)]
    options = {}
    if path == "on_record":
        options["on_record"] = lambda record: None
    if path == "trace":
        options["trace"] = pathlib.Path(tempfile.gettempdir()) / f"instructions-{count}.jsonl"
    if count:
        simulate(workspace, profiles=people, events=events, **options)
    if "trace" in options:
        options["trace"].unlink()


def instructions(count: int, total: int, path: str) -> int:
    """The instructions callgrind counts for one run of `workload`."""
    with tempfile.TemporaryDirectory() as directory:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={directory}/out",
             sys.executable, __file__, str(count), "--total", str(total), "--path", path,
             "--workload"], capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        sys.exit(f"callgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("n", type=int, nargs="?", default=5000)
    options.add_argument("--path", choices=("report", "on_record", "trace", "hand-written"),
                         default="report")
    options.add_argument("--total", type=int, help=argparse.SUPPRESS)
    options.add_argument("--workload", action="store_true", help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.workload:
        return workload(args.n, args.total, args.path)
    if shutil.which("valgrind") is None:
        sys.exit("instructions.py needs valgrind (apt-get install valgrind)")
    small, large = args.n, 5 * args.n
    few, many = instructions(small, large, args.path), instructions(large, large, args.path)
    print(f"{args.path}: {(many - few) / (large - small):,.0f} instructions per profile "
          f"({few:,} for {small:,} profiles, {many:,} for {large:,})")


if __name__ == "__main__":
    main()
