"""title: the report has a title, and the title names what the pack's ``parts`` require.

``require: present`` fires when no title was recognised. ``require: parts`` fires when a
title exists but lacks parts; each part has a label and literal ``any`` words and/or an RE2
``regex`` (e.g. a four-digit year).
"""

from __future__ import annotations

from checker.engine.checks._common import compile_regexes, keywords, matches_any
from checker.engine.context import Context, Finding
from checker.engine.schema import Opt, SchemaError
from checker.skeleton.model import line_span

OPTIONS = {
    "require": Opt("str", required=True, choices=("present", "parts"),
                   help="present: a title must exist; parts: the title must name each of parts"),
    "parts": Opt("list", help="require parts: a list of {label, any: [literal strings], regex: [RE2 patterns]}; "
                              "a part needs any or regex"),
}
PARAMS = ("missing", "title")


def prepare(options: dict, pack, lines: dict) -> dict:
    parts = []
    if options["require"] == "parts":
        if not options["parts"]:
            raise SchemaError(lines["require"], "require: parts 需要非空的 parts 列表")
        for part in options["parts"]:
            if not isinstance(part, dict) or not isinstance(part.get("label"), str) \
                    or not (part.get("any") or part.get("regex")) \
                    or set(part) - {"label", "any", "regex"} \
                    or not all(_str_list_or_none(part.get(k)) for k in ("any", "regex")):
                raise SchemaError(lines["parts"], "parts 的每项应为 {label, any 和/或 regex}，"
                                                  "any 与 regex 是字符串列表（如 any: [法治政府]）")
            parts.append((part["label"], keywords(part.get("any") or []),
                          compile_regexes(part.get("regex") or [], lines["parts"])))
    options["compiled"] = parts
    return options


def _str_list_or_none(value) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) and v for v in value))


def check(rule, ctx: Context):
    report = ctx.report
    if rule.options["require"] == "present":
        if report.title is None:
            yield Finding(ctx.start_span(), {"missing": "标题", "title": ""})
        return
    if report.title is None:
        return
    has = report.title.__contains__
    data = report.title.encode("utf-8", "surrogatepass")
    missing = [label for label, words, regexes in rule.options["compiled"]
               if not any(map(has, words)) and not matches_any(regexes, data)]
    if missing:
        yield Finding(line_span(report.title_lines[0]), {"missing": "、".join(missing), "title": report.title})
