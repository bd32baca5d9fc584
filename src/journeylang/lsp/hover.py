"""Hover: what a keyword or a function does (the function library's own documentation), an
attribute's type from the schemas, an audience's predicate, an event's schema, a journey's
versions and their status in the lock file."""

from __future__ import annotations

import re

from lsprotocol import types

from .. import nodes as n
from ..checker.sites import walk
from ..checker.types import Record, attribute_type
from ..core.functions import FUNCTIONS, Function
from ..source import Source, Span
from .diagnostics import Converter
from .keywords import KEYWORDS
from .navigation import Index, Occurrence
from .text import place, word_at

_SEGMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def hover(index: Index, converter: Converter, name: str, text: str, offset: int):
    analysis = index.analysis
    known = analysis.program(name)
    source, program = known if known else (None, None)
    occurrence = index.at(name, offset)
    if occurrence is not None:
        return _shown(_occurrence(index, occurrence), converter.range(occurrence.span, source))
    if program is not None:
        found = _attribute(index, source, program, offset)
        if found is not None:
            return _shown(found[0], converter.range(found[1], source))
        for node in walk(program):
            if isinstance(node, n.FunctionCall) and _inside(node.name.span, offset) \
                    and node.name.name in FUNCTIONS:
                return _shown(function_doc(FUNCTIONS[node.name.name]),
                              converter.range(node.name.span, source))
    return _by_word(converter, name, text, offset)


def _inside(span: Span | None, offset: int) -> bool:
    return span is not None and span.start <= offset <= span.end


def _shown(markdown: str | None, where: types.Range | None) -> types.Hover | None:
    if markdown is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                    value=markdown), range=where)


def _code(text: str) -> str:
    return f"```journey\n{text}\n```"


def function_doc(function: Function) -> str:
    """A function as the library documents it: signature, result, what it gives, example."""
    return (f"{_code(function.signature)}\n\n{function.doc} (gives {function.result})\n\n"
            f"Example: `{function.example}`")


def keyword_doc(word: str) -> str:
    syntax, meaning = KEYWORDS[word]
    return f"{_code(syntax)}\n\n{meaning}"


def _by_word(converter: Converter, name: str, text: str, offset: int):
    """What the word under the cursor is, from the text alone (the file may not parse)."""
    found = word_at(text, offset)
    here = place(text, offset)
    if found is None or here.comment or (here.string_start is not None and not here.interpolation):
        return None
    start, end, word = found
    if start > 0 and text[start - 1] == ".":  # an attribute (`event.wait`), not a keyword
        return None
    where = converter.positions(name, Source(name, text)).range(start, end)
    if text[end:].lstrip().startswith("(") and word in FUNCTIONS:
        return _shown(function_doc(FUNCTIONS[word]), where)
    if word in KEYWORDS:
        return _shown(keyword_doc(word), where)
    return None


def _slice(index: Index, span: Span) -> str:
    known = index.analysis.program(span.file)
    text = known[0].text if known else index.analysis.sources.get(span.file, Source("", "")).text
    return text[span.start:span.end]


def _occurrence(index: Index, occurrence: Occurrence) -> str | None:
    kind, *rest = occurrence.key
    declared = [o for o in index.of(occurrence.key) if o.definition]
    if kind == "audience":
        name = rest[0]
        for declaration in _declarations(index, n.AudienceDecl):
            if declaration.name.name == name:
                return (f"{_code(_slice(index, declaration.span))}\n\nAudience `{name}`: the "
                        "profiles for which this predicate is true.")
        return (f"Audience `{name}`: not declared here; given as data (`audiences.json`), "
                "or unknown.")
    if kind == "event":
        name = rest[0]
        schemas = [d for d in _declarations(index, n.EventSchema) if d.name.name == name]
        if schemas:
            return "\n\n".join(_code(_slice(index, d.span)) for d in schemas)
        return f"Event `{name}` (no `event` declaration: its data is not checked)."
    if kind == "journey":
        return _journey(index, rest[0])
    if kind == "action":
        calls = len(index.of(occurrence.key))
        times = f"{calls} time{'' if calls == 1 else 's'}"
        return f'Custom action `"{rest[0]}"`: called {times} in this workspace.'
    if kind == "branch":
        definition = declared[0] if declared else None
        line = f" of the fork at line {definition.span.line}" if definition else ""
        return f"Branch `{rest[-1]}`{line}."
    if kind == "let":
        let = next((let for let in index.lets.values() if id(let) == rest[0]), None)
        if let is not None:
            return _code(_slice(index, let.span))
    return None


def _declarations(index: Index, kind):
    for _, program in index.analysis.programs.values():
        for declaration in program.declarations:
            if isinstance(declaration, kind):
                yield declaration


def _journey(index: Index, name: str) -> str:
    campaign = next((c for c in _declarations(index, n.Campaign) if c.name == name), None)
    if campaign is not None:
        entry = campaign.entry
        read = (f' reads audience `"{entry.audience.name}"`'
                if isinstance(entry, n.AudienceEntry) else "")
        return (f'Campaign `"{name}"`\n\nAn orchestrated campaign: each read is one execution '
                f"whose population moves together.{' It' + read + '.' if read else ''} "
                "A campaign has no versions.")
    lock = index.analysis.lock
    versions = sorted({j.version for j in _declarations(index, n.Journey)
                       if j.name == name and not isinstance(j, n.Campaign)})
    recorded = lock.versions(name) if lock else {}
    lines = [f'Journey `"{name}"`', ""]
    for version in sorted(set(versions) | set(recorded)):
        locked = recorded.get(version)
        status = locked.status if locked else "draft"
        when = f", published {locked.published}" if locked and locked.published else ""
        stopped = f", stopped {locked.stopped}" if locked and locked.stopped else ""
        missing = "" if version in versions else " (not in the workspace)"
        lines.append(f"- version {version}: **{status}**{when}{stopped}{missing}")
    if lock is None:
        lines.append("\nNo lock file: no version is published yet.")
    return "\n".join(lines)


def _attribute(index: Index, source: Source, program: n.Program, offset: int):
    """(markdown, span) for the attribute of a `profile.…` or `event.…` path at the cursor."""
    paths = [node for node in walk(program) if isinstance(node, n.Path)
             and node.root in ("profile", "event") and _inside(node.span, offset)]
    if not paths:
        return None
    path = min(paths, key=lambda p: p.span.end - p.span.start)
    segments = list(_SEGMENT.finditer(source.text, path.span.start, path.span.end))
    which = next((i for i, s in enumerate(segments) if s.start() <= offset <= s.end()), None)
    if which is None:
        return None
    span = path.span.part(segments[which].start(), segments[which].end())
    written = ".".join((path.root, *path.attributes[:which]))
    context = index.analysis.context
    if path.root == "profile":
        fields, owner = context.profile_fields(path.span.file), "the profile schema"
    else:
        event = index.events.get(id(path))
        fields = context.event_fields(path.span.file, event) if event else None
        owner = f"event `{event}`'s schema"
    if which == 0:
        what = ("the profile's attributes" if path.root == "profile"
                else "the event bound here" + (f" (`{index.events.get(id(path))}`)"
                                               if index.events.get(id(path)) else ""))
        schema = f"\n\n{_code(shown_type(fields))}" if fields else ""
        return f"`{path.root}`: {what}{schema}", span
    if fields is None:
        return f"`{written}`: no schema declares it (any type)", span
    kind, missing = attribute_type(fields, path.attributes[:which])
    if missing is not None:
        return f"`{written}` is not in {owner}", span
    return f"`{written}`, from {owner}:\n\n{_code(shown_type(kind))}", span


def shown_type(kind) -> str:
    """A type as a schema writes it: `string`, `[any]`, `{ email: bool, sms: bool }`."""
    if isinstance(kind, Record):
        return "{ " + ", ".join(f"{name}: {shown_type(inner)}"
                                for name, inner in kind.items()) + " }"
    return "[any]" if kind == "list" else str(kind)
