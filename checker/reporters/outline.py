"""The report skeleton as fzlint understood it: JSON, plain text or a rich tree."""

from __future__ import annotations

from checker.skeleton.model import Report, Section
from checker.skeleton.tables import Table

INFERRED = "（据内容推断）"
FIRST_ROW_CHARS = 40     # the first row's text as the outline shows it, at most


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
    if report.tables or report.tables_incomplete:   # reports without tables: the outline as before
        data["tables"] = [table_dict(t, report) for t in report.tables]
        if report.tables_incomplete:
            data["tables_incomplete"] = True
    return data


def table_dict(t: Table, report: Report) -> dict:
    section = report.section_at(t.first_line)
    return {
        "number": t.number,
        "line": t.first_line,
        "end_line": t.last_line,
        "rows": t.height,
        "columns": t.width,
        "first_row": first_row(t),
        "section": section.heading.label if section is not None else None,
    }


def first_row(t: Table) -> str:
    """The first row's non-empty cells, joined by " | " and cut to FIRST_ROW_CHARS."""
    text = " | ".join(" ".join(c.text.split()) for c in t.rows[0].cells if c.text.strip()) if t.rows else ""
    return text if len(text) <= FIRST_ROW_CHARS else text[:FIRST_ROW_CHARS - 1] + "…"


def _table_label(t: dict) -> str:
    return f"表格{t['number']}  {t['rows']}行×{t['columns']}列  {t['first_row']}"


def _tables_header(data: dict) -> str:
    note = "（部分表格过大，未读取其结构）" if data.get("tables_incomplete") else ""
    return f"表格：{len(data['tables'])} 个{note}"


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
    if "tables" in data:
        out.append(_tables_header(data))
        out.extend(f"  {t['line']:>4}  {_table_label(t)}" for t in data["tables"])
    return out


def print_tree(data: dict) -> None:
    from rich.console import Console
    from rich.markup import escape
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
    if "tables" in data:
        node = tree.add(f"[bold]{escape(_tables_header(data))}[/bold]")
        for t in data["tables"]:
            node.add(f"[dim]{t['line']}[/dim] {escape(_table_label(t))}")
    Console(highlight=False).print(tree)
