"""PDF reader: text lines from the page geometry, page furniture removed, wrapped lines joined.

pypdf (pure Python) decodes the text. Its plain ``extract_text()`` keeps the PDF's visual line
breaks, which split every paragraph at the right margin, and keeps running headers, footers and
page numbers in the text; its layout mode renders pages onto a fixed-width character grid,
which loses the positions needed here and is slower. So the reader works on geometry:

1. **Runs.** ``page.extract_text(visitor_text=...)`` hands over each text run with its text and
   graphics matrices, so every run has a baseline position and an effective font size. Text in
   form XObjects is placed through the form's matrix (pypdf reports it in form space), and text
   set in another direction (90°, 180°, 270°) is measured in its own reading frame.
2. **Lines.** Runs whose baselines lie within half a font size form one line, ordered left to
   right; a run drawn again at the same place (simulated bold) is dropped. A line's left end
   is exact; its right end is estimated from its last run's characters (full-width 1 em,
   half-width ASCII ½ em), as pypdf does not report glyph widths to the visitor.
3. **Page furniture.** Up to three lines at the top and at the bottom of each page are dropped
   while they are page numbers ("- 3 -", "— 3 —", "3", "第3页", "第 3 页 共 5 页", "3/5",
   "Page 3 of 5") or their text (digits counted as equal) recurs at about the same height and
   size on at least 60% of the pages and on two or more. A body line repeated on a few pages
   stays; running heads that change from section to section stay too.
4. **Joins.** Measured over the upright lines: the body font size (most characters), the left
   margin (the leftmost start shared by two lines), the right edge (the median end of the
   lines ending near the furthest end shared by three lines; none when no three lines end
   together, and then nothing is joined) and the line pitch. Line k+1 continues line k when
   both have the same size and direction, k+1 lies one ordinary pitch below k (or k ends a
   page and k+1 starts the next), k starts at the margin or a paragraph indent (not a centred
   or right-aligned line), k+1 starts at the left margin without indentation, and k reaches
   the right edge: within 2 em, within 3.5 em when k does not end a sentence (a justified
   line stretched, a ragged one left short), or within the width of k+1's first unbreakable
   piece ("规。2022", "务“马") — but not when k ends a sentence and k+1 starts with a heading
   number. Government documents indent the first lines of paragraphs and headings by two
   characters, so a wrapped heading ("一、2023年度法治政府建设主要举措和" + "成效") comes out as
   one line, while right-aligned signature and date lines are never joined, and centred
   title lines only in one case: a title larger than the body text that fills the width and
   wraps onto a centred rest.

Output: one line per paragraph (or unjoined line). ``places[i]`` is "第P页第L行": the page and
the line on it where line i+1 starts, L counting every visible text line of the page from the
top, the running header included (as someone counting lines on the printed page would).

Errors: no PDF header or an unparsable file -> ``damaged`` (a file that lost its end, e.g. an
unfinished download, says so; pypdf cannot rebuild one without its trailer); a password needed
to open -> ``encrypted`` (a PDF with only an owner password, restricting copying or printing,
opens with the empty user password and is read normally); no text on any page, or text that
is mostly private-use characters (fonts without a Unicode map) -> ``no_text``. Pages without
text or that fail to parse are named in the note. Not handled: multi-column layouts (columns
side by side are read as one line), tables (a row is one line), wrapped right-aligned lines,
text in annotations, and fonts whose Unicode map is wrong (pypdf's decoding is taken as is).
"""

from __future__ import annotations

import io
import logging
import math
import re
import statistics
import warnings
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise

import pypdf
from pypdf import PasswordType

from checker.sources import Source, SourceError

# Characters about half an em wide; everything else (CJK, full-width forms) counts as one em.
_HALF = re.compile(r"[\x20-\x7e\u00a0-\u00af\uff61-\uff9f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_UNDECODED = re.compile(r"[\ue000-\uf8ff\ufffd]")  # private use area, replacement character
_DIGITS = re.compile(r"\d+")
_FULLWIDTH_DIGITS = {0xFF10 + i: str(i) for i in range(10)}
_DASH = r"[-—–－―~·•]"
_PAGE_NUMBER = re.compile(
    rf"{_DASH}*\d{{1,3}}{_DASH}*"
    r"|第\d{1,4}页(?:[，,/]?共\d{1,4}页)?|共\d{1,4}页[，,]?第\d{1,4}页"
    r"|\d{1,4}/\d{1,4}|(?i:page)\d{1,4}(?:(?i:of)\d{1,4})?"
)
_SENTENCE_END = tuple("。！？；：!?;:")
_HEADING_START = re.compile(r"[（(]?[一二三四五六七八九十]{1,3}[、.．）)]|[（(]?\d{1,2}[、.．）)](?!\d)")
_ASCII_WORD = re.compile(r"[A-Za-z]")
# The start of a line that a line break could not have split off: a character or an ASCII word,
# more of them while an opening mark glues them on ("务“马"), closing marks, and an ASCII word
# glued after those ("规。2022").
_OPEN = re.escape("“‘（《「『【〔([{")
_CLOSE = re.escape("，。、；：？！）》」』】〕”’…—,.;:?!)]}%")
_UNIT = rf"(?:[A-Za-z0-9][\w.,%/:-]*|[^{_OPEN}])"
_FIRST_PIECE = re.compile(rf"[{_OPEN}]*{_UNIT}(?:[{_OPEN}]+{_UNIT})*(?:[{_CLOSE}]+[A-Za-z0-9.]*)?", re.ASCII)

EDGE_LINES = 3          # lines looked at for furniture at the top and at the bottom of a page
REPEAT_SHARE = 0.6      # furniture recurs on at least this share of the pages
SAME_LINE = 0.5         # baselines closer than this many font sizes are one line
FULL_LINE_EM = 2.0      # a line reaching this close to the right edge is wrapped
OPEN_LINE_EM = 3.5      # ... or this close when it does not end a sentence
MARGIN_EM = 0.5         # a line starting this close to the left margin is not indented
INDENT_EM = 2.6         # the furthest a paragraph's first line is indented
GAP_FACTOR = 1.25       # a vertical gap above this many line pitches separates paragraphs


@dataclass(slots=True)
class _Run:
    text: str
    x: float          # start of the run along the baseline
    y: float          # baseline height (larger is higher up the page)
    size: float       # effective font size
    turn: int         # text direction: 0, 90, 180, 270


@dataclass(slots=True)
class _Line:
    page: int         # 1-based
    row: int          # 1-based, counted from the top of the page among visible lines
    text: str
    x0: float
    x1: float         # estimated right end
    y: float
    size: float
    turn: int         # text direction (the coordinates are in its reading frame)


@dataclass
class _Layout:
    """The text block as measured over the whole document."""

    size: float       # body font size
    left: float       # left margin of unindented lines
    right: float      # right edge that wrapped lines reach
    pitch: float      # distance between the baselines of consecutive body lines


@dataclass
class _Pages:
    lines: list[list[_Line]] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)    # pages pypdf could not parse


def read_pdf(data: bytes, display: str) -> Source:
    """Turn a PDF's bytes into one line per paragraph (see the module docstring)."""
    with _quiet():
        reader = _open(data)
        pages = _extract(reader)
    lines_by_page = pages.lines
    textless = [i + 1 for i, lines in enumerate(lines_by_page) if not lines and i + 1 not in pages.failed]
    kept, removed = _drop_furniture(lines_by_page)
    if not kept:
        if pages.failed and len(pages.failed) == len(lines_by_page):
            raise SourceError("damaged", "PDF 页面内容无法解析")
        raise SourceError("no_text", f"PDF 共 {len(lines_by_page)} 页，没有文字层（可能是扫描件），"
                                     "请提供可复制文字的版本")
    paragraphs, joins = _join(kept, _measure(kept))
    text = "\n".join(_line_text(p) for p in paragraphs)
    if _undecoded(text):
        raise SourceError("no_text", "PDF 的文字无法解码（字体缺少 Unicode 映射），请提供可复制文字的版本")
    places = [f"第{p[0].page}页第{p[0].row}行" for p in paragraphs]
    note = _note(len(lines_by_page), removed, joins, textless, pages.failed, _truncated(data))
    return Source(display, text, "pdf", "pdf", places, note)


# ---------------------------------------------------------------------------------------
# Opening


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence pypdf: it logs repaired damage through the "pypdf.*" loggers and warns."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # child loggers ("pypdf._reader") inherit it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _open(data: bytes) -> pypdf.PdfReader:
    if not data:
        raise SourceError("damaged", "文件为空（0 字节）")
    if b"%PDF-" not in data[:1024]:
        raise SourceError("damaged", _what_instead(data))
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        detail = "PDF 文件不完整（缺少文件结尾，可能下载未完成）" if _truncated(data) \
            else "PDF 结构无法解析（文件已损坏）"
        raise SourceError("damaged", detail) from None
    if reader.is_encrypted:
        _decrypt(reader)
    try:
        count = len(reader.pages)
    except Exception:  # noqa: BLE001 - a broken page tree
        raise SourceError("damaged", "PDF 页面目录无法解析（文件不完整或已损坏）") from None
    if count == 0:
        raise SourceError("damaged", "PDF 中没有页面")
    return reader


def _decrypt(reader: pypdf.PdfReader) -> None:
    """Open with the empty user password (owner-password-only PDFs), or report encryption."""
    try:
        result = reader.decrypt("")
    except Exception:  # noqa: BLE001 - unsupported handler (certificates), no AES support, ...
        raise SourceError("encrypted", "使用了无法处理的加密方式（如证书加密）") from None
    if result == PasswordType.NOT_DECRYPTED:
        raise SourceError("encrypted", "需要打开密码")


def _what_instead(data: bytes) -> str:
    head = data[:512].lstrip()
    if head.startswith(b"PK\x03\x04"):
        return "不是 PDF 文件，实为 ZIP 压缩包或 Office 文档（如 .docx）"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "不是 PDF 文件，实为旧版 Office 文档（如 .doc）"
    if head[:100].lower().lstrip(b"\xef\xbb\xbf").startswith((b"<!doctype html", b"<html")):
        return "不是 PDF 文件，实为网页（HTML）"
    return "不是 PDF 文件（缺少 %PDF 文件头）"


def _truncated(data: bytes) -> bool:
    return b"%%EOF" not in data[-2048:]


# ---------------------------------------------------------------------------------------
# Runs and lines


def _extract(reader: pypdf.PdfReader) -> _Pages:
    pages = _Pages()
    for number in range(1, len(reader.pages) + 1):
        try:
            runs = _runs(reader.pages[number - 1])
        except Exception:  # noqa: BLE001 - a broken page or content stream: named in the note
            pages.failed.append(number)
            runs = []
        pages.lines.append(_lines(runs, number))
    return pages


def _runs(page) -> list[_Run]:
    """Every non-blank text run of a page, positioned in page space."""
    runs: list[_Run] = []
    forms: list[list[float]] = [[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]]   # form XObject -> page space
    resources: list = [page.get("/Resources")]

    def before(op: bytes, operands: list, cm: list[float], tm: list[float]) -> None:
        if op != b"Do":
            return
        form, res = _form(resources[-1], operands)
        matrix = form or [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        forms.append(_mult(_mult(matrix, cm), forms[-1]))
        resources.append(res if res is not None else resources[-1])

    def after(op: bytes, operands: list, cm: list[float], tm: list[float]) -> None:
        if op == b"Do" and len(forms) > 1:
            forms.pop()
            resources.pop()

    def visit(text: str, cm: list[float], tm: list[float], font, size) -> None:
        if not text or text.isspace():
            return
        m = _mult(_mult(tm, cm), forms[-1])
        turn = _turn(m)
        x, y = _frame(m[4], m[5], turn)
        scale = math.hypot(m[2], m[3]) or 1.0
        runs.append(_Run(_CONTROL.sub(" ", text).rstrip(), x, y, float(size or 0) * scale or 10.0, turn))

    page.extract_text(visitor_text=visit, visitor_operand_before=before, visitor_operand_after=after)
    return [r for r in runs if r.text.strip()]


def _form(resources, operands: list) -> tuple[list[float] | None, object]:
    """The /Matrix and /Resources of the form XObject a ``Do`` paints (None for images)."""
    try:
        xobj = resources.get_object()["/XObject"].get_object()[operands[0]].get_object()
        if xobj.get("/Subtype") != "/Form":
            return None, None
        matrix = xobj.get("/Matrix")
        return ([float(v) for v in matrix] if matrix else None), xobj.get("/Resources")
    except Exception:  # noqa: BLE001 - a broken XObject: take its text as placed
        return None, None


def _mult(m: list[float], n: list[float]) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _turn(m: list[float]) -> int:
    """Text direction of a run (as pypdf decides it)."""
    if m[3] > 1e-6:
        return 0
    if m[3] < -1e-6:
        return 180
    return 90 if m[1] > 0 else 270


def _frame(x: float, y: float, turn: int) -> tuple[float, float]:
    """Page coordinates -> (along the baseline, up the text) in the run's reading frame."""
    if turn == 90:
        return y, -x
    if turn == 180:
        return -x, -y
    if turn == 270:
        return -y, x
    return x, y


def _em(text: str) -> float:
    """Width of ``text`` in em: half-width characters ½, all others 1."""
    half = sum(map(len, _HALF.findall(text)))
    return len(text) - half / 2


def _lines(runs: list[_Run], page: int) -> list[_Line]:
    """Group a page's runs into lines, top to bottom (upright text first), numbered."""
    lines: list[_Line] = []
    for turn in (0, 90, 180, 270):
        group = sorted((r for r in runs if r.turn == turn), key=lambda r: (-r.y, r.x))
        current: list[_Run] = []
        for run in group:
            if current and current[0].y - run.y > SAME_LINE * max(current[0].size, run.size):
                lines.append(_make_line(current, page))
                current = []
            current.append(run)
        if current:
            lines.append(_make_line(current, page))
    for row, line in enumerate(lines, 1):
        line.row = row
    return lines


def _make_line(runs: list[_Run], page: int) -> _Line:
    runs = sorted(runs, key=lambda r: r.x)
    parts: list[str] = []
    seen: list[_Run] = []
    end = -math.inf
    for run in runs:
        if any(s.text == run.text and abs(s.x - run.x) < 0.3 * run.size for s in seen[-4:]):
            continue  # the same text drawn again over itself (simulated bold)
        if parts and run.x - end > 0.6 * run.size and not parts[-1].endswith(" "):
            parts.append(" ")
        parts.append(run.text)
        seen.append(run)
        end = max(end, run.x + _em(run.text) * run.size)
    main = max(seen, key=lambda r: len(r.text))
    return _Line(page, 0, "".join(parts).strip(), seen[0].x, end, max(r.y for r in seen), main.size,
                 main.turn)


# ---------------------------------------------------------------------------------------
# Headers, footers, page numbers


def _key(text: str) -> str:
    return _DIGITS.sub("#", _SPACE.sub("", text).translate(_FULLWIDTH_DIGITS))


def is_page_number(text: str) -> bool:
    """Is this line only a page number ("- 3 -", "第 3 页 共 5 页", "3/5", ...)?"""
    return _PAGE_NUMBER.fullmatch(_SPACE.sub("", text).translate(_FULLWIDTH_DIGITS)) is not None


def _edges(lines: list[_Line]) -> list[_Line]:
    n = min(EDGE_LINES, len(lines))
    return lines[:n] + [ln for ln in lines[max(n, len(lines) - EDGE_LINES):]]


def _repeated(pages: list[list[_Line]]) -> set[tuple[int, int]]:
    """(page, row) of edge lines whose text recurs at about the same height on most pages."""
    where: dict[str, list[_Line]] = defaultdict(list)
    for lines in pages:
        for line in _edges(lines):
            where[_key(line.text)].append(line)
    need = max(2, math.ceil(REPEAT_SHARE * len(pages)))
    found: set[tuple[int, int]] = set()
    for same in where.values():
        if len({ln.page for ln in same}) < need:
            continue
        for line in same:
            pages_here = {o.page for o in same
                          if abs(o.y - line.y) <= line.size and abs(o.size - line.size) < 1}
            if len(pages_here) >= need:
                found.add((line.page, line.row))
    return found


def _drop_furniture(pages: list[list[_Line]]) -> tuple[list[_Line], int]:
    """All lines in reading order without running headers, footers and page numbers."""
    repeated = _repeated(pages)

    def furniture(line: _Line) -> bool:
        return (line.page, line.row) in repeated or is_page_number(line.text)

    kept: list[_Line] = []
    removed = 0
    for lines in pages:
        top = 0
        while top < min(EDGE_LINES, len(lines)) and furniture(lines[top]):
            top += 1
        bottom = len(lines)
        while bottom > max(top, len(lines) - EDGE_LINES) and furniture(lines[bottom - 1]):
            bottom -= 1
        removed += len(lines) - (bottom - top)
        kept += lines[top:bottom]
    return kept, removed


# ---------------------------------------------------------------------------------------
# Joining wrapped lines


def _measure(lines: list[_Line]) -> _Layout:
    """Body font size, margins and line pitch, from the upright lines of the document."""
    upright = [ln for ln in lines if ln.turn == 0] or lines
    weight: dict[float, int] = defaultdict(int)
    for ln in upright:
        weight[round(ln.size * 2) / 2] += len(ln.text)
    size = max(weight, key=weight.__getitem__)
    body = [ln for ln in upright if abs(ln.size - size) <= 0.15 * size]
    left = _low_edge([ln.x0 for ln in body], 0.3 * size)
    right = _high_edge([ln.x1 for ln in body if ln.x0 < left + INDENT_EM * size], size)
    gaps = [a.y - b.y for a, b in pairwise(body) if a.page == b.page and 0 < a.y - b.y < 3 * size]
    pitch = statistics.median(gaps) if gaps else 1.5 * size
    return _Layout(size, left, right, pitch)


def _low_edge(values: list[float], tol: float) -> float:
    """The left margin: the smallest start shared (within ``tol``) by two lines.

    A single stray line further left (a margin note) is passed over. Erring to the left is
    the safe side: it only prevents joins, while taking the paragraph indent for the margin
    would join paragraphs.
    """
    values = sorted(values)
    for a, b in pairwise(values):
        if b - a <= tol:
            return a
    return values[0] if values else 0.0


def _high_edge(values: list[float], tol: float) -> float:
    """The right edge: the median end of the lines that end near the furthest common end.

    The furthest common end is the largest end with two other ends within ``tol`` below it;
    without one (a few short lines) there is no evidence of wrapping: +inf. The median
    evens out the estimated ends (glyph widths are guessed, see :func:`_em`).
    """
    values = sorted(values, reverse=True)
    for i, v in enumerate(values[:-2]):
        if v - values[i + 2] <= tol:
            return statistics.median(x for x in values if v - 1.5 * tol <= x <= v)
    return math.inf


def _continues(a: _Line, b: _Line, lay: _Layout) -> bool:
    """Does line ``b`` continue the paragraph of line ``a`` (a wrapped at the right edge)?"""
    em = a.size
    if a.turn != b.turn or abs(a.size - b.size) > 0.1 * em or not _next_line(a, b, lay):
        return False
    if a.x0 > lay.left + INDENT_EM * em:
        return False
    ends_sentence = a.text.endswith(_SENTENCE_END)
    slack = max(FULL_LINE_EM if ends_sentence else OPEN_LINE_EM, _first_piece_em(b.text) + 0.5)
    if a.x1 < lay.right - slack * em:
        return False
    if abs(b.x0 - lay.left) <= MARGIN_EM * em:
        return not (ends_sentence and _HEADING_START.match(b.text))
    return _wrapped_title(a, b, lay)


def _first_piece_em(text: str) -> float:
    """Width of what ``text`` starts with that a line break could not have split off."""
    m = _FIRST_PIECE.match(text)
    return _em(m.group(0)) if m else 0.0


def _next_line(a: _Line, b: _Line, lay: _Layout) -> bool:
    """Is ``b`` the line right below ``a``: an ordinary pitch down, or the next page?"""
    if a.page == b.page:
        pitch = max(lay.pitch * a.size / lay.size, 1.1 * a.size)
        return 0 < a.y - b.y <= GAP_FACTOR * pitch
    return b.page == a.page + 1


def _wrapped_title(a: _Line, b: _Line, lay: _Layout) -> bool:
    """A centred title too long for the width: a full first line, then the centred rest.

    Only for lines larger than the body text, so that a centred body-size line after a
    paragraph that happens to end at the right edge stays apart.
    """
    em = a.size
    centre = (lay.left + lay.right) / 2
    return (a.size > 1.1 * lay.size and a.page == b.page
            and abs(a.x0 - lay.left) <= MARGIN_EM * em and a.x1 >= lay.right - FULL_LINE_EM * em
            and b.x0 > lay.left + em and abs((b.x0 + b.x1) / 2 - centre) <= em)


def _join(lines: list[_Line], lay: _Layout) -> tuple[list[list[_Line]], int]:
    groups: list[list[_Line]] = []
    joins = 0
    for line in lines:
        if groups and _continues(groups[-1][-1], line, lay):
            groups[-1].append(line)
            joins += 1
        else:
            groups.append([line])
    return groups, joins


def _line_text(group: list[_Line]) -> str:
    text = group[0].text
    for line in group[1:]:
        glue = " " if _ASCII_WORD.match(text[-1:]) and _ASCII_WORD.match(line.text[:1]) else ""
        text = text.rstrip() + glue + line.text.lstrip()
    return text


def _undecoded(text: str) -> bool:
    """Is most of the text private-use or replacement characters (fonts without a Unicode map)?"""
    visible = len(_SPACE.sub("", text))
    return visible > 0 and len(_UNDECODED.findall(text)) > visible / 2


def _note(pages: int, removed: int, joins: int, textless: list[int], failed: list[int],
          truncated: bool) -> str:
    parts = [f"{pages} 页，去除页眉页脚 {removed} 行，合并断行 {joins} 处"]
    if textless:
        parts.append(f"第 {'、'.join(map(str, textless))} 页没有文字层（可能是扫描件），未检查")
    if failed:
        parts.append(f"第 {'、'.join(map(str, failed))} 页无法解析，未检查")
    if truncated:
        parts.append("文件末尾不完整（可能缺页）")
    return "；".join(parts)
