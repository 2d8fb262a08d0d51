"""Findings grow with the problems, not with the text: a sentence repeated N times (FZ505)
is one finding that says how often and on which other lines."""

from __future__ import annotations

import pytest

from checker.engine.checks._common import line_list
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


def test_a_placeholder_repeated_is_a_finding_at_each_place(registry):
    """forbidden_text (and misnomer) stay one finding per place: each is a place to fix, and
    Markdown comments and baselines silence findings line by line (a finding standing for
    other places would hide them with it). Their number is bounded by the engine's cap."""
    from checker.engine.run import MAX_PER_RULE

    found = _lint(registry, "一、主要举措和成效\n由某某同志负责。\n某某\n", "FZ502")
    assert [(d.span.line, d.message) for d in found] == [(2, "疑似模板占位符“某某”，请填写实际内容"),
                                                         (3, "疑似模板占位符“某某”，请填写实际内容")]
    found = _lint(registry, "一、主要举措和成效\n" + "某某\n" * (MAX_PER_RULE + 50), "FZ502")
    assert len(found) == MAX_PER_RULE and found[-1].message.endswith(f"只列出前 {MAX_PER_RULE} 处）")


@pytest.mark.parametrize("joined", [
    "", "。", "。。", "abc。def", "一二三。\n四五六！七八？九；十", "\n\n甲。乙\n丙；；丁",
    SENTENCE * 3 + "\n" + SENTENCE[:-1],
    "全面落实行政执法三项制度规范执法行为没有句号的很长一句话\n" + SENTENCE + SENTENCE + "。；",
])
@pytest.mark.parametrize("minimum", [0, 1, 2, 20])
def test_the_sentence_split_is_the_regex_s(joined, minimum):
    """duplicate_sentence's quick split finds the sentences JOINED_SENTENCE finds, at the
    same offsets."""
    from checker.engine.checks.duplicate_sentence import _long_sentences, _places
    from checker.skeleton.model import JOINED_SENTENCE

    assert _long_sentences(joined, minimum) == [s for s in JOINED_SENTENCE.findall(joined) if len(s) >= minimum]
    places: dict[str, list[int]] = {}
    for m in JOINED_SENTENCE.finditer(joined):
        if len(m.group()) >= minimum:
            places.setdefault(m.group(), []).append(m.start())
    assert _places(joined, minimum) == places


def test_the_sentence_split_on_random_texts():
    """The same on texts made of sentence ends, newlines and a few characters (seeded)."""
    import random

    from checker.engine.checks.duplicate_sentence import _long_sentences, _places
    from checker.skeleton.model import JOINED_SENTENCE

    rng = random.Random(20)
    for _ in range(500):
        joined = "".join(rng.choice("甲乙丙。！？；\n") for _ in range(rng.randint(0, 40)))
        for minimum in (0, 1, 2, 3):
            places: dict[str, list[int]] = {}
            for m in JOINED_SENTENCE.finditer(joined):
                if len(m.group()) >= minimum:
                    places.setdefault(m.group(), []).append(m.start())
            assert _places(joined, minimum) == places, joined
            assert _long_sentences(joined, minimum) == [s for s in JOINED_SENTENCE.findall(joined)
                                                        if len(s) >= minimum]
