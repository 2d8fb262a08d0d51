"""`fzlint check --summary` (and `--format csv`): the compliance matrix after the run.

On a terminal the matrix is a rich table. When it is wider than the terminal, the file name
column keeps the room to show names whole (folded over lines, never cut to ``seed…``): the
item columns shrink first, down to a rule code's width (their labels and codes wrap), the
count columns keep theirs. A batch of several report kinds gets one table per kind, each
under a line naming the kind, with that kind's items (and one for the files that could not
be checked, with the reason); a batch of one kind, the one table it always had.
"""

from __future__ import annotations

from typing import TextIO

from checker.reporters.matrix import (
    FAIL,
    OK,
    UNREAD,
    Group,
    Matrix,
    heading,
    several,
    text_lines,
    totals_line,
    write_csv,
)
from checker.reporters.safe import escape, human_path

STYLE = {OK: "green", FAIL: "bold red", UNREAD: "magenta"}
COUNTS = ("错误", "警告", "提示")
ITEM_MIN = 5        # cells: "FZ105", one rule code a line
NAME_MIN = 12       # cells of the file name column, however narrow the terminal
SEPARATION = 2      # cells between columns (collapsed padding and the blank divider), per column


def column_widths(total: int, names: list[int], items: list[int], counts: list[int]) -> list[int] | None:
    """Widths for a table of ``total`` cells with a name column, item columns and count columns
    of these natural widths; None when everything fits as it is. The count columns keep their
    width; the name column gets what the item columns at :data:`ITEM_MIN` leave (at least
    :data:`NAME_MIN`), and whatever is left goes back to the item columns."""
    ncols = 1 + len(items) + len(counts)
    room = total - SEPARATION * ncols
    name = max(names, default=0)
    if name + sum(items) + sum(counts) <= room:
        return None
    mins = [min(w, ITEM_MIN) for w in items]
    name_w = max(NAME_MIN, min(name, room - sum(mins) - sum(counts)))
    spare = room - name_w - sum(mins) - sum(counts)
    widths = list(mins)
    while spare > 0:        # one cell at a time to the item column furthest below its natural width
        i = max(range(len(widths)), key=lambda k: (items[k] - widths[k], -k), default=None)
        if i is None or items[i] <= widths[i]:
            break
        widths[i] += 1
        spare -= 1
    return [name_w, *widths, *counts]


class SummaryReporter:
    """Collects one matrix row per file; prints the table, the totals and the tally at the end."""

    def __init__(self, out: TextIO, registry, *, sort: str = "path", only_failing: bool = False,
                 csv: bool = False, color: bool = False, width: int | None = None):
        self.out = out
        self.matrix = Matrix(registry)
        self.sort, self.only_failing, self.csv, self.color = sort, only_failing, csv, color
        self.width = width          # the terminal's (rich finds it when None)

    def file(self, result) -> None:
        self.matrix.add(result)

    def finish(self, tally) -> None:
        groups = self.matrix.groups(self.sort, self.only_failing)
        if self.csv:
            write_csv(groups, self.out)
            return
        if self.color:
            self._rich(groups, tally)
            return
        for line in text_lines(groups):
            self.out.write(line + "\n")
        self.out.write(tally.line() + "\n")

    def _rich(self, groups: list[Group], tally) -> None:
        from rich.console import Console
        from rich.text import Text

        console = Console(file=self.out, highlight=False, width=self.width)
        for g in groups:
            if several(groups):
                console.print(Text(heading(g), style="bold"))
            console.print(self._table(g, console.width))
            console.print(Text(totals_line(g)))
            if several(groups):
                console.print()
        console.print(Text(tally.line(), style="bold"))

    def _table(self, group: Group, total: int):
        from rich import box
        from rich.cells import cell_len
        from rich.table import Table
        from rich.text import Text

        rows = group.rows
        names = [human_path(r.path) for r in rows]
        if group.unread:        # no items: why each file could not be checked
            labels = ["说明"]
            texts = [[escape(r.problem)] for r in rows]
            styles = [["magenta"] for _ in rows]
        else:
            labels = group.labels
            texts = [[c.text() for c in r.cells] for r in rows]
            styles = [[STYLE.get(c.status, "dim") for c in r.cells] for r in rows]
        counts = [[str(r.errors), str(r.warnings), str(r.infos)] for r in rows]
        items = [max([cell_len(label), *(cell_len(t[i]) for t in texts)]) for i, label in enumerate(labels)]
        numbers = [max([cell_len(label), *(len(c[i]) for c in counts)]) for i, label in enumerate(COUNTS)]
        widths = column_widths(total, [cell_len(n) for n in [*names, "文件"]], items, numbers)
        table = Table(box=box.SIMPLE_HEAD, show_lines=widths is not None, pad_edge=False, collapse_padding=True)
        fixed = widths or [None] * (1 + len(items) + len(COUNTS))
        table.add_column("文件", overflow="fold", width=fixed[0])
        for label, w in zip(labels, fixed[1:]):
            table.add_column(Text(escape(label)), overflow="fold", width=w)
        for label, w in zip(COUNTS, fixed[1 + len(items):]):
            table.add_column(label, justify="right", no_wrap=True, width=w)
        for r, name, cells, style in zip(rows, names, texts, styles):
            # Text, not str: rich would read "[...]" in a file name as markup
            table.add_row(Text(name), *(Text(t, style=s) for t, s in zip(cells, style)),
                          Text(str(r.errors), style="bold red" if r.errors else ""),
                          Text(str(r.warnings), style="yellow" if r.warnings else ""), str(r.infos))
        return table
