"""The one cached Lark LALR parser of the grammar; lark's errors become located diagnostics."""

from __future__ import annotations

import collections
import functools
import importlib.resources
import pathlib
import re

import lark
from lark import Token
from lark.exceptions import UnexpectedInput, UnexpectedToken

from . import nodes as n
from .builder import Builder
from .diagnostics import Diagnostic, Fix, JourneySyntaxError
from .nodes import Program
from .recovery import MAX_SYNTAX_ERRORS, Recovery
from .source import Source

_GRAMMAR_NAME = "journey.lark"


def grammar_text() -> str:
    """The grammar shipped in the package (a checkout keeps it in grammar/ at its root)."""
    shipped = importlib.resources.files("journeylang") / _GRAMMAR_NAME
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    checkout = pathlib.Path(__file__).resolve().parents[2] / "grammar" / _GRAMMAR_NAME
    return checkout.read_text(encoding="utf-8")


class _BadCharacter(Exception):
    def __init__(self, offset: int):
        self.offset = offset


class _Lexer(lark.lexer.Lexer):
    """The lexer, built from the grammar's terminals: one regular expression, tried in lark's
    order of precedence, and keywords decided after a whole word is read.

    A word is a keyword when the parser can take that keyword where it stands, or when it
    does not follow `.`, `{` or `,` nor opens a call where a name can stand; otherwise it is a
    NAME. So `waiting` is one name, `event.wait` and `with { event: 1 }` use keywords as names,
    `join(profile.tags)` calls the function `join`, and `let send = 1` is refused as "found
    `send`" rather than puzzling the parser one token later. A soft keyword (one that only
    tests use, or one the second edition added: SECOND_EDITION) is a keyword only where the
    parser can take it, so that programs naming a `let`, a branch or an attribute after one keep
    their meaning."""

    __future_interface__ = 2  # lex(lexer_state, parser_state), with the text as a TextSlice
    _NAME_POSITIONS = frozenset({"DOT", "LBRACE", "COMMA"})
    recent: collections.deque = collections.deque(maxlen=3)

    def __init__(self, lexer_conf) -> None:
        terminals = sorted(lexer_conf.terminals, key=lambda t: (
            -t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
        self.keywords = {t.pattern.value: t.name for t in terminals
                         if t.pattern.type == "str" and _WORD.fullmatch(t.pattern.value)}
        self.soft = frozenset(self.keywords[word] for word in soft_keywords()
                              if word in self.keywords)
        keyword_types = set(self.keywords.values())
        ignored = set(lexer_conf.ignore)
        self.skip = re.compile("(?:%s)*" % "|".join(
            t.pattern.to_regexp() for t in terminals if t.name in ignored))
        self.token = re.compile("|".join(
            f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals
            if t.name not in ignored and t.name not in keyword_types))

    def lex(self, lexer_state, parser_state):
        text = lexer_state.text.text
        position, end = lexer_state.text.start, lexer_state.text.end
        states = parser_state.parse_conf.parse_table.states
        keywords, soft, skip = self.keywords, self.soft, self.skip.match
        match = self.token.match
        recent = _Lexer.recent = collections.deque(maxlen=3)
        previous = _punctuation_before(text, position)
        while True:
            position = skip(text, position).end()
            if position >= end:
                return
            found = match(text, position)
            if found is None:
                raise _BadCharacter(position)
            kind = found.lastgroup
            if kind == "NAME":
                keyword = keywords.get(found.group())
                if keyword is not None:
                    acceptable = states[parser_state.position]
                    if keyword in acceptable or (keyword not in soft and (
                            previous not in self._NAME_POSITIONS and not (
                                "NAME" in acceptable
                                and _calls(text, skip(text, found.end()).end())))):
                        kind = keyword
            token = Token(kind, found.group(), position, end_pos=found.end())
            recent.append(token)
            previous = kind
            position = found.end()
            yield token


_WORD = re.compile(r"[a-z_]+")
_PUNCTUATION_BEFORE = {".": "DOT", "{": "LBRACE", ",": "COMMA"}


def _punctuation_before(text: str, position: int) -> str | None:
    """The name position a window of the text starts in (it starts again after an error): the
    `.`, `{` or `,` just before it, as the lexer would have read it."""
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return _PUNCTUATION_BEFORE.get(text[position - 1]) if position > 0 else None

#: Keywords the second edition added to the language: names where the parser cannot take them.
SECOND_EDITION = frozenset({"action", "rate", "cap", "per", "response", "jump", "campaign",
                            "keep", "exclude", "intersect", "save", "append"})


def _calls(text: str, position: int) -> bool:
    """Whether a call's `(` comes at `position`: after a word the parser takes only as a name,
    it makes the word a function's (`join(…)` and `split(…)` are functions as well as
    statements)."""
    return text.startswith("(", position)


@functools.cache
def _parser() -> tuple[lark.Lark, Builder]:
    builder = Builder()
    parser = lark.Lark(
        grammar_text(),
        parser="lalr",
        lexer=_Lexer,
        transformer=builder,
        keep_all_tokens=True,
        maybe_placeholders=True,
        start=["start", "expr"],
        cache=True,  # the grammar's tables, kept in the temporary directory between runs
    )
    builder.parse_expression = functools.partial(_parse, parser, start="expr")
    return parser, builder


@functools.cache
def soft_keywords() -> frozenset[str]:
    """The keywords that only tests use (the grammar's section on tests): each is a keyword
    only where the parser can take it, and a name everywhere else, so that programs written
    before tests existed keep their names (`let start = …`, `event.sent`)."""
    text = grammar_text()
    section = re.search(r"// ---- tests .*?(?=\n// ---- )", text, flags=re.DOTALL)
    inside = set(re.findall(r'"([a-z_]+)"', section.group())) if section else set()
    outside = set(re.findall(r'"([a-z_]+)"', text.replace(section.group(), "") if section
                             else text))
    return frozenset(inside - outside) | SECOND_EDITION


@functools.cache
def keywords() -> frozenset[str]:
    """Every keyword of the language (channel names included), read from the grammar."""
    return frozenset(re.findall(r'"([a-z_]+)"', grammar_text()))


def parse(text: str, name: str = "<string>") -> Program:
    """Parse a program; raise JourneySyntaxError carrying every diagnostic found."""
    return parse_source(Source(name, text))


def parse_source(source: Source) -> Program:
    parser, builder = _parser()
    builder.reset(source)
    try:
        program = _parse(parser, source.text, 0, start="start")
    except JourneySyntaxError:
        raise JourneySyntaxError(_recovered(parser, builder, source)) from None
    errors = builder.errors + nesting_errors(program)
    if errors:
        raise JourneySyntaxError(errors)
    return program


def _recovered(parser, builder, source: Source) -> list[Diagnostic]:
    """Every syntax error of a file, not only the first (recovery.py says how), with the errors
    the builder found on the way (bad durations, numbers…), in place order, at most
    MAX_SYNTAX_ERRORS of them."""
    builder.reset(source)
    outer_recent = _Lexer.recent
    end = source.end_of_content()
    try:
        errors = Recovery(parser, source, lambda error, recent: _diagnostic(
            error, source, source.text, 0, end, recent), _BadCharacter).run()
    finally:
        _Lexer.recent = outer_recent
    return sorted(builder.errors + errors, key=lambda d: (d.span.start, d.code))[
        :MAX_SYNTAX_ERRORS]


def _parse(parser: lark.Lark, text: str, offset: int, *, start: str):
    """Parse `text`, found at `offset` in the builder's source, from the rule `start`."""
    source = parser.options.transformer.source
    outer_recent = _Lexer.recent
    try:
        return parser.parse(text, start=start)
    except (UnexpectedInput, _BadCharacter) as error:
        end = source.end_of_content() if offset == 0 else offset + len(text)
        diagnostic = _diagnostic(error, source, text, offset, end, tuple(_Lexer.recent))
        raise JourneySyntaxError([diagnostic]) from None
    finally:
        _Lexer.recent = outer_recent


# ---- how deep a program may nest ------------------------------------------------------

#: How deep a program may nest (docs/language.md, "Nesting limits"): blocks of statements, and
#: the levels of one expression (each operator, call, list, comprehension, index, attribute
#: after an index or a call, record and interpolated string) or
#: one schema type (each record and list). Parsing never recurses, but phases after it do (the
#: runtime's compiler, the lock file's fingerprint): at these limits, far above what anyone
#: writes, the deepest program still leaves a third of Python's default recursion limit to its
#: caller (tests/frontend/test_nesting.py measures it). A journey of at most 50 activities
#: cannot nest more than 50 blocks anyway.
MAX_BLOCK_DEPTH = 50
MAX_EXPRESSION_DEPTH = 64

_LEVELS = frozenset({n.Binary, n.Unary, n.FunctionCall, n.ListExpr, n.RecordExpr, n.Template,
                     n.Comprehension, n.Index, n.Member, n.RecordType, n.ListType})
_INSIDE_EXPRESSIONS = _LEVELS | {n.Literal, n.Path, n.RecordField, n.Fetch, n.InAudience,
                                 n.Ident, n.TypeName, n.FieldType}
_LEAVES = frozenset({n.Literal, n.Path, n.Ident, n.TypeName})


def nesting_errors(program: Program) -> list[Diagnostic]:
    """J110 at the first node past a nesting limit: in each statement that opens a block nested
    deeper than MAX_BLOCK_DEPTH, in each expression or type with a part deeper than
    MAX_EXPRESSION_DEPTH (once for the whole expression). The tree is walked in source order
    with a stack of its own, never recursively."""
    errors: list[Diagnostic] = []
    reported: set[int] = set()  # the expressions and types reported, by id
    # a node, the blocks around it, its level in its expression, and that expression
    pending: list[tuple[n.Node, int, int, n.Node | None]] = [(program, 0, 0, None)]
    while pending:
        node, blocks, level, whole = pending.pop()
        kind = type(node)
        if kind in _INSIDE_EXPRESSIONS:
            if whole is None:
                whole = node
            elif id(whole) in reported:
                continue
            if kind in _LEVELS:
                level += 1
                if level > MAX_EXPRESSION_DEPTH:
                    reported.add(id(whole))
                    what = "type" if kind in (n.RecordType, n.ListType) else "expression"
                    errors.append(Diagnostic("J110", (
                        f"this {what} is nested {level} deep, past the limit of "
                        f"{MAX_EXPRESSION_DEPTH}" + _EXPRESSION_HINTS[what]), node.span))
                    continue
            elif kind in _LEAVES:
                continue
        else:
            level, whole = 0, None
            if _opens_block(node):
                blocks += 1
                if blocks > MAX_BLOCK_DEPTH:
                    errors.append(Diagnostic("J110", (
                        f"this `{_keyword(node)}` opens a block nested {blocks} deep, past the "
                        f"limit of {MAX_BLOCK_DEPTH}: flatten it (combine conditions with `and`, "
                        "use `else if`), or move the inner steps to a journey of their own"),
                        node.span))
                    continue
        pending.extend([(child, blocks, level, whole) for child in node.children()][::-1])
    return errors


_EXPRESSION_HINTS = {
    "expression": (" (a level for each operator, call, list, record and interpolation; "
                   "`a + b + c` is two): name parts of it with `let`, or write a long chain of "
                   "`or` as `in [ … ]`"),
    "type": ": declare a flatter record",
}


def _opens_block(statement) -> bool:
    if isinstance(statement, n.If):
        return True
    if isinstance(statement, n.Split):
        return bool(statement.arms)
    if isinstance(statement, n.Fork):
        return bool(statement.branches)
    if isinstance(statement, n.WaitForEvent):
        return statement.body is not None or statement.on_timeout is not None
    return isinstance(statement, n.CallAction) and statement.on_error is not None


def _keyword(statement) -> str:
    return {n.If: "if", n.Split: "split", n.Fork: "fork", n.WaitForEvent: "wait for event",
            n.CallAction: "call"}[type(statement)]


# ---- turning lark's errors into the user's words -------------------------------------

_PUNCTUATION = {
    "LBRACE": "`{`", "RBRACE": "`}`", "LPAR": "`(`", "RPAR": "`)`", "LSQB": "`[`",
    "RSQB": "`]`", "COMMA": "`,`", "COLON": "`:`", "DOT": "`.`", "EQUAL": "`=`",
    "PERCENT": "`%`",
}
_TERMINALS = {
    "NAME": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "DURATION": "a duration (like 1d or 12h)",
    "DATE": "a date",
    "DATETIME": "a date-time",
    "TIME": "a time of day",
}
_OPERATORS = {"COMPARE", "PLUS", "MINUS", "STAR", "SLASH", "PERCENT", "AND", "OR", "IN", "NOT"}
_STATEMENTS = {"JUMP", "SEND", "CALL", "IF", "SPLIT", "WAIT", "FORK", "JOIN", "LET", "SET", "EXIT",
               "KEEP", "EXCLUDE", "INTERSECT", "SAVE"}
_PROPERTIES = {"REENTRY", "TIMEOUT", "TIMEZONE", "HOLDOUT", "CAP"}
_CHANNELS = {"EMAIL", "SMS", "PUSH", "INAPP", "WHATSAPP"}
_EXPRESSION_STARTS = {"NUMBER", "STRING", "DURATION", "DATE", "DATETIME", "TIME", "TRUE",
                      "FALSE", "NULL", "PROFILE", "EVENT", "LSQB", "LPAR"}

# What is expected after a keyword, said the way a user thinks of it.
_AFTER = {
    "SEND": "a channel (email, sms, push, inapp or whatsapp)",
    "CALL": 'an action name (a string, like "crm.sync")',
    "FETCH": 'a data source name (a string, like "offers")',
    "JOURNEY": 'a journey name (a string, like "Welcome series")',
    "CAMPAIGN": 'a campaign name (a string, like "Spring tiers")',
    "VERSION": "a version number",
    "TIMEZONE": 'a time zone name (a string, like "Europe/Paris")',
    "WAIT": "a duration (like 1d), `until` or `for event`",
    "AUDIENCE": 'an audience name (a string, like "gold members")',
    "BRANCH": "a branch name",
    "JOIN": "a branch name",
    "PRIMARY": "a branch name",
    "LET": "a name",
    "REENTRY": "`never`, `always` or `after` and a duration",
    "TIMEOUT": "a duration (like 30d)",
    "WITHIN": "a duration (like 7d)",
    "AFTER": "a duration (like 30d)",
    "EVERY": "a duration (like 1d)",
    "HOLDOUT": "a percentage (like 5%)",
    "WITH": "a record (like { key: value })",
}


def _describe_expected(expected: set[str], previous) -> str:
    if previous is not None:
        if previous.type in _CHANNELS and "STRING" in expected:
            return "a message id (a string)"
        if previous.type == "EVENT" and expected == {"NAME"}:
            return "an event name"
        if previous.type in _AFTER:
            return _AFTER[previous.type]
    names = set(expected) - {"$END"}
    if names == {"IN"}:  # `[x for x in xs]`: the only word that can come after its name
        return "`in`"
    phrases: list[str] = []
    if len(names & _STATEMENTS) >= 3:
        names -= _STATEMENTS
        phrases.append("a statement")
    if len(names & _PROPERTIES) >= 2:
        names -= _PROPERTIES
        phrases.append("a journey property")
    if {"ON", "READ"} <= names:
        names -= {"ON", "READ"}
        phrases.append("the entry (`on event` or `read audience`)")
    if names & _CHANNELS:
        names -= _CHANNELS
        phrases.append("a channel (email, sms, push, inapp or whatsapp)")
    if len(names & _EXPRESSION_STARTS) >= 4:
        names -= _EXPRESSION_STARTS | {"NAME", "LBRACE", "MINUS", "NOT"}
        phrases.append("an expression")
    if names - _OPERATORS:
        names -= _OPERATORS
    for name in sorted(names):
        phrases.append(_describe_terminal(name))
    if "$END" in expected:
        phrases.append("the end of the file")
    if not phrases:
        return "something else"
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _describe_terminal(name: str) -> str:
    if name in _PUNCTUATION:
        return _PUNCTUATION[name]
    if name in _TERMINALS:
        return _TERMINALS[name]
    if name in _OPERATORS:
        return "an operator"
    return f"`{name.lower()}`"


def _describe_found(token) -> str:
    if token.type == "$END":
        return "the end of the file"
    if token.type == "NAME" and token.value not in keywords():
        return f"the name `{token}`"
    if token.type == "STRING":
        return f"the string {token}"
    if token.type in ("NUMBER", "DURATION", "DATE", "DATETIME", "TIME"):
        return f"`{token}`"
    return f"`{token}`"


def _diagnostic(error, source: Source, text: str, offset: int, end: int, recent) -> Diagnostic:
    if isinstance(error, _BadCharacter):
        start = offset + error.offset
        char = text[error.offset]
        if char == '"':
            line_end = source.text.find("\n", start)
            end = len(source.text) if line_end < 0 else line_end
            return Diagnostic("J102", "unterminated string: add the closing `\"` on the same line",
                              source.span(start, end))
        shown = char if char.isprintable() else repr(char)
        return Diagnostic("J101", f"unexpected character `{shown}`", source.span(start, start + 1))
    assert isinstance(error, UnexpectedToken)
    token = error.token
    # The token lark rejected is the last one seen when the parser refused it, and was never
    # seen when the contextual lexer refused it; the one before it is what it came after.
    before = [seen for seen in recent if seen is not token]
    previous = before[-1] if before else None
    expected = _describe_expected(_acceptable(error), previous)
    if token.type == "$END":
        where = "file" if offset == 0 else "interpolation"
        return Diagnostic("J106", f"unexpected end of {where}: expected {expected}"
                          + _after(previous), source.span(end, end))
    start = offset + token.start_pos
    span = source.span(start, offset + token.end_pos)
    acceptable = _acceptable(error)
    if str(token) == "=" and "COMPARE" in acceptable:
        # `if profile.tier = "gold"`: the commonest slip, said plainly
        return Diagnostic("J100", "`=` does not compare: write `==` (a single `=` only gives a "
                          "value, in `let` and `set`)", span, fix=Fix(span, "=="))
    return Diagnostic("J100", f"expected {expected}{_after(previous)}, found {_describe_found(token)}",
                      span)


def _acceptable(error: UnexpectedToken) -> set[str]:
    """The terminals the parser could have taken where it stopped (keywords included, which
    the lexer's own list leaves out)."""
    state = error.state
    try:
        table = state.parse_conf.parse_table.states[state.position]
    except AttributeError:
        return set(error.expected)
    return {name for name in table if name.isupper()}


def _after(previous) -> str:
    if previous is None:
        return ""
    if previous.type in _CHANNELS:
        return f" after `send {previous}`"
    if previous.type in _PUNCTUATION or previous.type in ("STRING",):
        return f" after {_describe_found(previous)}"
    return f" after `{previous}`"
