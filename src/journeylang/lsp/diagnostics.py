"""The checker's diagnostics as the editor shows them: by file, each with its code and the
link to its entry in docs/diagnostics.md."""

from __future__ import annotations

from lsprotocol import types

from ..diagnostics import Diagnostic, Severity
from ..source import Source, Span
from .analysis import Analysis
from .positions import Positions

#: Where docs/diagnostics.md is published; a code's entry is its heading's anchor (`#j201`).
DOCS = "https://github.com/journeylang/journeylang/blob/main/docs/diagnostics.md"
SOURCE = "journey"


def documentation(code: str, base: str = DOCS) -> str:
    """The link to a code's entry: the page, then the anchor of its `### J201` heading."""
    return f"{base}#{code.lower()}"


class Converter:
    """Spans of an analysis's sources as editor ranges, in the client's encoding."""

    def __init__(self, analysis: Analysis, encoding: str, docs: str = DOCS):
        self.analysis = analysis
        self.encoding = encoding
        self.docs = docs
        self._positions: dict[str, Positions] = {}

    def positions(self, name: str, source: Source | None = None) -> Positions:
        key = name if source is None else f"{name}\0{id(source)}"
        if key not in self._positions:
            source = source or self.analysis.sources.get(name) or Source(name, "")
            self._positions[key] = Positions(source, self.encoding)
        return self._positions[key]

    def range(self, span: Span, source: Source | None = None) -> types.Range:
        return self.positions(span.file, source).span_range(span)

    def location(self, span: Span, source: Source | None = None) -> types.Location:
        return types.Location(uri=self.analysis.uri(span.file), range=self.range(span, source))

    def diagnostic(self, diagnostic: Diagnostic) -> types.Diagnostic:
        return types.Diagnostic(
            range=self.range(diagnostic.span),
            message=diagnostic.message,
            severity=(types.DiagnosticSeverity.Error if diagnostic.severity is Severity.ERROR
                      else types.DiagnosticSeverity.Warning),
            code=diagnostic.code,
            code_description=types.CodeDescription(href=documentation(diagnostic.code, self.docs)),
            source=SOURCE,
            related_information=[
                types.DiagnosticRelatedInformation(location=self.location(related.span),
                                                   message=related.message)
                for related in diagnostic.related] or None,
        )

    def by_uri(self) -> dict[str, list[types.Diagnostic]]:
        """Every file's diagnostics, by URI; a file without any has an empty list."""
        found: dict[str, list[types.Diagnostic]] = {
            self.analysis.uri(name): [] for name in self.analysis.sources}
        for diagnostic in self.analysis.diagnostics:
            found.setdefault(self.analysis.uri(diagnostic.span.file), []).append(
                self.diagnostic(diagnostic))
        return found
