"""The trace: one JSON object per record and line, written as the run goes in batches of
lines (never held whole).

A batch's records become msgspec structs of the trace's fields, in the contract's order
(`time` as ISO-8601, `kind`, then the record's own), which msgspec writes as JSON Lines in one
call: no dict is built on the way, which makes the trace several times cheaper than
`json.dumps(record.to_json())` (measured in benchmarks/README.md)."""

from __future__ import annotations

from typing import Any

import msgspec

from ..core.instants import format_instant
from .records import Activity, Record, Wait

BATCH = 512  # records held before they are written (a batch that stays in the processor's caches)


def _line(kind: type, campaign: bool = False) -> type:
    """The struct a record of `kind` is written as; a field with a default (a call's `error`
    and `queued`) is left out of the line when it has it. A campaign's record (version 0) has
    no version and names its `execution` in place of the instance; its activity no profile."""
    names = kind.__struct_fields__[1:]
    if campaign:
        names = tuple("execution" if name == "instance" else name for name in names
                      if name != "version" and not (name == "profile" and kind is Activity))
    defaults = dict(zip(kind.__struct_fields__[len(kind.__struct_fields__)
                                               - len(kind.__struct_defaults__):],
                        kind.__struct_defaults__))
    fields = [("time", str), ("kind", str)] + [
        (name, Any, defaults[name]) if name in defaults else (name, Any) for name in names]
    return msgspec.defstruct(f"{kind.__name__}Line", fields, gc=False,
                             omit_defaults=bool(defaults))


LINES = {kind: _line(kind) for kind in Record.__subclasses__()}
CAMPAIGN_LINES = {kind: _line(kind, campaign=True) for kind in Record.__subclasses__()}


class TraceError(Exception):
    """The trace could not be written (a full disk, say): the run stops."""


class TraceWriter:
    """An observer that writes each record as a line of JSON to a file: a binary one (bytes
    written as they are) or a text one (each batch decoded first). `close()` writes what is
    left; the file itself stays open for its owner to close."""

    def __init__(self, file, name: str = "the trace"):
        self.file = file
        self.binary = not hasattr(file, "encoding")
        self.name = name
        self.records: list[Record] = []
        self.encode_lines = msgspec.json.Encoder().encode_lines
        self.stamps: dict[int, str] = {}  # instants as text: records come in time order, and
        # a wait's end is a later record's time

    def __call__(self, record: Record) -> None:
        records = self.records
        records.append(record)
        if len(records) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.records:
            return
        stamps = self.stamps
        if len(stamps) > 100_000:
            stamps.clear()
        lines, astuple = [], msgspec.structs.astuple
        for record in self.records:
            fields = astuple(record)
            time = fields[0]
            stamp = stamps.get(time)
            if stamp is None:
                stamp = stamps[time] = format_instant(time)
            kind = type(record)
            if kind is Wait and fields[-1] is not None:
                until = fields[-1]
                text = stamps.get(until)
                if text is None:
                    text = stamps[until] = format_instant(until)
                fields = (*fields[:-1], text)
            if fields[2]:
                lines.append(LINES[kind](stamp, record.kind, *fields[1:]))
            else:  # a campaign's
                fields = fields[1:2] + fields[3 if kind is not Activity else 4:]
                lines.append(CAMPAIGN_LINES[kind](stamp, record.kind, *fields))
        self.records = []
        batch = self.encode_lines(lines)
        try:
            self.file.write(batch if self.binary else batch.decode("utf-8"))
        except OSError as error:
            raise TraceError(f"{self.name}: cannot write the trace "
                             f"({error.strerror or error})") from None

    close = flush
