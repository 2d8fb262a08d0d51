"""closing: the report ends with a signature and a date that can exist.

``require: complete`` fires when the signature (署名) or the date (成文日期) is missing at
the end; ``require: valid_date`` fires when the written date cannot exist (2023年2月30日).
"""

from __future__ import annotations

from checker.engine.context import Context, Finding
from checker.engine.schema import Opt
from checker.skeleton.model import line_span

OPTIONS = {"require": Opt("str", required=True, choices=("complete", "valid_date"),
                           help="complete: signature and date must end the report; "
                                "valid_date: the written date must exist")}
PARAMS = ("missing", "date")


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


def check(rule, ctx: Context):
    closing = ctx.report.closing
    if rule.options["require"] == "valid_date":
        if closing is not None and closing.date_line is not None and closing.iso is None:
            yield Finding(line_span(closing.date_line), {"missing": "", "date": closing.date})
        return
    missing = []
    if closing is None or not closing.signers:
        missing.append("署名")
    if closing is None or closing.date_line is None:
        missing.append("成文日期")
    if missing:
        last = _last_line(ctx)
        yield Finding(line_span(last) if last else ctx.start_span(), {"missing": "和".join(missing), "date": ""})


def _last_line(ctx: Context):
    for line in reversed(ctx.report.lines):
        if line.text:
            return line
    return None
