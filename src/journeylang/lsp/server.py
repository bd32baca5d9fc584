"""`journey lsp`: the language server's wiring over stdio (pygls). Documents come in, each
change checks the workspace of the document and publishes its diagnostics; requests are
answered from that analysis. Every handler is guarded: a failure is logged, never fatal."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import time
from importlib.metadata import version

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ..source import Source
from .analysis import Analyser, Analysis
from .completion import complete
from .diagnostics import DOCS, Converter
from .fixes import quick_fixes
from .formatting import format_document
from .hover import hover
from .navigation import Index, definition, document_symbols, references
from .positions import Positions, path_of

log = logging.getLogger("journeylang.lsp")

#: A change is checked at once when the workspace was last checked longer ago than this, so
#: that one edit shows its diagnostics as soon as the check is done; a change that follows
#: another more quickly (typing) waits until the changes pause this long, so that a burst is
#: checked once more at its end, not once per key. A request checks at once what is waiting.
SETTLE_SECONDS = 0.1


class JourneyServer(LanguageServer):
    """The server, with the latest analysis of each workspace it has seen."""

    def __init__(self) -> None:
        super().__init__("journey-lsp", version("journeylang"))
        self.analyser = Analyser()
        self.docs = DOCS
        self._analyses: dict[str, tuple[Analysis, Index | None]] = {}
        self._published: dict[str, set[str]] = {}
        self._waiting: dict[str, tuple[asyncio.TimerHandle, str]] = {}
        self._checked_at: dict[str, float] = {}  # workspace → when its last check ended

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    def text(self, uri: str, known: Source | None = None) -> str:
        """A document's text: the editor's buffer, else the file as last read, else none."""
        if uri in self.workspace.text_documents:
            return self.workspace.text_documents[uri].source
        return known.text if known is not None else ""

    def open_documents(self) -> dict[str, str]:
        return {uri: document.source for uri, document in self.workspace.text_documents.items()}

    @staticmethod
    def key(uri: str) -> str:
        path = path_of(uri)
        return uri if path is None else str(path.parent)

    def refresh_soon(self, uri: str) -> None:
        """Check the document's workspace after a change: at once after a quiet spell (and
        without an event loop), else once the changes pause."""
        key = self.key(uri)
        waiting = self._waiting.pop(key, None)
        if waiting is not None:
            waiting[0].cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        quiet = time.monotonic() - self._checked_at.get(key, float("-inf")) >= SETTLE_SECONDS
        if loop is None or (waiting is None and quiet):
            self.refresh(uri)
            return
        self._waiting[key] = (loop.call_later(SETTLE_SECONDS, self._refresh_guarded, uri), uri)

    def _refresh_guarded(self, uri: str) -> None:
        try:
            self.refresh(uri)
        except Exception:  # noqa: BLE001 — no input may stop the server
            log.exception("checking %s failed", uri)

    def refresh(self, uri: str) -> None:
        """Check the document's workspace again and publish every file's diagnostics (an empty
        list for a file that has none left)."""
        key = self.key(uri)
        waiting = self._waiting.pop(key, None)
        if waiting is not None:
            waiting[0].cancel()
        analysis = self.analyser.analyse(uri, self.open_documents())
        self._analyses[key] = (analysis, None)
        converter = Converter(analysis, self.encoding, self.docs)
        found = converter.by_uri()
        for stale in self._published.get(key, set()) - set(found):
            found[stale] = []
        for target, diagnostics in found.items():
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=target, diagnostics=diagnostics))
        self._published[key] = {target for target, shown in found.items() if shown}
        self._checked_at[key] = time.monotonic()

    def files_changed(self, uris) -> None:
        """Files changed on disk (a lock file written by `journey publish`, a journey edited
        elsewhere): each workspace already seen that holds one is checked again."""
        for uri in uris:
            key = self.key(uri)
            if key in self._analyses:
                self.refresh(uri)

    def forget(self, uri: str) -> None:
        """A closed buffer that is no file (or no longer one): its diagnostics are cleared."""
        self._analyses.pop(uri, None)
        self._published.pop(uri, None)
        path = path_of(uri)
        self.analyser.forget([uri] if path is None else [str(path)])
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def request(self, uri: str):
        """What a request needs: the analysis, its index, a converter, the document's name in
        the analysis, its text, and its positions."""
        key = self.key(uri)
        if key not in self._analyses or key in self._waiting:
            self.refresh(self._waiting[key][1] if key in self._waiting else uri)
        analysis, index = self._analyses[key]
        if index is None:
            index = Index(analysis)
            self._analyses[key] = (analysis, index)
        name = analysis.name_of(uri) or (str(path_of(uri)) if path_of(uri) else uri)
        text = self.text(uri, analysis.sources.get(name))
        positions = Positions(Source(name, text), self.encoding)
        return analysis, index, Converter(analysis, self.encoding, self.docs), name, text, positions


def guarded(handler):
    """A handler whose failure is logged (to the client's log too) and answered with nothing."""

    @functools.wraps(handler)
    def run(server: JourneyServer, params):
        try:
            return handler(server, params)
        except Exception as error:  # noqa: BLE001 — no input may stop the server
            log.exception("%s failed", handler.__name__)
            try:
                server.window_log_message(types.LogMessageParams(
                    type=types.MessageType.Error,
                    message=f"journey lsp: {handler.__name__} failed: {error!r}"))
            except Exception:  # noqa: BLE001 — the connection itself may be gone
                pass
            return None

    return run


def build() -> JourneyServer:
    server = JourneyServer()

    @server.feature(types.INITIALIZE)
    @guarded
    def initialize(ls: JourneyServer, params: types.InitializeParams):
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("diagnosticsDocs"), str):
            ls.docs = options["diagnosticsDocs"]

    @server.feature(types.INITIALIZED)
    @guarded
    def initialized(ls: JourneyServer, params: types.InitializedParams):
        watching = ls.client_capabilities.workspace
        watching = watching.did_change_watched_files if watching else None
        if watching and watching.dynamic_registration:
            ls.client_register_capability(types.RegistrationParams(registrations=[
                types.Registration(
                    id="journey-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                        types.FileSystemWatcher(glob_pattern="**/*.journey"),
                        types.FileSystemWatcher(glob_pattern="**/journeys.lock"),
                        types.FileSystemWatcher(glob_pattern="**/audiences.json")]))]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded
    def watched_files(ls: JourneyServer, params: types.DidChangeWatchedFilesParams):
        ls.files_changed(dict.fromkeys(change.uri for change in params.changes))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded
    def did_open(ls: JourneyServer, params: types.DidOpenTextDocumentParams):
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded
    def did_change(ls: JourneyServer, params: types.DidChangeTextDocumentParams):
        ls.refresh_soon(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded
    def did_save(ls: JourneyServer, params: types.DidSaveTextDocumentParams):
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded
    def did_close(ls: JourneyServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        path = path_of(uri)
        if path is None or not path.is_file():
            ls.forget(uri)
        if path is not None:  # the file on disk takes the buffer's place
            ls.refresh(uri)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=[".", '"']))
    @guarded
    def completion(ls: JourneyServer, params: types.CompletionParams):
        analysis, index, converter, name, text, positions = ls.request(params.text_document.uri)
        items = complete(index, name, text, positions.offset(params.position), positions)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded
    def on_hover(ls: JourneyServer, params: types.HoverParams):
        analysis, index, converter, name, text, positions = ls.request(params.text_document.uri)
        return hover(index, converter, name, text, positions.offset(params.position))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded
    def on_definition(ls: JourneyServer, params: types.DefinitionParams):
        analysis, index, converter, name, text, positions = ls.request(params.text_document.uri)
        return definition(index, converter, name, positions.offset(params.position))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded
    def on_references(ls: JourneyServer, params: types.ReferenceParams):
        analysis, index, converter, name, text, positions = ls.request(params.text_document.uri)
        return references(index, converter, name, positions.offset(params.position),
                          params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded
    def on_symbols(ls: JourneyServer, params: types.DocumentSymbolParams):
        analysis, index, converter, name, text, positions = ls.request(params.text_document.uri)
        return document_symbols(analysis, converter, name)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    @guarded
    def on_formatting(ls: JourneyServer, params: types.DocumentFormattingParams):
        uri = params.text_document.uri
        text = ls.text(uri)
        return format_document(uri, text, ls.encoding)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix]))
    @guarded
    def on_code_action(ls: JourneyServer, params: types.CodeActionParams):
        uri = params.text_document.uri
        analysis, index, converter, name, text, positions = ls.request(uri)
        return quick_fixes(converter, uri, params.range)

    return server


def serve() -> None:
    """Serve over stdin and stdout until the client says exit; logs go to stderr."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="journey lsp: %(levelname)s: %(message)s")
    if sys.stdin.isatty():
        print("journey lsp: a language server, speaking LSP on stdin and stdout; an editor "
              "starts it (docs/lsp.md). Ctrl-D ends it.", file=sys.stderr)
    build().start_io()
