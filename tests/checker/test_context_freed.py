"""A Context keeps what it works out on itself: once a check is over, the Context and the
workspace it read are freed (a long-running language server checks thousands of them)."""

from __future__ import annotations

import gc
import pathlib
import weakref

from journeylang.checker import RULES
from journeylang.checker.context import Context
from journeylang.workspace import from_texts

TEXT = """\
profile { tier: string, points: number }
event signup { source: string }
action "crm.lookup" { response { score: number } }
audience "vip" = profile.points > 100

journey "Welcome" {
    on event signup
    let crm = call "crm.lookup" with { id: profile.id }
    if crm.score > 70 and profile in audience "vip" {
        send email "vip_welcome" with { source: event.source, tier: profile.tier }
    }
    wait for event signup within 1d {
        set profile.points = profile.points + 1
    }
}
"""


def _checked(root: pathlib.Path) -> tuple[weakref.ref, weakref.ref, list]:
    workspace = from_texts({"welcome.journey": TEXT}, root)
    context = Context(workspace, {}, None)
    diagnostics = [d for rule in RULES for d in rule.run(context)]
    # every cached question was asked, so that each cache holds an answer
    assert context.profile_fields("welcome.journey") is not None
    assert context.event_fields("welcome.journey", "signup") is not None
    assert context.action_response("crm.lookup") is not None
    return weakref.ref(context), weakref.ref(workspace), diagnostics


def test_a_context_and_its_workspace_are_freed_after_a_check(tmp_path):
    context, workspace, diagnostics = _checked(tmp_path)
    assert diagnostics == []
    gc.collect()
    assert context() is None, "something still holds the Context"
    assert workspace() is None, "something still holds the workspace"
