"""table_sum: figures of a table add up: the sum of some rows (or columns) equals another's.

The table is found as for table_labels (``table``). ``of: rows``: ``sum`` and ``equals`` name
rows, and the check runs down every column of figures: the figures of the ``sum`` rows added
up must equal those of the ``equals`` rows added up (a total: ``sum: [parts]``, ``equals:
[总计]``; the 勾稽关系 of table 三: ``sum: [一, 二]``, ``equals: [（七）总计, 四]``). ``of:
columns`` names columns and runs along every row. ``groups``: labels that each prefix every
label in turn, one check per group (table 四: the same five columns under 行政复议, 未经复议直接起诉
and 复议后起诉). A label is matched as in table_labels (a label or a path; without spaces,
full- and half-width alike); an item may be ``{label: …, name: 一}`` to give the short name
messages use. Figures: digits (full- or half-width, thousands separators), "/" or blank as 0.
A column (row) with a cell that is not a figure, or a label the table lacks, is not checked
(table_labels reports missing labels). One finding per column (row) that does not add up, at
its first ``equals`` cell, with the numbers: ``{line}`` is the column or row ("自然人列"),
``{left}`` and ``{right}`` the two sides ("一+二=151", "（七）总计+四=149"), ``{difference}``
the gap, ``{cell}`` the cell pointed at ("表格2第12行第4列"), ``{detail}`` all of it:
"自然人列：一+二=151，（七）总计+四=149，相差2".

``subrows: true`` (``of: rows``): a ``sum`` row may have numbered items (1. 2. …: the rows
its merged label cell spans, or, in text tables, the rows right below it whose labels are
all numbered): its figure is its own where the cell holds a number, else the sum of its
items (tables often leave such a parent row blank); and where it holds a number, the items
must add up to it: one more finding per column where they do not, at the parent's cell
("自然人列：（三）不予公开的各分项之和=2，（三）不予公开=1，相差1").
"""

from __future__ import annotations

import re
from decimal import Decimal

from checker.engine.checks._tables import LABEL_HELP, TABLE_HELP, cues, filled, find_table, item_rows, labels
from checker.engine.context import Context, Finding
from checker.engine.schema import Opt, SchemaError
from checker.skeleton.tables import Cell, Table

ITEM_HELP = "; an item may be {label: …, name: short name for messages}"
OPTIONS = {
    "table": Opt("str_list", required=True, help=TABLE_HELP),
    "label": Opt("str", required=True, help="how messages name the table ({table})"),
    "of": Opt("str", required=True, choices=("rows", "columns"),
              help="rows: sum and equals name rows, checked in every column; columns: the other way round"),
    "sum": Opt("list", required=True, help="the rows (columns) added up; each " + LABEL_HELP + ITEM_HELP),
    "equals": Opt("list", required=True, help="the rows (columns) whose figures, added up, the sum must equal"
                                               + ITEM_HELP),
    "groups": Opt("list", help="labels prefixed to every label in turn, one check per group (each " + LABEL_HELP + ")"),
    "subrows": Opt("bool", default=False,
                   help="of: rows: a sum row's figure is the sum of its numbered items when its own cell is "
                        "blank, and must equal that sum when it holds a number"),
}
PARAMS = ("table", "at", "line", "left", "right", "difference", "cell", "detail")


def _items(items: list, line: int, option: str) -> list[tuple[list[str], str]]:
    """(path of keys, short name) per item: a label, a path, or {label, name}."""
    out = []
    for item in items:
        name = None
        if isinstance(item, dict):
            if set(item) - {"label", "name"} or "label" not in item \
                    or not (item.get("name") is None or isinstance(item["name"], str) and item["name"].strip()):
                raise SchemaError(line, f"{option} 的映射项应为 {{label: 标签或标签列表, name: 简称}}")
            name = item.get("name")
            item = item["label"]
        [(path, _)] = labels([item], line, option)
        last = item if isinstance(item, str) else item[-1]     # a path: its innermost label
        out.append((path, name.strip() if name else " ".join(last.split())))
    return out


def prepare(options: dict, pack, lines: dict) -> dict:
    options["cues"] = cues(options["table"], lines["table"])
    options["sum_items"] = _items(options["sum"], lines["sum"], "sum")
    options["equals_items"] = _items(options["equals"], lines["equals"], "equals")
    groups = labels(options["groups"], lines["groups"], "groups") if options["groups"] else [([], "")]
    options["group_paths"] = groups
    if options["subrows"] and options["of"] != "rows":
        raise SchemaError(lines["subrows"], "subrows 只用于 of: rows（分项是某一行之下编号的各行）")
    return options


def _fmt(value: Decimal) -> str:
    return format(value, "f")


def _side(items, values: list[Decimal]) -> str:
    return "+".join(name for _, name in items) + f"={_fmt(sum(values, Decimal(0)))}"


def _lines(table: Table, of: str) -> list[int]:
    """The columns (of: rows) or rows (of: columns) of figures the check runs along."""
    label_cols, header = table.frame()
    return list(range(label_cols, table.width)) if of == "rows" else list(range(header, table.height))


_WIDE_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


def shown_label(text: str) -> str:
    """A label as a message shows it: its lines and runs of spaces as one space, none between
    two Chinese characters (a PDF's header spaced out glyph by glyph: "自 然 人" -> 自然人)."""
    return _WIDE_GAP.sub("", " ".join(text.split()))


def _line_name(table: Table, of: str, index: int, group: str, count: int) -> str:
    """How a message names the column (of: rows) or row checked: its label ("自然人列"), else
    its number; within a group, the group first (the group alone for a table of one line)."""
    heads = table.column_labels(index) if of == "rows" else table.row_labels(index)
    unit = "列" if of == "rows" else "行"
    label = f"{shown_label(heads[-1].text)}{unit}" if heads else None
    if not group:
        return label or f"第{index + 1}{unit}"
    if label is None and count == 1:
        return group
    return f"{group}（{label or f'第{index + 1}{unit}'}）"


def check(rule, ctx: Context):
    options = rule.options
    table = find_table(ctx, options["cues"])
    if table is None:
        return
    of = options["of"]
    find = table.find_row if of == "rows" else table.find_column
    for group, group_name in options["group_paths"]:
        found = []
        for items in (options["sum_items"], options["equals_items"]):
            found.append([find(group + path) for path, _ in items])
        if any(i is None for side in found for i in side):
            continue      # a label the table lacks: table_labels says so
        parts = ([item_rows(table, i, path[-1]) for i, (path, _) in zip(found[0], options["sum_items"])]
                 if options["subrows"] else None)
        lines = _lines(table, of)
        for line in lines:
            name = None
            sides = []
            cells: list[Cell | None] = []
            for s, side in enumerate(found):
                values = []
                for k, i in enumerate(side):
                    r, c = (i, line) if of == "rows" else (line, i)
                    if parts is not None and s == 0:
                        value, cell, problem = _with_items(table, line, *parts[k])
                        if problem is not None:
                            name = name or _line_name(table, of, line, group_name, len(lines))
                            yield _items_finding(table, options, name, *problem)
                        values.append(value)
                        cells.append(cell)
                        continue
                    values.append(table.value(r, c))
                    cells.append(table.at(r, c))
                sides.append(values)
            if any(v is None for side in sides for v in side):
                continue
            left, right = (sum(side, Decimal(0)) for side in sides)
            if left == right:
                continue
            name = name or _line_name(table, of, line, group_name, len(lines))
            yield _finding(table, options, name, sides, cells[len(found[0])], left - right)


def _with_items(table: Table, col: int, own: list[int], items: list[int]):
    """(figure, cell, problem) of a sum row with numbered items in column ``col``: its own
    number where it holds one, else its items' sum (None when a cell is no figure); problem:
    (parent cell, its figure, the items' sum) when both are there and differ."""
    own_cell = table.at(own[0], col) if own else None
    own_value = table.value(own[0], col) if own else Decimal(0)
    if not items:
        return own_value, own_cell, None
    values = [table.value(r, col) for r in items]
    total = None if any(v is None for v in values) else sum(values, Decimal(0))
    if own_cell is not None and own_cell.row == own[0] and own_cell.col == col and filled(own_cell.text):
        problem = None
        if total is not None and total != own_value:
            parent = next(c for c in reversed(table.row_labels(own[0])))
            problem = (own_cell, " ".join(parent.text.split()), own_value, total)
        return own_value, own_cell, problem
    return total, own_cell if own_cell is not None else table.at(items[0], col), None


def _items_finding(table: Table, options, name: str, cell: Cell, parent: str, own: Decimal,
                   total: Decimal) -> Finding:
    left = f"{parent}的各分项之和={_fmt(total)}"
    right = f"{parent}={_fmt(own)}"
    diff = _fmt(abs(total - own))
    return Finding(cell.span, {"table": options["label"], "at": f"表格{table.number}", "line": name, "left": left,
                               "right": right, "difference": diff, "cell": table.place(cell),
                               "detail": f"{name}：{left}，{right}，相差{diff}"})


def _finding(table: Table, options, name: str, sides, cell: Cell | None, difference: Decimal) -> Finding:
    left = _side(options["sum_items"], sides[0])
    right = _side(options["equals_items"], sides[1])
    diff = _fmt(abs(difference))
    where = table.place(cell) if cell is not None else f"表格{table.number}"
    return Finding(cell.span if cell is not None else table.rows[0].cells[0].span,
                   {"table": options["label"], "at": f"表格{table.number}", "line": name, "left": left,
                    "right": right, "difference": diff, "cell": where,
                    "detail": f"{name}：{left}，{right}，相差{diff}"})
