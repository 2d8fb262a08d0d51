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
        f"{rule.id} {rule.title}",
        f"名称：{rule.name}（用于 --select、--ignore 和配置文件）",
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
        out.append(f"- 提示信息：`{r.message}`")
        out += ["", r.rationale.replace("\n", ""), ""]
        for title, firing in (("会触发", True), ("不会触发", False)):
            for case in _cases(r, firing):
                want = f"（{'、'.join(case['want'])}）" if case["want"] else ""
                out.append(f"{title}：{case['name']}{want}")
                out += ["", "```text", _case_input(case), "```", ""]
    return "\n".join(out).rstrip() + "\n"
