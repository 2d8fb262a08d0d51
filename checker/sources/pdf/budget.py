"""The work budget of one PDF (issue 14): the limits, and the counter that enforces them.

A file of a few KB can ask for unbounded work: a form XObject drawn inside forms drawn inside
forms (millions of draws), thousands of pages drawing one large content stream, a stream that
inflates a thousandfold. Reading stops with SourceError("too_complex") (FZ910) when a file
exceeds one of these; none silently drops text. Real reports stay far below them: of the
LibreOffice exports of the seeds (tests/data/libreoffice/*.pdf, 4 to 8 pages) the largest
parses 0.09 MB of content, interprets 8,000 operators that place text and shows 4,900 bytes of
strings in 1,900 pieces; the seeds rendered by tests/builders/pdf.py (up to 9 pages; its
browser layout draws every character on its own) need at most 0.31 MB, 28,300 operators,
10,400 bytes and 4,600 pieces. Each limit allows a second or two of work and a few hundred MB
at most.

Used by the opening (:data:`MAX_OBJECTS`, :data:`MAX_PAGES`) and by the content-stream
interpreter: :class:`_Work` receives what the interpreter is about to do (content bytes to
parse, operators to run, string bytes to show, pieces to place) and returns nothing, or raises
the finding that names the cause; :meth:`_Work.parse` hands content bytes to the tokenizer.
"""

from __future__ import annotations

from checker.sources import SourceError
from checker.sources.pdf.tokenizer import _operations

MAX_OBJECTS = 50_000              # objects in the file (the seeds have up to 50): pypdf reads all
                                  # the objects of an object stream when one of them is needed
MAX_PAGES = 2_000                 # 220x the largest seed; a report has 3 to 100 pages
MAX_CONTENT_BYTES = 4_000_000     # decoded content parsed (a stream drawn on several pages at
                                  # most twice): 13x the largest seed, 45x the LibreOffice ones
MAX_OPERATORS = 1_000_000         # operators that place text, interpreted (a form's again at
                                  # every draw): 35x the largest seed, 125x the LibreOffice ones
MAX_GLYPHS = 2_000_000            # bytes of strings shown (a form's again at every draw):
                                  # 190x the largest seed, 400x the LibreOffice ones
MAX_RUNS = 300_000                # pieces of text placed (each kept until its page is read; a TJ
                                  # array of 1-byte strings far apart makes one per byte): 65x
                                  # the largest seed, 155x the LibreOffice ones
MAX_FORM_DEPTH = 32               # form XObjects drawn inside form XObjects (real files: 1 or 2)


class _Work:
    """What is left of the budget of one document (see :data:`MAX_OPERATORS` and the others),
    and where the work went, to name the cause when the budget runs out."""

    __slots__ = ("content", "operators", "glyphs", "runs", "nesting", "used", "in_forms", "pages", "repeated")

    def __init__(self) -> None:
        self.content = MAX_CONTENT_BYTES
        self.operators = MAX_OPERATORS
        self.glyphs = MAX_GLYPHS
        self.runs = MAX_RUNS
        self.nesting = 0                 # forms the painter is inside
        self.used = self.in_forms = 0    # operators, string bytes and pieces; of them, in forms
        self.pages = self.repeated = 0   # pages drawn; of them, drawing another page's content

    def spend(self, units: int) -> None:
        self.used += units
        if self.nesting:
            self.in_forms += units

    def parse(self, data: bytes) -> list[tuple[list, bytes]]:
        """The operations of a content stream that place text (its bytes counted first)."""
        self.content -= len(data)
        if self.content < 0:
            self.exceeded_content()
        return _operations(data)

    def exceeded_content(self) -> None:
        raise SourceError("too_complex", f"PDF 需要解析的页面内容超过 {MAX_CONTENT_BYTES // 1_000_000} MB"
                                         "（疑似恶意构造的文件）")

    def draw(self, operators: int) -> None:
        self.operators -= operators
        self.spend(operators)
        if self.operators < 0:
            raise SourceError("too_complex", f"{self._cause()}需要执行的绘制指令超过 {_figure(MAX_OPERATORS, '条')}"
                                             "（疑似恶意构造的文件）")

    def exceeded_glyphs(self) -> None:
        raise SourceError("too_complex", f"{self._cause()}需要排版的文字超过 {_figure(MAX_GLYPHS, '字节')}"
                                         "（疑似恶意构造的文件）")

    def exceeded_runs(self) -> None:
        raise SourceError("too_complex", f"{self._cause()}需要排版的文字片段超过 {_figure(MAX_RUNS, '个')}"
                                         "（疑似恶意构造的文件）")

    def _cause(self) -> str:
        if 2 * self.in_forms > self.used:
            return "PDF 中表单对象被重复绘制，"
        if 2 * self.repeated > self.pages:
            return "PDF 中许多页面重复绘制同一段内容，"
        return "PDF "


def _figure(n: int, unit: str) -> str:
    """3000000, "条" -> "300 万条" (the budgets are round figures)."""
    return f"{n // 10_000} 万{unit}" if n >= 10_000 and n % 10_000 == 0 else f"{n} {unit}"
