"""Rules about types, when schemas are declared: attributes exist, operands fit together,
conditions are true or false, `wait until` takes a date-time, `set` keeps an attribute's type."""

from __future__ import annotations

from ... import nodes as n
from ..context import Context, walk
from ..rule import rule, suggest
from ..types import Record, attribute_type, binary_type, describe, known, type_of


@rule("J301")
def unknown_attribute(context: Context):
    """With a `profile` schema, `profile.a.b` names declared attributes; with an event's schema,
    `event.a` names its fields (and `set profile.…` too); with an action's `response`, the `let`
    name bound to its call names the response's fields."""
    for site in context.sites:
        paths = [node for node in walk(site.expr) if isinstance(node, n.Path)]
        for path in paths:
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
    for site, node in context.site_nodes:
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
    """`if`, `where`, `when`, `exit when` and audience conditions are true or false."""
    for site in context.sites:
        if site.role != "condition":
            continue
        kind = type_of(site.expr, site.scope, context)
        if known(kind) and kind != "bool":
            yield site.expr.span, (f"this condition is {describe(kind)}, not true or false: "
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
        if isinstance(declared, Record) or isinstance(value, Record):
            fits = isinstance(declared, Record) and isinstance(value, Record)
        else:
            fits = declared == value
        if not fits:
            yield site.expr.span, (f"`profile.{'.'.join(site.target)}` is declared "
                                   f"{describe(declared)}; this is {describe(value)}")
