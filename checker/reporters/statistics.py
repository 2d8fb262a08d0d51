"""`--statistics`: the number of findings per rule, most frequent first (like ruff's).

One tab-separated line per rule: the count, the code, the rule's Chinese title and its name
(the slug `--select` and configuration take), e.g. ``3\tFZ202\t未说明履行法院生效裁判情况\tcourt-…``.
"""

from __future__ import annotations

from typing import TextIO


class StatisticsReporter:
    def __init__(self, out: TextIO, registry=None, color: bool = False):
        self.out = out
        self.registry = registry
        self.color = color

    def title(self, code: str) -> str:
        rule = self.registry.rule(code) if self.registry is not None else None
        return rule.title if rule is not None else ""

    def finish(self, tally) -> None:
        rows = tally.statistics()
        width = max((len(str(n)) for n, _, _ in rows), default=1)
        for count, code, name in rows:
            self.out.write(f"{count:>{width}}\t{code}\t{self.title(code)}\t{name}\n")
        self.out.write(tally.line() + "\n")

    def file(self, result) -> None:
        pass
