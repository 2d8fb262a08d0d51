"""Line lexer: classify each physical line of a report into one grammar terminal.

The terminal *shapes* live in grammar/report.lark; this module applies them line by line
(highest priority first) and adds what one line cannot tell on its own: whether we are still
in the front matter, and whether short lines before a date are the signature.

Lark calls :meth:`LineLexer.lex` with the object given to ``parse()``: a :class:`TokenStream`
holding the token list and a cursor, so that ``resume_parse()`` after ``on_error`` recovery
continues where it stopped instead of re-feeding tokens from the top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lark import Token
from lark.lexer import Lexer

from checker.skeleton.normalize import Line
from checker.sources import SourceError

HEADINGS = ("H1", "H2", "H3", "H4")
# Terminals that only make sense in the front matter, before any heading or paragraph.
FRONT_ONLY = ("DOCHEAD", "DOCNO", "ISSUER", "ADDRESSEE", "TITLE")
# Terminals decided by context, never by shape alone.
CONTEXTUAL = ("SIGNER", "PREDATE", "TEXT")
MAX_SIGNER_LINES = 3
# Budgets (see parser.MAX_LINES), scaled as it says.
# Lines with text: each costs a few microseconds and a few hundred bytes (its Line, a token
# for a run, a Paragraph when it ends a sentence): 400,000 lines of one short sentence each
# take about 3 s and 200 MB. Reports have at least 55 bytes a line (the seeds and the 500
# reports of the bench corpus): 20 MB of them at most 380,000 lines.
MAX_TEXT_LINES = 400_000
# Numbered headings: each costs about 35 microseconds and a kilobyte (its token, parse steps,
# Heading, Section, title, and the rules that look at every heading): 50,000 take about 2 s
# and 50 MB. Reports have tens to a few hundred, about one in 450 bytes (the seeds): 20 MB of
# them about 46,000.
MAX_HEADINGS = 50_000
RAISE_BUDGETS = "上限随 --max-file-size 按比例提高"
# Terminals whose consecutive lines make one token (TokenStream.runs holds the lines): the
# parser takes a run of them wherever it takes one.
RUNS = ("TEXT", "TITLE", "DOCHEAD", "DOCNO", "ISSUER", "PREDATE")


@dataclass
class Shapes:
    """Compiled line patterns taken from the grammar's terminal definitions.

    ``front`` and ``body`` join the shapes, highest priority first, into one alternation of
    named groups: ``match(text).lastgroup`` is the first shape that fits, found in one C-level
    call per line (``body`` leaves out the front-matter-only shapes)."""

    by_name: dict[str, re.Pattern]
    front: re.Pattern
    body: re.Pattern

    @classmethod
    def from_terminals(cls, terminals) -> Shapes:
        defs = [t for t in terminals if t.name not in CONTEXTUAL]
        defs.sort(key=lambda t: -t.priority)   # stable: equal priorities keep grammar order
        source = {t.name: t.pattern.to_regexp() for t in terminals}
        # compiled one by one only where a match's own groups are read
        by_name = {n: re.compile(source[n]) for n in (*HEADINGS, "SIGNER")}

        def alternation(names: list[str]) -> re.Pattern:
            return re.compile("|".join(f"(?P<{n}>{source[n]})" for n in names))

        names = [t.name for t in defs]
        return cls(by_name, alternation(names), alternation([n for n in names if n not in FRONT_ONLY]))


@dataclass
class TokenStream:
    """The lexed report handed to lark: tokens plus a cursor (see module docstring)."""

    tokens: list[Token]
    lines: list[Line]
    shapes: Shapes
    pos: int = 0
    runs: dict[int, tuple[Line, ...]] = field(default_factory=dict)  # a RUNS token's line no -> its lines

    def heading_match(self, tok: Token) -> re.Match:
        """The match of a heading token's shape on its line (its groups: the numeral)."""
        return self.shapes.by_name[tok.type].match(self.lines[tok.line - 1].text)


def _token(kind: str, line: Line) -> Token:
    # The value is the kind, not the line's text (a str subclass holds a copy of its value):
    # the builder reads lines by number; an empty value marks a synthetic token (parser.py).
    return Token(kind, kind, 0, line.no, 1, line.no, 1, 0)


def wan(n: int) -> str:
    """A count in Chinese units: 400000 -> '40 万', 123456 -> '123456 '."""
    return f"{n // 10000} 万" if n % 10000 == 0 else f"{n} "


def classify(lines: list[Line], shapes: Shapes, scale: float = 1.0,
             plain: frozenset[int] | None = None) -> TokenStream:
    """Classify every non-blank line; return the token stream for the parser. SourceError
    too_complex beyond the budgets (MAX_TEXT_LINES, MAX_HEADINGS, times ``scale``).
    ``plain``: numbers of lines that are body text whatever their shape (the rows of a
    table: "三、本年度办理结果" in a table is a row label, not a heading)."""
    kinds: list[str] = []
    kept: list[Line] = []
    fixed: set[int] = set()      # indices in ``kept`` of the ``plain`` lines
    in_front = True
    headings = 0
    max_headings, max_text = int(MAX_HEADINGS * scale), int(MAX_TEXT_LINES * scale)
    for line in lines:
        text = line.text
        if not text:
            continue
        if plain and line.no in plain:
            fixed.add(len(kept))
            kind = "TEXT"
        else:
            m = (shapes.front if in_front else shapes.body).match(text)
            kind = "TEXT" if m is None else m.lastgroup
        if kind == "RESIDUE":
            continue
        if kind == "DATE" and in_front:
            kind = "PREDATE"
        if kind in HEADINGS:
            headings += 1
            if headings > max_headings:
                raise SourceError("too_complex", f"编号标题超过 {wan(max_headings)}个"
                                                 f"（报告通常只有几十到几百个；{RAISE_BUDGETS}）")
            in_front = False
        elif kind in ("TEXT", "CLOSING", "ADDRESSEE"):
            in_front = False
        kinds.append(kind)
        kept.append(line)
        if len(kept) > max_text:
            raise SourceError("too_complex", f"文本中有文字的行超过 {wan(max_text)}行"
                                             f"（报告通常只有几百到几千行；{RAISE_BUDGETS}）")
    _mark_closing(kinds, kept, shapes.by_name["SIGNER"], fixed)
    # Consecutive body lines travel as one TEXT token (the model builder splits the run into
    # paragraphs), consecutive title lines as one TITLE token, and so on (RUNS): fewer tokens
    # to feed (a front of a million short lines would be a million tokens).
    tokens: list[Token] = []
    runs: dict[int, tuple[Line, ...]] = {}
    i, n = 0, len(kinds)
    while i < n:
        j = i + 1
        kind = kinds[i]
        if kind in RUNS:
            while j < n and kinds[j] == kind:
                j += 1
            runs[kept[i].no] = tuple(kept[i:j])
        tokens.append(_token(kinds[i], kept[i]))
        i = j
    return TokenStream(tokens, lines, shapes, runs=runs)


def _mark_closing(kinds: list[str], lines: list[Line], signer: re.Pattern, fixed: set[int] = frozenset()) -> None:
    """Decide which DATE lines close the report and which short lines above them sign it
    (never one of the ``fixed`` lines: table rows)."""
    n = len(kinds)
    for i in range(n):
        if kinds[i] != "DATE":
            continue
        j = i - 1
        while j >= 0 and i - j <= MAX_SIGNER_LINES and kinds[j] in ("TEXT", "TITLE") \
                and j not in fixed and signer.match(lines[j].text):
            j -= 1
        signers = range(j + 1, i)
        closes = len(signers) > 0 or (j >= 0 and kinds[j] == "CLOSING") or i == n - 1
        if not closes:
            kinds[i] = "TEXT"
            continue
        for k in signers:
            kinds[k] = "SIGNER"
    # a signature without a date: short lines that end the report right after CLOSING
    tail = n
    while tail > 0 and n - tail < MAX_SIGNER_LINES and kinds[tail - 1] == "TEXT" \
            and tail - 1 not in fixed and signer.match(lines[tail - 1].text):
        tail -= 1
    if tail < n and tail > 0 and kinds[tail - 1] == "CLOSING":
        for k in range(tail, n):
            kinds[k] = "SIGNER"


class LineLexer(Lexer):
    """Lark custom lexer: yields the pre-classified tokens from a :class:`TokenStream`."""

    def __init__(self, lexer_conf):  # noqa: D107 - lark's interface
        pass

    def lex(self, stream: TokenStream, *_):  # type: ignore[override]
        tokens = stream.tokens
        while stream.pos < len(tokens):
            tok = tokens[stream.pos]
            stream.pos += 1
            yield tok
