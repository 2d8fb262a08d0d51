"""The PDF reader on PDFs built from the seeds (two layouts) and on small hand-made PDFs.

A seed rendered as a PDF and read back must give the seed's text (nothing lost, nothing added:
headers, footers and page numbers gone), the seed's lines (wrapped lines joined, titles and
signature lines not), the same findings at the same words as the .txt, and places that name
where the builder put each line.
"""

from __future__ import annotations

import functools
import io
import itertools
import logging
import math
import random
import re
import subprocess
import sys
import warnings
from collections import defaultdict

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, ContentStream, DecodedStreamObject, NullObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from checker.lint import lint_path, lint_source
from checker.skeleton.normalize import view
from checker.skeleton.parser import parse
from checker.sources import Source, SourceError, pdf, read_bytes
from checker.sources.pdf import is_page_number, read_pdf

from builders.pdf import (
    FONT,
    HELVETICA,
    SONG,
    Placed,
    build_pdf,
    form_bomb_pdf,
    grid_pdf,
    many_objects_pdf,
    pages_tree,
    pdf_with_tables,
    raw_pdf,
    register_font,
    running_header_pdf,
    scattered_pdf,
    shared_contents_pdf,
    shown,
    text_pdf,
)
from builders.tables import APPLICANTS, NEW, RESULTS, gk_blocks, table_3, table_4
from conftest import ROOT, SEEDS

ANCHOR = 6  # characters of the matching view compared at each finding's position
STYLES = ("gov", "browser")
CASES = [(i, style) for i in range(len(SEEDS)) for style in STYLES]
IDS = [f"{SEEDS[i].stem[:3]}-{style}" for i, style in CASES]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def built():
    """(seed text, layout, Source) per case, each PDF built and read once."""
    cache: dict[tuple[int, str], tuple[str, list[Placed], Source]] = {}

    def get(case: tuple[int, str]) -> tuple[str, list[Placed], Source]:
        if case not in cache:
            index, style = case
            text = SEEDS[index].read_text(encoding="utf-8")
            layout: list[Placed] = []
            data = build_pdf(text, layout, style=style)
            cache[case] = (text, layout, read_pdf(data, SEEDS[index].stem + ".pdf"))
        return cache[case]

    return get


# ---------------------------------------------------------------------------------------
# Seeds


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_text_is_complete(case, built):
    text, _, source = built(case)
    assert source.format == "pdf" and source.encoding == "pdf"
    assert squeeze(source.text) == squeeze(text)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_lines_are_the_seed_lines(case, built):
    """Wrapped lines are joined; titles set as several centred lines stay apart."""
    _, layout, source = built(case)
    want = [squeeze(part) for placed in layout for part in placed.parts]
    assert [squeeze(line) for line in source.text.split("\n")] == want


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_headings_are_whole_lines(case, built):
    text, _, source = built(case)
    lines = {squeeze(line) for line in source.text.split("\n")}
    headings = [s.heading.line.raw for s in parse(text).walk()]
    assert headings
    for heading in headings:
        assert squeeze(heading) in lines


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_places_follow_the_layout(case, built):
    _, layout, source = built(case)
    places = [f"第{p.page}页第{p.row}行" for p in layout for _ in p.parts]
    assert len(source.places) == len(places)
    starts = {}  # first output line of each seed line
    i = 0
    for p in layout:
        starts[p.line] = i
        i += len(p.parts)
    for p in layout:
        assert source.places[starts[p.line]] == f"第{p.page}页第{p.row}行", p


def _findings(text: str, diagnostics) -> list[tuple[str, str]]:
    lines = text.splitlines()
    return sorted((d.code, view(lines[d.span.line - 1][d.span.column - 1:])[:ANCHOR])
                  for d in diagnostics)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_same_findings_as_the_text_file(case, built, registry):
    text, _, source = built(case)
    seed = SEEDS[case[0]]
    want = _findings(text, lint_path(seed, registry).diagnostics)
    result = lint_source(source, registry)
    assert _findings(source.text, result.diagnostics) == want
    for d in result.diagnostics:
        assert d.where == source.place(d.span.line) and d.where


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_findings_on_headings_name_their_page(case, built, registry):
    _, layout, source = built(case)
    page_of = {squeeze(p.parts[0]): p.page for p in layout if p.kind == "heading"}
    lines = source.text.split("\n")
    checked = 0
    for d in lint_source(source, registry).diagnostics:
        page = page_of.get(squeeze(lines[d.span.line - 1]))
        if page is not None:
            assert d.where.startswith(f"第{page}页"), d
            checked += 1
    if case[0] == 0:
        assert checked, "seed 000 has findings on headings"


def test_note_counts_what_was_done(built):
    _, layout, source = built((4, "gov"))
    pages = layout[-1].page
    assert source.note.startswith(f"{pages} 页，去除页眉页脚 {2 * pages} 行，合并断行 ")


# ---------------------------------------------------------------------------------------
# Small PDFs

LEFT, EM = 73.6, 16.0
FULL = "法治政府建设是全面依法治国的重点任务和主体工程，"  # 24 characters
BODY = [[(LEFT + 2 * EM, 120, "一、主要举措和成效"), (LEFT + 2 * EM, 150, "正文内容。")]]


def _small() -> bytes:
    return text_pdf(BODY)


def _encrypted(user: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_small())))
    writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_a_password_to_open_is_encrypted():
    with pytest.raises(SourceError) as exc:
        read_pdf(_encrypted("secret", "AES-128"), "a.pdf")
    assert exc.value.problem == "encrypted" and "密码" in exc.value.detail


@pytest.mark.parametrize("algorithm", ["AES-128", "RC4-128", "AES-256"])
def test_owner_password_only_is_read(algorithm):
    source = read_pdf(_encrypted("", algorithm), "a.pdf")
    assert source.text == "一、主要举措和成效\n正文内容。"
    assert source.places == ["第1页第1行", "第1页第2行"]


def test_blank_pages_have_no_text():
    with pytest.raises(SourceError) as exc:
        read_pdf(text_pdf([[], [], []]), "a.pdf")
    assert exc.value.problem == "no_text" and "共 3 页" in exc.value.detail


def _image_pdf(pages: int) -> bytes:
    image = ImageReader(Image.new("RGB", (40, 60), "white"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for _ in range(pages):
        c.drawImage(image, 50, 50, 500, 750)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_a_scan_has_no_text():
    with pytest.raises(SourceError) as exc:
        read_pdf(_image_pdf(2), "scan.pdf")
    assert exc.value.problem == "no_text" and "扫描件" in exc.value.detail


def test_pages_without_text_are_named_in_the_note():
    other = [(LEFT + 2 * EM, 120, "二、存在的不足"), (LEFT + 2 * EM, 150, "另一段正文。")]
    source = read_pdf(text_pdf([BODY[0], [], other]), "a.pdf")
    assert source.text == "一、主要举措和成效\n正文内容。\n二、存在的不足\n另一段正文。"
    assert "第 2 页没有文字层" in source.note


@pytest.mark.parametrize("data", [
    b"",
    random.Random(7).randbytes(3000),
    b"%PDF-1.7\nthis is not really a PDF\n",
    b"PK\x03\x04" + bytes(100),
    "这不是 PDF 文件".encode(),
], ids=["empty", "random", "header-only", "zip", "text"])
def test_not_a_pdf_is_damaged(data):
    with pytest.raises(SourceError) as exc:
        read_pdf(data, "a.pdf")
    assert exc.value.problem == "damaged" and exc.value.detail


@pytest.mark.parametrize("keep", [0.3, 0.9, 0.999])
def test_a_truncated_pdf_is_damaged(keep):
    """pypdf cannot rebuild a file that lost its trailer (catalog and contents come late)."""
    data = build_pdf(SEEDS[3].read_text(encoding="utf-8"))
    with pytest.raises(SourceError) as exc:
        read_pdf(data[: int(len(data) * keep)], "a.pdf")
    assert exc.value.problem == "damaged" and "不完整" in exc.value.detail


def test_a_repaired_pdf_is_read_quietly(capfd, caplog):
    data = _small()
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n17\n%%EOF\n"  # wrong xref offset: pypdf repairs it
    with caplog.at_level(logging.DEBUG), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = read_pdf(broken, "a.pdf")
    assert source.text == "一、主要举措和成效\n正文内容。"
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    assert not caught
    assert capfd.readouterr() == ("", "")


def test_dispatch_by_suffix():
    assert read_bytes(_small(), "报告.PDF").text.startswith("一、主要举措和成效")


@pytest.mark.parametrize("text", [
    "3", "- 3 -", "— 3 —", "－3－", "第3页", "第 3 页", "第 3 页 共 5 页", "第3页，共5页",
    "3/5", "3 / 12", "Page 3 of 5", "·12·", "１２",
])
def test_page_numbers(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["2024", "2024年", "一、主要举措", "3.加强学习", "共3项", "第三章"])
def test_not_page_numbers(text):
    assert not is_page_number(text)


STEMS = "甲乙丙丁戊己庚辛壬癸"


def _ten_pages(first_lines: dict[int, str]) -> bytes:
    """Ten pages with a running header, a page number and two body lines each.

    Body lines differ by more than their digits (digits count as equal in running heads).
    """
    pages = []
    for p in range(1, 11):
        items = [(240, 50, "某某县人民政府门户网站"), (280, 800, f"— {p} —")]
        items.append((LEFT + 2 * EM, 120, first_lines.get(p, f"{STEMS[p - 1]}页的第一段。")))
        items.append((LEFT + 2 * EM, 150, f"{STEMS[p - 1]}页的第二段。"))
        pages.append(items)
    return text_pdf(pages)


def test_headers_footers_go_but_a_repeated_body_line_stays():
    repeated = "二、存在的不足和原因"
    source = read_pdf(_ten_pages({3: repeated, 7: repeated}), "a.pdf")
    assert source.text.count(repeated) == 2
    assert "门户网站" not in source.text and "—" not in source.text
    assert "去除页眉页脚 20 行" in source.note
    assert source.places[0] == "第1页第2行"  # the header is line 1


def test_a_header_on_most_pages_goes():
    """No header on the first page (a different first page), as Word allows."""
    data = _ten_pages({})
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    first = text_pdf([[(LEFT + 2 * EM, 120, "首页的第一段。")]])
    writer.append(PdfReader(io.BytesIO(first)))
    for page in reader.pages[1:]:
        writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    source = read_pdf(buf.getvalue(), "a.pdf")
    assert "门户网站" not in source.text


def test_a_paragraph_continues_across_a_page_break():
    lines = [FULL + "坚持", "依法行政" + FULL, "严格规范" + FULL]  # 26 (indented), 28, 28 wide
    pages = [
        [(240, 50, "某某县人民政府门户网站"),
         (LEFT + 2 * EM, 671, lines[0]), (LEFT, 700, lines[1]), (LEFT, 729, lines[2]),
         (280, 800, "— 1 —")],
        [(240, 50, "某某县人民政府门户网站"),
         (LEFT, 120, "全面推进。"), (LEFT + 2 * EM, 149, "新的段落。"),
         (280, 800, "— 2 —")],
    ]
    source = read_pdf(text_pdf(pages), "a.pdf")
    assert source.text.split("\n") == ["".join(lines) + "全面推进。", "新的段落。"]
    assert source.places == ["第1页第2行", "第2页第3行"]
    assert "合并断行 3 处" in source.note


def test_a_paragraph_after_a_full_line_is_not_joined():
    pages = [[(LEFT + 2 * EM, 120, FULL + "坚持"), (LEFT + 2 * EM, 149, "新的段落。"),
              (LEFT, 178, "一、没有缩进的标题")]]
    source = read_pdf(text_pdf(pages), "a.pdf")
    assert len(source.text.split("\n")) == 3


def _drawn(draw) -> bytes:
    register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_text_in_a_form_xobject_is_placed_on_the_page():
    def draw(c):
        c.beginForm("body")
        c.setFont(FONT, 16)
        c.drawString(0, 0, "第一行。")
        c.drawString(0, -29, "第二行。")
        c.endForm()
        c.setFont(FONT, 16)
        c.drawString(LEFT, 780, "最上面一行。")
        c.saveState()
        c.translate(LEFT, 700)
        c.doForm("body")
        c.restoreState()
        c.drawString(LEFT, 600, "最下面一行。")

    source = read_pdf(_drawn(draw), "a.pdf")
    assert source.text.split("\n") == ["最上面一行。", "第一行。", "第二行。", "最下面一行。"]


def test_simulated_bold_is_read_once():
    def draw(c):
        c.setFont(FONT, 16)
        for dx in (0, 0.3):
            c.drawString(LEFT + dx, 700, "一、主要举措和成效")

    assert read_pdf(_drawn(draw), "a.pdf").text == "一、主要举措和成效"


def test_rotated_text_is_read():
    def draw(c):
        c.setFont(FONT, 16)
        c.saveState()
        c.translate(300, 100)
        c.rotate(90)
        c.drawString(0, 0, "第一行。")
        c.drawString(0, -29, "第二行。")
        c.restoreState()

    assert read_pdf(_drawn(draw), "a.pdf").text == "第一行。\n第二行。"


def test_text_without_a_unicode_map_is_no_text():
    """Private-use characters are what fonts without a Unicode map often decode to."""
    with pytest.raises(SourceError) as exc:
        read_pdf(text_pdf([[(LEFT, 120, "\ue001\ue002\ue003\ue004报告")]]), "a.pdf")
    assert exc.value.problem == "no_text" and "无法解码" in exc.value.detail


# ---------------------------------------------------------------------------------------
# Glyphs placed inside one TJ array, exact line ends (hand-written content streams)


def _hand_pdf(pages: list[bytes], fonts: dict[str, str], extra: tuple[bytes, ...] = ()) -> bytes:
    """A4 pages with the given content streams, written by hand.

    ``fonts`` maps resource names to font dictionaries (PDF source); ``{k}`` in one stands
    for a reference to a stream holding ``extra[k]`` (a ToUnicode CMap, say).
    """
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]  # 2: the page tree, below

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> int:
        return add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data))

    refs = [f"{stream(data)} 0 R" for data in extra]
    font_ids = {name: add(body.format(*refs).encode()) for name, body in fonts.items()}
    resources = "<< /Font << " + " ".join(f"/{n} {i} 0 R" for n, i in font_ids.items()) + " >> >>"
    kids = []
    for content in pages:
        contents = stream(content)
        kids.append(add(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] "
                        f"/Resources {resources} /Contents {contents} 0 R >>".encode()))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _ucs2(text: str) -> str:
    """``text`` as a hex string for the UCS-2 CJK font."""
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


# STSong-Light as reportlab and many CJK producers use it: not embedded, UCS-2 codes, 1 em wide
CJK_FONT = ("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
            "/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>] >>")
QUOTES_CMAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Q def\n"
               b"1 begincodespacerange <00> <FF> endcodespacerange\n"
               b"2 beginbfchar <01> <201C> <02> <201D> endbfchar\n"
               b"endcmap CMapName currentdict /CMap defineresource pop end end")
QUOTES_CMAP_2 = QUOTES_CMAP.replace(b"<00> <FF>", b"<0000> <FFFF>").replace(b"<01>", b"<0001>") \
    .replace(b"<02>", b"<0002>")
QUOTES_FONTS = {
    # a subset font of its own for the quotation marks, as LibreOffice embeds them
    "simple": ("<< /Type /Font /Subtype /TrueType /BaseFont /AAAAAA+Quotes /FirstChar 1 /LastChar 2 "
               "/Widths [1000 1000] /ToUnicode {0} >>", QUOTES_CMAP, b"<01>", b"<02>"),
    "identity": ("<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Quotes /Encoding /Identity-H "
                 "/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Quotes "
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                 "/DW 500 /W [1 [1000 1000]] >>] /ToUnicode {0} >>", QUOTES_CMAP_2, b"<0001>", b"<0002>"),
}


@pytest.mark.parametrize("quotes", list(QUOTES_FONTS))
def test_glyphs_placed_by_kerning_in_one_tj_land_where_drawn(quotes):
    """LibreOffice draws all the quotation marks of a line (another font) in one TJ array.

    The array starts at the first mark; a displacement of 3 em moves the pen over "放管服",
    drawn afterwards in the CJK font, to the second mark.
    """
    body, cmap, left_mark, right_mark = QUOTES_FONTS[quotes]
    content = b"\n".join([
        b"BT 1 0 0 1 250 700 Tm /Q 16 Tf [" + left_mark + b" -3000 " + right_mark + b"] TJ",
        f"1 0 0 1 90 700 Tm /C 16 Tf {_ucs2('3.执法为民，持续深化')} Tj".encode(),
        f"1 0 0 1 266 700 Tm {_ucs2('放管服')} Tj".encode(),
        f"1 0 0 1 330 700 Tm {_ucs2('改革。')} Tj ET".encode(),
    ])
    source = read_pdf(_hand_pdf([content], {"C": CJK_FONT, "Q": body}, (cmap,)), "a.pdf")
    assert source.text == "3.执法为民，持续深化“放管服”改革。"


@pytest.mark.parametrize("array, text", [
    (f"[{_ucs2('关于')} -320 {_ucs2('2023')} -20 {_ucs2('年度报告')}]", "关于 2023年度报告"),
    (f"[{_ucs2('Hello')} -200 {_ucs2('world,')} -250 {_ucs2('again')}]", "Hello world, again"),  # TeX
])
def test_kerning_wide_as_a_space_is_a_space_and_small_kerning_is_not(array, text):
    content = f"BT 1 0 0 1 90 700 Tm /C 16 Tf {array} TJ ET".encode()
    assert read_pdf(_hand_pdf([content], {"C": CJK_FONT}), "a.pdf").text == text


@pytest.mark.parametrize("first, gap, second, text", [
    ("the", 0.25, "mime", "the mime"),     # a word space as a gap between two Td-placed pieces
    ("2022", 0.22, "年", "2022年"),         # LibreOffice's extra space between Latin and CJK text
    ("关于", 0.32, "2023", "关于 2023"),     # ... and a real space there
])
def test_gaps_between_pieces(first, gap, second, text):
    second_x = 90 + 16 * (len(first) / 2 if first.isascii() else len(first)) + 16 * gap
    content = (f"BT 1 0 0 1 90 700 Tm /C 16 Tf {_ucs2(first)} Tj "
               f"1 0 0 1 {second_x} 700 Tm {_ucs2(second)} Tj ET").encode()
    assert read_pdf(_hand_pdf([content], {"C": CJK_FONT}), "a.pdf").text == text


def test_a_line_ends_where_its_glyphs_end():
    """A line ending in wide Latin letters reaches the right edge: the next line continues it.

    Twelve W (0.944 em each in the font's /Widths) after 16 CJK characters end 0.7 em short
    of the right edge; counted as half an em each they would end 6 em short, as the last line
    of a paragraph does.
    """
    full = FULL + "坚持依法"  # 28 characters
    rows = [full, full, full, FULL[:16]]
    lines = [f"1 0 0 1 {LEFT} {700 - i * 29} Tm /C 16 Tf {_ucs2(text)} Tj" for i, text in enumerate(rows)]
    lines.append(f"1 0 0 1 {LEFT + 16 * EM} {700 - 3 * 29} Tm /H 16 Tf ({'W' * 12}) Tj")
    lines.append(f"1 0 0 1 {LEFT} {700 - 4 * 29} Tm /C 16 Tf {_ucs2('公正、智能高效的法治政府。')} Tj")
    helvetica = ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
                 "/FirstChar 87 /LastChar 87 /Widths [944] >>")
    content = ("BT\n" + "\n".join(lines) + "\nET").encode()
    source = read_pdf(_hand_pdf([content], {"C": CJK_FONT, "H": helvetica}), "a.pdf")
    assert source.text == 3 * full + FULL[:16] + "W" * 12 + "公正、智能高效的法治政府。"


# ---------------------------------------------------------------------------------------
# Paragraphs without first-line indents


def _flush(*paragraphs: list[str], gap: float = 0, per_page: int = 100) -> bytes:
    """Paragraphs whose lines all start at the left margin, ``gap`` more space between them."""
    pages: list[list[tuple[float, float, str]]] = []
    items: list[tuple[float, float, str]] = []
    y = 120.0
    for paragraph in paragraphs:
        for text in paragraph:
            if len(items) == per_page:
                pages.append(items)
                items, y = [], 120.0
            items.append((LEFT, y, text))
            y += 29
        y += gap
    return text_pdf(pages + [items])


FULL_END = FULL + "依法行政。"   # 29 characters: the full stop hangs at the right edge
FULL_OPEN = FULL + "依法行政，"  # ... a comma
SHORT_END = "全面推进。"


def test_flush_paragraphs_are_not_joined_after_a_sentence_across_a_page():
    """No indents: a sentence ending at the right edge at the foot of a page may end the paragraph."""
    first, second, third = [FULL_OPEN, FULL_OPEN, SHORT_END], [FULL_OPEN, FULL_OPEN, FULL_END], [FULL + "。"]
    source = read_pdf(_flush(first, second, third, per_page=6), "a.pdf")
    assert source.text.split("\n") == ["".join(first), "".join(second), third[0]]
    assert source.places[2] == "第2页第1行"


def test_flush_paragraphs_still_continue_inside_a_sentence_across_a_page():
    first, second = [FULL_OPEN, FULL_OPEN, SHORT_END], [FULL_OPEN, FULL_OPEN, FULL_OPEN, SHORT_END]
    source = read_pdf(_flush(first, second, per_page=6), "a.pdf")
    assert source.text.split("\n") == ["".join(first), "".join(second)]


@pytest.mark.parametrize("gap, joined", [(0, False), (12, True)])
def test_flush_paragraphs_on_a_page_join_after_a_sentence_only_when_spaced(gap, joined):
    """Paragraphs set apart by extra space show where they end; without it, a full line that
    ends a sentence may end its paragraph."""
    first = [FULL_OPEN, FULL_OPEN, SHORT_END]
    second = [FULL_OPEN, FULL_END, FULL_OPEN, SHORT_END]
    third = [FULL_OPEN, SHORT_END]
    lines = read_pdf(_flush(first, second, third, gap=gap), "a.pdf").text.split("\n")
    if joined:
        assert lines == ["".join(first), "".join(second), "".join(third)]
    else:
        assert lines == ["".join(first), "".join(second[:2]), "".join(second[2:]), "".join(third)]


def test_indented_paragraphs_still_join_after_a_sentence_across_a_page():
    """With indents, a line at the margin continues the paragraph whatever the line above ends with."""
    lines = [FULL + "坚持", FULL_END, FULL_END]
    pages = [
        [(LEFT + 2 * EM, 120, "第一段的正文。"), (LEFT + 2 * EM, 149, lines[0]),
         (LEFT, 178, lines[1]), (LEFT, 207, lines[2])],
        [(LEFT, 120, SHORT_END), (LEFT + 2 * EM, 149, "新的段落。")],
    ]
    source = read_pdf(text_pdf(pages), "a.pdf")
    assert source.text.split("\n") == ["第一段的正文。", "".join(lines) + SHORT_END, "新的段落。"]


# ---------------------------------------------------------------------------------------
# PDFs exported by LibreOffice (tests/data/libreoffice/, see scripts/make_libreoffice_fixtures.py)

LIBREOFFICE = sorted((ROOT / "tests" / "data" / "libreoffice").glob("*.pdf"))
# Left out of the comparison: whitespace, the seeds' Markdown heading marks and the numbers
# at the start of lines (LibreOffice renders Word's automatic heading numbers its own way).
NUMBER = re.compile(r"#+|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.．、](?!\d)")


def _unnumbered(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = squeeze(line)
        while m := NUMBER.match(line):
            line = line[m.end():]
        if line:
            out.append(line)
    return out


@pytest.mark.parametrize("path", LIBREOFFICE, ids=[p.stem[:3] for p in LIBREOFFICE])
def test_libreoffice_pdf_gives_the_seed_text(path):
    """The seed's text in the seed's order (quotation marks included), and no seed line that
    ends a sentence joined to the next (a paragraph split at a page break is tolerated)."""
    seed = _unnumbered((ROOT / "seeds" / f"{path.stem}.txt").read_text(encoding="utf-8"))
    got = _unnumbered(read_pdf(path.read_bytes(), path.name).text)
    assert "".join(got) == "".join(seed)
    ends = set(itertools.accumulate(map(len, got)))
    for end, line in zip(itertools.accumulate(map(len, seed)), seed):
        if line.endswith(tuple("。！？；：")):
            assert end in ends, f"joined after: {line[-20:]}"


# ---------------------------------------------------------------------------------------
# The work budget (issue 14): content streams read once and quickly, furniture found in one
# pass, and a finding (FZ910) instead of minutes and GBs for a few KB of hostile PDF


def _pypdf_operations(data: bytes) -> list:
    """What pypdf's own parser makes of a content stream, as the reader keeps it."""
    stream = DecodedStreamObject()
    stream.set_data(data)
    return [(_plain(operands[:pdf.MAX_OPERANDS]), bytes(op))
            for operands, op in ContentStream(stream, None, "bytes").operations if op in pdf._PAINTED]


def _ours(data: bytes) -> list:
    return [(_plain(operands), op) for operands, op in pdf._operations(data)]


def _plain(value):
    """pypdf's objects as plain values (NameObject -> str, FloatObject -> float, ...)."""
    if isinstance(value, BooleanObject):
        return value.value
    if value is None or isinstance(value, NullObject):
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return value
    return float(value)


def _contents(data: bytes) -> list[bytes]:
    reader = PdfReader(io.BytesIO(data))
    return [b"\n".join(s.get_object().get_data() for s in (c if isinstance(c, list) else [c]))
            for c in (page.get("/Contents") for page in reader.pages) if c is not None]


SEED_PDFS = [f"libreoffice-{p.stem[:3]}" for p in LIBREOFFICE] + [
    f"{style}-{seed.stem[:3]}" for seed in SEEDS[:2] for style in STYLES]


@functools.cache
def _seed_pdf(name: str) -> bytes:
    """A PDF of :data:`SEED_PDFS`: a LibreOffice export, or a seed rendered in a style."""
    kind, stem = name.split("-")
    if kind == "libreoffice":
        return next(p for p in LIBREOFFICE if p.stem.startswith(stem)).read_bytes()
    seed = next(p for p in SEEDS if p.stem.startswith(stem))
    return build_pdf(seed.read_text(encoding="utf-8"), style=kind)


@pytest.mark.parametrize("name", SEED_PDFS)
def test_content_streams_read_as_pypdf_reads_them(name):
    """The tokenizer keeps the text operators with the operands pypdf's parser gives them."""
    for data in _contents(_seed_pdf(name)):
        assert _ours(data) == _pypdf_operations(data)


TRICKY = (b"% a comment\n/P <</MCID 0 /A [1 2 [3]] /B <</C (x)>> /D true>> BDC EMC q 1 0 0 1 -.5 +3 cm\n"
          b"BT /F#31 12 Tf 4. TL (a\\)b\\(c\\101\\0\\\n d\\q \\777) Tj (x(y)z) ' <41 42 4> Tj 1 2 (q) \"\n"
          b"[(a) -10 [1 2] (b) true null <4142>] TJ%comment\nT* ET BI /W 2 /H 1 /BPC 8 /CS /G ID \x00E"
          b"\nEI Q /Im1 Do 1 2 3 4 5 6 7 8 Tm 12Tz 0 Tc")


def test_content_stream_syntax():
    """Comments, escapes, nested parentheses, odd hex, #-escaped names, nested arrays and
    dictionaries, an inline image (skipped), operators glued to numbers: as pypdf reads them."""
    ops = pdf._operations(TRICKY)
    assert _ours(TRICKY) == _pypdf_operations(TRICKY)
    assert [op for _, op in ops] == [b"q", b"cm", b"BT", b"Tf", b"TL", b"Tj", b"'", b"Tj", b'"', b"TJ", b"T*",
                                     b"Q", b"Do", b"Tm", b"Tz", b"Tc"]
    assert ops[5][0] == [b"a)b(cA\x00 d\\q \\777"] and ops[3][0] == ["/F1", 12]
    assert ops[-3][0] == [1, 2, 3, 4, 5, 6]   # the painter needs no more than six


@pytest.mark.parametrize("image", [b"/W 4 /H 1 /BPC 8 /CS /G ID \x00 EI \x01\x02 x", b"/W 4 /H 1 /CS /RGB ID ab EI",
                                   b"/W 2 /H 2 /BPC 8 /CS /G /L 4 ID EI\nE", b"/IM true /W 9 /H 1 /F /AHx ID 0f>"])
def test_inline_images_are_skipped_to_their_end(image):
    """Binary data with " EI " inside it, a length too short, /L, a filter: the text after
    the image is read, as pypdf reads it."""
    data = b"q BI " + image + b" EI Q BT /F1 9 Tf (after) Tj ET"
    assert _ours(data) == _pypdf_operations(data)
    assert _ours(data)[-1] == ([b"after"], b"Tj")


@pytest.mark.parametrize("data", [b"BT (never closed Tj ET", b"BT <41 4G> Tj ET", b"BT ) Tj ET", b"[1 Tj] TJ"])
def test_content_that_pypdf_rejects_is_rejected(data):
    with pytest.raises(Exception):  # noqa: B017 - pypdf raises several kinds; that it refuses is the point
        _pypdf_operations(data)
    with pytest.raises(ValueError):
        pdf._operations(data)


def _parse_counter(monkeypatch) -> list[int]:
    calls: list[int] = []
    parse = pdf._operations

    def counted(data):
        calls.append(len(data))
        return parse(data)

    monkeypatch.setattr(pdf.budget, "_operations", counted)
    return calls


def _pages_with(contents: list[int], stream: bytes) -> bytes:
    """Pages drawing the given content objects (4, 5, ...): each ``stream``."""
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", SONG]
    objects += [(b"", stream)] * (max(contents) - 3)
    kids = []
    for number in contents:
        objects.append(b"<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>" % number)
        kids.append(len(objects))
    objects[1] = pages_tree(kids, b"/Font << /F1 3 0 R >>")
    return raw_pdf(objects)


# eight lines: the middle two are no candidates for running heads, though on every page
PAGE = b"".join(b"BT /F1 16 Tf 90 %d Td %s Tj ET\n" % (700 - 29 * i, shown(f"第{i + 1}段。")) for i in range(8))


def test_contents_drawn_by_many_pages_are_parsed_at_most_twice(monkeypatch):
    """Parsed on the first page, parsed again and kept on the second, reused on the others:
    the same text as when each page has a copy of its own."""
    calls = _parse_counter(monkeypatch)
    shared = read_pdf(_pages_with([4] * 30, PAGE), "a.pdf")
    assert len(calls) == 2
    calls.clear()
    own = read_pdf(_pages_with(list(range(4, 34)), PAGE), "a.pdf")
    assert len(calls) == 30
    assert (shared.text, shared.places, shared.note) == (own.text, own.places, own.note)


def _pairwise_repeated(pages: list[list]) -> set[tuple[int, int]]:
    """Furniture as the reader found it before issue 14: every line against every other."""
    where = defaultdict(list)
    for lines in pages:
        for line in pdf._edges(lines):
            where[pdf._key(line.text)].append(line)
    need = max(2, math.ceil(pdf.REPEAT_SHARE * len(pages)))
    found = set()
    for same in where.values():
        if len({ln.page for ln in same}) < need:
            continue
        for line in same:
            here = {o.page for o in same if abs(o.y - line.y) <= line.size and abs(o.size - line.size) < 1}
            if len(here) >= need:
                found.add((line.page, line.row))
    return found


def _lines_of(data: bytes) -> list[list]:
    with pdf._quiet():
        return pdf._extract(pdf._open(data)).lines


def _jittered_pages(seed: int) -> list[list]:
    """Pages whose headers and footers wander in height and size, some pages without them."""
    rng = random.Random(seed)
    pages = []
    for page in range(1, rng.randint(3, 40)):
        lines = []
        if rng.random() < 0.8:
            lines.append(pdf._Line(page, 0, "某某县人民政府", 0, 100, 800 + rng.choice((0, 3, 9, 11, 16)),
                                   rng.choice((10.5, 11.2, 12.0)), 0))
        for k in range(rng.randint(0, 6)):
            lines.append(pdf._Line(page, 0, rng.choice(("正文。", f"第{k}段。", "一、总体情况")), 0, 100,
                                   700 - 30 * k, 16.0, 0))
        if rng.random() < 0.7:
            lines.append(pdf._Line(page, 0, f"— {page} —", 0, 100, 50 + rng.choice((0, 5, 14.5, 15)),
                                   rng.choice((14.0, 14.9, 15.2)), 0))
        for row, line in enumerate(lines, 1):
            line.row = row
        pages.append(lines)
    return pages


@pytest.mark.parametrize("name", [*SEED_PDFS, "running-header", *(f"jittered-{i}" for i in range(20))])
def test_furniture_is_what_comparing_every_pair_of_lines_found(name):
    """One sweep per text and size finds the lines that comparing all pairs found."""
    if name.startswith("jittered"):
        pages = _jittered_pages(int(name.split("-")[1]))
    else:
        pages = _lines_of(running_header_pdf(40) if name == "running-header" else _seed_pdf(name))
    assert pdf._repeated(pages) == _pairwise_repeated(pages)


FURNITURE_OF_MANY_PAGES = """
from checker.sources.pdf import _Line, _drop_furniture
pages = [[_Line(p, 1, "某某市人民政府2023年法治政府建设年度报告", 200, 400, 790, 10.5, 0),
          _Line(p, 2, f"正文{chr(0x4E00 + p)}。", 90, 400, 700, 16, 0),
          _Line(p, 3, f"— {p} —", 280, 320, 60, 14, 0)] for p in range(1, 20_001)]
kept, removed = _drop_furniture(pages)
print(len(kept), removed)
"""


def test_furniture_of_20000_pages_is_found_in_one_pass():
    """Comparing every line with every other took minutes for these 20,000 pages (the
    timeout is only a guard against that; a sweep takes well under a second)."""
    run = subprocess.run([sys.executable, "-c", FURNITURE_OF_MANY_PAGES], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.stdout.split() == ["20000", "40000"], run.stderr


def test_a_running_header_on_2000_pages_goes():
    source = read_pdf(running_header_pdf(pdf.MAX_PAGES), "a.pdf")
    assert source.note.startswith(f"{pdf.MAX_PAGES} 页，去除页眉页脚 {6 * pdf.MAX_PAGES} 行")
    assert "某某市人民政府" not in source.text and "第3行正文" in source.text


def _too_complex(data: bytes) -> str:
    with pytest.raises(SourceError) as exc:
        read_pdf(data, "a.pdf")
    assert exc.value.problem == "too_complex"
    return exc.value.detail


def _form_pdf(inner: bytes, draws: int) -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    b"/Resources << /XObject << /X 6 0 R >> >> /Contents 4 0 R >>",
                    (b"", b"/X Do\n" * draws), HELVETICA,
                    (b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>",
                     inner)])


FORMS, SHARED, MALICIOUS = "PDF 中表单对象被重复绘制，", "PDF 中许多页面重复绘制同一段内容，", "（疑似恶意构造的文件）"
GLYPHS, OPERATORS = "需要排版的文字超过 200 万字节" + MALICIOUS, "需要执行的绘制指令超过 100 万条" + MALICIOUS


@pytest.mark.parametrize("build, detail", [
    (lambda: form_bomb_pdf(2000, 1, 200), FORMS + GLYPHS),
    (lambda: form_bomb_pdf(40, 4, 1), FORMS + GLYPHS),
    (lambda: _form_pdf(b"q Q\n" * 1000, 1000), FORMS + OPERATORS),
    (lambda: scattered_pdf(45_000, 40), FORMS + "需要排版的文字片段超过 30 万个" + MALICIOUS),
    (lambda: shared_contents_pdf(2000, 2000), SHARED + GLYPHS),
    (lambda: _pages_with([4], b" " * (pdf.MAX_CONTENT_BYTES + 1)), "PDF 需要解析的页面内容超过 4 MB" + MALICIOUS),
    (lambda: running_header_pdf(pdf.MAX_PAGES + 1), "PDF 页数超过 2000 页的上限"),
    (lambda: many_objects_pdf(60_000), "PDF 中的对象超过 5 万个"),
], ids=["form-2000-draws", "form-nested-40^4", "form-of-operators", "form-of-pieces", "shared-contents",
        "inflated-contents", "2001-pages", "60000-objects"])
def test_more_work_than_the_budget_is_too_complex(build, detail):
    """Each budget, exceeded by a PDF of a few KB to a few hundred KB (each read in about a
    second); before, the first three took from seconds to minutes and GBs, the forms were
    cut off silently after 2,000 draws a page, and the others were read for minutes."""
    assert _too_complex(build()) == detail


def test_pages_are_counted_through_kids_given_by_reference():
    """/Kids may be a reference to the array: the pages below it count all the same."""
    pages = pdf.MAX_PAGES + 1
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids 5 0 R /Count 1 >>", HELVETICA,
                     (b"", b"BT /F1 12 Tf 72 700 Td (report) Tj ET"),
                     b"[%s]" % b" ".join(b"%d 0 R" % (6 + k) for k in range(pages))]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 3 0 R >> >> >>"] * pages
    assert _too_complex(raw_pdf(objects, compact=True)) == "PDF 页数超过 2000 页的上限"


def _nested_forms(depth: int) -> bytes:
    """A page drawing form 1, which draws form 2, ... down to form ``depth``, which shows text."""
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                     b"/Resources << /XObject << /X 6 0 R >> >> /Contents 4 0 R >>",
                     (b"", b"/X Do"), HELVETICA]
    for level in range(1, depth + 1):
        inner = b"BT /F1 12 Tf 72 700 Td (report) Tj ET" if level == depth else b"/X Do"
        objects.append((b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                        b"/Resources << /Font << /F1 5 0 R >> /XObject << /X %d 0 R >> >>" % (len(objects) + 2),
                        inner))
    return raw_pdf(objects)


def test_forms_nested_too_deep_are_too_complex_not_skipped():
    assert read_pdf(_nested_forms(pdf.MAX_FORM_DEPTH), "a.pdf").text == "report"
    assert _too_complex(_nested_forms(pdf.MAX_FORM_DEPTH + 1)) == \
        "PDF 中表单对象嵌套超过 32 层（疑似恶意构造的文件）"


def test_running_out_of_memory_is_too_complex_not_a_failed_page(monkeypatch):
    def exhausted(data):
        raise MemoryError

    monkeypatch.setattr(pdf.budget, "_operations", exhausted)
    assert _too_complex(text_pdf([[(LEFT, 120, "正文。")]])) == "读取 PDF 所需的内存超出可用内存" + MALICIOUS


def test_running_out_of_stack_is_damaged(monkeypatch):
    def deep(*args):
        raise RecursionError

    monkeypatch.setattr(pdf, "_join", deep)
    with pytest.raises(SourceError) as exc:
        read_pdf(text_pdf([[(LEFT, 120, "正文。")]]), "a.pdf")
    assert (exc.value.problem, exc.value.detail) == ("damaged", "PDF 结构嵌套过深，无法解析")


def test_arrays_nested_beyond_the_stack_are_a_page_that_failed():
    deep = b"BT " + b"[" * 100_000 + b" TJ ET"
    source = read_pdf(_two_pages(PAGE, deep), "a.pdf")
    assert "第 2 页无法解析" in source.note and "第1段" in source.text
    with pytest.raises(SourceError) as exc:
        read_pdf(_pages_with([4], deep), "a.pdf")
    assert (exc.value.problem, exc.value.detail) == ("damaged", "PDF 页面内容无法解析")


def _two_pages(first: bytes, second: bytes) -> bytes:
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", SONG, (b"", first), (b"", second),
                     b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
                     b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>"]
    objects[1] = pages_tree([6, 7], b"/Font << /F1 3 0 R >>")
    return raw_pdf(objects)


# ---------------------------------------------------------------------------------------
# Tables (issue 18): drawn with text placed in cells, read from the positions of the pieces

TITLE_GK = "平安县交通运输局2023年政府信息公开工作年度报告"
HEAD_4 = "四、政府信息公开行政复议、行政诉讼情况"


def _tables_of(blocks: list, **layout) -> tuple[Source, list]:
    source = read_pdf(pdf_with_tables(blocks, **layout), "a.pdf")
    return source, parse(source.text, tables=source.tables).tables


def test_a_table_with_vertical_headers():
    """Table 四's 15 narrow columns: its headers come out a character a line ("结 结 其 尚" /
    "果 果 他 未" ...); each column's characters are one cell, under its group."""
    source, [table] = _tables_of([TITLE_GK, "正文。", HEAD_4, table_4(), "五、存在的主要问题及改进情况", "无。"])
    lines = source.text.split("\n")
    assert "结\t结\t其\t尚" in lines[table.first_line - 1:table.last_line]
    assert (table.height, table.width) == (4, 15)
    assert [view(c.text) for c in table.rows[2].cells][:5] == RESULTS
    row = table.height - 1
    got = [table.value(row, table.find_column([group, result]))
           for group in ("行政复议", "未经复议直接起诉", "复议后起诉") for result in RESULTS]
    assert got == [1, 0, 0, 0, 1, 0, 1, 0, 1, 2, 0, 0, 0, 0, 0]
    assert [s.heading.label for s in parse(source.text, tables=source.tables).walk()] == [
        HEAD_4, "五、存在的主要问题及改进情况"]


ROWS_3 = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
          ["三、本年度办理结果", "（一）予以公开"], "（二）部分公开",
          ["（三）不予公开", "1.属于国家秘密"], ["（三）不予公开", "2.其他法律行政法规禁止公开"],
          ["三、本年度办理结果", "（七）总计"], "四、结转下年度继续办理"]
COLUMNS_3 = [APPLICANTS[0], *(["法人或其他组织", a] for a in APPLICANTS[1:]), "总计"]


def _reading(table) -> list:
    """What the checks read: each row's figures under each column, found by their labels."""
    return [[table.value(table.find_row(row), table.find_column(col)) for col in COLUMNS_3] for row in ROWS_3]


@pytest.mark.parametrize("layout", [dict(rules=False), dict(valign="TOP"), dict(valign="BOTTOM"),
                                    dict(label_align="CENTER")], ids=["unruled", "top", "bottom", "centred-labels"])
def test_a_table_reads_the_same_however_its_cells_are_set(layout):
    """Ruling lines are not read; labels at the top, middle or bottom of their rows, left
    or centred in their cells: the same rows and columns, the format's (three label
    columns, the merged header, 三、本年度办理结果 over its rows)."""
    spec = table_3()
    spec[3][1] = str(NEW[0])        # (full-width digits wider than these columns break over two lines)
    blocks = [TITLE_GK, "正文。", "三、收到和处理政府信息公开申请情况", spec, "五、存在的主要问题及改进情况", "无。"]
    _, [centred] = _tables_of(blocks)
    _, [other] = _tables_of(blocks, **layout)
    assert _reading(centred) == _reading(other) == [
        [10, 2, 0, 0, 1, 0, 13], [1, 0, 0, 0, 0, 0, 1], [6, 1, 0, 0, 1, 0, 8], [2, 0, 0, 0, 0, 0, 2],
        [1, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0], [9, 1, 0, 0, 1, 0, 11], [2, 1, 0, 0, 0, 0, 3]]
    label = centred.at(9, 0)
    assert centred.frame() == (3, 3) and label.key == "三、本年度办理结果" and (label.row, label.row_span) == (5, 5)


def test_a_table_over_two_pages_is_one_table_and_its_lines_are_never_joined():
    """Table 三 of the sample report begins at the foot of a page and goes on at the top of
    the next; its lines are lines of the text, their cells apart by tabs."""
    text = (ROOT / "tests" / "data" / "gk" / "complete.txt").read_text(encoding="utf-8")
    source = read_pdf(pdf_with_tables(gk_blocks(text)), "a.pdf")
    table = next(t for t in source.tables if t.mentions("本列数据的勾稽关系为"))
    first, last = source.place(table.first_line), source.place(table.last_line)
    assert first.split("页")[0] != last.split("页")[0], (first, last)
    lines = source.text.split("\n")
    assert lines[table.last_line - 1] == "四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1"
    assert source.note.endswith("；3 个表格")


@pytest.mark.parametrize("index, style", CASES, ids=IDS)
def test_no_table_in_the_seeds(built, index, style):
    assert built((index, style))[2].tables is None


def test_no_table_in_the_libreoffice_pdfs():
    for path in LIBREOFFICE:
        assert read_pdf(path.read_bytes(), path.name).tables is None, path.name


@pytest.mark.parametrize("rows, columns, size, pages", [(600, 10, 1.0, 1), (2000, 20, 0.35, 1), (60, 8, 9, 40)],
                         ids=["pairs", "lines", "pages"])
def test_tables_past_the_budgets_are_left_out_and_their_text_read(rows, columns, size, pages):
    """A grid of figures too large for the budgets of checker/skeleton/layout.py (a second at
    most of work on tables): no table, the note says so, every line is read."""
    source = read_pdf(grid_pdf(rows, columns, size, pages), "a.pdf")
    assert list(source.tables) == [] and source.tables.incomplete
    assert source.note.endswith("；0 个表格（表格过大，部分表格的结构未读取）")
    assert squeeze(source.text).count("0") >= rows * columns // 10
