"""Shared test helpers: where the data lives, and golden files that can be regenerated."""

from __future__ import annotations

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
EXAMPLES = ROOT / "examples"


def update_golden() -> bool:
    """`JOURNEY_UPDATE_GOLDEN=1 pytest …` rewrites expected files instead of comparing."""
    return os.environ.get("JOURNEY_UPDATE_GOLDEN") == "1"


def assert_golden(expected_path: pathlib.Path, actual: str) -> None:
    if update_golden():
        expected_path.write_text(actual, encoding="utf-8")
        return
    if not expected_path.exists():
        pytest.fail(f"{expected_path} is missing; run with JOURNEY_UPDATE_GOLDEN=1 to create it")
    expected = expected_path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"\n--- expected ({expected_path.name})\n{expected}\n--- actual\n{actual}"
    )
