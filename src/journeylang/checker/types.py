"""Static types of expressions, worked out from the declared schemas: what rules compare.

A type is one of "string", "number", "bool", "date", "datetime", "time", "duration", "list",
"null", "any" (unknown: never an error), or a dict of fields (a record)."""

from __future__ import annotations

from .. import nodes as n
from ..core.functions import FUNCTIONS
from ..core.values import type_name
from .context import Context, Scope

ANY = "any"
_ORDERED = {"string", "date", "datetime", "time", "duration"}


def describe(kind) -> str:
    """A type as a message says it: "a number", "a date-time", "a record"."""
    name = "record" if isinstance(kind, dict) else {"datetime": "date-time"}.get(kind, kind)
    return ("an " if name[0] in "aeiou" else "a ") + name


def literal_type(value) -> str:
    """The static type of a literal's value (the runtime's name for it, in a checker's words)."""
    name = type_name(value)
    return {"date-time": "datetime"}.get(name, name) if name in _LITERAL_TYPES else ANY


_LITERAL_TYPES = {"null", "bool", "number", "string", "date-time", "date", "time", "duration"}


def known(kind) -> bool:
    return kind not in (ANY, "null")


def attribute_type(fields, attributes: tuple[str, ...]):
    """The type at the end of an attribute path, with how far the path was found:
    (type, index of the first attribute not found or None)."""
    kind = fields
    for index, attribute in enumerate(attributes):
        if not isinstance(kind, dict):
            return (ANY, None) if kind == ANY else (ANY, index)
        if attribute not in kind:
            return ANY, index
        kind = kind[attribute]
    return kind, None


def type_of(expr, scope: Scope, context: Context):
    """The static type of an expression; ANY when the schemas do not say."""
    if isinstance(expr, n.Literal):
        return literal_type(expr.value)
    if isinstance(expr, n.Template):
        return "string"
    if isinstance(expr, (n.ListExpr,)):
        return "list"
    if isinstance(expr, n.RecordExpr):
        return {field.key: type_of(field.value, scope, context) for field in expr.fields}
    if isinstance(expr, n.Path):
        return path_type(expr, scope, context)
    if isinstance(expr, n.FunctionCall):
        function = FUNCTIONS.get(expr.name.name)
        result = function.result if function else ANY
        if result == "any" and expr.arguments and expr.name.name in ("coalesce", "min", "max"):
            kinds = {type_of(argument, scope, context) for argument in expr.arguments}
            kinds.discard("null")
            return kinds.pop() if len(kinds) == 1 and not isinstance(next(iter(kinds)), dict) else ANY
        return result
    if isinstance(expr, n.Unary):
        return "bool" if expr.operator == "not" else type_of(expr.operand, scope, context)
    if isinstance(expr, n.Binary):
        return binary_type(expr.operator, type_of(expr.left, scope, context),
                           type_of(expr.right, scope, context))[0]
    return ANY


def path_type(path: n.Path, scope: Scope, context: Context):
    if path.root == "profile":
        fields = context.profile_fields(scope.file)
    elif path.root == "event":
        fields = context.event_fields(scope.file, scope.event)
    elif path.root in scope.lets:
        value = scope.lets[path.root]
        if isinstance(value, n.Fetch):
            return ANY
        fields = type_of(value, scope, context)
        if not path.attributes:
            return fields
        if not isinstance(fields, dict):
            return ANY
    else:
        return ANY
    if fields is None:
        return ANY
    return attribute_type(fields, path.attributes)[0]


def binary_type(operator: str, left, right) -> tuple[object, str | None]:
    """(result type, problem) of `left OPERATOR right`; the problem is a message, or None."""
    if isinstance(left, dict):
        left = "record"
    if isinstance(right, dict):
        right = "record"
    if operator in ("and", "or"):
        for side in (left, right):
            if known(side) and side != "bool":
                return "bool", f"`{operator}` needs true or false on both sides, not {describe(side)}"
        return "bool", None
    if operator in ("==", "!="):
        if known(left) and known(right) and not _comparable(left, right):
            return "bool", (f"compares {describe(left)} with {describe(right)}: "
                            f"`{operator}` is always {'false' if operator == '==' else 'true'}")
        return "bool", None
    if operator in ("<", "<=", ">", ">="):
        if known(left) and known(right) and not (
                left == right and (left == "number" or left in _ORDERED)):
            return "bool", f"cannot order {describe(left)} and {describe(right)} with `{operator}`"
        return "bool", None
    if operator in ("in", "not in"):
        if known(right) and right not in ("list", "string", "record"):
            return "bool", f"`{operator}` looks inside a list, a string or a record, not {describe(right)}"
        return "bool", None
    return _arithmetic(operator, left, right)


def _comparable(left, right) -> bool:
    return left == right or {left, right} <= {"date", "datetime"}


_ARITHMETIC = {
    "+": {("number", "number"): "number", ("string", "string"): "string",
          ("duration", "duration"): "duration", ("date", "duration"): "date",
          ("datetime", "duration"): "datetime", ("duration", "date"): "date",
          ("duration", "datetime"): "datetime", ("list", "list"): "list"},
    "-": {("number", "number"): "number", ("duration", "duration"): "duration",
          ("date", "duration"): "date", ("datetime", "duration"): "datetime",
          ("datetime", "datetime"): "duration", ("date", "date"): "duration"},
    "*": {("number", "number"): "number", ("duration", "number"): "duration",
          ("number", "duration"): "duration"},
    "/": {("number", "number"): "number", ("duration", "number"): "duration",
          ("duration", "duration"): "number"},
    "%": {("number", "number"): "number"},
}
_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "take the remainder of"}


def _arithmetic(operator: str, left, right):
    if not (known(left) and known(right)):
        return ANY, None
    result = _ARITHMETIC[operator].get((left, right))
    if result is None:
        return ANY, f"cannot {_VERBS[operator]} {describe(left)} and {describe(right)}"
    return result, None
