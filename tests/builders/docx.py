"""Render a seed report as a .docx whose numbered headings use real Word automatic numbering.

One paragraph per seed line (blank lines become empty paragraphs), so paragraph N is seed
line N. numbering.xml gets one multilevel list: level 0 chineseCounting "%1、", level 1
chineseCounting "（%2）", level 2 decimal "%3.", level 3 decimal "（%4）", each level's
punctuation taken from the seed's own headings (the form it uses most: "(%2)" for a seed
writing half-width brackets, "%3、" for "1、").

The builder keeps Word's counters itself (one per level, deeper levels reset when a level is
used). A heading whose number is exactly what Word would show at that point, and whose
parent heading is in the list too, is written without its number and attached to the list;
any other heading (a repeated or skipped number, another bracket style, a Markdown mark
before it, a parent typed by hand) is typed out literally, as real authors do. The parent
condition keeps to lists that Word and LibreOffice number alike: LibreOffice counts a level
that was skipped over (a "1." item with no "（一）" above it) as used, Word does not. The
document also gets a running header, a footer with a PAGE field and a comment, none of which
belong to the report's text.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from xml.sax.saxutils import quoteattr

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from checker.skeleton.model import Heading
from checker.skeleton.parser import parse

# level (1..4) -> (w:numFmt, default w:lvlText, w:suff)
LEVELS = {
    1: ("chineseCounting", "%1、", "nothing"),
    2: ("chineseCounting", "（%2）", "nothing"),
    3: ("decimal", "%3.", "tab"),
    4: ("decimal", "（%4）", "tab"),
}
_CN = "〇一二三四五六七八九"


def chinese(n: int) -> str:
    """1..99 as Word's chineseCounting writes it."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def number_text(level: int, value: int) -> str:
    return chinese(value) if LEVELS[level][0] == "chineseCounting" else str(value)


def _template(heading: Heading) -> str | None:
    """The heading's marker with its number replaced by the level placeholder: "（%2）"."""
    marker = heading.raw_marker
    if heading.number not in marker:
        return None
    return marker.replace(heading.number, f"%{heading.level}", 1)


def level_texts(headings: list[Heading]) -> dict[int, str]:
    """The lvlText of each level: the form the seed's headings of that level use most."""
    seen: dict[int, Counter] = {level: Counter() for level in LEVELS}
    for h in headings:
        template = _template(h)
        if template is not None:
            seen[h.level][template] += 1
    return {level: (seen[level].most_common(1)[0][0] if seen[level] else LEVELS[level][1])
            for level in LEVELS}


def _rest_if_numbered(h: Heading, value: int, texts: dict[int, str]) -> str | None:
    """The heading's text after its number, if Word's list would show exactly this number."""
    line = h.line
    before = line.raw[:line.first_col - 1]
    if before.strip():
        return None   # e.g. a Markdown "### " before the number
    expected = texts[h.level].replace(f"%{h.level}", number_text(h.level, value))
    if h.raw_marker != expected:
        return None
    return line.raw[line.raw_end_col(len(h.marker)) - 1:].lstrip()


def _numbering_xml(abstract_id: int, texts: dict[int, str]) -> str:
    levels = []
    for level, (fmt, _, suffix) in LEVELS.items():
        indent = 640 if level > 1 else 0
        levels.append(
            f'<w:lvl w:ilvl="{level - 1}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            + (f'<w:suff w:val="{suffix}"/>' if suffix != "tab" else "")
            + f'<w:lvlText w:val={quoteattr(texts[level])}/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="{indent}"/></w:pPr></w:lvl>')
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            '<w:multiLevelType w:val="multilevel"/>' + "".join(levels) + "</w:abstractNum>")


def _add_list(doc, texts: dict[int, str]) -> str:
    """Add the multilevel list to numbering.xml; return its numId."""
    numbering = doc.part.numbering_part.element
    abstract_id = 1 + max((int(e.get(qn("w:abstractNumId")))
                           for e in numbering.iterchildren(qn("w:abstractNum"))), default=0)
    num_id = 1 + max((int(e.get(qn("w:numId"))) for e in numbering.iterchildren(qn("w:num"))),
                     default=0)
    first_num = next(numbering.iterchildren(qn("w:num")), None)
    abstract = parse_xml(_numbering_xml(abstract_id, texts))
    if first_num is not None:
        first_num.addprevious(abstract)   # abstractNum elements precede num elements
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                               f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return str(num_id)


def _attach(paragraph, num_id: str, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = int(num_id)


def _page_field(paragraph) -> None:
    """Append a PAGE field (begin, instruction, separate, cached result, end)."""
    for xml in ('<w:fldChar w:fldCharType="begin"/>',
                '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>', "<w:t>1</w:t>",
                '<w:fldChar w:fldCharType="end"/>'):
        paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))


def _decorate(doc, title: str) -> None:
    """Running header and footer, and one comment: none of it is body text."""
    section = doc.sections[0]
    section.header.paragraphs[0].text = title
    footer = section.footer.paragraphs[0]
    footer.add_run("第 ")
    _page_field(footer)
    footer.add_run(" 页")
    target = next((p for p in doc.paragraphs if p.runs and p.text.strip()), None)
    if target is not None:
        doc.add_comment(target.runs[0], text="请核对本段数据", author="审核人", initials="SH")


def build_docx(text: str) -> bytes:
    """A .docx of the seed ``text``: paragraph N is line N, headings auto-numbered where
    Word's counters agree with the seed's numbers."""
    report = parse(text)
    headings = {s.heading.line.no: s.heading for s in report.walk()}
    texts = level_texts(list(headings.values()))
    doc = Document()
    doc.styles["Normal"].font.size = Pt(16)
    num_id = _add_list(doc, texts)
    counters = [0] * len(LEVELS)
    numbered = [False] * len(LEVELS)   # is the latest heading of each level in the list?
    for no, line in enumerate(text.split("\n"), 1):
        h = headings.get(no)
        rest = None
        if h is not None and (h.level == 1 or numbered[h.level - 2]):
            rest = _rest_if_numbered(h, counters[h.level - 1] + 1, texts)
        if h is not None:
            numbered[h.level - 1:] = [rest is not None] + [False] * (len(LEVELS) - h.level)
        if rest is None:
            doc.add_paragraph(line)
            continue
        _attach(doc.add_paragraph(rest), num_id, h.level - 1)
        counters[h.level - 1] += 1
        for deeper in range(h.level, len(counters)):
            counters[deeper] = 0
    title = report.title or next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    _decorate(doc, title)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_with_tables(blocks: list) -> bytes:
    """A .docx of paragraphs (a str each) and tables (a builders/tables.py spec each), the
    tables' merged cells merged as Word does (python-docx's ``Cell.merge``: ``w:gridSpan``
    across, ``w:vMerge`` down)."""
    from builders.tables import place

    doc = Document()
    for block in blocks:
        if isinstance(block, str):
            doc.add_paragraph(block)
            continue
        grid, merges = place(block)
        table = doc.add_table(rows=len(grid), cols=len(grid[0]))
        for top, left, bottom, right in merges:
            table.cell(top, left).merge(table.cell(bottom, right))
        for r, line in enumerate(grid):
            for c, text in enumerate(line):
                if text:
                    table.cell(r, c).text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# Minimal packages written as text, for hostile files (issue 14): nothing but the parts
# the reader needs, so the sizes that decide the work budgets are exact.

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CONTENT_TYPES = (
    f'<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
    f'<Override PartName="/word/numbering.xml" ContentType="{_CT}.numbering+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/></Types>')
_PACKAGE_RELS = (f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
                 f'Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>')
_DOCUMENT_RELS = (f'<Relationships xmlns="{_PKG}/relationships">'
                  f'<Relationship Id="rId1" Type="{_REL}/numbering" Target="numbering.xml"/>'
                  f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
NUMBERED = '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>'
STYLED = '<w:p><w:pPr><w:pStyle w:val="H"/></w:pPr></w:p>'


def package(body: str, numbering: str = "", styles: str = "") -> bytes:
    """A .docx whose document.xml body, numbering.xml and styles.xml hold the given
    children (``body``: w:p and w:tbl elements), deflated as hard as zlib can."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _PACKAGE_RELS)
        z.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
        z.writestr("word/document.xml", f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>')
        z.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{_W}">{numbering}</w:numbering>')
        z.writestr("word/styles.xml", f'<w:styles xmlns:w="{_W}">{styles}</w:styles>')
    return buf.getvalue()


def one_list(lvl_text: str, fmt: str = "decimal", start: int = 1) -> str:
    """numbering.xml's children: list 1, whose level 0 has this w:lvlText, w:numFmt, w:start."""
    return (f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val={quoteattr(lvl_text)}/></w:lvl></w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')


def numbered_docx(lvl_text: str, paragraphs: int, via: str = "numPr", fmt: str = "decimal",
                  start: int = 1) -> bytes:
    """``paragraphs`` empty paragraphs numbered by list 1 (:func:`one_list`): each through its
    own w:numPr (``via="numPr"``), its paragraph style H (``"style"``), or as the default
    paragraph style's paragraphs (``"default"``: ``<w:p/>``)."""
    style = ('<w:style w:type="paragraph" w:styleId="H"{default}><w:pPr><w:numPr><w:ilvl w:val="0"/>'
             '<w:numId w:val="1"/></w:numPr></w:pPr></w:style>')
    body = {"numPr": NUMBERED, "style": STYLED, "default": "<w:p/>"}[via] * paragraphs
    return package(body, one_list(lvl_text, fmt, start),
                   style.format(default=' w:default="1"' if via == "default" else ""))


def with_members(data: bytes, count: int, name_length: int = 8) -> bytes:
    """The package with ``count`` more empty members (stored), named ``x/0000001``..."""
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_STORED) as z:
        for i in range(count):
            z.writestr(f"x/{i:0{name_length}d}", b"")
    return buf.getvalue()
