"""Numbers as reports write them in running text: Arabic digits (full-width ones are folded by
the matching view) or Chinese numerals, read into integers, for the check types that compare
a figure in a sentence with something else (promised_parts, prose_figures).

Chinese numerals come in two forms: with place words (十二, 二十, 一百零五, 两千三百, 三万五千,
and the spoken 一百五 for 150) and digit by digit (二〇二三, 一〇五). Patterns in the packs
write ``{number}`` where the figure stands; it becomes :data:`NUMBER` (a named group).
"""

from __future__ import annotations

from checker.skeleton.model import numeral_text

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGITS.update({"〇": 0, "○": 0, "两": 2})
_UNITS = {"十": 10, "百": 100, "千": 1000}
_MYRIADS = {"万": 10_000, "亿": 100_000_000}
CHINESE = "".join(_DIGITS) + "".join(_UNITS) + "".join(_MYRIADS)

# A numeral right after this is an ordinal (第六部分), not a count.
ORDINAL = "第"

# The token a pattern writes for the figure, and the RE2 group it becomes.
TOKEN = "{number}"
GROUP = "number"
NUMBER = f"(?P<{GROUP}>[0-9]+|[{CHINESE}]+)"


def read(text: str) -> int | None:
    """The value of a numeral: '12' -> 12, '十二' -> 12, '一百零五' -> 105, '两千' -> 2000,
    '一百五' -> 150, '二〇二三' -> 2023; None for anything else (mixed or empty)."""
    if not text:
        return None
    if text.isascii():
        return int(text) if text.isdigit() else None
    if any(c not in _DIGITS and c not in _UNITS and c not in _MYRIADS for c in text):
        return None
    if not any(c in _UNITS or c in _MYRIADS for c in text):       # digit by digit
        return int("".join(str(_DIGITS[c]) for c in text))
    total = section = 0
    digit: int | None = None
    last_unit = 0                  # the place word just read (0: the last character was a digit)
    previous_unit = 0
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
            if digit == 0:
                previous_unit = 0      # 一百零五: the 五 is ones, not tens
            last_unit = 0
        elif c in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[c]
            digit = None
            last_unit = previous_unit = _UNITS[c]
        else:
            section += digit or 0
            total = (total + section) * _MYRIADS[c] if _MYRIADS[c] > 10_000 else total + section * _MYRIADS[c]
            section, digit = 0, None
            last_unit = previous_unit = _MYRIADS[c]
    if digit is not None:
        # spoken forms drop the last place word: 一百五 is 150, 三万五 35,000
        section += digit * (previous_unit // 10 if last_unit == 0 and previous_unit >= 100 else 1)
    return total + section


def write(value: int) -> str:
    """A count as a message writes it beside the report's words: 六 (1-99), else digits."""
    return numeral_text(value) if 0 < value < 100 else str(value)


def expand(pattern: str) -> str:
    """A pack's pattern with its ``{number}`` token made the :data:`NUMBER` group (a plain
    replacement: the pattern's own braces, such as {0,12}, stay as they are)."""
    return pattern.replace(TOKEN, NUMBER)
