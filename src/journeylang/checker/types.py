"""Static types of expressions, worked out from the declared schemas: what rules compare.

A type is one of "string", "number", "bool", "date", "datetime", "time", "duration", "null",
"any" (unknown: never an error), a Record of fields, or a ListOf an element type (`[T]`; a
list of unknown elements is LIST, ListOf(ANY)). Every type is immutable and hashable, so a
rule may compare types, put them in a set or use them as keys, whatever they are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Mapping

import attrs

from .. import nodes as n
from ..core.functions import FUNCTIONS, Form, Function, Term
from ..core.values import type_name

if TYPE_CHECKING:
    from .context import Context
    from .sites import Scope

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


@attrs.frozen
class ListOf:
    """A list type: the type of its elements (ANY when they are not known)."""

    item: object

    def __repr__(self) -> str:
        return f"ListOf({self.item!r})"


LIST = ListOf(ANY)


def element_type(kind):
    """The type of a list type's elements; ANY for any other type."""
    return kind.item if isinstance(kind, ListOf) else ANY


def general(kind):
    """The type as the operators see it: "record" for a Record, "list" for a ListOf."""
    if isinstance(kind, Record):
        return "record"
    if isinstance(kind, ListOf):
        return "list"
    return kind


def fits(value, declared) -> bool:
    """Whether a value of type `value` may stand where `declared` is expected (an unknown
    type fits anywhere, a record any record, a list a list whose elements fit)."""
    if not known(value) or not known(declared):
        return True
    if isinstance(value, ListOf) and isinstance(declared, ListOf):
        return fits(value.item, declared.item)
    return general(value) == general(declared)


def describe(kind) -> str:
    """A type as a message says it: "a number", "a date-time", "a record", "a list"."""
    name = general(kind)
    name = {"datetime": "date-time"}.get(name, name)
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
    found = types.get(id(expr))
    if found is not None:
        return found[1]
    # (node, its scope, its operands once they are known)
    pending: list[tuple[n.Node, Scope, tuple | None]] = [(expr, scope, None)]
    expanded: set[int] = set()
    while pending:
        node, node_scope, operands = pending.pop()
        if id(node) in types:
            continue
        if operands is None:
            operands = _operands(node, node_scope)
            missing = [operand for operand in operands if id(operand[0]) not in types]
            if missing and id(node) not in expanded:  # their types first, then this one's
                expanded.add(id(node))
                pending.append((node, node_scope, operands))
                pending.extend((operand, operand_scope, None)
                               for operand, operand_scope in reversed(missing))
                continue
        kinds = [types[id(operand)][1] if id(operand) in types else ANY for operand, _ in operands]
        types[id(node)] = (node, _combine(node, node_scope, kinds, context))
    return types[id(expr)][1]


def _operands(node, scope: Scope) -> tuple[tuple[n.Node, Scope], ...]:
    """The expressions whose types a node's type is made of, each with its scope (the most
    frequent nodes first)."""
    cls = type(node)
    if cls is n.Binary:
        return (node.left, scope), (node.right, scope)
    if cls is n.Path:
        binding = scope.lets.get(node.root)
        if binding is not None and not isinstance(binding.value, n.Fetch):
            return ((binding.value, binding.scope),)  # a call's type is its response's
        return ()
    if cls is n.RecordExpr:
        return tuple((field.value, scope) for field in node.fields)
    if cls is n.ListExpr:
        return tuple((item, scope) for item in node.items)
    if cls is n.FunctionCall:
        if node.name.name in FUNCTIONS:
            return tuple((argument, scope) for argument in node.arguments)
        return ()
    if cls is n.Comprehension:
        return ((node.element, comprehension_scope(node, scope)),)
    if cls is n.Index:
        return (node.target, scope), (node.key, scope)
    if cls is n.Member:
        return ((node.target, scope),)
    if cls is n.Unary and node.operator != "not":
        return ((node.operand, scope),)
    return ()


def _combine(node, scope: Scope, kinds: list, context: Context):
    """A node's type from its operands' types (in the order _operands gives them), the most
    frequent nodes first."""
    cls = type(node)
    if cls is n.Literal:
        return literal_type(node.value)
    if cls is n.Binary:
        return binary_type(node.operator, kinds[0], kinds[1])[0]
    if cls is n.Path:
        return _path_type(node, scope, context, kinds[0] if kinds else ANY)
    if cls is n.InAudience:
        return "bool"
    if cls is n.Template:
        return "string"
    if cls is n.ListExpr:
        return ListOf(common(kinds))
    if cls is n.Comprehension:
        return ListOf(kinds[0])
    if cls is n.Index:
        return index_type(kinds[0], kinds[1])[0]
    if cls is n.Member:
        return attribute_type(kinds[0], (node.name,))[0]
    if cls is n.RecordExpr:
        return Record({field.key: kind for field, kind in zip(node.fields, kinds)})
    if cls is n.CallAction:  # the value `let r = call …` binds
        return context.action_response(node.action.name) or ANY
    if cls is n.FunctionCall:
        function = FUNCTIONS.get(node.name.name)
        return ANY if function is None else call_type(function, kinds)[0]
    if cls is n.Unary:
        return "bool" if node.operator == "not" else kinds[0]
    return ANY


def _path_type(path: n.Path, scope: Scope, context: Context, bound):
    """The type of a path; `bound` is the type of the `let` it reads, if it reads one."""
    if path.root == "profile":
        fields = context.profile_fields(scope.file)
    elif path.root == "event":
        fields = context.event_fields(scope.file, scope.event)
    elif path.root in scope.lets:
        if isinstance(scope.lets[path.root], Element):
            bound = element_type(bound)
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
    if operator == "+" and isinstance(left, ListOf) and isinstance(right, ListOf):
        return ListOf(common([left.item, right.item])), None
    left, right = general(left), general(right)
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
          ("duration", "datetime"): "datetime", ("list", "list"): LIST},
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


# ---- comprehensions, indexing and calls -----------------------------------------------------

@attrs.frozen(eq=False)
class Element:
    """A comprehension's name in the scope inside its brackets: each element of the list
    `value`, evaluated in `scope` (a `let`'s Binding, but of one element at a time)."""

    value: n.Expr
    scope: "Scope"


def comprehension_scope(node: n.Comprehension, scope: Scope) -> Scope:
    """The scope inside a comprehension's brackets: the outer one with its name bound (hiding
    a `let` of the same name there)."""
    name = node.name.name
    return attrs.evolve(scope, lets={**scope.lets, name: Element(node.source, scope)},
                        bound=(*scope.bound, name) if scope.bound else ())


def common(kinds) -> object:
    """The one type that all these share (nulls aside), or ANY."""
    found = set(kinds) - {"null"}
    return next(iter(found)) if len(found) == 1 else ANY


def index_type(container, key) -> tuple[object, str | None]:
    """(result type, problem) of `container[key]`."""
    if not known(container):
        return ANY, None
    if isinstance(container, ListOf) or container == "list":
        if known(key) and key != "number":
            return ANY, f"a list is indexed by a whole number, not by {describe(key)}"
        return element_type(container), None
    if isinstance(container, Record):
        if known(key) and key != "string":
            return ANY, f"a record is indexed by a string (a key), not by {describe(key)}"
        return ANY, None
    return ANY, f"cannot index {describe(container)}: only a list or a record has elements"


def call_type(function: Function, kinds: list) -> tuple[object, str | None]:
    """(result type, problem) of a call of a library function with arguments of these types:
    the first form of its type rule that the arguments fit gives the result; the problem
    says why none does (a wrong number of arguments is J204's, and no problem here)."""
    counted = [form for form in function.forms
               if form.min_args <= len(kinds) <= form.max_args]
    if not counted:
        return ANY, None
    for form in counted:
        bindings: dict[str, set] = {}
        wrong = _mismatch(form, kinds, bindings)
        if wrong is None:
            chosen = {name: common(found) for name, found in bindings.items()}
            if any(param.repeated for param in form.params):
                # one of several values (coalesce, min, max): records among them may differ
                # in their fields, so a record is left unknown
                chosen = {name: ANY if isinstance(kind, Record) else kind
                          for name, kind in chosen.items()}
            return _resolve(form.result, chosen), None
    index, wanted = wrong if len(counted) == 1 else (None, None)
    if index is None:
        shown = ", ".join(in_full(kind) for kind in kinds)
        return ANY, f"`{function.name}` cannot take {shown} (`{function.name}: {function.rule}`)"
    return ANY, (f"argument {index + 1} of `{function.name}` is {in_full(kinds[index])}, not "
                 f"{wanted} (`{function.name}: {function.rule}`)")


def in_full(kind) -> str:
    """A type as a message says it, with the elements of a list: "a list of strings"."""
    if isinstance(kind, ListOf) and known(kind.item) \
            and not isinstance(kind.item, (Record, ListOf)):
        return f"a list of {describe(kind.item).split(' ', 1)[1]}s"
    return describe(kind)


def _mismatch(form: Form, kinds: list, bindings: dict):
    """(index, what was wanted) of the first argument that does not fit the form, or None."""
    params = list(form.params)
    for index, kind in enumerate(kinds):
        param = params[min(index, len(params) - 1)]
        if not _fits_term(kind, param.type, bindings):
            return index, _term_text(param.type)
    return None


def _fits_term(kind, term: Term, bindings: dict) -> bool:
    if not known(kind):
        return True
    shape, value = term
    if shape == "union":
        return any(_fits_term(kind, alternative, bindings) for alternative in value)
    if shape == "var":
        bindings.setdefault(value, set()).add(kind)
        return True
    if shape == "list":
        if kind == "list":
            return True
        return isinstance(kind, ListOf) and _fits_term(kind.item, value, bindings)
    return value == ANY or general(kind) == value


def _resolve(term: Term, chosen: dict):
    shape, value = term
    if shape == "var":
        return chosen.get(value, ANY)
    if shape == "list":
        return ListOf(_resolve(value, chosen))
    if shape == "union":
        return ANY
    return value


def _term_text(term: Term) -> str:
    shape, value = term
    if shape == "union":
        return " or ".join(_term_text(alternative) for alternative in value)
    if shape == "list":
        inner = _term_text(value)
        if inner in ("a value", "an any"):
            return "a list"
        return f"a list of {inner.split(' ', 1)[1]}s"
    if shape == "var":
        return "a value"
    return describe(value)
