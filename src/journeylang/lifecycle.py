"""Publishing, closing and stopping journey versions: the rules of the lifecycle, applied to
the lock file (the caller writes it)."""

from __future__ import annotations

import difflib

import attrs

from .lockfile import Lock, LockedVersion, fingerprint
from .nodes import Campaign, Journey


class LifecycleError(Exception):
    """A change the lifecycle rules refuse; nothing is changed."""


class UnknownVersion(LifecycleError):
    """The command names a journey or a version the workspace does not have (a usage error)."""


def versions_of(journeys: list[Journey], name: str) -> dict[int, Journey]:
    if any(isinstance(journey, Campaign) and journey.name == name for journey in journeys):
        raise UnknownVersion(f'"{name}" is a campaign: a campaign has no versions (a scenario\'s '
                             "lifecycle step `stop` ends it)")
    journeys = [journey for journey in journeys if not isinstance(journey, Campaign)]
    found = {journey.version: journey for journey in journeys if journey.name == name}
    if not found:
        names = sorted({journey.name for journey in journeys})
        close = difflib.get_close_matches(name, names, n=1)
        listed = f"journeys: {', '.join(names)}" if names else "it has no journeys"
        hint = f' (did you mean "{close[0]}"?)' if close else f" ({listed})"
        raise UnknownVersion(f'there is no journey "{name}" in the workspace{hint}')
    return found


def _pick(found: dict[int, Journey], name: str, version: int | None, default: int) -> int:
    number = default if version is None else version
    if number not in found:
        raise UnknownVersion(f'"{name}" has no version {number} (it has '
                             f"{', '.join(map(str, sorted(found)))})")
    return number


def _live(lock: Lock, name: str) -> int | None:
    return next((number for number, locked in lock.versions(name).items()
                 if locked.status == "live"), None)


def publish(lock: Lock, journeys: list[Journey], name: str, version: int | None,
            at: str) -> str:
    """Make a version live and close the one that was; returns what happened, in words."""
    found = versions_of(journeys, name)
    latest = max(found)
    number = _pick(found, name, version, latest)
    status = lock.status(name, number)
    if status == "live":
        raise LifecycleError(f'"{name}" version {number} is already live')
    if status != "draft":
        raise LifecycleError(f'"{name}" version {number} is {status}: a version is published '
                             f"once; create version {latest + 1} from it and publish that")
    if number != latest:
        raise LifecycleError(f'only the latest version of "{name}" ({latest}) can be published, '
                             f"not version {number}")
    recorded = lock.journeys.setdefault(name, {})
    previous = _live(lock, name)
    if previous is not None:
        recorded[previous] = attrs.evolve(recorded[previous], status="closed")
    recorded[number] = LockedVersion("live", at, fingerprint(found[number]))
    told = f'published "{name}" version {number}: it is live'
    if previous is not None:
        told += (f"; version {previous} is closed (it takes no new entries, and the profiles "
                 "in it finish there)")
    return told


def close(lock: Lock, journeys: list[Journey], name: str, version: int | None) -> str:
    """Close a live version to new entries; the profiles inside finish."""
    number = _live_or_given(lock, journeys, name, version)
    status = lock.status(name, number)
    if status != "live":
        raise LifecycleError(f'"{name}" version {number} is {status}: only a live version can '
                             "be closed")
    lock.journeys[name][number] = attrs.evolve(lock.journeys[name][number], status="closed")
    return (f'closed "{name}" version {number}: it takes no new entries; the profiles in it '
            "finish there")


def stop(lock: Lock, journeys: list[Journey], name: str, version: int | None, at: str) -> str:
    """Stop a live or closed version: every profile in it leaves at once."""
    number = _live_or_given(lock, journeys, name, version)
    status = lock.status(name, number)
    if status == "draft":
        raise LifecycleError(f'"{name}" version {number} was never published: there is nothing '
                             "to stop")
    if status in ("stopped", "finished"):
        raise LifecycleError(f'"{name}" version {number} is already {status}')
    lock.journeys[name][number] = attrs.evolve(lock.journeys[name][number], status="stopped",
                                               stopped=at)
    return (f'stopped "{name}" version {number}: every profile in it leaves at once, and it '
            "takes no new entries (no earlier version reopens)")


def _live_or_given(lock: Lock, journeys: list[Journey], name: str, version: int | None) -> int:
    found = versions_of(journeys, name)
    if version is not None:
        return _pick(found, name, version, version)
    live = _live(lock, name)
    if live is None:
        raise LifecycleError(f'"{name}" has no live version; name one with --version')
    return live


@attrs.frozen
class VersionRow:
    """One line of `journey versions`."""

    journey: str
    version: int
    status: str
    published: str | None
    where: str | None  # file:line, None when the version is only in the lock file
    changed: bool      # published, and its logic differs from the lock's fingerprint

    def to_json(self) -> dict:
        return attrs.asdict(self)


def version_rows(lock: Lock, journeys: list[Journey], name: str | None = None) -> list[VersionRow]:
    if name is None:  # campaigns have no versions
        journeys = [journey for journey in journeys if not isinstance(journey, Campaign)]
    names = sorted({journey.name for journey in journeys} | set(lock.journeys))
    if name is not None:
        if name not in lock.journeys:
            versions_of(journeys, name)  # refuses an unknown name
        names = [name]
    rows = []
    for journey_name in names:
        defined = {j.version: j for j in journeys if j.name == journey_name}
        recorded = lock.versions(journey_name)
        for number in sorted(set(defined) | set(recorded)):
            journey, locked = defined.get(number), recorded.get(number)
            where = f"{journey.span.file}:{journey.span.line}" if journey else None
            changed = bool(journey and locked and locked.fingerprint != fingerprint(journey))
            status = locked.status if locked else (
                "superseded" if number < max(recorded, default=0) else "draft")
            rows.append(VersionRow(journey_name, number, status,
                                   locked.published if locked else None, where, changed))
    return rows
