"""`fzlint check --summary` (and `--format csv`): the compliance matrix after the run."""

from __future__ import annotations

from typing import TextIO

from checker.reporters.matrix import FAIL, OK, UNREAD, Matrix, text_table, totals_line, write_csv
from checker.reporters.safe import human_path

STYLE = {OK: "green", FAIL: "bold red", UNREAD: "magenta"}


class SummaryReporter:
    """Collects one matrix row per file; prints the table, the totals and the tally at the end."""

    def __init__(self, out: TextIO, registry, *, sort: str = "path", only_failing: bool = False,
                 csv: bool = False, color: bool = False):
        self.out = out
        self.matrix = Matrix(registry)
        self.sort, self.only_failing, self.csv, self.color = sort, only_failing, csv, color

    def file(self, result) -> None:
        self.matrix.add(result)

    def finish(self, tally) -> None:
        rows = self.matrix.sorted_rows(self.sort, self.only_failing)
        if self.csv:
            write_csv(self.matrix, rows, self.out)
            return
        if self.color:
            self._rich(rows, tally)
            return
        for line in text_table(self.matrix, rows):
            self.out.write(line + "\n")
        self.out.write(totals_line(self.matrix, rows) + "\n")
        self.out.write(tally.line() + "\n")

    def _rich(self, rows, tally) -> None:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table("文件", *self.matrix.columns, "错误", "警告", "提示", show_lines=False)
        for r in rows:
            # Text, not str: rich would read "[...]" in a file name as markup
            table.add_row(Text(human_path(r.path)),
                          *(Text(c.text(), style=STYLE.get(c.status, "dim")) for c in r.cells),
                          Text(str(r.errors), style="bold red" if r.errors else ""),
                          Text(str(r.warnings), style="yellow" if r.warnings else ""), str(r.infos))
        console = Console(file=self.out, highlight=False)
        console.print(table)
        console.print(Text(totals_line(self.matrix, rows)))
        console.print(Text(tally.line(), style="bold"))
