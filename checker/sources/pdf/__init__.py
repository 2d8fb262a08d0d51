"""PDF reader: text lines from the page geometry, page furniture removed, wrapped lines joined.

pypdf (pure Python) parses the file and its fonts; content streams are tokenized here (see
:mod:`.tokenizer`: pypdf's parser is most of the time of reading a PDF). pypdf's plain
``extract_text()`` keeps the PDF's visual line breaks, which split every paragraph at the right
margin, and keeps running headers, footers and page numbers in the text; its layout mode renders
pages onto a fixed-width character grid, which loses the positions needed here and is slower;
and what it reports to a ``visitor_text`` callback is a run of text with the position of its
start only (no glyph widths, no advance of the text matrix, spaces made up from large kerns).
So the reader runs the text operators itself and works on geometry, in stages (each module's
docstring says how):

0. **Opening** (:mod:`.opening`): the bytes -> a pypdf reader, or the finding why not.
1. **Pieces** (:mod:`.content`, with :mod:`.tokenizer` for the content streams, :mod:`.fonts`
   for the glyphs and their widths, :mod:`.budget` for the work one file may cause): each
   page -> the pieces of text it draws, with their exact start and end along the baseline.
2. **Lines** (:mod:`.lines`): a page's pieces -> its lines, top to bottom, numbered.
3. **Page furniture** (:mod:`.furniture`): the lines of every page -> the lines in reading
   order without running headers, footers and page numbers.
4. **Tables** (checker/skeleton/layout.py): those lines -> the tables drawn with them, from the positions
   of their pieces (columns, cells over several lines, merged cells); a table's lines keep
   their cells apart by tabs and are never joined.
5. **Joins** (:mod:`.paragraphs`): the other lines -> paragraphs, wrapped lines joined.

This module runs the stages (:func:`read_pdf`) and makes the :class:`Source` of the result;
:mod:`.objects` holds the lenient reading of pypdf objects that the stages share.

Output: one line per paragraph (or unjoined line), and the tables found, each cell on its
line (``Source.tables``; None when there is none, so that the parser looks for tables
written in the text). ``places[i]`` is "第P页第L行": the page and
the line on it where line i+1 starts, L counting every visible text line of the page from the
top, the running header included (as someone counting lines on the printed page would).

Errors: no PDF header or an unparsable file -> ``damaged`` (a file that lost its end, e.g. an
unfinished download, says so; pypdf cannot rebuild one without its trailer); a password needed
to open -> ``encrypted`` (a PDF with only an owner password, restricting copying or printing,
opens with the empty user password and is read normally); no text on any page, or text that
is mostly private-use characters (fonts without a Unicode map) -> ``no_text``; more work than
the budget of one file allows (forms drawn over and over, thousands of pages, content that
inflates: see :class:`.budget._Work`), or memory run out all the same -> ``too_complex``. Pages
without text or that fail to parse are named in the note. Not handled: multi-column layouts
(columns side by side are read as one line), tables whose columns do not line up or that
hold no figures (their rows are lines of text), wrapped right-aligned
lines, text in annotations, vertical writing (a -V CMap's glyphs are advanced along the line),
and fonts whose Unicode map is wrong (pypdf's decoding is taken as is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pypdf

from checker.skeleton.layout import FoundTable, find_tables
from checker.skeleton.tables import TableBudget, TableBuilder, Tables
from checker.sources import Source, SourceError
from checker.sources.pdf.budget import (
    MAX_CONTENT_BYTES,
    MAX_FORM_DEPTH,
    MAX_GLYPHS,
    MAX_OBJECTS,
    MAX_OPERATORS,
    MAX_PAGES,
    MAX_RUNS,
)
from checker.sources.pdf.content import _Painter
from checker.sources.pdf.furniture import _SPACE, REPEAT_SHARE, _drop_furniture, _edges, _key, _repeated, is_page_number
from checker.sources.pdf.lines import _Line, _lines
from checker.sources.pdf.objects import _FATAL
from checker.sources.pdf.opening import _open, _quiet, _truncated
from checker.sources.pdf.paragraphs import _join, _line_text, _measure
from checker.sources.pdf.tokenizer import _PAINTED, MAX_OPERANDS, _operations

__all__ = ["read_pdf", "is_page_number", "MAX_OBJECTS", "MAX_PAGES", "MAX_CONTENT_BYTES", "MAX_OPERATORS",
           "MAX_GLYPHS", "MAX_RUNS", "MAX_FORM_DEPTH", "MAX_OPERANDS"]
# ... and names of the stages that the tests reach through this module (tests/test_source_pdf.py)
__all__ += ["REPEAT_SHARE", "_Line", "_PAINTED", "_drop_furniture", "_edges", "_extract", "_join", "_key", "_open",
            "_operations", "_quiet", "_repeated"]

_UNDECODED = re.compile(r"[\ue000-\uf8ff\ufffd]")  # private use area, replacement character


@dataclass
class _Pages:
    lines: list[list[_Line]] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)    # pages pypdf could not parse


def read_pdf(data: bytes, display: str) -> Source:
    """Turn a PDF's bytes into one line per paragraph (see the module docstring).

    Running out of memory or stack is never a crash: the work budget (:class:`.budget._Work`) keeps
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
    found, skipped = find_tables(kept)
    in_tables: set[int] = set()
    for table in found:
        for k, index in enumerate(table.lines):
            kept[index].text = table.texts[k]      # its chunks (cells) apart by tabs
            in_tables.add(index)
    body = [line for i, line in enumerate(kept) if i not in in_tables] or kept
    paragraphs, joins = _join(kept, _measure(body), in_tables)
    text = "\n".join(_line_text(p) for p in paragraphs)
    if _undecoded(text):
        raise SourceError("no_text", "PDF 的文字无法解码（字体缺少 Unicode 映射），请提供可复制文字的版本")
    places = [f"第{p[0].page}页第{p[0].row}行" for p in paragraphs]
    note = _note(len(lines_by_page), removed, joins, textless, pages.failed, _truncated(data))
    tables = _tables(found, skipped, kept, paragraphs)
    if not (tables or tables.incomplete):
        # none drawn as a table: the parser looks for tables written in the text (pipe,
        # tab or space-aligned rows, one cell a line)
        return Source(display, text, "pdf", "pdf", places, note)
    note += f"；{len(tables)} 个表格" + ("（表格过大，部分表格的结构未读取）" if tables.incomplete else "")
    return Source(display, text, "pdf", "pdf", places, note, tables=tables)


def _tables(found: list[FoundTable], skipped: bool, kept: list[_Line], paragraphs: list[list[_Line]]) -> Tables:
    """The tables found, their cells placed on the lines of the text (a table's lines are
    never joined: each is a line of the text)."""
    number = {id(group[0]): no for no, group in enumerate(paragraphs, 1)}
    out = Tables()
    budget = TableBudget()
    for found_table in found:
        builder = TableBuilder(len(out) + 1, "pdf", budget)
        lines = [number[id(kept[index])] for index in found_table.lines]
        builder.put_cells([(text, row, col, rows, cols, lines[line], offset + 1)
                           for text, row, col, rows, cols, line, offset in found_table.cells],
                          found_table.height, found_table.width)
        table = builder.table(lines[0], lines[-1])
        if table is not None:
            out.append(table)
    out.incomplete = skipped or budget.incomplete
    return out


def _extract(reader: pypdf.PdfReader) -> _Pages:
    """Pieces and lines: each page's lines (none for a page that fails to parse, named)."""
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
