"""The run report as one self-contained HTML page: the run's header, then per journey version
its diagram with the run's counts on its boxes and edges, and the tables of the text report."""

from __future__ import annotations

from html import escape

from ..core.values import format_duration
from ..graph import page
from . import html_campaign
from .html_parts import cell, counts, diagram, facts, statement_key, table
from .text import NO_LIFT, limits_shared_text, limits_text, percent, plural, points


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
    for campaign in report.get("campaigns", ()):
        node = nodes.get((campaign["campaign"], 0))
        source = workspace.sources.get(node.span.file) if node is not None else None
        parts.append(_campaign(campaign, node, source))
    parts.append(_actions(report["actions"]))
    return page("journeylang run report", "\n".join(part for part in parts if part))


def _reads(reads: list) -> str:
    rows = [f"<tr>{cell(read['at'])}{cell(read['members'], True)}"
            f"{cell(format_duration(read['last_member_after']), True)}</tr>" for read in reads]
    return table("Audience reads", [("read at", False), ("members", True),
                                     ("last member enters after", True)], rows)


def _actions(actions: list) -> str:
    rows = []
    for action in actions:
        wait = action["longest_queue_wait"]
        rows.append(f"<tr>{cell(action['action'], kind='code')}{cell(limits_text(action))}"
                    f"{cell(action['calls'], True)}{cell(counts(action['failures']), True)}"
                    f"{cell(format_duration(wait) if wait else '', True)}</tr>")
    return table("Actions", [("action", False), ("limits", False), ("calls", True),
                              ("failed", True), ("longest queue wait", True)], rows)


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
    if (shared := limits_shared_text(report)) is not None:
        notes.append(shared)
    items = "".join(f"<li>{fact}</li>" for fact in facts)
    shown = "".join(f'<p class="note">{escape(note)}</p>' for note in notes)
    return f'<h1>Simulated run</h1>\n<ul class="header">{items}</ul>\n{shown}'


def _version(name: str, version: dict, node, source) -> str:
    status = escape(version["status"])
    parts = [f'<h2>{escape(name)} <span class="muted">version {version["version"]} '
             f"({status})</span></h2>", _funnel(version)]
    if node is not None:
        drawn = diagram(f"{name} version {version['version']}", version, node, source)
        parts.append(f'<div class="diagram">{drawn}</div>')
    parts.append(_statements(version))
    figures = "".join((_ways(version), _waits(version), _errors(version), _lift(version)))
    if figures:
        parts.append(f'<div class="figures">{figures}</div>')
    parts.append(_sends(version))
    return "\n".join(part for part in parts if part)


def _campaign(campaign: dict, node, source) -> str:
    """A campaign as the text report shows it, with its diagram: the population on every edge."""
    parts = [html_campaign.heading(campaign), html_campaign.funnel(campaign)]
    if node is not None:
        parts.append(html_campaign.drawn(campaign, node, source))
    parts += [html_campaign.executions(campaign), html_campaign.populations(campaign),
              html_campaign.joins(campaign)]
    figures = "".join((_ways(campaign), _errors(campaign), _lift(campaign)))
    if figures:
        parts.append(f'<div class="figures">{figures}</div>')
    parts.append(_sends(campaign))
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
    rows.append(("rejected", counts(version["rejections"])))
    rows.append(("exited", counts(version["exits"])))
    if version["in_flight"]:
        rows.append(("still in the journey", version["in_flight"]))
    if version["errors"]:
        rows.append(("errors", version["errors"]))
    return facts(rows)


def _statements(version: dict) -> str:
    """The statements table; its waiting and errors columns only when some count is not 0."""
    waiting = any(item["waiting"] for item in version["statements"])
    errors = any(item["errors"] for item in version["statements"])
    rows = []
    for item in version["statements"]:
        never = item["reached"] == 0
        marked = ' class="never"' if never else ""
        cells = [cell(item["line"], True), cell(item["reached"], True)]
        if waiting:
            cells.append(cell(item["waiting"] or "", True))
        if errors:
            cells.append(cell(item["errors"] or "", True, "bad"))
        cells.append(cell(("never reached: " if never else "") + item["source"], kind="code"))
        rows.append(f'<tr data-figure="reached" data-node="{escape(statement_key(item))}"'
                    f'{marked}>{"".join(cells)}</tr>')
    head = [("line", True), ("reached", True)]
    head += [("waiting", True)] if waiting else []
    head += [("errors", True)] if errors else []
    return table("Profiles reaching each statement", [*head, ("statement", False)], rows)


def _ways(version: dict) -> str:
    rows = [f'<tr data-figure="way" data-node="{escape(statement_key(item))}" data-way="{index}">'
            + cell(item["line"], True) + cell(item["statement"])
            + cell(way["way"], kind="code") + cell(way["profiles"], True) + "</tr>"
            for item in version["statements"] for index, way in enumerate(item.get("ways", ()))]
    return table("Ways taken", [("line", True), ("statement", False), ("way", False),
                                 ("profiles", True)], rows)


def _waits(version: dict) -> str:
    rows = [f'<tr data-figure="wait" data-node="{escape(statement_key(wait))}">'
            + cell(wait["line"], True)
            + cell(wait["event"], kind="code") + cell(wait["received"], True)
            + cell(wait["timed_out"] if wait["within"] else "—", True)
            + cell(wait["waiting"], True) + "</tr>"
            for wait in version["waits_for_event"]]
    return table("Waits for an event", [("line", True), ("event", False), ("received", True),
                                         ("timed out", True), ("still waiting", True)], rows)


def _errors(version: dict) -> str:
    rows = [cell(f"{error['file']}:{error['line']}:{error['column']}", kind="code")
            + cell(error["time"]) + cell(error["profile"]) + cell(error["message"], kind="bad")
            for error in version["first_errors"]]
    shown = table("Runtime errors", [("statement", False), ("time", False), ("profile", False),
                                     ("message", False)], [f"<tr>{row}</tr>" for row in rows])
    if shown and version["more_errors"]:
        more = escape(plural(version["more_errors"], "more error"))
        shown = shown.replace("</section>", f'<p class="bad">… and {more}</p></section>')
    return shown


def _lift(version: dict) -> str:
    lift = version["lift"]
    if lift is None:
        return ""
    if not lift["events"]:
        return f'<section><h3>Hold-out lift</h3><p class="muted">{escape(NO_LIFT)}</p></section>'
    rows = [f"<tr>{cell(event['event'], kind='code')}"
            + cell(f"{percent(event['held_out_share'])} ({event['held_out_senders']})", True)
            + cell(f"{percent(event['treated_share'])} ({event['treated_senders']})", True)
            + cell(points(event["lift"]), True) + "</tr>" for event in lift["events"]]
    title = (f"Hold-out lift ({plural(lift['held_out'], 'profile')} held out, "
             f"{lift['treated']} treated)")
    return table(title, [("event", False), ("held out", True), ("treated", True),
                          ("lift", True)], rows)


def _sends(version: dict) -> str:
    capped = any(send["capped"] for send in version["sends"])
    rows = [f"<tr>{cell(send['channel'])}{cell(send['message'], kind='code')}"
            f"{cell(send['sent'], True)}{cell(send['suppressed'] or '', True)}"
            + (cell(send["capped"] or "", True) if capped else "") + "</tr>"
            for send in version["sends"]]
    return table("Messages", [("channel", False), ("message", False), ("sent", True),
                               ("suppressed (no consent)", True)]
                  + ([("suppressed (capped)", True)] if capped else []), rows)
