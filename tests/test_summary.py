"""The reviewers' compliance matrix (--summary, --format csv) agrees with --format json."""

from __future__ import annotations

import csv
import io
import json

import pytest

from checker.engine.registry import load_registry

from conftest import FAZHI_SEED_ARGS, ROOT
from test_cli import fzlint

MATRIX = next(p for p in load_registry().packs if p.matrix).matrix
# The 法治 seeds and their LibreOffice versions: one kind, one matrix (seeds/ also holds
# 政府信息公开 samples; batches of both kinds: tests/test_report_kinds.py).
PATHS = [*FAZHI_SEED_ARGS, "tests/data/libreoffice"]


def findings_by_path(paths) -> dict[str, set[str]]:
    data = json.loads(fzlint("check", "--format", "json", *paths).stdout)
    out: dict[str, set[str]] = {}
    for d in data:
        out.setdefault(d["path"], set()).add(d["code"])
    return out


@pytest.fixture(scope="module")
def by_path():
    return findings_by_path(PATHS)


def test_csv_agrees_with_json(by_path, tmp_path):
    out = tmp_path / "matrix.csv"
    run = fzlint("check", "--format", "csv", "-o", str(out), *PATHS)
    assert run.returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel and WPS read UTF-8"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header == ["文件", *(c.label for c in MATRIX), "错误", "警告", "提示", "说明"]
    assert len(body) == 15
    json_rows = json.loads(fzlint("check", "--format", "json", *PATHS).stdout)
    for row in body:
        path, cells = row[0], row[1:1 + len(MATRIX)]
        fired = by_path.get(path, set())
        for column, cell in zip(MATRIX, cells):
            hit = sorted(set(column.rules) & fired, key=column.rules.index)
            assert cell == ("✗ " + " ".join(hit) if hit else "✓"), (path, column.label)
        severities = [d["severity"] for d in json_rows if d["path"] == path]
        assert row[-4:-1] == [str(severities.count(s)) for s in ("error", "warning", "info")]


def test_summary_sorting_and_filtering(by_path):
    run = fzlint("check", "--summary", "--sort", "failing", "--only-failing", *PATHS)
    lines = run.stdout.splitlines()
    assert lines[0].split("\t")[0] == "文件"
    rows = [ln.split("\t") for ln in lines[1:-2]]
    failing = [sum(c.startswith("✗") for c in r[1:1 + len(MATRIX)]) for r in rows]
    assert failing == sorted(failing, reverse=True)
    assert all(n > 0 for n in failing)                  # the clean 004 rows are filtered out
    assert not any("004_" in r[0] for r in rows)
    assert lines[-1] == fzlint("check", *PATHS).stdout.splitlines()[-1]   # the same tally line
    totals = lines[-2]
    for i, column in enumerate(MATRIX):
        n = sum(1 for r in rows if r[1 + i].startswith("✗"))
        assert f"{column.label} {n}" in totals


def test_unreadable_files_and_disabled_rules_in_the_matrix(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "novel.txt").write_text("第一章　雨夜\n那天夜里下着大雨，他推开客栈的门，抖落斗笠上的水珠。\n",
                                        encoding="utf-8")
    (tmp_path / "report.txt").write_text((ROOT / "seeds" / "001_f41aa8fe595c37d2.txt").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    run = fzlint("check", "--summary", "--select", "FZ1,FZ9", str(tmp_path))
    rows = {ln.split("\t")[0].rsplit("/", 1)[-1]: ln.split("\t") for ln in run.stdout.splitlines()[1:-2]}
    assert rows["empty.txt"][1:7] == ["无法检查"] * 6
    assert rows["novel.txt"][1:7] == ["无法检查"] * 6
    labels = [c.label for c in MATRIX]
    # FZ202 (法院生效裁判) was not selected: unknown, not "passed"
    assert rows["report.txt"][1 + labels.index("法院生效裁判")] == "—"
    assert rows["report.txt"][1 + labels.index("其他")] == "✗ FZ105"


def _run_with_terminal_stderr(args, env_extra=None):
    """Run fzlint with stderr on a pseudo-terminal and stdout on a pipe; return both."""
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    env.update({"COLUMNS": "120", **(env_extra or {})})
    proc = subprocess.Popen([sys.executable, "-m", "checker", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    stdout = proc.stdout.read().decode("utf-8")
    proc.wait(timeout=120)
    os.close(master)
    return stdout, b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(tmp_path):
    import shutil

    for i in range(25):
        shutil.copy(ROOT / "seeds" / "004_6e976291b2735034.txt", tmp_path / f"r{i:02}.txt")
    stdout, terminal = _run_with_terminal_stderr(["check", "--summary", str(tmp_path)])
    assert "检查中" in terminal and "已发现" in terminal
    assert "检查中" not in stdout and stdout.splitlines()[0].startswith("文件")
    _, in_ci = _run_with_terminal_stderr(["check", "--summary", str(tmp_path)], {"CI": "true"})
    assert "检查中" not in in_ci
    piped = fzlint("check", "--summary", str(tmp_path))      # stderr is a pipe: no bar
    assert piped.stderr == ""


def test_items_not_checked_are_not_called_complete():
    """--summary with the item rules not selected: every cell is —, and the totals say the
    items were not checked instead of calling the reports complete."""
    run = fzlint("check", "--summary", "--select", "FZ5", *FAZHI_SEED_ARGS)
    lines = run.stdout.splitlines()
    assert all(cell == "—" for ln in lines[1:-2] for cell in ln.split("\t")[1:1 + len(MATRIX)])
    assert lines[-2] == ("5 份报告，0 份全部事项齐全且无错误，5 份已检查的事项齐全且无错误，"
                         "但有事项未检查（相关规则未启用）；各事项未通过的份数："
                         + "，".join(f"{c.label} 未检查" for c in MATRIX))
    # with every item checked, the complete ones are called so
    full = fzlint("check", "--summary", *FAZHI_SEED_ARGS).stdout.splitlines()[-2]
    assert full.startswith("5 份报告，1 份全部事项齐全且无错误；") and "未检查" not in full


def test_terminal_matrix_shows_whole_file_names_at_80_columns(registry):
    """On an 80-column terminal the file name column keeps priority: names are folded over
    lines, never cut to `seed…`; the item columns wrap their labels and codes instead."""
    import re

    from checker.lint import lint_path
    from checker.reporters.summary import Tally
    from checker.reporters.summary_table import SummaryReporter, column_widths

    from conftest import SEEDS

    long_name = "reports/曲阜市卫生健康局2024年度法治政府建设情况报告.txt"
    for width in (80, 100, 200):
        out = io.StringIO()
        reporter = SummaryReporter(out, registry, color=True, width=width)
        tally = Tally()
        for seed in SEEDS:
            result = lint_path(seed, registry, display=str(seed.relative_to(ROOT)))
            tally.add(result.diagnostics)
            reporter.file(result)
        reporter.finish(tally)
        text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())
        lines = text.splitlines()
        assert max(len(ln) for ln in lines) <= width
        assert "…" not in text
        # the first column, joined over the lines of each row, is the whole name
        header = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("文件"))
        col = len(lines[header]) - len(lines[header].lstrip())
        names, current = [], ""
        for ln in lines[header + 2:]:
            if not ln.startswith(" "):          # the totals line after the table
                break
            if not ln.strip():
                continue
            piece, rest = ln[col:].split(" ", 1) if " " in ln[col:] else (ln[col:], "")
            if rest.strip().startswith(("✓", "✗", "—")) and current:
                names.append(current)
                current = ""
            current += piece
        names.append(current)
        assert names == [str(s.relative_to(ROOT)) for s in SEEDS], (width, text)
        assert "FZ107" in text and "FZ105" in text           # codes wrap, never cut
    # a long Chinese name gets all that the item columns (a rule code wide) and the counts leave
    items = [8, 8, 10, 12, 12, 7]       # 举措成效 … 下一年度安排, 其他 with a code
    widths = column_widths(80, [len(long_name.encode("gbk"))], items, [4, 4, 4])   # GBK: 2 bytes a Hanzi
    assert widths == [80 - 2 * 10 - 6 * 5 - 3 * 4, 5, 5, 5, 5, 5, 5, 4, 4, 4]
    assert sum(widths) + 2 * len(widths) <= 80
    assert column_widths(200, [30], items, [4, 4, 4]) is None       # fits: the natural widths
