"""The report of a run: built from the run's counts (build.py), printed for people (text.py),
as one JSON document for tools, or as a self-contained HTML page with diagrams (html.py).

The printing modules are imported where a report is printed, not here: a run that only
builds its report (the API's) does without rich and the diagrams' modules."""

from __future__ import annotations

import json

from .build import SCHEMA_VERSION, build_report


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False)


def runtime_errors(report: dict) -> int:
    """The runtime errors of a run, over every journey version."""
    return sum(version["errors"] for journey in report["journeys"]
               for version in journey["versions"])


__all__ = ["SCHEMA_VERSION", "build_report", "runtime_errors", "to_json"]
