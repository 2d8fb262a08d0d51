"""Normalise text for matching without losing positions.

Every physical line of the decoded file keeps its raw text. Rules and the lexer look at the
*matching view* of a line:

* leading indentation, Markdown ``#``/``>`` marks are dropped;
* all whitespace (ASCII, ideographic U+3000, NBSP, form feed), zero-width characters and
  Markdown emphasis ``*`` are dropped, so "2023 年" matches "2023年" and "(三) 加强" matches
  "（三）加强";
* half-width punctuation and brackets become their full-width forms (``(`` -> ``（``,
  ``,`` -> ``，``, ``:`` -> ``：``); full-width digits, letters and ``．`` become ASCII;
* traditional characters become simplified ones, one for one (建設 -> 建设, 報告 -> 报告;
  the table is generated from OpenCC's data, see ``checker/_t2s.py``), so every rule's
  keywords match reports published in traditional characters.

The view is a 1:1 image of the raw characters it keeps, so a position in the view maps back to
a raw column; that map is computed only when a diagnostic needs it (:meth:`Line.raw_col`).
"""

from __future__ import annotations

import re
from functools import cached_property

from checker import _t2s

__all__ = ["Line", "lines_of", "split_lines", "view"]

_LEAD = re.compile(r"[\s\ufeff\u200b-\u200d\u2060#>]+")
_DROP_CHAR = re.compile(r"[\s\ufeff\u200b-\u200d\u2060*]")
_DROP = re.compile(_DROP_CHAR.pattern + "+")
_LINEBREAK = re.compile(r"\r\n|\r|\n")

_TABLE = {ord(a): b for a, b in {
    "(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "!": "！", "?": "？",
    "．": ".", "－": "-", "～": "~", "﹑": "、", "｡": "。",
}.items()}
_TABLE.update({0xFF10 + i: str(i) for i in range(10)})                 # ０-９
_TABLE.update({0xFF21 + i: chr(0x41 + i) for i in range(26)})          # Ａ-Ｚ
_TABLE.update({0xFF41 + i: chr(0x61 + i) for i in range(26)})          # ａ-ｚ
_TABLE.update({ord(_t2s.PAIRS[i]): _t2s.PAIRS[i + 1] for i in range(0, len(_t2s.PAIRS), 2)})


# Half-width punctuation is common, the rest of the table rare: the former by str.replace
# (one fast scan each), the latter found by one C-level scan and translated run by run
# (str.translate over a whole line would look up every character in a dict).
_ASCII_PAIRS = tuple((chr(k), v) for k, v in _TABLE.items() if k < 0x80)
_RARE_RUN = re.compile("[" + re.escape("".join(chr(k) for k in sorted(_TABLE) if k >= 0x80)) + "]+")


def _translate_run(m: re.Match) -> str:
    return m.group().translate(_TABLE)


def _mapped(s: str) -> str:
    """``s.translate(_TABLE)``, paying only for the characters that are there."""
    for half, full in _ASCII_PAIRS:
        if half in s:
            s = s.replace(half, full)
    return _RARE_RUN.sub(_translate_run, s) if _RARE_RUN.search(s) else s


def view(raw: str) -> str:
    """The matching view of one raw line."""
    m = _LEAD.match(raw)
    return _mapped(_DROP.sub("", raw[m.end():] if m else raw))


# The same view for every line of a file at once, in a few C-level passes: the table applied
# to the whole file (it neither makes nor takes a dropped character, so it commutes with
# dropping), the rare dropped characters removed by str.replace, and each line's whitespace
# by str.split(), which splits at exactly the characters str.isspace() accepts (a test checks
# the drop covers them all). Stripping the lead first would make no difference unless a
# line's lead holds Markdown "#"/">" marks: only the lines whose view then starts with one of
# those are redone one by one.
_DROP_RARE = ("*", "\ufeff", "\u200b", "\u200c", "\u200d", "\u2060")


def views(raws: list[str], text: str | None = None) -> list[str]:
    """``[view(r) for r in raws]``, computed over the whole file at once.

    ``text``: the file's text when it is exactly the raw lines joined by newlines (no CR);
    it saves building that string again."""
    joined = _mapped(text if text is not None else "\n".join(raws))
    for char in _DROP_RARE:
        if char in joined:
            joined = joined.replace(char, "")
    out = ["".join(line.split()) for line in joined.split("\n")]
    for i, v in enumerate(out):
        if v[:1] in ("#", ">"):
            out[i] = view(raws[i])
    return out


def split_lines(text: str) -> list[str]:
    """Physical lines as editors count them (LF, CRLF or CR), without the line breaks."""
    return _LINEBREAK.split(text) if "\r" in text else text.split("\n")


def lines_of(text: str) -> list[Line]:
    """Every physical line of ``text`` as a :class:`Line`, numbered from 1."""
    raws = split_lines(text)
    texts = views(raws, None if "\r" in text else text)
    # a view equal to its raw line (most lines of Chinese prose) shares the raw string
    return [Line(i, raw, raw if view_ == raw else view_) for i, (raw, view_) in enumerate(zip(raws, texts), 1)]


class Line:
    """One physical line: its 1-based number, raw text and matching view."""

    __slots__ = ("no", "raw", "text", "__dict__")

    def __init__(self, no: int, raw: str, text: str | None = None):
        self.no = no
        self.raw = raw
        self.text = view(raw) if text is None else text   # ``text``: view(raw), computed by the caller

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Line({self.no}, {self.text!r})"

    @cached_property
    def _cols(self) -> list[int]:
        """Raw index of every view character: the raw line minus its lead and dropped runs."""
        raw = self.raw
        m = _LEAD.match(raw)
        pos = m.end() if m else 0
        cols: list[int] = []
        for dropped in _DROP.finditer(raw, pos):
            cols.extend(range(pos, dropped.start()))
            pos = dropped.end()
        cols.extend(range(pos, len(raw)))
        return cols

    def raw_prefix(self, count: int) -> str:
        """The raw text of the first ``count`` view characters, from the first one to the
        last one (dropped characters between them included). Walks only that far: cheaper
        than the column map for a heading's marker."""
        if "_cols" in self.__dict__:
            cols = self._cols
            return self.raw[cols[0]:cols[min(count, len(cols)) - 1] + 1] if cols and count > 0 else ""
        raw = self.raw
        m = _LEAD.match(raw)
        pos = m.end() if m else 0
        start = end = -1
        seen = 0
        while seen < count and pos < len(raw):
            dropped = _DROP.match(raw, pos)
            if dropped:
                pos = dropped.end()
                continue
            if start < 0:
                start = pos
            pos += 1
            end = pos
            seen += 1
        return raw[start:end] if start >= 0 else ""

    def raw_col(self, index: int) -> int:
        """1-based raw column of view character ``index`` (clamped into the line)."""
        cols = self._cols
        if not cols:
            return 1
        if index >= len(cols):
            return cols[-1] + 2
        return cols[max(index, 0)] + 1

    def raw_end_col(self, index_end: int) -> int:
        """Exclusive 1-based raw end column for a view span ending before ``index_end``."""
        cols = self._cols
        if not cols:
            return 1
        if index_end <= 0:
            return cols[0] + 1
        return cols[min(index_end, len(cols)) - 1] + 2

    @property
    def first_col(self) -> int:
        return self.raw_col(0)

    @property
    def end_col(self) -> int:
        return self.raw_end_col(len(self.text))
