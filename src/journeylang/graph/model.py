"""A journey version as a flow, built from its syntax tree: boxes (the entry, each statement, the
ends of paths) and branchings (a statement with labelled ways out, the arms nesting flows)."""

from __future__ import annotations

from typing import Union

import attrs

from .. import nodes as n
from ..core.values import format_duration
from ..source import Source

LONGEST_LABEL = 44  # characters of a line of a box or of an edge's label


@attrs.define
class Box:
    """One box of the flow: the entry, a statement, or the end of a path. `key` is the
    statement's `file:line:col` (as the report names it), `entry`, or `end`."""

    key: str
    kind: str  # entry | statement | end
    lines: tuple[str, ...]
    statement: str = ""  # the statement's keyword(s): "send", "wait for event", …


@attrs.define
class Arm:
    """One way out of a branching statement, with its label and the flow it runs; `leads_on`
    says whether the arm's path goes on after the branching (to the merge or the join)."""

    label: str
    body: list[Item]
    leads_on: bool


@attrs.define
class Branching:
    """A statement with ways out (`if`, `split`, `fork`, `wait for event`, `call … on
    error`): its box, its arms in the order the report counts them, and a fork's join."""

    head: Box
    arms: list[Arm]
    join: Box | None = None

    @property
    def leads_on(self) -> bool:
        return self.join is not None or any(arm.leads_on for arm in self.arms)


Item = Union[Box, Branching]


@attrs.define
class Flow:
    """A journey version's flow: its name, version, and its items from the entry to the end."""

    journey: str
    version: int  # 0 for a campaign
    items: list[Item]

    @property
    def title(self) -> str:
        return f"{self.journey} version {self.version}" if self.version else f"{self.journey} campaign"


STATEMENT_NAMES = {n.Send: "send", n.CallAction: "call", n.If: "if", n.Split: "split",
                   n.Wait: "wait", n.WaitUntil: "wait until", n.WaitForEvent: "wait for event",
                   n.Fork: "fork", n.Join: "join", n.Let: "let", n.SetProfile: "set",
                   n.Exit: "exit", n.Jump: "jump", n.Keep: "keep where",
                   n.ExcludeAudience: "exclude audience", n.IntersectAudience: "intersect audience",
                   n.SaveAudience: "save audience"}


def statement_name(node: n.Node) -> str:
    return STATEMENT_NAMES.get(type(node), type(node).__name__.lower())


def build_flow(journey: n.Journey, source: Source | None) -> Flow:
    """The flow of one journey version; `source` gives the text of conditions and targets."""
    text = _Text(source)
    entry = Box("entry", "entry", tuple(_entry_lines(journey, text)), "entry")
    items = [entry, *_sequence(journey.body, text)]
    if _leads_on(items):
        items.append(Box("end", "end", ("end",)))
    return Flow(journey.name, journey.version, items)


def way_labels(node: n.Node, source: Source | None) -> list[str]:
    """The labels of a branching statement's ways out, in the order the run counts them (an
    `if`'s arms then its else, a split's arms, a fork's branches, a `wait for event`'s
    received then timed out, a call's ok then failed); [] for other statements."""
    text = _Text(source)
    if isinstance(node, n.If):
        return [text.short(arm.condition) for arm in node.arms] + ["else"]
    if isinstance(node, n.Split):
        return [f"{_percent(arm.percent)}%" for arm in node.arms]
    if isinstance(node, n.Fork):
        return [arm.name.name + (f" when {text.short(arm.when)}" if arm.when else "")
                for arm in node.branches]
    if isinstance(node, n.WaitForEvent):
        within = f"after {format_duration(node.within.total_seconds())}" if node.within else "timed out"
        return [f"got {node.event.name}", within]
    if isinstance(node, n.CallAction):
        return ["ok", "failed"]
    return []


class _Text:
    """The text of nodes as written, on one line, shortened."""

    def __init__(self, source: Source | None):
        self.source = source

    def of(self, node: n.Node) -> str:
        if self.source is None or node.span is None:
            return statement_name(node)
        return " ".join(self.source.text[node.span.start:node.span.end].split())

    def short(self, node: n.Node) -> str:
        return shorten(self.of(node))


def shorten(text: str, limit: int = LONGEST_LABEL) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _percent(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _entry_lines(journey: n.Journey, text: _Text) -> list[str]:
    entry = journey.entry
    if isinstance(entry, n.EventEntry):
        lines = [f"on event {entry.event.name}"]
        if entry.where is not None:
            lines.append(shorten("where " + text.of(entry.where)))
    elif isinstance(entry, n.AudienceEntry):
        lines = [shorten(f"read audience {entry.audience.name}")]
        if entry.every is not None:
            lines.append(f"every {format_duration(entry.every.total_seconds())}")
        elif entry.at is not None:
            lines.append(shorten("at " + text.of(entry.at)))
    else:
        lines = ["no entry"]
    for item in journey.properties:
        if isinstance(item, n.ExitOnEvent):
            lines.append(shorten(f"exit on {item.event.name}"
                                 + (" where " + text.of(item.where) if item.where else "")))
        elif isinstance(item, n.ExitWhen):
            lines.append(shorten("exit when " + text.of(item.condition)))
        elif isinstance(item, n.Holdout):
            lines.append(f"holdout {_percent(item.percent)}%")
    return lines


def _statement_lines(node: n.Node, text: _Text) -> list[str]:
    """A statement in short, a line or a few."""
    if isinstance(node, n.Send):
        return [f"send {node.channel}", shorten(node.message)]
    if isinstance(node, n.CallAction):
        return [shorten(f"call {node.action.name}")]
    if isinstance(node, n.Wait):
        return [f"wait {format_duration(node.duration.total_seconds())}"]
    if isinstance(node, n.WaitUntil):
        return [shorten("wait until " + text.of(node.target))]
    if isinstance(node, n.WaitForEvent):
        lines = [shorten(f"wait for {node.event.name}")]
        if node.where is not None:
            lines.append(shorten("where " + text.of(node.where)))
        if node.within is not None:
            lines.append(f"within {format_duration(node.within.total_seconds())}")
        return lines
    if isinstance(node, n.Join):
        lines = [shorten("join " + ", ".join(ident.name for ident in node.branches))]
        if node.primary is not None:
            lines.append(shorten(f"primary {node.primary.name}"))
        return lines
    if isinstance(node, n.Let):
        value = node.value
        shown = f"fetch {value.source.name}" if isinstance(value, n.Fetch) else text.of(value)
        return [shorten(f"let {node.name.name} = {shown}")]
    if isinstance(node, n.SetProfile):
        return [shorten("set profile." + ".".join(node.path)), shorten("= " + text.of(node.value))]
    if isinstance(node, n.Keep):
        return ["keep where", shorten(text.of(node.condition))]
    if isinstance(node, (n.ExcludeAudience, n.IntersectAudience, n.SaveAudience)):
        lines = [statement_name(node), shorten(node.audience.name)]
        return lines + ["append"] if getattr(node, "append", False) else lines
    return [statement_name(node)]  # if, split, fork, exit


def _box(node: n.Node, text: _Text) -> Box:
    return Box(str(node.span), "statement", tuple(_statement_lines(node, text)),
               statement_name(node))


def _leads_on(items: list) -> bool:
    """Whether a path through these items goes on after the last one."""
    for item in items:
        if isinstance(item, Box) and item.statement == "exit":
            return False
        if isinstance(item, Branching) and not item.leads_on:
            return False
    return True


def _arm(label: str, statements, text: _Text) -> Arm:
    body = _sequence(statements or (), text)
    return Arm(label, body, _leads_on(body))


def _sequence(statements, text: _Text) -> list:
    items: list = []
    statements = list(statements)
    for index, statement in enumerate(statements):
        if isinstance(statement, n.Join):
            continue  # drawn with the fork before it
        head = _box(statement, text)
        labels = way_labels(statement, text.source)
        if isinstance(statement, n.If):
            bodies = [arm.body for arm in statement.arms] + [statement.orelse]
            items.append(Branching(head, [_arm(label, body, text)
                                          for label, body in zip(labels, bodies)]))
        elif isinstance(statement, n.Split):
            items.append(Branching(head, [_arm(label, arm.body, text)
                                          for label, arm in zip(labels, statement.arms)]))
        elif isinstance(statement, n.WaitForEvent):
            if statement.within is None and statement.body is None:
                items.append(head)
                continue
            arms = [_arm(labels[0], statement.body, text)]
            if statement.within is not None:
                arms.append(_arm(labels[1], statement.on_timeout, text))
            items.append(Branching(head, arms))
        elif isinstance(statement, n.CallAction) and statement.on_error is not None:
            items.append(Branching(head, [_arm("ok", (), text),
                                          _arm("on error", statement.on_error, text)]))
        elif isinstance(statement, n.Fork):
            following = statements[index + 1] if index + 1 < len(statements) else None
            join = following if isinstance(following, n.Join) else None
            named = {ident.name for ident in join.branches} if join else set()
            arms = []
            for label, branch in zip(labels, statement.branches):
                arm = _arm(label, branch.body, text)
                if arm.leads_on and branch.name.name not in named:
                    arm.body.append(Box("end", "end", ("end",)))  # runs to its own end
                    arm.leads_on = False
                arms.append(arm)
            items.append(Branching(head, arms, _box(join, text) if join else None))
        else:
            items.append(head)
    return items
