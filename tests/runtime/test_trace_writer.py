"""The trace writer: each record as the line `json.dumps(record.to_json())` would give, for
every kind, across batches, into binary and text files alike."""

from __future__ import annotations

import io
import json

import pytest

from journeylang.core.instants import parse_instant
from journeylang.runtime import records as r
from journeylang.runtime.trace import BATCH, TraceWriter

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
            r.Exit(*common, "timeout"), r.Error(*common, "a message")]


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
