"""Whatever a program that parses says, checking it yields diagnostics, and simulating a clean
one yields a report — never another exception. Programs are the examples with lines dropped,
repeated or swapped, and words exchanged for other words of the same program. Set
JOURNEY_FUZZ_EXAMPLES (250 by default) to try more."""

from __future__ import annotations

import os
import pathlib
import re
import tempfile

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from journeylang import JourneySyntaxError, parse
from journeylang.checker import check_workspace
from journeylang.diagnostics import render_all
from journeylang.run import simulate
from journeylang.source import Source
from journeylang.workspace import Workspace

from ..conftest import EXAMPLES

TEXTS = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.rglob("*.journey"))]
WORD = re.compile(r'"[^"\n]*"|\b[A-Za-z_]\w*\b|\b\d+(?:\.\d+)?[smhdw%]?')
EMPTY_ROOT = pathlib.Path(tempfile.mkdtemp(prefix="journeylang-fuzz-"))


def mutate(text: str, data) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["drop", "repeat", "swap", "word"]))
        index = data.draw(st.integers(0, len(lines) - 1))
        if kind == "drop" and len(lines) > 1:
            del lines[index]
        elif kind == "repeat":
            lines.insert(index, lines[index])
        elif kind == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            words = WORD.findall(text)
            spots = list(WORD.finditer(lines[index]))
            if words and spots:
                spot = data.draw(st.sampled_from(spots))
                word = data.draw(st.sampled_from(words))
                lines[index] = lines[index][:spot.start()] + word + lines[index][spot.end():]
    return "\n".join(lines)


@settings(max_examples=int(os.environ.get("JOURNEY_FUZZ_EXAMPLES", "250")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.data())
def test_checking_and_simulating_mutated_programs(text, data):
    text = mutate(text, data)
    try:
        program = parse(text, "fuzz.journey")
    except JourneySyntaxError:
        event("does not parse")
        return
    source = Source("fuzz.journey", text)
    workspace = Workspace(EMPTY_ROOT, {"fuzz.journey": source}, {"fuzz.journey": program}, ())
    diagnostics = check_workspace(workspace, audiences={})
    assert render_all(diagnostics, workspace.sources) is not None
    if any(d.is_error for d in diagnostics):
        event("checker errors")
        return
    event("simulated")
    result = simulate(workspace, audiences={}, population=15, until="2026-03-01T00:00:00Z")
    assert result.report["journeys"] is not None
