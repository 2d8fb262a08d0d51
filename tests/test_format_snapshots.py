"""Each output format's snapshot, rendered from a fixed list of diagnostics (as ruff's
reporters are tested): a rule or message change elsewhere does not churn these files; only a
change of a format does. Regenerate with `pytest tests/test_format_snapshots.py
--update-golden` and review the diff.

The files and findings are made up to exercise what a format must get right: two files, a
finding spanning lines, one at a line's end, a file-level finding, a place in an original
(.docx), every severity, and text a format must escape (<&> " , : % and a newline-free
control character).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from checker import sources
from checker.diagnostics import Diagnostic, Span
from checker.lint import FileResult
from checker.reporters import make_reporter
from checker.reporters.summary import Tally

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "formats"
FORMATS = ("concise", "full", "json", "sarif", "github", "junit")

FILES = [
    ("reports/甲局.txt",
     "甲局2023年度法治政府建设情况报告\n一、主要举措和成效\n落实《法治政府建设与责任落实督查工作规定》。\n"
     "由某某同志负责，<&>\"%,:均应转义。\n",
     [((1, 1, 1, 1), "FZ201",
       "全文未见党政主要负责人履行推进法治建设第一责任人职责的内容（第二十五条第（三）项）", None),
      ((2, 1, 3, 5), "FZ102",
       "缺少“存在的不足和原因”部分（第二十五条第（二）项），应置于“一、主要举措和成效”部分之后", None),
      ((3, 11, 3, 17), "FZ501", "法规名称“责任落实督查”有误，应为《法治政府建设与责任落实督察工作规定》", None),
      ((4, 2, 4, 4), "FZ502", "疑似模板占位符“某某”，请填写实际内容", "第1页第4行"),
      ((4, 20, 4, 21), "FZ505", "这句话与第1行逐字重复", None)]),
    ("reports/乙局.docx", None,
     [((1, 1, 1, 1), "FZ907", "文件已损坏或格式与扩展名不符：不是有效的 Word 文档", None)]),
]


def _results(registry):
    out = []
    for path, text, findings in FILES:
        diags = []
        for (line, col, end_line, end_col), code, message, where in findings:
            rule = registry.rule(code)
            diags.append(Diagnostic(path, Span(line, col, end_line, end_col), code, rule.name, rule.severity,
                                    message, where))
        source = sources.read_bytes(text.encode("utf-8"), path) if text is not None else None
        out.append(FileResult(path, diags, source=source, checked=text is not None, kind="fazhi"))
    return out


def render(fmt: str, registry) -> str:
    out = io.StringIO()
    reporter = make_reporter(fmt, out, registry)
    tally = Tally()
    for result in _results(registry):
        tally.add(result.diagnostics)
        reporter.file(result)
    reporter.finish(tally)
    # SARIF names the folder it ran in (%SRCROOT%): the same snapshot from any checkout
    return out.getvalue().replace(Path.cwd().as_uri() + "/", "file:///CHECKOUT/")


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_snapshot(fmt, registry, update_golden):
    actual = render(fmt, registry)
    path = GOLDEN / f"{fmt}.txt"
    if update_golden or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{path.name} was missing and has been written: review it")
    assert actual == path.read_text(encoding="utf-8")
