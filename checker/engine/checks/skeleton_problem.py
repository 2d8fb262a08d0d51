"""skeleton_problem: report a structural problem the parser recorded in the model."""

from __future__ import annotations

from checker.engine.context import Context, Finding
from checker.engine.schema import Opt
from checker.skeleton.model import line_span

PROBLEMS = ("missing_parent", "after_closing", "unparsed")
OPTIONS = {"problem": Opt("str", required=True, choices=PROBLEMS,
                          help="the problem the parser recorded: missing_parent (a heading level skipped), "
                               "after_closing (text after the signature and date), unparsed (no skeleton)")}
PARAMS = ("found", "expected")


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


def check(rule, ctx: Context):
    want = rule.options["problem"]
    for p in ctx.report.problems:
        if p.kind == want:
            yield Finding(line_span(p.line), {"found": p.found, "expected": p.expected})
