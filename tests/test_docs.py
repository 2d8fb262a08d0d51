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


def test_every_rule_has_its_title_in_the_reference(registry):
    text = markdown(registry)
    for rule in registry.rules:
        assert f"| [{rule.id}](#{rule.id.lower()}) | {rule.title} | {rule.name} |" in text
        assert f"**{rule.title}** · `{rule.name}`" in text


def test_readme_example_is_a_real_finding_line():
    """The finding line README opens with is one that `fzlint check seeds/` prints, severity and all."""
    from test_cli import fzlint

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```\n", 2)[1].strip()
    assert example.startswith("seeds/") and " [警告] " in example
    assert example in fzlint("check", "seeds/").stdout.splitlines()
