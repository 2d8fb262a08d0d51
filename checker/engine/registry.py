"""The loaded rule packs of a run: every ``*.yaml`` pack of the built-in rules folder and the
configuration's folders (checker/engine/loader.py reads each), the report kinds among them,
rule lookup and selection.

A pack (rules/*.yaml) holds what one kind of report expects (checker/engine/pack.py); packs
with ``applies_to: all`` (the core pack) apply to every report.
"""

from __future__ import annotations

import gc
from functools import cached_property
from pathlib import Path

from checker import resources
from checker.engine.errors import SelectionError
from checker.engine.loader import MAX_PACK_BYTES, _load_pack, prepare_options, read_pack  # noqa: F401
from checker.engine.pack import (  # noqa: F401  (importers take these from here)
    Cue,
    KindEvidence,
    MatrixColumn,
    Pack,
    PackError,
    Recognition,
    Rule,
    SectionKind,
)

# The literal keywords of all loaded packs, in characters. Every report is screened for each
# of them (engine/screen.py: RE2 sets of 16 KB, compiled once per process); the shipped packs
# have 58 keywords of ~220 characters, a pack of a few hundred keywords a few thousand. 48,000
# characters of Chinese keywords make 9 sets: 0.11 s to compile, the first report 0.05 s more.
MAX_KEYWORD_CHARS = 50_000


class Registry:
    """The loaded packs. Compared by identity: engine.run keeps its plans per registry object."""

    def __init__(self, packs: list[Pack]):
        self.packs = packs

    def __repr__(self) -> str:
        return f"Registry(packs={self.packs!r})"

    @property
    def rules(self) -> list[Rule]:
        return sorted((r for p in self.packs for r in p.rules), key=lambda r: r.id)

    @cached_property
    def _by_id(self) -> dict[str, Rule]:
        return {r.id: r for p in self.packs for r in p.rules}

    @cached_property
    def screen(self):
        """The literal keywords and document-wide regexes of every rule, for one scan per
        report (engine/screen.py)."""
        from checker.engine.screen import Screen

        rules = [r for p in self.packs for r in p.rules]
        words = sorted({w for r in rules if hasattr(r.module, "literals") for w in r.module.literals(r)})
        regexes = [rx for r in rules if hasattr(r.module, "document_regexes")
                   for rx in r.module.document_regexes(r) if rx]
        return Screen(words, regexes) if words or regexes else None

    @cached_property
    def text_layouts(self):
        """Every pack's ``text_tables``, for the parser (checker/skeleton/tables.py); tables are
        found before the report's kind is known, so all packs' headers are looked for."""
        from checker.skeleton.tables import TextLayouts

        return TextLayouts([t for p in self.packs for t in p.text_tables])

    def rule(self, rid: str) -> Rule | None:
        """The rule with this id (case-insensitive); reporters look one up per finding."""
        return self._by_id.get(rid.upper())

    def pack_for(self, report) -> Pack | None:
        """The report-kind pack for this report: the pack whose ``detect`` words occur in the
        title, else in the first two paragraphs of the opening, else the default pack. Where
        several packs' words occur in the same place, the one whose word comes first wins (a
        政府信息公开工作年度报告 whose opening mentions 法治政府建设 further on is still one;
        a title is what a report calls itself). On a tie (the same word), the pack loaded later
        wins: a pack of the configuration's `rule-packs` (a province's own version of a kind)
        over the built-in one."""
        kinds = [p for p in self.packs if not p.applies_to_all]
        for head in (report.title or "", "".join(p.text for p in report.opening[:2])):
            firsts = [(min(at for at in (head.find(w) for w in pack.detect) if at >= 0), n, pack)
                      for n, pack in enumerate(kinds) if pack.detect and any(w in head for w in pack.detect)]
            if firsts:
                return min(firsts, key=lambda t: (t[0], -t[1]))[2]
        return next((p for p in kinds if p.default), kinds[0] if kinds else None)

    def pack_named(self, name: str | None) -> Pack | None:
        return next((p for p in self.packs if p.name == name), None) if name is not None else None

    def packs_for(self, pack: Pack | None) -> list[Pack]:
        return [p for p in self.packs if p.applies_to_all or p is pack]

    def file_rule(self, problem: str) -> Rule | None:
        return next((r for r in self.rules
                     if r.check == "file_problem" and r.options["problem"] == problem), None)


def load_registry(dirs: list[Path] | None = None) -> Registry:
    """Load every ``*.yaml`` pack in the built-in rules directory (and any extra dirs; an
    extra path that is not a folder is loaded as one pack file).

    The cyclic garbage collector is held meanwhile: the packs' data are thousands of new
    mappings, lists and records, which it would walk again and again (some 7 passes of each
    start, ~1 ms), and which hold no reference cycles for it to find."""
    if not gc.isenabled():
        return _load_registry(dirs)
    gc.disable()
    try:
        return _load_registry(dirs)
    finally:
        gc.enable()


def _load_registry(dirs: list[Path] | None) -> Registry:
    packs = [_load_pack(p) for p in resources.pack_paths(dirs)]
    seen: dict[str, Rule] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                raise PackError(rule.path, rule.line,
                                f"规则 id {rule.id} 重复（已在 {seen[rule.id].path}:{seen[rule.id].line} 定义），"
                                "请换一个未使用的 id（`fzlint rules` 列出已有的规则）")
            seen[rule.id] = rule
    names: dict[str, Rule] = {}
    for rule in seen.values():
        if rule.name in names:
            raise PackError(rule.path, rule.line, f"规则 name {rule.name} 重复（{names[rule.name].id} 已使用）")
        names[rule.name] = rule
    _check_keyword_budget(packs)
    return Registry(packs)


def _check_keyword_budget(packs: list[Pack]) -> None:
    count = chars = 0
    for pack in packs:
        for rule in pack.rules:
            if hasattr(rule.module, "literals"):
                words = rule.module.literals(rule)
                count += len(words)
                chars += sum(map(len, words))
                if chars > MAX_KEYWORD_CHARS:
                    raise PackError(rule.path, rule.line,
                                    f"规则包的字面关键词过多：到规则 {rule.id} 为止已有 {count:,} 个、共 {chars:,} 字，"
                                    f"超过上限 {MAX_KEYWORD_CHARS:,} 字（内置规则包约 220 字）；"
                                    "每份报告都要查找每个关键词，"
                                    "请精简关键词，或用一条正则表达式概括一类写法")


def select_rules(registry: Registry, select: list[str], ignore: list[str],
                 extend: list[str] = ()) -> frozenset[str] | None:
    """Rule ids enabled by select, extend-select and ignore (codes, code prefixes like FZ1,
    names, or ALL). Returns None when none is given (every rule)."""
    if not select and not ignore and not extend:
        return None

    def match(selector: str) -> set[str]:
        s = selector.strip()
        hits = {r.id for r in registry.rules
                if r.id.startswith(s.upper()) or r.name == s or s.upper() == "ALL"}
        if not hits:
            from checker.suggest import did_you_mean

            hint = did_you_mean(s, [(r.id, r.name) for r in registry.rules])
            raise SelectionError(f"未知的规则或规则前缀：{s}（{hint}）")
        return hits

    enabled = set().union(*(match(s) for s in select)) if select else {r.id for r in registry.rules}
    for s in extend:
        enabled |= match(s)
    for s in ignore:
        enabled -= match(s)
    return frozenset(enabled)
