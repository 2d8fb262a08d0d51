"""forbidden_text: text that must not appear (literal keywords, or RE2 regexes).

Regexes are compiled with RE2 (google-re2) when the pack loads: RE2 matches in linear time,
so no pattern can backtrack catastrophically; constructs RE2 cannot do in linear time
(backreferences, lookaround) are refused at load with the pack's line. Patterns run on the
normalised view, so write them with full-width punctuation and without spaces.

A text that occurs several times is one finding, at its first occurrence: ``{elsewhere}``
(appended to a message that does not place it) gives the number of occurrences and the lines
of the others (the first five, then 等), empty when it occurs once. Different texts matched by
the same rule (two placeholders, two regex matches) are findings of their own.
"""

from __future__ import annotations

from itertools import chain

from checker.engine.checks._common import (
    check_kind,
    compile_regexes,
    grouped,
    keywords,
    regex_findings,
    word_findings,
)
from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt, SchemaError

OPTIONS = {
    "scope": Opt("str", default=DOCUMENT, help="where to search: document, or a section kind"),
    "any": Opt("str_list", help="literal strings that must not occur (any and/or regex is needed)"),
    "regex": Opt("str_list", help="RE2 regular expressions that must not match"),
    "include_headings": Opt("bool", default=True, help="whether headings are searched too, not only the body"),
}
PARAMS = ("match", "elsewhere")
ELSEWHERE = "elsewhere"


def prepare(options: dict, pack, lines: dict) -> dict:
    check_kind(options["scope"], pack, lines["scope"], "scope")
    if options["any"] is None and options["regex"] is None:
        raise SchemaError(lines["any"], "forbidden_text 需要 any 或 regex")
    options["words"] = keywords(options["any"] or [])
    options["patterns"] = compile_regexes(options["regex"] or [], lines["regex"])
    return options


def literals(rule) -> tuple[str, ...]:
    return rule.options["words"]


def document_regexes(rule) -> list:
    opts = rule.options
    return [opts["patterns"]] if opts["scope"] == DOCUMENT and opts["include_headings"] else []


def check(rule, ctx: Context):
    opts = rule.options
    scope, headings = opts["scope"], opts["include_headings"]
    hits = chain(word_findings(ctx, scope, headings, opts["words"]) if opts["words"] else (),
                 regex_findings(ctx, scope, headings, opts["patterns"]))
    for text, start, end, matched, elsewhere in grouped(hits):
        yield Finding(text.span(start, end), {"match": matched, "elsewhere": elsewhere})
