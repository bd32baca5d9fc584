"""The typed syntax tree: frozen attrs classes, each with a span that equality ignores."""

from __future__ import annotations

import datetime
import functools
from typing import Iterator, Union

import attrs

from .source import Span

CHANNELS = ("email", "sms", "push", "inapp", "whatsapp")


def node(cls):
    """Declare a node class: frozen, slotted, with a keyword-only `span` left out of eq and repr."""
    cls.__annotations__["span"] = "Span | None"
    cls.span = attrs.field(default=None, eq=False, repr=False, kw_only=True)
    built = attrs.frozen(cls)
    if any(field.metadata.get("added") for field in attrs.fields(built)):
        built.__repr__ = _repr_without_added_defaults
    return built


def added(default=None):
    """A field the language's second edition added to a node. Left at its default, it is left
    out of the node's repr too: a version's lock-file fingerprint is the repr of its tree
    (lockfile.py), and a version written before the field existed keeps its fingerprint."""
    return attrs.field(default=default, metadata={"added": True})


def _repr_without_added_defaults(self) -> str:
    """attrs' repr, but for the added fields left at their default."""
    shown = []
    for field in attrs.fields(type(self)):
        value = getattr(self, field.name)
        if field.repr and not (field.metadata.get("added") and value == field.default):
            shown.append(f"{field.name}={value!r}")
    return f"{type(self).__name__}({', '.join(shown)})"


class Node:
    """Base of every node; `children()` walks the nodes a node holds, in source order."""

    __slots__ = ()
    span: Span | None

    def children(self) -> Iterator["Node"]:
        for name in _field_names(type(self)):
            value = getattr(self, name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, Node):
                        yield item

    def walk(self) -> Iterator["Node"]:
        """This node and every node below it, depth first, in source order."""
        yield self
        for child in self.children():
            yield from child.walk()


@functools.cache
def _field_names(cls) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls) if field.name != "span")


@node
class Ident(Node):
    """A name written in the program (an event, a branch, an audience…), with where it is."""

    name: str


# ---- expressions -------------------------------------------------------------------

LiteralValue = Union[None, bool, int, float, str, datetime.timedelta, datetime.date,
                     datetime.datetime, datetime.time]


@node
class Literal(Node):
    """A constant: number, plain string, true/false/null, duration (timedelta), date, date-time
    (aware when written with an offset or Z, naive when it is in the journey's time zone), or
    time of day."""

    value: LiteralValue


@node
class Template(Node):
    """A string with `{expr}` interpolations: its parts are strings and expressions."""

    parts: tuple[Union[str, "Expr"], ...]


@node
class Path(Node):
    """`profile.a.b`, `event.a`, or a `let` name with attributes: a root and attribute names."""

    root: str
    attributes: tuple[str, ...] = ()

    def dotted(self) -> str:
        return ".".join((self.root, *self.attributes))


@node
class FunctionCall(Node):
    name: Ident
    arguments: tuple["Expr", ...]


@node
class ListExpr(Node):
    items: tuple["Expr", ...]


@node
class Comprehension(Node):
    """`[element for name in source where condition]`: a list made of each element of
    `source` that meets the condition; `name` is bound inside the brackets only."""

    element: "Expr"
    name: Ident
    source: "Expr"
    condition: "Expr | None" = None


@node
class Index(Node):
    """`target[key]`: an element of a list (counted from the end when negative) or a field
    of a record."""

    target: "Expr"
    key: "Expr"


@node
class Member(Node):
    """`target.name` after an index or a call (`xs[0].sku`): a field of a record (a path
    of names alone is a Path)."""

    target: "Expr"
    name: str


@node
class RecordField(Node):
    key: str
    value: "Expr"


@node
class RecordExpr(Node):
    fields: tuple[RecordField, ...]


@node
class Unary(Node):
    """`not x` or `-x`."""

    operator: str
    operand: "Expr"


@node
class Binary(Node):
    """`or and == != < <= > >= in "not in" + - * / %` between two operands."""

    operator: str
    left: "Expr"
    right: "Expr"


@node
class Fetch(Node):
    """`fetch SOURCE [with {...}]`: a data source's answer, or null (only as a `let` value)."""

    source: Ident
    data: RecordExpr | None


@node
class InAudience(Node):
    """`profile in audience NAME`: whether the profile is in a declared or a data audience."""

    audience: Ident


Expr = Union[Literal, Template, Path, FunctionCall, ListExpr, Comprehension, Index, Member,
             RecordExpr, Unary, Binary, Fetch, InAudience]


# ---- statements --------------------------------------------------------------------


@node
class Send(Node):
    channel: str
    message: str
    data: RecordExpr | None


@node
class CallAction(Node):
    """`[let NAME =] call ACTION [with {...}] [on error {...}]`; `on_error` is None when absent,
    `result` the `let` name bound to the action's response, if any."""

    action: Ident
    data: RecordExpr | None
    on_error: tuple["Statement", ...] | None
    result: Ident | None = added()


@node
class Condition(Node):
    """One `if`/`else if` arm: a condition and its block."""

    condition: Expr
    body: tuple["Statement", ...]


@node
class If(Node):
    arms: tuple[Condition, ...]
    orelse: tuple["Statement", ...] | None


@node
class SplitArm(Node):
    percent: float
    body: tuple["Statement", ...]


@node
class Split(Node):
    arms: tuple[SplitArm, ...]


@node
class Wait(Node):
    duration: datetime.timedelta


@node
class WaitUntil(Node):
    """`wait until` a date-time, a time of day (a Literal time) or any expression."""

    target: Expr


@node
class WaitForEvent(Node):
    event: Ident
    where: Expr | None
    within: datetime.timedelta | None
    body: tuple["Statement", ...] | None
    on_timeout: tuple["Statement", ...] | None


@node
class Branch(Node):
    name: Ident
    when: Expr | None
    body: tuple["Statement", ...]


@node
class Fork(Node):
    branches: tuple[Branch, ...]


@node
class Join(Node):
    branches: tuple[Ident, ...]
    primary: Ident | None


@node
class Let(Node):
    name: Ident
    value: Expr


@node
class SetProfile(Node):
    """`set profile.a.b = EXPR`; `path` holds the attribute names after `profile`."""

    path: tuple[str, ...]
    value: Expr


@node
class Exit(Node):
    pass


@node
class Jump(Node):
    """`jump "JOURNEY"`: the profile enters the newest live version of another journey."""

    target: Ident


# ---- set activities: campaigns only (docs/campaigns.md) -----------------------------


@node
class Keep(Node):
    """`keep where EXPR`: the members for whom the condition is true go on."""

    condition: Expr


@node
class ExcludeAudience(Node):
    """`exclude audience NAME`: the members of the audience leave the population."""

    audience: Ident


@node
class IntersectAudience(Node):
    """`intersect audience NAME`: only the members of the audience go on."""

    audience: Ident


@node
class SaveAudience(Node):
    """`save audience NAME [append]`: the population here replaces the data audience NAME, or
    with `append` is added to it."""

    audience: Ident
    append: bool = False


SET_ACTIVITIES = (Keep, ExcludeAudience, IntersectAudience, SaveAudience)

Statement = Union[Send, CallAction, If, Split, Wait, WaitUntil, WaitForEvent, Fork, Join, Let,
                  SetProfile, Exit, Jump, Keep, ExcludeAudience, IntersectAudience, SaveAudience]


# ---- journeys ----------------------------------------------------------------------


@node
class Reentry(Node):
    """`reentry never | always | after DURATION`."""

    mode: str
    period: datetime.timedelta | None = None


@node
class Timeout(Node):
    duration: datetime.timedelta


@node
class Timezone(Node):
    name: str


@node
class ExitOnEvent(Node):
    event: Ident
    where: Expr | None


@node
class ExitWhen(Node):
    condition: Expr


@node
class Holdout(Node):
    percent: float


@node
class EntryCap(Node):
    """`cap entries N [per DURATION]`: at most `count` entries into the journey, over the run
    or in each window of `window` from the run's start."""

    count: int | float
    window: datetime.timedelta | None


Property = Union[Reentry, Timeout, Timezone, ExitOnEvent, ExitWhen, Holdout, EntryCap]


@node
class EventEntry(Node):
    """`on event NAME [where EXPR]`: unitary entry."""

    event: Ident
    where: Expr | None


@node
class AudienceEntry(Node):
    """`read audience NAME [at DATETIME | every DURATION [starting DATETIME] [until DATETIME]]
    [rate N/s]`: batch entry."""

    audience: Ident
    at: Expr | None = None
    every: datetime.timedelta | None = None
    starting: Expr | None = None
    until: Expr | None = added()
    rate: "Rate | None" = added()


Entry = Union[EventEntry, AudienceEntry]


@node
class Journey(Node):
    """A journey version. `header` keeps properties and entries in source order (the checker
    enforces their order and count); `body` holds the statements."""

    name: str
    version: int
    header: tuple[Union[Property, Entry], ...]
    body: tuple[Statement, ...]

    @property
    def properties(self) -> tuple[Property, ...]:
        return tuple(item for item in self.header if not isinstance(item, (EventEntry, AudienceEntry)))

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(item for item in self.header if isinstance(item, (EventEntry, AudienceEntry)))

    @property
    def entry(self) -> Entry | None:
        entries = self.entries
        return entries[0] if entries else None

    def property(self, kind: type) -> Property | None:
        """The last property of a kind (a later one overrides an earlier one), or None."""
        found = None
        for item in self.header:
            if isinstance(item, kind):
                found = item
        return found


@node
class Campaign(Journey):
    """An orchestrated campaign: a journey's header and statements, moving a population read
    from an audience (docs/campaigns.md). It has no versions: `version` is always 0."""


# ---- schemas and declarations ------------------------------------------------------


@node
class TypeName(Node):
    """A scalar type: string, number, bool, date, datetime, time, duration or any."""

    name: str


@node
class ListType(Node):
    item: "TypeExpr"


@node
class FieldType(Node):
    name: Ident
    type: "TypeExpr"


@node
class RecordType(Node):
    fields: tuple[FieldType, ...]


TypeExpr = Union[TypeName, ListType, RecordType]


@node
class ProfileSchema(Node):
    fields: RecordType


@node
class EventSchema(Node):
    name: Ident
    fields: RecordType


@node
class AudienceDecl(Node):
    name: Ident
    condition: Expr


@node
class Rate(Node):
    """`rate N/UNIT`: at most `count` per `unit` (as written: `s`, `min` or `h`)."""

    count: int | float
    unit: str

    @property
    def seconds(self) -> int | None:
        """The length of the unit's period, or None for a unit that is not one."""
        return RATE_UNITS.get(self.unit)


RATE_UNITS = {"s": 1, "min": 60, "h": 3600}


@node
class ActionCap(Node):
    """`cap N per DURATION`: at most `count` calls in each window of `window`."""

    count: int | float
    window: datetime.timedelta


@node
class MessageCap(Node):
    """`cap CHANNEL N per PERIOD` or `cap messages N per PERIOD`: at most `count` delivered
    messages per profile over all journeys; `channel` None for all channels; `period` a
    calendar period (`day`, `week`, `month`, as written) or, for a rolling window, None with
    `window` its length."""

    channel: str | None
    count: int | float
    period: str | None
    window: datetime.timedelta | None


CALENDAR_PERIODS = ("day", "week", "month")


@node
class ActionResponse(Node):
    """`response { … }`: the schema of an action's response."""

    fields: "RecordType"


@node
class ActionDecl(Node):
    """`action NAME { rate …  cap …  response {…} }`; each setting None when absent (the last
    one written counts when repeated: a rule reports the repetition)."""

    name: Ident
    settings: tuple[Union[Rate, ActionCap, ActionResponse], ...]

    def setting(self, kind: type):
        found = None
        for item in self.settings:
            if isinstance(item, kind):
                found = item
        return found




# ---- tests (docs/testing.md) ---------------------------------------------------------


@node
class Instant(Node):
    """An instant as a test writes it (a date-time with Z or an offset, or a date: its
    midnight in UTC); the checker and the test runner read its text."""

    text: str


@node
class TestStart(Node):
    at: Instant


@node
class TestUntil(Node):
    at: Instant


@node
class TestSeed(Node):
    seed: int


@node
class TestProfile(Node):
    """`profile "ID" [{ attributes }]`: a profile of the test's run."""

    id: Ident
    attributes: RecordExpr | None


@node
class TestEvent(Node):
    """`event NAME for "ID" at INSTANT [{ data }]`."""

    event: Ident
    profile: Ident
    at: Instant
    data: RecordExpr | None


@node
class TestAudience(Node):
    """`audience "NAME" = ["ID", ...]`: an audience given as data."""

    name: Ident
    members: ListExpr


@node
class TestFixture(Node):
    """`fixture "SOURCE" [with { ... }] = VALUE`: what a fetch of that source answers."""

    source: Ident
    match: RecordExpr | None
    result: Expr


@node
class TestFailingCall(Node):
    """`fixture call "ACTION" fails`: every call of that action fails."""

    action: Ident


@node
class TestLifecycle(Node):
    """`publish | close | stop "JOURNEY" [version N] at INSTANT`."""

    action: str
    journey: Ident
    version: int | None
    at: Instant


@node
class ExpectMessage(Node):
    """`expect "ID" gets CHANNEL "MESSAGE" [at T | between T and T]`, and with `no`
    (`negated`) `expect "ID" gets no [CHANNEL ["MESSAGE"]] [...]`."""

    profile: Ident
    negated: bool
    channel: str | None
    message: str | None
    at: Instant | None = None
    until: Instant | None = None  # with `at`, the end of a window `between at and until`


@node
class ExpectSuppressed(Node):
    profile: Ident
    channel: str
    message: str
    reason: Ident | None


@node
class ExpectEnters(Node):
    profile: Ident
    journey: Ident
    version: int | None


@node
class ExpectRejected(Node):
    profile: Ident
    journey: Ident
    reason: Ident | None


@node
class ExpectExits(Node):
    profile: Ident
    journey: Ident
    reason: Ident | None


@node
class ExpectProfile(Node):
    """`expect profile "ID".a.b OP VALUE`: an attribute at the end of the run."""

    profile: Ident
    path: tuple[str, ...]
    operator: str
    value: Expr


@node
class ExpectSent(Node):
    """`expect sent CHANNEL ["MESSAGE"] OP COUNT`: delivered messages over the run."""

    channel: str
    message: str | None
    operator: str
    value: Expr


@node
class ExpectReached(Node):
    """`expect [never] reached "JOURNEY" line N | label NAME`."""

    negated: bool
    journey: Ident
    line: int | None
    label: Ident | None


Given = Union[TestStart, TestUntil, TestSeed, TestProfile, TestEvent, TestAudience, TestFixture,
              TestFailingCall, TestLifecycle]
Expectation = Union[ExpectMessage, ExpectSuppressed, ExpectEnters, ExpectRejected, ExpectExits,
                    ExpectProfile, ExpectSent, ExpectReached]
EXPECTATIONS = (ExpectMessage, ExpectSuppressed, ExpectEnters, ExpectRejected, ExpectExits,
                ExpectProfile, ExpectSent, ExpectReached)


@node
class TestDecl(Node):
    """`test "NAME" { ... }`: givens and expectations, in source order."""

    name: str
    lines: tuple[Union[Given, Expectation], ...]

    @property
    def givens(self) -> tuple[Given, ...]:
        return tuple(line for line in self.lines if not isinstance(line, EXPECTATIONS))

    @property
    def expectations(self) -> tuple[Expectation, ...]:
        return tuple(line for line in self.lines if isinstance(line, EXPECTATIONS))

    def given(self, kind: type) -> tuple:
        return tuple(line for line in self.lines if isinstance(line, kind))


class NotConstant(ValueError):
    """A test's value that is not a constant; carries the node that is not."""

    def __init__(self, node: Node):
        super().__init__("not a constant")
        self.node = node


def constant_value(expr: Node):
    """A constant expression of a test (a literal, a list or a record of them, a negative
    number) as the data a JSON input file would hold: dates and date-times as ISO text.
    Raises NotConstant at the first part that is not one."""
    if isinstance(expr, Literal):
        value = expr.value
        if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
            return value.isoformat()
        if isinstance(value, datetime.timedelta):
            raise NotConstant(expr)
        return value
    if isinstance(expr, ListExpr):
        return [constant_value(item) for item in expr.items]
    if isinstance(expr, RecordExpr):
        return {field.key: constant_value(field.value) for field in expr.fields}
    if isinstance(expr, Unary) and expr.operator == "-" and isinstance(expr.operand, Literal) \
            and isinstance(expr.operand.value, (int, float)) \
            and not isinstance(expr.operand.value, bool):
        return -expr.operand.value
    raise NotConstant(expr)


Declaration = Union[ProfileSchema, EventSchema, AudienceDecl, ActionDecl, MessageCap, Journey,
                    Campaign, TestDecl]


@node
class Program(Node):
    """One file's declarations, in source order."""

    declarations: tuple[Declaration, ...]

    @property
    def journeys(self) -> tuple[Journey, ...]:
        return tuple(d for d in self.declarations if isinstance(d, Journey))

    @property
    def campaigns(self) -> tuple[Campaign, ...]:
        return tuple(d for d in self.declarations if isinstance(d, Campaign))

    @property
    def tests(self) -> tuple[TestDecl, ...]:
        return tuple(d for d in self.declarations if isinstance(d, TestDecl))

    @property
    def audiences(self) -> tuple[AudienceDecl, ...]:
        return tuple(d for d in self.declarations if isinstance(d, AudienceDecl))

    @property
    def actions(self) -> tuple[ActionDecl, ...]:
        return tuple(d for d in self.declarations if isinstance(d, ActionDecl))

    @property
    def caps(self) -> tuple[MessageCap, ...]:
        return tuple(d for d in self.declarations if isinstance(d, MessageCap))

    @property
    def event_schemas(self) -> tuple[EventSchema, ...]:
        return tuple(d for d in self.declarations if isinstance(d, EventSchema))

    @property
    def profile_schemas(self) -> tuple[ProfileSchema, ...]:
        return tuple(d for d in self.declarations if isinstance(d, ProfileSchema))
