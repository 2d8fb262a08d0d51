"""Per-report context shared by the checks: the model plus what the pack says about it.

Built once per report; everything the checks need more than once (section kinds, scope
texts) is computed here once, so no check rescans the report for it.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import accumulate, chain
from typing import TYPE_CHECKING

from checker.diagnostics import Span
from checker.engine.recognize import heading_kind, kind_of, reported_year
from checker.record import Value
from checker.skeleton.model import (
    HEADING_LIKE_MAX,
    Report,
    Section,
    Text,
    _punct,
    heading_like,
    line_span,
)

if TYPE_CHECKING:
    from checker.engine.registry import Pack

DOCUMENT = "document"
_UNKNOWN = object()


class _once:
    """functools.cached_property without its lock (Python 3.11's takes one at every first
    access: a few of them per report). A non-data descriptor: once computed, the value in the
    instance's ``__dict__`` is found before it. ``func`` is the function it calls."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


def _FIRST_LINE_NO(text: Text) -> int:
    return text.places[0].no


class Finding(Value):
    """What a check found: where, and the values of its message's placeholders. (Written
    out: @dataclass costs ~0.5 ms of every start a class.)"""

    __slots__ = _compared = _shown = ("span", "params")

    def __init__(self, span: Span, params: dict | None = None):
        self.span = span
        self.params = params if params is not None else {}



def is_loose_heading(text: Text) -> bool:
    return len(text.text) <= HEADING_LIKE_MAX and text.one_line and heading_like(text.text)


class Context:
    def __init__(self, report: Report, pack: Pack | None, unclassified: list, screen=None):
        self.report = report
        self.pack = pack
        self.screen = screen              # engine/screen.py: which keywords occur at all
        self._hits = None                 # screen.Hits, once scanned
        self._words: frozenset[str] | None = None     # its words, for present()
        self._texts: dict[tuple[str, bool], list[Text]] = {}
        self._strings: dict[tuple[str, bool], str] = {}
        self._joined: dict[tuple[str, bool], tuple[str, Sequence[int], list[Text]]] = {}
        self._encoded: dict[tuple[str, bool], bytes] = {}
        self.memo: dict = {}              # what a check type computes once for all its rules
        # top-level sections the recognition stage left open, with their scores (recognize.py)
        self.unclassified = unclassified

    @_once
    def _index(self) -> tuple[dict[str, list[Section]], list[Section]]:
        by_kind: dict[str, list[Section]] = {}
        top: list[Section] = []
        walked = self.report.walk()
        if walked and walked[0]._laid is not None:
            # in reading order; a section's descendants are those whose texts begin inside
            # its own (Report.lay_out): the classified ancestors of a section are the open
            # ones of ``around`` (end, kind), outermost first
            around: list[tuple[int, str]] = []
            for section in walked:
                kind = section.kind
                if around:
                    first = section._laid[1]
                    while around and around[-1][0] <= first:
                        around.pop()
                if kind is not None:
                    if not around:
                        top.append(section)
                        by_kind.setdefault(kind, []).append(section)
                    elif all(k != kind for _, k in around):
                        by_kind.setdefault(kind, []).append(section)
                    around.append((section._laid[2], kind))
            return by_kind, top
        # Iterative, in reading order. (A recursive closure would refer to itself through
        # its cell: a reference cycle holding the whole model, freed only by the cyclic
        # garbage collector instead of as soon as the report is dropped.)
        stack: list[tuple[Section, tuple[str, ...]]] = [(s, ()) for s in reversed(self.report.sections)]
        while stack:
            section, ancestors = stack.pop()
            kind = section.kind
            if kind is not None:
                if not ancestors:
                    top.append(section)
                if kind not in ancestors:
                    by_kind.setdefault(kind, []).append(section)
                ancestors = ancestors + (kind,)
            stack.extend((child, ancestors) for child in reversed(section.children))
        return by_kind, top

    def sections(self, kind: str) -> list[Section]:
        """Sections of ``kind`` at any level, outermost only."""
        return self._index[0].get(kind, [])

    @_once
    def _loose(self) -> dict[str, list[Text]]:
        found: dict[str, list[Text]] = {}
        texts = self.texts(DOCUMENT, include_headings=False)
        pack = self.pack
        evidence = pack is not None and pack.recognition is not None
        inside = None          # texts of classified sections: their loose lines take keywords only
        year = _UNKNOWN
        title = self.title_text            # the title is not loose
        for text in texts:
            words = text.text
            # is_loose_heading, inline (every text of the report is asked)
            if len(words) <= HEADING_LIKE_MAX and len(text.starts) == 1 and words \
                    and not _punct(words) and text is not title:
                kind = kind_of(words, pack)
                if kind is None and evidence:
                    if year is _UNKNOWN:
                        year = reported_year(self.report)
                    # the line's own evidence first (memoised per pack): most short lines
                    # (sub-headings) settle on no kind, and then where they lie is not asked
                    kind = heading_kind(words, pack, year)
                    if kind is not None:
                        if inside is None:
                            inside = {id(t) for s in self.top_sections for t in s.texts(False)}
                        if id(text) in inside:
                            kind = None
                if kind is not None:
                    found.setdefault(kind, []).append(text)
        return found

    def loose_headings(self, kind: str) -> list[Text]:
        """Unnumbered heading lines naming ``kind`` (short one-line paragraphs): by keywords,
        or, outside the parts already recognised, by the pack's heading evidence."""
        return self._loose.get(kind, [])

    @property
    def top_sections(self) -> list[Section]:
        """Classified sections with no classified ancestor, in reading order."""
        return self._index[1]

    @_once
    def title_text(self) -> Text | None:
        lines = self.report.title_lines
        if not lines:
            return None
        return Text.from_lines([(ln, 0, len(ln.text)) for ln in lines])

    @_once
    def _document(self) -> tuple[list[Text], list[int]]:
        """The document's texts in reading order (the title, the frame lines and the running
        text) and where its top-level sections' own headings are among them."""
        report = self.report
        # the lines around the running text: 文件 header, addressee, 特此报告, the signature
        # and the date (a template's XX县 may be left in any of them). The front (the title,
        # the 文件 header, 文号, the addressee: in any order) comes before the running text,
        # the closing after it.
        front = [Text.one(ln, 0, len(ln.text)) for ln in (*report.preamble, report.addressee)
                 if ln is not None and ln.text]
        if self.title_text is not None:
            front.append(self.title_text)
        if len(front) > 1:
            front.sort(key=_FIRST_LINE_NO)          # stable: the usual front is in order
        out = front
        if report._flat is not None:           # laid out by the parser (Report.lay_out)
            base = len(out)
            out += report._flat
            tops = [base + section._laid[1] for section in report.sections]
        else:
            out.extend([p.body for p in report.opening])
            tops = []
            for section in report.sections:
                tops.append(len(out))
                section._collect(out, True)
        closing = report.closing
        if closing is not None:
            out.extend([Text.one(ln, 0, len(ln.text)) for ln in (closing.phrase, *closing.signers, closing.date_line)
                        if ln is not None and ln.text])
        return out, tops

    def texts(self, scope: str, include_headings: bool = True) -> list[Text]:
        """The texts of a scope in reading order (computed once per report and scope)."""
        key = (scope, include_headings)
        out = self._texts.get(key)
        if out is None:
            if scope == DOCUMENT:
                out, tops = self._document
                if not include_headings and tops:
                    # the same texts but the top-level sections' own headings (Report.texts)
                    ends = [*tops[1:], len(out)]
                    out = [*out[:tops[0]], *chain.from_iterable(out[i + 1:j] for i, j in zip(tops, ends))]
            else:
                # include_headings=False leaves out the section's own heading only: its
                # sub-headings are content (they state what was done)
                out = [t for section in self.sections(scope) for t in section.texts(include_headings)]
            self._texts[key] = out
        return out

    def joined_text(self, scope: str, include_headings: bool = True) -> str:
        """:meth:`joined`'s string alone: what a search that names no place needs (the keyword
        scan, the usual silent rule), without the offsets."""
        key = (scope, include_headings)
        text = self._strings.get(key)
        if text is None:
            text = self._strings[key] = "\n".join([t.text for t in self.texts(scope, include_headings)])
        return text

    def joined(self, scope: str, include_headings: bool = True) -> tuple[str, Sequence[int], list[Text]]:
        """The scope's texts joined by newlines, with each text's start offset: one string to
        search with a regex instead of one search per paragraph."""
        key = (scope, include_headings)
        if key not in self._joined:
            texts = self.texts(scope, include_headings)
            # each start is the previous one plus its text and a newline; an array takes 8
            # bytes an entry (a list of ints: 40)
            starts = array("q", accumulate(map((1).__add__, map(len, [t.text for t in texts])), initial=0))
            starts.pop()
            self._joined[key] = (self.joined_text(scope, include_headings), starts, texts)
        return self._joined[key]

    def present(self, word: str) -> bool:
        """May ``word`` (a literal keyword without whitespace) occur in some scope's texts?
        False means it occurs in none; answered by one scan per report for the packs'
        keywords."""
        words = self._words
        if words is None:
            if self.screen is None:
                return word in self.joined_text(DOCUMENT, True)
            words = self._words = self._scan().words
        if word in words:
            return True
        return word not in self.screen.known and word in self.joined_text(DOCUMENT, True)

    def present_among(self, words: tuple[str, ...]) -> list[str] | frozenset[str]:
        """The ``words`` (literal keywords without whitespace) that may occur in some scope's
        texts, as :meth:`present` tells, in no particular order: the screened ones by one
        set intersection with the scan's words."""
        screen = self.screen
        if screen is None:
            doc = self.joined_text(DOCUMENT, True)
            return [w for w in words if w in doc]
        known, unknown = screen.split(words)
        if self._words is None:
            self._words = self._scan().words
        found = known & self._words
        if not unknown:
            return found
        doc = self.joined_text(DOCUMENT, True)
        return [*found, *(w for w in unknown if w in doc)]

    def matching(self, patterns, scope: str, include_headings: bool = True):
        """Indices of the patterns (a rule's ``Regexes``) that match the scope's joined texts
        somewhere: from the report's one screen scan when it covers them, else by the
        patterns' own RE2 set."""
        if scope == DOCUMENT and include_headings and self.screen is not None and self.screen.covers(patterns):
            return self._scan().regexes.get(id(patterns), ())
        return patterns.screen.Match(self.encoded(scope, include_headings)) or ()

    def _scan(self):
        if self._hits is None:
            self._hits = self.screen.scan(self.encoded(DOCUMENT, True))
        return self._hits

    def encoded(self, scope: str, include_headings: bool = True) -> bytes:
        """:meth:`joined`'s string in UTF-8, as RE2 searches it (encoded once per scope)."""
        key = (scope, include_headings)
        if key not in self._encoded:
            self._encoded[key] = self.joined_text(scope, include_headings).encode("utf-8", "surrogatepass")
        return self._encoded[key]

    # -- places to point at -------------------------------------------------------------
    def start_span(self) -> Span:
        line = self.report.first_content_line()
        if line is None:
            return Span(1, 1, 1, 1)
        return line_span(line)

    def kind_label(self, kind: str) -> str:
        return self.pack.kind(kind).label if self.pack else kind
