"""Helpers shared by the table check types: finding a rule's table, reading label options."""

from __future__ import annotations

import re

from checker.diagnostics import Span
from checker.engine.context import Context
from checker.engine.schema import SchemaError
from checker.skeleton.model import line_span
from checker.skeleton.tables import Table, label_key, number

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


def find_table(ctx: Context, keys: tuple[str, ...], part: str | None = None) -> Table | None:
    """The first table (reading order) whose caption or first rows hold one of ``keys``; else,
    with ``part`` (a section kind), the first table in that part."""
    for table in ctx.report.tables:
        if any(table.mentions(k, CUE_ROWS) for k in keys):
            return table
    if part is not None:
        return next((t for t in ctx.report.tables if in_part(ctx, t, part)), None)
    return None


def in_part(ctx: Context, table: Table, part: str) -> bool:
    """Does ``table`` begin within a section of kind ``part``?"""
    return any(s.heading.line.no <= table.first_line <= s.last_line() for s in ctx.sections(part))


def absent_span(ctx: Context, keys: tuple[str, ...]) -> Span:
    """Where to point when a table is missing: the first line naming it (its heading, a
    lead-in "该部分以表格形式报告"), else the report's start."""
    for line in ctx.report.lines:
        if any(k in line.text for k in keys):
            return line_span(line)
    return ctx.start_span()


def quoted(names: list[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


# A table continues in the next one when at most this many lines lie between them (a block's
# own caption, "第二十条第（五）项", and blank lines) and no part of the report begins there: a
# table written as separate blocks (table 二's four, one table each; a text table whose
# one-cell rows, no tab in them, are no rows).
CONTINUATION_GAP = 3


def table_group(ctx: Context, table: Table) -> list[Table]:
    """``table`` and the tables continuing it (:data:`CONTINUATION_GAP`)."""
    tables = ctx.report.tables
    at = next(i for i, t in enumerate(tables) if t is table)
    group = [table]
    parts = None
    for following in tables[at + 1:]:
        last = group[-1].last_line
        if following.first_line - last - 1 > CONTINUATION_GAP:
            break
        if parts is None:
            parts = {s.heading.line.no for s in ctx.top_sections}
        if any(no in parts for no in range(last + 1, following.first_line)):
            break
        group.append(following)
    return group


def holds_cell(tables: list[Table], key: str) -> bool:
    """Does a cell of one of ``tables``, or one's caption, hold ``key`` (a label key)?"""
    return any(t.find_cell(key) is not None or key in t.caption for t in tables)


def filled(text: str) -> bool:
    """A cell holding a number written out (not blank, "/" or "-")."""
    return any(ch.isdigit() for ch in text) and number(text) is not None


def item_rows(table: Table, row: int, key: str) -> tuple[list[int], list[int]]:
    """(own rows, item rows) of the label ``key`` found in ``row``: the rows where it is the
    innermost label (its own figures), and the rows of its numbered items (1. 2. …). The
    items are the rows its label cell spans (a merged cell, or a label left empty below it)
    whose innermost label is another; else, when it spans none, the rows right below its own
    whose labels are all numbered items (text tables write a parent and its items on rows of
    their own)."""
    parent = next((c for c in reversed(table.row_labels(row)) if key in c.key), None)
    if parent is None:
        return [row], []
    own, items = [], []
    for r in range(table.height):
        labels = table.row_labels(r)
        if any(c is parent for c in labels):
            (own if labels[-1] is parent else items).append(r)
    if not items and own:
        r = max(own) + 1
        while r < table.height:
            labels = table.row_labels(r)
            if not labels or not all(_ITEM.match(c.key) for c in labels):
                break
            items.append(r)
            r += 1
    return own, items


_ITEM = re.compile(r"[0-9]{1,2}\.\D")
