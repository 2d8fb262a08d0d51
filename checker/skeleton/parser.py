"""Parse a report into the document model.

text -> lines (normalize) -> tokens (lexer) -> LALR parse (grammar/report.lark) -> Report.

The Lark parser (checker/skeleton/table.py) is built once per process; its LALR tables are
kept on disk between runs, as JSON data, in fzlint's cache folder (checker/cache.py). Parsing
never raises: when the grammar cannot fit a line, the ``on_error`` handler either inserts the missing parent
heading level (``（1）`` right under ``一、``) or drops the line, and records a structural
:class:`~checker.skeleton.model.Problem` that the rules engine reports.

A token stream the grammar takes as it is (nearly every report) is built without the table
(:func:`_build_directly`): one pass that calls the model builder with the children the
table would give it. It follows the grammar's rules, checked against the grammar text when
the model builder is made (off when they differ), and leaves any other stream to the table.
The line shapes come from the grammar text too: a report that takes the direct path never
imports lark (checker/skeleton/table.py is imported for the first stream that needs it).
"""

from __future__ import annotations

import datetime as _dt
import gc
import re
from collections.abc import Sequence
from contextlib import contextmanager
from functools import lru_cache
from sys import intern

from checker import resources
from checker.skeleton.lexer import HEADINGS, RAISE_BUDGETS, LineToken, Shapes, TokenStream, classify, wan
from checker.skeleton.model import (
    _ONE_PIECE,
    HEADING_LIKE_MAX,
    Closing,
    Heading,
    Paragraph,
    Problem,
    Report,
    Section,
    Text,
    _punct,
    numeral_value,
)
from checker.skeleton.normalize import Line, lines_of
from checker.skeleton.tables import (
    Table,
    TableBudget,
    Tables,
    TextLayouts,
    find_text_tables,
    may_hold_text_tables,
    set_captions,
)
from checker.sources import DEFAULT_MAX_BYTES, SourceError

# Budgets on the model, for a text read under the default size limit (20 MB); a raised limit
# (--max-file-size) raises them in proportion: the limit says how much work a user accepts
# for one file. Beyond them: SourceError too_complex (FZ910). Here the lines, blank ones
# included (each a Line: about a microsecond and 100 bytes): a million take about 1 s and
# 100 MB; the lexer has the budgets on lines with text and on headings, which cost more.
MAX_LINES = 1_000_000

# How each level's numbering looks, for messages about a missing level.
LEVEL_MARKERS = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
PARAGRAPH_END = ("。", "！", "？", "；", "：", "…", "。”", "！”", "？”")
TITLE_END = "。；！？"
_TITLE_END = re.compile(f"[{TITLE_END}]")
# A run-in "title" longer than this is a sentence, not a heading: cut it at the first comma.
MAX_TITLE = 50
RUN_ON_TITLE = 40


# The grammar's terminal definitions (name, priority, pattern, flags) and rule names, read from
# its text (table.py checks lark's terminals against the same)
_TERMINAL_DEF = re.compile(r"^([A-Z_][A-Z0-9_]*)(?:\.(-?\d+))?: */(.+)/([imslux]*) *$", re.M)
_RULE_DEF = re.compile(r"^[?!]?([_a-z][_a-z0-9]*) *:", re.M)


class _Pattern:
    __slots__ = ("value", "flags")

    def __init__(self, value: str, flags: str):
        self.value, self.flags = value, flags

    def to_regexp(self) -> str:
        """As lark's PatternRE writes a pattern with its flags."""
        value = self.value
        for f in self.flags:
            value = f"(?{f}:{value})"
        return value


class _Terminal:
    """A terminal definition of the grammar text, read as lark reads it (name, priority,
    pattern): what :meth:`Shapes.from_terminals` needs, without lark."""

    __slots__ = ("name", "priority", "pattern")

    def __init__(self, name: str, priority: str, pattern: str, flags: str):
        self.name, self.priority, self.pattern = name, int(priority or 0), _Pattern(pattern, flags)


def grammar_terminals(grammar: str) -> list[_Terminal]:
    """The terminals the grammar text defines, in its order."""
    return [_Terminal(*m) for m in _TERMINAL_DEF.findall(grammar)]


@lru_cache(maxsize=1)
def _skeleton() -> tuple[Shapes, _Build]:
    """The line shapes and the model builder, made once per process from the grammar text
    (no lark: see :func:`_parser` for the table)."""
    grammar = resources.grammar_path().read_text(encoding="utf-8")
    builder = _Build()
    builder.direct = _rules(grammar) == _rules(_DIRECT_RULES)
    return Shapes.from_terminals(grammar_terminals(grammar)), builder


def _parser():
    """lark's parser of the grammar, its shapes and its model builder (checker/skeleton/table.py;
    imports lark): for the streams the direct builder does not take."""
    from checker.skeleton import table

    return table.parser()


def _driver(lark):
    from checker.skeleton import table

    return table.driver(lark)


def build_parser(**options):
    """A fresh, uncached lark parser (for tests that check the grammar itself)."""
    from checker.skeleton import table

    return table.build_parser(**options)


@contextmanager
def paused_gc():
    """Hold the cyclic garbage collector while building or reading a report's model.

    Parsing allocates a few objects per line and keeps them all (lines, tokens, the model);
    every 700 allocations the collector would walk the young ones again, and the whole heap
    each time it grows by a quarter: over half the time of a parse of a file of short lines
    (a page of a million ``<p>``). The model holds no reference cycles (Context avoids them;
    see its ``_index``), so nothing is left for the collector to find; any cycle made anyway
    is collected after the pause."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse(text: str, size_limit: int | None = DEFAULT_MAX_BYTES, tables: Sequence[Table] | None = None,
          layouts: TextLayouts | None = None) -> Report:
    """Parse decoded report text. ``tables``: the tables a reader found (.docx, .html), each
    placed on the text's lines; None: find tables written in the text (pipe, tab or spaced
    rows, and one cell a line under a header ``layouts`` declares: the rule packs'
    ``text_tables``, ``Registry.text_layouts``; checker/skeleton/tables.py). Never raises on any input text, except
    :class:`~checker.sources.SourceError` ``too_complex`` for a text beyond the model's
    budgets (:data:`MAX_LINES`, and the lexer's :data:`~checker.skeleton.lexer.MAX_TEXT_LINES`
    and :data:`~checker.skeleton.lexer.MAX_HEADINGS`), scaled up for a ``size_limit`` above
    the default one."""
    scale = max(1.0, size_limit / DEFAULT_MAX_BYTES) if size_limit else 1.0
    max_lines = int(MAX_LINES * scale)
    lines = text.count("\n") + 1                   # as split_lines counts
    if "\r" in text:
        lines += text.count("\r") - text.count("\r\n")
    if lines > max_lines:
        raise SourceError("too_complex", f"文本有 {lines} 行，超过 {wan(max_lines)}行的上限"
                                         f"（报告通常只有几百到几千行；{RAISE_BUDGETS}）")
    with paused_gc():
        return _parse(text, scale, tables, layouts)


def _tables(lines: list[Line], text: str, tables: Sequence[Table] | None,
            layouts: TextLayouts | None) -> tuple[list[Table], bool]:
    """The report's tables (a reader's, else those written in the text) and whether some
    were left out (budgets)."""
    if tables is None:
        if not may_hold_text_tables(text, layouts):
            return [], False
        budget = TableBudget()
        raws = [line.raw for line in lines]
        found = find_text_tables(raws, budget, text=text if "\r" not in text else "\n".join(raws), layouts=layouts)
        return found, budget.incomplete
    found = [t for t in tables if 1 <= t.first_line <= t.last_line <= len(lines)]
    return found, isinstance(tables, Tables) and tables.incomplete


def _table_lines(tables: list[Table]) -> frozenset[int]:
    """The lines of the tables that hold figures: body text for the skeleton, never a heading
    or a date ("（七）总计\t4\t1" is a row, not a （七） heading). A table without figures
    (a signature and date set side by side in a borderless Word table) keeps its lines'
    own kinds."""
    out: set[int] = set()
    for t in tables:
        if t.holds_figures():
            out.update(range(t.first_line, t.last_line + 1))
    return frozenset(out)


def _parse(text: str, scale: float, tables: Sequence[Table] | None = None,
           layouts: TextLayouts | None = None) -> Report:
    lines = lines_of(text)
    found, incomplete = _tables(lines, text, tables, layouts)
    shapes, builder = _skeleton()
    stream = classify(lines, shapes, scale, _table_lines(found) if found else None)
    report = None
    if builder.direct:
        builder.use(stream)
        try:
            report = _build_directly(stream, builder)
        finally:
            builder.use(None)
    if report is None:
        report = _table_parse(stream, lines)
    if report._flat is None:
        report.lay_out()
    report.tables_incomplete = incomplete
    if found:
        set_captions(found, [line.text for line in lines])
        report.tables = found
    return report


def _table_parse(stream: TokenStream, lines: list[Line]) -> Report:
    """The report of a stream the direct builder did not take: lark's table and the recovery."""
    from lark.exceptions import LarkError

    lark, _, builder = _parser()
    problems: list[Problem] = []
    builder.use(stream)
    try:
        report = _driver(lark).parse(stream, _recovery(stream, problems))
    except LarkError:  # pragma: no cover - the grammar accepts any token sequence prefix
        report = Report(lines)
        first = report.first_content_line() or lines[0]
        report.problems.append(Problem("unparsed", first))
    else:
        report.problems.extend(_merge_dropped(problems))
    finally:
        builder.use(None)
    return report


def _synthetic(kind: str, like: LineToken) -> LineToken:
    return LineToken(kind, "", like.line)


def _accepts(state, types: tuple[str, ...]) -> bool:
    """Would the parser in ``state`` take tokens of these types, one after the other?

    Runs the LALR table on a copy of the state stack alone (lark's ``InteractiveParser.copy``
    deep-copies the value stack, the whole model built so far: a report of thousands of
    headings that each lack their parent level took minutes)."""
    from lark.parsers.lalr_analysis import Shift

    states = state.parse_conf.states
    stack = list(state.state_stack)
    for kind in types:
        while True:
            action = states[stack[-1]].get(kind)
            if action is None:
                return False
            what, arg = action
            if what is Shift:
                stack.append(arg)
                break
            if arg.expansion:   # reduce by rule ``arg``, then take its goto
                del stack[-len(arg.expansion):]
            stack.append(states[stack[-1]][arg.origin.name][1])
    return True


def _recovery(stream: TokenStream, problems: list[Problem]):
    lines = stream.lines

    def on_error(e) -> bool:
        from lark.exceptions import UnexpectedToken  # lark is loaded: this runs in its parse

        if not isinstance(e, UnexpectedToken) or e.token.type == "$END":
            return False
        tok, ip = e.token, e.interactive_parser
        line = lines[tok.line - 1]
        state = ip.parser_state
        parent = _parent_level(state, tok)
        if parent:
            ip.feed_token(_synthetic(f"H{parent}", tok))
            ip.feed_token(tok)
            marker = stream.heading_match(tok).group(0)
            problems.append(Problem("missing_parent", line, marker, LEVEL_MARKERS[parent]))
            return True
        # Drop the line(s), and with them the tokens after it that would fail the same way
        # without changing the parser's state (no action at all for them in its current
        # state, no parent level to insert): one problem for the run, not one exception and
        # one recovery per token (a million lines after 特此报告).
        dropped = len(stream.runs.get(tok.line, (line,)))     # a TEXT token is a run of lines
        actions = state.parse_conf.states[state.position]
        tokens = stream.tokens
        while stream.pos < len(tokens):
            nxt = tokens[stream.pos]
            if nxt.type in actions or _parent_level(state, nxt):
                break
            dropped += len(stream.runs.get(nxt.line, (None,)))
            stream.pos += 1
        problems.append(Problem("after_closing", line, str(dropped)))
        return True

    return on_error


def _parent_level(state, tok: LineToken) -> int:
    """The nearest missing parent level whose insertion lets the parser take heading ``tok``
    (0: none, or not a heading)."""
    if tok.type not in HEADINGS:
        return 0
    return next((parent for parent in range(int(tok.type[1]) - 1, 0, -1)
                 if _accepts(state, (f"H{parent}", tok.type))), 0)


def _merge_dropped(problems: list[Problem]) -> list[Problem]:
    """Report a run of dropped lines after the closing once, with the count."""
    out: list[Problem] = []
    for p in problems:
        if p.kind == "after_closing" and out and out[-1].kind == "after_closing":
            out[-1].found = str(int(out[-1].found) + int(p.found))
            continue
        out.append(p)
    return out


# ---------------------------------------------------------------------------------------
# The usual report without the table

# The rules of grammar/report.lark that _build_directly follows. When the grammar's rules are
# other than these (compared without comments and spaces), the direct path is off: the
# table alone decides.
_DIRECT_RULES = """
start: front section* closing?
front: _front_item* para*
_front_item: DOCHEAD | DOCNO | ISSUER | TITLE | ADDRESSEE | PREDATE
para: TEXT
section: H1 para* sub3* sub2*
sub2: H2 para* sub3*
sub3: H3 para* sub4*
sub4: H4 para*
closing: CLOSING signature?
       | signature
signature: SIGNER* DATE
         | SIGNER+
"""
_FRONT_ITEMS = frozenset({"DOCHEAD", "DOCNO", "ISSUER", "TITLE", "ADDRESSEE", "PREDATE"})
_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4}
_CLOSING_START = frozenset({"CLOSING", "SIGNER", "DATE"})


def _rules(grammar: str) -> list[str]:
    """The rule definitions of a lark grammar (terminals, directives, comments and spaces
    left out), each with its alternatives."""
    out: list[str] = []
    in_rule = False
    for ln in grammar.splitlines():
        ln = ln.split("//")[0].strip()
        if ln.startswith("|"):
            if in_rule:
                out[-1] += ln.replace(" ", "")
        elif ln:
            in_rule = bool(_RULE_DEF.match(ln))
            if in_rule:
                out.append(ln.replace(" ", ""))
    return out


def _build_directly(stream: TokenStream, builder: _Build) -> Report | None:
    """The model of a token stream the grammar takes as it is (no heading without its parent
    level, nothing after the closing: nearly every report), built in one pass over the
    tokens without the table: the model builder's :meth:`_Build.section_of` makes each
    section as its heading comes (its body lines are the TEXT token right after it) and
    hangs it under the innermost open section of a higher level, as the grammar's rules
    would. None for any other stream: the table parses it and its ``on_error`` recovery
    repairs it (tests/test_parser.py checks both ways agree)."""
    tokens = stream.tokens
    runs = stream.runs
    n = len(tokens)
    i = 0
    front: list = []
    while i < n and tokens[i].type in _FRONT_ITEMS:
        front.append(tokens[i])
        i += 1
    opening: list[Paragraph] = []
    if i < n and tokens[i].type == "TEXT":      # consecutive body lines travel as one token
        opening = builder._paragraphs(runs[tokens[i].line])
        i += 1
    front.append(opening)
    # the model laid out as it is built (Report.lay_out): the running texts and the sections
    # in reading order, each section's texts' range
    flat = [p.body for p in opening]
    walked: list[Section] = []
    sections: list[Section] = []
    open_: list[tuple] = []     # the open sections, outermost first: (level, children, section, first text)
    section_of = builder.section_of
    levels = _LEVELS
    while i < n:
        tok = tokens[i]
        level = levels.get(tok.type)
        if level is None:
            if tok.type == "TEXT":      # body text after the body text of a section: not a shape the table builds
                return None
            break
        while open_ and open_[-1][0] >= level:
            _, _, done, first = open_.pop()
            done._laid = (flat, first, len(flat))
        # a 一、 section takes 1. items, then （一） subsections; a （1） item needs a 1. item
        if open_:
            if level == 4 and open_[-1][0] != 3:
                return None
            siblings = open_[-1][1]
        elif level > 1:
            return None
        else:
            siblings = sections
        i += 1
        if i < n and tokens[i].type == "TEXT":
            section = section_of(tok, level, runs[tokens[i].line])
            i += 1
        else:
            section = section_of(tok, level, ())
        siblings.append(section)
        walked.append(section)
        open_.append((level, section.children, section, len(flat)))
        heading = section.heading
        flat.append(heading.title)
        if heading.run_in is not None:
            flat.append(heading.run_in)
        if section.paragraphs:
            flat += [p.body for p in section.paragraphs]
    for _, _, done, first in open_:
        done._laid = (flat, first, len(flat))
    children: list = [front, *sections]
    if i < n:
        if tokens[i].type not in _CLOSING_START:
            return None
        j = i + 1 if tokens[i].type == "CLOSING" else i       # the signature: SIGNER* DATE | SIGNER+
        k = j
        while k < n and tokens[k].type == "SIGNER":
            k += 1
        if k < n and tokens[k].type == "DATE":
            k += 1
        if k < n:                                    # more after the closing: dropped, with a problem
            return None
        parts = [tokens[i]] if j > i else []
        if k > j:
            parts.append(builder.signature(tokens[j:k]))
        children.append(builder.closing(parts))
    report = builder.start(children)
    report._flat, report._walked = flat, walked
    return report


# ---------------------------------------------------------------------------------------
# Tree -> model

_DATE_PARTS = re.compile(r"(.+?)年(.+?)月(.+?)日")


def iso_date(text: str) -> str | None:
    """'2024年1月29日' -> '2024-01-29'; None when the date cannot exist or is unreadable."""
    m = _DATE_PARTS.match(text)
    if not m:
        return None
    try:
        y, mo, d = (numeral_value(g) for g in m.groups())
        return _dt.date(y, mo, d).isoformat()
    except (KeyError, ValueError):
        return None


def _title_from(lines: list[Line]) -> str | None:
    """Join title lines; drop a line repeated by the lines after it (web-page residue)."""
    parts = [ln.text for ln in lines]
    # One pass from the end over the joined text (a page can put thousands of short lines
    # in the front: slicing and joining the rest for each line would be quadratic).
    whole = "".join(parts)
    keep = []
    later: set[str] = set()
    end = len(whole)
    for part in reversed(parts):
        start = end - len(part)
        if not (later and (whole.startswith(part, end) or part in later)):
            keep.append(part)
        later.add(part)
        end = start
    return "".join(reversed(keep)) or None


def _body(line: Line, begin: int, more: list[Line] | None) -> Text:
    """The text of a paragraph: ``line.text[begin:]`` and the whole of the ``more`` lines it
    runs on to (None: none, the usual paragraph, made directly)."""
    if more is None:
        return Text(line.text[begin:], _ONE_PIECE, (line, begin))      # Text.one
    return Text.from_lines([(line, begin, len(line.text)), *[(ln, 0, len(ln.text)) for ln in more]])


class _Build:
    """Builds the Report dataclasses; holds no rule logic.

    One instance serves every parse of the process (see :func:`_skeleton`; lark's table uses
    one of its own, table.LarkBuild): :meth:`use` gives it the lines of the report being
    parsed (fzlint parses one report at a time per process)."""

    def __init__(self):
        self.stream: TokenStream | None = None
        self.lines: list[Line] = []
        self.runs: dict[int, tuple[Line, ...]] = {}
        self.shapes: dict[str, re.Pattern] = {}
        self.direct = False     # _build_directly follows the grammar's rules (see _parser)
        # a heading's marker as written -> (the shape that matched it, its number, the marker)
        self.markers: dict[str, tuple[re.Pattern, str, str]] = {}

    def use(self, stream: TokenStream | None) -> None:
        self.stream = stream
        self.lines = stream.lines if stream is not None else []
        self.runs = stream.runs if stream is not None else {}
        self.shapes = stream.shapes.by_name if stream is not None else {}

    def _line(self, tok: LineToken) -> Line:
        return self.lines[tok.line - 1]

    # -- paragraphs: consecutive lines join while a sentence runs on (PDF line breaks)
    def para(self, children) -> tuple[Line, ...]:
        return self.runs[children[0].line]

    def _paragraphs(self, lines: Sequence[Line], line: Line | None = None, begin: int = 0) -> list[Paragraph]:
        """The paragraphs of a run of body lines. ``line``, ``begin``: run-in text on a
        heading line, ``line.text[begin:]``, which the first paragraph starts with."""
        out: list[Paragraph] = []
        rest = iter(lines)
        if line is None:
            line = next(rest, None)
            if line is None:
                return out
        more = None       # the lines after ``line`` the paragraph being read runs on to
        prev = line.text  # the last line's whole text
        for ln in rest:
            # a paragraph runs on while its last line neither ends a sentence nor reads as a
            # heading (model.heading_like: short, without sentence punctuation)
            if prev.endswith(PARAGRAPH_END) or (0 < len(prev) <= HEADING_LIKE_MAX
                                                and not _punct(prev)):
                out.append(Paragraph(Text(line.text[begin:], _ONE_PIECE, (line, begin)) if more is None
                                     else _body(line, begin, more)))
                line, begin, more = ln, 0, None
            elif more is None:
                more = [ln]
            else:
                more.append(ln)
            prev = ln.text
        out.append(Paragraph(_body(line, begin, more)))
        return out

    def section_of(self, tok: LineToken, level: int, paras: Sequence[Line]) -> Section:
        """The section of heading ``tok`` with the body lines right under it (``paras``), no
        subsections yet: the heading line split into its title and any run-in text, which the
        first paragraph is.

        A 1./（1） item whose line is long, has a comma and no sentence end, and runs on into
        body lines right under it is a run-in paragraph broken by a line break: its title ends
        at the first comma.
        """
        line = self.lines[tok.line - 1]
        text = line.text
        m = self.shapes[tok.type].match(text)       # TokenStream.heading_match
        start = m.end()
        size = len(text)
        end_mark = _TITLE_END.search(text, start)
        stop = end_mark.start() if end_mark else size
        if stop - start > MAX_TITLE or (paras and level >= 3 and stop == size and stop - start >= RUN_ON_TITLE
                                        and not text.endswith(PARAGRAPH_END)):
            comma = text.find("，", start, stop)
            if comma > start:
                stop = comma
        # a few dozen distinct numbers and markers over any number of headings: one copy each
        marker = m.group()
        known = self.markers.get(marker)
        if known is None or known[0] is not m.re:
            number = m.group(1) if m.re.groups == 1 else next((g for g in m.groups() if g is not None), "")
            if len(self.markers) >= 4096:
                self.markers.clear()
            known = self.markers[marker] = (m.re, intern(number or ""), intern(marker))
        title = Text(text[start:stop], _ONE_PIECE, (line, start))     # Text.one
        heading = Heading(level, known[1], known[2], title, line, None, stop < size and text[stop] in TITLE_END)
        run_in = stop + 1 if stop + 1 < size else 0
        if not run_in:
            paragraphs = self._paragraphs(paras) if paras else []
        elif not paras:                 # the usual run-in item: its text is the rest of its line
            heading.run_in = Text(text[run_in:], _ONE_PIECE, (line, run_in))
            paragraphs = []
        else:
            paragraphs = self._paragraphs(paras, line, run_in)
            heading.run_in = paragraphs[0].body
            del paragraphs[0]
        return Section(heading, paragraphs, [])

    def _section(self, children, level: int) -> Section | list:
        tok = children[0]
        paras: list[Line] = []
        subs: list[Section] = []
        for c in children[1:]:
            if type(c) is tuple:        # a run of body lines (para)
                paras += c
            elif type(c) is list:       # lifted out of a synthetic parent
                subs += c
            else:
                subs.append(c)
        if tok.value == "":  # synthetic parent inserted by recovery: lift its children
            return subs
        section = self.section_of(tok, level, paras)
        section.children = subs
        return section

    def section(self, c):
        return self._section(c, 1)

    def sub2(self, c):
        return self._section(c, 2)

    def sub3(self, c):
        return self._section(c, 3)

    def sub4(self, c):
        return self._section(c, 4)

    def signature(self, children):
        signers = [self._line(c) for c in children if c.type == "SIGNER"]
        dates = [self._line(c) for c in children if c.type == "DATE"]
        return Closing(None, signers, dates[0] if dates else None)

    def closing(self, children):
        closing = Closing()
        for c in children:
            if isinstance(c, Closing):
                closing.signers, closing.date_line = c.signers, c.date_line
            else:
                closing.phrase = self._line(c)
        if closing.date_line is not None:
            written = closing.date_line.text
            closing.iso = iso_date(written)
            closing.date = closing.iso or written
        return closing

    def front(self, children):
        return children

    def start(self, children):
        report = Report(self.lines)
        front, rest = children[0], children[1:]
        opening_lines = []
        opening = None
        for c in front:
            if isinstance(c, tuple):
                opening_lines.extend(c)
                continue
            if isinstance(c, list):     # the direct builder's paragraphs (_build_directly)
                opening = c
                continue
            line = self._line(c)
            if c.type == "ADDRESSEE":
                report.addressee = line
            elif c.type == "TITLE":    # a run of lines of one kind travels as one token
                report.title_lines.extend(self.runs.get(c.line, (line,)))
            else:
                report.preamble.extend(self.runs.get(c.line, (line,)))
        report.title = _title_from(report.title_lines)
        report.opening = opening if opening is not None else self._paragraphs(opening_lines)
        for c in rest:
            if isinstance(c, Section):
                report.sections.append(c)
            elif isinstance(c, list):
                report.sections.extend(c)
            elif isinstance(c, Closing):
                report.closing = c
        return report
