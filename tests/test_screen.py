"""The screen (engine/screen.py) only skips searches that would find nothing: every rule gives
the same findings with and without it, on the seeds and on generated reports
(bench/corpus.py) that mix in the keywords and regex matches the rules look for."""

from __future__ import annotations

import random
import sys

import pytest

from checker.engine.context import Context
from checker.skeleton.parser import parse

from conftest import ROOT, SEEDS

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402  bench/corpus.py: the benchmark's report generator

# Text that forbidden_text's and misnomer's regexes (rules/*.yaml) match.
REGEX_BAIT = ["XX县人民政府", "××", "发布时间：2024-03-01", "来源：本站", "首页>政务公开",
              "落实《法治政府建设实施纲要（2021-2025）》"]


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
    for _ in range(3):      # and text the document-wide regexes match, some at a line start
        at = rng.randrange(len(lines))
        bait = rng.choice(REGEX_BAIT)
        lines[at:at] = [bait] if rng.random() < 0.5 else [lines[at][:5] + bait]
    mixed = "\n".join(lines)
    assert findings(mixed, registry, True) == findings(mixed, registry, False)
    assert findings(text, registry, True) == findings(text, registry, False)


def test_the_screen_holds_the_packs_keywords(registry):
    words = registry.screen.known
    assert {"某某", "打印本页", "生效裁判", "履行"} <= words


def test_the_screen_covers_the_document_wide_regexes(registry):
    covered = {rule.id for p in registry.packs for rule in p.rules
               for rx in getattr(rule.module, "document_regexes", lambda r: [])(rule)
               if rx and registry.screen.covers(rx)}
    assert {"FZ502", "FZ503", "FZ504"} <= covered


def test_the_bait_is_found(registry):
    for bait in REGEX_BAIT:
        codes = {code for code, _, _ in findings(f"一、主要举措和成效\n{bait}\n", registry, True)}
        assert codes & {"FZ502", "FZ503", "FZ504"}, bait
