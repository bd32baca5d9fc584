"""Version rules over the workspace and its lock file: numbering, what versions share, drafts,
and published versions left unchanged."""

from __future__ import annotations

from ... import nodes as n
from ...lockfile import fingerprint, locate
from ..context import Context
from ..rule import rule, warning


@rule("J610")
def version_numbering(context: Context):
    """The versions of a journey are numbered 1, 2, 3 … without gaps or duplicates."""
    for name, journeys in context.versions().items():
        seen: dict[int, n.Journey] = {}
        for journey in journeys:
            if journey.version in seen:
                yield journey.span, f'journey "{name}" version {journey.version} is defined twice', (
                    ("the other definition", seen[journey.version].span),)
            else:
                seen[journey.version] = journey
        for number in sorted(seen):
            if number > 1 and number - 1 not in seen:
                yield seen[number].span, (f'journey "{name}" has version {number} but no version '
                                          f"{number - 1}: versions are numbered 1, 2, 3 … without "
                                          "gaps")


def _entry_key(journey: n.Journey):
    entry = journey.entry
    if isinstance(entry, n.EventEntry):
        return "event", entry.event.name
    if isinstance(entry, n.AudienceEntry):
        return "audience", entry.audience.name
    return None


def _reentry_key(journey: n.Journey):
    reentry = journey.property(n.Reentry)
    return ("never", None) if reentry is None else (reentry.mode, reentry.period)


def _pairs(context: Context):
    """(first version, later version) for every journey with several versions."""
    for journeys in context.versions().values():
        ordered = sorted(journeys, key=lambda journey: journey.version)
        for later in ordered[1:]:
            yield ordered[0], later


@rule("J611")
def entry_changes_between_versions(context: Context):
    """Every version of a journey has the same kind of entry, on the same event or audience;
    another entry needs a new journey."""
    for first, later in _pairs(context):
        a, b = _entry_key(first), _entry_key(later)
        if a and b and a != b:
            yield later.entry.span, (
                f'version {later.version} of "{later.name}" enters on {b[0]} `{b[1]}`, version '
                f"{first.version} on {a[0]} `{a[1]}`: a different entry needs a new journey "
                "(a new name), not a new version"), (("the first version's entry", first.entry.span),)


@rule("J612")
def reentry_changes_between_versions(context: Context):
    """Every version of a journey has the same re-entry setting; another needs a new journey."""
    for first, later in _pairs(context):
        if _reentry_key(first) != _reentry_key(later):
            where = later.property(n.Reentry) or later.entry or later
            yield where.span, (
                f'version {later.version} of "{later.name}" changes the re-entry setting: '
                "a different re-entry rule needs a new journey (a new name), not a new version")


@rule("J613")
def published_version_changed(context: Context):
    """A version the lock file records as published keeps its logic; a change needs a new
    version (comments and formatting are not logic)."""
    if context.lock is None:
        return
    for journey in context.journeys:
        locked = context.lock.versions(journey.name).get(journey.version)
        if locked is not None and locked.fingerprint != fingerprint(journey):
            yield journey.span, (
                f'version {journey.version} of "{journey.name}" was published ({locked.status}) '
                f"and its logic has changed since: undo the change here and make it in version "
                f"{journey.version + 1}")


@rule("J614")
def published_version_missing(context: Context):
    """A version the lock file records as published is still in the workspace."""
    if context.lock is None:
        return
    defined = {(journey.name, journey.version) for journey in context.journeys}
    for name, versions in context.lock.journeys.items():
        for number, locked in versions.items():
            if (name, number) not in defined and any(j.name == name for j in context.journeys):
                yield locate(context.lock.source, (name, str(number))), (
                    f'version {number} of "{name}" is {locked.status} in the lock file but is no '
                    "longer in the workspace: restore it (profiles may still be in it)")


@rule("J615")
def one_draft_at_the_top(context: Context):
    """With a lock file, a journey has at most one draft: one version above the latest published
    one (a version below it that was never published is superseded, and stays unpublished)."""
    if context.lock is None:
        return
    for name, journeys in context.versions().items():
        highest = max(context.lock.versions(name), default=0)
        drafts = sorted((j for j in journeys if j.version > highest), key=lambda j: j.version)
        for extra in drafts[1:]:
            yield extra.span, (f'"{name}" has drafts {drafts[0].version} and {extra.version}: a '
                               f"journey has at most one draft; publish {drafts[0].version} first "
                               "or merge the two"), (("the other draft", drafts[0].span),)


@warning("J616")
def locked_journey_missing(context: Context):
    """A journey the lock file records is still in the workspace (a warning: it may have been
    deleted on purpose, but profiles may still be in it)."""
    if context.lock is None:
        return
    names = {journey.name for journey in context.journeys}
    for name in context.lock.journeys:
        if name not in names:
            yield locate(context.lock.source, (name,)), (
                f'journey "{name}" is in the lock file but not in the workspace')
