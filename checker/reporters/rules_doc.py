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


def explain(rule: Rule) -> str:
    lines = [
        f"{rule.id} {rule.name}",
        "",
        f"严重程度：{SEVERITY_ZH[rule.severity.label]}（{rule.severity.label}）",
        f"依据：{rule.citation_text}",
    ]
    if rule.citation.get("quote"):
        lines.append(f"原文：“{rule.citation['quote']}”")
    lines += ["", "说明：", rule.rationale, "", f"提示信息：{rule.message}", ""]
    for title, firing in (("会触发的例子", True), ("不会触发的例子", False)):
        lines.append(f"{title}：")
        for case in _cases(rule, firing):
            where = f"  → {'、'.join(case['want'])}" if case["want"] else ""
            lines.append(f"  # {case['name']}{where}")
            if case.get("filename"):
                lines.append(f"  （文件名 {case['filename']}）")
            lines += ["    " + ln for ln in _case_input(case).split("\n")]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def table_rows(registry: Registry) -> list[tuple[str, str, str, str]]:
    return [(r.id, r.name, r.severity.label, r.citation_text) for r in registry.rules]


def markdown(registry: Registry) -> str:
    """docs/rules.md: generated, never edited by hand (tests/test_docs.py checks it)."""
    out = [
        "# fzlint rule reference",
        "",
        "<!-- Generated from rules/*.yaml by `fzlint rules --format markdown`. Do not edit. -->",
        "",
        "| code | name | severity | pack |",
        "|---|---|---|---|",
    ]
    out += [f"| [{r.id}](#{r.id.lower()}) | {r.name} | {r.severity.label} | {r.pack} |" for r in registry.rules]
    for r in registry.rules:
        out += ["", f"## {r.id}", "", f"**{r.name}** · {r.severity.label} · check `{r.check}` · pack `{r.pack}`", ""]
        out.append(f"- 依据：{r.citation_text}" + (f"：“{r.citation['quote']}”" if r.citation.get("quote") else ""))
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
