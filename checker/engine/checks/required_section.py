"""required_section: the report must have a section (a heading at any level) of a kind.

Content that only appears inside another section does not count: the rule is about the
skeleton a reader scans. An unnumbered heading line naming the kind (a short one-line
paragraph such as "存在的问题") counts as the section being present. The finding points
where the section belongs, using the pack's ``section_order`` and ``phrases``. When a
top-level heading that no pass classified sits where the section belongs (recognize.py), the
finding points at it and names it (``{hint}``, the pack's ``phrases.candidate``): the author
sees which heading fzlint could not take for the part, and what words would make it clear.
"""

from __future__ import annotations

from checker.engine.checks._common import check_kind, placement
from checker.engine.context import Context, Finding
from checker.engine.schema import Opt

OPTIONS = {"kind": Opt("str", required=True, help="the section kind that must be present")}
PARAMS = ("label", "placement", "hint")


def prepare(options: dict, pack, lines: dict) -> dict:
    check_kind(options["kind"], pack, lines["kind"], "kind")
    return options


def check(rule, ctx: Context):
    kind = rule.options["kind"]
    if ctx.sections(kind) or ctx.loose_headings(kind):
        return
    span, where = placement(ctx, kind, ctx.pack.section_order)
    hint = ""
    phrase = ctx.pack.phrases.get("candidate")
    candidate = _candidate(ctx, kind)
    if phrase and candidate is not None:
        span = candidate.heading.span
        hint = phrase.format(heading=candidate.heading.label, suggest=ctx.pack.kind(kind).suggest)
    yield Finding(span, {"label": ctx.kind_label(kind), "placement": where, "hint": hint})


def _candidate(ctx: Context, kind: str):
    """The unclassified top-level section most likely meant as the missing part: among those
    sitting where it belongs (else those with some evidence for it), the best scoring, the
    first of equals."""
    pool = [u for u in ctx.unclassified if kind in u.fits]
    pool = pool or [u for u in ctx.unclassified if u.scores.get(kind, 0) > 0]
    if not pool:
        return None
    best = max(u.scores.get(kind, 0) for u in pool)
    return next(u for u in pool if u.scores.get(kind, 0) == best).section
