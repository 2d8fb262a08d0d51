"""min_content: a section that exists must have substance, not just a heading.

Counts the sentences (sub-headings count as one each) and the characters of the section
below its own heading. Fires when either is under the minimum: a heading with nothing under
it, or a single sentence of filler.
"""

from __future__ import annotations

from itertools import repeat

from checker.engine.checks._common import check_kind
from checker.engine.context import Context, Finding
from checker.engine.schema import Opt
from checker.skeleton.model import SENTENCE_END

OPTIONS = {
    "scope": Opt("str", required=True, help="the section kind to measure"),
    "min_sentences": Opt("int", default=2, help="fewer sentences than this fire (a sub-heading counts as one)"),
    "min_chars": Opt("int", default=40,
                     help="fewer characters than this fire (text below the heading, punctuation included)"),
}
PARAMS = ("label", "sentences", "chars")


def prepare(options: dict, pack, lines: dict) -> dict:
    check_kind(options["scope"], pack, lines["scope"], "scope")
    return options


def sentence_count(text: str) -> int:
    """``len(Text.sentences())`` without the regex: a sentence ends at each sentence end,
    plus one for a last piece without one."""
    return sum(map(text.count, SENTENCE_END)) + (text[-1:] not in SENTENCE_END)


def counts(texts: list[str]) -> tuple[int, int]:
    """(sentences, characters) of the texts: ``sum(map(sentence_count, texts))`` and their
    length, over the texts joined (a text's sentences never run into the next one's): every
    sentence end, plus one for each text that does not end with one (an empty one has none)."""
    joined = "".join(texts)
    unended = len(texts) - sum(map(str.endswith, texts, repeat(_ENDS))) - texts.count("")
    return sum(map(joined.count, SENTENCE_END)) + unended, len(joined)


_ENDS = tuple(SENTENCE_END)


def check(rule, ctx: Context):
    opts = rule.options
    for section in ctx.sections(opts["scope"]):
        sentences, chars = counts([t.text for t in section.texts(include_headings=False)])
        if sentences < opts["min_sentences"] or chars < opts["min_chars"]:
            yield Finding(section.heading.span, {
                "label": ctx.kind_label(opts["scope"]), "sentences": sentences, "chars": chars,
            })
