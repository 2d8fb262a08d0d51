"""duplicate_sentence: a sentence of at least ``min_chars`` characters repeated word for
word (after normalisation) elsewhere in the report. A repeated sentence is one finding,
however often it occurs: at its second occurrence, naming the lines of the others
(``{lines}``: the first five, then 等) and how often it occurs (``{count}``); ``{first_line}``
is the line of its first occurrence. So the findings grow with the sentences repeated, not
with their repeats."""

from __future__ import annotations

import bisect

from checker.engine.checks._common import line_list
from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt
from checker.skeleton.model import JOINED_SENTENCE, SENTENCE_END

OPTIONS = {"min_chars": Opt("int", default=20,
                            help="the shortest sentence (in characters) reported when repeated; "
                                 "shorter ones may repeat legitimately")}
PARAMS = ("first_line", "lines", "count")


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


def _long_sentences(joined: str, minimum: int) -> list[str]:
    """The sentences JOINED_SENTENCE finds in ``joined`` that are at least ``minimum`` long,
    in order: each sentence end gets a newline after it and the text is split at newlines
    (a few C-level passes instead of a regex over every character)."""
    for end in SENTENCE_END:
        if end in joined:
            joined = joined.replace(end, end + "\n")
    return [s for s in joined.split("\n") if s and len(s) >= minimum]


def check(rule, ctx: Context):
    minimum = rule.options["min_chars"]
    joined, starts, texts = ctx.joined(DOCUMENT, include_headings=False)
    long = _long_sentences(joined, minimum)
    if len(set(long)) == len(long):
        return                      # the usual case: no sentence repeats
    places: dict[str, list[int]] = {}       # sentence -> the offsets where it starts
    for m in JOINED_SENTENCE.finditer(joined):
        a, b = m.span()
        if b - a >= minimum:
            places.setdefault(m.group(), []).append(a)
    repeated = sorted(((offsets, sentence) for sentence, offsets in places.items() if len(offsets) > 1),
                      key=lambda item: item[0][1])

    def line_of(at: int) -> int:
        i = bisect.bisect_right(starts, at) - 1
        return texts[i].line_no(at - starts[i])

    for offsets, sentence in repeated:
        at = offsets[1]
        i = bisect.bisect_right(starts, at) - 1
        others = (line_of(o) for o in (offsets[0], *offsets[2:]))
        yield Finding(texts[i].span(at - starts[i], at - starts[i] + len(sentence)),
                      {"first_line": line_of(offsets[0]), "lines": line_list(others), "count": len(offsets)})
