"""Rules about tests: the journeys, profiles, messages, instants, reasons and values they name."""

from __future__ import annotations

import posixpath
import typing
import weakref
from typing import Iterator

from ... import nodes as n
from ...core.instants import TimeError, parse_instant
from ...diagnostics import line_comments
from ..context import Context
from ..rule import quoted, repeats, rule, suggest, warning
from ..sites import walk

#: The reasons an expectation can name, by its kind (the trace's reasons).
REASONS = {
    n.ExpectRejected: ("active", "reentry", "wait_period", "closed", "capped"),
    n.ExpectExits: ("end", "exit", "exit_criteria", "timeout", "stopped", "error"),
    n.ExpectSuppressed: ("consent", "capped"),
}
_STATEMENTS = typing.get_args(n.Statement)
_LABEL = "label:"


def in_scope(test_file: str, file: str) -> bool:
    """Whether a test in `test_file` sees the journeys of `file`: those of its directory and
    of the directories below it (docs/testing.md)."""
    return _below(posixpath.dirname(test_file), file)


def _below(directory: str, file: str) -> bool:
    return not directory or file.startswith(directory + "/")


def tests_of(context: Context) -> Iterator[n.TestDecl]:
    for program in context.programs:
        yield from program.tests


def instant_of(instant: n.Instant) -> int:
    """The instant a test writes, in seconds: a date-time with Z or an offset, or a date (its
    midnight in UTC); a TimeError for anything else."""
    text = instant.text
    return parse_instant(text + "T00:00:00Z" if "T" not in text else text)


def statements_of(journey: n.Journey) -> Iterator[n.Node]:
    """Every statement of a journey, nested ones included, in source order."""
    for statement in journey.body:
        for node in walk(statement):
            if isinstance(node, _STATEMENTS):
                yield node


def labels(source, journey: n.Journey) -> dict[str, n.Node]:
    """The statements of a journey labelled by a comment `# label: NAME`, by name: the comment
    ends the statement's first line, or stands alone on the line just above it."""
    comments = line_comments(source)
    found: dict[str, n.Node] = {}
    for statement in statements_of(journey):
        line = statement.span.line
        for place in (line, line - 1):
            comment = comments.get(place)
            if comment is None or (place != line and source.line_text(place)[
                    :comment[0] - 1].strip()):
                continue
            text = comment[1].lstrip("#").strip()
            if text.startswith(_LABEL) and text[len(_LABEL):].strip().isidentifier():
                found.setdefault(text[len(_LABEL):].strip(), statement)
    return found


class _Seen:
    """What the tests of one check see, worked out once: for each directory holding tests, the
    journeys its tests see by name (each with its versions); each journey's statements."""

    def __init__(self, context: Context):
        by_directory: dict[str, list[n.Journey]] = {}
        for journey in context.journeys:
            by_directory.setdefault(posixpath.dirname(journey.span.file), []).append(journey)
        self.scopes: dict[str, dict[str, list[n.Journey]]] = {
            directory: {} for directory in sorted(
                {posixpath.dirname(test.span.file) for test in tests_of(context)})}
        for holder, journeys in by_directory.items():
            directory = holder
            while True:  # the journeys of a directory are seen from it and every one above
                scope = self.scopes.get(directory)
                if scope is not None:
                    for journey in journeys:
                        scope.setdefault(journey.name, []).append(journey)
                above = posixpath.dirname(directory)
                if above == directory:  # "" or "/"
                    break
                directory = above
        self._statements: dict[int, list[n.Node]] = {}

    def statements(self, journey: n.Journey) -> list[n.Node]:
        found = self._statements.get(id(journey))
        if found is None:
            found = self._statements[id(journey)] = list(statements_of(journey))
        return found


_SEEN: "weakref.WeakKeyDictionary[Context, _Seen]" = weakref.WeakKeyDictionary()


def _seen(context: Context) -> _Seen:
    seen = _SEEN.get(context)
    if seen is None:
        seen = _SEEN[context] = _Seen(context)
    return seen


def _scopes(context: Context) -> dict[str, dict[str, list[n.Journey]]]:
    return _seen(context).scopes


def _scope(scopes, test: n.TestDecl) -> dict[str, list[n.Journey]]:
    return scopes[posixpath.dirname(test.span.file)]


@rule("J901")
def unknown_test_journey(context: Context):
    """A test's lifecycle line and expectations name a journey it sees (one in its directory or
    below), and a version that journey has."""
    scopes = _scopes(context)
    for test in tests_of(context):
        journeys = _scope(scopes, test)
        for line in test.lines:
            journey = getattr(line, "journey", None)
            if journey is None:
                continue
            if journey.name not in journeys:
                hint, fix = suggest(journey.name, journeys, journey.span, quoted)
                yield journey.span, f'unknown journey "{journey.name}"{hint}', (), fix
                continue
            version = getattr(line, "version", None)
            numbers = sorted(j.version for j in journeys[journey.name])
            if version is not None and version not in numbers:
                yield line.span, (f'"{journey.name}" has no version {version} (it has '
                                  f"{', '.join(map(str, numbers))})")


def _given_profiles(test: n.TestDecl) -> set[str]:
    return {given.id.name for given in test.given(n.TestProfile)}


@rule("J902")
def unknown_test_profile(context: Context):
    """Every profile a test's events, audiences and expectations name is given by a
    `profile "ID"` line of that test: a test's run has no other profiles."""
    for test in tests_of(context):
        given = _given_profiles(test)
        named: list[n.Ident] = []
        for line in test.lines:
            if isinstance(line, n.TestAudience):
                named += [n.Ident(item.value, span=item.span) for item in line.members.items
                          if isinstance(item, n.Literal) and isinstance(item.value, str)]
            elif isinstance(line.profile if hasattr(line, "profile") else None, n.Ident):
                named.append(line.profile)
        for ident in named:
            if ident.name not in given:
                hint, fix = suggest(ident.name, given, ident.span, quoted)
                yield ident.span, (f'unknown profile "{ident.name}"{hint}: give it in this '
                                   f'test with `profile "{ident.name}"`'), (), fix


def _sends(seen: _Seen, journeys: dict[str, list[n.Journey]]) -> set[tuple[str, str]]:
    return {(node.channel, node.message) for versions in journeys.values()
            for journey in versions for node in seen.statements(journey)
            if isinstance(node, n.Send)}


@warning("J903")
def message_never_sent(context: Context):
    """A message a test expects (or expects not) is sent by some journey of the workspace (a
    warning: such an expectation can only pass, or only fail)."""
    seen = _seen(context)
    sends_by_directory = {directory: _sends(seen, journeys)
                          for directory, journeys in seen.scopes.items()}
    for test in tests_of(context):
        sends = sends_by_directory[posixpath.dirname(test.span.file)]
        messages = {message for _, message in sends}
        for line in test.lines:
            if isinstance(line, (n.ExpectMessage, n.ExpectSuppressed, n.ExpectSent)) \
                    and line.message is not None:
                if line.channel is not None and (line.channel, line.message) not in sends:
                    channels = sorted(c for c, message in sends if message == line.message)
                    fix = None
                    if channels:
                        hint = f" (it is sent by {' and '.join(channels)})"
                    else:
                        hint, fix = suggest(line.message, messages,
                                            _message_span(context, line), quoted)
                    yield (line.span, f'no journey sends {line.channel} "{line.message}"{hint}',
                           (), fix)


def _message_span(context: Context, line):
    """Where an expectation writes its message (the string after the channel), if found."""
    span = line.span
    text = context.workspace.sources[span.file].text[span.start:span.end]
    at = text.find(quoted(line.message))
    return span.part(span.start + at, span.start + at + len(quoted(line.message))) \
        if at >= 0 else None


def _instants(line) -> Iterator[n.Instant]:
    """The instants a test's line writes (all are in its `at` and `until`)."""
    for name in ("at", "until"):
        instant = getattr(line, name, None)
        if isinstance(instant, n.Instant):
            yield instant


@rule("J904")
def bad_test_instant(context: Context):
    """A test's instants are date-times with Z or an offset (or dates, at midnight UTC),
    within the calendar; none comes before the test's `start` or after its `until`, and a
    window `between A and B` has A at or before B."""
    for test in tests_of(context):
        times: dict[int, int] = {}
        for instant in (instant for line in test.lines for instant in _instants(line)):
            try:
                times[id(instant)] = instant_of(instant)
            except TimeError as error:
                yield instant.span, str(error)
        start = next((times.get(id(s.at)) for s in test.given(n.TestStart)), None)
        until = next((times.get(id(s.at)) for s in test.given(n.TestUntil)), None)
        for line in test.lines:
            if isinstance(line, n.ExpectMessage) and line.until is not None:
                low, high = times.get(id(line.at)), times.get(id(line.until))
                if low is not None and high is not None and high < low:
                    yield line.until.span, (f"the window ends ({line.until.text}) before it "
                                            f"begins ({line.at.text})")
            if isinstance(line, (n.TestStart, n.TestUntil)):
                continue
            for instant in _instants(line):
                moment = times.get(id(instant))
                if moment is None:
                    continue
                if start is not None and moment < start:
                    yield instant.span, f"{instant.text} is before the test's start"
                elif until is not None and moment > until:
                    yield instant.span, f"{instant.text} is after the test's until"


@rule("J905")
def unknown_reason(context: Context):
    """`because REASON` names a reason of its kind: rejections are active, reentry,
    wait_period, closed or capped; exits end, exit, exit_criteria, timeout, stopped or error;
    suppressions consent or capped."""
    for test in tests_of(context):
        for line in test.lines:
            reasons = REASONS.get(type(line))
            if reasons and line.reason is not None and line.reason.name not in reasons:
                hint, fix = suggest(line.reason.name, reasons, line.reason.span)
                yield line.reason.span, (f"`{line.reason.name}` is not a reason here{hint}; "
                                         f"the reasons are {', '.join(reasons)}"), (), fix


@rule("J906")
def duplicate_test_name(context: Context):
    """Test names are unique among the tests of a directory (`journey test -k` and the
    reports name them)."""
    tests = list(tests_of(context))
    for test, first in repeats(((posixpath.dirname(test.span.file), test.name), test)
                               for test in tests):
        yield test.span, f'a test named "{test.name}" already exists', (
            ("the first one is here", first.span),)


@rule("J907")
def unknown_statement(context: Context):
    """`expect reached "J" line N` names a line where a statement of that journey starts;
    `label NAME` a statement labelled `# label: NAME`."""
    seen = _seen(context)
    known_labels: dict[int, dict] = {}  # by journey, worked out when first asked for
    lines: dict[int, set[int]] = {}
    for test in tests_of(context):
        journeys = _scope(seen.scopes, test)
        for line in test.lines:
            if not isinstance(line, n.ExpectReached) or line.journey.name not in journeys:
                continue
            versions = journeys[line.journey.name]
            for journey in versions:
                if id(journey) not in lines:
                    lines[id(journey)] = {node.span.line for node in seen.statements(journey)}
                    known_labels[id(journey)] = labels(
                        context.workspace.sources[journey.span.file], journey)
            if line.label is not None:
                known = {name for journey in versions for name in known_labels[id(journey)]}
                if line.label.name not in known:
                    hint, fix = suggest(line.label.name, known, line.label.span)
                    yield line.label.span, (
                        f'no statement of "{line.journey.name}" is labelled '
                        f"`{line.label.name}`{hint}: label one with a comment "
                        f"`# label: {line.label.name}`"), (), fix
            elif not any(line.line in lines[id(journey)] for journey in versions):
                yield line.span, f'no statement of "{line.journey.name}" starts on line {line.line}'


def _values(line) -> Iterator[n.Node]:
    """The parts of a test line that must be constants."""
    if isinstance(line, n.TestProfile):
        yield from (line.attributes,)
    elif isinstance(line, n.TestEvent):
        yield line.data
    elif isinstance(line, n.TestFixture):
        yield from (line.match, line.result)
    elif isinstance(line, n.TestAudience):
        yield line.members
    elif isinstance(line, (n.ExpectProfile, n.ExpectSent)):
        yield line.value


@rule("J908")
def test_value_not_constant(context: Context):
    """A test's data is constant (literals, lists and records of them): profiles, events,
    fixtures and the values expectations compare with; an audience lists profile ids, and
    `expect sent` compares with a whole number."""
    for test in tests_of(context):
        for line in test.lines:
            for value in _values(line):
                if value is None:
                    continue
                try:
                    data = n.constant_value(value)
                except n.NotConstant as error:
                    yield error.node.span, ("a test's data is constant: write a literal (a "
                                            "string, number, true, false, null, date), a list or "
                                            "a record of them")
                    continue
                if isinstance(line, n.TestAudience) and not all(isinstance(i, str) for i in data):
                    yield value.span, 'an audience lists profile ids: ["p1", "p2"]'
                if isinstance(line, n.ExpectSent) and (
                        isinstance(data, bool) or not isinstance(data, int) or data < 0):
                    yield value.span, "`expect sent` counts messages: compare with a whole number"


@rule("J909")
def profile_given_twice(context: Context):
    """A test gives each profile once (all its attributes on one `profile` line)."""
    for test in tests_of(context):
        given = [(line.id.name, line) for line in test.given(n.TestProfile)]
        for line, first in repeats(given):
            yield line.id.span, (f'profile "{line.id.name}" is given twice in this test: give '
                                 "its attributes on one line"), (("first given here", first.span),)
