"""Word (.docx) reader: the document body as lines, with Word's automatic numbering rendered.

One line per body paragraph and per table row, in document order (content controls and
custom-XML wrappers are looked into). Each body table is also read into the table model
(checker/skeleton/tables.py): its cells placed on the grid by ``w:gridBefore``, ``w:gridSpan``
and ``w:vMerge``, each at its column in its row's line (a nested table stays text in its
cell). Headers, footers, footnotes, comments, text boxes, deleted text and field codes are
not part of the text. Word does not store the numbers of
an automatically numbered list in the paragraph ("一、", "（一）", "1." live in numbering.xml),
so this module keeps Word's list counters and writes each number back in front of its
paragraph, as the reader of the document sees it.

The numbering part is pure and testable on its own: :func:`format_number` (one counter
value in one ``w:numFmt``), :class:`NumberingDefs` (the parsed definitions: abstract lists,
list instances, paragraph styles) and :class:`ListNumbering` (the counters; one call per
numbered paragraph, in document order).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from checker.skeleton.tables import TableBudget, TableBuilder, Tables
from checker.sources import Source, SourceError
from checker.sources.wordnumbering import (
    ListNumbering,
    NumberingDefs,
    TextBudget,
    children_by_tag,
    is_on,
    to_int,
    w_val,
    wan,
)

__all__ = ["read_docx", "open_mapped", "LineMap", "Origin"]

Element = Any  # an lxml element (python-docx's oxml elements are lxml elements too)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


VAL = _w("val")
P, TBL, TR, TC = _w("p"), _w("tbl"), _w("tr"), _w("tc")
R, T = _w("r"), _w("t")
SDT, SDT_CONTENT, CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
ALTERNATE, CHOICE = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice"
PPR, RPR, PSTYLE, NUMPR = _w("pPr"), _w("rPr"), _w("pStyle"), _w("numPr")
TCPR, TRPR, GRID_SPAN, VMERGE, GRID_BEFORE = _w("tcPr"), _w("trPr"), _w("gridSpan"), _w("vMerge"), _w("gridBefore")
ILVL, NUMID = _w("ilvl"), _w("numId")

# ---------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------

MAX_UNCOMPRESSED = 200 * 1024 * 1024   # total declared size of all zip members
MAX_RATIO = 200                        # compression ratio that is absurd ...
RATIO_MIN_SIZE = 10 * 1024 * 1024      # ... for a member at least this large

# The work a file can cause once unpacked (issue 14). A member of less than 10 MB may compress
# without limit, so a few KB can carry megabytes of markup, and numbering.xml states a number's
# text once for any number of paragraphs. Each budget is far above real reports: the
# LibreOffice and python-docx versions of the seeds (tests/data/libreoffice, bench/readers.py)
# have 18 to 20 members, 29,500 to 54,000 markup characters in all, 30 to 93 lines, 2,000 to
# 4,700 characters of text (0.12 to 0.27 characters per byte of document.xml) and numbers of
# at most 3 characters. Times below are on 2 cores shared by other work.

# Members of the zip, and the bytes of its central directory (the list of members), read
# before zipfile lists them: zipfile takes ~25 microseconds a member, python-docx lists them
# again (200,000 empty members, an 18 MB file, took 12 s). The seeds' list is 1.5 KB; a
# report with a thousand images would have ~80 KB.
MAX_MEMBERS = 10_000
MAX_CENTRAL_DIRECTORY = 1024 * 1024
# "<" and "=" (elements, comments and attributes) in all members, counted while the zip is
# checked, before anything is parsed: lxml keeps ~120 bytes per element and ~250 per attribute
# and parses ~400,000 attributes a second, and the body walk costs ~2 microseconds per
# element (at 2 million, a 300 KB file took 8 s and 510 MB; at 1 million, 4 s and 270 MB).
# 18 to 34 times the seeds; a 150-page report with heavy run formatting would have, by
# estimate, some 300,000.
MAX_XML_NODES = 1_000_000
# Paragraphs (in the body and in table cells) and table rows: 20 to 75 microseconds each to
# read (a numbered one the most) and a line each for the later stages. 500 times the seeds
# (a document of some 1,500 pages).
MAX_BLOCKS = 50_000
# The text the reader produces (automatic numbers included): at most this many characters
# plus TEXT_PER_XML_BYTE per byte of document.xml (text without numbers cannot pass one
# character per byte: every character is at least one byte of the XML) ...
TEXT_FLOOR = 1_000_000
TEXT_PER_XML_BYTE = 2
# ... and never more than this: less than a .txt under the default 20 MB limit may hold (4
# million Chinese characters are 12 MB of UTF-8); the later stages check it in ~4 s.
MAX_TEXT_CHARS = 4_000_000

# ---------------------------------------------------------------------------------------
# Opening the package
# ---------------------------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOT_ZIP = "不是有效的 Word（.docx）文件：压缩包无法打开"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _sniff(data: bytes) -> str:
    """Why bytes that are not a zip package are not a .docx (a Chinese detail)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return "这是 RTF 文件，请用 Word 另存为 .docx"
    if head.startswith(b"%pdf"):
        return "这是 PDF 文件，扩展名应为 .pdf"
    if head.startswith(b"<"):
        if b"word.document" in head or b"<w:worddocument" in head:
            return "这是 Word 2003 XML 文件，请用 Word 另存为 .docx"
        if b"<html" in head or b"<!doctype html" in head:
            return "这是网页（HTML）文件，扩展名应为 .html"
    return _NOT_ZIP


def _check_ole(data: bytes) -> None:
    """An OLE compound file: an old .doc, or a .docx protected by a password."""
    if _utf16("EncryptedPackage") in data:
        raise SourceError("encrypted", "Word 文档设置了打开密码，请解除密码后再检查")
    if _utf16("WordDocument") in data:
        raise SourceError("damaged", "这是旧版 Word（.doc）文件，请另存为 .docx")
    raise SourceError("damaged", "这是旧版 Office 文件而不是 .docx，请用 Word 另存为 .docx")


def _check_zip(data: bytes) -> dict[str, int]:
    """Refuse what is not a zip package, zip bombs and too much markup, before python-docx
    unpacks anything; the uncompressed size of each member, by name."""
    _check_directory(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise SourceError("damaged", _sniff(data) if not data.startswith(b"PK")
                          else "Word（.docx）压缩包已损坏或不完整") from None
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise SourceError("encrypted", "压缩包设置了密码，不是 Word 保存的 .docx")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SourceError("damaged", "压缩包使用了 Word 不使用的压缩方式，不是 Word（.docx）文件")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (info.file_size > RATIO_MIN_SIZE and ratio > MAX_RATIO):
            raise SourceError("damaged", "压缩包解压后异常巨大（疑似压缩炸弹），已拒绝读取")
    nodes = 0
    for info in members:
        nodes += _markup(data, info)
        if nodes > MAX_XML_NODES:
            raise SourceError("too_complex", f"Word 文档中的 XML 元素和属性超过 {wan(MAX_XML_NODES, '个')}"
                              "（疑似恶意构造的文件）")
    sizes = {info.filename: info.file_size for info in members}
    if "[Content_Types].xml" not in sizes:
        raise SourceError("damaged", "压缩包中没有 [Content_Types].xml，不是 Word（.docx）文件")
    return sizes


def _check_directory(data: bytes) -> None:
    """Refuse a zip listing too many members, from its end-of-central-directory record (what
    zipfile reads first; when there is none, zipfile says the file is no zip)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - (1 << 16) - 22))
    if end < 0 or len(data) < end + 22:
        return
    members = int.from_bytes(data[end + 10:end + 12], "little")   # 0xFFFF: zip64, more
    size = int.from_bytes(data[end + 12:end + 16], "little")
    if members > MAX_MEMBERS or size > MAX_CENTRAL_DIRECTORY:
        raise SourceError("too_complex", f"Word 压缩包中的文件超过 {wan(MAX_MEMBERS, '个')}"
                          "（疑似恶意构造的文件）")


def _markup(data: bytes, info: zipfile.ZipInfo) -> int:
    """The "<" and "=" in a member (an upper bound on its elements, comments and attributes);
    SourceError if a deflated member inflates to more than its declared size.

    The sizes above are only what the archive claims. zipfile stops at the declared size, but
    a whole-member read (python-docx's) first inflates all of the member's compressed bytes
    in one call, without a bound: a 1.5 MB file claiming 5 KB took 2 GB. So each member is
    inflated here once, in 1 MB steps, and refused as soon as it passes its declared size.
    Images count too (a "<" or "=" in 128 random bytes): python-docx picks the parts it
    parses by content type, not by name.
    """
    try:
        header = data[info.header_offset:info.header_offset + 30]   # the member's local header
        if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
            raise SourceError("damaged", "Word（.docx）压缩包已损坏或不完整")
        start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") \
            + int.from_bytes(header[28:30], "little")   # past the file name and the extra field
        end = start + info.compress_size
        if info.compress_type != zipfile.ZIP_DEFLATED:   # stored
            return data.count(b"<", start, end) + data.count(b"=", start, end)
        stream = memoryview(data)[start:end]
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        total = nodes = 0
        for at in range(0, len(stream), 1 << 16):
            pending = stream[at:at + (1 << 16)]
            while pending and not inflate.eof:
                chunk = inflate.decompress(pending, 1 << 20)
                total += len(chunk)
                if total > info.file_size:
                    raise SourceError("damaged", "压缩包中的文件解压后比声明的大（疑似压缩炸弹），已拒绝读取")
                nodes += chunk.count(b"<") + chunk.count(b"=")
                if nodes > MAX_XML_NODES:   # the caller names the limit
                    return nodes
                pending = inflate.unconsumed_tail
            if inflate.eof:
                break
    except zlib.error:
        raise SourceError("damaged", "Word（.docx）压缩包已损坏或不完整") from None
    return nodes


def _kind_detail(content_type: str) -> str | None:
    """A detail when the package's main part is not a Word document (an .xlsx renamed...)."""
    if "wordprocessingml" in content_type or "ms-word" in content_type:
        return None
    if "spreadsheetml" in content_type or "ms-excel" in content_type:
        return "这是 Excel 文件而不是 Word 文件"
    if "presentationml" in content_type or "ms-powerpoint" in content_type:
        return "这是 PowerPoint 文件而不是 Word 文件"
    return f"主文档不是 Word 正文（类型 {content_type}）"


def _part_xml(part: Any) -> Element:
    """The root element of a package part (parsed safely if python-docx kept only bytes)."""
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from docx.oxml.parser import parse_xml  # no entity resolution, no network

    return parse_xml(part.blob)


def _related_xml(part: Any, reltype: str) -> Element | None:
    try:
        return _part_xml(part.part_related_by(reltype))
    except KeyError:
        return None


@dataclass
class _Package:
    body: Element | None
    numbering: NumberingDefs
    member: str               # the zip member of the main document part ("word/document.xml")
    part: Any = None          # python-docx's DocumentPart (open_mapped changes its document)


def _open(data: bytes) -> _Package:
    """Open the package with python-docx; any failure is a damaged file."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.package import Package

    try:
        main = Package.open(io.BytesIO(data)).main_document_part
    except KeyError as exc:
        raise SourceError("damaged", _missing_detail(exc)) from None
    except (MemoryError, RecursionError):
        raise                  # read_docx says what they mean
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml/zipfile raise many types
        raise SourceError("damaged", _broken_detail(exc)) from None
    detail = _kind_detail(main.content_type)
    if detail:
        raise SourceError("damaged", detail)
    try:
        root = _part_xml(main)
        numbering = NumberingDefs.from_xml(_related_xml(main, RT.NUMBERING),
                                           _related_xml(main, RT.STYLES))
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # noqa: BLE001
        raise SourceError("damaged", _broken_detail(exc)) from None
    return _Package(root.find(_w("body")), numbering, str(main.partname).lstrip("/"), main)


def _missing_detail(exc: KeyError) -> str:
    """python-docx's KeyError for a part or relationship the package lacks, in Chinese."""
    message = str(exc)
    missing = re.search(r"no item named '([^']+)'", message)
    if missing is not None and missing[1] != "word/document.xml":
        return f"压缩包中缺少 {missing[1]}，不是完整的 Word（.docx）文件"
    if "no relationship" in message:
        return "压缩包中找不到 Word 主文档（若是“严格 Open XML”格式，请另存为普通 .docx）"
    return "压缩包中没有 Word 正文（word/document.xml）"


def _broken_detail(exc: Exception) -> str:
    """A Chinese detail for a part python-docx could not load (bad XML, bad zip member...)."""
    if isinstance(exc, etree.XMLSyntaxError):
        line, column = exc.position
        return f"Word（.docx）文件内容已损坏：XML 格式错误（第 {line} 行第 {column} 列）"
    if isinstance(exc, (zipfile.BadZipFile, EOFError, zlib.error)):
        return "Word（.docx）压缩包已损坏或不完整"
    return f"Word（.docx）文件内容已损坏（{type(exc).__name__}）"


# ---------------------------------------------------------------------------------------
# Walking the body
# ---------------------------------------------------------------------------------------

_BREAK = "\x00"   # a soft line break inside a paragraph, resolved by _join
_WRAPPERS = frozenset({CUSTOM_XML, _w("ins"), _w("moveTo")})
_INLINE = frozenset({_w("hyperlink"), _w("ins"), _w("moveTo"), _w("smartTag"), _w("fldSimple"),
                     CUSTOM_XML, SDT_CONTENT, _w("dir"), _w("bdo")})
_TABS = frozenset({_w("tab"), _w("ptab")})
_BREAKS = frozenset({_w("br"), _w("cr")})
_MATH = frozenset({f"{{{M_NS}}}oMath", f"{{{M_NS}}}oMathPara"})
_M_T = f"{{{M_NS}}}t"
_VANISH = _w("vanish")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def _flatten(parent: Element, wanted: frozenset[str]) -> Iterator[Element]:
    """Children of ``parent`` with a wanted tag, looking through content controls,
    custom-XML wrappers and mc:AlternateContent (first choice; the fallback repeats it)."""
    for child in parent:
        tag = child.tag
        if tag in wanted:
            yield child
        elif tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _flatten(content, wanted)
        elif tag in _WRAPPERS:
            yield from _flatten(child, wanted)
        elif tag == ALTERNATE:
            choice = child.find(CHOICE)
            if choice is not None:
                yield from _flatten(choice, wanted)


_BLOCKS = frozenset({P, TBL})
_ROWS = frozenset({TR})
_CELLS = frozenset({TC})


def _first(parent: Element, tag: str) -> Element | None:
    """``parent.find(tag)`` for a child the schema puts first (w:pPr, w:rPr): checked there
    before any search (a find costs ~8 microseconds with lxml 6)."""
    if len(parent):
        first = parent[0]
        if first.tag == tag:
            return first
    return parent.find(tag)


def _hidden(run: Element) -> bool:
    rpr = _first(run, RPR)
    return rpr is not None and is_on(children_by_tag(rpr).get(_VANISH))


def _collect(parent: Element, out: list[str], origins: list[Element] | None = None) -> None:
    """The visible text of a paragraph's content, in order (see the module docstring).

    ``origins`` (for :func:`open_mapped`): gets, for each piece of ``out``, the element it
    comes from (a w:t, w:tab, w:br, w:noBreakHyphen, or the outermost math zone)."""
    for child in parent:
        tag = child.tag
        if tag == T:
            out.append(child.text or "")
            # an unexpanded entity reference, a comment or a processing instruction inside
            # w:t (Word writes none; a hand-made or hostile file may): skipped, its tail kept
            out.extend(node.tail or "" for node in child)
            if origins is not None:
                origins.extend([child] * (1 + len(child)))
        elif tag == R:
            if not _hidden(child):
                _collect(child, out, origins)
        elif tag in _INLINE:
            _collect(child, out, origins)
        elif tag in _TABS:
            out.append("\t")
            if origins is not None:
                origins.append(child)
        elif tag in _BREAKS:
            if child.get(_w("type")) not in ("page", "column"):
                out.append(_BREAK)
                if origins is not None:
                    origins.append(child)
        elif tag == _w("noBreakHyphen"):
            out.append("-")
            if origins is not None:
                origins.append(child)
        elif tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                _collect(content, out, origins)
        elif tag == ALTERNATE:
            choice = child.find(CHOICE)
            if choice is not None:
                _collect(choice, out, origins)
        elif tag in _MATH:
            out.append("".join(t.text or "" for t in child.iter(_M_T)))
            if origins is not None:
                origins.append(child)
        elif tag == _w("ruby"):
            base = child.find(_w("rubyBase"))
            if base is not None:
                _collect(base, out, origins)
        # anything else carries no visible body text: properties, w:del/w:moveFrom (deleted),
        # w:delText, w:instrText (field codes), w:drawing/w:pict (text boxes), comment and
        # footnote references, bookmarks, mc:Fallback.


def _join(pieces: list[str]) -> str:
    """Concatenate text pieces; a soft break becomes nothing, or a space between two ASCII
    letters/digits ("line\\nbreak" -> "line break", "法治\\n政府" -> "法治政府")."""
    out: list[str] = []
    pending = False
    for piece in pieces:
        if piece == _BREAK:
            pending = bool(out)
            continue
        if not piece:
            continue
        if pending and out and _ASCII_WORD.match(out[-1][-1]) and _ASCII_WORD.match(piece[0]):
            out.append(" ")
        pending = False
        out.append(piece)
    text = "".join(out)
    return text.replace("\r", " ").replace("\n", " ") if "\r" in text or "\n" in text else text


class _Walker:
    """Turns the body into lines and places, numbering paragraphs as it goes."""

    def __init__(self, numbering: NumberingDefs, budget: TextBudget | None = None):
        self.budget = budget
        self.lists = ListNumbering(numbering, budget)
        self.lines: list[str] = []
        self.places: list[str] = []
        self.paragraphs = 0
        self.tables = 0
        self.blocks = 0           # paragraphs (body and cells) and table rows read so far
        self.found = Tables()     # the body's tables, their cells placed on the lines
        self.table_budget = TableBudget()

    def walk(self, body: Element) -> None:
        for block in _flatten(body, _BLOCKS):
            if block.tag == P:
                self.paragraphs += 1
                self._add(self.paragraph(block), f"第{self.paragraphs}段")
            else:
                self.tables += 1
                builder = TableBuilder(self.tables, "docx", self.table_budget)
                first = len(self.lines) + 1
                for row_no, tr in enumerate(_flatten(block, _ROWS), 1):
                    self._add(self._row(tr, builder), f"表格{self.tables}第{row_no}行")
                table = builder.table(first, len(self.lines))
                if table is not None:
                    self.found.append(table)
        self.found.incomplete = self.table_budget.incomplete

    def _add(self, line: str, place: str) -> None:
        self.lines.append(line)
        self.places.append(place)

    def _block(self) -> None:
        self.blocks += 1
        if self.blocks > MAX_BLOCKS:
            raise SourceError("too_complex", f"Word 文档中的段落和表格行超过 {wan(MAX_BLOCKS, '个')}"
                              "（疑似恶意构造的文件）")

    def paragraph(self, p: Element) -> str:
        """A paragraph's line: its automatic number (if any) and its visible text."""
        self._block()
        pieces: list[str] = []
        _collect(p, pieces)
        label = self._label(_first(p, PPR))    # spent on the budget before it is built
        text = _join(pieces)                # no longer than the paragraph's XML
        if self.budget is not None:
            self.budget.spend(len(text))
        return (label or "") + text

    def _label(self, ppr: Element | None) -> str | None:
        num_id = ilvl = style = None
        if ppr is not None:
            kids = children_by_tag(ppr)
            style = w_val(kids.get(PSTYLE))
            num_pr = kids.get(NUMPR)
            if num_pr is not None:
                kids = children_by_tag(num_pr)
                num_id = w_val(kids.get(NUMID))
                ilvl = to_int(w_val(kids.get(ILVL)))
        return self.lists.label(num_id, ilvl, style)

    def rows(self, tbl: Element) -> list[str]:
        """One line per row: cells joined by a tab, a cell's paragraphs by a space."""
        return [self._row(tr) for tr in _flatten(tbl, _ROWS)]

    def _row(self, tr: Element, builder: TableBuilder | None = None) -> str:
        """A row's line; with ``builder`` (a body table), its cells are placed on the grid
        too, each at its column in the line."""
        self._block()
        if builder is None:
            return "\t".join(self._cell(tc) for tc in _flatten(tr, _CELLS))
        line = len(self.lines) + 1
        trpr = tr.find(TRPR)
        builder.row(line, to_int(w_val(trpr.find(GRID_BEFORE)), 0) if trpr is not None else 0)
        texts: list[str] = []
        column = 1
        for tc in _flatten(tr, _CELLS):
            text = self._cell(tc)
            span, continued = 1, False
            tcpr = _first(tc, TCPR)
            if tcpr is not None:
                kids = children_by_tag(tcpr)
                span = to_int(w_val(kids.get(GRID_SPAN)), 1) or 1
                merge = kids.get(VMERGE)
                continued = merge is not None and w_val(merge, "continue") == "continue"
            if not (continued and builder.merge_up(span)):
                builder.cell(text, line, column, span)
            texts.append(text)
            column += len(text) + 1
        return "\t".join(texts)

    def _cell(self, tc: Element) -> str:
        parts: list[str] = []
        for block in _flatten(tc, _BLOCKS):
            if block.tag == P:
                parts.append(self.paragraph(block))
            else:  # a nested table: its rows flattened into the cell
                parts.extend(row.replace("\t", " ") for row in self.rows(block))
        return " ".join(part for part in parts if part.strip())

    @property
    def note(self) -> str:
        note = f"{self.paragraphs} 段，{self.tables} 个表格，自动编号 {self.lists.count} 处"
        return note + ("（表格过大，部分表格的结构未读取）" if self.found.incomplete else "")


# ---------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------

def read_docx(data: bytes, display: str) -> Source:
    """Read a .docx file's body text; SourceError for anything that is not a readable .docx
    (or whose reading would pass a work budget: see Limits)."""
    return _guarded(_read, data, display)


def _read(data: bytes, display: str) -> Source:
    _, walker = _walk(data, _Walker)
    return Source(path=display, text="\n".join(walker.lines), encoding="docx", format="docx",
                  places=walker.places, note=walker.note, tables=walker.found)


def text_budget(document_bytes: int) -> TextBudget:
    """The characters a document whose main part is ``document_bytes`` long may expand to."""
    return TextBudget(min(MAX_TEXT_CHARS, TEXT_FLOOR + TEXT_PER_XML_BYTE * document_bytes))


def _guarded(read, *args):
    """``read(*args)``, with running out of memory or stack as a SourceError (read_docx,
    open_mapped)."""
    try:
        return read(*args)
    except MemoryError:
        # not expected within the budgets; never a crash of the run all the same
        raise SourceError("too_complex", "读取 Word 文档时内存耗尽（文件展开后过于庞大）") from None
    except RecursionError:
        raise SourceError("damaged", "Word（.docx）文件结构嵌套过深，无法读取") from None


def _walk(data: bytes, walker_class: type) -> tuple[Any, Any]:
    """(the opened package, a ``walker_class`` that has walked its body): the checks and
    budgets every reading of a .docx goes through."""
    if not data:
        raise SourceError("empty", "")
    if data.startswith(_OLE):
        _check_ole(data)
    sizes = _check_zip(data)
    package = _open(data)
    walker = walker_class(package.numbering, text_budget(sizes.get(package.member, 0)))
    if package.body is not None:
        try:
            walker.walk(package.body)
        except (SourceError, MemoryError, RecursionError):
            raise
        except Exception as exc:  # noqa: BLE001 - malformed content must not crash a batch run
            raise SourceError("damaged", f"Word（.docx）正文无法解析（{type(exc).__name__}）") from None
    return package, walker


# ---------------------------------------------------------------------------------------
# Where each character of the text comes from (fzlint annotate)
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Origin:
    """Characters ``column .. column + length`` (0-based) of a line of the text, taken from one
    element of the document: a w:t (its text from the start), a w:tab, w:br or w:noBreakHyphen
    (one character), or a math zone. A w:t holding other nodes (an entity reference, a
    comment) gives several origins of the same element; its text is not contiguous there."""

    column: int
    length: int
    node: Element
    paragraph: Element      # the w:p holding ``node``


@dataclass
class LineMap:
    """One line of the text and where it comes from: its paragraphs (one body paragraph, or
    the paragraphs of a table row's cells, in order) and the origins of its characters
    (characters the reader adds: a paragraph's automatic number, the space or tab joining a
    row's cells and a cell's paragraphs, have none)."""

    text: str
    paragraphs: list[Element] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)


def _place(pieces: list[str], origins: list[Element], start: int, paragraph: Element) -> list[Origin]:
    """The origins of a paragraph's text as :func:`_join` builds it from ``pieces``,
    ``start`` characters into its line (after its automatic number)."""
    placed: list[Origin] = []
    column, pending, last = start, False, ""
    for piece, node in zip(pieces, origins):
        if piece == _BREAK:
            pending = column > start
            continue
        if not piece:
            continue
        if pending and last and _ASCII_WORD.match(last) and _ASCII_WORD.match(piece[0]):
            column += 1
        pending = False
        placed.append(Origin(column, len(piece), node, paragraph))
        column += len(piece)
        last = piece[-1]
    return placed


class _MapWalker(_Walker):
    """The reader's walk, also keeping each line's :class:`LineMap`."""

    def __init__(self, numbering: NumberingDefs, budget: TextBudget | None = None):
        super().__init__(numbering, budget)
        self.maps: list[LineMap] = []
        self._recent: list[tuple[Element, str, list[Origin]]] = []   # paragraphs of the line being built

    def paragraph(self, p: Element) -> str:   # as _Walker.paragraph, keeping the origins
        self._block()
        pieces: list[str] = []
        nodes: list[Element] = []
        _collect(p, pieces, nodes)
        label = self._label(_first(p, PPR)) or ""
        text = _join(pieces)
        if self.budget is not None:
            self.budget.spend(len(text))
        self._recent.append((p, label + text, _place(pieces, nodes, len(label), p)))
        return label + text

    def _add(self, line: str, place: str) -> None:
        super()._add(line, place)
        found = LineMap(line)
        at = 0
        for p, text, origins in self._recent:
            found.paragraphs.append(p)
            # a line is its paragraphs' texts in order, joined by whitespace (blank ones left
            # out): a text with a visible character is found exactly where it was put
            start = line.find(text, at) if text.strip() else -1
            if start >= 0:
                found.origins.extend(Origin(o.column + start, o.length, o.node, o.paragraph) for o in origins)
                at = start + len(text)
        self._recent.clear()
        self.maps.append(found)


def open_mapped(data: bytes) -> tuple[Any, list[LineMap]]:
    """A .docx opened with python-docx to be changed (its ``Document``), and the map of each
    line of the text :func:`read_docx` reads from it back to the document's elements (the
    same checks, budgets and walk). SourceError as :func:`read_docx`."""
    return _guarded(_open_mapped, data)


def _open_mapped(data: bytes) -> tuple[Any, list[LineMap]]:
    package, walker = _walk(data, _MapWalker)
    return package.part.document, walker.maps
