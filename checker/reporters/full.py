"""Each finding with the line(s) it points at, like ruff's full output.

::

    seeds/003_112b9c6151324e38.txt:5:25: FZ501 [警告] 法规名称“责任落实督查”有误，应为《法治…规定》
      |
    5 | ...《法治政府建设与责任落实督查工作的规定》有关规定和新区党工委办公室《向新区党工委...
      |                    ^^^^^^^^^^^^
      |
      = 帮助：fzlint explain FZ501

The header is the concise line (``checker.reporters.concise.format_line``), so grepping either
format finds the same lines; its file name and message are escaped the same way
(:mod:`checker.reporters.safe`). The quoted lines are lines of the checked text (the extracted
text for .docx/.pdf/.html, see ``fzlint extract -n``).

Terminal cells, not code points, place the marker: East Asian wide and fullwidth characters
take two cells, combining marks none; ambiguous-width characters (“ ” — …) take one, as rich,
wcwidth and most terminals count them. Tabs expand to the next multiple of four cells,
counted from the start of the line. Control characters are shown as their Unicode control
pictures (␛ for ESC), and other invisible format characters (zero-width spaces, bidi
controls) are left out, so a checked file cannot move the cursor or reorder the line on the
terminal. A line wider than :data:`MAX_CELLS` is cut to a window around the span, with
``...`` where text is left out.

Plain text by default (deterministic, for pipes and snapshots); ``color=True`` styles the
same text with rich, which is imported only then.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TextIO

from checker.diagnostics import Diagnostic, Severity
from checker.reporters import visible_span
from checker.reporters.safe import escape, human_path
from checker.skeleton.normalize import split_lines

TAB = 4            # tab stops every 4 cells
MAX_CELLS = 80     # cells of source text shown per line (40 Chinese characters)
CONTEXT = 16       # cells of text kept before a span when a long line is cut
ELLIPSIS = "..."   # ASCII on purpose: "…" is ambiguous-width (one or two cells)

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
GUTTER_STYLE = "bold blue"


def char_cells(ch: str) -> tuple[str, int]:
    """What a character is shown as, and how many cells that takes (tabs handled by the caller)."""
    cat = unicodedata.category(ch)
    if cat == "Cc":
        code = ord(ch)
        if code < 0x20:
            return chr(0x2400 + code), 1       # ␀..␟ control pictures
        return ("\u2421", 1) if code == 0x7F else ("\ufffd", 1)
    if cat == "Cf" or cat in ("Zl", "Zp"):
        return "", 0                           # zero-width, bidi controls, BOM: not shown
    if cat == "Cs":
        return "\ufffd", 1                     # a lone surrogate cannot be written
    if cat in ("Mn", "Me"):
        return ch, 0                           # combining marks join the previous character
    return ch, 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Terminal cells of ``text`` (no tabs), by :func:`char_cells`."""
    return sum(char_cells(ch)[1] for ch in text)


@dataclass
class Rendered:
    """One source line as shown: each character's display text and width."""

    shown: list[str]
    widths: list[int]

    @classmethod
    def of(cls, line: str) -> Rendered:
        shown, widths, col = [], [], 0
        for ch in line:
            if ch == "\t":
                w = TAB - col % TAB
                s = " " * w
            else:
                s, w = char_cells(ch)
            shown.append(s)
            widths.append(w)
            col += w
        return cls(shown, widths)

    def window(self, start: int, end: int, keep_end: bool) -> tuple[int, int]:
        """Character range [a, b) to show, at most MAX_CELLS wide, containing ``start`` (or,
        with ``keep_end``, the character before ``end``) with a little context around it."""
        w, n = self.widths, len(self.widths)
        if sum(w) <= MAX_CELLS:
            return 0, n
        if keep_end:
            # mirror image: keep CONTEXT cells after the end, then fill leftwards
            b, budget = end, CONTEXT
            while b < n and w[b] <= budget:
                budget -= w[b]
                b += 1
            a, used = b, 0
            while a > 0 and used + w[a - 1] <= MAX_CELLS:
                a -= 1
                used += w[a]
            while b < n and used + w[b] <= MAX_CELLS:
                used += w[b]
                b += 1
            return a, b
        a, budget = start, CONTEXT
        while a > 0 and w[a - 1] <= budget:
            budget -= w[a - 1]
            a -= 1
        b, used = a, 0
        while b < n and used + w[b] <= MAX_CELLS:
            used += w[b]
            b += 1
        while a > 0 and used + w[a - 1] <= MAX_CELLS:
            a -= 1
            used += w[a]
        return a, b


@dataclass
class Piece:
    """One output line of a snippet: gutter, text, and the marker under it."""

    number: str          # the line number, "" for gutter-only lines, "..." for an elision
    text: str = ""
    marker: str = ""     # "   ^^^^" (leading spaces included), "" for none


def _mark(line: str, start: int, end: int, keep_end: bool) -> Piece:
    """Show ``line`` and mark code points [start, end) (0-based, clamped; at least one ^).

    Where the span runs on past a cut, the marker runs under the ``...`` too.
    """
    r = Rendered.of(line)
    n = len(r.widths)
    start = min(max(start, 0), n)
    end = min(max(end, start), n)
    a, b = r.window(start, end, keep_end)
    left = ELLIPSIS if a > 0 else ""
    right = ELLIPSIS if b < n else ""
    text = left + "".join(r.shown[a:b]) + right
    if start < a:
        pad, carets = 0, len(left)
    else:
        pad, carets = len(left) + sum(r.widths[a:start]), 0
    carets += sum(r.widths[max(start, a):min(end, b)])
    if end > b:
        carets += len(right)
    return Piece("", text, " " * pad + "^" * max(carets, 1))


def snippet(lines: list[str], d: Diagnostic) -> list[Piece]:
    """The source lines of ``d`` and their markers; [] when the span is not in the text."""
    s = d.span
    visible = visible_span(lines, s)
    if visible is None:
        return []
    _, _, end_line, end_col = visible
    first = lines[s.line - 1]
    if end_line == s.line:
        piece = _mark(first, s.column - 1, end_col - 1, keep_end=False)
        piece.number = str(s.line)
        return [piece]
    head = _mark(first, s.column - 1, len(first), keep_end=False)
    head.number = str(s.line)
    tail = _mark(lines[end_line - 1], 0, end_col - 1, keep_end=True)
    tail.number = str(end_line)
    middle = [Piece("...")] if end_line > s.line + 1 else []
    return [head, *middle, tail]


Row = list  # [(text, style or None), ...]: one output line


def render(d: Diagnostic, lines: list[str] | None) -> list[Row]:
    """The lines of one finding as styled segments (no trailing blank line)."""
    severity = STYLES[d.severity]
    head: Row = [(human_path(d.path), "bold"), (f":{d.span.line}:{d.span.column}: ", "dim"),
                 (d.code, severity), (" " + d.severity.tag, severity), (" " + escape(d.message), None)]
    if d.where:
        head.append((f" [{escape(d.where)}]", "dim"))
    rows = [head]
    pieces = snippet(lines, d) if lines is not None else []
    gw = max((len(p.number) for p in pieces if p.number != "..."), default=1)
    pad = " " * gw
    if pieces:
        rows.append([(f"{pad} |", GUTTER_STYLE)])
        for p in pieces:
            if p.number == "...":
                rows.append([("...", GUTTER_STYLE)])
                continue
            text = p.text.rstrip()
            rows.append([(f"{p.number:>{gw}} |", GUTTER_STYLE)] + ([(" " + text, None)] if text else []))
            rows.append([(f"{pad} |", GUTTER_STYLE), (" " + p.marker, severity)])
        rows.append([(f"{pad} |", GUTTER_STYLE)])
    rows.append([(f"{pad} = ", GUTTER_STYLE), (f"帮助：fzlint explain {d.code}", "dim")])
    return rows


def render_plain(d: Diagnostic, lines: list[str] | None) -> list[str]:
    """The lines of one finding, without colour (no trailing blank line)."""
    return ["".join(text for text, _ in row) for row in render(d, lines)]


class FullReporter:
    """``file(result)`` for each checked file, ``finish(tally)`` once."""

    quotes = True     # quotes the checked lines: needs FileResult.source.text

    def __init__(self, out: TextIO, color: bool = False, console=None):
        self.out = out
        self.console = console
        if color and console is None:
            from rich.console import Console

            self.console = Console(file=out, force_terminal=True, highlight=False,
                                   markup=False, emoji=False, soft_wrap=True)

    @classmethod
    def to(cls, out: TextIO, color: bool = False) -> FullReporter:
        return cls(out, color=color)

    def file(self, result) -> None:
        if not result.diagnostics:
            return
        lines = split_lines(result.source.text) if result.source is not None else None
        for d in result.diagnostics:
            if self.console is None:
                self.out.write("\n".join(render_plain(d, lines)) + "\n\n")
                continue
            from rich.text import Text

            for row in render(d, lines):
                line = Text()
                for text, style in row:
                    line.append(text, style=style)
                self.console.print(line, soft_wrap=True)
            self.console.print()

    def finish(self, tally) -> None:
        if self.console is None:
            self.out.write(tally.line() + "\n")
            return
        from rich.text import Text

        self.console.print(Text(tally.line(), style="bold"), soft_wrap=True)
