"""'是否应为 FZ501？': the likely rule for a mistyped code or name, wherever one is read
(--select/--ignore/--extend-select, configuration files, fzlint comments, `fzlint explain`)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(selector: str, rules: Iterable[tuple[str, str]]) -> str | None:
    """The code or name of ``rules`` ((code, name) pairs) that ``selector`` most likely meant."""
    rules = list(rules)
    close = difflib.get_close_matches(selector.strip().upper(), [code for code, _ in rules], n=1, cutoff=0.6) \
        or difflib.get_close_matches(selector.strip(), [name for _, name in rules], n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(selector: str, rules: Iterable[tuple[str, str]]) -> str:
    """'是否应为 FZ501？', or where to look when nothing is close."""
    close = closest(selector, rules)
    return f"是否应为 {close}？" if close else "可用 `fzlint rules` 查看"
