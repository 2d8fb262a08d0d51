"""The keyword screen (engine/screen.py) only skips searches that would find nothing: every
rule gives the same findings with and without it, on the seeds and on generated reports
(bench/corpus.py) that mix in the keywords the rules look for."""

from __future__ import annotations

import random
import sys

import pytest

from checker.engine.context import Context
from checker.skeleton.parser import parse

from conftest import ROOT, SEEDS

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402  bench/corpus.py: the benchmark's report generator


def findings(text: str, registry, screened: bool):
    report = parse(text)
    pack = registry.pack_for(report)
    ctx = Context(report, pack, registry.screen if screened else None)
    out = []
    for p in registry.packs_for(pack):
        for rule in p.rules:
            out.extend((rule.id, f.span, sorted(f.params.items())) for f in rule.module.check(rule, ctx))
    return sorted(out, key=repr)


def texts():
    yield from (s.read_text(encoding="utf-8") for s in SEEDS)
    seeds = corpus.load_seeds(corpus.SEEDS_DIR)
    for i in range(0, 60, 3):
        yield corpus.make_report(seeds, 1, i)[1]


@pytest.mark.parametrize("index", range(25))
def test_the_screen_changes_no_finding(index, registry):
    text = list(texts())[index]
    words = sorted(registry.screen.words)
    rng = random.Random(index)
    lines = text.splitlines()
    for _ in range(8):      # sprinkle keywords of every kind into the body, some across lines
        at = rng.randrange(len(lines))
        word = rng.choice(words)
        cut = rng.randrange(len(word) + 1)
        lines[at:at + 1] = [lines[at] + word[:cut], word[cut:] + "。"] if rng.random() < 0.3 else \
            [lines[at] + word + "。"]
    mixed = "\n".join(lines)
    assert findings(mixed, registry, True) == findings(mixed, registry, False)
    assert findings(text, registry, True) == findings(text, registry, False)


def test_the_screen_holds_the_packs_keywords(registry):
    words = registry.screen.known
    assert {"某某", "打印本页", "生效裁判", "履行"} <= words
