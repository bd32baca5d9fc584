"""Parse callbacks that build the typed nodes; literals are validated here (numbers, durations,
dates, escapes, interpolations).

The parser calls these as it reduces each rule (no intermediate parse tree), with every token
kept, so that a node's span runs from its first token to its last."""

from __future__ import annotations

import datetime
import re
from typing import Callable

import attrs
from lark import Token, Transformer

from . import nodes as n
from .core.instants import LONGEST_DURATION
from .core.values import NumberError, parse_number
from .diagnostics import Diagnostic, JourneySyntaxError
from .source import Source

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION_PART = re.compile(r"(\d+)([smhdw])")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "{": "{", "}": "}"}
_DATE_KINDS = {"DATE": "a date", "TIME": "a time of day", "DATETIME": "a date-time"}
_DURATION_DIGITS = 15  # a count of more digits is longer than LONGEST_DURATION in any unit


def _shown(text: str, limit: int = 20) -> str:
    """A long literal cut short for a message."""
    return text if len(text) <= limit else text[:limit] + "…"


class _Part:
    """A piece of a rule (a block, a `where` clause…) on its way into its parent node."""

    __slots__ = ("value", "start", "end")

    def __init__(self, value, start: int, end: int):
        self.value = value
        self.start = start
        self.end = end


def _value(part):
    return None if part is None else part.value


class Builder(Transformer):
    """Builds nodes bottom-up for one source at a time; `offset` places an interpolation's
    text inside its source. `parse_expression(text, offset)` is given by the parser."""

    def __init__(self) -> None:
        super().__init__()
        self.source: Source | None = None
        self.offset = 0
        self.errors: list[Diagnostic] = []
        self.parse_expression: Callable[[str, int], n.Node] | None = None

    def reset(self, source: Source) -> None:
        self.source = source
        self.offset = 0
        self.errors = []

    # ---- positions ----------------------------------------------------------------------

    def _bounds(self, child) -> tuple[int, int]:
        if isinstance(child, Token):
            return self.offset + child.start_pos, self.offset + child.end_pos
        if isinstance(child, _Part):
            return child.start, child.end
        return child.span.start, child.span.end

    def _span(self, children):
        first = children[0]
        if first is None:
            first = next(child for child in children if child is not None)
        last = children[-1]
        if last is None:
            last = next(child for child in reversed(children) if child is not None)
        return self.source.span(self._bounds(first)[0], self._bounds(last)[1])

    def _part(self, value, children) -> _Part:
        span = self._span(children)
        return _Part(value, span.start, span.end)

    def _token_span(self, token: Token, start: int = 0, end: int | None = None):
        base = self.offset + token.start_pos
        return self.source.span(base + start, base + (len(token) if end is None else end))

    def _error(self, code: str, message: str, span) -> None:
        self.errors.append(Diagnostic(code, message, span))

    # ---- literals -----------------------------------------------------------------------

    def _ident(self, token: Token) -> n.Ident:
        return n.Ident(str(token), span=self._token_span(token))

    def _duration(self, token: Token) -> datetime.timedelta:
        seconds = 0
        for part in re.finditer(r"\S+", str(token)):
            pieces = list(_DURATION_PART.finditer(part.group()))
            if not pieces or "".join(p.group() for p in pieces) != part.group():
                self._error("J103", f"`{part.group()}` is not a duration (use s, m, h, d or w, "
                            "as in 90s, 15m, 2h, 3d, 1w or 1d 12h)",
                            self._token_span(token, part.start(), part.end()))
                continue
            if any(len(p.group(1)) > _DURATION_DIGITS for p in pieces):
                seconds = LONGEST_DURATION + 1  # (and int() of thousands of digits fails)
            else:
                seconds += sum(int(p.group(1)) * _UNIT_SECONDS[p.group(2)] for p in pieces)
        if seconds > LONGEST_DURATION:
            self._error("J103", f"`{_shown(str(token))}` is longer than the longest duration, "
                        f"{LONGEST_DURATION // 86400:,} days (from 0001-01-01 to 9999-12-31)",
                        self._token_span(token))
            seconds = 0
        return datetime.timedelta(seconds=seconds)

    def _number(self, token: Token):
        """A number literal's value, or None for one of more than MAX_DIGITS digits or beyond
        MAX_NUMBER, after reporting it (J109)."""
        try:
            return parse_number(str(token))
        except NumberError as error:
            self._error("J109", str(error), self._token_span(token))
            return None

    def _string(self, token: Token):
        """A string literal's value: a plain str Literal, or a Template with interpolations."""
        raw = str(token)[1:-1]
        span = self._token_span(token)
        if "\\" not in raw and "{" not in raw:
            return n.Literal(raw, span=span)
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
                if text:
                    parts.append("".join(text))
                    text = []
                parts.append(self._interpolation(token, i + 2, raw[i + 1:close]))
                i = close + 1
            else:
                text.append(char)
                i += 1
        if text or not parts:
            parts.append("".join(text))
        if len(parts) == 1 and isinstance(parts[0], str):
            return n.Literal(parts[0], span=span)
        return n.Template(tuple(parts), span=span)

    def _interpolation(self, token: Token, start: int, inner: str):
        offset = self.offset + token.start_pos + start
        if not inner.strip():
            self._error("J107", "empty interpolation `{}`: put an expression inside, or write "
                        "`\\{` for a brace", self.source.span(offset - 1, offset + 1))
            return n.Literal("", span=self.source.span(offset, offset))
        outer = self.offset
        self.offset = offset
        try:
            return self.parse_expression(inner, offset)
        except JourneySyntaxError as error:
            self.errors.extend(error.diagnostics)
            return n.Literal("", span=self.source.span(offset, offset + len(inner)))
        finally:
            self.offset = outer

    def _text(self, token: Token, what: str) -> str:
        """A string that names something (a message, an action…): no interpolation allowed."""
        value = self._string(token)
        if isinstance(value, n.Literal):
            return value.value
        self._error("J107", f"{what} is plain text: it cannot hold `{{…}}` (write `\\{{` for a "
                    "brace)", value.span)
        return "".join(part for part in value.parts if isinstance(part, str))

    def _event(self, parts) -> n.Ident:
        """An event's name from its tokens (`email`, `.`, `opened`)."""
        return n.Ident("".join(map(str, parts)), span=self._span(parts))

    def _name(self, token: Token, what: str) -> n.Ident:
        return n.Ident(self._text(token, what), span=self._token_span(token))

    def _date_like(self, token: Token):
        text = str(token)
        try:
            if token.type == "DATE":
                return datetime.date.fromisoformat(text)
            if token.type == "TIME":
                return datetime.time.fromisoformat(text)
            return datetime.datetime.fromisoformat(text)
        except ValueError:
            self._error("J104", f"`{text}` is not {_DATE_KINDS[token.type]}", self._token_span(token))
            return None

    # ---- declarations -------------------------------------------------------------------

    def start(self, children):
        return n.Program(tuple(children), span=self.source.span(0, len(self.source.text)))

    def profile_schema(self, children):
        return n.ProfileSchema(children[1], span=self._span(children))

    def event_schema(self, children):
        return n.EventSchema(self._event(children[1:-1]), children[-1], span=self._span(children))

    def audience_decl(self, children):
        return n.AudienceDecl(self._name(children[1], "an audience name"), children[3],
                              span=self._span(children))

    def record_type(self, children):
        fields = tuple(child for child in children if isinstance(child, n.FieldType))
        return n.RecordType(fields, span=self._span(children))

    def field_type(self, children):
        return n.FieldType(self._ident(children[0]), children[2], span=self._span(children))

    def type_name(self, children):
        return n.TypeName(str(children[0]), span=self._span(children))

    def list_type(self, children):
        return n.ListType(children[1], span=self._span(children))

    # ---- journeys and their header ------------------------------------------------------

    def journey(self, children):
        name, version, items = children[1], children[2], children[4:-1]
        header = tuple(item for item in items if isinstance(item, _HEADER_TYPES))
        body = tuple(item for item in items if not isinstance(item, _HEADER_TYPES))
        return n.Journey(self._text(name, "a journey name"),
                         1 if version is None else version.value, header, body,
                         span=self._span(children))

    def campaign(self, children):
        items = children[3:-1]
        header = tuple(item for item in items if isinstance(item, _HEADER_TYPES))
        body = tuple(item for item in items if not isinstance(item, _HEADER_TYPES))
        return n.Campaign(self._text(children[1], "a campaign name"), 0, header, body,
                          span=self._span(children))

    def version(self, children):
        token = children[1]
        value = self._number(token)
        if value is None:
            value = 1  # reported
        elif not isinstance(value, int) or value < 1:
            self._error("J108", f"`{token}` is not a version number: versions are whole "
                        "numbers from 1", self._token_span(token))
            value = 1
        return self._part(value, children)

    def reentry(self, children):
        token = children[-1]
        if token.type == "DURATION":
            return n.Reentry("after", self._duration(token), span=self._span(children))
        return n.Reentry(str(token), None, span=self._span(children))

    def timeout(self, children):
        return n.Timeout(self._duration(children[1]), span=self._span(children))

    def timezone(self, children):
        return n.Timezone(self._text(children[1], "a time zone name"), span=self._span(children))

    def exit_on_event(self, children):
        return n.ExitOnEvent(self._event(children[3:-1]), _value(children[-1]),
                             span=self._span(children))

    def exit_when(self, children):
        return n.ExitWhen(children[2], span=self._span(children))

    def holdout(self, children):
        return n.Holdout(children[1].value, span=self._span(children))

    def event_entry(self, children):
        return n.EventEntry(self._event(children[2:-1]), _value(children[-1]),
                            span=self._span(children))

    def audience_entry(self, children):
        schedule = _value(children[3]) or {}
        return n.AudienceEntry(self._name(children[2], "an audience name"), rate=children[4],
                               span=self._span(children), **schedule)

    def read_at(self, children):
        return self._part({"at": children[1]}, children)

    def read_every(self, children):
        after = {str(word): value for word, value in zip(children, children[1:])
                 if isinstance(word, Token) and word in ("starting", "until")}
        return self._part({"every": self._duration(children[1]), "starting": after.get("starting"),
                           "until": after.get("until")}, children)

    def rate(self, children):
        count = self._number(children[1])
        return n.Rate(0 if count is None else count, str(children[3]), span=self._span(children))

    # ---- actions ------------------------------------------------------------------------

    def action_decl(self, children):
        settings = tuple(child for child in children[3:-1] if isinstance(child, n.Node))
        return n.ActionDecl(self._name(children[1], "an action name"), settings,
                            span=self._span(children))

    def action_cap(self, children):
        count = self._number(children[1])
        return n.ActionCap(0 if count is None else count, self._duration(children[3]),
                           span=self._span(children))

    def message_cap(self, children):
        what, count, period = children[1], self._number(children[2]), children[4]
        channel = None
        if isinstance(what, Token) and what.type == "NAME":
            if str(what) != "messages":
                self._error("J100", f"`cap {what}`: a cap counts the messages of one channel "
                            "(`cap email …`) or of all (`cap messages …`)", self._token_span(what))
        else:
            channel = str(what)
        if period.type == "DURATION":
            kind, window = None, self._duration(period)
        else:
            kind, window = str(period), None
            if kind not in n.CALENDAR_PERIODS:
                self._error("J100", f"`{period}` is not a period of a cap: write `day`, `week`, "
                            "`month` or a duration (`24h`)", self._token_span(period))
        return n.MessageCap(channel, 0 if count is None else count, kind, window,
                            span=self._span(children))

    def entry_cap(self, children):
        if str(children[1]) != "entries":
            self._error("J100", f"`cap {children[1]}`: a journey caps its entries: write "
                        "`cap entries N [per DURATION]`", self._token_span(children[1]))
        count = self._number(children[2])
        window = self._duration(children[4]) if children[4] is not None else None
        return n.EntryCap(0 if count is None else count, window, span=self._span(children))

    def response(self, children):
        return n.ActionResponse(children[1], span=self._span(children))

    def where(self, children):
        return self._part(children[1], children)

    def percent(self, children):
        value = self._number(children[0])
        return self._part(0 if value is None else value, children)

    # ---- statements ---------------------------------------------------------------------

    def block(self, children):
        return self._part(tuple(children[1:-1]), children)

    def send(self, children):
        channel, message, data = children[1], children[2], children[3]
        return n.Send(str(channel), self._text(message, "a message id"), _value(data),
                      span=self._span(children))

    def channel(self, children):
        return children[0]

    def call(self, children):
        return n.CallAction(self._name(children[1], "an action name"), _value(children[2]),
                            _value(children[3]), span=self._span(children))

    def on_error(self, children):
        return self._part(children[2].value, children)

    def with_(self, children):
        return self._part(children[1], children)

    def if_(self, children):
        condition, body, others, orelse = children[1], children[2], children[3:-1], children[-1]
        first = n.Condition(condition, body.value, span=self._span(children[:3]))
        return n.If((first, *others), _value(orelse), span=self._span(children))

    def else_if(self, children):
        return n.Condition(children[2], children[3].value, span=self._span(children))

    def else_(self, children):
        return self._part(children[1].value, children)

    def split(self, children):
        return n.Split(tuple(children[2:-1]), span=self._span(children))

    def split_arm(self, children):
        return n.SplitArm(children[0].value, children[1].value, span=self._span(children))

    def wait(self, children):
        return n.Wait(self._duration(children[1]), span=self._span(children))

    def wait_until(self, children):
        return n.WaitUntil(children[2], span=self._span(children))

    def wait_for(self, children):
        where, within, body, on_timeout = children[-4:]
        return n.WaitForEvent(self._event(children[3:-4]), _value(where), _value(within), _value(body),
                              _value(on_timeout), span=self._span(children))

    def within(self, children):
        return self._part(self._duration(children[1]), children)

    def on_timeout(self, children):
        return self._part(children[2].value, children)

    def fork(self, children):
        return n.Fork(tuple(children[2:-1]), span=self._span(children))

    def branch(self, children):
        return n.Branch(self._ident(children[1]), _value(children[2]), children[3].value,
                        span=self._span(children))

    def branch_when(self, children):
        return self._part(children[1], children)

    def join(self, children):
        names = tuple(self._ident(child) for child in children[1:-1]
                      if isinstance(child, Token) and child.type == "NAME")
        return n.Join(names, _value(children[-1]), span=self._span(children))

    def primary(self, children):
        return self._part(self._ident(children[1]), children)

    def let(self, children):
        value = children[3]
        if isinstance(value, n.CallAction):  # `let r = call …`: the call, binding its response
            return attrs.evolve(value, result=self._ident(children[1]), span=self._span(children))
        return n.Let(self._ident(children[1]), value, span=self._span(children))

    def fetch(self, children):
        return n.Fetch(self._name(children[1], "a data source name"), _value(children[2]),
                       span=self._span(children))

    def set_(self, children):
        path = tuple(str(child) for child in children[2:-2] if child.type == "NAME")
        return n.SetProfile(path, children[-1], span=self._span(children))

    def exit(self, children):
        return n.Exit(span=self._span(children))

    def jump(self, children):
        return n.Jump(self._name(children[1], "a journey name"), span=self._span(children))

    def keep(self, children):
        return n.Keep(children[2], span=self._span(children))

    def exclude_audience(self, children):
        return n.ExcludeAudience(self._name(children[2], "an audience name"),
                                 span=self._span(children))

    def intersect_audience(self, children):
        return n.IntersectAudience(self._name(children[2], "an audience name"),
                                   span=self._span(children))

    def save_audience(self, children):
        return n.SaveAudience(self._name(children[2], "an audience name"), children[3] is not None,
                              span=self._span(children))

    # ---- tests --------------------------------------------------------------------------

    def test(self, children):
        return n.TestDecl(self._text(children[1], "a test name"), tuple(children[3:-1]),
                          span=self._span(children))

    def _instant_node(self, token: Token) -> n.Instant:
        return n.Instant(str(token), span=self._token_span(token))

    def _profile_id(self, token: Token) -> n.Ident:
        return self._name(token, "a profile id")

    def test_start(self, children):
        return n.TestStart(self._instant_node(children[1]), span=self._span(children))

    def test_until(self, children):
        return n.TestUntil(self._instant_node(children[1]), span=self._span(children))

    def test_seed(self, children):
        value = self._number(children[1])
        if value is not None and not isinstance(value, int):
            self._error("J109", f"`{children[1]}` is not a seed: a seed is a whole number",
                        self._token_span(children[1]))
            value = None
        return n.TestSeed(value or 0, span=self._span(children))

    def test_profile(self, children):
        return n.TestProfile(self._profile_id(children[1]), children[2],
                             span=self._span(children))

    def test_event(self, children):
        name_end = next(i for i, child in enumerate(children) if str(child) == "for"
                        and isinstance(child, Token) and child.type != "NAME")
        at = children[name_end + 3:]
        return n.TestEvent(self._event(children[1:name_end]),
                           self._profile_id(children[name_end + 1]), self._instant_node(at[0]),
                           at[1], span=self._span(children))

    def test_audience(self, children):
        return n.TestAudience(self._name(children[1], "an audience name"), children[3],
                              span=self._span(children))

    def test_fixture(self, children):
        return n.TestFixture(self._name(children[1], "a data source name"), _value(children[2]),
                             children[4], span=self._span(children))

    def test_failing_call(self, children):
        return n.TestFailingCall(self._name(children[2], "an action name"),
                                 span=self._span(children))

    def test_lifecycle(self, children):
        version = _value(children[2])
        return n.TestLifecycle(str(children[0]), self._name(children[1], "a journey name"),
                               version, self._instant_node(children[4]), span=self._span(children))

    def moment_at(self, children):
        return self._part((self._instant_node(children[1]), None), children)

    def moment_between(self, children):
        return self._part((self._instant_node(children[1]), self._instant_node(children[3])), children)

    def expect_message(self, children):
        moment = children[5] if len(children) > 5 else None
        at, until = _value(moment) or (None, None)
        return n.ExpectMessage(self._profile_id(children[1]), False, str(children[3]),
                               self._text(children[4], "a message id"), at, until,
                               span=self._span(children))

    def expect_no_message(self, children):
        rest = [child for child in children[4:] if child is not None]
        channel = next((c for c in rest if isinstance(c, Token) and c.type != "STRING"), None)
        message = next((c for c in rest if isinstance(c, Token) and c.type == "STRING"), None)
        moment = next((c for c in rest if isinstance(c, _Part)), None)
        at, until = _value(moment) or (None, None)
        return n.ExpectMessage(
            self._profile_id(children[1]), True, None if channel is None else str(channel),
            None if message is None else self._text(message, "a message id"), at, until,
            span=self._span(children))

    def reason(self, children):
        return self._ident(children[0])

    def _reason(self, children):
        return children[-1] if isinstance(children[-1], n.Ident) else None

    def expect_suppressed(self, children):
        return n.ExpectSuppressed(self._profile_id(children[1]), str(children[3]),
                                  self._text(children[4], "a message id"),
                                  self._reason(children), span=self._span(children))

    def expect_enters(self, children):
        return n.ExpectEnters(self._profile_id(children[1]),
                              self._name(children[3], "a journey name"), _value(children[4]),
                              span=self._span(children))

    def expect_rejected(self, children):
        return n.ExpectRejected(self._profile_id(children[1]),
                                self._name(children[4], "a journey name"),
                                self._reason(children), span=self._span(children))

    def expect_exits(self, children):
        return n.ExpectExits(self._profile_id(children[1]),
                             self._name(children[3], "a journey name"),
                             self._reason(children), span=self._span(children))

    def expect_profile(self, children):
        path = tuple(str(child) for child in children[3:-2] if child.type == "NAME")
        return n.ExpectProfile(self._profile_id(children[2]), path, str(children[-2]),
                               children[-1], span=self._span(children))

    def expect_sent(self, children):
        message = children[3]
        return n.ExpectSent(str(children[2]),
                            None if message is None else self._text(message, "a message id"),
                            str(children[4]), children[5], span=self._span(children))

    def expect_reached(self, children):
        place = children[-1].value
        return n.ExpectReached(children[1] is not None, self._name(children[3], "a journey name"),
                               place if isinstance(place, int) else None,
                               place if isinstance(place, n.Ident) else None,
                               span=self._span(children))

    def reached_line(self, children):
        value = self._number(children[1])
        return self._part(value if isinstance(value, int) else 0, children)

    def reached_label(self, children):
        return self._part(self._ident(children[1]), children)

    # ---- expressions --------------------------------------------------------------------

    def literal(self, children):
        token = children[0]
        kind = token.type
        if kind == "STRING":
            return self._string(token)
        if kind == "NUMBER":
            value = self._number(token)
            value = 0 if value is None else value
        elif kind == "DURATION":
            value = self._duration(token)
        elif kind in _DATE_KINDS:
            value = self._date_like(token)
        else:
            value = _CONSTANTS[kind]
        return n.Literal(value, span=self._token_span(token))

    def path(self, children):
        return n.Path(str(children[0]), tuple(str(name) for name in children[2::2]),
                      span=self._span(children))

    def function_call(self, children):
        arguments = tuple(child for child in children[2:-1] if isinstance(child, n.Node))
        return n.FunctionCall(self._ident(children[0]), arguments, span=self._span(children))

    def list(self, children):
        items = tuple(child for child in children[1:-1] if isinstance(child, n.Node))
        return n.ListExpr(items, span=self._span(children))

    def comprehension(self, children):
        element, name, source, condition = children[1], children[3], children[5], children[7]
        return n.Comprehension(element, self._ident(name), source, condition,
                               span=self._span(children))

    def index(self, children):
        return n.Index(children[0], children[2], span=self._span(children))

    def member(self, children):
        return n.Member(children[0], str(children[2]), span=self._span(children))

    def record(self, children):
        fields = tuple(child for child in children if isinstance(child, n.RecordField))
        return n.RecordExpr(fields, span=self._span(children))

    def record_field(self, children):
        key = children[0]
        text = self._text(key, "a record key") if key.type == "STRING" else str(key)
        return n.RecordField(text, children[2], span=self._span(children))

    def paren(self, children):
        return children[1]

    def _binary(self, children):
        left, operator, right = children
        return n.Binary(str(operator), left, right, span=self._span(children))

    or_op = and_op = compare = in_op = arith = _binary

    def in_audience(self, children):
        subject = children[0]
        if not (isinstance(subject, n.Path) and subject.root == "profile" and not subject.attributes):
            self._error("J111", "only `profile` can be in an audience: write `profile in "
                        "audience \"…\"`", subject.span)
        return n.InAudience(self._name(children[3], "an audience name"), span=self._span(children))

    def not_in_op(self, children):
        return n.Binary("not in", children[0], children[3], span=self._span(children))

    def not_op(self, children):
        return n.Unary("not", children[1], span=self._span(children))

    def negate(self, children):
        return n.Unary("-", children[1], span=self._span(children))


_CONSTANTS = {"TRUE": True, "FALSE": False, "NULL": None}
_HEADER_TYPES = (n.Reentry, n.Timeout, n.Timezone, n.ExitOnEvent, n.ExitWhen, n.Holdout, n.EntryCap,
                 n.EventEntry, n.AudienceEntry)
