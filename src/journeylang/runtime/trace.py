"""The trace: one JSON object per record and line, written as the run goes (never held whole)."""

from __future__ import annotations

import json

from .records import Record

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class TraceWriter:
    """An observer that writes each record as a line of JSON to a text file."""

    def __init__(self, file):
        self.write = file.write

    def __call__(self, record: Record) -> None:
        self.write(_encode(record.to_json()) + "\n")
