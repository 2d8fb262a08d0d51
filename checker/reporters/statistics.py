"""`--statistics`: the number of findings per rule, most frequent first (like ruff's)."""

from __future__ import annotations

from typing import TextIO


class StatisticsReporter:
    def __init__(self, out: TextIO, color: bool = False):
        self.out = out
        self.color = color

    def file(self, result) -> None:
        pass

    def finish(self, tally) -> None:
        rows = tally.statistics()
        width = max((len(str(n)) for n, _, _ in rows), default=1)
        for count, code, name in rows:
            self.out.write(f"{count:>{width}}\t{code}\t{name}\n")
        self.out.write(tally.line() + "\n")
