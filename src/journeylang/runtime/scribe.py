"""The trace's lines, made from batches of records in MessagePack, here or in a process of
their own (the scribe).

A batch travels as msgspec's MessagePack of the records as they are (an array per record,
its kind first), is read back as structs of the same fields (`time` and a wait's `until` as
UTC date-times, which msgspec writes as `2026-03-01T09:00:00Z`), and each becomes a struct of
its line's fields in the contract's order (`time`, `kind`, then the record's; for a
campaign's, version 0, no version and its `execution` in place of the instance, and for its
activity no profile), which msgspec writes as JSON Lines. Reading and writing are msgspec's,
in C; Python only moves each record's fields from one struct to the next.

Run as a script (`python -P scribe.py FOLDER`, FOLDER where the run found msgspec), this
module is the scribe: the trace writer (trace.py) starts it with the
trace file as its standard output once a run's trace is long, so that the lines are made on
another processor while the run goes on. It imports nothing of journeylang (it starts in a
few hundredths of a second), and learns the fields from the writer's first frame. Frames on
its standard input are a header (`<BI`: what, length) and a payload: the layout, a batch of
records, or lines made by the writer itself (a record MessagePack cannot hold, such as an
integer beyond 64 bits, is written from its `to_json()`). A frame it cannot write stops it
with the reason on its standard error and exit status 1."""

from __future__ import annotations

import datetime
import os
import signal
import struct
import sys
from typing import Any, Union

if __name__ == "__main__":  # the folder the run found msgspec in, after this interpreter's own
    sys.path.extend(folder for folder in sys.argv[1:] if folder not in sys.path)

import msgspec  # noqa: E402

HEADER = struct.Struct("<BI")
LAYOUT, RECORDS, LINES = 0, 1, 2  # what a frame holds
COMMON = ("time", "journey", "version", "profile", "instance", "node")
INSTANTS = ("time", "until")  # the fields written as date-times
_ASTUPLE = msgspec.structs.astuple


class Lines:
    """From a batch of records in MessagePack to their lines of JSON, given the layout of
    every kind: its tag, then each of its own fields (after the common ones) as its name, and
    its default where it has one (a field at its default is left out of the line)."""

    def __init__(self, layout: list):
        def typed(name: str) -> Any:
            return datetime.datetime | None if name in INSTANTS else Any

        def line(kind: str, names, defaults: dict) -> type:
            return msgspec.defstruct(
                f"{kind}Line", [(name, typed(name), defaults[name]) if name in defaults
                                else (name, typed(name)) for name in names],
                gc=False, omit_defaults=bool(defaults))

        self.kinds: dict[type, tuple[type, str, type]] = {}
        for kind, *own in layout:
            names = [field[0] for field in own]
            defaults = {field[0]: field[1] for field in own if len(field) > 1}
            record = msgspec.defstruct(kind, [(name, typed(name)) for name in (*COMMON, *names)],
                                       tag_field="kind", tag=kind, array_like=True, gc=False)
            journey = line(kind, ("time", "kind", *COMMON[1:], *names), defaults)
            campaign = line(kind, ("time", "kind", "journey", "profile", "execution", "node",
                                   *names) if kind != "activity" else
                            ("time", "kind", "journey", "execution", "node", *names), defaults)
            self.kinds[record] = (journey, kind, campaign)
        self.decode = msgspec.msgpack.Decoder(list[Union[tuple(self.kinds)]], strict=False).decode
        self.encode_lines = msgspec.json.Encoder().encode_lines

    def __call__(self, batch) -> bytes:
        lines, kinds, astuple = [], self.kinds, _ASTUPLE
        append = lines.append
        for record in self.decode(batch):
            line, kind, campaign = kinds[type(record)]
            fields = astuple(record)  # time, journey, version, profile, instance, node, own
            if fields[2]:
                append(line(fields[0], kind, *fields[1:]))
            elif kind == "activity":  # a campaign's: its execution, no version (nor profile)
                append(campaign(fields[0], kind, fields[1], *fields[4:]))
            else:
                append(campaign(fields[0], kind, fields[1], fields[3], *fields[4:]))
        return self.encode_lines(lines)


WRITE = 1 << 20  # bytes of lines gathered before they are written: the kernel takes a
# quarter less time per byte in writes of a megabyte than of a batch's hundred kilobytes


class Out:
    """Lines to a file descriptor, gathered and written a megabyte at a time in one call."""

    def __init__(self, descriptor: int):
        self.descriptor = descriptor
        self.pending: list = []
        self.size = 0

    def write(self, chunk) -> None:
        self.pending.append(chunk)
        self.size += len(chunk)
        if self.size >= WRITE:
            self.flush()

    def flush(self) -> None:
        pending, self.pending, self.size = self.pending, [], 0
        while pending:
            written = os.writev(self.descriptor, pending)
            while pending and written >= len(pending[0]):
                written -= len(pending.pop(0))
            if written:
                pending[0] = memoryview(pending[0])[written:]


def main() -> int:
    """The scribe: frames from standard input, lines to standard output, until the input
    ends. An interrupt (^C) is the run's to handle: the scribe writes what it is sent until
    the run closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    read, out = sys.stdin.buffer.read, Out(sys.stdout.fileno())
    lines = None
    try:
        while header := read(HEADER.size):
            what, size = HEADER.unpack(header)
            payload = read(size)
            if what == LAYOUT:
                lines = Lines(msgspec.msgpack.decode(payload))
            elif what == RECORDS and lines is not None:
                out.write(lines(payload))
            elif what == LINES:
                out.write(payload)
            else:
                raise ValueError(f"a frame of kind {what} out of place")
        out.flush()
    except OSError as error:
        print(error.strerror or error, file=sys.stderr)
        return 1
    except (ValueError, TypeError, KeyError, struct.error, msgspec.DecodeError) as error:
        print(f"a frame it cannot read ({error})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
