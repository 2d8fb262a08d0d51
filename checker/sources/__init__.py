"""Read stage: one reader per file format, each turning bytes into a :class:`Source`.

A reader gets the file's bytes and its name and returns the text later stages parse, one
line per line of the report as a reader sees it (a Word paragraph, a PDF text line, an HTML
block), plus ``places``: for formats whose lines are not the file's own lines, where each line
is in the original ("第3页第5行", "第12段"), so diagnostics can point at something the user can
find. Heavy libraries are imported by their reader only, so plain-text runs never pay for them.

Reading the bytes happens here, once, for every format: files are opened for reading only
(fzlint never writes to the files it checks), and standard input goes through the same readers.
"""

from __future__ import annotations

import errno
import importlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checker.fileio import NotRegular, TooLarge, read_regular

if TYPE_CHECKING:
    from checker.suppress import Suppressions

__all__ = ["Source", "SourceError", "supported", "read", "read_bytes"]


@dataclass(frozen=True, slots=True)
class Source:
    path: str                 # as the user named it (for diagnostics)
    text: str                 # the text fzlint checks; diagnostics count its lines
    encoding: str             # what decoded the bytes: "utf-8", "gb18030", "docx", ...
    format: str               # "txt", "md", "docx", "pdf", "html"
    places: Sequence[str | None] | None = None   # places[i]: where line i+1 is in the original
    note: str = ""            # what the reader did, for --verbose (pages, paragraphs, ...)
    suppressions: Suppressions | None = None   # .md: the <!-- fzlint: ... --> directives

    def place(self, line: int) -> str | None:
        if self.places is None or not 1 <= line <= len(self.places):
            return None
        return self.places[line - 1]


class SourceError(Exception):
    """The file cannot be turned into text. ``problem`` names an FZ9xx problem kind."""

    def __init__(self, problem: str, detail: str = ""):
        super().__init__(problem, detail)
        self.problem = problem
        self.detail = detail


Reader = Callable[[bytes, str], Source]

# suffix -> (module in checker.sources, function): imported on first use.
_FORMATS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "read_text"),
    ".md": ("text", "read_text"),
    ".markdown": ("text", "read_text"),
    ".docx": ("docx", "read_docx"),
    ".pdf": ("pdf", "read_pdf"),
    ".html": ("html", "read_html"),
    ".htm": ("html", "read_html"),
}


def supported(path: Path | str) -> bool:
    name = os.path.basename(path)
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:].lower() in _FORMATS   # as Path(path).suffix


def _reader(suffix: str) -> Reader:
    module, func = _FORMATS[suffix]
    return getattr(importlib.import_module(f"checker.sources.{module}"), func)


DEFAULT_MAX_BYTES = 20 * 1024 * 1024   # reports are KB to a few MB; PDFs with scans can be more


def read_bytes(data: bytes, display: str, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Source:
    """Turn the bytes of a file named ``display`` (its suffix picks the reader) into text."""
    suffix = Path(display).suffix.lower()
    if suffix not in _FORMATS:
        raise SourceError("unsupported_format", suffix or "(无扩展名)")
    if max_bytes is not None and len(data) > max_bytes:
        raise SourceError("too_large", _too_large(len(data), max_bytes))
    return _reader(suffix)(data, display)


def read(path: Path, display: str | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Source:
    """Read a file (for reading only: fzlint never writes checked files) and turn it into text.

    Only regular files are read (checked on the opened file: a FIFO or a device would block or
    never end), and a file larger than ``max_bytes`` is not read at all (checker/fileio.py).
    """
    display = display if display is not None else str(path)
    if path.suffix.lower() not in _FORMATS:
        raise SourceError("unsupported_format", path.suffix or "(无扩展名)")
    try:
        data = read_regular(path, max_bytes)
    except NotRegular as exc:
        raise SourceError("unreadable", "这是目录而不是文件" if exc.is_dir
                          else "不是普通文件（管道、设备或套接字）") from None
    except TooLarge as exc:
        raise SourceError("too_large", _too_large(exc.size, exc.limit)) from None
    except OSError as exc:
        raise SourceError("unreadable", os_problem(exc, path)) from None
    return _reader(path.suffix.lower())(data, display)


_ERRNO = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是目录而不是文件",
    errno.ELOOP: "符号链接形成了循环",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "读取时发生输入输出错误（磁盘或网络文件系统故障）",
    errno.ENXIO: "设备不存在",
    errno.EMFILE: "打开的文件过多",
}


def os_problem(exc: OSError, path: Path | None = None) -> str:
    """A Chinese one-line reason for an OSError (strerror is English)."""
    if exc.errno == errno.ENOENT and path is not None and os.path.islink(path):
        return "符号链接指向的文件不存在"
    known = _ERRNO.get(exc.errno)
    if known:
        return known
    return f"无法读取（{exc.strerror or type(exc).__name__}）"


def _too_large(size: int, limit: int) -> str:
    return (f"文件大小 {_mb(size)}，超过上限 {_mb(limit)}；"
            "如确需检查，可用 --max-file-size 或配置项 max-file-size 提高上限")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


MAX_SIZE = 1024 ** 4   # 1 TB: no limit a user sets is larger (a 400-digit size is a mistake)


def parse_size(text: str | int) -> int:
    """'20MB', '512KB', '1GB' or a number of bytes up to 1 TB -> bytes (ValueError if not)."""
    if isinstance(text, int) and not isinstance(text, bool) and 0 < text <= MAX_SIZE:
        return text
    if not isinstance(text, str):
        raise ValueError(text)
    m = re.fullmatch(r"\s*(\d{1,12}(?:\.\d{1,6})?)\s*([KMG]?)i?B?\s*", text, re.IGNORECASE)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(text)
    size = int(float(m.group(1)) * 1024 ** " KMG".index(m.group(2).upper() or " "))
    if not 0 < size <= MAX_SIZE:
        raise ValueError(text)
    return size
