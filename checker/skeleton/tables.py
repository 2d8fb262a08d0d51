"""Tables in the document model: rows of cells, each with its place in the extracted text.

A report's statistical tables arrive in several shapes, and every shape becomes the same
:class:`Table`:

* .docx: Word tables (``w:tbl``), merged cells included (``w:gridSpan``, ``w:vMerge``), read
  by checker/sources/docx.py while it writes each row as one line of cells joined by tabs;
* .html: ``<table>`` with ``colspan``/``rowspan``, read by checker/sources/html.py from the
  lines it extracts (layout tables, which hold the page rather than figures, are left out);
* text (.txt, .md, and any reader that gives no tables of its own): runs of lines in
  Markdown pipe form (``| a | b |``) or cells separated by tabs, found here by
  :func:`find_text_tables`.

The text lines a table occupies stay what they are (paragraphs for the parser, as before);
the table is a second view of those lines. Each :class:`Cell` knows its grid position (row,
column, spans) and where its text is in the extracted text (line and column), so a finding
can point at a cell. The lookups checks use (a row or a column by its label, a cell's number)
live here too; labels are compared on the matching view (checker/skeleton/normalize.py: no
spaces, full- and half-width forms folded), so "规 章" is 规章 and "１２" is 12.

Budgets: every table a report holds counts against :data:`MAX_TABLE_CELLS` cells and a
table's grid against :data:`MAX_GRID` positions; what passes them is left out of the model
(the text lines stay) and the report says so (``Report.tables_incomplete``).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from checker.diagnostics import Span
from checker.record import Value
from checker.skeleton.normalize import INVISIBLE_CLASS, view

__all__ = ["Cell", "Row", "Table", "TableBuilder", "TableBudget", "Tables", "TextLayouts", "find_text_tables",
           "may_hold_text_tables", "number", "label_key"]

# Cells of all tables of one report (rows count as one cell each too, a merged cell as the
# columns it spans). The three statistical tables of a 政府信息公开 report hold some 450; a
# long report with many tables a few thousand. Each costs ~5 microseconds to read and build.
MAX_TABLE_CELLS = 20_000
# Grid positions of one table (rows times columns, merged cells counted at each position they
# cover): a lookup builds the grid once. A Word table has at most 63 columns.
MAX_GRID = 400_000
MAX_SPAN = 1000              # browsers cap colspan at 1000 too
MAX_CELL_LINES = 8           # an HTML cell showing more lines is page layout, not a figure


# Cell, Row and Table are what ``@dataclass(slots=True)`` made of them (init, repr, eq by
# the fields shown, unhashable), written out: the decorator builds and execs each method's
# source and then the class a second time for its slots, ~2.5 ms of every start for the three.
class Cell(Value):
    # text: the text shown (a Word cell's paragraphs joined by a space, an HTML cell's lines by
    # a line break); row, col: 0-based grid row and column of its top-left corner; line: 1-based
    # line of the extracted text holding its text (0: unknown); column: 1-based column in that
    # line where its text begins (0: unknown); _key: (text, its label key)
    __slots__ = ("text", "row", "col", "row_span", "col_span", "line", "column", "_key")
    _compared = _shown = __slots__[:-1]

    def __init__(self, text: str, row: int, col: int, row_span: int = 1, col_span: int = 1, line: int = 0,
                 column: int = 0, _key: tuple | None = None):
        self.text = text
        self.row = row
        self.col = col
        self.row_span = row_span
        self.col_span = col_span
        self.line = line
        self.column = column
        self._key = _key

    @property
    def key(self) -> str:
        """The text as labels are compared (:func:`label_key`), computed once: the label
        lookups compare every label cell for every label a rule names."""
        cached = self._key
        if cached is None or cached[0] is not self.text:
            cached = self._key = (self.text, label_key(self.text))
        return cached[1]

    @property
    def span(self) -> Span:
        """Where the cell is in the extracted text: its text on its (first) line; the line's
        start when the column is not known; an empty cell: one column."""
        line = max(self.line, 1)
        if self.column <= 0:
            return Span(line, 1, line, 1)
        shown = self.text.find("\n")
        return Span(line, self.column, line, self.column + max(shown if shown >= 0 else len(self.text), 1))


class Row(Value):
    # index: 0-based; cells: those whose top-left corner is in this row, left to right; line:
    # 1-based line of the extracted text where the row begins (0: none)
    __slots__ = ("index", "cells", "line")
    _compared = _shown = __slots__

    def __init__(self, index: int, cells: list[Cell], line: int = 0):
        self.index = index
        self.cells = cells
        self.line = line


_NEW_LIST = object()


class Table(Value):
    # number: 1-based, in reading order (a .docx's 表格N); width: grid columns; shape: "docx",
    # "html", "pipe" or "tab"; first_line, last_line: the lines of the extracted text the table
    # occupies; ragged: 0-based rows not covering every grid column; caption: matching view of
    # the non-empty lines before it (up to 2), set by the model; the _ fields: what lookups
    # work out once
    __slots__ = ("number", "rows", "width", "shape", "first_line", "last_line", "ragged", "caption",
                 "_grid", "_frame", "_labels", "_row_labels", "_column_labels", "_row_keys", "_column_keys",
                 "_cell_keys")
    _compared = _shown = __slots__[:8]

    def __init__(self, number: int, rows: list[Row], width: int, shape: str, first_line: int = 0,
                 last_line: int = 0, ragged: list[int] = _NEW_LIST, caption: str = "",  # type: ignore[assignment]
                 _grid: list | None = None, _frame: tuple | None = None, _labels: list | None = None,
                 _row_labels: list | None = None, _column_labels: list | None = None,
                 _row_keys: list | None = None, _column_keys: list | None = None, _cell_keys: tuple | None = None):
        self.number = number
        self.rows = rows
        self.width = width
        self.shape = shape
        self.first_line = first_line
        self.last_line = last_line
        self.ragged = [] if ragged is _NEW_LIST else ragged
        self.caption = caption
        self._grid = _grid
        self._frame = _frame
        self._labels = _labels
        self._row_labels = _row_labels
        self._column_labels = _column_labels
        self._row_keys = _row_keys
        self._column_keys = _column_keys
        self._cell_keys = _cell_keys

    # -- shape ---------------------------------------------------------------------------
    @property
    def height(self) -> int:
        return len(self.rows)

    def cells(self) -> list[Cell]:
        return [c for r in self.rows for c in r.cells]

    def grid(self) -> list[list[Cell | None]]:
        """Rows of ``width`` positions; a merged cell at every position it covers, None
        where no cell is (a short row)."""
        if self._grid is None:
            grid: list[list[Cell | None]] = [[None] * self.width for _ in self.rows]
            for row in self.rows:
                for cell in row.cells:
                    for r in range(cell.row, min(cell.row + cell.row_span, len(grid))):
                        line = grid[r]
                        for c in range(cell.col, min(cell.col + cell.col_span, self.width)):
                            line[c] = cell
            self._grid = grid
        return self._grid

    def at(self, row: int, col: int) -> Cell | None:
        grid = self.grid()
        if 0 <= row < len(grid) and 0 <= col < self.width:
            return grid[row][col]
        return None

    def place(self, cell: Cell) -> str:
        """The cell as a reader names it: 表格2第5行第3列 (grid row and column, from 1)."""
        return f"表格{self.number}第{cell.row + 1}行第{cell.col + 1}列"

    # -- labels --------------------------------------------------------------------------
    def frame(self) -> tuple[int, int]:
        """(label columns, header rows): the columns before the first one holding figures,
        the rows before the first one holding a figure right of them. A figure is a number
        or a placeholder ("/", "-"); a table without any has one label column and one
        header row."""
        if self._frame is None:
            grid = self.grid()
            first_col = self.width
            for r, line in enumerate(grid):
                for c, cell in enumerate(line[:first_col]):
                    if cell is not None and cell.col == c and cell.row == r and _figure(cell.text):
                        first_col = c
                        break
            if first_col == self.width:
                self._frame = (min(1, self.width), min(1, len(grid)))
                return self._frame
            header = len(grid)
            for r, line in enumerate(grid):
                if any(cell is not None and cell.row == r and _figure(cell.text) for cell in line[first_col:]):
                    header = r
                    break
            self._frame = (first_col, header)
        return self._frame

    def label_grid(self) -> list[list[Cell | None]]:
        """The grid with each empty label or header position showing the cell it belongs to
        when the table writes merged cells as empty ones (text tables, tables typed without
        merging): in the label columns an empty cell continues the label on its left, else
        the one above; in the header rows it continues the header above (a header spanning
        rows), else the one on its left (spanning columns). Figures are never filled in."""
        if self._labels is None:
            label_cols, header = self.frame()
            grid = [list(line) for line in self.grid()]
            how = [[0] * self.width for _ in grid]   # 0 own, 1 from the left, 2 from above
            for r, line in enumerate(grid):
                for c, cell in enumerate(line):
                    if (c >= label_cols and r >= header) or (cell is not None and cell.key):
                        continue
                    left = line[c - 1] if c > 0 and c != label_cols else None
                    above = grid[r - 1][c] if r > 0 and r != header else None
                    left_ok = left is not None and bool(left.key) and how[r][c - 1] != 2
                    above_ok = above is not None and bool(above.key) and how[r - 1][c] != 1
                    if c < label_cols:
                        pick = (left, 1) if left_ok else (above, 2) if above_ok else (None, 0)
                    else:
                        pick = (above, 2) if above_ok else (left, 1) if left_ok else (None, 0)
                    if pick[0] is not None:
                        line[c], how[r][c] = pick
            self._labels = grid
        return self._labels

    def row_labels(self, row: int) -> list[Cell]:
        """The label cells of a row, left to right (merged ones included once)."""
        if not 0 <= row < len(self.rows):
            return []
        if self._row_labels is None:
            label_cols, _ = self.frame()
            self._row_labels = [_distinct(line[:label_cols]) for line in self.label_grid()]
        return self._row_labels[row]

    def column_labels(self, col: int) -> list[Cell]:
        """The header cells above a column, top to bottom (merged ones included once)."""
        if not 0 <= col < self.width:
            return []
        if self._column_labels is None:
            _, header = self.frame()
            top = self.label_grid()[:header]
            self._column_labels = [_distinct([line[c] for line in top]) for c in range(self.width)]
        return self._column_labels[col]

    def find_row(self, label: str | list[str]) -> int | None:
        """The first row (0-based) whose label cells match ``label`` (a label, or a path of
        labels from the outermost: ["（六）其他处理", "3.其他"]), exact matches before rows
        whose labels only contain the words. A table that writes each level of a path on a
        row of its own ("三、本年度办理结果" a row, "（七）总计" a row further down, as text
        tables have it) matches too: the outer labels' row, then the first row below it
        holding the innermost label."""
        path = _path(label)
        rows = self._label_keys(True)
        found = _best(path, rows)
        if found is None and len(path) > 1:
            above = self.find_row(path[:-1])
            if above is not None:
                found = _best(path[-1:], rows, above + 1)
        return found

    def find_column(self, label: str | list[str]) -> int | None:
        """The first column (0-based) whose header cells match ``label`` (as :meth:`find_row`)."""
        return _best(_path(label), self._label_keys(False))

    def _label_keys(self, rows: bool) -> list[tuple[tuple[str, ...], str]]:
        """Per row (per column right of the label columns; none for those), the keys of its
        label cells and them run together: what :meth:`find_row` and :meth:`find_column`
        compare, computed once."""
        cached = self._row_keys if rows else self._column_keys
        if cached is None:
            if rows:
                lines = [self.row_labels(r) for r in range(len(self.rows))]
            else:
                label_cols, _ = self.frame()
                lines = [self.column_labels(c) if c >= label_cols else [] for c in range(self.width)]
            cached = [(keys, "".join(keys)) for keys in (tuple(c.key for c in line) for line in lines)]
            if rows:
                self._row_keys = cached
            else:
                self._column_keys = cached
        return cached

    def find_cell(self, text: str) -> Cell | None:
        """The first cell (in reading order) whose text is ``text``, else the first holding it."""
        key = label_key(text)
        if not key:
            return None
        if self._cell_keys is None:
            cells = [c for c in self.cells() if c.key]
            self._cell_keys = (cells, "\n".join(c.key for c in cells))
        cells, joined = self._cell_keys
        if key not in joined:
            return None
        inside = None
        for cell in cells:
            k = cell.key
            if k == key:
                return cell
            if inside is None and key in k:
                inside = cell
        return inside

    def value(self, row: int, col: int) -> Decimal | None:
        """The figure in a grid position: the number of the cell whose top-left corner is
        there ("/" and blank count as 0), None for text, a covered position or no cell."""
        cell = self.at(row, col)
        if cell is None or cell.row != row or cell.col != col:
            return None
        return number(cell.text)

    def holds_figures(self, least: int = 2) -> bool:
        """Does the table hold at least ``least`` figures (numbers or placeholders), i.e.
        is it a table of data rather than page layout set in a table?"""
        found = 0
        for row in self.rows:
            for cell in row.cells:
                if _figure(cell.text):
                    found += 1
                    if found >= least:
                        return True
        return False

    def mentions(self, key: str, rows: int = 3) -> bool:
        """Does the caption, or a cell of the first ``rows`` rows, hold ``key`` (a view)?"""
        if key in self.caption:
            return True
        return any(key in cell.key for row in self.rows[:rows] for cell in row.cells)


# a sub-item's number as tables write it: 1、 1. 1． （1） (1) are the same 1.
_ITEM_NUMBER = re.compile(r"(?:（([0-9]{1,2})）|([0-9]{1,2})、)")


def label_key(text: str) -> str:
    """A label as it is compared: the matching view (no spaces, forms folded), a leading
    sub-item number written as "1." whatever its punctuation ("1、", "（1）")."""
    key = view(text)
    if key[:1] in _ITEM_START:
        m = _ITEM_NUMBER.match(key)
        if m is not None:
            key = f"{m.group(1) or m.group(2)}.{key[m.end():]}"
    return key


_ITEM_START = frozenset("（0123456789")


def _path(label: str | list[str]) -> list[str]:
    parts = [label] if isinstance(label, str) else list(label)
    return [k for k in map(label_key, parts) if k]


def _distinct(cells) -> list[Cell]:
    out: list[Cell] = []
    for cell in cells:
        if cell is not None and cell.key and (not out or out[-1] is not cell) and not any(c is cell for c in out):
            out.append(cell)
    return out


def _match(path: list[str], keys: tuple[str, ...], joined: str, exact: bool) -> bool:
    """Exact: the label cells (their ``keys``), in order, hold each part of the path as their
    whole text. Else the parts occur in order in their texts run together (``joined``: a
    label cell holding two levels, "三、本年度办理结果（七）总计", as text tables and PDFs often
    have it)."""
    if exact:
        i = 0
        for key in keys:
            if i < len(path) and key == path[i]:
                i += 1
        return i == len(path) > 0
    at = 0
    for part in path:
        at = joined.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return bool(path)


def _best(path: list[str], candidates: list[tuple[tuple[str, ...], str]], start: int = 0) -> int | None:
    """The first candidate (from ``start``) matching ``path`` exactly, else the first loosely."""
    if not path:
        return None
    loose = None
    last = path[-1]
    for index in range(start, len(candidates)):
        keys, joined = candidates[index]
        if not keys or last not in joined:
            continue
        if _match(path, keys, joined, True):
            return index
        if loose is None and _match(path, keys, joined, False):
            loose = index
    return loose


# ---------------------------------------------------------------------------------- numbers

_PLACEHOLDER = frozenset({"", "/", "-", "—", "——", "－", "–", "\\", "无"})
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?")


@lru_cache(maxsize=4096)
def number(text: str) -> Decimal | None:
    """A cell's figure: digits (full- or half-width, thousands separators), "/" or blank
    as 0; None for any other text."""
    key = view(text)
    if key in _PLACEHOLDER:
        return Decimal(0)
    if not _NUMBER.fullmatch(key):
        return None
    try:
        return Decimal(key.replace(",", "").replace("，", ""))
    except InvalidOperation:   # pragma: no cover - the pattern admits only numbers
        return None


def _figure(text: str) -> bool:
    """A number or a placeholder that stands for one (blank is neither)."""
    key = view(text)
    return bool(key) and (key in _PLACEHOLDER or _NUMBER.fullmatch(key) is not None)


is_figure = _figure


# ---------------------------------------------------------------------------------- building

class Tables(list):
    """A reader's tables, in reading order; ``incomplete``: some were left out (budgets)."""

    __slots__ = ("incomplete",)

    def __init__(self, items=(), incomplete: bool = False):
        super().__init__(items)
        self.incomplete = incomplete


class TableBudget:
    """The cells the tables of one report may have (:data:`MAX_TABLE_CELLS`)."""

    __slots__ = ("left", "exhausted", "skipped")

    def __init__(self, cells: int = MAX_TABLE_CELLS):
        self.left = cells
        self.exhausted = False    # no cell is left: no further table is built
        self.skipped = False      # a table was left out (too large)

    @property
    def incomplete(self) -> bool:
        return self.exhausted or self.skipped

    def fits(self, n: int) -> bool:
        """Would a table of ``n`` cells fit? If not it is left out (``skipped``), unbuilt."""
        if n > self.left:
            self.skipped = True
            return False
        return True

    def spend(self, n: int = 1) -> bool:
        self.left -= n
        if self.left < 0:
            self.exhausted = True
        return not self.exhausted


class TableBuilder:
    """Places cells on a grid row by row, as the HTML table algorithm does: a cell goes to
    the first column of its row that no cell above spans into. Word's vertical merges are
    explicit instead (:meth:`merge_up`). ``ok`` turns False when the table passes a budget;
    :meth:`table` then gives None."""

    __slots__ = ("number", "shape", "budget", "rows", "ok", "_col", "_below", "_width", "_covering")

    def __init__(self, number: int, shape: str, budget: TableBudget):
        self.number = number
        self.shape = shape
        self.budget = budget
        self.rows: list[Row] = []
        self.ok = not budget.exhausted
        self._col = 0
        self._below: dict[int, int] = {}   # column -> last grid row a cell above covers
        self._width = 0
        self._covering: dict[int, Cell] = {}   # grid column -> the latest cell starting there

    def row(self, line: int = 0, skip: int = 0) -> None:
        """Start a row whose text begins on ``line``; ``skip`` grid columns before its first
        cell (Word's w:gridBefore)."""
        if not self.ok:
            return
        if not self.budget.spend() or len(self.rows) * self._width > MAX_GRID:
            self._give_up()
            return
        self.rows.append(Row(len(self.rows), [], line))
        self._col = min(max(skip, 0), MAX_SPAN)

    def cell(self, text: str, line: int = 0, column: int = 0, col_span: int = 1, row_span: int = 1) -> Cell | None:
        if not self.ok or not self.rows:
            return None
        if col_span != 1:
            col_span = min(max(col_span, 1), MAX_SPAN)
        budget = self.budget
        budget.left -= col_span                  # a merged cell costs what it covers in a row
        if budget.left < 0:
            budget.exhausted = True
            self._give_up()
            return None
        r = len(self.rows) - 1
        col = self._col
        below = self._below
        if below:
            while below.get(col, -1) >= r:
                col += 1
        if row_span != 1:
            row_span = min(max(row_span, 1), 65534)
            if row_span > 1:
                for c in range(col, col + col_span):
                    below[c] = r + row_span - 1
        cell = Cell(text, r, col, row_span, col_span, line, column)
        self.rows[-1].cells.append(cell)
        self._covering[col] = cell
        self._col = col + col_span
        if self._col > self._width:
            self._width = self._col
        return cell

    def merge_up(self, col_span: int = 1) -> bool:
        """A Word cell continuing the one above it (w:vMerge without "restart"): the cell
        covering this grid column in the row above grows by a row. False if there is none
        (the continuation then reads as a cell of its own)."""
        if not self.ok or len(self.rows) < 2:
            return False
        r = len(self.rows) - 1
        above = self._covering.get(self._col)
        if above is None or above.row + above.row_span != r:
            return False
        above.row_span += 1
        self._col += max(above.col_span, min(max(col_span, 1), MAX_SPAN))
        self._width = max(self._width, self._col)
        return True

    def skip(self, columns: int) -> None:
        """Leave ``columns`` grid columns empty (a cell not read)."""
        self._col += min(max(columns, 0), MAX_SPAN)
        self._width = max(self._width, self._col)

    def _give_up(self) -> None:
        self.ok = False
        self.budget.skipped = True
        self.rows = []

    def put_cells(self, cells: list[tuple[str, int, int, int, int, int, int]], height: int, width: int) -> None:
        """Cells whose grid places are known (a PDF table, checker/sources/pdf/tables.py):
        (text, row, col, row_span, col_span, line, column) each, in reading order; the rows
        begin on the line of their first cell."""
        if not self.ok:
            return
        if height * width > MAX_GRID or not self.budget.fits(height + sum(c[4] for c in cells)):
            self._give_up()
            return
        self.budget.spend(height + sum(c[4] for c in cells))
        self.rows = [Row(r, [], 0) for r in range(height)]
        for text, row, col, row_span, col_span, line, column in cells:
            target = self.rows[row]
            target.cells.append(Cell(text, row, col, row_span, col_span, line, column))
            if not target.line or line < target.line:
                target.line = line
        self._width = width

    def table(self, first_line: int = 0, last_line: int = 0) -> Table | None:
        """The table built, or None when it passed a budget or has no cell."""
        if not self.ok or not any(r.cells for r in self.rows):
            return None
        height = len(self.rows)
        width = self._width
        covered = 0
        for row in self.rows:
            for cell in row.cells:
                if cell.row + cell.row_span > height:
                    cell.row_span = height - cell.row
                covered += cell.row_span * min(cell.col_span, width - cell.col)
        # cells may overlap (HTML's "table model errors"): what they cover bounds the work
        if width * height > MAX_GRID or covered > 2 * MAX_GRID:
            self._give_up()
            return None
        lines = [r.line for r in self.rows if r.line]
        table = Table(self.number, self.rows, width, self.shape,
                      first_line or (min(lines) if lines else 0), last_line or (max(lines) if lines else 0))
        previous = table.first_line      # a row that showed no line (all empty): where the one before is
        for row in self.rows:
            if not row.line:
                row.line = previous
            previous = row.line
            for cell in row.cells:
                if not cell.line:
                    cell.line, cell.column = row.line, 0
        covered = [0] * height
        for row in self.rows:
            for cell in row.cells:
                for r in range(cell.row, cell.row + cell.row_span):
                    covered[r] += min(cell.col_span, width - cell.col)
        table.ragged = [r for r, n in enumerate(covered) if n != width]
        return table


# ---------------------------------------------------------------------------------- text tables

_PIPES = ("|", "｜")
_SEPARATOR_CELL = re.compile(r"\s*:?-+:?\s*")


def _cells(pieces: list[str], pos: int) -> list[tuple[str, int]]:
    """(text, 1-based column) of each piece, the first beginning at index ``pos``."""
    out = []
    for piece in pieces:
        text = piece.strip()
        out.append((text, pos + (len(piece) - len(piece.lstrip()) if text else 0) + 1))
        pos += len(piece) + 1
    return out


def _pipe_cells(raw: str) -> list[tuple[str, int]]:
    """The cells of a Markdown pipe row (a line starting with "|" or "｜")."""
    pieces = (raw.replace("｜", "|") if "｜" in raw else raw).split("|")
    cells = _cells(pieces[1:], len(pieces[0]) + 1)
    if _BLANK.fullmatch(pieces[-1]):     # a closing pipe: nothing after it
        cells.pop()
    return cells


def _tab_cells(raw: str) -> list[tuple[str, int]]:
    """The cells of a tab-separated row (leading and trailing tabs are empty cells)."""
    return _cells(raw.rstrip(" \r\n\u3000\xa0").split("\t"), 0)


def _separator(cells: list[tuple[str, int]]) -> bool:
    return all(_SEPARATOR_CELL.fullmatch(text) for text, _ in cells) and any(text for text, _ in cells)


# spaces and invisible characters (a soft hyphen, a zero-width space pasted before a row)
_BLANK = re.compile(rf"[\s{INVISIBLE_CLASS}]*")


def _pipe_row(raw: str) -> bool:
    return raw[_BLANK.match(raw).end():][:1] in _PIPES


def _tab_row(raw: str) -> bool:
    """A tab between two pieces of text, or a piece of text followed by tabs (a row of one
    cell and empty ones: a title row over a Word table's columns)."""
    return "\t" in raw.strip() or (raw.rstrip(" \r\n\u3000\xa0").endswith("\t") and bool(raw.strip()))


# a gap between two cells of a row written with spaces: two or more (or a tab) between text
_GAP = re.compile(r"\t|[ \u3000\xa0]{2,}")

# a regex starting with a literal is found by a fast scan for it; a character class first
# would be tried at every character (0.3 ms on a 12 KB report)
_INNER_GAP = re.compile(r"  (?<=[^\s]  )[ ]*(?=[^\s])")

def _gap_at(text: str) -> int:
    """The index of the first gap of two spaces or more between two pieces of text on one
    line (ideographic and no-break spaces count as spaces), -1 if none."""
    if "\u3000" in text or "\xa0" in text:
        text = text.replace("\u3000", " ").replace("\xa0", " ")     # one for one: indices hold
    m = _INNER_GAP.search(text)
    return m.start() if m else -1


def may_hold_text_tables(text: str, layouts: TextLayouts | None = None) -> bool:
    """Could :func:`find_text_tables` find anything in ``text``? (A few C-level scans: most
    reports hold none of the marks a text table needs.)"""
    return "\t" in text or "|" in text or "｜" in text or _gap_at(text) >= 0 \
        or (layouts is not None and layouts.header_line(text))


def find_text_tables(raws: list[str], budget: TableBudget | None = None, first_number: int = 1,
                     text: str | None = None, layouts: TextLayouts | None = None) -> list[Table]:
    """Tables written in text, in four shapes (``raws``: the physical lines):

    * runs of at least two lines that are Markdown pipe rows (starting with "|" or "｜"; a
      ``|---|---|`` line between the header and the body is no row), or
    * tab-separated rows (a tab between two pieces of text; a piece followed by tabs only
      among them), with at least two columns;
    * rows whose cells are apart by runs of two or more spaces (as text copied from a web
      page or a PDF has them), their columns lined up across the rows: read as the positions
      of a PDF table are (checker/skeleton/layout.py), in display columns (a full-width
      character is two): cells over several lines, headers over several columns; a table
      needs two such rows, two columns and two figures;
    * one cell a line (a web page's table copied as text): under a header that ``layouts``
      declares (the rule packs' ``text_tables``: :class:`TextLayouts`), written a label a
      line, rows of a label line or a few and as many figure lines as the header has columns
      of figures.

    A run of more cells than the budget has left is left out before it is split into cells.
    Labels may hold single spaces ("规 章", "商业 企业"). ``text``: the raw lines joined by
    line breaks, when the caller has it (each shape is looked for only where the text holds
    its marks)."""
    budget = budget if budget is not None else TableBudget()
    tables: list[Table] = []
    i, n = 0, len(raws)
    if text is not None and "\t" not in text and "|" not in text and "｜" not in text:
        i = n
    while i < n and not budget.exhausted:
        raw = raws[i]
        if "\t" not in raw and "|" not in raw and "｜" not in raw:
            i += 1
            continue
        pipe = _pipe_row(raw)
        is_row = _pipe_row if pipe else _tab_row
        j = i
        while j < n and is_row(raws[j]):
            j += 1
        if j - i < 2 or not (pipe or any("\t" in r.strip() for r in raws[i:j])):
            i = max(j, i + 1)
            continue
        block = raws[i:j]
        cost = len(block) + (sum(r.count("|") + r.count("｜") for r in block) if pipe
                             else sum(r.count("\t") + 1 for r in block))
        if budget.fits(cost):
            _build_text_table(tables, block, i, "pipe" if pipe else "tab", first_number + len(tables), budget)
        i = j
    taken = {no for t in tables for no in range(t.first_line, t.last_line + 1)}
    found = _spaced_tables(raws, taken, budget) if text is None or _gap_at(text) >= 0 else []
    taken.update(no for t in found for no in range(t.first_line, t.last_line + 1))
    if layouts is not None and layouts.header_line(text if text is not None else "\n".join(raws)):
        found += _one_a_line_tables(raws, taken, budget, layouts)
    if found:
        tables = sorted(tables + found, key=lambda t: t.first_line)
        for k, t in enumerate(tables):
            t.number = first_number + k
    return tables


# ---------------------------------------------------------------------------------- space rows

MAX_SPACED_LINES = 20_000      # lines with gaps looked at (each costs a few microseconds)


class _Spaced:
    """A line of text as positioned text (checker/skeleton/layout.py's Positioned): x in
    display columns, a line one em (two columns) below the one before."""

    __slots__ = ("page", "text", "x0", "x1", "y", "size", "turn", "chunks", "at")

    def __init__(self, no: int, raw: str):
        self.page, self.turn, self.size, self.y = 1, 0, 2.0, -2.0 * no
        pieces = []
        x = 0
        start = 0
        for m in _GAP.finditer(raw):
            pieces.append((start, m.start()))
            start = m.end()
        pieces.append((start, len(raw)))
        chunks = []
        pos = 0
        for a, b in pieces:
            x += _width(raw[pos:a], x)
            text = raw[a:b]
            lead = len(text) - len(text.lstrip())
            x += _width(text[:lead], x)
            text = text.strip()
            if text:
                end = x + _width(text, x)
                chunks.append((text, float(x), float(end), self.y, a + lead))
            x += _width(raw[a + lead:b], x)
            pos = b
        self.text = "\t".join(c[0] for c in chunks)
        self.x0 = chunks[0][1] if chunks else 0.0
        self.x1 = chunks[-1][2] if chunks else 0.0
        self.chunks = tuple(chunks) if len(chunks) > 1 else None
        self.at = chunks[0][4] if chunks else 0      # where the text of a line of one chunk begins


def _width(text: str, x: int) -> int:
    """Display columns of ``text`` starting at column ``x`` (wide characters two, a tab to
    the next multiple of eight)."""
    if text.isascii() and "\t" not in text:
        return len(text)
    w = 0
    for ch in text:
        if ch == "\t":
            w += 8 - (x + w) % 8
        else:
            w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


def _spaced_tables(raws: list[str], taken: set[int], budget: TableBudget) -> list[Table]:
    """Tables of rows whose cells are apart by runs of spaces (see :func:`find_text_tables`)."""
    from checker.skeleton import layout

    gapped = []
    for i, raw in enumerate(raws):
        if i + 1 not in taken and (" " in raw or "\u3000" in raw or "\xa0" in raw) and _gap_at(raw) >= 0:
            gapped.append(i)
            if len(gapped) > MAX_SPACED_LINES:
                budget.skipped = True
                return []
    out: list[Table] = []
    work = layout.Budget()                 # shared by the windows of one text
    k = 0
    while k < len(gapped):
        # a window of lines around gapped lines near each other (lines of one cell between them)
        lo = hi = gapped[k]
        while k + 1 < len(gapped) and gapped[k + 1] - hi <= layout.MAX_INNER + 1:
            k += 1
            hi = gapped[k]
        k += 1
        if lo == hi:
            continue
        first = max(0, lo - layout.MAX_INNER)
        nos = [no for no in range(first, min(len(raws), hi + layout.MAX_INNER + 1))
               if raws[no].strip() and no + 1 not in taken]
        lines = [_Spaced(no + 1, raws[no]) for no in nos]
        found, skipped = layout.find_tables(lines, centred=False, budget=work)
        budget.skipped |= skipped
        for f in found:
            cells = [(text, row, col, rows, cols, nos[f.lines[line]] + 1, offset + 1)
                     for text, row, col, rows, cols, line, offset in f.cells]
            builder = TableBuilder(0, "space", budget)
            builder.put_cells(cells, f.height, f.width)
            table = builder.table(nos[f.lines[0]] + 1, nos[f.lines[-1]] + 1)
            if table is not None:
                out.append(table)
    return out


# ---------------------------------------------------------------------------------- one cell a line

class TextLayouts:
    """The headers of the tables a copy of a web page writes one cell a line (the rule packs
    declare them: ``text_tables``, checker/engine/loader.py), so the skeleton reads those
    tables without knowing any report kind.

    ``layouts``: (cells, figures) each; ``cells``: the header's cells as such a copy lists
    them, row by row, each (text, row, column among the figure columns or None for the label
    columns, columns spanned, ``within``: the cell is found inside a longer line, such as a
    corner's note); ``figures``: the columns of figures under the header. Texts match on the
    view (checker/skeleton/normalize.py)."""

    def __init__(self, layouts=()):
        self.layouts = tuple((tuple((view(text), row, col, span, within) for text, row, col, span, within in cells),
                              figures) for cells, figures in layouts)
        exact: dict[str, None] = {}
        within: dict[str, None] = {}
        raw_exact: dict[str, None] = {}
        raw_within: dict[str, None] = {}
        for (cells, _), (raw_cells, _) in zip(self.layouts, layouts):
            for (key, _, _, _, inside), (text, *_) in zip(cells, raw_cells):   # up to the first cell a line holds alone
                (within if inside else exact)[key] = None
                (raw_within if inside else raw_exact)[text.strip()] = None
                if not inside:
                    break
        self._exact = frozenset(exact)
        self._within = tuple(within)
        # a line beginning one of the first cells (a literal line break first: found fast)
        parts = []
        if raw_exact:
            parts.append("(?P<word>" + "|".join(map(re.escape, raw_exact)) + ")")
        if raw_within:
            parts.append("(?P<corner>[^\n]{0,30}(?:" + "|".join(map(re.escape, raw_within)) + "))")
        self._start = re.compile(r"\n[ \t\u3000\xa0]*(?:" + "|".join(parts) + ")") if parts else None

    def __bool__(self) -> bool:
        return bool(self.layouts)

    def header_line(self, text: str) -> bool:
        """Does a line of ``text`` (but the first, a title) hold only a header's first cell,
        or a note holding a ``within`` cell (a corner's)? (The words themselves are common
        in prose: 行政复议.)"""
        if self._start is None:
            return False
        for m in self._start.finditer(text):
            end = text.find("\n", m.end())
            rest = text[m.end():end if end >= 0 else len(text)]
            if (m.group("word") if self._exact else None) and not rest.strip():
                return True
            if self._within and m.group("corner") and len(rest.strip()) <= 40:
                return True
        return False

    def starts(self, key: str) -> bool:
        """May a line whose view is ``key`` begin a header?"""
        return key in self._exact or any(w in key for w in self._within)

    def header_at(self, keys: list[str], i: int) -> tuple[list[tuple[int, tuple]], int, int] | None:
        """The header whose cells are the lines from ``i``: ((line, cell) each, the line after
        it, its columns of figures)."""
        for cells, figures in self.layouts:
            placed = []
            j = i
            for cell in cells:
                while j < len(keys) and not keys[j]:
                    j += 1
                key, *_, within = cell
                if j < len(keys) and (keys[j] == key or (within and key in keys[j])):
                    placed.append((j, cell))
                    j += 1
                elif not within:
                    break
            else:
                return placed, j, figures
        return None


_LEVEL = re.compile(r"(?:([一二三四五六七八九十]{1,3})[、.]|（([一二三四五六七八九十]{1,3})）|(\d{1,2})[.、．](?!\d))")
MAX_LABELS = 3                 # label lines before a row's figures
MAX_LABEL = 80                 # characters of a label line


def _one_a_line_tables(raws: list[str], taken: set[int], budget: TableBudget, layouts: TextLayouts) -> list[Table]:
    """Tables written one cell a line under a known header (see :func:`find_text_tables`)."""
    keys = [view(raw) if i + 1 not in taken else "" for i, raw in enumerate(raws)]
    out: list[Table] = []
    i = 0
    while i < len(keys):
        if keys[i] and layouts.starts(keys[i]):
            table = _one_a_line(raws, keys, i, budget, layouts)
            if table is not None:
                out.append(table)
                i = table.last_line
                continue
        i += 1
    return out


def _next(keys: list[str], i: int) -> int | None:
    """The first line from ``i`` with text (None: none)."""
    while i < len(keys) and not keys[i]:
        i += 1
    return i if i < len(keys) else None


def _title(keys: list[str], i: int) -> int | None:
    """The line right before ``i`` (blank lines aside) when it may be a block's title
    ("第二十条第（五）项": short, no heading number, no figure, no sentence), else None."""
    j = i - 1
    while j >= 0 and not keys[j]:
        j -= 1
    if j < 0 or _LEVEL.match(keys[j]) or len(keys[j]) > 30 or _figure(keys[j]) or keys[j][-1:] in "。：；":
        return None
    return j


def _body(keys: list[str], j: int, figures: int, layouts: TextLayouts) -> tuple[list[tuple[list[int], list[int]]], int]:
    """The rows from line ``j``: a few label lines and ``figures`` figure lines each (no
    label when there are several figures: table 四's one row); where they end."""
    body = []
    while True:
        k, labels = j, []
        while len(labels) < MAX_LABELS:
            at = _next(keys, k)
            if at is None or _figure(keys[at]) or len(keys[at]) > MAX_LABEL or keys[at][-1:] in "。；：" \
                    or layouts.header_at(keys, at) is not None:
                break
            labels.append(at)
            k = at + 1
        values = []
        while len(values) < figures:
            at = _next(keys, k)
            if at is None or not _figure(keys[at]):
                break
            values.append(at)
            k = at + 1
        after = _next(keys, k)
        if len(values) != figures or (not labels and figures < 2) or (after is not None and _figure(keys[after])):
            return body, j
        body.append((labels, values))
        j = k


def _one_a_line(raws: list[str], keys: list[str], i: int, budget: TableBudget, layouts: TextLayouts) -> Table | None:
    """The table whose first header starts at line index ``i``, with the blocks after it
    under further known headers (table 二's four, each after its title), or None."""
    entries: list[tuple[int, str, int, int, int]] = []   # (line index, kind, row, column, span)
    rows, width, first = 0, 0, None
    title = _title(keys, i)
    while True:
        found = layouts.header_at(keys, i)
        if found is None:
            break
        placed, j, figures = found
        body, j = _body(keys, j, figures, layouts)
        if not body:
            break
        if title is not None:
            entries.append((title, "title", rows, 0, 0))
            rows += 1
        first = first if first is not None else title if title is not None else placed[0][0]
        for line, (_, row, col, span, _) in placed:
            entries.append((line, "head", rows + row, -1 if col is None else col, span))
        rows += 1 + max(cell[1] for _, cell in placed)
        for labels, values in body:
            entries += [(k, "label", rows, _level(keys[k]), 1) for k in labels]
            entries += [(k, "figure", rows, c, 1) for c, k in enumerate(values)]
            rows += 1
        width = max(width, figures)
        nxt = _next(keys, j)
        if nxt is not None and layouts.header_at(keys, nxt) is not None:
            i, title = nxt, None
            continue
        after = _next(keys, nxt + 1) if nxt is not None else None
        if after is None or _title(keys, after) != nxt or layouts.header_at(keys, after) is None:
            break
        i, title = after, nxt
    if not entries:
        return None
    numbered = [col for _, kind, _, col, _ in entries if kind == "label" and col < MAX_LABELS]
    labelled = any(kind == "label" or (kind == "head" and col < 0) for _, kind, _, col, _ in entries)
    levels = (1 + max(numbered, default=0)) if labelled else 0
    total = levels + width
    cells = []
    for line, kind, row, col, span in entries:
        raw = raws[line]
        at = (line + 1, len(raw) - len(raw.lstrip()) + 1)
        if kind == "title":                            # a block's title: over the whole table
            cells.append((raw.strip(), row, 0, 1, total, *at))
        elif kind == "head" and col < 0:               # a header over the label columns
            cells.append((raw.strip(), row, 0, 1, max(levels, 1), *at))
        elif kind == "label":                           # a row label at the column of its level
            cells.append((raw.strip(), row, min(col, levels - 1), 1, 1, *at))
        else:
            cells.append((raw.strip(), row, levels + col, 1, span, *at))
    cells.sort(key=lambda c: (c[1], c[2]))
    builder = TableBuilder(0, "lines", budget)
    builder.put_cells(cells, rows, total)
    return builder.table(first + 1, max(c[5] for c in cells))


def _level(key: str) -> int:
    """A row label's column by its numbering: 一、 0, （一） 1, 1. 2; unnumbered: the last."""
    m = _LEVEL.match(key)
    if m is None:
        return MAX_LABELS
    return 0 if m.group(1) else 1 if m.group(2) else 2


def _build_text_table(tables: list[Table], block: list[str], start: int, shape: str, number: int,
                      budget: TableBudget) -> None:
    split = _pipe_cells if shape == "pipe" else _tab_cells
    rows = [(start + k + 1, split(raw)) for k, raw in enumerate(block)]
    body = [(no, cells) for no, cells in rows if not (shape == "pipe" and _separator(cells))]
    if not body or max(len(c) for _, c in body) < 2:
        return
    builder = TableBuilder(number, shape, budget)
    for no, cells in body:
        builder.row(no)
        for text, column in cells:
            builder.cell(text, no, column)
    table = builder.table(start + 1, start + len(block))
    if table is not None:
        tables.append(table)


def set_captions(tables: list[Table], texts: list[str]) -> None:
    """Each table's caption: the matching views of the (up to two) non-empty lines before it
    that belong to no table, nearest last. ``texts``: the views of the report's lines."""
    inside = set()
    for t in tables:
        inside.update(range(t.first_line, t.last_line + 1))
    for t in tables:
        found: list[str] = []
        no = t.first_line - 1
        while no >= 1 and len(found) < 2 and no not in inside:
            if texts[no - 1]:
                found.append(texts[no - 1])
            no -= 1
        t.caption = "\n".join(reversed(found))
