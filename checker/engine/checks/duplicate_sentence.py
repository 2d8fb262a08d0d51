"""duplicate_sentence: a sentence of at least ``min_chars`` characters repeated word for
word (after normalisation) elsewhere in the report; reported at the repeat."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt
from checker.skeleton.model import SENTENCE_END

OPTIONS = {"min_chars": Opt("int", default=20, help="shorter sentences may repeat legitimately")}
PARAMS = ("first_line",)


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


@lru_cache(maxsize=8)
def _long_sentences(minimum: int) -> re.Pattern:
    """The sentences of model.JOINED_SENTENCE that have at least ``minimum`` characters, and
    only those (a text of a million short sentences makes no string for each): a match can
    only start where a sentence starts, as a sentence is a maximal run of characters other
    than its end marks and line breaks (and its end mark, if it has one)."""
    run = f"[^{SENTENCE_END}\n]"
    return re.compile(f"{run}{{{max(minimum - 1, 0)},}}[{SENTENCE_END}]|{run}{{{max(minimum, 1)},}}")


def check(rule, ctx: Context):
    long_sentence = _long_sentences(rule.options["min_chars"])
    joined, starts, texts = ctx.joined(DOCUMENT, include_headings=False)
    long = long_sentence.findall(joined)
    if len(set(long)) == len(long):
        return                      # the usual case: no sentence repeats
    seen: dict[str, int] = {}
    for m in long_sentence.finditer(joined):
        a, b = m.span()
        sentence = m.group()
        i = bisect.bisect_right(starts, a) - 1
        text, offset = texts[i], starts[i]
        if sentence in seen:
            yield Finding(text.span(a - offset, b - offset), {"first_line": seen[sentence]})
        else:
            seen[sentence] = text.line_no(a - offset)
