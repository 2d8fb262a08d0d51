"""Read stage: one reader per file format, each turning bytes into a :class:`Source`.

A reader gets the file's bytes and its name and returns the text later stages parse, one
line per line of the report as a reader sees it (a Word paragraph, a PDF text line, an HTML
block), plus ``places``: for formats whose lines are not the file's own lines, where each line
is in the original ("第3页第5行", "第12段"), so diagnostics can point at something the user can
find; and, for formats with real tables (.docx, .html), ``tables``: each table's rows and
cells, placed on the lines of the text (the lines stay what they were: a row per line).
Heavy libraries are imported by their reader only, so plain-text runs never pay for them.

Reading the bytes happens here, once, for every format: files are opened for reading only
(fzlint never writes to the files it checks), and standard input goes through the same readers.
"""

from __future__ import annotations

import errno
import importlib
import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from checker.fileio import NotRegular, TooLarge, read_regular
from checker.record import FrozenInstanceError, HashableValue
from checker.sources.formats import BY_SUFFIX, READABLE  # noqa: F401  (READABLE: for importers)

if TYPE_CHECKING:
    from checker.skeleton.tables import Table
    from checker.suppress import Suppressions

__all__ = ["Source", "SourceError", "supported", "read", "read_bytes"]


class Source(HashableValue):
    """What a reader made of a file. A value: frozen, equal and hashable by its fields
    (written out, not a @dataclass, which costs ~0.7 ms of every start per class)."""

    __slots__ = _compared = _shown = ("path", "text", "encoding", "format", "places", "note", "suppressions",
                                      "tables")

    def __init__(self, path: str, text: str, encoding: str, format: str,
                 places: Sequence[str | None] | None = None, note: str = "",
                 suppressions: Suppressions | None = None, tables: Sequence[Table] | None = None):
        setattr_ = object.__setattr__
        setattr_(self, "path", path)              # as the user named it (for diagnostics)
        setattr_(self, "text", text)              # the text fzlint checks; diagnostics count its lines
        setattr_(self, "encoding", encoding)      # what decoded the bytes: "utf-8", "gb18030", "docx", ...
        setattr_(self, "format", format)          # "txt", "md", "docx", "pdf", "html"
        setattr_(self, "places", places)          # places[i]: where line i+1 is in the original
        setattr_(self, "note", note)              # what the reader did, for --verbose (pages, paragraphs, ...)
        setattr_(self, "suppressions", suppressions)   # .md: the <!-- fzlint: ... --> directives
        # .docx, .html: the tables read, on the lines of ``text`` (checker/skeleton/tables.py);
        # None: the parser finds tables written in the text (pipe or tab rows)
        setattr_(self, "tables", tables)

    def __setattr__(self, name, value):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self):
        return (Source, tuple(getattr(self, f) for f in self.__slots__))


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

# suffix -> its format (checker/sources/formats.py: the one list of formats)
_FORMATS = BY_SUFFIX


def supported(path: Path | str) -> bool:
    name = os.path.basename(path)
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:].lower() in _FORMATS   # as Path(path).suffix


_READERS: dict[str, Reader] = {}


def _reader(suffix: str) -> Reader:
    reader = _READERS.get(suffix)
    if reader is None:      # imported on first use: plain-text runs never import the others
        fmt = _FORMATS[suffix]
        reader = _READERS[suffix] = getattr(importlib.import_module(f"checker.sources.{fmt.module}"), fmt.reader)
    return reader


DEFAULT_MAX_BYTES = 20 * 1024 * 1024   # reports are KB to a few MB; PDFs with scans can be more


def read_bytes(data: bytes, display: str, max_bytes: int | None = DEFAULT_MAX_BYTES, *,
               stdin: bool = False) -> Source:
    """Turn the bytes of a file named ``display`` (its suffix picks the reader) into text.

    ``stdin``: the bytes came from standard input, named by ``--stdin-filename`` (or
    ``stdin.txt``): messages then say how to name them.
    """
    suffix = Path(display).suffix.lower()
    if suffix not in _FORMATS:
        if stdin:
            raise SourceError("unsupported_format", f"--stdin-filename {display} 的扩展名"
                              f"{'“' + suffix + '”' if suffix else '为空'}，fzlint 读取 {READABLE}")
        raise SourceError("unsupported_format", suffix or "(无扩展名)")
    if max_bytes is not None and len(data) > max_bytes:
        raise SourceError("too_large", _too_large(len(data), max_bytes))
    _refuse_binary_as_text(data, suffix, stdin)
    return _reader(suffix)(data, display)


def read(path: Path, display: str | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Source:
    """Read a file (for reading only: fzlint never writes checked files) and turn it into text.

    Only regular files are read (checked on the opened file: a FIFO or a device would block or
    never end), and a file larger than ``max_bytes`` is not read at all (checker/fileio.py).
    """
    display = display if display is not None else str(path)
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise _not_readable(path, display)
    try:
        data = read_regular(path, max_bytes)
    except NotRegular as exc:
        raise SourceError("unreadable", "这是目录而不是文件" if exc.is_dir
                          else "不是普通文件（管道、设备或套接字）") from None
    except TooLarge as exc:
        raise SourceError("too_large", _too_large(exc.size, exc.limit)) from None
    except OSError as exc:
        raise SourceError("unreadable", os_problem(exc, path)) from None
    _refuse_binary_as_text(data, suffix, False)
    return _reader(suffix)(data, display)




def _not_readable(path: Path, display: str) -> SourceError:
    """The problem of a path named on the command line whose suffix fzlint does not read: a
    path that does not exist or a folder says so (``reports/`` mistyped is not a file format);
    an existing file is of an unsupported format."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and not os.path.islink(path):
            return SourceError("unreadable", "文件夹不存在" if display.endswith(("/", os.sep))
                               else "文件不存在" if path.suffix else "文件或文件夹不存在")
        return SourceError("unreadable", os_problem(exc, path))
    if stat.S_ISDIR(st.st_mode):
        return SourceError("unreadable", "这是目录而不是文件")
    return SourceError("unsupported_format", path.suffix or "(无扩展名)")


_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})


ZIP = "ZIP 压缩包"


def sniff(data: bytes) -> tuple[str, str | None] | None:
    """What a document format's bytes are, by their signature: (what, the suffix fzlint reads
    it under, or None for a format it does not read); None for anything else (text)."""
    if data.startswith(b"%PDF-"):
        return "PDF 文件", ".pdf"
    if data.startswith(b"PK\x03\x04"):   # a zip: the member names are stored uncompressed
        if b"word/document.xml" in data:
            return "Word 文档（.docx）", ".docx"
        if b"xl/workbook.xml" in data:
            return "Excel 表格（.xlsx）", None
        if b"ppt/presentation.xml" in data:
            return "PowerPoint 演示文稿（.pptx）", None
        if b"application/vnd.oasis.opendocument" in data[:200]:
            return "OpenDocument 文档（.odt 等）", None
        return ZIP, None
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "旧版 Office 文件（Word .doc、WPS .wps、Excel .xls 等）", None
    if data.startswith(b"{\\rtf"):
        return "RTF 文件", None
    return None


def _refuse_binary_as_text(data: bytes, suffix: str, stdin: bool) -> None:
    """Bytes of a document format given to the text reader (a .docx piped in without
    ``--stdin-filename``, a PDF named .txt) are named for what they are, with what to do,
    instead of failing as text with NUL bytes."""
    if suffix not in _TEXT_SUFFIXES:
        return
    found = sniff(data)
    if found is None:
        return
    what, readable = found
    source = ("标准输入的内容是" if stdin else "文件内容是") + (" " if what[:1].isascii() else "")
    if readable is None:
        advice = "请解压后检查其中的报告文件" if what == ZIP else "请另存为 .docx 或 PDF 后再检查"
        raise SourceError("unsupported_format", f"{source}{what}，fzlint 暂不支持；{advice}")
    if stdin:
        raise SourceError("damaged", f"{source}{what}，不是文本；请用 --stdin-filename 报告{readable} 指明格式")
    raise SourceError("damaged", f"{source}{what}，扩展名却是 {suffix}；请把扩展名改为 {readable}")


def os_problem(exc: OSError, path: Path | None = None) -> str:
    """A Chinese one-line reason for an OSError met reading (strerror is English)."""
    from checker.oserror import reason

    return reason(exc, path=path)


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
