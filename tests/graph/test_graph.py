"""`journey graph`: the flow of every example (and of nested, long and wide-lettered journeys)
as SVG that parses, has a box per statement and nothing overlapping; Mermaid and DOT text."""

from __future__ import annotations

import typing

import itertools
import pathlib
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from journeylang import nodes as n
from journeylang.cli import main
from journeylang.graph import build_flow, lay_out, to_dot, to_mermaid, to_svg
from journeylang.graph.layout import PAD_X, text_width
from journeylang.workspace import from_texts, load

from ..conftest import EXAMPLES

SVG = "{http://www.w3.org/2000/svg}"

NESTED = '''
journey "Nested [red]x" {
    exit on event unsubscribed
    holdout 5%
    on event signup where event.source == "web"
    fork {
        branch a {
            split {
                30% {
                    if profile.tier == "gold" {
                        send email "a_very_long_message_identifier_for_gold_members_of_the_club"
                    } else if profile.tier == "silver" {
                        wait for event purchase where event.amount > 100 within 2d {
                            send sms "thanks"
                        } on timeout {
                            exit
                        }
                    }
                }
                70% {
                    call "crm.sync" on error {
                        send push "ошибка — 失敗しました"
                    }
                }
            }
        }
        branch b when profile.country == "FR" {
            wait until 09:00
            let offer = fetch "offers" with { tier: profile.tier }
            set profile.points = profile.points + 1
        }
        branch audit {
            call "log"
        }
    }
    join a, b
    wait 1d 12h
    send email "done"
}
'''


def example_journeys():
    for directory in sorted(path for path in EXAMPLES.iterdir() if path.is_dir()):
        workspace = load([directory])
        for journey in workspace.journeys:
            yield pytest.param(journey, workspace.sources[journey.span.file],
                               id=f"{directory.name}-{journey.name}-v{journey.version}")


def nested():
    workspace = from_texts({"nested.journey": NESTED}, pathlib.Path("."))
    journey, = workspace.journeys
    return journey, workspace.sources["nested.journey"]


def statements(journey) -> set[str]:
    """The `file:line:col` of every statement of a journey."""
    found = set()
    for statement in journey.body:
        for node in statement.walk():
            if isinstance(node, typing.get_args(n.Statement)):
                found.add(str(node.span))
    return found


def overlaps(a, b) -> bool:
    (ax, ay, aw, ah), (bx, by, bw, bh) = a, b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def check_drawing(journey, source, into=None) -> None:
    """Parses as XML; one box per statement, the entry and the ends; no two boxes or labels
    overlap; every box holds its text; everything lies inside the picture (drawn with the
    edge labels `into` gives, when given)."""
    text = to_svg(build_flow(journey, source))
    root = ET.fromstring(text)
    assert root.tag == SVG + "svg"
    width, height = float(root.get("width")), float(root.get("height"))
    boxes = [g for g in root.iter(SVG + "g") if "box" in g.get("class", "").split()]
    keys = [g.get("data-node") for g in boxes]
    assert set(keys) - {"entry", "end"} == statements(journey)
    assert keys.count("entry") == 1
    drawing = lay_out(build_flow(journey, source), into=into)
    if into is not None:
        width, height = drawing.width, drawing.height
    rects = [(b.x, b.y, b.width, b.height) for b in drawing.boxes]
    rects += [(label.x, label.y, label.width, label.height) for label in drawing.labels]
    for a, b in itertools.combinations(rects, 2):
        assert not overlaps(a, b), (a, b)
    for x, y, w, h in rects:
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
    for placed in drawing.boxes:
        if placed.box.kind != "end":
            assert max(text_width(line) for line in placed.lines) + 2 * PAD_X <= placed.width


@pytest.mark.parametrize(("journey", "source"), list(example_journeys()))
def test_every_example_is_drawn_without_overlaps(journey, source):
    check_drawing(journey, source)


def test_a_nested_journey_with_long_and_wide_labels_is_drawn_without_overlaps():
    check_drawing(*nested())


@pytest.mark.parametrize(("journey", "source"), [*example_journeys(), nested()])
def test_labels_on_the_edges_into_statements_fit_without_overlaps(journey, source):
    """A campaign's report labels every edge of a sequence with the population it carried."""
    def into(box):
        return "1,000,000" if box.kind == "statement" else None

    check_drawing(journey, source, into)
    drawing = lay_out(build_flow(journey, source), into=into)
    leading = [label for label in drawing.labels if label.way == -1]
    assert leading and all(label.text == "1,000,000" for label in leading)


def test_the_drawing_is_deterministic_and_escapes_markup_and_xml():
    journey, source = nested()
    first, second = to_svg(build_flow(journey, source)), to_svg(build_flow(journey, source))
    assert first == second
    root = ET.fromstring(first)
    assert root.find(SVG + "title").text == "Nested [red]x version 1"
    texts = [t.text for t in root.iter(SVG + "text")]
    assert 'where event.source == "web"' in texts
    assert "ошибка — 失敗しました" in texts


def test_arms_are_labelled_in_the_order_the_run_counts_them():
    journey, source = nested()
    ways: dict[str, list] = {}
    for label in lay_out(build_flow(journey, source)).labels:
        ways.setdefault(label.statement.rsplit(":", 2)[1], []).append((label.way, label.text))
    assert {line: [text for _, text in sorted(found)] for line, found in ways.items()} == {
        "6": ["a", 'b when profile.country == "FR"', "audit"],
        "8": ["30%", "70%"],
        "10": ['profile.tier == "gold"', 'profile.tier == "silver"', "else"],
        "13": ["got purchase", "after 2d"],
        "21": ["ok", "on error"]}


def test_mermaid_has_a_node_per_box_and_labelled_edges():
    journey, source = nested()
    text = to_mermaid(build_flow(journey, source))
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert '    n0(["on event signup<br/>where event.source == #quot;web#quot;<br/>exit on ' \
           'unsubscribed<br/>holdout 5%"])' in lines
    assert '    n2 -->|"30%"| n3' in lines
    nodes = [line for line in lines if line.startswith("    n") and "-->" not in line]
    assert len(nodes) == len(statements(journey)) + 3  # the entry, the audit's end, the end
    assert "[red]" in lines[1]


def test_dot_is_accepted_by_graphviz():
    journey, source = nested()
    text = to_dot(build_flow(journey, source))
    assert text.startswith('digraph "Nested [red]x version 1" {\n    rankdir=LR;')
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (Debian: apt-get install graphviz)")
    done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    ET.fromstring(done.stdout)


def test_the_command_draws_the_welcome_example(tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["graph", str(EXAMPLES / "welcome")])
    assert done.exit_code == 0, done.output
    root = ET.fromstring(done.output)
    assert root.find(SVG + "title").text == "Welcome series version 1"
    workspace = load([EXAMPLES / "welcome"])
    keys = {g.get("data-node") for g in root.iter(SVG + "g") if g.get("data-node")}
    assert keys - {"entry", "end"} == statements(workspace.journeys[0])
    for output in ("mermaid", "dot", "html"):
        done = runner.invoke(main, ["graph", str(EXAMPLES / "welcome"), "--format", output])
        assert done.exit_code == 0, done.output
    assert done.output.startswith("<!DOCTYPE html>") and "<svg" in done.output


@pytest.mark.parametrize(("arguments", "message"), [
    ([], "choose one with --journey"),
    (["--journey", "Loyalti"], 'there is no journey "Loyalti" under PATH (did you mean "Loyalty"?)'),
    (["--journey", "Loyalty", "--version", "7"], '"Loyalty" has no version 7: it has version(s) 1, 2'),
])
def test_the_command_says_which_journey_it_needs(arguments, message):
    done = CliRunner().invoke(main, ["graph", str(EXAMPLES), *arguments])
    assert done.exit_code == 2
    assert message in done.output


def test_the_command_draws_an_older_version():
    done = CliRunner().invoke(main, ["graph", str(EXAMPLES / "versions"), "--journey", "Loyalty",
                                     "--version", "1", "--format", "mermaid"])
    assert done.exit_code == 0
    assert "%% Loyalty version 1" in done.output


def test_a_file_with_syntax_errors_is_not_drawn(tmp_path):
    (tmp_path / "broken.journey").write_text('journey "J" { on event e\n send email }\n',
                                             encoding="utf-8")
    done = CliRunner().invoke(main, ["graph", str(tmp_path)])
    assert done.exit_code == 1
    assert "broken.journey:2:" in done.output and "nothing was drawn" in done.output
