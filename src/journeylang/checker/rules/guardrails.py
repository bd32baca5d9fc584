"""Guardrails: the limits a journey stays within (waits, timeout, re-entry period, size,
holdout), and re-entry settings that cannot work."""

from __future__ import annotations

import datetime

from ... import nodes as n
from ...core.values import format_duration
from ..context import Context
from ..rule import rule, warning

MAX_WAIT = datetime.timedelta(days=90)
MAX_TIMEOUT = datetime.timedelta(days=91)
MAX_REENTRY_PERIOD = datetime.timedelta(days=90)
MAX_ACTIVITIES = 50
MIN_READ_PERIOD = datetime.timedelta(hours=1)
READ_RATES = (1, 20000)  # members entering per second, at least and at most


def _days(duration: datetime.timedelta) -> str:
    return format_duration(duration.total_seconds())


def timeout_of(journey: n.Journey) -> datetime.timedelta:
    timeout = journey.property(n.Timeout)
    return timeout.duration if timeout else MAX_TIMEOUT


@rule("J501")
def wait_too_long(context: Context):
    """A `wait` and a `wait for event … within` last at most 90d."""
    for _, statement in context.statements_of(n.Wait, n.WaitForEvent):
        duration = statement.duration if isinstance(statement, n.Wait) else statement.within
        if duration is not None and duration > MAX_WAIT:
            yield statement.span, (f"this wait lasts {_days(duration)}, more than the 90d a wait "
                                   "may last: shorten it, or split the journey in two")


@rule("J502")
def timeout_too_long(context: Context):
    """A journey's `timeout` is at most 91d."""
    for journey in context.journeys:
        timeout = journey.property(n.Timeout)
        if timeout is not None and timeout.duration > MAX_TIMEOUT:
            yield timeout.span, (f"timeout {_days(timeout.duration)} is longer than the 91d "
                                 "maximum: use at most `timeout 91d`")


@rule("J503")
def reentry_period_too_long(context: Context):
    """A `reentry after` period is at most 90d."""
    for journey in context.journeys:
        reentry = journey.property(n.Reentry)
        if reentry is not None and reentry.period is not None and reentry.period > MAX_REENTRY_PERIOD:
            yield reentry.span, (f"a re-entry period of {_days(reentry.period)} is longer than the "
                                 "90d maximum: use at most `reentry after 90d` (or `reentry never`)")


_NO_WAIT = datetime.timedelta()


def longest_wait(statements: tuple) -> datetime.timedelta:
    """The most waiting any path through these statements can do, counting fixed waits."""
    total = datetime.timedelta()
    for statement in statements:
        total += _statement_wait(statement)
    return total


def _statement_wait(statement) -> datetime.timedelta:
    if isinstance(statement, n.Wait):
        return statement.duration
    if isinstance(statement, n.WaitForEvent):
        within = statement.within or datetime.timedelta()
        inner = max(longest_wait(statement.body or ()), longest_wait(statement.on_timeout or ()))
        return within + inner
    if isinstance(statement, n.If):
        blocks = [arm.body for arm in statement.arms] + [statement.orelse or ()]
        return max(longest_wait(block) for block in blocks)
    if isinstance(statement, n.Split):
        return max((longest_wait(arm.body) for arm in statement.arms), default=_NO_WAIT)
    if isinstance(statement, n.Fork):
        return max((longest_wait(branch.body) for branch in statement.branches), default=_NO_WAIT)
    if isinstance(statement, n.CallAction):
        return longest_wait(statement.on_error or ())
    return datetime.timedelta()


@rule("J504")
def waits_longer_than_timeout(context: Context):
    """The longest path of waits fits within the journey's timeout (91d unless set)."""
    for journey in context.journeys:
        timeout = timeout_of(journey)
        longest = longest_wait(journey.body)
        if longest > timeout:
            where = journey.property(n.Timeout)
            yield (where or journey).span, (
                f"the longest path waits {_days(longest)}, longer than the journey's timeout "
                f"({_days(timeout)}): profiles would be timed out before the end; shorten the "
                "waits" + ("" if timeout >= MAX_TIMEOUT else " or raise the timeout"))


@rule("J505")
def too_many_activities(context: Context):
    """A journey has at most 50 activities (statements, counting nested ones)."""
    for journey in context.journeys:
        count = len(context.statements_in(journey))
        if count > MAX_ACTIVITIES:
            yield journey.span, (f'journey "{journey.name}" has {count} activities, more than '
                                 f"{MAX_ACTIVITIES}: split it into smaller journeys")


@rule("J506")
def holdout_too_large(context: Context):
    """A holdout is below 100% (otherwise nobody is in the journey)."""
    for journey in context.journeys:
        holdout = journey.property(n.Holdout)
        if holdout is not None and holdout.percent >= 100:
            yield holdout.span, (f"a holdout of {holdout.percent:g}% keeps every profile out: "
                                 "use less than 100% (5% or 10% is usual)")


@rule("J507")
def read_too_often(context: Context):
    """A recurring audience read (`every D`) comes at least an hour apart."""
    for journey in context.journeys:
        entry = journey.entry
        if isinstance(entry, n.AudienceEntry) and entry.every is not None \
                and entry.every < MIN_READ_PERIOD:
            yield entry.span, (f"this audience is read every {_days(entry.every)}, more often "
                               "than once an hour, the shortest period a read may have: read it "
                               "`every 1h` or less often")


@rule("J520")
def rate_out_of_bounds(context: Context):
    """An action's `rate N/s`, `N/min` or `N/h` takes a whole N of at least 1; an audience
    read's `rate N/s` is per second, from 1 to 20000."""
    for program in context.programs:
        for decl in program.actions:
            rate = decl.setting(n.Rate)
            if rate is not None:
                yield from _rate_problems(rate, f"action `{decl.name.name}`", ("s", "min", "h"),
                                          (1, None))
    for journey in context.journeys:
        entry = journey.entry
        if isinstance(entry, n.AudienceEntry) and entry.rate is not None:
            yield from _rate_problems(entry.rate, "an audience read", ("s",), READ_RATES)


def _rate_problems(rate: n.Rate, whose: str, units: tuple[str, ...], bounds):
    low, high = bounds
    if rate.unit not in units:
        written = [f"`{rate.count}/{unit}`" for unit in units]
        choice = written[0] if len(written) == 1 else ", ".join(written[:-1]) + " or " + written[-1]
        yield rate.span, f"`/{rate.unit}` is not a period of {whose}'s rate: write {choice}"
    elif not float(rate.count).is_integer() or rate.count < low \
            or (high is not None and rate.count > high):
        what = "calls" if whose.startswith("action") else "members"
        limits = f"from {low} to {high}" if high is not None else f"at least {low}"
        per = {"s": "second", "min": "minute", "h": "hour"}[rate.unit]
        yield rate.span, (f"{whose}'s rate is a whole number of {what} per {per}, {limits}: "
                          f"not {rate.count}")


@rule("J521")
def action_cap_out_of_bounds(context: Context):
    """An action's `cap N per D` takes a whole N of at least 1 and a window D of at least 1s."""
    for program in context.programs:
        for decl in program.actions:
            cap = decl.setting(n.ActionCap)
            if cap is None:
                continue
            if not float(cap.count).is_integer() or cap.count < 1:
                yield cap.span, (f"action `{decl.name.name}`'s cap is a whole number of calls, "
                                 f"at least 1: not {cap.count}")
            elif cap.window < datetime.timedelta(seconds=1):
                yield cap.span, (f"action `{decl.name.name}`'s cap needs a window of at least "
                                 "1s")


@rule("J522")
def cap_out_of_bounds(context: Context):
    """A cap across journeys (`cap email N per PERIOD`) and a journey's `cap entries N [per D]`
    take a whole N of at least 1, and a window of at least 1s."""
    caps = [(cap, "this cap") for program in context.programs for cap in program.caps]
    caps += [(journey.property(n.EntryCap), f"the entry cap of \"{journey.name}\"")
             for journey in context.journeys if journey.property(n.EntryCap) is not None]
    for cap, what in caps:
        if not float(cap.count).is_integer() or cap.count < 1:
            yield cap.span, f"{what} is a whole number, at least 1: not {cap.count}"
        elif cap.window is not None and cap.window < datetime.timedelta(seconds=1):
            yield cap.span, f"{what} needs a window of at least 1s"


@warning("J601")
def reentry_period_beyond_timeout(context: Context):
    """A `reentry after` period longer than the journey's timeout: the period, not the journey,
    decides when a profile can come back (a warning)."""
    for journey in context.journeys:
        reentry = journey.property(n.Reentry)
        timeout = timeout_of(journey)
        if reentry is not None and reentry.period is not None and \
                timeout < reentry.period <= MAX_REENTRY_PERIOD:
            yield reentry.span, (f"the re-entry period ({_days(reentry.period)}) is longer than "
                                 f"the journey's timeout ({_days(timeout)}): a profile stays "
                                 f"unable to enter for at least {_days(reentry.period - timeout)} "
                                 "after its instance ends; is that meant?")


@warning("J602")
def reentry_without_effect(context: Context):
    """`reentry after` on a journey that starts from a one-off audience read has no effect: the
    audience is read once (a warning). A campaign's `reentry` is an error of its own (J801)."""
    for journey in context.journeys:
        if isinstance(journey, n.Campaign):
            continue
        reentry = journey.property(n.Reentry)
        entry = journey.entry
        if reentry is not None and reentry.mode != "never" and isinstance(entry, n.AudienceEntry) \
                and entry.every is None:
            yield reentry.span, (f"`reentry {reentry.mode}` has no effect: the audience is read "
                                 "once; add `every DURATION` to the read, or remove this line")
