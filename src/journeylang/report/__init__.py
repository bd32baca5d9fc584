"""The report of a run: built from the run's counts (build.py), printed for people (text.py),
as one JSON document for tools, or as a self-contained HTML page with diagrams (html.py)."""

from __future__ import annotations

import json

from .build import SCHEMA_VERSION, build_report
from .html import render_html
from .text import render


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False)


def runtime_errors(report: dict) -> int:
    """The runtime errors of a run, over every journey version."""
    return sum(version["errors"] for journey in report["journeys"]
               for version in journey["versions"])


__all__ = ["SCHEMA_VERSION", "build_report", "render", "render_html", "runtime_errors", "to_json"]
