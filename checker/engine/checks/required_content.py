"""required_content: a scope must say something, found by literal keyword groups.

``any``: one keyword of the list must occur. ``all``: every group must have a keyword
occurring within the same unit (``within``: sentence, paragraph or the whole scope). When the
scope is a section kind and the report has no such section, the rule stays silent (the
required_section rules report that).
"""

from __future__ import annotations

from checker.engine.checks._common import check_kind, keywords
from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt, SchemaError
from checker.skeleton.model import JOINED_SENTENCE, SENTENCE_END

OPTIONS = {
    "scope": Opt("str", default=DOCUMENT, help="document, or a section kind"),
    "any": Opt("str_list", help="one of these must occur"),
    "all": Opt("str_lists", help="each group must have a keyword in the same unit"),
    "within": Opt("str", default="scope", choices=("sentence", "paragraph", "scope")),
    "include_headings": Opt("bool", default=True, help="whether the scope's own heading counts"),
    "anchor": Opt("str", help="section kind to point at when the content is missing"),
}
PARAMS = ("label",)


def prepare(options: dict, pack, lines: dict) -> dict:
    check_kind(options["scope"], pack, lines["scope"], "scope")
    if options["anchor"] is not None:
        check_kind(options["anchor"], pack, lines["anchor"], "anchor")
    if (options["any"] is None) == (options["all"] is None):
        raise SchemaError(lines["any"] if options["any"] else lines["all"],
                          "required_content 需要且只能有 any 或 all 之一")
    groups = [options["any"]] if options["any"] is not None else options["all"]
    options["groups"] = [keywords(g) for g in groups]
    return options


def found(ctx: Context, scope: str, include_headings: bool, groups, within: str) -> bool:
    """Whether one unit of the scope holds a keyword of every group.

    The scope's texts are joined by newlines (:meth:`Context.joined`). The group whose
    keywords occur least often drives: for each of its occurrences, the unit around it (the
    sentence, or the text up to the newline) is cut out and checked for the other groups. No
    per-unit, per-keyword scan of the whole scope."""
    if within == "scope":   # the scope's texts run together, as one unit
        unit = "".join(t.text for t in ctx.texts(scope, include_headings))
        return all(any(k in unit for k in group) for group in groups)
    joined = ctx.joined(scope, include_headings)[0]
    counts = [sum(joined.count(k) for k in group if ctx.present(k)) for group in groups]
    if not all(counts):
        return False
    driver = groups[counts.index(min(counts))]
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
                if all(any(w in unit for w in group) for group in groups):
                    return True
            at = joined.find(k, at + 1)
    return False


def literals(rule) -> list[str]:
    return [k for group in rule.options["groups"] for k in group]


def check(rule, ctx: Context):
    opts = rule.options
    scope = opts["scope"]
    if scope != DOCUMENT and not ctx.sections(scope):
        return
    if found(ctx, scope, opts["include_headings"], opts["groups"], opts["within"]):
        return
    anchor = opts["anchor"] or (scope if scope != DOCUMENT else None)
    targets = ctx.sections(anchor) if anchor else []
    span = targets[0].heading.span if targets else ctx.start_span()
    yield Finding(span, {"label": ctx.kind_label(scope) if scope != DOCUMENT else ""})
