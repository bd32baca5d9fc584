"""The same inputs and seed give byte-identical output, whatever Python's hash seed: the
report and the trace of every example, run as the installed command under two seeds."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ..conftest import EXAMPLES

EXAMPLE_DIRS = sorted(path for path in EXAMPLES.iterdir() if path.is_dir())


def _run(example, hash_seed: str, tmp_path) -> tuple[bytes, bytes]:
    trace = tmp_path / f"trace-{hash_seed}.jsonl"
    command = [sys.executable, "-m", "journeylang", "run", str(example), "--format", "json",
               "--trace", str(trace)]
    scenario = example / "scenario.toml"
    if scenario.exists():
        command += ["--scenario", str(scenario)]
    done = subprocess.run(command, capture_output=True, env={**os.environ, "PYTHONHASHSEED": hash_seed})
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout, trace.read_bytes()


@pytest.mark.parametrize("example", EXAMPLE_DIRS, ids=[path.name for path in EXAMPLE_DIRS])
def test_output_does_not_depend_on_the_hash_seed(example, tmp_path):
    first = _run(example, "1", tmp_path)
    assert first[1], "the trace holds records"
    assert _run(example, "4242", tmp_path) == first
