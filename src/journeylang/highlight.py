"""The Pygments lexer for journeylang, and highlighting a file for a terminal or a web page."""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import (Comment, Keyword, Literal, Name, Number, Operator, Punctuation,
                            String, Whitespace)

#: Channel names: `send email …`, `profile.consent.sms`.
CHANNELS = ("email", "sms", "push", "inapp", "whatsapp")
#: Words that are values.
CONSTANTS = ("true", "false", "null")
#: Words that are operators.
WORD_OPERATORS = ("and", "or", "not", "in")
#: Every other keyword. Together these five lists are the grammar's keywords (a test checks).
KEYWORDS = (
    "action", "after", "always", "append", "at", "audience", "branch", "call", "campaign",
    "cap", "else", "error", "event", "every", "exclude", "exit", "fetch", "for", "fork",
    "holdout", "if", "intersect", "join", "journey", "jump", "keep", "let", "never", "on",
    "per", "primary", "profile", "rate", "read", "reentry", "response", "save", "send", "set",
    "split", "starting", "timeout", "timezone", "until", "version", "wait", "when", "where",
    "with", "within",
)

#: The soft keywords of tests (`test "…" { expect … }`): keywords inside a test only.
TEST_KEYWORDS = (
    "because", "between", "close", "enters", "exits", "expect", "fails", "fixture", "from",
    "gets", "label", "line", "no", "publish", "reached", "rejected", "seed", "sent",
    "start", "stop", "suppressed", "test",
)

#: Durations such as `90s` or `1d`, a kind of number.
Duration = Number.Duration


class JourneyLexer(RegexLexer):
    """journeylang: customer journeys as code (`.journey` files)."""

    name = "journeylang"
    aliases = ["journey", "journeylang"]
    filenames = ["*.journey"]
    mimetypes = ["text/x-journey"]

    tokens = {
        "root": [
            include("expression"),
            (r"\}", Punctuation),
        ],
        "expression": [
            (r"[ \t\r\n]+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"', String.Double, "string"),
            # a word after a dot is an attribute, even a keyword: `event.wait`
            (r"(\.)([A-Za-z_][A-Za-z0-9_]*)", bygroups(Punctuation, Name.Attribute)),
            (r"(profile|event)(?=\.)", Name.Builtin.Pseudo),
            (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?", Literal.Date),
            (r"\d{4}-\d{2}-\d{2}", Literal.Date),
            (r"\d{2}:\d{2}(?::\d{2})?", Literal.Date),
            (r"\d+(?:\.\d+)?[smhdw](?![A-Za-z0-9_])", Duration),
            (r"\d+(?:\.\d+)?%", Number),
            (r"\d+\.\d+", Number.Float),
            (r"\d+", Number.Integer),
            # a comprehension: `[p.sku for p in event.products where …]`, `in` a keyword there
            (r"(for)(\s+)([A-Za-z_][A-Za-z0-9_]*)(\s+)(in)\b",
             bygroups(Keyword, Whitespace, Name.Variable, Whitespace, Keyword)),
            # `join(…)` and `split(…)` are calls, although their names are statements too
            (r"(?:join|split)(?=\s*\()", Name.Function),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (words(WORD_OPERATORS, suffix=r"\b"), Operator.Word),
            (words(CHANNELS, suffix=r"\b"), Name.Builtin),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (words(TEST_KEYWORDS, suffix=r"\b"), Keyword),
            (r"[A-Za-z_][A-Za-z0-9_]*(?=\s*\()", Name.Function),
            (r"[A-Za-z_][A-Za-z0-9_]*", Name),
            (r"==|!=|<=|>=|<|>|\+|-|\*|/|%|=", Operator),
            (r"[\[\](),:.]", Punctuation),
            (r"\{", Punctuation, "block"),
        ],
        "block": [
            include("expression"),
            (r"\}", Punctuation, "#pop"),
        ],
        "string": [
            (r'\\[nt"\\{}]', String.Escape),
            (r"\\.", String.Escape),
            (r"\{", String.Interpol, "interpolation"),
            (r'"', String.Double, "#pop"),
            (r'[^"\\{\n]+', String.Double),
            (r"\n", String.Double, "#pop"),  # an unterminated string ends with its line
        ],
        "interpolation": [
            (r"\}", String.Interpol, "#pop"),
            include("expression"),
        ],
    }


def highlight_text(text: str, output: str) -> str:
    """A journey highlighted for a terminal (`terminal`) or as a standalone HTML page (`html`)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter, Terminal256Formatter

    if output == "html":
        formatter = HtmlFormatter(full=True, linenos="table", title="journeylang")
    else:
        formatter = Terminal256Formatter(style="default")
    return highlight(text, JourneyLexer(), formatter)
