"""Rule documentation generated from the YAML packs: the table, `explain`, docs/rules.md."""

from __future__ import annotations

from checker.engine.registry import Registry, Rule

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _cases(rule: Rule, firing: bool) -> list[dict]:
    return [c for c in rule.tests if bool(c["want"]) == firing]


def _case_input(case: dict) -> str:
    if case.get("missing"):
        return "（文件不存在）"
    if "input_hex" in case:
        return f"（字节 {case['input_hex']}）"
    return case.get("input", "").rstrip("\n")


def _condition_words(cond) -> str:
    items = [f"含“{w}”" for w in cond.source.get("title_any", [])]
    items += [f"符合正则表达式 `{rx}`" for rx in cond.source.get("title_regex", [])]
    return "或".join(items)


def condition_text(rule: Rule) -> str | None:
    """The reports a rule with ``when``/``when_not`` runs on, in Chinese (None: every report)."""
    if not rule.conditional:
        return None
    parts = []
    if rule.when is not None:
        parts.append(f"仅检查标题{_condition_words(rule.when)}的报告")
    if rule.when_not is not None:
        parts.append(f"不检查标题{_condition_words(rule.when_not)}的报告")
    return "；".join(parts) + "；没有标题的报告不检查"


def explain(rule: Rule, registry: Registry) -> str:
    """`fzlint explain`: a rule for the person who got its finding, in Chinese. The message's
    placeholders are named (〈报告年度〉), and each example that fires shows the finding the rule
    gives on it, from a real run (so the text never drifts from what users see)."""
    lines = [
        f"{rule.id} {rule.title}",
        f"名称：{rule.name}（用于 --select、--ignore 和配置文件）",
        "",
        f"严重程度：{SEVERITY_ZH[rule.severity.label]}（{rule.severity.label}）",
        f"依据：{rule.citation_text}",
    ]
    if rule.citation.get("quote"):
        lines.append(f"原文：“{rule.citation['quote']}”")
    if rule.conditional:
        lines.append(f"适用：{condition_text(rule)}")
    lines += ["", "说明：", rule.rationale, "", f"提示信息：{message_template(rule.message)}", ""]
    number = 0
    for title, firing in (("会触发的例子", True), ("不会触发的例子", False)):
        lines.append(f"{title}：")
        for case in _cases(rule, firing):
            number += 1
            lines.append(f"  例{number}" + (f"（文件名 {case['filename']}）" if case.get("filename") else ""))
            lines += ["    " + ln for ln in _case_input(case).split("\n")]
            if firing:
                lines += [f"    → 第 {d.span.line} 行第 {d.span.column} 列：{d.message}"
                          for d in example_findings(rule, registry, case)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# what each message placeholder of the shipped packs stands for, shown by `explain` as 〈…〉
PLACEHOLDERS = {
    "label": "部分名称", "placement": "应放的位置", "sentences": "句数", "chars": "字数",
    "title": "报告标题", "missing": "缺少的内容", "year": "报告年度", "found": "实际所写",
    "expected": "应写", "date": "成文日期", "deadline": "公开期限", "match": "原文",
    "marker": "编号", "style": "一种编号样式", "other": "另一种编号样式", "heading": "标题",
    "first_line": "行号", "detail": "具体原因", "reason": "原因", "right": "正确写法",
    "hint": "未能识别的标题及建议", "table": "表格名称", "cell": "单元格位置", "at": "表格编号",
    "difference": "相差数", "problem": "具体问题", "lines": "其他各处的行号", "count": "出现次数",
}


def message_template(message: str) -> str:
    """A rule's message with its placeholders named in Chinese: ``{year}`` -> 〈报告年度〉."""
    from string import Formatter

    out = []
    for literal, field, _, _ in Formatter().parse(message):
        out.append(literal)          # ({{ and }} come back as the braces themselves)
        if field is not None:
            out.append(f"〈{PLACEHOLDERS.get(field, '…')}〉")
    return "".join(out)


def example_findings(rule: Rule, registry: Registry, case: dict) -> list:
    """The findings of ``rule`` on one of its ``tests:`` examples (as tests/test_rule_examples.py
    runs them), read from memory; a missing file is looked for in an empty temporary folder."""
    from checker.lint import lint_bytes, lint_path
    from checker.sources import DEFAULT_MAX_BYTES, parse_size

    name = case.get("filename", "report.txt")
    limit = parse_size(case["max_file_size"]) if "max_file_size" in case else DEFAULT_MAX_BYTES
    enabled = frozenset({rule.id})
    if case.get("missing"):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            result = lint_path(Path(folder) / name, registry, enabled, display=name, max_bytes=limit)
    else:
        data = bytes.fromhex(case["input_hex"]) if "input_hex" in case else case.get("input", "").encode("utf-8")
        result = lint_bytes(data, name, registry, enabled, limit)
    return sorted(result.diagnostics, key=lambda d: (d.span.line, d.span.column))


TABLE_HEADER = ("代码", "标题", "名称", "级别", "依据")


def table_rows(registry: Registry) -> list[tuple[str, str, str, str, str]]:
    """`fzlint rules`: one row per rule, the columns of :data:`TABLE_HEADER`."""
    return [(r.id, r.title, r.name, SEVERITY_ZH[r.severity.label], r.citation_text) for r in registry.rules]


def markdown(registry: Registry) -> str:
    """docs/rules.md: generated, never edited by hand (tests/test_docs.py checks it)."""
    out = [
        "# fzlint rule reference",
        "",
        "<!-- Generated from rules/*.yaml by `fzlint rules --format markdown`. Do not edit. -->",
        "",
        "| code | title | name | severity | pack |",
        "|---|---|---|---|---|",
    ]
    out += [f"| [{r.id}](#{r.id.lower()}) | {r.title} | {r.name} | {r.severity.label} | {r.pack} |"
            for r in registry.rules]
    for r in registry.rules:
        out += ["", f"## {r.id}", "", f"**{r.title}** · `{r.name}` · {r.severity.label} · check `{r.check}` · "
                f"pack `{r.pack}`", ""]
        out.append(f"- 依据：{r.citation_text}" + (f"：“{r.citation['quote']}”" if r.citation.get("quote") else ""))
        if r.conditional:
            out.append(f"- 适用：{condition_text(r)}")
        out.append(f"- 提示信息：`{r.message}`")
        out += ["", r.rationale.replace("\n", ""), ""]
        for title, firing in (("会触发", True), ("不会触发", False)):
            for case in _cases(r, firing):
                want = f"（{'、'.join(case['want'])}）" if case["want"] else ""
                out.append(f"{title}：{case['name']}{want}")
                out += ["", "```text", _case_input(case), "```", ""]
    for pack in registry.packs:
        out += _recognition_doc(pack)
    return "\n".join(out).rstrip() + "\n"


def _cue_doc(cue) -> str:
    if cue.all:
        words = " + ".join("（" + "/".join(g) + "）" for g in cue.all)
    elif cue.any:
        words = "/".join(cue.any)
    else:
        words = "写明下一年度"
    year = "，且同处写明下一年度" if cue.year == "next" and (cue.any or cue.all) else ""
    each = f"每个不同的词 {cue.weight:+d} 分，至多计 {cue.max} 个" if cue.any and cue.max > 1 else f"{cue.weight:+d} 分"
    return f"{words}{year}：{each}"


def _recognition_doc(pack) -> list[str]:
    """How the pack recognises its parts: each kind's heading keywords, then the evidence
    weighed for a top-level heading that names none of them."""
    if not pack.section_kinds:
        return []
    out = ["", f"## 部分的识别：{pack.title}（规则包 `{pack.name}`）", "",
           "标题含下列关键词之一的（任一层级），即归入该部分；先列出的类型优先。", "",
           "| 部分 | 类型 | 标题关键词 |", "|---|---|---|"]
    out += [f"| {k.label} | `{k.kind}` | {'、'.join(k.any)} |" for k in pack.section_kinds]
    rec = pack.recognition
    if rec is None:
        return out
    out += ["", f"一级标题不含上述关键词时，按以下依据计分：标题用词、该部分正文开头（前若干字）的用词，"
                f"以及位置（位于报告尚缺的某部分按 section_order 应在的位置时 {rec.position:+d} 分）。"
                f"某类型得分不低于 {rec.threshold} 分且领先其他类型 {rec.margin} 分以上，即归入该类型；"
                "否则该标题不归类，缺少相应部分的提示会点出它。"
                f"“下一年度”指报告年度的下一年，或：{'、'.join(rec.next_year)}。", ""]
    for e in rec.kinds:
        out.append(f"- `{e.kind}`（{pack.kind(e.kind).label}）")
        out += [f"  - 标题：{_cue_doc(c)}" for c in e.heading]
        out += [f"  - 正文：{_cue_doc(c)}" for c in e.body]
    return out


# --- docs/check-types.md: the check types and their options, for pack authors ------------------

TYPE_NAMES = {
    "str": "string",
    "int": "integer ≥ 0",
    "signed_int": "integer",
    "bool": "boolean",
    "str_list": "list of strings",
    "str_lists": "list of lists of strings",
    "list": "list",
}

_CHECK_TYPES_INTRO = """\
A rule names its check type with `check:` and gives the type's options as keys of the rule
itself, beside `id`, `name`, `title`, `severity`, `citation`, `message`, `rationale` and
`tests` (the shipped packs in `rules/*.yaml` use every type; docs/rules.md names each rule's):

```yaml
  - id: FZ990
    name: internal-marking
    title: 含有内部资料字样
    severity: warning
    check: forbidden_text          # the check type
    any: [内部资料, 仅供参考]        # its options
    scope: document
    citation: {practice: 公开的报告不应含有内部标识}
    message: 报告含有“{match}”字样    # a placeholder of the check type
    rationale: 公开发布的年度报告不应保留内部资料标识。
    tests:
      - {name: marked, input: "内部资料\\n", want: ["1:1 FZ990"]}
      - {name: clean, input: "正文\\n", want: []}
```

An unknown option, a missing required one, or a value of the wrong type or outside its
choices stops loading with the pack's file and line. A section kind (`scope`, `kind`,
`kinds`, …) is the `kind` of one of the pack's `section_kinds`. Literal strings and regular
expressions match the normalised view of the text (full-width punctuation, no spaces,
simplified characters); regular expressions are RE2 (no backreferences or lookaround). A
rule's `message` may use the placeholders its type lists. `fzlint test-pack PACK.yaml` runs
the rule's `tests:` examples.

Any rule, whatever its type, may limit the reports it runs on by their title, which names
the issuer: `when: {title_any: [words], title_regex: [RE2 patterns]}` (the title holds one
of the words or matches one of the patterns) and `when_not:` (the same, must not hold). A
report without a title meets neither, so a rule with a condition does not run on it. The
政府信息公开 pack uses them to check a government's report (平安县人民政府2023年…, 平安县2023年…)
against 31 March and a department's against 31 January.
"""


def _default(opt) -> str:
    if opt.required:
        return "**required**"
    if opt.default is None:
        return "optional"
    value = str(opt.default).lower() if isinstance(opt.default, bool) else opt.default
    return f"default `{value}`"


def _md(text: str) -> str:
    """A docstring as Markdown: reStructuredText's ``literals`` become `code`."""
    return text.replace("``", "`")


def check_types_markdown() -> str:
    """docs/check-types.md: each check type's docstring, options (with their types, defaults,
    choices and help texts) and message placeholders, from checker/engine/checks/*.py.
    Generated, never edited by hand (tests/test_docs.py checks it)."""
    import inspect

    from checker.engine.checks import CHECK_TYPES

    out = [
        "# fzlint check types",
        "",
        "<!-- Generated from checker/engine/checks/*.py (docstrings and OPTIONS) by "
        "checker.reporters.rules_doc.check_types_markdown.",
        "     Do not edit: `python -m pytest tests/test_docs.py --update-golden` regenerates it. -->",
        "",
        _CHECK_TYPES_INTRO,
        "| check type | what it checks |",
        "|---|---|",
    ]
    docs = {}
    for name in sorted(CHECK_TYPES):
        doc = inspect.cleandoc(CHECK_TYPES[name].__doc__ or "")
        doc = doc[len(name) + 1:].strip() if doc.startswith(f"{name}:") else doc
        doc = _md(doc[:1].upper() + doc[1:])
        opening = " ".join(doc.split("\n\n")[0].split("\n"))
        docs[name] = doc
        out.append(f"| [`{name}`](#{name}) | {opening.split('. ')[0].rstrip('.')}. |")
    for name in sorted(CHECK_TYPES):
        module = CHECK_TYPES[name]
        out += ["", f"## {name}", "", docs[name]]
        out += ["", "| option | type | required / default | choices | what it is |", "|---|---|---|---|---|"]
        for opt_name, opt in module.OPTIONS.items():
            choices = ", ".join(f"`{c}`" for c in opt.choices)
            out.append(f"| `{opt_name}` | {TYPE_NAMES[opt.type]} | {_default(opt)} | {choices} | "
                       f"{opt.help.replace('|', '&#124;')} |")
        params = ", ".join(f"`{{{p}}}`" for p in module.PARAMS)
        out += ["", f"Message placeholders: {params or 'none'}."]
    return "\n".join(out).rstrip() + "\n"
