"""Rule packs: every mistake is reported with the file, the YAML line and what is wrong."""

import textwrap

import pytest

from checker.engine.registry import PackError, load_registry

GOOD_RULE = """\
  - id: FZ990
    name: sample-rule
    severity: warning
    check: forbidden_text
    any: [样例]
    citation:
      practice: 测试
    message: 发现“{match}”
    rationale: 测试用规则。
    tests:
      - name: fires
        input: 样例
        want: ["1:1 FZ990"]
      - name: silent
        input: 其他
        want: []
"""
HEADER = "pack: extra\ntitle: 测试\napplies_to: all\nrules:\n"


def load_pack(tmp_path, text):
    (tmp_path / "extra.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_registry([tmp_path])


def error_of(tmp_path, text) -> PackError:
    with pytest.raises(PackError) as info:
        load_pack(tmp_path, text)
    assert info.value.path.endswith("extra.yaml")
    assert str(info.value).startswith(f"{info.value.path}:{info.value.line}: ")
    return info.value


def test_a_valid_extra_pack_loads_and_its_rule_runs(tmp_path):
    registry = load_pack(tmp_path, HEADER + GOOD_RULE)
    assert registry.rule("FZ990").name == "sample-rule"


@pytest.mark.parametrize("mutate,line,words", [
    (lambda t: t.replace("check: forbidden_text", "check: forbid"), 8, ["未知的检查类型", "forbid"]),
    (lambda t: t.replace("    severity: warning\n", ""), 5, ["缺少必填选项“severity”"]),
    (lambda t: t.replace("severity: warning", "severity: 3"), 7, ["severity", "3"]),
    (lambda t: t.replace("severity: warning", "severity: fatal"), 7, ["fatal", "error"]),
    (lambda t: t.replace("    any: [样例]\n", "    any: [样例]\n    anyy: [x]\n"), 10, ["未知的选项“anyy”"]),
    (lambda t: t.replace("any: [样例]", "any: []"), 9, ["any", "非空"]),
    (lambda t: t.replace("any: [样例]", "regex: ['(a)\\1']"), 9, ["RE2", "反向引用"]),
    (lambda t: t.replace("{match}", "{where}"), 12, ["占位符", "where"]),
    (lambda t: t.replace("      practice: 测试\n", "      article: 第一条\n"), 11, ["citation", "source"]),
    (lambda t: t.replace("    citation:\n      practice: 测试\n", ""), 5, ["缺少必填字段“citation”"]),
    (lambda t: t.replace("id: FZ990", "id: X1"), 5, ["FZ123"]),
    (lambda t: t.replace("name: sample-rule", "name: Sample Rule"), 6, ["name"]),
    (lambda t: t.replace('want: ["1:1 FZ990"]', "want: []"), 14, ["触发"]),
    (lambda t: t.replace("FZ990", "FZ101"), 5, ["FZ101", "重复"]),
    (lambda t: t.replace("rationale: 测试用规则。", "rationale: 测试用规则。\n    rationale: 又一次"), 14, ["重复"]),
])
def test_pack_errors_name_the_line(tmp_path, mutate, line, words):
    err = error_of(tmp_path, mutate(HEADER + GOOD_RULE))
    assert err.line == line, err
    for w in words:
        assert w in err.message, err


def test_malformed_yaml_names_the_line(tmp_path):
    err = error_of(tmp_path, HEADER + GOOD_RULE.replace("any: [样例]", "any: [样例"))
    assert err.line >= 10 and "YAML" in err.message


def test_python_object_tags_are_refused(tmp_path):
    err = error_of(tmp_path, HEADER + GOOD_RULE.replace("any: [样例]", "any: !!python/object/apply:os.system [echo]"))
    assert err.line == 9 and "!!python/object/apply:os.system" in err.message


def test_unknown_top_level_key(tmp_path):
    err = error_of(tmp_path, "pack: extra\ntitle: 测试\nrulez: []\nrules:\n" + GOOD_RULE)
    assert err.line == 3 and "rulez" in err.message


def test_section_kind_must_exist(tmp_path):
    text = """\
    pack: extra
    title: 测试
    section_kinds:
      - kind: plan
        label: 计划
        any: [计划]
    section_order: [plan]
    phrases: {before: "在{heading}前", after: "在{heading}后", none: 无}
    rules:
      - id: FZ990
        name: sample-rule
        severity: error
        check: required_section
        kind: plans
        citation: {practice: 测试}
        message: 缺少{label}
        rationale: 测试。
        tests:
          - {name: fires, input: "一、其他", want: ["1:1 FZ990"]}
          - {name: silent, input: "一、计划", want: []}
    """
    err = error_of(tmp_path, text)
    assert err.line == 14 and "plans" in err.message and "plan" in err.message


def test_catastrophic_pattern_runs_in_linear_time(tmp_path):
    """(a+)+$ backtracks exponentially in Python's re; RE2 matches it in linear time.

    With stdlib re, 40 'a's followed by '!' would take on the order of 2**40 steps; the test
    finishing at all is the proof (no timing assertion)."""
    from checker.lint import lint_text

    registry = load_pack(tmp_path, HEADER + GOOD_RULE.replace("any: [样例]", "regex: ['(a+)+$']")
                         .replace("input: 样例", "input: aaa"))
    result = lint_text("a" * 40 + "!\n" + "a" * 100_000 + "!", "x.txt", registry, frozenset({"FZ990"}))
    assert result.diagnostics == []
    result = lint_text("a" * 40, "x.txt", registry, frozenset({"FZ990"}))
    assert [d.code for d in result.diagnostics] == ["FZ990"]
