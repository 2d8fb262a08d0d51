"""numbering: heading numbers and their brackets, level by level.

Modes (each a rule of its own):

* ``sequence``: among the headings of one level under the same parent, a number repeats
  (（一）（一）), jumps (一、二、四、), or the first is not 1 (numbering that did not restart
  under a new parent, or a report starting at 二、);
* ``lost_bracket``: a bracketed level (（一）, （1）) written with one bracket missing (一）);
* ``mixed_brackets``: one level written with full-width （一） in some places and half-width
  (一) in others, or both in one marker (一）; reported once per level, at the first heading
  of the less common style;
* ``glued``: among items of one level whose titles end in 。 ("1.加强组织领导。…"), an item
  whose first clause runs on past ``max_title`` characters on a long line: its title lost
  the full stop and is glued to the body ("2.加强规划引领全面推进…");
* ``empty``: a heading with nothing under it (no text, no subheadings), unless the heading
  line is itself a full sentence (a one-sentence item).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from checker.engine.context import Context, Finding
from checker.engine.schema import Opt
from checker.skeleton.model import Section, numeral_text, numeral_value

MODES = ("sequence", "lost_bracket", "mixed_brackets", "glued", "empty")
OPTIONS = {
    "mode": Opt("str", required=True, choices=MODES, help="which problem this rule reports (the modes above)"),
    "max_title": Opt("int", default=20, help="glued: a first clause longer than this is not a title"),
}
CLAUSE_END = "。，；：、！？"
_CLAUSE_END = re.compile(f"[{CLAUSE_END}]")
SHORT_TITLE = 15      # glued: siblings' titles this short and closed by 。 set the pattern
LONG_LINE = 40        # glued: a heading line longer than this carries body text
PARAMS = ("marker", "heading", "previous", "expected", "style", "other")
SHORT = 16
BRACKETED = (2, 4)
STYLE_NAMES = {"full": "全角括号", "half": "半角括号", "mixed": "全角半角混用的括号"}


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


def _siblings(ctx: Context) -> list[list[Section]]:
    """Lists of headings of one level under one parent, in order (once per report)."""
    key = __name__ + ".siblings"
    groups = ctx.memo.get(key)
    if groups is None:
        groups = ctx.memo[key] = []
        for children in (ctx.report.sections, *[s.children for s in ctx.report.walk() if s.children]):
            if not children:
                continue
            levels = {child.heading.level for child in children}
            if len(levels) == 1:        # the usual list of children: one level
                groups.append(list(children))
                continue
            by_level: dict[int, list[Section]] = {}
            for child in children:
                by_level.setdefault(child.heading.level, []).append(child)
            groups.extend(by_level.values())
    return groups


def _numeral(level: int, value: int) -> str:
    """The number as a heading of this level writes it: 一 … 九十九 for levels 1-2 (digits past
    that: no report has a hundredth 一、 heading, and the message stays readable), else 1, 2 …"""
    if level in (1, 2) and 0 < value < 100:
        return numeral_text(value)
    return str(value)


@lru_cache(maxsize=256)        # a report's markers are a few strings, recurring across reports
def _style(raw_marker: str) -> str:
    opens = raw_marker[:1]
    closes = next((c for c in raw_marker if c in ")）"), "")
    if opens not in "(（" or not opens:
        return "lost"
    if opens == "（" and closes == "）":
        return "full"
    if opens == "(" and closes == ")":
        return "half"
    return "mixed"


def check(rule, ctx: Context):
    mode = rule.options["mode"]
    if mode == "sequence":
        yield from _sequence(ctx)
    elif mode == "glued":
        yield from _glued(ctx, rule.options["max_title"])
    elif mode == "empty":
        for s in ctx.report.walk():
            h = s.heading
            if not s.paragraphs and not s.children and h.run_in is None and not h.is_sentence:
                label = h.label if len(h.label) <= SHORT else h.label[:SHORT] + "……"
                yield Finding(h.span, {"marker": h.marker, "heading": label})
    else:
        yield from _brackets(ctx, mode)


def _sequence(ctx: Context):
    for group in _siblings(ctx):
        prev = None
        expected = 1
        for s in group:
            h = s.heading
            value = numeral_value(h.number)         # Heading.value
            if value != expected:
                params = {"marker": h.marker, "previous": prev.heading.marker if prev else ""}
                yield Finding(h.span, {**params, "expected": _numeral(h.level, expected)})
            prev = s
            expected = value + 1


def _glued(ctx: Context, max_title: int):
    for group in _siblings(ctx):
        titled = {id(s) for s in group if s.heading.closed and len(s.heading.title.text) <= SHORT_TITLE}
        if len(titled) < 2:
            continue
        for s in group:
            h = s.heading
            rest = h.line.text[len(h.marker):]
            if id(s) in titled or len(rest) <= LONG_LINE:
                continue
            end = _CLAUSE_END.search(rest)
            clause = end.start() if end else len(rest)
            if clause > max_title:
                yield Finding(h.span, {"marker": h.marker, "heading": h.marker + rest[:12] + "……"})


def _bracket_styles(ctx: Context) -> dict[int, list[tuple[Section, str]]]:
    """The bracketed headings of each level with their bracket style (once per report: two
    rules read them, and a heading's raw marker is found character by character)."""
    by_level = ctx.memo.get(__name__)
    if by_level is None:
        by_level = ctx.memo[__name__] = {}
        for s in ctx.report.walk():
            h = s.heading
            if h.level in BRACKETED:
                # a raw line that starts with the marker as the view has it (（一）: the usual
                # full-width one) has it as its raw marker; else the raw line is walked
                raw = h.marker if h.line.raw.startswith(h.marker) else h.raw_marker
                by_level.setdefault(h.level, []).append((s, _style(raw)))
    return by_level


def _brackets(ctx: Context, mode: str):
    for items in _bracket_styles(ctx).values():
        if mode == "lost_bracket":
            for s, style in items:
                if style == "lost":
                    yield Finding(s.heading.span, {"marker": s.heading.raw_marker})
            continue
        counts = Counter(style for _, style in items if style in STYLE_NAMES)
        if len(counts) < 2:
            continue
        major = counts.most_common(1)[0][0]
        minor = next(style for _, style in items if style in STYLE_NAMES and style != major)
        first = next(s for s, style in items if style == minor)
        yield Finding(first.heading.span, {"marker": first.heading.raw_marker,
                                           "style": STYLE_NAMES[minor], "other": STYLE_NAMES[major]})
