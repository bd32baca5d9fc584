"""The one cached Lark LALR parser of the grammar; lark's errors become located diagnostics."""

from __future__ import annotations

import collections
import functools
import importlib.resources
import pathlib
import re

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .diagnostics import Diagnostic, JourneySyntaxError
from .source import Source

_GRAMMAR_NAME = "journey.lark"


def grammar_text() -> str:
    """The grammar shipped in the package (a checkout keeps it in grammar/ at its root)."""
    shipped = importlib.resources.files("journeylang") / _GRAMMAR_NAME
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    checkout = pathlib.Path(__file__).resolve().parents[2] / "grammar" / _GRAMMAR_NAME
    return checkout.read_text(encoding="utf-8")


class _RecentTokens:
    """A post-lexer that remembers the last tokens, to say what an error came after.

    It makes NAME acceptable everywhere, so that a keyword is always cut from a whole word
    (`waiting` reaches the parser as one name, never as `wait` + `ing`), and it gives a
    keyword read as a name its keyword type back unless it follows `.`, `{` or `,` (an
    attribute or a record key, as in `event.wait`): `let send = 1` is then refused as
    "found `send`" rather than puzzling the parser one token later."""

    always_accept = ("NAME",)
    _NAME_POSITIONS = frozenset({"DOT", "LBRACE", "COMMA"})

    def __init__(self) -> None:
        self.recent: collections.deque = collections.deque(maxlen=3)
        self.keyword_types: dict[str, str] = {}

    def process(self, stream):
        self.recent.clear()
        previous_type = None
        for token in stream:
            if token.type == "NAME" and previous_type not in self._NAME_POSITIONS:
                keyword_type = self.keyword_types.get(token.value)
                if keyword_type is not None:
                    token.type = keyword_type
            previous_type = token.type
            self.recent.append(token)
            yield token


@functools.cache
def _parser() -> tuple[lark.Lark, _RecentTokens]:
    recent = _RecentTokens()
    parser = lark.Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        postlex=recent,
        propagate_positions=True,
        maybe_placeholders=True,
        start=["start", "expr"],
    )
    recent.keyword_types = {
        terminal.pattern.value: terminal.name
        for terminal in parser.terminals
        if terminal.pattern.type == "str" and re.fullmatch(r"[a-z_]+", terminal.pattern.value)
    }
    return parser, recent


def keywords() -> frozenset[str]:
    """Every keyword of the language (channel names included), read from the grammar."""
    return frozenset(re.findall(r'"([a-z_]+)"', grammar_text()))


def parse_tree(source: Source, *, start: str = "start", text: str | None = None,
               offset: int = 0) -> lark.Tree:
    """Parse `text` (by default the whole source) found at `offset` in `source`."""
    parser, recent = _parser()
    text = source.text if text is None else text
    try:
        return parser.parse(text, start=start)
    except UnexpectedInput as error:
        end = source.end_of_content() if offset == 0 else offset + len(text)
        diagnostic = _diagnostic(error, source, offset, end, tuple(recent.recent))
        raise JourneySyntaxError([diagnostic]) from None


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
_STATEMENTS = {"SEND", "CALL", "IF", "SPLIT", "WAIT", "FORK", "JOIN", "LET", "SET", "EXIT"}
_PROPERTIES = {"REENTRY", "TIMEOUT", "TIMEZONE", "HOLDOUT"}
_CHANNELS = {"EMAIL", "SMS", "PUSH", "INAPP", "WHATSAPP"}
_EXPRESSION_STARTS = {"NUMBER", "STRING", "DURATION", "DATE", "DATETIME", "TIME", "TRUE",
                      "FALSE", "NULL", "PROFILE", "EVENT", "LSQB", "LPAR"}

# What is expected after a keyword, said the way a user thinks of it.
_AFTER = {
    "SEND": "a channel (email, sms, push, inapp or whatsapp)",
    "CALL": 'an action name (a string, like "crm.sync")',
    "FETCH": 'a data source name (a string, like "offers")',
    "JOURNEY": 'a journey name (a string, like "Welcome series")',
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
    if token.type == "NAME":
        return f"the name `{token}`"
    if token.type == "STRING":
        return f"the string {token}"
    if token.type in ("NUMBER", "DURATION", "DATE", "DATETIME", "TIME"):
        return f"`{token}`"
    return f"`{token}`"


def _diagnostic(error: UnexpectedInput, source: Source, offset: int, end: int,
                recent) -> Diagnostic:
    if isinstance(error, UnexpectedCharacters):
        start = offset + error.pos_in_stream
        if error.char == '"':
            line_end = source.text.find("\n", start)
            end = len(source.text) if line_end < 0 else line_end
            return Diagnostic("J102", "unterminated string: add the closing `\"` on the same line",
                              source.span(start, end))
        shown = error.char if error.char.isprintable() else repr(error.char)
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
    return Diagnostic("J100", f"expected {expected}{_after(previous)}, found {_describe_found(token)}",
                      source.span(start, offset + token.end_pos))


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
