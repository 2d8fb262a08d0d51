"""The .html reader: the article of a government web page, and nothing of the page around it.

Every seed is published as three kinds of page (tests/builders/html.py): a modern CMS page, an
old GBK table-layout page and a WeChat article. The text read back must be the seed's text
(the title once, joined onto one line where the page has it in a heading), without menus,
breadcrumbs, metadata, share widgets or footers, and must give the same findings at the same
words as the seed's .txt. Unit tests cover encodings, line building, the choice of the
container, the title, metadata lines and source-line places.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from checker.lint import lint_path, lint_source
from checker.skeleton.normalize import view
from checker.skeleton.parser import parse
from checker.sources import Source, SourceError, read_bytes
from checker.sources.html import read_html

from builders.html import TEMPLATES, build_html, page_lines
from conftest import SEEDS

ANCHOR = 6  # characters of the matching view compared at each finding's position
# page furniture the builders put around the text; none of it may reach the extracted text
FURNITURE = ("当前位置", "您现在的位置", "发布时间", "发布日期", "浏览次数", "点击数", "字体", "打印",
             "关闭窗口", "分享到", "相关链接", "主办单位", "承办单位", "版权所有", "网站标识码", "ICP备",
             "无障碍浏览", "栏目导航", "新闻中心", "互动交流", "办事指南", "微信扫一扫", "预览时标签不可点",
             "发表于", "原创", "搜索", "分辨率")
CASES = [(i, t) for i in range(len(SEEDS)) for t in TEMPLATES]
IDS = [f"{SEEDS[i].stem[:3]}-{t}" for i, t in CASES]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page(html: str, encoding: str = "utf-8") -> Source:
    return read_html(html.encode(encoding), "page.html")


def lines(html: str) -> list[str]:
    return page(html).text.splitlines()


@cache
def built(index: int, template: str) -> Source:
    seed = SEEDS[index]
    return read_html(build_html(seed.read_text(encoding="utf-8"), template), f"{seed.stem}.html")


def findings(text: str, diagnostics) -> list[tuple[str, str]]:
    rows = text.splitlines()
    return sorted((d.code, view(rows[d.span.line - 1][d.span.column - 1:])[:ANCHOR]) for d in diagnostics)


# ---------------------------------------------------------------- the seeds as web pages

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_page_text_is_the_report(case):
    index, template = case
    text = SEEDS[index].read_text(encoding="utf-8")
    title, items = page_lines(text)
    source = built(index, template)
    got = squeeze(source.text)
    if template == "wechat":     # the article keeps the report's own title lines
        want = squeeze("".join(i.text for i in items))
    else:                        # the title is only in a heading (or <title>) above the text
        want = squeeze(title) + squeeze("".join(i.text for i in items if not i.title))
    assert got == want
    assert parse(source.text).title == parse(text).title
    seed = squeeze(text)
    for word in FURNITURE:
        assert got.count(word) == seed.count(word), word
    assert source.format == "html" and len(source.places) == len(source.text.splitlines())


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_page_findings_match_the_text_file(case, registry):
    index, template = case
    seed = SEEDS[index]
    want = findings(seed.read_text(encoding="utf-8"), lint_path(seed, registry).diagnostics)
    source = built(index, template)
    result = lint_source(source, registry)
    assert findings(source.text, result.diagnostics) == want
    assert all(re.fullmatch(r"HTML第\d+行", d.where) for d in result.diagnostics)


def test_seed_pages_say_where_the_text_came_from():
    assert built(0, "modern").note.startswith("正文取自 div#zoom，去除导航等")
    assert built(0, "modern").note.endswith("标题取自 h1")
    assert built(0, "table").encoding == "gb18030（页面声明 gb2312）"
    assert built(0, "table").note.endswith("标题取自 b（与页面 <title> 一致）")  # the visible one
    assert built(0, "table").places[0] != "HTML第4行"                          # not <title>
    assert built(0, "wechat").note.startswith("正文取自 div#js_content")


def test_dispatch_by_suffix():
    data = build_html(SEEDS[3].read_text(encoding="utf-8"))
    assert read_bytes(data, "报告.HTM").text == built(3, "modern").text


# ---------------------------------------------------------------- encodings

GB_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={cs}">
</head><body><p>一、主要举措和成效。镕</p></body></html>"""


def test_declared_gb2312_is_read_as_gb18030():
    source = page(GB_PAGE.format(cs="gb2312"), "gbk")      # GBK bytes (镕 is not in GB2312)
    assert source.text == "一、主要举措和成效。镕\n"
    assert source.encoding == "gb18030（页面声明 gb2312）"
    assert "改按" not in source.note


def test_html5_meta_charset_gbk():
    source = page('<meta charset="GBK"><p>法治政府建设。</p>', "gbk")
    assert source.text == "法治政府建设。\n" and source.encoding.startswith("gb18030")


def test_declared_utf8_sent_as_gbk_falls_back_with_a_note():
    source = page('<meta charset="utf-8"><p>法治政府建设年度报告。</p>', "gbk")
    assert source.text == "法治政府建设年度报告。\n"
    assert source.encoding == "gb18030"
    assert "按页面声明的 utf-8 解码失败" in source.note and "改按 gb18030 解码" in source.note


def test_declared_gb2312_sent_as_utf8_falls_back_with_a_note():
    source = page(GB_PAGE.format(cs="gb2312"))
    assert source.text == "一、主要举措和成效。镕\n"
    assert source.encoding == "utf-8" and "改按 utf-8 解码" in source.note


def test_unknown_or_western_declarations_do_not_garble_chinese():
    source = page('<meta charset="x-unknown"><p>报告。</p>')
    assert source.text == "报告。\n" and "x-unknown 无法识别" in source.note
    source = page('<meta charset="iso-8859-1"><p>报告。</p>')
    assert source.text == "报告。\n" and "西文编码" in source.note


# Names Python's codecs know that no page can be written in: transforms of bytes (not text
# encodings: decoding with them used to end the run with exit 3), Python's own escapes, IDNA,
# "undefined" (fails on every byte), UTF-7, and UTF-16/32 declared in ASCII-readable bytes.
NOT_PAGE_CHARSETS = ["base64", "zlib", "hex", "rot13", "uu", "bz2", "quopri", "undefined", "unicode_escape",
                     "raw_unicode_escape", "idna", "punycode", "utf-7", "utf-16", "utf-32"]
DECLARATIONS = {
    "meta": '<html><head><meta charset="{cs}"></head>',
    "http-equiv": '<html><head><meta http-equiv="Content-Type" content="text/html; charset={cs}"></head>',
    "xml": '<?xml version="1.0" encoding="{cs}"?><html><head></head>',
}


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize("form", list(DECLARATIONS))
@pytest.mark.parametrize("charset", NOT_PAGE_CHARSETS)
def test_a_charset_no_page_can_be_in_is_an_unknown_one(charset, form, encoding):
    html = DECLARATIONS[form].format(cs=charset) + "<body><p>一、主要举措和成效。依法行政。</p></body></html>"
    source = page(html, encoding)
    assert source.text == "一、主要举措和成效。依法行政。\n"
    assert source.encoding == ("utf-8" if encoding == "utf-8" else "gb18030")
    assert f"页面声明的编码 {charset} 无法识别，改按 {source.encoding} 解码" in source.note


def test_a_declaration_naming_a_non_text_codec_is_checked_through_the_cli(tmp_path, registry):
    path = tmp_path / "base64.html"
    path.write_bytes((DECLARATIONS["meta"].format(cs="base64") + "<body><p>法治政府建设年度报告。</p></body>").encode())
    codes = [d.code for d in lint_path(path, registry).diagnostics]
    assert codes and not any(code.startswith("FZ9") for code in codes)


def test_a_long_declared_name_is_shortened_in_the_note():
    source = page(f'<meta charset="{"x" * 3000}"><p>报告。</p>')
    assert source.text == "报告。\n" and f"编码 {'x' * 40}… 无法识别" in source.note


@pytest.mark.parametrize("charset", ["ascii", "windows-1252"])
def test_a_western_declaration_no_decoder_can_read_is_undecodable(charset):
    # \x81 is undefined in cp1252 and not ASCII; the bytes are neither UTF-8 nor GB18030
    with pytest.raises(SourceError) as err:
        read_html(f'<meta charset="{charset}"><p>'.encode() + b"\x81\x8d\xff abc</p>", "page.html")
    assert err.value.problem == "undecodable" and "按声明也无法解码" in err.value.detail


def test_bom_wins_over_the_declaration():
    data = "\ufeff" + GB_PAGE.format(cs="gb2312")
    source = page(data)
    assert source.text == "一、主要举措和成效。镕\n" and source.encoding == "utf-8-sig"


@pytest.mark.parametrize("head", [b'<meta charset="utf-8">', b""])
def test_undecodable_bytes(head):
    with pytest.raises(SourceError) as err:
        read_html(head + b"<p>\x80\x80\xff\xfe\xff</p>", "page.html")
    assert err.value.problem == "undecodable"
    assert re.search("[\u4e00-\u9fff]", err.value.detail)


def test_no_external_entities_or_dtds_are_loaded():
    source = page('<!DOCTYPE html SYSTEM "http://example.invalid/x.dtd">'
                  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]><p>报告&e;正文</p>')
    assert "报告&e;正文" in source.text


# ---------------------------------------------------------------- lines

def test_br_splits_a_block():
    assert lines("<p>第一行<br>第二行<br/><br>第三行</p><p>第四行</p>") == ["第一行", "第二行", "第三行", "第四行"]


def test_inline_tags_run_on():
    html = ('<p>一、<strong>加强</strong><span style="x">组织</span><b>领导</b><font>，'
            '</font><a href="#">详见</a>附件。</p>')
    assert lines(html) == ["一、加强组织领导，详见附件。"]


def test_whitespace_collapses_like_a_browser():
    html = ("<p>\n   全面推进\n   依法行政，  2023\n年 Word   file\n</p>"
            "<p>&nbsp;&nbsp;缩进\u3000全角</p><p>&nbsp;</p><p>\u3000</p>")
    assert lines(html) == ["全面推进依法行政， 2023 年 Word file", "\xa0\xa0缩进\u3000全角"]


def test_headings_stay_lines_with_their_numbers():
    html = ("<div id='zoom'><h3>一、主要举措和成效</h3><p><strong>（一）加强领导。</strong>我局高度重视。</p>"
            "<p><strong>1.健全机制</strong></p><p>正文。</p></div>")
    assert lines(html) == ["一、主要举措和成效", "（一）加强领导。我局高度重视。", "1.健全机制", "正文。"]


def test_nested_divs_each_block_a_line():
    html = "<div><div><p>甲。</p><div>乙<p>丙。</p>丁</div><section><section>戊。</section></section></div></div>"
    assert lines(html) == ["甲。", "乙", "丙。", "丁", "戊。"]


def test_table_rows_join_cells_with_tabs():
    html = ("<div id='zoom'><p>统计如下。</p><table><tr><td><p>序号</p></td><td><p><span>事项</span></p></td>"
            "<td>件数</td></tr><tr><td>1</td><td>行政处罚</td><td>98</td></tr></table></div>")
    assert lines(html) == ["统计如下。", "序号\t事项\t件数", "1\t行政处罚\t98"]


def test_list_items_and_pre():
    html = "<div><ul><li>一、举措。</li><li>二、不足。</li></ul><pre>三、安排\n  四、其他\n</pre></div>"
    assert lines(html) == ["一、举措。", "二、不足。", "三、安排", "  四、其他"]


# ---------------------------------------------------------------- the container

ARTICLE = "".join(f"<p>第{n}段，依法行政工作取得了新的进展。</p>" for n in "一二三四五六")


def test_container_found_by_text_not_by_name():
    html = (f"<body><div><a href='/'>首页</a> <a href='/'>政务公开</a></div><div>当前位置：<a href='/'>首页</a>"
            f"</div><h2>某局报告</h2><div><div>{ARTICLE}</div></div><div>版权所有：某县人民政府</div>"
            f"<div>地址：人民路1号 电话：1234567</div></body>")
    source = page(html)
    assert source.text.splitlines() == ["某局报告"] + [f"第{n}段，依法行政工作取得了新的进展。" for n in "一二三四五六"]
    assert source.note == "正文取自 div；标题取自 h2"


def test_text_outside_the_largest_block_keeps_the_container_wide():
    """The signature after a wrapper of paragraphs is the report's, not the page's."""
    html = f"<body><div id='zoom'><div>{ARTICLE}</div><p>某县司法局</p><p>2024年1月29日</p></div></body>"
    assert lines(html)[-2:] == ["某县司法局", "2024年1月29日"]


def test_no_recognisable_container_falls_back_to_body():
    half = ARTICLE.index("<p>第四段")
    html = (f"<body><div>{ARTICLE[:half]}</div><div>{ARTICLE[half:]}</div>"
            "<div>本网站所载内容，未经许可不得转载。</div></body>")
    source = page(html)
    assert len(source.text.splitlines()) == 7
    assert source.note.startswith("正文取自 body（未找到正文容器）")


def test_known_container_wins_when_a_sentence_sits_outside():
    html = (f"<body><div class='wrap'><div id='zoom'>{ARTICLE}</div>"
            "<div>建议使用1024×768分辨率浏览本站。</div></div></body>")
    source = page(html)
    assert "分辨率" not in source.text and source.note.startswith("正文取自 div#zoom")


def test_furniture_dropped_by_tag_class_and_style():
    html = ("<body><nav>首页 政务公开</nav><div class='breadcrumb'>当前位置：首页</div>"
            "<div id='zoom'><p>正文第一段。</p><div class='bdsharebuttonbox'>分享到：微信</div>"
            "<p style='display:none'>隐藏的文字。</p><p class='MsoHeader'>一、带巧合类名的段落。</p>"
            "<p>正文第二段。</p></div><footer>版权所有</footer><div class='footer'>主办单位：某局。</div></body>")
    assert lines(html) == ["正文第一段。", "一、带巧合类名的段落。", "正文第二段。"]


def test_a_form_around_the_whole_page_is_not_furniture():
    html = f"<body><form id='aspnetForm' method='post'><div id='menu'>首页</div><div>{ARTICLE}</div></form></body>"
    assert len(lines(html)) == 6


def test_wechat_content_hidden_until_scripts_run_is_kept():
    html = (f"<body><h1 id='activity-name' class='rich_media_title'>\n  关于法治政府建设的报告\n</h1>"
            f"<div id='js_content' style='visibility: hidden;'>{ARTICLE}</div></body>")
    assert lines(html)[:2] == ["关于法治政府建设的报告", "第一段，依法行政工作取得了新的进展。"]


# ---------------------------------------------------------------- title and metadata

def test_title_from_a_title_class_before_the_container():
    html = (f"<body><div class='crumbs'>首页 &gt; 通知</div><div class='art-title'>某局2024年度"
            f"<br>法治政府建设情况报告</div><div class='content'>{ARTICLE}</div></body>")
    source = page(html)
    assert source.text.splitlines()[:2] == ["某局2024年度", "法治政府建设情况报告"]
    assert source.note.endswith("标题取自 div.art-title")


def test_title_in_the_container_is_not_repeated():
    html = (f"<body><h1>某局2024年度法治政府建设情况报告</h1><div id='zoom'><p>某局2024年度</p>"
            f"<p>法治政府建设情况报告</p>{ARTICLE}</div></body>")
    assert lines(html)[:3] == ["某局2024年度", "法治政府建设情况报告", "第一段，依法行政工作取得了新的进展。"]


def test_page_title_without_site_name_is_the_last_resort():
    html = (f"<html><head><title>某局2024年度法治政府建设情况报告_某县人民政府门户网站</title></head>"
            f"<body><div id='zoom'>{ARTICLE}</div></body></html>")
    assert lines(html)[0] == "某局2024年度法治政府建设情况报告"


def test_metadata_and_page_controls_are_dropped():
    html = ("<div id='zoom'><p>某局法治政府建设情况报告</p>"
            "<p>发布时间：2024-03-20　来源：某局　浏览次数：123</p><p>【字体：大 中 小】</p>"
            "<p>索引号：000-2024-001</p><p>正文。</p><p>数据来源：统计局</p>"
            "<p>【打印本页】 【关闭窗口】</p><p>扫一扫在手机打开当前页</p></div>")
    assert lines(html) == ["某局法治政府建设情况报告", "正文。", "数据来源：统计局"]


# ---------------------------------------------------------------- empty pages and places

@pytest.mark.parametrize("data", [b"", b"  \n", b"<html><body>\n  &nbsp;\n<script>x()</script></body></html>"])
def test_empty_page(data, registry):
    source = read_html(data, "empty.html")
    assert source.text.strip() == "" and source.places == []
    assert [d.code for d in lint_source(source, registry).diagnostics] == ["FZ903"]


@pytest.mark.parametrize("control", ["\x01", "\x0b", "\x1f", "\ufffe", "\uffff"])
def test_characters_xml_cannot_hold_are_dropped(control):
    """A control character in the tail of a dropped element (<script>, a menu) made lxml raise
    ValueError when the tail was joined to the text before it: exit 3 (found by
    tests/test_properties.py: b"\\x01html><head><meta charset='gb2312'><")."""
    assert read_bytes(b"\x01html><head><meta charset='gb2312'><", "report.html").text == "html><\n"
    html = f"<div id='zoom'><p>依法<script>x()</script>{control}行政。</p><p>正文\x0c第二句。</p></div>"
    assert lines(html) == ["依法行政。", "正文 第二句。"]


def test_places_are_source_lines():
    html = ("<html>\r\n<head><title>标题</title></head>\r\n<body>\r\n<div id='zoom'>\r\n"   # 1-4
            "<p>\r\n  第一段。</p>\r\n"                                                    # 5-6
            "<p>第二段，\r\n跨行。<br>\r\n第三行。</p>\r\n"                                 # 7-9
            "<table><tr>\r\n<td>甲</td><td>乙</td></tr></table>\r\n"                        # 10-11
            "<div><p>嵌套。</p>\r\n尾巴。</div>\r</div></body></html>")                     # 12-13
    source = page(html)
    assert source.text.splitlines() == ["标题", "第一段。", "第二段，跨行。", "第三行。", "甲\t乙", "嵌套。", "尾巴。"]
    assert source.places == ["HTML第2行", "HTML第6行", "HTML第7行", "HTML第9行", "HTML第11行",
                             "HTML第12行", "HTML第13行"]


def test_unclosed_font_tags_nesting_deep_are_read_whole():
    html = "".join(f"<font face='宋体'><p>第{i}段，依法行政。" for i in range(400))
    assert len(lines(html)) == 400


def test_nesting_beyond_the_parser_limit_is_reported_not_cut():
    with pytest.raises(SourceError) as err:
        page("<div>" * 3000 + "<p>正文。</p>" + "</div>" * 3000)
    assert err.value.problem == "damaged" and "嵌套过深" in err.value.detail


def test_a_page_beyond_the_element_budget_is_too_complex(monkeypatch):
    import checker.sources.html as html

    monkeypatch.setattr(html, "MAX_ELEMENTS", 50)
    assert len(lines("<p>依法行政。</p>" * 40)) == 40       # 40 <p>, html, head, body: 43 elements
    for markup in ("<p>依法行政。</p>" * 60,              # counted in the tree
                   "<br>" * 60 + "<p>" * 150):             # more than 4 x 50 "<": refused before the tree
        with pytest.raises(SourceError) as err:
            page(markup)
        assert err.value.problem == "too_complex" and "网页元素（标签）超过" in err.value.detail


def test_a_table_of_plain_cells_reads_as_a_walk_would():
    html = ("<table><tr><td>  甲\n  </td><td>\n</td><td>乙\n丙</td><td><b>丁</b>戊</td></tr>"
            "<tr><td></td><td> \t </td></tr><tr><td>己<br>庚</td><td>辛</td></tr></table>")
    assert lines(html) == ["甲\t\t乙丙\t丁戊", "己", "庚", "辛"]


def test_a_frameset_page_has_no_text_of_its_own():
    with pytest.raises(SourceError) as err:
        page("<html><frameset cols='20%,80%'><frame src='menu.html'><frame src='main.html'></frameset></html>")
    assert err.value.problem == "no_text" and "frameset" in err.value.detail
