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

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.suppress import Suppressions

__all__ = ["Source", "SourceError", "READERS", "supported", "read", "read_bytes", "format_of"]


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

# suffix -> (format name, module in checker.sources, function): imported on first use.
_FORMATS: dict[str, tuple[str, str, str]] = {
    ".txt": ("txt", "text", "read_text"),
    ".md": ("md", "text", "read_text"),
    ".markdown": ("md", "text", "read_text"),
    ".docx": ("docx", "docx", "read_docx"),
    ".pdf": ("pdf", "pdf", "read_pdf"),
    ".html": ("html", "html", "read_html"),
    ".htm": ("html", "html", "read_html"),
}
READERS = _FORMATS  # the supported suffixes (kept under the old name for callers)


def supported(path: Path | str) -> bool:
    return Path(path).suffix.lower() in _FORMATS


def format_of(name: str) -> str | None:
    entry = _FORMATS.get(Path(name).suffix.lower())
    return entry[0] if entry else None


def _reader(suffix: str) -> Reader:
    fmt, module, func = _FORMATS[suffix]
    return getattr(importlib.import_module(f"checker.sources.{module}"), func)


def read_bytes(data: bytes, display: str) -> Source:
    """Turn the bytes of a file named ``display`` (its suffix picks the reader) into text."""
    suffix = Path(display).suffix.lower()
    if suffix not in _FORMATS:
        raise SourceError("unsupported_format", suffix or "(无扩展名)")
    return _reader(suffix)(data, display)


def read(path: Path, display: str | None = None) -> Source:
    display = display if display is not None else str(path)
    if path.suffix.lower() not in _FORMATS:
        raise SourceError("unsupported_format", path.suffix or "(无扩展名)")
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
    return _reader(path.suffix.lower())(data, display)
