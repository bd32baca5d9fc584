"""`journey fmt`: a file of journeys in the one canonical layout, its comments and logic kept.

The layout is printed from the typed syntax tree while walking the source text alongside it:
each token the tree stands for is found at its place in the text, so strings (escapes and
all), numbers and parentheses come out as they were written, and the comments and blank lines
between tokens are recovered from the text by position. The rules are in docs/formatting.md.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import os
import pathlib
import re
import tempfile

import attrs

from . import nodes as n
from .diagnostics import Diagnostic, JourneySyntaxError
from .lockfile import fingerprint
from .parser import grammar_text, keywords, parse_source
from .source import Source
from .workspace import display_name, journey_files, read_source

INDENT = 4

# How the next token starts a line: an item of a sequence (a declaration, a statement, a
# field…: blank lines before it are kept), a closing brace (no blank line before it), or the
# continuation of a statement on the next line (no blank line, indented one step further).
_ITEM, _CLOSE, _CONTINUE = "item", "close", "continue"
_OPENERS = ("{", "[", "(")
_SPACE = re.compile(r"[ \t\f\r\n]*")
_SAME_LINE_SPACE = re.compile(r"[ \t\f\r]*")
_DURATION_PART = re.compile(r"\d+[smhdw]")


@functools.cache
def _terminal(name: str) -> re.Pattern:
    """A terminal's regular expression, as the grammar defines it."""
    found = re.search(rf"^{name}(?:\.\d+)?:\s*/(.+)/\s*$", grammar_text(), re.MULTILINE)
    assert found, f"the grammar defines no terminal {name}"
    return re.compile(found.group(1))


@functools.cache
def _record_key() -> re.Pattern:
    return re.compile(f"{_terminal('STRING').pattern}|{_terminal('NAME').pattern}")


@functools.cache
def _strings_comments_parens() -> re.Pattern:
    return re.compile(f"{_terminal('STRING').pattern}|(?P<comment>{_terminal('COMMENT').pattern})"
                      r"|[()]")


class LayoutError(RuntimeError):
    """The formatter could not lay out a file without changing its logic or its comments (a
    bug of the formatter, never of the file): the file is left as it is."""


def format_source(source: Source) -> str:
    """The source's text in the canonical layout. Raises JourneySyntaxError (its diagnostics)
    when it does not parse, LayoutError when the layout would change what it means."""
    program = parse_source(source)
    text = _Printer(source).program(program)
    try:
        formatted = parse_source(Source(source.name, text))
    except JourneySyntaxError as error:
        raise LayoutError(f"{source.name}: the formatted text would not parse: {error}") from None
    if _logic(formatted) != _logic(program):
        raise LayoutError(f"{source.name}: formatting would change the logic of the file")
    if sorted(comments(text)) != sorted(comments(source.text)):
        raise LayoutError(f"{source.name}: formatting would change the file's comments")
    return text


def format_text(text: str, name: str = "<string>") -> str:
    return format_source(Source(name, text))


def _logic(program: n.Program) -> list[str]:
    """What formatting keeps: each journey's fingerprint, and every other declaration."""
    return [fingerprint(declaration) if isinstance(declaration, n.Journey) else repr(declaration)
            for declaration in program.declarations]


def comments(text: str) -> list[str]:
    """The comments of a text, in order, without the white space that ends their lines."""
    return [found.group().rstrip() for found in _strings_comments_parens().finditer(text)
            if found.lastgroup == "comment"]


# ---- files -------------------------------------------------------------------------------


@attrs.frozen
class FormattedFile:
    """One file through the formatter: its text as it is and as formatted, or why it cannot
    be formatted (its syntax errors, or a layout that would change it: `problem`)."""

    path: pathlib.Path
    source: Source            # the file as read and parsed (its name is the path as shown)
    original: str             # the file's text with its line endings as they are
    formatted: str | None     # None when the file is refused
    diagnostics: tuple[Diagnostic, ...] = ()
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original

    def diff(self) -> str:
        """The change as a unified diff (empty when there is none)."""
        if not self.changed:
            return ""
        lines = difflib.unified_diff(self.original.splitlines(keepends=True),
                                     self.formatted.splitlines(keepends=True),
                                     self.name, self.name)
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in lines)

    def write(self) -> None:
        """Replace the file with its formatted text, atomically, keeping its permissions."""
        mode = os.stat(self.path).st_mode & 0o7777
        handle, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                             dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(self.formatted)
            os.chmod(temporary, mode)
            os.replace(temporary, self.path)
        except BaseException:
            os.unlink(temporary)
            raise


def format_file(path: pathlib.Path) -> FormattedFile:
    """A file, formatted (nothing is written)."""
    try:
        source = read_source(path)
        original = path.read_bytes().decode("utf-8")
    except JourneySyntaxError as error:  # not readable, or not UTF-8
        return FormattedFile(path, Source(display_name(path), ""), "", None,
                             tuple(error.diagnostics))
    try:
        return FormattedFile(path, source, original, format_source(source))
    except JourneySyntaxError as error:
        return FormattedFile(path, source, original, None, tuple(error.diagnostics))
    except LayoutError as error:
        return FormattedFile(path, source, original, None, problem=str(error))


def format_files(paths) -> list[FormattedFile]:
    """Every `.journey` file under `paths` (files, or directories searched recursively),
    formatted; nothing is written. Raises WorkspaceError for a path that does not exist or
    holds no journeys."""
    return [format_file(path) for path in journey_files(paths)]


def summary(files: list[FormattedFile], check: bool) -> str:
    """What `journey fmt` did, in a line: `2 files reformatted, 9 left unchanged`."""
    changed = sum(1 for file in files if file.changed)
    refused = sum(1 for file in files if file.formatted is None)
    unchanged = len(files) - changed - refused
    parts = [f"{_files(changed)} {'would be reformatted' if check else 'reformatted'}",
             f"{unchanged} {'already formatted' if check else 'left unchanged'}"]
    if refused:
        parts.append(f"{_files(refused)} not formatted (errors)")
    return ", ".join(parts)


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


# ---- the printer ---------------------------------------------------------------------------


class _Line:
    """A line of the output: its indent, its code, and the comment that ends it (or that it
    is, when it has no code)."""

    __slots__ = ("indent", "parts", "comment")

    def __init__(self, indent: int = 0, comment: str | None = None):
        self.indent = indent
        self.parts: list[str] = []
        self.comment = comment

    @property
    def code(self) -> str:
        return "".join(self.parts)


class _Printer:
    """Prints a program node by node; `pos` walks the source, token by token, as it goes.

    A token is written on the line being built, after a space or not; `want` asks for the
    next token to start a line of its own. Comments are met while skipping the white space
    before a token: one on the same line as the token before it stays at the end of that
    line (and whatever follows goes on the next line); one on a line of its own waits in
    `pending` and is written on its own line before the next token, at that token's indent."""

    def __init__(self, source: Source):
        self.text = source.text
        self.pos = 0
        self.closing = _matching_parens(self.text)
        self.lines: list[_Line] = []
        self.line: _Line | None = None
        self.want: tuple[int, str] | None = None
        self.level = 0            # the indent of the statements being printed
        self.base = 0             # the indent of the line the current item started on
        self.pending: list[tuple[str, bool]] = []  # comments on lines of their own, and
        #                                            whether a blank line came before each
        self.broken = False       # a comment ended the line: the next token starts another
        self.blank_before = False  # a blank line in the source before the next token

    # ---- reading the source -------------------------------------------------------------

    def _skip(self) -> int:
        """Skip white space and comments up to the next token; returns how many comments."""
        text, pos = self.text, self.pos
        newlines = found = 0
        while True:
            space = _SPACE.match(text, pos)
            newlines += space.group().count("\n")
            pos = space.end()
            if not text.startswith("#", pos):
                break
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            self._comment(text[pos:end], trailing=newlines == 0, blank=newlines >= 2)
            found += 1
            newlines = 0
            pos = end
        if pos != self.pos:
            self.blank_before = newlines >= 2
            self.pos = pos
        return found

    def _skip_trailing(self) -> None:
        """Take the comment on the rest of the current line of the source, if there is one."""
        end = self._trailing_end(self.pos)
        if end != self.pos:
            self._comment(self.text[self.pos:end].strip(), trailing=True, blank=False)
            self.pos = end

    def _comment(self, text: str, trailing: bool, blank: bool) -> None:
        """A comment at the end of the line being written, or on a line of its own."""
        text = text.rstrip()
        if trailing and self.line is not None and self.line.comment is None:
            self.line.comment = text
            self.broken = True
        else:
            self.pending.append((text, blank))

    def _after_trivia(self, pos: int) -> int:
        """Where the next token starts, from `pos` (nothing is consumed)."""
        while True:
            pos = _SPACE.match(self.text, pos).end()
            if not self.text.startswith("#", pos):
                return pos
            end = self.text.find("\n", pos)
            pos = len(self.text) if end < 0 else end

    def _true_end(self, node: n.Node) -> int:
        """Where a node's text ends, with the parentheses that close after its last token."""
        end = pos = node.span.end
        while True:
            pos = self._after_trivia(pos)
            if not self.text.startswith(")", pos):
                return end
            pos = end = pos + 1

    def _trailing_end(self, pos: int) -> int:
        """`pos`, or the end of the comment that follows it on its line."""
        space = _SAME_LINE_SPACE.match(self.text, pos)
        if not self.text.startswith("#", space.end()):
            return pos
        end = self.text.find("\n", space.end())
        return len(self.text) if end < 0 else end

    def _next_is(self, word: str) -> bool:
        self._skip()
        end = self.pos + len(word)
        return self.text.startswith(word, self.pos) and not _is_word_char(self.text, end)

    def _mismatch(self, expected: str):
        found = self.text[self.pos:self.pos + 20]
        return LayoutError(f"expected {expected} at offset {self.pos}, found {found!r}")

    # ---- writing --------------------------------------------------------------------------

    def _put(self, text: str, space: bool = True) -> None:
        if self.want is not None:
            indent, kind = self.want
            self.want = None
            self._start_line(indent, kind)
        elif self.pending or self.broken:
            self._start_line(self.base + INDENT, _CONTINUE)
        elif space:
            self.line.parts.append(" ")
        self.line.parts.append(text)

    def _start_line(self, indent: int, kind: str) -> None:
        self._end_line()
        items = kind == _ITEM
        for comment, blank in self.pending:
            if blank and items:
                self._blank()
            self.lines.append(_Line(indent, comment))
        if self.blank_before and items:
            self._blank()
        self.pending = []
        self.broken = self.blank_before = False
        self.line = _Line(indent)
        if items:
            self.base = indent

    def _end_line(self) -> None:
        if self.line is not None:
            self.lines.append(self.line)
            self.line = None

    def _blank(self) -> None:
        """A blank line, unless at the start, after another, or after an opening bracket."""
        if self.lines and (self.lines[-1].parts or self.lines[-1].comment):
            if not self.lines[-1].code.endswith(_OPENERS):
                self.lines.append(_Line())

    def _flush_comments(self, indent: int) -> bool:
        """Write the comments before a closing brace (or the end of the file) at `indent`;
        returns whether there were any."""
        found = self._skip()
        if self.pending:
            self._end_line()
            for comment, blank in self.pending:
                if blank:
                    self._blank()
                self.lines.append(_Line(indent, comment))
            self.pending = []
        return found > 0

    def _token(self, text: str, space: bool = True) -> None:
        """The keyword or punctuation `text`, next in the source."""
        self._skip()
        if not self.text.startswith(text, self.pos):
            raise self._mismatch(f"`{text}`")
        self._put(text, space)
        self.pos += len(text)

    def _take(self, pattern: re.Pattern, space: bool = True) -> None:
        """The next token, of the terminal `pattern` (a name, a string, a duration…)."""
        self._skip()
        found = pattern.match(self.text, self.pos)
        if found is None:
            raise self._mismatch(pattern.pattern)
        text = found.group()
        if pattern is _terminal("DURATION"):
            text = _duration(text)
        self._put(text, space)
        self.pos = found.end()

    def _leaf(self, node: n.Node, space: bool = True) -> None:
        """A node of one token (a literal, a name), written as the source has it."""
        self._skip()
        if self.pos != node.span.start:
            raise self._mismatch(type(node).__name__)
        text = self.text[node.span.start:node.span.end]
        if isinstance(node, n.Literal) and isinstance(node.value, datetime.timedelta):
            text = _duration(text)
        self._put(text, space)
        self.pos = node.span.end

    def _event_name(self, node: n.Ident) -> None:
        """An event's name, its parts joined by dots without spaces (`email.opened`), unless a
        comment sits inside it (then as the source has it, comment and all)."""
        self._skip()
        if self.pos != node.span.start:
            raise self._mismatch("an event name")
        text = self.text[node.span.start:node.span.end]
        self._put(text if "#" in text else node.name, True)
        self.pos = node.span.end

    def _comma(self, write: bool = True) -> None:
        """The comma after an item, if the source has one; `write` writes one either way. It
        stays on the item's line, before the comment that may end it."""
        self._skip()
        if self.text.startswith(",", self.pos):
            self.pos += 1
        if write:
            self.line.parts.append(",")

    # ---- declarations -------------------------------------------------------------------

    def program(self, program: n.Program) -> str:
        for declaration in program.declarations:
            self.want = (0, _ITEM)
            _DECLARATIONS[type(declaration)](self, declaration)
        self._flush_comments(0)
        self._end_line()
        return _render(self.lines)

    def _profile_schema(self, node: n.ProfileSchema) -> None:
        self._token("profile")
        self._record_type(node.fields)

    def _event_schema(self, node: n.EventSchema) -> None:
        self._token("event")
        self._event_name(node.name)
        self._record_type(node.fields)

    def _audience(self, node: n.AudienceDecl) -> None:
        self._token("audience")
        self._leaf(node.name)
        self._token("=")
        self._expr(node.condition)

    def _action(self, node: n.ActionDecl) -> None:
        self._token("action")
        self._leaf(node.name)
        self._block(node.settings)

    def _rate(self, node: n.Rate) -> None:
        self._token("rate")
        self._take(_terminal("NUMBER"))
        self._token("/", space=False)
        self._take(_terminal("NAME"), space=False)

    def _action_cap(self, node: n.ActionCap) -> None:
        self._token("cap")
        self._take(_terminal("NUMBER"))
        self._token("per")
        self._take(_terminal("DURATION"))

    def _message_cap(self, node: n.MessageCap) -> None:
        self._token("cap")
        if node.channel is None:
            self._take(_terminal("NAME"))  # `messages`
        else:
            self._token(node.channel)
        self._take(_terminal("NUMBER"))
        self._token("per")
        self._take(_terminal("NAME") if node.window is None else _terminal("DURATION"))

    def _entry_cap(self, node: n.EntryCap) -> None:
        self._token("cap")
        self._take(_terminal("NAME"))
        self._take(_terminal("NUMBER"))
        if node.window is not None:
            self._token("per")
            self._take(_terminal("DURATION"))

    def _response(self, node: n.ActionResponse) -> None:
        self._token("response")
        self._record_type(node.fields)

    def _record_type(self, node: n.RecordType, space: bool = True) -> None:
        # One field per line needs no comma, but a field named by a keyword needs one before
        # it (after a name, `sms` is read as the keyword): then every field has its comma.
        commas = any(field.name.name in keywords() for field in node.fields)
        self._items(node, node.fields, "{", "}", space, commas=commas)

    def _field_type(self, node: n.FieldType, space: bool = True) -> None:
        self._leaf(node.name, space)
        self._token(":", space=False)
        self._type(node.type)

    def _type(self, node, space: bool = True) -> None:
        if isinstance(node, n.RecordType):
            self._record_type(node, space)
        elif isinstance(node, n.ListType):
            self._token("[", space)
            self._type(node.item, space=False)
            self._token("]", space=False)
        else:
            self._leaf(node, space)

    # ---- journeys ---------------------------------------------------------------------------

    def _journey(self, node: n.Journey) -> None:
        self._token("journey")
        self._take(_terminal("STRING"))
        if self._next_is("version"):
            self._token("version")
            self._take(_terminal("NUMBER"))
        outer = self._open()
        self._header(node.header)
        for statement in node.body:
            self._statement(statement)
        self._close(outer, bool(node.header or node.body))

    def _campaign(self, node: n.Campaign) -> None:
        self._token("campaign")
        self._take(_terminal("STRING"))
        outer = self._open()
        self._header(node.header)
        for statement in node.body:
            self._statement(statement)
        self._close(outer, bool(node.header or node.body))

    def _header(self, items) -> None:
        """Properties, then the entry: an item that moves takes its comments with it (those
        on the lines above it, and the one at the end of its line)."""
        canonical = sorted(items, key=lambda item: isinstance(item, _ENTRIES))
        if all(a is b for a, b in zip(canonical, items)):
            for item in items:
                self._statement(item)
            return
        self._skip_trailing()
        regions = {}
        start = self.pos
        for item in items:
            end = self._trailing_end(self._true_end(item))
            regions[id(item)] = (start, end)
            start = end
        for item in canonical:
            self.pos, end = regions[id(item)]
            self._statement(item)
            self._skip_trailing()
            if self.pos != end:
                raise self._mismatch("the end of a journey property")
        self.pos = start

    def _reentry(self, node: n.Reentry) -> None:
        self._token("reentry")
        if node.mode == "after":
            self._token("after")
            self._take(_terminal("DURATION"))
        else:
            self._token(node.mode)

    def _timeout(self, node: n.Timeout) -> None:
        self._token("timeout")
        self._take(_terminal("DURATION"))

    def _timezone(self, node: n.Timezone) -> None:
        self._token("timezone")
        self._take(_terminal("STRING"))

    def _exit_on_event(self, node: n.ExitOnEvent) -> None:
        self._token("exit")
        self._token("on")
        self._token("event")
        self._event_name(node.event)
        self._where(node.where)

    def _exit_when(self, node: n.ExitWhen) -> None:
        self._token("exit")
        self._token("when")
        self._expr(node.condition)

    def _holdout(self, node: n.Holdout) -> None:
        self._token("holdout")
        self._percent()

    def _event_entry(self, node: n.EventEntry) -> None:
        self._token("on")
        self._token("event")
        self._event_name(node.event)
        self._where(node.where)

    def _audience_entry(self, node: n.AudienceEntry) -> None:
        self._token("read")
        self._token("audience")
        self._leaf(node.audience)
        if node.at is not None:
            self._token("at")
            self._expr(node.at)
        if node.every is not None:
            self._token("every")
            self._take(_terminal("DURATION"))
            if node.starting is not None:
                self._token("starting")
                self._expr(node.starting)
            if node.until is not None:
                self._token("until")
                self._expr(node.until)
        if node.rate is not None:
            self._rate(node.rate)

    def _where(self, condition) -> None:
        if condition is not None:
            self._token("where")
            self._expr(condition)

    def _percent(self) -> None:
        self._take(_terminal("NUMBER"))
        self._token("%", space=False)

    # ---- statements -------------------------------------------------------------------------

    def _statement(self, node) -> None:
        self.want = (self.level, _ITEM)
        _STATEMENTS[type(node)](self, node)

    def _open(self) -> tuple[int, int]:
        """A `{` that opens a block; returns what `_close` restores."""
        self._token("{")
        outer = (self.level, self.base)
        self.level += INDENT
        return outer

    def _close(self, outer: tuple[int, int], written: bool) -> None:
        """The `}` of a block, on a line of its own, or just after the `{` of an empty one."""
        found = self._flush_comments(self.level)
        self.level, base = outer
        if written or found:
            self.want = (self.level, _CLOSE)
        self._token("}", space=False)
        self.base = base

    def _block(self, statements) -> None:
        outer = self._open()
        for statement in statements:
            self._statement(statement)
        self._close(outer, bool(statements))

    def _after_block(self) -> None:
        """Before `else` or `on …` after a `}`: on the `}`'s line, unless a comment came
        between them (then on the next line, at the statement's indent)."""
        self._skip()
        if self.broken or self.pending:
            self.want = (self.level, _CLOSE)

    def _send(self, node: n.Send) -> None:
        self._token("send")
        self._token(node.channel)
        self._take(_terminal("STRING"))
        self._with(node.data)

    def _with(self, data) -> None:
        if data is not None:
            self._token("with")
            self._expr(data)

    def _call(self, node: n.CallAction) -> None:
        if node.result is not None:
            self._token("let")
            self._leaf(node.result)
            self._token("=")
        self._token("call")
        self._leaf(node.action)
        self._with(node.data)
        if node.on_error is not None:
            self._token("on")
            self._token("error")
            self._block(node.on_error)

    def _if(self, node: n.If) -> None:
        for index, arm in enumerate(node.arms):
            if index:
                self._after_block()
                self._token("else")
            self._token("if")
            self._expr(arm.condition)
            self._block(arm.body)
        if node.orelse is not None:
            self._after_block()
            self._token("else")
            self._block(node.orelse)

    def _split(self, node: n.Split) -> None:
        self._token("split")
        outer = self._open()
        for arm in node.arms:
            self.want = (self.level, _ITEM)
            self._percent()
            self._block(arm.body)
        self._close(outer, bool(node.arms))

    def _wait(self, node: n.Wait) -> None:
        self._token("wait")
        self._take(_terminal("DURATION"))

    def _wait_until(self, node: n.WaitUntil) -> None:
        self._token("wait")
        self._token("until")
        self._expr(node.target)

    def _wait_for(self, node: n.WaitForEvent) -> None:
        self._token("wait")
        self._token("for")
        self._token("event")
        self._event_name(node.event)
        self._where(node.where)
        if node.within is not None:
            self._token("within")
            self._take(_terminal("DURATION"))
        if node.body is not None:
            self._block(node.body)
        if node.on_timeout is not None:
            if node.body is not None:
                self._after_block()
            self._token("on")
            self._token("timeout")
            self._block(node.on_timeout)

    def _fork(self, node: n.Fork) -> None:
        self._token("fork")
        outer = self._open()
        for branch in node.branches:
            self.want = (self.level, _ITEM)
            self._token("branch")
            self._leaf(branch.name)
            if branch.when is not None:
                self._token("when")
                self._expr(branch.when)
            self._block(branch.body)
        self._close(outer, bool(node.branches))

    def _join(self, node: n.Join) -> None:
        self._token("join")
        for index, name in enumerate(node.branches):
            if index:
                self._comma()
            self._leaf(name)
        if node.primary is not None:
            self._token("primary")
            self._leaf(node.primary)

    def _let(self, node: n.Let) -> None:
        self._token("let")
        self._leaf(node.name)
        self._token("=")
        self._expr(node.value)

    def _set(self, node: n.SetProfile) -> None:
        self._token("set")
        self._token("profile")
        for _ in node.path:
            self._token(".", space=False)
            self._take(_terminal("NAME"), space=False)
        self._token("=")
        self._expr(node.value)

    def _exit(self, node: n.Exit) -> None:
        self._token("exit")

    def _jump(self, node: n.Jump) -> None:
        self._token("jump")
        self._leaf(node.target)

    def _keep(self, node: n.Keep) -> None:
        self._token("keep")
        self._token("where")
        self._expr(node.condition)

    def _set_activity(self, node) -> None:
        """`exclude audience NAME`, `intersect audience NAME`, `save audience NAME [append]`."""
        self._token(_SET_WORDS[type(node)])
        self._token("audience")
        self._leaf(node.audience)
        if getattr(node, "append", False):
            self._token("append")

    # ---- tests ------------------------------------------------------------------------------

    def _test(self, node: n.TestDecl) -> None:
        self._token("test")
        self._take(_terminal("STRING"))
        outer = self._open()
        for line in node.lines:
            self._statement(line)
        self._close(outer, bool(node.lines))

    def _test_start(self, node: n.TestStart) -> None:
        self._token("start")
        self._leaf(node.at)

    def _test_until(self, node: n.TestUntil) -> None:
        self._token("until")
        self._leaf(node.at)

    def _test_seed(self, node: n.TestSeed) -> None:
        self._token("seed")
        self._take(_terminal("NUMBER"))

    def _test_profile(self, node: n.TestProfile) -> None:
        self._token("profile")
        self._leaf(node.id)
        if node.attributes is not None:
            self._expr(node.attributes)

    def _test_event(self, node: n.TestEvent) -> None:
        self._token("event")
        self._event_name(node.event)
        self._token("for")
        self._leaf(node.profile)
        self._token("at")
        self._leaf(node.at)
        if node.data is not None:
            self._expr(node.data)

    def _test_audience(self, node: n.TestAudience) -> None:
        self._token("audience")
        self._leaf(node.name)
        self._token("=")
        self._expr(node.members)

    def _test_fixture(self, node: n.TestFixture) -> None:
        self._token("fixture")
        self._leaf(node.source)
        self._with(node.match)
        self._token("=")
        self._expr(node.result)

    def _test_failing_call(self, node: n.TestFailingCall) -> None:
        self._token("fixture")
        self._token("call")
        self._leaf(node.action)
        self._token("fails")

    def _test_lifecycle(self, node: n.TestLifecycle) -> None:
        self._token(node.action)
        self._leaf(node.journey)
        self._version(node.version)
        self._token("at")
        self._leaf(node.at)

    def _version(self, version: int | None) -> None:
        if version is not None:
            self._token("version")
            self._take(_terminal("NUMBER"))

    def _expect(self, profile: n.Ident, verb: str) -> None:
        self._token("expect")
        self._leaf(profile)
        self._token(verb)

    def _reason(self, reason: n.Ident | None) -> None:
        if reason is not None:
            self._token("because")
            self._leaf(reason)

    def _expect_message(self, node: n.ExpectMessage) -> None:
        self._expect(node.profile, "gets")
        if node.negated:
            self._token("no")
        if node.channel is not None:
            self._token(node.channel)
        if node.message is not None:
            self._take(_terminal("STRING"))
        if node.at is not None and node.until is None:
            self._token("at")
            self._leaf(node.at)
        elif node.at is not None:
            self._token("between")
            self._leaf(node.at)
            self._token("and")
            self._leaf(node.until)

    def _expect_suppressed(self, node: n.ExpectSuppressed) -> None:
        self._expect(node.profile, "suppressed")
        self._token(node.channel)
        self._take(_terminal("STRING"))
        self._reason(node.reason)

    def _expect_enters(self, node: n.ExpectEnters) -> None:
        self._expect(node.profile, "enters")
        self._leaf(node.journey)
        self._version(node.version)

    def _expect_rejected(self, node: n.ExpectRejected) -> None:
        self._expect(node.profile, "rejected")
        self._token("from")
        self._leaf(node.journey)
        self._reason(node.reason)

    def _expect_exits(self, node: n.ExpectExits) -> None:
        self._expect(node.profile, "exits")
        self._leaf(node.journey)
        self._reason(node.reason)

    def _expect_profile(self, node: n.ExpectProfile) -> None:
        self._token("expect")
        self._token("profile")
        self._leaf(node.profile)
        for _ in node.path:
            self._token(".", space=False)
            self._take(_terminal("NAME"), space=False)
        self._token(node.operator)
        self._expr(node.value)

    def _expect_sent(self, node: n.ExpectSent) -> None:
        self._token("expect")
        self._token("sent")
        self._token(node.channel)
        if node.message is not None:
            self._take(_terminal("STRING"))
        self._token(node.operator)
        self._expr(node.value)

    def _expect_reached(self, node: n.ExpectReached) -> None:
        self._token("expect")
        if node.negated:
            self._token("never")
        self._token("reached")
        self._leaf(node.journey)
        if node.label is not None:
            self._token("label")
            self._leaf(node.label)
        else:
            self._token("line")
            self._take(_terminal("NUMBER"))

    # ---- expressions ------------------------------------------------------------------------

    def _expr(self, node, space: bool = True) -> None:
        """An expression, inside the parentheses the source puts around it."""
        self._skip()
        opened = 0
        while self.text.startswith("(", self.pos) and self.closing[self.pos] >= node.span.end:
            self._put("(", space)
            self.pos += 1
            space = False
            opened += 1
            self._skip()
        _EXPRESSIONS[type(node)](self, node, space)
        for _ in range(opened):
            self._token(")", space=False)

    def _path(self, node: n.Path, space: bool) -> None:
        self._skip()
        if self.pos != node.span.start:
            raise self._mismatch("a path")
        self._put(node.root, space)
        self.pos += len(node.root)
        for _ in node.attributes:
            self._token(".", space=False)
            self._take(_terminal("NAME"), space=False)

    def _function_call(self, node: n.FunctionCall, space: bool) -> None:
        self._leaf(node.name, space)
        self._items(node, node.arguments, "(", ")", space=False)

    def _list(self, node: n.ListExpr, space: bool) -> None:
        self._items(node, node.items, "[", "]", space)

    def _comprehension(self, node: n.Comprehension, space: bool) -> None:
        """`[element for name in source where condition]`; where the source breaks the line
        before `for` or `where`, the line breaks there, and the rest goes on a continuation
        line."""
        self._token("[", space)
        self._expr(node.element, space=False)
        self._clause("for")
        self._leaf(node.name)
        self._token("in")
        self._expr(node.source)
        if node.condition is not None:
            self._clause("where")
            self._expr(node.condition)
        self._token("]", space=False)

    def _clause(self, keyword: str) -> None:
        start = self.pos
        self._skip()
        if "\n" in self.text[start:self.pos]:
            self.want = (self.base + INDENT, _CONTINUE)
        self._token(keyword)

    def _index(self, node: n.Index, space: bool) -> None:
        self._expr(node.target, space)
        self._token("[", space=False)
        self._expr(node.key, space=False)
        self._token("]", space=False)

    def _member(self, node: n.Member, space: bool) -> None:
        self._expr(node.target, space)
        self._token(".", space=False)
        self._take(_terminal("NAME"), space=False)

    def _record(self, node: n.RecordExpr, space: bool) -> None:
        self._items(node, node.fields, "{", "}", space)

    def _record_field(self, node: n.RecordField, space: bool) -> None:
        self._take(_record_key(), space)
        self._token(":", space=False)
        self._expr(node.value)

    def _items(self, node, items, opener: str, closer: str, space: bool,
               commas: bool = True) -> None:
        """Items in brackets: on one line when the source has them on one line, else one
        item per line, each with its comma (in a schema's record, only when `commas`)."""
        self._token(opener, space)
        padded = opener == "{"
        if "\n" not in self.text[node.span.start:node.span.end]:
            for index, item in enumerate(items):
                if index:
                    self._comma()
                self._item(item, padded or index > 0)
            if items:
                self._comma(write=False)  # a trailing comma, if any
            self._token(closer, space=padded and bool(items))
            return
        outer, indent = self.base, self.line.indent + INDENT
        for item in items:
            self.want = (indent, _ITEM)
            self._item(item, True)
            self._comma(write=commas)
        self._flush_comments(indent)
        self.want = (indent - INDENT, _CLOSE)
        self._token(closer, space=False)
        self.base = outer

    def _item(self, item, space: bool) -> None:
        if isinstance(item, n.FieldType):
            self._field_type(item, space)
        elif isinstance(item, n.RecordField):
            self._record_field(item, space)
        else:
            self._expr(item, space)

    def _unary(self, node: n.Unary, space: bool) -> None:
        self._token(node.operator, space)
        self._expr(node.operand, space=node.operator == "not")

    def _binary(self, node: n.Binary, space: bool) -> None:
        """`left op right`; where the source breaks the line next to the operator, the line
        breaks before it, and the rest goes on a continuation line."""
        self._expr(node.left, space)
        start = self.pos
        self._skip()
        words = node.operator.split()  # `not in` is two tokens
        end = self.pos
        for word in words:
            end = self._after_trivia(end) + len(word)
        if "\n" in self.text[start:self.pos] or "\n" in self.text[end:self._after_trivia(end)]:
            self.want = (self.base + INDENT, _CONTINUE)
        for word in words:
            self._token(word)
        self._expr(node.right)

    def _in_audience(self, node: n.InAudience, space: bool) -> None:
        self._token("profile", space)
        self._token("in")
        self._token("audience")
        self._leaf(node.audience)

    def _fetch(self, node: n.Fetch, space: bool) -> None:
        self._token("fetch", space)
        self._leaf(node.source)
        self._with(node.data)

    def _one_token(self, node, space: bool) -> None:
        self._leaf(node, space)


def _is_word_char(text: str, index: int) -> bool:
    return index < len(text) and (text[index].isalnum() or text[index] == "_")


def _duration(text: str) -> str:
    """A duration's parts, one space between them: `1d12h` is `1d 12h`."""
    return " ".join(_DURATION_PART.findall(text))


def _matching_parens(text: str) -> dict[int, int]:
    """For each `(` of the text outside strings and comments, where its `)` is."""
    closing: dict[int, int] = {}
    opened: list[int] = []
    for found in _strings_comments_parens().finditer(text):
        char = found.group()
        if char == "(":
            opened.append(found.start())
        elif char == ")" and opened:
            closing[opened.pop()] = found.start()
    return closing


def _render(lines: list[_Line]) -> str:
    """The lines as text: indented, blank lines at the end dropped, and the comments that
    end consecutive lines of code of one indent aligned, two spaces after the longest."""
    while lines and not (lines[-1].parts or lines[-1].comment):
        lines.pop()
    texts = []
    run: list[int] = []

    def align() -> None:
        column = max(lines[i].indent + len(lines[i].code) for i in run) + 2
        for i in run:
            code = " " * lines[i].indent + lines[i].code
            texts[i] = code.ljust(column) + lines[i].comment
        run.clear()

    for index, line in enumerate(lines):
        code = line.code
        if run and not (code and line.comment is not None and line.indent == lines[run[0]].indent):
            align()
        if code and line.comment is not None:
            run.append(index)
        if not code and line.comment is None:
            texts.append("")
        else:
            texts.append(" " * line.indent + (code or line.comment))
    if run:
        align()
    return "".join(text + "\n" for text in texts)


_ENTRIES = (n.EventEntry, n.AudienceEntry)
_SET_WORDS = {n.ExcludeAudience: "exclude", n.IntersectAudience: "intersect",
              n.SaveAudience: "save"}

_DECLARATIONS = {
    n.ProfileSchema: _Printer._profile_schema,
    n.EventSchema: _Printer._event_schema,
    n.AudienceDecl: _Printer._audience,
    n.ActionDecl: _Printer._action,
    n.MessageCap: _Printer._message_cap,
    n.Journey: _Printer._journey,
    n.Campaign: _Printer._campaign,
    n.TestDecl: _Printer._test,
}
_STATEMENTS = {
    n.Reentry: _Printer._reentry,
    n.Timeout: _Printer._timeout,
    n.Timezone: _Printer._timezone,
    n.ExitOnEvent: _Printer._exit_on_event,
    n.ExitWhen: _Printer._exit_when,
    n.Holdout: _Printer._holdout,
    n.EventEntry: _Printer._event_entry,
    n.AudienceEntry: _Printer._audience_entry,
    n.Send: _Printer._send,
    n.CallAction: _Printer._call,
    n.If: _Printer._if,
    n.Split: _Printer._split,
    n.Wait: _Printer._wait,
    n.WaitUntil: _Printer._wait_until,
    n.WaitForEvent: _Printer._wait_for,
    n.Fork: _Printer._fork,
    n.Join: _Printer._join,
    n.Let: _Printer._let,
    n.SetProfile: _Printer._set,
    n.Exit: _Printer._exit,
    n.Jump: _Printer._jump,
    n.Keep: _Printer._keep,
    n.ExcludeAudience: _Printer._set_activity,
    n.IntersectAudience: _Printer._set_activity,
    n.SaveAudience: _Printer._set_activity,
    n.Rate: _Printer._rate,
    n.EntryCap: _Printer._entry_cap,
    n.ActionCap: _Printer._action_cap,
    n.ActionResponse: _Printer._response,
    n.TestStart: _Printer._test_start,
    n.TestUntil: _Printer._test_until,
    n.TestSeed: _Printer._test_seed,
    n.TestProfile: _Printer._test_profile,
    n.TestEvent: _Printer._test_event,
    n.TestAudience: _Printer._test_audience,
    n.TestFixture: _Printer._test_fixture,
    n.TestFailingCall: _Printer._test_failing_call,
    n.TestLifecycle: _Printer._test_lifecycle,
    n.ExpectMessage: _Printer._expect_message,
    n.ExpectSuppressed: _Printer._expect_suppressed,
    n.ExpectEnters: _Printer._expect_enters,
    n.ExpectRejected: _Printer._expect_rejected,
    n.ExpectExits: _Printer._expect_exits,
    n.ExpectProfile: _Printer._expect_profile,
    n.ExpectSent: _Printer._expect_sent,
    n.ExpectReached: _Printer._expect_reached,
}
_EXPRESSIONS = {
    n.Literal: _Printer._one_token,
    n.Template: _Printer._one_token,
    n.Path: _Printer._path,
    n.FunctionCall: _Printer._function_call,
    n.ListExpr: _Printer._list,
    n.Comprehension: _Printer._comprehension,
    n.Index: _Printer._index,
    n.Member: _Printer._member,
    n.RecordExpr: _Printer._record,
    n.Unary: _Printer._unary,
    n.Binary: _Printer._binary,
    n.Fetch: _Printer._fetch,
    n.InAudience: _Printer._in_audience,
}
