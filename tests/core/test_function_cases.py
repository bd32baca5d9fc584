"""Expression cases as data (tests/cases/functions/*.json), each run through both the checker
and the evaluator, in the way of jmespath's compliance tests.

A file is a list of groups. A group gives what its cases read — `profile` (a record),
`event` (`{"name": …, "data": {…}}`), `now` (an instant, 2026-03-01T09:00:00Z unless given),
`lets` (`{"name": "expression"}`, bound before the case's expression) — and `schema`, the
declarations the checker types the expressions by (text in the language). Each case is an
`expression` with the `result` it gives (as JSON: dates as ISO text) or the `error` it raises
(a part of the runtime error's message); `checker` names the code the checker reports for it,
if it reports one. Without `checker`, the checker reports nothing and the static type of the
expression fits the value it gives.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import types

import pytest

from journeylang.checker import check_workspace
from journeylang.checker.context import Context
from journeylang.checker.types import ANY, ListOf, Record, known, type_of
from journeylang.core.functions import library
from journeylang.core.values import JourneyRuntimeError, to_json, type_name
from journeylang.runtime.expressions import LocalClock, compile_expression
from journeylang.workspace import from_texts

from ..conftest import CASES

FILES = sorted((CASES / "functions").glob("*.json"))
_NOW = "2026-03-01T09:00:00Z"


def _cases():
    for path in FILES:
        for group in json.loads(path.read_text(encoding="utf-8")):
            for case in group["cases"]:
                yield pytest.param(group, case, id=f"{path.stem}: {case['expression']}")


CASES_RUN = list(_cases())


class _Clock:
    def __init__(self, now: datetime.datetime):
        self.now = now

    def datetime(self) -> datetime.datetime:
        return self.now


def _program(group: dict, expression: str) -> str:
    event = group.get("event", {}).get("name", "case_event")
    lets = "".join(f"    let {name} = {value}\n" for name, value in group.get("lets", {}).items())
    return (f"{group.get('schema', '')}\njourney \"case\" {{\n    on event {event}\n{lets}"
            f"    let value = {expression}\n}}\n")


def _checked(group: dict, expression: str):
    """(the checker's diagnostics, the static type of the expression, the journey's body)."""
    workspace = from_texts({"case.journey": _program(group, expression)}, pathlib.Path("."))
    assert not workspace.syntax_errors, [d.message for d in workspace.syntax_errors]
    diagnostics = check_workspace(workspace, audiences={}, lock=None)
    context = Context(workspace, {})
    site = next(site for site in context.sites
                if site.role == "value" and site.expr is workspace.journeys[0].body[-1].value)
    return diagnostics, type_of(site.expr, site.scope, context), workspace.journeys[0].body


def _evaluate(group: dict, body):
    now = datetime.datetime.fromisoformat(group.get("now", _NOW).replace("Z", "+00:00"))
    local = LocalClock(_Clock(now), datetime.timezone.utc)
    thread = types.SimpleNamespace(
        instance=types.SimpleNamespace(profile={"id": "p1", **group.get("profile", {})}),
        event=group.get("event", {}).get("data", {}), scope={})
    value = None
    for let in body:
        value = compile_expression(let.value, local)(thread)
        thread.scope[let.name.name] = value
    return value


def fits(kind, value) -> bool:
    """Whether a value the evaluator gave is of the static type the checker found."""
    if value is None or not known(kind):
        return True
    if isinstance(kind, ListOf):
        return isinstance(value, list) and all(fits(kind.item, item) for item in value)
    if isinstance(kind, Record):
        return isinstance(value, dict) and all(fits(kind[key], item) for key, item in value.items()
                                               if key in kind)
    return {"date-time": "datetime"}.get(type_name(value), type_name(value)) == kind


@pytest.mark.parametrize("group, case", CASES_RUN)
def test_function_case(group, case):
    diagnostics, kind, body = _checked(group, case["expression"])
    codes = sorted({d.code for d in diagnostics})
    assert codes == ([case["checker"]] if "checker" in case else []), \
        [d.message for d in diagnostics]
    try:
        value = _evaluate(group, body)
    except JourneyRuntimeError as error:
        assert "error" in case, f"unexpected runtime error: {error}"
        assert case["error"] in str(error)
        return
    assert "error" not in case, f"no runtime error, the value is {to_json(value)!r}"
    assert json.dumps(to_json(value)) == json.dumps(case["result"])
    if "checker" not in case:
        assert fits(kind, value), f"the checker says {kind!r}, the value is {to_json(value)!r}"


def test_every_function_has_its_documented_example_run():
    expressions = {case["expression"] for _, case in (param.values for param in CASES_RUN)}
    missing = [function.example for function in library() if function.example not in expressions]
    assert not missing, f"no case in tests/cases/functions runs these examples: {missing}"


def test_the_cases_type_expressions_by_element_types():
    """The runner's type check can fail: some cases are typed precisely, not all `any`."""
    typed = [kind for group, case in (param.values for param in CASES_RUN) if "schema" in group
             for kind in [_checked(group, case["expression"])[1]] if kind != ANY]
    assert any(isinstance(kind, ListOf) and kind.item != ANY for kind in typed)
    assert any(isinstance(kind, Record) for kind in typed)


def test_fits_refuses_a_value_of_another_type():
    assert not fits("number", "3")
    assert not fits(ListOf("number"), [1, "a"])
    assert fits(ListOf(ANY), [1, "a"])
