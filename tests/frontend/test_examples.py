"""Every shipped example parses, and together they use every construct of the language."""

from __future__ import annotations

import pytest

from journeylang import nodes as n
from journeylang import parse

from ..conftest import EXAMPLES

PROGRAMS = sorted(EXAMPLES.rglob("*.journey"))


def test_there_are_enough_examples():
    assert len(PROGRAMS) >= 8


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.relative_to(EXAMPLES).as_posix() for p in PROGRAMS])
def test_example_parses_and_says_what_it_does(path):
    text = path.read_text(encoding="utf-8")
    parse(text, path.name)
    assert text.lstrip().startswith("#"), "an example opens with a comment saying what it does"


def test_examples_use_every_construct():
    used = set()
    for path in PROGRAMS:
        for node in parse(path.read_text(encoding="utf-8"), path.name).walk():
            used.add(type(node))
            if isinstance(node, n.Literal):
                used.add(type(node.value))
            if isinstance(node, (n.Unary, n.Binary)):
                used.add(node.operator)
    node_classes = {cls for cls in vars(n).values()
                    if isinstance(cls, type) and issubclass(cls, n.Node) and cls is not n.Node}
    missing = sorted(cls.__name__ for cls in node_classes - used)
    assert not missing, f"no example uses: {missing}"
    import datetime
    literal_kinds = {int, float, str, bool, type(None), datetime.timedelta, datetime.date,
                     datetime.datetime, datetime.time}
    assert not literal_kinds - used, f"no example has a literal of: {literal_kinds - used}"
    operators = {"or", "and", "not", "==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "/"}
    assert not operators - used, f"no example uses the operators: {sorted(operators - used)}"
