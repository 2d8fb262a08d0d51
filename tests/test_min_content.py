"""min_content counts a section's sentences over its texts joined (checks/min_content.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from checker.engine.checks.min_content import counts, sentence_count


@given(st.lists(st.text(alphabet="。！？；，a一 ", max_size=8), max_size=8))
def test_counts_over_joined_texts_are_the_sum_of_each_text_s(texts):
    assert counts(texts) == (sum(map(sentence_count, texts)), sum(map(len, texts)))


def test_counts_of_usual_texts():
    assert counts(["加强领导", "一是完善制度。二是强化考核；", "", "落实责任"]) == (4, 22)
