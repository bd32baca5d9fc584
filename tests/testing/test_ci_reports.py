"""What `journey check` and `journey test` give CI: SARIF 2.1.0 (checked with the published
OASIS schema, errata 01, shipped beside this file as sarif-schema-2.1.0.json, and with a schema
of the parts SARIF requires and journey gives), GitHub annotations, JUnit XML (checked with a
JUnit schema), warnings as errors, and the pre-commit hooks."""

from __future__ import annotations

import json
import pathlib
import shlex

import jsonschema
import pytest
import xmlschema
import yaml
from click.testing import CliRunner

from journeylang.cli import main

from ..conftest import CASES, EXAMPLES, ROOT

HERE = pathlib.Path(__file__).parent
SARIF_SCHEMA = json.loads((HERE / "sarif-2.1.0-required.schema.json").read_text())
PUBLISHED_SARIF = jsonschema.Draft4Validator(
    json.loads((HERE / "sarif-schema-2.1.0.json").read_text()),
    format_checker=jsonschema.FormatChecker())
JUNIT_SCHEMA = xmlschema.XMLSchema(HERE / "junit.xsd")
WITH_PROBLEMS = CASES / "check" / "J901-unknown-test-journey"


def journey(*words: str, cwd=None, monkeypatch=None):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(words), prog_name="journey")


def test_sarif_is_valid_and_locates_every_problem(monkeypatch):
    result = journey("check", ".", "--format", "sarif", cwd=WITH_PROBLEMS, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    log = json.loads(result.output)
    PUBLISHED_SARIF.validate(log)
    jsonschema.validate(log, SARIF_SCHEMA)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {"J201", "J901", "J990", "J100"} <= {rule["id"] for rule in rules}
    results = run["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results] == [("J901", 10), ("J901", 11)]
    for result_ in results:
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
    fix = results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert fix["insertedContent"]["text"] == '"Welcome"'
    assert fix["deletedRegion"]["startColumn"] == 13


def test_sarif_without_problems_has_no_results(monkeypatch):
    result = journey("check", ".", "--format", "sarif", cwd=EXAMPLES / "welcome",
                     monkeypatch=monkeypatch)
    assert result.exit_code == 0
    log = json.loads(result.output)
    PUBLISHED_SARIF.validate(log)
    jsonschema.validate(log, SARIF_SCHEMA)
    assert log["runs"][0]["results"] == []


def test_the_sarif_schema_refuses_what_sarif_forbids(monkeypatch):
    log = json.loads(journey("check", ".", "--format", "sarif", cwd=WITH_PROBLEMS,
                             monkeypatch=monkeypatch).output)
    del log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, SARIF_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        PUBLISHED_SARIF.validate({**log, "version": "2.0.0"})


def test_github_annotations_are_workflow_commands(monkeypatch):
    result = journey("check", ".", "--format", "github", cwd=WITH_PROBLEMS, monkeypatch=monkeypatch)
    lines = result.output.splitlines()
    assert lines[0] == ('::error file=a.journey,line=10,col=13,endLine=10,endColumn=21,'
                        'title=J901 unknown-test-journey::unknown journey "Welcom" (did you '
                        'mean `Welcome`?)')
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines)


def test_warnings_as_errors_fails_on_a_warning(monkeypatch):
    case = CASES / "check" / "J903-message-never-sent"
    assert journey("check", ".", cwd=case, monkeypatch=monkeypatch).exit_code == 0
    strict = journey("check", ".", "--warnings-as-errors", "--format", "json", cwd=case,
                     monkeypatch=monkeypatch)
    assert strict.exit_code == 1
    assert {d["severity"] for d in json.loads(strict.output)} == {"error"}


def test_junit_xml_is_valid_with_a_testcase_per_test(tmp_path, monkeypatch):
    case = CASES / "cli" / "test-fails-at-the-expectation"
    report = tmp_path / "results.xml"
    result = journey("test", ".", "--junit-xml", str(report), cwd=case, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    JUNIT_SCHEMA.validate(str(report))
    suites = JUNIT_SCHEMA.to_dict(str(report))
    cases = [c for suite in suites["testsuite"] for c in suite["testcase"]]
    assert [c["@name"] for c in cases] == ["gold members get the gold welcome",
                                           "silver members get the plain welcome"]
    assert "failure" not in cases[0]
    assert cases[1]["failure"]["@message"].startswith("welcome.journey:24:5: p2 got email")
    assert suites["@tests"] == 2 and suites["@failures"] == 1


def test_junit_xml_of_the_examples_is_valid(tmp_path, monkeypatch):
    report = tmp_path / "results.xml"
    result = journey("test", "examples", "--junit-xml", str(report), cwd=ROOT,
                     monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    JUNIT_SCHEMA.validate(str(report))


def test_the_junit_schema_refuses_a_testcase_without_a_name(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<testsuites><testsuite name="a" tests="1"><testcase classname="a"/>'
                   "</testsuite></testsuites>")
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        JUNIT_SCHEMA.validate(str(bad))


def test_pre_commit_hooks_name_real_commands():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {hook["id"] for hook in hooks} == {"journey-check", "journey-fmt", "journey-test"}
    for hook in hooks:
        words = shlex.split(hook["entry"])
        assert words[0] == "journey" and hook["language"] == "python"
        assert words[1] in main.commands, f"{hook['id']}: no command `{words[1]}`"
        assert hook["files"] == r"\.journey$"
        help_text = CliRunner().invoke(main, [*words[1:2], "--help"]).output
        assert "Usage: " in help_text
