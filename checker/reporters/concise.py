"""`path:line:col: CODE message`, one line per finding (plain text, for pipes and hooks).

For a .docx/.pdf/.html file the line counts lines of the extracted text, and the place in the
original follows the message in brackets: `报告.pdf:57:1: FZ105 缺少… [第3页第12行]`.
"""

from __future__ import annotations

from typing import TextIO

from checker.diagnostics import Diagnostic


def format_line(d: Diagnostic) -> str:
    where = f" [{d.where}]" if d.where else ""
    return f"{d.path}:{d.span.line}:{d.span.column}: {d.code} {d.message}{where}"


class ConciseReporter:
    def __init__(self, out: TextIO):
        self.out = out

    def file(self, result) -> None:
        for d in result.diagnostics:
            self.out.write(format_line(d) + "\n")

    def finish(self, tally) -> None:
        self.out.write(tally.line() + "\n")
