"""Static types of expressions, worked out from the declared schemas: what rules compare.

A type is one of "string", "number", "bool", "date", "datetime", "time", "duration", "list",
"null", "any" (unknown: never an error), or a Record of fields. Every type is immutable and
hashable, so a rule may compare types, put them in a set or use them as keys, whatever they are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Mapping

from .. import nodes as n
from ..core.functions import FUNCTIONS
from ..core.values import type_name

if TYPE_CHECKING:
    from .context import Context, Scope

ANY = "any"
_ORDERED = {"string", "date", "datetime", "time", "duration"}


class Record(Mapping):
    """A record type: field name → type, immutable and hashable."""

    __slots__ = ("_fields", "_hash")

    def __init__(self, fields: Mapping[str, object] = ()):
        self._fields = dict(fields)
        self._hash: int | None = None

    def __getitem__(self, name: str) -> object:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._fields.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"Record({self._fields!r})"


def describe(kind) -> str:
    """A type as a message says it: "a number", "a date-time", "a record"."""
    name = "record" if isinstance(kind, Record) else {"datetime": "date-time"}.get(kind, kind)
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
        if not isinstance(kind, Record):
            return (ANY, None) if kind == ANY else (ANY, index)
        if attribute not in kind:
            return ANY, index
        kind = kind[attribute]
    return kind, None


def type_of(expr, scope: Scope, context: Context):
    """The static type of an expression; ANY when the schemas do not say.

    Each node's type is worked out once and kept on the context (a node is evaluated in one
    scope: its site's, or its `let`'s). The work is bottom-up with a stack of its own, so
    neither a deep expression nor a long chain of `let`s, each naming the one before, recurses;
    a `let` is typed once however often it is read."""
    types = context.expression_types
    if id(expr) in types:
        return types[id(expr)][1]
    pending: list[tuple[n.Node, Scope]] = [(expr, scope)]
    expanded: set[int] = set()
    while pending:
        node, node_scope = pending[-1]
        if id(node) in types:
            pending.pop()
            continue
        operands = list(_operands(node, node_scope))
        missing = [operand for operand in operands if id(operand[0]) not in types]
        if missing and id(node) not in expanded:
            expanded.add(id(node))
            pending.extend(reversed(missing))
            continue
        pending.pop()
        kinds = [types[id(operand)][1] if id(operand) in types else ANY for operand, _ in operands]
        types[id(node)] = (node, _combine(node, node_scope, kinds, context))
    return types[id(expr)][1]


_INFERRED_FROM_ARGUMENTS = ("coalesce", "min", "max")


def _operands(node, scope: Scope) -> Iterator[tuple[n.Node, Scope]]:
    """The expressions whose types a node's type is made of, each with its scope."""
    if isinstance(node, n.RecordExpr):
        for field in node.fields:
            yield field.value, scope
    elif isinstance(node, n.Path):
        binding = scope.lets.get(node.root)
        if binding is not None and not isinstance(binding.value, n.Fetch):
            yield binding.value, binding.scope  # a call's type is its response's
    elif isinstance(node, n.FunctionCall):
        function = FUNCTIONS.get(node.name.name)
        if function is not None and function.result == ANY \
                and node.name.name in _INFERRED_FROM_ARGUMENTS:
            for argument in node.arguments:
                yield argument, scope
    elif isinstance(node, n.Unary):
        if node.operator != "not":
            yield node.operand, scope
    elif isinstance(node, n.Binary):
        yield node.left, scope
        yield node.right, scope


def _combine(node, scope: Scope, kinds: list, context: Context):
    """A node's type from its operands' types (in the order _operands gives them)."""
    if isinstance(node, n.Literal):
        return literal_type(node.value)
    if isinstance(node, n.InAudience):
        return "bool"
    if isinstance(node, n.Template):
        return "string"
    if isinstance(node, n.ListExpr):
        return "list"
    if isinstance(node, n.RecordExpr):
        return Record({field.key: kind for field, kind in zip(node.fields, kinds)})
    if isinstance(node, n.Path):
        return _path_type(node, scope, context, kinds[0] if kinds else ANY)
    if isinstance(node, n.CallAction):  # the value `let r = call …` binds
        return context.action_response(node.action.name) or ANY
    if isinstance(node, n.FunctionCall):
        function = FUNCTIONS.get(node.name.name)
        if function is None:
            return ANY
        if not kinds:
            return function.result
        found = set(kinds) - {"null"}
        single = next(iter(found)) if len(found) == 1 else ANY
        return ANY if isinstance(single, Record) else single
    if isinstance(node, n.Unary):
        return "bool" if node.operator == "not" else kinds[0]
    if isinstance(node, n.Binary):
        return binary_type(node.operator, kinds[0], kinds[1])[0]
    return ANY


def _path_type(path: n.Path, scope: Scope, context: Context, bound):
    """The type of a path; `bound` is the type of the `let` it reads, if it reads one."""
    if path.root == "profile":
        fields = context.profile_fields(scope.file)
    elif path.root == "event":
        fields = context.event_fields(scope.file, scope.event)
    elif path.root in scope.lets:
        if not path.attributes:
            return bound
        fields = bound if isinstance(bound, Record) else None
    else:
        return ANY
    if fields is None:
        return ANY
    return attribute_type(fields, path.attributes)[0]


def binary_type(operator: str, left, right) -> tuple[object, str | None]:
    """(result type, problem) of `left OPERATOR right`; the problem is a message, or None."""
    if isinstance(left, Record):
        left = "record"
    if isinstance(right, Record):
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
