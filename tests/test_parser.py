"""The skeleton parser: grammar health, line shapes, recovery, positions."""

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.skeleton.parser import build_parser, iso_date, parse

from conftest import ROOT


def outline(text):
    def walk(sections):
        return [(s.level, s.heading.number, s.heading.title.text, [*walk(s.children)]) for s in sections]
    return walk(parse(text).sections)


def test_grammar_has_no_lalr_conflicts(caplog):
    """lark resolves shift/reduce conflicts silently unless debug=True: fail on any."""
    logging.getLogger("lark").setLevel(logging.DEBUG)
    with caplog.at_level(logging.DEBUG, logger="lark"):
        build_parser(debug=True)
    assert not [r for r in caplog.records if "conflict" in r.getMessage().lower()]


@pytest.mark.parametrize("line,level,number", [
    ("一、主要举措和成效", 1, "一"),
    ("十二、其他", 1, "十二"),
    ("一.主要举措", 1, "一"),
    ("（一）加强领导", 2, "一"),
    ("(一) 加强领导", 2, "一"),
    ("(一）加强领导", 2, "一"),
    ("一）加强领导", 2, "一"),           # a lost opening bracket still reads as level 2
    ("1.完善制度", 3, "1"),
    ("1、完善制度", 3, "1"),
    ("1. 完善制度", 3, "1"),
    ("１．完善制度", 3, "1"),            # full-width digit and dot
    ("（1）修订文件", 4, "1"),
    ("(1)修订文件", 4, "1"),
    ("### 一、主要举措和成效", 1, "一"),  # Markdown marks do not decide the level
    ("\u3000\u3000一、主要举措和成效", 1, "一"),
])
def test_heading_shapes(line, level, number):
    prefix = {1: "", 2: "一、总体\n", 3: "一、总体\n", 4: "一、总体\n1.项目\n"}[level]
    report = parse(prefix + line + "\n正文。\n")
    section = list(report.walk())[-1]
    assert (section.level, section.heading.number) == (level, number)
    assert report.problems == []


@pytest.mark.parametrize("line", [
    "2.5亿元用于法治建设。",        # a decimal number, not "2."
    "12.4国家宪法日开展宣传。",
    "一是加强领导，二是完善制度。",  # run-in enumeration
    "2023年，我局坚持依法行政。",
    "①加强领导。",
])
def test_not_headings(line):
    report = parse("一、主要举措和成效\n" + line + "\n")
    assert len(list(report.walk())) == 1
    assert report.sections[0].paragraphs[0].text.startswith(line[:2])


def test_glued_heading_title_and_run_in():
    report = parse("一、举措\n1.加强组织领导。2022年，我局党委高度重视。\n")
    item = report.sections[0].children[0]
    assert item.heading.title.text == "加强组织领导"
    assert item.heading.run_in.text == "2022年，我局党委高度重视。"


def test_run_in_paragraph_broken_across_lines():
    text = ("一、举措\n1、加强对规范性文件的备案审查，提高规范性文件制定水平，"
            "严格执行上级关于规范性文件的管理指导意见，定\n"
            "\n期对规范性文件进行清理。\n")
    item = parse(text).sections[0].children[0]
    assert item.heading.title.text == "加强对规范性文件的备案审查"
    assert item.heading.run_in.text.endswith("定期对规范性文件进行清理。")


def test_missing_parent_is_repaired_and_reported():
    report = parse("一、主要举措和成效\n（1）完善制度。\n二、存在的不足\n不足。\n")
    assert [(p.kind, p.line.no, p.found, p.expected) for p in report.problems] == [
        ("missing_parent", 2, "（1）", "1.")]
    # the heading is kept, under the nearest heading above it, with its own level
    assert outline(report and "一、主要举措和成效\n（1）完善制度。\n") == [
        (1, "一", "主要举措和成效", [(4, "1", "完善制度", [])])]
    assert [s.heading.number for s in report.sections] == ["一", "二"]


def test_subsection_before_any_section():
    report = parse("某局2023年度法治政府建设报告\n（一）加强领导\n内容。\n")
    assert [(p.kind, p.expected) for p in report.problems] == [("missing_parent", "一、")]
    assert [(s.level, s.heading.number) for s in report.sections] == [(2, "一")]


def test_content_after_closing_is_reported_once():
    report = parse("一、举措\n内容。\n特此报告。\n某局\n2024年1月5日\n附件：1.台账\n2.清单\n")
    assert [(p.kind, p.line.no, p.found) for p in report.problems] == [("after_closing", 6, "2")]
    assert report.closing.date == "2024-01-05"


def test_front_matter_closing_and_signers():
    text = ("曲阜市卫生健康局文件\n\n曲卫字（2025）1号\n签发人：张 建\n大连金普新区卫生健康局2024年度\n"
            "法治政府建设情况报告\n新区党工委、管委会：\n现将有关情况报告如下：\n一、主要举措和成效\n做法。\n"
            "特此报告。\n\n中共某局党组\n某局\n    2025年1月14日\n")
    report = parse(text)
    assert [ln.no for ln in report.preamble] == [1, 3, 4]
    assert report.title == "大连金普新区卫生健康局2024年度法治政府建设情况报告"
    assert report.addressee.no == 7
    assert report.opening[0].text == "现将有关情况报告如下："
    assert report.closing.phrase.no == 11
    assert [ln.no for ln in report.closing.signers] == [13, 14]
    assert report.closing.date == "2025-01-14"


def test_title_repeated_by_web_page_residue():
    text = "某局 2022年法治政府建设年度工作报告\n某局\n2022年法治政府建设年度工作报告\n2022年，我局依法行政。\n"
    assert parse(text).title == "某局2022年法治政府建设年度工作报告"


def test_a_date_inside_the_body_is_text():
    report = parse("一、举措\n2023年4月15日\n开展宣传。\n")
    assert report.closing is None
    assert [p.text for p in report.sections[0].paragraphs] == ["2023年4月15日", "开展宣传。"]


@pytest.mark.parametrize("written,iso", [
    ("2024年1月29日", "2024-01-29"),
    ("二〇二四年一月二十九日", "2024-01-29"),
    ("二○二四年十二月十日", "2024-12-10"),
    ("2023年2月30日", None),
])
def test_dates(written, iso):
    assert iso_date(written) == iso
    report = parse("一、举措\n内容。\n某局\n" + written + "\n")
    assert report.closing.date == (iso or written)


def test_pdf_residue_is_ignored():
    broken = "组织开展“学习贯彻党的二十大精神，推动全"
    text = f"一、举措\n{broken}\n\n- 3 -\n\n面贯彻实施宪法”的宣教活动。\n12\n（一）加强领导\n---\n内容。\n"
    report = parse(text)
    section = report.sections[0]
    assert [p.text for p in section.paragraphs] == [broken + "面贯彻实施宪法”的宣教活动。"]
    assert [c.heading.number for c in section.children] == ["一"]


def test_short_unpunctuated_line_stands_alone():
    """A short line without punctuation is an unnumbered heading, not a broken sentence."""
    report = parse("一、举措\n存在的问题和不足\n执法力量不足。\n")
    assert [p.text for p in report.sections[0].paragraphs] == ["存在的问题和不足", "执法力量不足。"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_keep_line_numbers(newline):
    text = newline.join(["标题报告", "", "一、举措", "内容。", "二、不足", "不足。"])
    report = parse(text)
    assert [s.heading.line.no for s in report.sections] == [3, 5]


@pytest.mark.parametrize("text", ["", "\n\n", "   ", "。", "特此报告。", "2024年1月1日", "（1）", "一、"])
def test_degenerate_inputs_never_raise(text):
    parse(text)


def test_positions_point_at_the_original_text():
    raw = "一、举措\n　　我局 2023 年度 不涉及履行法院生效裁判情况。\n"
    para = parse(raw).sections[0].paragraphs[0]
    start = para.text.index("生效裁判")
    span = para.body.span(start, start + 4)
    line = raw.split("\n")[1]
    assert line[span.column - 1:span.end_column - 1] == "生效裁判"


def test_items_then_subsections_under_one_heading():
    """1. items followed by （一） subsections under the same 一、 stay under it."""
    report = parse("一、主要举措和成效\n1.加强执法培训。\n（一）完善法律顾问制度。\n2.细化。\n")
    assert report.problems == []
    (section,) = report.sections
    assert [(c.level, c.heading.number) for c in section.children] == [(3, "1"), (2, "一")]
    assert [(c.level, c.heading.number) for c in section.children[1].children] == [(3, "2")]


# ---------------------------------------------------------------------------------------
# issue 14: cost linear in the text, and bounded


def test_many_missing_parents_each_repaired_once():
    """The recovery tries a parent level on the parse table, not on a copy of the whole parse
    (which made 1,000 such pairs take over a minute): same repair for every pair."""
    report = parse("某局2023年度法治政府建设报告\n" + "一、举措\n（1）完善制度。\n" * 300)
    assert [(p.kind, p.found, p.expected) for p in report.problems] == [("missing_parent", "（1）", "1.")] * 300
    assert [[(c.level, c.heading.number) for c in s.children] for s in report.sections] == [[(4, "1")]] * 300


def test_everything_after_the_closing_is_one_problem():
    """Headings, closings and text after the closing: one problem with the count, as the
    per-token recoveries merged into; the signature after a dropped line still closes."""
    text = "一、举措\n内容。\n特此报告。\n" + "二、不足\n特此报告。\n正文。\n正文。\n" * 1000
    report = parse(text)
    assert [(p.kind, p.line.no, p.found) for p in report.problems] == [("after_closing", 4, "4000")]
    report = parse("一、举措\n内容。\n特此报告。\n附件：\n某局\n2024年1月5日\n")
    assert [(p.kind, p.line.no, p.found) for p in report.problems] == [("after_closing", 4, "1")]
    assert [ln.no for ln in report.closing.signers] == [5] and report.closing.date == "2024-01-05"


def test_a_long_front_of_title_lines():
    """Thousands of short lines before the text are one token; the title drops the lines the
    lines after it repeat, in one pass."""
    report = parse("法治政府建设\n" * 5000 + "某局2023年度报告\n一、举措\n内容。\n")
    assert [ln.no for ln in report.title_lines] == list(range(1, 5002))
    assert report.title == "法治政府建设某局2023年度报告"


def test_budgets_on_lines_and_headings(monkeypatch):
    import checker.skeleton.lexer as lexer
    import checker.skeleton.parser as parser
    from checker.sources import DEFAULT_MAX_BYTES, SourceError

    monkeypatch.setattr(parser, "MAX_LINES", 100)
    monkeypatch.setattr(lexer, "MAX_TEXT_LINES", 30)
    monkeypatch.setattr(lexer, "MAX_HEADINGS", 10)
    parse("\n" * 99)                                   # 100 lines
    with pytest.raises(SourceError) as err:
        parse("\r\n" * 100)
    assert err.value.problem == "too_complex" and err.value.detail.startswith("文本有 101 行，超过 100 行的上限")
    parse("正文。\n\n" * 30)                              # 30 lines with text
    with pytest.raises(SourceError) as err:
        parse("正文。\n\n" * 31)
    assert err.value.problem == "too_complex" and err.value.detail.startswith("文本中有文字的行超过 30 行")
    parse("一、举措\n" * 10)
    with pytest.raises(SourceError) as err:
        parse("一、举措\n" * 11)
    assert err.value.problem == "too_complex" and err.value.detail.startswith("编号标题超过 10 个")
    # a raised size limit raises the budgets in proportion; None (no limit) keeps them
    parse("一、举措\n" * 20, size_limit=2 * DEFAULT_MAX_BYTES)
    with pytest.raises(SourceError):
        parse("一、举措\n" * 11, size_limit=None)


def test_the_budget_reached_first_is_the_one_reported(monkeypatch):
    """The lexer checks the budget on lines once, after the lines: still the one named when
    the lines reach it before the headings reach theirs."""
    import checker.skeleton.lexer as lexer
    from checker.sources import SourceError

    monkeypatch.setattr(lexer, "MAX_TEXT_LINES", 30)
    monkeypatch.setattr(lexer, "MAX_HEADINGS", 10)
    for text, expected in (("正文。\n" * 31 + "一、举措\n" * 11, "文本中有文字的行超过 30 行"),
                           ("一、举措\n" * 11 + "正文。\n" * 31, "编号标题超过 10 个"),
                           ("标题\n" * 31, "文本中有文字的行超过 30 行")):
        with pytest.raises(SourceError) as err:
            parse(text)
        assert err.value.detail.startswith(expected)


def test_too_complex_is_a_finding(monkeypatch, registry):
    import checker.skeleton.lexer as lexer
    from checker.lint import lint_text

    monkeypatch.setattr(lexer, "MAX_HEADINGS", 10)
    result = lint_text("一、举措\n" * 11, "a.txt", registry)
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("FZ910", "文件结构过于复杂，超出单个文件的检查工作量上限，未检查：编号标题超过 10 个"
                  "（报告通常只有几十到几百个；上限随 --max-file-size 按比例提高）")]
    assert not result.checked


_LOOP_CASES = [
    "一、主要举措和成效\n（1）完善制度。\n二、存在的不足\n不足。\n",                  # a missing parent level
    "某局2023年度法治政府建设报告\n（一）加强领导\n内容。\n",                          # a subsection first
    "一、举措\n内容。\n特此报告。\n某局\n2024年1月5日\n附件：1.台账\n2.清单\n",         # lines after the closing
    "某局2023年度法治政府建设报告\n" + "一、举措\n（1）完善制度。\n" * 30,
    "一、举措\n内容。\n特此报告。\n" + "二、不足\n特此报告。\n正文。\n" * 20,
    "曲阜市卫生健康局文件\n曲卫字（2025）1号\n签发人：张建\n某局2024年度\n法治政府建设情况报告\n新区管委会：\n"
    "现将情况汇报如下：\n一、举措\n（一）领导\n1.坚持固本强基。抓实考核。\n（1）细化\n内容\n继续。\n"
    "（二）制度\n2、完善\n二、不足\n特此报告。\n某局\n2025年1月14日\n",
    "", "\n\n", "特此报告。", "2024年1月5日\n", "（1）\n（一）\n1.\n一、\n",
]


_SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


@pytest.mark.parametrize("text", _LOOP_CASES + _SEED_TEXTS)
def test_the_parse_loop_builds_what_lark_s_own_loop_builds(text, monkeypatch):
    """checker.skeleton.parser runs lark's table with a loop of its own (_Driver): the same
    model, problems included, as lark's ``parse`` with the same recovery."""
    from checker.skeleton import parser

    ours = parser.parse(text)

    class LarksLoop:
        def __init__(self, lark):
            self.lark = lark

        def parse(self, stream, on_error):
            return self.lark.parse(stream, on_error=on_error)

    monkeypatch.setattr(parser, "_driver", LarksLoop)
    assert repr(parser.parse(text)) == repr(ours)


@pytest.mark.parametrize("pattern,first", [
    ("ab", "a"), ("(?:ab|c)d", "ac"), ("x?y", "xy"), ("(?=q)z", "z"), ("[a-c]+", "a-c"), (r"\d\.", r"\d"),
    ("a*", None), (".x", None), ("[^a]", None), (r"\w", None), ("", None), ("(?i:a)b", None), ("(?i)ab", None),
])
def test_first_chars_of_a_pattern(pattern, first):
    from checker.skeleton.lexer import first_chars

    assert first_chars(pattern) == first


def test_a_line_no_body_shape_starts_with_is_text():
    """The lexer's shortcut (Shapes.body_first) never hides a shape: every line of the seeds
    and of lines made to start like each shape matches body_first when it matches a shape."""
    from checker.skeleton.normalize import view
    from checker.skeleton.parser import _skeleton

    shapes = _skeleton()[0]
    assert shapes.body_first is not None
    lines = [view(ln) for text in _SEED_TEXTS for ln in text.splitlines()]
    lines += ["２０２４年1月5日", "１.加强", "- 3 -", "—3—", "第3页", "3/12", "====", "特此报告", "（一）", "(1)",
              "十二、其他", "1、工作", "〇二四年", "٣.", "𝟏.条"]
    shaped = [ln for ln in lines if ln and shapes.body.match(ln)]
    assert len(shaped) > 100
    assert all(shapes.body_first.match(ln) for ln in shaped)
    assert not shapes.body_first.match("全面推进依法行政") and not shapes.body_first.match("我局认真贯彻")


# -- the direct path (parser._build_directly): a stream the grammar takes as it is is built
# without the table; it must give what the table gives, and leave every other stream to it

_SHAPED_LINES = [
    "曲阜市卫生健康局文件", "曲卫字（2025）1号", "签发人：张建", "某局2024年度法治政府建设情况报告", "新区管委会：",
    "2024年1月5日", "一、主要举措和成效", "二、存在的不足。正文在此。", "（一）加强领导，强化保障", "(二)健全机制",
    "1.坚持固本强基。抓实干部考核", "2、强化法治教育", "（1）开展培训", "(2)落实责任，推进依法行政工作全面开展取得实效",
    "正文第一行，没有结束", "继续正文。", "存在的问题", "特此报告。", "某某市司法局", "- 3 -", "", "",
    "这是一个很长的句子没有标点符号但是超过了三十个字符所以不是标题而是正文内容的一部分",
]


def _direct_and_table(text, monkeypatch):
    from checker.skeleton import parser

    builder = parser._skeleton()[1]
    assert builder.direct
    ours = parser.parse(text)
    monkeypatch.setattr(builder, "direct", False)
    table = parser.parse(text)
    monkeypatch.setattr(builder, "direct", True)
    return ours, table


# reports shaped as most are (front, sections, closing), which the direct path mostly takes
_REPORTS = st.builds(
    lambda front, body, closing: "\n".join([front, *body, closing]),
    st.sampled_from(["", "某局2024年度法治政府建设情况报告", "某局文件\n某政发〔2024〕3号\n某局2024年度报告\n市政府：",
                     "某局2024年度报告\n现将情况报告如下："]),
    st.lists(st.sampled_from(["一、举措", "二、不足。正文在此。", "（一）领导", "1.坚持。内容。", "2、完善制度",
                              "（1）细化", "正文。", "正文第一行，没有结束", "存在的问题", ""]), max_size=25),
    st.sampled_from(["", "特此报告。", "特此报告。\n某局\n2024年1月5日", "某局\n2024年1月5日", "2024年1月5日"]))


def _layout(report):
    """What Report.lay_out (or the direct builder, as it builds) gives: the running texts, the
    sections in reading order and where each one's texts lie."""
    return ([(t.places[0].no, t.text) for t in report._flat], [s.heading.line.no for s in report.walk()],
            [s._laid[1:] for s in report.walk()], all(s._laid[0] is report._flat for s in report.walk()))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SHAPED_LINES), max_size=30).map("\n".join) | _REPORTS)
def test_the_direct_path_builds_what_the_table_builds(text):
    with pytest.MonkeyPatch.context() as monkeypatch:
        ours, table = _direct_and_table(text, monkeypatch)
    assert repr(ours) == repr(table)
    assert _layout(ours) == _layout(table)


@pytest.mark.parametrize("text", _LOOP_CASES + _SEED_TEXTS)
def test_the_direct_path_on_the_seeds_and_the_recovery_cases(text, monkeypatch):
    ours, table = _direct_and_table(text, monkeypatch)
    assert repr(ours) == repr(table)
    assert _layout(ours) == _layout(table)


def test_a_section_s_texts_are_its_slice_of_the_laid_out_texts():
    from checker.skeleton.model import Report

    report = parse(_SEED_TEXTS[0])
    assert report._flat is not None and len(report.walk()) > 5
    for section in report.walk():
        for headings in (True, False):
            collected = []
            section._collect(collected, headings)
            assert [id(t) for t in section.texts(headings)] == [id(t) for t in collected]
    for headings in (True, False):
        plain = Report(report.lines, opening=report.opening, sections=report.sections)   # not laid out
        assert [id(t) for t in report.texts(headings)] == [id(t) for t in plain.texts(headings)]


def test_the_direct_path_takes_a_well_formed_report_and_leaves_the_others_to_the_table():
    from checker.skeleton import lexer, normalize, parser

    shapes, builder = parser._skeleton()

    def direct(text):
        stream = lexer.classify(normalize.lines_of(text), shapes)
        builder.use(stream)
        try:
            return parser._build_directly(stream, builder)
        finally:
            builder.use(None)

    well_formed = ("某局2023年度报告\n一、举措\n（一）领导\n1.坚持。内容。\n（1）细化\n正文。\n"
                   "特此报告。\n某局\n2024年1月5日\n")
    assert direct(well_formed) is not None
    assert direct("一、举措\n（1）完善制度。\n") is None              # a missing parent level
    assert direct("一、举措\n特此报告。\n正文。\n二、不足\n") is None      # lines after the closing


def test_the_direct_path_is_off_for_a_grammar_with_other_rules():
    from checker import resources
    from checker.skeleton.parser import _DIRECT_RULES, _rules

    grammar = resources.grammar_path().read_text(encoding="utf-8")
    assert _rules(grammar) == _rules(_DIRECT_RULES)
    changed = grammar.replace("sub2: H2 para* sub3*", "sub2: H2 para* sub3* sub4*")
    assert changed != grammar and _rules(changed) != _rules(_DIRECT_RULES)
