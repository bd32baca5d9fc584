"""The report of a finished simulation, as one JSON-ready dict: per journey version its
funnel (entries, rejections, exits), the profiles reaching, waiting at and failing in each
statement, the ways out each branching statement was left by, the waits for an event, the
first runtime errors, the hold-out's lift, and its sends; per journey entered by audience
reads, each read; per campaign the same totals, and per execution the population reaching
each statement and the instant of each join; per action its calls, failures and queue. docs/simulator.md gives the
schema."""

from __future__ import annotations

from .. import nodes as n
from ..core.instants import format_instant
from ..graph import statement_name, way_labels
from ..runtime.tally import source_place

SCHEMA_VERSION = 2


def build_report(simulation, workspace, start: int, built_in: bool) -> dict:
    journeys = []
    heap = simulation.clock.heap
    for name, family in simulation.families.items():
        in_flight = family.in_flight()
        versions = []
        for number, version in family.versions.items():
            source = workspace.sources.get(version.node.span.file)
            instances = [instance for instance in in_flight if instance.journey is version]
            versions.append(_version(version, family.status[number], source,
                                     version.tally.waiting(heap, instances)))
        reads = [{"at": format_instant(at), "members": members, "last_member_after": seconds}
                 for at, members, seconds in simulation.entries.reads.get(name, ())]
        journeys.append({"journey": name, "versions": versions, "reads": reads})
    return {
        "schema_version": SCHEMA_VERSION,
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
        "campaigns": [_campaign(campaign, workspace, heap)
                      for _, campaign in sorted(simulation.campaigns.items())],
        "actions": [_action(action) for _, action in sorted(simulation.actions.by_name.items())],
    }


def _campaign(campaign, workspace, heap) -> dict:
    """A campaign: its totals over the executions (as a journey version's), and per execution
    the population that reached each statement, and each join's instant."""
    version = campaign.version
    source = workspace.sources.get(version.node.span.file)
    totals = _version(version, "live", source, version.tally.waiting(heap, campaign.in_flight()))
    for key in ("version", "status", "rejections", "jumped_out", "jumped_out_accepted",
                "jumped_in", "waits_for_event"):
        del totals[key]
    order = sorted(range(len(version.statements)),
                   key=lambda index: _position(version.statements[index].span))
    executions = []
    for number, execution in campaign.executions.items():
        executions.append({
            "execution": number,
            "read_at": format_instant(execution.at),
            "read": execution.read,
            "entered": execution.entered,
            "holdouts": execution.holdouts,
            "in_flight": sum(not member.ended for member in execution.members),
            "populations": [{**span_fields(str(version.statements[index].span)),
                             "population": execution.reached[index]} for index in order],
            "joins": [{**span_fields(str(version.statements[index].span)),
                       "at": format_instant(at), "handed_on": handed_on}
                      for index, at, handed_on in execution.joins],
        })
    return {"campaign": campaign.name, **span_fields(version.node_id), **totals,
            "executions": executions}


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


def _version(version, status: str, source, waiting: list[int]) -> dict:
    tally = version.tally
    statements, waits = [], []
    order = sorted(range(len(version.statements)),
                   key=lambda index: _position(version.statements[index].span))
    for index in order:
        node = version.statements[index]
        statement = {**span_fields(str(node.span)), "statement": statement_name(node),
                     "source": _statement_text(source, node) if source else "",
                     "reached": tally.reached[index], "waiting": waiting[index],
                     "errors": tally.error_at.get(str(node.span), 0)}
        counts = tally.ways.get(index)
        if counts is not None and not isinstance(node, n.WaitForEvent):
            statement["ways"] = [{"way": label, "profiles": count}
                                 for label, count in zip(way_labels(node, source), counts)]
        statements.append(statement)
        if isinstance(node, n.WaitForEvent):
            waits.append({**span_fields(str(node.span)), "event": node.event.name,
                          "within": node.within is not None, "received": counts[0],
                          "timed_out": counts[1], "waiting": waiting[index]})
    entry_errors = tally.error_at.get(version.entry_id, 0)
    if version.entry_id != version.node_id:
        entry_errors += tally.error_at.get(version.node_id, 0)
    return {
        "version": version.version,
        "status": status,
        "entries": tally.entries,
        "entered": None if tally.first_entry is None else {
            "first": format_instant(tally.first_entry), "last": format_instant(tally.last_entry)},
        "holdouts": tally.holdouts,
        "rejections": dict(sorted(tally.rejections.items())),
        "exits": dict(sorted(tally.exits.items())),
        "in_flight": tally.in_flight(),
        "errors": tally.errors,
        "entry_errors": entry_errors,
        "jumped_out": tally.jumps[0],
        "jumped_out_accepted": tally.jumps[1],
        "jumped_in": tally.jumped_in,
        "statements": statements,
        "waits_for_event": waits,
        "first_errors": [{"time": format_instant(time), **span_fields(node_id),
                          "profile": profile_id, "message": message}
                         for time, node_id, profile_id, message in tally.first_errors],
        "more_errors": tally.errors - len(tally.first_errors),
        "lift": _lift(tally.lift),
        "sends": [{"channel": channel, "message": message, "sent": counts[0],
                   "suppressed": counts[1], "capped": counts[2]}
                  for (channel, message), counts in sorted(tally.sends.items())],
    }


def _lift(lift) -> dict | None:
    """Per event watched, the share of held-out and of treated profiles that sent it after
    their entry, and the lift: the treated share less the held-out one."""
    if lift is None:
        return None
    held_out, treated = len(lift.held_out), len(lift.treated)
    events = []
    for name, (held_senders, treated_senders) in lift.senders.items():
        held_share = share(len(held_senders), held_out)
        treated_share = share(len(treated_senders), treated)
        difference = (round(treated_share - held_share, 4)
                      if held_share is not None and treated_share is not None else None)
        events.append({"event": name, "held_out_senders": len(held_senders),
                       "treated_senders": len(treated_senders), "held_out_share": held_share,
                       "treated_share": treated_share, "lift": difference})
    return {"held_out": held_out, "treated": treated, "events": events}


def share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def span_fields(node_id: str) -> dict:
    """`file:line:col` as the fields `file`, `line`, `column` (a file name may hold colons)."""
    return dict(zip(("file", "line", "column"), source_place(node_id)))


def _position(span) -> tuple[str, int, int]:
    return span.file, span.line, span.column


def _statement_text(source, node) -> str:
    """The statement as written, on one line, shortened when long."""
    text = " ".join(source.text[node.span.start:node.span.end].split())
    return text if len(text) <= 72 else text[:71] + "…"
