"""Lines: the pieces of one page -> its text lines, top to bottom, numbered.

Receives the pieces (:class:`_Run`) a page draws and the page number; returns its lines
(:class:`_Line`: text, start, end, baseline, size, direction, and the row on the page counted
from the top among visible lines), upright lines first, then each other direction.

Pieces whose baselines lie within half a font size form one line, ordered left to right; a
piece drawn again at the same place (simulated bold) is dropped. A space separates two pieces
where a space was drawn between them and nothing else (a space glyph, a TJ displacement of
0.18 em or more: TeX sets word spaces so) or where a quarter em lies between them
(LibreOffice's extra space between CJK and Latin text is a little less; between two
half-width characters 0.15 em). A line's ends are exact.

A gap of :data:`CELL_GAP_EM` or more (the space between the texts of two table cells: their
padding, or the width of a column) also splits the line into *chunks*, each with its own
ends and baseline (:attr:`_Line.chunks`, None for a line of one chunk): the pieces from which
:mod:`.tables` finds the columns of a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from checker.sources.pdf.content import _Run
from checker.sources.pdf.fonts import _HALF

SAME_LINE = 0.5         # baselines closer than this many font sizes are one line
SPACE_EM = 0.25         # a gap this wide between two pieces of a line is a space
LATIN_SPACE_EM = 0.15   # ... or this wide between two half-width characters
CELL_GAP_EM = 0.9       # a gap this wide separates the texts of two table cells (Word's default
                        # cell margins leave 1 em at 10.5 pt between a full cell and the next)


@dataclass(slots=True)
class _Line:
    page: int         # 1-based
    row: int          # 1-based, counted from the top of the page among visible lines
    text: str
    x0: float
    x1: float         # estimated right end
    y: float
    size: float
    turn: int         # text direction (the coordinates are in its reading frame)
    # the line's pieces between gaps of CELL_GAP_EM or more: (text, start, end, baseline) each,
    # left to right; None when there is no such gap (the line is one chunk)
    chunks: tuple[tuple[str, float, float, float], ...] | None = None


def _lines(runs: list[_Run], page: int) -> list[_Line]:
    """Group a page's runs into lines, top to bottom (upright text first), numbered."""
    lines: list[_Line] = []
    for turn in (0, 90, 180, 270):
        group = sorted((r for r in runs if r.turn == turn), key=lambda r: (-r.y, r.x))
        current: list[_Run] = []
        for run in group:
            if current and current[0].y - run.y > SAME_LINE * max(current[0].size, run.size):
                lines.append(_make_line(current, page))
                current = []
            current.append(run)
        if current:
            lines.append(_make_line(current, page))
    lines = [line for line in lines if line is not None]
    for row, line in enumerate(lines, 1):
        line.row = row
    return lines


def _make_line(runs: list[_Run], page: int) -> _Line | None:
    """The runs of one baseline as a line, left to right (None when they are only spaces).

    A space separates two runs with a gap of :data:`SPACE_EM` between them
    (:data:`LATIN_SPACE_EM` between half-width characters), or a space (a space glyph drawn
    on its own, a TJ word gap) that nothing is drawn into.
    """
    runs = sorted(runs, key=lambda r: r.x)
    parts: list[str] = []
    seen: list[_Run] = []
    end = -math.inf
    space_end = math.inf   # where a space drawn after the last run ends
    cuts: list[tuple[int, float, float, float]] = []   # (index in parts, start, end, baseline) of each chunk
    for run in runs:
        if run.text == " ":
            if parts and run.x > end - 0.1 * run.size:
                space_end = run.end if math.isinf(space_end) else max(space_end, run.end)
            continue
        if any(s.text == run.text and abs(s.x - run.x) < 0.3 * run.size for s in seen[-4:]):
            continue  # the same text drawn again over itself (simulated bold)
        if parts and not parts[-1].endswith(" ") and not run.text.startswith(" "):
            gap = LATIN_SPACE_EM if _HALF.match(parts[-1][-1]) and _HALF.match(run.text) else SPACE_EM
            if run.x >= space_end - 0.1 * run.size or run.x - end > gap * run.size:
                parts.append(" ")
        if not cuts or run.x - end >= CELL_GAP_EM * run.size:
            cuts.append((len(parts), run.x, run.end, run.y))
        else:
            index, x0, x1, y = cuts[-1]
            cuts[-1] = (index, x0, max(x1, run.end), max(y, run.y))
        parts.append(run.text)
        seen.append(run)
        end = max(end, run.end)
        space_end = math.inf
    if not seen:
        return None
    main = max(seen, key=lambda r: len(r.text))
    chunks = None
    if len(cuts) > 1:
        bounds = [c[0] for c in cuts] + [len(parts)]
        chunks = tuple(("".join(parts[bounds[i]:bounds[i + 1]]).strip(), x0, x1, y)
                       for i, (_, x0, x1, y) in enumerate(cuts))
    return _Line(page, 0, "".join(parts).strip(), seen[0].x, end, max(r.y for r in seen), main.size,
                 main.turn, chunks)
