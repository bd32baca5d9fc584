"""Names and where they are: each occurrence of an event, audience, action, journey, branch or
`let` name in a workspace, for go to definition, find references and document symbols."""

from __future__ import annotations

import functools
import re

import attrs
from lsprotocol import types

from .. import nodes as n
from ..checker.sites import walk
from ..source import Source, Span
from .analysis import Analysis
from .diagnostics import Converter

_JOURNEY_NAME = re.compile(r'(?:journey|campaign)\s+("(?:[^"\\\n]|\\.)*")')


@attrs.frozen
class Occurrence:
    """A name written at a span: `key` says what it names ("event", "purchase"), ("let", the
    `let`'s id), …; a definition is where it is declared."""

    key: tuple
    span: Span
    definition: bool


def journey_name_span(source: Source, journey: n.Journey) -> Span:
    """The span of a journey's name (its string), or of the journey when it cannot be found."""
    found = _JOURNEY_NAME.match(source.text, journey.span.start)
    if found is None:
        return journey.span
    return journey.span.part(found.start(1), found.end(1))


def _root(path: n.Path) -> Span:
    return path.span.part(path.span.start, path.span.start + len(path.root))


class Index:
    """Every occurrence of a name in an analysis's programs, found when first asked for (a
    completion of attributes or keywords needs none of them)."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis

    @functools.cached_property
    def occurrences(self) -> list[Occurrence]:
        return self._found[0]

    @functools.cached_property
    def events(self) -> dict[int, str | None]:
        """For each Path node (by id): the event bound where it is evaluated."""
        return self._found[1]

    @functools.cached_property
    def lets(self) -> dict[int, n.Let]:
        """Each `let` by the id of the value it binds (of the call, for `let r = call …`)."""
        return self._found[2]

    @functools.cached_property
    def _found(self) -> tuple[list[Occurrence], dict[int, str | None], dict[int, n.Let]]:
        self._occurrences: list[Occurrence] = []
        self._events: dict[int, str | None] = {}
        self._lets_by_value: dict[int, n.Let] = {}
        for source, program in self.analysis.programs.values():
            self._program(source, program)
        self._branches()
        self._lets()
        return self._occurrences, self._events, self._lets_by_value

    def _add(self, key: tuple, node, definition: bool = False) -> None:
        span = node if isinstance(node, Span) else node.span
        if span is not None:
            self._occurrences.append(Occurrence(key, span, definition))

    def _program(self, source: Source, program: n.Program) -> None:
        for declaration in program.declarations:
            if isinstance(declaration, n.EventSchema):
                self._add(("event", declaration.name.name), declaration.name, True)
            elif isinstance(declaration, n.AudienceDecl):
                self._add(("audience", declaration.name.name), declaration.name, True)
            elif isinstance(declaration, n.ActionDecl):
                self._add(("action", declaration.name.name), declaration.name, True)
            elif isinstance(declaration, n.Journey):
                self._add(("journey", declaration.name), journey_name_span(source, declaration),
                          True)
                self._journey(declaration)

    def _journey(self, journey: n.Journey) -> None:
        for node in walk(journey):
            if isinstance(node, (n.EventEntry, n.ExitOnEvent, n.WaitForEvent)):
                self._add(("event", node.event.name), node.event)
            elif isinstance(node, (n.AudienceEntry, n.ExcludeAudience, n.IntersectAudience)):
                self._add(("audience", node.audience.name), node.audience)
            elif isinstance(node, n.SaveAudience):  # a campaign's save defines the audience
                self._add(("audience", node.audience.name), node.audience, True)
            elif isinstance(node, n.CallAction):
                self._add(("action", node.action.name), node.action)
                if node.result is not None:  # `let r = call …` binds r
                    self._lets_by_value[id(node)] = node
                    self._add(("let", id(node)), node.result, True)
            elif isinstance(node, n.Let):
                self._lets_by_value[id(node.value)] = node
                self._add(("let", id(node)), node.name, True)

    def _branches(self) -> None:
        """A fork's branches, and the names of the `join` right after it (in the same block)."""
        for block in self.analysis.context.blocks:
            statements = block.statements
            for index, statement in enumerate(statements):
                if isinstance(statement, n.Fork):
                    for branch in statement.branches:
                        self._add(("branch", id(statement), branch.name.name), branch.name, True)
                    following = statements[index + 1] if index + 1 < len(statements) else None
                    if isinstance(following, n.Join):
                        for ident in (*following.branches, following.primary):
                            if ident is not None:
                                self._add(("branch", id(statement), ident.name), ident)

    def _lets(self) -> None:
        for site in self.analysis.context.sites:
            for node in site.paths():
                self._events[id(node)] = site.scope.event
                binding = site.scope.lets.get(node.root)
                let = (self._lets_by_value.get(id(binding.value)) if binding is not None
                       else None)
                if let is not None:
                    self._add(("let", id(let)), _root(node))

    # ---- queries -----------------------------------------------------------------------
    def at(self, name: str, offset: int) -> Occurrence | None:
        """The occurrence under the cursor (the innermost one)."""
        here = [o for o in self.occurrences
                if o.span.file == name and o.span.start <= offset <= o.span.end]
        return min(here, key=lambda o: o.span.end - o.span.start, default=None)

    @functools.cached_property
    def _by_key(self) -> dict[tuple, list[Occurrence]]:
        found: dict[tuple, list[Occurrence]] = {}
        for occurrence in self.occurrences:
            found.setdefault(occurrence.key, []).append(occurrence)
        return found

    def of(self, key: tuple) -> list[Occurrence]:
        return self._by_key.get(key, [])

    def definitions(self, key: tuple) -> list[Occurrence]:
        """Where a name is declared. An undeclared action's first call stands for a declaration."""
        found = [o for o in self.of(key) if o.definition]
        if not found and key[0] == "action":
            return self.of(key)[:1]
        return found


def definition(index: Index, converter: Converter, name: str, offset: int):
    occurrence = index.at(name, offset)
    if occurrence is None:
        return None
    return [_location(index, converter, o) for o in index.definitions(occurrence.key)] or None


def references(index: Index, converter: Converter, name: str, offset: int, declaration: bool):
    occurrence = index.at(name, offset)
    if occurrence is None:
        return None
    return [_location(index, converter, o) for o in index.of(occurrence.key)
            if declaration or not o.definition]


def _location(index: Index, converter: Converter, occurrence: Occurrence) -> types.Location:
    known = index.analysis.program(occurrence.span.file)
    return converter.location(occurrence.span, known[0] if known else None)


# ---- document symbols ---------------------------------------------------------------------

def document_symbols(analysis: Analysis, converter: Converter, name: str):
    known = analysis.program(name)
    if known is None:
        return []
    source, program = known

    def symbol(label, kind, node, selection=None, detail=None, children=None):
        whole = converter.range(node.span, source)
        return types.DocumentSymbol(
            name=label, kind=kind, range=whole, detail=detail, children=children,
            selection_range=converter.range(selection, source) if selection else whole)

    def fields(record: n.RecordType):
        return [symbol(field.name.name, types.SymbolKind.Field, field, field.name.span,
                       detail=source.text[field.type.span.start:field.type.span.end],
                       children=fields(field.type) if isinstance(field.type, n.RecordType)
                       else None)
                for field in record.fields]

    symbols = []
    for declaration in program.declarations:
        if isinstance(declaration, n.Campaign):
            symbols.append(symbol(f"{declaration.name} (campaign)", types.SymbolKind.Class,
                                  declaration, journey_name_span(source, declaration),
                                  detail="campaign"))
        elif isinstance(declaration, n.Journey):
            lock = analysis.lock
            status = lock.status(declaration.name, declaration.version) if lock else "draft"
            symbols.append(symbol(f"{declaration.name} v{declaration.version}",
                                  types.SymbolKind.Class, declaration,
                                  journey_name_span(source, declaration),
                                  detail=f"version {declaration.version}, {status}"))
        elif isinstance(declaration, n.AudienceDecl):
            condition = declaration.condition.span
            symbols.append(symbol(declaration.name.name, types.SymbolKind.Constant, declaration,
                                  declaration.name.span,
                                  detail=source.text[condition.start:condition.end]))
        elif isinstance(declaration, n.EventSchema):
            symbols.append(symbol(declaration.name.name, types.SymbolKind.Event, declaration,
                                  declaration.name.span, detail="event",
                                  children=fields(declaration.fields)))
        elif isinstance(declaration, n.ProfileSchema):
            symbols.append(symbol("profile", types.SymbolKind.Struct, declaration,
                                  detail="profile schema", children=fields(declaration.fields)))
    return symbols
