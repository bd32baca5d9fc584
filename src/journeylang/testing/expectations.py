"""Each expectation of a test held against what its run did; when it fails, what happened."""

from __future__ import annotations

import attrs

from .. import nodes as n
from ..checker.rules.tests import instant_of, labels, statements_of
from ..core.instants import format_instant
from ..core.values import JourneyRuntimeError, describe, equal, less
from ..runtime import records as r

_SHOWN = 3  # messages named in a failure, at most


@attrs.frozen
class Outcome:
    """What one test's run did: its records in time order, the profiles as it left them, and
    the statements each journey version reached (`file:line:col`)."""

    records: list
    profiles: dict
    reached: frozenset[str]
    workspace: object

    def of(self, profile: str, kind: type) -> list:
        return [record for record in self.records
                if isinstance(record, kind) and record.profile == profile]


def failure(expectation, outcome: Outcome) -> str | None:
    """None when the expectation holds, else what happened instead."""
    return _CHECKS[type(expectation)](expectation, outcome)


def _window(expectation: n.ExpectMessage):
    if expectation.at is None:
        return None
    low = instant_of(expectation.at)
    high = low if expectation.until is None else instant_of(expectation.until)
    return low, high


def _in(window, time: int) -> bool:
    return window is None or window[0] <= time <= window[1]


def _when(window) -> str:
    if window is None:
        return ""
    if window[0] == window[1]:
        return f" at {format_instant(window[0])}"
    return f" between {format_instant(window[0])} and {format_instant(window[1])}"


def _sent(record) -> str:
    return f'{record.channel} "{record.message}" at {format_instant(record.time)}'


def _listed(records) -> str:
    shown = ", ".join(_sent(record) for record in records[:_SHOWN])
    more = len(records) - _SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _message(expectation: n.ExpectMessage, outcome: Outcome) -> str | None:
    who = expectation.profile.name
    window = _window(expectation)
    sends = outcome.of(who, r.Send)
    matching = [s for s in sends if (expectation.channel is None or s.channel == expectation.channel)
                and (expectation.message is None or s.message == expectation.message)]
    inside = [s for s in matching if _in(window, s.time)]
    if expectation.negated:
        return f"{who} got {_listed(inside)}" if inside else None
    if inside:
        return None
    wanted = f'{expectation.channel} "{expectation.message}"'
    if matching:
        return f"{who} got {_listed(matching)}, not{_when(window)}"
    same_channel = [s for s in sends if s.channel == expectation.channel and _in(window, s.time)]
    if same_channel:
        return f'{who} got {_listed(same_channel)}, not "{expectation.message}"'
    suppressed = [s for s in outcome.of(who, r.Suppress) if s.channel == expectation.channel
                  and s.message == expectation.message]
    if suppressed:
        return (f"{wanted} to {who} was suppressed at {format_instant(suppressed[0].time)} "
                f"({getattr(suppressed[0], 'reason', 'consent')})")
    if sends:
        return f"{who} got no {expectation.channel}{_when(window)}; it got {_listed(sends)}"
    return f"{who} got no message at all{_why_nothing(who, outcome)}"


def _why_nothing(who: str, outcome: Outcome) -> str:
    """Why a profile got nothing, when its entries say: it was held out, or turned away, or
    never entered a journey."""
    entries = [record for record in outcome.records if record.profile == who
               and isinstance(record, (r.Enter, r.Reject, r.Holdout))]
    if not entries:
        return " (it entered no journey)"
    if any(isinstance(record, r.Enter) for record in entries):
        return ""
    first = entries[0]
    if isinstance(first, r.Holdout):
        return f' (it was held out of "{first.journey}" at {format_instant(first.time)})'
    return (f' (it was rejected from "{first.journey}" at {format_instant(first.time)} '
            f"because {first.reason})")


def _suppressed(expectation: n.ExpectSuppressed, outcome: Outcome) -> str | None:
    who = expectation.profile.name
    found = [s for s in outcome.of(who, r.Suppress) if s.channel == expectation.channel
             and s.message == expectation.message]
    wanted = f'{expectation.channel} "{expectation.message}"'
    if not found:
        sent = [s for s in outcome.of(who, r.Send) if s.channel == expectation.channel
                and s.message == expectation.message]
        if sent:
            return f"{who} got {_listed(sent)}: it was not suppressed"
        return f"{wanted} was never sent to {who}, nor suppressed"
    if expectation.reason is None:
        return None
    reasons = [getattr(s, "reason", "consent") for s in found]
    if expectation.reason.name in reasons:
        return None
    return f"{wanted} to {who} was suppressed because {reasons[0]}, not {expectation.reason.name}"


def _entries(who: str, journey: str, outcome: Outcome) -> list:
    return [record for record in outcome.records if record.profile == who
            and record.journey == journey and isinstance(record, (r.Enter, r.Reject, r.Holdout))]


def _entry_story(who: str, journey: str, outcome: Outcome) -> str:
    """What became of a profile's entries into a journey, said briefly."""
    told = []
    for record in _entries(who, journey, outcome)[:_SHOWN]:
        when = format_instant(record.time)
        if isinstance(record, r.Enter):
            told.append(f"entered version {record.version} at {when}")
        elif isinstance(record, r.Holdout):
            told.append(f"was held out at {when}")
        else:
            told.append(f"was rejected at {when} because {record.reason}")
    if not told:
        return "it never tried to enter"
    return "it " + ", then ".join(told)


def _enters(expectation: n.ExpectEnters, outcome: Outcome) -> str | None:
    who, journey = expectation.profile.name, expectation.journey.name
    if any(isinstance(e, r.Enter) and (expectation.version is None
                                       or e.version == expectation.version)
           for e in _entries(who, journey, outcome)):
        return None
    version = "" if expectation.version is None else f" version {expectation.version}"
    return f'{who} did not enter "{journey}"{version}: {_entry_story(who, journey, outcome)}'



def _rejected(expectation: n.ExpectRejected, outcome: Outcome) -> str | None:
    who, journey = expectation.profile.name, expectation.journey.name
    rejections = [e for e in _entries(who, journey, outcome) if isinstance(e, r.Reject)]
    if any(expectation.reason is None or e.reason == expectation.reason.name for e in rejections):
        return None
    because = "" if expectation.reason is None else f" because {expectation.reason.name}"
    return (f'{who} was not rejected from "{journey}"{because}: '
            f"{_entry_story(who, journey, outcome)}")


def _exits(expectation: n.ExpectExits, outcome: Outcome) -> str | None:
    who, journey = expectation.profile.name, expectation.journey.name
    exits = [e for e in outcome.of(who, r.Exit) if e.journey == journey]
    if any(expectation.reason is None or e.reason == expectation.reason.name for e in exits):
        return None
    if exits:
        shown = ", ".join(f"because {e.reason} at {format_instant(e.time)}" for e in exits[:_SHOWN])
        return f'{who} exited "{journey}" {shown}, not because {expectation.reason.name}'
    if any(isinstance(e, r.Enter) for e in _entries(who, journey, outcome)):
        return f'{who} is still in "{journey}" at the end of the run'
    return f'{who} never entered "{journey}": {_entry_story(who, journey, outcome)}'



def _compare(operator: str, left, right) -> bool:
    if operator == "==":
        return equal(left, right)
    if operator == "!=":
        return not equal(left, right)
    if left is None or right is None:
        return False
    try:
        if operator == "<":
            return less(left, right)
        if operator == "<=":
            return less(left, right) or equal(left, right)
        if operator == ">":
            return less(right, left)
        return less(right, left) or equal(left, right)
    except JourneyRuntimeError:
        return False


def _profile(expectation: n.ExpectProfile, outcome: Outcome) -> str | None:
    who = expectation.profile.name
    value = outcome.profiles.get(who)
    for name in expectation.path:
        value = value.get(name) if isinstance(value, dict) else None
    wanted = _comparable(value, n.constant_value(expectation.value))
    if _compare(expectation.operator, value, wanted):
        return None
    attribute = ".".join(expectation.path)
    return (f"{who}'s {attribute} is {describe(value)} at the end of the run, not "
            f"{expectation.operator} {describe(wanted)}")


def _comparable(value, wanted):
    """The expected value in the kind of the profile's (a date written in the test, compared
    with a date attribute)."""
    if isinstance(wanted, str) and hasattr(value, "isoformat"):
        try:
            return type(value).fromisoformat(wanted)
        except (TypeError, ValueError):
            return wanted
    return wanted


def _count(expectation: n.ExpectSent, outcome: Outcome) -> str | None:
    count = sum(1 for record in outcome.records if isinstance(record, r.Send)
                and record.channel == expectation.channel
                and (expectation.message is None or record.message == expectation.message))
    wanted = n.constant_value(expectation.value)
    if _compare(expectation.operator, count, wanted):
        return None
    what = expectation.channel + (f' "{expectation.message}"' if expectation.message else "")
    return f"{what} was sent {count} time{'' if count == 1 else 's'}, not {expectation.operator} {wanted}"


def reached_statements(expectation: n.ExpectReached, workspace) -> list:
    """The statements an `expect reached` names, in every version of its journey."""
    found = []
    for journey in workspace.journeys:
        if journey.name != expectation.journey.name:
            continue
        if expectation.label is not None:
            labelled = labels(workspace.sources[journey.span.file], journey)
            if expectation.label.name in labelled:
                found.append(labelled[expectation.label.name])
        else:
            found += [node for node in statements_of(journey) if node.span.line == expectation.line]
    return found


def _reached(expectation: n.ExpectReached, outcome: Outcome) -> str | None:
    statements = reached_statements(expectation, outcome.workspace)
    reached = [node for node in statements if str(node.span) in outcome.reached]
    where = (f"label {expectation.label.name}" if expectation.label is not None
             else f"line {expectation.line}")
    if expectation.negated and reached:
        return f"the statement at {reached[0].span} ({where}) was reached"
    if not expectation.negated and not reached:
        place = f" at {statements[0].span}" if statements else ""
        return f"no profile reached the statement{place} ({where})"
    return None


_CHECKS = {
    n.ExpectMessage: _message, n.ExpectSuppressed: _suppressed, n.ExpectEnters: _enters,
    n.ExpectRejected: _rejected, n.ExpectExits: _exits, n.ExpectProfile: _profile,
    n.ExpectSent: _count, n.ExpectReached: _reached,
}
