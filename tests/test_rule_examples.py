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


RECOGNITION = [(pack, case) for pack in REGISTRY.packs if pack.recognition for case in pack.recognition.tests]


@pytest.mark.parametrize("pack,case", RECOGNITION,
                         ids=[f"{p.name}-" + re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "-", c["name"]).strip("-")
                              for p, c in RECOGNITION])
def test_recognition_example(pack, case):
    """Each pack's `recognition.tests`: the listed heading lines are taken for the kinds
    named (or for none), by the same classification the rules see."""
    from checker.engine.recognize import classify
    from checker.skeleton.parser import parse

    report = parse(case["input"])
    assert REGISTRY.pack_for(report) is pack
    classify(report, pack)
    kinds = {s.heading.line.no: s.kind for s in report.walk()}
    for want in case["want"]:
        line, kind = want.split()
        assert int(line) in kinds, f"line {line} is not a heading"
        assert kinds[int(line)] == (None if kind == "none" else kind), want


def test_every_recognition_kind_has_examples():
    """Each kind a pack's recognition declares evidence for is shown recognised by an example."""
    for pack in REGISTRY.packs:
        if pack.recognition is None:
            continue
        shown = {w.split()[1] for case in pack.recognition.tests for w in case["want"]}
        assert {e.kind for e in pack.recognition.kinds} <= shown, pack.name
        assert "none" in shown, f"{pack.name}: no example of a heading left unclassified"
