"""Word's automatic list numbering, rendered back into text ("一、", "（一）", "1.", "（1）").

Word does not store the numbers of an automatically numbered list in the paragraph: they
live in numbering.xml (abstract lists, list instances, overrides) and styles.xml (numbering
set by a paragraph style), and the reader sees what Word computes from its list counters.
This module is pure and knows nothing of python-docx: :func:`format_number` (one counter value
in one ``w:numFmt``), :class:`NumberingDefs` (the parsed definitions) and
:class:`ListNumbering` (the counters; one call per numbered paragraph, in document order).
Used by :mod:`checker.sources.docx`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from lxml import etree

from checker.sources import SourceError

Element = Any  # an lxml element (python-docx's oxml elements are lxml elements too)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


VAL = _w("val")
ALTERNATE = f"{{{MC_NS}}}AlternateContent"
PPR, PSTYLE, NUMPR = _w("pPr"), _w("pStyle"), _w("numPr")
ILVL, NUMID = _w("ilvl"), _w("numId")

MAX_COUNTER = 32767                    # Word's largest list start value
LEVELS = 9                             # w:ilvl 0..8


# ---------------------------------------------------------------------------------------
# The work budget: characters a reader expands
# ---------------------------------------------------------------------------------------

def wan(n: int, unit: str) -> str:
    """A count as Chinese figures give it: (1024000, "个字符") -> "102.4 万个字符",
    (5000, "个") -> "5000 个"."""
    if n < 10000:
        return f"{n} {unit}"
    return f"{n / 10000:.1f}".rstrip("0").rstrip(".") + f" 万{unit}"


@dataclass
class TextBudget:
    """The characters a reader may expand, spent as it builds the text.

    A numbered paragraph's number is rendered from its level text (``w:lvlText``), which
    numbering.xml states once and any number of paragraphs use: a long level text, or one
    full of placeholders, multiplies over the paragraphs. Everything the reader expands is
    spent here before it is built (a number: its level text as written plus the numbers put
    into it; a paragraph: its text), and past ``limit`` reading stops with
    SourceError("too_complex") naming what took the characters.
    """

    limit: int
    used: int = 0
    numbering: int = 0        # of ``used``: the characters of automatic numbers

    def spend(self, chars: int, numbering: bool = False) -> None:
        self.used += chars
        if numbering:
            self.numbering += chars
        if self.used > self.limit:
            raise SourceError("too_complex", self.reason())

    def reason(self) -> str:
        if 2 * self.numbering > self.used:
            return (f"Word 自动编号展开后的文字超过 {wan(self.limit, '个字符')}"
                    "（编号文字过长或被大量段落引用，疑似恶意构造的文件）")
        return f"Word 正文展开后的文字超过 {wan(self.limit, '个字符')}（疑似恶意构造的文件）"

# ---------------------------------------------------------------------------------------
# Number formats (ECMA-376 Part 1, 17.18.59 ST_NumberFormat)
# ---------------------------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_TW_DIGITS = "○一二三四五六七八九"
_FULL_DIGITS = "０１２３４５６７８９"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@dataclass(frozen=True)
class _Myriad:
    """Digits and place words of a grouped (十百千万) counting system."""

    digits: str            # zero, one, ..., nine
    units: str             # 十 百 千
    myriad: str            # 万
    elide_one: bool        # 百 rather than 一百 (Japanese)
    elide_ten: bool        # 十一 rather than 一十一 at the start of the number
    zero: bool             # 一百零一: fill an inner gap with the zero digit


_SIMPLIFIED = _Myriad("零一二三四五六七八九", "十百千", "万", False, True, True)
_LEGAL_SIMPLIFIED = _Myriad("零壹贰叁肆伍陆柒捌玖", "拾佰仟", "万", False, False, True)
_LEGAL_TRADITIONAL = _Myriad("零壹貳參肆伍陸柒捌玖", "拾佰仟", "萬", False, False, True)
_JAPANESE = _Myriad("〇一二三四五六七八九", "十百千", "万", True, True, False)


def _positional(n: int, digits: str) -> str:
    return "".join(digits[int(d)] for d in str(n))


def _counting(n: int, digits: str) -> str:
    """chineseCounting: 一…九, 十, 十一, 二十…九十九; digit by digit from 100 (一〇〇)."""
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return _positional(n, digits)


def _group(n: int, m: _Myriad, leading: bool) -> str:
    """One group of four digits (1..9999) in a grouped counting system."""
    out: list[str] = []
    pending_zero = False
    for power, unit in ((1000, m.units[2]), (100, m.units[1]), (10, m.units[0]), (1, "")):
        digit = n // power % 10
        if digit == 0:
            pending_zero = pending_zero or bool(out)
            continue
        if pending_zero and m.zero:
            out.append(m.digits[0])
        pending_zero = False
        elide = unit and digit == 1 and (m.elide_one or (m.elide_ten and leading and power == 10
                                                          and not out))
        out.append(unit if elide else m.digits[digit] + unit)
    return "".join(out)


def _grouped(n: int, m: _Myriad) -> str:
    """chineseCountingThousand and the like: 十一, 一百零一, 一千二百, 一万零五."""
    if n == 0:
        return m.digits[0]
    high, low = divmod(n, 10000)
    text = _group(high, m, True) + m.myriad if high else ""
    if low:
        if high and low < 1000 and m.zero:
            text += m.digits[0]
        text += _group(low, m, not high)
    return text


def _letters(n: int, base: int) -> str:
    """a…z, aa…zz, aaa…: the letter repeated once per round of the alphabet."""
    return chr(base + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _table(chars: str, first: int = 1) -> Callable[[int], str | None]:
    """A format defined for a fixed run of characters (①…⑳); None outside it."""
    return lambda n: chars[n - first] if first <= n < first + len(chars) else None


def _enclosed(start: int, count: int) -> Callable[[int], str | None]:
    return _table("".join(chr(start + i) for i in range(count)))


def _zodiac_cycle(n: int) -> str | None:
    return _STEMS[(n - 1) % 10] + _BRANCHES[(n - 1) % 12] if 1 <= n <= 60 else None


_FORMATS: dict[str, Callable[[int], str | None]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: _positional(n, _FULL_DIGITS),
    "decimalFullWidth2": lambda n: _positional(n, _FULL_DIGITS),
    "decimalEnclosedCircle": _enclosed(0x2460, 20),
    "decimalEnclosedCircleChinese": _enclosed(0x2460, 20),
    "decimalEnclosedParen": _enclosed(0x2474, 20),
    "decimalEnclosedFullstop": _enclosed(0x2488, 20),
    "ideographEnclosedCircle": _enclosed(0x3220, 10),
    "chineseCounting": lambda n: _counting(n, _CN_DIGITS),
    "taiwaneseCounting": lambda n: _counting(n, _TW_DIGITS),
    "chineseCountingThousand": lambda n: _grouped(n, _SIMPLIFIED),
    "taiwaneseCountingThousand": lambda n: _grouped(n, _SIMPLIFIED),
    "chineseLegalSimplified": lambda n: _grouped(n, _LEGAL_SIMPLIFIED),
    "ideographLegalTraditional": lambda n: _grouped(n, _LEGAL_TRADITIONAL),
    "japaneseCounting": lambda n: _grouped(n, _JAPANESE),
    "ideographDigital": lambda n: _positional(n, _CN_DIGITS),
    "japaneseDigitalTenThousand": lambda n: _positional(n, _CN_DIGITS),
    "taiwaneseDigital": lambda n: _positional(n, _TW_DIGITS),
    "ideographTraditional": _table(_STEMS),
    "ideographZodiac": _table(_BRANCHES),
    "ideographZodiacTraditional": _zodiac_cycle,
    "lowerLetter": lambda n: _letters(n, ord("a")) if n > 0 else None,
    "upperLetter": lambda n: _letters(n, ord("A")) if n > 0 else None,
    "lowerRoman": lambda n: _roman(n).lower() if n > 0 else None,
    "upperRoman": lambda n: _roman(n) if n > 0 else None,
    "numberInDash": lambda n: f"- {n} -",
    "hex": lambda n: f"{n:X}",
    "none": lambda n: "",
}


def format_number(value: int, fmt: str) -> str:
    """One list counter value in a ``w:numFmt`` (decimal for unknown formats or values a
    format has no symbol for, e.g. ⑳ is the last circled number)."""
    convert = _FORMATS.get(fmt)
    if convert is None or value < 0:
        return str(value)
    text = convert(value)
    return str(value) if text is None else text


# ---------------------------------------------------------------------------------------
# Numbering definitions (numbering.xml, styles.xml) as plain data
# ---------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%([1-9])")
_NO_SEPARATOR_AFTER = frozenset("、．.）)：:，,")


@dataclass(frozen=True)
class Level:
    """One ``w:lvl``: how a list level counts and what its number looks like."""

    start: int = 0                 # w:start (the spec's default is 0)
    fmt: str = "decimal"           # w:numFmt
    text: str = ""                 # w:lvlText, with %1..%9 placeholders
    restart: int | None = None     # w:lvlRestart (None: after any shallower level)
    legal: bool = False            # w:isLgl: every placeholder in decimal
    suffix: str = "tab"            # w:suff: tab | space | nothing
    style: str | None = None       # w:pStyle: the paragraph style linked to this level


@dataclass(frozen=True)
class AbstractNum:
    """One ``w:abstractNum``: the levels of a list (or a link to a numbering style)."""

    levels: dict[int, Level] = field(default_factory=dict)
    num_style_link: str | None = None   # w:numStyleLink: take the levels from that style
    style_link: str | None = None       # w:styleLink: this list defines that style


@dataclass(frozen=True)
class Num:
    """One ``w:num``: a list instance paragraphs refer to by ``w:numId``."""

    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)   # lvlOverride/startOverride
    level_overrides: dict[int, Level] = field(default_factory=dict)  # lvlOverride/lvl


@dataclass(frozen=True)
class StyleNumbering:
    """The numbering a style gives its paragraphs, and the style it is based on."""

    num_id: str | None = None
    ilvl: int | None = None
    based_on: str | None = None


@dataclass
class NumberingDefs:
    """Everything needed to number paragraphs: parsed numbering.xml and styles.xml."""

    abstracts: dict[str, AbstractNum] = field(default_factory=dict)
    nums: dict[str, Num] = field(default_factory=dict)
    styles: dict[str, StyleNumbering] = field(default_factory=dict)
    default_style: str | None = None    # the paragraph style of paragraphs naming none

    @classmethod
    def from_xml(cls, numbering: Element | None, styles: Element | None = None) -> NumberingDefs:
        """Parse the root elements of numbering.xml and styles.xml (either may be None)."""
        defs = cls()
        if numbering is not None:
            for el in numbering.iterchildren(_w("abstractNum")):
                defs.abstracts[el.get(_w("abstractNumId"), "")] = _parse_abstract(el)
            for el in numbering.iterchildren(_w("num")):
                num = _parse_num(el, defs.abstracts)
                if num is not None:
                    defs.nums[el.get(_w("numId"), "")] = num
        if styles is not None:
            defs.styles, defs.default_style = _parse_styles(styles)
        return defs


def w_val(el: Element | None, default: str | None = None) -> str | None:
    if el is None:
        return default
    value = el.get(VAL)
    return default if value is None else value.strip()


def to_int(text: str | None, default: int | None = None) -> int | None:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def children_by_tag(el: Element) -> dict[Any, Element]:
    """Each tag's first child: what ``el.find(tag)`` gives, for all tags in one pass (a find
    costs ~8 microseconds with lxml 6, a child visited in a loop well under one)."""
    kids: dict[Any, Element] = {}
    for child in el:
        kids.setdefault(child.tag, child)
    return kids


def is_on(el: Element | None) -> bool:
    """A w:ST_OnOff element: present and not switched off."""
    return el is not None and w_val(el, "true") not in ("0", "false", "off")


def _num_fmt(kids: dict[Any, Element]) -> Element | None:
    """w:numFmt, also when Word 2010+ wrapped it in mc:AlternateContent (use the fallback)."""
    fmt = kids.get(_w("numFmt"))
    if fmt is None:
        alt = kids.get(ALTERNATE)
        if alt is not None:
            fmt = alt.find(f"{{{MC_NS}}}Fallback/{_w('numFmt')}")
    return fmt


def _parse_level(lvl: Element, base: Level | None = None) -> Level:
    """A w:lvl; children it lacks come from ``base`` (an overridden level) or the defaults."""
    base = base or Level()
    kids = children_by_tag(lvl)
    start = to_int(w_val(kids.get(_w("start"))), base.start)
    text_el = kids.get(_w("lvlText"))
    if text_el is None:
        text = base.text
    else:
        null = text_el.get(_w("null")) in ("1", "true", "on")
        text = "" if null else text_el.get(VAL, "")
    restart_el = kids.get(_w("lvlRestart"))
    legal_el = kids.get(_w("isLgl"))
    return Level(
        start=max(0, min(start if start is not None else 0, MAX_COUNTER)),
        fmt=w_val(_num_fmt(kids), base.fmt) or "decimal",
        text=text,
        restart=to_int(w_val(restart_el), base.restart) if restart_el is not None else base.restart,
        legal=is_on(legal_el) if legal_el is not None else base.legal,
        suffix=w_val(kids.get(_w("suff")), base.suffix) or "tab",
        style=w_val(kids.get(PSTYLE), base.style),
    )


def _parse_abstract(el: Element) -> AbstractNum:
    levels = {}
    for lvl in el.iterchildren(_w("lvl")):
        ilvl = to_int(lvl.get(ILVL))
        if ilvl is not None and 0 <= ilvl < LEVELS:
            levels[ilvl] = _parse_level(lvl)
    return AbstractNum(levels, w_val(el.find(_w("numStyleLink"))), w_val(el.find(_w("styleLink"))))


def _parse_num(el: Element, abstracts: dict[str, AbstractNum]) -> Num | None:
    abstract_id = w_val(el.find(_w("abstractNumId")))
    if abstract_id is None:
        return None
    base_levels = abstracts.get(abstract_id, AbstractNum()).levels
    starts: dict[int, int] = {}
    levels: dict[int, Level] = {}
    for override in el.iterchildren(_w("lvlOverride")):
        ilvl = to_int(override.get(ILVL))
        if ilvl is None or not 0 <= ilvl < LEVELS:
            continue
        start = to_int(w_val(override.find(_w("startOverride"))))
        if start is not None:
            starts[ilvl] = max(0, min(start, MAX_COUNTER))
        lvl = override.find(_w("lvl"))
        if lvl is not None:
            levels[ilvl] = _parse_level(lvl, base_levels.get(ilvl))
    return Num(abstract_id, starts, levels)


_NS = {"w": W_NS}
# styles.xml is often large (hundreds of styles, mostly latent); XPath in C finds the few
# facts numbering needs without making a Python proxy for every style.
_STYLES_NUMBERED = etree.XPath("w:style[@w:styleId][w:pPr/w:numPr]", namespaces=_NS)
_STYLES_BASED = etree.XPath("w:style[@w:styleId][w:basedOn[@w:val]]/@w:styleId", namespaces=_NS)
_STYLES_BASE = etree.XPath("w:style[@w:styleId]/w:basedOn[@w:val][1]/@w:val", namespaces=_NS)
_STYLE_DEFAULT = etree.XPath(
    "w:style[@w:type='paragraph'][@w:default='1' or @w:default='true' or @w:default='on']"
    "/@w:styleId", namespaces=_NS)


def _parse_styles(root: Element) -> tuple[dict[str, StyleNumbering], str | None]:
    """Each style's numPr and basedOn (only styles with either are listed), the default."""
    based_on = {str(k): str(v) for k, v in zip(_STYLES_BASED(root), _STYLES_BASE(root))}
    styles = {style_id: StyleNumbering(based_on=base) for style_id, base in based_on.items()}
    for el in _STYLES_NUMBERED(root):
        style_id = el.get(_w("styleId"))
        num_pr = el.find(f"{PPR}/{NUMPR}")
        styles[style_id] = StyleNumbering(w_val(num_pr.find(NUMID)), to_int(w_val(num_pr.find(ILVL))),
                                          based_on.get(style_id))
    defaults = _STYLE_DEFAULT(root)
    return styles, (str(defaults[0]) if defaults else None)


# ---------------------------------------------------------------------------------------
# List counters
# ---------------------------------------------------------------------------------------

def _cjk(ch: str) -> bool:
    return ("\u2460" <= ch <= "\u24ff" or "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
            or "\uff00" <= ch <= "\uffef")


def separator(label: str, suffix: str) -> str:
    """What stands between a number and its paragraph's text in our one-line rendering.

    Word puts a tab (or a space) there; in Chinese numbering ("一、", "（一）", "1.") that is
    just layout, so it becomes nothing; after a bare "1" or "A" a single space keeps the
    number apart from the words.
    """
    if suffix == "nothing" or not label:
        return ""
    last = label[-1]
    return "" if last in _NO_SEPARATOR_AFTER or _cjk(last) else " "


def _bullet(text: str) -> str:
    """A bullet's symbol; Symbol/Wingdings private-use code points read as "•"."""
    return "".join("•" if "\ue000" <= ch <= "\uf8ff" else ch for ch in text)


@dataclass(frozen=True)
class _Template:
    """A level text split at its placeholders: literal text, and level indexes (0..8)."""

    parts: tuple[str | int, ...]
    uses: dict[int, int]          # level index -> how many placeholders name it

    @classmethod
    def parse(cls, text: str) -> _Template:
        pieces = _PLACEHOLDER.split(text)    # literal, digit, literal, digit, ..., literal
        parts: list[str | int] = []
        uses: dict[int, int] = {}
        for at, piece in enumerate(pieces):
            if at % 2:
                index = int(piece) - 1
                parts.append(index)
                uses[index] = uses.get(index, 0) + 1
            elif piece:
                parts.append(piece)
        return cls(tuple(parts), uses)


class ListNumbering:
    """Word's list counters: feed every paragraph in document order, get its number.

    Counters belong to the abstract list, so list instances (``w:num``) sharing one
    ``w:abstractNum`` continue one sequence; an instance with a ``startOverride`` restarts
    that level the first time it is used. Using a level resets the deeper levels (as
    ``w:lvlRestart`` allows). A level that has not been used yet shows its start value.
    """

    def __init__(self, defs: NumberingDefs, budget: TextBudget | None = None):
        self.defs = defs
        self.budget = budget      # spent before each number is built (None: no limit)
        self._templates: dict[str, _Template] = {}
        self._linked: dict[tuple[str, tuple[str, ...]], int] = {}
        self._resets: dict[tuple[str, int], tuple[int, ...]] = {}   # levels that using one restarts
        self._counters: dict[str, list[int | None]] = {}
        self._used: set[str] = set()
        self._abstract_of: dict[str, str | None] = {}
        self._levels: dict[tuple[str, int], Level | None] = {}
        self._style_cache: dict[str | None, tuple[str | None, int | None, tuple[str, ...]]] = {}
        self.count = 0   # paragraphs that got a visible number

    # -- public --------------------------------------------------------------------------

    def label(self, num_id: str | None = None, ilvl: int | None = None,
              style: str | None = None) -> str | None:
        """The number (with separator) of the next paragraph, or None if it has none.

        ``num_id``/``ilvl`` come from the paragraph's own ``w:numPr`` (None when absent),
        ``style`` is its ``w:pStyle`` (None: the default paragraph style).
        """
        resolved = self._resolve(num_id, ilvl, style)
        if resolved is None:
            return None
        num_id, ilvl, abstract = resolved
        counters = self._advance(num_id, ilvl, abstract)
        level = self._level(num_id, ilvl)
        assert level is not None
        if level.fmt == "bullet":
            self._spend(len(level.text))
            text = _bullet(level.text)
        else:
            template = self._template(level.text)
            numbers = {i: self._placeholder(num_id, i, counters, level.legal) for i in template.uses}
            # what the number costs is known before it is built: the level text as written
            # plus each placeholder's number (a lowerLetter counter of 32767 is 1261 letters)
            self._spend(len(level.text) + sum(n * len(numbers[i]) for i, n in template.uses.items()))
            text = "".join(numbers[part] if isinstance(part, int) else part for part in template.parts) \
                if template.uses else level.text
        if text:
            self.count += 1
        return text + separator(text, level.suffix)

    def _spend(self, chars: int) -> None:
        if self.budget is not None:
            self.budget.spend(chars, numbering=True)

    def _template(self, text: str) -> _Template:
        template = self._templates.get(text)
        if template is None:
            template = self._templates[text] = _Template.parse(text)
        return template

    # -- resolution ----------------------------------------------------------------------

    def _resolve(self, num_id: str | None, ilvl: int | None,
                 style: str | None) -> tuple[str, int, str] | None:
        """(numId, level, abstract list) for a paragraph, following its style if needed."""
        style = style or self.defs.default_style
        chain: tuple[str, ...] = ()
        if num_id is None or ilvl is None:
            style_num, style_ilvl, chain = self._style_numbering(style)
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self.defs.nums:
            return None
        abstract = self._abstract(num_id)
        if abstract is None:
            return None
        if ilvl is None:
            ilvl = self._linked_level(abstract, chain)
        if not 0 <= ilvl < LEVELS or self._level(num_id, ilvl) is None:
            return None
        return num_id, ilvl, abstract

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None, tuple[str, ...]]:
        """numId and ilvl a paragraph style gives (through its basedOn chain), and the chain."""
        if style in self._style_cache:
            return self._style_cache[style]
        num_id = ilvl = None
        chain: list[str] = []
        current = style
        while current is not None and current not in chain and len(chain) < 32:
            chain.append(current)
            info = self.defs.styles.get(current)
            if info is None:
                break
            num_id = num_id if num_id is not None else info.num_id
            ilvl = ilvl if ilvl is not None else info.ilvl
            current = info.based_on
        result = (num_id, ilvl, tuple(chain))
        self._style_cache[style] = result
        return result

    def _linked_level(self, abstract: str, chain: tuple[str, ...]) -> int:
        """The level whose w:pStyle names the paragraph's style (or a style it is based on)."""
        key = (abstract, chain)
        found = self._linked.get(key)
        if found is None:   # once per list and style: up to 32 styles x 9 levels
            levels = self.defs.abstracts[abstract].levels
            by_style: dict[str, int] = {}
            for ilvl, level in sorted(levels.items(), reverse=True):
                if level.style is not None:
                    by_style[level.style] = ilvl       # the shallowest level naming a style wins
            found = self._linked[key] = next((by_style[s] for s in chain if s in by_style), 0)
        return found

    def _abstract(self, num_id: str) -> str | None:
        """The abstract list that holds the levels, following w:numStyleLink."""
        if num_id not in self._abstract_of:
            abstract: str | None = self.defs.nums[num_id].abstract
            for _ in range(8):
                entry = self.defs.abstracts.get(abstract or "")
                if entry is None:
                    abstract = None
                    break
                if entry.num_style_link is None:
                    break
                linked = self._style_numbering(entry.num_style_link)[0]
                num = self.defs.nums.get(linked or "")
                if num is None or num.abstract == abstract:
                    break
                abstract = num.abstract
            self._abstract_of[num_id] = abstract
        return self._abstract_of[num_id]

    def _level(self, num_id: str, ilvl: int) -> Level | None:
        """The effective level definition of a list instance (overrides applied)."""
        key = (num_id, ilvl)
        if key not in self._levels:
            num = self.defs.nums[num_id]
            abstract = self._abstract(num_id)
            level = num.level_overrides.get(ilvl)
            if level is None and abstract is not None:
                level = self.defs.abstracts[abstract].levels.get(ilvl)
            if level is not None and ilvl in num.start_overrides:
                level = replace(level, start=num.start_overrides[ilvl])
            self._levels[key] = level
        return self._levels[key]

    # -- counting ------------------------------------------------------------------------

    def _advance(self, num_id: str, ilvl: int, abstract: str) -> list[int | None]:
        counters = self._counters.setdefault(abstract, [None] * LEVELS)
        if num_id not in self._used:
            self._used.add(num_id)
            for overridden in self.defs.nums[num_id].start_overrides:
                counters[overridden] = None
        current = counters[ilvl]
        level = self._level(num_id, ilvl)
        assert level is not None
        counters[ilvl] = level.start if current is None else min(current + 1, 10 * MAX_COUNTER)
        resets = self._resets.get((num_id, ilvl))
        if resets is None:
            resets = self._resets[(num_id, ilvl)] = tuple(
                deeper for deeper in range(ilvl + 1, LEVELS) if self._restarts(num_id, deeper, ilvl))
        for deeper in resets:
            counters[deeper] = None
        return counters

    def _restarts(self, num_id: str, deeper: int, used: int) -> bool:
        """Does using level ``used`` restart level ``deeper`` (w:lvlRestart)?"""
        level = self._level(num_id, deeper)
        restart = level.restart if level is not None else None
        if restart is None or restart - 1 >= deeper:
            return True
        return restart != 0 and used < restart

    def _placeholder(self, num_id: str, ilvl: int, counters: list[int | None], legal: bool) -> str:
        level = self._level(num_id, ilvl)
        if level is None:
            return ""
        value = counters[ilvl]
        value = level.start if value is None else value
        if level.fmt in ("none", "bullet"):
            return ""
        return format_number(value, "decimal" if legal else level.fmt)
