"""misnomer: names of regulations, documents and bodies written wrongly, each with the
correct form. ``names`` is a small dictionary in the pack: ``[{wrong: [...], regex: [...],
right: "..."}]`` (literal ``wrong`` strings and/or RE2 ``regex``)."""

from __future__ import annotations

from checker.engine.checks._common import compile_regexes, keywords, regex_findings, word_findings
from checker.engine.context import DOCUMENT, Context, Finding
from checker.engine.schema import Opt, SchemaError

OPTIONS = {"names": Opt("list", required=True,
                        help="the dictionary: a list of {wrong: [literal strings], regex: [RE2 patterns], "
                             "right: the correct form}; an entry needs wrong or regex")}
PARAMS = ("match", "right")


def prepare(options: dict, pack, lines: dict) -> dict:
    entries = []
    for entry in options["names"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("right"), str) \
                or not (entry.get("wrong") or entry.get("regex")) or set(entry) - {"wrong", "regex", "right"} \
                or not all(_str_list_or_none(entry.get(k)) for k in ("wrong", "regex")):
            raise SchemaError(lines["names"], "names 的每项应为 {wrong 和/或 regex, right}，"
                                              "wrong 与 regex 是字符串列表（如 wrong: [法制政府]）")
        entries.append((keywords(entry.get("wrong") or []), compile_regexes(entry.get("regex") or [], lines["names"]),
                        entry["right"]))
    options["entries"] = entries
    return options


def _str_list_or_none(value) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) and v for v in value))


def literals(rule) -> list[str]:
    return [w for words, _, _ in rule.options["entries"] for w in words]


def document_regexes(rule) -> list:
    return [regexes for _, regexes, _ in rule.options["entries"]]


def check(rule, ctx: Context):
    for words, regexes, right in rule.options["entries"]:
        for text, start, end, word in word_findings(ctx, DOCUMENT, True, words):
            yield Finding(text.span(start, end), {"match": word, "right": right})
        for text, start, end, matched in regex_findings(ctx, DOCUMENT, True, regexes):
            yield Finding(text.span(start, end), {"match": matched, "right": right})
