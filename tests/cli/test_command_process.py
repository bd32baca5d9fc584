"""The installed command, as a process: its exit codes and its output, flushed before the
fast exit that skips the interpreter's teardown (cli.entry)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ..conftest import CASES, ROOT


def journey(*words: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeylang", *words], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def test_a_run_prints_its_whole_report_and_exits_0():
    result = journey("run", "examples/welcome", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # all of it reached the pipe
    assert report["journeys"][0]["journey"] == "Welcome series"


@pytest.mark.parametrize("words, code, said", [
    (("check", str(CASES / "cli" / "run-syntax-error-not-simulated")), 1, "error"),
    (("run", "examples/welcome", "--seed", "x"), 2, "'x' is not a valid integer"),
    (("run", "no-such-place"), 2, "no-such-place: no such file or directory"),
    (("--version",), 0, "journey, version"),
])
def test_exit_codes_and_messages(words, code, said):
    result = journey(*words)
    assert result.returncode == code
    assert said in result.stdout + result.stderr
