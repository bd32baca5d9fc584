"""A trace that cannot be written (a full disk) stops the run with a clear error, exit 1."""

from __future__ import annotations

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
