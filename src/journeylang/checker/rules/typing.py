"""Rules about types, when schemas are declared: attributes exist, operands fit together,
conditions are true or false, `wait until` takes a date-time, `set` keeps an attribute's type."""

from __future__ import annotations

from ... import nodes as n
from ..context import Context
from ..rule import rule, suggest
from ...core.functions import FUNCTIONS
from ..types import (Element, ListOf, Record, attribute_type, binary_type, call_type,
                     comprehension_scope, describe, element_type, fits, general, in_full,
                     index_type, known, type_of)


@rule("J301")
def unknown_attribute(context: Context):
    """With a `profile` schema, `profile.a.b` names declared attributes; with an event's schema,
    `event.a` names its fields (and `set profile.…` too); with an action's `response`, the `let`
    name bound to its call names the response's fields; under an element of a declared list of
    records (`event.products[0].sku`, `p.sku` in `[… for p in event.products]`), the element's
    fields."""
    for site in context.sites:
        for path in site.paths():
            if path.root == "profile":
                fields, owner = context.profile_fields(site.scope.file), "the profile schema"
            elif path.root == "event" and site.scope.event is not None:
                fields = context.event_fields(site.scope.file, site.scope.event)
                owner = f"event `{site.scope.event}`"
            elif isinstance(getattr(site.scope.lets.get(path.root), "value", None), n.CallAction):
                action = site.scope.lets[path.root].value.action.name
                fields, owner = context.action_response(action), f"the response of `{action}`"
            else:
                continue
            if fields is not None:
                yield from _check_path(path.span, path.root, path.attributes, fields, owner,
                                       replaceable=True)
        profile = context.profile_fields(site.scope.file)
        if site.role == "set" and profile is not None:
            yield from _check_path(site.statement.span, "profile", site.target, profile,
                                   "the profile schema")
    yield from _element_attributes(context)


def _element_attributes(context: Context):
    """Attributes under an element of a declared list of records: after an index or a call
    (`event.products[0].sku`), and on a comprehension's name (`p.sku`)."""
    for site, node in context.site_nodes_of(n.Member, n.Path):
        if isinstance(node, n.Member):
            target = type_of(node.target, site.scope, context)
            if isinstance(target, Record) and node.name not in target:
                written = _written(context, node.target)
                hint, fix = suggest(node.name, target, node.span,
                                    lambda close: f"{written}.{close}")
                yield node.span, f"`{written}` has no field `{node.name}`{hint}", (), fix
            elif known(target) and not isinstance(target, Record):
                yield node.span, (f"`{_written(context, node.target)}` is {describe(target)}: "
                                  f"it has no attribute `{node.name}`")
        elif isinstance(node, n.Path) and node.attributes \
                and isinstance(site.scope.lets.get(node.root), Element):
            binding = site.scope.lets[node.root]
            element = element_type(type_of(binding.value, binding.scope, context))
            if known(element):
                yield from _check_path(node.span, node.root, node.attributes, element,
                                       f"the elements of `{_written(context, binding.value)}`",
                                       replaceable=True)


def _written(context: Context, node: n.Node) -> str:
    """An expression as its source writes it."""
    span = node.span
    return context.workspace.sources[span.file].text[span.start:span.end]


def _check_path(span, root: str, attributes: tuple[str, ...], fields, owner: str,
                replaceable: bool = False):
    """J301 for an attribute path; `replaceable` when `span` is the path's own (the fix of a
    "did you mean" then writes the whole path, corrected)."""
    _, missing = attribute_type(fields, attributes)
    if missing is None:
        return
    parent = attribute_type(fields, attributes[:missing])[0]
    written = ".".join((root, *attributes[:missing + 1]))
    if isinstance(parent, Record):
        hint, fix = suggest(attributes[missing], parent, span if replaceable else None,
                            lambda close: ".".join((root, *attributes[:missing], close,
                                                    *attributes[missing + 1:])))
        yield span, f"`{written}` is not in {owner}{hint}", (), fix
    else:
        yield span, (f"`{'.'.join((root, *attributes[:missing]))}` is {describe(parent)}: "
                     f"it has no attribute `{attributes[missing]}`")


@rule("J302")
def incompatible_operands(context: Context):
    """The two sides of an operator fit together: a number is not compared with a string,
    `and`/`or` take true or false, arithmetic takes numbers, durations and dates."""
    for site, node in context.site_nodes_of(n.Binary, n.Unary):
        if isinstance(node, n.Binary):
            left = type_of(node.left, site.scope, context)
            right = type_of(node.right, site.scope, context)
            problem = binary_type(node.operator, left, right)[1]
            if problem:
                yield node.span, problem
        elif isinstance(node, n.Unary):
            operand = type_of(node.operand, site.scope, context)
            wanted = ("bool",) if node.operator == "not" else ("number", "duration")
            if known(operand) and operand not in wanted:
                yield node.span, f"`{node.operator}` cannot apply to {describe(operand)}"


@rule("J303")
def condition_not_boolean(context: Context):
    """`if`, `where`, `when`, `exit when`, audience conditions and a comprehension's `where`
    are true or false."""
    conditions = [(site.expr, site.scope) for site in context.sites if site.role == "condition"]
    conditions += [(node.condition, comprehension_scope(node, site.scope))
                   for site, node in context.site_nodes_of(n.Comprehension)
                   if node.condition is not None]
    for expr, scope in conditions:
        kind = type_of(expr, scope, context)
        if known(kind) and kind != "bool":
            yield expr.span, (f"this condition is {describe(kind)}, not true or false: "
                              "compare it (`== …`, `> …`) or test it with exists(…)")


@rule("J304")
def wait_until_needs_a_moment(context: Context):
    """`wait until EXPR` takes a date-time or a time of day; `at`/`starting` a date-time."""
    for site in context.sites:
        if site.role not in ("wait-until", "at"):
            continue
        kind = type_of(site.expr, site.scope, context)
        allowed = ("datetime", "time") if site.role == "wait-until" else ("datetime",)
        if known(kind) and kind not in allowed:
            what = "`wait until`" if site.role == "wait-until" else "a read schedule"
            yield site.expr.span, (f"{what} needs a date-time, not {describe(kind)}"
                                   + (" (add a time: 2026-03-01T09:00)" if kind == "date" else ""))


@rule("J305")
def set_changes_type(context: Context):
    """`set profile.PATH = EXPR` gives the attribute a value of its declared type."""
    for site in context.sites:
        profile = context.profile_fields(site.scope.file)
        if site.role != "set" or profile is None:
            continue
        declared, missing = attribute_type(profile, site.target)
        value = type_of(site.expr, site.scope, context)
        if missing is not None or not known(declared) or not known(value):
            continue
        if not fits(value, declared):
            yield site.expr.span, (f"`profile.{'.'.join(site.target)}` is declared "
                                   f"{in_full(declared)}; this is {in_full(value)}")


@rule("J306")
def cannot_index(context: Context):
    """`xs[i]` indexes a list by a whole number, `r["key"]` a record by a string."""
    for site, node in context.site_nodes_of(n.Index):
        container = type_of(node.target, site.scope, context)
        key = type_of(node.key, site.scope, context)
        problem = index_type(container, key)[1]
        if problem is None and general(container) == "list" \
                and _fractional(node.key):
            problem = f"a list is indexed by a whole number, not by {node.key.value}"
        if problem:
            yield node.span, problem


def _fractional(key) -> bool:
    """Whether an index is a number literal with a fraction (`xs[0.5]`)."""
    value = key.value if isinstance(key, n.Literal) else None
    return isinstance(value, float) and not value.is_integer()


@rule("J307")
def wrong_argument_type(context: Context):
    """A function's arguments are of the types its type rule takes (docs/functions.md)."""
    for site, node in context.site_nodes_of(n.FunctionCall):
        if node.name.name in FUNCTIONS:
            kinds = [type_of(argument, site.scope, context) for argument in node.arguments]
            problem = call_type(FUNCTIONS[node.name.name], kinds)[1]
            if problem:
                yield node.span, problem


@rule("J308")
def comprehension_over_a_list(context: Context):
    """`[… for NAME in EXPR]` goes over a list."""
    for site, node in context.site_nodes_of(n.Comprehension):
        source = type_of(node.source, site.scope, context)
        if known(source) and not isinstance(source, ListOf) and general(source) != "list":
            yield node.source.span, (f"`for {node.name.name} in …` goes over a list, not "
                                     f"{describe(source)}")
