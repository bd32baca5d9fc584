"""Every syntax error of a file in one run: after an error the parser starts again at the next
statement, brace or declaration, and a `{` left open is reported where it opens."""

from __future__ import annotations

import collections
import functools
from typing import Callable, Iterator

import attrs
import lark
from lark import Token
from lark.exceptions import UnexpectedToken
from lark.parsers.lalr_parser_state import ParseConf, ParserState
from lark.utils import TextSlice

from .diagnostics import Diagnostic
from .source import Source

MAX_SYNTAX_ERRORS = 20

#: The rules whose first words open a line of a body (a statement, a journey's header, an
#: action's setting, a test's line, a fork's branch, a split's arm), and a declaration's rule.
_LINE_RULES = ("_statement", "_header", "_action_setting", "_test_line", "branch",
               "split_arm")
_DECLARATION_RULES = ("_declaration",)

#: How many tokens a place to start again must take (the token there included) before it is
#: trusted, when its token is a brace or a word that can also begin an expression (`event`,
#: `profile`): a `}` that the parser could take as the end of the declaration must be followed
#: by what can follow one. Any other word of a statement or a declaration needs only itself.
_LOOKAHEAD = 4

Describe = Callable[[Exception, tuple], Diagnostic]


@functools.cache
def _first_words(parser: lark.Lark, names: tuple[str, ...]) -> frozenset[str]:
    """The terminals that can begin each of the rules `names`, read from the grammar."""
    expansions = collections.defaultdict(list)
    for rule in parser.rules:
        expansions[rule.origin.name].append(rule.expansion)
    nullable = {name for name, options in expansions.items() if [] in options}
    first: dict[str, set[str]] = collections.defaultdict(set)
    changed = True
    while changed:  # to a fixed point: each rule's first words from those of its first symbols
        changed = False
        for name, options in expansions.items():
            for expansion in options:
                for symbol in expansion:
                    found = {symbol.name} if symbol.is_term else first[symbol.name]
                    if not found <= first[name]:
                        first[name] |= found
                        changed = True
                    if symbol.is_term or symbol.name not in nullable:
                        break
    return frozenset().union(*(first[name] for name in names))


@attrs.frozen
class _Window:
    """The part of the text the lexer reads (it needs nothing else of lark's lexer state)."""

    text: TextSlice


@attrs.define
class _Restart:
    """Where parsing goes on after an error: the token to lex from, how much of the parser's
    stack is kept, and whether the token opens a declaration."""

    token: Token
    depth: int
    declaration: bool


class Recovery:
    """One run of the parser over a file that has an error: each error is reported, the parser
    starts again at the next place where it can, and the run ends at the end of the text or
    after MAX_SYNTAX_ERRORS errors. The builder goes on building on the way, so that the errors
    in literals come too; only its own tokens ever reach it."""

    def __init__(self, parser: lark.Lark, source: Source, describe: Describe,
                 bad_character: type[Exception]):
        interactive = parser.parse_interactive(source.text, start="start")
        self.lexer = interactive.lexer_thread.lexer
        self.conf: ParseConf = interactive.parser_state.parse_conf
        self.trial_conf = ParseConf(self.conf.parse_table, {}, "start")  # builds nothing
        self.text, self.source = source.text, source
        self.describe, self.bad_character = describe, bad_character
        self.line_words = _first_words(parser, _LINE_RULES)
        self.declaration_words = _first_words(parser, _DECLARATION_RULES)
        self.ambiguous = _first_words(parser, ("expr",)) | {"LBRACE", "RBRACE"}
        self.errors: list[Diagnostic] = []
        self.braces: dict[int, Token] = {}  # every `{` and `}` read, by offset
        self.reported_braces: set[int] = set()

    # ---- the run --------------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        state = ParserState(self.conf, None)
        recent: collections.deque = collections.deque(maxlen=3)
        offset, echo = 0, False  # after a bad character, an error at the next token is its echo
        for _ in range(4 * MAX_SYNTAX_ERRORS):
            if len(self.errors) >= MAX_SYNTAX_ERRORS:
                break
            try:
                for token in self._tokens(offset, state):
                    recent.append(token)
                    state.feed_token(token)
                    echo = False
                state.feed_token(self._end(), is_end=True)
                break
            except self.bad_character as error:
                diagnostic = self.describe(error, ())
                self.errors.append(diagnostic)
                # the character is dropped (an unterminated string: the rest of its line)
                offset, echo = max(diagnostic.span.end, error.offset + 1), True
                continue
            except UnexpectedToken as error:
                diagnostic = self.describe(error, tuple(recent))
                token = error.token
            if not echo:
                self.errors.append(diagnostic)
            echo = False
            if token.type == "$END" or self._opens_declaration(token):
                self._report_open_braces(token)
            if token.type == "$END":
                break
            restart = self._restart(state, token)
            if restart is None:  # nowhere to start again: what is left open is all there is to say
                self._report_open_braces(self._end())
                break
            if restart.declaration:
                self._report_open_braces(restart.token)
            else:  # the braces left behind, when no `}` closes them
                self._report_open_braces(restart.token, {
                    value.start_pos for value in state.value_stack[restart.depth - 1:]
                    if isinstance(value, Token) and value.type == "LBRACE"})
            del state.state_stack[restart.depth:]
            del state.value_stack[restart.depth - 1:]
            recent.clear()
            offset = restart.token.start_pos
        return self.errors

    def _tokens(self, offset: int, state: ParserState) -> Iterator[Token]:
        """The tokens from `offset`, each read as the parser in `state` would read it then."""
        window = _Window(TextSlice(self.text, offset, len(self.text)))
        for token in self.lexer.lex(window, state):
            if token.type in ("LBRACE", "RBRACE"):
                self.braces[token.start_pos] = token
            yield token

    def _end(self) -> Token:
        end = len(self.text)
        return Token("$END", "", start_pos=end, end_pos=end)

    # ---- where to start again -----------------------------------------------------------

    def _restart(self, state: ParserState, error: Token) -> _Restart | None:
        """The first place from the error on where the parser can go on: the token after it, if
        the one in error is one too many (a doubled word or brace); else a statement's word, a
        brace or a declaration's word at the start of a line, with as much of the stack kept as
        takes it. Braces opened and closed on the way are skipped with what they hold. A `{`
        the parser holds open stays open (its `}` is still to come) unless the place to start
        again is outside it by its indentation, or is a declaration's word. None when there is
        no such place before the end of the text."""
        scan = ParserState(self.trial_conf, None, list(state.state_stack))
        skipped, previous, offset = 0, None, error.start_pos
        while True:
            try:
                for index, token in enumerate(self._tokens(offset, scan)):
                    kind = self._kind(token, previous)
                    previous = token.type
                    declaration = kind in self.declaration_words and self._at_line_start(token)
                    depth = 0
                    if index == 1 and offset == error.start_pos and self._takes(
                            state.state_stack, token.start_pos, token.type, _LOOKAHEAD):
                        depth = len(state.state_stack)  # the token in error is one too many
                    elif declaration:
                        depth = self._depth_taking(state, token, kind, 1)
                    elif skipped == 0 and (kind in self.line_words
                                           or kind in ("LBRACE", "RBRACE")):
                        depth = self._depth_taking(state, token, kind, self._least(state, token))
                    if depth:
                        return _Restart(token, depth, declaration)
                    if token.type == "LBRACE":
                        skipped += 1
                    elif token.type == "RBRACE" and skipped:
                        skipped -= 1
                return None
            except self.bad_character as bad:
                offset, previous = bad.offset + 1, None

    def _least(self, state: ParserState, token: Token) -> int:
        """The least of the stack (its length) that keeps the innermost `{` it holds open and
        `token` is inside of: a token that starts its line is outside a `{` whose line is
        indented as much or more (a `}`: more)."""
        indent, starts_line = _indentation(self.text, token.start_pos)
        for index in range(len(state.value_stack) - 1, -1, -1):
            value = state.value_stack[index]
            if not (isinstance(value, Token) and value.type == "LBRACE"):
                continue
            if starts_line:
                opened = len(_indentation(self.text, value.start_pos)[0])
                if opened > len(indent) or (opened == len(indent) and token.type != "RBRACE"):
                    continue
            return index + 2
        return 1

    def _kind(self, token: Token, previous: str | None) -> str:
        """What a token would be where a statement can stand: its keyword, for a word the
        lexer read as a name where the error left the parser (a soft keyword)."""
        if token.type == "NAME" and previous != "DOT":
            return self.lexer.keywords.get(str(token), "NAME")
        return token.type

    def _at_line_start(self, token: Token) -> bool:
        return token.start_pos == 0 or self.text[token.start_pos - 1] == "\n"

    def _depth_taking(self, state: ParserState, token: Token, kind: str, least: int) -> int:
        """The most of the stack (its length, at least `least`) that takes `token` and what
        follows it, or 0."""
        wanted = _LOOKAHEAD if kind in self.ambiguous else 1
        for depth in range(len(state.state_stack), least - 1, -1):
            if self._takes(state.state_stack[:depth], token.start_pos, kind, wanted):
                return depth
        return 0

    def _takes(self, stack: list, offset: int, kind: str, wanted: int) -> bool:
        """Whether the parser, with `stack`, takes `wanted` tokens from `offset` (or all that
        are left, and the end), the first of them read as `kind`: where the lexer reads a
        statement's soft keyword as a name, no statement can stand."""
        trial = ParserState(self.trial_conf, None, list(stack), [None] * (len(stack) - 1))
        taken = 0
        try:
            for token in self._tokens(offset, trial):
                if taken == 0 and token.type != kind:
                    return False
                trial.feed_token(token)
                taken += 1
                if taken >= wanted:
                    return True
            trial.feed_token(self._end(), is_end=True)
            return True
        except (UnexpectedToken, self.bad_character):
            return False

    # ---- braces left open ---------------------------------------------------------------

    def _opens_declaration(self, token: Token) -> bool:
        return (self._kind(token, None) in self.declaration_words
                and self._at_line_start(token))

    def _report_open_braces(self, reached: Token, among: set[int] | None = None) -> None:
        """J112 at each `{` still open where the parser met `reached` (the end of the text, a
        declaration's word, or where it starts again having left braces behind: `among`
        them), unless reported already. Open as the text has them (open_braces), so that the
        `{` named is the one missing its `}`."""
        braces = open_braces(self.text, [self.braces[offset] for offset in sorted(self.braces)
                                          if offset < reached.start_pos])
        if among is not None:
            braces = [brace for brace in braces if brace.start_pos in among]
        if reached.type == "$END":
            where = "the end of the file"
        else:
            line = self.source.span(reached.start_pos, reached.end_pos).line
            where = f"`{reached}` on line {line}"
        for brace in braces:
            if brace.start_pos in self.reported_braces:
                continue
            self.reported_braces.add(brace.start_pos)
            self.errors.append(Diagnostic("J112", (
                f"this `{{` is never closed: add its `}}` before {where}"),
                self.source.span(brace.start_pos, brace.end_pos)))


def open_braces(text: str, braces: list[Token]) -> list[Token]:
    """The `{` of `braces` (in text order) that no `}` closes. A `}` that starts its line
    closes the innermost open `{` on a line indented as much as its own, if there is one, and
    leaves those inside it open; any other `}` closes the innermost."""
    opened: list[tuple[Token, str]] = []
    unclosed: list[Token] = []
    for brace in braces:
        indent, starts_line = _indentation(text, brace.start_pos)
        if brace.type == "LBRACE":
            opened.append((brace, indent))
            continue
        if not opened:
            continue
        if starts_line:
            for index in range(len(opened) - 1, -1, -1):
                if opened[index][1] == indent:
                    unclosed.extend(token for token, _ in opened[index + 1:])
                    del opened[index + 1:]
                    break
        opened.pop()
    return sorted(unclosed + [token for token, _ in opened], key=lambda token: token.start_pos)


def _indentation(text: str, offset: int) -> tuple[str, bool]:
    """The indentation of the line at `offset`, and whether nothing else comes before it."""
    before = text[text.rfind("\n", 0, offset) + 1:offset]
    indent = before[:len(before) - len(before.lstrip())]
    return indent, len(indent) == len(before)
