"""The lock file: stable text, located errors, and atomic replacement."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from journeylang.lockfile import Lock, LockedVersion, fingerprint, read_lock, write_lock
from journeylang.parser import parse


def lock_with(versions: int, status: str = "closed") -> Lock:
    recorded = {number: LockedVersion(status, "2026-03-01T00:00:00Z", f"sha256:{number:064x}")
                for number in range(1, versions + 1)}
    return Lock({"Welcome": recorded, "Birthday": dict(recorded)})


def test_text_is_stable_and_sorted(tmp_path):
    write_lock(tmp_path, lock_with(10))
    text = (tmp_path / "journeys.lock").read_text()
    assert text.index('"Birthday"') < text.index('"Welcome"')
    assert text.index('"9"') < text.index('"10"')
    write_lock(tmp_path, read_lock(tmp_path))
    assert (tmp_path / "journeys.lock").read_text() == text


def test_round_trip_keeps_every_field(tmp_path):
    lock = lock_with(2)
    lock.journeys["Welcome"][2] = LockedVersion("stopped", "2026-03-01T00:00:00Z", "sha256:00",
                                                "2026-03-04T00:00:00Z")
    write_lock(tmp_path, lock)
    assert read_lock(tmp_path).journeys == lock.journeys


def test_a_failed_write_leaves_the_old_file_and_no_debris(tmp_path, monkeypatch):
    write_lock(tmp_path, lock_with(1))
    before = (tmp_path / "journeys.lock").read_bytes()

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_lock(tmp_path, lock_with(3))
    assert (tmp_path / "journeys.lock").read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["journeys.lock"]


WRITER = """
import pathlib, sys
from journeylang.lockfile import Lock, LockedVersion, write_lock
root = pathlib.Path(sys.argv[1])
print("ready", flush=True)
for round in range(1_000_000):
    status = "stopped" if round % 2 else "closed"
    versions = {n: LockedVersion(status, "2026-03-01T00:00:00Z", "sha256:" + "ab" * 32)
                for n in range(1, 3000)}
    write_lock(root, Lock({"Welcome": versions}))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_a_writer_killed_mid_write_leaves_a_whole_file(tmp_path):
    write_lock(tmp_path, lock_with(1))
    for delay in (0.05, 0.11, 0.17, 0.23, 0.31, 0.37):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        lock = read_lock(tmp_path)  # raises LockError on a torn file
        assert lock is not None and lock.journeys
        for leftover in tmp_path.glob(".journeys.lock.*"):
            leftover.unlink()  # a killed writer may leave its temporary file, never a torn lock


FIRST_EDITION = '''journey "Weekly" {
    read audience "vip" every 1d starting 2026-03-01T08:00:00Z
    call "crm.sync" with { id: profile.id } on error { send email "x" }
}'''


def test_a_first_edition_version_keeps_its_fingerprint():
    """Fields the second edition added to nodes (a read's `until` and `rate`, the `let` name of
    a call) are left out of the fingerprint while unused: a version published before keeps it."""
    journey = parse(FIRST_EDITION).journeys[0]
    assert fingerprint(journey) == (
        "sha256:e0adfcde3265e01ff3109d28b24c39bb61ae5ca24cd098d70ed44822f04d5625")
    for changed in (FIRST_EDITION.replace("08:00:00Z", "08:00:00Z rate 10/s"),
                    FIRST_EDITION.replace("08:00:00Z", "08:00:00Z until 2026-04-01T00:00Z"),
                    FIRST_EDITION.replace('call "crm', 'let r = call "crm')):
        assert fingerprint(parse(changed).journeys[0]) != fingerprint(journey)
