"""Diagnostics as data, rendered for people, JSON, GitHub or SARIF; comments that silence one."""

from __future__ import annotations

import enum
import json
import re
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


# ---- comments: what silences a code on its line ---------------------------------------------

def line_comments(source: Source) -> dict[int, tuple[int, str]]:
    """Each line's comment, by 1-based line: its column and its text from `#` (a `#` inside a
    string is not one)."""
    found: dict[int, tuple[int, str]] = {}
    for number, line in enumerate(source.text.split("\n"), start=1):
        if "#" not in line:
            continue
        quoted = False
        index = 0
        while index < len(line):
            char = line[index]
            if quoted and char == "\\":
                index += 2
                continue
            if char == '"':
                quoted = not quoted
            elif char == "#" and not quoted:
                found[number] = (index + 1, line[index:].rstrip())
                break
            index += 1
    return found


#: The codes no checker rule reports (files, syntax, the lock file, ignores): name, default
#: severity and what each says, for the reports made for CI.
OTHER_CODES: dict[str, tuple[str, str, str]] = {
    "J001": ("unreadable-file", "error", "A journey file cannot be read (missing permission, "
             "not UTF-8)."),
    "J002": ("bad-audiences-file", "error", "An `audiences.json` beside the journeys is not a "
             "valid audience file."),
    "J100": ("unexpected-token", "error", "Unexpected text: the parser names what it expected."),
    "J101": ("unexpected-character", "error", "A character that has no meaning in journeylang."),
    "J102": ("unterminated-string", "error", "A string that is not closed before the end of its "
             "line."),
    "J103": ("bad-duration", "error", "A duration with an unknown unit or part."),
    "J104": ("bad-date-or-time", "error", "A date, date-time or time of day that does not "
             "exist."),
    "J105": ("bad-escape", "error", "An unknown escape in a string."),
    "J106": ("unexpected-end", "error", "The file ends in the middle of something."),
    "J107": ("bad-interpolation", "error", "An interpolation `{…}` is empty or not an "
             "expression, or a plain-text place holds one."),
    "J108": ("bad-version", "error", "A version number that is not a positive whole number."),
    "J109": ("bad-number", "error", "A number literal beyond the language's numbers."),
    "J110": ("nested-too-deeply", "error", "A program nested past the language's limits."),
    "J111": ("in-audience-needs-profile", "error", "`in audience` tests the profile: only "
             "`profile` can stand before it."),
    "J112": ("unclosed-brace", "error", "A `{` that no `}` closes."),
    "J701": ("lock-not-json", "error", "The lock file is not valid JSON."),
    "J702": ("lock-malformed", "error", "The lock file is JSON but not a lock file."),
    "J990": ("unused-ignore", "warning", "A `# journey: ignore[…]` comment names a code that is "
             "not reported on its line (or is not a code)."),
}

_IGNORE = re.compile(r"journey:\s*ignore\[([^\]]*)\]")
_CODE = re.compile(r"J\d{3}")
UNUSED_IGNORE = "J990"


def apply_ignores(diagnostics: Iterable[Diagnostic],
                  sources: Mapping[str, Source]) -> list[Diagnostic]:
    """The diagnostics less those silenced by a comment `# journey: ignore[J201, J202]` on
    their line, and a warning (J990) for each code such a comment names that silenced nothing
    (or that is not a code)."""
    ignores: dict[tuple[str, int], dict[str, Span]] = {}
    problems: list[Diagnostic] = []
    for name, source in sources.items():
        for line, (column, text) in line_comments(source).items():
            found = _IGNORE.search(text)
            if found is None:
                continue
            codes: dict[str, Span] = {}
            for item in re.finditer(r"[^,\s]+", found.group(1)):
                start = source.line_span(line).start + column - 1 + found.start(1) + item.start()
                span = source.span(start, start + len(item.group()))
                if _CODE.fullmatch(item.group()):
                    codes[item.group()] = span
                else:
                    problems.append(Diagnostic(UNUSED_IGNORE, (
                        f"`{item.group()}` is not a code: write `# journey: ignore[J201]`, "
                        "several codes separated by commas"), span, Severity.WARNING))
            ignores[(name, line)] = codes
    kept: list[Diagnostic] = []
    used: set[tuple[str, int, str]] = set()
    for diagnostic in diagnostics:
        place = (diagnostic.span.file, diagnostic.span.line)
        if diagnostic.code in ignores.get(place, ()):
            used.add((*place, diagnostic.code))
        else:
            kept.append(diagnostic)
    for (name, line), codes in ignores.items():
        for code, span in codes.items():
            if (name, line, code) not in used:
                problems.append(Diagnostic(UNUSED_IGNORE, (
                    f"`ignore[{code}]` silences nothing: no {code} is reported on this line; "
                    "remove it"), span, Severity.WARNING))
    return sorted(kept + problems, key=Diagnostic.sort_key)


def as_errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Every diagnostic as an error (`--warnings-as-errors`)."""
    return [attrs.evolve(d, severity=Severity.ERROR) for d in diagnostics]


# ---- for CI: GitHub annotations and SARIF ----------------------------------------------------

def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(diagnostics: Iterable[Diagnostic], names: Mapping[str, str]) -> str:
    """GitHub Actions workflow commands, one a diagnostic:
    `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=J201 unknown-audience::message`."""
    lines = []
    for d in diagnostics:
        span = d.span
        title = f"{d.code} {names.get(d.code, '')}".strip()
        properties = ",".join(f"{key}={_escape_property(str(value))}" for key, value in (
            ("file", span.file), ("line", span.line), ("col", span.column),
            ("endLine", span.end_line), ("endColumn", span.end_column), ("title", title)))
        lines.append(f"::{d.severity.value} {properties}::{_escape_data(d.message)}")
    return "\n".join(lines)


SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SUGGESTION = re.compile(r"\(did you mean `([^`]+)`\?\)")


def _region(span: Span) -> dict:
    return {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
            "endColumn": span.end_column}


def _location(span: Span, message: str | None = None) -> dict:
    location: dict = {"physicalLocation": {"artifactLocation": {"uri": span.file},
                                           "region": _region(span)}}
    if message is not None:
        location["message"] = {"text": message}
    return location


def _fixes(diagnostic: Diagnostic, sources: Mapping[str, Source]) -> list[dict]:
    """The fix a diagnostic suggests ("did you mean `x`?") as a SARIF replacement of the text at
    its place, when that text is the name replaced (quoted or not)."""
    suggestion = _SUGGESTION.search(diagnostic.message)
    source = sources.get(diagnostic.span.file)
    if suggestion is None or source is None:
        return []
    written = source.text[diagnostic.span.start:diagnostic.span.end]
    name = suggestion.group(1)
    if written.startswith('"') and written.endswith('"') and len(written) > 1:
        replacement = f'"{name}"'
    elif re.fullmatch(r"[\w.]+", written):
        replacement = name
    else:
        return []
    return [{"description": {"text": f"Replace `{written}` with `{replacement}`"},
             "artifactChanges": [{"artifactLocation": {"uri": diagnostic.span.file},
                                  "replacements": [{"deletedRegion": _region(diagnostic.span),
                                                    "insertedContent": {"text": replacement}}]}]}]


def to_sarif(diagnostics: Iterable[Diagnostic], sources: Mapping[str, Source],
             rules: Mapping[str, tuple[str, str, str]], version: str) -> str:
    """A SARIF 2.1.0 log of one run: the tool with every rule (`rules`: code → (name, default
    severity, description)), and a result per diagnostic with its place, its related places
    and the fix it suggests."""
    diagnostics = list(diagnostics)
    codes = sorted(set(rules) | {d.code for d in diagnostics})
    index = {code: number for number, code in enumerate(codes)}
    described = []
    for code in codes:
        name, severity, text = rules.get(code, (code, "error", ""))
        described.append({
            "id": code, "name": name,
            "shortDescription": {"text": text or name},
            "help": {"text": f"docs/diagnostics.md#{code.lower()} shows it with an example"},
            "defaultConfiguration": {"level": severity},
        })
    results = []
    for d in diagnostics:
        result = {"ruleId": d.code, "ruleIndex": index[d.code], "level": d.severity.value,
                  "message": {"text": d.message}, "locations": [_location(d.span)]}
        if d.related:
            result["relatedLocations"] = [dict(_location(r.span, r.message), id=number)
                                          for number, r in enumerate(d.related)]
        fixes = _fixes(d, sources)
        if fixes:
            result["fixes"] = fixes
        results.append(result)
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "journey", "version": version, "rules": described}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }]}
    return json.dumps(log, indent=2, ensure_ascii=False)


def caret_lines(source: Source | None, span: Span) -> list[str]:
    """The source line of a span and a caret under it, as diagnostics show them."""
    return _caret(source, span)
