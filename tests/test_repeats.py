"""Findings grow with the problems, not with the text: a sentence repeated N times (FZ505),
a placeholder or a wrong name written N times (forbidden_text, misnomer) is one finding that
says how often and on which other lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.engine.checks._common import line_list
from checker.engine.registry import load_registry
from checker.lint import lint_text

SENTENCE = "全面落实行政执法三项制度，规范执法行为。"        # 20 characters
OTHER = "深入推进严格规范公正文明执法，提升执法质量。"


def _lint(registry, text: str, code: str):
    return lint_text(text, "报告.txt", registry, frozenset({code})).diagnostics


def test_line_list_names_each_line_once_and_at_most_five():
    assert line_list([3]) == "3"
    assert line_list([3, 3, 15, 27]) == "3、15、27"
    assert line_list(range(1, 6)) == "1、2、3、4、5"
    assert line_list(range(1, 7)) == "1、2、3、4、5等"
    assert line_list([1, 1, 2, 3, 4, 5]) == "1、2、3、4、5"


def test_line_list_reads_no_further_than_it_names():
    def lines():
        yield from range(1, 7)
        raise AssertionError("read past the sixth line")

    assert line_list(lines()) == "1、2、3、4、5等"


def test_a_sentence_repeated_four_times_is_one_finding_naming_the_other_lines(registry):
    text = "\n".join(["一、主要举措和成效", SENTENCE, "二、存在的不足和原因", SENTENCE, "三、下一年度工作安排",
                      SENTENCE, "内容。", SENTENCE])
    found = _lint(registry, text, "FZ505")
    assert [(d.span.line, d.span.column, d.span.end_column) for d in found] == [(4, 1, 1 + len(SENTENCE))]
    assert found[0].message == "这句话与第2、6、8行逐字重复（共出现4次）"


def test_a_sentence_repeated_on_many_lines_names_five_then_etc(registry):
    text = "\n".join(["一、主要举措和成效", *[SENTENCE] * 9])
    found = _lint(registry, text, "FZ505")
    assert len(found) == 1
    assert found[0].span.line == 3
    assert found[0].message == "这句话与第2、4、5、6、7等行逐字重复（共出现9次）"


def test_each_repeated_sentence_is_one_finding_in_the_order_of_their_second_occurrence(registry):
    text = "\n".join(["一、主要举措和成效", SENTENCE, OTHER, OTHER + SENTENCE, OTHER])
    found = _lint(registry, text, "FZ505")
    assert [(d.span.line, d.span.column, d.message) for d in found] == [
        (4, 1, "这句话与第3、5行逐字重复（共出现3次）"),
        (4, 1 + len(OTHER), "这句话与第2行逐字重复（共出现2次）"),
    ]


def test_findings_of_a_sentence_repeated_a_thousand_times_do_not_grow(registry):
    text = "一、主要举措和成效\n" + "\n".join([SENTENCE, OTHER] * 1000)
    found = _lint(registry, text, "FZ505")
    assert [d.span.line for d in found] == [4, 5]
    assert found[0].message == "这句话与第2、6、8、10、12等行逐字重复（共出现1000次）"


def test_a_placeholder_repeated_is_one_finding_with_its_count_and_lines(registry):
    text = "XX县2023年度法治政府建设情况报告\n一、主要举措和成效\nXX县某某同志负责。XX县\n某某\n" + "XX县\n" * 10
    found = _lint(registry, text, "FZ502")
    assert [(d.span.line, d.span.column, d.message) for d in found] == [
        (1, 1, "疑似模板占位符“XX”，请填写实际内容（全文共13处，另见第3、5、6、7、8等行）"),
        (3, 4, "疑似模板占位符“某某”，请填写实际内容（全文共2处，另见第4行）"),
    ]


def test_a_placeholder_written_once_keeps_its_message(registry):
    found = _lint(registry, "一、主要举措和成效\n由某某同志负责。\n", "FZ502")
    assert [d.message for d in found] == ["疑似模板占位符“某某”，请填写实际内容"]


def test_a_misnomer_repeated_is_one_finding(registry):
    text = "推进法制政府建设。\n法制政府建设取得新成效。\n建设人民满意的法制政府。\n"
    found = _lint(registry, text, "FZ503")
    assert [(d.span.line, d.message) for d in found] == [
        (1, "“法制政府”有误，应为“法治政府”（全文共3处，另见第2、3行）")]


PACK = """\
pack: extra
title: 测试
applies_to: all
rules:
  - id: FZ990
    name: no-draft
    title: 草稿字样
    severity: warning
    check: forbidden_text
    any: [草稿]
    citation:
      practice: 公开文本不应有草稿字样
    message: %s
    rationale: 草稿字样不应出现。
    tests:
      - name: fires
        input: 草稿
        want: ["1:1 FZ990"]
      - name: silent
        input: 正文
        want: []
"""


def test_a_pack_message_without_the_placeholder_still_says_where_else(tmp_path: Path):
    (tmp_path / "scratch.yaml").write_text(PACK % "出现“{match}”", encoding="utf-8")
    registry = load_registry([tmp_path / "scratch.yaml"])
    rule = registry.rule("FZ990")
    assert rule.message == "出现“{match}”{elsewhere}"
    found = lint_text("报告\n草稿一\n草稿二\n", "x.txt", registry, frozenset({"FZ990"})).diagnostics
    assert [(d.span.line, d.message) for d in found] == [(2, "出现“草稿”（全文共2处，另见第3行）")]


def test_a_pack_message_that_places_it_is_kept(tmp_path: Path):
    (tmp_path / "scratch.yaml").write_text(PACK % "“{match}”{elsewhere}应删去", encoding="utf-8")
    registry = load_registry([tmp_path / "scratch.yaml"])
    assert registry.rule("FZ990").message == "“{match}”{elsewhere}应删去"


@pytest.mark.parametrize("joined", [
    "", "。", "。。", "abc。def", "一二三。\n四五六！七八？九；十", "\n\n甲。乙\n丙；；丁",
    SENTENCE * 3 + "\n" + SENTENCE[:-1],
    "全面落实行政执法三项制度规范执法行为没有句号的很长一句话\n" + SENTENCE + SENTENCE + "。；",
])
@pytest.mark.parametrize("minimum", [0, 1, 2, 20])
def test_the_sentence_split_is_the_regex_s(joined, minimum):
    """duplicate_sentence's quick split finds the sentences JOINED_SENTENCE finds."""
    from checker.engine.checks.duplicate_sentence import _long_sentences
    from checker.skeleton.model import JOINED_SENTENCE

    assert _long_sentences(joined, minimum) == [s for s in JOINED_SENTENCE.findall(joined) if len(s) >= minimum]
