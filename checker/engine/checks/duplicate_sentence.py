"""duplicate_sentence: a sentence of at least ``min_chars`` characters repeated word for
word (after normalisation) elsewhere in the report; reported at the repeat."""

from __future__ import annotations

from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt

OPTIONS = {"min_chars": Opt("int", default=20, help="shorter sentences may repeat legitimately")}
PARAMS = ("first_line",)


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


def check(rule, ctx: Context):
    seen: dict[str, int] = {}
    minimum = rule.options["min_chars"]
    for text in ctx.texts(DOCUMENT, include_headings=False):
        for start, end in text.sentences():
            sentence = text.text[start:end]
            if len(sentence) < minimum:
                continue
            if sentence in seen:
                yield Finding(text.span(start, end), {"first_line": seen[sentence]})
            else:
                seen[sentence] = text.line_no(start)
