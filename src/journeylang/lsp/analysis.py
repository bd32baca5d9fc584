"""The workspace a document belongs to, checked as the editor shows it: the `.journey` files of
its directory (open buffers over the files on disk) and the directory's lock file, with the
last good parse of every file for what needs a syntax tree while a file does not parse."""

from __future__ import annotations

import pathlib
from typing import Mapping

import attrs

from .. import nodes as n
from ..checker import check_workspace
from ..checker.context import Context
from ..checker.sites import KnownSites
from ..diagnostics import Diagnostic, JourneySyntaxError
from ..lockfile import Lock, LockError, read_lock
from ..source import Source
from ..workspace import SUFFIX, Workspace, read_source
from .positions import path_of, uri_of
from .reparse import Pieces


@attrs.frozen
class Parsed:
    """A text and its parse: the program, or the syntax errors."""

    source: Source
    program: n.Program | None
    errors: tuple[Diagnostic, ...]


@attrs.frozen(eq=False)
class Analysis:
    """A workspace at one moment: its diagnostics, and for each file the program the editor's
    features read (the current parse, or the last good one while the file does not parse)."""

    root: pathlib.Path | None
    uris: dict[str, str]  # source name → the URI the editor knows it by
    sources: dict[str, Source]  # every file checked, the lock file included
    diagnostics: tuple[Diagnostic, ...]
    programs: dict[str, tuple[Source, n.Program]]  # name → (the text it was parsed from, program)
    context: Context
    lock: Lock | None

    def name_of(self, uri: str) -> str | None:
        return next((name for name, known in self.uris.items() if known == uri), None)

    def uri(self, name: str) -> str:
        return self.uris.get(name) or uri_of(name)

    def program(self, name: str) -> tuple[Source, n.Program] | None:
        return self.programs.get(name)


class Analyser:
    """Checks workspaces as documents change; parses only the texts that changed, and of those
    only the declarations that changed."""

    def __init__(self) -> None:
        self._parsed: dict[str, Parsed] = {}
        self._pieces: dict[str, Pieces] = {}
        self._last_good: dict[str, tuple[Source, n.Program]] = {}
        self._sites = KnownSites()  # the journeys of the last check, for the next one

    def analyse(self, uri: str, open_documents: Mapping[str, str]) -> Analysis:
        """The workspace of the document at `uri`; `open_documents` are the editor's buffers
        (URI → text), which take precedence over the files on disk."""
        path = path_of(uri)
        if path is None:  # an unsaved buffer: a workspace of its own, with no lock file
            return self._checked(None, {uri: uri}, {uri: Source(uri, open_documents.get(uri, ""))},
                                 [], lock=None)
        root = path.parent
        uris: dict[str, str] = {}
        sources: dict[str, Source] = {}
        unreadable: list[Diagnostic] = []
        for file in sorted(root.glob(f"*{SUFFIX}")):
            if file.is_file():
                try:
                    sources[str(file)] = Source(str(file), read_source(file).text)
                except JourneySyntaxError as error:
                    unreadable.extend(error.diagnostics)
                uris[str(file)] = file.as_uri()
        for document_uri, text in open_documents.items():
            document = path_of(document_uri)
            if document is not None and document.parent == root and document.suffix == SUFFIX:
                sources[str(document)] = Source(str(document), text)
                uris[str(document)] = document_uri
        if str(path) not in sources and uri in open_documents:  # open under another suffix
            sources[str(path)] = Source(str(path), open_documents[uri])
            uris[str(path)] = uri
        unreadable = [d for d in unreadable if d.span.file not in sources]
        return self._checked(root, uris, dict(sorted(sources.items())), unreadable, lock=True)

    def _parse(self, source: Source) -> Parsed:
        known = self._parsed.get(source.name)
        if known is not None and known.source.text == source.text:
            return known
        try:
            pieces = self._pieces.setdefault(source.name, Pieces())
            parsed = Parsed(source, pieces.parse(source), ())
        except JourneySyntaxError as error:
            parsed = Parsed(source, None, tuple(error.diagnostics))
        except RecursionError:  # beyond what the front end takes: said as a syntax error
            parsed = Parsed(source, None, (Diagnostic(
                "J110", "this file nests too deep to be read", source.span(0, 0)),))
        self._parsed[source.name] = parsed
        if parsed.program is not None:
            self._last_good[source.name] = (source, parsed.program)
        return parsed

    def _checked(self, root, uris, sources, unreadable, *, lock) -> Analysis:
        parsed = {name: self._parse(source) for name, source in sources.items()}
        programs = {name: p.program for name, p in parsed.items() if p.program is not None}
        errors = tuple(unreadable) + tuple(e for p in parsed.values() for e in p.errors)
        workspace = Workspace(root or pathlib.Path.cwd(), dict(sources), programs, errors)
        if lock:
            diagnostics = check_workspace(workspace, known_sites=self._sites)
        else:
            diagnostics = check_workspace(workspace, audiences={}, lock=None,
                                          known_sites=self._sites)
        known = {name: self._last_good[name] for name in sources if name in self._last_good}
        recorded = _lock(root) if lock else None
        navigation = Workspace(workspace.root, {name: s for name, (s, _) in known.items()},
                               {name: program for name, (_, program) in known.items()}, ())
        context = Context(navigation, None, recorded)
        return Analysis(root, uris, workspace.sources, tuple(diagnostics), known, context,
                        recorded)

    def forget(self, names) -> None:
        for name in names:
            self._parsed.pop(name, None)
            self._pieces.pop(name, None)
            self._last_good.pop(name, None)


def _lock(root: pathlib.Path | None) -> Lock | None:
    if root is None:
        return None
    try:
        return read_lock(root)
    except LockError:  # reported by the checker
        return None
