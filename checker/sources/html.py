"""HTML reader: the main text of a web page, one line per block, as a browser shows it.

Government sites publish reports as article pages: a header, a menu, a breadcrumb, the title,
a line of metadata (date, source, hit counter, font-size switch), the text, share buttons,
related links and a footer. This reader keeps the title and the text only:

1. **Decode**: a BOM decides; else the charset the page declares in its first 4 KB (GB2312
   and GBK are read as their superset GB18030); else strict UTF-8, else plausible GB18030
   (:func:`checker.sources.text.decode`). A declaration the bytes contradict, or naming no
   charset a page can be in (base64, zlib, UTF-16 ...), is overridden and said so in the note;
   nothing is decoded with errors ignored. A page of more than ``MAX_ELEMENTS`` elements is
   not read (FZ910).
2. **Clean**: drop what is never shown (script, style, ...), then page furniture: nav, header,
   footer, aside and form elements, hidden elements, and elements whose id or class names a
   menu, breadcrumb, share widget, toolbar, footer, related links or comments. An element
   holding half of the page's text is never dropped (ASP.NET pages wrap the whole page in a
   ``<form>``).
3. **Find the text**: from ``<body>`` go down into the child holding the most Chinese text
   (outside links) as long as everything left beside it is page furniture: link lists, a
   title, metadata, page controls, footer lines, the ``<title>``'s words. Where that stops,
   jump to a known content container (``div#zoom``, ``TRS_Editor``, ``js_content``, ...)
   with half the text and only furniture beside it. The element reached is the container;
   text beside the largest block that might be the report's (a signature after a wrapper of
   paragraphs) keeps the container wide. Link lists inside it (menus) are left out.
4. **Title**: kept when the container has it; else the nearest ``h1``/``h2`` or "title"
   element before the container; else ``<title>`` without its "_站名" suffix.
5. **Lines**: one per block element and per ``<br>``; inline elements run on; whitespace
   collapses as in a browser (a line break between two Chinese characters disappears);
   ``&nbsp;`` and U+3000 stay. Metadata lines before the first sentence ("发布时间：...") and
   lines made only of page controls ("【打印】【关闭窗口】") are dropped.

6. **Tables**: a ``<table>`` whose rows gave lines is read into the table model as well
   (checker/skeleton/tables.py; ``colspan``/``rowspan``), each cell on the line where its
   text begins, unless it is page layout (it holds a table, has a single row or column, or a
   cell showing more than a few lines).

``places[i]`` is the source line of the HTML where line i+1 starts ("HTML第12行").
Nothing is fetched: the parser never loads DTDs or external entities (``no_network``).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import NamedTuple

import lxml.html
from lxml import etree

from checker.skeleton.tables import MAX_CELL_LINES, TableBudget, TableBuilder, Tables
from checker.sources import Source, SourceError
from checker.sources.text import decode, plausible_chinese

__all__ = ["read_html"]

# ---------------------------------------------------------------- encoding

_SNIFF = 4096
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""\A\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_GB_NAMES = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936",
                       "euc-cn", "x-euc-cn", "csgb2312", "gb_2312-80", "gb_2312", "chinese",
                       "iso-ir-58", "csiso58gb231280", "hz-gb-2312"})
# Declared single-byte Western charsets: on a Chinese page they are a server default, not a
# description of the bytes; every byte sequence "decodes" in them, so they are tried last.
_WESTERN = re.compile(r"iso8859-\d+|cp125\d|ascii|mac-roman")


def _declared(head: bytes) -> str | None:
    """The charset the page declares in its first bytes (meta tag or XML declaration)."""
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii").lower() if m else None


# Codecs Python knows that no web page can declare: transforms of bytes (base64, zlib, hex,
# rot13, uu, bz2, quopri: not text encodings; decoding with them is an error, not a
# UnicodeDecodeError), Python's own escapes and IDNA, "undefined" (fails on any byte), UTF-7
# (browsers refuse it), and UTF-16/32 (a declaration readable as ASCII is not in them: browsers
# read a page declaring UTF-16 as UTF-8). Such a declaration is treated as an unknown one.
_NOT_PAGE_CHARSETS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode",
                                "charmap", "utf-7", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                "utf-32-le", "utf-32-be"})


def _codec(declared: str) -> str | None:
    """Python codec for a declared charset name; GB2312/GBK map to GB18030; None for a name
    that is not a charset a page can be written in."""
    if declared in _GB_NAMES:
        return "gb18030"
    try:
        info = codecs.lookup(declared)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_CHARSETS:
        return None
    return "gb18030" if info.name in ("gb2312", "gbk") else info.name


def _decode(data: bytes) -> tuple[str, str, str]:
    """(text, encoding label, note about an overridden declaration) or SourceError."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return (*decode(data), "")
    declared = _declared(data[:_SNIFF])
    if declared is None:
        return (*decode(data), "")
    codec = _codec(declared)
    if len(declared) > 40:                    # as said in messages
        declared = declared[:40] + "…"
    if codec is None:
        problem = f"页面声明的编码 {declared} 无法识别"
    elif _WESTERN.fullmatch(codec) and not data.isascii():
        problem = f"页面声明的 {declared} 是西文编码"
        try:
            text, label = decode(data)
        except SourceError as exc:
            try:
                return data.decode(codec), codec, f"{problem}，按 UTF-8 和 GB18030 都无法解码，按声明解码"
            except UnicodeDecodeError:      # ascii, or a byte cp1252 and others leave undefined
                raise SourceError("undecodable", f"{problem}，按声明也无法解码；{exc.detail}") from None
        return text, label, f"{problem}，改按 {label} 解码"
    else:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            problem = f"按页面声明的 {declared} 解码失败（第 {exc.start} 字节）"
        else:
            if codec != "gb18030":
                return text, codec, ""
            if plausible_chinese(text):
                return text, codec if declared == codec else f"{codec}（页面声明 {declared}）", ""
            problem = f"按页面声明的 {declared} 解码得到的多是生僻字和符号"
    try:
        text, label = decode(data)
    except SourceError as exc:
        raise SourceError("undecodable", f"{problem}；{exc.detail}") from None
    return text, label, f"{problem}，改按 {label} 解码"


# ---------------------------------------------------------------- parse and clean

# Budget: elements of one page. Finding the text walks the tree a few times in Python, about
# 15 to 25 microseconds an element (a table cell costs most): 100,000 take 1.5 to 2.5 s and
# about 100 MB. Article pages have hundreds to a few thousand; a long report exported from Word
# with a span around every run of text, a few tens of thousands. A page with more than four
# times as many "<" is refused before libxml2 builds its tree (a million elements: 500 MB).
MAX_ELEMENTS = 100_000
_TOO_MANY_ELEMENTS = (f"网页元素（标签）超过 {MAX_ELEMENTS // 10000} 万个的上限"
                      "（政府网站的文章页面通常只有几百到几千个）")

_NEWLINE = re.compile(r"\r\n?")
# Characters XML cannot hold: C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone
# surrogates. libxml2's HTML parser keeps them in the tree, but lxml refuses them when a
# dropped element's tail is joined to the text before it (ValueError, exit 3). A browser
# shows nothing for them; a form feed is HTML white space.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "iframe", "frame", "object",
                        "embed", "svg", "math", "canvas", "video", "audio", "map", "head",
                        "select", "button", "input", "textarea", "datalist", "link", "meta"})
_FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "menu", "dialog"})
# id/class words naming page furniture: always, or unless a content word is there too
# ("article-header" holds the title; "printContent" is the text).
_STRONG = re.compile(r"nav|menu|breadcrumb|crumb|bread|share|jiathis|qrcode|erweima|comment"
                     r"|pinglun|relate|xglj|xgwz|xgxx|fontsize|font-size|zihao|toolbar|copyright"
                     r"|banquan|position|location|weizhi|dqwz")
_WEAK = re.compile(r"header|footer|sidebar|aside|(?<![a-z])(?:head|foot|side|top|bottom|print"
                   r"|tools?|search|login|logo|banner|ewm|fx)(?![a-z])")
_SENTENCE_FURNITURE = re.compile(r"footer|foot|bottom|copyright|banquan|comment|pinglun")
_CONTENT = re.compile(r"content|article|zoom|trs_editor|custom_unionstyle|zhengwen|detail"
                      r"|artibody|rich_media")
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


class _Count(NamedTuple):
    """What an element's subtree holds."""

    text: int        # Chinese characters outside links
    sentences: int   # 。 outside links
    shown: int       # Chinese characters, links included
    links: int       # <a> elements


_ZERO = _Count(0, 0, 0, 0)
Counts = dict  # element -> _Count


def _parse(text: str) -> etree._Element | None:
    """The document tree, or None for a page without any markup or text."""
    # huge_tree: libxml2 otherwise stops at 256 nested elements, which old pages that never
    # close <font> reach; the text after that point would be lost without an error
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True,
                                  remove_pis=True, default_doctype=False, collect_ids=False,
                                  huge_tree=True)
    if text.count("<") > 4 * MAX_ELEMENTS:   # a start and an end tag each: at least twice the budget
        raise SourceError("too_complex", _TOO_MANY_ELEMENTS)
    text = _NOT_XML.sub(lambda m: " " if m.group() == "\x0c" else "", text)
    # libxml2 counts only LF as a line break; make CR and CRLF count like an editor does
    data = _NEWLINE.sub("\n", text).encode("utf-8")
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError):
        return None
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT":
            raise SourceError("damaged", f"页面标签嵌套过深，第 {err.line} 行之后的内容无法读取")
    if root.xpath("count(//*)") > MAX_ELEMENTS:     # counted by libxml2, no Python object each
        raise SourceError("too_complex", _TOO_MANY_ELEMENTS)
    return root


def _names(el: etree._Element) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}".lower()


def _measure(root: etree._Element) -> Counts:
    """Chinese characters, 。 and links in each element's subtree.

    One walk in document order (an element's own text at its start, its sums added to its
    parent's at its end, its tail to the parent's own text): each element is visited once,
    not again as a child of its parent."""
    counts: Counts = {}
    new = tuple.__new__
    stack: list[list[int]] = [[0, 0, 0, 0]]   # text, sentences, shown, links; [0]: above root
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            s = el.text
            if s:
                t = len(_HAN.findall(s))
                stack.append([t, s.count("。"), t, 0])
            else:
                stack.append([0, 0, 0, 0])
            continue
        c = stack.pop()
        counts[el] = new(_Count, c)
        parent = stack[-1]
        if el.tag == "a":
            parent[3] += c[3] + 1
        else:
            parent[0] += c[0]
            parent[1] += c[1]
            parent[3] += c[3]
        parent[2] += c[2]
        s = el.tail
        if s:
            t = len(_HAN.findall(s))
            parent[0] += t
            parent[1] += s.count("。")
            parent[2] += t
    return counts


def _link_dense(c: _Count, share: float = 0.5) -> bool:
    """Is at least ``1 - share`` of the Chinese text in this subtree link text?"""
    return c.shown > 0 and c.text <= share * c.shown


def _menu(c: _Count) -> bool:
    """A list of links with labels at most (a menu, related links, a breadcrumb)."""
    return c.links >= 3 and c.sentences == 0 and _link_dense(c, 0.3)


def _is_furniture(el: etree._Element, sentences: int) -> bool:
    """Page furniture by tag, hidden style, or id/class words (``sentences``: 。 inside it)."""
    tag = el.tag
    if tag in _FURNITURE_TAGS:
        return not (tag == "header" and any(a.tag in ("article", "main") for a in el.iterancestors()))
    if el.get("hidden") is not None or _HIDDEN.search(el.get("style", "")):
        return True
    names = _names(el)
    if not names.strip():
        return False
    hit = _STRONG.search(names) or (_WEAK.search(names) and not _CONTENT.search(names))
    # a class word on an element holding sentences is more likely a coincidence ("MsoHeader",
    # "js_darkmode__top") than a menu; footers and comment lists do hold sentences
    return bool(hit) and (sentences == 0 or bool(_SENTENCE_FURNITURE.search(names)))


def _drop_all(root: etree._Element, keep: Callable[[etree._Element], bool],
              test: Callable[[etree._Element], bool]) -> int:
    """Drop the outermost elements below ``root`` passing ``test`` (tails stay); count them."""
    doomed: list[etree._Element] = []
    inside: set = set()
    for el in root.iterdescendants(etree.Element):
        if el.getparent() in inside:
            inside.add(el)
        elif test(el) and not keep(el):
            doomed.append(el)
            inside.add(el)
    for el in doomed:
        el.drop_tree()
    return len(doomed)


def _clean(body: etree._Element) -> tuple[int, Counts]:
    """Drop invisible elements, then page furniture; return how many furniture pieces went,
    and the counts of what is left (measured again only if something went)."""
    _drop_all(body, lambda el: False, lambda el: el.tag in _INVISIBLE)
    counts = _measure(body)
    total = counts.get(body, _ZERO)

    def big(el: etree._Element) -> bool:
        c = counts.get(el, _ZERO)
        return c.text >= 0.5 * total.text > 0 or c.sentences >= 0.5 * total.sentences > 0

    removed = _drop_all(body, big, lambda el: _is_furniture(el, counts.get(el, _ZERO).sentences))
    return removed, (_measure(body) if removed else counts)


# ---------------------------------------------------------------- lines

_BLOCK = frozenset({"address", "article", "aside", "blockquote", "body", "center", "dd", "details",
                    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
                    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
                    "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
                    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
                    "caption", "legend", "option", "marquee"})
_WS_RUN = re.compile(r"[ \t\n\f]+")
_WIDE = re.compile(r"[\u2e80-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
_VOID = frozenset({"br", "img", "hr", "wbr", "input", "area", "col", "embed", "source"})
Line = tuple[str, int]  # text, source line
_NOTHING: frozenset = frozenset()


def _collapse(s: str) -> str:
    """Collapse whitespace runs as a browser does; a line break between wide characters vanishes."""
    if "\n" not in s:       # no run to look at one by one
        return _WS_RUN.sub(" ", s).strip(" ")

    def space(m: re.Match) -> str:
        a, b = m.start(), m.end()
        if "\n" in m.group() and 0 < a and b < len(s) and _WIDE.match(s[a - 1]) and _WIDE.match(s[b]):
            return ""
        return " "
    return _WS_RUN.sub(space, s).strip(" ")


class _Stop(Exception):
    """A line :class:`_Lines` was told to stop at (the rest of the walk is not needed)."""


class _Lines:
    """Accumulates inline text into lines; a block boundary or <br> ends the current line.

    ``stop``: a test on each line's text; the first line passing it raises :class:`_Stop`."""

    def __init__(self, stop: Callable[[str], bool] | None = None) -> None:
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._line = 0
        self._stop = stop

    def add(self, s: str | None, line: Callable[[], int]) -> None:
        if not s:
            return
        if not self._parts:
            lead = len(s) - len(s.lstrip(" \t\n\f"))
            if lead == len(s):
                return
            self._line = line() + s.count("\n", 0, lead)
        self._parts.append(s)

    def flush(self) -> None:
        if self._parts:
            text = _collapse("".join(self._parts))
            self._parts = []
            if text.strip():
                self.lines.append((text, self._line))
                if self._stop is not None and self._stop(text):
                    raise _Stop

    def extend(self, lines: list[Line]) -> None:
        self.flush()
        self.lines.extend(lines)
        if self._stop is not None and any(self._stop(text) for text, _ in lines):
            raise _Stop


def _end_line(el: etree._Element) -> int:
    """Line of ``el``'s end tag: its last descendant's line plus the line breaks after it."""
    chain = [el]
    while len(chain[-1]):
        chain.append(chain[-1][-1])
    last = chain[-1]
    line = (last.sourceline or 0) + (last.text or "").count("\n")
    return line + sum((n.tail or "").count("\n") for n in chain[1:])


def _tail_line(el: etree._Element) -> int:
    """Source line where ``el``'s tail text begins."""
    if el.tag in _VOID:
        return el.sourceline or 0
    nxt = el.getnext()
    if nxt is not None and nxt.sourceline:
        return nxt.sourceline - (el.tail or "").count("\n")
    return _end_line(el)


def _walk(root: etree._Element, out: _Lines, skip: frozenset = _NOTHING) -> None:
    """Lines of ``root``; elements in ``skip`` are left out (their tails are not).

    Iterative (pages nest thousands deep: old editors never close ``<font>``): the stack
    holds ("open", el), ("tail", el) and ("end", block) steps.
    """
    todo = [("open", root)]
    while todo:
        step, el = todo.pop()
        if step == "tail":
            out.add(el.tail, lambda el=el: _tail_line(el))
        elif step == "end" or el.tag == "br":
            out.flush()
        elif el.tag == "pre":
            out.extend(_pre(el))
        elif el.tag == "tr":
            out.extend(_row(el, skip))
        else:
            if el.tag in _BLOCK:
                out.flush()
                todo.append(("end", el))
            out.add(el.text, lambda el=el: el.sourceline or 0)
            for child in reversed(el):
                todo.append(("tail", child))
                if child in skip:
                    if child.tag in _BLOCK:
                        todo.append(("end", child))
                elif isinstance(child.tag, str):
                    todo.append(("open", child))


def _pre(el: etree._Element) -> list[Line]:
    base = el.sourceline or 0
    return [(part.rstrip(), base + i) for i, part in enumerate(el.text_content().split("\n"))
            if part.strip()]


class _RowLine(tuple):
    """A line (text, source line) that a table row shows, remembering the row (``tr``), the
    cells whose text begins on it (``cells``: their elements; ``texts``: their texts, the
    line's text being these joined by tabs, less the tabs of leading empty cells) and whether
    a cell shows more lines than a figure's does (``tall``): the table is rebuilt on the
    final lines from these (:func:`_tables`)."""


def _tag(line: Line, tr: etree._Element, cells: list, texts: list[str], tall: bool = False) -> _RowLine:
    tagged = _RowLine(line)
    tagged.tr = tr
    tagged.cells = cells
    tagged.texts = texts
    tagged.tall = tall
    return tagged


def _offsets(line: _RowLine) -> dict:
    """Cell element -> (text, offset in the line) for the cells of a row line."""
    texts = line.texts
    if len(texts) == 1:
        return {line.cells[0]: (texts[0], 0)}
    joined = "\t".join(texts)
    pos = len(joined.lstrip("\t")) - len(joined)     # the leading tabs of empty cells were stripped
    out = {}
    for el, text in zip(line.cells, texts):
        out[el] = (text, pos if pos >= 0 else -1)
        pos += len(text) + 1
    return out


def _row(tr: etree._Element, skip: frozenset) -> list[Line]:
    """A table row: one line with cells joined by tabs, unless a cell holds several lines."""
    elements = [cell for cell in tr if isinstance(cell.tag, str) and cell not in skip]
    cells = [_leaf_lines(cell) if len(cell) == 0 and cell.tag not in _OWN_STEP else lines_of(cell, skip)
             for cell in elements]
    if any(len(c) > 1 for c in cells):
        out = []
        for el, shown in zip(elements, cells):
            if shown:       # the cell's first line says where it is (a nested table's keeps its own)
                first = shown[0]
                if type(first) is not _RowLine:
                    tall = len(shown) > MAX_CELL_LINES     # layout: the table is left out, its text unused
                    first = _tag(first, tr, [el], ["" if tall else "\n".join(t for t, _ in shown)], tall)
                out.append(first)
                out.extend(shown[1:])
        return out
    filled = [c[0] for c in cells if c]
    if not filled:
        return []
    texts = [c[0][0] if c else "" for c in cells]
    return [_tag(("\t".join(texts).strip("\t"), filled[0][1]), tr, elements, texts)]


_OWN_STEP = frozenset({"br", "pre", "tr"})    # elements _walk does not read as a block or inline


def _leaf_lines(el: etree._Element) -> list[Line]:
    """``lines_of(el)`` for an element without children (a table cell of plain text): its text
    as one line, without a walk (a table of many rows)."""
    s = el.text
    if not s:
        return []
    lead = len(s) - len(s.lstrip(" \t\n\f"))
    if lead == len(s):
        return []
    text = _collapse(s)
    return [(text, (el.sourceline or 0) + s.count("\n", 0, lead))] if text.strip() else []


def lines_of(el: etree._Element, skip: frozenset = _NOTHING) -> list[Line]:
    """The lines ``el`` shows (without the elements in ``skip``), with their source lines."""
    out = _Lines()
    _walk(el, out, skip)
    out.flush()
    return out.lines


# ---------------------------------------------------------------- furniture lines

_META_KEY = (r"(?:发布|发表|更新|生成|成文)(?:时间|日期)|(?:信息|文章|稿件)?来源|作者|责任编辑|编辑|审核"
             r"|浏览(?:次数|量)|阅读(?:次数|量|数)|点击(?:数|量|率|次数)|访问(?:次数|量)|字[号体]|索引号"
             r"|发布机构|主题分类|主题词|分类|发文机关|发文字号|发文日期|文号|名称|有效性|公开方式"
             r"|当前位置|您?现在的?位置|所在位置")
# metadata: "发布时间：…" (a key after a line start or a separator), a WeChat byline
_META_LINE = re.compile(rf"(?:^|[\s【\[|｜])(?:{_META_KEY})\s*[：:]|^原创\s|[\s\d]发表于\S{{0,6}}$")
_META_MAX = 120
_CONTROL_LINE = re.compile(
    r"(?:打印(?:本页|此页|文章|页面)?|关闭(?:本页|窗口|此页|页面)?|收藏(?:本页)?|返回顶部|返回首页|返回"
    r"|分享到?|字[号体]|[大中小]|默认|扫一扫在手机(?:上)?打开(?:当前页|本页)?|扫一扫|我要纠错|纠错"
    r"|微信|微博|QQ空间|预览时标签不可点|阅读原文|在看|点赞|写留言|留言|赞赏|关注该公众号"
    r"|[【】\[\]（）()：:|｜/、·\s\xa0\u3000])+")
_FOOTER_LINE = re.compile(r"版权所有|[Cc]opyright|©|主办单位|承办单位|技术支持|网站标识码|ICP备|公网安备"
                          r"|建议使用|分辨率|网站地图|联系我们|不得转载|转载请注明|地址[：:]|电话[：:]|邮编|邮箱[：:]")


def _meta_line(text: str) -> bool:
    """A metadata line; keys may be spaced out to align them ("名　　称：")."""
    if len(text) > _META_MAX:
        return False
    return bool(_META_LINE.search(text) or _META_LINE.match(re.sub(r"\s+", "", text)))


def _furniture_line(text: str, page_title: str) -> bool:
    """A line no report has: no Chinese, metadata, page controls, footer, the <title>."""
    return (not _HAN.search(text) or _meta_line(text) or bool(_CONTROL_LINE.fullmatch(text))
            or bool(_FOOTER_LINE.search(text)) or re.sub(r"\s+", "", text) in page_title)


def _drop_metadata(lines: list[Line]) -> tuple[list[Line], int]:
    """Drop metadata lines before the first sentence and lines of page controls."""
    first = next((i for i, (t, _) in enumerate(lines) if "。" in t), len(lines))
    kept = [line for i, line in enumerate(lines)        # the lines themselves: a table's keep their row
            if not (_CONTROL_LINE.fullmatch(line[0]) or (i < first and _meta_line(line[0])))]
    return kept, len(lines) - len(kept)


# ---------------------------------------------------------------- the container

def _multiline(el: etree._Element) -> bool:
    """Does ``el`` hold more than one line (a block inside it, or a <br>)?"""
    return any(d.tag in _BLOCK or d.tag == "br" for d in el.iterdescendants(etree.Element))


def _titleish(el: etree._Element) -> bool:
    return el.tag in ("h1", "h2") or "title" in _names(el)


class _Finder:
    """Goes down from <body> to the element holding the text and nothing else of the page."""

    def __init__(self, body: etree._Element, page_title: str, counts: Counts) -> None:
        self.body = body
        self.counts = counts
        self.page_title = page_title

    def container(self) -> etree._Element:
        node = self.body
        while True:
            nxt = self._dominant_child(node)
            if nxt is None:
                nxt = self._known_container(node)
            if nxt is None:
                return node
            node = nxt

    def _t(self, el: etree._Element) -> int:
        return self.counts.get(el, _ZERO).text

    def menus(self, container: etree._Element) -> frozenset:
        """The outermost link lists inside ``container`` (left out of its lines)."""
        found: list[etree._Element] = []
        inside: set = set()
        for el in container.iterdescendants(etree.Element):
            if el.getparent() in inside:
                inside.add(el)
            elif _menu(self.counts.get(el, _ZERO)):
                found.append(el)
                inside.add(el)
        return frozenset(found)

    def _only_furniture_besides(self, node: etree._Element, child: etree._Element) -> bool:
        """Is all text of ``node`` outside ``child`` furniture (menus, title, metadata, footer)?"""
        skip = {child}
        for s in node:
            c = self.counts.get(s, _ZERO)
            if s is not child and isinstance(s.tag, str) and (
                    (_titleish(s) and c.sentences == 0) or _link_dense(c)):
                skip.add(s)
        # the walk stops at the first line that is not furniture (usually the first one)
        out = _Lines(stop=lambda text: not _furniture_line(text, self.page_title))
        try:
            _walk(node, out, frozenset(skip))
            out.flush()
        except _Stop:
            return False
        return True

    def _dominant_child(self, node: etree._Element) -> etree._Element | None:
        kids = [c for c in node if isinstance(c.tag, str) and c.tag != "a" and self._t(c) > 0]
        if not kids:
            return None
        best = max(kids, key=self._t)
        if _multiline(best) and self._only_furniture_besides(node, best):
            return best
        return None

    def _known_container(self, node: etree._Element) -> etree._Element | None:
        """A content-named element with half the text and only furniture around it."""
        t = self._t(node)
        for el in node.iterdescendants(etree.Element):
            if ((el.get("id") or el.get("class")) and _CONTENT.search(_names(el))
                    and self._t(el) >= 0.5 * t > 0 and _multiline(el)
                    and self._only_furniture_besides(el.getparent(), el)):
                return el
        return None


def _name(el: etree._Element) -> str | None:
    if el.get("id"):
        return f"{el.tag}#{el.get('id')}"
    if el.get("class", "").split():
        return f"{el.tag}.{el.get('class').split()[0]}"
    return None


def _describe(el: etree._Element) -> str:
    """``div#zoom``, or ``div#js_content 内的 section`` for an element without id or class."""
    name = _name(el)
    if name is not None:
        return name
    outer = next((n for n in map(_name, el.iterancestors()) if n is not None), None)
    return el.tag if outer is None else f"{outer} 内的 {el.tag}"


# ---------------------------------------------------------------- title

_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|——|－|-{2,}|(?<!\d)-(?!\d))\s*")


def _heading_before(body: etree._Element, container: etree._Element, counts: Counts,
                    same_as: str) -> tuple[list[Line], str]:
    """Lines of the nearest title before ``container`` (not around it): an h1/h2, a "title"
    element, or an element showing exactly ``same_as`` (the <title> without the site name)."""
    order = list(body.iter(etree.Element))
    ancestors = set(container.iterancestors())
    size = len(_HAN.findall(same_as))
    for el in reversed(order[:order.index(container)]):
        c = counts.get(el, _ZERO)
        if el in ancestors or not c.shown or _link_dense(c):  # nothing, or a list of links
            continue
        shown_title = c.shown == size and re.sub(r"\s+", "", el.text_content()) == same_as
        if _titleish(el) or shown_title:
            lines = lines_of(el)
            if lines:
                note = "" if _titleish(el) else "（与页面 <title> 一致）"
                return lines, (_name(el) or el.tag) + note
    return [], ""


def _page_title(root: etree._Element) -> tuple[list[Line], str]:
    """(<title> without the site name after "_" or " - ", the whole <title> squeezed)."""
    el = root.find(".//title")
    if el is None or not el.text_content().strip():
        return [], ""
    whole = _collapse(el.text_content())
    first = _SITE_SUFFIX.split(whole)[0].strip()
    return ([(first, el.sourceline or 0)] if _HAN.search(first) else []), re.sub(r"\s+", "", whole)


def _squeeze(lines: list[Line]) -> str:
    return re.sub(r"\s+", "", "".join(t for t, _ in lines))


def _title(page_title: list[Line], finder: _Finder, container: etree._Element,
           lines: list[Line]) -> tuple[list[Line], str]:
    """Title lines to put before the container's lines (none if it has its title)."""
    same_as = _squeeze(page_title)
    title, where = _heading_before(finder.body, container, finder.counts, same_as)
    if not title:
        title, where = page_title, "title"
    if not title or _squeeze(title) in _squeeze(lines):
        return [], ""
    return title, where


# ---------------------------------------------------------------- the reader

def _place(line: int) -> str:
    return f"HTML第{line}行" if line < 65535 else "HTML第65535行以后"  # libxml2 stops counting


def _extract(root: etree._Element) -> tuple[list[Line], str]:
    body = root.find("body")
    if body is None:
        if root.find(".//frameset") is not None:
            raise SourceError("no_text", "页面由框架（frameset）组成，正文在它引用的其他页面里")
        body = root
    page_title, whole_title = _page_title(root)
    removed, counts = _clean(body)
    finder = _Finder(body, whole_title, counts)
    container = finder.container()
    menus = finder.menus(container)
    removed += len(menus)
    lines, dropped = _drop_metadata(lines_of(container, menus))
    title, where = _title(page_title, finder, container, lines)
    lines = title + lines
    what = _describe(container) if container is not body else "body（未找到正文容器）"
    note = f"正文取自 {what}"
    if removed + dropped:
        note += f"，去除导航等 {removed + dropped} 处"
    if where:
        note += f"；标题取自 {where}"
    return lines, note


def read_html(data: bytes, display: str) -> Source:
    """Turn a web page's bytes into the text of its article, one line per block."""
    text, encoding, enc_note = _decode(data)
    root = _parse(text)
    lines, note = _extract(root) if root is not None else ([], "页面没有内容")
    tables = _tables(lines)
    if tables or tables.incomplete:
        note += f"；{len(tables)} 个表格" + ("（表格过大，部分表格的结构未读取）" if tables.incomplete else "")
    if enc_note:
        note = f"{enc_note}；{note}"
    body = "\n".join(t for t, _ in lines)
    return Source(display, body + "\n" if body else "", encoding, "html",
                  [_place(n) for _, n in lines], note, tables=tables)


# ---------------------------------------------------------------- tables

def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(int(value.strip()), 1)       # rowspan="0" (to the end of the table): one row
    except ValueError:
        return 1


def _table_of(el: etree._Element) -> etree._Element | None:
    return next(el.iterancestors("table"), None)


def _tables(lines: list[Line]) -> Tables:
    """The data tables among the lines: each ``<table>`` whose rows gave lines, rebuilt with
    its cells on those lines. Layout tables are left out: a table holding another table, one
    of a single row or column, or one with a cell showing more than
    :data:`~checker.skeleton.tables.MAX_CELL_LINES` lines (a page, not a figure)."""
    rows: dict = {}        # table element -> {tr: [(line number, its cells)]}
    layout: set = set()    # tables with a tall cell
    tables: dict = {}      # a row's parent (tbody, thead, table) -> its table
    for no, line in enumerate(lines, 1):
        if type(line) is _RowLine:
            tr = line.tr
            parent = tr.getparent()
            table = tables.get(parent, False)
            if table is False:
                table = tables[parent] = parent if parent is not None and parent.tag == "table" else _table_of(tr)
            if table is not None:
                rows.setdefault(table, {}).setdefault(tr, []).append((no, line))
                if line.tall:
                    layout.add(table)
    found = Tables()
    budget = TableBudget()
    for table, shown in rows.items():
        if budget.exhausted:
            break
        if table in layout or next(table.iterdescendants("table"), None) is not None:
            continue
        trs = list(table.iter("tr"))          # no nested table: every row is the table's
        if len(trs) < 2 or not budget.fits(len(trs) + sum(map(len, trs))):
            continue
        builder = TableBuilder(len(found) + 1, "html", budget)
        for tr in trs:
            parts = shown.get(tr, ())
            row_line = parts[0][0] if parts else 0
            at = _offsets(parts[0][1]) if len(parts) == 1 else {
                el: v for _, line in parts for el, v in _offsets(line).items()}
            lines_at = None if len(parts) == 1 else {el: no for no, line in parts for el in line.cells}
            builder.row(row_line)
            for el in tr:
                if not isinstance(el.tag, str):
                    continue
                text, offset = at.get(el, ("", -1))
                no = row_line if lines_at is None else lines_at.get(el, row_line)
                builder.cell(text, no, offset + 1, _span(el.get("colspan")), _span(el.get("rowspan")))
        built = builder.table()
        if built is not None and built.width >= 2:
            found.append(built)
    found.incomplete = budget.incomplete
    return found
    budget = TableBudget()
    for table, shown in rows.items():
        if budget.exhausted:
            break
        if any(cells and max(n for _, _, n in cells.values()) > MAX_CELL_LINES
               for parts in shown.values() for _, cells in parts) \
                or next(table.iterdescendants("table"), None) is not None:
            continue
        trs = [tr for tr in table.iter("tr") if _table_of(tr) is table]
        if len(trs) < 2:
            continue
        builder = TableBuilder(len(found) + 1, "html", budget)
        for tr in trs:
            parts = shown.get(tr, ())
            row_line = parts[0][0] if parts else 0
            at = {el: (text, no, offset) for no, cells in parts for el, (text, offset, _) in cells.items()}
            builder.row(row_line)
            for el in tr:
                if not isinstance(el.tag, str):
                    continue
                text, no, offset = at.get(el, ("", row_line, -1))
                builder.cell(text, no, offset + 1 if offset >= 0 else 0,
                             _span(el.get("colspan")), _span(el.get("rowspan")))
        built = builder.table()
        if built is not None and built.width >= 2:
            found.append(built)
    found.incomplete = budget.incomplete
    return found
