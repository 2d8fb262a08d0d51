"""Plain-text and Markdown reader: bytes -> str without guessing silently.

Order: a BOM decides (UTF-8, UTF-16); else strict UTF-8; else strict GB18030. Nothing is
decoded with errors ignored. Bytes that are neither (or contain NUL bytes without a UTF-16
BOM, i.e. a binary file) raise ``SourceError('undecodable')``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from checker.sources import Source, SourceError


def decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16")
    if b"\x00" in data:
        raise SourceError("undecodable", "含有 NUL 字节，疑似二进制文件")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise SourceError("undecodable", f"既不是 UTF-8 也不是 GB18030（第 {exc.start} 字节）") from None


def _strict(data: bytes, codec: str, label: str) -> tuple[str, str]:
    try:
        return data.decode(codec), label
    except UnicodeDecodeError as exc:
        raise SourceError("undecodable", f"{label} 解码失败（第 {exc.start} 字节）") from None


def read_text_file(path: Path, display: str) -> Source:
    try:
        with open(path, "rb") as fh:  # read-only: fzlint never writes checked files
            data = fh.read()
    except FileNotFoundError:
        raise SourceError("unreadable", "文件不存在") from None
    except PermissionError:
        raise SourceError("unreadable", "没有读取权限") from None
    except IsADirectoryError:
        raise SourceError("unreadable", "这是目录而不是文件") from None
    except OSError as exc:
        raise SourceError("unreadable", exc.strerror or str(exc)) from None
    text, encoding = decode(data)
    fmt = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return Source(display, text, encoding, fmt)
