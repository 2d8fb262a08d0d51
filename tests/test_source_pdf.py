"""The PDF reader on PDFs built from the seeds (two layouts) and on small hand-made PDFs.

A seed rendered as a PDF and read back must give the seed's text (nothing lost, nothing added:
headers, footers and page numbers gone), the seed's lines (wrapped lines joined, titles and
signature lines not), the same findings at the same words as the .txt, and places that name
where the builder put each line.
"""

from __future__ import annotations

import io
import logging
import random
import re
import warnings

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from checker.lint import lint_path, lint_source
from checker.skeleton.normalize import view
from checker.skeleton.parser import parse
from checker.sources import Source, SourceError, read_bytes
from checker.sources.pdf import is_page_number, read_pdf

from builders.pdf import FONT, Placed, build_pdf, register_font, text_pdf
from conftest import SEEDS

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
