"""table_labels: a table has the row and column labels its format prescribes.

The table is found by words naming it (``table``): the first table, in reading order, whose
caption (the two non-empty lines before it) or first three rows hold one of them. ``rows``:
labels some row must carry in its label cells (the cells left of the figures); ``columns``:
labels some column must carry in its header cells (the rows above the figures); ``cells``:
texts some cell anywhere in the table must hold (a table of several blocks, each with its own
header row). A label matches a cell's text without spaces, full- and half-width forms alike
("规 章" is 规章, "(一)" is （一）), equal to it or else contained in it; a list of labels is a
path from the outermost (["（六）其他处理", "3.其他"]: the 3.其他 row under （六）). Merged cells
count at every row and column they cover, and a label left empty beside or below its merged
neighbour (text tables) counts as that neighbour. The finding points at the table's first
cell and names every missing label; with ``absent: report`` a report without such a table
gets a finding at the first line naming it (or at the start).
"""

from __future__ import annotations

from checker.engine.checks._tables import ABSENT, LABEL_HELP, TABLE_HELP, absent_span, cues, find_table, labels, quoted
from checker.engine.context import Context, Finding
from checker.engine.schema import Opt, SchemaError
from checker.skeleton.tables import Table

OPTIONS = {
    "table": Opt("str_list", required=True, help=TABLE_HELP),
    "label": Opt("str", required=True, help="how messages name the table ({table})"),
    "rows": Opt("list", help="row labels the table must have; each " + LABEL_HELP),
    "columns": Opt("list", help="column labels the table must have; each " + LABEL_HELP),
    "cells": Opt("str_list", help="texts some cell must hold, anywhere in the table"),
    "absent": Opt("str", default="report", choices=("report", "ignore"),
                  help="report: a report without the table gets a finding; ignore: another rule reports it"),
}
PARAMS = ("table", "at", "missing", "problem")


def prepare(options: dict, pack, lines: dict) -> dict:
    if not (options["rows"] or options["columns"] or options["cells"]):
        raise SchemaError(lines["table"], "table_labels 需要 rows、columns 或 cells（可同时使用）")
    options["cues"] = cues(options["table"], lines["table"])
    options["row_paths"] = labels(options["rows"], lines["rows"], "rows")
    options["column_paths"] = labels(options["columns"], lines["columns"], "columns")
    options["cell_texts"] = [(text, name) for [text], name in labels(options["cells"], lines["cells"], "cells")]
    return options


def missing_labels(table: Table, options: dict) -> list[str]:
    """What the table lacks, grouped: 行“…”、“…”，列“…”，单元格“…”."""
    rows = [name for path, name in options["row_paths"] if table.find_row(path) is None]
    columns = [name for path, name in options["column_paths"] if table.find_column(path) is None]
    cells = [name for text, name in options["cell_texts"] if table.find_cell(text) is None]
    return [f"{what}{quoted(names)}" for what, names in (("行", rows), ("列", columns), ("单元格", cells)) if names]


def check(rule, ctx: Context):
    options = rule.options
    table = find_table(ctx, options["cues"])
    if table is None:
        if options["absent"] == "report":
            yield Finding(absent_span(ctx, options["cues"]),
                          {"table": options["label"], "at": "", "missing": "整张表格", "problem": ABSENT})
        return
    missing = missing_labels(table, options)
    if missing:
        first = next((c for row in table.rows for c in row.cells), None)
        at = f"表格{table.number}"
        what = "，".join(missing)
        yield Finding(first.span if first is not None else ctx.start_span(),
                      {"table": options["label"], "at": at, "missing": what, "problem": f"{at}缺少{what}"})
