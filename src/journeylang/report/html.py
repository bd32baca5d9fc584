"""The run report as one self-contained HTML page: the run's header, then per journey version
its diagram with the run's counts on its boxes and edges, and the tables of the text report."""

from __future__ import annotations

from html import escape

from ..core.values import format_duration
from ..graph import build_flow, lay_out, page, render_svg
from ..graph.model import Box
from .text import NO_LIFT, limits_text, percent, plural, points


def render_html(report: dict, workspace) -> str:
    """The page of a run's report; `workspace` holds the journeys it ran (for the diagrams)."""
    nodes = {(journey.name, journey.version): journey for journey in workspace.journeys}
    parts = [_header(report)]
    for journey in report["journeys"]:
        for version in journey["versions"]:
            node = nodes.get((journey["journey"], version["version"]))
            source = workspace.sources.get(node.span.file) if node is not None else None
            parts.append(_version(journey["journey"], version, node, source))
        parts.append(_reads(journey["reads"]))
    parts.append(_actions(report["actions"]))
    return page("journeylang run report", "\n".join(part for part in parts if part))


def _reads(reads: list) -> str:
    rows = [f"<tr>{_cell(read['at'])}{_cell(read['members'], True)}"
            f"{_cell(format_duration(read['last_member_after']), True)}</tr>" for read in reads]
    return _table("Audience reads", [("read at", False), ("members", True),
                                     ("last member enters after", True)], rows)


def _actions(actions: list) -> str:
    rows = []
    for action in actions:
        wait = action["longest_queue_wait"]
        rows.append(f"<tr>{_cell(action['action'], kind='code')}{_cell(limits_text(action))}"
                    f"{_cell(action['calls'], True)}{_cell(_counts(action['failures']), True)}"
                    f"{_cell(format_duration(wait) if wait else '', True)}</tr>")
    return _table("Actions", [("action", False), ("limits", False), ("calls", True),
                              ("failed", True), ("longest queue wait", True)], rows)


def statement_key(item: dict) -> str:
    return f"{item['file']}:{item['line']}:{item['column']}"


def _header(report: dict) -> str:
    population = ("built-in simulated profile" if report["population"] == "built-in"
                  else "profile")
    facts = [f"{escape(report['start'])} → {escape(report['end'])}",
             escape(plural(report["profiles"], population)),
             escape(plural(report["events"], "event")), f"seed {report['seed']}"]
    if report["behaviour_events"]:
        facts.append("behaviours emitted: " + escape(", ".join(
            f"{name} {count}" for name, count in report["behaviour_events"].items())))
    notes = []
    if report["unknown_profile_events"]:
        notes.append(f"{plural(report['unknown_profile_events'], 'event or audience member', 'events or audience members')} "
                     f"named profiles that are not among the profiles (e.g. "
                     f"{', '.join(report['unknown_profiles'])}): skipped")
    for name in report["recurring_reads_bounded"]:
        notes.append(f"the run has no end, so the recurring audience read of \"{name}\" "
                     "repeated for 91 days from its first read")
    items = "".join(f"<li>{fact}</li>" for fact in facts)
    shown = "".join(f'<p class="note">{escape(note)}</p>' for note in notes)
    return f'<h1>Simulated run</h1>\n<ul class="header">{items}</ul>\n{shown}'


def _version(name: str, version: dict, node, source) -> str:
    status = escape(version["status"])
    parts = [f'<h2>{escape(name)} <span class="muted">version {version["version"]} '
             f"({status})</span></h2>", _funnel(version)]
    if node is not None:
        parts.append(f'<div class="diagram">{_diagram(name, version, node, source)}</div>')
    parts.append(_statements(version))
    figures = "".join((_ways(version), _waits(version), _errors(version), _lift(version)))
    if figures:
        parts.append(f'<div class="figures">{figures}</div>')
    parts.append(_sends(version))
    return "\n".join(part for part in parts if part)


def _funnel(version: dict) -> str:
    rows = [("entries", version["entries"])]
    if version["entered"] is not None:
        rows.append(("first and last entry",
                     f"{version['entered']['first']} – {version['entered']['last']}"))
    if version["jumped_in"]:
        rows.append(("jumped in", version["jumped_in"]))
    if version["jumped_out"]:
        rows.append(("jumped out", f"{version['jumped_out']} ({version['jumped_out_accepted']} "
                                   "taken in by their journey)"))
    if version["holdouts"]:
        rows.append(("held out", version["holdouts"]))
    rows.append(("rejected", _counts(version["rejections"])))
    rows.append(("exited", _counts(version["exits"])))
    if version["in_flight"]:
        rows.append(("still in the journey", version["in_flight"]))
    if version["errors"]:
        rows.append(("errors", version["errors"]))
    items = "".join(f"<li><b>{escape(label)}</b> {escape(str(value))}</li>" for label, value in rows)
    return f'<ul class="header funnel">{items}</ul>'


def _counts(counts: dict) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in counts.items()) or "—"


def _diagram(name: str, version: dict, node, source) -> str:
    """The version's flow with its counts: reached, waiting and errors on each box, the
    profiles that took each way out on its edge."""
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
    drawing = lay_out(flow, lines_of, label_of)
    return render_svg(drawing, f"{name} version {version['version']}", annotate, line_class)


def _table(title: str, head: list[tuple[str, bool]], rows: list[str]) -> str:
    if not rows:
        return ""
    cells = "".join(("<th class=\"n\">" if numeric else "<th>") + f"{escape(name)}</th>"
                    for name, numeric in head)
    return (f'<section><h3>{escape(title)}</h3><div class="table"><table>'
            f"<thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            "</section>")


def _cell(value, numeric: bool = False, kind: str = "") -> str:
    classes = " ".join(c for c in ("n" if numeric else "", kind) if c)
    attribute = f' class="{classes}"' if classes else ""
    return f"<td{attribute}>{escape(str(value))}</td>"


def _statements(version: dict) -> str:
    """The statements table; its waiting and errors columns only when some count is not 0."""
    waiting = any(item["waiting"] for item in version["statements"])
    errors = any(item["errors"] for item in version["statements"])
    rows = []
    for item in version["statements"]:
        never = item["reached"] == 0
        marked = ' class="never"' if never else ""
        cells = [_cell(item["line"], True), _cell(item["reached"], True)]
        if waiting:
            cells.append(_cell(item["waiting"] or "", True))
        if errors:
            cells.append(_cell(item["errors"] or "", True, "bad"))
        cells.append(_cell(("never reached: " if never else "") + item["source"], kind="code"))
        rows.append(f'<tr data-figure="reached" data-node="{escape(statement_key(item))}"'
                    f'{marked}>{"".join(cells)}</tr>')
    head = [("line", True), ("reached", True)]
    head += [("waiting", True)] if waiting else []
    head += [("errors", True)] if errors else []
    return _table("Profiles reaching each statement", [*head, ("statement", False)], rows)


def _ways(version: dict) -> str:
    rows = [f'<tr data-figure="way" data-node="{escape(statement_key(item))}" data-way="{index}">'
            + _cell(item["line"], True) + _cell(item["statement"])
            + _cell(way["way"], kind="code") + _cell(way["profiles"], True) + "</tr>"
            for item in version["statements"] for index, way in enumerate(item.get("ways", ()))]
    return _table("Ways taken", [("line", True), ("statement", False), ("way", False),
                                 ("profiles", True)], rows)


def _waits(version: dict) -> str:
    rows = [f'<tr data-figure="wait" data-node="{escape(statement_key(wait))}">'
            + _cell(wait["line"], True)
            + _cell(wait["event"], kind="code") + _cell(wait["received"], True)
            + _cell(wait["timed_out"] if wait["within"] else "—", True)
            + _cell(wait["waiting"], True) + "</tr>"
            for wait in version["waits_for_event"]]
    return _table("Waits for an event", [("line", True), ("event", False), ("received", True),
                                         ("timed out", True), ("still waiting", True)], rows)


def _errors(version: dict) -> str:
    rows = [_cell(f"{error['file']}:{error['line']}:{error['column']}", kind="code")
            + _cell(error["time"]) + _cell(error["profile"]) + _cell(error["message"], kind="bad")
            for error in version["first_errors"]]
    table = _table("Runtime errors", [("statement", False), ("time", False), ("profile", False),
                                      ("message", False)], [f"<tr>{row}</tr>" for row in rows])
    if table and version["more_errors"]:
        more = escape(plural(version["more_errors"], "more error"))
        table = table.replace("</section>", f'<p class="bad">… and {more}</p></section>')
    return table


def _lift(version: dict) -> str:
    lift = version["lift"]
    if lift is None:
        return ""
    if not lift["events"]:
        return f'<section><h3>Hold-out lift</h3><p class="muted">{escape(NO_LIFT)}</p></section>'
    rows = [f"<tr>{_cell(event['event'], kind='code')}"
            + _cell(f"{percent(event['held_out_share'])} ({event['held_out_senders']})", True)
            + _cell(f"{percent(event['treated_share'])} ({event['treated_senders']})", True)
            + _cell(points(event["lift"]), True) + "</tr>" for event in lift["events"]]
    title = (f"Hold-out lift ({plural(lift['held_out'], 'profile')} held out, "
             f"{lift['treated']} treated)")
    return _table(title, [("event", False), ("held out", True), ("treated", True),
                          ("lift", True)], rows)


def _sends(version: dict) -> str:
    capped = any(send["capped"] for send in version["sends"])
    rows = [f"<tr>{_cell(send['channel'])}{_cell(send['message'], kind='code')}"
            f"{_cell(send['sent'], True)}{_cell(send['suppressed'] or '', True)}"
            + (_cell(send["capped"] or "", True) if capped else "") + "</tr>"
            for send in version["sends"]]
    return _table("Messages", [("channel", False), ("message", False), ("sent", True),
                               ("suppressed (no consent)", True)]
                  + ([("suppressed (capped)", True)] if capped else []), rows)
