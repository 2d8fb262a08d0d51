"""The 政府信息公开 pack's prose rules: an introduction promising N parts (FZG111,
check type promised_parts), part 六 silent on 信息处理费 (FZG210), and figures in the prose
that contradict the tables (FZG211, check type prose_figures); the numerals they read.

Most cases are tests/data/gk/complete.txt with one change, so each rule is seen reading a
whole report with its three tables.
"""

from __future__ import annotations

import textwrap

import pytest

from checker.engine.checks._numerals import read, write
from checker.engine.registry import PackError, load_registry
from checker.lint import lint_bytes, lint_text

from builders.docx import docx_with_tables
from builders.html import html_with_tables
from builders.tables import pipe_rows, tab_rows, table_3, table_4
from conftest import ROOT

DATA = ROOT / "tests" / "data" / "gk"
COMPLETE = (DATA / "complete.txt").read_text(encoding="utf-8")
GOVERNMENT = (DATA / "government_complete.txt").read_text(encoding="utf-8")
INTRO = ("包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
         "存在的主要问题及改进情况、其他需要报告的事项六个部分。")
TABLE_4_ROW = "| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"


def edited(old: str, new: str, base: str = COMPLETE) -> str:
    assert base.count(old) == 1, old
    return base.replace(old, new)


def with_sentence(sentence: str, base: str = COMPLETE) -> str:
    """complete.txt with a paragraph added at the end of part 四."""
    return edited("五、存在的主要问题及改进情况\n", f"{sentence}\n\n五、存在的主要问题及改进情况\n", base)


def found(text: str, registry, codes=("FZG111", "FZG210", "FZG211")) -> list[str]:
    result = lint_text(text, "report.txt", registry, frozenset(codes))
    assert result.kind == "gk"
    return [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in result.diagnostics]


# --- numerals ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("5", 5), ("120", 120), ("六", 6), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25),
    ("一百零五", 105), ("一百一十五", 115), ("一百五", 150), ("两千三百", 2300), ("三万五千", 35000),
    ("三万五", 35000), ("二〇二三", 2023), ("一〇五", 105), ("〇", 0), ("零", 0),
    ("", None), ("五件", None), ("1万", None),
])
def test_numerals_are_read_in_every_form(text, value):
    assert read(text) == value


def test_counts_are_written_as_the_report_writes_them():
    assert [write(n) for n in (5, 6, 12, 40, 150)] == ["五", "六", "十二", "四十", "150"]


# --- FZG111: the parts the introduction promises -------------------------------------------------

def test_the_complete_reports_keep_their_promise(registry):
    assert found(COMPLETE, registry) == []
    assert found(GOVERNMENT, registry) == []


@pytest.mark.parametrize("old,new,words", [
    # the real error: 六部分 promised, five listed
    ("、其他需要报告的事项六个部分", "六个部分", "导语称六个部分，只列出五个部分"),
    ("六个部分", "七个部分", "导语称七个部分，只列出六个部分"),
    ("六个部分", "五个部分", "导语称五个部分，却列出六个部分"),
    # a count without a list, and a list without a count, against the six parts
    (INTRO, "共分五部分。", "导语称五个部分，正文有六个部分"),
    (INTRO, "由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、存在的主要问题及改进情况、"
            "其他需要报告的事项组成。", "导语列出五个部分，正文有六个部分"),
    # a listed part that is no part of the report
    ("、其他需要报告的事项六个部分", "、其他需要报告的事项、附件七个部分",
     "导语列出的“附件”在正文中没有对应的部分"),
])
def test_an_introduction_that_disagrees_gets_one_finding(registry, old, new, words):
    [finding] = found(edited(old, new), registry)
    assert " FZG111 " in finding and words in finding, finding


@pytest.mark.parametrize("old,new", [
    (INTRO, "共分六部分。"),
    (INTRO, "分为以下六个部分：总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"),
    # 等: the list is not the whole list, the count is what is promised
    ("包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
     "存在的主要问题及改进情况、其他需要报告的事项六个部分", "包括总体情况、主动公开政府信息情况等六个部分"),
    # the list begins at its first part: 由 here is the author, not the parts
    ("本报告根据", "本报告由平安县财政局办公室根据"),
    # 第三部分 names a part, it counts nothing
    (INTRO, "包括六个部分。本报告包括三张统计表，见第三部分。"),
])
def test_an_introduction_that_agrees_gets_none(registry, old, new):
    assert found(edited(old, new), registry) == []


def test_a_promise_in_the_first_parts_opening_paragraph_counts(registry):
    text = edited("2023年，平安县财政局认真贯彻", "本报告共分七个部分。2023年，平安县财政局认真贯彻",
                  edited(INTRO, "。"))
    [finding] = found(text, registry)
    assert finding.startswith("7:6 FZG111") and "导语称七个部分，正文有六个部分" in finding


LONGGANG = ("本年报根据《条例》要求编制，由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况以及其他需要报告的事项组成。")


def test_a_list_joined_by_yiji_in_the_first_part(registry):
    """The wording of a real report (龙岗 2024), inside 一、总体情况: its last piece names two parts."""
    text = edited("2023年，平安县财政局认真贯彻", LONGGANG + "2023年，平安县财政局认真贯彻", edited(INTRO, "。"))
    assert found(text, registry) == []
    text = text.replace("收到和处理政府信息公开申请情况、政府信息", "政府信息", 1)
    [finding] = found(text, registry)
    assert finding.startswith("7:") and "导语列出五个部分，正文有六个部分" in finding, finding


def test_a_sentence_that_is_not_about_the_report_is_no_promise(registry):
    text = edited("全年组织业务培训2次", "全年组织业务培训2次，培训包括理论和实务两部分", edited(INTRO, "共分六部分。"))
    assert found(text, registry) == []


def test_a_missing_part_is_left_to_the_rule_requiring_it(registry):
    """missing_part.txt promises six parts and has five: FZG104 says which one is missing."""
    text = (DATA / "missing_part.txt").read_text(encoding="utf-8")
    assert found(text, registry) == []
    assert [d.code for d in lint_text(text, "r.txt", registry).diagnostics] == ["FZG104"]


def test_rows_of_a_table_read_as_headings_are_not_counted_as_parts(registry):
    """A table extracted one cell per line gives headings 一、二、三、四、 inside part 三: the
    numbers do not rise, so the parts are not counted."""
    rows = "\n".join(["一、本年新收政府信息公开申请数量", "5", "二、上年结转政府信息公开申请数量", "1",
                      "三、本年度办理结果", "（一）予以公开", "3", "四、结转下年度继续办理", "1"])
    text = textwrap.dedent("""\
        平安县财政局2023年政府信息公开工作年度报告
        本报告共分六部分。
        一、总体情况
        全年主动公开政府信息156条。
        二、主动公开政府信息情况
        制发行政规范性文件2件。
        三、收到和处理政府信息公开申请情况
        {rows}
        四、政府信息公开行政复议、行政诉讼情况
        未发生行政复议、行政诉讼。
        五、存在的主要问题及改进情况
        解读形式单一，下一步将丰富解读形式。
        六、其他需要报告的事项
        本年度未收取信息处理费。
        """).replace("{rows}", rows)
    assert found(text, registry, ("FZG111",)) == []
    assert found(text.replace("六部分", "七部分"), registry, ("FZG111",)) == []


# --- FZG210: 信息处理费 in part 六 ---------------------------------------------------------------

def test_part_six_silent_on_fees(registry):
    text = edited("（一）收取信息处理费情况\n\n本年度未发出收费通知，未收取信息处理费。\n\n", "")
    text = text.replace("（二）人大代表", "（一）人大代表").replace("（三）年度政务", "（二）年度政务")
    assert found(text, registry) == ["93:1 FZG210 “其他需要报告的事项”部分未说明收取信息处理费的情况"
                                     "（如“本年度未发出收费通知，未收取信息处理费”）"]


# --- FZG211: the prose against the tables ------------------------------------------------------

@pytest.mark.parametrize("old,new,where,words", [
    ("新收政府信息公开申请5件", "新收政府信息公开申请六件", "15:13",
     "正文称新收申请六件，表三“一、本年新收政府信息公开申请数量”的总计为5"),
    ("上年结转1件", "上年结转2件", "15:20", "正文称上年结转2件，表三“二、上年结转政府信息公开申请数量”的总计为1"),
    ("予以公开3件", "予以公开二件", "15:39", "正文称予以公开二件，表三“（一）予以公开”的总计为3"),
    ("部分公开1件", "部分公开十件", "15:46", "正文称部分公开十件，表三“（二）部分公开”的总计为1"),
    ("无法提供1件", "无法提供0件", "15:53", "正文称无法提供0件，表三“（四）无法提供”的总计为1"),
    ("结转下年度继续办理1件", "结转下年度继续办理2件", "15:65",
     "正文称结转下年度继续办理2件，表三“四、结转下年度继续办理”的总计为1"),
    ("制发行政规范性文件2件", "制发行政规范性文件3件", "11:80",
     "正文称制发行政规范性文件3件，表二“行政规范性文件”的本年制发件数为2"),
])
def test_a_figure_of_the_prose_against_its_cell(registry, old, new, where, words):
    assert found(edited(old, new), registry) == [f"{where} FZG211 正文与统计表的数字不一致：{words}"]


def test_review_and_litigation_against_table_four(registry):
    sentence = "本年度因政府信息公开工作被申请行政复议1件、提起行政诉讼1件。"
    assert found(with_sentence(sentence), registry) == [
        "89:20 FZG211 正文与统计表的数字不一致：正文称被申请行政复议1件，表四“行政复议”的总计为0",
        "89:29 FZG211 正文与统计表的数字不一致：正文称提起行政诉讼1件，表四“行政诉讼”两项总计之和为0",
    ]
    # one suit without review, one after it: 行政诉讼 is both groups' 总计
    suits = "| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 1 | 0 | 1 | 0 | 0 | 1 |"
    text = edited(TABLE_4_ROW, suits, with_sentence("本年度被申请行政复议0件，提起行政诉讼两件。"))
    assert found(text, registry) == []
    text = edited(TABLE_4_ROW, suits, with_sentence("本年度被申请行政复议0件，提起行政诉讼1件。"))
    assert found(text, registry) == [
        "89:20 FZG211 正文与统计表的数字不一致：正文称提起行政诉讼1件，表四“行政诉讼”两项总计之和为2"]


TITLE = "平安县交通运输局2023年政府信息公开工作年度报告"
# the figures of builders/tables.py: table 三's 总计 column (新收 13, 结转 1, 予以公开 8, 部分公开 2)
# and table 四 (复议 1; 诉讼: 2 without review, none after it)
AGREES = ("全年新收政府信息公开申请13件，上年结转1件，予以公开8件，部分公开2件。"
          "本年度被申请行政复议1件、提起行政诉讼2件。")


def as_format(prose: str, fmt: str) -> bytes:
    blocks = [TITLE, prose, "三、收到和处理政府信息公开申请情况", table_3(),
              "四、政府信息公开行政复议、行政诉讼情况", table_4()]
    if fmt in ("md", "txt"):
        rows = pipe_rows if fmt == "md" else tab_rows
        return ("\n".join(ln for b in blocks for ln in ([b] if isinstance(b, str) else rows(b))) + "\n").encode()
    return docx_with_tables(blocks) if fmt == "docx" else html_with_tables(blocks, TITLE)


@pytest.mark.parametrize("fmt", ["md", "txt", "docx", "html"])
def test_tables_in_every_format_merged_cells_included(registry, fmt):
    """Word's merged cells (三、本年度办理结果 over five rows, 行政诉讼 over ten columns), HTML's
    spans, pipe and tab rows: the same figures are read, and the one that differs is found."""
    def findings(prose):
        result = lint_bytes(as_format(prose, fmt), f"report.{fmt}", registry, frozenset({"FZG211"}))
        return [(d.span.line, d.message.split("：", 1)[1]) for d in result.diagnostics]

    assert findings(AGREES) == []
    wrong = AGREES.replace("申请13件", "申请12件").replace("行政诉讼2件", "行政诉讼3件")
    assert findings(wrong) == [
        (2, "正文称新收申请12件，表三“一、本年新收政府信息公开申请数量”的总计为13"),
        (2, "正文称提起行政诉讼3件，表四“行政诉讼”两项总计之和为2")]


@pytest.mark.parametrize("sentence", [
    "2022年新收政府信息公开申请4件。",                          # another year
    "二〇二二年新收政府信息公开申请4件。",
    "全年新收政府信息公开申请6件，同比增长20%。",                # a comparison
    "较上年新收申请4件有所增加。",
    "其中自然人申请予以公开2件，法人或其他组织申请予以公开1件。",  # parts of a total
    "予以公开或部分公开4件。",                                  # two quantities at once
    "办理行政复议案件20件。",                                   # the office as the 复议机关
    "全年新收政府信息公开申请100余件。",                        # no exact figure
])
def test_sentences_that_state_no_figure_of_this_years_table(registry, sentence):
    assert found(with_sentence(sentence), registry) == []


def test_a_table_row_is_not_prose(registry):
    """The cells of a table are what the prose is compared with, never prose themselves."""
    text = edited("| 一、本年新收政府信息公开申请数量 |", "| 一、新收政府信息公开申请7件 |")
    assert found(text, registry, ("FZG211",)) == []


def test_without_the_table_nothing_is_compared(registry):
    start = COMPLETE.index("| （本列数据的勾稽关系")
    end = COMPLETE.index("四、政府信息公开行政复议")
    text = COMPLETE[:start] + COMPLETE[end:]
    assert found(edited("申请5件", "申请9件", text), registry, ("FZG211",)) == []


# --- the check types' options ------------------------------------------------------------------

PACK = """\
pack: scratch
title: 测试
applies_to: all
rules:
  - id: FZ990
    name: scratch-rule
    title: 测试规则
    severity: info
    check: {check}
{options}
    citation: {{practice: 测试}}
    message: "{{detail}}"
    rationale: 测试。
    tests:
      - {{name: fires, input: "甲", want: ["1:1 FZ990"]}}
      - {{name: silent, input: "乙", want: []}}
"""


def load(tmp_path, check: str, options: str):
    (tmp_path / "scratch.yaml").write_text(PACK.format(check=check, options=textwrap.indent(options, "    ")),
                                           encoding="utf-8")
    return load_registry([tmp_path / "scratch.yaml"])


@pytest.mark.parametrize("check,options,words", [
    ("prose_figures", "pairs: [{name: 新收, prose: ['新收申请(\\\\d+)件'], table: [表], column: 总计, cell: 表}]",
     "应含一个 {number}"),
    ("prose_figures", "pairs: [{name: 新收, prose: ['新收{number}件'], table: [表], cell: 表}]",
     "需要 column 或 columns"),
    ("prose_figures", "pairs: [{name: 新收, prose: ['新收{number}件'], table: [表], column: 总计, "
                      "columns: [总计], cell: 表}]", "需要 column 或 columns"),
    ("prose_figures", "pairs: [新收]", "pairs 的每项应为映射"),
    ("prose_figures", "pairs: [{name: 新收, prose: ['新收{number}件'], table: [表], column: 总计}]",
     "缺少必填选项“cell”"),
    ("promised_parts", "regex: ['共分部分']", "应含 {number}"),
    ("promised_parts", "regex: ['共{number}个部分{number}']", "各至多一个"),
    ("promised_parts", "regex: ['共{number}个部分']\nabsent: drop", "absent"),
])
def test_a_malformed_option_stops_loading_with_its_reason(tmp_path, check, options, words):
    with pytest.raises(PackError) as info:
        load(tmp_path, check, options)
    assert words in info.value.message, info.value.message


def test_absent_report_names_a_listed_part_the_report_lacks(tmp_path):
    """With absent: report (the default) the missing part is this rule's finding too."""
    registry = load(tmp_path, "promised_parts", "regex: ['报告[^。]*?包括{list}{number}个部分']")
    text = (DATA / "missing_part.txt").read_text(encoding="utf-8")
    result = lint_text(text, "r.txt", registry, frozenset({"FZ990"}))
    assert [(d.span.line, d.code, d.message) for d in result.diagnostics] == [
        (3, "FZ990", "导语列出的“政府信息公开行政复议和行政诉讼情况”在正文中没有对应的部分")]
