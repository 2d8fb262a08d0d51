"""A batch holding two kinds of report: the matrix (--summary on a pipe and on a terminal,
--format csv) and the HTML report show each report against its own kind's items.

The second kind is a scratch pack written here (安全生产工作年度报告, rules AQ101/AQ102),
loaded through a fzlint.toml `rule-packs` as a user's would be: no Python change.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from checker.engine.registry import load_registry

from conftest import SEEDS
from test_cli import fzlint

ANQUAN = """\
pack: anquan
title: 安全生产工作年度报告
detect: [安全生产工作]
code_prefix: AQ
legend: 安全生产年度报告的必备内容
section_kinds:
  - kind: work
    label: 安全生产工作开展情况
    any: [工作开展情况, 主要工作]
  - kind: plan
    label: 下一年度安全生产工作计划
    any: [工作计划, 工作安排]
section_order: [work, plan]
phrases:
  before: 应置于“{heading}”之前
  after: 应置于“{heading}”部分之后
  none: 报告未分部分撰写
matrix:
  - label: 工作情况
    rules: [AQ101]
  - label: 工作计划
    rules: [AQ102]
rules:
  - id: AQ101
    name: missing-work-section
    title: 缺少“工作开展情况”部分
    severity: error
    check: required_section
    kind: work
    citation: {practice: 安全生产年度报告}
    message: 缺少“{label}”部分，{placement}
    rationale: 报告须写明安全生产工作开展情况。
    tests:
      - name: fires
        input: |
          平安县应急管理局2023年度安全生产工作情况报告
          一、工作计划
          加强检查。
        want: ["2:1 AQ101"]
      - name: silent
        input: |
          平安县应急管理局2023年度安全生产工作情况报告
          一、主要工作
          检查企业12家。
          二、工作计划
          加强检查。
        want: []
  - id: AQ102
    name: missing-plan-section
    title: 缺少“工作计划”部分
    severity: error
    check: required_section
    kind: plan
    citation: {practice: 安全生产年度报告}
    message: 缺少“{label}”部分，{placement}
    rationale: 报告须写明下一年度安全生产工作计划。
    tests:
      - name: fires
        input: |
          平安县应急管理局2023年度安全生产工作情况报告
          一、主要工作
          检查企业12家。
        want: ["3:1 AQ102"]
      - name: silent
        input: |
          平安县应急管理局2023年度安全生产工作情况报告
          一、主要工作
          检查企业12家。
          二、工作计划
          加强检查。
        want: []
"""
HEAD = "平安县应急管理局2023年度安全生产工作情况报告\n"
CLOSING = "平安县应急管理局\n2024年3月1日\n"
ANQUAN_REPORTS = {
    "anquan_plan_missing.txt": HEAD + "一、主要工作\n全年检查企业120家，整改隐患30处。\n" + CLOSING,
    "anquan_complete.txt": HEAD + "一、主要工作\n全年检查企业120家。\n二、2024年工作计划\n开展隐患排查。\n" + CLOSING,
}
FAZHI = "fazhi_001.txt"
EMPTY = "empty.txt"
TALLY = re.compile(r"^(发现 \d+ 个问题|未发现问题)")


def make_project(root: Path, pack: str = ANQUAN, fazhi: bool = True) -> Path:
    """A folder with the scratch pack (packs/, named in fzlint.toml) and batch/: the reports of
    the second kind, an empty file and (``fazhi``) a 法治政府建设 seed."""
    (root / "packs").mkdir()
    (root / "packs" / "anquan.yaml").write_text(pack, encoding="utf-8")
    (root / "fzlint.toml").write_text('rule-packs = ["packs"]\n', encoding="utf-8")
    batch = root / "batch"
    batch.mkdir()
    for name, text in ANQUAN_REPORTS.items():
        (batch / name).write_text(text, encoding="utf-8")
    (batch / EMPTY).write_bytes(b"")
    if fazhi:
        (batch / FAZHI).write_text(SEEDS[1].read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("kinds"))


@pytest.fixture(scope="module")
def packs(project):
    """(fazhi, anquan) as loaded with the scratch pack."""
    registry = load_registry([project / "packs"])
    return registry.pack_named("fazhi"), registry.pack_named("anquan")


@pytest.fixture(scope="module")
def fired(project) -> dict[str, set[str]]:
    """{file name: the codes --format json reports for it}: what every matrix must agree with."""
    run = fzlint("check", "--format", "json", "--exit-zero", "batch", cwd=project)
    assert run.returncode == 0, run.stderr
    out: dict[str, set[str]] = {}
    for d in json.loads(run.stdout):
        out.setdefault(Path(d["path"]).name, set()).add(d["code"])
    assert "AQ102" in out["anquan_plan_missing.txt"], "the scratch pack's rule runs in check"
    return out


def cells_of(pack, codes: set[str]) -> list[str]:
    """A report's cells against its kind's columns, from its findings."""
    out = []
    for column in pack.matrix:
        hit = [r for r in column.rules if r in codes]
        out.append("✗ " + " ".join(hit) if hit else "✓")
    return out


def sections(text: str) -> dict[str, list[str]]:
    """The plain matrix of several kinds: {heading: the lines under it} (blank-line separated)."""
    out = {}
    for block in text.strip("\n").split("\n\n"):
        lines = block.splitlines()
        if TALLY.match(lines[0]):
            continue
        out[lines[0]] = lines[1:]
    return out


def test_summary_shows_each_report_against_its_own_items(project, packs, fired):
    fazhi, anquan = packs
    run = fzlint("check", "--summary", "batch", cwd=project)
    assert run.returncode == 1, run.stderr        # AQ102 and the empty file are errors
    found = sections(run.stdout)
    assert list(found) == ["法治政府建设年度报告（1 份）", "安全生产工作年度报告（2 份）", "无法检查的文件（1 个）"]
    assert TALLY.match(run.stdout.splitlines()[-1])
    for (title, lines), pack in zip(list(found.items())[:2], packs):
        header, *rows, totals = lines
        assert header.split("\t") == ["文件", *(c.label for c in pack.matrix), "错误", "警告", "提示"], title
        for line in rows:
            cells = line.split("\t")
            name = Path(cells[0]).name
            assert cells[1:1 + len(pack.matrix)] == cells_of(pack, fired.get(name, set())), (title, name)
        assert totals.startswith(f"{len(rows)} 份报告，")
        for column in pack.matrix:
            failing = sum(1 for line in rows if line.split("\t")[1 + pack.matrix.index(column)].startswith("✗"))
            assert f"{column.label} {failing}" in totals
    # the second kind's own items, ✓ and ✗, never the first kind's — (not checked)
    anquan_lines = found["安全生产工作年度报告（2 份）"][1:-1]
    anquan_rows = {Path(ln.split("\t")[0]).name: ln.split("\t")[1:3] for ln in anquan_lines}
    assert anquan_rows == {"anquan_complete.txt": ["✓", "✓"], "anquan_plan_missing.txt": ["✓", "✗ AQ102"]}
    assert "—" not in run.stdout
    # the empty file is of no kind: its own table, with the reason
    header, row, totals = found["无法检查的文件（1 个）"]
    assert header == "文件\t说明\t错误\t警告\t提示"
    assert row.split("\t") == ["batch/empty.txt", "文件没有任何文字内容", "1", "0", "0"]
    assert totals.startswith("1 个文件无法检查")


def test_only_failing_keeps_one_table_per_kind(project):
    """--only-failing drops the complete report, not its kind's table: the layout is the batch's."""
    run = fzlint("check", "--summary", "--only-failing", "batch", cwd=project)
    found = sections(run.stdout)
    assert list(found) == ["法治政府建设年度报告（1 份）", "安全生产工作年度报告（1 份）", "无法检查的文件（1 个）"]
    assert "anquan_complete.txt" not in run.stdout


def test_csv_of_two_kinds_is_one_table_to_filter_by_kind(project, packs, fired):
    fazhi, anquan = packs
    out = project / "matrix.csv"
    run = fzlint("check", "--format", "csv", "-o", str(out), "batch", cwd=project)
    assert run.returncode == 1, run.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    labels = [c.label for c in fazhi.matrix] + [c.label for c in anquan.matrix]
    assert header == ["文件", "报告类型", *labels, "错误", "警告", "提示", "说明"]
    assert all(len(r) == len(header) for r in rows)
    kinds = {Path(r[0]).name: r[1] for r in rows}
    assert kinds == {FAZHI: fazhi.title, "anquan_complete.txt": anquan.title, "anquan_plan_missing.txt": anquan.title,
                     EMPTY: "无法检查的文件"}
    n = len(fazhi.matrix)
    for r in rows:
        name, items = Path(r[0]).name, r[2:2 + len(labels)]
        if r[1] == fazhi.title:
            assert items == cells_of(fazhi, fired.get(name, set())) + [""] * len(anquan.matrix)
        elif r[1] == anquan.title:     # its own items, and empty (not its items) under the other kind's
            assert items == [""] * n + cells_of(anquan, fired.get(name, set()))
        else:
            assert items == [""] * len(labels) and r[-1] == "文件没有任何文字内容"


def test_terminal_table_per_kind(project, packs):
    """On a terminal: a heading naming each kind above its table, the kind's own columns."""
    from checker.lint import lint_path
    from checker.reporters.summary import Tally
    from checker.reporters.summary_table import SummaryReporter

    registry = load_registry([project / "packs"])
    out = io.StringIO()
    reporter = SummaryReporter(out, registry, color=True, width=200)
    tally = Tally()
    for path in sorted((project / "batch").iterdir()):
        result = lint_path(path, registry, display=path.name)
        tally.add(result.diagnostics)
        reporter.file(result)
    reporter.finish(tally)
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())
    lines = text.splitlines()
    headings = [ln for ln in lines if ln.endswith(("份）", "个）"))]
    assert headings == ["法治政府建设年度报告（1 份）", "安全生产工作年度报告（2 份）", "无法检查的文件（1 个）"]
    anquan = text[text.index(headings[1]):text.index(headings[2])]
    assert re.search(r"文件\s+工作情况\s+工作计划\s+错误\s+警告\s+提示", anquan)
    assert re.search(r"anquan_plan_missing\.txt\s+✓\s+✗ AQ102", anquan)
    assert "举措成效" not in anquan and "—" not in anquan
    assert re.search(r"empty\.txt\s+文件没有任何文字内容", text[text.index(headings[2]):])
    assert lines[-1] == tally.line()


# -- the HTML report ---------------------------------------------------------------------------

def tables(text: str) -> dict[str, dict]:
    """{table id: {kind, columns, rows: {file name: [(status, codes) per item cell]}}} of the page's matrices."""
    out = {}
    for m in re.finditer(r'<table id="([^"]+)" class="matrix[^"]*" data-kind="([^"]*)">(.*?)</table>', text, re.S):
        body = m.group(3)
        rows = {}
        for path, cells in re.findall(r'<tr class="(?:passed|failing)" data-path="([^"]*)"(.*?)</tr>', body, re.S):
            rows[Path(path).name] = re.findall(r'data-status="(\w+)" data-codes="([^"]*)"', cells)
        columns = re.findall(r'<th scope="col"[^>]* data-column="([^"]*)"', body)
        out[m.group(1)] = {"kind": m.group(2), "columns": columns, "rows": rows}
    return out


def test_html_report_of_two_kinds(project, packs, fired):
    fazhi, anquan = packs
    out = project / "report.html"
    run = fzlint("report", "batch", "-o", str(out), cwd=project)
    assert run.returncode == 1, run.stderr
    text = out.read_text(encoding="utf-8")
    assert "<title>年度报告检查结果</title>" in text and "<h1>年度报告检查结果</h1>" in text
    assert ("报告类型：法治政府建设年度报告 1 份，安全生产工作年度报告 2 份，无法检查的文件 1 个") in text
    found = tables(text)
    assert list(found) == ["matrix-fazhi", "matrix-anquan", "unread-files"]
    for pack in packs:
        table = found[f"matrix-{pack.name}"]
        assert table["kind"] == pack.name
        assert table["columns"] == [c.label for c in pack.matrix]
        for name, cells in table["rows"].items():
            codes = fired.get(name, set())
            want = [("fail", " ".join(r for r in c.rules if r in codes)) if set(c.rules) & codes else ("ok", "")
                    for c in pack.matrix]
            assert cells == want, (pack.name, name)
    assert set(found["matrix-anquan"]["rows"]) == set(ANQUAN_REPORTS)
    assert found["matrix-anquan"]["rows"]["anquan_plan_missing.txt"] == [("ok", ""), ("fail", "AQ102")]
    assert list(found["unread-files"]["rows"]) == [EMPTY]
    # each kind's legend is its pack's: 第二十五条 only over the 法治政府建设 table
    anquan_part = text[text.index('id="matrix-anquan-section"'):text.index('id="unread-files-section"')]
    assert "每列一项安全生产年度报告的必备内容。" in anquan_part and "第二十五条" not in anquan_part
    assert "每列一项第二十五条规定的内容。" in text[text.index('id="matrix-fazhi-section"'):text.index(anquan_part)]
    # the reports' sections: the kind, and the failed items by their own labels
    report = text[text.index('data-path="batch/anquan_plan_missing.txt" data-count'):]
    report = report[:report.index("</section>")]
    assert '<span class="kind">安全生产工作年度报告</span>' in report
    assert "未通过事项：工作计划（AQ102）" in report
    complete = text[text.index('data-path="batch/anquan_complete.txt" data-count'):]
    assert complete[:complete.index("</section>")].count('<p class="status ok">各事项均已具备。</p>') == 1


def test_one_kind_batch_of_another_kind(tmp_path):
    """A batch of only the second kind (and an empty file) is one table, as a batch of 法治政府
    reports always was: that kind's columns and title, its legend; the empty file among its
    rows, 无法检查 under every item."""
    project = make_project(tmp_path, fazhi=False)
    run = fzlint("check", "--summary", "batch", cwd=project)
    lines = run.stdout.splitlines()
    assert lines[0] == "文件\t工作情况\t工作计划\t错误\t警告\t提示"
    rows = {Path(ln.split("\t")[0]).name: ln.split("\t")[1:3] for ln in lines[1:-2]}
    assert rows == {EMPTY: ["无法检查", "无法检查"], "anquan_complete.txt": ["✓", "✓"],
                    "anquan_plan_missing.txt": ["✓", "✗ AQ102"]}
    assert lines[-2] == "3 份报告，1 份全部事项齐全且无错误；各事项未通过的份数：工作情况 1，工作计划 2"
    out = project / "r.html"
    fzlint("report", "batch", "-o", str(out), cwd=project)
    text = out.read_text(encoding="utf-8")
    assert "<h1>安全生产工作年度报告检查结果</h1>" in text and 'class="kinds"' not in text
    assert "每行一份报告，每列一项安全生产年度报告的必备内容：" in text and "第二十五条" not in text
    assert list(tables(text)) == ["matrix"]


def test_a_pack_without_a_legend_gets_a_neutral_one(tmp_path):
    project = make_project(tmp_path, ANQUAN.replace("legend: 安全生产年度报告的必备内容\n", ""), fazhi=False)
    out = project / "r.html"
    fzlint("report", "batch", "-o", str(out), cwd=project)
    text = out.read_text(encoding="utf-8")
    assert "每行一份报告，每列一项报告应包含的内容：" in text and "第二十五条" not in text


def test_sarif_describes_the_second_kinds_rules(project):
    run = fzlint("check", "--format", "sarif", "batch", cwd=project)
    log = json.loads(run.stdout)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["AQ102"]["properties"]["pack"] == "anquan"
    assert rules["AQ102"]["shortDescription"]["text"] == "缺少“工作计划”部分"
    assert rules["AQ102"]["help"]["text"].startswith("实务要求：安全生产年度报告")
    assert [r["ruleId"] for r in log["runs"][0]["results"] if r["ruleId"].startswith("AQ")] == ["AQ102"]


# -- units -------------------------------------------------------------------------------------

def test_csv_names_a_label_two_kinds_share_with_its_kind():
    from checker.engine.registry import MatrixColumn
    from checker.reporters.matrix import Group, csv_header

    a = Group("甲类年度报告", "", [MatrixColumn("举措", ("X101",)), MatrixColumn("其他", ("X102",))], [])
    b = Group("乙类年度报告", "", [MatrixColumn("其他", ("Y101",))], [])
    labels, per_group = csv_header([a, b])
    assert labels == ["举措", "其他（甲类年度报告）", "其他（乙类年度报告）"]
    assert per_group == [["举措", "其他（甲类年度报告）"], ["其他（乙类年度报告）"]]


def test_page_title_of_several_kinds():
    from checker.reporters.html_report import page_title
    from checker.reporters.matrix import Group, Row

    def group(title, unread=False):
        return Group(title, "", [], [Row("x", title, [])], unread=unread)

    assert page_title([group("法治政府建设年度报告")]) == "法治政府建设年度报告检查结果"
    assert page_title([group("法治政府建设年度报告"), group("安全生产工作年度报告"),
                       group("无法检查的文件", unread=True)]) == "年度报告检查结果"
    assert page_title([group("法治政府建设年度报告"), group("专项督查报告")]) == "报告检查结果"


def test_the_scratch_pack_is_valid(tmp_path):
    """The pack this module uses loads and its rules' examples hold, run as
    tests/test_rule_examples.py runs the shipped ones."""
    from checker.lint import lint_text

    (tmp_path / "anquan.yaml").write_text(ANQUAN, encoding="utf-8")
    registry = load_registry([tmp_path])
    rules = registry.pack_named("anquan").rules
    assert [r.id for r in rules] == ["AQ101", "AQ102"]
    for rule in rules:
        for case in rule.tests:
            result = lint_text(case["input"], "t.txt", registry, frozenset({rule.id}))
            assert result.kind == "anquan"
            assert sorted(f"{d.span.line}:{d.span.column} {d.code}" for d in result.diagnostics) == case["want"]


def test_every_kinds_table_sorts_in_a_browser(project, tmp_path):
    """The page's script sorts each kind's table by its own headers (headless Chromium, as
    tests/test_html_report.py runs it)."""
    import os

    from test_html_report import CHROMIUM, run_chromium

    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: `apt-get install chromium fonts-wqy-zenhei`"
    out = tmp_path / "report.html"
    fzlint("report", "batch", "-o", str(out), cwd=project)
    probe = '<script>document.querySelector(\'#matrix-anquan th[data-key="errors"]\').click();</script>'
    out.write_text(out.read_text(encoding="utf-8").replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = run_chromium(CHROMIUM, "--dump-dom", out.as_uri()).stdout.decode("utf-8")
    assert 'class="js"' in dom
    found = tables(dom)
    # 错误, most first: the report missing its plan (AQ102, an error) before the complete one
    assert list(found["matrix-anquan"]["rows"]) == ["anquan_plan_missing.txt", "anquan_complete.txt"]
    assert list(found["matrix-fazhi"]["rows"]) == [FAZHI] and dom.count('aria-sort="descending"') == 1
