"""Golden files per seed: the outline and every diagnostic, reviewed line by line.

Regenerate with `pytest tests/test_golden.py --update-golden` and review the diff against the
report text before committing: the files must say what a careful reviewer would say.
tests/test_seeds.py states the reviewer's expectations independently of these files.
"""

import json
import os

import pytest

from checker.engine.recognize import classify
from checker.lint import lint_path
from checker.reporters.outline import outline_dict

from conftest import ALL_SEEDS, ROOT

GOLDEN = ROOT / "tests" / "golden"


def _diag_lines(result) -> str:
    return "".join(
        f"{d.span.line}:{d.span.column}-{d.span.end_line}:{d.span.end_column} "
        f"{d.code} {d.severity.label} {d.message}\n"
        for d in result.diagnostics
    )


def _compare(path, actual: str, update: bool):
    if update or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"{path.name} was missing and has been written: review it")
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda p: p.stem[:3])
def test_outline(seed, registry, update_golden):
    result = lint_path(seed, registry, display=os.path.relpath(seed, ROOT))
    classify(result.report, registry.pack_for(result.report))
    actual = json.dumps(outline_dict(result.report), ensure_ascii=False, indent=1) + "\n"
    _compare(GOLDEN / f"{seed.stem}.outline.json", actual, update_golden)


@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda p: p.stem[:3])
def test_diagnostics(seed, registry, update_golden):
    result = lint_path(seed, registry, display=os.path.relpath(seed, ROOT))
    _compare(GOLDEN / f"{seed.stem}.diag", _diag_lines(result), update_golden)
