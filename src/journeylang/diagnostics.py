"""Diagnostics as data, and their rendering: `file:line:col: error[CODE]: message`, line, caret."""

from __future__ import annotations

import enum
import json
from typing import Iterable, Mapping

import attrs

from .source import Source, Span


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Related:
    """Another place a diagnostic involves (the first of two duplicate branches, say)."""

    message: str
    span: Span


@attrs.frozen
class Fix:
    """A diagnostic's suggestion as an edit: the text of `span` replaced by `text` (what a
    "did you mean" names, `==` for `=`), for tools that offer it as a quick fix."""

    span: Span
    text: str


@attrs.frozen
class Diagnostic:
    code: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    related: tuple[Related, ...] = ()
    fix: Fix | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)

    def to_json(self) -> dict:
        return {
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "related": [
                {
                    "message": related.message,
                    "file": related.span.file,
                    "line": related.span.line,
                    "column": related.span.column,
                }
                for related in self.related
            ],
        }


class JourneySyntaxError(Exception):
    """A program that does not parse; carries its diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(f"{d.span}: {d.message}" for d in diagnostics))


def _caret(source: Source | None, span: Span) -> list[str]:
    if source is None:
        return []
    text = source.line_text(span.line)
    width = max(1, (span.end_column if span.end_line == span.line else len(text) + 1) - span.column)
    gutter = str(span.line)
    pad = " " * len(gutter)
    prefix = "".join(char if char == "\t" else " " for char in text[: span.column - 1])
    return [
        f" {gutter} | {text}",
        f" {pad} | {prefix}^{'~' * (width - 1)}",
    ]


def render(diagnostic: Diagnostic, sources: Mapping[str, Source]) -> str:
    """The human form of a diagnostic: headline, source line, caret; then its related places."""
    span = diagnostic.span
    lines = [f"{span}: {diagnostic.severity.value}[{diagnostic.code}]: {diagnostic.message}"]
    lines += _caret(sources.get(span.file), span)
    for related in diagnostic.related:
        lines.append(f"{related.span}: note: {related.message}")
        lines += _caret(sources.get(related.span.file), related.span)
    return "\n".join(lines)


def render_all(diagnostics: Iterable[Diagnostic], sources: Mapping[str, Source]) -> str:
    return "\n".join(render(d, sources) for d in diagnostics)


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors

    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    checked = plural(files, "file")
    if not diagnostics:
        return f"{checked} checked: no problems found"
    return f"{checked} checked: {plural(errors, 'error')}, {plural(warnings, 'warning')}"


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False)
