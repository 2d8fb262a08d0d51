"""prose_figures: a figure a sentence states against the table cell that counts the same thing.

Reports repeat their tables' key figures in prose ("全年新收政府信息公开申请5件，上年结转1件");
when the two disagree, one of them is wrong. ``pairs`` declares what to compare, each pair
a mapping: ``name`` (what the sentence states, for messages: 新收申请), ``prose`` (RE2
patterns of the sentence's words, with ``{number}`` where the figure stands: Arabic digits
or a Chinese numeral, 五, 十二, 一百零五), ``table`` (words naming the table, as for
table_labels), ``row`` (a label or a path; without it the table's first row of figures),
``column`` (a label or a path) or ``columns`` (several, their figures added up: table 四's
两类行政诉讼), and ``cell`` (how messages name the table's figure: 表三“一、本年新收政府信息公开申请数量”的总计).

Only sentences that clearly state this year's figure count: a sentence naming a year
(2022年, 二〇二二年) other than the reported one, or holding a word of ``unless`` (同比,
较上年), is not read; nor is a figure whose clause (from the last ，、；： before it) holds a
word of ``unless_clause`` (自然人: a part of the total, not the total), nor a line of a
table. A pair whose table, labels or cell is missing, or whose cell is not a figure, is
not checked (the table rules report those). One finding per figure that differs, at the
figure: ``{name}``, ``{stated}`` (the figure and its unit as written: 5件, 五件), ``{cell}``,
``{value}`` (the table's figure) and ``{detail}``: "正文称新收申请5件，表三“一、本年新收
政府信息公开申请数量”的总计为6".
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal

from checker.engine.checks import _numerals
from checker.engine.checks._common import check_kind, compile_regexes
from checker.engine.checks._tables import LABEL_HELP, TABLE_HELP, cues, find_table, labels
from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.recognize import reported_year
from checker.engine.schema import Opt, SchemaError, validate
from checker.engine.yamlload import LDict
from checker.skeleton.model import SENTENCE_END

PAIR_HELP = ("what to compare, each a mapping: name (what the sentence states), prose (RE2 patterns with "
             "{number} where the figure stands), table (" + TABLE_HELP + "), row (optional; without it the "
             "first row of figures), column or columns (several, added up), cell (how messages name the "
             "table's figure); a row or column is " + LABEL_HELP)
OPTIONS = {
    "pairs": Opt("list", required=True, help=PAIR_HELP),
    "scope": Opt("str", default=DOCUMENT, help="where sentences are read: document, or a section kind"),
    "unless": Opt("str_list", help="a sentence holding one of these is not read (同比, 较上年)"),
    "unless_clause": Opt("str_list", help="a figure whose clause, up to the figure, holds one of these is "
                                          "not read (自然人: a part of the total)"),
}
PARAMS = ("name", "stated", "cell", "value", "detail")

PAIR = {
    "name": Opt("str", required=True),
    "prose": Opt("str_list", required=True),
    "table": Opt("str_list", required=True),
    "cell": Opt("str", required=True),
}
PAIR_PLACES = ("row", "column", "columns")
CLAUSE_END = "，、；：" + SENTENCE_END
YEAR = re.compile(r"([0-9]{4}|[〇○零一二三四五六七八九]{4})年")


def prepare(options: dict, pack, lines: dict) -> dict:
    check_kind(options["scope"], pack, lines["scope"], "scope")
    pairs = []
    for index, raw in enumerate(options["pairs"]):
        line = raw.line if isinstance(raw, LDict) else lines["pairs"]
        if not isinstance(raw, LDict):
            raise SchemaError(line, "pairs 的每项应为映射（name、prose、table、row、column 或 columns、cell）")
        owner = f"pairs 第 {index + 1} 项"
        pair = validate(raw, PAIR, owner, PAIR_PLACES)
        for pattern in pair["prose"]:
            if pattern.count(_numerals.TOKEN) != 1:
                raise SchemaError(raw.line_of("prose"), f"{owner}：prose 的每个正则表达式应含一个 {{number}}"
                                                        f"（数字所在的位置），实际为 {pattern!r}")
        pair["patterns"] = compile_regexes([_numerals.expand(p) for p in pair["prose"]], raw.line_of("prose"))
        pair["cues"] = cues(pair["table"], raw.line_of("table"))
        if ("column" in raw) == ("columns" in raw):
            raise SchemaError(line, f"{owner}：需要 column 或 columns（二者选一）")
        pair["row_path"] = labels([raw["row"]], raw.line_of("row"), "row")[0][0] if "row" in raw else None
        if "column" in raw:
            pair["column_paths"] = [labels([raw["column"]], raw.line_of("column"), "column")[0][0]]
        else:
            if not isinstance(raw["columns"], list) or not raw["columns"]:
                raise SchemaError(raw.line_of("columns"), f"{owner}：columns 应为非空的列表")
            pair["column_paths"] = [path for path, _ in labels(raw["columns"], raw.line_of("columns"), "columns")]
        pairs.append(pair)
    options["prepared"] = pairs
    options["vetoes"] = tuple(options["unless"] or ())
    options["clause_vetoes"] = tuple(options["unless_clause"] or ())
    return options


def _table_value(ctx: Context, pair: dict) -> Decimal | None:
    """The figure the pair names in its table (columns added up); None when it cannot be read."""
    table = find_table(ctx, pair["cues"])
    if table is None:
        return None
    # the pairs of one table share their lookups (表三's 总计 column: eight pairs)
    found = ctx.memo.setdefault(("prose_figures", id(table)), {})

    def lookup(how: str, path: list[str]) -> int | None:
        key = (how, tuple(path))
        if key not in found:
            found[key] = table.find_row(path) if how == "row" else table.find_column(path)
        return found[key]

    row = lookup("row", pair["row_path"]) if pair["row_path"] is not None else table.frame()[1]
    if row is None or row >= table.height:
        return None
    total = Decimal(0)
    for path in pair["column_paths"]:
        col = lookup("column", path)
        value = table.value(row, col) if col is not None else None
        if value is None:
            return None
        total += value
    return total


def _table_lines(ctx: Context) -> list[tuple[int, int]]:
    return sorted((t.first_line, t.last_line) for t in ctx.report.tables)


def _in_table(spans: list[tuple[int, int]], line: int) -> bool:
    i = bisect.bisect_right(spans, (line, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= line <= spans[i][1]


def _other_year(sentence: str, year: int | None) -> bool:
    for m in YEAR.finditer(sentence):
        found = _numerals.read(m.group(1))
        if year is None or found != year:
            return True
    return False


def check(rule, ctx: Context):
    opts = rule.options
    scope = opts["scope"]
    if scope != DOCUMENT and not ctx.sections(scope):
        return
    joined, starts, texts = ctx.joined(scope, True)
    year = reported_year(ctx.report)
    tables = _table_lines(ctx)
    for pair in opts["prepared"]:
        patterns = pair["patterns"]
        hits = ctx.matching(patterns, scope, True)
        if not hits:
            continue
        value = _table_value(ctx, pair)
        if value is None:
            continue
        seen: set[int] = set()
        for index in hits:
            compiled = patterns[index]
            group = compiled.groupindex[_numerals.GROUP]
            for m in compiled.finditer(joined):
                begin, end = m.span(group)
                if begin in seen or "\n" in m.group(0):
                    continue
                seen.add(begin)
                finding = _judge(ctx, opts, pair, joined, starts, texts, tables, year, value, m, begin, end)
                if finding is not None:
                    yield finding


def _judge(ctx, opts, pair, joined, starts, texts, tables, year, value, m, begin, end):
    stated = _numerals.read(joined[begin:end])
    if stated is None or stated == value:
        return None
    i = bisect.bisect_right(starts, begin) - 1
    text, offset = texts[i], starts[i]
    if _in_table(tables, text.line_no(begin - offset)):
        return None
    sentence_start = max(joined.rfind(c, 0, begin) for c in SENTENCE_END + "\n") + 1
    ends = [at for at in (joined.find(c, end) for c in SENTENCE_END + "\n") if at >= 0]
    sentence = joined[sentence_start:min(ends) + 1 if ends else len(joined)]
    if any(w in sentence for w in opts["vetoes"]) or _other_year(sentence, year):
        return None
    clause = joined[max(joined.rfind(c, 0, begin) for c in CLAUSE_END + "\n") + 1:end]
    if any(w in clause for w in opts["clause_vetoes"]):
        return None
    said = joined[begin:m.end()]
    shown = format(value, "f")
    return Finding(text.span(begin - offset, end - offset),
                   {"name": pair["name"], "stated": said, "cell": pair["cell"], "value": shown,
                    "detail": f"正文称{pair['name']}{said}，{pair['cell']}为{shown}"})
