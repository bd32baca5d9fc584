"""A checker rule: a stable code, a severity, a docstring stating the rule, and its check."""

from __future__ import annotations

import difflib
from typing import Callable, Iterable, Iterator

import attrs

from ..diagnostics import Diagnostic, Fix, Related, Severity

Finding = tuple  # (span, message[, ((note, span), ...)[, Fix | None]])


@attrs.frozen
class Rule:
    code: str
    name: str
    severity: Severity
    check: Callable[..., Iterable[Finding]]

    @property
    def doc(self) -> str:
        return " ".join((self.check.__doc__ or "").split())

    def run(self, context) -> Iterator[Diagnostic]:
        for span, message, *rest in self.check(context):
            related = tuple(Related(note, where) for note, where in (rest[0] if rest else ()))
            fix = rest[1] if len(rest) > 1 else None
            yield Diagnostic(self.code, message, span, self.severity, related, fix)


def rule(code: str, severity: Severity = Severity.ERROR):
    """Declare a rule: the function yields (span, message[, ((note, span), ...)[, fix]])
    findings."""

    def declare(check) -> Rule:
        return Rule(code, check.__name__.replace("_", "-"), severity, check)

    return declare


def warning(code: str):
    return rule(code, Severity.WARNING)


def suggest(name: str, candidates: Iterable[str], span, written=str) -> tuple[str, Fix | None]:
    """The near-miss among the candidates, as the ` (did you mean `x`?)` of a message and as
    the fix that writes it over `span` (`written(x)` is its text there); or ("", None)."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    if not close:
        return "", None
    return mention(close[0]), (Fix(span, written(close[0])) if span is not None else None)


def mention(name: str) -> str:
    return f" (did you mean `{name}`?)"


def quoted(text: str) -> str:
    """A name as a string literal of the language."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("{", "\\{")
    return f'"{escaped}"'


def repeats(items: Iterable[tuple[object, object]]) -> Iterator[tuple[object, object]]:
    """For (key, item) pairs: (item, the first item with that key) for every later one."""
    first: dict = {}
    for key, item in items:
        if key in first:
            yield item, first[key]
        else:
            first[key] = item


def loops(edges: dict, target_of) -> Iterator[tuple[object, tuple[str, ...]]]:
    """The edges of a directed graph that close a loop, each with the loop's names from its
    start back to it (`edges`: name → its edges; `target_of(edge)`: the name it leads to).
    A loop is found from its first name in sorted order, so it is given once, at the edge
    that leads back there. A stack of its own, no recursion."""
    for start in sorted(edges):
        path, pending, seen = [start], [iter(edges[start])], {start}
        while pending:
            edge = next(pending[-1], None)
            if edge is None:
                pending.pop()
                path.pop()
                continue
            target = target_of(edge)
            if target == start:
                if min(path) == start:
                    yield edge, (*path, start)
            elif target in edges and target not in seen:
                seen.add(target)
                path.append(target)
                pending.append(iter(edges[target]))
