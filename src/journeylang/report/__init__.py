"""The report of a run: built from the run's counts (build.py), printed for people (text.py)
or as one JSON document for tools."""

from __future__ import annotations

import json

from .build import build_report
from .text import render


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False)


__all__ = ["build_report", "render", "to_json"]
