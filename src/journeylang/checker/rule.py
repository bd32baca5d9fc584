"""A checker rule: a stable code, a severity, a docstring stating the rule, and its check."""

from __future__ import annotations

import difflib
from typing import Callable, Iterable, Iterator

import attrs

from ..diagnostics import Diagnostic, Related, Severity

Finding = tuple  # (span, message) or (span, message, ((note, span), ...))


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
            yield Diagnostic(self.code, message, span, self.severity, related)


def rule(code: str, severity: Severity = Severity.ERROR):
    """Declare a rule: the function yields (span, message[, ((note, span), ...)]) findings."""

    def declare(check) -> Rule:
        return Rule(code, check.__name__.replace("_", "-"), severity, check)

    return declare


def warning(code: str):
    return rule(code, Severity.WARNING)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` (did you mean "x"?)` for a near-miss among the candidates, else nothing."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""



def repeats(items: Iterable[tuple[object, object]]) -> Iterator[tuple[object, object]]:
    """For (key, item) pairs: (item, the first item with that key) for every later one."""
    first: dict = {}
    for key, item in items:
        if key in first:
            yield item, first[key]
        else:
            first[key] = item
