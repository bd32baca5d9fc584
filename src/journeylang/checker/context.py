"""What every rule sees: the workspace's journeys, schemas, audiences and lock file, and each
expression with the scope it is evaluated in."""

from __future__ import annotations

import functools
import posixpath
from typing import Iterator, Mapping

import attrs

from .. import nodes as n
from ..core.schema import TYPE_NAMES
from ..lockfile import Lock
from ..workspace import Workspace
from .types import ListOf, Record, comprehension_scope


#: The fields of a reaction event (`email.opened`): the send it reacts to.
REACTION_FIELDS = Record({"channel": "string", "message": "string", "journey": "string"})


def is_reaction(event: str) -> bool:
    """Whether an event's name is a reaction's: a channel, a dot and more (`push.clicked`)."""
    channel, dot, _ = event.partition(".")
    return bool(dot) and channel in n.CHANNELS


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
    condition, wait-until, value, set, data, at."""

    expr: n.Expr
    scope: Scope
    role: str
    target: tuple[str, ...] = ()  # for `set`: the attribute path after `profile`
    statement: n.Node | None = None  # for `set`: the statement


@attrs.frozen
class Block:
    """A sequence of statements that run one after another, in its journey."""

    journey: n.Journey
    statements: tuple


class Context:
    """The workspace as the rules see it; everything is computed once and shared."""

    def __init__(self, workspace: Workspace, audiences: Mapping[str, list] | None = None,
                 lock: Lock | None = None):
        self.workspace = workspace
        self.programs = list(workspace.programs.values())
        self.journeys = workspace.journeys
        self.audience_data = dict(audiences or {})
        self.lock = lock
        #: The static type of each expression node, by id (with the node, so that the id stays
        #: its own), worked out once by types.type_of.
        self.expression_types: dict[int, tuple[n.Node, object]] = {}

    # ---- declarations ----------------------------------------------------------------
    @functools.cached_property
    def audience_decls(self) -> list[n.AudienceDecl]:
        return [d for program in self.programs for d in program.audiences]

    @functools.cached_property
    def saved_audiences(self) -> set[str]:
        """The audiences campaigns save (`save audience NAME`): known from the run's start."""
        return {node.audience.name for journey in self.journeys
                if isinstance(journey, n.Campaign) for node in walk(journey)
                if isinstance(node, n.SaveAudience)}

    @functools.cached_property
    def audience_names(self) -> set[str]:
        return ({d.name.name for d in self.audience_decls} | set(self.audience_data)
                | self.saved_audiences)

    @functools.cached_property
    def action_decls(self) -> dict[str, n.ActionDecl]:
        """The declared actions by name (the first declaration of each: a rule reports others)."""
        found: dict[str, n.ActionDecl] = {}
        for program in self.programs:
            for decl in program.actions:
                found.setdefault(decl.name.name, decl)
        return found

    @functools.cache
    def action_response(self, action: str) -> Record | None:
        """The declared schema of an action's response, or None when it has none."""
        decl = self.action_decls.get(action)
        response = decl.setting(n.ActionResponse) if decl is not None else None
        return record_type(response.fields) if response is not None else None

    @functools.cached_property
    def _schemas_by_directory(self) -> dict[str, list]:
        """Schema declarations (profile and event) by the directory of their file."""
        found: dict[str, list] = {}
        for program in self.programs:
            for declaration in program.declarations:
                if isinstance(declaration, (n.ProfileSchema, n.EventSchema)):
                    found.setdefault(posixpath.dirname(declaration.span.file), []).append(declaration)
        return found

    @functools.cache
    def _governing(self, directory: str) -> tuple:
        """The schema declarations that govern the files of a directory: those in it and in
        the directories above it, the highest first."""
        directories = [directory]
        while directories[-1] and posixpath.dirname(directories[-1]) != directories[-1]:
            directories.append(posixpath.dirname(directories[-1]))
        return tuple(declaration for above in reversed(directories)
                     for declaration in self._schemas_by_directory.get(above, ()))

    def _in_scope(self, kind, file: str):
        return [d for d in self._governing(posixpath.dirname(file)) if isinstance(d, kind)]

    @functools.cache
    def event_schemas(self, file: str) -> dict[str, Record]:
        """The event schemas that govern a file, by event name, fields merged over files."""
        schemas: dict[str, Record] = {}
        for schema in self._in_scope(n.EventSchema, file):
            name = schema.name.name
            schemas[name] = merge(schemas.get(name, Record()), record_type(schema.fields))
        return schemas

    @functools.cache
    def profile_fields(self, file: str) -> Record | None:
        """The profile schema that governs a file, as a record type (merged over the files
        that declare one), or None when none does."""
        schemas = self._in_scope(n.ProfileSchema, file)
        if not schemas:
            return None
        merged = Record({"id": "string"})
        for schema in schemas:
            merged = merge(merged, record_type(schema.fields))
        return merged

    def event_fields(self, file: str, event: str | None) -> Record | None:
        """An event's fields: its schema's, and for a reaction to a message (`email.opened`:
        a channel, a dot, a name) the fields a behaviour gives it too."""
        if not event:
            return None
        declared = self.event_schemas(file).get(event)
        if is_reaction(event):
            return merge(REACTION_FIELDS, declared) if declared is not None else REACTION_FIELDS
        return declared

    def versions(self) -> dict[str, list[n.Journey]]:
        """The journeys of the workspace grouped by name, each group in source order."""
        groups: dict[str, list[n.Journey]] = {}
        for journey in self.journeys:
            if not isinstance(journey, n.Campaign):  # a campaign has no versions
                groups.setdefault(journey.name, []).append(journey)
        return groups

    # ---- walking -----------------------------------------------------------------------
    @functools.cached_property
    def blocks(self) -> list[Block]:
        return [Block(journey, block) for journey in self.journeys
                for block in _blocks(journey.body)]

    @functools.cached_property
    def sites(self) -> list[Site]:
        found: list[Site] = []
        for decl in self.audience_decls:
            found.append(_site(decl.condition, Scope(decl.span.file, None), {}, "condition"))
        for journey in self.journeys:
            found.extend(_journey_sites(journey))
        return found

    @functools.cached_property
    def site_nodes(self) -> list[tuple[Site, n.Node]]:
        """Every expression node of every site, with its site, walked once for all rules. The
        nodes inside a comprehension's brackets come with a site whose scope binds its name."""
        return [pair for site in self.sites for pair in _scoped_nodes(site)]

    def statements(self) -> Iterator[tuple[n.Journey, n.Node]]:
        for block in self.blocks:
            for statement in block.statements:
                yield block.journey, statement


def walk(node: n.Node) -> Iterator[n.Node]:
    """The node and every node below it, depth first, in source order, with a stack of its own
    (however deep the tree, no recursion)."""
    pending = [node]
    while pending:
        node = pending.pop()
        yield node
        pending.extend(reversed(list(node.children())))


def _scoped_nodes(site: Site) -> Iterator[tuple[Site, n.Node]]:
    """The nodes of a site's expression as walk() gives them, each with the site it is in."""
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


def merge(first: Record, second: Record) -> Record:
    """A record type with the fields of both: records declared twice merge their fields (a
    conflicting declaration is reported by a rule, and the first one kept)."""
    fields = dict(first)
    for name, kind in second.items():
        if isinstance(kind, Record) and isinstance(fields.get(name), Record):
            fields[name] = merge(fields[name], kind)
        else:
            fields.setdefault(name, kind)
    return Record(fields)


def record_type(fields: n.RecordType) -> Record:
    """A record type: {name: type}, where a type is a name from TYPE_NAMES, a list of a type,
    or a nested record. Unknown type names read as "any" (a rule reports them)."""
    return Record({field.name.name: _type(field.type) for field in fields.fields})


def _type(kind) -> object:
    if isinstance(kind, n.RecordType):
        return record_type(kind)
    if isinstance(kind, n.ListType):
        return ListOf(_type(kind.item))
    return kind.name if kind.name in TYPE_NAMES else "any"


def _blocks(statements: tuple) -> Iterator[tuple]:
    """Every block of statements, the given one first, then the nested ones, in source order."""
    pending = [statements]
    while pending:
        block = pending.pop()
        yield block
        pending.extend(reversed([child for statement in block
                                 for child in _child_blocks(statement)]))


def _child_blocks(statement) -> Iterator[tuple]:
    if isinstance(statement, n.If):
        for arm in statement.arms:
            yield arm.body
        if statement.orelse is not None:
            yield statement.orelse
    elif isinstance(statement, n.Split):
        for arm in statement.arms:
            yield arm.body
    elif isinstance(statement, n.Fork):
        for branch in statement.branches:
            yield branch.body
    elif isinstance(statement, (n.WaitForEvent,)):
        for block in (statement.body, statement.on_timeout):
            if block is not None:
                yield block
    elif isinstance(statement, n.CallAction) and statement.on_error is not None:
        yield statement.on_error


def _site(expr: n.Expr, place: Scope, bound: Mapping[str, Binding], role: str,
          target: tuple[str, ...] = (), statement: n.Node | None = None) -> Site:
    """The site of an expression at a place (a scope without `let`s), given the `let` names
    bound there: its scope keeps the bindings of the names it reads."""
    read = {node.root for node in walk(expr) if isinstance(node, n.Path)} - {"profile", "event"}
    lets = {name: bound[name] for name in read if name in bound}
    scope = attrs.evolve(place, lets=lets, bound=tuple(bound) if len(lets) < len(read) else ())
    return Site(expr, scope, role, target, statement)


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
    pending: list[tuple] = [("block", body, place)]
    while pending:
        kind, item, place, *rest = pending.pop()
        if kind == "site":
            yield _site(item, place, bound, *rest)
        elif kind == "block":
            pending.append(("end", len(undo), place))
            pending.extend(("statement", statement, place) for statement in reversed(item))
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
                pending.append(("bind", item, place))
            pending.extend(reversed(list(_statement_parts(item, place))))


def _statement_parts(statement, place: Scope) -> Iterator[tuple]:
    """What a statement other than `let` holds, in source order: ("site", expression, place,
    role[, target, statement]) and ("block", statements, place)."""
    if isinstance(statement, n.Send) and statement.data is not None:
        yield "site", statement.data, place, "data"
    elif isinstance(statement, n.CallAction):
        if statement.data is not None:
            yield "site", statement.data, place, "data"
        if statement.on_error is not None:
            yield "block", statement.on_error, place
    elif isinstance(statement, n.If):
        for arm in statement.arms:
            yield "site", arm.condition, place, "condition"
            yield "block", arm.body, place
        if statement.orelse is not None:
            yield "block", statement.orelse, place
    elif isinstance(statement, n.Split):
        for arm in statement.arms:
            yield "block", arm.body, place
    elif isinstance(statement, n.WaitUntil):
        yield "site", statement.target, place, "wait-until"
    elif isinstance(statement, n.WaitForEvent):
        waited = attrs.evolve(place, event=statement.event.name)
        if statement.where is not None:
            yield "site", statement.where, waited, "condition"
        if statement.body is not None:
            yield "block", statement.body, waited
        if statement.on_timeout is not None:
            yield "block", statement.on_timeout, place
    elif isinstance(statement, n.Fork):
        for branch in statement.branches:
            if branch.when is not None:
                yield "site", branch.when, place, "condition"
            yield "block", branch.body, place
    elif isinstance(statement, n.SetProfile):
        yield "site", statement.value, place, "set", statement.path, statement
