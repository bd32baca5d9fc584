"""The run report for people: rich tables of each journey version's funnel, statements, ways
out, waits for events, errors, hold-out lift and sends. Every name is printed as text, never
read as rich markup."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.values import format_duration


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def _counts(counts: dict) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in counts.items()) or "—"


def render(report: dict, console: Console) -> None:
    """Print the report: a summary, then per journey version its funnel, statements and sends."""
    population = "built-in simulated profile" if report["population"] == "built-in" else "profile"
    console.print(Text.assemble(
        ("Simulated ", "bold"), (f"{report['start']} → {report['end']}", "bold cyan"),
        f"  ·  {plural(report['profiles'], population)}  ·  {plural(report['events'], 'event')}"
        f"  ·  seed {report['seed']}"))
    if report["unknown_profile_events"]:
        shown = ", ".join(report["unknown_profiles"])
        console.print(Text(f"warning: {plural(report['unknown_profile_events'], 'event or audience member', 'events or audience members')} "
                           f"named profiles that are not among the profiles (e.g. {shown}): "
                           "skipped", style="yellow"))
    if report.get("one_process"):
        console.print(Text(f"note: the run stayed in one process: {report['one_process']}",
                           style="dim"))
    if (shared := limits_shared_text(report)) is not None:
        console.print(Text(f"note: {shared}", style="dim"))
    for name in report["recurring_reads_bounded"]:
        console.print(Text(f"note: the run has no end, so the recurring audience read of "
                           f"\"{name}\" repeated for 91 days from its first read", style="dim"))
    if report["behaviour_events"]:
        console.print(Text("Behaviours emitted: " + _counts(report["behaviour_events"])))
    for journey in report["journeys"]:
        for version in journey["versions"]:
            _render_version(journey["journey"], version, console)
        if journey["reads"]:
            _render_reads(journey["reads"], console)
    for campaign in report.get("campaigns", ()):
        _render_campaign(campaign, console)
    if report["actions"]:
        _render_actions(report["actions"], console)


SHOWN_EXECUTIONS = 6  # columns of the populations table; the JSON report has every one


def _render_campaign(campaign: dict, console: Console) -> None:
    """A campaign: its funnel, the population on each statement per execution, the joins'
    instants, then its ways, errors and messages as a journey's."""
    console.print()
    console.rule(Text.assemble((campaign["campaign"], "bold"), "  campaign  ",
                               (plural(len(campaign["executions"]), "execution"), "dim")))
    funnel = Table.grid(padding=(0, 2))
    funnel.add_column(style="bold")
    funnel.add_column()
    funnel.add_row("members read", str(sum(e["read"] for e in campaign["executions"])))
    if campaign["holdouts"]:
        funnel.add_row("held out", str(campaign["holdouts"]))
    funnel.add_row("exited", _counts(campaign["exits"]))
    if campaign["in_flight"]:
        funnel.add_row("still in the campaign", str(campaign["in_flight"]))
    if campaign["errors"]:
        funnel.add_row(Text("errors", style="bold red"), Text(str(campaign["errors"]), style="red"))
    console.print(funnel)
    executions = campaign["executions"]
    table = _table("Executions", ("execution", "right"), ("read at", "left"),
                   ("members", "right"), ("held out", "right"), ("still in", "right"))
    for execution in executions:
        table.add_row(f"#{execution['execution']}", execution["read_at"], str(execution["read"]),
                      str(execution["holdouts"] or ""), str(execution["in_flight"] or ""))
    console.print(table)
    shown = executions[:SHOWN_EXECUTIONS]
    table = Table(title="Population on each statement", title_justify="left", show_edge=False,
                  header_style="bold")
    table.add_column("line", justify="right", style="dim", no_wrap=True, min_width=4)
    for execution in shown:
        table.add_column(f"#{execution['execution']}", justify="right", no_wrap=True,
                         min_width=5)
    table.add_column("statement", no_wrap=True, overflow="ellipsis", max_width=44)
    for row, statement in enumerate(campaign["statements"]):
        cells = [str(execution["populations"][row]["population"]) for execution in shown]
        table.add_row(str(statement["line"]), *cells,
                      Text(statement["source"], overflow="ellipsis", no_wrap=True))
    console.print(table)
    if len(executions) > len(shown):
        console.print(Text(f"… and {plural(len(executions) - len(shown), 'more execution')} "
                           "(--format json has them all)", style="dim"))
    joins = [(execution, join) for execution in executions for join in execution["joins"]]
    if joins:
        table = _table("Joins", ("execution", "right"), ("line", "right"), ("fired at", "left"),
                       ("handed on", "right"))
        for execution, join in joins:
            table.add_row(f"#{execution['execution']}", Text(str(join["line"]), style="dim"),
                          join["at"], str(join["handed_on"]))
        console.print(table)
    _render_ways(campaign, console)
    _render_errors(campaign, console)
    _render_lift(campaign, console)
    _render_sends(campaign, console)


def _render_reads(reads: list, console: Console) -> None:
    table = Table(title="Audience reads", title_justify="left", show_edge=False,
                  header_style="bold")
    table.add_column("read at")
    table.add_column("members", justify="right")
    table.add_column("last member enters after", justify="right")
    for read in reads:
        table.add_row(read["at"], str(read["members"]), format_duration(read["last_member_after"]))
    console.print(table)


_PERIODS = {1: "s", 60: "min", 3600: "h"}


def limits_text(action: dict) -> str:
    """An action's limits as its declaration writes them: `rate 5/s, cap 20000 per 1d`."""
    limits = []
    if action["rate"] is not None:
        limits.append(f"rate {action['rate']['calls']}/{_PERIODS[action['rate']['per']]}")
    if action["cap"] is not None:
        limits.append(f"cap {action['cap']['calls']} per {format_duration(action['cap']['per'])}")
    return ", ".join(limits) or "—"


def limits_shared_text(report: dict) -> str | None:
    """What a run over workers says of its actions' limits (§9): each worker enforced its
    share, so a limit reached may be reached otherwise than in one process."""
    shared = report.get("limits_shared")
    if not shared:
        return None
    actions = "; ".join(
        f"{item['action']}: " + ", ".join(f"{kind} shares {' + '.join(map(str, item[kind]))}"
                                         for kind in ("rate", "cap") if item[kind])
        for item in shared["actions"])
    return (f"the actions' limits were shared out over {shared['workers']} workers, each "
            f"enforcing its share, so where a limit was reached the figures may differ from "
            f"a run in one process ({actions})")


def _render_actions(actions: list, console: Console) -> None:
    console.print()
    table = Table(title="Actions", title_justify="left", show_edge=False, header_style="bold")
    table.add_column("action")
    table.add_column("limits", no_wrap=True)
    table.add_column("calls", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("longest queue wait", justify="right")
    for action in actions:
        failures = action["failures"]
        table.add_row(Text(action["action"]), limits_text(action), str(action["calls"]),
                      _counts(failures) if failures else "",
                      format_duration(action["longest_queue_wait"])
                      if action["longest_queue_wait"] else "")
    console.print(table)


def _render_version(name: str, version: dict, console: Console) -> None:
    console.print()
    console.rule(Text.assemble((f"{name}", "bold"), f"  version {version['version']}  ",
                               (f"({version['status']})", "dim")))
    funnel = Table.grid(padding=(0, 2))
    funnel.add_column(style="bold")
    funnel.add_column()
    entered = version["entered"]
    when = "" if entered is None else (
        f"  (at {entered['first']})" if entered["first"] == entered["last"]
        else f"  (from {entered['first']} to {entered['last']})")
    funnel.add_row("entries", Text(str(version["entries"]) + when))
    if version["holdouts"]:
        funnel.add_row("held out", str(version["holdouts"]))
    funnel.add_row("rejected", _counts(version["rejections"]))
    funnel.add_row("exited", _counts(version["exits"]))
    if version["jumped_in"]:
        funnel.add_row("jumped in", str(version["jumped_in"]))
    if version["jumped_out"]:
        funnel.add_row("jumped out", f"{version['jumped_out']} "
                       f"({version['jumped_out_accepted']} taken in by their journey)")
    if version["in_flight"]:
        funnel.add_row("still in the journey", str(version["in_flight"]))
    if version["errors"]:
        funnel.add_row(Text("errors", style="bold red"), Text(str(version["errors"]), style="red"))
    console.print(funnel)

    statements = Table(title="Profiles reaching each statement", title_justify="left",
                       show_edge=False, header_style="bold")
    statements.add_column("line", justify="right", style="dim", no_wrap=True, min_width=4)
    statements.add_column("reached", justify="right", no_wrap=True, min_width=7)
    waiting = any(statement["waiting"] for statement in version["statements"])
    errors = any(statement["errors"] for statement in version["statements"])
    if waiting:
        statements.add_column("waiting", justify="right", no_wrap=True)
    if errors:
        statements.add_column("errors", justify="right", no_wrap=True)
    statements.add_column("statement", no_wrap=True, overflow="ellipsis")
    for statement in version["statements"]:
        reached = statement["reached"]
        style = "bold red" if reached == 0 else ""
        label = Text(statement["source"], overflow="ellipsis", no_wrap=True)
        if reached == 0:
            label = Text.assemble(("never reached: ", "bold red"), (statement["source"], "red"),
                                  overflow="ellipsis", no_wrap=True)
        row = [str(statement["line"]), Text(str(reached), style=style)]
        if waiting:
            row.append(str(statement["waiting"] or ""))
        if errors:
            row.append(Text(str(statement["errors"] or ""), style="red"))
        statements.add_row(*row, label)
    console.print(statements)
    _render_ways(version, console)
    _render_waits(version, console)
    _render_errors(version, console)
    _render_lift(version, console)
    _render_sends(version, console)


def _render_sends(version: dict, console: Console) -> None:
    if version["sends"]:
        sends = Table(title="Messages", title_justify="left", show_edge=False, header_style="bold")
        sends.add_column("channel")
        sends.add_column("message")
        sends.add_column("sent", justify="right")
        sends.add_column("suppressed (no consent)", justify="right")
        capped = any(send["capped"] for send in version["sends"])
        if capped:
            sends.add_column("suppressed (capped)", justify="right")
        for send in version["sends"]:
            cells = [str(send["suppressed"]) if send["suppressed"] else ""]
            if capped:
                cells.append(str(send["capped"]) if send["capped"] else "")
            sends.add_row(send["channel"], Text(send["message"]), str(send["sent"]), *cells)
        console.print(sends)


def _table(title: str, *columns: tuple[str, str]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=justify == "right")
    return table


def _render_ways(version: dict, console: Console) -> None:
    """Each branching statement's ways out: `if` arms, `split` arms, `fork` branches, calls."""
    rows = [(statement, way) for statement in version["statements"]
            for way in statement.get("ways", ())]
    if not rows:
        return
    table = _table("Ways taken", ("line", "right"), ("statement", "left"), ("way", "left"),
                   ("profiles", "right"))
    for statement, way in rows:
        table.add_row(Text(str(statement["line"]), style="dim"), statement["statement"],
                      Text(way["way"], overflow="ellipsis"), str(way["profiles"]))
    console.print(table)


def _render_waits(version: dict, console: Console) -> None:
    if not version["waits_for_event"]:
        return
    table = _table("Waits for an event", ("line", "right"), ("event", "left"),
                   ("received", "right"), ("timed out", "right"), ("still waiting", "right"))
    for wait in version["waits_for_event"]:
        table.add_row(Text(str(wait["line"]), style="dim"), Text(wait["event"]),
                      str(wait["received"]), str(wait["timed_out"]) if wait["within"] else "—",
                      str(wait["waiting"]))
    console.print(table)


def _render_errors(version: dict, console: Console) -> None:
    if not version["first_errors"]:
        return
    console.print(Text("Runtime errors", style="bold red"))
    for error in version["first_errors"]:
        console.print(Text.assemble(
            (f"  {error['file']}:{error['line']}:{error['column']}", "dim"),
            f"  {error['time']}  profile {error['profile']}: ", (error["message"], "red")))
    if version["more_errors"]:
        console.print(Text(f"  … and {plural(version['more_errors'], 'more error')}",
                           style="red"))


NO_LIFT = ("the journey waits for no event and exits on none, so there is no event to compare "
           "the held-out and the treated profiles on")


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def points(lift: float | None) -> str:
    return "—" if lift is None else f"{lift * 100:+.1f} pts"


def _render_lift(version: dict, console: Console) -> None:
    lift = version["lift"]
    if lift is None:
        return
    if not lift["events"]:
        console.print(Text("Hold-out lift: " + NO_LIFT, style="dim"))
        return
    table = _table(f"Hold-out lift ({plural(lift['held_out'], 'profile')} held out, "
                   f"{lift['treated']} treated)", ("event", "left"), ("held out", "right"),
                   ("treated", "right"), ("lift", "right"))
    for event in lift["events"]:
        table.add_row(Text(event["event"]),
                      f"{percent(event['held_out_share'])} ({event['held_out_senders']})",
                      f"{percent(event['treated_share'])} ({event['treated_senders']})",
                      points(event["lift"]))
    console.print(table)
