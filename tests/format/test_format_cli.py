"""`journey fmt PATH... [--check] [--diff]`: what it writes, prints and exits with."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from journeylang.cli import main

from ..conftest import CASES, EXAMPLES, ROOT

MESSY = 'journey "Welcome" { on event signup   # the entry\n  send email "welcome" wait 1d12h }\n'
FORMATTED = ('journey "Welcome" {\n    on event signup  # the entry\n    send email "welcome"\n'
             "    wait 1d 12h\n}\n")
BROKEN = 'journey "Broken" {\n    on event signup\n    wait 12x\n}\n'


def fmt(*arguments):
    result = CliRunner().invoke(main, ["fmt", *map(str, arguments)], prog_name="journey")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "messy.journey").write_text(MESSY, encoding="utf-8")
    (tmp_path / "tidy.journey").write_text(FORMATTED, encoding="utf-8")
    return tmp_path


def test_the_shipped_examples_are_formatted():
    done = subprocess.run([sys.executable, "-m", "journeylang", "fmt", "--check", "examples/"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr
    assert "0 files would be reformatted" in done.stderr


def test_fmt_rewrites_what_is_not_formatted(workspace):
    result = fmt(".")
    assert result.exit_code == 0
    assert (workspace / "messy.journey").read_text(encoding="utf-8") == FORMATTED
    assert result.stdout == ""
    assert result.stderr == ("reformatted messy.journey\n"
                             "1 file reformatted, 1 left unchanged\n")
    again = fmt(".")
    assert (again.exit_code, again.stderr) == (0, "0 files reformatted, 2 left unchanged\n")


def test_fmt_keeps_the_permissions_and_leaves_no_temporary_file(workspace):
    path = workspace / "messy.journey"
    os.chmod(path, 0o640)
    assert fmt(path).exit_code == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert sorted(p.name for p in workspace.iterdir()) == ["messy.journey", "tidy.journey"]


def test_check_lists_the_files_that_would_change_and_writes_nothing(workspace):
    result = fmt("--check", ".")
    assert result.exit_code == 1
    assert result.stdout == "messy.journey\n"
    assert result.stderr == "1 file would be reformatted, 1 already formatted\n"
    assert (workspace / "messy.journey").read_text(encoding="utf-8") == MESSY
    assert fmt("--check", "tidy.journey").exit_code == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(workspace):
    result = fmt("--diff", ".")
    assert result.exit_code == 0
    assert result.stdout.startswith("--- messy.journey\n+++ messy.journey\n@@ ")
    assert "+    wait 1d 12h\n" in result.stdout
    assert (workspace / "messy.journey").read_text(encoding="utf-8") == MESSY
    if shutil.which("patch"):  # the diff applies as it is
        subprocess.run(["patch", "-p0", "--quiet"], input=result.stdout, text=True, check=True)
        assert (workspace / "messy.journey").read_text(encoding="utf-8") == FORMATTED


def test_check_with_diff_prints_the_diff_and_fails(workspace):
    result = fmt("--check", "--diff", ".")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- messy.journey\n")
    assert (workspace / "messy.journey").read_text(encoding="utf-8") == MESSY


def test_a_file_without_a_final_line_break(workspace):
    (workspace / "messy.journey").write_text(FORMATTED.rstrip("\n"), encoding="utf-8")
    result = fmt("--diff", "messy.journey")
    assert result.stdout.endswith("-}\n\\ No newline at end of file\n+}\n")
    assert fmt("messy.journey").exit_code == 0
    assert (workspace / "messy.journey").read_text(encoding="utf-8") == FORMATTED


def test_line_endings_become_line_feeds(workspace):
    path = workspace / "tidy.journey"
    path.write_bytes(FORMATTED.replace("\n", "\r\n").encode("utf-8"))
    assert fmt("--check", path).stdout == "tidy.journey\n"
    assert fmt(path).exit_code == 0
    assert path.read_bytes() == FORMATTED.encode("utf-8")


def test_a_file_with_syntax_errors_is_refused_and_left_as_it_is(workspace):
    (workspace / "broken.journey").write_text(BROKEN, encoding="utf-8")
    result = fmt(".")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "broken.journey:3:10: error[J103]: `12x` is not a duration")
    assert " 3 |     wait 12x\n" in result.stderr
    assert "error: broken.journey has errors: it is left as it is\n" in result.stderr
    assert result.stderr.endswith("1 file reformatted, 1 left unchanged, "
                                  "1 file not formatted (errors)\n")
    assert (workspace / "broken.journey").read_text(encoding="utf-8") == BROKEN
    assert (workspace / "messy.journey").read_text(encoding="utf-8") == FORMATTED  # the others are


def test_check_fails_on_a_file_with_syntax_errors(workspace):
    (workspace / "broken.journey").write_text(BROKEN, encoding="utf-8")
    result = fmt("--check", "broken.journey", "tidy.journey")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error[J103]" in result.stderr


def test_a_file_that_is_not_text_is_refused(workspace):
    (workspace / "binary.journey").write_bytes(b"journey \xff\n")
    result = fmt("binary.journey")
    assert result.exit_code == 1
    assert "error[J001]: cannot read this file: not UTF-8 text (byte 8)" in result.stderr
    assert (workspace / "binary.journey").read_bytes() == b"journey \xff\n"


@pytest.mark.parametrize("arguments, message", [
    ((), "Missing argument 'PATH...'"),
    (("missing.journey",), "missing.journey: no such file or directory"),
    (("empty",), "no .journey files in empty"),
])
def test_usage_errors_exit_2(workspace, arguments, message):
    (workspace / "empty").mkdir()
    result = fmt(*arguments)
    assert result.exit_code == 2
    assert message in result.stderr
    assert (workspace / "messy.journey").read_text(encoding="utf-8") == MESSY


def test_the_command_has_help():
    result = CliRunner().invoke(main, ["fmt", "--help"])
    assert result.exit_code == 0
    assert "--check" in result.output and "--diff" in result.output
    assert "journey fmt --check examples/" in result.output


def test_fmt_formats_what_a_check_case_holds(tmp_path, monkeypatch):
    """A directory of files, formatted in place, checks as it did."""
    shutil.copytree(CASES / "format", tmp_path / "cases")
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    before = CliRunner().invoke(main, ["check", "examples"])
    assert fmt("cases", "examples").exit_code == 0
    assert fmt("--check", "cases", "examples").exit_code == 0
    for expected in (tmp_path / "cases").rglob("expected.journey"):
        formatted = (expected.parent / "input.journey").read_text(encoding="utf-8")
        assert formatted == expected.read_text(encoding="utf-8")
    after = CliRunner().invoke(main, ["check", "examples"])
    assert (after.exit_code, after.output) == (before.exit_code, before.output)
