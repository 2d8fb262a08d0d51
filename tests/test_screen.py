"""The screen (engine/screen.py) only skips searches that would find nothing: every rule gives
the same findings with and without it, on the seeds and on generated reports
(bench/corpus.py) that mix in the keywords and regex matches the rules look for."""

from __future__ import annotations

import random
import sys

import pytest

from checker.engine.context import Context
from checker.engine.recognize import classify
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
    ctx = Context(report, pack, classify(report, pack), registry.screen if screened else None)
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
    assert {"某某", "打印本页", "裁判", "履行"} <= words


def test_the_screen_covers_the_document_wide_regexes(registry):
    covered = {rule.id for p in registry.packs for rule in p.rules
               for rx in getattr(rule.module, "document_regexes", lambda r: [])(rule)
               if rx and registry.screen.covers(rx)}
    assert {"FZ502", "FZ503", "FZ504"} <= covered


def test_the_bait_is_found(registry):
    for bait in REGEX_BAIT:
        codes = {code for code, _, _ in findings(f"一、主要举措和成效\n{bait}\n", registry, True)}
        assert codes & {"FZ502", "FZ503", "FZ504"}, bait


# ---------------------------------------------------------------------------------------
# A screen larger than one RE2 set (issue 14): split, never failing, never missing a keyword

def _words(count: int, length: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return sorted({"".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(length)) for _ in range(count)})


@pytest.mark.parametrize("set_bytes", [16 * 1024, 10**9])
def test_a_large_screen_finds_what_a_search_per_keyword_finds(set_bytes, monkeypatch):
    """5,000 keywords of six characters (90 KB): RE2 refuses them as one set within its memory
    budget (every file failed with exit 3). In sets of SET_BYTES they compile; with no size
    limit the set RE2 refuses is halved until each half compiles. Either way the scan tells
    exactly which keywords occur, and which of a rule's regexes match."""
    from checker.engine import screen as screen_module
    from checker.engine.checks._common import compile_regexes

    monkeypatch.setattr(screen_module, "SET_BYTES", set_bytes)
    words = _words(5000, 6, 1)
    regexes = compile_regexes(["甲{2}乙", "^丙丁"], 1)
    screen = screen_module.Screen(words, [regexes])
    assert len(screen._sets) > 1 and screen.known == frozenset(words) and screen.covers(regexes)
    text = "\n".join(["丙丁开头", "前" + words[0] + "后", words[2500], "中间甲甲乙", words[-1] + "。"] + words[10:20])
    hits = screen.scan(text.encode("utf-8"))
    assert hits.words == {w for w in words if w in text}
    assert hits.regexes == {id(regexes): (0, 1)}


def test_a_keyword_re2_refuses_alone_is_left_to_the_rules(monkeypatch):
    """If even a single pattern cannot be compiled as a set, it is not screened: the rules
    search for it themselves (Context.present), so nothing is missed."""
    import re2

    from checker.engine import screen as screen_module

    added: dict[int, list[str]] = {}      # id of a set -> its patterns
    real_add, real_compile = re2.Set.Add, re2.Set.Compile

    def add(self, pattern):
        added.setdefault(id(self), []).append(pattern)
        return real_add(self, pattern)

    def compile_unless_bad(self):
        if "坏词" in added.pop(id(self), ()):        # popped: a later set may get the same id
            raise re2.error("failed to compile Set")
        return real_compile(self)

    monkeypatch.setattr(re2.Set, "Add", add)
    monkeypatch.setattr(re2.Set, "Compile", compile_unless_bad)
    screen = screen_module.Screen(["好词", "坏词", "别的"])
    assert screen.known == {"好词", "别的"}
    assert screen.scan("好词和坏词".encode()).words == {"好词"}
