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


def _units(texts, within: str):
    if within == "scope":
        yield "".join(t.text for t in texts)
        return
    for t in texts:
        if within == "paragraph":
            yield t.text
        else:
            for start, end in t.sentences():
                yield t.text[start:end]


def found(groups, texts, within: str) -> bool:
    for unit in _units(texts, within):
        if all(any(k in unit for k in group) for group in groups):
            return True
    return False


def check(rule, ctx: Context):
    opts = rule.options
    scope = opts["scope"]
    if scope != DOCUMENT and not ctx.sections(scope):
        return
    if found(opts["groups"], ctx.texts(scope, opts["include_headings"]), opts["within"]):
        return
    anchor = opts["anchor"] or (scope if scope != DOCUMENT else None)
    targets = ctx.sections(anchor) if anchor else []
    span = targets[0].heading.span if targets else ctx.start_span()
    yield Finding(span, {"label": ctx.kind_label(scope) if scope != DOCUMENT else ""})
