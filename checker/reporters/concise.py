r"""`path:line:col: CODE [严重程度] message`, one line per finding (plain text, for pipes and hooks).

The severity follows the code in brackets, in Chinese like the message (``[错误]``, ``[警告]``,
``[提示]``): an author whose commit is blocked sees which lines block it (errors, by default),
and problem matchers that read ``path:line:col: CODE message`` read the same prefix as before
(the severity is the first word of what they take as the message; a matcher can take it
with ``\[(错误|警告|提示)\]``).

For a .docx/.pdf/.html file the line counts lines of the extracted text, and the place in the
original follows the message in brackets: `报告.pdf:57:1: FZ105 [提示] 缺少… [第3页第12行]`.

File names and messages are shown as :mod:`checker.reporters.safe` shows them: a name that is
not UTF-8 decoded or with ``\\xNN`` bytes, control characters as escapes (``a\\nb.txt``), so
one finding is always one line.
"""

from __future__ import annotations

from typing import TextIO

from checker.diagnostics import Diagnostic
from checker.reporters.safe import escape, human_path


def format_line(d: Diagnostic) -> str:
    where = f" [{escape(d.where)}]" if d.where else ""
    return f"{human_path(d.path)}:{d.span.line}:{d.span.column}: {d.code} {d.severity.tag} {escape(d.message)}{where}"


class ConciseReporter:
    def __init__(self, out: TextIO):
        self.out = out

    def file(self, result) -> None:
        for d in result.diagnostics:
            self.out.write(format_line(d) + "\n")

    def finish(self, tally) -> None:
        self.out.write(tally.line() + "\n")
