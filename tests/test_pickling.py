"""Results cross from worker processes to the parent pickled (checker/parallel.py): FileResult
and Diagnostic pickle flat (checker/lint.py, checker/diagnostics.py) and must come back equal,
whatever they hold."""

from __future__ import annotations

import pickle
from pathlib import Path

from checker.diagnostics import Diagnostic, Severity, Span
from checker.lint import FileResult, lint_path
from checker.sources import Source

from conftest import SEEDS


def _fields(r: FileResult) -> tuple:
    return (r.path, r.diagnostics, r.report, r.source, r.suppressed, r.notices, r.enabled, r.checked, r.kind,
            r.cache_note)


def test_a_result_comes_back_equal(registry):
    found = [Diagnostic("甲.txt", Span(1, 2, 3, 4), "FZ101", "missing-x", Severity.ERROR, "缺少\ud800", None),
             Diagnostic("甲.txt", Span(0, 0, 0, 0), "FZ902", "empty", Severity.INFO, "空", "第3页第5行"),
             Diagnostic("乙.txt", Span(9, 9, 9, 9), "FZ505", "dup", Severity.WARNING, "重复", None)]
    result = FileResult("甲.txt", found, None, Source("甲.txt", "", "utf-8", "txt", note="n"), 2, ["甲.txt:1: 注"],
                        frozenset({"FZ101"}), True, "fazhi", ("rec", 10, False))
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(result, protocol))
        assert _fields(back) == _fields(result)
        assert [type(d.severity) for d in back.diagnostics] == [Severity] * 3


def test_a_checked_report_comes_back_equal(registry):
    for seed in SEEDS:
        result = lint_path(Path(seed), registry)
        result.report = None            # what a worker sends (parallel.for_parent)
        assert _fields(pickle.loads(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))) == _fields(result)
