"""Completion: what may be written at the cursor, read from the text (the file may not parse
while it is typed), with the names and schemas of the workspace's last good parse."""

from __future__ import annotations

import re

from lsprotocol import types

from .. import nodes as n
from ..checker.rule import quoted
from ..checker.types import Record, attribute_type
from ..core.functions import FUNCTIONS
from ..core.schema import TYPE_NAMES
from .hover import shown_type
from .keywords import (DECLARATIONS, ENTRIES, EXPRESSION_WORDS, FOLLOWERS, KEYWORDS, PROPERTIES,
                       SET_ACTIVITIES, STATEMENTS)
from .navigation import Index
from .positions import Positions
from .text import Scanner, line_before, opener, place

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


def complete(index: Index, name: str, text: str, offset: int,
             positions: Positions) -> list[types.CompletionItem]:
    here = place(text, offset)
    if here.comment:
        return []
    before = line_before(text, offset)
    in_text = here.string_start is not None and not here.interpolation
    attribute = None if in_text else _ATTRIBUTE.search(before)
    if attribute is not None:
        return _attributes(index, name, text, offset, attribute.group(1),
                           tuple(filter(None, attribute.group(2).split("."))))
    if in_text:  # the name is written over what is typed of the string so far
        start = line_before(text, here.string_start)
        typed = positions.range(here.string_start + 1, offset)
        for kind, pattern in _QUOTED_AFTER.items():
            if pattern.search(start):
                return [_item(value, _KINDS[kind], edit=types.TextEdit(range=typed,
                                                                      new_text=value))
                        for value in _names(index, kind)]
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
        return [_item(branch, Kind.Reference) for branch in _fork_branches(text, offset)
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
        if block.startswith("campaign"):
            words = (STATEMENTS + SET_ACTIVITIES + ("read audience",)
                     + tuple(word for word in PROPERTIES if word in CAMPAIGN_PROPERTIES))
        else:
            words = STATEMENTS + (PROPERTIES + ENTRIES if block.startswith("journey") else ())
        return [_keyword(word) for word in words]
    return _expression(text, offset)


CAMPAIGN_PROPERTIES = ("timeout", "timezone", "exit when", "holdout")


def _item(label: str, kind, detail: str | None = None, documentation: str | None = None,
          insert: str | None = None, edit: types.TextEdit | None = None) -> types.CompletionItem:
    return types.CompletionItem(
        label=label, kind=kind, detail=detail, insert_text=insert, text_edit=edit,
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


def _attributes(index: Index, name: str, text: str, offset: int, root: str,
                written: tuple[str, ...]):
    context = index.analysis.context
    if root == "profile":
        fields, owner = context.profile_fields(name), "profile"
    else:
        event = _event_at(text, offset)
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


_BINDS_EVENT = re.compile(r"\b(?:on|for)\s+event\s+([\w.]+)")
_ENTRY = re.compile(r"^\s*on\s+event\s+([\w.]+)", re.MULTILINE)


def _event_at(text: str, offset: int) -> str | None:
    """The event bound at the cursor, read from the text: the statement being written (`wait
    for event X where …`, `exit on event X where …`), the innermost `wait for event X {` open
    around it, or the entry (`on event X`) of the journey open around it."""
    here = place(text, offset)
    statement = list(_BINDS_EVENT.finditer(line_before(text, offset)))
    if statement:
        return statement[-1].group(1)
    for brace in reversed(here.open_braces):
        block = opener(text, brace)
        waits = list(re.finditer(r"\bwait\s+for\s+event\s+([\w.]+)", block))
        if waits:
            return waits[-1].group(1)
        if block.startswith("journey"):
            entry = _ENTRY.search(text, brace, offset)
            return entry.group(1) if entry else None
    return None


_FORK = re.compile(r"\bfork\s*\{")
_BRANCH = re.compile(r"\bbranch\s+([A-Za-z_]\w*)")


def _fork_branches(text: str, offset: int) -> list[str]:
    """The branches of the last fork closed before the cursor in its block, read from the
    text: the `branch NAME`s directly inside that fork's braces."""
    here = place(text, offset)
    start = here.open_braces[-1] if here.open_braces else 0
    scanner = Scanner(text)
    forks = [found for found in _FORK.finditer(text, start, offset)
             if scanner.at(found.start()).open_braces == here.open_braces]
    if not forks:
        return []
    inside = here.open_braces + (forks[-1].end() - 1,)
    scanner = Scanner(text)
    return list(dict.fromkeys(
        found.group(1) for found in _BRANCH.finditer(text, forks[-1].end(), offset)
        if scanner.at(found.start()).open_braces == inside))


_LET = re.compile(r"\blet\s+([A-Za-z_]\w*)\s*=")


def lets_in_scope(text: str, offset: int) -> list[str]:
    """The `let` names bound before the cursor on its path, read from the text: a `let` is in
    scope where every block open at the `let` is still open (its block and those nested in
    it), inside the same journey."""
    here = place(text, offset)
    if not here.open_braces:
        return []
    names: list[str] = []
    scanner = Scanner(text)
    for found in _LET.finditer(text, here.open_braces[0], offset):
        there = scanner.at(found.start())
        if there.comment or there.string_start is not None:
            continue
        if here.open_braces[:len(there.open_braces)] == there.open_braces:
            names.append(found.group(1))
    return list(dict.fromkeys(names))


def _expression(text: str, offset: int) -> list[types.CompletionItem]:
    items = [_keyword(word) for word in EXPRESSION_WORDS + ("and", "or", "in")]
    items += [_item(let, Kind.Variable, detail="let") for let in lets_in_scope(text, offset)]
    items += [_item(function.name, Kind.Function, detail=function.signature,
                    documentation=f"{function.doc} (gives {function.result})",
                    insert=f"{function.name}(")
              for function in FUNCTIONS.values()]
    return items
