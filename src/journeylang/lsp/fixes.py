"""Quick fixes: the fix a diagnostic carries (a "did you mean", `==` for `=`) as a code action
on its range."""

from __future__ import annotations

from lsprotocol import types

from .diagnostics import Converter


def _overlap(a: types.Range, b: types.Range) -> bool:
    def key(position: types.Position):
        return position.line, position.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def quick_fixes(converter: Converter, uri: str, wanted: types.Range) -> list[types.CodeAction]:
    analysis = converter.analysis
    actions = []
    for diagnostic in analysis.diagnostics:
        fix = diagnostic.fix
        if fix is None or analysis.uri(diagnostic.span.file) != uri:
            continue
        shown = converter.diagnostic(diagnostic)
        if not _overlap(shown.range, wanted):
            continue
        edit = types.TextEdit(range=converter.range(fix.span), new_text=fix.text)
        actions.append(types.CodeAction(
            title=f"Replace with `{fix.text}`", kind=types.CodeActionKind.QuickFix,
            diagnostics=[shown], is_preferred=True,
            edit=types.WorkspaceEdit(changes={analysis.uri(fix.span.file): [edit]})))
    return actions
