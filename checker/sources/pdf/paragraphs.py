"""Joins: the kept lines of the document -> paragraphs, wrapped lines joined.

Receives all the lines in reading order (page furniture removed); :func:`_measure` returns the
text block they show (:class:`_Layout`), :func:`_join` the lines grouped into paragraphs (and
how many joins it made), and :func:`_line_text` the text of one group.

Measured over the upright lines: the body font size (most characters), the left margin (the
leftmost start shared by two lines), the right edge (the median end of the lines ending near
the furthest end shared by three lines; none when no three lines end together, and then
nothing is joined) and the line pitch. Line k+1 continues line k when both have the same size
and direction, k+1 lies one ordinary pitch below k (or k ends a page and k+1 starts the
next), k starts at the margin or a paragraph indent (not a centred or right-aligned line),
k+1 starts at the left margin without indentation, and k reaches the right edge: within 2 em,
within 3.5 em when k does not end a sentence (a justified line stretched, a ragged one left
short), or within the width of k+1's first unbreakable piece ("规。2022", "务“马") — but not
when k+1 starts with a heading number and k ends a sentence or starts with a heading number
itself. Government documents indent the first lines of paragraphs and headings by two
characters, so a wrapped heading ("一、2023年度法治政府建设主要举措和" + "成效") comes out as
one line, while right-aligned signature and date lines are never joined, and centred title
lines only in one case: a title larger than the body text that fills the width and wraps
onto a centred rest. Whether the document indents is measured too (below lines that end well
before the right edge, does the next paragraph start at the margin or indented?), and so is
whether it sets paragraphs apart by extra space: without indents, a line at the margin after
a full line that ends a sentence (。！？；：) may start a new paragraph, so it is joined only
when the paragraphs are spaced and the two lines are on one page (on a new page the space
does not show). Splitting a paragraph there is the lesser harm; joining two paragraphs hides
one's start.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from checker.sources.pdf.fonts import _em
from checker.sources.pdf.lines import _Line

_SENTENCE_END = tuple("。！？；：!?;:")
# a heading number, after the Markdown heading marks some documents carry along ("## 一、")
_HEADING_START = re.compile(r"(?:#+\s*)?(?:[（(]?[一二三四五六七八九十]{1,3}[、.．）)]|[（(]?\d{1,2}[、.．）)](?!\d))")
_ASCII_WORD = re.compile(r"[A-Za-z]")
# The start of a line that a line break could not have split off: a character or an ASCII word,
# more of them while an opening mark glues them on ("务“马"), closing marks, and an ASCII word
# glued after those ("规。2022").
_OPEN = re.escape("“‘（《「『【〔([{")
_CLOSE = re.escape("，。、；：？！）》」』】〕”’…—,.;:?!)]}%")
_UNIT = rf"(?:[A-Za-z0-9][\w.,%/:-]*|[^{_OPEN}])"
_FIRST_PIECE = re.compile(rf"[{_OPEN}]*{_UNIT}(?:[{_OPEN}]+{_UNIT})*(?:[{_CLOSE}]+[A-Za-z0-9.]*)?", re.ASCII)


FULL_LINE_EM = 2.0      # a line reaching this close to the right edge is wrapped
OPEN_LINE_EM = 3.5      # ... or this close when it does not end a sentence
MARGIN_EM = 0.5         # a line starting this close to the left margin is not indented
INDENT_EM = 2.6         # the furthest a paragraph's first line is indented
GAP_FACTOR = 1.25       # a vertical gap above this many line pitches separates paragraphs
PARAGRAPH_GAP = 4.0     # ... and one above this many, sections (for measuring indents)
SHORT_LINE_EM = 4.0     # a line ending this far before the right edge ends a paragraph


@dataclass
class _Layout:
    """The text block as measured over the whole document."""

    size: float       # body font size
    left: float       # left margin of unindented lines
    right: float      # right edge that wrapped lines reach
    pitch: float      # distance between the baselines of consecutive body lines
    indents: bool = True  # paragraphs start with an indented first line
    spaced: bool = False  # paragraphs are further apart than the lines of a paragraph


def _measure(lines: list[_Line]) -> _Layout:
    """Body font size, margins and line pitch, from the upright lines of the document."""
    upright = [ln for ln in lines if ln.turn == 0] or lines
    weight: dict[float, int] = defaultdict(int)
    for ln in upright:
        weight[round(ln.size * 2) / 2] += len(ln.text)
    size = max(weight, key=weight.__getitem__)
    body = [ln for ln in upright if abs(ln.size - size) <= 0.15 * size]
    left = _low_edge([ln.x0 for ln in body], 0.3 * size)
    right = _high_edge([ln.x1 for ln in body if ln.x0 < left + INDENT_EM * size], size)
    gaps = [a.y - b.y for a, b in pairwise(body) if a.page == b.page and 0 < a.y - b.y < 3 * size]
    pitch = statistics.median(gaps) if gaps else 1.5 * size
    return _Layout(size, left, right, pitch, *_paragraph_starts(upright, size, left, right, pitch))


def _paragraph_starts(upright: list[_Line], size: float, left: float, right: float,
                      pitch: float) -> tuple[bool, bool]:
    """Does the document indent the first lines of its paragraphs; does it space paragraphs?

    Looked at below the lines that end well before the right edge (the last lines of
    paragraphs, short headings): the next body-size line on the same page, at most a few
    pitches down, that starts at the left margin or indented (by 1 to :data:`INDENT_EM`
    characters) and is not a numbered heading (those may be indented or not; they are told
    by their numbers). Centred and right-aligned lines are not counted. The document indents
    unless most of those paragraph starts are at the margin (with none to look at, it is
    taken to indent, as government documents do), and it spaces its paragraphs when most of
    them lie further below than a wrapped line would.
    """
    if math.isinf(right):
        return True, False
    indented = flush = spaced = 0
    for a, b in pairwise(upright):
        if a.page != b.page or not 0 < a.y - b.y <= PARAGRAPH_GAP * pitch \
                or abs(a.size - size) > 0.15 * size or abs(b.size - size) > 0.15 * size \
                or a.x0 > left + INDENT_EM * size or a.x1 > right - SHORT_LINE_EM * size \
                or _HEADING_START.match(b.text):
            continue
        if abs(b.x0 - left) <= MARGIN_EM * size:
            flush += 1
        elif left + (1 - MARGIN_EM) * size <= b.x0 <= left + INDENT_EM * size:
            indented += 1
        else:
            continue
        spaced += a.y - b.y > GAP_FACTOR * pitch
    return indented >= flush, spaced > 0.8 * (indented + flush)


def _low_edge(values: list[float], tol: float) -> float:
    """The left margin: the smallest start shared (within ``tol``) by two lines.

    A single stray line further left (a margin note) is passed over. Erring to the left is
    the safe side: it only prevents joins, while taking the paragraph indent for the margin
    would join paragraphs.
    """
    values = sorted(values)
    for a, b in pairwise(values):
        if b - a <= tol:
            return a
    return values[0] if values else 0.0


def _high_edge(values: list[float], tol: float) -> float:
    """The right edge: the median end of the lines that end near the furthest common end.

    The furthest common end is the largest end with two other ends within ``tol`` below it;
    without one (a few short lines) there is no evidence of wrapping: +inf. The median
    evens out ends that differ a little (justified lines, hanging punctuation, glyph widths
    guessed for fonts that do not give them).
    """
    values = sorted(values, reverse=True)
    for i, v in enumerate(values[:-2]):
        if v - values[i + 2] <= tol:
            return statistics.median(x for x in values if v - 1.5 * tol <= x <= v)
    return math.inf


def _continues(a: _Line, b: _Line, lay: _Layout) -> bool:
    """Does line ``b`` continue the paragraph of line ``a`` (a wrapped at the right edge)?"""
    em = a.size
    if a.turn != b.turn or abs(a.size - b.size) > 0.1 * em or not _next_line(a, b, lay):
        return False
    if a.x0 > lay.left + INDENT_EM * em:
        return False
    ends_sentence = a.text.endswith(_SENTENCE_END)
    slack = max(FULL_LINE_EM if ends_sentence else OPEN_LINE_EM, _first_piece_em(b.text) + 0.5)
    if a.x1 < lay.right - slack * em:
        return False
    if abs(b.x0 - lay.left) <= MARGIN_EM * em:
        if ends_sentence and not lay.indents and not (lay.spaced and a.page == b.page):
            return False  # without indents (or spacing) a paragraph may end here
        # a numbered heading or item after a sentence or after a (full) numbered heading
        return not ((ends_sentence or _HEADING_START.match(a.text)) and _HEADING_START.match(b.text))
    return _wrapped_title(a, b, lay)


def _first_piece_em(text: str) -> float:
    """Width of what ``text`` starts with that a line break could not have split off."""
    m = _FIRST_PIECE.match(text)
    return _em(m.group(0)) if m else 0.0


def _next_line(a: _Line, b: _Line, lay: _Layout) -> bool:
    """Is ``b`` the line right below ``a``: an ordinary pitch down, or the next page?"""
    if a.page == b.page:
        pitch = max(lay.pitch * a.size / lay.size, 1.1 * a.size)
        return 0 < a.y - b.y <= GAP_FACTOR * pitch
    return b.page == a.page + 1


def _wrapped_title(a: _Line, b: _Line, lay: _Layout) -> bool:
    """A centred title too long for the width: a full first line, then the centred rest.

    Only for lines larger than the body text, so that a centred body-size line after a
    paragraph that happens to end at the right edge stays apart.
    """
    em = a.size
    centre = (lay.left + lay.right) / 2
    return (a.size > 1.1 * lay.size and a.page == b.page
            and abs(a.x0 - lay.left) <= MARGIN_EM * em and a.x1 >= lay.right - FULL_LINE_EM * em
            and b.x0 > lay.left + em and abs((b.x0 + b.x1) / 2 - centre) <= em)


def _join(lines: list[_Line], lay: _Layout, apart: set[int] | None = None) -> tuple[list[list[_Line]], int]:
    """``apart``: indices of lines never joined to another (a table's)."""
    groups: list[list[_Line]] = []
    joins = 0
    for i, line in enumerate(lines):
        if groups and not (apart and (i in apart or i - 1 in apart)) and _continues(groups[-1][-1], line, lay):
            groups[-1].append(line)
            joins += 1
        else:
            groups.append([line])
    return groups, joins


def _line_text(group: list[_Line]) -> str:
    text = group[0].text
    for line in group[1:]:
        glue = " " if _ASCII_WORD.match(text[-1:]) and _ASCII_WORD.match(line.text[:1]) else ""
        text = text.rstrip() + glue + line.text.lstrip()
    return text
