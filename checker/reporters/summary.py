"""Counting findings and the one-line summary printed after a run."""

from __future__ import annotations

from checker.diagnostics import Diagnostic, Severity
from checker.record import Factory, Record


class Tally(Record):
    files: int = 0
    by_severity: dict = Factory(lambda: {s: 0 for s in Severity})
    by_rule: dict = Factory(dict)   # code -> [name, count]

    def add(self, diagnostics: list[Diagnostic]) -> None:
        self.files += 1
        for d in diagnostics:
            self.by_severity[d.severity] += 1
            entry = self.by_rule.setdefault(d.code, [d.name, 0])
            entry[1] += 1

    def statistics(self) -> list[tuple[int, str, str]]:
        """(count, code, name) per rule, most frequent first (ties by code)."""
        return sorted(((n, code, name) for code, (name, n) in self.by_rule.items()),
                      key=lambda t: (-t[0], t[1]))

    def worst(self) -> Severity | None:
        present = [s for s, n in self.by_severity.items() if n]
        return max(present) if present else None

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())

    @property
    def errors(self) -> int:
        return self.by_severity[Severity.ERROR]

    def line(self) -> str:
        if self.total == 0:
            return f"未发现问题（检查了 {self.files} 个文件）。"
        counts = self.by_severity
        return (f"发现 {self.total} 个问题：错误 {counts[Severity.ERROR]} 个，"
                f"警告 {counts[Severity.WARNING]} 个，提示 {counts[Severity.INFO]} 个"
                f"（检查了 {self.files} 个文件）。")
