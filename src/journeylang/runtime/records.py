"""The run's records, typed: one class per kind, each with its integer time (seconds since the
epoch), the journey version, the profile, the instance and the statement (`file:line:col`).
A campaign's records have version 0 and their execution's number in `instance`.

Records are made only when someone watches (a trace, `on_record`, a kept list). A record is a
frozen msgspec Struct tagged with its kind: made as fast as a tuple, compared by kind and
fields, outside the garbage collector's walks (its fields are plain values), and encoded by
msgspec as an array, its kind first, without a dict in between (the trace's batches,
trace.py and scribe.py). `record.to_json()` is the trace's object as a
dict, fields in the contract's order."""

from __future__ import annotations

from typing import Any, Callable, ClassVar

import msgspec

from ..core.instants import format_instant


class Record(msgspec.Struct, frozen=True, gc=False, tag_field="kind", array_like=True):
    kind: ClassVar[str] = ""
    own: ClassVar[tuple[str, ...]] = ()  # the kind's own fields, after the common ones
    time: int
    journey: str
    version: int
    profile: str
    instance: int | None
    node: str

    def to_json(self) -> dict[str, Any]:
        """The record as the trace writes it: the common fields, then the kind's own. A
        campaign's (version 0) has no version, and its `execution` in place of the instance;
        its activity has no profile."""
        if not self.version:
            record = {"time": format_instant(self.time), "kind": self.kind,
                      "journey": self.journey, "profile": self.profile,
                      "execution": self.instance, "node": self.node}
            if self.kind == "activity":
                del record["profile"]
        else:
            record = {"time": format_instant(self.time), "kind": self.kind,
                      "journey": self.journey, "version": self.version,
                      "profile": self.profile, "instance": self.instance, "node": self.node}
        for name in self.own:
            record[name] = getattr(self, name)
        return record


class Enter(Record, frozen=True, gc=False, tag="enter"):
    kind: ClassVar[str] = "enter"


class Reject(Record, frozen=True, gc=False, tag="reject"):
    kind: ClassVar[str] = "reject"
    reason: str


class Holdout(Record, frozen=True, gc=False, tag="holdout"):
    kind: ClassVar[str] = "holdout"


class Send(Record, frozen=True, gc=False, tag="send"):
    kind: ClassVar[str] = "send"
    channel: str
    message: str
    data: Any


class Suppress(Record, frozen=True, gc=False, tag="suppress"):
    """A send not delivered: `reason` `consent` (the profile's consent for the channel is
    false) or `capped` (a cap across journeys is reached)."""

    kind: ClassVar[str] = "suppress"
    channel: str
    message: str
    reason: str


class Call(Record, frozen=True, gc=False, tag="call"):
    """A call that started or failed; `error` is why it failed (`failed`, `throttled`,
    `capped`), `queued` the seconds it waited for a slot of a throttled action."""

    kind: ClassVar[str] = "call"
    action: str
    data: Any
    ok: bool
    error: str | None = None
    queued: int = 0

    def to_json(self) -> dict[str, Any]:
        record = Record.to_json(self)
        if self.error is None:
            del record["error"]
        if not self.queued:
            del record["queued"]
        return record


class Update(Record, frozen=True, gc=False, tag="update"):
    kind: ClassVar[str] = "update"
    path: str
    value: Any


class Wait(Record, frozen=True, gc=False, tag="wait"):
    kind: ClassVar[str] = "wait"
    until: int | None

    def to_json(self) -> dict[str, Any]:
        record = Record.to_json(self)
        if self.until is not None:
            record["until"] = format_instant(self.until)
        return record


class Resume(Record, frozen=True, gc=False, tag="resume"):
    kind: ClassVar[str] = "resume"


class Join(Record, frozen=True, gc=False, tag="join"):
    kind: ClassVar[str] = "join"


class Exit(Record, frozen=True, gc=False, tag="exit"):
    kind: ClassVar[str] = "exit"
    reason: str


class Jump(Record, frozen=True, gc=False, tag="jump"):
    """A `jump`, written in the origin: the target journey, and whether it took the profile in
    (a rejection is recorded in the target too)."""

    kind: ClassVar[str] = "jump"
    target: str
    accepted: bool


class Activity(Record, frozen=True, gc=False, tag="activity"):
    """A campaign's population passing a statement: no profile (""), the execution in
    `instance`."""

    kind: ClassVar[str] = "activity"
    population: int


class Error(Record, frozen=True, gc=False, tag="error"):
    kind: ClassVar[str] = "error"
    message: str


for _kind in Record.__subclasses__():
    _kind.own = _kind.__struct_fields__[len(Record.__struct_fields__):]

Observer = Callable[[Record], None]


def fan_out(observers: list[Observer]) -> Observer | None:
    """One observer that tells each of `observers` in turn (None when there is none)."""
    if not observers:
        return None
    if len(observers) == 1:
        return observers[0]

    def tell(record: Record) -> None:
        for observer in observers:
            observer(record)

    return tell
