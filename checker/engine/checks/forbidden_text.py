"""forbidden_text: text that must not appear (literal keywords, or RE2 regexes).

Regexes are compiled with RE2 (google-re2) when the pack loads: RE2 matches in linear time,
so no pattern can backtrack catastrophically; constructs RE2 cannot do in linear time
(backreferences, lookaround) are refused at load with the pack's line. Patterns run on the
normalised view, so write them with full-width punctuation and without spaces.
"""

from __future__ import annotations

from checker.engine.checks._common import check_kind, compile_regexes, keywords, regex_findings, word_findings
from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt, SchemaError

OPTIONS = {
    "scope": Opt("str", default=DOCUMENT, help="where to search: document, or a section kind"),
    "any": Opt("str_list", help="literal strings that must not occur (any and/or regex is needed)"),
    "regex": Opt("str_list", help="RE2 regular expressions that must not match"),
    "include_headings": Opt("bool", default=True, help="whether headings are searched too, not only the body"),
}
PARAMS = ("match",)


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
    if opts["words"]:
        for text, start, end, word in word_findings(ctx, scope, headings, opts["words"]):
            yield Finding(text.span(start, end), {"match": word})
    for text, start, end, matched in regex_findings(ctx, scope, headings, opts["patterns"]):
        yield Finding(text.span(start, end), {"match": matched})
