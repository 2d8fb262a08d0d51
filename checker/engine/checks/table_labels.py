"""table_labels: a table has the row and column labels its format prescribes.

The table is found by words naming it (``table``): the first table, in reading order, whose
caption (the two non-empty lines before it) or first three rows hold one of them; the tables
right after it (at most three lines between, no heading) count as its continuation, so a
table written as separate blocks (table 二's four, one table each) is one. ``part``: the
section kind the table belongs in; when the words find no table, the first table in that
part is taken as it (a table of its own design, which then lacks the format's labels).
``rows``: labels
some row must carry in its label cells (the cells left of the figures); ``columns``: labels
some column must carry in its header cells (the rows above the figures); ``cells``: texts
some cell anywhere in the table, or a block's caption, must hold (a table of several blocks,
each with its own header row). A label matches a cell's text without spaces, full- and
half-width forms alike ("规 章" is 规章, "(一)" is （一）, "1、" is 1.), equal to it or else
contained in it; a list of labels is a path from the outermost (["（六）其他处理", "3.其他"]:
the 3.其他 row under （六）, in the same row or, as text tables write it, on a row further
down). Merged cells count at every row and column they cover, and a label left empty beside
or below its merged neighbour (text tables) counts as that neighbour. The finding points at
the table's first cell and names every missing label; with ``absent: report`` a report
without such a table gets a finding at the first line naming it (or at the start); a pack
whose ``table_present`` rule reports missing tables sets ``absent: ignore``, so a missing
table gets that one finding rather than one per label rule.

``forbidden``: texts no cell may hold (the labels of an older format): one finding at the
first such cell naming every one found (``{found}``). ``since_year``: the rule checks only
reports for that year or later (the reported year as report_year finds it: the title's, else
the headings' of ``past_kinds``, else the opening's; ``{year}``). ``unless_cells``: texts of
another format's tables; a report whose tables hold one of them (a cell of any table) is
not checked by this rule (the rule for that format reports it).
"""

from __future__ import annotations

from checker.engine.checks._common import check_kind
from checker.engine.checks._tables import (
    ABSENT,
    LABEL_HELP,
    TABLE_HELP,
    absent_span,
    cues,
    find_table,
    holds_cell,
    labels,
    quoted,
    table_group,
)
from checker.engine.checks.report_year import reported_year
from checker.engine.context import Context, Finding
from checker.engine.schema import Opt, SchemaError
from checker.skeleton.tables import Table

OPTIONS = {
    "table": Opt("str_list", required=True, help=TABLE_HELP),
    "label": Opt("str", required=True, help="how messages name the table ({table})"),
    "rows": Opt("list", help="row labels the table must have; each " + LABEL_HELP),
    "columns": Opt("list", help="column labels the table must have; each " + LABEL_HELP),
    "part": Opt("str", help="the section kind the table belongs in: when the table words find no table, the "
                            "first table in that part is the one checked"),
    "cells": Opt("str_list", help="texts some cell (or a block's caption) must hold, anywhere in the table"),
    "forbidden": Opt("str_list", help="texts no cell may hold (an older format's labels): one finding naming "
                                      "those found ({found})"),
    "since_year": Opt("int", help="check only reports for this year or later (the year report_year finds: "
                                  "the title's, else the past_kinds headings', else the opening's)"),
    "past_kinds": Opt("str_list", help="since_year: section kinds whose headings give the year when the "
                                       "title does not (as report_year's past_kinds)"),
    "unless_cells": Opt("str_list", help="texts of another format's tables: a report whose tables hold one is "
                                         "not checked by this rule"),
    "absent": Opt("str", default="report", choices=("report", "ignore"),
                  help="report: a report without the table gets a finding; ignore: another rule reports it"),
}
PARAMS = ("table", "at", "missing", "problem", "found", "year")


def prepare(options: dict, pack, lines: dict) -> dict:
    if not (options["rows"] or options["columns"] or options["cells"] or options["forbidden"]):
        raise SchemaError(lines["table"], "table_labels 需要 rows、columns、cells 或 forbidden（可同时使用）")
    options["cues"] = cues(options["table"], lines["table"])
    options["row_paths"] = labels(options["rows"], lines["rows"], "rows")
    options["column_paths"] = labels(options["columns"], lines["columns"], "columns")
    options["cell_texts"] = [(text, name) for [text], name in labels(options["cells"], lines["cells"], "cells")]
    options["forbidden_texts"] = [(text, name) for [text], name
                                  in labels(options["forbidden"], lines["forbidden"], "forbidden")]
    options["unless_keys"] = [text for [text], _ in labels(options["unless_cells"], lines["unless_cells"],
                                                           "unless_cells")]
    for kind in options["past_kinds"] or []:
        check_kind(kind, pack, lines["past_kinds"], "past_kinds")
    if options["part"] is not None:
        check_kind(options["part"], pack, lines["part"], "part")
    return options


def missing_labels(tables: list[Table], options: dict) -> list[str]:
    """What the table (and its continuation) lacks, grouped: 行“…”、“…”，列“…”，单元格“…”."""
    rows = [name for path, name in options["row_paths"]
            if all(t.find_row(path) is None for t in tables)
            and not any(path[-1] in t.caption for t in tables[1:])]   # a one-cell row between blocks
    columns = [name for path, name in options["column_paths"] if all(t.find_column(path) is None for t in tables)]
    cells = [name for text, name in options["cell_texts"] if not holds_cell(tables, text)]
    return [f"{what}{quoted(names)}" for what, names in (("行", rows), ("列", columns), ("单元格", cells)) if names]


def check(rule, ctx: Context):
    options = rule.options
    year = None
    if options["since_year"] is not None:
        year = reported_year(ctx, options["past_kinds"] or [])
        if year is None or year < options["since_year"]:
            return
    if options["unless_keys"] and any(t.find_cell(k) is not None for k in options["unless_keys"]
                                      for t in ctx.report.tables):
        return
    table = find_table(ctx, options["cues"], options["part"])
    if table is None:
        if options["absent"] == "report":
            yield Finding(absent_span(ctx, options["cues"]),
                          {"table": options["label"], "at": "", "missing": "整张表格", "problem": ABSENT,
                           "found": "", "year": year or ""})
        return
    tables = table_group(ctx, table)
    at = f"表格{table.number}"
    if options["forbidden_texts"]:
        found = [(name, cell) for text, name in options["forbidden_texts"]
                 for cell in [next((c for t in tables for c in [t.find_cell(text)] if c is not None), None)]
                 if cell is not None]
        if found:
            first = min((cell for _, cell in found), key=lambda c: (c.line, c.column, c.row, c.col))
            names = quoted([name for name, _ in found])
            yield Finding(first.span, {"table": options["label"], "at": at, "missing": "", "found": names,
                                       "problem": f"{at}含有{names}", "year": year or ""})
    missing = missing_labels(tables, options)
    if missing:
        first = next((c for row in table.rows for c in row.cells), None)
        what = "，".join(missing)
        yield Finding(first.span if first is not None else ctx.start_span(),
                      {"table": options["label"], "at": at, "missing": what, "problem": f"{at}缺少{what}",
                       "found": "", "year": year or ""})
