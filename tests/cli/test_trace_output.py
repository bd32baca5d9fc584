"""A trace that cannot be written (a full disk) stops the run with a clear error, exit 1; a
trace to standard output (`-`, `/dev/stdout`, the file it is redirected to) comes whole,
before the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ..conftest import EXAMPLES


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_while_writing_the_trace_is_a_clear_error():
    done = subprocess.run([sys.executable, "-m", "journeylang", "run", str(EXAMPLES / "welcome"),
                           "--trace", "/dev/full"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip().endswith("error: /dev/full: cannot write the trace "
                                        "(No space left on device)")
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def _trace_then_report(text: str) -> tuple[list[dict], dict]:
    """The trace's records and the JSON report after them, from one output."""
    lines = text.splitlines()
    records = []
    for line in lines:
        if not line.startswith('{"time":'):
            break
        records.append(json.loads(line))
    return records, json.loads("\n".join(lines[len(records):]))


@pytest.mark.parametrize("trace", ["-", "/dev/stdout", "OUT"])
@pytest.mark.parametrize("population", [1000, 30000])  # (the latter through the scribe)
def test_a_trace_to_standard_output_redirected_to_a_file_comes_before_the_report(
        trace, population, tmp_path):
    out = tmp_path / "out.txt"
    alone = tmp_path / "alone.jsonl"
    command = [sys.executable, "-m", "journeylang", "run", str(EXAMPLES / "welcome"),
               "--population", str(population), "--format", "json"]
    subprocess.run([*command, "--trace", str(alone)], check=True, capture_output=True)
    with open(out, "wb") as stdout:
        done = subprocess.run([*command, "--trace", str(out) if trace == "OUT" else trace],
                              stdout=stdout, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 0, done.stderr
    records, report = _trace_then_report(out.read_text())
    assert records == [json.loads(line) for line in alone.read_text().splitlines()]
    assert report["profiles"] == population


@pytest.mark.parametrize("options, code, said", [
    ([], 0, ""),
    (["--trace", "-"], 1, "error: standard output: cannot write the trace (it is closed)"),
    (["--trace", "/dev/stdout"], 1, "error: /dev/stdout: cannot write the trace"),
])
def test_a_closed_standard_output_is_no_traceback(options, code, said):
    """`journey run … >&-`: nothing to print to, and nothing breaks on the way out."""
    done = subprocess.run([sys.executable, "-m", "journeylang", "run", str(EXAMPLES / "welcome"),
                           *options], stderr=subprocess.PIPE, text=True,
                          preexec_fn=lambda: os.close(1))
    assert "Traceback" not in done.stderr
    assert done.returncode == code
    assert said in done.stderr
