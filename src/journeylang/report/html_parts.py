"""What the HTML report's pages are made of: tables, cells, and a flow's diagram with the
run's counts on its boxes and edges."""

from __future__ import annotations

from html import escape
from typing import Callable

from ..graph import build_flow, lay_out, render_svg
from ..graph.model import Box
from .text import plural


def statement_key(item: dict) -> str:
    return f"{item['file']}:{item['line']}:{item['column']}"


def counts(by_reason: dict) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in by_reason.items()) or "—"


def facts(rows: list[tuple[str, object]]) -> str:
    """A funnel's figures, each a label and its value, on one line."""
    items = "".join(f"<li><b>{escape(label)}</b> {escape(str(value))}</li>" for label, value in rows)
    return f'<ul class="header funnel">{items}</ul>'


def diagram(title: str, version: dict, node, source,
            into: Callable[[Box], str | None] | None = None) -> str:
    """The flow of a version (or a campaign) with its counts: reached, waiting and errors on
    each box, the profiles that took each way out on its edge, and `into(box)` on the edge of a
    sequence that leads into a box (a campaign's population)."""
    statements = {statement_key(item): item for item in version["statements"]}

    def counts_of(box: Box) -> tuple[int, int, int] | None:
        if box.kind == "entry":
            return version["entries"], 0, version["entry_errors"]
        item = statements.get(box.key)
        return (item["reached"], item["waiting"], item["errors"]) if item else None

    def lines_of(box: Box) -> list[str]:
        counts = counts_of(box)
        if counts is None:
            return list(box.lines)
        reached, waiting, errors = counts
        line = f"{reached} entered" if box.kind == "entry" else f"{reached} reached"
        if box.kind == "entry" and version["holdouts"]:
            line += f" · {version['holdouts']} held out"
        if waiting:
            line += f" · {waiting} waiting"
        if errors:
            line += f" · {plural(errors, 'error')}"
        return [*box.lines, line]

    def label_of(head: Box, way: int, label: str) -> str:
        item = statements.get(head.key)
        if item is None:
            return label
        if item["statement"] == "wait for event":
            wait = next(w for w in version["waits_for_event"] if statement_key(w) == head.key)
            return f"{label} · {wait['received'] if way == 0 else wait['timed_out']}"
        ways = item.get("ways", ())
        return f"{label} · {ways[way]['profiles']}" if way < len(ways) else label

    def annotate(box: Box) -> dict[str, str]:
        counts = counts_of(box)
        if counts is None:
            return {}
        reached, waiting, errors = counts
        extra = {"data-reached": str(reached), "data-waiting": str(waiting),
                 "data-errors": str(errors)}
        if reached == 0 and box.kind == "statement":
            extra["class"] = "never"
        return extra

    def line_class(box: Box, index: int, line: str) -> str:
        if index != len(box.lines) or counts_of(box) is None:
            return ""
        return "problem" if counts_of(box)[2] else "count"

    flow = build_flow(node, source)
    drawing = lay_out(flow, lines_of, label_of, into)
    return render_svg(drawing, title, annotate, line_class)


def table(title: str, head: list[tuple[str, bool]], rows: list[str]) -> str:
    if not rows:
        return ""
    cells = "".join(("<th class=\"n\">" if numeric else "<th>") + f"{escape(name)}</th>"
                    for name, numeric in head)
    return (f'<section><h3>{escape(title)}</h3><div class="table"><table>'
            f"<thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            "</section>")


def cell(value, numeric: bool = False, kind: str = "") -> str:
    classes = " ".join(c for c in ("n" if numeric else "", kind) if c)
    attribute = f' class="{classes}"' if classes else ""
    return f"<td{attribute}>{escape(str(value))}</td>"
