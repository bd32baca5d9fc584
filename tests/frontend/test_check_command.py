"""`journey check` on files and directories: rendered or JSON diagnostics, exit 0 / 1 / 2."""

from __future__ import annotations

import json

from click.testing import CliRunner

from journeylang.cli import main

GOOD = 'journey "Welcome" {\n    on event signup\n    send email "welcome"\n}\n'
BAD = 'journey "Welcome" {\n    on event signup\n    send email welcome\n}\n'


def run(*args):
    return CliRunner().invoke(main, ["check", *args])


def test_clean_file_exits_0(tmp_path):
    (tmp_path / "good.journey").write_text(GOOD)
    result = run(str(tmp_path / "good.journey"))
    assert result.exit_code == 0, result.output
    assert "1 file checked: no problems found" in result.output


def test_problem_exits_1_with_location_line_and_caret(tmp_path):
    path = tmp_path / "bad.journey"
    path.write_text(BAD)
    result = run(str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].endswith("bad.journey:3:16: error[J100]: expected a message id (a string) "
                             "after `send email`, found the name `welcome`")
    assert lines[1] == " 3 |     send email welcome"
    assert lines[2] == "   |                ^~~~~~~"


def test_directory_is_searched_recursively_and_every_file_reported(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "bad.journey").write_text(BAD)
    (tmp_path / "b.journey").write_text(BAD.replace("welcome\n", "welcome\n    wait 3x\n"))
    (tmp_path / "notes.txt").write_text("not a journey")
    result = run(str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    reported = json.loads(result.stdout)
    assert sorted((d["file"].rsplit("/", 1)[-1], d["line"], d["code"]) for d in reported) == [
        ("b.journey", 3, "J100"), ("b.journey", 4, "J103"), ("bad.journey", 3, "J100")]
    assert set(reported[0]) >= {"file", "line", "column", "end_line", "end_column", "severity",
                                "code", "message", "related"}


def test_json_for_a_clean_workspace_is_an_empty_list(tmp_path):
    (tmp_path / "good.journey").write_text(GOOD)
    result = run(str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_missing_path_is_a_usage_error(tmp_path):
    result = run(str(tmp_path / "nowhere.journey"))
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_directory_without_journeys_is_a_usage_error(tmp_path):
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert "no .journey files" in result.output


def test_bad_format_option_is_a_usage_error(tmp_path):
    (tmp_path / "good.journey").write_text(GOOD)
    result = run(str(tmp_path), "--format", "xml")
    assert result.exit_code == 2


def test_file_that_is_not_utf8_is_reported_not_raised(tmp_path):
    (tmp_path / "latin1.journey").write_bytes('journey "Café" { on event a }'.encode("latin-1"))
    result = run(str(tmp_path))
    assert result.exit_code == 1
    assert "error[J001]: cannot read this file: not UTF-8 text" in result.output


def test_every_syntax_error_of_a_journey_is_printed(tmp_path):
    path = tmp_path / "three.journey"
    path.write_text('journey "Welcome" {\n    on event signup\n    send emial "welcome"\n'
                    '    if profile.tier = "gold" { send email "x" }\n    wait 3 days\n}\n')
    result = run(str(path), "--format", "json")
    assert result.exit_code == 1
    assert [(d["line"], d["column"], d["code"]) for d in json.loads(result.stdout)] == [
        (3, 10, "J100"), (4, 21, "J100"), (5, 10, "J100")]
