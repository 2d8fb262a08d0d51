"""The document model: what a report is made of, as plain value classes.

Built by the parser's Transformer; read by the rules engine and the outline command. It holds
facts only (text, structure, positions, structural problems found while parsing) and no rule
logic. ``Section.kind`` is filled in by the engine from the rule pack's keyword groups.
"""

from __future__ import annotations

import bisect
import re

from checker.diagnostics import Span
from checker.record import Value
from checker.skeleton.normalize import _DROP, _DROP_CHAR, _LEAD, Line
from checker.skeleton.tables import Table

SENTENCE_END = "。！？；"
_SENTENCE = re.compile(f"[^{SENTENCE_END}]*[{SENTENCE_END}]|[^{SENTENCE_END}]+")
# The same over texts joined by newlines (engine.context.Context.joined): a sentence never
# crosses a newline, so it finds each text's sentences in one pass.
JOINED_SENTENCE = re.compile(f"[^{SENTENCE_END}\n]*[{SENTENCE_END}]|[^{SENTENCE_END}\n]+")
# A line this short without any sentence punctuation reads as a heading without a number
# ("存在的问题"), not as a sentence broken by a line break.
HEADING_LIKE_MAX = 30
_SENTENCE_PUNCT = frozenset("。，；！？：")
# ``_punct(text)``: the first of them in ``text`` (a regex search: 5x faster than a set
# intersection on a short line)
_punct = re.compile(f"[{''.join(sorted(_SENTENCE_PUNCT))}]").search


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS.update({"○": 0, "零": 0})


def numeral_value(s: str) -> int:
    """'3' -> 3, '十二' -> 12, '二〇二四' -> 2024 (digit by digit); KeyError if not a numeral."""
    value = _VALUES.get(s)
    if value is None:
        value = _numeral_value(s)
        if len(_VALUES) < 4096:     # headings' numbers: a few dozen strings over any batch
            _VALUES[s] = value
    return value


_VALUES: dict[str, int] = {}


def _numeral_value(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 4 and "十" not in s:  # a year written digit by digit: 二〇二四
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[s]


def numeral_text(value: int) -> str:
    """The inverse of :func:`numeral_value` for 1-99 as 一、/（一） headings write it:
    3 -> '三', 10 -> '十', 12 -> '十二', 40 -> '四十'."""
    digits = "〇一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, ones = divmod(value, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def heading_like(text: str) -> bool:
    return 0 < len(text) <= HEADING_LIKE_MAX and not _punct(text)


_ONE_PIECE = (0,)


class Text(Value):
    """A run of matching-view text over one or more lines, with its way back to positions.

    Kept small (a report of a million short paragraphs holds a million of them): the piece
    offsets and places are tuples, shared for the usual text of one piece."""

    __slots__ = _compared = _shown = ("text", "starts", "places")

    def __init__(self, text: str, starts: tuple[int, ...], places: tuple):
        self.text = text
        self.starts = starts      # offset in ``text`` where each line's piece begins
        self.places = places      # flat: (line, index in line.text where its piece begins) per piece

    @classmethod
    def one(cls, line: Line, begin: int, end: int) -> Text:
        """The text of ``line.text[begin:end]``."""
        return cls(line.text[begin:end], _ONE_PIECE, (line, begin))

    @classmethod
    def from_lines(cls, parts: list[tuple[Line, int, int]]) -> Text:
        """``parts``: (line, begin, end) slices of each line's matching view."""
        if len(parts) == 1:
            return cls.one(*parts[0])
        starts, texts, places, pos = [], [], [], 0
        for line, begin, end in parts:
            piece = line.text[begin:end]
            starts.append(pos)
            texts.append(piece)
            places += (line, begin)
            pos += len(piece)
        return cls("".join(texts), tuple(starts), tuple(places))

    def _locate(self, offset: int) -> tuple[Line, int]:
        starts = self.starts
        i = max(bisect.bisect_right(starts, offset) - 1, 0) if len(starts) > 1 else 0
        return self.places[2 * i], self.places[2 * i + 1] + offset - starts[i]

    def line_no(self, offset: int) -> int:
        """Line number of ``text[offset]`` (cheap: no column map needed)."""
        return self._locate(offset)[0].no

    def span(self, start: int, end: int) -> Span:
        """Span in the original file for ``text[start:end]`` (end exclusive, end > start)."""
        end = max(end, start + 1)
        l1, i1 = self._locate(start)
        l2, i2 = self._locate(end - 1)
        return Span(l1.no, l1.raw_col(i1), l2.no, l2.raw_end_col(i2 + 1))

    @property
    def first_line(self) -> Line:
        return self.places[0]

    @property
    def last_line(self) -> Line:
        return self.places[-2]

    @property
    def one_line(self) -> bool:
        """Is the text one piece of one line?"""
        return len(self.starts) == 1

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) offsets of sentences, split after 。！？；."""
        return [m.span() for m in _SENTENCE.finditer(self.text)]


def _lead_end(raw: str) -> int:
    lead = _LEAD.match(raw)
    return lead.end() if lead else 0


def line_span(line: Line) -> Span:
    """The span of the line's text (its first to its last character the view keeps):
    ``Span(line.no, line.first_col, line.no, line.end_col)``. Without the line's column map
    (Line._cols) when it is not made yet: the first kept character follows the lead and any
    dropped run after it, the last one precedes the dropped characters that end the line (a
    heading's line is pointed at by most findings, its column map asked for nothing else)."""
    raw = line.raw
    if "_cols" in line.__dict__:
        return Span(line.no, line.first_col, line.no, line.end_col)
    if len(line.text) == len(raw):      # the view is 1:1 (Line._cols)
        return Span(line.no, 1, line.no, len(raw) + 1) if raw else Span(line.no, 1, line.no, 1)
    first = _lead_end(raw)
    dropped = _DROP.match(raw, first)
    if dropped:
        first = dropped.end()
    if first >= len(raw):               # nothing kept
        return Span(line.no, 1, line.no, 1)
    last = len(raw) - 1
    while last > first and _DROP_CHAR.match(raw, last):
        last -= 1
    return Span(line.no, first + 1, line.no, last + 2)


class Paragraph(Value):
    __slots__ = _compared = _shown = ("body",)

    def __init__(self, body: Text):
        self.body = body

    @property
    def span(self) -> Span:
        return self.body.span(0, len(self.body.text))

    @property
    def text(self) -> str:
        return self.body.text


class Heading(Value):
    __slots__ = _compared = _shown = ("level", "number", "marker", "title", "line", "run_in", "closed")

    def __init__(self, level: int, number: str, marker: str, title: Text, line: Line, run_in: Text | None,
                 closed: bool = False):
        self.level = level        # 1 一、 | 2 （一） | 3 1. | 4 （1）
        self.number = number      # bare numeral: "一", "1"
        self.marker = marker      # the numbering as it appears in the view: "一、", "（一）", "1."
        self.title = title        # the heading's own words (run-in title up to the first 。 if glued)
        self.line = line
        self.run_in = run_in      # body text glued onto the heading line after its title
        self.closed = closed      # the title ended at a sentence mark (。；！？), not a comma or the line end

    @property
    def span(self) -> Span:
        return line_span(self.line)

    @property
    def display(self) -> str:
        """The title as written in the file (original spacing and punctuation)."""
        if not self.title.text:
            return ""
        begin = self.title.places[1]
        end = begin + len(self.title.text)
        line = self.line
        raw = line.raw
        if "_cols" not in line.__dict__:
            # no character dropped after the lead (a usual heading line): view character i is
            # raw character lead + i, without the line's column map
            lead = 0 if len(line.text) == len(raw) else _lead_end(raw)
            if lead == 0 and len(line.text) == len(raw) or _DROP_CHAR.search(raw, lead) is None:
                return raw[lead + begin:lead + end].strip()
        return raw[line.raw_col(begin) - 1:line.raw_end_col(end) - 1].strip()

    @property
    def is_sentence(self) -> bool:
        """The heading line is itself a full sentence (a one-sentence item: "2、…覆盖率100%。")."""
        return self.line.text.endswith(tuple(SENTENCE_END))

    @property
    def value(self) -> int:
        """The heading's number as an integer (一 -> 1, 十二 -> 12)."""
        return numeral_value(self.number)

    @property
    def raw_marker(self) -> str:
        """The numbering exactly as written, e.g. '(三)' or '（一）' or '一）'."""
        return self.line.raw_prefix(len(self.marker)).replace(" ", "").replace("\u3000", "")

    @property
    def label(self) -> str:
        """Numbering plus display title, e.g. '四、2024年度推进法治政府建设的工作打算'."""
        return f"{self.marker}{self.display}"


class Section(Value):
    _compared = _shown = ("heading", "paragraphs", "children", "kind", "inferred")
    __slots__ = (*_compared, "_laid")

    def __init__(self, heading: Heading, paragraphs: list[Paragraph] | None = None,
                 children: list[Section] | None = None, kind: str | None = None, inferred: bool = False,
                 _laid: tuple[list[Text], int, int] | None = None):
        self.heading = heading
        self.paragraphs = paragraphs if paragraphs is not None else []
        self.children = children if children is not None else []
        self.kind = kind
        self.inferred = inferred  # the kind was inferred from the section's evidence, not its keywords
        # (the report's running texts, where this section's begin, where they end): set by
        # Report.lay_out, after which texts() is a slice of that list (the model is not changed
        # after the parser built it)
        self._laid = _laid

    @property
    def level(self) -> int:
        return self.heading.level

    def walk(self) -> list[Section]:
        """This section and all its descendants, in reading order."""
        out: list[Section] = []
        stack = [self]
        while stack:
            section = stack.pop()
            out.append(section)
            stack.extend(reversed(section.children))
        return out

    def texts(self, include_headings: bool = True) -> list[Text]:
        """Every text in this section and its descendants, in reading order."""
        laid = self._laid
        if laid is not None:
            flat, first, end = laid
            return flat[first if include_headings else first + 1:end]
        out: list[Text] = []
        self._collect(out, include_headings)
        return out

    def _collect(self, out: list[Text], include_headings: bool) -> None:
        if include_headings:
            out.append(self.heading.title)
        if self.heading.run_in is not None:
            out.append(self.heading.run_in)
        out.extend([p.body for p in self.paragraphs])
        for child in self.children:
            child._collect(out, True)

    def _lay_out(self, flat: list[Text], walked: list[Section]) -> None:
        """Append this section's texts and its descendants' to ``flat``, the sections to
        ``walked``, in reading order; remember where its texts lie."""
        walked.append(self)
        first = len(flat)
        heading = self.heading
        flat.append(heading.title)
        if heading.run_in is not None:
            flat.append(heading.run_in)
        flat += [p.body for p in self.paragraphs]
        for child in self.children:
            child._lay_out(flat, walked)
        self._laid = (flat, first, len(flat))

    def last_line(self) -> int:
        last = self.heading.line.no
        for p in self.paragraphs:
            last = max(last, p.body.last_line.no)
        for c in self.children:
            last = max(last, c.last_line())
        return last


class Problem(Value):
    """A structural fact found while parsing (e.g. a heading level with no parent)."""

    __slots__ = _compared = _shown = ("kind", "line", "found", "expected")

    def __init__(self, kind: str, line: Line, found: str = "", expected: str = ""):
        self.kind = kind          # "missing_parent" | "after_closing" | "unparsed"
        self.line = line
        self.found = found        # what was found (e.g. the marker "（1）")
        self.expected = expected  # what was expected (e.g. "1.")


class Closing(Value):
    __slots__ = _compared = _shown = ("phrase", "signers", "date_line", "date", "iso")

    def __init__(self, phrase: Line | None = None, signers: list[Line] | None = None, date_line: Line | None = None,
                 date: str | None = None, iso: str | None = None):
        self.phrase = phrase                  # 特此报告。
        self.signers = signers if signers is not None else []
        self.date_line = date_line
        self.date = date          # ISO yyyy-mm-dd when the date exists, else as written
        self.iso = iso            # ISO date, None when the written date cannot exist


class Report(Value):
    _compared = _shown = ("lines", "title_lines", "title", "preamble", "addressee", "opening", "sections",
                          "closing", "problems", "tables", "tables_incomplete")
    __slots__ = (*_compared, "_walked", "_flat")

    def __init__(self, lines: list[Line], title_lines: list[Line] | None = None, title: str | None = None,
                 preamble: list[Line] | None = None, addressee: Line | None = None,
                 opening: list[Paragraph] | None = None, sections: list[Section] | None = None,
                 closing: Closing | None = None, problems: list[Problem] | None = None,
                 tables: list[Table] | None = None, tables_incomplete: bool = False,
                 _walked: list[Section] | None = None, _flat: list[Text] | None = None):
        self.lines = lines
        self.title_lines = title_lines if title_lines is not None else []
        self.title = title
        self.preamble = preamble if preamble is not None else []     # 文件 header, 文号, 签发人
        self.addressee = addressee
        self.opening = opening if opening is not None else []
        self.sections = sections if sections is not None else []
        self.closing = closing
        self.problems = problems if problems is not None else []
        # the tables, in reading order (checker/skeleton/tables.py); their lines are paragraphs too
        self.tables = tables if tables is not None else []
        self.tables_incomplete = tables_incomplete   # tables past the budgets were left out
        self._walked = _walked
        # the running text (the opening and the sections' texts) in reading order: lay_out()
        self._flat = _flat

    def lay_out(self) -> None:
        """Lay the texts out once, in reading order, in one walk: the sections' texts become
        slices of one list, and the sections in reading order are known (walk()). The parser
        calls it when the model is built; the model is not changed after that."""
        flat = [p.body for p in self.opening]
        walked: list[Section] = []
        for section in self.sections:
            section._lay_out(flat, walked)
        self._flat, self._walked = flat, walked

    def walk(self) -> list[Section]:
        """Every section at any level, in reading order (computed once: the model is not
        changed after the parser built it)."""
        if self._walked is None:
            self._walked = [d for s in self.sections for d in s.walk()]
        return self._walked

    def texts(self, include_headings: bool = True) -> list[Text]:
        """All running text of the report (title excluded), in reading order."""
        flat = self._flat
        if flat is not None:
            if include_headings:
                return flat.copy()
            out = flat[:self.sections[0]._laid[1]] if self.sections else flat.copy()
            for section in self.sections:
                _, first, end = section._laid
                out += flat[first + 1:end]
            return out
        out = [p.body for p in self.opening]
        for s in self.sections:
            s._collect(out, include_headings)
        return out

    def section_at(self, line: int) -> Section | None:
        """The innermost section holding line ``line`` (a table's place among the parts)."""
        found = None
        sections = self.sections
        while sections:
            inside = [s for s in sections if s.heading.line.no <= line <= s.last_line()]
            if not inside:
                break
            found = inside[-1]
            sections = found.children
        return found

    def first_content_line(self) -> Line | None:
        for line in self.lines:
            if line.text:
                return line
        return None
