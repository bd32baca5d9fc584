"""The expressions of a workspace as the rules see them: each one's site (its scope and the
role it plays), found by one walk of the journeys, and the nodes of each site found by one walk
of its expression."""

from __future__ import annotations

from typing import Iterator, Mapping

import attrs

from .. import nodes as n
from .types import comprehension_scope


@attrs.frozen(eq=False)
class Binding:
    """A `let`: the value it binds (an expression, a fetch, or the call whose response it
    binds) and the scope that value is evaluated in."""

    value: n.Expr
    scope: "Scope"


@attrs.frozen(eq=False)
class Scope:
    """Where an expression is evaluated: its journey, the event bound to `event` (its name), if
    any, and the `let` names it reads that are bound there (name → binding). `bound` lists every
    `let` name bound there, kept only when the expression reads a name that is not (a rule
    suggests among them): a scope never copies the names it does not use, so a journey of
    thousands of `let`s costs no more than their number."""

    file: str
    journey: n.Journey | None
    lets: Mapping[str, Binding] = attrs.Factory(dict)
    event: str | None = None
    bound: tuple[str, ...] = ()


@attrs.frozen(eq=False)
class Site:
    """An expression as written in the program, its scope, and the role it plays:
    condition, wait-until, value, set, data, at. `nodes` are the expression's nodes as walk()
    gives them, walked once for every rule."""

    expr: n.Expr
    scope: Scope
    role: str
    target: tuple[str, ...] = ()  # for `set`: the attribute path after `profile`
    statement: n.Node | None = None  # for `set`: the statement
    nodes: tuple[n.Node, ...] = ()

    def paths(self) -> Iterator[n.Path]:
        """The paths the expression reads (`profile.a`, `event.b`, a `let` name), in order."""
        return (node for node in self.nodes if type(node) is n.Path)


def walk(node: n.Node) -> list[n.Node]:
    """The node and every node below it, depth first, in source order, with a stack of its own
    (however deep the tree, no recursion)."""
    found = []
    pending = [node]
    while pending:
        node = pending.pop()
        found.append(node)
        children = list(node.children())
        if children:
            children.reverse()
            pending.extend(children)
    return found


def workspace_sites(audiences: list[n.AudienceDecl], journeys: list[n.Journey],
                    known: KnownSites | None = None) -> list[Site]:
    """The site of every expression of the audience declarations and the journeys (those of
    a journey `known` has seen taken from it)."""
    found = [_site(decl.condition, Scope(decl.span.file, None), {}, "condition")
             for decl in audiences]
    for sites in (known.of(journeys) if known is not None else map(_journey_sites, journeys)):
        found.extend(sites)
    return found


class KnownSites:
    """The sites of the journeys of one check, for the next check of the same workspace (the
    language server's, after an edit): a journey of a file that did not change is the same
    object then, and its sites are the same. Only the journeys of the last check are kept."""

    def __init__(self) -> None:
        self._by_journey: dict[int, tuple[n.Journey, tuple[Site, ...]]] = {}

    def of(self, journeys: list[n.Journey]) -> list[tuple[Site, ...]]:
        """The sites of each journey, in order."""
        kept: dict[int, tuple[n.Journey, tuple[Site, ...]]] = {}
        for journey in journeys:
            known = self._by_journey.get(id(journey))
            if known is None or known[0] is not journey:
                known = journey, tuple(_journey_sites(journey))
            kept[id(journey)] = known
        self._by_journey = kept
        return [kept[id(journey)][1] for journey in journeys]


def scoped_nodes(site: Site) -> Iterator[tuple[Site, n.Node]]:
    """The nodes of a site's expression as walk() gives them, each with the site it is in: the
    nodes inside a comprehension's brackets come with a site whose scope binds its name."""
    if not any(type(node) is n.Comprehension for node in site.nodes):
        for node in site.nodes:
            yield site, node
        return
    pending = [(site.expr, site)]
    while pending:
        node, inside = pending.pop()
        yield inside, node
        if isinstance(node, n.Comprehension):
            inner = attrs.evolve(inside, scope=comprehension_scope(node, inside.scope))
            parts = [(node.element, inner), (node.name, inner), (node.source, inside)]
            if node.condition is not None:
                parts.append((node.condition, inner))
            pending.extend(reversed(parts))
        else:
            pending.extend((child, inside) for child in reversed(list(node.children())))


_READ_ANYWHERE = frozenset(("profile", "event"))


def _site(expr: n.Expr, place: Scope, bound: Mapping[str, Binding], role: str,
          target: tuple[str, ...] = (), statement: n.Node | None = None) -> Site:
    """The site of an expression at a place (a scope without `let`s), given the `let` names
    bound there: its scope keeps the bindings of the names it reads."""
    nodes = tuple(walk(expr))
    read = {node.root for node in nodes if type(node) is n.Path} - _READ_ANYWHERE
    if read:  # otherwise the place is the scope: no `let` is read, none is suggested
        lets = {name: bound[name] for name in read if name in bound}
        place = Scope(place.file, place.journey, lets, place.event,
                      tuple(bound) if len(lets) < len(read) else ())
    return Site(expr, place, role, target, statement, nodes)


def _journey_sites(journey: n.Journey) -> Iterator[Site]:
    entry = journey.entry
    entry_event = entry.event.name if isinstance(entry, n.EventEntry) else None
    file = journey.span.file
    for item in journey.header:
        if isinstance(item, n.EventEntry) and item.where is not None:
            yield _site(item.where, Scope(file, journey, event=item.event.name), {}, "condition")
        elif isinstance(item, n.AudienceEntry):
            for moment in (item.at, item.starting, item.until):
                if moment is not None:
                    yield _site(moment, Scope(file, journey), {}, "at")
        elif isinstance(item, n.ExitOnEvent) and item.where is not None:
            yield _site(item.where, Scope(file, journey, event=item.event.name), {}, "condition")
        elif isinstance(item, n.ExitWhen):
            yield _site(item.condition, Scope(file, journey), {}, "condition")
    yield from _body_sites(journey.body, Scope(file, journey, event=entry_event))


def _body_sites(body: tuple, place: Scope) -> Iterator[Site]:
    """The sites of a journey's body in source order. A `let` is visible in the statements
    after it in its block and in the blocks nested there: the names bound at the current place
    are one dictionary, changed as the walk goes (and put back as it leaves a block), with a
    stack of its own rather than recursion."""
    bound: dict[str, Binding] = {}
    undo: list[tuple[str, Binding | None]] = []  # (name, the binding it replaced)
    pending: list[tuple] = [("block", body, place, ())]  # (kind, item, place, what else)
    while pending:
        kind, item, place, rest = pending.pop()
        if kind == "site":
            yield _site(item, place, bound, *rest)
        elif kind == "block":
            pending.append(("end", len(undo), place, ()))
            pending.extend(("statement", statement, place, ()) for statement in reversed(item))
        elif kind == "end":
            while len(undo) > item:
                name, replaced = undo.pop()
                if replaced is None:
                    del bound[name]
                else:
                    bound[name] = replaced
        elif isinstance(item, n.Let):  # a statement
            value = item.value
            expr = value.data if isinstance(value, n.Fetch) else value
            scope = place
            if expr is not None:
                site = _site(expr, place, bound, "data" if expr is not value else "value")
                scope = site.scope
                yield site
            undo.append((item.name.name, bound.get(item.name.name)))
            bound[item.name.name] = Binding(value, scope)
        elif kind == "bind":  # after `let r = call …` and its `on error`: r is bound
            undo.append((item.result.name, bound.get(item.result.name)))
            bound[item.result.name] = Binding(item, place)
        else:  # any other statement
            if isinstance(item, n.CallAction) and item.result is not None:
                pending.append(("bind", item, place, ()))
            pending.extend(reversed(list(_statement_parts(item, place))))


def _statement_parts(statement, place: Scope) -> Iterator[tuple]:
    """What a statement other than `let` holds, in source order: ("site", expression, place,
    (role[, target, statement])) and ("block", statements, place, ())."""
    if isinstance(statement, n.Send) and statement.data is not None:
        yield "site", statement.data, place, ("data",)
    elif isinstance(statement, n.CallAction):
        if statement.data is not None:
            yield "site", statement.data, place, ("data",)
        if statement.on_error is not None:
            yield "block", statement.on_error, place, ()
    elif isinstance(statement, n.If):
        for arm in statement.arms:
            yield "site", arm.condition, place, ("condition",)
            yield "block", arm.body, place, ()
        if statement.orelse is not None:
            yield "block", statement.orelse, place, ()
    elif isinstance(statement, n.Split):
        for arm in statement.arms:
            yield "block", arm.body, place, ()
    elif isinstance(statement, n.WaitUntil):
        yield "site", statement.target, place, ("wait-until",)
    elif isinstance(statement, n.WaitForEvent):
        waited = attrs.evolve(place, event=statement.event.name)
        if statement.where is not None:
            yield "site", statement.where, waited, ("condition",)
        if statement.body is not None:
            yield "block", statement.body, waited, ()
        if statement.on_timeout is not None:
            yield "block", statement.on_timeout, place, ()
    elif isinstance(statement, n.Fork):
        for branch in statement.branches:
            if branch.when is not None:
                yield "site", branch.when, place, ("condition",)
            yield "block", branch.body, place, ()
    elif isinstance(statement, n.SetProfile):
        yield "site", statement.value, place, ("set", statement.path, statement)
