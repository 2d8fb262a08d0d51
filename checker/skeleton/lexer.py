"""Line lexer: classify each physical line of a report into one grammar terminal.

The terminal *shapes* live in grammar/report.lark; this module applies them line by line
(highest priority first) and adds what one line cannot tell on its own: whether we are still
in the front matter, and whether short lines before a date are the signature.

Lark calls ``LineLexer.lex`` (checker/skeleton/table.py) with the object given to ``parse()``:
a :class:`TokenStream` holding the token list and a cursor, so that ``resume_parse()`` after ``on_error`` recovery
continues where it stopped instead of re-feeding tokens from the top.
"""

from __future__ import annotations

import re

from checker.record import Record
from checker.skeleton.normalize import Line
from checker.sources import SourceError

HEADINGS = ("H1", "H2", "H3", "H4")
# Terminals that only make sense in the front matter, before any heading or paragraph.
FRONT_ONLY = ("DOCHEAD", "DOCNO", "ISSUER", "ADDRESSEE", "TITLE")
# Terminals after which the front is over (and any heading).
ENDS_FRONT = ("TEXT", "CLOSING", "ADDRESSEE", *HEADINGS)
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


class Shapes(Record):
    """Compiled line patterns taken from the grammar's terminal definitions.

    ``front`` and ``body`` join the shapes, highest priority first, into one alternation of
    named groups: ``match(text).lastgroup`` is the first shape that fits, found in one C-level
    call per line (``body`` leaves out the front-matter-only shapes). ``body_first`` matches
    the characters a body shape can start with (derived from the patterns, see
    :func:`first_chars`): a line starting with any other character (most body text) is TEXT
    without trying the shapes; None when the patterns do not tell."""

    by_name: dict[str, re.Pattern]
    front: re.Pattern
    body: re.Pattern
    body_first: re.Pattern | None = None

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
        body = alternation([n for n in names if n not in FRONT_ONLY])
        first = first_chars(body.pattern)
        return cls(by_name, alternation(names), body, re.compile(f"[{first}]") if first else None)


def first_chars(pattern: str) -> str | None:
    """The inside of a character class that holds every character a match of ``pattern``
    (Python ``re`` syntax) can start with, or None when that cannot be told from the pattern
    (it can match the empty string, or starts with ``.``, a negated class or a backreference).
    Sound, not minimal: a line whose first character is not in the class cannot match."""
    from re import _constants as c
    from re import _parser

    def chars(items) -> tuple[list[str] | None, bool]:
        """(class items, can be empty) for a sequence of pattern items."""
        out: list[str] = []
        for op, av in items:
            if op is c.AT or op is c.ASSERT or op is c.ASSERT_NOT:
                continue                    # zero-width: the next item decides
            if op is c.LITERAL:
                return out + [re.escape(chr(av))], False
            if op is c.IN:
                part = []
                for kind, value in av:
                    if kind is c.LITERAL:
                        part.append(re.escape(chr(value)))
                    elif kind is c.RANGE:
                        part.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                    elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                        part.append(r"\d")
                    else:
                        return None, False
                return out + part, False
            if op is c.SUBPATTERN:
                if av[1] & c.SRE_FLAG_IGNORECASE:
                    return None, False      # (?i:…): letters of either case
                found, empty = chars(av[-1])
            elif op is c.MAX_REPEAT or op is c.MIN_REPEAT:
                found, empty = chars(av[2])
                empty = empty or av[0] == 0
            elif op is c.BRANCH:
                found, empty = [], False
                for branch in av[1]:
                    more, nullable = chars(branch)
                    if more is None:
                        return None, False
                    found += more
                    empty = empty or nullable
            else:
                return None, False
            if found is None:
                return None, False
            out += found
            if not empty:
                return out, False
        return out, True

    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags & c.SRE_FLAG_IGNORECASE:
            return None
        found, empty = chars(parsed.data)
    except Exception:  # noqa: BLE001 - a pattern this cannot read: no shortcut
        return None
    return None if found is None or empty or not found else "".join(found)


class TokenStream:
    """The lexed report handed to lark: tokens plus a cursor (see module docstring)."""

    __slots__ = ("tokens", "lines", "shapes", "pos", "runs")

    def __init__(self, tokens: list[LineToken], lines: list[Line], shapes: Shapes, pos: int = 0,
                 runs: dict[int, tuple[Line, ...]] | None = None):
        self.tokens = tokens
        self.lines = lines
        self.shapes = shapes
        self.pos = pos
        self.runs = runs if runs is not None else {}    # a RUNS token's line no -> its lines

    def heading_match(self, tok: LineToken) -> re.Match:
        """The match of a heading token's shape on its line (its groups: the numeral)."""
        return self.shapes.by_name[tok.type].match(self.lines[tok.line - 1].text)


class LineToken:
    """A token of the line lexer: its terminal (``type``) and its line number, which is what
    the model builder reads (it takes the line's text from the line); the value is the
    terminal's name, an empty value marks a synthetic token (parser.py's recovery). Cheaper
    to make than lark's Token (a str subclass with eight fields), and read the same way by
    lark (``type``, ``value``, ``line``, ``column``, ``start_pos``, ...)."""

    __slots__ = ("type", "value", "line")
    column = end_column = 1
    start_pos = end_pos = 0

    def __init__(self, kind: str, value: str, line: int):
        self.type = kind
        self.value = value
        self.line = line

    @property
    def end_line(self) -> int:
        return self.line

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Token({self.type!r}, {self.value!r})"


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
    headings = 0
    max_headings, max_text = int(MAX_HEADINGS * scale), int(MAX_TEXT_LINES * scale)
    rest = iter(lines)
    # The front, up to the line that ends it (a heading, text, the closing, the addressee).
    for line in rest:
        if not line.text:
            continue
        if plain and line.no in plain:
            fixed.add(len(kept))
            kind = "TEXT"
        else:
            m = shapes.front.match(line.text)
            kind = "TEXT" if m is None else m.lastgroup
            if kind == "RESIDUE":
                continue
            if kind == "DATE":
                kind = "PREDATE"
        kinds.append(kind)
        kept.append(line)
        if kind in HEADINGS:
            headings += 1
        if kind in ENDS_FRONT:
            break
    # The body: the same lines go on (``rest``), with the body's shapes. Most lines start
    # with a character no body shape starts with: TEXT without trying the shapes. The
    # budget on lines is checked once, at the end; when the headings overrun theirs, the
    # lines' budget is named instead if it was overrun before (as a check at each line did).
    body, first = shapes.body, shapes.body_first
    for line in rest:
        text = line.text
        if not text:
            continue
        if plain and line.no in plain:
            fixed.add(len(kept))
            kind = "TEXT"
        elif first is not None and first.match(text) is None:
            kind = "TEXT"
        else:
            m = body.match(text)
            kind = "TEXT" if m is None else m.lastgroup
            if kind == "RESIDUE":
                continue
            if kind in HEADINGS:
                headings += 1
                if headings > max_headings:
                    raise _too_many_lines(max_text) if len(kept) > max_text else \
                        SourceError("too_complex", f"编号标题超过 {wan(max_headings)}个"
                                                   f"（报告通常只有几十到几百个；{RAISE_BUDGETS}）")
        kinds.append(kind)
        kept.append(line)
    if len(kept) > max_text:
        raise _too_many_lines(max_text)
    _mark_closing(kinds, kept, shapes.by_name["SIGNER"], fixed)
    # Consecutive body lines travel as one TEXT token (the model builder splits the run into
    # paragraphs), consecutive title lines as one TITLE token, and so on (RUNS): fewer tokens
    # to feed (a front of a million short lines would be a million tokens).
    tokens: list[LineToken] = []
    runs: dict[int, tuple[Line, ...]] = {}
    i, n = 0, len(kinds)
    while i < n:
        j = i + 1
        kind = kinds[i]
        if kind in RUNS:
            while j < n and kinds[j] == kind:
                j += 1
            runs[kept[i].no] = tuple(kept[i:j])
        tokens.append(LineToken(kind, kind, kept[i].no))
        i = j
    return TokenStream(tokens, lines, shapes, runs=runs)


def _too_many_lines(max_text: int) -> SourceError:
    return SourceError("too_complex", f"文本中有文字的行超过 {wan(max_text)}行"
                                      f"（报告通常只有几百到几千行；{RAISE_BUDGETS}）")


def _mark_closing(kinds: list[str], lines: list[Line], signer: re.Pattern, fixed: set[int] = frozenset()) -> None:
    """Decide which DATE lines close the report and which short lines above them sign it
    (never one of the ``fixed`` lines: table rows)."""
    n = len(kinds)
    i = -1
    while True:
        try:
            i = kinds.index("DATE", i + 1)   # the next DATE line (list.index: found in C)
        except ValueError:
            break
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
