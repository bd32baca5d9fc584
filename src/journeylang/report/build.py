"""The report of a finished simulation, as one JSON-ready dict: per journey version its
funnel (entries, rejections, exits), the profiles reaching each statement, its sends; per
action its calls, failures and queue."""

from __future__ import annotations

from .. import nodes as n
from ..core.instants import format_instant

_STATEMENT_NAMES = {n.Send: "send", n.CallAction: "call", n.If: "if", n.Split: "split",
                    n.Wait: "wait", n.WaitUntil: "wait until", n.WaitForEvent: "wait for event",
                    n.Fork: "fork", n.Join: "join", n.Let: "let", n.SetProfile: "set",
                    n.Exit: "exit"}


def build_report(simulation, workspace, start: int, built_in: bool) -> dict:
    journeys = []
    for name, family in simulation.families.items():
        versions = []
        for number, version in family.versions.items():
            tally = version.tally
            source = workspace.sources.get(version.node.span.file)
            reached = sorted(zip(version.statements, tally.reached),
                             key=lambda pair: _position(pair[0].span))
            statements = [{"node": str(node.span), "statement": _statement_name(node),
                           "source": _statement_text(source, node) if source else "",
                           "reached": count} for node, count in reached]
            sends = [{"channel": channel, "message": message, "sent": counts[0],
                      "suppressed": counts[1]}
                     for (channel, message), counts in sorted(tally.sends.items())]
            versions.append({
                "version": number,
                "status": family.status[number],
                "entries": tally.entries,
                "entered": None if tally.first_entry is None else {
                    "first": format_instant(tally.first_entry),
                    "last": format_instant(tally.last_entry)},
                "holdouts": tally.holdouts,
                "rejections": dict(sorted(tally.rejections.items())),
                "exits": dict(sorted(tally.exits.items())),
                "in_flight": tally.in_flight(),
                "errors": tally.errors,
                "statements": statements,
                "sends": sends,
            })
        reads = [{"at": format_instant(at), "members": members, "last_member_after": seconds}
                 for at, members, seconds in simulation.entries.reads.get(name, ())]
        journeys.append({"journey": name, "versions": versions, "reads": reads})
    return {
        "start": format_instant(start),
        "end": format_instant(simulation.now if simulation.now is not None else start),
        "seed": simulation.seed,
        "profiles": simulation.profile_count,
        "population": "built-in" if built_in else "given",
        "events": simulation.event_count,
        "behaviour_events": dict(sorted(simulation.emitted.items())),
        "unknown_profile_events": simulation.unknown_profile_events,
        "unknown_profiles": simulation.unknown_profiles,
        "recurring_reads_bounded": simulation.entries.bounded_reads,
        "journeys": journeys,
        "actions": [_action(action) for _, action in sorted(simulation.actions.by_name.items())],
    }


def _action(action) -> dict:
    """An action's calls over the run: started, failed by error, the longest wait for a slot."""
    limits = action.limits
    return {
        "action": action.name,
        "rate": None if limits.rate is None else {"calls": limits.rate, "per": limits.period},
        "cap": None if limits.cap is None else {"calls": limits.cap, "per": limits.window},
        "calls": action.calls,
        "failures": dict(sorted(action.failures.items())),
        "longest_queue_wait": action.longest_wait,
    }


def _position(span) -> tuple[str, int, int]:
    return span.file, span.line, span.column


def _statement_text(source, node) -> str:
    """The statement as written, on one line, shortened when long."""
    text = " ".join(source.text[node.span.start:node.span.end].split())
    return text if len(text) <= 72 else text[:71] + "…"


def _statement_name(node) -> str:
    return _STATEMENT_NAMES.get(type(node), type(node).__name__.lower())
