"""Fuzzing campaigns: generated programs and inputs through `check` and `simulate`, for as long
as asked, with one oracle: nothing comes out but the language's own errors (a located
diagnostic, a `JourneyError`, a runtime error recorded in the trace), nothing hangs, and the
same case gives the same bytes twice.

    python benchmarks/fuzz.py 600               # ten minutes
    python benchmarks/fuzz.py 60 --seed 3 --out findings/

Each case is one of: a well-formed program with its profiles, events, audiences and scenario
(tests/fuzz/programs.py); the same program mutated into a near miss (tokens dropped,
repeated or swapped, lines moved, a number or a name replaced by an edge value); or the
program run on edge inputs (huge and tiny numbers, NaN and infinity, instants at the ends of
0001–9999, odd time zones, deep nesting). One case in five is simulated twice, to compare
the bytes, then again with no observer and with an `on_record` callback (each report must
be the traced run's) and, one in five of those, with two worker processes (the same report,
where no shared limit was reached). It prints the cases tried, how many the checker
accepted and how many were simulated, and every finding (kept in --out when given); it
exits 1 when there is a finding.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import pathlib
import random
import signal
import sys
import tempfile
import time
import traceback

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import journeylang  # noqa: E402
from journeylang.core.instants import format_instant  # noqa: E402
from tests.fuzz.programs import START, Case, cases  # noqa: E402

CASE_SECONDS = 20  # a case that runs longer than this is a hang
EDGE_NUMBERS = ["0", "-0", "1e400", "-1e400", "1e308", "5e-324", "9" * 5000, "-" + "9" * 400,
                "0.1", "NaN", "Infinity"]
EDGE_WORDS = ["{", "}", "(", ")", "[", "]", ",", ":", "=", "==", "%", "/", "join", "fork",
              "branch", "wait", "until", "within", "primary", "event", "profile", "null",
              "9999-12-31T23:59:59Z", "0001-01-01", "23:59", "91d", "0s", "1w 1d 1h 1m 1s",
              '"Europe"', '"Etc/GMT+12"', '"' + "x" * 300 + '"', "exit", "send", "email"]
EDGE_VALUES = [0, -1, 10 ** 30, -10 ** 30, 1.5e308, 5e-324, float("nan"), float("inf"),
               "9999-12-31", "0001-01-01T00:00:00Z", "", "ü" * 50, [], {}, [[[[[]]]]],
               {"a": {"b": {"c": {}}}}, True, None, "1e400"]


class Hang(Exception):
    pass


class Done(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: int):
    def ring(signum, frame):
        raise Hang(f"no answer within {seconds} s")
    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def mutate(text: str, draw: random.Random) -> str:
    """The program made a near miss: a few edits of its tokens and lines."""
    lines = text.splitlines()
    for _ in range(draw.randint(1, 4)):
        if not lines:
            break
        row = draw.randrange(len(lines))
        words = lines[row].split(" ")
        edit = draw.randrange(6)
        column = draw.randrange(len(words))
        if edit == 0:
            del words[column]
        elif edit == 1:
            words.insert(column, words[column])
        elif edit == 2:
            words[column] = draw.choice(EDGE_NUMBERS)
        elif edit == 3:
            words[column] = draw.choice(EDGE_WORDS)
        elif edit == 4 and len(lines) > 1:
            other = draw.randrange(len(lines))
            lines[row], lines[other] = lines[other], lines[row]
        else:
            lines.insert(row, lines[row])
        if edit != 4:
            lines[row] = " ".join(words)
    return "\n".join(lines) + "\n"


def plain_inputs(case: Case) -> tuple[list[dict], list[dict]]:
    """The case's profiles and events as the plain data the API takes."""
    events = [{"time": format_instant(event.time), "profile": event.profile, "event": event.name,
               "data": event.data} for event in case.events]
    return json.loads(json.dumps(case.profiles)), json.loads(json.dumps(events))


def edge_inputs(case: Case, draw: random.Random) -> tuple[list[dict], list[dict]]:
    """The case's inputs with some values replaced by edge values."""
    profiles, events = plain_inputs(case)
    for profile in profiles:
        for _ in range(draw.randint(0, 3)):
            key = draw.choice(["points", "tier", "country", "consent", "birthday", "blocked",
                               "first_name"])
            profile[key] = draw.choice(EDGE_VALUES)
    for event in events:
        if draw.random() < 0.3:
            event["data"][draw.choice(["amount", "source"])] = draw.choice(EDGE_VALUES)
        if draw.random() < 0.05:
            event["time"] = draw.choice(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
                                         "10000-01-01T00:00:00Z", 10 ** 12, -10 ** 12])
    return profiles, events


class Campaign:
    def __init__(self, seconds: float, out: pathlib.Path | None):
        self.ends = time.monotonic() + seconds
        self.out = out
        self.tried = self.clean = self.simulated = self.twice = self.compared = 0
        self.findings: list[str] = []

    def case(self, case: Case, choice: int, salt: int) -> None:
        if time.monotonic() > self.ends:
            raise Done()
        draw = random.Random(salt)
        self.tried += 1
        source = case.program.source
        if choice == 1:
            source = mutate(source, draw)
        profiles, events = edge_inputs(case, draw) if choice == 2 else plain_inputs(case)
        try:
            with deadline(CASE_SECONDS), tempfile.TemporaryDirectory() as root:
                self.run(case, source, profiles, events, pathlib.Path(root), twice=salt % 5 == 0)
        except Hang as hang:
            self.found(source, case, f"hang: {hang}")
        except Exception:  # the language's own errors are caught in run(): this is a finding
            self.found(source, case, traceback.format_exc())

    def run(self, case, source, profiles, events, root, twice: bool) -> None:
        case.write(root)
        (root / "case.journey").write_text(source, encoding="utf-8")
        try:
            if not journeylang.check(root).ok:
                return
        except journeylang.JourneyError:
            return
        self.clean += 1
        arguments = case.simulate_arguments(root)
        del arguments["profiles"], arguments["events"]
        outputs = []
        for _ in range(2 if twice else 1):
            trace = io.StringIO()
            try:
                report = journeylang.simulate(root, trace=trace, **arguments,
                                              profiles=copy.deepcopy(profiles),
                                              events=copy.deepcopy(events)).report
            except journeylang.JourneyError:
                return
            outputs.append((json.dumps(report, sort_keys=True), trace.getvalue()))
        self.simulated += 1
        if twice:
            self.twice += 1
            if outputs[0] != outputs[1]:
                raise AssertionError("two runs of one case gave different output")
            self.compare_paths(root, arguments, profiles, events, outputs[0][0])

    def compare_paths(self, root, arguments, profiles, events, report: str) -> None:
        """The report of the traced run against the same run with no observer, with an
        `on_record` callback and (one case in five of these) with two worker processes: an
        observer never changes an outcome, and shards give one process's report (where no
        shared limit was reached, §9)."""
        paths = [("no observer", {}), ("on_record", {"on_record": lambda record: None})]
        if self.twice % 5 == 0:
            paths.append(("--workers 2", {"workers": 2}))
        for name, options in paths:
            other = journeylang.simulate(root, **arguments, **options,
                                         profiles=copy.deepcopy(profiles),
                                         events=copy.deepcopy(events)).report
            other.pop("one_process", None)
            if other.pop("limits_shared", None) is not None:
                continue
            if json.dumps(other, sort_keys=True) != report:
                raise AssertionError(f"the report with {name} differs from the traced run's")
            self.compared += 1

    def found(self, source: str, case: Case, what: str) -> None:
        text = f"{what}\n--- program\n{source}\n--- case\n{case.describe()}\n"
        self.findings.append(text)
        if self.out is not None:
            self.out.mkdir(parents=True, exist_ok=True)
            (self.out / f"finding-{len(self.findings):03d}.txt").write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", type=float, help="how long the campaign runs")
    parser.add_argument("--seed", type=int, default=0, help="the seed of the generation")
    parser.add_argument("--out", type=pathlib.Path, help="a folder to keep each finding in")
    options = parser.parse_args()
    campaign = Campaign(options.seconds, options.out)

    @settings(max_examples=10 ** 9, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(cases(), st.integers(0, 2), st.integers(0, 2 ** 32))
    def campaign_case(case, choice, salt):
        campaign.case(case, choice, salt)

    started = time.monotonic()
    try:
        seed(options.seed)(campaign_case)()
    except Done:
        pass
    elapsed = time.monotonic() - started
    print(f"{elapsed:.0f} s: {campaign.tried:,} cases tried ({campaign.tried / elapsed:.1f}/s), "
          f"{campaign.clean:,} accepted by the checker, {campaign.simulated:,} simulated "
          f"({campaign.twice:,} of them twice, to compare, and {campaign.compared:,} reports "
          f"compared with another path's), {len(campaign.findings)} findings")
    for finding in campaign.findings[:5]:
        print("\n" + finding)
    return 1 if campaign.findings else 0


if __name__ == "__main__":
    sys.exit(main())
