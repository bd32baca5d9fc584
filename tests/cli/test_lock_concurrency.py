"""Lifecycle commands run at the same moment in one workspace: each change lands in
`journeys.lock`, none is lost, and no temporary file is left beside it."""

from __future__ import annotations

import subprocess
import sys

from journeylang.lockfile import read_lock

PAIRS = 20
JOURNEY = 'journey "{name}" version 1 {{\n    on event signup\n    send email "{name}"\n}}\n'


def publish(root, name: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "journeylang", "publish", ".", name,
                             "--at", "2026-03-10T09:00:00Z"], cwd=root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_two_journeys_published_at_once_both_land(tmp_path):
    lost = []
    for pair in range(PAIRS):
        root = tmp_path / f"pair-{pair}"
        root.mkdir()
        for name in ("Alpha", "Beta"):
            (root / f"{name.lower()}.journey").write_text(JOURNEY.format(name=name))
        commands = [publish(root, name) for name in ("Alpha", "Beta")]
        for command in commands:
            output, _ = command.communicate(timeout=120)
            assert command.returncode == 0, output
        lock = read_lock(root)
        if {name for name, versions in lock.journeys.items() if versions[1].status == "live"} \
                != {"Alpha", "Beta"}:
            lost.append(pair)
        leftovers = sorted(path.name for path in root.iterdir()
                           if path.name.startswith(".journeys.lock."))
        assert leftovers == [], f"pair {pair} left {leftovers}"
    assert lost == [], f"{len(lost)} of {PAIRS} pairs lost an update"
