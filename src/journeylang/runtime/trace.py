"""The trace: one JSON object per line, written as the run goes (never held whole)."""

from __future__ import annotations

import json

KINDS = ("send", "suppress", "call", "update", "enter", "reject", "holdout", "wait", "resume",
         "join", "exit", "error")

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class TraceWriter:
    """A sink for trace records that writes each as a line of JSON to a text file."""

    def __init__(self, file):
        self.write = file.write

    def __call__(self, record: dict) -> None:
        self.write(_encode(record) + "\n")


class Tee:
    """Sends each record to several sinks (a file and a list, say)."""

    def __init__(self, *sinks):
        self.sinks = sinks

    def __call__(self, record: dict) -> None:
        for sink in self.sinks:
            sink(record)
