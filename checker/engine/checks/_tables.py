"""Helpers shared by the table check types: finding a rule's table, reading label options."""

from __future__ import annotations

from checker.diagnostics import Span
from checker.engine.context import Context
from checker.engine.schema import SchemaError
from checker.skeleton.model import line_span
from checker.skeleton.tables import Table, label_key

# What a finding says about a table that is not there (the format's tables are often pasted
# as pictures, or lost when a page or a PDF is converted).
ABSENT = "未找到该表格（表格可能以图片形式插入，或在转换中丢失）"
CUE_ROWS = 3    # a cue may be in the caption or in a cell of the table's first rows

TABLE_HELP = ("words naming the table: the first table whose caption (the two non-empty lines before it) "
              "or first three rows hold one of them")
LABEL_HELP = ("a label, or a list of labels from the outermost (a path: [（六）其他处理, 3.其他]); matched "
              "without spaces, full- and half-width alike: equal to a cell's text, else contained in it (a "
              "path's labels in order, also within one cell)")


def cues(words: list[str], line: int) -> tuple[str, ...]:
    keys = tuple(dict.fromkeys(k for k in map(label_key, words) if k))
    if not keys:
        raise SchemaError(line, "table 的每项应为非空的字词（去掉空格后不能为空）")
    return keys


def labels(items: list | None, line: int, option: str) -> list[tuple[list[str], str]]:
    """(path of label keys, label as messages show it) for each item of a label option."""
    out = []
    for item in items or []:
        path = [item] if isinstance(item, str) else item
        if not isinstance(path, list) or not path or not all(isinstance(p, str) and label_key(p) for p in path):
            raise SchemaError(line, f"{option} 的每项应为非空的标签，"
                                    "或从外到内的标签列表（如 [（六）其他处理, 3.其他]）")
        out.append(([label_key(p) for p in path], "”中的“".join(p.strip() for p in path)))
    return out


def find_table(ctx: Context, keys: tuple[str, ...]) -> Table | None:
    """The first table (reading order) whose caption or first rows hold one of ``keys``."""
    for table in ctx.report.tables:
        if any(table.mentions(k, CUE_ROWS) for k in keys):
            return table
    return None


def absent_span(ctx: Context, keys: tuple[str, ...]) -> Span:
    """Where to point when a table is missing: the first line naming it (its heading, a
    lead-in "该部分以表格形式报告"), else the report's start."""
    for line in ctx.report.lines:
        if any(k in line.text for k in keys):
            return line_span(line)
    return ctx.start_span()


def quoted(names: list[str]) -> str:
    return "、".join(f"“{n}”" for n in names)
