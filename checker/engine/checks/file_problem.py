"""file_problem: the file itself cannot be checked (unreadable, undecodable, empty, ...).

These rules never look at a report; the lint driver raises them when reading fails, and
this module only declares their options so the pack stays the single source of their id,
severity, citation and message.
"""

from __future__ import annotations

from checker.engine.schema import Opt

PROBLEMS = ("unreadable", "undecodable", "empty", "unsupported_format", "encrypted", "no_text", "damaged",
            "too_large", "too_complex")
OPTIONS = {"problem": Opt("str", required=True, choices=PROBLEMS,
                          help="the reading failure this rule reports (one rule per problem)")}
PARAMS = ("detail",)
CHECKS_REPORTS = False     # engine/run.py does not run these rules on a parsed report


def prepare(options: dict, pack, lines: dict) -> dict:
    return options


def check(rule, ctx):
    return ()
