"""The 政府信息公开工作年度报告 kind (rules/gk.yaml): sample reports written for the project
(tests/data/gk/, see its README.md), each planted fault getting exactly its finding; the
kind told apart from the 法治政府建设 kind; and what the pack needed from the engine: rule
conditions on the title (`when`, `when_not`), required_content's `{missing}`, report_year's
`period` mode.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter

import pytest

from checker.engine.registry import PackError, load_registry
from checker.lint import lint_path, lint_text
from checker.skeleton.parser import parse

from conftest import ROOT, SEEDS
from test_cli import fzlint

DATA = ROOT / "tests" / "data" / "gk"
CORRECT = ["complete.txt", "government_complete.txt"]
# each faulty report and the one finding it must get: (line, column, code, words of the message)
FAULTS = {
    "missing_part.txt": (82, 1, "FZG104", "应置于“四、存在的主要问题及改进情况”之前"),
    "wrong_order.txt": (65, 1, "FZG107", "“主动公开政府信息情况”部分的位置"),
    "late_department.txt": (108, 1, "FZG303", "成文日期2024年2月20日晚于2024年1月31日"),
    "last_year_period.txt": (3, 172, "FZG302", "统计期限却写的是2022年"),
    "government_no_assessment.txt": (5, 1, "FZG109", "未见社会评议的情况"),
    "government_late.txt": (108, 1, "FZG304", "成文日期2024年4月10日晚于2024年3月31日"),
    "wrong_cell.txt": (54, 37, "FZG206",
                       "（一）予以公开行：自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他=4，总计=3，相差1"),
    "intro_parts.txt": (3, 143, "FZG111", "导语称六个部分，只列出五个部分"),
    "prose_figure.txt": (15, 13, "FZG211", "正文称新收申请6件，表三“一、本年新收政府信息公开申请数量”的总计为5"),
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
    line, column, code, words = FAULTS[name]
    got = findings(name, registry)
    assert [(d.span.line, d.span.column, d.code) for d in got] == [(line, column, code)], \
        [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in got]
    assert words in got[0].message


def unnumbered(line: str) -> str:
    return re.sub(r"^[一二三四五六]、", "", line)


def test_the_faulty_reports_differ_from_a_correct_one_by_their_fault_only():
    """Each faulty report is a correct one with one change (so its one finding is the fault's)."""
    complete = (DATA / "complete.txt").read_text(encoding="utf-8").splitlines()
    government = (DATA / "government_complete.txt").read_text(encoding="utf-8").splitlines()
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
        changed = [n for n, (a, b) in enumerate(zip(base, lines)) if a != b]
        assert len(lines) == len(base) and len(changed) == 1, (name, changed)


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
