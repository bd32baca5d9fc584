"""`journey test`: the tests written in a workspace run, each a fresh seeded simulation."""

from .results import coverage, junit_xml, render_text, summary
from .runner import TestingError, TestResult, TestRun, run_tests

__all__ = ["run_tests", "TestRun", "TestResult", "TestingError", "render_text", "junit_xml",
           "coverage", "summary"]
