"""Formatting cases under tests/cases/format/<case>/: `input.journey` and the text `journey fmt`
makes of it, `expected.journey`. Every case, every example and every `.journey` file of the
test cases is formatted and checked for what formatting keeps: the logic of every journey (its
lock-file fingerprint), every comment, and the layout itself (formatting formatted text changes
nothing). Regenerate the expected files with `JOURNEY_UPDATE_GOLDEN=1 pytest tests/format`, and
read every change before committing it."""

from __future__ import annotations

import collections
import hashlib
import re

import attrs
import pytest

from journeylang.diagnostics import JourneySyntaxError
from journeylang.formatter import comments, format_text
from journeylang.lockfile import fingerprint
from journeylang.nodes import Journey
from journeylang.parser import parse

from ..conftest import CASES, EXAMPLES, ROOT, assert_golden

FORMAT_CASES = sorted(path for path in (CASES / "format").iterdir() if path.is_dir())
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.journey"))
CASE_FILES = sorted(CASES.rglob("*.journey"))


def _name(path) -> str:
    return path.relative_to(ROOT).as_posix()


def assert_formatting_keeps(before: str, after: str) -> None:
    """What formatting must keep: the fingerprint of every journey, every other declaration,
    every comment; and formatting the result again changes nothing."""
    old, new = parse(before), parse(after)
    assert [(j.name, j.version, fingerprint(j)) for j in old.journeys] == \
        [(j.name, j.version, fingerprint(j)) for j in new.journeys]
    assert [d for d in old.declarations if not isinstance(d, Journey)] == \
        [d for d in new.declarations if not isinstance(d, Journey)]
    assert collections.Counter(comments(before)) == collections.Counter(comments(after))
    assert format_text(after) == after, "formatting is not idempotent"


@pytest.mark.parametrize("case", FORMAT_CASES, ids=[case.name for case in FORMAT_CASES])
def test_format_case(case):
    before = (case / "input.journey").read_text(encoding="utf-8")
    after = format_text(before)
    assert_golden(case / "expected.journey", after)
    assert_formatting_keeps(before, after)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[_name(p) for p in EXAMPLE_FILES])
def test_every_example_is_formatted(path):
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text, f"run `journey fmt {_name(path)}`"


@pytest.mark.parametrize("path", CASE_FILES, ids=[_name(p) for p in CASE_FILES])
def test_formatting_keeps_the_logic_of_every_case(path):
    text = path.read_text(encoding="utf-8")
    try:
        parse(text)
    except JourneySyntaxError:
        with pytest.raises(JourneySyntaxError):  # refused, as it does not parse
            format_text(text)
        return
    assert_formatting_keeps(text, format_text(text))


def test_some_cases_are_refused_and_most_are_formatted():
    refused = 0
    for path in CASE_FILES:
        try:
            parse(path.read_text(encoding="utf-8"))
        except JourneySyntaxError:
            refused += 1
    assert 0 < refused < len(CASE_FILES) / 2


def test_moving_the_entry_after_the_properties_keeps_the_fingerprint():
    """Which of the entry and a property comes first is layout: the fingerprint reads the
    properties first, and a journey written that way has the digest of its tree as it is (the
    digest lock files have always recorded)."""
    late, early = (parse(text).journeys[0] for text in (
        'journey "J" {\n    on event signup\n    timeout 30d\n    send email "x"\n}\n',
        'journey "J" {\n    timeout 30d\n    on event signup\n    send email "x"\n}\n'))
    assert late != early and fingerprint(late) == fingerprint(early)
    assert fingerprint(early) == "sha256:" + hashlib.sha256(repr(early).encode()).hexdigest()
    moved = attrs.evolve(early, header=tuple(reversed(early.header)))
    assert fingerprint(moved) == fingerprint(early)


def test_the_order_of_properties_is_logic():
    """A later property overrides an earlier one of its kind: their order is kept."""
    first, second = (parse(f'journey "J" {{\n    {a}\n    {b}\n    on event signup\n}}\n')
                     .journeys[0] for a, b in (("timeout 1d", "timeout 2d"),
                                               ("timeout 2d", "timeout 1d")))
    assert fingerprint(first) != fingerprint(second)
    text = 'journey "J" {\n    on event signup\n    timeout 1d\n    timeout 2d\n}\n'
    assert format_text(text) == \
        'journey "J" {\n    timeout 1d\n    timeout 2d\n    on event signup\n}\n'


def _doc_pairs():
    page = (ROOT / "docs" / "formatting.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```journey\n(.*?)^```$", page, re.MULTILINE | re.DOTALL)
    assert blocks and len(blocks) % 2 == 0, "docs/formatting.md shows texts in pairs"
    return list(zip(blocks[::2], blocks[1::2]))


@pytest.mark.parametrize("before, after", _doc_pairs())
def test_the_examples_of_the_formatting_page(before, after):
    """docs/formatting.md shows each rule as a pair: a text, and what `journey fmt` makes of it."""
    assert format_text(before) == after
    assert_formatting_keeps(before, after)
