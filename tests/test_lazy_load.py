"""What the pack load leaves for later (issue 20: one report's cold start) still behaves as
when it was done at load: a rule's RE2 set is compiled on first use and answers as its
patterns do; a pattern RE2 cannot compile is still a pack error when the pack loads."""

import pytest

from checker.engine.checks._common import compile_regexes, matches_any
from checker.engine.schema import SchemaError

PATTERNS = ["^第[一二三四]条", "法治政府建设", "[0-9]{4}年$"]


def test_a_rules_set_is_compiled_on_first_use_and_matches_as_its_patterns():
    regexes = compile_regexes(PATTERNS, 3)
    assert regexes._screen is None                  # nothing compiled at load but the patterns
    for text in ["第二条 规定", "推进法治政府建设", "见2023年\n下文", "2023年度", "无关的文字", ""]:
        data = text.encode("utf-8")
        want = [i for i, r in enumerate(regexes) if r.search(text)]
        assert sorted(regexes.screen.Match(data) or []) == want, text
        assert matches_any(regexes, data) == bool(want)
    assert regexes._screen is regexes.screen        # compiled once


def test_no_patterns_no_set():
    regexes = compile_regexes([], 3)
    assert regexes.screen is None and not matches_any(regexes, b"x")


@pytest.mark.parametrize("pattern,reason", [
    ("(a)\\1", "invalid escape sequence"),         # a parse error
    ("\\pL{1000}", "pattern too large"),            # an error only compiling finds
])
def test_a_bad_pattern_is_refused_at_load(pattern, reason):
    with pytest.raises(SchemaError) as info:
        compile_regexes(["甲", pattern], 7)
    assert info.value.line == 7 and reason in info.value.message
