"""Page furniture: the lines of every page -> the lines in reading order without it.

Receives the lines of each page (lists of :class:`_Line`, top to bottom); returns all the
lines that are kept, in reading order, and how many were removed (:func:`_drop_furniture`).

Up to three lines at the top and at the bottom of each page are dropped while they are page
numbers ("- 3 -", "— 3 —", "3", "第3页", "第 3 页 共 5 页", "3/5", "Page 3 of 5") or their
text (digits counted as equal) recurs at about the same height and size on at least 60% of
the pages and on two or more. A body line repeated on a few pages stays; running heads that
change from section to section stay too.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator

from checker.sources.pdf.lines import _Line

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_FULLWIDTH_DIGITS = {0xFF10 + i: str(i) for i in range(10)}
_DASH = r"[-—–－―~·•]"
_PAGE_NUMBER = re.compile(
    rf"{_DASH}*\d{{1,3}}{_DASH}*"
    r"|第\d{1,4}页(?:[，,/]?共\d{1,4}页)?|共\d{1,4}页[，,]?第\d{1,4}页"
    r"|\d{1,4}/\d{1,4}|(?i:page)\d{1,4}(?:(?i:of)\d{1,4})?"
)


EDGE_LINES = 3          # lines looked at for furniture at the top and at the bottom of a page
REPEAT_SHARE = 0.6      # furniture recurs on at least this share of the pages


def _key(text: str) -> str:
    return _DIGITS.sub("#", _SPACE.sub("", text).translate(_FULLWIDTH_DIGITS))


def is_page_number(text: str) -> bool:
    """Is this line only a page number ("- 3 -", "第 3 页 共 5 页", "3/5", ...)?"""
    return _PAGE_NUMBER.fullmatch(_SPACE.sub("", text).translate(_FULLWIDTH_DIGITS)) is not None


def _edges(lines: list[_Line]) -> list[_Line]:
    n = min(EDGE_LINES, len(lines))
    return lines[:n] + [ln for ln in lines[max(n, len(lines) - EDGE_LINES):]]


def _repeated(pages: list[list[_Line]]) -> set[tuple[int, int]]:
    """(page, row) of edge lines whose text recurs at about the same height on most pages.

    A line recurs where lines of the same text (digits counted as equal) lie within its font
    size above or below it, their size within 1 pt of its own (sizes compared in tenths of a
    point), on :data:`REPEAT_SHARE` of the pages. Counted for all the lines of one text and
    size at once, in one sweep down the page heights: linear in the pages, where comparing
    every line with every other was quadratic (minutes for a few thousand pages).
    """
    where: dict[str, list[_Line]] = defaultdict(list)
    for lines in pages:
        for line in _edges(lines):
            where[_key(line.text)].append(line)
    need = max(2, math.ceil(REPEAT_SHARE * len(pages)))
    found: set[tuple[int, int]] = set()
    for same in where.values():
        if len({ln.page for ln in same}) < need:
            continue
        by_size: dict[int, list[_Line]] = defaultdict(list)
        for line in same:
            by_size[_tenths(line.size)].append(line)
        for tenths, lines in by_size.items():
            # the lines of other sizes within 1 pt: at most 19 groups of sizes, so each line
            # takes part in at most 19 sweeps
            near = sorted((o for t in range(tenths - 9, tenths + 10) for o in by_size.get(t, ())),
                          key=lambda o: o.y)
            found.update(_recurring(sorted(lines, key=lambda o: o.y), near, tenths / 10, need))
    return found


def _tenths(size: float) -> int:
    return round(size * 10) if size < 1e6 else 10 ** 7   # (a size that is not finite: one group)


def _recurring(lines: list[_Line], near: list[_Line], reach: float, need: int) -> Iterator[tuple[int, int]]:
    """(page, row) of ``lines`` with lines of ``need`` pages of ``near`` within ``reach`` in height.

    Both lists are sorted by height; a window of ``near`` slides along with the lines, with
    a count of the lines of each page inside it.
    """
    inside: dict[int, int] = {}
    low = high = 0
    for line in lines:
        while high < len(near) and near[high].y <= line.y + reach:
            inside[near[high].page] = inside.get(near[high].page, 0) + 1
            high += 1
        while low < high and near[low].y < line.y - reach:
            page = near[low].page
            inside[page] -= 1
            if not inside[page]:
                del inside[page]
            low += 1
        if len(inside) >= need:
            yield line.page, line.row


def _drop_furniture(pages: list[list[_Line]]) -> tuple[list[_Line], int]:
    """All lines in reading order without running headers, footers and page numbers."""
    repeated = _repeated(pages)

    def furniture(line: _Line) -> bool:
        return (line.page, line.row) in repeated or is_page_number(line.text)

    kept: list[_Line] = []
    removed = 0
    for lines in pages:
        top = 0
        while top < min(EDGE_LINES, len(lines)) and furniture(lines[top]):
            top += 1
        bottom = len(lines)
        while bottom > max(top, len(lines) - EDGE_LINES) and furniture(lines[bottom - 1]):
            bottom -= 1
        removed += len(lines) - (bottom - top)
        kept += lines[top:bottom]
    return kept, removed
