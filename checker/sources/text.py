"""Plain-text and Markdown reader: bytes -> str without guessing silently.

Order: a BOM decides (UTF-8, UTF-16); else strict UTF-8; else strict GB18030 (a superset of
GBK and GB2312), accepted only if the result looks like Chinese text. GB18030 accepts almost
any byte sequence, so Big5 or BOM-less UTF-16 bytes would "decode" into rare characters and
symbols without an error; such a result is refused with a message saying what the bytes
probably are, rather than checked as garbage. Nothing is decoded with errors ignored.

In Markdown, HTML comments are not report text: they are replaced by spaces (line breaks
kept, so positions stay those of the file), and ``<!-- fzlint: disable=... -->`` comments
become the source's :class:`checker.suppress.Suppressions`. In .txt files they are text.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from checker.sources import Source, SourceError

# Characters a GB18030 decode of real Chinese text is made of: ASCII, CJK punctuation and
# full-width forms, general punctuation, and the Hanzi of GB2312 or their traditional forms
# (checked per character).
_COMMON = re.compile(r"[\x00-\x7f\u3000-\u303f\uff00-\uffef\u2000-\u206f\u00b7\u00d7\u2460-\u24ff]+")
_HAN = "[\u4e00-\u9fff]"     # compiled where used (a class this wide takes ~2 ms to compile)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding label) or SourceError('undecodable')."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", "utf-8-sig", skipped=3)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16")
    if b"\x00" in data:
        raise SourceError("undecodable", _nul_detail(data))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        # byte offsets are 1-based, as a hex editor's "byte N" is read; both are named, as the
        # file may be either encoding with a few bad bytes
        raise SourceError("undecodable", f"既不是 UTF-8（第 {utf8_error + 1} 字节无效）"
                                         f"也不是 GB18030（第 {exc.start + 1} 字节无效）") from None
    if not plausible_chinese(text):
        raise SourceError("undecodable", "按 GB18030 解码得到的多是生僻字和符号，疑似 Big5 等其他编码；"
                                         "请另存为 UTF-8")
    return text, "gb18030"


def plausible_chinese(text: str) -> bool:
    """Does a GB18030 decoding look like Chinese prose rather than mis-decoded bytes?"""
    rest = _COMMON.sub("", text)
    if len(rest) < 8:
        return True
    good = 0
    seen: dict[str, bool] = {}
    for ch in rest:
        ok = seen.get(ch)
        if ok is None:
            ok = seen[ch] = common_hanzi(ch)
        good += ok
    return good >= 0.8 * len(rest)


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    from checker._t2s import PAIRS

    return frozenset(PAIRS[0::2])


def common_hanzi(ch: str) -> bool:
    """Is ``ch`` a Hanzi of GB2312 or the traditional form of one (what real Chinese text is
    made of; mis-decoded bytes give rare characters)? Also used to judge decoded file names."""
    if not "\u4e00" <= ch <= "\u9fff":
        return False
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return ch in _traditional()
    return True


def _nul_detail(data: bytes) -> str:
    """Say what bytes with NULs probably are: BOM-less UTF-16 Chinese text, or binary."""
    head = data[: 1 << 16]
    head = head[: len(head) - len(head) % 2]
    for codec, label in (("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and re.search(_HAN, text) and plausible_chinese(text):
            return f"疑似不带 BOM 的 {label} 编码；请另存为 UTF-8（或带 BOM 的 UTF-16）"
    where = f"第 {data.index(0) + 1} 字节"
    try:
        data.replace(b"\x00", b"").decode("utf-8")
    except UnicodeDecodeError:
        return f"含有 NUL 字节（{where}），疑似二进制文件"
    return f"UTF-8 文本中夹杂 NUL 字节（{where}），请删除这些空字符后另存"


def _strict(data: bytes, codec: str, label: str, skipped: int = 0) -> tuple[str, str]:
    try:
        return data.decode(codec), label
    except UnicodeDecodeError as exc:   # the byte counted in the file, BOM included, from 1
        raise SourceError("undecodable", f"{label} 解码失败（第 {skipped + exc.start + 1} 字节无效）") from None


def read_text(data: bytes, display: str) -> Source:
    """A .txt file as it is."""
    text, encoding = decode(data)
    return Source(display, text, encoding, "txt")


def read_markdown(data: bytes, display: str) -> Source:
    """A .md file with its HTML comments blanked (they are not report text) and its
    ``<!-- fzlint: ... -->`` directives parsed (see :mod:`checker.suppress`)."""
    text, encoding = decode(data)
    if "<!--" not in text:
        return Source(display, text, encoding, "md")
    from checker import suppress

    blanked, comments = suppress.blank_comments(text)
    directives = suppress.parse(text, blanked)
    note = f"略去 {comments} 个 HTML 注释" if comments else ""
    return Source(display, blanked, encoding, "md", note=note,
                  suppressions=directives if directives or directives.problems else None)
