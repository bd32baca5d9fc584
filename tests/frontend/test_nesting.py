"""The nesting limits: J110 at the first node past them, before anything recursive runs; and
the deepest programs they allow parse, check and simulate well within Python's default
recursion limit, leaving a third of it to the caller."""

from __future__ import annotations

import json
import sys

import pytest

import journeylang
from journeylang import JourneySyntaxError, parse
from journeylang.checker import check_workspace
from journeylang.parser import MAX_BLOCK_DEPTH, MAX_EXPRESSION_DEPTH
from journeylang.workspace import load

#: What the deepest program may use of Python's default recursion limit (1,000 frames).
BUDGET = 1000 * 2 // 3


def expression(form: str, levels: int) -> str:
    """An expression of exactly `levels` levels, all of one form."""
    return {
        "not": lambda: "not " * levels + "true",
        "negation": lambda: "-" * levels + "1",
        "chain": lambda: " + ".join(["1"] * (levels + 1)),
        "or": lambda: " or ".join(["true"] * (levels + 1)),
        "list": lambda: "[" * levels + "1" + "]" * levels,
        "record": lambda: "{a: " * levels + "1" + "}" * levels,
        "call": lambda: "coalesce(" * levels + "1" + ")" * levels,
        "index": lambda: "[1]" + "[0]" * (levels - 1),
        "comprehension": lambda: "[" * levels + "1" + " for x in null]" * levels,
        "interpolation": lambda: '"{' + "[" * (levels - 1) + "1" + "]" * (levels - 1) + '}"',
        "mixed": lambda: _mixed(levels),
    }[form]()


def _mixed(levels: int) -> str:
    text = "1"
    for index in range(levels):
        text = ("[%s]", "{a: %s}", "coalesce(%s)", "(%s + 1)", "-%s", "(not %s)")[index % 6] % text
    return text


FORMS = ("not", "negation", "chain", "or", "list", "record", "call", "index", "comprehension",
         "interpolation", "mixed")
#: Each way to open a block: its first line, its last, and the statement's keyword.
BLOCKS = {
    "if": ("if true {", "}", "if"),
    "else": ("if false {} else {", "}", "if"),
    "split": ("split { 100% {", "} }", "split"),
    "fork": ("fork { branch a {", "} }", "fork"),
    "wait for event": ("wait for event purchase within 1d {", "}", "wait for event"),
    "on timeout": ("wait for event purchase within 1d on timeout {", "}", "wait for event"),
    "on error": ('call "crm.sync" on error {', "}", "call"),
}


def journey(body: str) -> str:
    return 'journey "J" {\n    on event signup\n' + body + "\n}\n"


def nested(kind: str, blocks: int, inner: str) -> str:
    opening, closing, _ = BLOCKS[kind]
    return "\n".join([opening] * blocks + [inner] + [closing] * blocks)


def nesting_error(text: str):
    with pytest.raises(JourneySyntaxError) as raised:
        parse(text, "deep.journey")
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "J110"
    return diagnostic


@pytest.mark.parametrize("form", FORMS)
def test_an_expression_at_the_limit_parses_and_one_level_more_is_j110(form):
    parse(journey(f"let v = {expression(form, MAX_EXPRESSION_DEPTH)}"))
    diagnostic = nesting_error(journey(f"let v = {expression(form, MAX_EXPRESSION_DEPTH + 1)}"))
    assert diagnostic.message.startswith(
        f"this expression is nested {MAX_EXPRESSION_DEPTH + 1} deep, past the limit of "
        f"{MAX_EXPRESSION_DEPTH}")


def test_the_error_points_at_the_first_level_past_the_limit():
    text = journey("    let v = " + "not " * (MAX_EXPRESSION_DEPTH + 5) + "true")
    diagnostic = nesting_error(text)
    assert diagnostic.span.line == 3
    assert text.splitlines()[2][diagnostic.span.column - 1:].startswith(
        "not " * 5 + "true")  # the 65th `not`, holding the 4 others


@pytest.mark.parametrize("kind", BLOCKS)
def test_blocks_at_the_limit_parse_and_one_more_is_j110(kind):
    parse(journey(nested(kind, MAX_BLOCK_DEPTH, "exit")))
    text = journey(nested(kind, MAX_BLOCK_DEPTH + 1, "exit"))
    diagnostic = nesting_error(text)
    assert diagnostic.span.line == 3 + MAX_BLOCK_DEPTH  # the statement opening the 51st block
    assert diagnostic.message.startswith(
        f"this `{BLOCKS[kind][2]}` opens a block nested {MAX_BLOCK_DEPTH + 1} deep, past the "
        f"limit of {MAX_BLOCK_DEPTH}")


def test_a_schema_type_nested_past_the_limit_is_j110():
    def schema(levels: int) -> str:
        return "profile { a: " + "{ b: " * (levels - 1) + "string" + " }" * levels + "\n"

    parse(schema(MAX_EXPRESSION_DEPTH))
    assert nesting_error(schema(MAX_EXPRESSION_DEPTH + 1)).message.startswith(
        f"this type is nested {MAX_EXPRESSION_DEPTH + 1} deep")


def test_a_deep_expression_inside_an_interpolation_is_j110_in_its_place():
    levels = MAX_EXPRESSION_DEPTH
    text = journey('    send email "x" with { v: "{' + "[" * levels + "]" * levels + '}" }')
    diagnostic = nesting_error(text)
    line = text.splitlines()[2]
    # the record and the string are the first two levels, so the 63rd list is the 65th level
    assert line[:diagnostic.span.column - 1].endswith('"{' + "[" * (levels - 2))


def test_every_place_past_a_limit_is_reported():
    too_deep = expression("list", MAX_EXPRESSION_DEPTH + 1)
    body = "\n".join(f"let v{index} = {too_deep}" for index in range(3))
    with pytest.raises(JourneySyntaxError) as raised:
        parse(journey(body))
    assert [d.code for d in raised.value.diagnostics] == ["J110"] * 3


def test_long_flat_chains_give_the_located_error_not_a_recursion_error():
    nesting_error(journey("let v = " + " + ".join(["1"] * 50_000)))
    for operator in ("or", "*", "and", "-"):
        nesting_error(journey("let v = " + f" {operator} ".join(["1"] * 5_000)))


def test_parentheses_are_no_level():
    parse(journey("let v = " + "(" * 20_000 + "1" + ")" * 20_000))


def test_statements_side_by_side_are_no_nesting():
    parse(journey("\n".join(["wait 1d"] * 5_000)))
    parse(journey("if false {}" + " else if false {}" * 5_000))


# ---- what the deepest programs cost --------------------------------------------------


def _frames() -> int:
    frame, count = sys._getframe(), 0
    while frame is not None:
        frame, count = frame.f_back, count + 1
    return count


def within_budget(work):
    """Run `work` with at most BUDGET frames above the caller's."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_frames() + BUDGET)
    try:
        return work()
    finally:
        sys.setrecursionlimit(limit)


DEEPEST = [(kind, form) for kind in BLOCKS for form in ("record", "list", "chain", "mixed")]
#: The deepest statements: a `let` of the deepest expression, an `if` on one, opening the
#: innermost block.
INNERMOST = ("let v = {}\nif {} {{ exit }}").format


@pytest.mark.parametrize("kind, form", DEEPEST, ids=[f"{k}-{f}" for k, f in DEEPEST])
def test_the_deepest_program_allowed_is_checked_within_budget(kind, form, tmp_path):
    # the innermost `if` opens the last block; a lock records the journey, so that checking
    # takes its fingerprint (J613)
    inner = INNERMOST(expression(form, MAX_EXPRESSION_DEPTH), expression("not", MAX_EXPRESSION_DEPTH))
    (tmp_path / "deep.journey").write_text(journey(nested(kind, MAX_BLOCK_DEPTH - 1, inner)))
    (tmp_path / "journeys.lock").write_text(json.dumps({"lockfile": 1, "journeys": {"J": {
        "versions": {"1": {"status": "live", "published": "2026-01-01T00:00:00Z",
                           "fingerprint": "sha256:0"}}}}}))
    codes = {d.code for d in within_budget(lambda: check_workspace(load([tmp_path])))}
    assert "J110" not in codes and "J613" in codes


@pytest.mark.parametrize("kind, form", DEEPEST, ids=[f"{k}-{f}" for k, f in DEEPEST])
def test_the_deepest_program_that_can_run_is_simulated_within_budget(kind, form):
    # 47 blocks, a `let` and an `if` with its `exit`: the 50 activities a journey may have
    inner = INNERMOST(expression(form, MAX_EXPRESSION_DEPTH), expression("not", MAX_EXPRESSION_DEPTH))
    text = journey(nested(kind, MAX_BLOCK_DEPTH - 3, inner))
    result = within_budget(lambda: journeylang.simulate(
        source=text, population=2, start="2026-03-01T00:00:00Z", until="2026-03-03T00:00:00Z"))
    assert result.report is not None
