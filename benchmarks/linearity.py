"""Linearity: cost per profile at N and at 10×N, for journeylang and the hand-written yardstick.

    python benchmarks/linearity.py N [--factor F] [--repeat R]

Each side and size runs in its own process (benchmarks/run.py's `report` and `hand-written`
paths); each figure is the best of --repeat runs. Prints µs/profile at both sizes and how much it grew; linear
means a growth near 1.0.
"""

from __future__ import annotations

import argparse

import run


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("n", type=int, help="the smaller number of profiles")
    options.add_argument("--factor", type=int, default=10, help="the larger N is this times N")
    options.add_argument("--repeat", type=int, default=1, help="keep the best of this many runs")
    options.add_argument("--seed", type=int, default=0)
    args = options.parse_args()
    sizes = (args.n, args.n * args.factor)
    print(f"{'':14}" + "".join(f"{f'µs/profile N={size:,}':>26}" for size in sizes) + f"{'growth':>10}")
    for name, label in (("report", "journeylang"), ("hand-written", "hand-written")):
        costs = [min(run.spawn(name, size, args.seed)["seconds"] for _ in range(args.repeat))
                 / size * 1e6 for size in sizes]
        print(f"{label:14}" + "".join(f"{cost:26.2f}" for cost in costs)
              + f"{costs[1] / costs[0]:10.2f}")


if __name__ == "__main__":
    main()
