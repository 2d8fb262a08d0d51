"""Build realistic Chinese government web pages from a seed report's text.

Three page types, as reports are really published:

* ``modern``: a current CMS article page (header, menu, breadcrumb, ``<h1>`` title, info line,
  ``div#zoom.TRS_Editor`` with one ``<p>`` per line, share widget, related links, footer);
  the title is only in the ``<h1>``.
* ``table``: an old table-layout page sent as GBK with ``charset=gb2312``: the text is one
  ``<td>`` with ``<br>`` between paragraphs; the title is in a ``<td>`` without any class and
  in ``<title>`` ("标题-站名").
* ``wechat``: a WeChat official-account article (``div#js_content`` with nested ``<section>``
  and ``<p><span>``); the text keeps the seed's own title lines, the ``<h1>`` repeats it.

Blank lines and Markdown rules (``---``) are dropped and Markdown ``#`` marks removed; the
text is HTML-escaped; runs of spaces become ``&nbsp;``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from checker.skeleton.parser import parse

__all__ = ["TEMPLATES", "build_html", "html_with_tables", "page_lines"]

TEMPLATES = ("modern", "table", "wechat")
_MD_RULE = re.compile(r"\s*(?:-{3,}|\*{3,}|_{3,})\s*")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_NAV = ("首页", "新闻中心", "政务公开", "政务服务", "互动交流", "走进本地", "机构设置", "政策文件",
        "通知公告", "人事信息", "财政信息", "专题专栏", "办事指南")


@dataclass
class _Item:
    text: str          # the line without Markdown marks
    level: int         # heading level (1 一、 2 （一） ...), 0 for other lines
    run_in: bool       # a heading followed by text on the same line
    title: bool        # one of the report's title lines


@dataclass
class _Page:
    title: str
    org: str
    items: list[_Item]


def page_lines(text: str) -> tuple[str, list[_Item]]:
    """(joined title, the seed's lines as the pages show them)."""
    page = _read(text)
    return page.title, page.items


def _read(text: str) -> _Page:
    report = parse(text)
    titles = {ln.no for ln in report.title_lines}
    headings = {s.heading.line.no: s.heading for s in report.walk()}
    items = []
    for no, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or _MD_RULE.fullmatch(raw):
            continue
        line = _MD_HEADING.sub("", raw).rstrip()
        h = headings.get(no)
        items.append(_Item(line, h.level if h else 0, bool(h and h.run_in), no in titles))
    title = _join_title([i.text.strip() for i in items if i.title])
    m = re.match(r"(.+?)(?:关于|\s*\d{4})", title)
    return _Page(title, m.group(1) if m else "本单位", items)


def _join_title(parts: list[str]) -> str:
    """Join the title lines, leaving out a line the following lines repeat."""
    bare = [re.sub(r"\s+", "", p) for p in parts]
    keep = [p for i, p in enumerate(parts)
            if not (bare[i + 1:] and "".join(bare[i + 1:]).startswith(bare[i]))]
    return "".join(keep)


def _esc(text: str) -> str:
    """HTML-escape; leading spaces and runs of spaces become &nbsp; as editors write them."""
    s = html.escape(text, quote=False)
    s = re.sub(r"^ +", lambda m: "&nbsp;" * len(m.group()), s)
    return re.sub(r" {2,}", lambda m: "&nbsp;" * len(m.group()), s)


def _wrap(s: str) -> str:
    """Break a long paragraph in the HTML source after a comma (not a line break on screen)."""
    m = re.compile(r"，(?=[\u4e00-\u9fff])").search(s, 30)
    return s if m is None else f"{s[:m.end()]}\n        {s[m.end():]}"


def _run_in(item: _Item) -> tuple[str, str]:
    """A run-in heading split into its bold part (up to the first 。) and the rest."""
    cut = item.text.find("。") + 1 if item.run_in and "。" in item.text else len(item.text)
    return item.text[:cut], item.text[cut:]


# ---------------------------------------------------------------- modern

def _modern_paragraph(i: int, item: _Item) -> str:
    if item.level == 1 and not item.run_in:
        return f"<h3>{_esc(item.text)}</h3>"
    if item.level:
        head, rest = _run_in(item)
        return f'<p style="text-indent:2em;"><strong>{_esc(head)}</strong>{_wrap(_esc(rest))}</p>'
    if i % 3 == 2:
        return f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{_wrap(_esc(item.text.lstrip()))}</p>"
    return f'<p style="text-indent:2em;"><span style="font-family:仿宋_GB2312;">{_wrap(_esc(item.text))}</span></p>'


def _modern(page: _Page, charset: str) -> str:
    nav = "\n".join(f'<li><a href="/col/col{n}/index.html">{w}</a></li>' for n, w in enumerate(_NAV))
    body = "\n".join(_modern_paragraph(i, it) for i, it in enumerate(page.items) if not it.title)
    site = f"{page.org}门户网站"
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="ArticleTitle" content="{_esc(page.title)}">
<title>{_esc(page.title)}_{site}</title>
<link rel="stylesheet" href="/css/style.css">
<script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; var title = "{_esc(page.title)}"; /* 统计代码：访问量统计 */</script>
<style>.TRS_Editor p {{ line-height: 2; }} /* 正文样式 */</style>
</head>
<body>
<div class="header">
  <div class="top-bar">无障碍浏览 | 长者模式 | <a href="/login">登录</a> | 简体 | 繁體</div>
  <div class="logo"><a href="/"><img src="/images/logo.png" alt="{site}">{site}</a></div>
  <div class="search"><form action="/search"><input type="text" placeholder="请输入关键词">
    <button type="submit">搜索</button></form></div>
</div>
<div class="nav"><ul>
{nav}
</ul></div>
<div class="main">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
    <a href="/fzzf/">法治政府建设</a></div>
  <div class="article">
    <h1>{_esc(page.title)}</h1>
    <div class="info">发布时间：2024-03-20 10:30 来源：{page.org} 浏览次数：123
      【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a>
      <a href="javascript:doZoom(14)">小</a>】 【<a href="javascript:window.print()">打印</a>】</div>
    <div id="zoom" class="TRS_Editor">
{body}
    </div>
    <div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a>
      <a class="bds_tsina">微博</a><a class="bds_qzone">QQ空间</a></div>
    <div class="related"><h4>相关链接</h4><ul>
      <li><a href="/a1.html">关于印发2024年全县普法依法治理工作要点的通知</a></li>
      <li><a href="/a2.html">本局召开法治政府建设推进会</a></li>
      <li><a href="/a3.html">行政执法“三项制度”落实情况公示</a></li>
    </ul></div>
  </div>
</div>
<div class="footer">
  <p>主办单位：{page.org}　承办单位：{page.org}办公室</p>
  <p>网站标识码：1410000001　<a href="https://beian.miit.gov.cn/">晋ICP备12345678号</a>
    　公安机关备案号：14012302000123</p>
  <p>地址：人民路 1 号　联系电话：0351-1234567</p>
</div>
</body>
</html>
"""


# ---------------------------------------------------------------- table (old, GBK)

def _table_line(item: _Item) -> str:
    if item.level == 1 and not item.run_in:
        return f"<b>{_esc(item.text)}</b>"
    if item.level:
        head, rest = _run_in(item)
        return f"&nbsp;&nbsp;&nbsp;&nbsp;<b>{_esc(head)}</b>{_esc(rest)}"
    return f"&nbsp;&nbsp;&nbsp;&nbsp;{_esc(item.text.lstrip())}"


def _table(page: _Page, charset: str) -> str:
    nav = " | ".join(f'<a href="/{n}.asp" class="a1">{w}</a>' for n, w in enumerate(_NAV))
    left = "\n".join(f'<tr><td height="26">&middot; <a href="/list.asp?id={n}">{w}</a></td></tr>'
                     for n, w in enumerate(_NAV[2:9]))
    body = "<br>\n".join(_table_line(it) for it in page.items if not it.title)
    site = f"{page.org}网站"
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{_esc(page.title)}-{site}</title>
<style type="text/css">td {{ font-size: 12px; }} .a1 {{ color: #fff; }}</style>
<script language="javascript">function doZoom(size) {{ /* 字体大小 */ }}</script>
</head>
<body topmargin="0" leftmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr><td><img src="images/banner.jpg" width="980" height="120" alt="{site}"></td></tr>
  <tr><td bgcolor="#1d5aa8" height="32">&nbsp;{nav}</td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td width="220" valign="top">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td height="30" bgcolor="#e8f0fa"><b>栏目导航</b></td></tr>
{left}
      </table>
    </td>
    <td width="760" valign="top">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td height="30">您现在的位置：<a href="/">网站首页</a> &gt;&gt; <a href="/zwgk/">政务公开</a>
          &gt;&gt; <a href="/fzzf/">法治政府建设</a></td></tr>
        <tr><td align="center" height="60"><font color="#cc0000" style="font-size:20px">
          <b>{_esc(page.title)}</b></font></td></tr>
        <tr><td align="center" height="30">发布日期：2024-3-20&nbsp;&nbsp;作者：admin&nbsp;&nbsp;点击数：1234
          &nbsp;&nbsp;【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a>
          <a href="javascript:doZoom(12)">小</a>】</td></tr>
        <tr><td style="font-size:14px; line-height:200%">
{body}
        </td></tr>
        <tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】【<a
          href="javascript:window.close()">关闭窗口</a>】</td></tr>
      </table>
    </td>
  </tr>
</table>
<table width="980" border="0" align="center" bgcolor="#eeeeee">
  <tr><td align="center" height="80">版权所有：{page.org}&nbsp;&nbsp;地址：人民路1号&nbsp;&nbsp;电话：1234567<br>
    网站标识码：1410000002&nbsp;&nbsp;<a href="http://www.miibeian.gov.cn">晋ICP备05001234号</a><br>
    建议使用IE8.0以上浏览器，1024×768分辨率浏览</td></tr>
</table>
</body>
</html>
"""


# ---------------------------------------------------------------- WeChat

def _wechat_paragraph(item: _Item) -> str:
    span = '<span style="font-size: 16px;font-family: 仿宋;">'
    if item.level:
        head, rest = _run_in(item)
        rest_html = f"{span}{_esc(rest)}</span>" if rest else ""
        return f'<p style="text-indent: 2em;"><strong>{span}{_esc(head)}</span></strong>{rest_html}</p>'
    text = item.text
    cut = len(text) // 2
    if item.title:
        return f'<p style="text-align: center;"><strong>{span}{_esc(text.strip())}</span></strong></p>'
    return f'<p style="text-indent: 2em;">{span}{_esc(text[:cut])}</span>{span}{_esc(text[cut:])}</span></p>'


def _wechat_sections(items: list[_Item]) -> str:
    groups: list[list[_Item]] = [[]]
    for it in items:
        if it.level == 1 and groups[-1]:
            groups.append([])
        groups[-1].append(it)
    return "\n".join(
        '<section style="margin: 0px 8px;">\n'
        + "\n".join(_wechat_paragraph(it) for it in g)
        + '\n<p><br></p>\n</section>' for g in groups)


def _wechat(page: _Page, charset: str) -> str:
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0">
<meta property="og:title" content="{_esc(page.title)}">
<title>{_esc(page.title)}</title>
<script>var msg_title = '{_esc(page.title)}'.html(false); var nickname = "{page.org}";</script>
</head>
<body id="activity-detail" class="zh_CN wx_wap_page">
<div id="js_article" class="rich_media">
  <div class="rich_media_inner">
    <div id="page-content" class="rich_media_area_primary">
      <div class="rich_media_area_primary_inner">
        <div id="img-content" class="rich_media_wrp">
          <h1 class="rich_media_title" id="activity-name">
            {_esc(page.title)}
          </h1>
          <div id="meta_content" class="rich_media_meta_list">
            <span class="rich_media_meta rich_media_meta_text">原创</span>
            <span class="rich_media_meta rich_media_meta_nickname" id="profileBt">
              <a href="javascript:void(0);" id="js_name">{page.org}</a></span>
            <em id="publish_time" class="rich_media_meta rich_media_meta_text">2024-03-20 18:30</em>
            <em id="js_ip_wording_wrp" class="rich_media_meta_text">发表于山西</em>
          </div>
          <div class="rich_media_content js_underline_content" id="js_content" style="visibility: hidden;">
<section style="font-size: 16px; line-height: 1.75em;">
{_wechat_sections(page.items)}
</section>
<p style="display: none;"><mp-style-type data-value="3"></mp-style-type></p>
          </div>
          <div id="js_tags" class="article-tag__list">预览时标签不可点</div>
          <div id="js_pc_qr_code" class="qr_code_pc_outer" style="display:none;">
            <p>微信扫一扫<br>关注该公众号</p></div>
        </div>
      </div>
    </div>
  </div>
</div>
</body>
</html>
"""


_BUILDERS = {"modern": (_modern, "utf-8"), "table": (_table, "gbk"), "wechat": (_wechat, "utf-8")}


def build_html(text: str, template: str = "modern", encoding: str | None = None) -> bytes:
    """A web page publishing the report ``text``, encoded as ``encoding``.

    ``encoding`` defaults to the template's usual one (GBK for ``table``, else UTF-8); the page
    declares it (GBK and GB18030 as ``gb2312``, as old sites do). Characters the encoding
    lacks become numeric character references.
    """
    build, usual = _BUILDERS[template]
    encoding = encoding or usual
    charset = "gb2312" if encoding.lower() in ("gbk", "gb18030", "gb2312") else encoding
    page = build(_read(text), charset)
    return page.encode(encoding, errors="xmlcharrefreplace")


def html_with_tables(blocks: list, title: str = "") -> bytes:
    """An article page (UTF-8) of paragraphs (a str each) and tables (a builders/tables.py
    spec each, as ``<table>`` with colspan and rowspan) inside ``div#zoom``."""
    from builders.tables import html_table

    body = "\n".join(f"<p>{html.escape(b)}</p>" if isinstance(b, str) else html_table(b) for b in blocks)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}_某市人民政府</title>"
            "</head><body><div class='nav'><a href='/'>首页</a><a href='/a'>政务公开</a><a href='/b'>通知公告</a>"
            f"</div>\n<div id='zoom'>\n{body}\n</div>\n<div class='footer'>版权所有：某市人民政府</div>"
            "</body></html>").encode()
