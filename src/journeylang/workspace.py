"""Loading a workspace: the `.journey` files under the given paths, parsed, with their sources."""

from __future__ import annotations

import os
import pathlib
from typing import Iterable, Mapping

import attrs

from .parser import parse_source
from .diagnostics import Diagnostic, JourneySyntaxError
from .nodes import Journey, Program
from .source import Source

SUFFIX = ".journey"


class WorkspaceError(Exception):
    """A path that cannot be used as a workspace (missing, or holding no journeys)."""


@attrs.frozen
class Workspace:
    """The parsed files of a workspace; files with syntax errors are in `sources` only."""

    root: pathlib.Path
    sources: dict[str, Source]
    programs: dict[str, Program]
    syntax_errors: tuple[Diagnostic, ...]

    @property
    def journeys(self) -> list[Journey]:
        return [journey for program in self.programs.values() for journey in program.journeys]


def journey_files(paths: Iterable[str | os.PathLike]) -> list[pathlib.Path]:
    """The `.journey` files named by `paths` (files, or directories searched recursively)."""
    found: list[pathlib.Path] = []
    for raw in paths:
        path = pathlib.Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(f"*{SUFFIX}") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise WorkspaceError(f"{raw}: no such file or directory")
    unique = list(dict.fromkeys(found))
    if not unique:
        raise WorkspaceError(f"no {SUFFIX} files in {', '.join(map(str, paths))}")
    return unique


def display_name(path: pathlib.Path) -> str:
    """A path as the user would write it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(pathlib.Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_source(path: pathlib.Path) -> Source:
    name = display_name(path)
    try:
        return Source(name, path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise JourneySyntaxError([_unreadable(name, f"not UTF-8 text (byte {error.start})")])
    except OSError as error:
        raise JourneySyntaxError([_unreadable(name, error.strerror or str(error))])


def _unreadable(name: str, why: str) -> Diagnostic:
    source = Source(name, "")
    return Diagnostic("J001", f"cannot read this file: {why}", source.span(0, 0))


def load(paths: Iterable[str | os.PathLike]) -> Workspace:
    paths = list(paths)
    files = journey_files(paths)
    first = pathlib.Path(paths[0])
    root = first if first.is_dir() else first.parent
    sources: list[Source] = []
    errors: list[Diagnostic] = []
    for path in files:
        try:
            sources.append(read_source(path))
        except JourneySyntaxError as error:
            errors.extend(error.diagnostics)
    return _parsed(root, sources, errors)


def from_texts(texts: Mapping[str, str], root: pathlib.Path) -> Workspace:
    """A workspace of journeys given as text, by file name: nothing is read for them. `root`
    is where a run looks for the lock file and the default input files."""
    return _parsed(root, [Source(name, text) for name, text in texts.items()], [])


def _parsed(root: pathlib.Path, sources: list[Source], errors: list[Diagnostic]) -> Workspace:
    programs: dict[str, Program] = {}
    for source in sources:
        try:
            programs[source.name] = parse_source(source)
        except JourneySyntaxError as error:
            errors.extend(error.diagnostics)
    return Workspace(root, {source.name: source for source in sources}, programs, tuple(errors))
