"""The concise lines, coloured with rich for a terminal (names and messages escaped as there)."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from checker.diagnostics import Severity
from checker.reporters.safe import escape, human_path

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class TerminalReporter:
    def __init__(self, console: Console | None = None):
        self.console = console or Console(highlight=False)

    @classmethod
    def to(cls, out: TextIO) -> TerminalReporter:
        return cls(Console(file=out, highlight=False))

    def file(self, result) -> None:
        for d in result.diagnostics:
            line = Text()
            line.append(human_path(d.path), style="bold")
            line.append(f":{d.span.line}:{d.span.column}: ", style="dim")
            line.append(d.code, style=STYLES[d.severity])
            line.append(" " + d.severity.tag, style=STYLES[d.severity])
            line.append(" " + escape(d.message))
            if d.where:
                line.append(f" [{escape(d.where)}]", style="dim")
            self.console.print(line, soft_wrap=True)

    def finish(self, tally) -> None:
        self.console.print(Text(tally.line(), style="bold"), soft_wrap=True)
