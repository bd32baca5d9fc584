"""The run's records, typed: one class per kind, each with its integer time (seconds since the
epoch), the journey version, the profile, the instance and the statement (`file:line:col`).

Records are made only when someone watches (a trace, `on_record`, a kept list); the trace's
JSON line of a record is `record.to_json()`, fields in the contract's order."""

from __future__ import annotations

from typing import Any, Callable, ClassVar

import attrs

from ..core.instants import format_instant


@attrs.frozen(slots=True)
class Record:
    kind: ClassVar[str] = ""
    time: int
    journey: str
    version: int
    profile: str
    instance: int | None
    node: str

    def to_json(self) -> dict[str, Any]:
        """The record as the trace writes it: the common fields, then the kind's own."""
        record = {"time": format_instant(self.time), "kind": self.kind, "journey": self.journey,
                  "version": self.version, "profile": self.profile, "instance": self.instance,
                  "node": self.node}
        for name in _own_fields(type(self)):
            record[name] = getattr(self, name)
        return record


@attrs.frozen(slots=True)
class Enter(Record):
    kind: ClassVar[str] = "enter"


@attrs.frozen(slots=True)
class Reject(Record):
    kind: ClassVar[str] = "reject"
    reason: str


@attrs.frozen(slots=True)
class Holdout(Record):
    kind: ClassVar[str] = "holdout"


@attrs.frozen(slots=True)
class Send(Record):
    kind: ClassVar[str] = "send"
    channel: str
    message: str
    data: Any


@attrs.frozen(slots=True)
class Suppress(Record):
    kind: ClassVar[str] = "suppress"
    channel: str
    message: str


@attrs.frozen(slots=True)
class Call(Record):
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


@attrs.frozen(slots=True)
class Update(Record):
    kind: ClassVar[str] = "update"
    path: str
    value: Any


@attrs.frozen(slots=True)
class Wait(Record):
    kind: ClassVar[str] = "wait"
    until: int | None

    def to_json(self) -> dict[str, Any]:
        record = Record.to_json(self)
        if self.until is not None:
            record["until"] = format_instant(self.until)
        return record


@attrs.frozen(slots=True)
class Resume(Record):
    kind: ClassVar[str] = "resume"


@attrs.frozen(slots=True)
class Join(Record):
    kind: ClassVar[str] = "join"


@attrs.frozen(slots=True)
class Exit(Record):
    kind: ClassVar[str] = "exit"
    reason: str


@attrs.frozen(slots=True)
class Error(Record):
    kind: ClassVar[str] = "error"
    message: str


_COMMON = len(attrs.fields(Record))
_OWN: dict[type, tuple[str, ...]] = {}


def _own_fields(kind: type) -> tuple[str, ...]:
    names = _OWN.get(kind)
    if names is None:
        names = _OWN[kind] = tuple(field.name for field in attrs.fields(kind)[_COMMON:])
    return names


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
