"""Tables in the document model (checker/skeleton/tables.py): read from .docx (merged cells),
.html (colspan/rowspan) and text (pipe and tab rows) onto the lines of the extracted text;
the table check types (table_labels, table_sum) through a scratch pack; the outline.

The tables are those of builders/tables.py (table 三 and 四 of the 政府信息公开 format),
rendered in each format by the builders."""

from __future__ import annotations

import functools
import json
import textwrap
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import sources
from checker.engine.registry import PackError, load_registry
from checker.lint import lint_bytes, lint_text
from checker.skeleton.parser import parse as parse_bare
from checker.skeleton.tables import MAX_GRID, MAX_TABLE_CELLS, number

from builders.docx import docx_with_tables, package
from builders.html import build_html, html_with_tables
from builders.tables import (
    APPLICANTS,
    CORNER,
    NEW,
    TABLE_3,
    html_table,
    pipe_rows,
    place,
    spaced_rows,
    tab_rows,
    table_3,
    table_4,
)
from conftest import SEEDS
from test_cli import fzlint


@functools.cache
def _layouts():
    return load_registry().text_layouts


def parse(text: str, *args, **kwargs):
    """The model as a check sees it: with the built-in packs' one-cell-a-line headers
    (rules/gk.yaml `text_tables`), as lint_text parses."""
    return parse_bare(text, *args, layouts=_layouts(), **kwargs)

TITLE = "平安县交通运输局2023年政府信息公开工作年度报告"
HEAD_3 = "三、收到和处理政府信息公开申请情况"
HEAD_4 = "四、政府信息公开行政复议、行政诉讼情况"


def blocks(spec3=TABLE_3, spec4=None) -> list:
    out = [TITLE, "根据《中华人民共和国政府信息公开条例》规定，编制本报告。", HEAD_3, spec3]
    if spec4 is not None:
        out += [HEAD_4, spec4]
    return out + ["五、存在的主要问题及改进情况", "公开质量有待提高，下一步将加强培训。"]


def as_text(items: list, rows=pipe_rows) -> str:
    return "\n".join(line for b in items for line in ([b] if isinstance(b, str) else rows(b))) + "\n"


def read(items: list, fmt: str) -> sources.Source:
    data = {"md": lambda: as_text(items).encode(), "txt": lambda: as_text(items, tab_rows).encode(),
            "docx": lambda: docx_with_tables(items), "html": lambda: html_with_tables(items, TITLE)}[fmt]()
    return sources.read_bytes(data, f"report.{fmt}")


def model(items: list, fmt: str):
    source = read(items, fmt)
    return source, parse(source.text, tables=source.tables)


FORMATS = ["md", "txt", "docx", "html"]


# ------------------------------------------------------------------------------ the model

@pytest.mark.parametrize("fmt", FORMATS)
def test_table_3_in_every_format(fmt):
    """The same table, read from each format, has the same grid, labels and figures, and each
    cell points at its own text in the extracted text."""
    source, report = model(blocks(), fmt)
    [table] = report.tables
    assert (table.height, table.width) == (11, 10)
    assert table.frame() == (3, 3)                      # three label columns, three header rows
    assert table.ragged == []
    lines = source.text.split("\n")
    assert lines[table.first_line - 2] == HEAD_3 and report.section_at(table.first_line).heading.label == HEAD_3
    assert table.caption.endswith(HEAD_3)
    for cell in table.cells():
        if cell.text and cell.column:                   # each cell's text is where it says
            line = lines[cell.line - 1]
            assert line[cell.column - 1:].startswith(cell.text.split("\n")[0]), (cell, line)
    natural = table.find_column("自然人")
    assert [table.find_column(n) for n in APPLICANTS] == list(range(3, 9))
    assert table.find_column(["法人或其他组织", "其他"]) == 8 and table.find_column("总计") == 9
    new = table.find_row("本年新收政府信息公开申请数量")
    assert table.value(new, natural) == NEW[0]          # full-width digits
    assert table.value(new, table.find_column("科研机构")) == 0     # "/"
    assert table.find_row(["（三）不予公开", "1.属于国家秘密"]) == 7
    assert table.find_row(["三、本年度办理结果", "（七）总计"]) == 9
    assert table.find_row("（四）无法提供") is None


def word_rows(spec) -> list[str]:
    """The lines the reader wrote before tables were modelled, for a table Word merged: one
    w:tc per cell starting in the row and per vertical merge passing through it (empty),
    none for the positions a horizontal merge covers; cells joined by tabs."""
    grid, merges = place(spec)
    out = []
    for r, line in enumerate(grid):
        cells = []
        for c, text in enumerate(line):
            merge = next((m for m in merges if m[0] <= r <= m[2] and m[1] <= c <= m[3]), None)
            if merge is None or (merge[1] == c and merge[0] == r):
                cells.append(text)
            elif merge[1] == c:
                cells.append("")
        out.append("\t".join(cells))
    return out


def test_docx_merged_cells_keep_the_lines_and_carry_the_spans():
    """A Word table with merged cells: the lines are those the reader always wrote (a row's
    cells joined by tabs, a vertically merged cell as an empty one below); the model has the
    spans."""
    source, report = model(blocks(), "docx")
    lines = source.text.split("\n")
    first = lines.index(HEAD_3) + 2
    assert lines[first - 1:first + 10] == word_rows(TABLE_3)
    assert source.places[first - 1:first + 10] == [f"表格1第{r}行" for r in range(1, 12)]
    table = report.tables[0]
    assert (table.first_line, table.last_line) == (first, first + 10)
    corner = table.rows[0].cells[0]
    assert (corner.text, corner.row_span, corner.col_span) == (CORNER, 3, 3)
    result = table.at(5, 0)
    assert (result.text, result.row_span) == ("三、本年度办理结果", 5) and table.at(9, 0) is result
    assert table.place(table.at(9, 3)) == "表格1第10行第4列"


def test_html_colspan_rowspan_and_a_cell_of_two_lines():
    """A row with a cell of two lines gives a line per line of each cell (as before); the
    cells are placed by rowspan and colspan, each on the line where its text begins."""
    page = (f"<html><head><meta charset='utf-8'></head><body><div id='zoom'><p>{TITLE}</p><p>正文。</p>"
            "<table>\n<tr><td rowspan='2'>项目</td><td colspan='2'>数量</td></tr>\n"
            "<tr><td>本年</td><td>上年</td></tr>\n<tr><td>行政<br>许可</td><td>3</td><td>2</td></tr>\n"
            "</table></div></body></html>").encode()
    source = sources.read_bytes(page, "r.html")
    assert source.text.split("\n")[2:8] == ["项目\t数量", "本年\t上年", "行政", "许可", "3", "2"]
    [table] = parse(source.text, tables=source.tables).tables
    assert (table.height, table.width) == (3, 3)
    assert [(c.text, c.row, c.col, c.row_span, c.col_span, c.line, c.column) for c in table.cells()] == [
        ("项目", 0, 0, 2, 1, 3, 1), ("数量", 0, 1, 1, 2, 3, 4), ("本年", 1, 1, 1, 1, 4, 1),
        ("上年", 1, 2, 1, 1, 4, 4), ("行政\n许可", 2, 0, 1, 1, 5, 1), ("3", 2, 1, 1, 1, 7, 1),
        ("2", 2, 2, 1, 1, 8, 1)]
    assert table.find_row("行政许可") == 2 and table.cells()[4].span.end_column == 3   # its first line
    assert table.find_column(["数量", "上年"]) == 2
    assert source.note.endswith("；1 个表格")


def test_html_layout_tables_are_not_tables_but_a_table_inside_one_is():
    seed = SEEDS[4].read_text(encoding="utf-8")
    source = sources.read_bytes(build_html(seed, template="table"), "r.html")
    assert source.tables == [] and "表格" not in source.note
    spec = [["项目", "数量"], ["行政许可", "3"], ["行政处罚", "5"]]
    page = ("<html><body><table><tr><td>首页</td></tr><tr><td><p>" + TITLE + "</p><p>正文第一段。</p>"
            + "".join(f"<p>第{i}段，依法公开。</p>" for i in range(9)) + html_table(spec)
            + "</td></tr></table></body></html>").encode()
    source = sources.read_bytes(page, "r.html")
    [table] = source.tables
    assert (table.height, table.width, table.number) == (3, 2, 1)
    assert source.text.split("\n")[table.first_line - 1] == "项目\t数量"


def test_ragged_rows_are_read_and_flagged():
    text = "报告\n| 项目 | 数量 | 备注 |\n| 行政许可 | 3 |\n| 行政处罚 | 5 | 无 | 多余 |\n"
    [table] = parse(text).tables
    assert (table.height, table.width) == (3, 4)
    assert table.ragged == [0, 1]
    assert table.at(1, 2) is None and table.at(2, 3).text == "多余"
    page = html_with_tables([TITLE, "正文。", [["项目", "数量"], ["行政许可"], ["行政处罚", "5", "多"]]], TITLE)
    [table] = sources.read_bytes(page, "r.html").tables
    assert table.ragged == [0, 1]
    page = html_with_tables([TITLE, "正文。", [["项目", "数量", "备注"], ["", "行政许可", ""], ["", "", "5"]]], TITLE)
    source = sources.read_bytes(page, "r.html")
    assert source.text.split("\n")[3:5] == ["行政许可", "5"]      # the tabs of empty cells at either end go
    [table] = source.tables
    assert [(c.text, c.line, c.column) for c in table.rows[1].cells] == [("", 4, 0), ("行政许可", 4, 1), ("", 4, 6)]
    assert (table.at(2, 2).line, table.at(2, 2).column) == (5, 1)
    page = html_with_tables([TITLE, "正文。", [["项目", "数量"], ["", ""], ["行政处罚", "5"]]], TITLE)
    [table] = sources.read_bytes(page, "r.html").tables       # a row of empty cells shows no line
    assert [row.line for row in table.rows] == [3, 3, 4]
    assert [(c.line, c.column) for c in table.rows[1].cells] == [(3, 0), (3, 0)]


def test_text_tables_need_two_rows_of_two_cells():
    """A line with a pipe or a tab is no table by itself; prose lines with a "|" in them
    (a breadcrumb) are not pipe rows; a GFM separator is no row."""
    assert parse("报告\n首页 | 政务公开 | 年度报告\n正文。\n").tables == []
    assert parse("报告\n| 只有一行 | 两格 |\n正文。\n").tables == []
    assert parse("报告\n| 一格 |\n| 一格 |\n").tables == []
    assert parse("报告\n\t缩进的段落。\n\t又一段。\n").tables == []
    [table] = parse("报告\n|项目|数量|\n|:--|--:|\n|规 章|１２|\n").tables
    assert table.height == 2 and table.find_row("规章") == 1 and table.value(1, 1) == 12
    assert (table.first_line, table.last_line) == (2, 4)


def test_labels_match_without_their_item_numbers_punctuation():
    """1、 1. 1． （1） (1) number the same item; a figure stays a figure."""
    from checker.skeleton.tables import label_key

    assert {label_key(t) for t in ("1、属于国家秘密", "1.属于国家秘密", "1．属于国家秘密", "（1）属于国家秘密",
                                   "(1)属于国家秘密", "1 、属于国家秘密")} == {"1.属于国家秘密"}
    keys = [label_key(t) for t in ("（一）予以公开", "12", "１.５", "2023年")]
    assert keys == ["（一）予以公开", "12", "1.5", "2023年"]


def test_a_path_finds_its_levels_on_rows_of_their_own():
    """Text tables write a label's levels on rows of their own: a path matches the outer
    label's row, then the first row below it holding the inner one (not one above it)."""
    text = ("报告\n| 项目 | 数量 |\n| 3.其他 | 9 |\n| 三、本年度办理结果 | |\n| （一）予以公开 | 1 |\n"
            "| （六）其他处理 | |\n| 1.申请人逾期不补正 | 0 |\n| 3.其他 | 2 |\n| （七）总计 | 3 |\n")
    [table] = parse(text).tables
    assert table.find_row(["三、本年度办理结果", "（七）总计"]) == 7
    assert table.find_row(["（六）其他处理", "3.其他"]) == 6
    assert table.find_row("3.其他") == 1
    assert table.find_row(["（六）其他处理", "2.重复申请"]) is None
    assert table.find_row(["（五）不予处理", "3.其他"]) is None


def test_numbers():
    assert [number(t) for t in ("12", "１２", " 1,234 ", "/", "", "—", "0.5", "3件", "约5")] == [
        12, 12, 1234, 0, 0, 0, Decimal("0.5"), None, None]


def _tc(text="", props=""):
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_docx_grid_before_and_broken_merges_do_not_crash():
    """w:vMerge continues the cell above; w:gridBefore shifts a row (a ragged row); a
    continuation with nothing above reads as an empty cell of its own."""
    rows = ("<w:tr>" + _tc("甲") + _tc("乙") + _tc("丙") + "</w:tr>"
            + "<w:tr>" + _tc("", "<w:vMerge/>") + _tc("丁") + _tc("戊") + "</w:tr>"
            + "<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>" + _tc("己", "<w:gridSpan w:val='2'/>") + "</w:tr>"
            + "<w:tr>" + _tc("", "<w:vMerge w:val='continue'/>") + _tc("庚") + _tc("辛") + "</w:tr>")
    source = sources.read_bytes(package("<w:p><w:r><w:t>报告</w:t></w:r></w:p><w:tbl>" + rows + "</w:tbl>"),
                                "r.docx")
    assert source.text == "报告\n甲\t乙\t丙\n\t丁\t戊\n己\n\t庚\t辛"
    [table] = source.tables
    assert [(c.text, c.row, c.col, c.row_span, c.col_span, c.line, c.column) for c in table.cells()] == [
        ("甲", 0, 0, 2, 1, 2, 1), ("乙", 0, 1, 1, 1, 2, 3), ("丙", 0, 2, 1, 1, 2, 5), ("丁", 1, 1, 1, 1, 3, 2),
        ("戊", 1, 2, 1, 1, 3, 4), ("己", 2, 1, 1, 2, 4, 1), ("", 3, 0, 1, 1, 5, 1), ("庚", 3, 1, 1, 1, 5, 2),
        ("辛", 3, 2, 1, 1, 5, 4)]
    assert table.ragged == [2]


def test_docx_tables_past_the_budgets_keep_their_lines():
    """An absurd w:gridSpan is capped at 1000 columns; a table whose cells pass the cell
    budget, or whose grid passes the grid budget, is left out of the model and the source
    says so; its lines are read as always."""
    wide = "<w:tr>" + _tc("宽", "<w:gridSpan w:val='99999999'/>") + "</w:tr>"
    source = sources.read_bytes(package("<w:tbl>" + wide * 3 + "</w:tbl>"), "r.docx")
    assert source.text == "宽\n宽\n宽" and source.tables[0].width == 1000 and not source.tables.incomplete
    many = "<w:tbl>" + ("<w:tr>" + _tc("多", "<w:gridSpan w:val='1000'/>") + "</w:tr>") * 500 + "</w:tbl>"
    source = sources.read_bytes(package(many + "<w:tbl>" + ("<w:tr>" + _tc("甲") + _tc("乙") + "</w:tr>") * 2
                                        + "</w:tbl>"), "r.docx")
    assert source.text.split("\n")[:500] == ["多"] * 500
    assert 500 * 1001 > MAX_TABLE_CELLS and source.tables == [] and source.tables.incomplete
    assert source.note.endswith("（表格过大，部分表格的结构未读取）")
    head = "<w:tr>" + _tc("宽", "<w:gridSpan w:val='1000'/>") * 5 + "</w:tr>"
    grid = "<w:tbl>" + head + ("<w:tr>" + _tc("高") + "</w:tr>") * 3000 + "</w:tbl>"
    small = "<w:tbl>" + ("<w:tr>" + _tc("甲") + _tc("乙") + "</w:tr>") * 2 + "</w:tbl>"
    source = sources.read_bytes(package(grid + small), "r.docx")
    assert 5000 * 3001 > MAX_GRID and source.tables.incomplete
    assert [(t.number, t.height, t.width) for t in source.tables] == [(2, 2, 2)]


def test_tables_past_the_cell_budget_are_left_out():
    rows = MAX_TABLE_CELLS // 3
    text = "报告\n" + "".join(f"| 行{i} | {i} |\n" for i in range(rows + 1)) + "正文。\n| 甲 | 乙 |\n| 1 | 2 |\n"
    report = parse(text)
    assert report.tables_incomplete
    assert [t.height for t in report.tables] == [2]       # the big one left out, the small one read
    assert len(report.lines) == rows + 6


# ------------------------------------------------------------------------------ outline

def test_outline_shows_the_tables(tmp_path):
    path = tmp_path / "r.docx"
    path.write_bytes(docx_with_tables(blocks(spec4=table_4())))
    text = fzlint("outline", "--format", "text", str(path)).stdout.splitlines()
    # lines: title, 正文, the heading, table 三 (4-14), the heading, table 四 (16-19)
    assert text[-3:] == ["表格：2 个", f"     4  表格1  11行×10列  {(CORNER + ' | 申请人情况')[:39]}…",
                         "    16  表格2  4行×15列  行政复议 | 行政诉讼"]
    data = json.loads(fzlint("outline", "--format", "json", str(path)).stdout)
    assert data["tables"][1] == {"number": 2, "line": 16, "end_line": 19, "rows": 4, "columns": 15,
                                 "first_row": "行政复议 | 行政诉讼", "section": HEAD_4}
    seed = json.loads(fzlint("outline", "--format", "json", str(SEEDS[0])).stdout)
    assert "tables" not in seed          # a report without tables: the outline as before
    numbered = fzlint("extract", "-n", str(path)).stdout.splitlines()
    assert numbered[3] == " 4 [表格1第1行]\t" + CORNER + "\t申请人情况"


# ------------------------------------------------------------------------------ check types

PACK = """\
pack: gkt
title: 政府信息公开工作年度报告
detect: [政府信息公开工作年度报告]
code_prefix: TB
rules:
  - id: TB201
    name: table-3-labels
    title: 表三的行列不全
    severity: error
    check: table_labels
    table: [收到和处理政府信息公开申请情况, 本列数据的勾稽关系]
    label: 收到和处理政府信息公开申请情况表
    rows:
      - 本年新收政府信息公开申请数量
      - 上年结转政府信息公开申请数量
      - (一)予以公开
      - [（三）不予公开, 1.属于国家秘密]
      - [（三）不予公开, 2.其他法律行政法规禁止公开]
      - （七）总计
      - 结转下年度继续办理
    columns: [自然人, 商 业 企 业, 科研机构, 社会公益组织, 法律服务机构, [法人或其他组织, 其他], 总计]
    citation: {practice: 国办公开办函〔2021〕30号的统一格式}
    message: "{table}：{problem}"
    rationale: 表三须按统一格式列出全部行和列。
    tests:
      - name: a row and a column missing
        filename: report.md
        input: |
          平安县交通运输局2023年政府信息公开工作年度报告
          三、收到和处理政府信息公开申请情况
          | 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |
          | 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 |
          | 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 |
        want: ["3:3 TB201"]
      - name: no table at all
        input: |
          平安县交通运输局2023年政府信息公开工作年度报告
          三、收到和处理政府信息公开申请情况
          本年度共收到申请12件。
        want: ["2:1 TB201"]
      - name: silent on another kind of report
        input: |
          平安县交通运输局2023年度法治政府建设情况报告
          一、主要举措和成效
        want: []
  - id: TB205
    name: table-3-balance
    title: 表三的勾稽关系不成立
    severity: error
    check: table_sum
    table: [本列数据的勾稽关系]
    label: 收到和处理政府信息公开申请情况表
    of: rows
    sum:
      - {label: 本年新收政府信息公开申请数量, name: 一}
      - {label: 上年结转政府信息公开申请数量, name: 二}
    equals:
      - {label: [三、本年度办理结果, （七）总计], name: （七）总计}
      - {label: 结转下年度继续办理, name: 四}
    citation: {practice: 表三的勾稽关系（第一项加第二项之和，等于第三项加第四项之和）}
    message: "{table}的勾稽关系不成立：{detail}"
    rationale: 表三每列须满足“第一项加第二项之和，等于第三项加第四项之和”。
    tests:
      - name: one column off
        filename: report.md
        input: |
          平安县交通运输局2023年政府信息公开工作年度报告
          | 本列数据的勾稽关系 | 自然人 | 总计 |
          | 一、本年新收政府信息公开申请数量 | 3 | 3 |
          | 二、上年结转政府信息公开申请数量 | 1 | 1 |
          | 三、本年度办理结果 （七）总计 | 2 | 3 |
          | 四、结转下年度继续办理 | 1 | 1 |
        want: ["5:21 TB205"]
      - name: adds up
        filename: report.md
        input: |
          平安县交通运输局2023年政府信息公开工作年度报告
          | 本列数据的勾稽关系 | 自然人 |
          | 一、本年新收政府信息公开申请数量 | 3 |
          | 二、上年结转政府信息公开申请数量 | / |
          | 三、本年度办理结果 （七）总计 | 2 |
          | 四、结转下年度继续办理 | １ |
        want: []
  - id: TB206
    name: table-3-total-column
    title: 表三的总计列不等于各列之和
    severity: error
    check: table_sum
    table: [本列数据的勾稽关系]
    label: 收到和处理政府信息公开申请情况表
    of: columns
    sum: [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他]
    equals: [总计]
    citation: {practice: 表格算术}
    message: "{table}（{cell}）：{detail}"
    rationale: 总计列须等于各申请人列之和。
    tests:
      - name: a row off
        filename: report.md
        input: |
          平安县交通运输局2023年政府信息公开工作年度报告
          | 本列数据的勾稽关系 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
          | 一、本年新收政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 5 |
        want: ["3:46 TB206"]
      - name: adds up
        filename: report.md
        input: |
          平安县交通运输局2023年政府信息公开工作年度报告
          | 本列数据的勾稽关系 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
          | 一、本年新收政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |
        want: []
  - id: TB207
    name: table-4-totals
    title: 表四的总计不等于各项之和
    severity: error
    check: table_sum
    table: [行政复议]
    label: 行政复议、行政诉讼情况表
    of: columns
    groups: [行政复议, 未经复议直接起诉, 复议后起诉]
    sum: [结果维持, 结果纠正, 其他结果, 尚未审结]
    equals: [总计]
    citation: {practice: 表格算术}
    message: "{table}：{detail}"
    rationale: 各组的总计须等于结果维持、结果纠正、其他结果、尚未审结之和。
    tests:
      - name: the direct suits' total off
        filename: report.txt
        input: "平安县交通运输局2023年政府信息公开工作年度报告\\n行政复议\\t\\t\\t\\t\\t行政诉讼\\n\
          结果维持\\t结果纠正\\t其他结果\\t尚未审结\\t总计\\t未经复议直接起诉\\n\\t\\t\\t\\t\\t\
          结果维持\\t结果纠正\\t其他结果\\t尚未审结\\t总计\\n1\\t0\\t0\\t0\\t1\\t0\\t1\\t0\\t1\\t3\\n"
        want: ["5:19 TB207"]
      - name: adds up
        filename: report.txt
        input: "平安县交通运输局2023年政府信息公开工作年度报告\\n行政复议\\t\\t\\t\\t\\t行政诉讼\\n\
          结果维持\\t结果纠正\\t其他结果\\t尚未审结\\t总计\\t未经复议直接起诉\\n\\t\\t\\t\\t\\t\
          结果维持\\t结果纠正\\t其他结果\\t尚未审结\\t总计\\n1\\t0\\t0\\t0\\t1\\t0\\t1\\t0\\t1\\t2\\n"
        want: []
"""


@pytest.fixture(scope="module")
def gk_registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("packs")
    (folder / "gkt.yaml").write_text(PACK, encoding="utf-8")
    return load_registry([folder])


def test_the_scratch_packs_examples_pass(gk_registry, tmp_path):
    from checker import packtest

    pack = next(p for p in gk_registry.packs if p.name == "gkt")
    outcomes = []
    for i, example in enumerate(packtest.examples([pack])):
        (tmp_path / str(i)).mkdir()
        outcomes.append(packtest.run_example(example, gk_registry, tmp_path / str(i)))
    assert len(outcomes) == 9
    assert [(o.example.name, o.found, o.problem) for o in outcomes if not o.passed] == []


def check(registry, items: list, fmt: str, code: str | None = None) -> list[str]:
    result = lint_bytes(_bytes(items, fmt), f"report.{fmt}", registry, frozenset({code}) if code else None)
    return [f"{d.span.line}:{d.span.column} {d.code} {d.message}" + (f" [{d.where}]" if d.where else "")
            for d in result.diagnostics if d.code.startswith("TB")]


def _bytes(items: list, fmt: str) -> bytes:
    return {"md": lambda: as_text(items).encode(), "txt": lambda: as_text(items, tab_rows).encode(),
            "docx": lambda: docx_with_tables(items), "html": lambda: html_with_tables(items, TITLE)}[fmt]()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_complete_report_gets_no_table_finding(gk_registry, fmt):
    assert check(gk_registry, blocks(spec4=table_4()), fmt) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_wrong_cell_gets_exactly_the_findings_that_name_it(gk_registry, fmt):
    """四、结转下年度 of 自然人 one too many (3 for 2): that column's 勾稽 fails (pointed at its
    （七）总计, the first figure of the side it compares with), and the row's 总计 no longer
    adds up (at that 总计); each finding names its cell and gives the numbers."""
    wrong = table_3()
    wrong[10][1] = "3"
    found = check(gk_registry, blocks(wrong, table_4()), fmt)
    source, report = model(blocks(wrong, table_4()), fmt)
    table = report.tables[0]
    done, total = table.at(9, 3), table.at(10, 9)      # （七）总计 of 自然人; 四's 总计
    assert (done.text, total.text) == ("9", "3")

    def where(cell):
        return f" [{source.place(cell.line)}]" if source.places else ""
    assert found == [
        f"{done.line}:{done.column} TB205 收到和处理政府信息公开申请情况表的勾稽关系不成立："
        f"自然人列：一+二=11，（七）总计+四=12，相差1{where(done)}",
        f"{total.line}:{total.column} TB206 收到和处理政府信息公开申请情况表（表格1第11行第10列）："
        f"四、结转下年度继续办理行：自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他=4，总计=3，相差1{where(total)}"]
    if fmt == "docx":
        assert where(done) == " [表格1第10行]" and where(total) == " [表格1第11行]"


def test_table_4_groups_and_missing_labels(gk_registry):
    items = blocks(table_3(), table_4(after=(1, 0, 0, 0, 0)))
    found = check(gk_registry, items, "docx")
    cell = model(items, "docx")[1].tables[1].at(3, 14)
    assert found == [f"{cell.line}:{cell.column} TB207 行政复议、行政诉讼情况表：复议后起诉："
                     "结果维持+结果纠正+其他结果+尚未审结=1，总计=0，相差1 [表格2第4行]"]
    spec = table_3()
    spec[1][1] = ("法 人 或 其 他 组 织", 5, 1)                       # spaces inside a label are fine
    spec[5][1] = ("(一)予以公开", 2, 1)                                # so are half-width brackets
    del spec[8]                                                        # 2.其他法律行政法规禁止公开
    spec[7][0] = ("（三）不予公开", 1, 1)
    spec[5][0] = ("三、本年度办理结果", 1, 4)
    spec[2][4] = "其余"                                                 # 其他 -> 其余
    source, report = model(blocks(spec), "html")
    table = report.tables[0]
    assert check(gk_registry, blocks(spec), "html", "TB201") == [
        f"{table.first_line}:1 TB201 收到和处理政府信息公开申请情况表：表格1缺少"
        "行“（三）不予公开”中的“2.其他法律行政法规禁止公开”，"
        f"列“法人或其他组织”中的“其他” [{source.place(table.first_line)}]"]


def test_an_absent_table_is_a_finding_not_a_crash(gk_registry):
    items = [TITLE, "正文。", HEAD_3, "该部分以表格形式报告。", "五、存在的主要问题及改进情况", "无。"]
    for fmt in FORMATS:
        found = check(gk_registry, items, fmt, "TB201")
        assert [f.split(" [")[0] for f in found] == [
            "3:1 TB201 收到和处理政府信息公开申请情况表：未找到该表格（表格可能以图片形式插入，或在转换中丢失）"], fmt
    assert check(gk_registry, items, "md", "TB205") == []      # table_sum: nothing to add up


def test_table_checks_on_a_text_without_tables_and_on_the_seeds(gk_registry):
    """The 法治 seeds are another kind: the table rules never run on them."""
    for seed in SEEDS:
        result = lint_text(seed.read_text(encoding="utf-8"), seed.name, gk_registry)
        assert not any(d.code.startswith("TB") for d in result.diagnostics)


@pytest.mark.parametrize("rule, problem", [
    ("check: table_labels\n    table: [表三]\n    label: 表三", "table_labels 需要 rows、columns、cells 或 forbidden"),
    ("check: table_labels\n    table: [表三]\n    label: 表三\n    cells: [甲]\n    past_kinds: [乙]",
     "past_kinds“乙”是部分类型，但规则包没有定义 section_kinds"),
    ("check: table_sum\n    table: [表三]\n    label: 表三\n    of: columns\n    sum: [甲]\n    equals: [丙]\n"
     "    subrows: true", "subrows 只用于 of: rows"),
    ("check: table_present\n    tables: [[表三]]", "tables 的每项应为 {kind: 部分类型"),
    ("check: table_present\n    tables: [{kind: 甲, table: [表三], label: 表三}]",
     "kind“甲”是部分类型，但规则包没有定义 section_kinds"),
    ("check: table_present\n    tables: [{kind: 甲, table: 表三, label: 表三}]", "tables 的 table 应为字符串列表"),
    ("check: table_labels\n    table: [表三]\n    label: 表三\n    rows: [[]]", "rows 的每项应为非空的标签"),
    ("check: table_labels\n    table: [\" \"]\n    label: 表三\n    cells: [甲]", "table 的每项应为非空的字词"),
    ("check: table_sum\n    table: [表三]\n    label: 表三\n    of: rows\n    sum: [{label: 甲, nick: 乙}]\n"
     "    equals: [丙]", "sum 的映射项应为 {label: 标签或标签列表, name: 简称}"),
    ("check: table_sum\n    table: [表三]\n    label: 表三\n    of: diagonal\n    sum: [甲]\n    equals: [丙]",
     "选项“of”的值 'diagonal' 无效"),
])
def test_bad_table_options_name_the_line(tmp_path, rule, problem):
    pack = textwrap.dedent("""\
        pack: bad
        title: 测试
        applies_to: all
        code_prefix: TB
        rules:
          - id: TB901
            name: bad-rule
            title: 测试
            severity: error
            RULE
            citation: {practice: 测试}
            message: "{table}"
            rationale: 测试。
            tests:
              - {name: a, input: 甲, want: ["1:1 TB901"]}
              - {name: b, input: 乙, want: []}
        """).replace("RULE", rule)
    (tmp_path / "bad.yaml").write_text(pack, encoding="utf-8")
    with pytest.raises(PackError) as exc:
        load_registry([tmp_path])
    assert problem in str(exc.value)


# ------------------------------------------------------------------------------ table rows in the skeleton

def test_the_rows_of_a_table_are_never_headings():
    """Row labels that start like headings (三、本年度办理结果, （七）总计, 1.属于国家秘密) in
    tab rows were headings of the skeleton, out of order (FZ403) and empty (FZ406): they are
    the table's lines, body text."""
    heads = ["一、总体情况", "二、主动公开政府信息情况", HEAD_3, HEAD_4]
    text = as_text([TITLE, heads[0], "全年公开信息156条。", heads[1], "全年主动公开政府信息156条。", HEAD_3, table_3(),
                    HEAD_4, "本年度未发生行政复议、行政诉讼。"], tab_rows)
    report = parse(text)
    assert [s.heading.label for s in report.walk()] == heads
    result = lint_text(text, "report.txt", load_registry([]))
    assert [d.code for d in result.diagnostics if d.code.startswith("FZ4")] == []


def test_a_table_without_figures_keeps_its_lines_kinds():
    """A borderless Word table holding the signature and the date is page layout: its lines
    keep their kinds (the date closes the report)."""
    data = docx_with_tables([TITLE, HEAD_3, "本年度未收到申请。", [["平安县交通运输局"], ["2024年1月20日"]]])
    source = sources.read_bytes(data, "r.docx")
    report = parse(source.text, tables=source.tables)
    assert len(report.tables) == 1 and not report.tables[0].holds_figures()
    assert report.closing is not None and report.closing.date == "2024-01-20"


# ------------------------------------------------------------------------------ rows lined up with spaces

def test_rows_lined_up_with_spaces_are_a_table():
    """Cells apart by two spaces or more, lined up in display columns (a full-width character
    is two): labels keep their single spaces ("规 章"), a header over two columns covers them,
    each cell points at its text."""
    text = ("报告\n正文。\n"
            "信息内容        本年制发件数  现行有效件数\n"
            "规 章           0             ３\n"
            "行政规范性文件  2             9\n"
            "以上为本年度情况。\n")
    [table] = parse(text).tables
    assert (table.shape, table.first_line, table.last_line, table.height, table.width) == ("space", 3, 5, 3, 3)
    assert table.find_row("规章") == 1 and table.value(1, table.find_column("现行有效件数")) == 3
    lines = text.split("\n")
    for cell in table.cells():
        assert lines[cell.line - 1][cell.column - 1:].startswith(cell.text), cell
    spec = [[("项目", 1, 2), ("数量", 2, 1)], ["本年", "上年"], ["行政 许可", "3", "2"], ["行政处罚", "/", "5"]]
    [table] = parse("报告\n" + "\n".join(spaced_rows(spec)) + "\n").tables
    assert table.find_column(["数量", "上年"]) == 2 and table.value(table.find_row("行政许可"), 2) == 2
    assert table.value(table.find_row("行政处罚"), table.find_column(["数量", "本年"])) == 0


@pytest.mark.parametrize("text", [
    "报告\n联系人：张三    电话：0000-1234567\n地址：平安县    邮编：100000\n",          # one figure
    "报告\n一、  总体情况\n二、  主动公开政府信息情况\n",                                 # no figure
    "报告\n全年共办理  12  件，\n其中予以公开\n3  件。\n",                                # not lined up in columns
])
def test_prose_with_runs_of_spaces_is_no_table(text):
    assert parse(text).tables == []


# ------------------------------------------------------------------------------ one cell a line

def test_one_cell_a_line_under_a_known_header():
    """A web page's table copied as text, a cell a line, "/" for none: read under the
    format's header (table 二's blocks, each after its title, are one table)."""
    text = "\n".join(["报告", "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "本年制发件数",
                      "本年废止件数", "现行有效件数", "规 章", "/", "/", "/", "行政规范性文件", "2", "1", "9",
                      "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "3",
                      HEAD_3, "本年度未收到申请。"]) + "\n"
    report = parse(text)
    [table] = report.tables
    assert (table.shape, table.first_line, table.last_line, table.height, table.width) == ("lines", 3, 20, 7, 4)
    assert table.value(table.find_row("规章"), table.find_column("现行有效件数")) == 0
    assert table.value(table.find_row("行政规范性文件"), table.find_column("本年废止件数")) == 1
    assert table.value(table.find_row("行政许可"), 1) == 3
    assert [s.heading.label for s in report.walk()] == ["二、主动公开政府信息情况", HEAD_3]


def test_one_cell_a_line_needs_a_header_a_pack_declares():
    """The headers come from the rule packs (rules/gk.yaml `text_tables`), not from the
    skeleton: parsed without them, the same lines are no table."""
    text = "\n".join(["报告", "信息内容", "本年处理决定数量", "行政许可", "3"]) + "\n"
    assert parse_bare(text).tables == []
    [table] = parse(text).tables
    assert table.value(table.find_row("行政许可"), 1) == 3


_OWN_LAYOUT = """\
pack: stats
title: 统计年报
detect: [统计年报]
code_prefix: ST
text_tables:
  - figures: 2
    header:
      - {text: 指标名称}
      - {text: 计量单位, within: true}
      - {text: 本年, column: 0}
      - {text: 上年, column: 1}
rules:
  - id: ST001
    name: placeholder-text
    title: 占位符
    severity: info
    check: forbidden_text
    any: [某某]
    citation: {practice: 测试}
    message: 占位符“{match}”
    rationale: 测试。
    tests:
      - {name: fires, input: 某某统计年报, want: ["1:1 ST001"]}
      - {name: silent, input: 统计年报, want: []}
"""


def test_a_second_kinds_pack_brings_its_own_one_cell_a_line_tables(tmp_path):
    """A report kind's tables are its pack's data: a pack declaring another header gets its
    tables read one cell a line (its optional corner cell left out or there), with no
    change to Python; the built-in packs' headers do not read them."""
    (tmp_path / "stats.yaml").write_text(_OWN_LAYOUT, encoding="utf-8")
    layouts = load_registry([tmp_path]).text_layouts
    for head in (["指标名称"], ["（计量单位：件）", "指标名称"]):
        text = "\n".join(["某县统计年报", *head, "本年", "上年", "受理数", "12", "9", "办结数", "10", "8"]) + "\n"
        [table] = parse_bare(text, layouts=layouts).tables
        assert table.shape == "lines" and table.width == 3
        assert table.value(table.find_row("办结数"), table.find_column("上年")) == 8
        assert table.value(table.find_row("受理数"), table.find_column("本年")) == 12
        assert parse(text).tables == []


@pytest.mark.parametrize("change, problem", [
    ("  - figures: 0", "figures（数字列数）应为正整数"),
    ("      - {text: 本年, column: 2}", "column + span 超出了 figures（2）列"),
    ("      - {text: 本年, column: 0, span: 0}", "span 应为正整数"),
    ("      - {text: \"  \", column: 0}", "text 不能只有空白"),
    ("      - {text: 本年, col: 0}", "未知的选项“col”"),
    ("      - 本年", "header 的每项应为映射"),
])
def test_bad_text_tables_name_the_line(tmp_path, change, problem):
    target = "  - figures: 2" if "figures" in change else "      - {text: 本年, column: 0}"
    pack = _OWN_LAYOUT.replace(target, change)
    assert pack != _OWN_LAYOUT
    (tmp_path / "stats.yaml").write_text(pack, encoding="utf-8")
    with pytest.raises(PackError) as exc:
        load_registry([tmp_path])
    line = pack.splitlines().index(change) + 1
    assert problem in str(exc.value) and f":{line}:" in str(exc.value), str(exc.value)


def test_a_header_of_only_optional_cells_is_refused(tmp_path):
    pack = _OWN_LAYOUT.replace("{text: 指标名称}", "{text: 指标名称, within: true}") \
        .replace("{text: 本年, column: 0}", "{text: 本年, column: 0, within: true}") \
        .replace("{text: 上年, column: 1}", "{text: 上年, column: 1, within: true}")
    (tmp_path / "stats.yaml").write_text(pack, encoding="utf-8")
    with pytest.raises(PackError, match="至少要有一个不带 within 的单元格"):
        load_registry([tmp_path])


@pytest.mark.parametrize("text", [
    "报告\n第一段。\n3\n第二段。\n4\n第三段。\n",                                        # page numbers
    "报告\n信息内容\n本年制发件数\n规章\n1\n",                                            # not the whole header
    "报告\n信息内容\n本年处理决定数量\n行政许可\n3\n4\n",                                 # a figure too many
])
def test_lines_of_one_cell_without_a_known_header_are_no_table(text):
    assert parse(text).tables == []


def test_the_seeds_hold_no_table():
    for seed in SEEDS:
        assert parse(seed.read_text(encoding="utf-8")).tables == [], seed.name


_TOKENS = ["12", "0", "/", "３", "规 章", "信息内容", "本年制发件数", "三、本年度办理结果", "（七）总计", "甲乙丙",
           "行政复议", ""]
_SEPARATORS = [" ", "  ", "    ", "\t", "\u3000\u3000", " | "]


@given(st.lists(st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from(_SEPARATORS)), max_size=8), max_size=30))
@settings(max_examples=300, deadline=None)
def test_text_tables_of_any_text_point_at_their_cells(rows):
    """Whatever lines of figures, labels and gaps a text holds, finding its tables never
    fails, and each cell found (in a row of spaces or one cell a line) begins at its text."""
    text = "报告\n" + "\n".join("".join(token + sep for token, sep in row) for row in rows) + "\n"
    report = parse(text)
    lines = text.split("\n")
    for table in report.tables:
        for cell in table.cells():
            if table.shape in ("space", "lines") and cell.text:
                assert lines[cell.line - 1][cell.column - 1:].startswith(cell.text.split("\n")[0]), (cell, table)


class _Piece:
    """A line of positioned text as the PDF reader gives it (checker/skeleton/layout.py)."""

    def __init__(self, page, y, chunks):
        self.page, self.y, self.size, self.turn = page, y, 9.0, 0
        self.chunks = tuple(chunks) if len(chunks) > 1 else None
        self.text = "\t".join(c[0] for c in chunks)
        self.x0, self.x1 = chunks[0][1], max(c[2] for c in chunks)


@given(st.lists(st.tuples(st.integers(1, 2), st.integers(0, 60),
                          st.lists(st.tuples(st.sampled_from(_TOKENS[:-1]), st.integers(0, 40), st.integers(1, 8)),
                                   min_size=1, max_size=10)), max_size=40), st.booleans())
@settings(max_examples=300, deadline=None)
def test_positioned_text_of_any_shape_gives_well_formed_tables(lines, centred):
    """Pieces anywhere (overlapping, out of order, over two pages): the finder never fails,
    and each table's cells lie inside its grid and on its lines."""
    from checker.skeleton import layout

    pieces = []
    for page, row, chunks in sorted(lines, key=lambda x: (x[0], x[1])):
        placed = sorted(((text, 10.0 * x, 10.0 * x + 9.0 * w, 800 - 11.7 * row) for text, x, w in chunks),
                        key=lambda c: c[1])
        pieces.append(_Piece(page, 800 - 11.7 * row, placed))
    found, _ = layout.find_tables(pieces, centred=centred)
    for table in found:
        assert table.lines == sorted(table.lines) and len(table.texts) == len(table.lines)
        for text, row, col, rows, cols, line, offset in table.cells:
            assert 0 <= row and row + rows <= table.height and 0 <= col and col + cols <= table.width
            assert table.texts[line][offset:].startswith(text.split("\n")[0])


def test_a_pipe_row_after_an_invisible_character_is_a_row():
    """Hypothesis found it: a soft hyphen (or zero-width space) pasted before a "|" row, or after
    its closing pipe, hid the row from the table (table 四 lost its column labels: FZG212)."""
    from checker.skeleton.tables import find_text_tables

    plain = ["| 甲 | 乙 |", "| 1 | 2 |", "| 3 | 4 |"]
    hidden = ["| 甲 | 乙 |", "\xad| 1 | 2 |", "| 3 | 4 |\u200b"]
    [a], [b] = find_text_tables(plain), find_text_tables(hidden)
    assert [[c.text for c in r.cells] for r in a.rows] == [[c.text for c in r.cells] for r in b.rows]


def test_cells_rows_and_tables_are_values_as_dataclasses_made_them():
    """Cell, Row and Table are written out (no @dataclass at import): made by position or
    name with the same defaults, shown and compared by the same fields, unhashable."""
    from checker.skeleton.tables import Cell, Row, Table

    cell = Cell("合计", 2, 1, col_span=2, line=5, column=3)
    assert (cell.row_span, cell.col_span, cell.line, cell.column) == (1, 2, 5, 3)
    assert repr(cell) == "Cell(text='合计', row=2, col=1, row_span=1, col_span=2, line=5, column=3)"
    assert cell.key == "合计" and cell == Cell("合计", 2, 1, 1, 2, 5, 3) and cell != Cell("合计", 2, 2, 1, 2, 5, 3)
    row = Row(2, [cell])
    table = Table(1, [row], 3, "tab", first_line=5, last_line=5)
    assert table.ragged == [] and table.ragged is not Table(1, [], 3, "tab").ragged and table.caption == ""
    assert repr(table) == ("Table(number=1, rows=[Row(index=2, cells=[" + repr(cell) + "], line=0)], width=3, "
                           "shape='tab', first_line=5, last_line=5, ragged=[], caption='')")
    table.grid()                                      # a lookup's cache: not compared
    assert table == Table(1, [Row(2, [Cell("合计", 2, 1, 1, 2, 5, 3)])], 3, "tab", 5, 5)
    assert cell != ("合计", 2, 1) and not hasattr(cell, "__dict__")
    with pytest.raises(TypeError):
        hash(cell)
