"""The 政府信息公开工作年度报告 kind (rules/gk.yaml): sample reports written for the project
(tests/data/gk/, see its README.md), each planted fault getting exactly its finding; the
kind told apart from the 法治政府建设 kind; and what the pack needed from the engine: rule
conditions on the title (`when`, `when_not`), required_content's `{missing}`, report_year's
`period` mode.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections import Counter

import pytest

from checker.engine.registry import PackError, load_registry
from checker.lint import lint_bytes, lint_path, lint_text
from checker.skeleton.parser import parse

from conftest import ROOT, SEEDS
from test_cli import fzlint

DATA = ROOT / "tests" / "data" / "gk"
CORRECT = ["complete.txt", "government_complete.txt"]
# each faulty report and the findings it must get, exactly: (line, column, code, words of the message)
FAULTS = {
    "missing_part.txt": [(82, 1, "FZG104", "应置于“四、存在的主要问题及改进情况”之前")],
    "wrong_order.txt": [(65, 1, "FZG107", "“主动公开政府信息情况”部分的位置")],
    "late_department.txt": [(108, 1, "FZG303", "成文日期2024年2月20日晚于2024年1月31日")],
    "last_year_period.txt": [(3, 172, "FZG302", "统计期限却写的是2022年")],
    "government_no_assessment.txt": [(5, 1, "FZG109", "未见社会评议的情况")],
    "government_late.txt": [(108, 1, "FZG304", "成文日期2024年4月10日晚于2024年3月31日")],
    # one wrong figure breaks its row's 总计 and its column's （七）总计: the two findings
    # cross at the cell
    "wrong_cell.txt": [
        (54, 37, "FZG206",
         "（一）予以公开行：自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他=4，总计=3，相差1"),
        (79, 11, "FZG207", "自然人列：（一）+（二）+（三）+（四）+（五）+（六）=5，（七）总计=4，相差1")],
    "old_tables.txt": [(32, 10, "FZG202", "仍是2019年试行的旧表格（“本年新制作数量”、“本年新公开数量”、"
                                          "“对外公开总数量”、“上一年项目数量”、“本年增/减”、“第二十条第（九）项”、"
                                          "“政府集中采购”）；2023年度")],
    "missing_table.txt": [(46, 1, "FZG208",
                           "“三、收到和处理政府信息公开申请情况”部分未见收到和处理政府信息公开申请情况表")],
    "wrong_review_total.txt": [(87, 39, "FZG209",
                                "未经复议直接起诉：结果维持+结果纠正+其他结果+尚未审结=1，总计=2，相差1")],
    "missing_row.txt": [(48, 3, "FZG203", "表格2缺少行“（三）不予公开”中的“8.属于行政查询事项”")],
    "intro_parts.txt": [(3, 143, "FZG111", "导语称六个部分，只列出五个部分")],
    "prose_figure.txt": [(15, 13, "FZG211", "正文称新收申请6件，表三“一、本年新收政府信息公开申请数量”的总计为5")],
}


def findings(name: str, registry) -> list:
    result = lint_path(DATA / name, registry)
    assert result.kind == "gk", f"{name} was read as a {result.kind} report"
    return result.diagnostics


@pytest.mark.parametrize("name", CORRECT)
def test_a_correct_report_gets_no_finding(name, registry):
    assert [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in findings(name, registry)] == []


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_planted_fault_gets_exactly_its_finding(name, registry):
    got = findings(name, registry)
    assert [(d.span.line, d.span.column, d.code) for d in got] == [f[:3] for f in FAULTS[name]], \
        [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in got]
    for d, (*_, words) in zip(got, FAULTS[name]):
        assert words in d.message, d.message


def unnumbered(line: str) -> str:
    return re.sub(r"^[一二三四五六]、", "", line)


def changes(base: list[str], lines: list[str]) -> list[tuple]:
    """(tag, base lines from, to, lines from, to) of each difference, 0-based."""
    return [op for op in difflib.SequenceMatcher(None, base, lines, autojunk=False).get_opcodes() if op[0] != "equal"]


def test_the_faulty_reports_differ_from_a_correct_one_by_their_fault_only():
    """Each faulty report is a correct one with one change (so its findings are the fault's)."""
    complete = (DATA / "complete.txt").read_text(encoding="utf-8").splitlines()
    government = (DATA / "government_complete.txt").read_text(encoding="utf-8").splitlines()
    two, three = complete.index("二、主动公开政府信息情况"), complete.index("三、收到和处理政府信息公开申请情况")
    four = complete.index("四、政府信息公开行政复议、行政诉讼情况")
    table_2, table_3 = (two + 2, three - 1), (three + 2, four - 1)
    for name in FAULTS:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        base = government if name.startswith("government") else complete
        if name == "wrong_order.txt":        # the same lines, parts 二 and 三 swapped and renumbered
            assert sorted(map(unnumbered, lines)) == sorted(map(unnumbered, base))
            continue
        if name == "missing_part.txt":       # part 四 (its heading and table) taken out
            gone = Counter(map(unnumbered, base)) - Counter(map(unnumbered, lines))
            assert not Counter(map(unnumbered, lines)) - Counter(map(unnumbered, base))
            assert {ln for ln in gone if ln} == {unnumbered(ln) for ln in base[81:87] if ln}, gone
            continue
        diff = changes(base, lines)
        if name == "old_tables.txt":         # table 二 the 2019 one; table 三 without （六）'s items
            assert all(table_2[0] <= op[1] <= op[2] <= table_2[1] for op in diff[:-1]), diff
            assert diff[-1][:3] == ("delete", 75, 78) and base[75].startswith("| 1.申请人无正当理由"), diff
        elif name == "missing_table.txt":    # table 三's rows gone, a lead-in left
            assert diff == [("replace", *table_3, table_3[0], table_3[0] + 1)], diff
            assert lines[table_3[0]] == "该部分以表格形式报告。"
        elif name == "missing_row.txt":      # one row of table 三 gone
            assert diff == [("delete", 63, 64, 63, 63)] and base[63].startswith("| 8.属于行政查询事项 |"), diff
        else:                                # one line changed
            assert len(diff) == 1 and diff[0][0] == "replace" and diff[0][2] - diff[0][1] == 1 \
                and diff[0][4] - diff[0][3] == 1, (name, diff)


# --- which kind a report is read as ------------------------------------------------------

def kind_of(text: str, registry) -> str:
    return registry.pack_for(parse(text)).name


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_a_fazhi_seed_is_never_read_as_gk(seed, registry):
    assert lint_path(seed, registry).kind == "fazhi"


@pytest.mark.parametrize("name", [*CORRECT, *FAULTS])
def test_a_gk_sample_is_never_read_as_fazhi(name, registry):
    assert lint_path(DATA / name, registry).kind == "gk"


def test_the_title_decides_over_words_of_the_other_kind_in_the_opening(registry):
    gk = ("平安县财政局2023年政府信息公开工作年度报告\n"
          "2023年，我局坚持依法行政，深入推进法治政府建设，扎实做好政府信息公开工作。\n"
          "一、总体情况\n全年主动公开政府信息156条。\n")
    fazhi = ("平安县财政局2023年度法治政府建设情况报告\n"
             "现将我局2023年度法治政府建设情况报告如下，政府信息公开工作年度报告已另行公布。\n"
             "一、主要举措和成效\n全年办理行政许可120件。\n")
    assert kind_of(gk, registry) == "gk"
    assert kind_of(fazhi, registry) == "fazhi"


def test_without_a_title_the_kind_named_first_in_the_opening_decides(registry):
    first_gk = ("现将本局2023年政府信息公开工作年度报告公布如下，本局同时推进法治政府建设。\n"
                "一、总体情况\n全年主动公开政府信息156条。\n")
    first_fazhi = ("现将本局2023年度法治政府建设情况报告如下，政府信息公开工作年度报告另行公布。\n"
                   "一、主要举措和成效\n全年办理行政许可120件。\n")
    assert kind_of(first_gk, registry) == "gk"
    assert kind_of(first_fazhi, registry) == "fazhi"


def test_a_gk_report_gets_no_fazhi_finding_and_a_fazhi_report_no_gk_finding(registry):
    gk = lint_path(DATA / "missing_part.txt", registry).diagnostics
    assert gk and all(d.code.startswith("FZG") for d in gk)
    for seed in SEEDS:
        assert not any(d.code.startswith("FZG") for d in lint_path(seed, registry).diagnostics)


# --- a government's report or a department's, from the title ----------------------------------

@pytest.mark.parametrize("title,government", [
    ("平安县人民政府2023年政府信息公开工作年度报告", True),
    ("平安县2023年政府信息公开工作年度报告", True),
    ("北京市2023年政府信息公开工作年度报告", True),
    ("2023年平安县政府信息公开工作年度报告", True),
    ("2023年度平安县人民政府政府信息公开工作年度报告", True),
    ("平安县城关镇人民政府2023年政府信息公开工作年度报告", True),
    ("平安县政府2023年度政府信息公开工作年度报告", True),
    ("七里河区2023年政府信息公开工作年度报告", True),
    ("平安县人民政府关于2023年政府信息公开工作年度报告", True),
    ("平安县二〇二三年政府信息公开工作年度报告", True),
    ("平安县财政局2023年政府信息公开工作年度报告", False),
    ("平安县人民政府办公室2023年政府信息公开工作年度报告", False),
    ("平安县人民政府办公室关于2023年政府信息公开工作年度报告", False),
    ("北京市公安局朝阳分局2023年政府信息公开工作年度报告", False),
    ("平安县城关街道办事处2023年政府信息公开工作年度报告", False),
    ("2023年平安县财政局政府信息公开工作年度报告", False),
    ("平安经济技术开发区管理委员会2023年政府信息公开工作年度报告", False),
    ("国家税务总局平安县税务局2023年政府信息公开工作年度报告", False),
])
def test_the_deadline_rules_tell_a_government_from_a_department(title, government, registry):
    """FZG109 and FZG304 run on a government's report, FZG303 on a department's."""
    report_title = parse(f"{title}\n一、总体情况\n内容。\n").title
    assert registry.rule("FZG109").applies(report_title) is government
    assert registry.rule("FZG304").applies(report_title) is government
    assert registry.rule("FZG303").applies(report_title) is not government


# --- the configuration sets a province's deadline ------------------------------------------

def test_a_province_sets_an_earlier_department_deadline(tmp_path):
    (tmp_path / "report.txt").write_text((DATA / "complete.txt").read_text(encoding="utf-8"), encoding="utf-8")
    plain = fzlint("check", "--format", "concise", "report.txt", cwd=tmp_path)
    assert plain.returncode == 0 and "FZG303" not in plain.stdout, plain.stdout + plain.stderr
    (tmp_path / "fzlint.toml").write_text('[rules.FZG303]\ndeadline = "01-15"\n', encoding="utf-8")
    strict = fzlint("check", "--format", "concise", "report.txt", cwd=tmp_path)
    assert "report.txt:108:1: FZG303 [警告] 成文日期2024年1月20日晚于2024年1月15日" in strict.stdout, \
        strict.stdout + strict.stderr


# --- rule conditions (`when`, `when_not`) -----------------------------------------------------

PACK = """\
pack: cond
title: 条件测试
applies_to: all
rules:
  - id: FZ990
    name: cond-rule
    title: 条件规则
    severity: info
    check: forbidden_text
    any: [某词]
    {condition}
    citation: {{practice: 测试}}
    message: 出现“{{match}}”
    rationale: 测试。
    tests:
      - name: fires
        input: 某词
        want: ["1:1 FZ990"]
      - name: silent
        input: 无
        want: []
"""


def load(tmp_path, condition: str):
    (tmp_path / "cond.yaml").write_text(PACK.format(condition=condition), encoding="utf-8")
    return load_registry([tmp_path / "cond.yaml"])


def codes(text: str, registry) -> list[str]:
    return [d.code for d in lint_text(text, "r.txt", registry, frozenset({"FZ990"})).diagnostics]


@pytest.mark.parametrize("condition,title,runs", [
    ("when: {title_any: [人民政府]}", "平安县人民政府2023年工作报告", True),
    ("when: {title_any: [人民政府]}", "平安县财政局2023年工作报告", False),
    ("when_not: {title_any: [人民政府]}", "平安县财政局2023年工作报告", True),
    ("when_not: {title_any: [人民政府]}", "平安县人民政府2023年工作报告", False),
    ("when: {title_regex: ['县[0-9]{4}年']}", "平安县2023年工作报告", True),
    ("when: {title_regex: ['县[0-9]{4}年']}", "平安县财政局2023年工作报告", False),
    # both: the first must hold and the second must not
    ("when: {title_any: [人民政府]}\n    when_not: {title_any: [办公室]}", "平安县人民政府办公室2023年工作报告", False),
])
def test_a_rule_runs_only_on_the_reports_its_condition_names(tmp_path, condition, title, runs):
    registry = load(tmp_path, condition)
    assert codes(f"{title}\n一、总体情况\n出现某词。\n", registry) == (["FZ990"] if runs else [])


@pytest.mark.parametrize("condition", ["when: {title_any: [人民政府]}", "when_not: {title_any: [人民政府]}"])
def test_a_conditional_rule_does_not_run_without_a_title(tmp_path, condition):
    registry = load(tmp_path, condition)
    assert codes("一、总体情况\n出现某词。\n", registry) == []


@pytest.mark.parametrize("condition,line,words", [
    ("when: [人民政府]", 11, "when 应为映射"),
    ("when: {title: [人民政府]}", 11, "未知的选项“title”"),
    ("when: {}", 11, "需要 title_any 或 title_regex"),
    ("when_not: {title_any: 人民政府}", 11, "选项“title_any”应为非空的字符串列表"),
    ("when: {title_regex: ['(?<=县)政府']}", 11, "无法用 RE2 编译"),
])
def test_a_malformed_condition_names_its_line(tmp_path, condition, line, words):
    with pytest.raises(PackError) as info:
        load(tmp_path, condition)
    assert info.value.line == line and words in info.value.message, str(info.value)


def test_the_rule_reference_states_a_rules_condition(registry):
    from checker.reporters.rules_doc import markdown

    text = markdown(registry)
    section = text.split("\n## FZG109\n", 1)[1].split("\n## ", 1)[0]
    assert "- 适用：仅检查标题符合正则表达式 `^(?:关于)?" in section
    assert "- 适用" not in text.split("\n## FZ101\n", 1)[1].split("\n## ", 1)[0]


# --- the check types' extensions, on the gk pack's rules ---------------------------------------

def test_missing_names_each_aspect_the_overview_lacks(registry):
    text = textwrap.dedent("""\
        平安县财政局2023年政府信息公开工作年度报告
        一、总体情况
        全年主动公开政府信息156条，收到政府信息公开申请5件，及时更新门户网站。
        """)
    [d] = lint_text(text, "r.txt", registry, frozenset({"FZG108"})).diagnostics
    assert d.message == "“总体情况”部分未涉及政府信息管理、监督保障方面的情况"


def test_period_points_at_each_wrong_year_of_the_statement(registry):
    text = textwrap.dedent("""\
        平安县财政局2023年政府信息公开工作年度报告
        本报告所列数据的统计期限自2023年1月1日起至2022年12月31日止。
        一、总体情况
        """)
    got = lint_text(text, "r.txt", registry, frozenset({"FZG302"})).diagnostics
    assert [(d.span.line, d.span.column, d.span.end_column) for d in got] == [(2, 25, 30)]
    assert got[0].message == "报告的是2023年度，统计期限却写的是2022年"


def test_period_needs_its_regex(tmp_path):
    rule = textwrap.dedent("""\
        pack: p
        title: 测试
        section_kinds:
          - {kind: a, label: 甲, any: [甲]}
        phrases: {before: "{heading}", after: "{heading}", none: 无}
        rules:
          - id: FZ990
            name: period-rule
            title: 统计期限
            severity: info
            check: report_year
            mode: period
            past_kinds: [a]
            citation: {practice: 测试}
            message: "{found}"
            rationale: 测试。
            tests:
              - {name: fires, input: 甲, want: ["1:1 FZ990"]}
              - {name: silent, input: 乙, want: []}
        """)
    (tmp_path / "p.yaml").write_text(rule, encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_registry([tmp_path / "p.yaml"])
    assert "mode: period 需要 regex" in info.value.message


# --- the table rules (FZG2xx) on the format's full tables, in every format ----------------------

TABLE_CODES = frozenset({"FZG201", "FZG202", "FZG203", "FZG204", "FZG205", "FZG206", "FZG207", "FZG208",
                         "FZG209", "FZG212"})


def table_report(t2=None, t3=None, t4=None, title="平安县交通运输局2023年政府信息公开工作年度报告") -> list:
    from builders.tables import TABLE_2, table_3_full, table_4

    parts = [("二、主动公开政府信息情况", TABLE_2 if t2 is None else t2),
             ("三、收到和处理政府信息公开申请情况", table_3_full() if t3 is None else t3),
             ("四、政府信息公开行政复议、行政诉讼情况", table_4() if t4 is None else t4)]
    out = [title, "根据《中华人民共和国政府信息公开条例》规定，编制本报告。"]
    for heading, table in parts:
        out += [heading, table]
    return out + ["五、存在的主要问题及改进情况", "公开质量有待提高，下一步将加强培训。"]


def table_findings(items: list, fmt: str, registry) -> list[str]:
    from test_tables import _bytes

    result = lint_bytes(_bytes(items, fmt), f"report.{fmt}", registry, TABLE_CODES)
    assert result.kind == "gk"
    return [f"{d.code} {d.message}" for d in result.diagnostics]


TABLE_FORMATS = ["md", "txt", "docx", "html"]


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_the_full_tables_get_no_table_finding(fmt, registry):
    """Table 二 as one Word table of four blocks, table 三 with every row and its parents
    merged beside their items (no row of their own), table 四's three-row header."""
    assert table_findings(table_report(), fmt, registry) == []


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_a_wrong_item_cell_breaks_its_row_and_its_column(fmt, registry):
    """（五）2.重复申请 of 商业企业 2 for 1: the row's 总计 (FZG206) and the column's （七）总计
    (FZG207, the parent （五） counted as the sum of its items) no longer add up."""
    from builders.tables import table_3_full

    found = table_findings(table_report(t3=table_3_full(wrong={"2.重复申请": (1, "2")})), fmt, registry)
    assert [f.split("：", 1)[1] for f in found] == [
        "2.重复申请行：自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他=2，总计=1，相差1",
        "商业企业列：（一）+（二）+（三）+（四）+（五）+（六）=3，（七）总计=2，相差1"], found
    assert [f.split()[0] for f in found] == ["FZG206", "FZG207"]


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_a_missing_item_row_is_named(fmt, registry):
    from builders.tables import RESULT_ITEMS, table_3_full

    items = dict(RESULT_ITEMS, **{"（六）其他处理": RESULT_ITEMS["（六）其他处理"][:2]})
    found = table_findings(table_report(t3=table_3_full(items=items)), fmt, registry)
    # (tab rows too: table 二's one-cell caption rows, a piece followed by tabs, are rows of it)
    assert found == ["FZG203 收到和处理政府信息公开申请情况表的行与年度报告格式不符：表格2缺少"
                     "行“（六）其他处理”中的“3.其他”"]


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_a_missing_table_gets_one_finding_at_its_part(fmt, registry):
    """Table 四 replaced by its lead-in: FZG208 at the part's heading, no label finding."""
    items = table_report()
    at = items.index("四、政府信息公开行政复议、行政诉讼情况")
    items[at + 1] = "该部分以表格形式报告。"
    assert table_findings(items, fmt, registry) == [
        "FZG208 “四、政府信息公开行政复议、行政诉讼情况”部分未见行政复议、行政诉讼情况表"
        "（表格可能以图片形式插入，或在转换中丢失）"]


def test_table_2_written_as_four_tables_is_one_table(registry):
    """Four separate tables, each block's caption a line of its own before it (as text and
    many pages have them): their labels count together; a block left out is named."""
    from builders.tables import TABLE_2

    blocks = [TABLE_2[0:4], TABLE_2[4:7], TABLE_2[7:11], TABLE_2[11:14]]
    items = table_report()
    at = items.index("二、主动公开政府信息情况")
    separate = [part for block in blocks for part in (block[0][0][0], block[1:])]
    for fmt in ("md", "html"):
        assert table_findings(items[:at + 1] + separate + items[at + 2:], fmt, registry) == [], fmt
    found = table_findings(items[:at + 1] + separate[:6] + items[at + 2:], "md", registry)
    assert found == ["FZG201 主动公开政府信息情况表的栏目与年度报告格式不符：表格1缺少"
                     "行“行政事业性收费”，单元格“第二十条第（八）项”、“本年收费金额”"]


def test_the_old_tables_warn_only_from_2021(registry):
    """The 2019 trial tables: one warning in a report for 2023, none in one for 2020 (they were
    the format then); never the new format's missing labels (FZG201, FZG203)."""
    text = (DATA / "old_tables.txt").read_text(encoding="utf-8")
    got = lint_text(text, "r.txt", registry, TABLE_CODES).diagnostics
    assert [d.code for d in got] == ["FZG202"]
    older = lint_text(text.replace("2023年政府信息公开", "2020年政府信息公开", 1), "r.txt", registry, TABLE_CODES)
    assert older.diagnostics == []


def test_the_balance_is_checked_on_a_flat_text_table(registry):
    """complete.txt writes 三、本年度办理结果 and （七）总计 on rows of their own: FZG205's path
    [三、本年度办理结果, （七）总计] finds （七）总计 below it."""
    text = (DATA / "complete.txt").read_text(encoding="utf-8").replace(
        "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| 四、结转下年度继续办理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |")
    got = lint_text(text, "r.txt", registry, frozenset({"FZG205"})).diagnostics
    assert [(d.span.line, d.span.column, d.message.split("：", 1)[1]) for d in got] == [
        (79, 11, "自然人列：一+二=5，（七）总计+四=6，相差1"), (79, 35, "总计列：一+二=6，（七）总计+四=7，相差1")]


def test_a_parent_row_that_holds_a_figure_must_add_up(registry):
    """complete.txt gives （三）–（六） rows of their own: a figure there is checked against its
    items; blank, it counts as their sum (no finding)."""
    text = (DATA / "complete.txt").read_text(encoding="utf-8")
    parent = "| （四）无法提供 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"
    blank = lint_text(text.replace(parent, "| （四）无法提供 | | | | | | | |"), "r.txt", registry, TABLE_CODES)
    assert blank.diagnostics == []
    wrong = lint_text(text.replace("| 1.本机关不掌握相关政府信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
                                   "| 1.本机关不掌握相关政府信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"), "r.txt", registry,
                      TABLE_CODES)
    assert [(d.span.line, d.span.column, d.code, d.message.split("：", 1)[1]) for d in wrong.diagnostics] == [
        (65, 13, "FZG207", "自然人列：（四）无法提供的各分项之和=0，（四）无法提供=1，相差1"),
        (65, 37, "FZG207", "总计列：（四）无法提供的各分项之和=0，（四）无法提供=1，相差1")]


def test_no_table_finding_when_the_tables_passed_the_budgets(registry, monkeypatch):
    """Tables left out of the model (too large) are not missing."""
    import checker.skeleton.parser as parser_module

    text = (DATA / "missing_table.txt").read_text(encoding="utf-8")
    assert [d.code for d in lint_text(text, "r.txt", registry, TABLE_CODES).diagnostics] == ["FZG208"]
    real = parser_module._tables

    def left_out(lines, text, tables, layouts):
        found, _ = real(lines, text, tables, layouts)
        return found, True
    monkeypatch.setattr(parser_module, "_tables", left_out)
    assert lint_text(text, "r.txt", registry, TABLE_CODES).diagnostics == []


def test_a_table_of_its_own_design_is_checked_against_the_format(registry):
    """Part 三 holds a table the format's words do not name: it is table 三 all the same (no
    FZG208), and it lacks the format's rows and columns."""
    text = textwrap.dedent("""\
        平安县财政局2023年政府信息公开工作年度报告
        三、收到和处理政府信息公开申请情况
        | 项目 | 件数 |
        | 收到申请 | 5 |
        | 办结 | 5 |
        """)
    got = lint_text(text, "r.md", registry, TABLE_CODES).diagnostics
    assert [(d.span.line, d.span.column, d.code) for d in got] == [(3, 3, "FZG203"), (3, 3, "FZG204")]
    assert got[1].message.endswith("表格1缺少列“自然人”、“商业企业”、“科研机构”、“社会公益组织”、“法律服务机构”、"
                                   "“法人或其他组织”中的“其他”、“总计”"), got[1].message
