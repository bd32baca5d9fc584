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
        record = {"time": format_instant(self.time), "kind": self.kind, "journey": self.journey,
                  "version": self.version, "profile": self.profile, "instance": self.instance,
                  "node": self.node}
        record.update(self._fields())
        return record

    def _fields(self) -> dict[str, Any]:
        return {}


@attrs.frozen(slots=True)
class Enter(Record):
    kind: ClassVar[str] = "enter"


@attrs.frozen(slots=True)
class Reject(Record):
    kind: ClassVar[str] = "reject"
    reason: str

    def _fields(self):
        return {"reason": self.reason}


@attrs.frozen(slots=True)
class Holdout(Record):
    kind: ClassVar[str] = "holdout"


@attrs.frozen(slots=True)
class Send(Record):
    kind: ClassVar[str] = "send"
    channel: str
    message: str
    data: Any

    def _fields(self):
        return {"channel": self.channel, "message": self.message, "data": self.data}


@attrs.frozen(slots=True)
class Suppress(Record):
    kind: ClassVar[str] = "suppress"
    channel: str
    message: str

    def _fields(self):
        return {"channel": self.channel, "message": self.message}


@attrs.frozen(slots=True)
class Call(Record):
    kind: ClassVar[str] = "call"
    action: str
    data: Any
    ok: bool

    def _fields(self):
        return {"action": self.action, "data": self.data, "ok": self.ok}


@attrs.frozen(slots=True)
class Update(Record):
    kind: ClassVar[str] = "update"
    path: str
    value: Any

    def _fields(self):
        return {"path": self.path, "value": self.value}


@attrs.frozen(slots=True)
class Wait(Record):
    kind: ClassVar[str] = "wait"
    until: int | None

    def _fields(self):
        return {"until": None if self.until is None else format_instant(self.until)}


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

    def _fields(self):
        return {"reason": self.reason}


@attrs.frozen(slots=True)
class Error(Record):
    kind: ClassVar[str] = "error"
    message: str

    def _fields(self):
        return {"message": self.message}


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
