"""Render a seed report as an A4 PDF laid out like a government document (reportlab).

The layout follows GB/T 9704 closely enough to exercise the PDF reader: 16 pt body text in
the built-in CID font STSong-Light (no font file needed), 28 full-width characters per line,
a two-character first-line indent for body paragraphs and numbered headings, centred title
lines (22 pt, a long one split into balanced centred lines as an editor would), the
addressee flush left, signature and date right-aligned (a signature line too long for that
is wrapped flush left), blank seed lines as paragraph spacing, a running header on every page
(the first title line, 10.5 pt, over a rule) and a "— N —" page number centred at the bottom.
Lines are hard-wrapped by character width
(a half-width ASCII character is about half a full-width one), and a closing punctuation mark
never starts a line (the previous line gives up its last character, as Word does).

``style="browser"`` renders the page as a browser prints a web page instead: 12 pt text,
justified lines drawn character by character, a date-and-title header and a
"URL  N/M" footer.

``build_pdf(text, layout)`` appends to ``layout`` one :class:`Placed` per non-blank seed
line: where its first rendered line is (page, and line on the page counted from the top,
the running header being line 1). ``text_pdf`` draws small hand-placed pages for unit tests.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from checker.skeleton.parser import parse

FONT = "STSong-Light"
MM = 72 / 25.4
NO_LINE_START = set("，。、；：？！）》」』”’…—%‰,.;:?!)]")


@dataclass(frozen=True)
class Style:
    size: float          # body font size
    chars: int           # full-width characters per line
    pitch: float         # line pitch
    title_size: float
    top: float           # text block top, from the page top
    per_char: bool       # draw each character on its own (justified), as browsers do
    browser: bool


STYLES = {
    "gov": Style(16, 28, 28.9, 22, 37 * MM, False, False),
    "browser": Style(12, 40, 20, 16, 22 * MM, True, True),
}


@dataclass(frozen=True)
class Placed:
    line: int        # seed line number (1-based)
    page: int        # 1-based page
    row: int         # line on the page, from the top, the running header being line 1
    kind: str        # title | addressee | heading | body | closing | signature
    parts: tuple[str, ...]  # the seed line as lines a reader should give back (a long title
                            # is set as several centred lines; wrapped lines are one line)


@dataclass
class _Row:
    text: str
    size: float
    align: str            # left | center | right | justify
    indent: float         # left indent (right indent for right-aligned rows)
    pitch: float          # distance from the previous baseline
    seed: int | None      # seed line number when this row starts that line
    kind: str
    parts: tuple[str, ...] = ()  # for the layout record


def register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _width(s: str, size: float) -> float:
    return pdfmetrics.stringWidth(s, FONT, size)


def _kinds(text: str) -> dict[int, str]:
    """Seed line number -> layout kind, from fzlint's own skeleton parse."""
    report = parse(text)
    kinds = {ln.no: "title" for ln in report.title_lines + report.preamble}
    if report.addressee is not None:
        kinds[report.addressee.no] = "addressee"
    for section in report.walk():
        kinds[section.heading.line.no] = "heading"
    closing = report.closing
    if closing is not None:
        if closing.phrase is not None:
            kinds[closing.phrase.no] = "closing"
        for ln in closing.signers + ([closing.date_line] if closing.date_line else []):
            kinds[ln.no] = "signature"
    return kinds


def wrap(text: str, size: float, width: float, first_indent: float = 0.0) -> list[str]:
    """Hard-wrap by character width; a closing punctuation mark never starts a line."""
    lines: list[str] = []
    cur, used, limit = "", 0.0, width - first_indent
    for ch in text:
        w = _width(ch, size)
        if cur and used + w > limit + 0.01:
            if ch in NO_LINE_START and len(cur) > 1:
                lines.append(cur[:-1])
                cur = cur[-1]
            else:
                lines.append(cur)
                cur = ""
            used = _width(cur, size)
            limit = width
        cur += ch
        used += w
    if cur:
        lines.append(cur)
    return lines


def _balanced(text: str, size: float, width: float) -> list[str]:
    """A title too long for one line, split into lines of about equal width."""
    n = len(wrap(text, size, width))
    if n == 1:
        return [text]
    target = _width(text, size) / n
    out, cur = [], ""
    for ch in text:
        inside_word = cur[-1:].isascii() and cur[-1:].isalnum() and ch.isascii() and ch.isalnum()
        if cur and _width(cur + ch, size) > target + size / 2 and len(out) < n - 1 \
                and not inside_word:
            out.append(cur)
            cur = ""
        cur += ch
    return out + [cur]


def _rows(text: str, st: Style) -> list[_Row]:
    """Every rendered line of the report, in order, with its alignment and spacing."""
    kinds = _kinds(text)
    width = st.size * st.chars
    wrapped = "justify" if st.per_char else "left"
    rows: list[_Row] = []
    space = 0.0
    for no, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            space = st.pitch * 0.3 if rows else 0.0  # paragraph spacing for blank lines
            continue
        kind = kinds.get(no, "body")
        if kind == "title":
            size = st.title_size
            new = [_Row(p, size, "center", 0, size * 1.6, None, kind)
                   for p in _balanced(line, size, width)]
        elif kind == "signature" and _width(line, st.size) <= width - 2 * st.size:
            new = [_Row(line, st.size, "right", 2 * st.size, st.pitch, None, kind)]
        else:
            indent = 2 * st.size if kind in ("body", "heading", "closing") else 0.0
            parts = wrap(line, st.size, width, indent)
            new = [_Row(p, st.size, "left" if i == len(parts) - 1 else wrapped,
                        indent if i == 0 else 0.0, st.pitch, None, kind)
                   for i, p in enumerate(parts)]
        new[0].seed = no
        new[0].parts = tuple(r.text for r in new) if kind == "title" else (line,)
        new[0].pitch += space
        space = 0.0
        rows += new
    return rows


class _Pages:
    """Draws rows onto A4 pages with running header and footer; records where rows land."""

    def __init__(self, st: Style, header: str, footer: str, total: int):
        self.st = st
        self.header, self.footer, self.total = header, footer, total
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1)
        self.w, self.h = A4
        self.width = st.size * st.chars
        self.left = (self.w - self.width) / 2
        self.top = self.h - st.top
        self.bottom = 35 * MM if not st.browser else 20 * MM
        self.page = 0
        self.row = 0
        self.y = 0.0

    def draw(self, row: _Row) -> tuple[int, int]:
        """Draw one row; return (page, line on the page)."""
        if not self.page or self.y - row.pitch < self.bottom:
            self._new_page()
            y = self.top - row.size
        else:
            y = self.y - row.pitch
        self.row += 1
        c = self.c
        c.setFont(FONT, row.size)
        if row.align == "center":
            c.drawCentredString(self.w / 2, y, row.text)
        elif row.align == "right":
            c.drawRightString(self.left + self.width - row.indent, y, row.text)
        elif self.st.per_char:
            self._per_char(row, y)
        else:
            c.drawString(self.left + row.indent, y, row.text)
        self.y = y
        return self.page, self.row

    def _per_char(self, row: _Row, y: float) -> None:
        x = self.left + row.indent
        gap = 0.0
        if row.align == "justify" and len(row.text) > 1:
            gap = (self.width - row.indent - _width(row.text, row.size)) / (len(row.text) - 1)
        for ch in row.text:
            self.c.drawString(x, y, ch)
            x += _width(ch, row.size) + gap

    def _new_page(self) -> None:
        if self.page:
            self._footer()
            self.c.showPage()
        self.page += 1
        self.row = 1  # the running header is line 1
        c, st = self.c, self.st
        if st.browser:
            c.setFont(FONT, 8)
            c.drawString(10 * MM, self.h - 8 * MM, "2024/3/5 14:20")
            c.drawCentredString(self.w / 2, self.h - 8 * MM, self.header)
        else:
            c.setFont(FONT, 10.5)
            c.drawCentredString(self.w / 2, self.h - 18 * MM, self.header)
            c.setLineWidth(0.5)
            c.line(self.left, self.h - 18 * MM - 4, self.left + self.width, self.h - 18 * MM - 4)

    def _footer(self) -> None:
        c = self.c
        text = self.footer.format(n=self.page, total=self.total)
        if self.st.browser:
            c.setFont(FONT, 8)
            c.drawString(10 * MM, 8 * MM, text)
        else:
            c.setFont(FONT, 14)
            c.drawCentredString(self.w / 2, self.bottom - 7 * MM - 10, text)

    def finish(self) -> bytes:
        self._footer()
        self.c.save()
        return self.buf.getvalue()


def build_pdf(text: str, layout: list[Placed] | None = None, style: str = "gov",
              header: str | None = None) -> bytes:
    """The seed ``text`` as a multi-page PDF; ``layout`` (if given) gets where seed lines are."""
    register_font()
    st = STYLES[style]
    rows = _rows(text, st)
    if header is None:
        header = rows[0].text.lstrip("# ")
        if st.browser:
            header += " - 政府信息公开"
    footer = "— {n} —" if not st.browser else \
        "https://www.example.gov.cn/zwgk/fzzf/202403/t20240305_1234567.html  {n}/{total}"
    dry = _Pages(st, header, footer, 0)  # first pass: the page count for "N/M" footers
    for row in rows:
        dry.draw(row)
    pages = _Pages(st, header, footer, dry.page)
    for row in rows:
        page, r = pages.draw(row)
        if layout is not None and row.seed is not None:
            layout.append(Placed(row.seed, page, r, row.kind, row.parts))
    return pages.finish()


def text_pdf(pages: list[list[tuple[float, float, str]]], size: float = 16) -> bytes:
    """A bare A4 PDF: each page a list of (x, y from the page top, text) in ``size`` pt."""
    register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for items in pages:
        c.setFont(FONT, size)
        for x, y, text in items:
            c.drawString(x, A4[1] - y, text)
        c.showPage()
    c.save()
    return buf.getvalue()


# ---------------------------------------------------------------------------------------
# Hostile PDFs (issue 14): a few KB to a few hundred KB of PDF that ask for unbounded work


def raw_pdf(objects: list, root: int = 1, compact: bool = False) -> bytes:
    """A PDF of the given object bodies (object k+1 is ``objects[k]``), with a correct xref.

    A body given as ``(dictionary, data)`` becomes a stream: ``data`` zlib-compressed, with
    /Length and /Filter added to the dictionary (PDF source without its ``<< >>``). With
    ``compact`` the other objects go into one compressed object stream, found through an
    xref stream (PDF 1.5), so that thousands of page objects take a few KB.
    """
    import zlib

    def stream(entries: bytes, data: bytes) -> bytes:
        packed = zlib.compress(data, 9)
        return b"<< %s /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (entries, len(packed), packed)

    out = bytearray(b"%PDF-1.7\n")
    size = len(objects) + 1
    offsets: dict[int, int] = {}
    packed_objects: list[int] = []
    for number, body in enumerate(objects, 1):
        if isinstance(body, tuple):
            offsets[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, stream(*body))
        elif compact:
            packed_objects.append(number)
        else:
            offsets[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    if not compact:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
        return bytes(out)
    heads, bodies = [], bytearray()
    for number in packed_objects:
        heads.append(b"%d %d" % (number, len(bodies)))
        bodies += objects[number - 1] + b"\n"
    head = b" ".join(heads) + b"\n"
    objstm, xref_number = size, size + 1
    offsets[objstm] = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (objstm, stream(
        b"/Type /ObjStm /N %d /First %d" % (len(packed_objects), len(head)), head + bytes(bodies)))
    index = {number: i for i, number in enumerate(packed_objects)}
    rows = [b"\x00" + bytes(4) + b"\x00\x00\xff\xff"]
    for number in range(1, xref_number + 1):
        if number in index:
            rows.append(b"\x02" + objstm.to_bytes(4, "big") + index[number].to_bytes(4, "big"))
        elif number == xref_number:
            rows.append(b"\x01" + len(out).to_bytes(4, "big") + bytes(4))
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + bytes(4))
    xref = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (xref_number, stream(
        b"/Type /XRef /Size %d /W [1 4 4] /Root %d 0 R" % (xref_number + 1, root), b"".join(rows)))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pages_tree(kids: list[int], resources: bytes = b"") -> bytes:
    """The /Pages object of pages ``kids`` (object numbers); they inherit its resources."""
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    return b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] /Resources << %s >> >>" % (
        refs, len(kids), resources)


def form_bomb_pdf(draws: int = 2000, depth: int = 1, lines: int = 200) -> bytes:
    """One page that draws a form XObject ``draws`` times; that form draws the next one
    ``draws`` times, ``depth`` levels deep; the innermost form shows ``lines`` lines of text.

    The text shown is ``draws ** depth * lines`` lines, from a file of a few KB.
    """
    # 1 catalog, 2 pages, 3 page, 4 page contents, 5 font, 6.. forms (6 the innermost)
    text = b"BT /F1 12 Tf 72 800 Td 14 TL\n" + b"(report text of the form) ' " * lines + b"\nET"
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                     b"/Resources << /XObject << /X %d 0 R >> >> /Contents 4 0 R >>" % (5 + depth),
                     (b"", b"/X Do\n" * draws), HELVETICA,
                     (b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>",
                      text)]
    for level in range(1, depth):
        objects.append((b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                        b"/Resources << /XObject << /X %d 0 R >> >>" % (5 + level), b"/X Do\n" * draws))
    return raw_pdf(objects)


def shared_contents_pdf(pages: int = 2000, lines: int = 2000) -> bytes:
    """``pages`` pages whose /Contents all name one compressed stream of ``lines`` text lines.

    The stream is a few KB compressed and about 100 KB decoded; read once per page it is
    ``pages`` times that.
    """
    body = b"BT /F1 12 Tf 72 800 Td 14 TL\n" + b"".join(
        b"(line %d of the shared page content) '\n" % i for i in range(lines)) + b"ET"
    # 1 catalog, 2 pages, 3 font, 4 contents, 5.. pages
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", HELVETICA, (b"", body)]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"] * pages
    objects[1] = pages_tree(list(range(5, 5 + pages)), b"/Font << /F1 3 0 R >>")
    return raw_pdf(objects, compact=True)


SONG = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
         b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
         b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 "
         b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
         b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
         b"/StemV 93 >> >>] >>")


def shown(text: str) -> bytes:
    """``text`` as a hex string for :data:`SONG` (UCS-2)."""
    return b"<" + text.encode("utf-16-be").hex().encode() + b">"


def running_header_pdf(pages: int = 5000) -> bytes:
    """``pages`` pages, each with the same running header, five lines of text and a page number.

    All pages draw one content stream (so reading them is cheap once it is parsed once); the
    file is a few dozen KB. Whether the header is furniture is a question about every page,
    asked of every page: quadratic in pages unless answered for all of them at once.
    """
    body = b"".join(b"BT /F1 16 Tf 90 %d Td %s Tj ET\n" % (700 - 29 * i, shown(f"第{i + 1}行正文，依法行政。"))
                    for i in range(5))
    content = (b"BT /F1 10.5 Tf 200 790 Td " + shown("某某市人民政府2023年法治政府建设年度报告") + b" Tj ET\n"
               + body + b"BT /F1 14 Tf 280 60 Td " + shown("— 1 —") + b" Tj ET\n")
    # 1 catalog, 2 pages, 3 font, 4 contents, 5.. pages
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", SONG, (b"", content)]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"] * pages
    objects[1] = pages_tree(list(range(5, 5 + pages)), b"/Font << /F1 3 0 R >>")
    return raw_pdf(objects, compact=True)


@cache        # 0.7 s to build; the catalogue and test_source_pdf read the same bytes
def many_objects_pdf(pages: int = 60_000, per_node: int = 1_000) -> bytes:
    """``pages`` page objects in a two-level page tree, all in one object stream (a few
    hundred KB): resolving any of them makes pypdf parse all of them."""
    # 1 catalog, 2 root, 3 font, 4 contents, then each node followed by its pages
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", HELVETICA,
                     (b"", b"BT /F1 12 Tf 72 700 Td (report) Tj ET")]
    nodes = []
    for start in range(0, pages, per_node):
        count = min(per_node, pages - start)
        node = len(objects) + 1
        kids = b" ".join(b"%d 0 R" % (node + 1 + k) for k in range(count))
        objects.append(b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>" % (kids, count))
        objects += [b"<< /Type /Page /Parent %d 0 R /Contents 4 0 R >>" % node] * count
        nodes.append(node)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] " \
                 b"/Resources << /Font << /F1 3 0 R >> >> >>" % (b" ".join(b"%d 0 R" % n for n in nodes), pages)
    return raw_pdf(objects, compact=True)


@cache        # 0.3 s to build (50 MB compressed)
def inflated_pdf(size: int = 50_000_000) -> bytes:
    """One page whose content stream (a line of text, then white space) inflates from about
    ``size / 1000`` bytes to ``size``."""
    content = b"BT /F1 12 Tf 72 700 Td (report) Tj ET" + b" " * (size - 37)
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", pages_tree([4], b"/Font << /F1 3 0 R >>"), HELVETICA,
                    b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>", (b"", content)])


def scattered_pdf(pieces: int = 45_000, draws: int = 40) -> bytes:
    """A page drawing ``draws`` times a form whose one TJ array sets ``pieces`` one-letter
    strings far apart (each a piece of text of its own)."""
    form = b"BT /F1 12 Tf 72 700 Td [" + b"(a) -300 " * pieces + b"] TJ ET"
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    b"/Resources << /XObject << /X 6 0 R >> >> /Contents 4 0 R >>",
                    (b"", b"/X Do\n" * draws), HELVETICA,
                    (b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>",
                     form)])


# ---------------------------------------------------------------------------------------
# Reports with tables (issue 18): paragraphs laid out as build_pdf does, tables drawn as
# tables (reportlab's platypus Table: cells of wrapped text, merged cells, optional rules)


TABLE_MARK = "\u2063表格{}"      # a body line standing for a table while the text is laid out


def _cell_style(size: float):
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * 1.3, alignment=TA_CENTER,
                          wordWrap="CJK")


def _widths(grid: list[list[str | None]], width: float) -> list[float]:
    """Column widths: table 三's three label columns and seven figure columns, table 四's 15
    narrow columns (one character a line: its headers come out vertical), table 二's four."""
    n = len(grid[0])
    if n == 10:
        labels = [0.07, 0.11, 0.38]
        return [width * f for f in labels] + [width * (1 - sum(labels)) / 7] * 7
    return [width / n] * n


def pdf_table(spec, width: float, size: float = 9, valign: str = "MIDDLE", rules: bool = True,
              label_align: str = "LEFT"):
    """A builders/tables.py spec as a platypus Table ``width`` wide: each cell a paragraph
    (wrapped inside its cell, centred), the row labels (the text cells of rows holding
    figures) aligned ``label_align``; merged cells spanned; ``rules``: a grid of lines."""
    from reportlab.lib.enums import TA_LEFT
    from reportlab.platypus import Paragraph, Table, TableStyle

    from builders.tables import place

    grid, merges = place(spec)
    style = _cell_style(size)
    left = style.clone("label", alignment=TA_LEFT)
    data = []
    for line in grid:
        figures = any(t and (t.isdigit() or t == "/") for t in line)     # a row of the body
        row = []
        for text in line:
            if not text:
                row.append("")
                continue
            label = figures and not text.isdigit() and text != "/" and label_align == "LEFT"
            row.append(Paragraph(text, left if label else style))
        data.append(row)
    commands = [("VALIGN", (0, 0), (-1, -1), valign), ("FONT", (0, 0), (-1, -1), FONT, size)]
    if rules:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)))
    for top, lft, bottom, right in merges:
        commands.append(("SPAN", (lft, top), (right, bottom)))
    return Table(data, colWidths=_widths(grid, width), style=TableStyle(commands), repeatRows=0)


def pdf_with_tables(blocks: list, size: float = 9, valign: str = "MIDDLE", rules: bool = True,
                    label_align: str = "LEFT") -> bytes:
    """A report of paragraphs (a str each, laid out as :func:`build_pdf` lays out a seed's
    lines) and tables (a builders/tables.py spec each, drawn by :func:`pdf_table` across the
    text width, split over pages where it does not fit)."""
    register_font()
    st = STYLES["gov"]
    tables = [b for b in blocks if not isinstance(b, str)]
    marks = iter(range(len(tables)))
    text = "\n".join(b if isinstance(b, str) else TABLE_MARK.format(next(marks)) for b in blocks)
    rows = _rows(text, st)
    header = rows[0].text
    pages = _Pages(st, header, "— {n} —", 0)
    for row in rows:
        if row.text.startswith(TABLE_MARK[0]):
            index = int(row.text[len(TABLE_MARK) - 2:])
            pages.table(pdf_table(tables[index], pages.width, size, valign, rules, label_align))
        else:
            pages.draw(row)
    return pages.finish()


def _draw_table(self: _Pages, table) -> None:
    """Draw a platypus table below the last row, splitting it over pages as needed."""
    gap = self.st.pitch * 0.6
    while table is not None:
        top = (self.y - gap) if self.page else 0
        if not self.page or top - self.bottom < 3 * self.st.size:
            self._new_page()
            top = self.top
        _, height = table.wrapOn(self.c, self.width, top - self.bottom)
        if height <= top - self.bottom:
            table.drawOn(self.c, self.left, top - height)
            self.y = top - height - self.st.pitch * 0.4
            return
        parts = table.split(self.width, top - self.bottom)
        if len(parts) < 2:
            if top == self.top:     # (cannot happen with these tables: a row taller than a page)
                raise ValueError("a table row taller than a page")
            self.y = self.bottom
            continue
        _, height = parts[0].wrapOn(self.c, self.width, top - self.bottom)
        parts[0].drawOn(self.c, self.left, top - height)
        self.y = self.bottom          # the rest goes to the next page
        table = parts[1]


_Pages.table = _draw_table


def grid_pdf(rows: int, columns: int, size: float = 1.0, pages: int = 1) -> bytes:
    """``pages`` pages each drawing a grid of ``rows`` lines of ``columns`` figures, ``size``
    pt, a line 1.2 sizes below the one before: a table as large as the budgets of
    checker/skeleton/layout.py allow, or larger (a few KB compressed)."""
    lines = []
    for r in range(rows):
        y = 830 - 1.2 * size * r
        lines.append(b"".join(b"BT /F1 %g Tf %g %g Td (%d) Tj ET\n" % (size, 20 + 4 * size * c, y, (r + c) % 10)
                              for c in range(columns)))
    content = b"".join(lines)
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", HELVETICA, (b"", content)]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"] * pages
    objects[1] = pages_tree(list(range(5, 5 + pages)), b"/Font << /F1 3 0 R >>")
    return raw_pdf(objects, compact=True)
