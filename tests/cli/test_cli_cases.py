"""Command-line cases under tests/cases/cli/<case>/: a command, its files, what it prints.

Each case folder holds `command` (one line, as typed: `journey run case.journey …`), the files
the command reads, and `expected.out`: `exit N` then everything the command printed (stdout
and stderr interleaved, as a user sees them). A `command` of several lines runs them in turn
in the same folder (one run's output feeding the next), and `expected.out` then holds, for
each, `$ COMMAND`, its `exit N` and its output. A command that writes `journeys.lock` is also
compared with `expected.lock` when that file exists, and any other file FILE it writes with
`expected.FILE`. Cases run in a copy of their folder, so commands that write files leave the
checkout alone. Regenerate with
`JOURNEY_UPDATE_GOLDEN=1 pytest tests/cli`, and read every change before committing it.
"""

from __future__ import annotations

import shlex
import shutil

import pytest
from click.testing import CliRunner

from journeylang.cli import main

from ..conftest import CASES, assert_golden

CLI_CASES = sorted(path for path in (CASES / "cli").iterdir() if path.is_dir())


def run_command(case, workdir, monkeypatch) -> str:
    shutil.copytree(case, workdir, dirs_exist_ok=True)
    monkeypatch.chdir(workdir)
    commands = (case / "command").read_text(encoding="utf-8").strip().splitlines()
    outputs = []
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "journey", "a command starts with `journey`"
        result = CliRunner().invoke(main, words[1:], prog_name="journey", env={"COLUMNS": "100"})
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        shown = f"$ {command}\n" if len(commands) > 1 else ""
        outputs.append(f"{shown}exit {result.exit_code}\n{result.output}")
    return "\n".join(outputs)


@pytest.mark.parametrize("case", CLI_CASES, ids=[case.name for case in CLI_CASES])
def test_cli_case(case, tmp_path, monkeypatch):
    workdir = tmp_path / case.name
    assert_golden(case / "expected.out", run_command(case, workdir, monkeypatch))
    lock, before = workdir / "journeys.lock", case / "journeys.lock"
    changed = lock.exists() and (not before.exists() or lock.read_bytes() != before.read_bytes())
    if changed or (case / "expected.lock").exists():
        assert_golden(case / "expected.lock", lock.read_text(encoding="utf-8"))
    for expected in case.glob("expected.*"):
        if expected.name not in ("expected.out", "expected.lock"):
            written = workdir / expected.name.removeprefix("expected.")
            assert written.exists(), f"the command did not write {written.name}"
            assert_golden(expected, written.read_text(encoding="utf-8"))
