"""`fzlint init`: the skeleton of a new report, for an author to fill in.

Everything kind-specific comes from the report kind's pack (its ``init:`` block: title,
opening, the parts of ``section_order`` with their headings and what belongs in each, closing,
signature, date; checker/engine/pack.py ``Init``); a pack without one gets a plain skeleton
made from its section kinds (each part under its kind's label, with a line to fill saying
what it is) and its deadline. What is generic lives here: the numbering of official documents
(一、 for parts, （一） for sub-headings), the date written 2026年3月31日, and the layout of the
three formats (.docx in the usual fonts of GB/T 9704 with the gaps highlighted, .md, .txt).

Each gap the author fills is written in the pack's ``placeholder`` (【请填写：…】), which FZ502
(template placeholders) flags until it is filled.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from checker.engine.pack import Init, InitLine, InitPart, Pack
from checker.skeleton.model import numeral_text

__all__ = ["FORMATS", "InitError", "Line", "default_init", "render", "skeleton", "write_skeleton"]

FORMATS = (".docx", ".md", ".txt")
DEFAULT_PLACEHOLDER = "【请填写：{hint}】"


class InitError(Exception):
    """A one-line Chinese reason why no skeleton was written."""


@dataclass
class Line:
    """A line of the skeleton: its text, what it is, and the gaps to fill ([start, end) in
    ``text``)."""

    text: str
    role: str          # title, opening, heading, subheading, body, row, closing, signature, date
    gaps: list[tuple[int, int]] = field(default_factory=list)
    cells: tuple[str, ...] = ()        # a table's row (role "row"): its cells


def default_init(pack: Pack) -> Init:
    """The skeleton of a kind whose pack has no ``init:``: each part under its label, with a
    line to fill saying what it is; dated the day before the pack's deadline (else 31 December
    of the reported year's next year)."""
    order = pack.section_order or pack.kind_names
    parts = tuple(InitPart(k, pack.kind(k).label, (InitLine(fill=pack.kind(k).label),)) for k in order)
    return Init(title="{org}{year}年度" + pack.title, placeholder=DEFAULT_PLACEHOLDER,
                date=None if pack.deadline else "12-31", parts=parts)


def skeleton(pack: Pack, org: str, year: int) -> list[Line]:
    """The lines of a new report of ``pack``'s kind by ``org`` on ``year``."""
    spec = pack.init or default_init(pack)
    fields = {"org": org, "year": year, "next_year": year + 1}
    lines = [Line(spec.title.format(**fields), "title")]
    lines += [_line(item, spec, fields, "opening") for item in spec.opening]
    for n, part in enumerate(spec.parts, 1):
        lines.append(Line(f"{numeral_text(n)}、{part.heading.format(**fields)}", "heading"))
        sub = 0
        for item in part.body:
            if item.table is not None:
                width = max(len(row) for row in item.table)
                for row in item.table:
                    cells = tuple(c.format(**fields) for c in row) + ("",) * (width - len(row))
                    lines.append(Line("| " + " | ".join(cells) + " |", "row", cells=cells))
            elif item.heading is not None:
                sub += 1
                lines.append(Line(f"（{numeral_text(sub)}）{item.heading.format(**fields)}", "subheading"))
            else:
                lines.append(_line(item, spec, fields, "body"))
    lines += [_line(item, spec, fields, "closing") for item in spec.closing]
    lines.append(Line(spec.signature.format(**fields), "signature"))
    lines.append(Line(_date(spec, pack, year), "date"))
    return lines


def _line(item: InitLine, spec: Init, fields: dict, role: str) -> Line:
    text = item.text.format(**fields)
    if item.fill is None:
        return Line(text, role)
    gap = spec.placeholder.format(hint=item.fill.format(**fields))
    return Line(text + gap, role, [(len(text), len(text) + len(gap))])


def _date(spec: Init, pack: Pack, year: int) -> str:
    """The date in the year after the reported one: the pack's ``init.date``, else the day
    before its deadline."""
    if spec.date is not None:
        month, day = map(int, spec.date.split("-"))
        date = dt.date(year + 1, month, day)
    else:
        month, day = map(int, (pack.deadline or "12-31").split("-"))
        date = dt.date(year + 1, month, day) - dt.timedelta(days=1)
    return f"{date.year}年{date.month}月{date.day}日"


# ---------------------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------------------

def render(lines: list[Line], suffix: str) -> bytes:
    """The skeleton as a file of this suffix (.docx, .md or .txt; text in UTF-8)."""
    if suffix == ".docx":
        return _docx(lines)
    if suffix == ".md":
        marks = {"title": "# ", "heading": "## ", "subheading": "### "}
        out = []
        for n, line in enumerate(lines):
            if n:          # a blank line between paragraphs; a table's rows one after another
                out.append("\n" if line.role == "row" and lines[n - 1].role == "row" else "\n\n")
            out.append(marks.get(line.role, "") + line.text)
        return "".join(out).encode() + b"\n"
    return ("\n".join(line.text for line in lines) + "\n").encode()


# GB/T 9704: the title in 方正小标宋简体 二号 (22 pt), the text in 仿宋_GB2312 三号 (16 pt), part
# headings in 黑体, sub-headings in 楷体_GB2312; margins 37/35/28/26 mm
FONTS = {"title": "方正小标宋简体", "heading": "黑体", "subheading": "楷体_GB2312"}
BODY_FONT = "仿宋_GB2312"


def _docx(lines: list[Line]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):            # the template's empty paragraph
        body.remove(paragraph)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    def add_run(paragraph, text: str, font: str | None = None, highlight: bool = False):
        run = paragraph.add_run(text)
        if font is not None:
            run.font.name = font
            run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if highlight:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        return run

    table = None
    for n, line in enumerate(lines):
        if line.role == "row":             # a table's rows: one Word table, its grid as wide as its widest row
            if table is None:
                group = []
                for other in lines[n:]:
                    if other.role != "row":
                        break
                    group.append(other)
                table = document.add_table(rows=0, cols=max(len(r.cells) for r in group))
                table.style = "Table Grid"
            cells = table.add_row().cells
            for cell, text in zip(cells, line.cells):
                cell.text = text
            continue
        table = None
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        if line.role == "title":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif line.role in ("signature", "date"):
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            fmt.first_line_indent = Pt(32)
        font = FONTS.get(line.role)
        at = 0
        for start, end in line.gaps:
            if start > at:
                add_run(paragraph, line.text[at:start], font)
            add_run(paragraph, line.text[start:end], font, highlight=True)
            at = end
        if at < len(line.text) or not line.text:
            add_run(paragraph, line.text[at:], font)
        if line.role == "title":
            for run in paragraph.runs:
                run.font.size = Pt(22)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------

_BAD_ORG = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def write_skeleton(pack: Pack, org: str, year: int, output: Path | None, force: bool) -> tuple[Path, list[Line]]:
    """Write the skeleton to ``output`` (default: its title, .docx, in the current folder);
    (the path written, its lines). InitError for a bad organisation name or output name, or
    an existing output without ``force``."""
    from checker.annotate import AnnotateError, write_output

    org = org.strip()
    if not org or _BAD_ORG.search(org) or len(org) > 100:
        raise InitError(f"--org 应为一行、不超过 100 字的单位名称，如 平安县司法局（实际为 {org!r}）")
    lines = skeleton(pack, org, year)
    if output is None:
        output = Path(re.sub(r'[/\\:*?"<>|]', "_", lines[0].text) + ".docx")
    suffix = output.suffix.lower()
    if suffix == ".markdown":
        suffix = ".md"
    if suffix not in FORMATS:
        raise InitError(f"{output}: 报告框架可写成 Word（.docx）、Markdown（.md）或文本（.txt），"
                        "请用这些扩展名之一")
    if output.exists() and not force:
        raise InitError(f"{output} 已存在；要覆盖它，请加 --force，或用 -o 指定其他文件名")
    if output.is_dir():
        raise InitError(f"{output} 是文件夹；请用 -o 指定文件名，如 -o 报告.docx")
    try:
        write_output(output, render(lines, suffix))
    except AnnotateError as exc:
        raise InitError(str(exc)) from None
    return output, lines
