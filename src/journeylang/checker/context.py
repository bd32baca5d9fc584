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
from .sites import KnownSites, Site, scoped_nodes, workspace_sites
from .types import ListOf, Record


#: The fields of a reaction event (`email.opened`): the send it reacts to.
REACTION_FIELDS = Record({"channel": "string", "message": "string", "journey": "string"})


def is_reaction(event: str) -> bool:
    """Whether an event's name is a reaction's: a channel, a dot and more (`push.clicked`)."""
    channel, dot, _ = event.partition(".")
    return bool(dot) and channel in n.CHANNELS


def per_instance(method):
    """Keep a one-argument method's answers on its instance, so that they go with it (unlike
    functools.cache, which would keep every instance alive)."""
    name = f"_{method.__name__}_answers"

    @functools.wraps(method)
    def cached(self, argument):
        answers = self.__dict__.setdefault(name, {})
        if argument not in answers:
            answers[argument] = method(self, argument)
        return answers[argument]

    return cached


class ByClass:
    """Items in order, whose last element is a node, found by the node's class: a rule reads
    the few it is about instead of going over them all."""

    def __init__(self, items: list[tuple]):
        self.items = items
        self._positions: dict[type, list[int]] = {}
        for position, item in enumerate(items):
            self._positions.setdefault(type(item[-1]), []).append(position)

    def of(self, *kinds: type) -> list[tuple]:
        """The items whose node is of one of these classes (exactly), in their order."""
        positions = [position for kind in kinds for position in self._positions.get(kind, ())]
        if len(kinds) > 1:
            positions.sort()
        return [self.items[position] for position in positions]


@attrs.frozen
class Block:
    """A sequence of statements that run one after another, in its journey."""

    journey: n.Journey
    statements: tuple


class Context:
    """The workspace as the rules see it; everything is computed once and shared."""

    def __init__(self, workspace: Workspace, audiences: Mapping[str, list] | None = None,
                 lock: Lock | None = None, known_sites: KnownSites | None = None):
        self.workspace = workspace
        self.known_sites = known_sites
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
        return {node.audience.name for journey, node in self.statements_of(n.SaveAudience)
                if isinstance(journey, n.Campaign)}

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

    @per_instance
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

    @per_instance
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

    @per_instance
    def event_schemas(self, file: str) -> dict[str, Record]:
        """The event schemas that govern a file, by event name, fields merged over files."""
        schemas: dict[str, Record] = {}
        for schema in self._in_scope(n.EventSchema, file):
            name = schema.name.name
            schemas[name] = merge(schemas.get(name, Record()), record_type(schema.fields))
        return schemas

    @per_instance
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
        return workspace_sites(self.audience_decls, self.journeys, self.known_sites)

    @functools.cached_property
    def _site_nodes(self) -> ByClass:
        return ByClass([pair for site in self.sites for pair in scoped_nodes(site)])

    def site_nodes_of(self, *kinds: type) -> list[tuple[Site, n.Node]]:
        """The expression nodes of these classes in every site, each with its site, in order
        (all of them walked once for all rules). The nodes inside a comprehension's brackets
        come with a site whose scope binds its name."""
        return self._site_nodes.of(*kinds)

    @functools.cached_property
    def _statements(self) -> ByClass:
        return ByClass([(block.journey, statement) for block in self.blocks
                        for statement in block.statements])

    def statements(self) -> list[tuple[n.Journey, n.Node]]:
        """Every statement of every journey, nested ones included, with its journey."""
        return self._statements.items

    def statements_of(self, *kinds: type) -> list[tuple[n.Journey, n.Node]]:
        """The (journey, statement) pairs of statements() whose statement is of these classes."""
        return self._statements.of(*kinds)

    @functools.cached_property
    def _statements_by_journey(self) -> dict[int, list[n.Node]]:
        found: dict[int, list[n.Node]] = {}
        for journey, node in self.statements():
            found.setdefault(id(journey), []).append(node)
        return found

    def statements_in(self, journey: n.Journey) -> list[n.Node]:
        """Every statement of one journey, nested ones included, in statements() order."""
        return self._statements_by_journey.get(id(journey), [])


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
