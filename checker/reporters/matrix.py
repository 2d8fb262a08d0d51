"""The reviewers' compliance matrix: one row per report, one column per mandated item.

The columns come from the report kind's rule pack (``matrix:`` in rules/fazhi.yaml: a label
and the rules that, when any fires, mean the report fails that item), so this module knows
nothing about 法治政府建设 reports. A cell is:

* ``ok``: none of the column's rules fired;
* ``fail``: one or more did (their codes are kept);
* ``unchecked``: the column's rules were all disabled by the selection, so nothing is known;
* ``unread``: the file could not be checked at all (an FZ9xx finding: unreadable, not a
  report, too large, ...).

Rows are built from the same diagnostics every other format prints, so the matrix, its CSV
and the HTML report agree with ``--format json`` by construction.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import TextIO

from checker.diagnostics import Severity
from checker.reporters.safe import csv_cell, display_path, human_path

OK, FAIL, UNCHECKED, UNREAD = "ok", "fail", "unchecked", "unread"


@dataclass
class Cell:
    status: str
    codes: tuple[str, ...] = ()

    def text(self) -> str:
        if self.status == OK:
            return "✓"
        if self.status == FAIL:
            return "✗ " + " ".join(self.codes)
        if self.status == UNREAD:
            return "无法检查"
        return "—"


@dataclass
class Row:
    path: str
    kind: str                      # the pack's title, e.g. 法治政府建设年度报告
    cells: list[Cell]
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    problem: str = ""              # the FZ9xx message when the file could not be checked
    codes: list[str] = field(default_factory=list)

    @property
    def failing(self) -> int:
        return sum(c.status in (FAIL, UNREAD) for c in self.cells)

    @property
    def passed(self) -> bool:
        """No item failed (or could not be checked) and no error; items not checked (their
        rules not selected) do not count against it: see :attr:`complete`."""
        return self.failing == 0 and self.errors == 0

    @property
    def complete(self) -> bool:
        """Every item was checked and is there, and no error: only then are the report's items
        known to be complete."""
        return self.errors == 0 and all(c.status == OK for c in self.cells)


class Matrix:
    """Collects rows for a run; the columns are those of the registry's default report kind."""

    def __init__(self, registry):
        self.registry = registry
        pack = next((p for p in registry.packs if p.default and p.matrix), None) or \
            next((p for p in registry.packs if p.matrix), None)
        self.columns = [c.label for c in pack.matrix] if pack else []
        self.rows: list[Row] = []

    def add(self, result) -> Row:
        row = build_row(result, self.registry, self.columns, getattr(result, "enabled", None))
        self.rows.append(row)
        return row

    def sorted_rows(self, key: str = "path", only_failing: bool = False) -> list[Row]:
        rows = [r for r in self.rows if not (only_failing and r.passed)]
        if key == "failing":
            return sorted(rows, key=lambda r: (-r.failing, -r.errors, r.path))
        if key == "errors":
            return sorted(rows, key=lambda r: (-r.errors, -r.warnings, r.path))
        if key == "warnings":
            return sorted(rows, key=lambda r: (-r.warnings, -r.errors, r.path))
        return sorted(rows, key=lambda r: r.path)

    def totals(self, rows: list[Row] | None = None) -> list[int]:
        """Per column: how many reports fail that item (unreadable ones count)."""
        rows = self.rows if rows is None else rows
        return [sum(r.cells[i].status in (FAIL, UNREAD) for r in rows) for i in range(len(self.columns))]

    def unchecked(self, rows: list[Row] | None = None) -> list[bool]:
        """Per column: was the item checked in none of the reports (its rules not selected)?
        Its total of failing reports is then no news: nothing is known."""
        rows = self.rows if rows is None else rows
        return [bool(rows) and all(r.cells[i].status == UNCHECKED for r in rows) for i in range(len(self.columns))]


def _stops_checking(rule) -> bool:
    """Does a finding of this rule mean the file's content was not checked (a file problem
    such as unreadable or too large, or a gate such as not-a-report)?"""
    return rule is not None and (rule.check == "file_problem" or getattr(rule.module, "GATE", False))


def build_row(result, registry, columns: list[str], enabled: frozenset[str] | None = None) -> Row:
    codes = [d.code for d in result.diagnostics]
    fired = set(codes)
    counts = {s: 0 for s in Severity}
    for d in result.diagnostics:
        counts[d.severity] += 1
    problem = next((d for d in result.diagnostics if _stops_checking(registry.rule(d.code))), None)
    checked = result.checked
    pack = registry.pack_named(result.kind)
    if pack is None or not pack.matrix:
        pack = next((p for p in registry.packs if p.default), None)
    by_label = {c.label: c for c in (pack.matrix if pack else [])}
    cells = []
    for label in columns:
        column = by_label.get(label)
        if problem is not None or not checked:   # unreadable, not a report, too large ...
            cells.append(Cell(UNREAD))
        elif column is None or (enabled is not None and not any(r in enabled for r in column.rules)):
            cells.append(Cell(UNCHECKED))
        else:
            hit = tuple(r for r in column.rules if r in fired)
            cells.append(Cell(FAIL, hit) if hit else Cell(OK))
    return Row(result.path, pack.title if pack else "", cells, counts[Severity.ERROR],
               counts[Severity.WARNING], counts[Severity.INFO],
               problem.message if problem is not None else ("" if checked else "未能检查"), codes)


HEADER_TAIL = ("错误", "警告", "提示", "说明")


def write_csv(matrix: Matrix, rows: list[Row], out: TextIO) -> None:
    """CSV for spreadsheets (Excel and WPS open UTF-8 with a BOM correctly). Every text cell
    goes through :func:`checker.reporters.safe.csv_cell`: names and messages shown as in the
    other formats, and a cell that Excel would take for a formula (``=HYPERLINK(…)`` as a file
    name) starts with ``'``."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in ("文件", *matrix.columns, *HEADER_TAIL)])
    for r in rows:
        writer.writerow([csv_cell(display_path(r.path)), *(csv_cell(c.text()) for c in r.cells),
                         r.errors, r.warnings, r.infos, csv_cell(r.problem)])


def text_table(matrix: Matrix, rows: list[Row]) -> list[str]:
    """A plain table for pipes: tab-separated, one header line, then one line per report (a
    tab or newline in a file name is escaped, so it cannot add a column or a row)."""
    lines = ["\t".join(["文件", *matrix.columns, *HEADER_TAIL[:3]])]
    for r in rows:
        lines.append("\t".join([human_path(r.path), *(c.text() for c in r.cells), str(r.errors),
                                str(r.warnings), str(r.infos)]))
    return lines


UNCHECKED_NOTE = "相关规则未启用"


def passed_phrase(rows: list[Row]) -> str:
    """How many reports are complete, said only of reports whose every item was checked:
    a report whose item rules were not selected is not called complete."""
    complete = sum(r.complete for r in rows)
    text = f"{complete} 份全部事项齐全且无错误"
    partial = sum(r.passed and not r.complete for r in rows)
    if partial:
        text += f"，{partial} 份已检查的事项齐全且无错误，但有事项未检查（{UNCHECKED_NOTE}）"
    return text


def totals_line(matrix: Matrix, rows: list[Row]) -> str:
    parts = [f"{label} {'未检查' if unchecked else n}"
             for label, n, unchecked in zip(matrix.columns, matrix.totals(rows), matrix.unchecked(rows))]
    return f"{len(rows)} 份报告，{passed_phrase(rows)}；各事项未通过的份数：" + "，".join(parts)
