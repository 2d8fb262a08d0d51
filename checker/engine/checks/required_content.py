"""required_content: a scope must say something, found by literal keyword groups.

``any``: one keyword of the list must occur. ``all``: every group must have a keyword
occurring within the same unit (``within``: sentence, paragraph or the whole scope). With both,
either is enough: a report says it in the pack's set phrase (``any``: 第一责任人) or in its own
words, a sentence naming a thing together with what was done about it (``all``: 判决/裁定/败诉…
with 履行/执行/未发生…). ``regex``: RE2 patterns, a further alternative, for
forms with words between the parts (与……有关, 受……所限). ``ignore``: phrases that never count,
blanked out before matching (行政裁决 is an administrative act, not a court's decision).
``unless``: a unit holding one of these words does not count (下一步……将认真分析原因 promises
reasons, it gives none; 将在明年报告中说明 defers the status). When the scope is a section kind
and the report has no such section, the rule stays silent (the required_section rules report
that). ``{missing}`` names what is lacking: the first word of each ``all`` group that occurs
nowhere in the scope (with ``within: scope``, each aspect a section must cover and does not:
总体情况 without 政府信息管理).
"""

from __future__ import annotations

from checker.engine.checks._common import check_kind, compile_regexes, keywords
from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt, SchemaError
from checker.skeleton.model import JOINED_SENTENCE, SENTENCE_END

OPTIONS = {
    "scope": Opt("str", default=DOCUMENT, help="where to look: document, or a section kind"),
    "any": Opt("str_list", help="one of these must occur"),
    "all": Opt("str_lists", help="each group must have a keyword in the same unit"),
    "regex": Opt("str_list", help="RE2 patterns: one matching within a unit is enough too"),
    "ignore": Opt("str_list", help="phrases that never count as a keyword (blanked out first)"),
    "unless": Opt("str_list", help="a unit holding one of these does not count"),
    "within": Opt("str", default="scope", choices=("sentence", "paragraph", "scope"),
                  help="the unit any, all and regex must be found within; unless drops a whole unit"),
    "include_headings": Opt("bool", default=True, help="whether the scope's own heading counts"),
    "anchor": Opt("str", help="section kind to point at when the content is missing"),
}
PARAMS = ("label", "missing")


def prepare(options: dict, pack, lines: dict) -> dict:
    check_kind(options["scope"], pack, lines["scope"], "scope")
    if options["anchor"] is not None:
        check_kind(options["anchor"], pack, lines["anchor"], "anchor")
    if options["any"] is None and options["all"] is None and options["regex"] is None:
        raise SchemaError(lines["any"], "required_content 需要 any、all 或 regex（可同时使用）")
    if options["unless"] is not None and options["within"] == "scope":
        raise SchemaError(lines["unless"], "unless 按句或段排除，需要 within: sentence 或 paragraph")
    options["patterns"] = compile_regexes(options["regex"] or [], lines["regex"])
    options["vetoes"] = keywords(options["unless"] or [])
    # alternatives: lists of keyword groups; the content is there when one alternative is
    options["alternatives"] = [[keywords(g) for g in groups]
                               for groups in ([options["any"]] if options["any"] is not None else [],
                                              options["all"] if options["all"] is not None else [])
                               if groups]
    options["ignored"] = keywords(options["ignore"] or [])
    options["groups"] = [keywords(g) for g in options["all"] or []]
    return options


def _missing(ctx: Context, scope: str, include_headings: bool, groups, ignored) -> str:
    """The first word of each group of which no word occurs in the scope."""
    has = _blanked(ctx, scope, include_headings, ignored).__contains__
    # a word the report does not hold is not searched for
    return "、".join(group[0] for group in groups if not any(map(has, ctx.present_among(group))))


def _blank(text: str, phrases, ctx: Context | None = None) -> str:
    """``text`` with each ignored phrase replaced by as many spaces (offsets unchanged; a
    space is never part of a keyword: keywords are matched on the view, without spaces).
    With ``ctx``, a phrase the report's keyword scan did not find is not looked for."""
    for p in phrases:
        if (ctx is None or ctx.present(p)) and p in text:
            text = text.replace(p, " " * len(p))
    return text


def _blanked(ctx: Context, scope: str, include_headings: bool, ignored) -> str:
    """The scope's joined texts with the ``ignored`` phrases blanked, once per report (the
    alternatives of a rule and its {missing} read the same)."""
    joined = ctx.joined_text(scope, include_headings)
    if not ignored:
        return joined
    key = ("required_content.blanked", scope, include_headings, ignored)
    text = ctx.memo.get(key)
    if text is None:
        text = ctx.memo[key] = _blank(joined, ignored, ctx)
    return text


def found(ctx: Context, scope: str, include_headings: bool, groups, within: str, ignored=(), vetoes=()) -> bool:
    """Whether one unit of the scope holds a keyword of every group.

    The scope's texts are joined by newlines (:meth:`Context.joined`). One group drives: for
    each occurrence of its keywords, the unit around it (the sentence, or the text up to the
    newline) is cut out and checked for the other groups. No per-unit, per-keyword scan of
    the whole scope. Every unit holding a keyword of each group holds one of the driver's, so
    the answer does not depend on the driver; the group with the fewest keywords in the
    report drives (the fewest units to try, as a rule), not the one with the fewest
    occurrences: counting those took a scan of the scope per keyword. (The order the units
    are tried in changes nothing either.)"""
    if within == "scope":   # the scope's texts run together, as one unit
        unit = _blank("".join([t.text for t in ctx.texts(scope, include_headings)]), ignored)
        return all(any(map(unit.__contains__, group)) for group in groups)
    # the words the report's keyword scan found (a group with none: not found, nothing counted)
    present = []
    for group in groups:
        words = ctx.present_among(group)
        if not words:
            return False
        present.append(words)
    joined = _blanked(ctx, scope, include_headings, ignored)
    if not all(any(map(joined.__contains__, words)) for words in present):   # none here, or all ignored
        return False
    # the keywords the report holds (those it does not: no occurrence to find, but a scan each)
    driver = min(present, key=len)
    bounds = "\n" + (SENTENCE_END if within == "sentence" else "")
    tried: set[int] = set()
    for k in driver:
        at = joined.find(k)
        while at >= 0:
            start = max(joined.rfind(c, 0, at) for c in bounds) + 1
            if start not in tried:
                tried.add(start)
                if within == "sentence":
                    unit = JOINED_SENTENCE.match(joined, start).group()
                else:
                    end = joined.find("\n", start)
                    unit = joined[start:end if end >= 0 else len(joined)]
                has = unit.__contains__
                if all(any(map(has, words)) for words in present) and not any(map(has, vetoes)):
                    return True
            at = joined.find(k, at + 1)
    return False


def _matched(ctx: Context, scope: str, include_headings: bool, patterns, within: str, ignored, vetoes) -> bool:
    """Whether a pattern matches inside one unit of the scope (a match never crosses a
    newline, so it stays within a text; with ``within: sentence`` it must not cross a
    sentence end either)."""
    joined = _blanked(ctx, scope, include_headings, ignored)
    if joined is ctx.joined_text(scope, include_headings):
        # nothing blanked: only the patterns that match the scope at all (one set scan) are run
        patterns = [patterns[i] for i in ctx.matching(patterns, scope, include_headings)]
    bounds = "\n" + (SENTENCE_END if within == "sentence" else "")
    for pattern in patterns:
        for m in pattern.finditer(joined):
            start = max(joined.rfind(c, 0, m.start()) for c in bounds) + 1
            if within == "sentence":
                unit = JOINED_SENTENCE.match(joined, start).group()
                if m.end() > start + len(unit):
                    continue
            else:
                end = joined.find("\n", start)
                unit = joined[start:end if end >= 0 else len(joined)]
            if not any(v in unit for v in vetoes):
                return True
    return False


def literals(rule) -> list[str]:
    opts = rule.options
    return [k for groups in opts["alternatives"] for group in groups for k in group] + list(opts["ignored"])


def check(rule, ctx: Context):
    opts = rule.options
    scope = opts["scope"]
    if scope != DOCUMENT and not ctx.sections(scope):
        return
    if any(found(ctx, scope, opts["include_headings"], groups, opts["within"], opts["ignored"], opts["vetoes"])
           for groups in opts["alternatives"]):
        return
    if opts["patterns"] and _matched(ctx, scope, opts["include_headings"], opts["patterns"], opts["within"],
                                     opts["ignored"], opts["vetoes"]):
        return
    anchor = opts["anchor"] or (scope if scope != DOCUMENT else None)
    targets = ctx.sections(anchor) if anchor else []
    span = targets[0].heading.span if targets else ctx.start_span()
    yield Finding(span, {"label": ctx.kind_label(scope) if scope != DOCUMENT else "",
                         "missing": _missing(ctx, scope, opts["include_headings"], opts["groups"], opts["ignored"])})
