"""What every rule sees: the workspace's journeys, schemas, audiences and lock file, and each
expression with the scope it is evaluated in."""

from __future__ import annotations

import functools
import posixpath
from typing import Iterator, Mapping

import attrs

from .. import nodes as n
from ..lockfile import Lock
from ..workspace import Workspace

TYPE_NAMES = ("string", "number", "bool", "date", "datetime", "time", "duration", "any")


@attrs.frozen
class Scope:
    """Where an expression is evaluated: its journey, the `let` names bound there (name → the
    expression bound), and the event bound to `event` (its name), if any."""

    file: str
    journey: n.Journey | None
    lets: Mapping[str, n.Expr] = attrs.Factory(dict)
    event: str | None = None

    def bind(self, name: str, value: n.Expr) -> "Scope":
        return attrs.evolve(self, lets={**self.lets, name: value})

    def with_event(self, event: str | None) -> "Scope":
        return attrs.evolve(self, event=event)


@attrs.frozen
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

    # ---- declarations ----------------------------------------------------------------
    @functools.cached_property
    def audience_decls(self) -> list[n.AudienceDecl]:
        return [d for program in self.programs for d in program.audiences]

    @functools.cached_property
    def audience_names(self) -> set[str]:
        return {d.name.name for d in self.audience_decls} | set(self.audience_data)

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
        parent = posixpath.dirname(directory)
        above = self._governing(parent) if parent != directory and directory else ()
        return above + tuple(self._schemas_by_directory.get(directory, ()))

    def _in_scope(self, kind, file: str):
        return [d for d in self._governing(posixpath.dirname(file)) if isinstance(d, kind)]

    @functools.cache
    def event_schemas(self, file: str) -> dict[str, dict]:
        """The event schemas that govern a file, by event name, fields merged over files."""
        schemas: dict[str, dict] = {}
        for schema in self._in_scope(n.EventSchema, file):
            merge(schemas.setdefault(schema.name.name, {}), record_type(schema.fields))
        return schemas

    @functools.cache
    def profile_fields(self, file: str) -> dict | None:
        """The profile schema that governs a file, as nested dicts of types (merged over the
        files that declare one), or None when none does."""
        schemas = self._in_scope(n.ProfileSchema, file)
        if not schemas:
            return None
        merged: dict = {"id": "string"}
        for schema in schemas:
            merge(merged, record_type(schema.fields))
        return merged

    def event_fields(self, file: str, event: str | None) -> dict | None:
        return self.event_schemas(file).get(event) if event else None

    def versions(self) -> dict[str, list[n.Journey]]:
        """The journeys of the workspace grouped by name, each group in source order."""
        groups: dict[str, list[n.Journey]] = {}
        for journey in self.journeys:
            groups.setdefault(journey.name, []).append(journey)
        return groups

    # ---- walking -----------------------------------------------------------------------
    @functools.cached_property
    def blocks(self) -> list[Block]:
        found: list[Block] = []
        for journey in self.journeys:
            for block in _blocks(journey.body):
                found.append(Block(journey, block))
        return found

    @functools.cached_property
    def sites(self) -> list[Site]:
        found: list[Site] = []
        for decl in self.audience_decls:
            found.append(Site(decl.condition, Scope(decl.span.file, None), "condition"))
        for journey in self.journeys:
            found.extend(_journey_sites(journey))
        return found

    @functools.cached_property
    def site_nodes(self) -> list[tuple[Site, n.Node]]:
        """Every expression node of every site, with its site, walked once for all rules."""
        return [(site, node) for site in self.sites for node in site.expr.walk()]

    def statements(self) -> Iterator[tuple[n.Journey, n.Node]]:
        for block in self.blocks:
            for statement in block.statements:
                yield block.journey, statement


def merge(into: dict, fields: dict) -> None:
    """Add a record type's fields to another; records declared twice merge their fields (a
    conflicting declaration is reported by a rule, and the first one kept)."""
    for name, kind in fields.items():
        if isinstance(kind, dict) and isinstance(into.get(name), dict):
            merge(into[name], kind)
        else:
            into.setdefault(name, kind)


def record_type(fields: n.RecordType) -> dict:
    """A record type as {name: type}, where a type is a name from TYPE_NAMES, "list", or a
    nested dict. Unknown type names read as "any" (a rule reports them)."""
    result: dict = {}
    for field in fields.fields:
        result[field.name.name] = _type(field.type)
    return result


def _type(kind) -> object:
    if isinstance(kind, n.RecordType):
        return record_type(kind)
    if isinstance(kind, n.ListType):
        return "list"
    return kind.name if kind.name in TYPE_NAMES else "any"


def _blocks(statements: tuple) -> Iterator[tuple]:
    """Every block of statements, the given one first, then the nested ones."""
    yield statements
    for statement in statements:
        for child in _child_blocks(statement):
            yield from _blocks(child)


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


def _journey_sites(journey: n.Journey) -> Iterator[Site]:
    entry = journey.entry
    entry_event = entry.event.name if isinstance(entry, n.EventEntry) else None
    file = journey.span.file
    scope = Scope(file, journey, event=entry_event)
    for item in journey.header:
        if isinstance(item, n.EventEntry) and item.where is not None:
            yield Site(item.where, scope.with_event(item.event.name), "condition")
        elif isinstance(item, n.AudienceEntry):
            for moment in (item.at, item.starting):
                if moment is not None:
                    yield Site(moment, Scope(file, journey), "at")
        elif isinstance(item, n.ExitOnEvent) and item.where is not None:
            yield Site(item.where, Scope(file, journey, event=item.event.name), "condition")
        elif isinstance(item, n.ExitWhen):
            yield Site(item.condition, Scope(file, journey), "condition")
    yield from _block_sites(journey.body, scope)


def _block_sites(statements: tuple, scope: Scope) -> Iterator[Site]:
    for statement in statements:
        if isinstance(statement, n.Let):
            value = statement.value
            if isinstance(value, n.Fetch):
                if value.data is not None:
                    yield Site(value.data, scope, "data")
            else:
                yield Site(value, scope, "value")
            scope = scope.bind(statement.name.name, value)
        elif isinstance(statement, n.Send) and statement.data is not None:
            yield Site(statement.data, scope, "data")
        elif isinstance(statement, n.CallAction):
            if statement.data is not None:
                yield Site(statement.data, scope, "data")
            if statement.on_error is not None:
                yield from _block_sites(statement.on_error, scope)
        elif isinstance(statement, n.If):
            for arm in statement.arms:
                yield Site(arm.condition, scope, "condition")
                yield from _block_sites(arm.body, scope)
            if statement.orelse is not None:
                yield from _block_sites(statement.orelse, scope)
        elif isinstance(statement, n.Split):
            for arm in statement.arms:
                yield from _block_sites(arm.body, scope)
        elif isinstance(statement, n.WaitUntil):
            yield Site(statement.target, scope, "wait-until")
        elif isinstance(statement, n.WaitForEvent):
            waited = scope.with_event(statement.event.name)
            if statement.where is not None:
                yield Site(statement.where, waited, "condition")
            if statement.body is not None:
                yield from _block_sites(statement.body, waited)
            if statement.on_timeout is not None:
                yield from _block_sites(statement.on_timeout, scope)
        elif isinstance(statement, n.Fork):
            for branch in statement.branches:
                if branch.when is not None:
                    yield Site(branch.when, scope, "condition")
                yield from _block_sites(branch.body, scope)
        elif isinstance(statement, n.SetProfile):
            yield Site(statement.value, scope, "set", statement.path, statement)
