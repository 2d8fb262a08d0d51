"""duplicate_sentence: a sentence of at least ``min_chars`` characters repeated word for
word (after normalisation) elsewhere in the report. A repeated sentence is one finding,
however often it occurs: at its second occurrence, naming the lines of the others
(``{lines}``: the first five, then 等) and how often it occurs (``{count}``); ``{first_line}``
is the line of its first occurrence. So the findings grow with the sentences repeated, not
with their repeats. The rows of a table (checker/skeleton/tables.py) are no sentences: a
table repeats its column headings block by block."""

from __future__ import annotations

import bisect
from itertools import compress

from checker.engine.checks._common import line_list
from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt
from checker.skeleton.model import SENTENCE_END

OPTIONS = {"min_chars": Opt("int", default=20,
                            help="the shortest sentence (in characters) reported when repeated; "
                                 "shorter ones may repeat legitimately")}
PARAMS = ("first_line", "lines", "count")


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


_ENDS = tuple(SENTENCE_END)


def _pieces(joined: str) -> list[str]:
    """``joined`` cut after each sentence end and at each newline: its sentences as
    JOINED_SENTENCE finds them, in order, with empty strings between (a few C-level passes
    instead of a regex over every character). A piece ending in a sentence end was followed
    by the cut alone, any other piece by a newline of ``joined`` (or its end)."""
    for end in SENTENCE_END:
        if end in joined:
            joined = joined.replace(end, end + "\n")
    return joined.split("\n")


def _long_sentences(joined: str, minimum: int) -> list[str]:
    """The sentences JOINED_SENTENCE finds in ``joined`` that are at least ``minimum`` long
    (and not empty), picked by itertools.compress: no Python-level loop over the pieces."""
    pieces = _pieces(joined)
    return list(compress(pieces, map(max(minimum, 1).__le__, map(len, pieces))))


def _places(joined: str, minimum: int) -> dict[str, list[int]]:
    """Each sentence at least ``minimum`` long -> the offsets in ``joined`` where it starts."""
    places: dict[str, list[int]] = {}
    at = 0
    for piece in _pieces(joined):
        size = len(piece)
        if size and size >= minimum:
            places.setdefault(piece, []).append(at)
        at += size if piece.endswith(_ENDS) else size + 1
    return places


def check(rule, ctx: Context):
    minimum = rule.options["min_chars"]
    # The usual case, no sentence repeats, told from the document's texts with the top-level
    # headings (joined once for the keyword scan already): a sentence never spans two texts,
    # so its sentences are those the report's running text has and a few more; none repeating
    # there, none repeats without them.
    long = _long_sentences(ctx.joined_text(DOCUMENT, include_headings=True), minimum)
    if len(set(long)) == len(long):
        return
    joined, starts, texts = ctx.joined(DOCUMENT, include_headings=False)
    long = _long_sentences(joined, minimum)
    if len(set(long)) == len(long):
        return
    places = _places(joined, minimum)

    def line_of(at: int) -> int:
        i = bisect.bisect_right(starts, at) - 1
        return texts[i].line_no(at - starts[i])

    rows = {no for t in ctx.report.tables for no in range(t.first_line, t.last_line + 1)}
    if rows:
        places = {s: [o for o in offsets if line_of(o) not in rows] for s, offsets in places.items()}
    repeated = sorted(((offsets, sentence) for sentence, offsets in places.items() if len(offsets) > 1),
                      key=lambda item: item[0][1])

    for offsets, sentence in repeated:
        at = offsets[1]
        i = bisect.bisect_right(starts, at) - 1
        others = (line_of(o) for o in (offsets[0], *offsets[2:]))
        yield Finding(texts[i].span(at - starts[i], at - starts[i] + len(sentence)),
                      {"first_line": line_of(offsets[0]), "lines": line_list(others), "count": len(offsets)})
