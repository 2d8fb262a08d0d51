"""Opening: a PDF's bytes -> a pypdf reader with its pages listed, or the finding why not.

Receives the bytes of the file; returns a :class:`pypdf.PdfReader` (decrypted with the empty
user password where only an owner password is set), or raises SourceError: ``damaged`` (no
PDF header, an unparsable file, a broken page tree, no pages: a file that lost its end says
so), ``encrypted`` (a password needed to open, an unsupported handler) or ``too_complex``
(more objects or pages than :mod:`.budget` allows, found before pypdf lists them all).
:func:`_quiet` silences pypdf's logging and warnings while the document is read.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pypdf
from pypdf import PasswordType

from checker.sources import SourceError
from checker.sources.pdf.budget import MAX_OBJECTS, MAX_PAGES, _figure
from checker.sources.pdf.objects import _FATAL, _get, _ref_key


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence pypdf: it logs repaired damage through the "pypdf.*" loggers and warns."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # child loggers ("pypdf._reader") inherit it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _open(data: bytes) -> pypdf.PdfReader:
    if not data:
        raise SourceError("damaged", "文件为空（0 字节）")
    if b"%PDF-" not in data[:1024]:
        raise SourceError("damaged", _what_instead(data))
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except _FATAL:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        detail = "PDF 文件不完整（缺少文件结尾，可能下载未完成）" if _truncated(data) \
            else "PDF 结构无法解析（文件已损坏）"
        raise SourceError("damaged", detail) from None
    objects = sum(map(len, getattr(reader, "xref", {}).values())) + len(getattr(reader, "xref_objStm", ()))
    if objects > MAX_OBJECTS:
        raise SourceError("too_complex", f"PDF 中的对象超过 {_figure(MAX_OBJECTS, '个')}")
    if reader.is_encrypted:
        _decrypt(reader)
    _check_page_tree(reader)
    try:
        count = len(reader.pages)
    except _FATAL:
        raise
    except Exception:  # noqa: BLE001 - a broken page tree
        raise SourceError("damaged", "PDF 页面目录无法解析（文件不完整或已损坏）") from None
    if count == 0:
        raise SourceError("damaged", "PDF 中没有页面")
    return reader


def _check_page_tree(reader: pypdf.PdfReader) -> None:
    """Stop at more than :data:`MAX_PAGES` pages before pypdf lists them all.

    pypdf resolves every page object of the tree to count the pages: minutes for the million
    page objects that a few MB of compressed object streams hold. Here the tree is walked
    until it has shown more pages than allowed (a broken tree is left to pypdf to report).
    """
    try:
        stack = [reader.trailer["/Root"]["/Pages"]]
    except _FATAL:
        raise
    except Exception:  # noqa: BLE001 - pypdf says what is wrong with it, below
        return
    seen: set[object] = set()
    pages = 0
    while stack:
        node = stack.pop()
        try:
            kids = _get(node, "/Kids")
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - not a page tree node
            kids = None
        if not isinstance(kids, list):
            pages += 1
            if pages <= MAX_PAGES:
                continue
        elif len(seen) + len(kids) <= 2 * MAX_PAGES:   # (pages, and the nodes above them)
            for kid in kids:
                if _ref_key(kid) not in seen:
                    seen.add(_ref_key(kid))
                    try:
                        stack.append(kid.get_object())
                    except _FATAL:
                        raise
                    except Exception:  # noqa: BLE001 - a broken page: pypdf's to report
                        pass
            continue
        raise SourceError("too_complex", f"PDF 页数超过 {MAX_PAGES} 页的上限")


def _decrypt(reader: pypdf.PdfReader) -> None:
    """Open with the empty user password (owner-password-only PDFs), or report encryption."""
    try:
        result = reader.decrypt("")
    except _FATAL:
        raise
    except Exception:  # noqa: BLE001 - unsupported handler (certificates), no AES support, ...
        raise SourceError("encrypted", "使用了无法处理的加密方式（如证书加密）") from None
    if result == PasswordType.NOT_DECRYPTED:
        raise SourceError("encrypted", "需要打开密码")


def _what_instead(data: bytes) -> str:
    head = data[:512].lstrip()
    if head.startswith(b"PK\x03\x04"):
        return "不是 PDF 文件，实为 ZIP 压缩包或 Office 文档（如 .docx）"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "不是 PDF 文件，实为旧版 Office 文档（如 .doc）"
    if head[:100].lower().lstrip(b"\xef\xbb\xbf").startswith((b"<!doctype html", b"<html")):
        return "不是 PDF 文件，实为网页（HTML）"
    return "不是 PDF 文件（缺少 %PDF 文件头）"


def _truncated(data: bytes) -> bool:
    return b"%%EOF" not in data[-2048:]
