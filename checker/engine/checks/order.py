"""order: the outermost sections of the listed kinds should appear in the listed order.

The sections kept in place are the longest run already in order; each other one is reported
at its heading with where it belongs.
"""

from __future__ import annotations

from checker.engine.checks._common import check_kind, placement
from checker.engine.context import Context, Finding
from checker.engine.schema import Opt

OPTIONS = {"kinds": Opt("str_list", required=True, help="section kinds in the expected order")}
PARAMS = ("label", "placement")


def prepare(options: dict, pack, lines: dict) -> dict:
    for kind in options["kinds"]:
        check_kind(kind, pack, lines["kinds"], "kinds")
    return options


def _longest_increasing(ranks: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (n is tiny: O(n^2))."""
    n = len(ranks)
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if ranks[j] < ranks[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    i = max(range(n), key=lambda k: (best[k], -k)) if n else -1
    keep = set()
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


def check(rule, ctx: Context):
    order = rule.options["kinds"]
    firsts, seen = [], set()
    for s in ctx.top_sections:
        if s.kind in order and s.kind not in seen:
            seen.add(s.kind)
            firsts.append(s)
    keep = _longest_increasing([order.index(s.kind) for s in firsts])
    for i, s in enumerate(firsts):
        if i in keep:
            continue
        _, where = placement(ctx, s.kind, order, exclude=s)
        yield Finding(s.heading.span, {"label": ctx.kind_label(s.kind), "placement": where})
