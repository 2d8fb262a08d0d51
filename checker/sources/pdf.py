"""PDF reader: text lines from the page geometry, page furniture removed, wrapped lines joined.

pypdf (pure Python) parses the file and its fonts; content streams are tokenized here (see
"Content streams" below: pypdf's parser is most of the time of reading a PDF). pypdf's plain
``extract_text()`` keeps the PDF's visual line breaks, which split every paragraph at the right
margin, and keeps running headers, footers and page numbers in the text; its layout mode renders
pages onto a fixed-width character grid, which loses the positions needed here and is slower;
and what it reports to a ``visitor_text`` callback is a run of text with the position of its
start only (no glyph widths, no advance of the text matrix, spaces made up from large kerns).
So the reader runs the text operators itself and works on geometry:

1. **Pieces.** The text operators of each page's content stream are run with the text state
   (Tf, Tc, Tw, Tz, TL, Td/TD/Tm/T*, q/Q, cm): each string of Tj, ', " and TJ is decoded with
   pypdf's reading of the font's encoding and /ToUnicode map, and every glyph advances the pen
   by its width from the font dictionary (see :class:`_Font`), the character and word spacing
   and the TJ displacements. A piece of text is what one string draws, or a TJ array between
   displacements of a tenth of an em or more, with its exact start and end along the
   baseline; so glyphs that one TJ array sets far apart (LibreOffice draws all the quotation
   marks of a line, which come from another font, in one array, and the text between them
   afterwards) land where they are drawn. Text in form XObjects is placed through the form's
   matrix, and text set in another direction (90°, 180°, 270°) is measured in its own reading
   frame. Fonts and forms are read once, and so is content that several pages draw (from the
   second page that draws it on).
2. **Lines.** Pieces whose baselines lie within half a font size form one line, ordered left
   to right; a piece drawn again at the same place (simulated bold) is dropped. A space
   separates two pieces where a space was drawn between them and nothing else (a space glyph,
   a TJ displacement of 0.18 em or more: TeX sets word spaces so) or where a quarter em lies
   between them (LibreOffice's extra space between CJK and Latin text is a little less;
   between two half-width characters 0.15 em). A line's ends are exact.
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
   piece ("规。2022", "务“马") — but not when k+1 starts with a heading number and k ends a
   sentence or starts with a heading number itself. Government documents indent the first
   lines of paragraphs and headings by two characters, so a wrapped heading ("一、2023年度法治
   政府建设主要举措和" + "成效") comes out as one line, while right-aligned signature and date
   lines are never joined, and centred title lines only in one case: a title larger than the
   body text that fills the width and wraps onto a centred rest. Whether the document indents
   is measured too (below lines that end well before the right edge, does the next paragraph
   start at the margin or indented?), and so is whether it sets paragraphs apart by extra
   space: without indents, a line at the margin after a full line that ends a sentence
   (。！？；：) may start a new paragraph, so it is joined only when the paragraphs are spaced
   and the two lines are on one page (on a new page the space does not show). Splitting a
   paragraph there is the lesser harm; joining two paragraphs hides one's start.

Output: one line per paragraph (or unjoined line). ``places[i]`` is "第P页第L行": the page and
the line on it where line i+1 starts, L counting every visible text line of the page from the
top, the running header included (as someone counting lines on the printed page would).

Errors: no PDF header or an unparsable file -> ``damaged`` (a file that lost its end, e.g. an
unfinished download, says so; pypdf cannot rebuild one without its trailer); a password needed
to open -> ``encrypted`` (a PDF with only an owner password, restricting copying or printing,
opens with the empty user password and is read normally); no text on any page, or text that
is mostly private-use characters (fonts without a Unicode map) -> ``no_text``; more work than
the budget of one file allows (forms drawn over and over, thousands of pages, content that
inflates: see :class:`_Work`), or memory run out all the same -> ``too_complex``. Pages without
text or that fail to parse are named in the note. Not handled: multi-column layouts (columns
side by side are read as one line), tables (a row is one line), wrapped right-aligned lines,
text in annotations, vertical writing (a -V CMap's glyphs are advanced along the line), and
fonts whose Unicode map is wrong (pypdf's decoding is taken as is).
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
from pypdf.generic import IndirectObject, NameObject, StreamObject

try:  # the fonts' encodings and Unicode maps, as pypdf's own text extraction decodes them
    from pypdf._cmap import get_encoding as _pypdf_encoding
except ImportError:  # pragma: no cover - early pypdf 5
    from pypdf._cmap import build_char_map_from_dict

    def _pypdf_encoding(font):
        return build_char_map_from_dict(200.0, font)[2:]

from checker.sources import Source, SourceError

# Characters about half an em wide; everything else (CJK, full-width forms) counts as one em.
_HALF = re.compile(r"[\x20-\x7e\u00a0-\u00af\uff61-\uff9f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_UNDECODED = re.compile(r"[\ue000-\uf8ff\ufffd]")  # private use area, replacement character
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # a lone half that a /ToUnicode map may give: not printable
_DIGITS = re.compile(r"\d+")
_FULLWIDTH_DIGITS = {0xFF10 + i: str(i) for i in range(10)}
_DASH = r"[-—–－―~·•]"
_PAGE_NUMBER = re.compile(
    rf"{_DASH}*\d{{1,3}}{_DASH}*"
    r"|第\d{1,4}页(?:[，,/]?共\d{1,4}页)?|共\d{1,4}页[，,]?第\d{1,4}页"
    r"|\d{1,4}/\d{1,4}|(?i:page)\d{1,4}(?:(?i:of)\d{1,4})?"
)
_SENTENCE_END = tuple("。！？；：!?;:")
# a heading number, after the Markdown heading marks some documents carry along ("## 一、")
_HEADING_START = re.compile(r"(?:#+\s*)?(?:[（(]?[一二三四五六七八九十]{1,3}[、.．）)]|[（(]?\d{1,2}[、.．）)](?!\d))")
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
SPACE_EM = 0.25         # a gap this wide between two pieces of a line is a space
LATIN_SPACE_EM = 0.15   # ... or this wide between two half-width characters
FULL_LINE_EM = 2.0      # a line reaching this close to the right edge is wrapped
OPEN_LINE_EM = 3.5      # ... or this close when it does not end a sentence
MARGIN_EM = 0.5         # a line starting this close to the left margin is not indented
INDENT_EM = 2.6         # the furthest a paragraph's first line is indented
GAP_FACTOR = 1.25       # a vertical gap above this many line pitches separates paragraphs
PARAGRAPH_GAP = 4.0     # ... and one above this many, sections (for measuring indents)
SHORT_LINE_EM = 4.0     # a line ending this far before the right edge ends a paragraph


@dataclass(slots=True)
class _Run:
    text: str
    x: float          # start of the run along the baseline
    y: float          # baseline height (larger is higher up the page)
    size: float       # effective font size
    turn: int         # text direction: 0, 90, 180, 270
    end: float        # end of the run along the baseline (from the glyph widths)


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
    indents: bool = True  # paragraphs start with an indented first line
    spaced: bool = False  # paragraphs are further apart than the lines of a paragraph


@dataclass
class _Pages:
    lines: list[list[_Line]] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)    # pages pypdf could not parse


def read_pdf(data: bytes, display: str) -> Source:
    """Turn a PDF's bytes into one line per paragraph (see the module docstring).

    Running out of memory or stack is never a crash: the work budget (:class:`_Work`) keeps
    files well away from it, and should one still get there it is a finding all the same.
    """
    try:
        return _read(data, display)
    except MemoryError:
        raise SourceError("too_complex", "读取 PDF 所需的内存超出可用内存（疑似恶意构造的文件）") from None
    except RecursionError:
        raise SourceError("damaged", "PDF 结构嵌套过深，无法解析") from None


def _read(data: bytes, display: str) -> Source:
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
    except _FATAL:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        detail = "PDF 文件不完整（缺少文件结尾，可能下载未完成）" if _truncated(data) \
            else "PDF 结构无法解析（文件已损坏）"
        raise SourceError("damaged", detail) from None
    objects = sum(map(len, getattr(reader, "xref", {}).values())) + len(getattr(reader, "xref_objStm", ()))
    if objects > MAX_OBJECTS:
        raise SourceError("too_complex", f"PDF 中的对象超过 {_figure(MAX_OBJECTS, '个')}")
    if reader.is_encrypted:
        _decrypt(reader)
    _check_page_tree(reader)
    try:
        count = len(reader.pages)
    except _FATAL:
        raise
    except Exception:  # noqa: BLE001 - a broken page tree
        raise SourceError("damaged", "PDF 页面目录无法解析（文件不完整或已损坏）") from None
    if count == 0:
        raise SourceError("damaged", "PDF 中没有页面")
    return reader


def _check_page_tree(reader: pypdf.PdfReader) -> None:
    """Stop at more than :data:`MAX_PAGES` pages before pypdf lists them all.

    pypdf resolves every page object of the tree to count the pages: minutes for the million
    page objects that a few MB of compressed object streams hold. Here the tree is walked
    until it has shown more pages than allowed (a broken tree is left to pypdf to report).
    """
    try:
        stack = [reader.trailer["/Root"]["/Pages"]]
    except _FATAL:
        raise
    except Exception:  # noqa: BLE001 - pypdf says what is wrong with it, below
        return
    seen: set[object] = set()
    pages = 0
    while stack:
        node = stack.pop()
        try:
            kids = _get(node, "/Kids")
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - not a page tree node
            kids = None
        if not isinstance(kids, list):
            pages += 1
            if pages <= MAX_PAGES:
                continue
        elif len(seen) + len(kids) <= 2 * MAX_PAGES:   # (pages, and the nodes above them)
            for kid in kids:
                if _ref_key(kid) not in seen:
                    seen.add(_ref_key(kid))
                    try:
                        stack.append(kid.get_object())
                    except _FATAL:
                        raise
                    except Exception:  # noqa: BLE001 - a broken page: pypdf's to report
                        pass
            continue
        raise SourceError("too_complex", f"PDF 页数超过 {MAX_PAGES} 页的上限")


def _decrypt(reader: pypdf.PdfReader) -> None:
    """Open with the empty user password (owner-password-only PDFs), or report encryption."""
    try:
        result = reader.decrypt("")
    except _FATAL:
        raise
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
    painter = _Painter(reader)
    count = len(reader.pages)
    if count > MAX_PAGES:
        raise SourceError("too_complex", f"PDF 共 {count} 页，超过 {MAX_PAGES} 页的上限")
    for number in range(1, count + 1):
        try:
            runs = painter.page(reader.pages[number - 1])
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - a broken page or content stream: named in the note
            pages.failed.append(number)
            runs = []
        pages.lines.append(_lines(runs, number))
    return pages


class _Font:
    """How a font's strings become characters and advances (in em, i.e. per 1 pt of size).

    Codes are decoded as pypdf's own text extraction decodes them (its reading of the font's
    encoding and /ToUnicode map); the advances come from the font dictionary: /Widths from
    /FirstChar (x /FontMatrix for Type 3 fonts) for simple fonts, /W and /DW for composite
    fonts whose codes are CIDs (Identity-H/V). For the Unicode CMaps of the Adobe CJK
    collections (UniGB-UCS2-H, ...: reportlab's CID fonts) printable ASCII is CIDs 1-95 and
    the rest takes /DW. Where the font does not tell (standard 14 fonts without /Widths,
    other CMaps) a character is guessed at half an em when half-width, else one em.
    """

    __slots__ = ("table", "step", "codec", "umap", "widths", "default", "cids", "cache")

    def __init__(self, d=None) -> None:
        self.table: list[tuple[str, float, bool]] | None = None  # (text, advance, space) by byte
        self.step = 1            # bytes per code (1 or 2); 0: a multi-byte codec (GBK, Big5, ...)
        self.codec = ""
        self.umap: dict = {}
        self.widths: dict[int, float] = {}
        self.default = 1.0
        self.cids = ""           # codes to CIDs for /W: "identity", "ascii" (Unicode CMaps), ""
        self.cache: dict[int, tuple[str, float, bool]] = {}
        if d is None:  # a font the page does not define: nothing decodable
            self.table = [("\ufffd", 0.5, b == 32) for b in range(256)]
            return
        try:
            encoding, self.umap = _pypdf_encoding(d)
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - a broken encoding or /ToUnicode: codes as Latin-1
            encoding = {}
        if _get(d, "/Subtype") == "/Type0":
            self._composite(d, encoding)
        else:
            self._simple(d, encoding)

    def _simple(self, d, encoding) -> None:
        scale = 0.001
        if _get(d, "/Subtype") == "/Type3":
            scale = _number((_get(d, "/FontMatrix") or [0.001])[0], 0.001)
        widths = _get(d, "/Widths")
        first = int(_number(_get(d, "/FirstChar"), 0))
        known: dict[int, float] = {}
        if isinstance(widths, list):
            known = {first + i: _number(w, 0.0) * scale for i, w in enumerate(widths[:256])}
        missing = _number(_get(_get(d, "/FontDescriptor") or {}, "/MissingWidth"), -1.0)
        umap = self.umap
        table = []
        for code in range(256):
            raw = encoding.get(code, chr(code)) if isinstance(encoding, dict) else chr(code)
            text = umap[raw] if raw in umap else "".join(umap.get(c, c) for c in raw)
            width = known.get(code, missing * scale)
            table.append((text, width if width >= 0 else _em(text), code == 32))
        self.table = table

    def _composite(self, d, encoding) -> None:
        self.step = 2
        name = _get(d, "/Encoding")
        if isinstance(encoding, str) and encoding != "utf-16-be":
            self.step, self.codec = 0, encoding
        elif isinstance(name, StreamObject):
            self.step = _code_bytes(name)  # an embedded CMap: codes of its length, CIDs unknown
        cid_font = _resolve((_get(d, "/DescendantFonts") or [None])[0])
        if not hasattr(cid_font, "get"):
            return
        self.default = _number(_get(cid_font, "/DW"), 1000) / 1000
        if name in ("/Identity-H", "/Identity-V"):
            self.cids = "identity"
        elif isinstance(name, str) and ("-UCS2-" in name or "-UTF16-" in name):
            self.cids = "ascii"
        if self.cids:
            self.widths = _cid_widths(_get(cid_font, "/W"))

    def glyphs(self, data: bytes) -> list[tuple[str, float, bool]]:
        """(text, advance in em, a 1-byte space that word spacing widens) for each code."""
        if self.table is not None:
            table = self.table
            return [table[b] for b in data]
        if self.step == 2:
            cache = self.cache
            out = []
            for i in range(0, len(data) - 1, 2):
                code = data[i] << 8 | data[i + 1]
                glyph = cache.get(code)
                if glyph is None:
                    glyph = cache[code] = self._code(code)
                out.append(glyph)
            if len(data) % 2:
                out.append(("\ufffd", self.default, False))
            return out
        if self.step == 1:
            return [self._code(b) for b in data]
        umap = self.umap
        return [(umap.get(c, c), _em(c) * self.default, False)
                for c in data.decode(self.codec, "replace")]

    def _code(self, code: int) -> tuple[str, float, bool]:
        char = chr(code)
        text = self.umap.get(char)
        if text is None:
            text = "\ufffd" if 0xD800 <= code <= 0xDFFF else char
        if self.cids == "identity":
            width = self.widths.get(code, self.default)
        elif self.cids == "ascii":
            width = self.widths.get(code - 31, 0.5) if 32 <= code < 127 else self.default
        else:
            width = _em(text) * self.default
        return text, width, False


_NO_FONT = _Font()


def _code_bytes(cmap) -> int:
    """Bytes per code of an embedded CMap (its first codespace range), 2 if unreadable."""
    try:
        m = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", cmap.get_data())
        return max(1, min(2, len(m.group(1)) // 2)) if m else 2
    except _FATAL:
        raise
    except Exception:  # noqa: BLE001
        return 2


def _cid_widths(w) -> dict[int, float]:
    """A /W array (``c [w1 w2 ...]`` and ``c_first c_last w``) as CID -> width in em."""
    out: dict[int, float] = {}
    if not isinstance(w, list):
        return out
    items = [_resolve(v) for v in w]
    budget = 0x10000  # CIDs are 16-bit: more entries than that is a broken array
    i = 0
    while i + 1 < len(items) and budget > 0:
        first = int(_number(items[i], 0))
        if isinstance(items[i + 1], list):
            for k, v in enumerate(items[i + 1][:budget]):
                out[first + k] = _number(v, 1000) / 1000
            budget -= len(items[i + 1])
            i += 2
        elif i + 2 < len(items):
            last = min(int(_number(items[i + 1], -1)), first + budget - 1)
            width = _number(items[i + 2], 1000) / 1000
            for cid in range(first, last + 1):
                out[cid] = width
            budget -= max(1, last - first + 1)
            i += 3
        else:
            break
    return out


def _resolve(obj):
    return obj.get_object() if obj is not None and hasattr(obj, "get_object") else obj


def _get(d, key: str):
    return _resolve(d.get(key)) if hasattr(d, "get") else None


def _number(value, default: float) -> float:
    value = _resolve(value)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SPLIT_KERN = 100        # a TJ displacement this large (thousandths of an em) starts a new piece
TJ_SPACE = 180          # ... and a gap this wide is a word space (TeX sets spaces as kerns)


# The work one PDF may cause (issue 14). A file of a few KB can ask for unbounded work: a form
# XObject drawn inside forms drawn inside forms (millions of draws), thousands of pages drawing
# one large content stream, a stream that inflates a thousandfold. Reading stops with
# SourceError("too_complex") (FZ910) when a file exceeds one of these; none silently drops text.
# Real reports stay far below them: of the LibreOffice exports of the seeds
# (tests/data/libreoffice/*.pdf, 4 to 8 pages) the largest parses 0.09 MB of content,
# interprets 8,000 operators that place text and shows 4,900 bytes of strings in 1,900
# pieces; the seeds rendered by tests/builders/pdf.py (up to 9 pages; its browser layout
# draws every character on its own) need at most 0.31 MB, 28,300 operators, 10,400 bytes and
# 4,600 pieces. Each limit allows a second or two of work and a few hundred MB at most.
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
_FATAL = (MemoryError, SourceError)   # never taken for a broken part of the file and skipped


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


def _ref_key(ref) -> object:
    """A key for an object that is the same wherever it is referenced from."""
    return (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(ref)


@dataclass(slots=True)
class _State:
    """The graphics state the text depends on (saved by q, restored by Q)."""

    ctm: tuple[float, ...] = _IDENTITY
    font: _Font | None = None
    size: float = 0.0
    char_space: float = 0.0   # Tc
    word_space: float = 0.0   # Tw
    scale: float = 1.0        # Tz / 100
    leading: float = 0.0      # TL

    def copy(self) -> _State:
        return _State(self.ctm, self.font, self.size, self.char_space, self.word_space, self.scale,
                      self.leading)


class _Painter:
    """Runs the text operators of content streams, placing every piece of text it shows.

    A piece is what one string (or the strings of one TJ array between displacements of
    :data:`SPLIT_KERN` or more) draws; it gets its start and its end from the glyph widths,
    kerning, Tc, Tw and Tz, so that glyphs placed by displacements inside one TJ array
    (LibreOffice sets the quotation marks of a line, which come from another font, in one
    array) land where they are drawn. Fonts and form XObjects are read once per document.
    """

    def __init__(self, reader: pypdf.PdfReader) -> None:
        self.reader = reader
        self.fonts: dict[object, _Font] = {}
        self.forms: dict[object, tuple[list, tuple[float, ...], object] | None] = {}
        # page contents drawn on more than one page -> their operations, parsed once more only
        self.parsed: dict[object, list] = {}
        self.seen: set[object] = set()
        # (resources, name) -> (resources, what it names): looked up once per resource dictionary
        self.font_names: dict[tuple[int, str], tuple[object, _Font]] = {}
        self.form_names: dict[tuple[int, str], tuple[object, tuple | None]] = {}
        self.work = _Work()

    def page(self, page) -> list[_Run]:
        runs: list[_Run] = []
        raw = page.raw_get("/Contents") if "/Contents" in page else None
        contents = _resolve(raw)
        if contents is None:
            return runs
        if isinstance(contents, list):  # an array of streams, drawn as their concatenation
            key = tuple(_ref_key(item) for item in contents) if all(
                isinstance(item, IndirectObject) for item in contents) else None
        else:
            key = _ref_key(raw) if isinstance(raw, IndirectObject) else None
        operations = self.parsed.get(key) if key is not None else None
        self.work.pages += 1
        self.work.repeated += key in self.seen
        self.work.nesting = 0   # (after a page that failed inside a form)
        if operations is None:
            operations = self._parse(contents)
            if key in self.seen:   # contents drawn on a second page: kept for any further ones
                self.parsed[key] = operations
            elif key is not None:
                self.seen.add(key)
        self._paint(operations, _get(page, "/Resources"), _State(), runs, [])
        return runs

    def _parse(self, contents) -> list:
        """The operations of a content stream (or of an array of streams, concatenated)."""
        if not isinstance(contents, list):
            if not isinstance(contents, StreamObject):
                raise ValueError("page contents that are not a stream")
            return self.work.parse(contents.get_data())
        parts = [item.get_data() for item in map(_resolve, contents)
                 if isinstance(item, StreamObject)]   # (pypdf skips anything else, too)
        if sum(map(len, parts)) > self.work.content:   # (before joining them)
            self.work.exceeded_content()
        return self.work.parse(b"\n".join(parts))

    def _font(self, resources, name) -> _Font:
        """The font ``name`` of ``resources`` (looked up once per resource dictionary)."""
        if not isinstance(name, str):
            return _NO_FONT
        hit = self.font_names.get((id(resources), name))
        if hit is not None and hit[0] is resources:  # (the dictionary is kept: its id is not reused)
            return hit[1]
        font = self._find_font(resources, name)
        self.font_names[(id(resources), name)] = (resources, font)
        return font

    def _find_font(self, resources, name) -> _Font:
        try:
            ref = _resolve(resources)["/Font"].get_object().raw_get(name)
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - no such font
            return _NO_FONT
        key = _ref_key(ref)
        font = self.fonts.get(key)
        if font is None:
            try:
                font = _Font(ref.get_object())
            except _FATAL:
                raise
            except Exception:  # noqa: BLE001 - a broken font dictionary
                font = _NO_FONT
            self.fonts[key] = font
        return font

    def _form(self, resources, name) -> tuple[object, tuple] | None:
        """(key, (operations, matrix, resources)) of the form XObject ``name``; None for an image."""
        if not isinstance(name, str):
            return None
        hit = self.form_names.get((id(resources), name))
        if hit is not None and hit[0] is resources:
            return hit[1]
        form = self._find_form(resources, name)
        self.form_names[(id(resources), name)] = (resources, form)
        return form

    def _find_form(self, resources, name) -> tuple[object, tuple] | None:
        try:
            ref = _resolve(resources)["/XObject"].get_object().raw_get(name)
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - no such XObject
            return None
        key = _ref_key(ref)
        if key not in self.forms:
            form = None
            try:
                xobj = ref.get_object()
                if isinstance(xobj, StreamObject) and _get(xobj, "/Subtype") == "/Form":
                    operations = self.work.parse(xobj.get_data())
                    matrix = tuple(_number(v, 0.0) for v in _get(xobj, "/Matrix") or _IDENTITY)
                    form = (operations,
                            matrix if len(matrix) == 6 else _IDENTITY,
                            _get(xobj, "/Resources"))
            except _FATAL:
                raise
            except Exception:  # noqa: BLE001 - a broken form: skipped
                form = None
            self.forms[key] = form
        form = self.forms[key]
        return None if form is None else (key, form)

    def _paint(self, operations, resources, st: _State, runs: list[_Run], inside: list) -> None:
        self.work.draw(len(operations))
        stack: list[_State] = []
        tm = tlm = _IDENTITY
        for operands, op in operations:
            if op == b"Tj" or op == b"TJ" or op == b"'" or op == b'"':
                if op == b"'" or op == b'"':
                    if op == b'"' and len(operands) >= 3:
                        st.word_space = _number(operands[0], st.word_space)
                        st.char_space = _number(operands[1], st.char_space)
                        operands = operands[2:]
                    tlm = tm = _move(tlm, 0.0, -st.leading)
                items = operands[0] if op == b"TJ" and operands else operands[:1]
                if isinstance(items, list) and items:
                    tm = self._show(items, tm, st, runs)
            elif op == b"Tm":
                if len(operands) >= 6:
                    tlm = tm = tuple(_number(v, 0.0) for v in operands[:6])
            elif op == b"Td" or op == b"TD":
                if len(operands) >= 2:
                    tx, ty = _number(operands[0], 0.0), _number(operands[1], 0.0)
                    if op == b"TD":
                        st.leading = -ty
                    tlm = tm = _move(tlm, tx, ty)
            elif op == b"T*":
                tlm = tm = _move(tlm, 0.0, -st.leading)
            elif op == b"Tf":
                if len(operands) >= 2:
                    st.font = self._font(resources, operands[0])
                    st.size = _number(operands[1], st.size)
            elif op == b"BT":
                tm = tlm = _IDENTITY
            elif op == b"q":
                stack.append(st.copy())
            elif op == b"Q":
                if stack:
                    st = stack.pop()
            elif op == b"cm":
                if len(operands) >= 6:
                    st.ctm = _mult(tuple(_number(v, 0.0) for v in operands[:6]), st.ctm)
            elif op == b"Tc":
                st.char_space = _number(operands[0], 0.0) if operands else 0.0
            elif op == b"Tw":
                st.word_space = _number(operands[0], 0.0) if operands else 0.0
            elif op == b"Tz":
                st.scale = _number(operands[0], 100.0) / 100 if operands else 1.0
            elif op == b"TL":
                st.leading = _number(operands[0], 0.0) if operands else 0.0
            elif op == b"Do" and operands:
                found = self._form(resources, operands[0])
                if found is None or found[0] in inside:
                    continue  # an image, or a form drawing itself
                key, (ops, matrix, res) = found
                if len(inside) >= MAX_FORM_DEPTH:
                    raise SourceError("too_complex",
                                      f"PDF 中表单对象嵌套超过 {MAX_FORM_DEPTH} 层（疑似恶意构造的文件）")
                inner = st.copy()
                inner.ctm = _mult(matrix, st.ctm)
                inside.append(key)
                self.work.nesting += 1
                self._paint(ops, res if res is not None else resources, inner, runs, inside)
                self.work.nesting -= 1
                inside.pop()

    def _show(self, items: list, tm: tuple[float, ...], st: _State, runs: list[_Run]) -> tuple[float, ...]:
        """Place the pieces of one text-showing operator; the text matrix after it."""
        font = st.font or _NO_FONT
        work = self.work
        m = _mult(tm, st.ctm)
        em = st.size * st.scale              # an advance of 1 em in text space, horizontally
        tc, tw = st.char_space * st.scale, st.word_space * st.scale
        pos = 0.0
        start = None
        parts: list[str] = []
        pieces: list[tuple[str, float, float]] = []
        left = work.glyphs
        for item in items:
            if isinstance(item, str):  # a string pypdf decoded after all: its bytes
                item = _string_bytes(item)
            if isinstance(item, bytes):
                work.glyphs -= len(item)
                if work.glyphs < 0:
                    work.exceeded_glyphs()
                glyphs = font.glyphs(item)
                if glyphs:
                    if start is None:
                        start = pos
                    texts, widths, spaces = zip(*glyphs)
                    parts += texts
                    pos += sum(widths) * em + len(texts) * tc + (sum(spaces) * tw if tw else 0.0)
            elif isinstance(item, (int, float)):
                shift = float(item)
                if parts and abs(shift) >= SPLIT_KERN:
                    pieces.append(("".join(parts), start, pos))
                    parts, start = [], None
                    if -shift >= TJ_SPACE:  # a space, if nothing is drawn into the gap
                        pieces.append((" ", pos, pos - shift / 1000 * em))
                pos -= shift / 1000 * em
        if parts:
            pieces.append(("".join(parts), start, pos))
        work.spend(left - work.glyphs + len(pieces))
        if pieces:
            work.runs -= len(pieces)
            if work.runs < 0:
                work.exceeded_runs()
            turn = _turn(m)
            size = float(st.size) * (math.hypot(m[2], m[3]) or 1.0) or 10.0
            for text, a, b in pieces:
                text = _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text))
                if not text:
                    continue
                if text.isspace():
                    text = " "  # kept: a space drawn on its own separates words
                x0, y = _frame(m[4] + a * m[0], m[5] + a * m[1], turn)
                x1, _ = _frame(m[4] + b * m[0], m[5] + b * m[1], turn)
                runs.append(_Run(text, min(x0, x1), y, abs(size), turn, max(x0, x1)))
        return (tm[0], tm[1], tm[2], tm[3], tm[4] + pos * tm[0], tm[5] + pos * tm[1])


# ---------------------------------------------------------------------------------------
# Content streams: operators and their operands
#
# pypdf's ContentStream parser reads a byte at a time: about 1 MB/s (a third of that for TJ
# arrays), three quarters of the time of reading a normal PDF. This tokenizer reads the same
# syntax with one regular expression per token, several times faster, and keeps only the
# operators that place text (:data:`_PAINTED`), with the operands pypdf gives them with
# forced_encoding="bytes": strings as bytes, names as str ("/F1"), numbers as int or float,
# arrays as lists, dictionaries as dicts. What pypdf rejects (an unterminated string, a bad
# hex digit, a stray delimiter) raises ValueError: the page is one that failed to parse, as
# before. (One regular expression for a whole operator with its operands was tried: Python's
# re keeps state for every repetition, hundreds of MB for a long run of operands.)

_PAINTED = frozenset((b"Tj", b"TJ", b"'", b'"', b"Tm", b"Td", b"TD", b"T*", b"Tf", b"BT", b"q", b"Q", b"cm",
                      b"Tc", b"Tw", b"Tz", b"TL", b"Do"))
MAX_OPERANDS = 6   # the painter reads at most this many operands of an operator (Tm, cm)
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_TOKEN = re.compile(
    rb"[\x00\t\n\x0c\r ]*"                                   # white space
    rb"(?:([A-Za-z'\"]" + _REGULAR + rb"*)"                   # 1 operator (or true, false, null)
    rb"|/(" + _REGULAR + rb"*)"                                # 2 name
    rb"|([+,\-.0-9]+)"                                         # 3 number (as pypdf reads it)
    rb"|(\()"                                                  # 4 literal string
    rb"|(<<)"                                                  # 5 dictionary
    rb"|<([0-9A-Fa-f\x00\t\n\x0c\r ]*)(>?)"                    # 6, 7 hex string, its end
    rb"|(\[)|(\])|(>>)"                                        # 8, 9, 10
    rb"|(%[^\r\n]*)"                                           # 11 a comment
    rb"|(.)|\Z)", re.S)                                        # 12 anything else; the end
_STRING_STOP = re.compile(rb"[()\\]")
_HEX_SPACE = re.compile(rb"[\x00\t\n\x0c\r ]")
_ESCAPES = {ord(k): v for k, v in zip("nrtbf()/\\ %<>[]#_&$", b"\n\r\t\b\f()/\\ %<>[]#_&$")}
_OCTAL = re.compile(rb"[0-7]{1,3}")
_KEYWORDS = {b"true": True, b"false": False, b"null": None}
_INLINE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|\Z)")
_INLINE_EI = re.compile(rb"[\x00\t\n\x0c\r ]*EI(?=[\x00\t\n\x0c\r ]|\Z)")
_BINARY = re.compile(rb"[\x01-\x08\x0b\x0e-\x1f]")   # control bytes other than white space
_NO_END = object()
_BARE = {op: ((), op) for op in _PAINTED}   # (one shared tuple for each operator without operands)


def _operations(data: bytes) -> list[tuple[list, bytes]]:
    """The operations of a content stream that place text: (operands, operator) in order.

    Every token takes at least one byte, so the work is linear in the bytes (which the
    budget counts); the operands of other operators are dropped as soon as those are read.
    """
    out: list[tuple[list, bytes]] = []
    operands: list = []
    match = _TOKEN.match
    pos = 0
    while True:
        m = match(data, pos)
        kind = m.lastindex
        if kind is None:   # the end
            return out
        pos = m.end()
        if kind == 3:
            token = m.group(3)
            try:
                operands.append(float(token) if b"." in token else int(token))
            except ValueError:
                operands.append(_numeral(token))
        elif kind == 1:
            bare = _BARE.get(m.group(1))
            if bare is None:
                if m.group(1) == b"BI":
                    pos = _inline_image(data, pos)
            elif operands:
                out.append((operands[:MAX_OPERANDS] if len(operands) > MAX_OPERANDS else operands, bare[1]))
            else:
                out.append(bare)
            operands = []
        elif kind == 11:   # a comment
            continue
        else:
            value, pos = _value(data, m)
            operands.append(value)


def _object(data: bytes, pos: int, top: bool = False):
    """(the object at ``pos``, the position after it): ``_NO_END`` at the end of the stream;
    with ``top``, an operator is returned as :class:`_Operator` (else it is an error)."""
    m = _match(data, pos)
    if m.lastindex is None:
        return _NO_END, m.end()
    if m.lastindex == 1 and top:
        return _Operator(m.group(1)), m.end()
    return _value(data, m)


def _match(data: bytes, pos: int) -> re.Match:
    """The next token at ``pos`` that is not a comment."""
    m = _TOKEN.match(data, pos)
    while m.lastindex == 11:
        m = _TOKEN.match(data, m.end())
    return m


class _Operator(bytes):
    """An operator read where an operand could be (the settings of an inline image)."""


def _value(data: bytes, m: re.Match):
    """(the operand that token ``m`` starts, the position after it)."""
    kind = m.lastindex
    pos = m.end()
    if kind == 3:
        return _numeral(m.group(3)), pos
    if kind == 2:
        return _name(m.group(2)), pos
    if kind == 4:
        return _literal(data, pos)
    if kind == 7 or kind == 6:
        if not m.group(7):
            raise ValueError("an unterminated hex string")
        digits = _HEX_SPACE.sub(b"", m.group(6))
        return bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode()), pos
    if kind == 8:
        return _array(data, pos)
    if kind == 5:
        return _dictionary(data, pos)
    if kind == 1 and m.group(1) in _KEYWORDS:
        return _KEYWORDS[m.group(1)], pos
    raise ValueError(f"an unexpected {m.group(kind)[:20]!r} in a content stream")


def _numeral(token: bytes) -> int | float:
    try:
        return float(token) if b"." in token else int(token)
    except ValueError:   # "1.2.3", "+-": pypdf reads 0
        return 0.0 if b"." in token else 0


def _name(token: bytes) -> str:
    """A name as pypdf decodes it (#xx escapes; UTF-8, else GBK, else Latin-1)."""
    if b"#" in token:
        token = NameObject.unnumber(token)
    for codec in ("utf-8", "gbk"):
        try:
            return "/" + token.decode(codec)
        except UnicodeDecodeError:
            pass
    return "/" + token.decode("latin-1")


def _literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """A (literal string) from after its "(": its bytes, the position after its ")"."""
    depth = 1
    out = bytearray()
    while True:
        m = _STRING_STOP.search(data, pos)
        if m is None:
            raise ValueError("an unterminated string")
        at = m.start()
        out += data[pos:at]
        char = data[at]
        pos = at + 1
        if char == 0x29:   # )
            depth -= 1
            if not depth:
                return bytes(out), pos
            out.append(char)
        elif char == 0x28:   # (
            depth += 1
            out.append(char)
        elif pos < len(data):   # a backslash and what it escapes
            code = data[pos]
            pos += 1
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
            elif 0x30 <= code <= 0x37:
                digits = _OCTAL.match(data, pos - 1).group(0)
                if int(digits, 8) > 255:   # pypdf keeps the backslash, then reads the digits
                    out.append(0x5C)
                    pos -= 1
                else:
                    out.append(int(digits, 8))
                    pos += len(digits) - 1
            elif code in (0x0A, 0x0D):   # an escaped line break is no character
                if pos < len(data) and data[pos] in (0x0A, 0x0D):
                    pos += 1
            else:   # an unknown escape: pypdf keeps the backslash and the character
                out += bytes((0x5C, code))
        else:
            raise ValueError("an unterminated string")


def _array(data: bytes, pos: int) -> tuple[list, int]:
    """An [array] from after its "[" (to the end of the stream if unterminated, as pypdf)."""
    items: list = []
    match = _TOKEN.match
    while True:
        m = match(data, pos)
        kind = m.lastindex
        pos = m.end()
        if kind == 3:   # the common cases first: a number, a string
            token = m.group(3)
            try:
                items.append(float(token) if b"." in token else int(token))
            except ValueError:
                items.append(_numeral(token))
        elif kind == 4:
            text, pos = _literal(data, pos)
            items.append(text)
        elif kind is None or kind == 9:   # the end of the stream, or of the array
            return items, pos
        elif kind != 11:   # (a comment)
            value, pos = _value(data, m)
            items.append(value)


def _dictionary(data: bytes, pos: int) -> tuple[dict, int]:
    """A <<dictionary>> from after its "<<"."""
    out: dict = {}
    while True:
        m = _match(data, pos)
        if m.lastindex == 10:
            return out, m.end()
        if m.lastindex != 2:
            raise ValueError("a dictionary key that is not a name")
        value, pos = _object(data, m.end())
        if value is _NO_END:
            raise ValueError("an unterminated dictionary")
        out[_name(m.group(2))] = value


def _inline_image(data: bytes, pos: int) -> int:
    """Skip an inline image (after its BI): the position after its EI.

    Its settings run up to the operator ID, one white-space byte, then the image data: of
    the length /L (/Length) gives, or of the size /W, /H, /BPC and the colour space give
    when it is not compressed, or else up to the first "EI" between white space that is
    followed by what looks like content (no control bytes in the next ten, as pypdf decides).
    """
    settings: dict = {}
    while True:
        key, pos = _object(data, pos, True)
        if key is _NO_END:
            raise ValueError("an inline image without ID")
        if type(key) is _Operator:
            if key == b"ID":
                break
            raise ValueError(f"an inline image with {bytes(key[:20])!r}")
        value, pos = _object(data, pos)
        if value is _NO_END or not isinstance(key, str):
            raise ValueError("a broken inline image")
        settings[key] = value
    pos += 1   # the white space after ID
    length = _inline_length(settings)
    if length is not None:
        m = _INLINE_EI.match(data, pos + length)
        if m:
            return m.end()
    at = pos - 1
    while True:
        m = _INLINE_END.search(data, at)
        if m is None:
            raise ValueError("an inline image without EI")
        if not _BINARY.search(data, m.end(), m.end() + 10):   # (pypdf's test: no control bytes)
            return m.end()
        at = m.end() - 1


_COLOURS = {"/G": 1, "/DeviceGray": 1, "/RGB": 3, "/DeviceRGB": 3, "/CMYK": 4, "/DeviceCMYK": 4,
            "/I": 1, "/Indexed": 1}


def _inline_length(settings: dict) -> int | None:
    """The byte length of an inline image's data, where the settings tell it."""
    given = settings.get("/L", settings.get("/Length"))
    if isinstance(given, int) and not isinstance(given, bool) and given >= 0:
        return given
    if settings.get("/F", settings.get("/Filter")) not in (None, []):
        return None
    width, height = settings.get("/W", settings.get("/Width")), settings.get("/H", settings.get("/Height"))
    bits = settings.get("/BPC", settings.get("/BitsPerComponent", 8))
    if settings.get("/IM", settings.get("/ImageMask")) is True:
        bits, colours = 1, 1
    else:
        space = settings.get("/CS", settings.get("/ColorSpace", "/G"))
        colours = _COLOURS.get(space[0] if isinstance(space, list) and space else space)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height, bits)) \
            or colours is None:
        return None
    return height * ((width * colours * bits + 7) // 8)


def _string_bytes(text: str) -> bytes:
    try:
        return text.original_bytes  # a TextStringObject
    except AttributeError:
        return text.encode("latin-1", "replace")


def _move(tlm: tuple[float, ...], tx: float, ty: float) -> tuple[float, ...]:
    """The line matrix moved by (tx, ty) in text space (Td)."""
    return (tlm[0], tlm[1], tlm[2], tlm[3],
            tlm[4] + tx * tlm[0] + ty * tlm[2], tlm[5] + tx * tlm[1] + ty * tlm[3])


def _mult(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    return (
        m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _turn(m: tuple[float, ...]) -> int:
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
    """Width of ``text`` in em, guessed: half-width characters ½, all others 1."""
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
    lines = [line for line in lines if line is not None]
    for row, line in enumerate(lines, 1):
        line.row = row
    return lines


def _make_line(runs: list[_Run], page: int) -> _Line | None:
    """The runs of one baseline as a line, left to right (None when they are only spaces).

    A space separates two runs with a gap of :data:`SPACE_EM` between them
    (:data:`LATIN_SPACE_EM` between half-width characters), or a space (a space glyph drawn
    on its own, a TJ word gap) that nothing is drawn into.
    """
    runs = sorted(runs, key=lambda r: r.x)
    parts: list[str] = []
    seen: list[_Run] = []
    end = -math.inf
    space_end = math.inf   # where a space drawn after the last run ends
    for run in runs:
        if run.text == " ":
            if parts and run.x > end - 0.1 * run.size:
                space_end = run.end if math.isinf(space_end) else max(space_end, run.end)
            continue
        if any(s.text == run.text and abs(s.x - run.x) < 0.3 * run.size for s in seen[-4:]):
            continue  # the same text drawn again over itself (simulated bold)
        if parts and not parts[-1].endswith(" ") and not run.text.startswith(" "):
            gap = LATIN_SPACE_EM if _HALF.match(parts[-1][-1]) and _HALF.match(run.text) else SPACE_EM
            if run.x >= space_end - 0.1 * run.size or run.x - end > gap * run.size:
                parts.append(" ")
        parts.append(run.text)
        seen.append(run)
        end = max(end, run.end)
        space_end = math.inf
    if not seen:
        return None
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
    """(page, row) of edge lines whose text recurs at about the same height on most pages.

    A line recurs where lines of the same text (digits counted as equal) lie within its font
    size above or below it, their size within 1 pt of its own (sizes compared in tenths of a
    point), on :data:`REPEAT_SHARE` of the pages. Counted for all the lines of one text and
    size at once, in one sweep down the page heights: linear in the pages, where comparing
    every line with every other was quadratic (minutes for a few thousand pages).
    """
    where: dict[str, list[_Line]] = defaultdict(list)
    for lines in pages:
        for line in _edges(lines):
            where[_key(line.text)].append(line)
    need = max(2, math.ceil(REPEAT_SHARE * len(pages)))
    found: set[tuple[int, int]] = set()
    for same in where.values():
        if len({ln.page for ln in same}) < need:
            continue
        by_size: dict[int, list[_Line]] = defaultdict(list)
        for line in same:
            by_size[_tenths(line.size)].append(line)
        for tenths, lines in by_size.items():
            # the lines of other sizes within 1 pt: at most 19 groups of sizes, so each line
            # takes part in at most 19 sweeps
            near = sorted((o for t in range(tenths - 9, tenths + 10) for o in by_size.get(t, ())),
                          key=lambda o: o.y)
            found.update(_recurring(sorted(lines, key=lambda o: o.y), near, tenths / 10, need))
    return found


def _tenths(size: float) -> int:
    return round(size * 10) if size < 1e6 else 10 ** 7   # (a size that is not finite: one group)


def _recurring(lines: list[_Line], near: list[_Line], reach: float, need: int) -> Iterator[tuple[int, int]]:
    """(page, row) of ``lines`` with lines of ``need`` pages of ``near`` within ``reach`` in height.

    Both lists are sorted by height; a window of ``near`` slides along with the lines, with
    a count of the lines of each page inside it.
    """
    inside: dict[int, int] = {}
    low = high = 0
    for line in lines:
        while high < len(near) and near[high].y <= line.y + reach:
            inside[near[high].page] = inside.get(near[high].page, 0) + 1
            high += 1
        while low < high and near[low].y < line.y - reach:
            page = near[low].page
            inside[page] -= 1
            if not inside[page]:
                del inside[page]
            low += 1
        if len(inside) >= need:
            yield line.page, line.row


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
    return _Layout(size, left, right, pitch, *_paragraph_starts(upright, size, left, right, pitch))


def _paragraph_starts(upright: list[_Line], size: float, left: float, right: float,
                      pitch: float) -> tuple[bool, bool]:
    """Does the document indent the first lines of its paragraphs; does it space paragraphs?

    Looked at below the lines that end well before the right edge (the last lines of
    paragraphs, short headings): the next body-size line on the same page, at most a few
    pitches down, that starts at the left margin or indented (by 1 to :data:`INDENT_EM`
    characters) and is not a numbered heading (those may be indented or not; they are told
    by their numbers). Centred and right-aligned lines are not counted. The document indents
    unless most of those paragraph starts are at the margin (with none to look at, it is
    taken to indent, as government documents do), and it spaces its paragraphs when most of
    them lie further below than a wrapped line would.
    """
    if math.isinf(right):
        return True, False
    indented = flush = spaced = 0
    for a, b in pairwise(upright):
        if a.page != b.page or not 0 < a.y - b.y <= PARAGRAPH_GAP * pitch \
                or abs(a.size - size) > 0.15 * size or abs(b.size - size) > 0.15 * size \
                or a.x0 > left + INDENT_EM * size or a.x1 > right - SHORT_LINE_EM * size \
                or _HEADING_START.match(b.text):
            continue
        if abs(b.x0 - left) <= MARGIN_EM * size:
            flush += 1
        elif left + (1 - MARGIN_EM) * size <= b.x0 <= left + INDENT_EM * size:
            indented += 1
        else:
            continue
        spaced += a.y - b.y > GAP_FACTOR * pitch
    return indented >= flush, spaced > 0.8 * (indented + flush)


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
    evens out ends that differ a little (justified lines, hanging punctuation, glyph widths
    guessed for fonts that do not give them).
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
        if ends_sentence and not lay.indents and not (lay.spaced and a.page == b.page):
            return False  # without indents (or spacing) a paragraph may end here
        # a numbered heading or item after a sentence or after a (full) numbered heading
        return not ((ends_sentence or _HEADING_START.match(a.text)) and _HEADING_START.match(b.text))
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
