"""table_present: each part that reports in a table has its table.

``tables``: one mapping per table, ``{kind: 部分类型, table: [words naming it], label: 表格名称,
text: [words of its labels]}``. A part of ``kind`` that the report has gets one finding at its
heading when no table is there: none of the model's tables lies in the part, none found
elsewhere by the words naming it (``table``, as table_labels finds a table: its caption or
first three rows), and the part's text does not hold its labels written out (``text``: a
table the reader could not make out, one cell per line, still shows them). That is a table
pasted as a picture, or lost when the page or file was converted; a lead-in such as "该部分以
表格形式报告" followed by nothing is the usual sign. A missing part is left to
required_section, and a report whose tables passed the model's budgets (some were left out)
is not checked. The label rules of such a pack set ``absent: ignore`` (table_labels), so a
missing table gets this one finding. ``{table}``: the table's label; ``{heading}``: the part's
heading; ``{label}``: the part's kind; ``{problem}``: why it may be missing.
"""

from __future__ import annotations

from checker.engine.checks._common import check_kind
from checker.engine.checks._tables import ABSENT, cues, find_table, in_part
from checker.engine.context import Context, Finding
from checker.engine.schema import Opt, SchemaError
from checker.skeleton.tables import label_key

OPTIONS = {
    "tables": Opt("list", required=True,
                  help="one mapping per table: {kind: the part it belongs in, table: [words naming it, as "
                       "table_labels' table], label: how messages name it, text: [its labels, any of which in "
                       "the part's text shows the table is there in a form the reader could not make out]}"),
}
PARAMS = ("table", "heading", "label", "problem")
KEYS = {"kind", "table", "label", "text"}


def prepare(options: dict, pack, lines: dict) -> dict:
    line = lines["tables"]
    out = []
    for item in options["tables"]:
        if not isinstance(item, dict) or set(item) - KEYS or not {"kind", "table", "label"} <= set(item):
            raise SchemaError(line, "tables 的每项应为 {kind: 部分类型, table: [字词], label: 表格名称, text: [字词]}")
        if not isinstance(item["label"], str) or not item["label"].strip():
            raise SchemaError(line, "tables 的 label 应为非空的字符串")
        words = item.get("text") or []
        for key in ("table", "text"):
            value = item.get(key, [])
            if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
                raise SchemaError(line, f"tables 的 {key} 应为字符串列表")
        check_kind(item["kind"], pack, line, "kind")
        out.append({"kind": item["kind"], "cues": cues(item["table"], line), "label": item["label"].strip(),
                    "text": tuple(k for k in map(label_key, words) if k)})
    options["items"] = out
    return options


def check(rule, ctx: Context):
    report = ctx.report
    if report.tables_incomplete:
        return
    for item in rule.options["items"]:
        sections = ctx.sections(item["kind"])
        if not sections:
            continue
        if any(in_part(ctx, t, item["kind"]) for t in report.tables) \
                or find_table(ctx, item["cues"]) is not None \
                or item["text"] and any(k in text.text for section in sections for text in section.texts(False)
                                        for k in item["text"]):
            continue
        heading = sections[0].heading
        yield Finding(heading.span, {"table": item["label"], "heading": heading.label,
                                     "label": ctx.kind_label(item["kind"]), "problem": ABSENT})
