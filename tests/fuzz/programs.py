"""Hypothesis strategies for journeylang programs and the inputs to simulate them with.

What is generated
-----------------
`programs()` builds `.journey` source text from the language's constructs (it does not mutate
the examples) and returns a `Program`: the text, plus what the generator knows of it (each
journey's name, timeout, entry and number of versions; the events, actions and channels it
names). A program has:

- sometimes a `profile { … }` schema (expressions then name only declared attributes; without
  one they also name attributes that no profile has);
- one to three journeys J1, J2, J3, now and then with a version 2 (same header, other body),
  each with some of the properties `reentry never|always|after D`, `timeout D` (up to 91d),
  `timezone`, `exit on event NAME [where …]`, `exit when …`, `holdout P%`, then an entry:
  `on event NAME [where …]`, or `read audience "NAME" [at T | every D [starting T]]` of a
  declared `audience "NAME" = …` or of the data audience "vip";
- bodies mixing every statement of the language's §3: `send … [with {…}]` (payloads that can
  fail at run time: a division by `profile.points` or `event.amount`, which may be 0, text
  functions of a number; a missing attribute), `call … [with …] [on error { … }]`,
  `if / else if / else`, `split` (percentages summing to 100), `wait D`, `wait until` a time
  of day, a date-time (past or future, with or without an offset) or `now() + 1h`, `wait for
  event … [where …] [within D] [{ … }] [on timeout { … }]`, `fork { branch NAME [when …]
  { … } … }` followed by `join NAMES [primary NAME]` or, as the last statement of its block,
  by nothing; forks nested two deep, `let x = EXPR`, `let y = fetch "offers"|"scores" [with
  {…}]`, `set profile.… = …`, `exit`;
- in expressions, collections: indexing (`profile.scores[-1]`, out of range too),
  comprehensions with and without `where`, and the list functions (`sum`, `sort`, `unique`,
  `any`, `all`, `first`, `join` of a comprehension over `split`); without a schema, some that
  fail at run time (indexing a string, going over a string, sorting a list that may mix).

Programs keep to the checker's rules (unique branch names, `join` right after its fork and
naming its branches, waits of at most 90d and the longest path of waits within the timeout,
at most 50 statements per journey, `on timeout` only with `within`, `event` only where one is
bound, `let` names only after they are bound, the same entry and re-entry in every version),
so `journeylang.checker.check_workspace` accepts nearly all of them (give it
`audiences=case.audiences`); a test `assume()`s the rest away. Choices are ordered simplest
first and each statement of a block is one "go on?" choice, so that hypothesis shrinks a
failing program to the few statements that matter.

Inputs: `profiles()` gives profile dicts (`id` p1, p2 …, and some of `first_name`, `tier`,
`country`, `points` — often 0 —, `consent` with some of email/sms/push, `blocked`);
`events(program, ids)` gives `journeylang.core.events.Event`s, mostly of the program's entry
events, over four days from `START`, several sometimes at one instant, not always in order,
now and then for an unknown profile, with `amount` (0 among its values) and `source` in their
data; `audiences(program, ids)` the members of "vip"; `behaviours(program)` and
`lifecycles(program)` the `[[behaviour]]` (calls that fail, sends that make the profile emit
an event — never one that starts a journey, so runs end) and `[[lifecycle]]` (publish, close,
stop) tables of a scenario. `cases()` draws them all as a `Case` (with a seed and, one time
in four, an `until`): `Case.write(directory)` writes `case.journey`, `datasources.json`,
`audiences.json` and `scenario.toml`, `Case.simulate_arguments(directory)` gives the keyword
arguments of `journeylang.run.simulate` (fresh copies of the inputs, which a run updates), and
`Case.describe()` the case as files, to read or to turn into a run case.

A longer search than the test suite's, from a script:

    @settings(max_examples=100_000, deadline=None)
    @given(cases())
    def search(case):
        with tempfile.TemporaryDirectory() as directory:
            case.write(directory)
            simulate(directory, **case.simulate_arguments(directory))

or the suite itself: `JOURNEY_FUZZ_EXAMPLES=5000 JOURNEY_FUZZ_RANDOM=1 pytest tests/fuzz`.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import pathlib
import re

from hypothesis import strategies as st

from journeylang.core.events import Event
from journeylang.core.instants import format_instant

START = 1772323200  # 2026-03-01T00:00:00Z, the start of every generated run
DAY = 86400
MAX_TIMEOUT = 91 * DAY
MAX_WAIT = 90 * DAY
MAX_STATEMENTS = 45  # the checker allows 50 per journey

EVENT_NAMES = ("signup", "purchase", "app_open", "unsubscribed")
CHANNELS = ("email", "sms", "push", "inapp", "whatsapp")
MESSAGES = ("welcome", "tip", "promo", "reminder")
ACTIONS = ("crm.sync", "crm.log", "loyalty.add")
ZONES = ("UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo")
AUDIENCES = {"gold members": 'profile.tier == "gold"',      # declared in the program
             "french": 'profile.country == "FR"',
             "everyone": "exists(profile.id)"}
DATA_AUDIENCE = "vip"  # given as data: a list of profile ids (Case.audiences)
SCHEDULES = ("once", "at", "every")  # of an audience read

# Durations as (seconds, text), shortest first.
DURATIONS = ((1800, "30m"), (3600, "1h"), (7200, "2h"), (6 * 3600, "6h"), (12 * 3600, "12h"),
             (DAY, "1d"), (DAY + 12 * 3600, "1d 12h"), (2 * DAY, "2d"), (3 * DAY, "3d"),
             (7 * DAY, "7d"), (30 * DAY, "30d"), (90 * DAY, "90d"))
TIMEOUTS = (None, (2 * 3600, "2h"), (6 * 3600, "6h"), (DAY, "1d"), (2 * DAY, "2d"),
            (3 * DAY, "3d"), (7 * DAY, "7d"), (30 * DAY, "30d"), (91 * DAY, "91d"))
SPLITS = ((50, 50), (20, 80), (100,), (34, 33, 33), (25, 25, 50))

PROFILE_SCHEMA = """profile {
    first_name: string
    tier: string
    country: string
    points: number
    consent: { email: bool, sms: bool, push: bool }
    blocked: bool
    scores: [number]
}"""

# What `let y = fetch "offers" …` finds: written as the workspace's datasources.json.
DATASOURCES = {"offers": [{"with": {"tier": "gold"}, "result": {"code": "G20", "active": True}},
                          {"with": {"tier": "silver"}, "result": {"code": "S10", "active": False}}]}


@dataclasses.dataclass(frozen=True)
class JourneyInfo:
    """What the generator knows of one journey it wrote."""

    name: str
    timeout: int              # seconds (91d when the journey sets none)
    entry_event: str | None   # the `on event` name, or None for `read audience`
    audience: str | None      # the audience read, or None for `on event`
    reentry: str              # "never", "always" or "after"
    versions: int = 1         # versions 1 … N, each with the same header


@dataclasses.dataclass(frozen=True)
class Program:
    """A generated `.journey` file and what it names."""

    source: str
    journeys: tuple[JourneyInfo, ...]
    event_names: tuple[str, ...]   # every event the program enters on, waits for or exits on
    actions: tuple[str, ...]
    channels: tuple[str, ...]
    has_schema: bool

    def journey(self, name: str) -> JourneyInfo:
        return next(info for info in self.journeys if info.name == name)

    @property
    def entry_events(self) -> frozenset[str]:
        return frozenset(info.entry_event for info in self.journeys if info.entry_event)

    @classmethod
    def written(cls, source: str, *journeys: JourneyInfo) -> "Program":
        """A program written by hand (a failure kept as an example, say), given what is known
        of its journeys; the events, actions and channels it names are read from the text."""
        def named(pattern: str) -> tuple[str, ...]:
            return tuple(sorted(set(re.findall(pattern, source))))

        return cls(source, journeys, named(r"\bevent (\w+)"), named(r'\bcall "([^"]+)"'),
                   named(r"\bsend (\w+)"), "profile {" in source)


@dataclasses.dataclass(frozen=True)
class _Scope:
    """What an expression at some point of a path may read, and how deep the nesting is."""

    event: bool                             # whether `event` is bound
    lets: tuple[tuple[str, str], ...] = ()  # (name, "number" | "text" | "offer")
    depth: int = 0
    forks: int = 0

    def bind(self, name: str, kind: str) -> "_Scope":
        return dataclasses.replace(self, lets=self.lets + ((name, kind),))

    def inner(self, *, event: bool | None = None, fork: bool = False) -> "_Scope":
        return dataclasses.replace(self, depth=self.depth + 1, forks=self.forks + fork,
                                   event=self.event if event is None else event)

    def named(self, kind: str) -> list[str]:
        return [name for name, bound in self.lets if bound == kind]


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


def _braced(head: str, lines: list[str]) -> list[str]:
    """`head {`, the lines indented, `}` (on one line when the block is empty)."""
    if not lines:
        return [f"{head} {{ }}".lstrip()]
    return [f"{head} {{".lstrip(), *_indent(lines), "}"]


# Strategies made once: a program draws hundreds of times, and making a strategy costs more
# than drawing from it.
_FLAG = st.booleans()
_QUARTER = st.integers(0, 3)
_one_of = functools.lru_cache(maxsize=None)(st.sampled_from)


@st.composite
def _span(draw, writer, function, *arguments):
    """writer's function(*arguments) as one strategy: its choices make one span, which
    hypothesis can drop or shrink as a whole (as it does a list's elements)."""
    outer, writer.draw = writer.draw, draw
    try:
        return function(*arguments)
    finally:
        writer.draw = outer


_STOP = object()


class _Writer:
    """Writes one program, drawing every choice from hypothesis."""

    def __init__(self, draw, schema: bool):
        self.draw = draw
        self.schema = schema
        self.events: set[str] = set()
        self.actions: set[str] = set()
        self.channels: set[str] = set()

    def choice(self, options):
        return self.draw(_one_of(tuple(options)))

    def flag(self) -> bool:
        return self.draw(_FLAG)

    def rarely(self) -> bool:
        """True one time in four (and false once shrunk)."""
        return self.draw(_QUARTER) == 3

    def often(self) -> bool:
        """True three times in four (and false once shrunk)."""
        return self.draw(_QUARTER) > 0

    # ---- expressions -------------------------------------------------------------------

    def number(self, scope: _Scope, depth: int = 0) -> str:
        kinds = ["literal", "points"]
        if scope.event:
            kinds.append("amount")
        if scope.named("number"):
            kinds.append("let")
        if depth < 2:
            kinds += ["add", "times", "divide", "modulo", "round"]
        kinds += ["coalesce"] if self.schema else ["coalesce", "missing"]
        kinds += ["first score", "sum of scores", "scores above"]
        kind = self.choice(kinds)
        if kind == "first score":
            return f"coalesce(profile.scores[{self.choice((0, -1, 5))}], 0)"
        if kind == "sum of scores":
            return "sum(profile.scores)"
        if kind == "scores above":
            return f"len([s for s in profile.scores where s > {self.choice((0, 2))}])"
        if kind == "literal":
            return str(self.choice((1, 0, 2, 10, 100)))
        if kind == "points":
            return "profile.points"
        if kind == "amount":
            return "event.amount"
        if kind == "let":
            return self.choice(scope.named("number"))
        if kind == "missing":
            return "profile.score"
        if kind == "coalesce":
            return "coalesce(profile.points, 0)"
        if kind == "round":
            return f"round({self.number(scope, depth + 1)})"
        left = self.number(scope, depth + 1)
        if kind in ("divide", "modulo"):
            right = self.choice(["profile.points", "event.amount"] if scope.event
                                else ["profile.points"]) if self.flag() else \
                self.number(scope, depth + 1)
        else:
            right = self.number(scope, depth + 1)
        operator = {"add": "+", "times": "*", "divide": "/", "modulo": "%"}[kind]
        text = f"{left} {operator} {right}"
        return f"({text})" if depth else text

    def text(self, scope: _Scope) -> str:
        kinds = ['"hello"', "profile.tier", "profile.country", '"Hi {profile.first_name}"',
                 "upper(profile.tier)", 'coalesce(profile.first_name, "friend")', "template",
                 'join([upper(part) for part in split(profile.tier, "l")], "-")',
                 'join(sort(unique([lower(coalesce(t, "")) '
                 'for t in [profile.tier, profile.country]])))']
        if scope.event:
            kinds.append("event.source")
        if scope.named("text"):
            kinds.append("let")
        if scope.named("offer"):
            kinds.append("offer")
        if not self.schema:
            kinds += ["profile.nickname", "upper(profile.points)"]
        kind = self.choice(kinds)
        if kind == "template":
            return f'"{{{self.number(scope, 1)}}} points"'
        if kind == "let":
            return self.choice(scope.named("text"))
        if kind == "offer":
            return self.choice(scope.named("offer")) + ".code"
        return kind

    def condition(self, scope: _Scope, depth: int = 0) -> str:
        kinds = ['profile.tier == "gold"', "compare", 'profile.country in ["FR", "DE"]',
                 "exists(profile.first_name)", "profile.consent.email == true",
                 "profile.blocked == true", "true"]
        if scope.event:
            kinds += ['event.source == "web"', "event.amount > 20"]
        if scope.named("offer"):
            kinds.append("offer")
        if depth < 2:
            kinds += ["not", "and", "or"]
        kinds += ["any([s > 5 for s in profile.scores])", "all([s > 0 for s in profile.scores])",
                  "profile.scores[-1] > 2"]
        if not self.schema:
            kinds += ["profile.tier > 3", 'lower(profile.points) == "x"']
        kind = self.choice(kinds)
        if kind == "compare":
            operator = self.choice((">", "<=", "==", "!="))
            return f"{self.number(scope, 1)} {operator} {self.choice((10, 0, 100))}"
        if kind == "offer":
            name = self.choice(scope.named("offer"))
            return f"{name} != null and {name}.active == true"
        if kind == "not":
            return f"not ({self.condition(scope, depth + 1)})"
        if kind in ("and", "or"):
            text = (f"{self.condition(scope, depth + 1)} {kind} "
                    f"{self.condition(scope, depth + 1)}")
            return f"({text})" if depth else text
        return kind

    def value(self, scope: _Scope) -> tuple[str, str]:
        """An expression for `let`: (text, "number" | "text")."""
        if self.flag():
            return self.text(scope), "text"
        return self.number(scope), "number"

    def risky(self, scope: _Scope) -> str:
        """An expression that fails at run time for some profiles or events."""
        kinds = ["100 / profile.points", "profile.points % profile.points"]
        if scope.event:
            kinds += ["profile.points / event.amount", "event.amount % profile.points"]
        kinds += ["first(sort([profile.tier, profile.country]))"]  # a missing one is null
        if not self.schema:
            kinds += ["upper(profile.points)", "profile.tier * 2", "profile.tier[0]",
                      "len([t for t in profile.tier])", "sort(profile.scores)[0]"]
        return self.choice(kinds)

    def several(self, make, most: int, going_on=None) -> list:
        """make(index) for one to `most` indexes: each after the first comes with its "go on?"
        choice (`going_on`, a coin by default) in one span, as a list's elements do, so that
        a shrink can drop any one of them and keep the others as they were."""
        results = [self.draw(_span(self, make, 0))]
        for index in range(1, most):
            result = self.draw(_span(self, self._one_more, make, index, going_on or self.flag))
            if result is _STOP:
                break
            results.append(result)
        return results

    def _one_more(self, make, index: int, going_on):
        return make(index) if going_on() else _STOP

    def record(self, scope: _Scope) -> str:
        def field(index: int) -> str:
            key = "abc"[index]
            if index == 0 and self.flag():
                return "id: profile.id"
            if self.rarely():
                return f"{key}: {self.risky(scope)}"
            return f"{key}: {self.value(scope)[0]}"

        return "{ " + ", ".join(self.several(field, 3)) + " }"

    def where(self, event: bool) -> str:
        if not self.flag():
            return ""
        scope = _Scope(event=event)
        return " where " + self.condition(scope, 1)

    def duration(self, budget: int) -> tuple[int, str] | None:
        fitting = [d for d in DURATIONS if d[0] <= min(budget, MAX_WAIT)]
        return self.choice(fitting) if fitting else None

    # ---- statements --------------------------------------------------------------------

    def block(self, scope: _Scope, budget: int, most: int = 4) -> tuple[list[str], int]:
        """A block's lines and the longest waiting any path through it does (seconds)."""
        lines: list[str] = []
        spent = 0
        # each statement comes with its "go on?" choice in one span, as a list's elements do,
        # so that a shrink can drop any one statement and keep the rest as they were
        for index in range(most):
            going_on = self.often if scope.depth == 0 or index == 0 else self.flag
            step = self.draw(_span(self, self._next_statement, going_on, scope, budget - spent))
            if step is _STOP:
                break
            statement, cost, scope, last = step
            lines += statement
            spent += cost
            if last:
                break
        return lines, spent

    def _next_statement(self, going_on, scope: _Scope, budget: int):
        if self.left <= 0 or not going_on():
            return _STOP
        return self.statement(scope, budget)

    def statement(self, scope: _Scope, budget: int):
        """(lines, longest waiting, scope after it, whether it must end its block)."""
        kinds = ["send", "call", "send", "let", "set", "call", "send"]
        if self.duration(budget) is not None:
            kinds += ["wait", "wait"]
        kinds += ["wait until", "wait for", "wait for"]
        if scope.depth < 3:
            kinds += ["if", "split", "fetch"]
            if scope.forks < 2 and self.left >= 3:
                kinds += ["fork", "fork", "fork"]
        if scope.depth > 0:
            kinds.append("exit")
        kind = self.choice(kinds)
        self.left -= 1
        name = kind.replace(" ", "_")
        return getattr(self, "_" + name)(scope, budget)

    def _send(self, scope, budget):
        channel = self.choice(CHANNELS)
        self.channels.add(channel)
        line = f'send {channel} "{self.choice(MESSAGES)}"'
        if self.flag():
            line += " with " + self.record(scope)
        return [line], 0, scope, False

    def _let(self, scope, budget):
        name = f"v{self.lets}"
        self.lets += 1
        text, kind = self.value(scope)
        return [f"let {name} = {text}"], 0, scope.bind(name, kind), False

    def _fetch(self, scope, budget):
        name = f"v{self.lets}"
        self.lets += 1
        line = f'let {name} = fetch "{self.choice(("offers", "scores"))}"'
        if self.flag():
            line += " with { tier: profile.tier }"
        return [line], 0, scope.bind(name, "offer"), False

    def _set(self, scope, budget):
        if self.flag():
            return [f"set profile.points = {self.number(scope)}"], 0, scope, False
        target, value = self.choice((("tier", '"gold"'), ("blocked", "true"),
                                     ("consent.sms", "false")))
        return [f"set profile.{target} = {value}"], 0, scope, False

    def _call(self, scope, budget):
        action = self.choice(ACTIONS)
        self.actions.add(action)
        line = f'call "{action}"'
        if self.flag():
            line += " with " + self.record(scope)
        if scope.depth < 3 and self.flag():
            body, cost = self.block(scope.inner(), budget, 2)
            return _braced(line + " on error", body), cost, scope, False
        return [line], 0, scope, False

    def _exit(self, scope, budget):
        return ["exit"], 0, scope, True

    def _wait(self, scope, budget):
        seconds, text = self.duration(budget)
        return [f"wait {text}"], seconds, scope, False

    def _wait_until(self, scope, budget):
        target = self.choice(("09:00", "2026-03-01T12:00", "2026-03-02T08:30:00Z", "now() + 1h",
                              "18:30", "2026-02-27T10:00Z"))
        return [f"wait until {target}"], 0, scope, False

    def _wait_for(self, scope, budget):
        event = self.choice(EVENT_NAMES)
        self.events.add(event)
        head = f"wait for event {event}" + self.where(True)
        within = self.duration(budget) if self.flag() else None
        cost = 0
        if within is not None:
            head += f" within {within[1]}"
            cost = within[0]
        left = budget - cost
        lines = [head]
        body_cost = timeout_cost = 0
        if scope.depth < 3 and self.flag():
            body, body_cost = self.block(scope.inner(event=True), left, 3)
            lines = _braced(head, body)
        if within is not None and scope.depth < 3 and self.flag():
            body, timeout_cost = self.block(scope.inner(), left, 3)
            last = lines.pop()
            lines += _braced(last + " on timeout", body)
        return lines, cost + max(body_cost, timeout_cost), scope, False

    def _if(self, scope, budget):
        def arm(index: int):
            return self.condition(scope), *self.block(scope.inner(), budget, 3)

        lines: list[str] = []
        cost = 0
        for index, (condition, body, spent) in enumerate(self.several(arm, 3)):
            cost = max(cost, spent)
            head = f"if {condition}" if index == 0 else f"{lines.pop()} else if {condition}"
            lines += _braced(head, body)
        if self.flag():
            body, spent = self.block(scope.inner(), budget, 3)
            cost = max(cost, spent)
            lines += _braced(lines.pop() + " else", body)
        return lines, cost, scope, False

    def _split(self, scope, budget):
        arms: list[str] = []
        cost = 0
        for percent in self.choice(SPLITS):
            body, spent = self.block(scope.inner(), budget, 3)
            cost = max(cost, spent)
            arms += _braced(f"{percent}%", body)
        return _braced("split", arms), cost, scope, False

    def _fork(self, scope, budget):
        def branch(index: int):
            name = f"b{self.branches}"
            self.branches += 1
            head = f"branch {name}"
            if self.flag():
                head += f" when {self.condition(scope)}"
            body, spent = self.block(scope.inner(fork=True), budget, 3)
            return name, _braced(head, body), spent

        made = self.several(branch, 3)
        names = [name for name, _, _ in made]
        cost = max(spent for _, _, spent in made)
        lines = _braced("fork", [line for _, lines, _ in made for line in lines])
        if self.left <= 0 or not self.often():
            return lines, cost, scope, True  # no join: the fork ends its block
        self.left -= 1
        joined = self.draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        join = "join " + ", ".join(joined)
        if self.flag():
            join += f" primary {self.choice(joined)}"
        return lines + [join], cost, scope, False

    # ---- journeys ----------------------------------------------------------------------

    def journey(self) -> "_Draft":
        """A journey, all but its name: one version, or now and then two."""
        header: list[str] = []
        reentry = self.choice(("never", "always", "after"))
        if reentry == "after":
            header.append(f"reentry after {self.choice(DURATIONS[:10])[1]}")
        elif reentry == "always" or self.flag():
            header.append(f"reentry {reentry}")
        timeout = self.choice(TIMEOUTS)
        if timeout is not None:
            header.append(f"timeout {timeout[1]}")
        if self.flag():
            header.append(f'timezone "{self.choice(ZONES)}"')
        if self.rarely():
            event = self.choice(EVENT_NAMES)
            self.events.add(event)
            header.append(f"exit on event {event}" + self.where(True))
        if self.rarely():
            header.append(f"exit when {self.condition(_Scope(event=False), 1)}")
        if self.rarely():
            header.append(f"holdout {self.choice((5, 10, 50))}%")
        audience = None
        entry_event = None
        if self.rarely():
            audience = self.choice((*AUDIENCES, DATA_AUDIENCE))
            entry = f'read audience "{audience}"'
            schedule = self.choice(SCHEDULES)
            if schedule == "at":
                entry += f" at {self.choice(('2026-03-01T06:00:00Z', '2026-03-02T09:00'))}"
            elif schedule == "every":
                entry += f" every {self.choice(('1d', '7d', '2d 12h'))}"
                if self.flag():
                    entry += " starting 2026-03-01T06:00:00Z"
        else:
            entry_event = self.choice(EVENT_NAMES)
            self.events.add(entry_event)
            entry = f"on event {entry_event}" + (self.where(True) if self.rarely() else "")
        header.append(entry)
        seconds = timeout[0] if timeout else MAX_TIMEOUT
        bodies = []
        for _ in range(2 if self.rarely() else 1):  # a version 2: the same header, another body
            self.left = self.draw(st.integers(1, MAX_STATEMENTS))
            self.lets = self.branches = 1
            bodies.append(self.block(_Scope(event=entry_event is not None), seconds, 8)[0])
        return _Draft(header, tuple(bodies), seconds, entry_event, audience, reentry,
                      frozenset(self.events), frozenset(self.actions), frozenset(self.channels))


@dataclasses.dataclass(frozen=True)
class _Draft:
    """A journey written but not yet named, with what it names."""

    header: list[str]
    bodies: tuple[list[str], ...]   # one per version
    timeout: int
    entry_event: str | None
    audience: str | None
    reentry: str
    events: frozenset[str]
    actions: frozenset[str]
    channels: frozenset[str]


@st.composite
def _drafts(draw, schema: bool) -> _Draft:
    return _Writer(draw, schema).journey()


@st.composite
def programs(draw, max_journeys: int = 3) -> Program:
    """A well-formed `.journey` file of one to `max_journeys` journeys (J1, J2 …)."""
    schema = draw(st.booleans())
    drafts = draw(st.lists(_drafts(schema), min_size=1, max_size=max_journeys))
    parts: list[str] = [PROFILE_SCHEMA] if schema else []
    audiences = dict.fromkeys(d.audience for d in drafts if d.audience is not None)
    parts += [f'audience "{name}" = {AUDIENCES[name]}' for name in audiences
              if name in AUDIENCES]
    journeys = []
    for number, draft in enumerate(drafts, start=1):
        name = f"J{number}"
        for version, body in enumerate(draft.bodies, start=1):
            head = f'journey "{name}"' + (f" version {version}" if len(draft.bodies) > 1 else "")
            parts.append("\n".join(_braced(head, draft.header + body)))
        journeys.append(JourneyInfo(name, draft.timeout, draft.entry_event, draft.audience,
                                    draft.reentry, len(draft.bodies)))

    def named(what: str) -> tuple[str, ...]:
        return tuple(sorted(set().union(*(getattr(draft, what) for draft in drafts))))

    return Program("\n\n".join(parts) + "\n", tuple(journeys), named("events"),
                   named("actions"), named("channels"), schema)


# ---- inputs ----------------------------------------------------------------------------

_MISSING = object()


def _maybe(strategy):
    """A value, or a missing field (the marker `_MISSING`)."""
    return st.one_of(strategy, st.just(_MISSING))


_PROFILE_FIELDS = {
    "first_name": _maybe(st.sampled_from(("Ann", "Bo"))),
    "tier": _maybe(st.sampled_from(("gold", "silver", "bronze"))),
    "country": _maybe(st.sampled_from(("FR", "DE", "US"))),
    "points": _maybe(st.sampled_from((10, 0, 0, 1, 250))),
    "consent": _maybe(st.dictionaries(st.sampled_from(("email", "sms", "push")), st.booleans(),
                                      max_size=3)),
    "blocked": _maybe(st.booleans()),
    "scores": _maybe(st.lists(st.sampled_from((0, 1, 3, 7)), max_size=3)),
}


_PROFILE = st.fixed_dictionaries(_PROFILE_FIELDS)


@st.composite
def profiles(draw, most: int = 4) -> list[dict]:
    """Profiles p1, p2 …: some fields missing, points often 0, consent partial."""
    drawn = draw(st.lists(_PROFILE, min_size=1, max_size=most))
    return [{"id": f"p{number}", **{key: value for key, value in fields.items()
                                   if value is not _MISSING}}
            for number, fields in enumerate(drawn, start=1)]


OFFSETS = (0, 60, 3600, 9 * 3600, DAY, DAY + 1800, 2 * DAY, 3 * DAY + 7200)
_OFFSET = st.one_of(st.sampled_from(OFFSETS), st.integers(0, 4 * DAY))
_AMOUNT = _maybe(st.sampled_from((30, 0, 5, 120)))
_SOURCE = _maybe(st.sampled_from(("web", "app")))


@st.composite
def _event(draw, names: tuple[str, ...], entries: tuple[str, ...], ids: tuple[str, ...]):
    """An event, its time as an offset from START or None for "at the previous one's"."""
    offset = None if draw(_QUARTER) == 3 else draw(_OFFSET)
    profile = "ghost" if draw(_QUARTER) == 3 and draw(_FLAG) else draw(_one_of(ids))
    data = {}
    amount = draw(_AMOUNT)
    if amount is not _MISSING:
        data["amount"] = amount
    source = draw(_SOURCE)
    if source is not _MISSING:
        data["source"] = source
    # mostly events that start a journey, so that there is something to follow
    name = draw(_one_of(entries)) if entries and draw(_QUARTER) else draw(_one_of(names))
    return offset, profile, name, data


@st.composite
def events(draw, program: Program, profile_ids, most: int = 8) -> list[Event]:
    """Events of the program's names for these profiles (now and then an unknown one), over
    the first days from START, some at one instant, not always in time order."""
    entries = tuple(sorted(program.entry_events))
    drawn = draw(st.lists(_event(program.event_names or EVENT_NAMES, entries,
                                 tuple(profile_ids)),
                          min_size=1 if entries else 0, max_size=most))
    result: list[Event] = []
    for offset, profile, name, data in drawn:
        if offset is None:  # several at one instant
            time = result[-1].time if result else START
        else:
            time = START + offset
        result.append(Event(time, profile, name, data))
    if draw(_FLAG):
        result.sort(key=lambda event: event.time)
    return result


@st.composite
def behaviours(draw, program: Program) -> str:
    """A scenario's `[[behaviour]]` tables (failing calls, reactions to sends), maybe none.
    Reactions never emit an event that starts a journey, so every run ends."""
    tables = []
    for action in program.actions:
        if draw(_QUARTER):
            tables.append(f'[[behaviour]]\ncall = "{action}"\n'
                          f"fail = {draw(_one_of((1.0, 0.5)))}\n")
    reactions = tuple(sorted(set(program.event_names) - program.entry_events))
    for channel in program.channels:
        if reactions and draw(_FLAG):
            tables.append(f'[[behaviour]]\nafter = "send {channel}"\n'
                          f'emit = "{draw(_one_of(reactions))}"\n'
                          f"probability = {draw(_one_of((1.0, 0.5)))}\n"
                          f'delay = "{draw(_one_of(("0s", "1h", "30m..1d")))}"\n')
    return "\n".join(tables)


_STEP_DELAY = st.sampled_from((0, 3600, 9 * 3600, DAY, 2 * DAY))


@st.composite
def lifecycles(draw, program: Program) -> str:
    """A scenario's `[[lifecycle]]` tables, for some journeys, maybe none: version 1
    published (at the start or later), then maybe version 2 published, then maybe a version
    closed or stopped."""
    tables = []
    for journey in program.journeys:
        if draw(_QUARTER) != 3:
            continue
        at = START + draw(_STEP_DELAY)
        steps = [("publish", 1, at)]
        if journey.versions > 1 and draw(_QUARTER):
            at += draw(_STEP_DELAY)
            steps.append(("publish", 2, at))
        if draw(_FLAG):
            at += draw(_STEP_DELAY)
            steps.append((draw(_one_of(("stop", "close"))),
                          draw(st.integers(1, journey.versions)), at))
        tables += [f'[[lifecycle]]\nat = {format_instant(moment)}\n{action} = "{journey.name}"\n'
                   f"version = {version}\n" for action, version, moment in steps]
    return "\n".join(tables)


@st.composite
def audiences(draw, program: Program, profile_ids) -> dict[str, list[str]]:
    """The data audience the program reads, if it reads one: some of the profiles (in any
    order) and now and then an unknown id."""
    if not any(journey.audience == DATA_AUDIENCE for journey in program.journeys):
        return {}
    members = draw(st.lists(st.sampled_from([*profile_ids, "ghost"]), unique=True))
    return {DATA_AUDIENCE: members}


_UNTIL = st.sampled_from((START + DAY, START + 3 * DAY, START + 10 * DAY))


@dataclasses.dataclass
class Case:
    """A program with the inputs of one run."""

    program: Program
    profiles: list[dict]
    events: list[Event]
    audiences: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    scenario: str = ""          # TOML: behaviours and lifecycle steps, maybe empty
    seed: int = 0
    until: int | None = None

    def write(self, directory) -> pathlib.Path:
        """Write the program, its data sources, audiences and scenario into `directory`."""
        directory = pathlib.Path(directory)
        (directory / "case.journey").write_text(self.program.source, encoding="utf-8")
        (directory / "datasources.json").write_text(json.dumps(DATASOURCES), encoding="utf-8")
        if self.audiences:
            (directory / "audiences.json").write_text(json.dumps(self.audiences),
                                                       encoding="utf-8")
        if self.scenario:
            (directory / "scenario.toml").write_text(self.scenario, encoding="utf-8")
        return directory

    def simulate_arguments(self, directory) -> dict:
        """Keyword arguments of `journeylang.run.simulate` for this case written in
        `directory`: fresh copies of the inputs each time, as a run updates its profiles."""
        arguments = {"profiles": copy.deepcopy(self.profiles),
                     "events": [Event(e.time, e.profile, e.name, copy.deepcopy(e.data))
                                for e in self.events],
                     "start": START, "seed": self.seed}
        if self.scenario:
            arguments["scenario"] = str(pathlib.Path(directory) / "scenario.toml")
        if self.until is not None:
            arguments["until"] = self.until
        return arguments

    def describe(self) -> str:
        """The case as a person reads it: the program, then its inputs as JSON Lines."""
        parts = ["# case.journey", self.program.source.rstrip("\n"), "# profiles.jsonl"]
        parts += [json.dumps(profile) for profile in self.profiles]
        parts.append("# events.jsonl")
        parts += [json.dumps({"time": format_instant(e.time), "profile": e.profile,
                              "event": e.name, "data": e.data}) for e in self.events]
        if self.audiences:
            parts += ["# audiences.json", json.dumps(self.audiences)]
        if self.scenario:
            parts += ["# scenario.toml", self.scenario.rstrip("\n")]
        ending = f", until {format_instant(self.until)}" if self.until is not None else ""
        parts.append(f"# start {format_instant(START)}{ending}, seed {self.seed}")
        return "\n".join(parts)

    def __repr__(self) -> str:
        return "Case(\n" + self.describe() + "\n)"

    def _repr_pretty_(self, printer, cycle) -> None:  # how hypothesis shows a falsifying case
        printer.text(repr(self))


@st.composite
def cases(draw, scenarios: bool = True, ends: bool = True) -> Case:
    """A program with profiles, events and audiences for it; with `scenarios`, sometimes
    behaviours and lifecycle steps; with `ends`, now and then an `until`."""
    program = draw(programs())
    people = draw(profiles())
    ids = [person["id"] for person in people]
    happening = draw(events(program, ids))
    members = draw(audiences(program, ids))
    scenario = ""
    if scenarios:
        scenario = "\n".join(part for part in (draw(behaviours(program)),
                                               draw(lifecycles(program))) if part)
    seed = draw(_one_of((0, 1, 7)))
    until = draw(_UNTIL) if ends and draw(_QUARTER) == 3 else None
    return Case(program, people, happening, members, scenario, seed, until)
