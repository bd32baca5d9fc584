"""The lock file under the lifecycle commands: a broken one is a located error from every
command that reads it, and a change is refused, interrupted or blocked without debris."""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat

import filelock
import pytest
from click.testing import CliRunner

from journeylang import lockfile
from journeylang.cli import main

from ..conftest import CASES

PUBLISH = ["publish", ".", "Welcome", "--at", "2026-03-10T09:00:00Z"]
COMMANDS = {"check": ["check", "."], "versions": ["versions", "."], "publish": PUBLISH,
            "stop": ["stop", ".", "Welcome"], "run": ["run", ".", "--start", "2026-03-01T00:00:00Z"]}


def _broken(case) -> bool:
    try:
        lockfile.read_lock(case)
    except lockfile.LockError:
        return True
    return False


BROKEN = sorted(case for case in (CASES / "cli").iterdir() if _broken(case))
HEADLINE = re.compile(r"^journeys\.lock:\d+:\d+: error\[J70[12]\]: .+$", re.M)
JOURNEY = 'journey "Welcome" version 1 {\n    on event signup\n    send email "welcome"\n}\n'


def journey(*words: str):
    result = CliRunner().invoke(main, list(words), prog_name="journey")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    (tmp_path / "welcome.journey").write_text(JOURNEY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def leftovers(root) -> list[str]:
    return sorted(path.name for path in root.iterdir() if path.name.startswith(".journeys.lock."))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", BROKEN, ids=[case.name for case in BROKEN])
def test_a_broken_lock_is_one_located_error_for_every_command(case, command, tmp_path,
                                                              monkeypatch):
    shutil.copytree(case, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "journeys.lock").read_bytes()
    result = journey(*COMMANDS[command])
    assert result.exit_code == 1, result.output
    assert len(HEADLINE.findall(result.output)) == 1, result.output
    assert (tmp_path / "journeys.lock").read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_lock_file_that_is_a_directory(command, workspace):
    (workspace / "journeys.lock").mkdir()
    result = journey(*COMMANDS[command])
    assert result.exit_code == 1
    assert ("journeys.lock:1:1: error[J701]: cannot read the lock file: it is a directory"
            in result.output)
    assert (workspace / "journeys.lock").is_dir()


def test_a_change_leaves_the_guard_and_nothing_else(workspace):
    assert journey(*PUBLISH).exit_code == 0
    assert sorted(path.name for path in workspace.iterdir()) == [
        "journeys.lock", "journeys.lock.lock", "welcome.journey"]
    assert (workspace / "journeys.lock.lock").read_bytes() == b""
    assert journey("check", ".").exit_code == 0  # the guard is not a journey, nor a lock file


def test_a_temporary_file_left_by_a_killed_writer_is_removed_by_the_next_change(workspace):
    (workspace / ".journeys.lock.0123456789abcdef.tmp").write_text('{"lockfile": 1, "jour')
    (workspace / ".journeys.lock.bak").write_text("the user's own")
    assert journey(*PUBLISH).exit_code == 0
    assert leftovers(workspace) == [".journeys.lock.bak"]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt(), OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))],
                         ids=["interrupted", "disk-full"])
def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(workspace, monkeypatch,
                                                                   interruption):
    lockfile.write_lock(workspace, lockfile.Lock())
    before = (workspace / "journeys.lock").read_bytes()

    def failing_fsync(descriptor):
        raise interruption

    monkeypatch.setattr(os, "fsync", failing_fsync)
    result = journey(*PUBLISH)
    assert result.exit_code == 1
    if isinstance(interruption, OSError):
        assert (f"error: cannot write journeys.lock: {os.strerror(errno.ENOSPC)}; nothing was "
                "changed") in result.output
    assert (workspace / "journeys.lock").read_bytes() == before
    assert leftovers(workspace) == []


def test_a_command_holding_the_lock_makes_another_wait_then_give_up(workspace, monkeypatch):
    monkeypatch.setattr(lockfile, "WAIT_SECONDS", 0.2)
    with filelock.FileLock(workspace / "journeys.lock.lock"):
        result = journey(*PUBLISH)
    assert result.exit_code == 1
    assert ("error: another command has been changing journeys.lock for 0.2 seconds; try again "
            "when it is done; nothing was changed") in result.output
    assert not (workspace / "journeys.lock").exists()
    assert journey(*PUBLISH).exit_code == 0  # released: the next one goes through


def test_a_guard_that_cannot_be_locked_is_an_error(workspace):
    (workspace / "journeys.lock.lock").mkdir()
    result = journey(*PUBLISH)
    assert result.exit_code == 1
    assert "error: cannot lock journeys.lock: journeys.lock.lock: " in result.output
    assert not (workspace / "journeys.lock").exists()


def test_the_new_file_keeps_the_old_ones_permissions(workspace):
    lockfile.write_lock(workspace, lockfile.Lock())
    os.chmod(workspace / "journeys.lock", 0o640)
    assert journey(*PUBLISH).exit_code == 0
    assert stat.S_IMODE(os.stat(workspace / "journeys.lock").st_mode) == 0o640


def test_a_new_file_gets_the_usual_permissions(workspace):
    umask = os.umask(0o022)
    try:
        assert journey(*PUBLISH).exit_code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(workspace / "journeys.lock").st_mode) == 0o644
