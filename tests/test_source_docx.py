"""The .docx reader: Word's list numbering, body text extraction, damaged files, seeds."""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache, lru_cache

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from lxml import etree

from checker.lint import lint_path, lint_source
from checker.sources import SourceError, read_bytes
from checker.sources import docx as docx_reader
from checker.sources.docx import read_docx
from checker.sources.wordnumbering import ListNumbering, NumberingDefs, TextBudget, format_number, separator, wan

from builders.docx import build_docx, numbered_docx, one_list, package, with_members
from conftest import ROOT, SEEDS

LIBREOFFICE = ROOT / "tests" / "data" / "libreoffice"
ZIPFILE = zipfile.ZipFile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DECLS = (f'xmlns:w="{W}" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
         'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
         'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
         'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
         'xmlns:v="urn:schemas-microsoft-com:vml"')


def _xml(fragment: str):
    """Parse a WordprocessingML fragment, declaring the usual prefixes on its root."""
    return etree.fromstring(re.sub(r"^<([\w:]+)", rf"<\1 {DECLS}", fragment.strip(), count=1))


# ---------------------------------------------------------------------------------------
# Number formats
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,value,text", [
    ("decimal", 7, "7"), ("decimalHalfWidth", 12, "12"),
    ("decimalZero", 3, "03"), ("decimalZero", 12, "12"),
    ("decimalFullWidth", 12, "１２"),
    ("chineseCounting", 1, "一"), ("chineseCounting", 10, "十"), ("chineseCounting", 11, "十一"),
    ("chineseCounting", 20, "二十"), ("chineseCounting", 21, "二十一"),
    ("chineseCounting", 99, "九十九"), ("chineseCounting", 100, "一〇〇"),
    ("chineseCountingThousand", 11, "十一"), ("chineseCountingThousand", 100, "一百"),
    ("chineseCountingThousand", 101, "一百零一"), ("chineseCountingThousand", 110, "一百一十"),
    ("chineseCountingThousand", 1005, "一千零五"), ("chineseCountingThousand", 10001, "一万零一"),
    ("chineseLegalSimplified", 1, "壹"), ("chineseLegalSimplified", 10, "壹拾"),
    ("chineseLegalSimplified", 23, "贰拾叁"), ("chineseLegalSimplified", 105, "壹佰零伍"),
    ("ideographTraditional", 1, "甲"), ("ideographTraditional", 10, "癸"),
    ("ideographTraditional", 11, "11"),
    ("ideographZodiac", 1, "子"), ("ideographZodiac", 12, "亥"),
    ("decimalEnclosedCircle", 1, "①"), ("decimalEnclosedCircle", 20, "⑳"),
    ("decimalEnclosedCircle", 21, "21"), ("decimalEnclosedCircleChinese", 3, "③"),
    ("decimalEnclosedParen", 1, "⑴"), ("decimalEnclosedParen", 20, "⒇"),
    ("decimalEnclosedFullstop", 2, "⒉"),
    ("lowerLetter", 1, "a"), ("lowerLetter", 26, "z"), ("lowerLetter", 27, "aa"),
    ("upperLetter", 54, "BBB"), ("lowerLetter", 0, "0"),
    ("lowerRoman", 4, "iv"), ("upperRoman", 1994, "MCMXCIV"),
    ("japaneseCounting", 10, "十"), ("japaneseCounting", 111, "百十一"),
    ("japaneseCounting", 21, "二十一"),
    ("taiwaneseCounting", 11, "十一"), ("taiwaneseCounting", 20, "二十"),
    ("none", 3, ""), ("ordinalText", 3, "3"),
])
def test_format_number(fmt, value, text):
    assert format_number(value, fmt) == text


@pytest.mark.parametrize("label,suffix,sep", [
    ("一、", "tab", ""), ("（一）", "space", ""), ("1.", "tab", ""), ("⑴", "tab", ""),
    ("一", "tab", ""), ("1", "tab", " "), ("A", "space", " "), ("1", "nothing", ""),
    ("", "tab", ""),
])
def test_separator(label, suffix, sep):
    assert separator(label, suffix) == sep


# ---------------------------------------------------------------------------------------
# List counters
# ---------------------------------------------------------------------------------------

def _lvl(ilvl: int, fmt: str, text: str, extra: str = "", start: int | None = 1) -> str:
    start_xml = f'<w:start w:val="{start}"/>' if start is not None else ""
    return (f'<w:lvl w:ilvl="{ilvl}">{start_xml}<w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


CHINESE = (_lvl(0, "chineseCounting", "%1、") + _lvl(1, "chineseCounting", "（%2）")
           + _lvl(2, "decimal", "%3.") + _lvl(3, "decimal", "（%4）"))


def lists(abstracts: dict[str, str], nums: str, styles: str = "") -> ListNumbering:
    """A ListNumbering over ``<w:abstractNum>`` bodies (by id) and ``<w:num>`` elements."""
    numbering = "".join(f'<w:abstractNum w:abstractNumId="{i}">{body}</w:abstractNum>'
                        for i, body in abstracts.items())
    styles_el = _xml(f"<w:styles>{styles}</w:styles>") if styles else None
    return ListNumbering(NumberingDefs.from_xml(_xml(f"<w:numbering>{numbering}{nums}</w:numbering>"),
                                                styles_el))


def num(num_id: int, abstract: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>'


def labels(numbering: ListNumbering, paragraphs) -> list[str | None]:
    return [numbering.label(*p) for p in paragraphs]


def test_chinese_levels_and_deeper_levels_reset():
    n = lists({"1": CHINESE}, num(1, 1))
    seq = [("1", 0), ("1", 1), ("1", 2), ("1", 3), ("1", 3), ("1", 2), ("1", 1), ("1", 2),
           ("1", 0), ("1", 2)]
    assert labels(n, seq) == ["一、", "（一）", "1.", "（1）", "（2）", "2.", "（二）", "1.",
                              "二、", "1."]
    assert n.count == 10


def test_several_placeholders():
    n = lists({"1": _lvl(0, "decimal", "%1.") + _lvl(1, "decimal", "%1.%2")
                    + _lvl(2, "lowerLetter", "%1.%2.%3)")}, num(1, 1))
    seq = [("1", 0), ("1", 1), ("1", 1), ("1", 2), ("1", 0), ("1", 1)]
    assert labels(n, seq) == ["1.", "1.1 ", "1.2 ", "1.2.a)", "2.", "2.1 "]


def test_unused_parent_level_shows_its_start():
    n = lists({"1": _lvl(0, "decimal", "%1.") + _lvl(1, "decimal", "%1.%2")}, num(1, 1))
    assert n.label("1", 1) == "1.1 "


def test_level_restart_rules():
    never = _lvl(1, "decimal", "%2)", '<w:lvlRestart w:val="0"/>')
    after_first = _lvl(2, "decimal", "(%3)", '<w:lvlRestart w:val="1"/>')
    n = lists({"1": _lvl(0, "decimal", "%1.") + never + after_first}, num(1, 1))
    seq = [("1", 0), ("1", 1), ("1", 2), ("1", 1), ("1", 2), ("1", 0), ("1", 1), ("1", 2)]
    # level 1 never restarts; level 2 restarts only after level 0, not after level 1
    assert labels(n, seq) == ["1.", "1)", "(1)", "2)", "(2)", "2.", "3)", "(1)"]


def test_nums_sharing_an_abstract_continue_one_sequence():
    n = lists({"1": CHINESE}, num(1, 1) + num(2, 1))
    assert labels(n, [("1", 0), ("1", 0), ("2", 0), ("1", 0)]) == ["一、", "二、", "三、", "四、"]


def test_start_override_restarts_the_first_time_its_num_is_used():
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    n = lists({"1": CHINESE}, num(1, 1) + num(2, 1, restart))
    seq = [("1", 0), ("1", 0), ("2", 0), ("2", 0), ("1", 0)]
    assert labels(n, seq) == ["一、", "二、", "一、", "二、", "三、"]


def test_start_override_value_and_level_override():
    override = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>'
                '<w:lvlOverride w:ilvl="1"><w:lvl w:ilvl="1"><w:start w:val="1"/>'
                '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%2)"/></w:lvl></w:lvlOverride>')
    n = lists({"1": CHINESE}, num(1, 1) + num(2, 1, override))
    assert labels(n, [("2", 0), ("2", 1), ("2", 1), ("1", 1)]) == ["五、", "I)", "II)", "（三）"]


def test_is_legal_renders_every_placeholder_in_decimal():
    n = lists({"1": _lvl(0, "upperRoman", "%1.")
                    + _lvl(1, "decimal", "%1.%2", "<w:isLgl/>")}, num(1, 1))
    assert labels(n, [("1", 0), ("1", 1)]) == ["I.", "1.1 "]


def test_missing_start_is_zero_and_missing_lvl_text_shows_nothing():
    n = lists({"1": _lvl(0, "decimal", "%1.", start=None)
                    + '<w:lvl w:ilvl="1"><w:start w:val="1"/></w:lvl>'}, num(1, 1))
    assert labels(n, [("1", 0), ("1", 0), ("1", 1)]) == ["0.", "1.", ""]
    assert n.count == 2


def test_suffix_and_bullets():
    n = lists({"1": _lvl(0, "decimal", "%1", '<w:suff w:val="space"/>')
                    + _lvl(1, "bullet", "\uf0b7") + _lvl(2, "decimal", "%3", '<w:suff w:val="nothing"/>')},
              num(1, 1))
    assert labels(n, [("1", 0), ("1", 1), ("1", 2)]) == ["1 ", "• ", "1"]


def test_unknown_num_and_num_zero_and_undefined_level():
    n = lists({"1": CHINESE}, num(1, 1))
    assert labels(n, [("9", 0), ("0", 0), ("1", 7), (None, None)]) == [None, None, None, None]


STYLES = """
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>
<w:style w:type="paragraph" w:styleId="H1"><w:basedOn w:val="Normal"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="H2"><w:basedOn w:val="Normal"/>
  <w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="H3"><w:basedOn w:val="Normal"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="MyH1"><w:basedOn w:val="H1"/></w:style>
<w:style w:type="numbering" w:styleId="Outline">
  <w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
"""


def test_numbering_from_paragraph_styles():
    linked = CHINESE.replace('<w:lvl w:ilvl="2"><w:start w:val="1"/>',
                             '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:pStyle w:val="H3"/>')
    n = lists({"1": linked}, num(1, 1), STYLES)
    seq = [(None, None, "H1"), (None, None, "H2"), (None, None, "H3"), (None, None, "MyH1"),
           (None, None, None), ("0", None, "H1"), (None, 2, "H1"), (None, None, "Nope")]
    # H1: numId from the style, level 0 by default; H2: level 1 from the style; H3: level 2
    # through the level's w:pStyle; MyH1 inherits H1 (basedOn); Normal has no numbering;
    # numId 0 switches the style's numbering off; a direct ilvl combines with the style's numId
    assert labels(n, seq) == ["一、", "（一）", "1.", "二、", None, None, "1.", None]


def test_num_style_link_takes_the_levels_of_the_linked_list():
    abstracts = {"10": '<w:numStyleLink w:val="Outline"/>',
                 "11": '<w:styleLink w:val="Outline"/>' + CHINESE}
    n = lists(abstracts, num(2, 11) + num(3, 10), STYLES)
    assert labels(n, [("3", 0), ("3", 1), ("2", 0)]) == ["一、", "（一）", "二、"]


def test_definitions_tolerate_junk():
    n = lists({"1": '<w:lvl w:ilvl="x"/><w:lvl w:ilvl="0"><w:start w:val="oops"/>'
                    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'},
              num(1, 1) + '<w:num w:numId="2"/>')
    assert labels(n, [("1", 0), ("2", 0)]) == ["0.", None]


def test_alternate_content_number_format_uses_the_fallback():
    lvl = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent>'
           '<mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="01, 02, 03, ..."/></mc:Choice>'
           '<mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent>'
           '<w:lvlText w:val="%1."/></w:lvl>')
    assert lists({"1": lvl}, num(1, 1)).label("1", 0) == "01."


# ---------------------------------------------------------------------------------------
# Reading documents
# ---------------------------------------------------------------------------------------

def docx_bytes(*blocks: str, setup=None) -> bytes:
    """A .docx whose body is the given w:p / w:tbl / w:sdt fragments (``setup(doc)`` first)."""
    doc = Document()
    if setup is not None:
        setup(doc)
    sect_pr = doc.element.body[-1]
    for fragment in blocks:
        sect_pr.addprevious(_xml(fragment))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def para(inner: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{inner}</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def read(data: bytes):
    return read_docx(data, "report.docx")


def test_plain_paragraphs_places_and_note():
    src = read(docx_bytes(para(run("标题")), para(""), para(run("正文") + run("继续"))))
    assert src.text == "标题\n\n正文继续"
    assert list(src.places) == ["第1段", "第2段", "第3段"]
    assert (src.format, src.encoding, src.path) == ("docx", "docx", "report.docx")
    assert src.note == "3 段，0 个表格，自动编号 0 处"


def test_tracked_changes_show_the_result():
    inner = (run("保留") + f'<w:ins w:id="1" w:author="a">{run("插入")}</w:ins>'
             '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'
             f'<w:moveFrom w:id="3" w:author="a">{run("移走")}</w:moveFrom>'
             f'<w:moveTo w:id="4" w:author="a">{run("移来")}</w:moveTo>')
    assert read(docx_bytes(para(inner))).text == "保留插入移来"


def test_fields_show_their_result_not_their_code():
    complex_field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                     '<w:r><w:instrText xml:space="preserve"> DATE \\@ "yyyy年M月d日" </w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("2025年1月14日")
                     + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    simple = f'<w:fldSimple w:instr=" PAGE ">{run("3")}</w:fldSimple>'
    assert read(docx_bytes(para(complex_field), para(run("第") + simple + run("页")))).text \
        == "2025年1月14日\n第3页"


def test_hyperlinks_smart_tags_and_inline_controls_keep_their_text():
    def setup(doc):
        doc.part.relate_to("http://example.invalid/a", RT.HYPERLINK, is_external=True)
    inner = (run("详见") + f'<w:hyperlink r:id="rId99">{run("政府网站")}</w:hyperlink>'
             f'<w:smartTag w:uri="u" w:element="e">{run("，")}</w:smartTag>'
             f'<w:sdt><w:sdtPr/><w:sdtContent>{run("控件")}</w:sdtContent></w:sdt>'
             f'<w:customXml w:element="x">{run("内容")}</w:customXml>')
    assert read(docx_bytes(para(inner), setup=setup)).text == "详见政府网站，控件内容"


def test_breaks_tabs_and_hyphens():
    inner = (run("法治") + "<w:r><w:br/></w:r>" + run("政府") + '<w:r><w:br w:type="page"/></w:r>'
             + run("Word") + "<w:r><w:cr/></w:r>" + run("2024") + "<w:r><w:tab/></w:r>"
             + run("A") + "<w:r><w:noBreakHyphen/></w:r>" + run("B") + "<w:r><w:softHyphen/></w:r>")
    assert read(docx_bytes(para(inner))).text == "法治政府Word 2024\tA-B"


def test_hidden_text_math_and_ruby():
    inner = ('<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'
             '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>可见</w:t></w:r>'
             '<m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath>'
             '<w:r><w:ruby><w:rubyPr/><w:rt>fǎ</w:rt><w:rubyBase>' + run("法") + "</w:rubyBase></w:ruby></w:r>")
    assert read(docx_bytes(para(inner))).text == "可见x+1法"


TEXT_BOX = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>'
            '<w:txbxContent><w:p>' + run("文本框") + '</w:p></w:txbxContent></wps:txbx></w:drawing>'
            '</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p>'
            + run("文本框") + "</w:p></w:txbxContent></v:textbox></v:shape></w:pict>"
            "</mc:Fallback></mc:AlternateContent></w:r>")


def test_text_boxes_footnote_marks_and_comment_marks_are_not_body_text():
    inner = (run("正文") + TEXT_BOX + '<w:r><w:footnoteReference w:id="1"/></w:r>'
             '<w:commentRangeStart w:id="0"/>' + run("继续") + '<w:commentRangeEnd w:id="0"/>'
             '<w:r><w:commentReference w:id="0"/></w:r>')
    src = read(docx_bytes(para(inner), para(run("下一段"))))
    assert src.text == "正文继续\n下一段"
    assert list(src.places) == ["第1段", "第2段"]


def test_headers_footers_and_comments_are_ignored():
    def setup(doc):
        doc.sections[0].header.paragraphs[0].text = "页眉标题"
        doc.sections[0].footer.paragraphs[0].text = "第 1 页"
        paragraph = doc.add_paragraph("正文段落")
        doc.add_comment(paragraph.runs[0], text="批注内容", author="审核人")
    src = read(docx_bytes(setup=setup))
    assert src.text == "正文段落"


def test_content_controls_at_body_level_count_as_paragraphs():
    block = f"<w:sdt><w:sdtPr/><w:sdtContent>{para(run('甲'))}{para(run('乙'))}</w:sdtContent></w:sdt>"
    src = read(docx_bytes(para(run("前")), block, para(run("后"))))
    assert src.text == "前\n甲\n乙\n后"
    assert list(src.places) == ["第1段", "第2段", "第3段", "第4段"]


def _table(doc, rows):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            table.cell(r, c).text = value
    return table


def test_tables_become_one_line_per_row():
    def setup(doc):
        doc.add_paragraph("前言")
        table = _table(doc, [["项目", "数量"], ["案件", "12"]])
        table.cell(1, 0).add_paragraph("（行政）")
        inner = _table(table.cell(1, 1), [["甲", "乙"]])
        assert inner is not None
        doc.add_paragraph("结语")
        _table(doc, [["", ""]])
    src = read(docx_bytes(setup=setup))
    assert src.text.split("\n") == ["前言", "项目\t数量", "案件 （行政）\t12 甲 乙", "结语", "\t"]
    assert list(src.places) == ["第1段", "表格1第1行", "表格1第2行", "第2段", "表格2第1行"]
    assert src.note == "2 段，2 个表格，自动编号 0 处"


def test_automatic_numbers_are_rendered_in_paragraphs_and_tables():
    numbering = (f'<w:abstractNum {DECLS} w:abstractNumId="77">{CHINESE}</w:abstractNum>',
                 f'<w:num {DECLS} w:numId="77"><w:abstractNumId w:val="77"/></w:num>')

    def setup(doc):
        element = doc.part.numbering_part.element
        next(element.iterchildren(f"{{{W}}}num")).addprevious(parse_xml(numbering[0]))
        element.append(parse_xml(numbering[1]))

    def numbered(ilvl: int, text: str) -> str:
        ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="77"/></w:numPr></w:pPr>'
        return para(run(text) if text else "", ppr)

    table = (f"<w:tbl><w:tr><w:tc>{numbered(1, '表内')}</w:tc></w:tr></w:tbl>")
    src = read(docx_bytes(numbered(0, "主要举措"), numbered(1, ""), numbered(1, "加强领导"),
                          table, numbered(2, "细则"), numbered(0, "不足"), setup=setup))
    # the empty numbered paragraph still takes （一）; the table paragraph takes （三）
    assert src.text.split("\n") == ["一、主要举措", "（一）", "（二）加强领导", "（三）表内",
                                    "1.细则", "二、不足"]
    assert src.note == "5 段，1 个表格，自动编号 6 处"


def test_empty_documents():
    assert read(docx_bytes()).text == ""
    src = read(docx_bytes(para(""), para(""), para("")))
    assert src.text == "\n\n"


def test_dispatch_by_suffix_and_lint_of_an_empty_document(registry):
    src = read_bytes(docx_bytes(para("")), "报告.docx")
    assert src.format == "docx"
    assert [d.code for d in lint_source(src, registry).diagnostics] == ["FZ903"]


# ---------------------------------------------------------------------------------------
# Files that are not readable .docx
# ---------------------------------------------------------------------------------------

def _rezip(data: bytes, drop: str | None = None, change: tuple[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == drop:
                continue
            body = change[1] if change and info.filename == change[0] else src.read(info)
            dst.writestr(info.filename, body)
    return out.getvalue()


@lru_cache(maxsize=1)
def _good() -> bytes:
    return docx_bytes(para(run("正文")))


def _problem(data: bytes) -> tuple[str, str]:
    with pytest.raises(SourceError) as info:
        read(data)
    return info.value.problem, info.value.detail


def test_damaged_inputs():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    content_types = zipfile.ZipFile(io.BytesIO(_good())).read("[Content_Types].xml").replace(
        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")
    cases = {
        "random": (bytes(range(256)) * 8, "压缩包无法打开"),
        "text": ("这不是 Word 文件".encode(), "压缩包无法打开"),
        "truncated": (_good()[:2000], "压缩包已损坏"),
        "no document.xml": (_rezip(_good(), drop="word/document.xml"), "word/document.xml"),
        "no styles.xml": (_rezip(_good(), drop="word/styles.xml"), "word/styles.xml"),
        "no content types": (_rezip(_good(), drop="[Content_Types].xml"), "Content_Types"),
        "bad xml": (_rezip(_good(), change=("word/document.xml", b"<w:document><w:body>")),
                    "XML 格式错误（第 1 行"),
        "no package relationships": (_rezip(_good(), drop="_rels/.rels"), "找不到 Word 主文档"),
        "excel": (_rezip(_good(), change=("[Content_Types].xml", content_types)), "Excel"),
        "doc": (ole + "WordDocument".encode("utf-16-le"), ".doc"),
        "rtf": (b"{\\rtf1\\ansi ...}", "RTF"),
    }
    for name, (data, detail) in cases.items():
        problem, got = _problem(data)
        assert problem == "damaged", name
        assert detail in got, (name, got)
    assert _problem(ole + "EncryptedPackage".encode("utf-16-le"))[0] == "encrypted"
    central = _good().index(b"PK\x01\x02")   # set "encrypted" in the first member's flags
    locked = bytearray(_good())
    locked[central + 8] |= 0x1
    assert _problem(bytes(locked))[0] == "encrypted"
    assert _problem(b"")[0] == "empty"


def test_zip_bomb_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/media/zeros.bin", bytes(11 * 1024 * 1024))
    problem, detail = _problem(out.getvalue())
    assert problem == "damaged" and "压缩炸弹" in detail


# ---------------------------------------------------------------------------------------
# The seed reports as Word documents
# ---------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


@cache
def _seed_docx(index: int) -> bytes:
    return build_docx(SEEDS[index].read_text(encoding="utf-8"))


@pytest.mark.parametrize("index", range(len(SEEDS)), ids=[p.stem[:3] for p in SEEDS])
def test_seed_text_survives_word(index):
    seed = SEEDS[index].read_text(encoding="utf-8")
    src = read_docx(_seed_docx(index), SEEDS[index].with_suffix(".docx").name)
    want = [_SPACE.sub("", line) for line in seed.split("\n")]
    got = [_SPACE.sub("", line) for line in src.text.split("\n")]
    assert got == want
    assert list(src.places) == [f"第{n}段" for n in range(1, len(want) + 1)]
    numbered = int(re.search(r"自动编号 (\d+) 处", src.note)[1])
    with zipfile.ZipFile(io.BytesIO(_seed_docx(index))) as z:
        assert numbered == z.read("word/document.xml").count(b"<w:numPr>")
    # 002 types its numbers after Markdown marks ("## 一、"), so nothing there is auto-numbered
    assert numbered > 0 or SEEDS[index].name.startswith("002")


@pytest.mark.parametrize("index", range(len(SEEDS)), ids=[p.stem[:3] for p in SEEDS])
def test_seed_findings_survive_word(index, registry):
    src = read_docx(_seed_docx(index), SEEDS[index].with_suffix(".docx").name)
    got = lint_source(src, registry).diagnostics
    want = lint_path(SEEDS[index], registry).diagnostics
    assert sorted((d.code, d.span.line) for d in got) == sorted((d.code, d.span.line) for d in want)
    assert all(d.where == f"第{d.span.line}段" for d in got)


# ---------------------------------------------------------------------------------------
# The work budget (issue 14): what a small file may expand to
# ---------------------------------------------------------------------------------------

def _too_complex(data: bytes) -> str:
    problem, detail = _problem(data)
    assert problem == "too_complex", detail
    return detail


def test_wan():
    assert wan(5000, "个") == "5000 个"
    assert wan(10000, "个") == "1 万个"
    assert wan(1_024_000, "个字符") == "102.4 万个字符"
    assert wan(4_000_000, "个字符") == "400 万个字符"


def test_a_number_is_paid_for_before_it_is_built():
    """A number costs its level text as written plus each placeholder's number: "%1%1" on a
    lowerLetter counter at 27 ("aa") costs 4 + 2 + 2."""
    def numbering(limit: int) -> ListNumbering:
        defs = NumberingDefs.from_xml(_xml(f"<w:numbering>{one_list('%1%1', 'lowerLetter', 27)}</w:numbering>"))
        return ListNumbering(defs, TextBudget(limit))

    within = numbering(8)
    assert within.label("1", 0) == "aaaa "
    assert (within.budget.used, within.budget.numbering) == (8, 8)
    over = numbering(7)
    with pytest.raises(SourceError) as info:
        over.label("1", 0)
    assert info.value.problem == "too_complex"
    assert info.value.detail == ("Word 自动编号展开后的文字超过 7 个字符"
                                 "（编号文字过长或被大量段落引用，疑似恶意构造的文件）")


def test_bullets_and_texts_without_placeholders_are_paid_for_too():
    defs = NumberingDefs.from_xml(_xml(f"<w:numbering>{one_list('法' * 10)}</w:numbering>"))
    n = ListNumbering(defs, TextBudget(25))
    assert labels(n, [("1", 0), ("1", 0)]) == ["法" * 10] * 2
    with pytest.raises(SourceError):
        n.label("1", 0)
    bullet = NumberingDefs.from_xml(_xml(f"<w:numbering>{one_list('•' * 10, 'bullet')}</w:numbering>"))
    with pytest.raises(SourceError):
        ListNumbering(bullet, TextBudget(9)).label("1", 0)


def test_the_budget_names_what_took_the_characters():
    budget = TextBudget(100)
    budget.spend(60)
    with pytest.raises(SourceError) as info:
        budget.spend(50, numbering=True)
    assert info.value.detail == "Word 正文展开后的文字超过 100 个字符（疑似恶意构造的文件）"


def test_the_text_budget_is_a_multiple_of_document_xml_with_a_floor_and_a_cap():
    assert docx_reader.text_budget(0).limit == docx_reader.TEXT_FLOOR
    assert docx_reader.text_budget(500_000).limit == docx_reader.TEXT_FLOOR + 1_000_000
    assert docx_reader.text_budget(100 * 1024 * 1024).limit == docx_reader.MAX_TEXT_CHARS


@pytest.mark.parametrize("via,limit", [("numPr", "268"), ("style", "194"), ("default", "112")])
def test_a_long_level_text_over_many_paragraphs(via, limit):
    """1 MB of level text used by 10,000 paragraphs (10 GB of text once expanded), in a
    file of 5 to 8 KB: stopped after the first numbers, whichever way paragraphs are numbered."""
    data = numbered_docx("法" * (1 << 20), 10_000, via=via)
    assert len(data) < 8 * 1024
    assert _too_complex(data) == (f"Word 自动编号展开后的文字超过 {limit} 万个字符"
                                  "（编号文字过长或被大量段落引用，疑似恶意构造的文件）")


def test_placeholders_of_a_huge_counter():
    data = numbered_docx("%1" * 100_000, 10_000, fmt="lowerLetter", start=32767)
    assert "自动编号展开后的文字超过" in _too_complex(data)


def test_the_same_numbers_within_the_budget_are_read():
    src = read(numbered_docx("第%1条", 1000, fmt="chineseCountingThousand"))
    assert src.text.split("\n")[-1] == "第一千条"
    assert src.note == "1000 段，0 个表格，自动编号 1000 处"


def test_paragraphs_and_table_rows_are_counted(monkeypatch):
    assert _too_complex(package("<w:p/>" * (docx_reader.MAX_BLOCKS + 1))) == \
        "Word 文档中的段落和表格行超过 5 万个（疑似恶意构造的文件）"
    monkeypatch.setattr(docx_reader, "MAX_BLOCKS", 30)
    detail = "Word 文档中的段落和表格行超过 30 个（疑似恶意构造的文件）"
    assert _too_complex(package("<w:tbl>" + "<w:tr/>" * 31 + "</w:tbl>")) == detail
    assert _too_complex(package("<w:tbl>" + "<w:tr><w:tc><w:p/><w:p/></w:tc></w:tr>" * 11 + "</w:tbl>")) == detail
    assert len(read(package("<w:p/>" * 30)).places) == 30
    assert len(read(package("<w:tbl>" + "<w:tr><w:tc><w:p/><w:p/></w:tc></w:tr>" * 10 + "</w:tbl>")).places) == 10


def test_markup_is_counted_before_parsing(monkeypatch):
    """Elements and attributes past the limit are refused before python-docx parses
    anything, in deflated and in stored members."""
    detail = "Word 文档中的 XML 元素和属性超过 100 万个（疑似恶意构造的文件）"
    tabs = "<w:p><w:r>" + "<w:tab/>" * docx_reader.MAX_XML_NODES + "</w:r></w:p>"
    monkeypatch.setattr(docx_reader, "_open", lambda data: pytest.fail("parsed"))
    assert _too_complex(package(tabs)) == detail
    attributes = "<w:p><w:r>" + "<w:x w:a='1' w:b='2'/>" * (docx_reader.MAX_XML_NODES // 3) + "</w:r></w:p>"
    assert _too_complex(package(attributes)) == detail
    stored = _restore(package(tabs))
    assert zipfile.ZipFile(io.BytesIO(stored)).getinfo("word/document.xml").compress_type == zipfile.ZIP_STORED
    assert _too_complex(stored) == detail


def _restore(data: bytes) -> bytes:
    """The same package with every member stored, not deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def test_members_are_counted_before_zipfile_lists_them(monkeypatch):
    """By the count the zip states, and by the size of its list of members (a count can lie:
    zipfile reads the whole list)."""
    small = package("<w:p/>")
    assert _too_complex(with_members(small, docx_reader.MAX_MEMBERS)) == \
        "Word 压缩包中的文件超过 1 万个（疑似恶意构造的文件）"
    monkeypatch.setattr(docx_reader, "MAX_MEMBERS", 100)
    monkeypatch.setattr(docx_reader, "MAX_CENTRAL_DIRECTORY", 20_000)
    many = with_members(small, 100)
    long_names = with_members(small, 3, name_length=10_000)
    assert len(zipfile.ZipFile(io.BytesIO(long_names)).infolist()) == 9
    lying = bytearray(with_members(small, 500))
    end = lying.rindex(b"PK\x05\x06")
    lying[end + 8:end + 12] = (6).to_bytes(2, "little") * 2   # "6 members"
    within = with_members(small, 100 - 6)
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: pytest.fail("listed"))
    for data in (many, long_names, bytes(lying)):
        assert _too_complex(data) == "Word 压缩包中的文件超过 100 个（疑似恶意构造的文件）"
    monkeypatch.setattr(zipfile, "ZipFile", ZIPFILE)
    assert read(within).text == ""


def test_text_past_the_hard_cap():
    data = package("<w:p><w:r><w:t>" + "A" * (docx_reader.MAX_TEXT_CHARS + 1) + "</w:t></w:r></w:p>")
    assert _too_complex(data) == "Word 正文展开后的文字超过 400 万个字符（疑似恶意构造的文件）"


def test_real_documents_stay_far_below_every_budget():
    """The LibreOffice versions of the seeds use less than 1% of the text budget and less
    than 7% of the markup budget."""
    for path in sorted(LIBREOFFICE.glob("*.docx")):
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            document = z.getinfo("word/document.xml").file_size
            markup = sum(z.read(i).count(b"<") + z.read(i).count(b"=") for i in z.infolist())
        src = read_docx(data, path.name)
        assert len(src.text) * 100 < docx_reader.text_budget(document).limit
        assert markup * 15 < docx_reader.MAX_XML_NODES
        assert len(src.places) * 500 < docx_reader.MAX_BLOCKS


@pytest.mark.parametrize("error,problem", [(MemoryError, "too_complex"), (RecursionError, "damaged")])
@pytest.mark.parametrize("where", ["_check_zip", "_open", "walk", "join"])
def test_memory_and_recursion_errors_are_findings_not_crashes(monkeypatch, error, problem, where):
    def fail(*args, **kwargs):
        raise error()

    if where == "walk":
        monkeypatch.setattr(docx_reader._Walker, "walk", fail)
    elif where == "join":
        monkeypatch.setattr(docx_reader, "Source", fail)
    else:
        monkeypatch.setattr(docx_reader, where, fail)
    got, detail = _problem(numbered_docx("%1、", 3))
    assert got == problem
    assert detail == {"too_complex": "读取 Word 文档时内存耗尽（文件展开后过于庞大）",
                      "damaged": "Word（.docx）文件结构嵌套过深，无法读取"}[problem]


def test_memory_errors_inside_python_docx_are_not_called_damage(monkeypatch):
    import docx.package

    def fail(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(docx.package.Package, "open", fail)
    assert _problem(numbered_docx("%1、", 3))[0] == "too_complex"


# ---------------------------------------------------------------------------------------
# Where each character comes from (open_mapped, for fzlint annotate)
# ---------------------------------------------------------------------------------------

INLINE = (run("保留") + f'<w:ins w:id="1" w:author="a">{run("插入")}</w:ins>'
          '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'
          f'<w:hyperlink w:anchor="x">{run("政府网站")}</w:hyperlink>'
          f'<w:smartTag w:uri="u" w:element="e">{run("，")}</w:smartTag>'
          f'<w:sdt><w:sdtPr/><w:sdtContent>{run("控件")}</w:sdtContent></w:sdt>'
          f'<w:customXml w:element="x">{run("内容")}</w:customXml>'
          '<w:r><w:rPr><w:b/></w:rPr><w:t>粗体</w:t><w:tab/><w:t xml:space="preserve">和 tab</w:t></w:r>'
          '<w:r><w:ruby><w:rubyPr/><w:rt>fǎ</w:rt><w:rubyBase>' + run("法") + "</w:rubyBase></w:ruby></w:r>"
          '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("12")
          + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
MIXED = (run("Word") + "<w:r><w:br/></w:r>" + run("2024") + "<w:r><w:noBreakHyphen/></w:r>" + run("法治")
         + "<w:r><w:br/></w:r>" + run("政府") + '<m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath>'
         + '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>' + run("完"))


def mapped_documents() -> dict[str, bytes]:
    def tables(doc):
        doc.add_paragraph("前言")
        table = _table(doc, [["项目", "数量"], ["案件", "12"]])
        table.cell(1, 0).add_paragraph("（行政）")
        _table(table.cell(1, 1), [["甲", "乙"]])
        _table(doc, [["", ""]])
    return {"inline": docx_bytes(para(INLINE), para(""), para(MIXED)), "tables": docx_bytes(setup=tables),
            "numbered": build_docx(SEEDS[2].read_text(encoding="utf-8")),
            "libreoffice": (LIBREOFFICE / f"{SEEDS[0].stem}.docx").read_bytes()}


@pytest.mark.parametrize("name", ["inline", "tables", "numbered", "libreoffice"])
def test_open_mapped_reads_the_same_lines_and_places_each_character(name):
    from checker.sources.docx import open_mapped

    data = mapped_documents()[name]
    document, lines = open_mapped(data)
    assert "\n".join(line.text for line in lines) == read(data).text
    for line in lines:
        covered = 0
        for o in line.origins:
            assert o.column >= covered             # in order, never overlapping
            covered = o.column + o.length
            tag = etree.QName(o.node).localname
            said = {"t": lambda: o.node.text, "tab": lambda: "\t", "noBreakHyphen": lambda: "-",
                    "oMath": lambda: "".join(o.node.itertext())}[tag]()
            assert line.text[o.column:covered] == said
            assert o.paragraph in line.paragraphs and o.node in set(o.paragraph.iter())
        assert covered <= len(line.text)
    if name == "inline":
        assert [line.text for line in lines] == [
            "保留插入政府网站，控件内容粗体\t和 tab法12", "", "Word 2024-法治政府x+1完"]


def test_open_mapped_refuses_what_read_docx_refuses():
    from checker.sources.docx import open_mapped

    for data in (b"", b"not a zip", numbered_docx("%1、", 3)[:200], with_members(numbered_docx("%1、", 1), 10_001)):
        with pytest.raises(SourceError) as mapped:
            open_mapped(data)
        assert (mapped.value.problem, mapped.value.detail) == _problem(data)


def test_a_comment_on_every_character_wraps_that_character():
    """Inline wrappers, tracked changes, fields, ruby, a tab inside a run: a comment on each
    single character of the line starts and ends exactly around it, and the paragraph's text
    and each character's formatting stay as they were."""
    from checker.annotate import annotate_docx
    from checker.diagnostics import Diagnostic, Severity, Span

    data = mapped_documents()["inline"]
    _, [line, *_] = docx_reader.open_mapped(data)
    found = [Diagnostic("r.docx", Span(1, c, 1, c + 1), "FZ501", "x", Severity.INFO, f"第{c}字")
             for c in range(1, len(line.text) + 1)]
    copy = annotate_docx(data, "r.docx", found)
    wrapped: dict[str, list[str]] = {}
    opened: set[str] = set()
    first = next(Document(io.BytesIO(copy)).element.body.iter(f"{{{W}}}p"))
    for element in first.iter():
        tag = etree.QName(element).localname
        if tag == "commentRangeStart":
            opened.add(element.get(f"{{{W}}}id"))
        elif tag == "commentRangeEnd":
            opened.discard(element.get(f"{{{W}}}id"))
        elif tag in ("t", "tab") and element.getparent().tag != f"{{{W}}}del":
            for cid in opened:
                wrapped.setdefault(cid, []).append(element.text if tag == "t" else "\t")
    comments = {str(c.comment_id): c.text.split("\n")[0] for c in Document(io.BytesIO(copy)).comments}
    by_column = {text: "".join(wrapped.get(cid, [])) for cid, text in comments.items() if text.startswith("第")}
    assert by_column == {f"第{c}字": ch for c, ch in enumerate(line.text, 1)}
