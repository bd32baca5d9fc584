"""The function library's own shape: type rules read as forms, arities and results from them."""

from __future__ import annotations

import pytest

from journeylang.core.functions import FUNCTIONS, Param, library, parse_rule


def test_a_rule_reads_as_forms_of_parameters_and_a_result():
    (first,), (one, several) = parse_rule("[T] -> T"), parse_rule("[T] -> T; T... -> T")
    assert first.params == (Param(("list", ("var", "T"))),) and first.result == ("var", "T")
    assert several.params == (Param(("var", "T"), repeated=True),)
    assert (several.min_args, several.max_args) == (1, 99)
    optional, = parse_rule("number, number? -> number")
    assert (optional.min_args, optional.max_args) == (1, 2)
    either, = parse_rule("date|[string] -> bool")
    assert either.params[0].type == ("union", (("name", "date"), ("list", ("name", "string"))))


def test_a_rule_of_no_type_is_refused():
    with pytest.raises(ValueError, match="not a type"):
        parse_rule("Number -> 3")


def test_arity_and_result_come_from_the_rule():
    assert (FUNCTIONS["round"].min_args, FUNCTIONS["round"].max_args) == (1, 2)
    assert (FUNCTIONS["min"].min_args, FUNCTIONS["min"].max_args) == (1, 99)
    assert (FUNCTIONS["now"].min_args, FUNCTIONS["now"].max_args) == (0, 0)
    assert FUNCTIONS["split"].result == "[string]" and FUNCTIONS["first"].result == "T"


def test_the_library_lists_every_function_once_with_its_documentation():
    names = [function.name for function in library()]
    assert len(names) == len(set(names)) == len(FUNCTIONS)
    assert {"first", "last", "sum", "sort", "unique", "any", "all", "join", "split"} <= set(names)
    for function in library():
        assert function.signature.startswith(function.name + "(") and function.doc
        assert function.example
