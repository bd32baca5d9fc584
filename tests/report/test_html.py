"""`journey run --html`: one self-contained page whose diagram shows the counts of its tables;
`--strict`; names printed as text, never as rich markup."""

from __future__ import annotations

import html.parser
import json
import re

from click.testing import CliRunner

from journeylang.cli import main

from ..conftest import EXAMPLES

MARKUP = '''
journey "[red]x" {
    on event signup
    send email "[bold]welcome"
    if profile.zero == 0 {
        let broken = 1 / profile.zero
    }
}
'''


class Page(html.parser.HTMLParser):
    """What the test reads of a page: its tags, the diagram's boxes with their count lines, the
    edges' labels, and the rows of the tables (by the statement they are about)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.boxes: dict[str, dict] = {}
        self.labels: dict[tuple[str, int], str] = {}
        self.rows: dict[tuple[str, str, str | None], list[str]] = {}  # (figure, node, way)
        self.stack: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in ("g", "tr", "text", "td"):
            self.stack.append((tag, attributes))
            self.text = []
            if tag == "g" and "box" in attributes.get("class", "").split():
                self.boxes[attributes["data-node"]] = {**attributes, "lines": []}
            if tag == "tr" and "data-node" in attributes:
                self.rows[self.row_key(attributes)] = []

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            return
        _, attributes = self.stack.pop()
        text = "".join(self.text)
        groups = [a for t, a in self.stack if t == "g"]
        rows = [a for t, a in self.stack if t == "tr" and "data-node" in a]
        if tag == "text" and groups and "box" in groups[-1].get("class", ""):
            self.boxes[groups[-1]["data-node"]]["lines"].append(text)
        elif tag == "text" and groups and "label" in groups[-1].get("class", ""):
            way = int(groups[-1].get("data-way", -1))  # -1: the edge leading into the statement
            self.labels[groups[-1]["data-statement"], way] = text
        elif tag == "td" and rows:
            self.rows[self.row_key(rows[-1])].append(text)

    @staticmethod
    def row_key(attributes) -> tuple[str, str, str | None]:
        return attributes["data-figure"], attributes["data-node"], attributes.get("data-way")

    def handle_data(self, data):
        self.text.append(data)


def run_html(tmp_path, *arguments) -> tuple[Page, dict, str]:
    page_path = tmp_path / "report.html"
    done = CliRunner().invoke(main, ["run", *arguments, "--html", str(page_path),
                                     "--format", "json"])
    assert done.exit_code == 0, done.output
    text = page_path.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    return page, json.loads(done.output), text


def test_the_page_is_self_contained(tmp_path):
    _, _, text = run_html(tmp_path, str(EXAMPLES / "welcome"))
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert re.findall(r"(?:src|href)=|url\((?!#)", text) == []
    assert set(re.findall(r"https?://[^\s\"')]+", text)) == {"http://www.w3.org/2000/svg"}
    assert "@media print" in text and "@media (max-width" in text and 'name="viewport"' in text


def test_the_diagram_shows_the_counts_of_the_tables(tmp_path):
    page, report, _ = run_html(tmp_path, str(EXAMPLES / "welcome"))
    [version] = report["journeys"][0]["versions"]
    statements = {f"{s['file']}:{s['line']}:{s['column']}": s for s in version["statements"]}
    assert set(page.boxes) - {"entry", "end"} == set(statements)
    for key, statement in statements.items():
        box, row = page.boxes[key], page.rows["reached", key, None]
        assert (int(box["data-reached"]), int(box["data-waiting"]), int(box["data-errors"])) == (
            statement["reached"], statement["waiting"], statement["errors"])
        assert box["lines"][-1].startswith(f"{statement['reached']} reached")
        assert row[:2] == [str(statement["line"]), str(statement["reached"])]
        for way, taken in enumerate(statement.get("ways", ())):
            label = page.labels[key, way]
            assert label == f"{taken['way']} · {taken['profiles']}"
            assert page.rows["way", key, str(way)][-1] == str(taken["profiles"])
    entry = page.boxes["entry"]
    assert entry["lines"][-1] == f"{version['entries']} entered"
    [wait] = version["waits_for_event"]
    key = f"{wait['file']}:{wait['line']}:{wait['column']}"
    assert page.labels[key, 0] == f"got purchase · {wait['received']}"
    assert page.labels[key, 1] == f"after 7d · {wait['timed_out']}"
    assert page.rows["wait", key, None][2:4] == [str(wait["received"]), str(wait["timed_out"])]


def test_a_holdout_journey_shows_its_lift(tmp_path):
    page, report, text = run_html(tmp_path, str(EXAMPLES / "onboarding"), "--scenario",
                                  str(EXAMPLES / "onboarding" / "scenario.toml"))
    version = report["journeys"][0]["versions"][0]
    lift = version["lift"]
    assert lift["held_out"] > 0 and [e["event"] for e in lift["events"]] == [
        "unsubscribed", "tip_opened"]
    assert "Hold-out lift" in text
    assert page.boxes["entry"]["lines"][-1] == (
        f"{version['entries']} entered · {version['holdouts']} held out")


def test_strict_exits_1_on_runtime_errors_and_names_print_as_text(tmp_path):
    (tmp_path / "markup.journey").write_text(MARKUP, encoding="utf-8")
    (tmp_path / "profiles.jsonl").write_text('{"id": "p1", "zero": 0}\n', encoding="utf-8")
    (tmp_path / "events.jsonl").write_text(
        '{"time": "2026-03-01T09:00:00Z", "profile": "p1", "event": "signup"}\n', encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(main, ["run", str(tmp_path)], env={"COLUMNS": "120"})
    assert done.exit_code == 0
    assert "[red]x" in done.output and "[bold]welcome" in done.output
    assert "division by zero" in done.output and "Runtime errors" in done.output
    strict = runner.invoke(main, ["run", str(tmp_path), "--strict"], env={"COLUMNS": "120"})
    assert strict.exit_code == 1
    assert "error: 1 runtime error happened during the run (--strict)" in strict.output
    (tmp_path / "profiles.jsonl").write_text('{"id": "p1", "zero": 1}\n', encoding="utf-8")
    assert runner.invoke(main, ["run", str(tmp_path), "--strict"]).exit_code == 0
    page, _, text = run_html(tmp_path, str(tmp_path))
    assert "<h2>[red]x " in text and page.boxes


def test_an_unwritable_page_is_a_usage_error(tmp_path):
    done = CliRunner().invoke(main, ["run", str(EXAMPLES / "welcome"), "--html",
                                     str(tmp_path / "missing" / "r.html")])
    assert done.exit_code in (1, 2) and "r.html" in done.output


def test_the_page_is_the_same_byte_for_byte_on_a_second_run(tmp_path):
    first = run_html(tmp_path, str(EXAMPLES / "ab-test"))[2]
    assert run_html(tmp_path, str(EXAMPLES / "ab-test"))[2] == first
    assert "waits for no event and exits on none" in first


def test_a_campaign_shows_its_population_on_every_edge_and_its_joins(tmp_path):
    page, report, text = run_html(tmp_path, str(EXAMPLES / "and-join-campaign"))
    [campaign] = report["campaigns"]
    [execution] = campaign["executions"]
    assert "Spring tiers" in text and "campaign · 1 execution" in text
    statements = {f"{s['file']}:{s['line']}:{s['column']}": s for s in campaign["statements"]}
    assert set(page.boxes) - {"entry", "end"} == set(statements)
    into = {key: text for (key, way), text in page.labels.items() if way == -1}
    for key, statement in statements.items():
        assert page.boxes[key]["lines"][-1].startswith(f"{statement['reached']} reached")
        if key in into:  # the edge of a sequence leading into the statement
            assert into[key] == str(statement["reached"])
    first = campaign["statements"][0]  # the edge from the entry carries every member read
    assert into[f"{first['file']}:{first['line']}:{first['column']}"] == str(execution["read"])
    populations = [item["population"] for item in execution["populations"]]
    for key, population in zip(statements, populations):
        assert page.rows["population", key, None][1] == str(population)
    [join] = execution["joins"]
    key = f"{join['file']}:{join['line']}:{join['column']}"
    assert page.rows["join", key, None][2:] == [join["at"], str(join["handed_on"])]
    assert join["at"] == "2026-03-05T08:00:00Z"  # the bronze branch's 3 days, the latest
