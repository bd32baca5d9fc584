"""Expressions compiled once into closures `value(thread)`; each node class's meaning lives here."""

from __future__ import annotations

import datetime

from .. import nodes as n
from ..core.functions import FUNCTIONS
from ..core.values import (JourneyRuntimeError, arithmetic, comparison, describe, index,
                           negate, to_text, type_name)


class LocalClock:
    """What an expression may read besides its thread: the run's clock, in the journey's zone,
    the names bound by the comprehensions around it (name → a cell holding the element), and
    the run's audiences (audiences.py)."""

    __slots__ = ("clock", "zone", "variables", "audiences")

    def __init__(self, clock, zone, audiences=None, variables=None):
        self.clock = clock
        self.zone = zone
        self.audiences = audiences
        self.variables = variables or {}

    @property
    def now(self) -> datetime.datetime:
        return self.clock.datetime()

    def binding(self, name: str, cell: list) -> "LocalClock":
        """The same clock, with `name` bound to what `cell[0]` holds."""
        return LocalClock(self.clock, self.zone, self.audiences, {**self.variables, name: cell})


def _path(node: n.Path, ctx):
    names = node.attributes
    cell = ctx.variables.get(node.root)
    if cell is not None:  # a comprehension's name, which hides a `let` of the same name
        root = lambda path: cell[0]  # noqa: E731
    elif node.root == "profile":
        if len(names) == 1:
            name = names[0]
            return lambda path: path.instance.profile.get(name)
        root = lambda path: path.instance.profile  # noqa: E731
    elif node.root == "event":
        root = lambda path: path.event  # noqa: E731
    else:
        variable = node.root
        root = lambda path: path.scope.get(variable)  # noqa: E731
    if not names:
        return root

    def read(path):
        value = root(path)
        for name in names:
            if not isinstance(value, dict):
                return None
            value = value.get(name)
        return value

    return read


def _literal(node: n.Literal, ctx):
    value = node.value
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=ctx.zone)
    return lambda path: value


def _template(node: n.Template, ctx):
    parts = [(part, None) if isinstance(part, str) else (None, compile_expression(part, ctx))
             for part in node.parts]

    def render(path):
        return "".join(text if value is None else to_text(value(path)) for text, value in parts)

    return render


def _function_call(node: n.FunctionCall, ctx):
    function = FUNCTIONS.get(node.name.name)
    if function is None:
        raise JourneyRuntimeError(f"unknown function `{node.name.name}`")
    impl = function.impl
    arguments = [compile_expression(argument, ctx) for argument in node.arguments]
    return lambda path: impl(ctx, *[argument(path) for argument in arguments])


def _list(node: n.ListExpr, ctx):
    items = [compile_expression(item, ctx) for item in node.items]
    return lambda path: [item(path) for item in items]


def _comprehension(node: n.Comprehension, ctx):
    """Each element of the source in turn in a cell that the element and the condition read
    (evaluation never re-enters a comprehension while it runs, so one cell serves)."""
    source = compile_expression(node.source, ctx)
    name, cell = node.name.name, [None]
    inner = ctx.binding(name, cell)
    element = compile_expression(node.element, inner)
    condition = None if node.condition is None else compile_expression(node.condition, inner)

    def build(path):
        items = source(path)
        if items is None:
            return None
        if not isinstance(items, list):
            raise JourneyRuntimeError(f"`for {name} in …` goes over a list, not over a "
                                      f"{type_name(items)} ({describe(items)})")
        result = []
        for item in items:
            cell[0] = item
            if condition is None or condition(path) is True:
                result.append(element(path))
        cell[0] = None
        return result

    return build


def _index(node: n.Index, ctx):
    target = compile_expression(node.target, ctx)
    key = compile_expression(node.key, ctx)
    return lambda path: index(target(path), key(path))


def _member(node: n.Member, ctx):
    target = compile_expression(node.target, ctx)
    name = node.name

    def read(path):
        value = target(path)
        return value.get(name) if isinstance(value, dict) else None

    return read


def _record(node: n.RecordExpr, ctx):
    fields = [(field.key, compile_expression(field.value, ctx)) for field in node.fields]
    return lambda path: {key: value(path) for key, value in fields}


def _unary(node: n.Unary, ctx):
    operand = compile_expression(node.operand, ctx)
    if node.operator == "not":
        def negation(path):
            value = operand(path)
            return None if value is None else value is not True
        return negation

    return lambda thread: negate(operand(thread))


def _binary(node: n.Binary, ctx):
    left = compile_expression(node.left, ctx)
    right = compile_expression(node.right, ctx)
    operator = node.operator
    if operator == "and":
        return lambda path: left(path) is True and right(path) is True
    if operator == "or":
        return lambda path: left(path) is True or right(path) is True
    if operator == "==" and isinstance(node.right, n.Literal) and isinstance(node.right.value, str):
        constant = node.right.value  # the common `profile.x == "text"`, without the general case
        if isinstance(node.left, n.Path) and node.left.root == "profile" \
                and len(node.left.attributes) == 1:
            name = node.left.attributes[0]
            return lambda path: path.instance.profile.get(name) == constant
        return lambda path: left(path) == constant
    apply = arithmetic(operator) if operator in "+-*/%" else comparison(operator)
    return lambda path: apply(left(path), right(path))


def _in_audience(node: n.InAudience, ctx):
    name = node.audience.name
    return lambda path: ctx.audiences.contains(name, path)


def _fetch(node: n.Fetch, ctx):
    raise JourneyRuntimeError("`fetch` is only allowed as the value of a `let`")


_SAFE_OPERATORS = {"==", "!=", "and", "or"}


def may_fail(node) -> bool:
    """Whether evaluating an expression can raise a runtime error: literals, paths, equality,
    `and`/`or`/`not` and records of such never do."""
    if isinstance(node, (n.Literal, n.Path)):
        return False
    if isinstance(node, n.Binary) and node.operator in _SAFE_OPERATORS:
        return may_fail(node.left) or may_fail(node.right)
    if isinstance(node, n.Unary) and node.operator == "not":
        return may_fail(node.operand)
    if isinstance(node, n.RecordExpr):
        return any(may_fail(field.value) for field in node.fields)
    if isinstance(node, n.ListExpr):
        return any(may_fail(item) for item in node.items)
    if isinstance(node, n.Member):
        return may_fail(node.target)
    return True


_COMPILERS = {
    n.Literal: _literal,
    n.Template: _template,
    n.Path: _path,
    n.FunctionCall: _function_call,
    n.ListExpr: _list,
    n.Comprehension: _comprehension,
    n.Index: _index,
    n.Member: _member,
    n.RecordExpr: _record,
    n.Unary: _unary,
    n.Binary: _binary,
    n.Fetch: _fetch,
    n.InAudience: _in_audience,
}


def compile_expression(node, ctx):
    """A closure computing the node's value for a path."""
    return _COMPILERS[type(node)](node, ctx)
