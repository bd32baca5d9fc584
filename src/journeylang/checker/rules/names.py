"""Rules about names: audiences, events, functions, `let` names, `event`, types, time zones."""

from __future__ import annotations

import posixpath
import zoneinfo

from ... import nodes as n
from ...core.functions import FUNCTIONS
from ...core.instants import TimeError, zone
from ...diagnostics import Fix
from ..context import TYPE_NAMES, Context, is_reaction
from ..rule import loops, mention, quoted, repeats, rule, suggest, warning
from ..sites import walk


@rule("J201")
def unknown_audience(context: Context):
    """`read audience NAME`, `profile in audience NAME`, `exclude audience NAME` and
    `intersect audience NAME` name an `audience` declaration, an audience a campaign saves, or
    an audience given as data (`--audiences FILE`, or the workspace's `audiences.json`)."""
    named = [journey.entry.audience for journey in context.journeys
             if isinstance(journey.entry, n.AudienceEntry)]
    named += [node.audience for _, node in context.site_nodes_of(n.InAudience)]
    named += [node.audience for _, node in
              context.statements_of(n.ExcludeAudience, n.IntersectAudience)]
    for ident in named:
        if ident.name not in context.audience_names:
            hint, fix = suggest(ident.name, context.audience_names, ident.span, quoted)
            yield ident.span, (
                f"unknown audience `{ident.name}`{hint}: "
                "declare it with `audience \"…\" = EXPR`, or give it as data with --audiences"
            ), (), fix


@warning("J202")
def unknown_event(context: Context):
    """When event schemas are declared, every event a journey waits for, enters on or exits on
    is one of them (a warning: an undeclared event may still arrive)."""
    for journey in context.journeys:
        declared = context.event_schemas(journey.span.file)
        if not declared:
            continue
        named = [item.event for item in journey.header
                 if isinstance(item, (n.EventEntry, n.ExitOnEvent))]
        named += [statement.event for statement in context.statements_in(journey)
                  if isinstance(statement, n.WaitForEvent)]
        for event in named:
            if event.name not in declared and not is_reaction(event.name):
                hint, fix = suggest(event.name, declared, event.span)
                yield event.span, f"event `{event.name}` has no `event` declaration{hint}", (), fix


@rule("J203")
def unknown_function(context: Context):
    """A function call names a function of the library (see docs/functions.md)."""
    for _, node in context.site_nodes_of(n.FunctionCall):
        if node.name.name not in FUNCTIONS:
            hint, fix = suggest(node.name.name, FUNCTIONS, node.name.span)
            yield node.name.span, f"unknown function `{node.name.name}`{hint}", (), fix


@rule("J204")
def wrong_argument_count(context: Context):
    """A function call passes as many arguments as the function takes."""
    for _, node in context.site_nodes_of(n.FunctionCall):
        if node.name.name not in FUNCTIONS:
            continue
        function = FUNCTIONS[node.name.name]
        count = len(node.arguments)
        if not function.min_args <= count <= function.max_args:
            if function.min_args == function.max_args:
                wanted = _arguments(function.min_args)
            elif function.max_args >= 99:
                wanted = f"at least {_arguments(function.min_args)}"
            else:
                wanted = f"{function.min_args} to {function.max_args} arguments"
            yield node.span, (f"`{function.name}` takes {wanted}, not {count}: "
                              f"{function.signature}")


def _arguments(count: int) -> str:
    return f"{count} argument{'' if count == 1 else 's'}"


@rule("J205")
def unknown_name(context: Context):
    """A name in an expression is `profile`, `event`, or a `let` name bound before it on
    the same path."""
    for site, node in context.site_nodes_of(n.Path):
        if node.root not in ("profile", "event") and node.root not in site.scope.lets:
            candidates = ["profile", "event", *site.scope.bound]
            root = node.span.part(node.span.start, node.span.start + len(node.root))
            hint, fix = suggest(node.root, candidates, root)
            yield node.span, (f"unknown name `{node.root}`{hint}: "
                              "use `profile.…`, `event.…`, or a name bound by `let` before"
                              ), (), fix


@rule("J206")
def no_event_here(context: Context):
    """`event` is used only where an event is bound: in an event-entry journey, in `exit on
    event … where`, and in `wait for event`'s `where` and block."""
    for site in context.sites:
        if site.scope.event is not None:
            continue
        for node in site.paths():
            if node.root == "event":
                where = ("an audience declaration" if site.scope.journey is None
                         else "a journey that starts from an audience")
                yield node.span, (f"`{node.dotted()}`: no event is bound here, in {where}; "
                                  "`event` is bound by `on event`, and inside `wait for event`")


@rule("J207")
def unknown_type(context: Context):
    """A schema field's type is string, number, bool, date, datetime, time, duration, any,
    a list `[T]` or a record `{…}`."""
    for program in context.programs:
        for declaration in program.declarations:
            if isinstance(declaration, (n.ProfileSchema, n.EventSchema)):
                for node in walk(declaration):
                    if isinstance(node, n.TypeName) and node.name not in TYPE_NAMES:
                        alias = _TYPE_ALIASES.get(node.name.lower())
                        hint, fix = ((mention(alias), Fix(node.span, alias)) if alias
                                     else suggest(node.name, TYPE_NAMES, node.span))
                        yield node.span, (f"unknown type `{node.name}`{hint}; the types are "
                                          f"{', '.join(TYPE_NAMES)}, [T] and {{field: T}}"), (), fix


_TYPE_ALIASES = {"int": "number", "integer": "number", "float": "number", "decimal": "number",
                 "str": "string", "text": "string", "boolean": "bool", "timestamp": "datetime"}


@rule("J208")
def unknown_time_zone(context: Context):
    """`timezone` names an IANA time zone, like "Europe/Paris" or "America/New_York"."""
    zones = None
    for journey in context.journeys:
        for item in journey.header:
            if isinstance(item, n.Timezone) and not _is_zone(item.name):
                zones = zones or zoneinfo.available_timezones()
                hint, fix = suggest(item.name, zones, item.span,
                                    lambda close: f"timezone {quoted(close)}")
                yield item.span, (f"unknown time zone `{item.name}`{hint}: use an IANA name like "
                                  "\"Europe/Paris\""), (), fix


def _is_zone(name: str) -> bool:
    try:
        zone(name)  # the run's own reading of the name, so that the two always agree
    except TimeError:
        return False
    return True


@rule("J209")
def conflicting_declaration(context: Context):
    """An audience is declared once in a workspace. An event schema, or the profile schema, may
    be declared in several files (their fields add up) but the same field keeps the same type
    wherever one declaration governs the other's files; and a file declares each only once."""
    for ident, first in repeats((d.name.name, d.name) for d in context.audience_decls):
        yield ident.span, f"audience `{ident.name}` is declared twice", (
            ("first declared here", first.span),)
    schemas = [(("event", d.name.name), d) for program in context.programs
               for d in program.event_schemas]
    schemas += [(("profile",), d) for program in context.programs for d in program.profile_schemas]
    by_key: dict = {}
    for key, decl in schemas:
        by_key.setdefault(key, []).append(decl)
    reported: set[int] = set()
    for key, decls in by_key.items():
        what = "the profile schema" if key == ("profile",) else f"event `{key[1]}`"
        for index, decl in enumerate(decls):
            for other in decls[:index]:
                if other.span.file == decl.span.file:
                    yield decl.span, f"{what} is declared twice in this file", (
                        ("first declared here", other.span),)
                elif other.fields != decl.fields and _related(other.span.file, decl.span.file):
                    for field, first in _conflicts(other.fields, decl.fields):
                        if id(field) not in reported:
                            reported.add(id(field))
                            yield field.span, (f"{what}: `{field.name.name}` was declared with "
                                               "another type"), (("first declared here", first.span),)


def _related(a: str, b: str) -> bool:
    """Whether one file's directory is the other's or above it."""
    da, db = posixpath.dirname(a), posixpath.dirname(b)
    return da == db or not da or not db or da.startswith(db + "/") or db.startswith(da + "/")


def _conflicts(first: n.RecordType, second: n.RecordType):
    """(field of second, field of first) for the fields both declare with different types."""
    earlier = {field.name.name: field for field in first.fields}
    for field in second.fields:
        match = earlier.get(field.name.name)
        if match is None:
            continue
        if isinstance(field.type, n.RecordType) and isinstance(match.type, n.RecordType):
            yield from _conflicts(match.type, field.type)
        elif field.type != match.type:
            yield field, match


@rule("J220")
def action_declared_twice(context: Context):
    """An action is declared once in a workspace: its limits are shared by every journey."""
    decls = ((decl.name.name, decl) for program in context.programs for decl in program.actions)
    for decl, first in repeats(decls):
        yield (decl.name.span, f"action `{decl.name.name}` is declared twice",
               (("first declared here", first.name.span),))


@rule("J221")
def audience_in_itself(context: Context):
    """A declared audience does not depend on itself through `profile in audience` (its
    members could never be worked out)."""
    uses = {decl.name.name: [node for node in walk(decl.condition)
                             if isinstance(node, n.InAudience)]
            for decl in context.audience_decls}
    for use, loop in loops(uses, lambda use: use.audience.name):
        names = " → ".join(f"`{name}`" for name in loop)
        yield use.span, f"audience `{loop[0]}` is defined through itself: {names}"


@rule("J223")
def unknown_jump_target(context: Context):
    """`jump "JOURNEY"` names a journey of the workspace."""
    names = {journey.name for journey in context.journeys}
    for _, statement in context.statements_of(n.Jump):
        if statement.target.name not in names:
            hint, fix = suggest(statement.target.name, names, statement.target.span, quoted)
            yield (statement.target.span,
                   f"unknown journey `{statement.target.name}`{hint}: a jump needs a journey "
                   "to go to", (), fix)
