"""The trace writer: each record as the line `json.dumps(record.to_json())` would give, for
every kind, across batches, into binary and text files alike, written here or by the scribe
(the process that takes over a long trace to a file)."""

from __future__ import annotations

import io
import json
import os

import pytest

from journeylang.core.instants import parse_instant
from journeylang.runtime import records as r
from journeylang.runtime import trace
from journeylang.runtime.trace import BATCH, TraceError, TraceWriter

YEAR_ONE = parse_instant("0001-01-01T00:00:00Z")
LAST = parse_instant("9999-12-31T23:59:59Z")


def every_kind(time: int) -> list[r.Record]:
    common = (time, "Jöurney \"quoted\"", 2, "p\u2028\x1f", 7, "a.journey:1:2")
    return [r.Enter(*common), r.Reject(*common[:4], None, common[5], "active"),
            r.Holdout(*common[:4], None, common[5]),
            r.Send(*common, "email", "welcome", {"n": 10**40, "x": 0.5, "l": [1, "é", None]}),
            r.Suppress(*common, "sms", "tip", "consent"), r.Call(*common, "crm.sync", {}, False),
            r.Call(*common, "crm.lookup", {}, False, "throttled", 21600),
            r.Update(*common, "profile.a.b", {"deep": [True]}), r.Wait(*common, None),
            r.Wait(*common, LAST), r.Resume(*common), r.Join(*common),
            r.Exit(*common, "timeout"), r.Error(*common, "a message"),
            r.Activity(time, "Campaign", 0, "", 3, "c.journey:2:1", 120),
            r.Enter(time, "Campaign", 0, "p", 3, "c.journey:1:1"),
            r.Call(time, "Campaign", 0, "p", 3, "c.journey:4:1", "crm", {"k": -2**63}, True),
            r.Wait(time, "Campaign", 0, "p", 3, "c.journey:5:1", time)]


def expected(records) -> str:
    return "".join(json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"
                   for record in records)


def write(records, file):
    writer = TraceWriter(file)
    for record in records:
        writer(record)
    writer.close()


def test_every_kind_is_written_as_its_json_at_the_ends_of_time():
    records = every_kind(YEAR_ONE) + every_kind(0) + every_kind(1_767_225_600) + every_kind(LAST)
    text = io.StringIO()
    write(records, text)
    assert text.getvalue() == expected(records)


def test_batches_write_the_same_bytes_to_binary_and_text_files():
    records = [record for time in range(0, BATCH * 2, 7) for record in every_kind(time)][:BATCH * 2 + 5]
    binary, text = io.BytesIO(), io.StringIO()
    write(records, binary)
    write(records, text)
    assert binary.getvalue().decode("utf-8") == text.getvalue() == expected(records)


def test_nothing_is_written_before_a_batch_is_full_or_the_writer_closed():
    file = io.StringIO()
    writer = TraceWriter(file)
    for record in every_kind(0):
        writer(record)
    assert file.getvalue() == ""
    writer.close()
    assert file.getvalue() == expected(every_kind(0))


def test_records_are_frozen_and_compared_by_kind():
    enter = r.Enter(0, "J", 1, "p", 1, "n")
    assert enter != r.Resume(0, "J", 1, "p", 1, "n")
    assert enter == r.Enter(0, "J", 1, "p", 1, "n") and hash(enter) == hash(r.Enter(0, "J", 1, "p", 1, "n"))
    with pytest.raises(AttributeError):
        enter.time = 3


@pytest.mark.parametrize("big", [False, True], ids=["records", "with-a-big-integer"])
def test_the_scribe_writes_the_same_bytes(tmp_path, monkeypatch, big):
    """From the first batch on (HANDOFF 0), every batch goes to the scribe's process; a batch
    holding an integer beyond 64 bits goes as lines made here, in its place."""
    monkeypatch.setattr(trace, "HANDOFF", 0)
    records = [record for time in range(0, BATCH * 3, 5) for record in every_kind(time)
               if big or not (type(record) is r.Send)][:BATCH * 3 + 7]
    path = tmp_path / "trace.jsonl"
    with open(path, "wb") as file:
        file.write(b"")
        writer = TraceWriter(file)
        for record in records:
            writer(record)
        assert writer.scribe is not None
        writer.close()
    assert path.read_text(encoding="utf-8") == expected(records)


def test_the_scribe_takes_over_after_the_first_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(trace, "HANDOFF", 2)
    records = [record for time in range(BATCH) for record in every_kind(time)][:BATCH * 5]
    path = tmp_path / "trace.jsonl"
    with open(path, "wb") as file:
        writer = TraceWriter(file)
        for index, record in enumerate(records):
            writer(record)
            if index == BATCH * 2 - 1:
                assert writer.scribe is None and writer.written == 2
        assert writer.scribe is not None
        writer.close()
    assert path.read_text(encoding="utf-8") == expected(records)


@pytest.mark.skipif(trace.termios is None, reason="asks the pipe what it holds (POSIX)")
def test_a_scribe_is_behind_once_its_pipe_is_more_than_half_full():
    """What decides that the run makes a batch's lines itself: the bytes the scribe has not
    read yet, against the pipe's capacity."""
    import subprocess
    import sys

    reader = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                              stdin=subprocess.PIPE)  # (never reads: its pipe only fills)
    try:
        capacity = trace.fcntl.fcntl(reader.stdin.fileno(), trace.fcntl.F_GETPIPE_SZ)
        scribe = trace.Scribe(reader, "the trace", capacity)
        assert not scribe.behind()
        os.write(reader.stdin.fileno(), bytes(capacity // 2))
        assert not scribe.behind()
        os.write(reader.stdin.fileno(), b"x")
        assert scribe.behind()
        assert not trace.Scribe(reader, "the trace", 0).behind()  # (a pipe of unknown size)
    finally:
        reader.kill()
        reader.wait()
        reader.stdin.close()


def test_a_file_object_without_a_descriptor_is_written_here(monkeypatch):
    monkeypatch.setattr(trace, "HANDOFF", 0)
    binary = io.BytesIO()
    writer = TraceWriter(binary)
    for record in every_kind(0) * 100:
        writer(record)
    writer.close()
    assert writer.written > 0 and binary.getvalue().decode("utf-8") == expected(every_kind(0) * 100)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_under_the_scribe_is_a_trace_error(monkeypatch):
    monkeypatch.setattr(trace, "HANDOFF", 0)
    with open("/dev/full", "wb") as file:
        writer = TraceWriter(file, "/dev/full")
        with pytest.raises(TraceError, match=r"^/dev/full: cannot write the trace \(No space left on device\)$"):
            for record in every_kind(0) * 1000:
                writer(record)
            writer.close()


def run_scribe(frames: list[tuple[int, bytes]]):
    import subprocess
    import sys

    from journeylang.runtime import scribe
    payload = b"".join(scribe.HEADER.pack(what, len(data)) + data for what, data in frames)
    return subprocess.run([sys.executable, "-P", scribe.__file__, trace.MSGSPEC], input=payload,
                          capture_output=True)


def test_the_scribe_as_a_script_writes_the_lines_of_its_frames():
    import msgspec

    from journeylang.runtime import scribe
    records = [record for record in every_kind(1_767_225_600) if type(record) is not r.Send]
    done = run_scribe([(scribe.LAYOUT, msgspec.msgpack.encode(trace.LAYOUT)),
                       (scribe.RECORDS, msgspec.msgpack.encode(records)),
                       (scribe.LINES, b'{"made":"here"}\n')])
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout.decode("utf-8") == expected(records) + '{"made":"here"}\n'


@pytest.mark.parametrize("frames, said", [
    ([(1, b"\x90")], "a frame of kind 1 out of place"),
    ([(0, b"\x90"), (1, b"\xc1")], "a frame it cannot read"),
    ([(7, b"")], "a frame of kind 7 out of place"),
], ids=["records-before-the-layout", "not-messagepack", "unknown-kind"])
def test_the_scribe_stops_on_a_frame_it_cannot_read(frames, said):
    done = run_scribe(frames)
    assert done.returncode == 1 and said in done.stderr.decode("utf-8")
    assert b"Traceback" not in done.stderr
