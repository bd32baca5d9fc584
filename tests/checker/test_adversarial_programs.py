"""Whatever a workspace holds, checking it gives diagnostics: never an exception, however deep.

The programs are generated from the grammar, well formed, and adversarial for the checker:
blocks and expressions nested up to the limits and past them (J110), long flat chains of
operators, every expression form in every position where an expression goes, records and lists
everywhere (in operators, as function arguments, in conditions, in `set`, beside schemas whose
attributes are records), indexing and comprehensions of all of these, unknown names, functions and attributes, wrong types and argument
counts, `let`s that rebind themselves or name a long chain of others, schemas nested deep,
several files and versions, and a lock file recording the journeys (so that their fingerprints
are taken). Set JOURNEY_FUZZ_EXAMPLES (150 by default) to try more."""

from __future__ import annotations

import json
import os
import pathlib
import tempfile

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from journeylang.checker import check_workspace
from journeylang.core.functions import FUNCTIONS as LIBRARY
from journeylang.diagnostics import Diagnostic, render_all
from journeylang.parser import MAX_BLOCK_DEPTH, MAX_EXPRESSION_DEPTH
from journeylang.workspace import load

LETS = ("x", "offer", "total", "tier")
UNKNOWN = ("nope", "offr", "totl")
ATTRIBUTES = ("tier", "consent", "email", "points", "first_name", "tags", "address", "city",
              "wait", "event")
FUNCTIONS = (*sorted(LIBRARY), "nosuch")  # every function of the library, and an unknown one
EVENTS = ("signup", "purchase", "unsubscribed", "undeclared")
#: Depths at each limit and around it, and far past it.
EXPRESSION_DEPTHS = (MAX_EXPRESSION_DEPTH - 1, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_DEPTH + 1,
                     MAX_EXPRESSION_DEPTH + 2, 3 * MAX_EXPRESSION_DEPTH, 1500)
BLOCK_DEPTHS = (MAX_BLOCK_DEPTH - 1, MAX_BLOCK_DEPTH, MAX_BLOCK_DEPTH + 1, 3 * MAX_BLOCK_DEPTH,
                600)
ROOT = pathlib.Path(tempfile.mkdtemp(prefix="journeylang-adversarial-"))


def optional(strategy: st.SearchStrategy[str], template: str) -> st.SearchStrategy[str]:
    """Nothing, or the drawn text put in `template` (where `{}` stands)."""
    return st.one_of(st.just(""), strategy.map(template.format))


def record(fields: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields) + "}"


# ---- expressions ------------------------------------------------------------------------


def _path(root: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(ATTRIBUTES), max_size=3).map(
        lambda names: ".".join((root, *names)))


#: Leaves with no quote and no brace: they may go inside an interpolation.
PLAIN_LEAVES = st.one_of(
    st.sampled_from(["0", "1", "2.5", "100", "9" * 30, "0.000001", "1d", "0s", "12h", "1w 2d",
                     "2026-03-01", "2026-03-01T09:00Z", "2026-03-01T09:00", "09:00", "true",
                     "false", "null"]),
    st.sampled_from(["profile", "event", *LETS, *UNKNOWN]).flatmap(_path),
)
STRINGS = st.sampled_from(['"a"', '""', '"gold"', '"Hi {profile.first_name}"', '"{x}"',
                           '"\\{not an interpolation\\}"'])
BINARY = ("or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/", "%")
#: Operators of one precedence, which chain without parentheses.
CHAINS = (("or",), ("and",), ("+", "-"), ("*", "/", "%"))


def _composites(inner, plain: bool):
    """Every form an expression takes, around `inner` ones; `plain` ones have no quote and no
    brace, to go inside an interpolation."""
    forms = [
        st.tuples(inner, st.sampled_from(BINARY), inner).map("({0[0]}) {0[1]} ({0[2]})".format),
        inner.map("not ({})".format),
        inner.map("-({})".format),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(inner, max_size=4)).map(
            lambda call: f"{call[0]}({', '.join(call[1])})"),
        st.lists(inner, max_size=4).map(lambda items: f"[{', '.join(items)}]"),
        st.tuples(inner, inner).map("({0[0]})[{0[1]}]".format),
        st.tuples(inner, st.sampled_from(ATTRIBUTES)).map("first({0[0]}).{0[1]}".format),
        st.tuples(inner, st.sampled_from(("x", "p")), inner, inner).map(
            "[{0[0]} for {0[1]} in {0[2]} where {0[3]}]".format),
    ]
    if not plain:
        keys = st.sampled_from((*ATTRIBUTES, '"two words"'))
        forms += [st.lists(st.tuples(keys, inner), max_size=4).map(record),
                  PLAIN.map('"before {{{}}} after"'.format)]
    return st.one_of(forms)


PLAIN = st.recursive(PLAIN_LEAVES, lambda inner: _composites(inner, plain=True), max_leaves=8)
SHALLOW = st.recursive(st.one_of(PLAIN_LEAVES, STRINGS),
                       lambda inner: _composites(inner, plain=False), max_leaves=12)
WRAPPERS = {"not": "not %s", "negation": "-%s", "list": "[%s]", "record": "{a: %s}",
            "call": "coalesce(%s, null)", "parentheses": "(%s)", "index": "[%s][0]",
            "comprehension": "[x for x in %s]"}
#: Every wrapper at once; `-` takes parentheses there, for `-not x` is not an expression.
MIXED = [wrapper for name, wrapper in WRAPPERS.items() if name != "negation"] + ["-(%s)"]


@st.composite
def deep(draw):
    """An expression wrapped in one form, up to MAX_EXPRESSION_DEPTH levels and past it."""
    depth = draw(st.one_of(st.integers(1, MAX_EXPRESSION_DEPTH),
                           st.sampled_from(EXPRESSION_DEPTHS)))
    inner = draw(SHALLOW)
    form = draw(st.sampled_from([*WRAPPERS, "chain", "interpolation", "mixed"]))
    if form == "chain":
        operators = draw(st.sampled_from(CHAINS))
        terms = draw(st.lists(st.one_of(PLAIN_LEAVES, SHALLOW.map("({})".format)),
                              min_size=1, max_size=4))
        return f"({inner})" + "".join(
            f" {operators[index % len(operators)]} {terms[index % len(terms)]}"
            for index in range(depth))
    if form == "interpolation":
        return '"{' + "[" * depth + draw(PLAIN) + "]" * depth + '}"'
    wrappers = MIXED if form == "mixed" else [WRAPPERS[form]]
    text = inner if form == "parentheses" else f"({inner})"
    for index in range(depth):
        text = wrappers[index % len(wrappers)] % text
    return text


EXPRESSIONS = st.one_of(SHALLOW, SHALLOW, deep())  # one expression in three deep
RECORDS = st.lists(st.tuples(st.sampled_from(ATTRIBUTES), EXPRESSIONS), max_size=3).map(record)
WHERE = optional(EXPRESSIONS, " where {}")

# ---- statements -------------------------------------------------------------------------


def _block(statements: list[str]) -> str:
    return "{\n" + "\n".join(statements) + "\n}"


def _statements(block):
    """Every statement of the language, its blocks drawn from `block`."""
    data = optional(RECORDS, " with {}")
    channels = st.sampled_from(["email", "sms", "push", "inapp", "whatsapp"])
    arms = st.lists(st.tuples(EXPRESSIONS, block), max_size=2)
    branches = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]),
                                  optional(EXPRESSIONS, " when {}"), block), max_size=3)
    joins = st.sampled_from(["", "join a, b", "join a, b primary a", "join a primary c", "join z"])
    values = st.one_of(EXPRESSIONS, st.just('fetch "offers"'),
                       RECORDS.map('fetch "offers" with {}'.format))
    return st.one_of(
        st.tuples(channels, data).map("send {0[0]} \"welcome\"{0[1]}".format),
        st.tuples(data, optional(block, " on error {}")).map(
            "call \"crm.sync\"{0[0]}{0[1]}".format),
        st.tuples(EXPRESSIONS, block, arms, optional(block, " else {}")).map(
            lambda t: f"if {t[0]} {t[1]}" + "".join(f" else if {c} {b}" for c, b in t[2]) + t[3]),
        st.lists(st.tuples(st.sampled_from(["50", "25", "0", "100", "33.5"]), block),
                 max_size=3).map(lambda t: _block([f"{percent}% {body}" for percent, body in t])
                                 ).map("split {}".format),
        st.sampled_from(["wait 1d", "wait 0s", "wait 100d", "wait 1w 2d"]),
        EXPRESSIONS.map("wait until {}".format),
        st.tuples(st.sampled_from(EVENTS), WHERE, st.sampled_from(["", " within 7d",
                                                                  " within 200d"]),
                  optional(block, " {}"), optional(block, " on timeout {}")).map(
            "wait for event {0[0]}{0[1]}{0[2]}{0[3]}{0[4]}".format),
        st.tuples(branches, joins).map(lambda t: "fork " + _block(
            [f"branch {name}{when} {body}" for name, when, body in t[0]]) + "\n" + t[1]),
        st.tuples(st.sampled_from((*LETS, *UNKNOWN)), values).map("let {0[0]} = {0[1]}".format),
        st.tuples(st.lists(st.sampled_from(ATTRIBUTES), min_size=1, max_size=3), EXPRESSIONS).map(
            lambda t: f"set profile.{'.'.join(t[0])} = {t[1]}"),
        st.just("exit"),
    )


BLOCKS = st.deferred(lambda: st.lists(STATEMENTS, max_size=3).map(_block))
STATEMENTS = _statements(BLOCKS)
#: Each way to open a block: its first line and its last.
OPENINGS = {
    "if": ("if profile.points > 1 {", "}"), "else": ("if false {} else {", "}"),
    "split": ("split { 100% {", "} }"), "fork": ("fork { branch a {", "} }"),
    "wait": ("wait for event purchase within 1d {", "}"),
    "timeout": ("wait for event purchase within 1d on timeout {", "}"),
    "error": ('call "crm.sync" on error {', "}"),
}


@st.composite
def deep_blocks(draw):
    """Statements nested in one kind of block, up to MAX_BLOCK_DEPTH and past it."""
    depth = draw(st.one_of(st.integers(1, MAX_BLOCK_DEPTH), st.sampled_from(BLOCK_DEPTHS)))
    opening, closing = OPENINGS[draw(st.sampled_from(sorted(OPENINGS)))]
    inner = draw(st.lists(STATEMENTS, min_size=1, max_size=2))
    return "\n".join([opening] * depth + inner + [closing] * depth)


@st.composite
def let_chains(draw):
    """`let`s each naming the one before (inside records, doubled, in lists, as attributes),
    and a `let` rebinding its name from its own earlier value."""
    length = draw(st.sampled_from([2, 30, 300]))
    step = draw(st.sampled_from(["{a: %s}", "%s + %s", "[%s]", "coalesce(%s, %s)", "%s.a"]))
    lines = [f"let v0 = {draw(SHALLOW)}"]
    lines += [f"let v{index} = " + step.replace("%s", f"v{index - 1}")
              for index in range(1, length)]
    lines += [f"let x = {draw(SHALLOW)}", "let x = x + x", f"if v{length - 1} > x {{ exit }}"]
    return "\n".join(lines)


BODIES = st.lists(st.one_of(STATEMENTS, deep_blocks(), let_chains()), max_size=4)

# ---- headers, declarations, files ------------------------------------------------------

HEADER = st.one_of(
    st.sampled_from(["reentry never", "reentry always", "reentry after 1d", "reentry after 100d",
                     "timeout 30d", "timeout 200d", 'timezone "Europe/Paris"',
                     'timezone "Nowhere/X"', 'timezone "Europe"', "holdout 5%", "holdout 100%"]),
    st.tuples(st.sampled_from(EVENTS), WHERE).map("exit on event {0[0]}{0[1]}".format),
    EXPRESSIONS.map("exit when {}".format),
)
SCHEDULES = st.one_of(st.just(""), st.just(" every 1d"), EXPRESSIONS.map(" at {}".format),
                      EXPRESSIONS.map(" every 1d starting {}".format))
ENTRY = st.one_of(
    st.tuples(st.sampled_from(EVENTS), WHERE).map("on event {0[0]}{0[1]}".format),
    st.tuples(st.sampled_from(["vip", "unknown"]), SCHEDULES).map(
        "read audience \"{0[0]}\"{0[1]}".format),
)
VERSIONS = st.sampled_from(["", " version 1", " version 2"])
JOURNEYS = st.tuples(st.sampled_from(["A", "B"]), VERSIONS,
                     st.lists(st.one_of(HEADER, ENTRY), max_size=4), BODIES).map(
    lambda t: f'journey "{t[0]}"{t[1]} ' + _block(t[2] + t[3]))

TYPE_NAMES = st.sampled_from(["string", "number", "bool", "date", "datetime", "time", "duration",
                              "any", "int", "[string]", "[[number]]"])
SCHEMA_TYPES = st.recursive(TYPE_NAMES, lambda inner: st.one_of(
    inner.map("[{}]".format),
    st.lists(st.tuples(st.sampled_from(ATTRIBUTES), inner), max_size=3).map(record)),
    max_leaves=6)


@st.composite
def deep_type(draw):
    """A record or list type nested around MAX_EXPRESSION_DEPTH and past it."""
    wrapper = draw(st.sampled_from(["{ a: %s }", "[%s]"]))
    text = draw(TYPE_NAMES)
    depth = draw(st.one_of(st.integers(1, MAX_EXPRESSION_DEPTH),
                           st.sampled_from(EXPRESSION_DEPTHS)))
    for _ in range(depth - 1):
        text = wrapper % text
    return text


FIELDS = st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.one_of(SCHEMA_TYPES, deep_type())),
                  max_size=4)
SCHEMAS = st.one_of(
    FIELDS.map(lambda fields: f"profile {record(fields)}"),
    st.tuples(st.sampled_from(EVENTS), FIELDS).map(lambda t: f"event {t[0]} {record(t[1])}"),
    EXPRESSIONS.map('audience "vip" = {}'.format),
)
FILES = st.lists(st.lists(st.one_of(SCHEMAS, JOURNEYS), min_size=1, max_size=3).map("\n".join),
                 min_size=1, max_size=3)
LOCK = {"lockfile": 1, "journeys": {name: {"versions": {"1": {
    "status": "live", "published": "2026-01-01T00:00:00Z", "fingerprint": "sha256:0"}}}
    for name in ("A", "B")}}


def write_workspace(directory: pathlib.Path, files: list[str], nested: bool, lock: bool,
                    audiences: bool) -> None:
    """The files (all but the first one in a subdirectory when `nested`, so that its schemas
    govern them), a lock file recording journeys A and B, an `audiences.json`."""
    for index, text in enumerate(files):
        path = directory / ("sub" if nested and index else "") / f"f{index}.journey"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if lock:
        (directory / "journeys.lock").write_text(json.dumps(LOCK), encoding="utf-8")
    if audiences:
        (directory / "audiences.json").write_text('{"vip": ["p1"]}', encoding="utf-8")


@settings(max_examples=int(os.environ.get("JOURNEY_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(FILES, st.booleans(), st.booleans(), st.booleans())
def test_checking_adversarial_workspaces_gives_diagnostics(files, nested, lock, audiences):
    directory = pathlib.Path(tempfile.mkdtemp(dir=ROOT))
    write_workspace(directory, files, nested, lock, audiences)
    workspace = load([directory])
    diagnostics = check_workspace(workspace)
    assert all(isinstance(diagnostic, Diagnostic) for diagnostic in diagnostics)
    assert render_all(diagnostics, workspace.sources) is not None
    # The programs are well formed: the only syntax-level problem they may have is their depth.
    unexpected = [d for d in workspace.syntax_errors if d.code != "J110"]
    assert not unexpected, unexpected[0]
    event("past a nesting limit" if workspace.syntax_errors else "parsed")
    event("checker errors" if any(d.is_error and d.code != "J110" for d in diagnostics)
          else "no checker error")
