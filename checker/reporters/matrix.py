"""The reviewers' compliance matrix: one row per report, one column per mandated item.

The columns come from each report's own kind (``matrix:`` in its rule pack, e.g.
rules/fazhi.yaml: a label and the rules that, when any fires, mean the report fails that
item), so this module knows nothing about any kind of report; a batch holding several kinds
shows each kind's reports against that kind's items (:meth:`Matrix.groups`). A cell is:

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
from checker.reporters.safe import csv_cell, display_path, escape, human_path

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
    kind: str                      # the title of the kind whose items the row shows ('' for none)
    cells: list[Cell]
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    problem: str = ""              # the FZ9xx message when the file could not be checked
    codes: list[str] = field(default_factory=list)
    pack: object = None            # the report-kind pack the file was checked as
    unread: bool = False           # the file could not be checked (unreadable, not a report, ...)

    @property
    def failing(self) -> int:
        return sum(c.status in (FAIL, UNREAD) for c in self.cells)

    @property
    def passed(self) -> bool:
        """No item failed (or could not be checked) and no error; items not checked (their
        rules not selected) do not count against it: see :attr:`complete`."""
        return not self.unread and self.failing == 0 and self.errors == 0

    @property
    def complete(self) -> bool:
        """Every item was checked and is there, and no error: only then are the report's items
        known to be complete."""
        return not self.unread and self.errors == 0 and all(c.status == OK for c in self.cells)


UNREAD_TITLE = "无法检查的文件"


@dataclass
class Group:
    """The rows shown against one set of items: the reports of one kind against that kind's
    matrix columns; or, in a batch of several kinds, the files that could not be checked
    (``unread``: no items, their kind is not known)."""

    title: str
    legend: str                    # what the columns are (the pack's legend; may be empty)
    columns: list                  # MatrixColumn: label and rules
    rows: list[Row]
    pack: object = None
    unread: bool = False

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.columns]

    @property
    def name(self) -> str:
        """The pack's name ('' for the files that could not be checked)."""
        return getattr(self.pack, "name", "") if not self.unread else ""

    def totals(self) -> list[int]:
        """Per column: how many reports fail that item (unreadable ones count)."""
        return [sum(r.cells[i].status in (FAIL, UNREAD) for r in self.rows) for i in range(len(self.columns))]

    def unchecked(self) -> list[bool]:
        """Per column: was the item checked in none of the reports (its rules not selected)?
        Its total of failing reports is then no news: nothing is known."""
        return [bool(self.rows) and all(r.cells[i].status == UNCHECKED for r in self.rows)
                for i in range(len(self.columns))]


def _default_pack(registry):
    """The kind whose columns a batch of no (known) kind shows: the default report kind."""
    return next((p for p in registry.packs if p.default and p.matrix), None) or \
        next((p for p in registry.packs if p.matrix), None)


class Matrix:
    """Collects rows for a run; at the end, :meth:`groups` puts each report against its own
    kind's items.

    A batch of one kind (the usual case) is one group: its kind's columns, the files that
    could not be checked among its rows (无法检查 in every cell), as fzlint always showed it.
    A batch of several kinds gets one group per kind (the default kind first, then the packs'
    order), each with its own columns, and a last group, 无法检查的文件, for the files that
    could not be checked: an empty or unreadable file, or one that is not a report, is of no
    kind, and listing it under one kind's items would say it is a report of that kind."""

    def __init__(self, registry):
        self.registry = registry
        self.default = _default_pack(registry)
        self.rows: list[Row] = []
        self._rank = {id(p): i for i, p in enumerate(registry.packs)}

    def add(self, result) -> Row:
        row = build_row(result, self.registry, getattr(result, "enabled", None), self.default)
        self.rows.append(row)
        return row

    def kinds(self) -> list:
        """The report kinds of the checked files: the default kind first, then in the packs' order."""
        seen = {id(r.pack): r.pack for r in self.rows if not r.unread and r.pack is not None}
        return sorted(seen.values(), key=lambda p: (not p.default, self._rank.get(id(p), len(self._rank)), p.name))

    def groups(self, key: str = "path", only_failing: bool = False) -> list[Group]:
        """The groups of rows, each sorted by ``key`` (and without the reports that pass when
        ``only_failing``). Which groups there are depends on the whole batch, not on the rows
        shown, so that --only-failing never changes the layout."""
        kinds = self.kinds()
        if len(kinds) <= 1:
            pack = kinds[0] if kinds else self.default
            groups = [_group(pack, self.rows)]
        else:
            groups = [_group(p, [r for r in self.rows if not r.unread and r.pack is p]) for p in kinds]
            unread = [r for r in self.rows if r.unread]
            if unread:
                groups.append(Group(UNREAD_TITLE, "", [], unread, unread=True))
        for g in groups:
            for r in g.rows:
                r.kind = "" if g.unread else g.title
                if r.unread:
                    r.cells = [Cell(UNREAD) for _ in g.columns]
            g.rows = sort_rows(g.rows, key, only_failing)
        return groups


def _group(pack, rows: list[Row]) -> Group:
    if pack is None:
        return Group("", "", [], list(rows))
    return Group(pack.title, pack.legend, list(pack.matrix), list(rows), pack)


def sort_rows(rows: list[Row], key: str = "path", only_failing: bool = False) -> list[Row]:
    rows = [r for r in rows if not (only_failing and r.passed)]
    if key == "failing":
        return sorted(rows, key=lambda r: (-r.failing, -r.errors, r.path))
    if key == "errors":
        return sorted(rows, key=lambda r: (-r.errors, -r.warnings, r.path))
    if key == "warnings":
        return sorted(rows, key=lambda r: (-r.warnings, -r.errors, r.path))
    return sorted(rows, key=lambda r: r.path)


def _stops_checking(rule) -> bool:
    """Does a finding of this rule mean the file's content was not checked (a file problem
    such as unreadable or too large, or a gate such as not-a-report)?"""
    return rule is not None and (rule.check == "file_problem" or getattr(rule.module, "GATE", False))


def build_row(result, registry, enabled: frozenset[str] | None = None, default=None) -> Row:
    """The row of one checked file, against its own kind's items (``default``: the kind of a
    file whose kind is not known, as when it could not be read). The cells of a file that
    could not be checked are set by :meth:`Matrix.groups`: how many depends on the group."""
    codes = [d.code for d in result.diagnostics]
    fired = set(codes)
    counts = {s: 0 for s in Severity}
    for d in result.diagnostics:
        counts[d.severity] += 1
    problem = next((d for d in result.diagnostics if _stops_checking(registry.rule(d.code))), None)
    unread = problem is not None or not result.checked     # unreadable, not a report, too large ...
    pack = registry.pack_named(result.kind) or (default if default is not None else _default_pack(registry))
    cells = []
    for column in (pack.matrix if pack is not None else []):
        if unread:
            cells.append(Cell(UNREAD))
        elif enabled is not None and not any(r in enabled for r in column.rules):
            cells.append(Cell(UNCHECKED))
        else:
            hit = tuple(r for r in column.rules if r in fired)
            cells.append(Cell(FAIL, hit) if hit else Cell(OK))
    return Row(result.path, pack.title if pack is not None else "", cells, counts[Severity.ERROR],
               counts[Severity.WARNING], counts[Severity.INFO],
               problem.message if problem is not None else ("" if result.checked else "未能检查"), codes,
               pack, unread)


HEADER_TAIL = ("错误", "警告", "提示", "说明")
KIND_HEADER = "报告类型"


def several(groups: list[Group]) -> bool:
    """Is this the matrix of a batch of several kinds (one group per kind, headed by its title)?"""
    return len(groups) > 1


def heading(group: Group) -> str:
    """The line naming a group when there are several: the kind and how many reports it has."""
    n = len(group.rows)
    return f"{UNREAD_TITLE}（{n} 个）" if group.unread else f"{escape(group.title)}（{n} 份）"


def csv_header(groups: list[Group]) -> tuple[list[str], list[list[str]]]:
    """The item columns of the CSV of several kinds: every kind's labels in turn, a label that
    two kinds use named with its kind ("其他（安全生产工作年度报告）"); and per group its own."""
    counts: dict[str, int] = {}
    for g in groups:
        for label in g.labels:
            counts[label] = counts.get(label, 0) + 1
    per_group = [[label if counts[label] == 1 else f"{label}（{g.title}）" for label in g.labels] for g in groups]
    return [label for labels in per_group for label in labels], per_group


def write_csv(groups: list[Group], out: TextIO) -> None:
    """CSV for spreadsheets (Excel and WPS open UTF-8 with a BOM correctly). Every text cell
    goes through :func:`checker.reporters.safe.csv_cell`: names and messages shown as in the
    other formats, and a cell that Excel would take for a formula (``=HYPERLINK(…)`` as a file
    name) starts with ``'``.

    A batch of one kind: 文件, its items, 错误, 警告, 提示, 说明. A batch of several kinds is
    still one table with one header row, so that Excel's filter, sort and pivot tables work on
    the whole sheet: 文件, 报告类型 (the kind, or 无法检查的文件: the column to filter by),
    every kind's items in turn (a report's cells under another kind's items are empty: not
    its items; — still means an item of its own that was not checked), then the counts and
    说明. Header rows repeated per kind would be sorted and filtered as data."""
    writer = csv.writer(out, lineterminator="\r\n")
    if not several(groups):
        [group] = groups
        writer.writerow([csv_cell(c) for c in ("文件", *group.labels, *HEADER_TAIL)])
        for r in group.rows:
            writer.writerow([csv_cell(display_path(r.path)), *(csv_cell(c.text()) for c in r.cells),
                             r.errors, r.warnings, r.infos, csv_cell(r.problem)])
        return
    labels, per_group = csv_header(groups)
    writer.writerow([csv_cell(c) for c in ("文件", KIND_HEADER, *labels, *HEADER_TAIL)])
    before = 0
    for g, own in zip(groups, per_group):
        after = len(labels) - before - len(own)
        for r in g.rows:
            cells = [""] * before + [csv_cell(c.text()) for c in r.cells] + [""] * after
            writer.writerow([csv_cell(display_path(r.path)), csv_cell(g.title), *cells,
                             r.errors, r.warnings, r.infos, csv_cell(r.problem)])
        before += len(own)


def text_table(group: Group) -> list[str]:
    """A plain table for pipes: tab-separated, one header line, then one line per report (a
    tab or newline in a file name is escaped, so it cannot add a column or a row). The files
    that could not be checked have no items: why, under 说明."""
    if group.unread:
        lines = ["\t".join(["文件", "说明", *HEADER_TAIL[:3]])]
        for r in group.rows:
            lines.append("\t".join([human_path(r.path), escape(r.problem), str(r.errors), str(r.warnings),
                                    str(r.infos)]))
        return lines
    lines = ["\t".join(["文件", *map(escape, group.labels), *HEADER_TAIL[:3]])]
    for r in group.rows:
        lines.append("\t".join([human_path(r.path), *(c.text() for c in r.cells), str(r.errors),
                                str(r.warnings), str(r.infos)]))
    return lines


def text_lines(groups: list[Group]) -> list[str]:
    """The matrix as plain text: one kind, its table and totals line (as fzlint always printed
    it); several kinds, each under a line naming it, a blank line between them."""
    if not several(groups):
        return [*text_table(groups[0]), totals_line(groups[0])]
    lines: list[str] = []
    for g in groups:
        lines += [heading(g), *text_table(g), totals_line(g), ""]
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


def totals_line(group: Group) -> str:
    """How many reports of the group, how many complete, and per item how many fail it."""
    rows = group.rows
    if group.unread:
        return f"{len(rows)} 个文件无法检查（无法读取、不是报告或超出检查限制），未计入各类报告"
    text = f"{len(rows)} 份报告，{passed_phrase(rows)}"
    if not group.columns:
        return text
    parts = [f"{label} {'未检查' if unchecked else n}"
             for label, n, unchecked in zip(group.labels, group.totals(), group.unchecked())]
    return f"{text}；各事项未通过的份数：" + "，".join(parts)
