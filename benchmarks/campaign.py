"""Campaigns at scale: the reference workload as a campaign, against the report-only journey path.

    python benchmarks/campaign.py N [--seed S] [--repeat R]

On the reference workload's N profiles (benchmarks/reference/generate.py), each path in a
process of its own, the rounds interleaved, each figure the median over `--repeat` rounds (3):

  journey       the reference journey (benchmarks/reference/reference.journey) entered by
                N sign-ups: `journeylang.simulate`, report only (run.py's `report` path)
  audience      the same statements as a journey entered by a read of all N profiles
  campaign      the same statements as a campaign over the N profiles: one execution whose
                members move as a batch

Prints seconds, µs per profile, peak RSS and the campaign's ratio to the journey path (the
figure docs/campaigns.md and benchmarks/README.md quote). The campaign's sends must equal
the journey's, or the script exits 1.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

from run import HERE, JOURNEY, ROOT  # noqa: F401  (run.py puts src/ and reference/ on the path)

import generate  # noqa: E402

PATHS = ("journey", "audience", "campaign")


def _program(kind: str) -> str:
    """The reference statements under another head: an audience journey or a campaign."""
    text = JOURNEY.read_text(encoding="utf-8")
    head = 'journey "Reference" {\n    on event signup\n'
    assert head in text
    if kind == "campaign":
        return text.replace(head, 'campaign "Reference" {\n    read audience "everyone"\n')
    return text.replace(head, 'journey "Reference" {\n    read audience "everyone" rate 20000/s\n')


def run_path(path: str, count: int, seed: int) -> dict:
    from journeylang.inputs import Event
    from journeylang.run import simulate
    from journeylang.workspace import from_texts

    people = generate.profiles(count, seed)
    options: dict = {}
    if path == "journey":
        workspace = from_texts({"reference.journey": JOURNEY.read_text(encoding="utf-8")}, HERE)
        no_data: dict = {}
        options["events"] = [Event(at, who, "signup", no_data) for at, who in generate.signups(people)]
    else:
        workspace = from_texts({"reference.journey": _program(path)}, HERE)
        options["audiences"] = {"everyone": [person["id"] for person in people]}
        options["events"], options["start"] = [], generate.START
    started, processor = time.perf_counter(), time.process_time()
    result = simulate(workspace, profiles=people, **options)
    seconds, cpu = time.perf_counter() - started, time.process_time() - processor
    report = result.report
    sends = report["campaigns"][0]["sends"] if path == "campaign" else \
        report["journeys"][0]["versions"][0]["sends"]
    return {"seconds": seconds, "cpu": cpu,
            "counts": {send["message"]: send["sent"] for send in sends}}


def spawn(path: str, count: int, seed: int) -> dict:
    command = [sys.executable, __file__, str(count), "--seed", str(seed), "--path", path]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("n", type=int, help="number of profiles")
    options.add_argument("--seed", type=int, default=0)
    options.add_argument("--repeat", type=int, default=3)
    options.add_argument("--path", choices=PATHS, help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.path:
        figures = run_path(args.path, args.n, args.seed)
        figures["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return
    rounds: dict[str, list[dict]] = {path: [] for path in PATHS}
    for _ in range(args.repeat):
        for path in PATHS:
            rounds[path].append(spawn(path, args.n, args.seed))
    if rounds["campaign"][0]["counts"] != rounds["journey"][0]["counts"]:
        print("the campaign's sends differ from the journey's:",
              rounds["campaign"][0]["counts"], rounds["journey"][0]["counts"], file=sys.stderr)
        sys.exit(1)
    median = {path: statistics.median(r["seconds"] for r in runs) for path, runs in rounds.items()}
    print(f"{args.n} profiles, median of {args.repeat} rounds")
    for path in PATHS:
        rss = max(r["rss_mib"] for r in rounds[path])
        print(f"  {path:<9} {median[path]:8.2f} s  {median[path] / args.n * 1e6:7.2f} µs/profile"
              f"  peak RSS {rss:7.0f} MiB  {median[path] / median['journey']:5.2f}× the journey")
    print(f"campaign / report-only journey: {median['campaign'] / median['journey']:.2f}×"
          " (target ≤ 2.0)")


if __name__ == "__main__":
    main()
