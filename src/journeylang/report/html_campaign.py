"""What the HTML report shows of a campaign beyond a journey's figures: its funnel, its
executions, the population on each statement per execution, its joins' instants, and the
population on each edge of its diagram."""

from __future__ import annotations

from html import escape

from ..graph.model import Box
from .html_parts import cell, counts, diagram, facts, statement_key, table
from .text import SHOWN_EXECUTIONS, plural


def heading(campaign: dict) -> str:
    executions = plural(len(campaign["executions"]), "execution")
    return (f'<h2>{escape(campaign["campaign"])} <span class="muted">campaign · '
            f"{escape(executions)}</span></h2>")


def funnel(campaign: dict) -> str:
    rows = [("members read", sum(execution["read"] for execution in campaign["executions"]))]
    if campaign["holdouts"]:
        rows.append(("held out", campaign["holdouts"]))
    rows.append(("exited", counts(campaign["exits"])))
    if campaign["in_flight"]:
        rows.append(("still in the campaign", campaign["in_flight"]))
    if campaign["errors"]:
        rows.append(("errors", campaign["errors"]))
    return facts(rows)


def drawn(campaign: dict, node, source) -> str:
    """The campaign's flow: on each box the members that reached it, on each edge of a
    sequence the population it carried (every execution's together)."""
    reached = {statement_key(item): item["reached"] for item in campaign["statements"]}

    def into(box: Box) -> str | None:
        return str(reached[box.key]) if box.key in reached else None

    title = f"{campaign['campaign']} campaign"
    return f'<div class="diagram">{diagram(title, campaign, node, source, into)}</div>'


def executions(campaign: dict) -> str:
    rows = [f"<tr>{cell('#' + str(execution['execution']), True)}{cell(execution['read_at'])}"
            f"{cell(execution['read'], True)}{cell(execution['holdouts'] or '', True)}"
            f"{cell(execution['in_flight'] or '', True)}</tr>"
            for execution in campaign["executions"]]
    return table("Executions", [("execution", True), ("read at", False), ("members", True),
                                ("held out", True), ("still in", True)], rows)


def populations(campaign: dict) -> str:
    """Per statement, the population that reached it in each execution (the first
    SHOWN_EXECUTIONS, as the text report; the JSON report has them all)."""
    shown = campaign["executions"][:SHOWN_EXECUTIONS]
    rows = []
    for row, item in enumerate(campaign["statements"]):
        cells = "".join(cell(execution["populations"][row]["population"], True)
                        for execution in shown)
        rows.append(f'<tr data-figure="population" data-node="{escape(statement_key(item))}">'
                    f"{cell(item['line'], True)}{cells}{cell(item['source'], kind='code')}</tr>")
    head = [("line", True), *((f"#{execution['execution']}", True) for execution in shown),
            ("statement", False)]
    shown_table = table("Population on each statement", head, rows)
    hidden = len(campaign["executions"]) - len(shown)
    if shown_table and hidden:
        more = escape(plural(hidden, "more execution"))
        shown_table = shown_table.replace(
            "</section>", f'<p class="muted">… and {more} (--format json has them all)</p>'
            "</section>")
    return shown_table


def joins(campaign: dict) -> str:
    rows = [f'<tr data-figure="join" data-node="{escape(statement_key(join))}">'
            f"{cell('#' + str(execution['execution']), True)}{cell(join['line'], True)}"
            f"{cell(join['at'])}{cell(join['handed_on'], True)}</tr>"
            for execution in campaign["executions"] for join in execution["joins"]]
    return table("Joins", [("execution", True), ("line", True), ("fired at", False),
                           ("handed on", True)], rows)
