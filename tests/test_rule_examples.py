"""Every rule's YAML `tests:` examples run here, one pytest case each (like Vale/sqlfluff), by
the code `fzlint test-pack` runs them with (checker/packtest.py)."""

import re

import pytest

from checker import packtest
from checker.engine.registry import load_registry

REGISTRY = load_registry()
EXAMPLES = packtest.examples(REGISTRY.packs)
RULE_EXAMPLES = [e for e in EXAMPLES if e.rule is not None]
RECOGNITION = [e for e in EXAMPLES if e.rule is None]


def _check(example, tmp_path) -> None:
    outcome = packtest.run_example(example, REGISTRY, tmp_path)
    assert outcome.passed, "\n".join([*packtest.describe(outcome), outcome.trace])


@pytest.mark.parametrize("example", RULE_EXAMPLES, ids=[e.test_id for e in RULE_EXAMPLES])
def test_example(example, tmp_path):
    """The findings' ``line:col CODE`` on the example, with only its rule enabled, are its ``want``."""
    _check(example, tmp_path)


@pytest.mark.parametrize("rule", REGISTRY.rules, ids=lambda r: r.id)
def test_rule_is_documented(rule):
    """Each rule carries what the guide requires, with examples both ways."""
    pack = REGISTRY.pack_named(rule.pack)
    assert re.fullmatch(re.escape(pack.code_prefix) + r"\d{3}", rule.id)
    assert rule.citation_text and rule.rationale and rule.message
    assert re.search(r"[\u4e00-\u9fff]", rule.message), "messages to users are in Chinese"
    assert any(c["want"] for c in rule.tests) and any(not c["want"] for c in rule.tests)


@pytest.mark.parametrize("example", RECOGNITION, ids=[e.test_id for e in RECOGNITION])
def test_recognition_example(example, tmp_path):
    """Each pack's `recognition.tests`: the listed heading lines are taken for the kinds
    named (or for none), by the same classification the rules see."""
    _check(example, tmp_path)


def test_every_example_of_the_shipped_packs_is_run():
    """Every rule's examples and every recognition example are collected above."""
    assert len(RULE_EXAMPLES) == sum(len(r.tests) for r in REGISTRY.rules) > 0
    assert len(RECOGNITION) == sum(len(p.recognition.tests) for p in REGISTRY.packs if p.recognition) > 0


def test_every_recognition_kind_has_examples():
    """Each kind a pack's recognition declares evidence for is shown recognised by an example."""
    for pack in REGISTRY.packs:
        if pack.recognition is None:
            continue
        shown = {w.split()[1] for case in pack.recognition.tests for w in case["want"]}
        assert {e.kind for e in pack.recognition.kinds} <= shown, pack.name
        assert "none" in shown, f"{pack.name}: no example of a heading left unclassified"
