"""Section kinds: from a heading's keywords, else from the evidence a reviewer would weigh.

First pass (every heading, any level): the first of the pack's section kinds whose ``any``
keywords the heading names. Second pass (top-level sections the first left unclassified), by
the pack's ``recognition``: points for each of a kind's cues found in the heading (wider
vocabularies: 短板/弱项 for shortfalls, 重点/计划 with the next year for plans, ...) and in the
section's body (problems listed with 有待/不够; plans with 将/继续/进一步), plus points when
the section sits where a kind still missing from the report belongs in ``section_order``. A
kind is taken when it scores at least ``threshold`` and beats every other kind by ``margin``.
The vocabularies, cues and weights are data in the pack: nothing here knows a report kind.

Sub-headings are classified by keywords only: inside the measures part, （七）查找不足，扎实
开展法治为民工作 is a measure, not the shortfalls part.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checker.record import Record
from checker.skeleton.model import Report, Section

if TYPE_CHECKING:
    from checker.engine.registry import Cue, Pack, Recognition

KIND_MEMO_SIZE = 4096
# The body evidence of a section is read from its first characters only: a section's
# nature shows in its opening, and the cost of the second pass stays bounded per section.
BODY_CHARS = 3000
# Top-level sections the first pass leaves open are decided one at a time, re-scoring the
# rest after each (quadratic in their number); a report has a dozen top-level parts at most,
# so past this many (a hostile or odd file) they are decided in one pass.
MAX_ROUNDS = 64
# Past this many open top-level sections the file is not the shape of a report's parts (a
# hostile or odd file: 50,000 one-line "sections"); they stay unclassified, unscored.
MAX_OPEN = 200
YEAR = re.compile(r"(\d{4})年")


def kind_of(title: str, pack: Pack | None) -> str | None:
    """The first of the pack's section kinds whose keywords the title names (None: none)."""
    if pack is None:
        return None
    # heading title -> kind, per pack: titles recur across a batch (存在的不足和原因, 下一步工作打算…)
    memo = pack.kind_memo
    if title in memo:
        return memo[title]
    kind = None
    has = title.__contains__      # any(map(has, words)): the words tried in C, no generator
    for sk in pack.section_kinds:
        if any(map(has, sk.any)) and not any(map(has, sk.exclude)):
            kind = sk.kind
            break
    if len(memo) >= KIND_MEMO_SIZE:
        memo.clear()
    memo[title] = kind
    return kind


class Unclassified(Record):
    """A top-level section neither pass classified, with its score per kind: required_section
    names it when it sits where a missing part belongs."""

    section: Section
    scores: dict[str, int]
    fits: frozenset[str]           # kinds whose place in section_order this section sits in


def classify(report: Report, pack: Pack | None) -> list[Unclassified]:
    """Set ``Section.kind`` (and ``inferred`` for the second pass) on every section; return
    the top-level sections left unclassified, with their final scores.

    The second pass takes one section at a time, the most decisive first, and scores the
    others again: a section recognised by its own words moves where the others sit in the
    regulation's order (二、短板弱项 recognised, 三、… no longer fits the shortfalls' place)."""
    for section in report.walk():
        section.kind = kind_of(section.heading.title.text, pack)
        section.inferred = False
    rec = pack.recognition if pack is not None else None
    if rec is None:
        return []
    year = reported_year(report)
    top = report.sections
    known = [s.kind for s in top]
    # a keyword overruled by evidence the pack names against its kind (主要举措 in a heading
    # that names the next year): the section is decided again, its keyword kind kept if the
    # evidence settles nothing
    fallback = {i: k for i, k in enumerate(known) if k is not None and _contradicted(top[i], k, rec, year)}
    for i in fallback:
        known[i] = None
    open_ = [i for i, k in enumerate(known) if k is None]
    if len(open_) > MAX_OPEN:
        return []
    one_pass = len(open_) > MAX_ROUNDS      # many sections: decided in one pass, no re-scoring
    for _ in range(1 if one_pass else len(open_)):
        best = None             # (lead over the runner-up, -index, index, kind)
        for i in list(open_):
            kind, lead = _decide(score(top[i], rec, year, _fitting(known, i, pack.section_order)), rec)
            if kind is None:
                continue
            if one_pass:
                known[i] = top[i].kind = kind
                top[i].inferred = True
                open_.remove(i)
            elif best is None or (lead, -i) > best[:2]:
                best = (lead, -i, i, kind)
        if best is None:
            break
        _, _, i, kind = best
        known[i] = top[i].kind = kind
        top[i].inferred = True
        open_.remove(i)
    left = []
    for i in open_:
        if i in fallback:
            known[i] = top[i].kind = fallback[i]
    for i in open_:
        if known[i] is None:
            fits = _fitting(known, i, pack.section_order)
            left.append(Unclassified(top[i], score(top[i], rec, year, fits), frozenset(fits)))
    return left


def _contradicted(section: Section, kind: str, rec: Recognition, year: int | None) -> bool:
    heading = section.heading.title.text
    nexts = _next_year_words(rec, year)
    return any(c.weight < 0 and _cue(c, heading, nexts, year) < 0
               for e in rec.kinds if e.kind == kind for c in e.heading)


def heading_kind(title: str, pack: Pack | None, year: int | None) -> str | None:
    """The kind a heading's own words settle on (heading cues only, no body or position):
    for unnumbered heading lines, whose body is not delimited."""
    rec = pack.recognition if pack is not None else None
    if rec is None:
        return None
    memo = pack.heading_memo      # (unnumbered heading line, reported year) -> kind
    key = (title, year)
    if key in memo:
        return memo[key]
    nexts = _next_year_words(rec, year)
    scores = {e.kind: sum(_cue(c, title, nexts, year) for c in e.heading) for e in rec.kinds}
    kind = _decide(scores, rec)[0]
    if len(memo) >= KIND_MEMO_SIZE:
        memo.clear()
    memo[key] = kind
    return kind


def _decide(scores: dict[str, int], rec: Recognition) -> tuple[str | None, int]:
    """The kind the scores settle on, with its lead over the runner-up (None: undecided)."""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked:
        return None, 0
    kind, points = ranked[0]
    lead = points - (ranked[1][1] if len(ranked) > 1 else 0)
    if points >= rec.threshold and lead >= rec.margin:
        return kind, lead
    return None, 0


def _fitting(known: list[str | None], i: int, order: list[str]) -> set[str]:
    """Kinds missing from the report whose place in ``order`` is where section ``i`` sits:
    every classified section before it ranks lower, every one after it higher."""
    rank = {k: n for n, k in enumerate(order)}
    before = [rank[k] for k in known[:i] if k in rank]
    after = [rank[k] for k in known[i + 1:] if k in rank]
    low = max(before, default=-1)
    high = min(after, default=len(order))
    present = set(known)
    return {k for k in order if low < rank[k] < high and k not in present}


def score(section: Section, rec: Recognition, year: int | None, fits: set[str]) -> dict[str, int]:
    """Points per kind for one section, from its heading, its body and its position."""
    heading = section.heading.title.text
    body = _body(section)
    nexts = _next_year_words(rec, year)
    out: dict[str, int] = {}
    for evidence in rec.kinds:
        points = sum(_cue(c, heading, nexts, year) for c in evidence.heading)
        points += sum(_cue(c, body, nexts, year) for c in evidence.body)
        if evidence.kind in fits:
            points += rec.position
        out[evidence.kind] = points
    return out


def _body(section: Section) -> str:
    parts, size = [], 0
    for text in section.texts(include_headings=False):
        parts.append(text.text)
        size += len(text.text)
        if size >= BODY_CHARS:
            break
    return "\n".join(parts)[:BODY_CHARS]


def _next_year_words(rec: Recognition, year: int | None) -> tuple[str, ...]:
    return rec.next_year + ((f"{year + 1}年",) if year is not None else ())


def _cue(cue: Cue, text: str, nexts: tuple[str, ...], year: int | None) -> int:
    if cue.year == "next" and not _names_next_year(text, nexts, year):
        return 0
    if not cue.any and not cue.all:     # the year condition alone
        return cue.weight
    has = text.__contains__
    if cue.all:
        return cue.weight if all(any(map(has, group)) for group in cue.all) else 0
    hits = sum(map(has, cue.any))           # the words present (True counts 1)
    return cue.weight * min(hits, cue.max)


def _names_next_year(text: str, nexts: tuple[str, ...], year: int | None) -> bool:
    return any(map(text.__contains__, nexts))


def reported_year(report: Report) -> int | None:
    """The first four-digit year of the title, else of the opening paragraphs, else the
    earliest year the top-level headings name (a report names the year it reports on before
    the next one)."""
    for text in [report.title or "", *(p.body.text for p in report.opening[:3])]:
        m = YEAR.search(text)
        if m:
            return int(m.group(1))
    years = [int(m.group(1)) for s in report.sections[:MAX_ROUNDS] for m in YEAR.finditer(s.heading.title.text)]
    return min(years) if years else None
