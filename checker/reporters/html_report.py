"""`fzlint report` (and `--format html`): one self-contained HTML page for reviewers.

The page holds, in this order:

* a header: the title (the report kind's pack title + 检查结果; for a batch of several
  kinds, 年度报告检查结果 and the kinds with their numbers of reports), the fzlint version,
  the number of reports and the error, warning and info totals of the run (the tally, so
  the same numbers as ``--format json``);
* the compliance matrix (:mod:`checker.reporters.matrix`): one row per report, one column
  per mandated item, the error/warning/info counts, and two footer rows: 未通过的报告份数
  (reports failing each item, — for an item no report had checked; under 错误 the reports
  with errors) and 问题合计 (the findings under 错误/警告/提示). A batch of several kinds
  gets one matrix per kind, each with the kind's own items and legend (the pack's
  ``legend``), and a table of the files that could not be checked, with the reason;
* a horizontal bar chart (inline SVG) of the most frequent findings, labelled with the rules'
  Chinese titles, and the rules that fired;
* one section per report with its findings and the quoted lines, the span marked.

Nothing is fetched: the CSS and the chart are inline, there are no images, fonts or links
outside the page, and the content needs no JavaScript (a small inline script only lets the
matrix be sorted by clicking a column header). The output is deterministic (no timestamps),
and key elements carry ``data-`` attributes (``#summary[data-errors]``, ``table.matrix``
(``#matrix`` for one kind, ``#matrix-{pack}`` per kind, ``#unread-files``) with
``data-kind``, rows with ``data-path`` and cells with ``data-status``/``data-codes``,
``.bar[data-code][data-count]``, ``.finding[data-code]``) so tests and scripts can read the
page back.

Only each file's findings, its matrix row and the few quoted lines are kept until
``finish``, never whole texts.

File names and messages are shown as in every other human format (:mod:`checker.reporters.safe`:
control characters as backslash escapes, a name that is not UTF-8 decoded or with ``\\xNN``
bytes), then HTML-escaped; quoted lines show control characters as their control pictures,
as ``--format full`` does.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from html import escape
from typing import TextIO

from checker import __version__
from checker.diagnostics import Severity
from checker.reporters import visible_span
from checker.reporters.matrix import (
    FAIL,
    OK,
    UNCHECKED,
    UNCHECKED_NOTE,
    UNREAD,
    UNREAD_TITLE,
    Group,
    Matrix,
    Row,
    passed_phrase,
)
from checker.reporters.safe import escape as shown
from checker.reporters.safe import human_path, unicode_capable
from checker.skeleton.normalize import split_lines

NEUTRAL_LEGEND = "报告应包含的内容"   # what the columns are, for a kind whose pack does not say
ANNUAL = "年度报告"                   # the page of several kinds, all of them annual reports
ANY_KIND = "报告"                     # ... of several kinds, not all of them annual reports
TOP_RULES = 15          # bars in the chart
MAX_CHARS = 120         # code points of a quoted line shown (a window around the span)
CONTEXT = 30            # code points kept before the span when a long line is cut
ELLIPSIS = "…"

SEVERITY_LABEL = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
STATUS_TEXT = {OK: "✓", FAIL: "✗", UNREAD: "无法检查", UNCHECKED: "—"}
STATUS_TITLE = {OK: "未发现问题", FAIL: "未通过", UNREAD: "文件无法检查", UNCHECKED: "相关规则未启用，未检查"}
STATUS_RANK = {UNCHECKED: 0, OK: 1, FAIL: 2, UNREAD: 3}    # sort order of the matrix cells
# the key to the cells; a page of several kinds has no 无法检查 cells (those files have a table of their own)
CELL_KEY = ("<span class=\"cell ok\">✓</span> 未发现问题　<span class=\"cell fail\">✗</span> 未通过（列出规则代码）　"
            "<span class=\"cell unread\">无法检查</span> 文件无法读取或不是报告　"
            "<span class=\"cell unchecked\">—</span> 相关规则未启用"
            "<span class=\"noprint js-only\">　点击列标题可排序</span>")
CELL_KEY_SEVERAL = CELL_KEY.replace("<span class=\"cell unread\">无法检查</span> 文件无法读取或不是报告　", "")
COUNT_HEADERS = ("<th scope=\"col\" data-key=\"errors\" data-type=\"num\" class=\"num\">错误</th>"
                 "<th scope=\"col\" data-key=\"warnings\" data-type=\"num\" class=\"num\">警告</th>"
                 "<th scope=\"col\" data-key=\"infos\" data-type=\"num\" class=\"num\">提示</th></tr>\n"
                 "</thead>\n<tbody>\n")


def page_title(groups: list[Group]) -> str:
    """The page's title: of one kind, '{title}检查结果'; of several, 年度报告检查结果 when every
    kind's title ends so (else 报告检查结果), the kinds named under it (:func:`kinds_line`)."""
    kinds = [g.title for g in groups if not g.unread]
    if len(groups) == 1:
        return f"{kinds[0] if kinds and kinds[0] else ANY_KIND}检查结果"
    return f"{ANNUAL if all(k.endswith(ANNUAL) for k in kinds) else ANY_KIND}检查结果"


def kinds_line(groups: list[Group]) -> str:
    """Under the title of a page of several kinds: each kind and its number of reports, and the
    files that could not be checked; nothing for one kind (the title names it)."""
    if len(groups) == 1:
        return ""
    parts = [f"{UNREAD_TITLE} {len(g.rows)} 个" if g.unread else f"{g.title} {len(g.rows)} 份" for g in groups]
    return f"<p class=\"kinds\" data-kinds=\"{h(' '.join(g.name for g in groups if not g.unread))}\">" \
           f"报告类型：{h('，'.join(parts))}</p>\n"


def clean(text: str) -> str:
    """``text`` safe to show: control characters as their Unicode control pictures, invisible
    format characters (zero-width spaces, bidi controls, BOM) left out, lone surrogates (from
    undecodable file names) as U+FFFD. Not escaped: pass the result to :func:`html.escape`."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc":
            code = ord(ch)
            out.append(chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd")
        elif cat in ("Cf", "Zl", "Zp"):
            continue
        elif cat == "Cs":
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def h(text) -> str:
    """Escaped for HTML text and attribute values."""
    return escape(clean(str(text)), quote=True)


@dataclass
class Quote:
    """One quoted source line: the text before, inside and after the marked span."""

    number: int | None      # None for the "⋮" line between the ends of a long span
    before: str = ""
    marked: str = ""
    after: str = ""


@dataclass
class Finding:
    severity: Severity
    line: int
    column: int
    code: str
    name: str
    message: str
    where: str | None
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Entry:
    """What the page keeps of one checked file."""

    row: Row
    findings: list[Finding]


def _window(line: str, start: int, end: int, number: int, keep_end: bool = False) -> Quote:
    """Quote ``line`` with code points [start, end) marked (at least one character when the
    line has one there); a line longer than MAX_CHARS is cut to a window around the span."""
    n = len(line)
    start = min(max(start, 0), n)
    end = min(max(end, start), n)
    if end == start and start < n:
        end = start + 1
    a, b = 0, n
    if n > MAX_CHARS:
        if keep_end:
            b = min(n, end + CONTEXT)
            a = max(0, b - MAX_CHARS)
        else:
            a = max(0, start - CONTEXT)
            b = min(n, a + MAX_CHARS)
            a = max(0, b - MAX_CHARS)
    s, e = min(max(start, a), b), min(max(end, a), b)
    left = ELLIPSIS if a > 0 else ""
    right = ELLIPSIS if b < n else ""
    return Quote(number, left + line[a:s], line[s:e], line[e:b] + right)


def quote(lines: list[str], d) -> list[Quote]:
    """The lines ``d``'s span covers (its first and last line), marked; [] when not in the text."""
    s = d.span
    visible = visible_span(lines, s)
    if visible is None:
        return []
    _, _, end_line, end_col = visible
    first = lines[s.line - 1]
    if end_line == s.line:
        # nothing to show for a blank line (an empty file's FZ903 points at 1:1)
        return [_window(first, s.column - 1, end_col - 1, s.line)] if first.strip() else []
    head = _window(first, s.column - 1, len(first), s.line)
    tail = _window(lines[end_line - 1], 0, end_col - 1, end_line, keep_end=True)
    middle = [Quote(None)] if end_line > s.line + 1 else []
    return [head, *middle, tail]


class HtmlReporter:
    """``file(result)`` for each checked file, ``finish(tally)`` writes the page."""

    quotes = True     # quotes the checked lines: needs FileResult.source.text

    def __init__(self, out: TextIO, registry):
        self.out = out
        if unicode_capable(out):
            self._write = out.write
        else:     # an ASCII stdout: character references, so the page is still the UTF-8 it declares
            self._write = lambda text: out.write(text.encode("ascii", "xmlcharrefreplace").decode("ascii"))
        self.registry = registry
        self.matrix = Matrix(registry)
        self.entries: dict[int, Entry] = {}     # id(row) -> entry

    def file(self, result) -> None:
        row = self.matrix.add(result)
        lines = split_lines(result.source.text) if result.source is not None and result.diagnostics else None
        findings = [Finding(d.severity, d.span.line, d.span.column, d.code, d.name, shown(d.message),
                            shown(d.where) if d.where else d.where,
                            quote(lines, d) if lines is not None else [])
                    for d in sorted(result.diagnostics, key=lambda d: d.sort_key())]
        self.entries[id(row)] = Entry(row, findings)

    # -- the page ----------------------------------------------------------------------------

    def finish(self, tally) -> None:
        groups = self.matrix.groups("path")
        rows = sorted((r for g in groups for r in g.rows), key=lambda r: r.path)
        anchors = {id(r): f"r{i}" for i, r in enumerate(rows, 1)}
        group_of = {id(r): g for g in groups for r in g.rows}
        title = page_title(groups)
        w = self._write
        w("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          f"<meta name=\"generator\" content=\"fzlint {h(__version__)}\">\n"
          f"<title>{h(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")
        self._header(title, groups, rows, tally)
        w("<main>\n")
        self._matrices(groups, anchors)
        self._chart(tally)
        self._reports(rows, anchors, group_of)
        w("</main>\n")
        w(f"<footer>由 fzlint {h(__version__)} 生成。本页为自包含文件，可离线打开、打印或存档。</footer>\n")
        w(f"<script>{SCRIPT}</script>\n</body>\n</html>\n")

    def _header(self, title: str, groups: list[Group], rows: list[Row], tally) -> None:
        by = tally.by_severity
        errors, warnings, infos = by[Severity.ERROR], by[Severity.WARNING], by[Severity.INFO]
        passed = sum(r.passed for r in rows)
        complete = sum(r.complete for r in rows)
        self._write(
            f"<header id=\"summary\" data-version=\"{h(__version__)}\" data-reports=\"{len(rows)}\" "
            f"data-files=\"{tally.files}\" data-findings=\"{tally.total}\" data-errors=\"{errors}\" "
            f"data-warnings=\"{warnings}\" data-infos=\"{infos}\" data-passed=\"{passed}\" "
            f"data-complete=\"{complete}\">\n"
            f"<h1>{h(title)}</h1>\n"
            f"{kinds_line(groups)}"
            f"<p class=\"meta\">fzlint {h(__version__)} · 共检查 {len(rows)} 份报告，"
            f"其中 {h(passed_phrase(rows))}</p>\n"
            "<dl class=\"cards\">\n"
            f"<div class=\"card\"><dt>报告</dt><dd>{len(rows)}</dd></div>\n"
            f"<div class=\"card error\"><dt>错误</dt><dd>{errors}</dd></div>\n"
            f"<div class=\"card warning\"><dt>警告</dt><dd>{warnings}</dd></div>\n"
            f"<div class=\"card info\"><dt>提示</dt><dd>{infos}</dd></div>\n"
            f"<div class=\"card\"><dt>问题合计</dt><dd>{tally.total}</dd></div>\n"
            "</dl>\n"
            "<nav><a href=\"#matrix-section\">合规矩阵</a> · <a href=\"#chart-section\">常见问题</a> · "
            "<a href=\"#reports-section\">逐份报告</a></nav>\n"
            "</header>\n")

    def _matrices(self, groups: list[Group], anchors: dict[int, str]) -> None:
        """The matrix section: one table for a batch of one kind; for several, the key to the
        cells once, then per kind a heading, what its columns are and its table."""
        w = self._write
        w("<section id=\"matrix-section\">\n<h2>合规矩阵</h2>\n")
        if len(groups) == 1:
            [group] = groups
            w(f"<p class=\"legend\">每行一份报告，每列一项{h(group.legend or NEUTRAL_LEGEND)}：{CELL_KEY}</p>\n")
            self._matrix(group, anchors, "matrix")
        else:
            w("<p class=\"legend\">每种报告一张表，每行一份报告，每列一项该种报告应包含的内容："
              f"{CELL_KEY_SEVERAL}</p>\n")
            for g in groups:
                table = "unread-files" if g.unread else f"matrix-{g.name}"
                w(f"<section class=\"kind\" id=\"{table}-section\" data-kind=\"{h(g.name)}\">\n"
                  f"<h3>{h(g.title)}<span class=\"count\">{len(g.rows)} {'个' if g.unread else '份'}</span></h3>\n")
                if g.unread:
                    w("<p class=\"legend\">这些文件无法读取、不是报告或超出检查限制，无法判断其报告类型，"
                      "未计入以上各表。</p>\n")
                    self._unread(g, anchors, table)
                else:
                    w(f"<p class=\"legend\">每列一项{h(g.legend or NEUTRAL_LEGEND)}。</p>\n")
                    self._matrix(g, anchors, table)
                w("</section>\n")
        w("</section>\n")

    def _matrix(self, group: Group, anchors: dict[int, str], table: str) -> None:
        w = self._write
        rows, columns = group.rows, group.labels
        w(f"<table id=\"{table}\" class=\"matrix\" data-kind=\"{h(group.name)}\">\n<thead>\n<tr>"
          "<th scope=\"col\" data-key=\"path\" data-type=\"str\">文件</th>")
        for i, column in enumerate(group.columns):
            label, rules = column.label, column.rules
            named = "、".join(f"{code} {self._title(code)}".rstrip() for code in rules)
            w(f"<th scope=\"col\" data-key=\"c{i}\" data-type=\"num\" data-column=\"{h(label)}\" "
              f"data-rules=\"{h(' '.join(rules))}\" title=\"{h('规则：' + named)}\">{h(label)}</th>")
        w(COUNT_HEADERS)
        for r in rows:
            self._row_start(r, anchors)
            for label, c in zip(columns, r.cells):
                title = STATUS_TITLE[c.status]
                if c.status == FAIL:
                    title += "：" + "、".join(c.codes)
                elif c.status == UNREAD and r.problem:
                    title += "：" + shown(r.problem)
                codes = " ".join(c.codes)
                text = STATUS_TEXT[c.status] + (f" <span class=\"codes\">{h(codes)}</span>" if codes else "")
                w(f"<td class=\"cell {c.status}\" data-column=\"{h(label)}\" data-status=\"{c.status}\" "
                  f"data-codes=\"{h(codes)}\" data-v=\"{STATUS_RANK[c.status]}\" title=\"{h(title)}\">{text}</td>")
            self._row_end(r)
        # two footer rows, each meaning one thing: reports that fail (each item; with errors), and
        # the findings under the error/warning/info columns
        w(f"</tbody>\n<tfoot>\n<tr id=\"{table}-totals\"><th scope=\"row\">未通过的报告份数</th>")
        for label, n, unchecked in zip(columns, group.totals(), group.unchecked()):
            if unchecked:      # no report had this item checked: a 0 would say they all passed
                w(f"<td class=\"total unchecked\" data-column=\"{h(label)}\" data-status=\"unchecked\" "
                  f"title=\"{h(STATUS_TITLE[UNCHECKED])}\">—</td>")
                continue
            w(f"<td class=\"total{' bad' if n else ''}\" data-column=\"{h(label)}\" data-count=\"{n}\">{n}</td>")
        with_errors = sum(1 for r in rows if r.errors)
        w(f"<td class=\"num{' bad' if with_errors else ''}\" data-reports-with-errors=\"{with_errors}\" "
          f"title=\"有错误的报告份数\">{with_errors}</td><td></td><td></td></tr>\n"
          f"<tr id=\"{table}-findings\"><th scope=\"row\">问题合计</th><td colspan=\"{len(columns)}\"></td>")
        self._findings_total(rows)

    def _unread(self, group: Group, anchors: dict[int, str], table: str) -> None:
        """The files that could not be checked, in a batch of several kinds: no items, the reason."""
        w = self._write
        w(f"<table id=\"{table}\" class=\"matrix unread\" data-kind=\"\">\n<thead>\n<tr>"
          "<th scope=\"col\" data-key=\"path\" data-type=\"str\">文件</th>"
          "<th scope=\"col\" data-key=\"problem\" data-type=\"str\">说明</th>")
        w(COUNT_HEADERS)
        for r in group.rows:
            self._row_start(r, anchors)
            problem = h(shown(r.problem))
            w(f"<td class=\"cell unread problem\" data-v=\"{problem}\">{problem}</td>")
            self._row_end(r)
        w(f"</tbody>\n<tfoot>\n<tr id=\"{table}-findings\"><th scope=\"row\">问题合计</th><td></td>")
        self._findings_total(group.rows)

    def _row_start(self, r: Row, anchors: dict[int, str]) -> None:
        cls = "passed" if r.passed else "failing"
        name = h(human_path(r.path))
        self._write(f"<tr class=\"{cls}\" data-path=\"{name}\" data-errors=\"{r.errors}\" "
                    f"data-warnings=\"{r.warnings}\" data-infos=\"{r.infos}\" data-failing=\"{r.failing}\">"
                    f"<th scope=\"row\" class=\"path\" data-v=\"{name}\">"
                    f"<a href=\"#{anchors[id(r)]}\">{name}</a></th>")

    def _row_end(self, r: Row) -> None:
        for n, sev in ((r.errors, "error"), (r.warnings, "warning"), (r.infos, "info")):
            self._write(f"<td class=\"num{' ' + sev if n else ''}\" data-v=\"{n}\">{n}</td>")
        self._write("</tr>\n")

    def _findings_total(self, rows: list[Row]) -> None:
        w = self._write
        for attr, n in (("errors", sum(r.errors for r in rows)), ("warnings", sum(r.warnings for r in rows)),
                        ("infos", sum(r.infos for r in rows))):
            w(f"<td class=\"num\" data-{attr}=\"{n}\">{n}</td>")
        w("</tr>\n</tfoot>\n</table>\n")

    def _title(self, code: str) -> str:
        """The rule's Chinese title ('' for a code no loaded pack has)."""
        rule = self.registry.rule(code)
        return rule.title if rule is not None else ""

    def _chart(self, tally) -> None:
        w = self._write
        stats = tally.statistics()
        top = stats[:TOP_RULES]
        w("<section id=\"chart-section\">\n<h2>常见问题</h2>\n")
        if not top:
            w("<p class=\"empty\">未发现问题。</p>\n</section>\n")
            return
        more = f"（共 {len(stats)} 条规则，显示前 {len(top)} 条）" if len(stats) > len(top) else ""
        w(f"<p class=\"legend\">出现次数最多的规则{more}；条的颜色表示级别：<span class=\"swatch error\"></span>错误　"
          "<span class=\"swatch warning\"></span>警告　<span class=\"swatch info\"></span>提示</p>\n")
        bar_h, gap, label_w, bar_w, pad = 22, 8, 330, 520, 60
        width = label_w + bar_w + pad
        height = len(top) * (bar_h + gap) + gap
        biggest = max(n for n, _, _ in top)
        w(f"<svg id=\"chart\" class=\"chart\" role=\"img\" aria-label=\"出现次数最多的问题\" "
          f"viewBox=\"0 0 {width} {height}\" width=\"{width}\" "
          f"height=\"{height}\">\n")
        for i, (n, code, name) in enumerate(top):
            y = gap + i * (bar_h + gap)
            length = max(2, round(bar_w * n / biggest))
            rule = self.registry.rule(code)
            sev = rule.severity.label if rule is not None else "info"
            base = y + bar_h * 0.72
            title = self._title(code) or name
            w(f"<g class=\"bar {sev}\" data-code=\"{h(code)}\" data-name=\"{h(name)}\" data-title=\"{h(title)}\" "
              f"data-count=\"{n}\">"
              f"<title>{h(code)} {h(title)}（{h(name)}）：{n} 次</title>"
              f"<text class=\"code\" x=\"0\" y=\"{base:.1f}\">{h(code)}</text>"
              f"<text class=\"name\" x=\"58\" y=\"{base:.1f}\">{h(title)}</text>"
              f"<rect x=\"{label_w}\" y=\"{y}\" width=\"{length}\" height=\"{bar_h}\" rx=\"3\"/>"
              f"<text class=\"count\" x=\"{label_w + length + 6}\" y=\"{base:.1f}\">{n}</text></g>\n")
        w("</svg>\n")
        self._glossary(stats)
        w("</section>\n")

    def _glossary(self, stats) -> None:
        w = self._write
        w("<details class=\"glossary\" open>\n<summary>本次出现的规则</summary>\n"
          "<table id=\"rules\" class=\"rules\">\n<thead><tr><th>代码</th><th>标题</th><th>名称</th><th>级别</th>"
          "<th>依据</th><th class=\"num\">次数</th></tr></thead>\n<tbody>\n")
        for n, code, name in sorted(stats, key=lambda t: t[1]):
            rule = self.registry.rule(code)
            sev = rule.severity if rule is not None else None
            citation = rule.citation_text if rule is not None else ""
            badge = f"<span class=\"badge {sev.label}\">{SEVERITY_LABEL[sev]}</span>" if sev else ""
            w(f"<tr id=\"rule-{h(code)}\" data-code=\"{h(code)}\" data-count=\"{n}\"><td class=\"code\">{h(code)}</td>"
              f"<td class=\"title\">{h(self._title(code))}</td>"
              f"<td class=\"name\">{h(name)}</td><td>{badge}</td><td>{h(citation)}</td>"
              f"<td class=\"num\">{n}</td></tr>\n")
        w("</tbody>\n</table>\n<p class=\"hint\">规则的说明与示例：<code>fzlint explain 代码</code></p>\n"
          "</details>\n")

    def _reports(self, rows: list[Row], anchors: dict[int, str], group_of: dict[int, Group]) -> None:
        w = self._write
        w("<section id=\"reports-section\">\n<h2>逐份报告</h2>\n")
        for r in rows:
            columns = group_of[id(r)].labels
            entry = self.entries[id(r)]
            anchor = anchors[id(r)]
            name = h(human_path(r.path))
            w(f"<section class=\"report\" id=\"{anchor}\" data-path=\"{name}\" "
              f"data-count=\"{len(entry.findings)}\">\n"
              f"<h3><a class=\"back noprint\" href=\"#matrix-section\" title=\"返回合规矩阵\">↑</a> "
              f"<span class=\"path\">{name}</span></h3>\n")
            parts = [f"<span class=\"badge error\">错误 {r.errors}</span>",
                     f"<span class=\"badge warning\">警告 {r.warnings}</span>",
                     f"<span class=\"badge info\">提示 {r.infos}</span>"]
            if r.kind:
                parts.insert(0, f"<span class=\"kind\">{h(r.kind)}</span>")
            w(f"<p class=\"report-meta\">{' '.join(parts)}</p>\n")
            failed = [f"{h(label)}（{h('、'.join(c.codes))}）" for label, c in zip(columns, r.cells)
                      if c.status == FAIL]
            if r.unread:
                w(f"<p class=\"status unread\">无法检查：{h(shown(r.problem))}</p>\n")
            elif failed:
                w(f"<p class=\"status fail\">未通过事项：{'、'.join(failed)}</p>\n")
            elif columns:
                unchecked = [label for label, c in zip(columns, r.cells) if c.status == UNCHECKED]
                if len(unchecked) == len(columns):
                    w(f"<p class=\"status unchecked\">各事项均未检查（{UNCHECKED_NOTE}）。</p>\n")
                elif unchecked:
                    w(f"<p class=\"status unchecked\">已检查的事项均已具备；未检查：{h('、'.join(unchecked))}"
                      f"（{UNCHECKED_NOTE}）。</p>\n")
                else:
                    w("<p class=\"status ok\">各事项均已具备。</p>\n")
            if not entry.findings:
                w("<p class=\"empty\">未发现问题。</p>\n</section>\n")
                continue
            w("<ol class=\"findings\">\n")
            for f in entry.findings:
                self._finding(f)
            w("</ol>\n</section>\n")
        w("</section>\n")

    def _finding(self, f: Finding) -> None:
        sev = f.severity.label
        where = f"<span class=\"where\">原文位置：{h(f.where)}</span>" if f.where else ""
        rows = []
        for q in f.quotes:
            if q.number is None:
                rows.append("<span class=\"ln\">⋮</span>\n")
                continue
            rows.append(f"<span class=\"ln\">{q.number}</span>{h(q.before)}<mark>{h(q.marked)}</mark>"
                        f"{h(q.after)}\n")
        src = f"<pre class=\"src\">{''.join(rows).rstrip()}</pre>" if rows else ""
        self._write(
            f"<li class=\"finding {sev}\" data-code=\"{h(f.code)}\" data-severity=\"{sev}\" "
            f"data-line=\"{f.line}\" data-column=\"{f.column}\">"
            f"<span class=\"badge {sev}\">{SEVERITY_LABEL[f.severity]}</span> "
            f"<span class=\"pos\">{f.line}:{f.column}</span> "
            f"<a class=\"code\" href=\"#rule-{h(f.code)}\" title=\"{h(self._title(f.code) or f.name)}\">"
            f"{h(f.code)}</a> "
            f"<span class=\"message\">{h(f.message)}</span>{where}{src}</li>\n")


CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d0d7de;--bg:#fff;--head:#f6f8fa;
--ok:#1a7f37;--ok-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--unread:#8250df;--unread-bg:#fbefff;
--warn:#9a6700;--warn-bg:#fff8c5;--info:#0969da;--info-bg:#ddf4ff;--mark:#ffd8b5}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;padding:24px 32px 48px;color:var(--fg);background:var(--bg);line-height:1.6;font-size:15px;
font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Zen Hei",sans-serif}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:0 0 4px;word-break:break-all}
a{color:var(--info);text-decoration:none}
a:hover{text-decoration:underline}
code,pre,.pos,.code,.codes,.chart .code,.chart .name,.chart .count{
font-family:"DejaVu Sans Mono","Noto Sans Mono CJK SC","WenQuanYi Zen Hei Mono",Consolas,monospace}
.meta,.legend,.hint,footer{color:var(--muted)}
.legend{font-size:14px}
.legend .cell{display:inline-block;padding:0 6px;border-radius:3px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{min-width:110px;padding:8px 16px;border:1px solid var(--line);border-radius:6px;background:var(--head)}
.card dt{font-size:13px;color:var(--muted)}
.card dd{margin:0;font-size:24px;font-weight:700}
.card.error dd{color:var(--fail)}.card.warning dd{color:var(--warn)}.card.info dd{color:var(--info)}
table{border-collapse:separate;border-spacing:0;font-size:14px}
.matrix{width:100%}
.matrix th,.matrix td{border-bottom:1px solid var(--line);border-right:1px solid var(--line);padding:6px 10px;
text-align:center;vertical-align:middle}
.matrix tr>:first-child{border-left:1px solid var(--line);text-align:left}
.matrix thead th{position:sticky;top:0;z-index:2;background:var(--head);border-top:1px solid var(--line);
white-space:nowrap;box-shadow:0 1px 0 var(--line)}
.js .matrix thead th{cursor:pointer;user-select:none}
.js .matrix thead th::after{content:" ↕";color:#afb8c1;font-size:12px}
.js .matrix thead th[aria-sort=ascending]::after{content:" ▲";color:var(--fg)}
.js .matrix thead th[aria-sort=descending]::after{content:" ▼";color:var(--fg)}
.matrix tbody tr:nth-child(even) th,.matrix tbody tr:nth-child(even) td.num{background:#fafbfc}
.matrix tbody tr:hover th,.matrix tbody tr:hover td.num{background:#eef4ff}
.matrix th.path{font-weight:400;overflow-wrap:anywhere;min-width:16em}
.matrix tfoot th,.matrix tfoot td{background:var(--head);font-weight:700}
.matrix td.problem{text-align:left;white-space:normal;overflow-wrap:anywhere}
.kind h3{margin:20px 0 0}
.kind h3 .count{margin-left:8px;font-weight:400;color:var(--muted);font-size:14px}
.kinds{margin:0 0 4px;font-size:16px}
.cell{white-space:nowrap}
.cell.ok{background:var(--ok-bg);color:var(--ok)}
.cell.fail{background:var(--fail-bg);color:var(--fail);font-weight:700}
.cell.unread{background:var(--unread-bg);color:var(--unread)}
.cell.unchecked{background:#eaeef2;color:var(--muted)}
.codes{font-size:12px;font-weight:400}
td.num{font-variant-numeric:tabular-nums}
td.num.error{color:var(--fail);font-weight:700}td.num.warning{color:var(--warn);font-weight:700}
td.num.info{color:var(--info)}
td.total.bad,td.num.bad{color:var(--fail)}
td.total.unchecked{color:var(--muted)}
.chart{display:block;max-width:100%;height:auto;margin:8px 0 16px}
.chart text{font-size:13px;fill:var(--fg)}
.chart .code{font-weight:700}
.chart .name{fill:var(--muted)}
.chart .bar rect{fill:var(--info)}
.chart .bar.error rect{fill:var(--fail)}.chart .bar.warning rect{fill:#d4a72c}
.chart .count{font-weight:700}
.swatch{display:inline-block;width:12px;height:12px;margin:0 4px 0 2px;border-radius:2px;vertical-align:-1px;
background:var(--info)}
.swatch.error{background:var(--fail)}.swatch.warning{background:#d4a72c}
.glossary summary{cursor:pointer;color:var(--muted)}
.rules{width:100%}
.rules th,.rules td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left}
.rules thead th{background:var(--head);white-space:nowrap}
.rules td.code,.rules td.title,.rules td.name{white-space:nowrap}
.rules td.name{color:var(--muted);font-size:13px}
.rules .num{text-align:right}
.badge{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;line-height:20px;white-space:nowrap;
border:1px solid transparent}
.badge.error{background:var(--fail-bg);color:var(--fail);border-color:#ffcecb}
.badge.warning{background:var(--warn-bg);color:var(--warn);border-color:#eed888}
.badge.info{background:var(--info-bg);color:var(--info);border-color:#b6e3ff}
.report{margin:20px 0;padding:12px 16px;border:1px solid var(--line);border-radius:6px;break-inside:auto}
.report:target{outline:3px solid #9cd0ff}
.report-meta{margin:0 0 6px}
.kind{color:var(--muted);margin-right:6px}
.status{margin:4px 0}
.status.fail{color:var(--fail)}.status.ok{color:var(--ok)}.status.unread{color:var(--unread)}
.status.unchecked{color:var(--muted)}
.back{margin-right:4px}
.findings{list-style:none;margin:8px 0 0;padding:0}
.finding{padding:8px 0 8px 12px;border-top:1px solid #eaeef2;border-left:3px solid var(--info);break-inside:avoid}
.finding.error{border-left-color:var(--fail)}.finding.warning{border-left-color:#d4a72c}
.pos{color:var(--muted)}
.finding .code{font-weight:700}
.where{display:inline-block;margin-left:8px;color:var(--muted);font-size:13px}
.src{margin:6px 0 0;padding:6px 10px;background:var(--head);border-radius:4px;font-size:13px;line-height:1.7;
white-space:pre-wrap;word-break:break-all}
.src .ln{display:inline-block;min-width:3em;margin-right:8px;color:#8c959f;text-align:right;user-select:none}
mark{background:var(--mark);color:inherit;border-bottom:2px solid #fb8f44;padding:0 1px}
mark:empty{padding:0 2px}
.empty{color:var(--ok)}
footer{margin-top:40px;font-size:13px}
.js-only{display:none}.js .js-only{display:inline}
@media (max-width:800px){body{padding:12px}}
@media print{
@page{size:A4 landscape;margin:12mm}
body{padding:0;font-size:11pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.noprint,nav{display:none!important}
.matrix thead th{position:static;box-shadow:none}
.js .matrix thead th::after{content:none}
thead{display:table-header-group}
tfoot{display:table-row-group}
.matrix{font-size:9pt}
.matrix th.path{min-width:0}
tr,.finding,.chart{break-inside:avoid}
h2,h3,.legend{break-after:avoid}
.report{border:none;padding:0;border-top:1px solid var(--line);border-radius:0}
a{color:inherit}
}
"""

# Sorting a matrix (every table.matrix: one per report kind) by clicking a header; the page is
# complete without it.
SCRIPT = """
(function(){
var ts=document.querySelectorAll("table.matrix");if(!ts.length)return;
document.documentElement.classList.add("js");
function val(row,i,num){var c=row.cells[i];var v=c.getAttribute("data-v");return num?Number(v):v;}
function sort(t,th){
var hs=t.tHead.rows[0].cells,i=th.cellIndex,num=th.getAttribute("data-type")==="num";
var cur=th.getAttribute("aria-sort");var asc=cur?cur==="descending":!num;
for(var k=0;k<hs.length;k++)hs[k].removeAttribute("aria-sort");
th.setAttribute("aria-sort",asc?"ascending":"descending");
var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);
rows.sort(function(x,y){var a=val(x,i,num),c=val(y,i,num);
var d=num?a-c:(a<c?-1:a>c?1:0);if(!d){var p=val(x,0,false),q=val(y,0,false);return p<q?-1:p>q?1:0;}
return asc?d:-d;});
rows.forEach(function(r){b.appendChild(r);});
}
Array.prototype.forEach.call(ts,function(t){if(!t.tHead)return;var hs=t.tHead.rows[0].cells;
for(var k=0;k<hs.length;k++){var th=hs[k];th.tabIndex=0;
th.addEventListener("click",function(){sort(t,this);});
th.addEventListener("keydown",function(e){if(e.key==="Enter"||e.key===" "){e.preventDefault();sort(t,this);}});}});
})();
"""
