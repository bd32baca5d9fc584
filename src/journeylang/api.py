"""The public Python API: check, simulate and format journeys given as files or as text."""

from __future__ import annotations

import contextlib
import datetime
import os
import pathlib
import tempfile
from typing import IO, Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeAlias

import attrs

from . import formatter, run
from .checker import check_workspace
from .diagnostics import Diagnostic, JourneySyntaxError, render_all
from .core.instants import TimeError
from .inputs import (InputError, action_responses_from_data, audiences_from_data,
                     datasources_from_data, events_from_records,
                     instant_from_data, load_audiences, profiles_from_records)
from .run import SimulationError, SimulationResult
from .runtime.records import Record as TraceRecord
from .source import Source
from .workspace import Workspace, WorkspaceError, from_texts, load

StrPath: TypeAlias = str | os.PathLike[str]
#: A file or directory of journeys, or several.
Paths: TypeAlias = StrPath | Sequence[StrPath]
#: The text of one file of journeys, or the texts of several by file name.
SourceText: TypeAlias = str | Mapping[str, str]
#: An ISO-8601 date-time with `Z` or an offset, an aware datetime, or seconds since the epoch.
Instant: TypeAlias = str | datetime.datetime | int

#: The file name that diagnostics and trace records give to a single source text.
SOURCE_NAME = "<source>"


class JourneyError(Exception):
    """Why check() or simulate() could not do its work: a program with errors (its
    `diagnostics`, located in `sources`), or a path or an input that cannot be used (`file`
    and, when known, `line` say where). `str(error)` is the one-line account."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = (),
                 sources: Mapping[str, Source] | None = None, file: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        self.sources: Mapping[str, Source] = sources or {}
        self.file = file
        self.line = line

    def render(self) -> str:
        """The error as `journey` prints it: each diagnostic with its source line and a caret,
        then `error: ` and the message."""
        shown = [render_all(self.diagnostics, self.sources)] if self.diagnostics else []
        return "\n\n".join([*shown, f"error: {self.message}"])


@attrs.frozen
class CheckResult:
    """Every problem check() found, sorted by file and position, and the sources they point
    into (for render())."""

    diagnostics: tuple[Diagnostic, ...]
    sources: Mapping[str, Source] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)

    @property
    def ok(self) -> bool:
        """No error (warnings allowed): the program can be simulated and published."""
        return not self.errors

    def render(self) -> str:
        """The diagnostics as `journey check` prints them, with source lines and carets."""
        return render_all(self.diagnostics, self.sources)

    def to_json(self) -> list[dict[str, Any]]:
        """The diagnostics as `journey check --format json` prints them."""
        return [d.to_json() for d in self.diagnostics]


def check(paths: Paths | None = None, *, source: SourceText | None = None,
          audiences: StrPath | Mapping[str, list[str]] | None = None) -> CheckResult:
    """Check the journeys under `paths` (files or directories), or given as `source` text,
    as `journey check` does.

    `audiences` are audiences given as data (`{"name": ["p1", ...]}`, or the path of such a
    JSON file). Without them, the `audiences.json` files of the workspace are read, as is its
    lock file; source text has neither. Raises JourneyError for a path that cannot be used.
    """
    with _reported(), _workspace(paths, source) as workspace:
        given: dict[str, list[str]] | None = None
        if isinstance(audiences, (str, os.PathLike)):
            given = load_audiences(audiences)
        elif audiences is not None:
            given = audiences_from_data(audiences)
        elif source is not None:
            given = {}  # text has no audiences.json beside it
        diagnostics = check_workspace(workspace, audiences=given)
        return CheckResult(tuple(diagnostics), workspace.sources)


def simulate(paths: Paths | None = None, *, source: SourceText | None = None,
             profiles: StrPath | Iterable[dict[str, Any]] | None = None,
             events: StrPath | Iterable[Mapping[str, Any]] | None = None,
             audiences: StrPath | Mapping[str, list[str]] | None = None,
             datasources: StrPath | Mapping[str, list[dict[str, Any]]] | None = None,
             actions: StrPath | Mapping[str, list[dict[str, Any]]] | None = None,
             scenario: StrPath | None = None, start: Instant | None = None,
             until: Instant | None = None, seed: int | None = None,
             population: int | None = None, trace: StrPath | IO[str] | IO[bytes] | None = None,
             keep_records: bool = False,
             on_record: Callable[[TraceRecord], None] | None = None,
             progress: Callable[[int, int], None] | None = None,
             workers: int | None = None, scheduler: str | None = None) -> SimulationResult:
    """Simulate the journeys under `paths`, or given as `source` text, as `journey run` does,
    and return the result: the report (a dict, as `--format json` prints it), the checker's
    warnings, the profiles as the run left them and the events it replayed.

    Each input is a path (read as `journey run` reads it) or the data itself: profiles as a
    list of dicts with an `id` (changed in place by `set profile`), events as dicts
    `{"time", "profile", "event", "data"}` (a time may also be an int, seconds since the
    epoch), audiences as `{"name": ["p1", ...]}`, data sources as
    `{"offers": [{"with": {...}, "result": ...}]}`, actions' responses in the same shape
    (`{"crm.lookup": [{"with": {...}, "result": ...}]}`); data is checked as a file's lines are.
    `start` and `until` take the forms of an event's time. Inputs not given come from the
    scenario, then from the workspace's default files (`profiles.jsonl`…; source text has
    none), then, for profiles and events, from the built-in population.

    `trace` (a path or a text file) receives every record as a line of JSON; `on_record` is
    called with each record as it happens, and nothing is kept unless `keep_records`.
    `progress(done, total)` is told how many events have been replayed. `workers` > 1 runs
    the profiles in that many processes and `scheduler` (an address) on a Dask cluster, with
    the report of one process (docs/simulator.md, Scale). Raises JourneyError when the program
    has errors or an input cannot be used; nothing is simulated then.
    """
    with _reported(), _workspace(paths, source) as workspace:
        return run.simulate(
            workspace, profiles=_given(profiles, profiles_from_records),
            events=_given(events, events_from_records),
            audiences=_given(audiences, audiences_from_data),
            datasources=_given(datasources, datasources_from_data),
            actions=_given(actions, action_responses_from_data), scenario=scenario,
            start=_instant(start, "start"), until=_instant(until, "until"), seed=seed,
            population=population, trace=trace, keep_records=keep_records,
            on_record=on_record, progress=progress, workers=workers, scheduler=scheduler)


def format(source: str) -> str:
    """The text of a file of journeys in the canonical layout, as `journey fmt` writes it
    (docs/formatting.md): its comments, and the logic of every journey in it, are kept, and
    formatted text formats to itself. Raises JourneyError, with the diagnostics, when the text
    has syntax errors."""
    if not isinstance(source, str):
        raise TypeError(f"format takes the text of a file, not {type(source).__name__}")
    try:
        return formatter.format_text(source, SOURCE_NAME)
    except JourneySyntaxError as error:
        raise JourneyError(f"{len(error.diagnostics)} syntax error(s) in the text: it was not "
                           "formatted", error.diagnostics,
                           {SOURCE_NAME: Source(SOURCE_NAME, source)}) from None


def _given(value: Any, check_data: Callable[[Any], Any]) -> Any:
    """An input as the run takes it: a path as it is (the run reads it), data checked."""
    if value is None or isinstance(value, (str, os.PathLike)):
        return value
    return check_data(value)


def _instant(value: Instant | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        return instant_from_data(value, name)
    except TimeError as error:
        raise JourneyError(str(error)) from None


@contextlib.contextmanager
def _workspace(paths: Paths | None, source: SourceText | None) -> Iterator[Workspace]:
    """The workspace of the paths, or of the source text for the time of a call."""
    if source is None:
        if paths is None:
            raise TypeError("give the paths of the journeys, or their text as source=")
        try:
            workspace = load([paths] if isinstance(paths, (str, os.PathLike)) else paths)
        except WorkspaceError as error:
            hint = (" (to use text, pass it as source=)"
                    if isinstance(paths, str) and ("\n" in paths or "{" in paths) else "")
            raise JourneyError(f"{error}{hint}") from None
        yield workspace
        return
    if paths is not None:
        raise TypeError("give the paths of the journeys or their text as source=, not both")
    texts = {SOURCE_NAME: source} if isinstance(source, str) else dict(source)
    # Text lives in no directory: an empty one stands in for it, so that no lock file or
    # default input file of the working directory is taken for the text's own.
    with tempfile.TemporaryDirectory(prefix="journey-") as root:
        yield from_texts(texts, pathlib.Path(root))


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """The run's and the readers' errors raised as JourneyError."""
    try:
        yield
    except SimulationError as error:
        sources = error.workspace.sources if error.workspace is not None else None
        raise JourneyError(str(error), error.diagnostics, sources) from None
    except InputError as error:
        raise JourneyError(str(error), file=error.file, line=error.line) from None
