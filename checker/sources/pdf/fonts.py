"""Fonts: how a font's strings become characters and advances (a part of reading pieces).

Receives a font dictionary (:class:`_Font`) and then the bytes of the strings shown in it;
returns, for each code, its text, its advance in em and whether word spacing widens it.
Also the guessed width of text in em (:func:`_em`: half-width characters ½, all others 1),
which the line and paragraph stages use too.
"""

from __future__ import annotations

import re

from pypdf.generic import StreamObject

try:  # the fonts' encodings and Unicode maps, as pypdf's own text extraction decodes them
    from pypdf._cmap import get_encoding as _pypdf_encoding
except ImportError:  # pragma: no cover - early pypdf 5
    from pypdf._cmap import build_char_map_from_dict

    def _pypdf_encoding(font):
        return build_char_map_from_dict(200.0, font)[2:]

from checker.sources.pdf.objects import _FATAL, _get, _number, _resolve

# Characters about half an em wide; everything else (CJK, full-width forms) counts as one em.
_HALF = re.compile(r"[\x20-\x7e\u00a0-\u00af\uff61-\uff9f]")


class _Font:
    """How a font's strings become characters and advances (in em, i.e. per 1 pt of size).

    Codes are decoded as pypdf's own text extraction decodes them (its reading of the font's
    encoding and /ToUnicode map); the advances come from the font dictionary: /Widths from
    /FirstChar (x /FontMatrix for Type 3 fonts) for simple fonts, /W and /DW for composite
    fonts whose codes are CIDs (Identity-H/V). For the Unicode CMaps of the Adobe CJK
    collections (UniGB-UCS2-H, ...: reportlab's CID fonts) printable ASCII is CIDs 1-95 and
    the rest takes /DW. Where the font does not tell (standard 14 fonts without /Widths,
    other CMaps) a character is guessed at half an em when half-width, else one em.
    """

    __slots__ = ("table", "step", "codec", "umap", "widths", "default", "cids", "cache")

    def __init__(self, d=None) -> None:
        self.table: list[tuple[str, float, bool]] | None = None  # (text, advance, space) by byte
        self.step = 1            # bytes per code (1 or 2); 0: a multi-byte codec (GBK, Big5, ...)
        self.codec = ""
        self.umap: dict = {}
        self.widths: dict[int, float] = {}
        self.default = 1.0
        self.cids = ""           # codes to CIDs for /W: "identity", "ascii" (Unicode CMaps), ""
        self.cache: dict[int, tuple[str, float, bool]] = {}
        if d is None:  # a font the page does not define: nothing decodable
            self.table = [("\ufffd", 0.5, b == 32) for b in range(256)]
            return
        try:
            encoding, self.umap = _pypdf_encoding(d)
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - a broken encoding or /ToUnicode: codes as Latin-1
            encoding = {}
        if _get(d, "/Subtype") == "/Type0":
            self._composite(d, encoding)
        else:
            self._simple(d, encoding)

    def _simple(self, d, encoding) -> None:
        scale = 0.001
        if _get(d, "/Subtype") == "/Type3":
            scale = _number((_get(d, "/FontMatrix") or [0.001])[0], 0.001)
        widths = _get(d, "/Widths")
        first = int(_number(_get(d, "/FirstChar"), 0))
        known: dict[int, float] = {}
        if isinstance(widths, list):
            known = {first + i: _number(w, 0.0) * scale for i, w in enumerate(widths[:256])}
        missing = _number(_get(_get(d, "/FontDescriptor") or {}, "/MissingWidth"), -1.0)
        umap = self.umap
        table = []
        for code in range(256):
            raw = encoding.get(code, chr(code)) if isinstance(encoding, dict) else chr(code)
            text = umap[raw] if raw in umap else "".join(umap.get(c, c) for c in raw)
            width = known.get(code, missing * scale)
            table.append((text, width if width >= 0 else _em(text), code == 32))
        self.table = table

    def _composite(self, d, encoding) -> None:
        self.step = 2
        name = _get(d, "/Encoding")
        if isinstance(encoding, str) and encoding != "utf-16-be":
            self.step, self.codec = 0, encoding
        elif isinstance(name, StreamObject):
            self.step = _code_bytes(name)  # an embedded CMap: codes of its length, CIDs unknown
        cid_font = _resolve((_get(d, "/DescendantFonts") or [None])[0])
        if not hasattr(cid_font, "get"):
            return
        self.default = _number(_get(cid_font, "/DW"), 1000) / 1000
        if name in ("/Identity-H", "/Identity-V"):
            self.cids = "identity"
        elif isinstance(name, str) and ("-UCS2-" in name or "-UTF16-" in name):
            self.cids = "ascii"
        if self.cids:
            self.widths = _cid_widths(_get(cid_font, "/W"))

    def glyphs(self, data: bytes) -> list[tuple[str, float, bool]]:
        """(text, advance in em, a 1-byte space that word spacing widens) for each code."""
        if self.table is not None:
            table = self.table
            return [table[b] for b in data]
        if self.step == 2:
            cache = self.cache
            out = []
            for i in range(0, len(data) - 1, 2):
                code = data[i] << 8 | data[i + 1]
                glyph = cache.get(code)
                if glyph is None:
                    glyph = cache[code] = self._code(code)
                out.append(glyph)
            if len(data) % 2:
                out.append(("\ufffd", self.default, False))
            return out
        if self.step == 1:
            return [self._code(b) for b in data]
        umap = self.umap
        return [(umap.get(c, c), _em(c) * self.default, False)
                for c in data.decode(self.codec, "replace")]

    def _code(self, code: int) -> tuple[str, float, bool]:
        char = chr(code)
        text = self.umap.get(char)
        if text is None:
            text = "\ufffd" if 0xD800 <= code <= 0xDFFF else char
        if self.cids == "identity":
            width = self.widths.get(code, self.default)
        elif self.cids == "ascii":
            width = self.widths.get(code - 31, 0.5) if 32 <= code < 127 else self.default
        else:
            width = _em(text) * self.default
        return text, width, False


_NO_FONT = _Font()


def _code_bytes(cmap) -> int:
    """Bytes per code of an embedded CMap (its first codespace range), 2 if unreadable."""
    try:
        m = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", cmap.get_data())
        return max(1, min(2, len(m.group(1)) // 2)) if m else 2
    except _FATAL:
        raise
    except Exception:  # noqa: BLE001
        return 2


def _cid_widths(w) -> dict[int, float]:
    """A /W array (``c [w1 w2 ...]`` and ``c_first c_last w``) as CID -> width in em."""
    out: dict[int, float] = {}
    if not isinstance(w, list):
        return out
    items = [_resolve(v) for v in w]
    budget = 0x10000  # CIDs are 16-bit: more entries than that is a broken array
    i = 0
    while i + 1 < len(items) and budget > 0:
        first = int(_number(items[i], 0))
        if isinstance(items[i + 1], list):
            for k, v in enumerate(items[i + 1][:budget]):
                out[first + k] = _number(v, 1000) / 1000
            budget -= len(items[i + 1])
            i += 2
        elif i + 2 < len(items):
            last = min(int(_number(items[i + 1], -1)), first + budget - 1)
            width = _number(items[i + 2], 1000) / 1000
            for cid in range(first, last + 1):
                out[cid] = width
            budget -= max(1, last - first + 1)
            i += 3
        else:
            break
    return out


def _em(text: str) -> float:
    """Width of ``text`` in em, guessed: half-width characters ½, all others 1."""
    half = sum(map(len, _HALF.findall(text)))
    return len(text) - half / 2
