"""The workspace's lock file `journeys.lock`: versions' statuses, read with located errors and
changed under an exclusive lock, each change written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pathlib
import re
import secrets
import stat
from typing import Iterator

import attrs
import filelock

from .diagnostics import Diagnostic
from .nodes import Journey
from .source import Source

LOCK_NAME = "journeys.lock"
GUARD_NAME = LOCK_NAME + ".lock"
FORMAT = 1
STATUSES = ("live", "closed", "stopped", "finished")
WAIT_SECONDS = 60
_TEMPORARY = re.compile(rf"\.{re.escape(LOCK_NAME)}\.[0-9a-f]+\.tmp")
_VERSION = re.compile(r"[1-9][0-9]*")
_VERSION_DIGITS = 18
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                             r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


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


class LockWriteError(OSError):
    """The lock file cannot be changed now (another command holds it, or the file system
    refuses); the lock file is left as it was."""


def fingerprint(journey: Journey) -> str:
    """A digest of a version's logic: the syntax tree without positions, so that comments and
    formatting do not change it, read with the properties before the entry (where `journey
    fmt` puts them: which of the two comes first is layout, not logic). The tree of a journey
    written that way is read as it is."""
    canonical = attrs.evolve(journey, header=journey.properties + journey.entries)
    return "sha256:" + hashlib.sha256(repr(canonical).encode("utf-8")).hexdigest()


def lock_path(root: pathlib.Path) -> pathlib.Path:
    return root / LOCK_NAME


def read_lock(root: pathlib.Path, name: str | None = None) -> Lock | None:
    """The workspace's lock file, or None when it has none. A broken one raises LockError."""
    path = lock_path(root)
    source = Source(name or str(path), "")
    try:
        kind = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _unreadable(error.strerror or str(error), source) from None
    if stat.S_ISDIR(kind):
        raise _unreadable("it is a directory", source)
    if not stat.S_ISREG(kind):  # a pipe or a device: reading it could block or never end
        raise _unreadable("it is not a regular file", source)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise _unreadable(f"not UTF-8 text (byte {error.start})", source) from None
    except OSError as error:
        raise _unreadable(error.strerror or str(error), source) from None
    return parse_lock(Source(source.name, text))


def _unreadable(why: str, source: Source) -> LockError:
    return LockError(Diagnostic("J701", f"cannot read the lock file: {why}", source.span(0, 0)),
                     source)


class _LongNumber:
    """A JSON number with more digits than Python converts to an int; no field takes one."""

    def __init__(self, digits: str):
        self.digits = digits


def _number(digits: str) -> int | _LongNumber:
    try:
        return int(digits)
    except ValueError:  # more digits than sys.get_int_max_str_digits()
        return _LongNumber(digits)


def parse_lock(source: Source) -> Lock:
    text = source.text

    def fail(message: str, *keys: str):
        raise LockError(Diagnostic("J702", f"{message}; fix the lock file by hand, or restore it "
                                   "from version control", locate(source, keys)), source)

    def not_json(message: str, start: int = 0):
        span = source.span(start, min(len(text), start + 1))
        raise LockError(Diagnostic("J701", f"the lock file is not valid JSON: {message}", span),
                        source)

    try:
        data = json.loads(text, parse_int=_number)
    except json.JSONDecodeError as error:
        not_json(error.msg, error.pos)
    except RecursionError:
        not_json("it nests arrays or objects too deeply")
    if not _all_text(data):
        lone = _LONE_SURROGATE.search(text)
        escape = lone.group() if lone else "a \\u escape"
        not_json(f"{escape} is half of a surrogate pair, without the other half: not a "
                 "character", lone.start() if lone else 0)
    if not isinstance(data, dict) or not isinstance(data.get("journeys"), dict):
        fail('expected {"lockfile": 1, "journeys": {...}}')
    if type(data.get("lockfile")) is not int or data["lockfile"] != FORMAT:
        fail(f"unknown lock file format {_shown(data.get('lockfile'))} (this version reads "
             f"{FORMAT})", "lockfile")
    _no_unknown_field(data, {"lockfile", "journeys"}, "the lock file", fail)
    lock = Lock(source=source)
    for journey, entry in data["journeys"].items():
        versions = entry.get("versions") if isinstance(entry, dict) else None
        if not isinstance(versions, dict):
            fail(f'journey "{journey}" needs "versions": {{"1": {{...}}}}', journey)
        _no_unknown_field(entry, {"versions"}, f'journey "{journey}"', fail, journey)
        recorded: dict[int, LockedVersion] = {}
        for number, fields in versions.items():
            if not _VERSION.fullmatch(number):
                fail(f'journey "{journey}": version {_shown(number)} is not a version number '
                     "(a whole number from 1, in the digits 0 to 9, without leading zeros)",
                     journey, number)
            if len(number) > _VERSION_DIGITS:
                fail(f'journey "{journey}": version {_shown(number)} is too large (at most '
                     f"{_VERSION_DIGITS} digits)", journey, number)
            where = f'journey "{journey}" version {number}'
            if not isinstance(fields, dict):
                fail(f"{where}: expected an object, not {_shown(fields)}", journey, number)
            status = fields.get("status")
            if status not in STATUSES:
                fail(f"{where}: status {_shown(status)} is not one of {', '.join(STATUSES)}",
                     journey, number, "status")
            for key in ("published", "fingerprint", "stopped"):
                if key not in fields:
                    if key != "stopped":
                        fail(f'{where}: "{key}" is missing', journey, number)
                elif not isinstance(fields[key], str):
                    fail(f'{where}: "{key}" is {_shown(fields[key])}, not a string', journey,
                         number, key)
            _no_unknown_field(fields, {"status", "published", "fingerprint", "stopped"}, where,
                              fail, journey, number)
            recorded[int(number)] = LockedVersion(status, fields["published"],
                                                  fields["fingerprint"], fields.get("stopped"))
        live = [number for number, locked in recorded.items() if locked.status == "live"]
        if len(live) > 1:
            first, second = sorted(live)[:2]
            fail(f'journey "{journey}": versions {first} and {second} are both live; at most '
                 "one version is live", journey)
        lock.journeys[journey] = recorded
    return lock


def _no_unknown_field(fields: dict, known: set[str], where: str, fail, *keys: str) -> None:
    unknown = sorted(set(fields) - known)
    if unknown:
        fail(f"{where}: unknown field {_shown(unknown[0])}", *keys, unknown[0])


def _all_text(data) -> bool:
    """Whether every string, key or value, can be written as UTF-8: JSON's \\u escapes can
    make a lone surrogate, which cannot."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


def _shown(value) -> str:
    """A value of the lock file as a message shows it: short, whatever it is."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, _LongNumber):
        return f"a number of {len(value.digits.lstrip('-'))} digits"
    if isinstance(value, str) and len(value) > 40:
        value = value[:39] + "…"
    return json.dumps(value, ensure_ascii=False)


def locate(source: Source, keys: tuple[str, ...]):
    """The span of the innermost key found, searching each key after the previous one (as a
    key: quoted, then a colon, so that a value spelt like it is passed over)."""
    start, found = 0, None
    for key in keys:
        quoted = json.dumps(key, ensure_ascii=False)
        match = re.compile(re.escape(quoted) + r"\s*:").search(source.text, start)
        if match is None:
            break
        found = (match.start(), match.start() + len(quoted))
        start = found[1]
    if found is None:
        return source.span(0, min(1, len(source.text)))
    return source.span(*found)


@contextlib.contextmanager
def changing(root: pathlib.Path) -> Iterator[None]:
    """Hold the workspace's exclusive lock for a whole read-modify-write of the lock file, so
    that two commands changing it at once do not lose either change.

    The lock is an OS file lock on `journeys.lock.lock` beside the lock file: it is released
    when the holder ends, even killed, and the empty file stays (removing it would let a
    waiter lock a file that is no longer there). Temporary files left by a writer killed
    mid-write are removed while the lock is held, when no write can be under way."""
    shown = lock_path(root).as_posix()
    guard = filelock.FileLock(root / GUARD_NAME, timeout=WAIT_SECONDS)
    try:
        guard.acquire()
    except filelock.Timeout:
        raise LockWriteError(f"another command has been changing {shown} for {WAIT_SECONDS} "
                             "seconds; try again when it is done") from None
    except OSError as error:
        raise LockWriteError(f"cannot lock {shown}: {(root / GUARD_NAME).as_posix()}: "
                             f"{error.strerror or error}") from None
    try:
        for leftover in root.iterdir():
            if _TEMPORARY.fullmatch(leftover.name) and leftover.is_file():
                with contextlib.suppress(OSError):  # at worst it stays, harmless
                    leftover.unlink()
        yield
    finally:
        guard.release()


def write_lock(root: pathlib.Path, lock: Lock) -> None:
    """Replace the lock file atomically: write a temporary file beside it, flush it to disk,
    then rename it over the old one, so a crash leaves the old file or the new, never half.

    The temporary file is removed on any failure or interruption; one killed outright leaves
    it, for the next `changing` to remove. Call this inside `changing(root)` whenever another
    command may change the lock file at the same time. A failure raises LockWriteError."""
    path = lock_path(root)
    text = lock.to_text().encode("utf-8")
    temporary = root / f".{LOCK_NAME}.{secrets.token_hex(8)}.tmp"
    try:
        # created as any new file is (0o666 less the umask), then given the old file's mode
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_BINARY", 0), 0o666)
        with open(descriptor, "wb") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # no old file, or not ours to copy the mode of
            os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):  # already renamed, or never created
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise LockWriteError(f"cannot write {path.as_posix()}: "
                                 f"{error.strerror or error}") from error
        raise
    _sync_directory(root)


def _sync_directory(root: pathlib.Path) -> None:
    """Flush the rename itself to disk where the system allows it."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
