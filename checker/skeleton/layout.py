"""Tables from positioned text: lines whose pieces have x positions -> the tables they draw.

Receives lines in reading order, each with its *chunks*: the pieces of the line between
gaps as wide as the space between two table cells, each with its start, end and baseline
(:class:`Positioned`); returns the tables found (:func:`find_tables`), each the lines it
occupies and its cells on a grid. Two readers give such lines: the PDF reader (glyph
positions in points: checker/sources/pdf/lines.py; it writes a table's lines with a tab
between their chunks) and the text-table finder for rows whose cells are apart by runs of
spaces (display columns: checker/skeleton/tables.py). Only the positions are used, never the
words (but for a row label that starts with a heading number, see step 3): ruling lines are
not read, so a PDF table drawn with or without them reads the same.

1. **Regions.** A table is a run of lines of one font size, a row pitch apart, that starts
   with a line of two or more chunks, holds at least two of them and a column of figures
   (numbers, "/": on two lines or more, step 2) or a row of three,
   and has at most :data:`MAX_INNER` one-chunk lines in a row (a wrapped label, a label that
   stands alone, the characters of a vertical header). It may go on at the top of the next
   page. A line of one chunk that starts with a heading number ends the table when the
   figures below it do not stand in the columns of those above (a heading between two
   tables set in their size).
2. **Columns.** The chunks that sit inside one column are those that do not overlap two
   narrower chunks of other lines that lie side by side (those span columns: a header over its
   sub-headers, a row label over the label columns); the x-ranges of the others, merged where
   they overlap, are the columns. Each chunk covers the columns it overlaps. The columns of
   figures are those holding figures; the ones left of them hold the row labels. A chunk over
   the figure columns (a header, a figure of a merged cell) is widened symmetrically while
   the columns on both sides are free on its line: a centred header covers the columns it is
   centred over.
3. **Cells.** Chunks of the same columns on consecutive lines, a line pitch apart
   (:data:`STACK_EM`), are one cell (a header broken over lines, a vertical header, a label
   that wraps) unless either is a figure, both lines hold figures (two rows), the upper one is
   a row of headers and the lower one of figures, or the lower one starts with a heading
   number (the next row's label: "（三）不予公开").
4. **Rows.** Every line holding figures is a row; a cell that spans the baseline of such rows
   belongs to them (a label centred on its figures, a label spanning several rows), and the
   other cells (headers, labels standing alone) make rows at their first lines. A label
   centred over rows whose own label positions stay empty ("三、本年度办理结果" beside its 22
   rows) covers them: its span is widened symmetrically over the empty positions above and
   below it.

Budgets: a table has at most :data:`MAX_TABLE_LINES` lines and :data:`MAX_TABLE_CHUNKS`
chunks (beyond them it is left out, its lines read as text); the overlap tests of a document
are counted against :data:`MAX_PAIRS` (past it no further table is looked for).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Protocol

from checker.skeleton.tables import is_figure


class Positioned(Protocol):
    """A line of positioned text (checker/sources/pdf/lines.py's ``_Line`` is one)."""

    page: int
    text: str
    x0: float
    x1: float
    y: float           # baseline, larger higher up the page
    size: float        # the font size: the unit of every distance
    turn: int          # text direction (0: upright; only upright lines make tables)
    # (text, start, end, baseline[, column of the text in the line]) per chunk; None: one chunk
    chunks: tuple | None

MAX_INNER = 6              # one-chunk lines in a row inside a table
MAX_TABLE_LINES = 600      # lines of one table (table 三 of the format: some 60)
MAX_TABLE_CHUNKS = 6000    # chunks of one table (table 三: some 300)
MAX_PAIRS = 2_000_000      # chunk overlaps tested in one document (a second or two at most)
MAX_COLUMNS = 100          # columns of one table (table 四 of the format: 15; Word allows 63)
ROW_GAP_EM = 3.0           # lines of a table lie at most this far apart (baseline to baseline)
STACK_EM = 1.5             # the lines of one cell lie at most this far apart
ROW_EM = 0.35              # a cell spans a row whose baseline lies this close to its lines
SAME_SIZE = 0.15           # lines of one table differ in size by at most this share
NEAR = 4                   # lines on either side of a heading whose figures tell two tables apart
PAGE_SHIFT = 1e5           # the baselines of a table's next page, moved below its first page's

_HEADING = re.compile(r"\s*(?:[（(]?[一二三四五六七八九十]{1,3}[、.．）)]|[（(]?\d{1,2}[、.．）)](?!\d))")


@dataclass(slots=True, eq=False)
class _Chunk:
    text: str
    x0: float
    x1: float
    y: float                 # baseline, pages stacked (see PAGE_SHIFT)
    line: int                # index of its line in the table's lines
    figure: bool
    at: int | None = None    # where its text is in the line (None: in the line written with tabs)
    lo: int = -1             # the columns it covers
    hi: int = -1
    cell: _Cell | None = None


@dataclass(slots=True, eq=False)
class _Cell:
    chunks: list[_Chunk]
    lo: int
    hi: int
    row: int = -1
    rows: int = 1

    @property
    def top(self) -> float:
        return self.chunks[0].y

    @property
    def bottom(self) -> float:
        return self.chunks[-1].y

    @property
    def figure(self) -> bool:
        return self.chunks[0].figure


@dataclass
class FoundTable:
    """A table found: ``lines`` (indices into the lines given), each line's text with a tab
    between its chunks, and its cells: (text, row, col, row_span, col_span, line, offset),
    ``line`` an index into ``lines``, ``offset`` where the text begins in that line's text
    (the chunk's own column when it has one, else in the text written with tabs; a cell
    over several lines: its lines' texts joined by line breaks, placed at its first)."""

    lines: list[int]
    texts: list[str]
    cells: list[tuple[str, int, int, int, int, int, int]] = field(default_factory=list)
    width: int = 0
    height: int = 0


class Budget:
    """What is left of :data:`MAX_PAIRS` for one document."""

    __slots__ = ("pairs",)

    def __init__(self) -> None:
        self.pairs = MAX_PAIRS


def find_tables(lines: list[Positioned], centred: bool = True, budget: Budget | None = None
                ) -> tuple[list[FoundTable], bool]:
    """The tables among ``lines``, and whether some were left out (budgets). ``centred``:
    headers are centred over the columns they span, and may be broken over lines (a PDF);
    else they begin at their first column and keep to their line (text lined up with
    spaces). ``budget``: shared by the calls for one document (default: its own)."""
    budget = budget if budget is not None else Budget()
    tables: list[FoundTable] = []
    skipped = False
    for lead, start, end in _regions(lines):
        if end - lead > MAX_TABLE_LINES or budget.pairs <= 0:
            skipped = True
            continue
        table = _table(lines, lead, start, end, budget, centred)
        if table is None and budget.pairs <= 0:
            skipped = True
        elif table is not None:
            tables.append(table)
    return tables, skipped


def _chunks(line: Positioned) -> tuple[tuple, ...]:
    """The line's chunks; a line of one chunk is its own (with its text's column when it
    has one: ``at``)."""
    return line.chunks or ((line.text, line.x0, line.x1, line.y, getattr(line, "at", None)),)


def _regions(lines: list[Positioned]) -> list[tuple[int, int, int]]:
    """(lead, start, end) of each run of lines that may be a table (step 1, before its
    columns): ``start`` its first line of several chunks, ``lead`` the first of the lines
    of one chunk above it that may be its headers."""
    out: list[tuple[int, int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        first = lines[i]
        if first.chunks is None or first.turn:
            i += 1
            continue
        size = first.size
        multi, last_multi, j = 1, i, i + 1
        while j < n:
            a, b = lines[j - 1], lines[j]
            if b.turn or abs(b.size - size) > SAME_SIZE * size:
                break
            if b.page == a.page:
                if not 0 < a.y - b.y <= ROW_GAP_EM * size:
                    break
            elif b.page != a.page + 1:
                break            # (a ends its page, b starts the next: the table may go on)
            if b.chunks is not None:
                multi += 1
                last_multi = j
            elif j - last_multi > MAX_INNER:
                break
            j += 1
        if multi >= 2:
            pieces = _split(lines, i, j, size)
            out += [(_lead(lines, a, size) if k == 0 else a, a, b) for k, (a, b) in enumerate(pieces)]
        i = max(j if multi >= 2 else last_multi + 1, i + 1)
    return out


def _split(lines: list[Positioned], i: int, j: int, size: float) -> list[tuple[int, int]]:
    """Lines ``i``..``j`` cut at the lines of one chunk that start with a heading number
    where the figures above and below them do not stand in the same columns (a heading
    between two tables in the tables' own size; a row label "三、本年度办理结果" standing alone
    has the same columns of figures on both sides)."""
    pieces = []
    start = i
    for k in range(i + 1, j - 1):
        line = lines[k]
        if line.chunks is None and _HEADING.match(line.text) \
                and not _same_columns(_figure_centres(lines, max(start, k - NEAR), k),
                                      _figure_centres(lines, k + 1, min(j, k + 1 + NEAR)), size):
            pieces.append((start, k))
            start = k + 1
    pieces.append((start, j))
    return [(a, b) for a, b in pieces if sum(lines[m].chunks is not None for m in range(a, b)) >= 2]


def _figure_centres(lines: list[Positioned], a: int, b: int) -> list[float]:
    return sorted((c[1] + c[2]) / 2 for line in lines[a:b] for c in _chunks(line) if is_figure(c[0]))


def _same_columns(above: list[float], below: list[float], size: float) -> bool:
    """Do the two sides have about as many columns of figures, most of them in the same
    places? (``above``, ``below``: the centres of their figures.)"""
    if not above or not below:
        return True
    a, b = _clusters(above, size), _clusters(below, size)
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(large) - len(small) > max(1, len(large) // 4):
        return False
    hits = sum(1 for x in small if any(abs(x - y) <= size for y in large))
    return 2 * hits >= len(small)


def _clusters(xs: list[float], size: float) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > size:
            out.append(x)
    return out


def _lead(lines: list[Positioned], i: int, size: float) -> int:
    """The first of the one-chunk lines right above line ``i`` that may be headers of its
    table (same page and size, a row apart; :func:`_table` keeps those over its figures)."""
    k = i
    while k > 0 and i - k < MAX_INNER:
        a, b = lines[k - 1], lines[k]
        if a.chunks is not None or a.turn or a.page != b.page or abs(a.size - size) > SAME_SIZE * size \
                or not 0 < a.y - b.y <= ROW_GAP_EM * size:
            break
        k -= 1
    return k


def _table(lines: list[Positioned], lead: int, start: int, end: int, budget: Budget,
           centred: bool = True) -> FoundTable | None:
    size = lines[start].size
    layout = _layout(lines, lead, end, size, budget)
    if layout is None:
        return None
    by_line, columns, first = layout
    # the lines above its first line of several chunks: kept while over the figure columns
    # (headers); the lines after its last one while they are rows or continue cells
    keep_from = start - lead
    while keep_from > 0 and first > 0 and by_line[keep_from - 1][0].x0 >= columns[first][0] - 0.5 * size:
        keep_from -= 1
    keep_to = _trailing(by_line, first, columns, size)
    if keep_from or keep_to < len(by_line):
        lead, end = lead + keep_from, lead + keep_to
        layout = _layout(lines, lead, end, size, budget)
        if layout is None:
            return None
        by_line, columns, first = layout
    if sum(1 for own in by_line if len(own) > 1) < 2:
        return None
    cells = _stack(by_line, first, size, centred)
    if centred:
        _centred_labels(cells, by_line, columns, first, size)
    _widen(cells, by_line, first, len(columns), centred)
    _merged_figures(by_line, first, centred)
    rows = _rows(cells, by_line, size)
    _centre_labels(cells, rows, first, size)
    return _result(lead, by_line, cells, len(columns), len(rows))


def _layout(lines: list[Positioned], start: int, end: int, size: float, budget: Budget):
    """The chunks of lines ``start``..``end`` by line, each on its columns; the columns; the
    first column of figures. None when they do not make a table."""
    region = lines[start:end]
    first_page = region[0].page
    chunks: list[_Chunk] = []
    by_line: list[list[_Chunk]] = []
    for k, line in enumerate(region):
        shift = (line.page - first_page) * PAGE_SHIFT
        own = [_Chunk(c[0], c[1], c[2], c[3] - shift, k, is_figure(c[0]), c[4] if len(c) > 4 else None)
               for c in _chunks(line)]
        by_line.append(own)
        chunks += own
        if len(chunks) > MAX_TABLE_CHUNKS:
            return None
    if sum(c.figure for c in chunks) < 2:
        return None
    columns = _columns(chunks, size, budget)
    if columns is None or not 2 <= len(columns) <= MAX_COLUMNS:
        return None
    figures: dict[int, set[int]] = {}           # column -> the lines with a figure in it
    for c in chunks:
        c.lo, c.hi = _cover(c, columns, size)
        if c.figure:
            figures.setdefault(c.lo, set()).add(c.line)
    if not any(len(lines) > 1 for lines in figures.values()) \
            and not any(sum(c.figure for c in own) >= 3 for own in by_line):
        return None                           # no column nor row of figures: prose lined up by chance
    first = min(figures)
    return by_line, columns, first


def _columns(chunks: list[_Chunk], size: float, budget: Budget) -> list[tuple[float, float]] | None:
    """The columns: the merged x-ranges of the chunks that span no others (step 2)."""
    order = sorted(chunks, key=lambda c: c.x0)
    eps = 0.1 * size
    inside: list[tuple[float, float]] = []
    for c in order:
        # the narrower chunks of other lines overlapping c (those starting before its end)
        first_end = None
        last_start = None
        j = 0
        width = c.x1 - c.x0
        for o in order:
            j += 1
            if o.x0 >= c.x1 - eps:
                break
            if o.line == c.line or o.x1 <= c.x0 + eps or o.x1 - o.x0 >= width:
                continue
            first_end = o.x1 if first_end is None else min(first_end, o.x1)
            last_start = o.x0 if last_start is None else max(last_start, o.x0)
        budget.pairs -= j
        if budget.pairs <= 0:
            return None
        if first_end is not None and first_end <= last_start + eps:
            continue               # it overlaps two narrower chunks side by side: it spans columns
        inside.append((c.x0, c.x1))
    merged: list[list[float]] = []
    for x0, x1 in sorted(inside):
        if merged and x0 < merged[-1][1] - eps:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _cover(c: _Chunk, columns: list[tuple[float, float]], size: float) -> tuple[int, int]:
    eps = 0.1 * size
    hit = [k for k, (a, b) in enumerate(columns) if min(b, c.x1) - max(a, c.x0) > eps]
    if hit:
        return hit[0], hit[-1]
    centre = (c.x0 + c.x1) / 2
    k = min(range(len(columns)), key=lambda k: abs((columns[k][0] + columns[k][1]) / 2 - centre))
    return k, k


def _widen(cells: list[_Cell], by_line: list[list[_Chunk]], first: int, width: int, centred: bool = True) -> None:
    """Widen the headers over the figure columns symmetrically, a column on each side at a
    time, while the columns on both sides are free on the cell's lines (a header covers the
    columns it is centred over); a cell alone on its line that reaches over two columns into
    the figure columns (a title row) over the label columns too. Where two headers reach a
    column at once, it goes to the one centred nearer to it. Not ``centred``: a header
    covers the free columns on its right."""
    taken = [[False] * width for _ in by_line]
    for own in by_line:
        for c in own:
            for col in range(c.lo, c.hi + 1):
                taken[c.line][col] = True
    low: dict[int, int] = {}
    for cell in cells:
        if cell.figure or cell.hi < first:
            continue
        lines = range(cell.chunks[0].line, cell.chunks[-1].line + 1)
        alone = cell.hi > cell.lo and all(len(by_line[k]) == 1 for k in lines)
        if cell.lo >= first or alone:
            low[id(cell)] = 0 if alone else first
    growing = [c for c in cells if id(c) in low]
    if not centred:
        for c in growing:
            lines = range(c.chunks[0].line, c.chunks[-1].line + 1)
            while c.hi + 1 < width and not any(taken[k][c.hi + 1] for k in lines):
                c.hi += 1
                for k in lines:
                    taken[k][c.hi] = True
            for chunk in c.chunks:
                chunk.lo, chunk.hi = c.lo, c.hi
        return
    while growing:
        wants = []
        for c in growing:
            a, b = c.lo - 1, c.hi + 1
            lines = range(c.chunks[0].line, c.chunks[-1].line + 1)
            if a >= low[id(c)] and b < width and not any(taken[k][a] or taken[k][b] for k in lines):
                wants.append((c, a, b))
        claims: dict[tuple[int, int], _Cell] = {}        # (line, column) -> the cell it goes to
        for c, a, b in wants:
            for k in range(c.chunks[0].line, c.chunks[-1].line + 1):
                for col in (a, b):
                    other = claims.get((k, col))
                    if other is None or abs(col - (c.lo + c.hi) / 2) < abs(col - (other.lo + other.hi) / 2):
                        claims[k, col] = c
        growing = []
        for c, a, b in wants:
            if all(claims[k, col] is c for k in range(c.chunks[0].line, c.chunks[-1].line + 1) for col in (a, b)):
                c.lo, c.hi = a, b
                for chunk in c.chunks:
                    chunk.lo, chunk.hi = a, b
                for k in range(c.chunks[0].line, c.chunks[-1].line + 1):
                    taken[k][a] = taken[k][b] = True
                growing.append(c)


def _centred_labels(cells: list[_Cell], by_line: list[list[_Chunk]], columns: list[tuple[float, float]],
                    first: int, size: float) -> None:
    """Row labels centred in their cells (most not starting where their column starts) are
    given the label columns they are centred over: of the spans of free columns around
    them, the one whose middle is nearest theirs ("（一）予以公开" centred over two label
    columns covers only the text of the second)."""
    labels = [c for c in cells if not c.figure and c.hi < first and any(_has_figure(by_line[ch.line])
                                                                          for ch in c.chunks)]
    flush = sum(abs(c.chunks[0].x0 - columns[c.lo][0]) <= 0.6 * size for c in labels)
    if not labels or flush >= 0.6 * len(labels):
        return
    edges = [columns[0][0] - 0.5 * size] + [(columns[k][1] + columns[k + 1][0]) / 2 for k in range(first)]
    taken = [[False] * first for _ in by_line]
    for own in by_line:
        for c in own:
            for col in range(c.lo, min(c.hi, first - 1) + 1):
                taken[c.line][col] = True
    for cell in labels:
        lines = range(cell.chunks[0].line, cell.chunks[-1].line + 1)
        middle = sum((c.x0 + c.x1) / 2 for c in cell.chunks) / len(cell.chunks)
        lo, hi = cell.lo, cell.hi
        while lo > 0 and not any(taken[k][lo - 1] for k in lines):
            lo -= 1
        while hi + 1 < first and not any(taken[k][hi + 1] for k in lines):
            hi += 1
        best = min(((a, b) for a in range(lo, cell.lo + 1) for b in range(cell.hi, hi + 1)),
                   key=lambda span: (abs((edges[span[0]] + edges[span[1] + 1]) / 2 - middle), span[1] - span[0]))
        for k in lines:
            for col in range(best[0], best[1] + 1):
                taken[k][col] = True
        cell.lo, cell.hi = best
        for chunk in cell.chunks:
            chunk.lo, chunk.hi = best


def _has_figure(own: list[_Chunk]) -> bool:
    return any(c.figure for c in own)


def _merged_figures(by_line: list[list[_Chunk]], first: int, centred: bool = True) -> None:
    """A figure under a header that covers several columns centred on it, with those columns
    free on its line, is a merged cell of those columns (table 二's 本年处理决定数量)."""
    header: dict[int, _Chunk] = {}       # column -> the lowest header seen over it
    for own in by_line:
        taken = {col for c in own for col in range(c.lo, c.hi + 1)}
        for c in own:
            if not c.figure or c.lo != c.hi:
                continue
            above = header.get(c.lo)
            if above is None or above.hi == above.lo or above.lo < first:
                continue
            if (above.lo + above.hi != 2 * c.lo) if centred else above.lo != c.lo:
                continue                  # not centred under it (not at its first column)
            if any(col in taken for col in range(above.lo, above.hi + 1) if col != c.lo):
                continue
            c.lo, c.hi = above.lo, above.hi
            if c.cell is not None:
                c.cell.lo, c.cell.hi = c.lo, c.hi
        for c in own:
            if not c.figure:
                for col in range(c.lo, c.hi + 1):
                    header[col] = c


def _trailing(by_line: list[list[_Chunk]], first: int, columns: list, size: float) -> int:
    """How many of the region's lines belong to the table: the one-chunk lines after its
    last line of several chunks only while each lies in the label columns or holds a figure,
    and up to the last one that holds a figure or continues a cell above."""
    last_multi = max(k for k, own in enumerate(by_line) if len(own) > 1)
    keep = last_multi + 1
    labels_end = columns[first][0] if first > 0 else columns[0][0]
    for k in range(last_multi + 1, len(by_line)):
        (c,) = by_line[k]
        if c.figure and c.lo >= first:
            keep = k + 1
            continue
        if c.x1 > labels_end + 0.5 * size:
            break
        above = next((o for own in reversed(by_line[:k]) for o in own if o.lo <= c.hi and c.lo <= o.hi), None)
        if above is not None and not above.figure and above.y - c.y <= STACK_EM * size and not _HEADING.match(c.text):
            keep = k + 1
    return keep


def _stack(by_line: list[list[_Chunk]], first: int, size: float, centred: bool = True) -> list[_Cell]:
    """Chunks of the same columns on consecutive lines a line pitch apart -> one cell (step 3);
    not ``centred``: headers keep to their lines."""
    base: list[float | None] = []          # each line's baseline of figures (None: no figure)
    for own in by_line:
        ys = [c.y for c in own if c.figure]
        base.append(max(ys) if ys else None)
    header_line = [base[k] is None and len(own) > 1 and any(c.hi >= first for c in own)
                   for k, own in enumerate(by_line)]
    cells: list[_Cell] = []
    last: dict[int, _Chunk] = {}           # the last chunk seen in each column
    for own in by_line:
        for c in own:
            above = {last[col] for col in range(c.lo, c.hi + 1) if col in last}
            joined = None
            if len(above) == 1:
                (a,) = above
                if _continues(a, c, by_line, base, header_line, size) \
                        and (centred or not (header_line[a.line] or header_line[c.line])):
                    joined = a.cell
            if joined is not None:
                joined.chunks.append(c)
                joined.lo, joined.hi = min(joined.lo, c.lo), max(joined.hi, c.hi)
                c.cell = joined
            else:
                c.cell = _Cell([c], c.lo, c.hi)
                cells.append(c.cell)
        for c in own:
            for col in range(c.lo, c.hi + 1):
                last[col] = c
    return cells


def _continues(a: _Chunk, b: _Chunk, by_line, base, header_line, size: float) -> bool:
    if a.figure or b.figure or a.cell.chunks[-1] is not a or a.line == b.line:
        return False
    if not 0 < a.y - b.y <= STACK_EM * size:
        return False
    if header_line[a.line] and base[b.line] is not None:
        return False                       # the headers above the first row of figures
    on_rows = all(base[c.line] is not None and abs(base[c.line] - c.y) <= 0.15 * size for c in (a, b))
    if on_rows and not _HEADING.match(a.cell.chunks[0].text):
        return False                       # the labels of two rows ("规章", "行政规范性文件")
    if (a.lo, a.hi) != (b.lo, b.hi):
        # only in the label columns: a centred label's lines cover different columns; the
        # lower must be the only chunk of its line under the upper, and the upper the only
        # one of its line over the lower
        if any(o is not b and o.lo <= a.hi and a.lo <= o.hi for o in by_line[b.line]):
            return False
        if any(o is not a and o.lo <= b.hi and b.lo <= o.hi for o in by_line[a.line]):
            return False
    return not _HEADING.match(b.text)


def _rows(cells: list[_Cell], by_line: list[list[_Chunk]], size: float) -> list[float]:
    """Give each cell its row and row span (step 4); the baseline of each row.

    Every line with figures is a row (at their baseline); a cell over such baselines spans
    those rows. The other cells make rows at their first lines; above the first row of
    figures (the headers) cells of different columns whose lines overlap make one row, the
    highest first line its baseline: the headers of one row sit at different heights when
    they are centred and some are longer (a vertical "社会公益组织" beside "其他")."""
    tol = ROW_EM * size
    anchor: dict[int, float] = {}          # line -> the baseline of its figures
    for k, own in enumerate(by_line):
        ys = [c.y for c in own if c.figure]
        if ys:
            anchor[k] = max(ys)
    anchors = sorted(set(anchor.values()), reverse=True)
    free = [c for c in cells if not c.figure and not _spanned(c, anchors, tol)]
    highest = anchors[0] if anchors else -float("inf")
    level: dict[int, float] = {}           # id(cell) -> the baseline of its row
    group: list[_Cell] = []
    low = 0.0
    for cell in sorted((c for c in free if c.bottom > highest + tol), key=lambda c: -c.top):
        if group and cell.top >= low - tol and not any(o.lo <= cell.hi and cell.lo <= o.hi for o in group):
            group.append(cell)
            low = min(low, cell.bottom)
        else:
            group, low = [cell], cell.bottom
        level[id(cell)] = group[0].top
    ys = list(anchors)
    ys += [level.get(id(c), c.top) for c in free]
    ys.sort(reverse=True)
    row_of: dict[float, int] = {}
    rows: list[float] = []
    for y in ys:
        if not rows or rows[-1] - y > 0.6 * size:
            rows.append(y)
        row_of[y] = len(rows) - 1
    up = [-y for y in ys]                  # ascending, for bisect
    for cell in cells:
        if cell.figure:
            cell.row, cell.rows = row_of[anchor[cell.chunks[0].line]], 1
            continue
        if id(cell) in level:
            cell.row, cell.rows = row_of[level[id(cell)]], 1
            continue
        a, b = bisect_left(up, -(cell.top + tol)), bisect_right(up, -(cell.bottom - tol))
        inside = [row_of[ys[a]], row_of[ys[b - 1]]] if b > a else []
        if cell.top in row_of:
            inside.append(row_of[cell.top])
        cell.row, cell.rows = min(inside), max(inside) - min(inside) + 1
    return rows


def _spanned(cell: _Cell, anchors: list[float], tol: float) -> bool:
    """Does a baseline of ``anchors`` (descending) lie within the cell's lines?"""
    k = _first_below(anchors, cell.top + tol)
    return k < len(anchors) and anchors[k] >= cell.bottom - tol


def _first_below(anchors: list[float], y: float) -> int:
    """The index of the first of ``anchors`` (descending) at or below ``y``."""
    lo, hi = 0, len(anchors)
    while lo < hi:
        mid = (lo + hi) // 2
        if anchors[mid] > y:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _centre_labels(cells: list[_Cell], ys: list[float], first: int, size: float) -> None:
    """Labels centred over rows whose label positions are otherwise empty cover them: in
    each label column, a cell with empty positions both above and below widens its span over
    them, as far as it stays centred (the ends of its span as far from the middle of its
    text on either side, give or take a line). Only when most labels with empty positions
    beside them have them on both sides; labels set at the bottom of their rows cover the
    empty positions above them; a table whose labels sit
    at the top of their rows is left as it is (an empty label position there reads as the
    label above, see Table.label_grid). Which, the labels of two lines or more tell where
    they have them (:func:`_alignment`). ``ys``: the baseline of each row."""
    height = len(ys)
    if first <= 0:
        return
    body = min((c.row for c in cells if c.figure), default=height)
    taken: list[list[_Cell | None]] = [[None] * first for _ in range(height)]
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rows):
            for col in range(cell.lo, min(cell.hi, first - 1) + 1):
                taken[r][col] = cell
    votes = [0, 0]     # labels with empty positions on both sides, below only
    spans = []
    for cell in cells:
        if cell.figure or cell.row < body or cell.lo >= first:
            continue
        col = cell.lo
        up = 0
        while cell.row - up - 1 >= body and taken[cell.row - up - 1][col] is None:
            up += 1
        down = 0
        while cell.row + cell.rows + down < height and taken[cell.row + cell.rows + down][col] is None:
            down += 1
        votes[0] += bool(up and down)
        votes[1] += bool(down and not up)
        spans.append((cell, up, down))
    align = _alignment(cells, ys, body, first, size) or ("middle" if votes[0] > votes[1] else "top")
    if align == "top":
        return
    if align == "bottom":                     # labels at the bottom of their rows: up to the label above
        for cell, up, _ in spans:
            col = cell.lo
            up = next((k for k in range(1, up + 1) if taken[cell.row - k][col] is not None), up + 1) - 1
            for r in range(cell.row - up, cell.row):
                for c in range(cell.lo, min(cell.hi, first - 1) + 1):
                    taken[r][c] = cell
            cell.row -= up
            cell.rows += up
        return
    spans = [(cell, up, down) for cell, up, down in spans if up and down]
    for cell, up, down in spans:
        middle = (cell.top + cell.bottom) / 2
        col = cell.lo
        # what is still free (an earlier cell may have taken some)
        up = next((k for k in range(1, up + 1) if taken[cell.row - k][col] is not None), up + 1) - 1
        end = cell.row + cell.rows
        down = next((k for k in range(down) if taken[end + k][col] is not None), down)
        while up and down:
            high, low = ys[cell.row - up] - middle, middle - ys[end + down - 1]
            if abs(high - low) <= 1.5 * size:
                break
            if high > low:
                up -= 1
            else:
                down -= 1
        if not (up and down):
            continue
        cell.row -= up
        cell.rows += up + down
        for r in range(cell.row, cell.row + cell.rows):
            for c in range(cell.lo, min(cell.hi, first - 1) + 1):
                taken[r][c] = cell


def _alignment(cells: list[_Cell], ys: list[float], body: int, first: int, size: float) -> str | None:
    """Where the table sets text in its cells, told by the labels of two lines or more beside
    one row of figures: those figures on the label's first line ("top"), its last ("bottom")
    or between ("middle"); None without such a label."""
    votes = {"top": 0, "bottom": 0, "middle": 0}
    for cell in cells:
        if cell.figure or cell.row < body or cell.lo >= first or len(cell.chunks) < 2 or cell.rows != 1:
            continue
        y = ys[cell.row]
        where = "top" if abs(cell.top - y) <= 0.3 * size else "bottom" if abs(cell.bottom - y) <= 0.3 * size \
            else "middle"
        votes[where] += 1
    best = max(votes, key=votes.__getitem__)
    return best if votes[best] else None


def _result(start: int, by_line: list[list[_Chunk]], cells: list[_Cell], width: int, height: int) -> FoundTable:
    texts = []
    offsets: dict[int, int] = {}
    for own in by_line:
        at = 0
        parts = []
        for c in own:
            offsets[id(c)] = at if c.at is None else c.at
            parts.append(c.text)
            at += len(c.text) + 1
        texts.append("\t".join(parts))
    table = FoundTable(list(range(start, start + len(by_line))), texts, width=width, height=height)
    for cell in sorted(cells, key=lambda c: (c.row, c.lo)):
        first = cell.chunks[0]
        table.cells.append(("\n".join(c.text for c in cell.chunks), cell.row, cell.lo, cell.rows,
                            cell.hi - cell.lo + 1, first.line, offsets[id(first)]))
    return table
