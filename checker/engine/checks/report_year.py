"""report_year: years in headings and the closing date against the reported year Y.

Y is the first four-digit year in the title; without one, in the headings of ``past_kinds``
sections; without those, in the opening paragraphs. Modes:

* ``plan``: a ``plan_kinds`` heading names a year other than Y+1;
* ``past``: a ``past_kinds`` heading names a year other than Y;
* ``date``: the closing date's year is neither Y nor Y+1;
* ``late``: dated in Y+1 after the ``deadline`` (MM-DD, default 04-01);
* ``early``: dated within Y itself, before the year it reports on has ended;
* ``period``: a statement matching ``regex`` (the 统计期限 of the data: 自2023年1月1日起至
  2023年12月31日止) names a year other than Y: a previous year's report copied without
  changing its period. The finding points at the first wrong year of each statement.
"""

from __future__ import annotations

import datetime as dt
import re

from checker.engine.checks._common import check_kind, compile_regexes, regex_findings
from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt, SchemaError
from checker.skeleton.model import line_span

YEAR = re.compile(r"(\d{4})年")
MODES = ("plan", "past", "date", "late", "early", "period")
OPTIONS = {
    "mode": Opt("str", required=True, choices=MODES, help="which year this rule checks (the modes above)"),
    "plan_kinds": Opt("str_list", help="section kinds whose headings should name Y+1 (mode plan needs it)"),
    "past_kinds": Opt("str_list", help="section kinds whose headings should name Y; they also give Y "
                                       "when the title does not (every mode but plan needs it)"),
    "deadline": Opt("str", help="MM-DD in Y+1 by which the report is due (default: the pack's deadline)"),
    "regex": Opt("str_list", help="mode period: RE2 patterns of the statements whose every year (NNNN年) "
                                  "must be Y, e.g. 统计期限 to the end of its sentence"),
}
PARAMS = ("year", "expected", "found", "date", "deadline")


def prepare(options: dict, pack, lines: dict) -> dict:
    for key in ("plan_kinds", "past_kinds"):
        for kind in options[key] or []:
            check_kind(kind, pack, lines[key], key)
    if options["mode"] == "plan" and not options["plan_kinds"]:
        raise SchemaError(lines["mode"], "mode: plan 需要 plan_kinds")
    if options["mode"] == "period" and not options["regex"]:
        raise SchemaError(lines["mode"], "mode: period 需要 regex（写明统计期限等语句的正则表达式）")
    options["patterns"] = compile_regexes(options["regex"] or [], lines["regex"])
    if options["mode"] in ("past", "date", "late", "early", "period") and not options["past_kinds"]:
        raise SchemaError(lines["mode"], f"mode: {options['mode']} 需要 past_kinds（用于确定报告年度）")
    if options["deadline"] is None:
        options["deadline"] = pack.deadline if pack is not None and pack.deadline else None
    if options["mode"] == "late" and options["deadline"] is None:
        raise SchemaError(lines["mode"], "mode: late 需要 deadline（规则的 deadline 选项，或规则包的 deadline）")
    m = re.fullmatch(r"(\d{2})-(\d{2})", options["deadline"] or "01-01")
    try:
        options["deadline_md"] = (int(m.group(1)), int(m.group(2))) if m else None
        dt.date(2001, *options["deadline_md"])
    except (TypeError, ValueError):
        raise SchemaError(lines["deadline"],
                          f"deadline 应为 MM-DD 形式的日期，如 04-01，实际为 {options['deadline']!r}") from None
    return options


def _years(text: str) -> list[int]:
    return [int(y) for y in YEAR.findall(text)]


def reported_year(ctx: Context, past_kinds: list[str]) -> int | None:
    """Y, once per report and ``past_kinds`` (every mode's rule asks)."""
    key = (__name__, tuple(past_kinds))
    if key not in ctx.memo:
        ctx.memo[key] = _reported_year(ctx, past_kinds)
    return ctx.memo[key]


def _reported_year(ctx: Context, past_kinds: list[str]) -> int | None:
    if ctx.report.title:
        years = _years(ctx.report.title)
        if years:
            return years[0]
    for kind in past_kinds:
        for section in ctx.sections(kind):
            years = _years(section.heading.title.text)
            if years:
                return years[0]
    for p in ctx.report.opening:
        years = _years(p.text)
        if years:
            return years[0]
    return None


def check(rule, ctx: Context):
    opts = rule.options
    year = reported_year(ctx, opts["past_kinds"] or [])
    if year is None:
        return
    mode = opts["mode"]
    if mode in ("plan", "past"):
        expected = year + 1 if mode == "plan" else year
        for kind in opts[f"{mode}_kinds"]:
            for section in ctx.sections(kind):
                years = _years(section.heading.title.text)
                if years and expected not in years:
                    yield Finding(section.heading.span, {"year": year, "expected": expected, "found": years[0],
                                                          "date": "", "deadline": ""})
        return
    if mode == "period":
        for text, start, _end, matched in regex_findings(ctx, DOCUMENT, True, opts["patterns"]):
            wrong = next((m for m in YEAR.finditer(matched) if int(m.group(1)) != year), None)
            if wrong is not None:
                yield Finding(text.span(start + wrong.start(), start + wrong.end()),
                              {"year": year, "expected": year, "found": int(wrong.group(1)), "date": "",
                               "deadline": ""})
        return
    closing = ctx.report.closing
    if closing is None or closing.iso is None:
        return
    date = dt.date.fromisoformat(closing.iso)
    month, day = opts["deadline_md"]
    due = dt.date(year + 1, month, day)
    fires = {
        "date": date.year not in (year, year + 1),
        "late": date.year == year + 1 and date > due,
        "early": date.year == year,
    }[mode]
    if fires:
        yield Finding(line_span(closing.date_line), {
            "year": year, "expected": year + 1, "found": date.year,
            "date": f"{date.year}年{date.month}月{date.day}日", "deadline": f"{due.year}年{month}月{day}日"})
