"""`path:line:col: CODE message`, one line per finding (plain text, for pipes and hooks)."""

from __future__ import annotations

from typing import TextIO

from checker.diagnostics import Diagnostic


def format_line(d: Diagnostic) -> str:
    return f"{d.path}:{d.span.line}:{d.span.column}: {d.code} {d.message}"


class ConciseReporter:
    def __init__(self, out: TextIO):
        self.out = out

    def file(self, diagnostics: list[Diagnostic]) -> None:
        for d in diagnostics:
            self.out.write(format_line(d) + "\n")

    def finish(self, summary: str) -> None:
        self.out.write(summary + "\n")
