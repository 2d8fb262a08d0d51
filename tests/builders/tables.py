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


# The full tables of the 2021 format, laid out as its Word template merges them: table 二's
# four blocks (a caption row across the table, a header row, the rows), table 三 with every
# row (the parents （三）–（六） merged down beside their numbered items, no row of their own).
TABLE_2 = [
    [("第二十条第（一）项", 4, 1)],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "0"],
    ["行政规范性文件", "2", "1", "9"],
    [("第二十条第（五）项", 4, 1)],
    ["信息内容", ("本年处理决定数量", 3, 1)],
    ["行政许可", ("0", 3, 1)],
    [("第二十条第（六）项", 4, 1)],
    ["信息内容", ("本年处理决定数量", 3, 1)],
    ["行政处罚", ("3", 3, 1)],
    ["行政强制", ("0", 3, 1)],
    [("第二十条第（八）项", 4, 1)],
    ["信息内容", ("本年收费金额（单位：万元）", 3, 1)],
    ["行政事业性收费", ("0", 3, 1)],
]

RESULT_ITEMS = {
    "（三）不予公开": ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                   "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"],
    "（四）无法提供": ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"],
    "（五）不予处理": ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                   "5.要求行政机关确认或重新出具已获取信息"],
    "（六）其他处理": ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                   "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"],
}
# figures per applicant column of the rows that hold any (the others are 0)
FULL_FIGURES = {
    "一、本年新收政府信息公开申请数量": [10, 2, 0, 0, 1, 0],
    "二、上年结转政府信息公开申请数量": [1, 0, 0, 0, 0, 0],
    "（一）予以公开": [6, 1, 0, 0, 1, 0],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": [2, 0, 0, 0, 0, 0],
    "1.属于国家秘密": [1, 0, 0, 0, 0, 0],
    "1.本机关不掌握相关政府信息": [1, 0, 0, 0, 0, 0],
    "2.重复申请": [0, 1, 0, 0, 0, 0],
}


def table_3_full(figures: dict | None = None, wrong: dict | None = None, items: dict | None = None) -> Spec:
    """Table 三 with every row of the format; ``figures``: the applicant figures of rows by
    their label (default :data:`FULL_FIGURES`), the 总计 column, （七）总计 and 四 computed so
    that it adds up; ``wrong``: {label: (column 0-6, text)} written over a cell afterwards;
    ``items``: the numbered items of the parents (default :data:`RESULT_ITEMS`)."""
    figures = dict(FULL_FIGURES if figures is None else figures)
    items_of = RESULT_ITEMS if items is None else items
    zero = [0] * 6

    def values(label):
        return figures.get(label, zero)

    leaves = ["（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
              *(item for rows in items_of.values() for item in rows)]
    done = [sum(values(label)[i] for label in leaves) for i in range(6)]
    new, carried = values("一、本年新收政府信息公开申请数量"), values("二、上年结转政府信息公开申请数量")
    figures["（七）总计"] = done
    figures["四、结转下年度继续办理"] = [n + c - d for n, c, d in zip(new, carried, done)]

    def row(label):
        cells = [str(v) for v in values(label)] + [str(sum(values(label)))]
        for col, text in [(wrong or {}).get(label, (None, None))]:
            if col is not None:
                cells[col] = text
        return cells

    results = 2 + sum(len(rows) for rows in items_of.values()) + 1
    spec: Spec = [
        [(CORNER, 3, 3), ("申请人情况", 7, 1)],
        [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        [("一、本年新收政府信息公开申请数量", 3, 1), *row("一、本年新收政府信息公开申请数量")],
        [("二、上年结转政府信息公开申请数量", 3, 1), *row("二、上年结转政府信息公开申请数量")],
        [("三、本年度办理结果", 1, results), ("（一）予以公开", 2, 1), *row("（一）予以公开")],
        [(leaves[1], 2, 1), *row(leaves[1])],
    ]
    for parent, rows in items_of.items():
        spec.append([(parent, 1, len(rows)), rows[0], *row(rows[0])])
        spec.extend([item, *row(item)] for item in rows[1:])
    spec.append([("（七）总计", 2, 1), *row("（七）总计")])
    spec.append([("四、结转下年度继续办理", 3, 1), *row("四、结转下年度继续办理")])
    return spec



# ---------------------------------------------------------------------------------------
# A whole report of the kind (tests/data/gk/*.txt, whose tables are "|" rows) as blocks for
# docx_with_tables, html_with_tables and pdf_with_tables: each table in the format's own
# layout, its merged cells merged, its figures those of the text.

BLOCK_2 = [("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
           ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
           ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
           ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"])]
WIDTH_2 = 4


def _pipe_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _figures_by_label(rows: list[str]) -> dict[str, list[str]]:
    """label -> figures of each pipe row whose last cells are figures (the first row of a label wins)."""
    out: dict[str, list[str]] = {}
    for line in rows:
        cells = _pipe_cells(line)
        figures = [c for c in cells[1:] if c]
        if cells[0] and figures and all(c.isdigit() or c == "/" for c in figures):
            out.setdefault(cells[0], figures)
    return out


def gk_table_2(rows: list[str]) -> Spec:
    figures = _figures_by_label(rows)
    spec: Spec = []
    for title, columns, labels in BLOCK_2:
        span = WIDTH_2 - len(columns)          # a block with one figure column spans it over three
        spec.append([(title, WIDTH_2, 1)])
        spec.append(["信息内容", *((c, span, 1) for c in columns)] if span > 1 else ["信息内容", *columns])
        for label in labels:
            values = figures[label]
            spec.append([label, *((v, span, 1) for v in values)] if span > 1 else [label, *values])
    return spec


SUBROWS_3 = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}


def gk_table_3(rows: list[str]) -> Spec:
    """Table 三 as the format lays it out: three label columns (三、本年度办理结果 spanning its
    rows, （三）–（六） spanning their numbered rows, without figures of their own: the text's
    subtotal rows are left out), a three-row header."""
    labels = [c[0] for c in map(_pipe_cells, rows)]
    figures = _figures_by_label(rows)
    start = labels.index("三、本年度办理结果") + 1
    end = labels.index("（七）总计")
    results = labels[start:end + 1]
    spec: Spec = [
        [(CORNER, 3, 3), ("申请人情况", 7, 1)],
        [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        [(labels[start - 3], 3, 1), *figures[labels[start - 3]]],
        [(labels[start - 2], 3, 1), *figures[labels[start - 2]]],
    ]
    body: Spec = []
    i = 0
    while i < len(results):
        label = results[i]
        subs = SUBROWS_3.get(label)
        if subs:
            subrows = results[i + 1:i + 1 + subs]        # the format gives （三）–（六） no figures of their own
            body.append([(label, 1, subs), subrows[0], *figures[subrows[0]]])
            body.extend([sub, *figures[sub]] for sub in subrows[1:])
            i += subs + 1
        else:
            body.append([(label, 2, 1), *figures[label]])
            i += 1
    body[0].insert(0, ("三、本年度办理结果", 1, len(body)))
    spec += body
    last = labels[end + 1]
    spec.append([(last, 3, 1), *figures[last]])
    return spec


def gk_table_4(rows: list[str]) -> Spec:
    values = next(c for c in map(_pipe_cells, rows) if all(v.isdigit() for v in c))
    return [
        [("行政复议", 5, 1), ("行政诉讼", 10, 1)],
        [*((r, 1, 2) for r in RESULTS), ("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)],
        [*RESULTS, *RESULTS],
        values,
    ]


def gk_blocks(text: str) -> list:
    """The report ``text`` as blocks: each non-blank line a paragraph (str), each run of "|"
    rows the table it is (二, 三 or 四 by its first row) in the format's layout."""
    out: list = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line.startswith("|"):
            if line:
                out.append(line)
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].strip().startswith("|"):
            j += 1
        rows = [r.strip() for r in lines[i:j]]
        out.append(gk_table_2(rows) if "第二十条" in rows[0] else gk_table_4(rows) if "行政复议" in rows[0]
                   else gk_table_3(rows))
        i = j
    return out


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def spaced_rows(spec: Spec, gap: int = 2) -> list[str]:
    """The table as text copied from a page: each cell's text at its column's start, in
    display columns (a full-width character is two), columns ``gap`` spaces or more apart,
    merged cells' text at their first column (a column widened where a merged cell's text
    would reach into the next cell), merged positions blank."""
    grid, merges = place(spec)
    spans = {(top, left): right - left + 1 for top, left, _, right in merges}
    width = len(grid[0])
    widths = [0] * width
    for r, line in enumerate(grid):
        for c, text in enumerate(line):
            if text and spans.get((r, c), 1) == 1:
                widths[c] = max(widths[c], _width(text))
    for (r, c), span in sorted(spans.items(), key=lambda item: item[1]):
        text = grid[r][c] or ""
        room = sum(widths[c:c + span]) + gap * (span - 1)
        if _width(text) > room:
            widths[c + span - 1] += _width(text) - room
    starts = [sum(widths[:c]) + gap * c for c in range(width)]
    out = []
    for line in grid:
        row = ""
        for c, text in enumerate(line):
            if text:
                row += " " * (starts[c] - _width(row)) + text
        out.append(row)
    return out


def one_a_line(spec: Spec) -> list[str]:
    """The table as a web page's table copied as text: each cell on a line of its own, row by
    row (merged cells once)."""
    return [text for row in spec for text in (cell_parts(c)[0] for c in row) if text]


def gk_text(text: str, form) -> str:
    """The report ``text`` with its tables (gk_blocks) written by ``form`` (spaced_rows,
    one_a_line, tab_rows, pipe_rows)."""
    out = []
    for block in gk_blocks(text):
        out += [block] if isinstance(block, str) else form(block)
    return "\n".join(out) + "\n"
