"""Helpers shared by check types: kind validation, keywords, placement, text search."""

from __future__ import annotations

import bisect

from checker.engine.context import DOCUMENT, Context
from checker.engine.schema import SchemaError
from checker.skeleton.model import line_span
from checker.skeleton.normalize import keywords, view  # noqa: F401  (keywords: for the check modules)


def check_kind(value: str, pack, line: int, what: str) -> None:
    """``value`` must name one of the pack's section kinds (or be ``document`` for a scope)."""
    if value == DOCUMENT and what == "scope":
        return
    if pack is None or not pack.section_kinds:
        raise SchemaError(line, f"{what}“{value}”是部分类型，但规则包没有定义 section_kinds")
    if value not in pack.kind_names:
        allowed = ([DOCUMENT] if what == "scope" else []) + list(pack.kind_names)
        raise SchemaError(line, f"{what}“{value}”不是规则包 {pack.name} 定义的部分类型（可用：{'、'.join(allowed)}）")


def placement(ctx: Context, kind: str, order: list[str], exclude=None):
    """Where a section of ``kind`` belongs: (span, phrase) from the pack's phrases."""
    phrases = ctx.pack.phrases
    rank = order.index(kind)
    present = [s for s in ctx.top_sections if s.kind in order and s is not exclude]
    after = [s for s in present if order.index(s.kind) < rank]
    before = [s for s in present if order.index(s.kind) > rank]
    if before:
        s = before[0]
        return s.heading.span, phrases["before"].format(heading=s.heading.label)
    if after:
        s = after[-1]
        line = ctx.report.lines[s.last_line() - 1]
        return line_span(line), phrases["after"].format(heading=s.heading.label)
    return ctx.start_span(), phrases["none"]


class Regexes(list):
    """A rule's compiled RE2 patterns, plus an RE2 set of all of them (``screen``): one pass
    over a scope's text tells which patterns match at all, so that the usual report, where
    none does, costs one scan per rule instead of one per pattern.

    The set is compiled when first asked for (as much work as compiling the patterns again):
    a rule whose patterns search the whole document is screened by the registry's own sets
    (engine/screen.py) and never asks, nor does a rule of a pack a report does not use. The
    patterns themselves are compiled when the pack loads, which is where a bad one is
    reported."""

    __slots__ = ("_options", "_screen")

    @property
    def screen(self):
        """The RE2 set of the patterns (None when there are none)."""
        if self._screen is None and self:
            import re2

            screen = re2.Set.SearchSet(self._options)
            for regex in self:
                screen.Add(regex.pattern)
            screen.Compile()
            self._screen = screen
        return self._screen


def compile_regexes(patterns: list[str], line: int) -> Regexes:
    """Compile user regexes with RE2 (linear time); refuse what RE2 cannot run.

    Patterns run over a scope's texts joined by newlines, in multi-line mode: ``^`` and ``$``
    match at the start and end of each paragraph or heading."""
    out = Regexes()
    out._options = out._screen = None
    if not patterns:
        return out
    import re2  # lazily: only packs with regexes pay for it

    options = re2.Options()
    options.log_errors = False       # RE2 would print its own error on stderr
    out._options = options
    for pattern in patterns:
        try:
            out.append(re2.compile("(?m)" + pattern, options))
        except re2.error as exc:
            reason = exc.args[0] if exc.args else exc
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            raise SchemaError(line, f"正则表达式 {pattern!r} 无法用 RE2 编译（{reason}）；"
                                    "不支持反向引用和前后查找，请改写为线性时间可匹配的形式") from None
    return out


def matches_any(patterns: Regexes, data: bytes) -> bool:
    """Does one of the patterns match somewhere in ``data`` (UTF-8)? One call of their RE2
    set, instead of a search per pattern through the re2 module's Python layer, which costs
    more than the search on a short text."""
    return bool(patterns) and bool(patterns.screen.Match(data))


def regex_findings(ctx, scope: str, include_headings: bool, patterns: Regexes):
    """(text, start, end, matched) for every match of the patterns over the scope."""
    if not patterns:
        return
    matching = ctx.matching(patterns, scope, include_headings)
    if not matching:            # the usual report: no offsets needed
        return
    joined, starts, texts = ctx.joined(scope, include_headings)
    for index in matching:
        for m in patterns[index].finditer(joined):
            if m.end() <= m.start():
                continue
            i = bisect.bisect_right(starts, m.start()) - 1
            begin = starts[i]
            end = min(m.end(), begin + len(texts[i].text))   # a match never spans two texts' positions
            yield texts[i], m.start() - begin, end - begin, m.group(0)


def word_findings(ctx, scope: str, include_headings: bool, words):
    """(text, start, end, word) for every occurrence of each literal word in the scope's texts,
    in reading order of the texts, then the words' order, then position.

    One search per word over the scope's texts joined by newlines (a word has no whitespace
    in the view, so it never spans two texts) instead of one per word and text."""
    present = ctx.present_among(words)     # the usual report holds none: nothing to search
    if not present:
        return
    joined, starts, texts = ctx.joined(scope, include_headings)
    hits = []
    for index, word in enumerate(words):
        if word not in present:
            continue
        start = joined.find(word)
        while start >= 0:
            i = bisect.bisect_right(starts, start) - 1
            hits.append((i, index, start - starts[i]))
            start = joined.find(word, start + len(word))
    hits.sort()
    for i, index, start in hits:
        yield texts[i], start, start + len(words[index]), words[index]


MAX_LINES_NAMED = 5


def line_list(lines, most: int = MAX_LINES_NAMED) -> str:
    """Line numbers for a message, each once, in the order given: '3、15、27'; past ``most``
    of them, the first ``most`` and 等 ('3、15、27、40、52等'). Reads ``lines`` (an iterable)
    only as far as it needs."""
    named: list[int] = []
    for line in lines:
        if line in named:
            continue
        if len(named) == most:
            return "、".join(map(str, named)) + "等"
        named.append(line)
    return "、".join(map(str, named))

