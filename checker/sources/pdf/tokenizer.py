"""Content streams: operators and their operands (a part of reading pieces, :mod:`.content`).

Receives the decoded bytes of a content stream; returns its operations that place text, as
(operands, operator) in order, or raises ValueError where pypdf would reject the syntax.

pypdf's ContentStream parser reads a byte at a time: about 1 MB/s (a third of that for TJ
arrays), three quarters of the time of reading a normal PDF. This tokenizer reads the same
syntax with one regular expression per token, several times faster, and keeps only the
operators that place text (:data:`_PAINTED`), with the operands pypdf gives them with
forced_encoding="bytes": strings as bytes, names as str ("/F1"), numbers as int or float,
arrays as lists, dictionaries as dicts. What pypdf rejects (an unterminated string, a bad
hex digit, a stray delimiter) raises ValueError: the page is one that failed to parse, as
before. (One regular expression for a whole operator with its operands was tried: Python's
re keeps state for every repetition, hundreds of MB for a long run of operands.)
"""

from __future__ import annotations

import re

from pypdf.generic import NameObject

_PAINTED = frozenset((b"Tj", b"TJ", b"'", b'"', b"Tm", b"Td", b"TD", b"T*", b"Tf", b"BT", b"q", b"Q", b"cm",
                      b"Tc", b"Tw", b"Tz", b"TL", b"Do"))
MAX_OPERANDS = 6   # the painter reads at most this many operands of an operator (Tm, cm)
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_TOKEN = re.compile(
    rb"[\x00\t\n\x0c\r ]*"                                   # white space
    rb"(?:([A-Za-z'\"]" + _REGULAR + rb"*)"                   # 1 operator (or true, false, null)
    rb"|/(" + _REGULAR + rb"*)"                                # 2 name
    rb"|([+,\-.0-9]+)"                                         # 3 number (as pypdf reads it)
    rb"|(\()"                                                  # 4 literal string
    rb"|(<<)"                                                  # 5 dictionary
    rb"|<([0-9A-Fa-f\x00\t\n\x0c\r ]*)(>?)"                    # 6, 7 hex string, its end
    rb"|(\[)|(\])|(>>)"                                        # 8, 9, 10
    rb"|(%[^\r\n]*)"                                           # 11 a comment
    rb"|(.)|\Z)", re.S)                                        # 12 anything else; the end
_STRING_STOP = re.compile(rb"[()\\]")
_HEX_SPACE = re.compile(rb"[\x00\t\n\x0c\r ]")
_ESCAPES = {ord(k): v for k, v in zip("nrtbf()/\\ %<>[]#_&$", b"\n\r\t\b\f()/\\ %<>[]#_&$")}
_OCTAL = re.compile(rb"[0-7]{1,3}")
_KEYWORDS = {b"true": True, b"false": False, b"null": None}
_INLINE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|\Z)")
_INLINE_EI = re.compile(rb"[\x00\t\n\x0c\r ]*EI(?=[\x00\t\n\x0c\r ]|\Z)")
_BINARY = re.compile(rb"[\x01-\x08\x0b\x0e-\x1f]")   # control bytes other than white space
_NO_END = object()
_BARE = {op: ((), op) for op in _PAINTED}   # (one shared tuple for each operator without operands)


def _operations(data: bytes) -> list[tuple[list, bytes]]:
    """The operations of a content stream that place text: (operands, operator) in order.

    Every token takes at least one byte, so the work is linear in the bytes (which the
    budget counts); the operands of other operators are dropped as soon as those are read.
    """
    out: list[tuple[list, bytes]] = []
    operands: list = []
    match = _TOKEN.match
    pos = 0
    while True:
        m = match(data, pos)
        kind = m.lastindex
        if kind is None:   # the end
            return out
        pos = m.end()
        if kind == 3:
            token = m.group(3)
            try:
                operands.append(float(token) if b"." in token else int(token))
            except ValueError:
                operands.append(_numeral(token))
        elif kind == 1:
            bare = _BARE.get(m.group(1))
            if bare is None:
                if m.group(1) == b"BI":
                    pos = _inline_image(data, pos)
            elif operands:
                out.append((operands[:MAX_OPERANDS] if len(operands) > MAX_OPERANDS else operands, bare[1]))
            else:
                out.append(bare)
            operands = []
        elif kind == 11:   # a comment
            continue
        else:
            value, pos = _value(data, m)
            operands.append(value)


def _object(data: bytes, pos: int, top: bool = False):
    """(the object at ``pos``, the position after it): ``_NO_END`` at the end of the stream;
    with ``top``, an operator is returned as :class:`_Operator` (else it is an error)."""
    m = _match(data, pos)
    if m.lastindex is None:
        return _NO_END, m.end()
    if m.lastindex == 1 and top:
        return _Operator(m.group(1)), m.end()
    return _value(data, m)


def _match(data: bytes, pos: int) -> re.Match:
    """The next token at ``pos`` that is not a comment."""
    m = _TOKEN.match(data, pos)
    while m.lastindex == 11:
        m = _TOKEN.match(data, m.end())
    return m


class _Operator(bytes):
    """An operator read where an operand could be (the settings of an inline image)."""


def _value(data: bytes, m: re.Match):
    """(the operand that token ``m`` starts, the position after it)."""
    kind = m.lastindex
    pos = m.end()
    if kind == 3:
        return _numeral(m.group(3)), pos
    if kind == 2:
        return _name(m.group(2)), pos
    if kind == 4:
        return _literal(data, pos)
    if kind == 7 or kind == 6:
        if not m.group(7):
            raise ValueError("an unterminated hex string")
        digits = _HEX_SPACE.sub(b"", m.group(6))
        return bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode()), pos
    if kind == 8:
        return _array(data, pos)
    if kind == 5:
        return _dictionary(data, pos)
    if kind == 1 and m.group(1) in _KEYWORDS:
        return _KEYWORDS[m.group(1)], pos
    raise ValueError(f"an unexpected {m.group(kind)[:20]!r} in a content stream")


def _numeral(token: bytes) -> int | float:
    try:
        return float(token) if b"." in token else int(token)
    except ValueError:   # "1.2.3", "+-": pypdf reads 0
        return 0.0 if b"." in token else 0


def _name(token: bytes) -> str:
    """A name as pypdf decodes it (#xx escapes; UTF-8, else GBK, else Latin-1)."""
    if b"#" in token:
        token = NameObject.unnumber(token)
    for codec in ("utf-8", "gbk"):
        try:
            return "/" + token.decode(codec)
        except UnicodeDecodeError:
            pass
    return "/" + token.decode("latin-1")


def _literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """A (literal string) from after its "(": its bytes, the position after its ")"."""
    depth = 1
    out = bytearray()
    while True:
        m = _STRING_STOP.search(data, pos)
        if m is None:
            raise ValueError("an unterminated string")
        at = m.start()
        out += data[pos:at]
        char = data[at]
        pos = at + 1
        if char == 0x29:   # )
            depth -= 1
            if not depth:
                return bytes(out), pos
            out.append(char)
        elif char == 0x28:   # (
            depth += 1
            out.append(char)
        elif pos < len(data):   # a backslash and what it escapes
            code = data[pos]
            pos += 1
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
            elif 0x30 <= code <= 0x37:
                digits = _OCTAL.match(data, pos - 1).group(0)
                if int(digits, 8) > 255:   # pypdf keeps the backslash, then reads the digits
                    out.append(0x5C)
                    pos -= 1
                else:
                    out.append(int(digits, 8))
                    pos += len(digits) - 1
            elif code in (0x0A, 0x0D):   # an escaped line break is no character
                if pos < len(data) and data[pos] in (0x0A, 0x0D):
                    pos += 1
            else:   # an unknown escape: pypdf keeps the backslash and the character
                out += bytes((0x5C, code))
        else:
            raise ValueError("an unterminated string")


def _array(data: bytes, pos: int) -> tuple[list, int]:
    """An [array] from after its "[" (to the end of the stream if unterminated, as pypdf)."""
    items: list = []
    match = _TOKEN.match
    while True:
        m = match(data, pos)
        kind = m.lastindex
        pos = m.end()
        if kind == 3:   # the common cases first: a number, a string
            token = m.group(3)
            try:
                items.append(float(token) if b"." in token else int(token))
            except ValueError:
                items.append(_numeral(token))
        elif kind == 4:
            text, pos = _literal(data, pos)
            items.append(text)
        elif kind is None or kind == 9:   # the end of the stream, or of the array
            return items, pos
        elif kind != 11:   # (a comment)
            value, pos = _value(data, m)
            items.append(value)


def _dictionary(data: bytes, pos: int) -> tuple[dict, int]:
    """A <<dictionary>> from after its "<<"."""
    out: dict = {}
    while True:
        m = _match(data, pos)
        if m.lastindex == 10:
            return out, m.end()
        if m.lastindex != 2:
            raise ValueError("a dictionary key that is not a name")
        value, pos = _object(data, m.end())
        if value is _NO_END:
            raise ValueError("an unterminated dictionary")
        out[_name(m.group(2))] = value


def _inline_image(data: bytes, pos: int) -> int:
    """Skip an inline image (after its BI): the position after its EI.

    Its settings run up to the operator ID, one white-space byte, then the image data: of
    the length /L (/Length) gives, or of the size /W, /H, /BPC and the colour space give
    when it is not compressed, or else up to the first "EI" between white space that is
    followed by what looks like content (no control bytes in the next ten, as pypdf decides).
    """
    settings: dict = {}
    while True:
        key, pos = _object(data, pos, True)
        if key is _NO_END:
            raise ValueError("an inline image without ID")
        if type(key) is _Operator:
            if key == b"ID":
                break
            raise ValueError(f"an inline image with {bytes(key[:20])!r}")
        value, pos = _object(data, pos)
        if value is _NO_END or not isinstance(key, str):
            raise ValueError("a broken inline image")
        settings[key] = value
    pos += 1   # the white space after ID
    length = _inline_length(settings)
    if length is not None:
        m = _INLINE_EI.match(data, pos + length)
        if m:
            return m.end()
    at = pos - 1
    while True:
        m = _INLINE_END.search(data, at)
        if m is None:
            raise ValueError("an inline image without EI")
        if not _BINARY.search(data, m.end(), m.end() + 10):   # (pypdf's test: no control bytes)
            return m.end()
        at = m.end() - 1


_COLOURS = {"/G": 1, "/DeviceGray": 1, "/RGB": 3, "/DeviceRGB": 3, "/CMYK": 4, "/DeviceCMYK": 4,
            "/I": 1, "/Indexed": 1}


def _inline_length(settings: dict) -> int | None:
    """The byte length of an inline image's data, where the settings tell it."""
    given = settings.get("/L", settings.get("/Length"))
    if isinstance(given, int) and not isinstance(given, bool) and given >= 0:
        return given
    if settings.get("/F", settings.get("/Filter")) not in (None, []):
        return None
    width, height = settings.get("/W", settings.get("/Width")), settings.get("/H", settings.get("/Height"))
    bits = settings.get("/BPC", settings.get("/BitsPerComponent", 8))
    if settings.get("/IM", settings.get("/ImageMask")) is True:
        bits, colours = 1, 1
    else:
        space = settings.get("/CS", settings.get("/ColorSpace", "/G"))
        colours = _COLOURS.get(space[0] if isinstance(space, list) and space else space)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height, bits)) \
            or colours is None:
        return None
    return height * ((width * colours * bits + 7) // 8)
