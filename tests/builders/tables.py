"""Tables for test documents, written once and rendered in every format.

A table is given as HTML writes it: a list of rows, each a list of cells that start in that
row; a cell is its text, or (text, col_span, row_span). :func:`place` puts the cells on a grid
by the HTML table algorithm; :func:`pipe_rows` writes the grid as Markdown pipe rows (merged
positions as empty cells), :func:`tab_rows` as tab-separated rows, :func:`html_table` as a
``<table>``; builders/docx.py renders it as a Word table with merged cells.

``TABLE_3`` is table 三 of the 政府信息公开 format (国办公开办函〔2021〕30号), shortened, with
figures that add up (each column: 一 + 二 = （七）总计 + 四; 总计 = the six applicant columns).
"""

from __future__ import annotations

import html

Spec = list[list]   # rows of cells: "text" or (text, col_span, row_span)


def cell_parts(cell) -> tuple[str, int, int]:
    if isinstance(cell, str):
        return cell, 1, 1
    text, col_span, row_span = (*cell, 1, 1)[:3]
    return text, col_span, row_span


def place(spec: Spec) -> tuple[list[list[str | None]], list[tuple[int, int, int, int]]]:
    """(grid of texts, None where a merged cell covers; merges as (top, left, bottom, right))."""
    taken: dict[tuple[int, int], bool] = {}
    cells = []
    for r, row in enumerate(spec):
        c = 0
        for cell in row:
            while taken.get((r, c)):
                c += 1
            text, cs, rs = cell_parts(cell)
            cells.append((r, c, rs, cs, text))
            for dr in range(rs):
                for dc in range(cs):
                    taken[(r + dr, c + dc)] = True
            c += cs
    height = len(spec)
    width = max(c + cs for _, c, _, cs, _ in cells)
    grid: list[list[str | None]] = [[""] * width for _ in range(height)]
    merges = []
    for r, c, rs, cs, text in cells:
        for dr in range(rs):
            for dc in range(cs):
                grid[r + dr][c + dc] = None
        grid[r][c] = text
        if rs > 1 or cs > 1:
            merges.append((r, c, r + rs - 1, c + cs - 1))
    return grid, merges


def pipe_rows(spec: Spec, separator: bool = True) -> list[str]:
    grid, _ = place(spec)
    rows = ["| " + " | ".join(t or "" for t in line) + " |" for line in grid]
    if separator:
        rows.insert(1, "|" + "---|" * len(grid[0]))
    return rows


def tab_rows(spec: Spec) -> list[str]:
    grid, _ = place(spec)
    return ["\t".join(t or "" for t in line) for line in grid]


def html_table(spec: Spec) -> str:
    out = ["<table border='1'>"]
    for row in spec:
        cells = []
        for cell in row:
            text, cs, rs = cell_parts(cell)
            attrs = (f" colspan='{cs}'" if cs > 1 else "") + (f" rowspan='{rs}'" if rs > 1 else "")
            cells.append(f"<td{attrs}>{html.escape(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def _figures(values: list[int | str]) -> list[str]:
    numbers = [v for v in values if isinstance(v, int)]
    return [str(v) for v in values] + [str(sum(numbers))]


NEW = [10, 2, 0, 0, 1, 0]
CARRIED = [1, 0, 0, 0, 0, 0]
OPENED = [6, 1, 0, 0, 1, 0]
PARTLY = [2, 0, 0, 0, 0, 0]
SECRET = [1, 0, 0, 0, 0, 0]
OTHER_LAW = [0, 0, 0, 0, 0, 0]
DONE = [a + b + c + d for a, b, c, d in zip(OPENED, PARTLY, SECRET, OTHER_LAW)]
NEXT = [n + c - d for n, c, d in zip(NEW, CARRIED, DONE)]


def table_3(new=NEW, carried=CARRIED, done=DONE, next_year=NEXT, placeholders: bool = True) -> Spec:
    """Table 三 (shortened: two of （三）'s eight rows, no （四）–（六）); with ``placeholders``
    some zeros are written "/" and one figure in full-width digits."""
    def row(values):
        cells = _figures(values)
        if placeholders:
            cells = ["/" if v == "0" and i in (2, 3) else v for i, v in enumerate(cells)]
        return cells

    first = row(new)
    if placeholders:
        first[0] = first[0].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return [
        [(CORNER, 3, 3), ("申请人情况", 7, 1)],
        [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        [("一、本年新收政府信息公开申请数量", 3, 1), *first],
        [("二、上年结转政府信息公开申请数量", 3, 1), *row(carried)],
        [("三、本年度办理结果", 1, 5), ("（一）予以公开", 2, 1), *row(OPENED)],
        [("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2, 1), *row(PARTLY)],
        [("（三）不予公开", 1, 2), "1.属于国家秘密", *row(SECRET)],
        ["2.其他法律行政法规禁止公开", *row(OTHER_LAW)],
        [("（七）总计", 2, 1), *row(done)],
        [("四、结转下年度继续办理", 3, 1), *row(next_year)],
    ]


TABLE_3 = table_3()

# Table 四: one row of 15 figures under a three-row header.
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def table_4(review=(1, 0, 0, 0, 1), direct=(0, 1, 0, 1, 2), after=(0, 0, 0, 0, 0)) -> Spec:
    return [
        [("行政复议", 5, 1), ("行政诉讼", 10, 1)],
        [*((r, 1, 2) for r in RESULTS), ("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)],
        [*RESULTS, *RESULTS],
        [str(v) for v in (*review, *direct, *after)],
    ]
