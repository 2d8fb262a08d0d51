"""The 政府信息公开 sample reports (tests/data/gk/) in every format: a correct report gets no
finding at all, and the one wrong cell of wrong_cell.txt gets exactly FZG206 at that cell, in
.docx (Word tables with merged cells), .html (<table> with colspan/rowspan), .pdf (the tables
drawn as tables: wrapped and vertical headers, labels centred over their rows, a table split
over two pages, with and without rules) and text (rows of tabs, rows lined up with spaces,
one cell a line; the "|" rows of the files themselves are tests/test_gk.py's).

Every file is built at test time from the sample's text (tests/builders/tables.py gk_blocks:
each "|" table in the format's own layout, its figures those of the text); each table read
back must hold the text's figures under the format's labels."""

from __future__ import annotations

from functools import cache

import pytest

from checker import sources
from checker.lint import lint_bytes
from checker.skeleton.parser import parse

from builders.docx import docx_with_tables
from builders.html import html_with_tables
from builders.pdf import pdf_with_tables
from builders.tables import APPLICANTS, BLOCK_2, RESULTS, gk_blocks, gk_text, one_a_line, spaced_rows, tab_rows
from conftest import ROOT

DATA = ROOT / "tests" / "data" / "gk"
CORRECT = ["complete.txt", "government_complete.txt"]

FORMATS = {
    "docx": lambda text: docx_with_tables(gk_blocks(text)),
    "html": lambda text: html_with_tables(gk_blocks(text), text.split("\n", 1)[0]),
    "pdf": lambda text: pdf_with_tables(gk_blocks(text)),                        # cells centred, ruled
    "pdf-top": lambda text: pdf_with_tables(gk_blocks(text), valign="TOP"),
    "pdf-bottom": lambda text: pdf_with_tables(gk_blocks(text), valign="BOTTOM"),
    "pdf-unruled": lambda text: pdf_with_tables(gk_blocks(text), rules=False, label_align="CENTER"),
    "txt-tabs": lambda text: gk_text(text, tab_rows).encode(),
    "txt-spaces": lambda text: gk_text(text, spaced_rows).encode(),
    "txt-one-a-line": lambda text: gk_text(text, one_a_line).encode(),
}


def suffix(fmt: str) -> str:
    return "." + fmt.split("-")[0]


@cache
def built(name: str, fmt: str) -> bytes:
    return FORMATS[fmt]((DATA / name).read_text(encoding="utf-8"))


def findings(name: str, fmt: str, registry) -> list:
    result = lint_bytes(built(name, fmt), "report" + suffix(fmt), registry)
    assert result.kind == "gk", f"{name} as {fmt} was read as a {result.kind} report"
    return result.diagnostics


def model(name: str, fmt: str, registry):
    source = sources.read_bytes(built(name, fmt), "report" + suffix(fmt))
    return source, parse(source.text, tables=source.tables, layouts=registry.text_layouts)


def show(diagnostics) -> list[str]:
    return [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in diagnostics]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", CORRECT)
def test_a_correct_report_gets_no_finding_in_any_format(name, fmt, registry):
    assert show(findings(name, fmt, registry)) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_wrong_cell_gets_exactly_fzg206_and_fzg207_crossing_at_that_cell(fmt, registry):
    """（一）予以公开's 自然人 is 3 for 2: its row no longer adds up to its 总计 (3: FZG206, at that
    总计 cell, on its line and column of the extracted text), nor its column to （七）总计 (FZG207,
    at the 自然人 cell of （七）总计)."""
    got = findings("wrong_cell.txt", fmt, registry)
    assert [d.code for d in got] == ["FZG206", "FZG207"], show(got)
    assert "（一）予以公开行：自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他=4，总计=3，相差1" \
        in got[0].message
    source, report = model("wrong_cell.txt", fmt, registry)
    table = next(t for t in report.tables if t.mentions("本列数据的勾稽关系为"))
    cell = table.at(table.find_row("（一）予以公开"), table.find_column("总计"))
    assert (got[0].span.line, got[0].span.column) == (cell.line, cell.column) and cell.text == "3"
    total = table.at(table.find_row("（七）总计"), table.find_column("自然人"))
    assert (got[1].span.line, got[1].span.column) == (total.line, total.column)
    assert "自然人列" in got[1].message
    line = source.text.split("\n")[cell.line - 1]
    assert line[cell.column - 1:].startswith("3")


def text_rows(name: str) -> dict[str, list[str]]:
    """label -> figures of each "|" row of the sample (the first of a label)."""
    out: dict[str, list[str]] = {}
    for line in (DATA / name).read_text(encoding="utf-8").split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) > 1 and all(c.isdigit() for c in cells[1:] if c) and cells[1]:
            out.setdefault(cells[0], cells[1:])
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_table_reads_back_with_the_texts_figures(fmt, registry):
    """The three tables, found by their words, hold every figure of the text under its row
    and column labels: table 二 block by block, table 三 row by row (its numbered sub-rows
    under their （三）–（六）), table 四's 15 figures under their groups."""
    source, report = model("complete.txt", fmt, registry)
    figures = text_rows("complete.txt")
    two = next(t for t in report.tables if t.mentions("第二十条第（一）项") or t.mentions("本年制发件数"))
    for _, columns, labels in BLOCK_2:
        for label in labels:
            row = two.find_row(label)
            assert row is not None, (fmt, label)
            for column, want in zip(columns, figures[label]):
                # the later blocks' headers are rows inside the table (no column label): their
                # one figure stands in the first column of figures, as a merged cell or alone
                col = two.find_column(column) if len(columns) > 1 else two.frame()[0]
                assert two.value(row, col) == int(want), (fmt, label, column)
    three = next(t for t in report.tables if t.mentions("本列数据的勾稽关系为"))
    paths = {p[:3]: p for p in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")}
    group = None
    for label, values in figures.items():
        if label[:3] in paths:
            group = paths[label[:3]]
            continue                      # the text's subtotal rows: the format has none
        if label in ("（七）总计", "四、结转下年度继续办理"):
            group = None
        if label.startswith(("一、", "二、", "（一）", "（二）", "（七）", "四、")) or group:
            row = three.find_row([group, label] if group and label[:1].isdigit() else label)
            assert row is not None, (fmt, label)
            for column, want in zip([*APPLICANTS[:1], *(["法人或其他组织", a] for a in APPLICANTS[1:]), "总计"],
                                    values):
                assert three.value(row, three.find_column(column)) == int(want), (fmt, label, column)
    assert three.find_row(["三、本年度办理结果", "（七）总计"]) == three.find_row("（七）总计")
    four = next(t for t in report.tables if t.mentions("行政复议"))
    row = four.height - 1
    for group in ("行政复议", "未经复议直接起诉", "复议后起诉"):
        for result in RESULTS:
            col = four.find_column([group, result])
            assert col is not None and four.value(row, col) == 0, (fmt, group, result)
    assert len({four.find_column([g, "总计"]) for g in ("行政复议", "未经复议直接起诉", "复议后起诉")}) == 3


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf", "txt-tabs", "txt-spaces", "txt-one-a-line"])
def test_table_rows_are_never_headings(fmt, registry):
    """The rows of the tables, whose labels start like headings (三、本年度办理结果, （七）总计,
    1.属于国家秘密), are body text: the skeleton has the report's own headings only."""
    _, report = model("complete.txt", fmt, registry)
    text = (DATA / "complete.txt").read_text(encoding="utf-8")
    own = [line for line in text.split("\n") if line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")
           or line.startswith(("（一）", "（二）", "（三）", "（四）", "（五）"))]
    assert [s.heading.label for s in report.walk()] == own
