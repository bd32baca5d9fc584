"""Sites kept from one check to the next (the language server's KnownSites): a journey that did
not change keeps its sites, a changed one gets new ones, and the diagnostics are those of a
check from scratch, edit after edit."""

from __future__ import annotations

import pathlib

from journeylang.checker import check_workspace
from journeylang.checker.context import Context
from journeylang.checker.sites import KnownSites
from journeylang.parser import parse_source
from journeylang.source import Source
from journeylang.workspace import Workspace

SCHEMA = "profile { points: number, tier: string }\nevent signup { source: string }\n"
JOURNEY = """\
journey "{name}" {{
    on event signup
    let bonus = profile.points * {factor}
    if profile.tier == "gold" {{
        send email "{name}" with {{ bonus: bonus, source: event.{field} }}
    }}
}}
"""


def workspace(texts: dict[str, str], programs: dict) -> Workspace:
    """The texts as a workspace, a text parsed again only when it changed (as the server
    does): an unchanged file keeps its program, and its journeys stay the same objects."""
    for name, text in texts.items():
        if name not in programs or programs[name][0] != text:
            programs[name] = text, parse_source(Source(name, text))
    return Workspace(pathlib.Path("."), {name: Source(name, text) for name, text in texts.items()},
                     {name: programs[name][1] for name in texts}, ())


def test_edit_after_edit_the_diagnostics_are_those_of_a_fresh_check():
    texts = {"schema.journey": SCHEMA,
             "a.journey": JOURNEY.format(name="A", factor=2, field="source"),
             "b.journey": JOURNEY.format(name="B", factor=3, field="source")}
    edits = [("a.journey", JOURNEY.format(name="A", factor='"x"', field="source")),
             ("b.journey", JOURNEY.format(name="B", factor=3, field="medium")),
             ("a.journey", JOURNEY.format(name="A", factor=2, field="source")),
             ("schema.journey", SCHEMA.replace("points: number", "points: string"))]
    reported = [[], [("J302", "a.journey")], [("J302", "a.journey"), ("J301", "b.journey")],
                [("J301", "b.journey")],
                [("J302", "a.journey"), ("J302", "b.journey"), ("J301", "b.journey")]]
    known, programs = KnownSites(), {}
    for (name, text), expected in zip([(None, None), *edits], reported):
        if name is not None:
            texts[name] = text
        kept = check_workspace(workspace(texts, programs), audiences={}, lock=None,
                               known_sites=known)
        assert kept == check_workspace(workspace(texts, {}), audiences={}, lock=None)
        assert [(d.code, d.span.file) for d in kept] == expected


def test_an_unchanged_journey_keeps_its_sites_and_a_changed_one_does_not():
    texts = {"a.journey": JOURNEY.format(name="A", factor=2, field="source"),
             "b.journey": JOURNEY.format(name="B", factor=3, field="source")}
    known, programs = KnownSites(), {}
    before = Context(workspace(texts, programs), known_sites=known).sites
    texts["b.journey"] = JOURNEY.format(name="B", factor=4, field="source")
    after = Context(workspace(texts, programs), known_sites=known).sites
    a_before, a_after = ([site for site in sites if site.scope.journey.name == "A"]
                         for sites in (before, after))
    b_before, b_after = ([site for site in sites if site.scope.journey.name == "B"]
                         for sites in (before, after))
    assert a_after and all(x is y for x, y in zip(a_before, a_after))
    assert b_after and not any(x is y for x, y in zip(b_before, b_after))
