"""Section recognition beyond keywords (checker/engine/recognize.py) with the shipped pack."""

from checker.engine import recognize
from checker.engine.registry import load_registry
from checker.lint import lint_text
from checker.skeleton.parser import parse

REGISTRY = load_registry()
TITLE = "平安县卫生健康局2023年度法治政府建设情况报告\n"
NUMS = "一二三四五六七八九十"


def kinds(text: str) -> list:
    report = parse(text)
    recognize.classify(report, REGISTRY.pack_for(report))
    return [(s.kind, s.inferred) for s in report.sections]


def test_recognising_one_part_moves_the_others_place():
    """短板弱项 is taken from its own words first; the theme after it then no longer sits
    where the shortfalls belong, and stays open."""
    text = TITLE + ("一、2023年工作回顾\n全年办理行政许可120件，累计开展培训12场，出台制度3项。\n"
                    "二、短板弱项\n一是执法力量不够。\n三、坚持问题导向\n全年办理案件3件。\n"
                    "四、主要负责同志履行法治建设职责情况\n局长带头学法。\n五、其他\n无。\n")
    assert kinds(text) == [("measures", True), ("shortfalls", True), (None, False),
                           ("first_responsible", True), ("other", True)]


def test_keywords_win_over_evidence_and_sub_headings_stay_keyword_only():
    text = TITLE + ("一、主要举措和成效\n（一）查找不足，扎实开展法治为民工作\n全年办理120件。\n"
                    "二、2024年工作打算\n持续加强执法培训。\n")
    report = parse(text)
    recognize.classify(report, REGISTRY.pack_for(report))
    assert [(s.kind, s.inferred) for s in report.walk()] == [
        ("measures", False), (None, False), ("next_year", False)]


def test_a_close_call_stays_open():
    """A heading with as much evidence for two kinds (其他 and 短板) decides nothing: the
    margin is not reached, and the scores are kept for the findings."""
    report = parse(TITLE + "一、主要举措和成效\n全年办理120件。\n二、其他短板\n内容。\n")
    [left] = recognize.classify(report, REGISTRY.pack_for(report))
    assert report.sections[1].kind is None and left.section is report.sections[1]
    assert left.scores["other"] == left.scores["shortfalls"] >= 4


def test_the_finding_names_the_heading_it_could_not_take():
    text = TITLE + ("一、主要举措和成效\n全年办理行政许可120件。\n"
                    "二、存在的不足和原因\n执法力量不足，原因是编制偏少。\n"
                    "三、党政主要负责人履行推进法治建设第一责任人职责情况\n局长带头学法。\n"
                    "四、强化队伍建设\n全年组织培训12次，累计培训600人次。\n")
    [d] = lint_text(text, "r.txt", REGISTRY, frozenset({"FZ104"})).diagnostics
    assert d.span.line == 8
    assert d.message.endswith("；“四、强化队伍建设”若即该部分，建议标题写明“下一年度工作安排”")


def test_many_open_parts_are_left_unscored():
    """Past MAX_OPEN open top-level sections (not a report's shape) nothing is inferred, and
    the work stays linear."""
    body = "".join(f"{NUMS[i % 10]}、强化第{i}项工作\n一是执法力量不够，短板明显。\n"
                   for i in range(recognize.MAX_OPEN + 1))
    report = parse(TITLE + body)
    assert len(report.sections) > recognize.MAX_OPEN
    assert recognize.classify(report, REGISTRY.pack_for(report)) == []
    assert not any(s.inferred for s in report.sections)
    few = parse(TITLE + "一、存在的短板\n一是执法力量不够。\n")
    recognize.classify(few, REGISTRY.pack_for(few))
    assert few.sections[0].kind == "shortfalls" and few.sections[0].inferred


def test_the_next_year_is_the_one_after_the_title_year():
    plan = "二、{}年工作重点\n持续加强执法培训，进一步完善法律顾问制度。\n"
    head = TITLE + "一、主要举措和成效\n全年办理120件。\n"
    assert kinds(head + plan.format(2024))[1] == ("next_year", True)
    assert kinds(head + plan.format(2022))[1][0] is None
