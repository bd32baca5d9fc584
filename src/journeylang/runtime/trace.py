"""The trace: one JSON object per record and line, written as the run goes (never held whole)."""

from __future__ import annotations

import json

from .records import Record

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class TraceError(Exception):
    """The trace could not be written (a full disk, say): the run stops."""


class TraceWriter:
    """An observer that writes each record as a line of JSON to a text file."""

    def __init__(self, file, name: str = "the trace"):
        self.write = file.write
        self.name = name

    def __call__(self, record: Record) -> None:
        try:
            self.write(_encode(record.to_json()) + "\n")
        except OSError as error:
            raise TraceError(f"{self.name}: cannot write the trace "
                             f"({error.strerror or error})") from None
