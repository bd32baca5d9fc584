"""Completion: what may be written at the cursor, read from the text before it (the file may
not parse while it is typed) and from the last good parse of the workspace."""

from __future__ import annotations

import re

from lsprotocol import types

from .. import nodes as n
from ..checker.context import child_blocks, walk
from ..checker.rule import quoted
from ..checker.types import Record, attribute_type
from ..core.functions import FUNCTIONS
from ..core.schema import TYPE_NAMES
from .hover import shown_type
from .keywords import (DECLARATIONS, ENTRIES, EXPRESSION_WORDS, FOLLOWERS, KEYWORDS, PROPERTIES,
                       STATEMENTS)
from .navigation import Index
from .text import line_before, opener, place

Kind = types.CompletionItemKind

_ATTRIBUTE = re.compile(r"\b(profile|event)((?:\.[A-Za-z_]\w*)*)\.[A-Za-z_0-9]*$")
_CHANNEL = re.compile(r"\bsend\s+\w*$")
_EVENT = re.compile(r"\b(?:on|for)\s+event\s+[\w.]*$")
_QUOTED_AFTER = {"audience": re.compile(r"\bread\s+audience\s*$"),
                 "action": re.compile(r"\bcall\s*$"),
                 "journey": re.compile(r"^\s*journey\s*$")}
_BRANCHES = re.compile(r"\b(?:join\s+((?:\w+\s*,\s*)*)|primary\s+)\w*$")
_FOLLOWING = re.compile(r"\b(\w+)\s+\w*$")
_LINE_START = re.compile(r"^\s*\w*$")
_TYPE = re.compile(r":\s*\[?\w*$")
_SCHEMA = re.compile(r"^(?:profile|event\s+[\w.]+)$")
_RECORD = re.compile(r"(?:\bwith|[=:(\[,]|\bfetch\s+\"[^\"]*\")$")
_KINDS = {"event": Kind.Event, "audience": Kind.Constant, "action": Kind.Method,
          "journey": Kind.Class}


def complete(index: Index, name: str, text: str, offset: int) -> list[types.CompletionItem]:
    here = place(text, offset)
    if here.comment:
        return []
    before = line_before(text, offset)
    in_text = here.string_start is not None and not here.interpolation
    attribute = None if in_text else _ATTRIBUTE.search(before)
    if attribute is not None:
        return _attributes(index, name, offset, attribute.group(1),
                           tuple(filter(None, attribute.group(2).split("."))))
    if in_text:
        start = line_before(text, here.string_start)
        for kind, pattern in _QUOTED_AFTER.items():
            if pattern.search(start):
                return [_item(value, _KINDS[kind], insert=value) for value in _names(index, kind)]
        return []
    if _CHANNEL.search(before):
        return [_keyword(channel, Kind.EnumMember) for channel in n.CHANNELS]
    if _EVENT.search(before):
        return [_item(event, Kind.Event) for event in _names(index, "event")]
    for kind, pattern in _QUOTED_AFTER.items():
        if pattern.search(before):
            return [_item(value, _KINDS[kind], insert=quoted(value))
                    for value in _names(index, kind)]
    branches = _BRANCHES.search(before)
    if branches is not None:
        written = set(re.findall(r"\w+", branches.group(1) or ""))
        return [_item(branch, Kind.Reference) for branch in _fork_branches(index, name, offset)
                if branch not in written]
    following = _FOLLOWING.search(before)
    if following is not None and following.group(1) in FOLLOWERS \
            and not before[:following.start()].rstrip().endswith("."):
        return [_keyword(word) for word in FOLLOWERS[following.group(1)]]
    block = opener(text, here.open_braces[-1]) if here.open_braces else None
    if block is not None and _SCHEMA.match(block):
        return [_keyword(kind, Kind.TypeParameter) for kind in TYPE_NAMES] \
            if _TYPE.search(before) else []
    if _LINE_START.match(before) and (block is None or not _RECORD.search(block)):
        if block is None:
            return [_keyword(word) for word in DECLARATIONS]
        if block.startswith("fork"):
            return [_keyword("branch")]
        words = STATEMENTS + (PROPERTIES + ENTRIES if block.startswith("journey") else ())
        return [_keyword(word) for word in words]
    return _expression(index, name, offset)


def _item(label: str, kind, detail: str | None = None, documentation: str | None = None,
          insert: str | None = None) -> types.CompletionItem:
    return types.CompletionItem(
        label=label, kind=kind, detail=detail, insert_text=insert,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=documentation)
        if documentation else None)


def _keyword(word: str, kind=Kind.Keyword) -> types.CompletionItem:
    first = word.split()[0]
    syntax, meaning = KEYWORDS.get(first, (None, None))
    return _item(word, kind, detail=syntax, documentation=meaning)


def _names(index: Index, kind: str) -> list[str]:
    found = {occurrence.key[1] for occurrence in index.occurrences if occurrence.key[0] == kind}
    if kind == "event":
        found |= {schema for program in index.analysis.context.programs
                  for schema in (d.name.name for d in program.event_schemas)}
    return sorted(found)


def _journey_at(index: Index, name: str, offset: int) -> n.Journey | None:
    known = index.analysis.program(name)
    if known is None:
        return None
    return next((journey for journey in known[1].journeys
                 if journey.span.start <= offset <= journey.span.end), None)


def _attributes(index: Index, name: str, offset: int, root: str, written: tuple[str, ...]):
    context = index.analysis.context
    if root == "profile":
        fields, owner = context.profile_fields(name), "profile"
    else:
        event = _event_at(index, name, offset)
        schemas = context.event_schemas(name)
        fields = schemas.get(event) if event else None
        if fields is None and event is None:  # no event known here: any declared event's
            fields = Record({field: kind for schema in schemas.values()
                             for field, kind in schema.items()})
        owner = f"event {event}" if event else "event"
    if fields is None:
        return []
    kind, missing = attribute_type(fields, written)
    if missing is not None or not isinstance(kind, Record):
        return []
    return [_item(field, Kind.Field, detail=shown_type(inner),
                  documentation=f"`{'.'.join((root, *written, field))}` ({owner})")
            for field, inner in kind.items()]


def _event_at(index: Index, name: str, offset: int) -> str | None:
    """The event bound at the cursor: the innermost `wait for event` around it, an `exit on
    event` it is in, or the journey's entry event."""
    journey = _journey_at(index, name, offset)
    if journey is None:
        return None
    around = [node for node in walk(journey) if isinstance(node, (n.WaitForEvent, n.ExitOnEvent))
              and node.span.start <= offset <= node.span.end]
    if around:
        return min(around, key=lambda node: node.span.end - node.span.start).event.name
    entry = journey.entry
    return entry.event.name if isinstance(entry, n.EventEntry) else None


def _fork_branches(index: Index, name: str, offset: int) -> list[str]:
    """The branches of the last fork that ends before the cursor, in its journey."""
    journey = _journey_at(index, name, offset)
    if journey is None:
        return []
    forks = [node for node in walk(journey) if isinstance(node, n.Fork)
             and node.span.end <= offset]
    if not forks:
        return []
    fork = max(forks, key=lambda node: node.span.end)
    return list(dict.fromkeys(branch.name.name for branch in fork.branches))


def lets_in_scope(journey: n.Journey, offset: int) -> list[str]:
    """The `let` names bound before the cursor on its path: in its block and the blocks
    around it."""
    names: list[str] = []
    block = journey.body
    while block:
        inner = None
        for statement in block:
            if statement.span.start > offset:
                break
            if isinstance(statement, n.Let) and statement.span.end <= offset:
                names.append(statement.name.name)
            elif statement.span.end >= offset:
                started = [child for child in child_blocks(statement)
                           if child and child[0].span.start <= offset]
                inner = started[-1] if started else None
        block = inner
    return list(dict.fromkeys(reversed(names)))


def _expression(index: Index, name: str, offset: int) -> list[types.CompletionItem]:
    items = [_keyword(word) for word in EXPRESSION_WORDS + ("and", "or", "in")]
    journey = _journey_at(index, name, offset)
    if journey is not None:
        items += [_item(let, Kind.Variable, detail="let") for let in lets_in_scope(journey, offset)]
    items += [_item(function.name, Kind.Function, detail=function.signature,
                    documentation=f"{function.doc} (gives {function.result})",
                    insert=f"{function.name}(")
              for function in FUNCTIONS.values()]
    return items
