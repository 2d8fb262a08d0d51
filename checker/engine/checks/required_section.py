"""required_section: the report must have a section (a heading at any level) of a kind.

Content that only appears inside another section does not count: the rule is about the
skeleton a reader scans. An unnumbered heading line naming the kind (a short one-line
paragraph such as "存在的问题") counts as the section being present. The finding points
where the section belongs, using the pack's ``section_order`` and ``phrases``.
"""

from __future__ import annotations

from checker.engine.checks._common import check_kind, placement
from checker.engine.context import Context, Finding
from checker.engine.schema import Opt

OPTIONS = {"kind": Opt("str", required=True, help="the section kind that must be present")}
PARAMS = ("label", "placement")


def prepare(options: dict, pack, lines: dict) -> dict:
    check_kind(options["kind"], pack, lines["kind"], "kind")
    return options


def check(rule, ctx: Context):
    kind = rule.options["kind"]
    if ctx.sections(kind) or ctx.loose_headings(kind):
        return
    span, where = placement(ctx, kind, ctx.pack.section_order)
    yield Finding(span, {"label": ctx.kind_label(kind), "placement": where})
