"""The report skeleton as fzlint understood it: JSON, plain text or a rich tree."""

from __future__ import annotations

from checker.skeleton.model import Report, Section

INFERRED = "（据内容推断）"


def section_dict(s: Section) -> dict:
    h = s.heading
    return {
        "level": h.level,
        "number": h.number,
        "heading": h.display,
        "line": h.line.no,
        "kind": s.kind,
        # how the kind was found: the heading's keywords, or the evidence of the heading's
        # wider vocabulary, the body and the position (engine/recognize.py)
        "kind_by": None if s.kind is None else "evidence" if s.inferred else "keywords",
        "children": [section_dict(c) for c in s.children],
    }


def outline_dict(report: Report, pack=None) -> dict:
    """The outline as data; with ``pack``, also the report kind it was read as (its pack's
    name and title), since the section kinds are that pack's."""
    data = {"title": report.title, "date": report.closing.date if report.closing else None}
    if pack is not None:
        data["report_kind"] = {"pack": pack.name, "title": pack.title}
    data["sections"] = [section_dict(s) for s in report.sections]
    return data


def _label(s: dict) -> str:
    kind = f"  [{s['kind']}{INFERRED if s.get('kind_by') == 'evidence' else ''}]" if s["kind"] else ""
    return f"{s['line']:>4}  {s['number']} {s['heading']}{kind}"


def outline_lines(data: dict) -> list[str]:
    out = [f"标题：{data['title'] or '（未识别）'}", f"日期：{data['date'] or '（未识别）'}"]
    if data.get("report_kind"):
        out.append(f"报告类型：{data['report_kind']['title']}（规则包 {data['report_kind']['pack']}）")

    def walk(sections, depth):
        for s in sections:
            out.append("  " * depth + _label(s))
            walk(s["children"], depth + 1)

    walk(data["sections"], 0)
    return out


def print_tree(data: dict) -> None:
    from rich.console import Console
    from rich.tree import Tree

    kind = f"  [dim]{data['report_kind']['title']}[/dim]" if data.get("report_kind") else ""
    tree = Tree(f"[bold]{data['title'] or '（未识别标题）'}[/bold]  [dim]{data['date'] or ''}[/dim]{kind}")

    def walk(node, sections):
        for s in sections:
            inferred = INFERRED if s.get("kind_by") == "evidence" else ""
            kind = f" [green]{s['kind']}{inferred}[/green]" if s["kind"] else ""
            child = node.add(f"[dim]{s['line']}[/dim] {s['number']} {s['heading']}{kind}")
            walk(child, s["children"])

    walk(tree, data["sections"])
    Console(highlight=False).print(tree)
