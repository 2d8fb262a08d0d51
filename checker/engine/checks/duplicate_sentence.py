"""duplicate_sentence: a sentence of at least ``min_chars`` characters repeated word for
word (after normalisation) elsewhere in the report; reported at the repeat. The rows of a
table (checker/skeleton/tables.py) are no sentences: a table repeats its column headings
block by block."""

from __future__ import annotations

import bisect

from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt
from checker.skeleton.model import JOINED_SENTENCE

OPTIONS = {"min_chars": Opt("int", default=20,
                            help="the shortest sentence (in characters) reported when repeated; "
                                 "shorter ones may repeat legitimately")}
PARAMS = ("first_line",)


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


def check(rule, ctx: Context):
    minimum = rule.options["min_chars"]
    joined, starts, texts = ctx.joined(DOCUMENT, include_headings=False)
    long = [s for s in JOINED_SENTENCE.findall(joined) if len(s) >= minimum]
    if len(set(long)) == len(long):
        return                      # the usual case: no sentence repeats
    seen: dict[str, int] = {}
    rows = {no for t in ctx.report.tables for no in range(t.first_line, t.last_line + 1)}
    for m in JOINED_SENTENCE.finditer(joined):
        a, b = m.span()
        if b - a < minimum:
            continue
        sentence = m.group()
        i = bisect.bisect_right(starts, a) - 1
        text, offset = texts[i], starts[i]
        if rows and text.line_no(a - offset) in rows:
            continue
        if sentence in seen:
            yield Finding(text.span(a - offset, b - offset), {"first_line": seen[sentence]})
        else:
            seen[sentence] = text.line_no(a - offset)
