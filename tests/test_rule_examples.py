"""Every rule's YAML `tests:` examples run here, one pytest case each (like Vale/sqlfluff)."""

import re

import pytest

from checker.engine.registry import load_registry
from checker.lint import lint_path
from checker.sources import DEFAULT_MAX_BYTES, parse_size

REGISTRY = load_registry()
CASES = [(rule, case) for rule in REGISTRY.rules for case in rule.tests]


def _id(rule, case) -> str:
    return f"{rule.id}-" + re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "-", case["name"]).strip("-")


@pytest.mark.parametrize("rule,case", CASES, ids=[_id(r, c) for r, c in CASES])
def test_example(rule, case, tmp_path):
    path = tmp_path / case.get("filename", "report.txt")
    if not case.get("missing"):
        if "input_hex" in case:
            path.write_bytes(bytes.fromhex(case["input_hex"]))
        else:
            path.write_text(case.get("input", ""), encoding="utf-8")
    limit = parse_size(case["max_file_size"]) if "max_file_size" in case else DEFAULT_MAX_BYTES
    result = lint_path(path, REGISTRY, frozenset({rule.id}), max_bytes=limit)
    got = sorted(f"{d.span.line}:{d.span.column} {d.code}" for d in result.diagnostics)
    assert got == sorted(case["want"])


@pytest.mark.parametrize("rule", REGISTRY.rules, ids=lambda r: r.id)
def test_rule_is_documented(rule):
    """Each rule carries what the guide requires, with examples both ways."""
    assert re.fullmatch(r"FZ\d{3}", rule.id)
    assert rule.citation_text and rule.rationale and rule.message
    assert re.search(r"[\u4e00-\u9fff]", rule.message), "messages to users are in Chinese"
    assert any(c["want"] for c in rule.tests) and any(not c["want"] for c in rule.tests)
