"""Normalise text for matching without losing positions.

Every physical line of the decoded file keeps its raw text. Rules and the lexer look at the
*matching view* of a line:

* leading indentation, Markdown ``#``/``>`` marks are dropped;
* all whitespace (ASCII, ideographic U+3000, NBSP, form feed), invisible characters and
  Markdown emphasis ``*`` are dropped, so "2023 年" matches "2023年" and "(三) 加强" matches
  "（三）加强". Invisible means every default-ignorable code point of Unicode (soft hyphen,
  zero-width and bidi controls, invisible operators, variation selectors, Hangul fillers,
  tag characters ...) and the blank Braille pattern U+2800: inside a word they would hide it
  from the rules (督\u00ad查 is 督查);
* half-width punctuation and brackets become their full-width forms (``(`` -> ``（``,
  ``,`` -> ``，``, ``:`` -> ``：``);
* compatibility forms become the character they stand for, where that is one character:
  Kangxi and CJK radicals and strokes as PDF text layers carry them (⼀ U+2F00 -> 一,
  ⻓ U+2ED3 -> 长), CJK compatibility ideographs, full-width digits, letters and ``．``
  (-> ASCII), half-width, small and vertical forms (､ -> 、, ﹙ -> （), i.e. NFKC one
  character at a time, without number forms (①, ², Ⅰ stay as they are). Both tables are
  generated from the Unicode Character Database, see ``checker/_fold.py``;
* traditional characters become simplified ones, one for one (建設 -> 建设, 報告 -> 报告;
  the table is generated from OpenCC's data, see ``checker/_t2s.py``), so every rule's
  keywords match reports published in traditional characters.

The view is a 1:1 image of the raw characters it keeps (each is dropped or becomes exactly
one character), so a position in the view maps back to a raw column; that map is computed
only when a diagnostic needs it (:meth:`Line.raw_col`).
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from sys import getsizeof, implementation

from checker import _fold, _view

__all__ = ["Line", "lines_of", "split_lines", "view"]


def _char_class(ranges) -> str:
    """The inside of a regex character class for (first, last) code point ranges beyond
    ASCII (none of those characters needs escaping in a class)."""
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


_INVISIBLE = list(zip(map(ord, _fold.INVISIBLE[0::2]), map(ord, _fold.INVISIBLE[1::2])))
_INVISIBLE_CLASS = _char_class(_INVISIBLE)
INVISIBLE_CLASS = _INVISIBLE_CLASS      # for a regex character class: the characters the view drops as invisible
_LEAD = re.compile(rf"[\s#>{_INVISIBLE_CLASS}]+")
_DROP_CHAR = re.compile(rf"[\s*{_INVISIBLE_CLASS}]")
_DROP = re.compile(_DROP_CHAR.pattern + "+")
_LINEBREAK = re.compile(r"\r\n|\r|\n")

# One table for what the view does to a character it keeps (its value: the character to
# match instead) and to an invisible one (None: dropped): the half-width punctuation, the
# traditional characters and the compatibility forms, each to the end of its chain (薴 -> 苧
# -> 苎, ﹙ -> ( -> （), so the view of a view is itself. Computed from checker/_fold.py and
# checker/_t2s.py by scripts/gen_view.py into checker/_view.py: constants load faster than
# the table is built (~3 ms of every start).
_TABLE: dict[int, str | None] = dict(zip(map(ord, _view.KEPT_KEYS), _view.KEPT_VALUES))
_TABLE.update(dict.fromkeys(map(ord, _view.DROPPED)))


# Half-width punctuation is common, the rest of the table rare: the former by str.replace
# (one fast scan each), the latter found by one C-level scan and translated run by run
# (str.translate over a whole line would look up every character in a dict). Characters
# beyond the BMP (tag characters, variation selectors 17-256, mathematical digits, CJK
# compatibility supplement) are looked for only in a text that may have them: a character
# class with them makes that scan about twice as slow. UTF-16 tells in one C-level pass:
# it spends 4 bytes on such a character (a surrogate pair), 2 on the others, and the pair's
# first half names the block (emoji and rare CJK ideographs have other first halves; a
# false alarm only costs one more scan).
# Searching for a class is fast only for a pattern that starts with the class: re then
# scans for its characters in C; ``[...]+`` starts with a repeat and is tried at every
# position, 2.5x slower. So presence is asked of one character (``_UNUSUAL``, below: these
# characters and the rare spaces), runs are found only once one is there (``_rare_run``:
# compiled then, as compiling a class of thousands of ranges costs milliseconds).
_ASCII_PAIRS = tuple((chr(k), v) for k, v in _TABLE.items() if k < 0x80)
_RARE_KEYS = _view.RARE_CLASS        # the table's keys in the BMP beyond ASCII, as a regex class


@lru_cache(maxsize=1)
def _rare_run() -> re.Pattern:
    return re.compile(f"[{_RARE_KEYS}]+")


_ASTRAL_RUN = re.compile("[\U00010000-\U0010ffff]+")


# the first (high) surrogate halves of the table's keys beyond the BMP: whole ranges of
# invisible characters, single traditional characters and compatibility forms
_ASTRAL_FIRST_HALVES = _view.ASTRAL_FIRST_HALVES

_SLICE = 1 << 16   # characters encoded at a time: keeps the UTF-16 copy small on a big file


def _translate_run(m: re.Match) -> str:
    return m.group().translate(_TABLE)


# CPython stores a str with one, two or four bytes a character, four only when it holds a
# character beyond the BMP, and sys.getsizeof tells which (the header, the characters and a
# terminator, plus a cached UTF-8 copy when there is one): a str smaller than four bytes a
# character holds none, told without a pass over it. (A cached UTF-8 copy or a str subclass
# can only make it look bigger: then the characters are looked at.)
# Elsewhere (another implementation) the bound is never met and the characters are looked at.
_FOUR_BYTES_HEADER = getsizeof("\U00010000") - 8 if implementation.name == "cpython" else -(1 << 62)


def _may_have_astral_keys(s: str) -> bool:
    """Might ``s`` hold a character beyond the BMP that the table maps?"""
    if getsizeof(s) < _FOUR_BYTES_HEADER + 4 * (len(s) + 1):
        return False
    for i in range(0, len(s), _SLICE):
        part = s[i:i + _SLICE]
        utf16 = part.encode("utf-16-le", "surrogatepass")
        if len(utf16) != 2 * len(part) and any(half in utf16 for half in _ASTRAL_FIRST_HALVES):
            return True
    return False


# Below this length str.translate (a dict look-up per character) is the cheaper way, and it
# needs none of the regexes: a rule's keyword in traditional characters does not make a
# run compile _rare_run's class.
_SHORT = 16


def _mapped(s: str) -> str:
    """``s.translate(_TABLE)``, paying only for the characters that are there."""
    if len(s) <= _SHORT:
        return s.translate(_TABLE)
    for half, full in _ASCII_PAIRS:
        if half in s:
            s = s.replace(half, full)
    if _UNUSUAL.search(s):
        s = _rare_run().sub(_translate_run, s)
    return _ASTRAL_RUN.sub(_translate_run, s) if _may_have_astral_keys(s) else s


def view(raw: str) -> str:
    """The matching view of one raw line."""
    return _mapped(_DROP.sub("", _without_lead(raw)))


def _without_lead(raw: str) -> str:
    m = _LEAD.match(raw)
    return raw[m.end():] if m else raw


# The same view for every line of a file at once, in a few C-level passes. Stripping each
# line's lead first would make no difference unless the lead holds Markdown "#"/">" marks:
# only the lines whose view then starts with one of those are redone one by one.
#
# Usual text (Chinese prose with spaces, ideographic spaces, half-width punctuation): one
# search tells that the file has none of the rare characters (the table's characters beyond
# ASCII, whitespace other than " " and U+3000, "*" aside), and str.replace drops and maps the
# usual ones, each in one fast scan. Any other text: the table applied to the whole file (it
# drops the invisible characters and neither makes nor takes any other dropped character,
# so it commutes with dropping), "*" removed, and each line's whitespace by str.split(),
# which splits at exactly the characters str.isspace() accepts (as re's \s does; a test
# checks the drop covers them all).
_USUAL_DROPS = (" ", "\u3000", "*")
# every other character str.isspace() accepts but "\n" (a test checks the list)
_OTHER_SPACE = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f"
_UNUSUAL = re.compile(f"[{_OTHER_SPACE}{_RARE_KEYS}]")


def views(raws: list[str], text: str | None = None) -> list[str]:
    """``[view(r) for r in raws]``, computed over the whole file at once.

    ``text``: the file's text when it is exactly the raw lines joined by newlines (no CR);
    it saves building that string again."""
    joined = text if text is not None else "\n".join(raws)
    usual = _UNUSUAL.search(joined) is None and not _may_have_astral_keys(joined)
    if usual:
        joined = _usual_view(joined)
        out = joined.split("\n")
    else:
        joined = _mapped(joined)
        if "*" in joined:
            joined = joined.replace("*", "")
        out = ["".join(line.split()) for line in joined.split("\n")]
    if "#" in joined or ">" in joined:
        for i, v in enumerate(out):
            if v[:1] in ("#", ">"):
                # a Markdown heading's line: its lead dropped (view()); in usual text the
                # rest's view is made as the whole file's was
                out[i] = _usual_view(_without_lead(raws[i])) if usual else view(raws[i])
    return out


def _usual_view(s: str) -> str:
    """The view of text without rare characters (see above): str.replace only."""
    for half, full in _ASCII_PAIRS:
        if half in s:
            s = s.replace(half, full)
    for dropped in _USUAL_DROPS:
        if dropped in s:
            s = s.replace(dropped, "")
    return s


def split_lines(text: str) -> list[str]:
    """Physical lines as editors count them (LF, CRLF or CR), without the line breaks."""
    return _LINEBREAK.split(text) if "\r" in text else text.split("\n")


def lines_of(text: str) -> list[Line]:
    """Every physical line of ``text`` as a :class:`Line`, numbered from 1."""
    raws = split_lines(text)
    texts = views(raws, None if "\r" in text else text)
    # a view equal to its raw line (most lines of Chinese prose) shares the raw string; map()
    # over the three lists makes the lines with less overhead than a loop (2,000 reports,
    # 168,000 lines: 111 -> 95 ms)
    shared = [raw if view_ == raw else view_ for raw, view_ in zip(raws, texts)]
    return list(map(Line, range(1, len(raws) + 1), raws, shared))


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
    def _cols(self) -> list[int] | range:
        """Raw index of every view character: the raw line minus its lead and dropped runs."""
        raw = self.raw
        if len(self.text) == len(raw):      # the view is 1:1: nothing dropped (most lines)
            return range(len(raw))
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
        if count > 0 and _DROP_CHAR.search(raw, pos, pos + count) is None:
            return raw[pos:pos + count]     # none of them dropped (the usual marker): no walk
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


def keywords(words: list[str]) -> tuple[str, ...]:
    """Literal keywords as they are matched: each in the view (spaces dropped, punctuation
    full-width, ...), duplicates and empty ones ("" from only spaces) left out."""
    return tuple(dict.fromkeys(v for v in map(view, words) if v))
