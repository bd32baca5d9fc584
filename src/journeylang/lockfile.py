"""The workspace's lock file `journeys.lock`: versions' statuses, read with located errors and
written atomically."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import tempfile

import attrs

from .diagnostics import Diagnostic
from .nodes import Journey
from .source import Source

LOCK_NAME = "journeys.lock"
FORMAT = 1
STATUSES = ("live", "closed", "stopped", "finished")


@attrs.frozen
class LockedVersion:
    """A version the lock file records: published once, with the fingerprint of its logic."""

    status: str
    published: str
    fingerprint: str
    stopped: str | None = None


@attrs.define
class Lock:
    """Every journey's recorded versions: {journey name: {version number: LockedVersion}}."""

    journeys: dict[str, dict[int, LockedVersion]] = attrs.Factory(dict)
    source: Source | None = None

    def versions(self, name: str) -> dict[int, LockedVersion]:
        return self.journeys.get(name, {})

    def status(self, name: str, version: int) -> str:
        """A version's status; a version the lock does not record is a draft."""
        locked = self.versions(name).get(version)
        return locked.status if locked else "draft"

    def to_text(self) -> str:
        """Stable JSON: journeys and versions in order, one field per line (small diffs)."""
        journeys = {
            name: {"versions": {str(number): {key: value for key, value in attrs.asdict(locked).items()
                                              if value is not None}
                                for number, locked in sorted(versions.items())}}
            for name, versions in sorted(self.journeys.items())
        }
        return json.dumps({"lockfile": FORMAT, "journeys": journeys}, indent=2,
                          ensure_ascii=False) + "\n"


class LockError(Exception):
    """A lock file that cannot be used; carries a located diagnostic."""

    def __init__(self, diagnostic: Diagnostic, source: Source):
        self.diagnostic = diagnostic
        self.source = source
        super().__init__(diagnostic.message)


def fingerprint(journey: Journey) -> str:
    """A digest of a version's logic: the syntax tree without positions, so that comments and
    formatting do not change it."""
    return "sha256:" + hashlib.sha256(repr(journey).encode("utf-8")).hexdigest()


def lock_path(root: pathlib.Path) -> pathlib.Path:
    return root / LOCK_NAME


def read_lock(root: pathlib.Path, name: str | None = None) -> Lock | None:
    """The workspace's lock file, or None when it has none. A broken one raises LockError."""
    path = lock_path(root)
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        source = Source(name or str(path), "")
        raise LockError(Diagnostic("J701", f"cannot read the lock file: {error}",
                                   source.span(0, 0)), source) from None
    return parse_lock(Source(name or str(path), text))


def parse_lock(source: Source) -> Lock:
    text = source.text

    def fail(message: str, *keys: str):
        raise LockError(Diagnostic("J702", f"{message}; fix the lock file by hand, or restore it "
                                   "from version control", locate(source, keys)), source)

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        span = source.span(error.pos, min(len(text), error.pos + 1))
        raise LockError(Diagnostic("J701", f"the lock file is not valid JSON: {error.msg}",
                                   span), source) from None
    if not isinstance(data, dict) or not isinstance(data.get("journeys"), dict):
        fail('expected {"lockfile": 1, "journeys": {...}}')
    if data.get("lockfile") != FORMAT:
        fail(f"unknown lock file format {data.get('lockfile')!r} (this version reads {FORMAT})",
             "lockfile")
    lock = Lock(source=source)
    for journey, entry in data["journeys"].items():
        versions = entry.get("versions") if isinstance(entry, dict) else None
        if not isinstance(versions, dict):
            fail(f'journey "{journey}" needs "versions": {{"1": {{...}}}}', journey)
        recorded: dict[int, LockedVersion] = {}
        for number, fields in versions.items():
            if not number.isdigit() or int(number) < 1:
                fail(f'journey "{journey}": version "{number}" is not a positive whole number',
                     journey, number)
            if not isinstance(fields, dict):
                fail(f'journey "{journey}" version {number}: expected an object', journey, number)
            status = fields.get("status")
            if status not in STATUSES:
                fail(f'journey "{journey}" version {number}: status {json.dumps(status)} is not one of '
                     f"{', '.join(STATUSES)}", journey, number, "status")
            for key in ("published", "fingerprint"):
                if not isinstance(fields.get(key), str):
                    fail(f'journey "{journey}" version {number}: "{key}" is missing',
                         journey, number)
            unknown = sorted(set(fields) - {"status", "published", "fingerprint", "stopped"})
            if unknown:
                fail(f'journey "{journey}" version {number}: unknown field "{unknown[0]}"',
                     journey, number, unknown[0])
            recorded[int(number)] = LockedVersion(status, fields["published"],
                                                  fields["fingerprint"], fields.get("stopped"))
        live = [number for number, locked in recorded.items() if locked.status == "live"]
        if len(live) > 1:
            first, second = sorted(live)[:2]
            fail(f'journey "{journey}": versions {first} and {second} are both live; at most '
                 "one version is live", journey)
        lock.journeys[journey] = recorded
    return lock


def locate(source: Source, keys: tuple[str, ...]):
    """The span of the innermost key found, searching each key after the previous one."""
    start, found = 0, None
    for key in keys:
        quoted = json.dumps(key, ensure_ascii=False)
        index = source.text.find(quoted, start)
        if index < 0:
            break
        found, start = (index, index + len(quoted)), index + len(quoted)
    if found is None:
        return source.span(0, min(1, len(source.text)))
    return source.span(*found)


def write_lock(root: pathlib.Path, lock: Lock) -> None:
    """Replace the lock file atomically: write a temporary file beside it, flush it to disk,
    then rename it over the old one, so a crash leaves the old file or the new, never half."""
    path = lock_path(root)
    descriptor, temporary = tempfile.mkstemp(prefix=".journeys.lock.", dir=root)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(lock.to_text())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
