"""The rule reference is generated from the YAML and must not go stale."""

from checker.reporters.rules_doc import markdown

from conftest import ROOT


def test_rule_reference_is_current(registry):
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == markdown(registry), "docs/rules.md is stale: run `fzlint rules --format markdown > docs/rules.md`"


def test_every_rule_is_in_the_reference(registry):
    text = markdown(registry)
    for rule in registry.rules:
        assert f"## {rule.id}" in text and rule.citation_text in text
