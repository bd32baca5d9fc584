"""Lark parse trees to typed nodes; literals are validated here (durations, dates, escapes)."""

from __future__ import annotations

import datetime
import re

from lark import Token, Transformer, Tree, v_args

from . import nodes as n
from .diagnostics import Diagnostic, JourneySyntaxError
from .parser import parse_tree
from .source import Source

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION_PART = re.compile(r"(\d+)([smhdw])")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "{": "{", "}": "}"}


def parse(text: str, name: str = "<string>") -> n.Program:
    """Parse a program; raise JourneySyntaxError carrying every diagnostic found."""
    return parse_source(Source(name, text))


def parse_source(source: Source) -> n.Program:
    builder = _Builder(source, 0)
    program = builder.transform(parse_tree(source))
    if builder.errors:
        raise JourneySyntaxError(builder.errors)
    return program


def _block(items) -> tuple:
    return tuple(item for item in items if item is not None)


@v_args(meta=True)
class _Builder(Transformer):
    """Builds nodes bottom-up. `offset` places an interpolation's text inside its source."""

    def __init__(self, source: Source, offset: int):
        super().__init__()
        self.source = source
        self.offset = offset
        self.errors: list[Diagnostic] = []

    # ---- positions and literal checks -------------------------------------------------

    def _span(self, meta):
        if getattr(meta, "empty", True):
            return None
        return self.source.span(self.offset + meta.start_pos, self.offset + meta.end_pos)

    def _token_span(self, token: Token, start: int = 0, end: int | None = None):
        base = self.offset + token.start_pos
        return self.source.span(base + start, base + (len(token) if end is None else end))

    def _error(self, code: str, message: str, span) -> None:
        self.errors.append(Diagnostic(code, message, span))

    def _ident(self, token: Token) -> n.Ident:
        return n.Ident(str(token), span=self._token_span(token))

    def _duration(self, token: Token) -> datetime.timedelta:
        seconds = 0
        for part in re.finditer(r"\S+", str(token)):
            pieces = list(_DURATION_PART.finditer(part.group()))
            if "".join(p.group() for p in pieces) != part.group() or not pieces:
                self._error("J103", f"`{part.group()}` is not a duration (use s, m, h, d or w, "
                            "as in 90s, 15m, 2h, 3d, 1w or 1d 12h)",
                            self._token_span(token, part.start(), part.end()))
                continue
            seconds += sum(int(p.group(1)) * _UNIT_SECONDS[p.group(2)] for p in pieces)
        return datetime.timedelta(seconds=seconds)

    def _number(self, token: Token):
        text = str(token)
        return float(text) if "." in text else int(text)

    def _string(self, token: Token):
        """A string literal's value: a plain str Literal, or a Template with interpolations."""
        raw = str(token)[1:-1]
        parts: list = []
        text: list[str] = []
        i = 0
        while i < len(raw):
            char = raw[i]
            if char == "\\":
                escaped = raw[i + 1]
                if escaped not in _ESCAPES:
                    self._error("J105", f"unknown escape `\\{escaped}` (use \\n, \\t, \\\", \\\\, "
                                "\\{ or \\})", self._token_span(token, i + 1, i + 3))
                text.append(_ESCAPES.get(escaped, escaped))
                i += 2
            elif char == "{":
                close = raw.find("}", i + 1)
                if close < 0:
                    self._error("J107", "`{` opens an interpolation that is never closed "
                                "(write `\\{` for a brace)", self._token_span(token, i + 1, i + 2))
                    break
                inner = raw[i + 1:close]
                if text:
                    parts.append("".join(text))
                    text = []
                parts.append(self._interpolation(token, i + 2, inner))
                i = close + 1
            else:
                text.append(char)
                i += 1
        if text or not parts:
            parts.append("".join(text))
        span = self._token_span(token)
        if len(parts) == 1 and isinstance(parts[0], str):
            return n.Literal(parts[0], span=span)
        return n.Template(tuple(parts), span=span)

    def _text(self, token: Token, what: str) -> str:
        """A string that names something (a message, an action…): no interpolation allowed."""
        value = self._string(token)
        if isinstance(value, n.Literal):
            return value.value
        self._error("J107", f"{what} is plain text: it cannot hold `{{…}}` (write `\\{{` for a "
                    "brace)", value.span)
        return "".join(part for part in value.parts if isinstance(part, str))

    def _name(self, token: Token, what: str) -> n.Ident:
        return n.Ident(self._text(token, what), span=self._token_span(token))

    def _interpolation(self, token: Token, start: int, inner: str):
        offset = self.offset + token.start_pos + start
        if not inner.strip():
            self._error("J107", "empty interpolation `{}`: put an expression inside, or write "
                        "`\\{` for a brace", self.source.span(offset - 1, offset + 1))
            return n.Literal("", span=self.source.span(offset, offset))
        try:
            tree = parse_tree(self.source, start="expr", text=inner, offset=offset)
        except JourneySyntaxError as error:
            self.errors.extend(error.diagnostics)
            return n.Literal("", span=self.source.span(offset, offset + len(inner)))
        inner_builder = _Builder(self.source, offset)
        expression = inner_builder.transform(tree)
        self.errors.extend(inner_builder.errors)
        return expression

    def _date_like(self, token: Token):
        text = str(token)
        kind = token.type
        try:
            if kind == "DATE":
                return datetime.date.fromisoformat(text)
            if kind == "TIME":
                return datetime.time.fromisoformat(text)
            return datetime.datetime.fromisoformat(text)
        except ValueError:
            what = {"DATE": "a date", "TIME": "a time of day", "DATETIME": "a date-time"}[kind]
            self._error("J104", f"`{text}` is not {what}", self._token_span(token))
            return None

    # ---- declarations ---------------------------------------------------------------

    def start(self, meta, children):
        return n.Program(tuple(children), span=self.source.span(0, len(self.source.text)))

    def profile_schema(self, meta, children):
        return n.ProfileSchema(children[0], span=self._span(meta))

    def event_schema(self, meta, children):
        return n.EventSchema(self._ident(children[0]), children[1], span=self._span(meta))

    def audience_decl(self, meta, children):
        return n.AudienceDecl(self._name(children[0], "an audience name"), children[1],
                              span=self._span(meta))

    def record_type(self, meta, children):
        return n.RecordType(tuple(children), span=self._span(meta))

    def field_type(self, meta, children):
        return n.FieldType(self._ident(children[0]), children[1], span=self._span(meta))

    def type_name(self, meta, children):
        return n.TypeName(str(children[0]), span=self._span(meta))

    def list_type(self, meta, children):
        return n.ListType(children[0], span=self._span(meta))

    # ---- journeys and their header --------------------------------------------------

    def journey(self, meta, children):
        name, version, *items = children
        header = tuple(item for item in items if isinstance(item, _HEADER_TYPES))
        body = tuple(item for item in items if not isinstance(item, _HEADER_TYPES))
        return n.Journey(self._text(name, "a journey name"), 1 if version is None else version,
                         header, body, span=self._span(meta))

    def version(self, meta, children):
        token = children[0]
        value = self._number(token)
        if not isinstance(value, int) or value < 1:
            self._error("J108", f"`{token}` is not a version number: versions are whole "
                        "numbers from 1", self._token_span(token))
            return 1
        return value

    def reentry(self, meta, children):
        token = children[0]
        if token.type == "DURATION":
            return n.Reentry("after", self._duration(token), span=self._span(meta))
        return n.Reentry(str(token), None, span=self._span(meta))

    def timeout(self, meta, children):
        return n.Timeout(self._duration(children[0]), span=self._span(meta))

    def timezone(self, meta, children):
        return n.Timezone(self._text(children[0], "a time zone name"), span=self._span(meta))

    def exit_on_event(self, meta, children):
        return n.ExitOnEvent(self._ident(children[0]), children[1], span=self._span(meta))

    def exit_when(self, meta, children):
        return n.ExitWhen(children[0], span=self._span(meta))

    def holdout(self, meta, children):
        return n.Holdout(children[0], span=self._span(meta))

    def event_entry(self, meta, children):
        return n.EventEntry(self._ident(children[0]), children[1], span=self._span(meta))

    def audience_entry(self, meta, children):
        schedule = children[1] or {}
        return n.AudienceEntry(self._name(children[0], "an audience name"),
                               span=self._span(meta), **schedule)

    def read_at(self, meta, children):
        return {"at": children[0]}

    def read_every(self, meta, children):
        return {"every": self._duration(children[0]), "starting": children[1]}

    def where(self, meta, children):
        return children[0]

    def percent(self, meta, children):
        return self._number(children[0])

    # ---- statements -----------------------------------------------------------------

    def block(self, meta, children):
        return _block(children)

    def send(self, meta, children):
        channel, message, data = children
        return n.Send(channel, self._text(message, "a message id"), data, span=self._span(meta))

    def channel(self, meta, children):
        return str(children[0])

    def call(self, meta, children):
        action, data, on_error = children
        return n.CallAction(self._name(action, "an action name"), data, on_error,
                            span=self._span(meta))

    def on_error(self, meta, children):
        return children[0]

    def with_(self, meta, children):
        return children[0]

    def if_(self, meta, children):
        condition, body, *others, orelse = children
        first = n.Condition(condition, body, span=self._span(meta))
        return n.If((first, *others), orelse, span=self._span(meta))

    def else_if(self, meta, children):
        return n.Condition(children[0], children[1], span=self._span(meta))

    def else_(self, meta, children):
        return children[0]

    def split(self, meta, children):
        return n.Split(tuple(children), span=self._span(meta))

    def split_arm(self, meta, children):
        return n.SplitArm(children[0], children[1], span=self._span(meta))

    def wait(self, meta, children):
        return n.Wait(self._duration(children[0]), span=self._span(meta))

    def wait_until(self, meta, children):
        return n.WaitUntil(children[0], span=self._span(meta))

    def wait_for(self, meta, children):
        event, where, within, body, on_timeout = children
        return n.WaitForEvent(self._ident(event), where, within, body, on_timeout,
                              span=self._span(meta))

    def within(self, meta, children):
        return self._duration(children[0])

    def on_timeout(self, meta, children):
        return children[0]

    def fork(self, meta, children):
        return n.Fork(tuple(children), span=self._span(meta))

    def branch(self, meta, children):
        name, when, body = children
        return n.Branch(self._ident(name), when, body, span=self._span(meta))

    def branch_when(self, meta, children):
        return children[0]

    def join(self, meta, children):
        *names, primary = children
        return n.Join(tuple(self._ident(name) for name in names), primary, span=self._span(meta))

    def primary(self, meta, children):
        return self._ident(children[0])

    def let(self, meta, children):
        return n.Let(self._ident(children[0]), children[1], span=self._span(meta))

    def fetch(self, meta, children):
        return n.Fetch(self._name(children[0], "a data source name"), children[1],
                       span=self._span(meta))

    def set_(self, meta, children):
        *path, value = children
        return n.SetProfile(tuple(str(name) for name in path), value, span=self._span(meta))

    def exit(self, meta, children):
        return n.Exit(span=self._span(meta))

    # ---- expressions ----------------------------------------------------------------

    def literal(self, meta, children):
        token = children[0]
        kind = token.type
        span = self._span(meta)
        if kind == "STRING":
            return self._string(token)
        if kind == "NUMBER":
            value = self._number(token)
        elif kind == "DURATION":
            value = self._duration(token)
        elif kind in ("DATE", "TIME", "DATETIME"):
            value = self._date_like(token)
        else:
            value = {"TRUE": True, "FALSE": False, "NULL": None}[kind]
        return n.Literal(value, span=span)

    def path(self, meta, children):
        root, *attributes = children
        return n.Path(str(root), tuple(str(a) for a in attributes), span=self._span(meta))

    def function_call(self, meta, children):
        name, *arguments = children
        arguments = tuple(a for a in arguments if a is not None)
        return n.FunctionCall(self._ident(name), arguments, span=self._span(meta))

    def list(self, meta, children):
        return n.ListExpr(tuple(c for c in children if c is not None), span=self._span(meta))

    def record(self, meta, children):
        return n.RecordExpr(tuple(c for c in children if c is not None), span=self._span(meta))

    def record_field(self, meta, children):
        key, value = children
        key_text = self._text(key, "a record key") if key.type == "STRING" else str(key)
        return n.RecordField(key_text, value, span=self._span(meta))

    def or_op(self, meta, children):
        return n.Binary("or", children[0], children[1], span=self._span(meta))

    def and_op(self, meta, children):
        return n.Binary("and", children[0], children[1], span=self._span(meta))

    def not_op(self, meta, children):
        return n.Unary("not", children[0], span=self._span(meta))

    def compare(self, meta, children):
        left, operator, right = children
        return n.Binary(str(operator), left, right, span=self._span(meta))

    def in_op(self, meta, children):
        return n.Binary("in", children[0], children[1], span=self._span(meta))

    def not_in_op(self, meta, children):
        return n.Binary("not in", children[0], children[1], span=self._span(meta))

    def arith(self, meta, children):
        left, operator, right = children
        return n.Binary(str(operator), left, right, span=self._span(meta))

    def negate(self, meta, children):
        return n.Unary("-", children[1], span=self._span(meta))


_HEADER_TYPES = (n.Reentry, n.Timeout, n.Timezone, n.ExitOnEvent, n.ExitWhen, n.Holdout,
                 n.EventEntry, n.AudienceEntry)


