"""The trace: one JSON object per record and line, written as the run goes in batches of
lines (never held whole).

A batch of records becomes its lines through MessagePack (scribe.py: msgspec reads the batch
back as structs of the trace's fields, in the contract's order, and writes them as JSON Lines;
no dict is built on the way, and Python only moves each record's fields). A long trace to a file is written
by the scribe, a process of its own that takes the batches as they are and makes their lines
on another processor, while the run goes on (when the scribe falls behind, the run makes a
batch's lines itself rather than wait for room in the pipe); a short one, or one to a file
object with no file descriptor (a StringIO), is written here. The bytes are the same either
way."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import msgspec

from . import scribe
from .records import Record

try:  # (POSIX: the scribe's pipe made larger where the system allows it, and how much
    import fcntl  # it holds asked)
    import termios
except ImportError:  # pragma: no cover
    fcntl = termios = None
FIONREAD_BUFFER = bytes(4)  # (room for the count of bytes a pipe holds, a C int)

BATCH = 512  # records held before they are written (a batch that stays in the processor's caches)
HANDOFF = 64  # batches written here before the scribe takes over a file's trace (its start,
# a few hundredths of a second, is then a small part of the run)
MSGSPEC = os.path.dirname(os.path.dirname(os.path.abspath(msgspec.__file__)))  # its folder,
# for the scribe to find it where this process did
PIPE_SIZE = 1 << 20  # the scribe's pipe (Linux's limit for a process without privileges)


def layout(kinds) -> list:
    """What the scribe needs to know of each kind of record: its tag, then each of its own
    fields as [name] or, with a default, [name, default]."""
    described = []
    for kind in kinds:
        own = kind.own
        defaults = dict(zip(own[len(own) - len(kind.__struct_defaults__):],
                            kind.__struct_defaults__))
        described.append([kind.kind, *([name, defaults[name]] if name in defaults else [name]
                                      for name in own)])
    return described


LAYOUT = layout(Record.__subclasses__())
LINES = scribe.Lines(LAYOUT)


class TraceError(Exception):
    """The trace could not be written (a full disk, say): the run stops."""


class TraceWriter:
    """An observer that writes each record as a line of JSON to a file: a binary one (bytes
    written as they are) or a text one (each batch decoded first). `close()` writes what is
    left (and waits for the scribe); the file itself stays open for its owner to close."""

    def __init__(self, file, name: str = "the trace"):
        self.file = file
        self.binary = not hasattr(file, "encoding")
        self.name = name
        self.records: list[Record] = []
        self.encode_into = msgspec.msgpack.Encoder().encode_into
        self.buffer = bytearray()  # each batch's MessagePack, in one buffer used again
        self.written = 0  # batches written here
        self.scribe: Scribe | None = None
        self.handoff: int | None = HANDOFF if self.binary else None  # batches written here
        # before the scribe takes over; None once it cannot (a text file, no descriptor)

    def write(self, record: Record) -> None:
        """The observer (a bound method is called at less cost than the writer itself)."""
        records = self.records
        records.append(record)
        if len(records) >= BATCH:
            self.flush()

    __call__ = write

    def flush(self) -> None:
        records = self.records
        if not records:
            return
        self.records = []
        try:
            batch, what = self.buffer, scribe.RECORDS
            self.encode_into(records, batch)
        except OverflowError:  # an integer beyond MessagePack's 64 bits: the lines made here
            encode = msgspec.json.encode
            batch = b"".join(encode(record.to_json()) + b"\n" for record in records)
            what = scribe.LINES
        if self.handoff is not None and self.written >= self.handoff:
            self.handoff = None  # asked once
            self.scribe = Scribe.start(self.file, self.name)
        if self.scribe is not None:
            if what == scribe.RECORDS and self.scribe.behind():
                batch, what = LINES(batch), scribe.LINES  # (the same lines, made here)
            self.scribe.send(what, batch)
            return
        self.written += 1
        lines = LINES(batch) if what == scribe.RECORDS else batch
        try:
            self.file.write(lines if self.binary else lines.decode("utf-8"))
        except OSError as error:
            raise TraceError(f"{self.name}: cannot write the trace "
                             f"({error.strerror or error})") from None

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self.scribe is not None:
                scribe_, self.scribe = self.scribe, None
                scribe_.close()


class Scribe:
    """The scribe's process, writing to the trace file's descriptor what it is sent."""

    def __init__(self, process: subprocess.Popen, name: str, capacity: int = 0):
        self.process = process
        self.name = name
        self.write = process.stdin.write
        self.reason: str | None = None  # what it said as it ended, once reaped
        self.pipe = process.stdin.fileno()
        self.capacity = capacity  # the pipe's, in bytes (0: unknown, never behind)

    def behind(self) -> bool:
        """Whether the scribe has fallen behind: its pipe holds more than half of what it
        can. The run then makes a batch's lines itself, so that it goes on working instead of
        waiting for room in the pipe, and the two processors share the work as it comes."""
        if not self.capacity:
            return False
        try:
            held = fcntl.ioctl(self.pipe, termios.FIONREAD, FIONREAD_BUFFER)
        except OSError:
            self.capacity = 0
            return False
        return int.from_bytes(held, sys.byteorder) > self.capacity >> 1

    @classmethod
    def start(cls, file, name: str) -> Scribe | None:
        """The scribe of `file` once what it holds is written, or None where there can be
        none (a file object with no descriptor, no interpreter to start)."""
        try:
            descriptor = file.fileno()
            file.flush()
        except (AttributeError, OSError, io.UnsupportedOperation):
            return None
        if not sys.executable:
            return None
        try:
            process = subprocess.Popen([sys.executable, "-P", scribe.__file__, MSGSPEC],
                                       stdin=subprocess.PIPE, stdout=descriptor,
                                       stderr=subprocess.PIPE)
        except OSError:
            return None
        try:
            capacity = fcntl.fcntl(process.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        except (OSError, AttributeError):  # (no fcntl, or no F_SETPIPE_SZ: not Linux)
            capacity = 0  # the default pipe: slower, as good (and never found behind)
        self = cls(process, name, capacity if termios is not None else 0)
        self.send(scribe.LAYOUT, msgspec.msgpack.encode(LAYOUT))
        return self

    def send(self, what: int, payload: bytes) -> None:
        try:
            self.write(scribe.HEADER.pack(what, len(payload)))
            self.write(payload)
        except BrokenPipeError:
            raise self.failure() from None

    def close(self) -> None:
        """Wait for the scribe to write what it was sent; a TraceError if it could not."""
        if self.reap():
            raise self.failure()

    def failure(self) -> TraceError:
        """Why the scribe stopped, once it has."""
        self.reap()
        return TraceError(f"{self.name}: cannot write the trace ({self.reason})")

    def reap(self) -> int:
        """Close the scribe's input, wait for it to end and read what it said (once); its exit
        status."""
        if self.reason is None:
            try:
                self.process.stdin.close()
            except OSError:  # (what was left, for a scribe that has stopped)
                pass
            self.process.wait()
            said = self.process.stderr.read().decode("utf-8", "replace").strip().splitlines()
            self.process.stderr.close()
            self.reason = said[-1] if said else \
                f"its writer stopped with status {self.process.returncode}"
        return self.process.returncode
