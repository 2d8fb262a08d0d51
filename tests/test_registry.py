"""Rule packs: every mistake is reported with the file, the YAML line and what is wrong."""

import os
import re
import textwrap

import pytest

from checker.engine.registry import PackError, load_registry

GOOD_RULE = """\
  - id: FZ990
    name: sample-rule
    title: 样例规则
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
    (lambda t: t.replace("check: forbidden_text", "check: forbid"), 9, ["未知的检查类型", "forbid"]),
    (lambda t: t.replace("    severity: warning\n", ""), 5, ["缺少必填选项“severity”"]),
    (lambda t: t.replace("severity: warning", "severity: 3"), 8, ["severity", "3"]),
    (lambda t: t.replace("severity: warning", "severity: fatal"), 8, ["fatal", "error"]),
    (lambda t: t.replace("    any: [样例]\n", "    any: [样例]\n    anyy: [x]\n"), 11, ["未知的选项“anyy”"]),
    (lambda t: t.replace("any: [样例]", "any: []"), 10, ["any", "非空"]),
    (lambda t: t.replace("any: [样例]", "regex: ['(a)\\1']"), 10, ["RE2", "反向引用"]),
    (lambda t: t.replace("{match}", "{where}"), 13, ["占位符", "where"]),
    (lambda t: t.replace("      practice: 测试\n", "      article: 第一条\n"), 12, ["citation", "source"]),
    (lambda t: t.replace("    citation:\n      practice: 测试\n", ""), 5, ["缺少必填字段“citation”"]),
    (lambda t: t.replace("id: FZ990", "id: X1"), 5, ["FZ123"]),
    (lambda t: t.replace("name: sample-rule", "name: Sample Rule"), 6, ["name"]),
    (lambda t: t.replace("    title: 样例规则\n", ""), 5, ["缺少必填选项“title”"]),
    (lambda t: t.replace("title: 样例规则", "title: " + "很长" * 11), 7, ["title", "20"]),
    (lambda t: t.replace("title: 样例规则", "title: ''"), 7, ["title"]),
    (lambda t: t.replace('want: ["1:1 FZ990"]', "want: []"), 15, ["触发"]),
    (lambda t: t.replace("FZ990", "FZ101"), 5, ["FZ101", "重复"]),
    (lambda t: t.replace("rationale: 测试用规则。", "rationale: 测试用规则。\n    rationale: 又一次"), 15, ["重复"]),
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
    assert err.line == 10 and "!!python/object/apply:os.system" in err.message


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
        title: 样例规则
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
    assert err.line == 15 and "plans" in err.message and "plan" in err.message


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


# ---------------------------------------------------------------------------------------
# Hostile packs (issue 14): the work a pack can cause is bounded, and each refusal names the
# pack and the line. Both sides of every limit.

@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """A cache folder of the test's own: a pack parsed by another test is not taken from the
    cache, so the limits below are applied to it."""
    from checker import cache

    monkeypatch.setenv("FZLINT_CACHE_DIR", str(tmp_path / "cache"))
    cache.cache_dir.cache_clear()
    yield
    cache.cache_dir.cache_clear()


def laughs(levels: int, width: int = 9) -> str:
    """A "billion laughs" mapping: each level a list of ``width`` aliases of the level above."""
    names = "abcdefghijklmnop"
    lines = [f"  a: &a [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"  {names[i]}: &{names[i]} [{', '.join([f'*{names[i - 1]}'] * width)}]")
    return "x-laughs:\n" + "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_the_line_where_it_passes_the_budget(tmp_path, fresh_cache):
    """9 levels of 9 aliases: 1 KB describing 9**9 nodes. Level e (1 + 9 * 7381 = 66,430
    nodes) is the first past 50,000."""
    text = HEADER.replace("rules:\n", laughs(9) + "rules:\n") + GOOD_RULE
    err = error_of(tmp_path, text)
    assert err.line == text.splitlines().index("  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]") + 1
    assert "展开别名" in err.message and "50,000 个节点" in err.message


def test_aliases_within_the_budget_load(tmp_path, fresh_cache):
    """4 levels (820 nodes) are read; the unknown key is what is then reported."""
    err = error_of(tmp_path, HEADER.replace("rules:\n", laughs(4) + "rules:\n") + GOOD_RULE)
    assert err.line == 4 and "x-laughs" in err.message


def test_the_node_budget_on_both_sides(tmp_path, fresh_cache, monkeypatch):
    """Every scalar, list and mapping (keys included) is a node: a pack of exactly the budget
    loads; with one keyword more the budget is passed at the pack's last line, with a hundred
    more inside the keywords' line, where reading stops. A smaller budget (still above the
    largest shipped pack's nodes, which load beside it), counted here with PyYAML's own
    composer."""
    from pathlib import Path

    import yaml

    from checker.engine import yamlload

    def nodes(node) -> int:
        if isinstance(node, yaml.ScalarNode):
            return 1
        parts = node.value if isinstance(node, yaml.SequenceNode) else [p for pair in node.value for p in pair]
        return 1 + sum(map(nodes, parts))

    def pack(keywords: int) -> str:
        many = "".join(f", 词{i}" for i in range(keywords))
        return HEADER + GOOD_RULE.replace("any: [样例]", "any: [样例" + many + "]")

    rules = Path(__file__).resolve().parent.parent / "rules"
    shipped = max(nodes(yaml.compose(p.read_text(encoding="utf-8"))) for p in rules.glob("*.yaml"))
    size = max(2000, shipped + 500)           # keywords: one node each
    monkeypatch.setattr(yamlload, "MAX_NODES", nodes(yaml.compose(pack(size))))
    assert load_pack(tmp_path, pack(size)).rule("FZ990")
    err = error_of(tmp_path, pack(size + 1))
    assert err.line == len(pack(size + 1).splitlines()) and f"{yamlload.MAX_NODES:,} 个节点" in err.message, err
    assert error_of(tmp_path, pack(size + 100)).line == 10


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path, fresh_cache):
    err = error_of(tmp_path, HEADER.replace("rules:\n", "x-loop: &loop\n  - *loop\nrules:\n") + GOOD_RULE)
    assert err.line == 5 and "循环引用" in err.message and "*loop" in err.message


@pytest.mark.parametrize("value,words", [
    ("1" * 5000, ["无法读作整数", "加引号"]),
    ("2024-13-45", ["“2024-13-45”", "无法读作日期"]),
    ("!!float 一点五", ["无法读作小数"]),
])
def test_a_value_its_type_cannot_hold_names_the_line(tmp_path, fresh_cache, value, words):
    err = error_of(tmp_path, HEADER.replace("rules:\n", f"x-value: {value}\nrules:\n") + GOOD_RULE)
    assert err.line == 4, err
    for w in words:
        assert w in err.message, err


def _keyword_pack(count: int, length: int = 30, planted: str | None = None) -> str:
    """A pack whose rule has ``count`` distinct keywords of ``length`` characters."""
    import random

    rng = random.Random(count)
    words = {"".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(length)) for _ in range(count)}
    while len(words) < count:
        words.add("".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(length)))
    words = sorted(words)
    if planted is not None:
        words[-1] = planted
    return HEADER + GOOD_RULE.replace("any: [样例]", "any: [样例, " + ", ".join(words) + "]")


def test_the_keyword_budget_on_both_sides(tmp_path, fresh_cache):
    """The shipped packs have ~220 characters of keywords: 1,600 keywords of 30 characters
    (48,000 + those) load and are screened in several RE2 sets, the last of which finds the
    planted keyword; 1,700 (51,000) are refused at the rule's line, naming the limit."""
    from checker.lint import lint_text

    planted = "甲乙丙丁戊己庚辛壬癸" * 3
    registry = load_pack(tmp_path, _keyword_pack(1600, planted=planted))
    assert len(registry.screen._sets) > 1 and planted in registry.screen.known
    result = lint_text(f"一、主要举措和成效\n这里写着{planted}。\n", "x.txt", registry, frozenset({"FZ990"}))
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("FZ990", 2)]
    err = error_of(tmp_path, _keyword_pack(1700))
    assert err.line == 5 and "50,000 字" in err.message and "FZ990" in err.message, err


def test_a_pack_of_exactly_the_size_limit_loads_and_one_byte_more_is_refused(tmp_path, fresh_cache):
    from checker.engine.registry import MAX_PACK_BYTES

    text = (HEADER + GOOD_RULE).encode("utf-8")
    padded = text + b"#" * (MAX_PACK_BYTES - len(text) - 1) + b"\n"
    assert len(padded) == MAX_PACK_BYTES
    (tmp_path / "extra.yaml").write_bytes(padded)
    assert load_registry([tmp_path]).rule("FZ990")
    (tmp_path / "extra.yaml").write_bytes(padded + b"\n")
    with pytest.raises(PackError) as info:
        load_registry([tmp_path])
    assert info.value.line == 1 and "超过 5 MB" in info.value.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and devices")
@pytest.mark.parametrize("kind,words", [
    ("fifo", ["命名管道（FIFO）"]), ("device", ["字符设备"]), ("folder", ["文件夹"]),
])
def test_a_pack_that_is_not_a_regular_file_is_refused_without_reading(tmp_path, kind, words):
    """A FIFO with no writer (opening it for reading used to wait forever), a symlink to an
    endless device (read until memory ran out), a folder named *.yaml."""
    pack = tmp_path / "extra.yaml"
    if kind == "fifo":
        os.mkfifo(pack)
    elif kind == "device":
        os.symlink("/dev/zero", pack)
    else:
        pack.mkdir()
    with pytest.raises(PackError) as info:
        load_registry([tmp_path])
    assert info.value.path == str(pack) and info.value.line == 1
    for w in words:
        assert w in info.value.message


# ---------------------------------------------------------------------------------------
# Recognition (issue 15): a pack declares the evidence for its own section kinds.

KIND_PACK = """\
pack: extra
title: 测试报告
detect: [测试报告]
section_kinds:
  - kind: plan
    label: 计划
    any: [工作计划]
  - kind: review
    label: 回顾
    any: [工作回顾]
section_order: [review, plan]
phrases: {before: "在{heading}前", after: "在{heading}后", none: 无, candidate: "；{heading}？写{suggest}"}
recognition:
  threshold: 3
  margin: 1
  position: 1
  next_year: [来年]
  kinds:
    - kind: plan
      heading:
        - {any: [蓝图], weight: 3}
      body:
        - {year: next, weight: 2}
    - kind: review
      heading:
        - {any: [盘点], weight: 3}
  tests:
    - {name: 蓝图, input: "某单位2023年测试报告\\n一、工作回顾\\n内容。\\n二、蓝图\\n内容。\\n", want: ["4 plan"]}
rules:
  - id: FZ990
    name: sample-rule
    title: 缺少计划
    severity: error
    check: required_section
    kind: plan
    citation: {practice: 测试}
    message: 缺少{label}{hint}
    rationale: 测试。
    tests:
      - {name: fires, input: "一、工作回顾", want: ["1:1 FZ990"]}
      - {name: silent, input: "一、工作计划", want: []}
"""


def test_a_second_report_kind_declares_its_own_recognition(tmp_path):
    from checker.lint import lint_text

    registry = load_pack(tmp_path, KIND_PACK)
    pick = frozenset({"FZ990"})
    said = "某单位2023年测试报告\n一、盘点\n内容。\n二、设想\n{}\n"
    # 设想 is no word of the pack: the body naming 2024 (the next year) and the position decide
    assert lint_text(said.format("2024年做好三件事。"), "x.txt", registry, pick).diagnostics == []
    # without that evidence the heading stays open, and the finding names it
    [d] = lint_text(said.format("做好三件事。"), "x.txt", registry, pick).diagnostics
    assert d.span.line == 4 and d.message == "缺少计划；二、设想？写计划"


@pytest.mark.parametrize("mutate,words", [
    (lambda t: t.replace("    - kind: review\n      heading", "    - kind: reviews\n      heading"), ["reviews"]),
    (lambda t: t.replace("{any: [盘点], weight: 3}", "{any: [盘点]}"), ["weight"]),
    (lambda t: t.replace("{any: [盘点], weight: 3}", "{weight: 3}"), ["any", "all"]),
    (lambda t: t.replace("{any: [盘点], weight: 3}", "{any: [盘点], weight: 3, max: 0}"), ["max"]),
    (lambda t: t.replace('want: ["4 plan"]', 'want: ["4 plans"]'), ["want"]),
    (lambda t: t.replace("  threshold: 3\n", ""), ["threshold"]),
])
def test_recognition_errors_name_the_line(tmp_path, mutate, words):
    err = error_of(tmp_path, mutate(KIND_PACK))
    assert 14 <= err.line <= 31, err
    for w in words:
        assert w in err.message, err


@pytest.mark.parametrize("text,words", [
    ("pack: x\ntitle: [a, b\n", "缺少逗号或右括号"),
    ("pack: x\ntitle: a: b\n", "冒号"),
    ("pack: x\n  title: y\n title: z\n", "缩进"),
    ("pack: x\ntitle: *nope\n", "未定义的锚点“nope”"),
    ('pack: x\ntitle: "\\q"\n', "无效的转义"),
    ("pack: x\ntitle: @x\n", "不能出现在值的开头"),
])
def test_yaml_syntax_errors_are_explained_in_chinese(tmp_path, text, words):
    """PyYAML's problem texts reach pack authors in Chinese (issue 16: no English to users)."""
    err = error_of(tmp_path, text)
    assert words in err.message and err.message.startswith("YAML 语法错误："), err
    assert not re.search(r"\b(expected|found|mapping|allowed|character)\b", err.message), err
