"""Journeys drawn: a version's flow built from its syntax tree (model.py), laid out by nested
boxes (layout.py), written as SVG (svg.py), as Mermaid or DOT text (text.py), or as a page."""

from __future__ import annotations

import difflib
from html import escape

from .layout import Drawing, lay_out
from .model import Flow, build_flow, statement_name, way_labels
from .page import page
from .svg import render_svg
from .text import to_dot, to_mermaid


class PickError(Exception):
    """No journey, or no one journey, answers to the names given."""


def pick(journeys, name: str | None, version: int | None):
    """The journey version to draw: `name` (needed when there are several journeys), at
    `version` (default: its latest)."""
    names = sorted({journey.name for journey in journeys})
    if name is None:
        if len(names) != 1:
            shown = ", ".join(f'"{each}"' for each in names)
            raise PickError(f"PATH holds {len(names)} journeys ({shown}): choose one with --journey")
        name = names[0]
    versions = {journey.version: journey for journey in journeys if journey.name == name}
    if not versions:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise PickError(f'there is no journey "{name}" under PATH{hint}')
    if version is None:
        return versions[max(versions)]
    if version not in versions:
        known = ", ".join(str(number) for number in sorted(versions))
        raise PickError(f'"{name}" has no version {version}: it has version(s) {known}')
    return versions[version]


def to_svg(flow: Flow) -> str:
    return render_svg(lay_out(flow), f"{flow.journey} version {flow.version}")


def to_html(flow: Flow) -> str:
    """A page of its own showing the flow's diagram."""
    title = f"{flow.journey} version {flow.version}"
    return page(title, f'<h1>{escape(title)}</h1>\n<div class="diagram">{to_svg(flow)}</div>')


__all__ = ["Drawing", "Flow", "PickError", "build_flow", "lay_out", "page", "pick", "render_svg",
           "statement_name", "to_dot", "to_html", "to_mermaid", "to_svg", "way_labels"]
