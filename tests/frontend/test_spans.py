"""Every construct's node carries the span of exactly its own text; equality ignores spans."""

from __future__ import annotations

import datetime

import lark
import pytest

from journeylang import nodes as n
from journeylang import parse

PROGRAM = '''\
profile { tier: string, consent: { email: bool } }
event purchase { amount: number }
audience "gold members" = profile.tier == "gold"
journey "Spans" version 3 {
    reentry after 30d
    timeout 60d
    timezone "Europe/Paris"
    exit on event unsubscribed where event.reason != "moved"
    exit when profile.blocked == true
    holdout 5%
    on event signup where event.source == "web"
    send email "welcome" with { name: "Hi {profile.first_name}" }
    call "crm.sync" with { id: profile.id } on error { exit }
    if profile.tier == "gold" { send sms "gold" } else if profile.tier == "silver" { send push "silver" } else { send inapp "other" }
    split { 30% { send whatsapp "a" } 70% { send email "b" } }
    wait 1d 12h
    wait until 09:30
    wait for event purchase where event.amount > 50 within 7d { send email "thanks" } on timeout { send email "nudge" }
    fork { branch tips { send sms "tip" } branch promo when profile.country in ["FR", "BE"] { send push "promo" } }
    join tips, promo primary tips
    let offer = fetch "offers" with { tier: profile.tier }
    let days = days_between(profile.birthday, today()) - -1 * 2
    set profile.points = profile.points + 10
    exit
}
journey "Batch" { read audience "gold members" every 1d starting 2026-03-01T08:00:00+01:00 }
journey "Once" { read audience "gold members" at 2026-03-01T08:00Z }
'''


@pytest.fixture(scope="module")
def program():
    return parse(PROGRAM, "spans.journey")


def covered(node) -> str:
    return PROGRAM[node.span.start:node.span.end]


def first(program, kind, predicate=lambda node: True):
    return next(node for node in program.walk() if isinstance(node, kind) and predicate(node))


CONSTRUCTS = [
    (n.ProfileSchema, 'profile { tier: string, consent: { email: bool } }'),
    (n.EventSchema, 'event purchase { amount: number }'),
    (n.AudienceDecl, 'audience "gold members" = profile.tier == "gold"'),
    (n.Reentry, "reentry after 30d"),
    (n.Timeout, "timeout 60d"),
    (n.Timezone, 'timezone "Europe/Paris"'),
    (n.ExitOnEvent, 'exit on event unsubscribed where event.reason != "moved"'),
    (n.ExitWhen, "exit when profile.blocked == true"),
    (n.Holdout, "holdout 5%"),
    (n.EventEntry, 'on event signup where event.source == "web"'),
    (n.Send, 'send email "welcome" with { name: "Hi {profile.first_name}" }'),
    (n.Template, '"Hi {profile.first_name}"'),
    (n.CallAction, 'call "crm.sync" with { id: profile.id } on error { exit }'),
    (n.Split, 'split { 30% { send whatsapp "a" } 70% { send email "b" } }'),
    (n.SplitArm, '30% { send whatsapp "a" }'),
    (n.Wait, "wait 1d 12h"),
    (n.WaitUntil, "wait until 09:30"),
    (n.WaitForEvent, 'wait for event purchase where event.amount > 50 within 7d '
                     '{ send email "thanks" } on timeout { send email "nudge" }'),
    (n.Branch, 'branch tips { send sms "tip" }'),
    (n.Join, "join tips, promo primary tips"),
    (n.Fetch, 'fetch "offers" with { tier: profile.tier }'),
    (n.SetProfile, "set profile.points = profile.points + 10"),
    (n.ListExpr, '["FR", "BE"]'),
    (n.RecordExpr, '{ name: "Hi {profile.first_name}" }'),
    (n.FunctionCall, "days_between(profile.birthday, today())"),
    (n.AudienceEntry, 'read audience "gold members" every 1d starting 2026-03-01T08:00:00+01:00'),
]


@pytest.mark.parametrize("kind, text", CONSTRUCTS, ids=[kind.__name__ for kind, _ in CONSTRUCTS])
def test_span_covers_the_construct(program, kind, text):
    node = first(program, kind)
    assert covered(node) == text
    line = PROGRAM.count("\n", 0, node.span.start) + 1
    assert node.span.line == line
    assert node.span.column == node.span.start - PROGRAM.rfind("\n", 0, node.span.start)
    assert node.span.file == "spans.journey"


def test_if_and_its_arms(program):
    statement = first(program, n.If)
    assert covered(statement).startswith('if profile.tier == "gold" { send sms "gold" } else if')
    assert covered(statement.arms[1]) == 'else if profile.tier == "silver" { send push "silver" }'
    assert covered(statement.arms[0].condition) == 'profile.tier == "gold"'
    assert [s.channel for s in statement.orelse] == ["inapp"]


def test_names_carry_their_own_spans(program):
    join = first(program, n.Join)
    assert [covered(name) for name in join.branches] == ["tips", "promo"]
    assert covered(join.primary) == "tips"
    call = first(program, n.CallAction)
    assert covered(call.action) == '"crm.sync"' and call.action.name == "crm.sync"


def test_interpolated_expression_is_located_inside_the_string(program):
    template = first(program, n.Template)
    path = template.parts[1]
    assert isinstance(path, n.Path) and covered(path) == "profile.first_name"


def test_exit_statement_and_line_numbers(program):
    exits = [node for node in program.walk() if isinstance(node, n.Exit)]
    assert [PROGRAM.splitlines()[e.span.line - 1].strip() for e in exits] == [
        'call "crm.sync" with { id: profile.id } on error { exit }', "exit"]


def test_literal_values(program):
    values = {type(node.value) for node in program.walk() if isinstance(node, n.Literal)}
    assert {int, str, bool, datetime.time, datetime.datetime} <= values
    wait = first(program, n.Wait)
    assert wait.duration == datetime.timedelta(days=1, hours=12)
    starting = first(program, n.AudienceEntry).starting.value
    assert starting.utcoffset() == datetime.timedelta(hours=1)
    at = first(program, n.AudienceEntry, lambda e: e.at is not None).at.value
    assert at == datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.timezone.utc)


def test_journey_defaults_and_header(program):
    spans, batch, once = program.journeys
    assert (spans.name, spans.version) == ("Spans", 3)
    assert batch.version == 1
    assert isinstance(spans.entry, n.EventEntry) and spans.entry.event.name == "signup"
    assert spans.property(n.Reentry) == n.Reentry("after", datetime.timedelta(days=30))
    assert len(spans.properties) == 6


def test_equality_ignores_spans():
    a = parse('journey "A" { on event x send email "m" }', "a.journey")
    b = parse('# a comment\njourney "A" {\n    on event x\n    send email "m"\n}\n', "b.journey")
    assert a == b
    assert a.journeys[0].body[0].span != b.journeys[0].body[0].span
    assert repr(a) == repr(b)


def test_no_lark_object_leaves_the_builder(program):
    def values(node):
        for field in node.__attrs_attrs__:
            value = getattr(node, field.name)
            yield from value if isinstance(value, tuple) else (value,)

    for node in program.walk():
        for value in values(node):
            assert not isinstance(value, (lark.Tree, lark.Token)), (type(node), value)
            if isinstance(value, str):
                assert type(value) is str


def test_keywords_after_a_dot_and_as_record_keys_are_names():
    program = parse('journey "K" { on event x send email "m" with { event: event.wait, in: 1 } }')
    record = program.journeys[0].body[0].data
    assert [f.key for f in record.fields] == ["event", "in"]
    assert record.fields[0].value == n.Path("event", ("wait",))


def test_keywords_do_not_split_names():
    program = parse('journey "K" { on event x let waiting = emails + inapps }')
    let = program.journeys[0].body[0]
    assert let.name.name == "waiting"
    assert let.value == n.Binary("+", n.Path("emails"), n.Path("inapps"))


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", n.Binary("+", n.Literal(1), n.Binary("*", n.Literal(2), n.Literal(3)))),
    ("not a and b", n.Binary("and", n.Unary("not", n.Path("a")), n.Path("b"))),
    ("a or b and c", n.Binary("or", n.Path("a"), n.Binary("and", n.Path("b"), n.Path("c")))),
    ("a - b - c", n.Binary("-", n.Binary("-", n.Path("a"), n.Path("b")), n.Path("c"))),
    ("x not in [1]", n.Binary("not in", n.Path("x"), n.ListExpr((n.Literal(1),)))),
    ("(a + b) % 2 == 0", n.Binary("==", n.Binary("%", n.Binary("+", n.Path("a"), n.Path("b")),
                                                   n.Literal(2)), n.Literal(0))),
    ('"a\\n\\"b\\{c\\}"', n.Literal('a\n"b{c}')),
    ("null", n.Literal(None)),
    ("2026-03-01", n.Literal(datetime.date(2026, 3, 1))),
    ("90s", n.Literal(datetime.timedelta(seconds=90))),
    ("1w 2d", n.Literal(datetime.timedelta(days=9))),
    ("2.5", n.Literal(2.5)),
])
def test_expression_shapes(text, expected):
    program = parse(f'journey "E" {{ on event x let v = {text} }}')
    assert program.journeys[0].body[0].value == expected
