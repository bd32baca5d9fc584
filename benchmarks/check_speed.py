"""How fast `journey check` is: parse and check a generated workspace of about 10,000 lines.

    python benchmarks/check_speed.py [--lines 10000] [--repeat 3]

The workspace is made of the shipped examples, each copied under new journey names until the
line count is reached, in a temporary directory. Prints lines per second for parsing alone and
for parsing plus checking (the best of the repeats).
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from journeylang.checker import check_workspace  # noqa: E402
from journeylang.parser import parse  # noqa: E402
from journeylang.workspace import load  # noqa: E402


def generate(directory: pathlib.Path, lines: int) -> int:
    """Write copies of the examples (journeys, audiences and actions renamed, one directory per copy); return the
    number of lines written."""
    examples = sorted((ROOT / "examples").rglob("*.journey"))
    names = sorted({name for example in examples for name in re.findall(
        r'journey "([^"]+)"', example.read_text(encoding="utf-8"))}, key=len, reverse=True)
    written, copy = 0, 0
    while written < lines:
        for example in examples:
            text = example.read_text(encoding="utf-8")
            for name in names:  # in the journeys and in the tests that name them
                text = text.replace(f'"{name}"', f'"{name} #{copy}"')
            for declared in re.findall(r'^(?:audience|action) "([^"]+)"', text, flags=re.MULTILINE):
                text = text.replace(f'"{declared}"', f'"{declared} #{copy}"')
            target = directory / f"copy{copy:03d}" / example.relative_to(ROOT / "examples")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            for data in example.parent.glob("*.json"):
                (target.parent / data.name).write_text(data.read_text())
            written += text.count("\n")
        copy += 1
    return written


def best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=10_000)
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        directory = pathlib.Path(temporary)
        lines = generate(directory, args.lines)
        files = sorted(directory.rglob("*.journey"))
        texts = [(path.read_text(encoding="utf-8"), str(path)) for path in files]
        parse_only = best(args.repeat, lambda: [parse(text, name) for text, name in texts])

        def check():
            diagnostics = check_workspace(load([directory]))
            errors = [d for d in diagnostics if d.is_error]
            assert not errors, errors[0]

        checked = best(args.repeat, check)
    print(f"workspace: {len(files)} files, {lines} lines")
    print(f"parse:          {parse_only:6.3f} s   {lines / parse_only:10,.0f} lines/s")
    print(f"parse + check:  {checked:6.3f} s   {lines / checked:10,.0f} lines/s  (target 20,000)")


if __name__ == "__main__":
    main()
