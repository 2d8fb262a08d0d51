"""Read stage: one reader per file format, each returning a :class:`Source`.

A reader turns a file into text plus the facts later stages need (encoding, format). Formats
plug in through ``READERS``; heavy libraries for document formats are imported lazily by
their reader, so plain-text runs never pay for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True, slots=True)
class Source:
    path: str          # as the user named it (for diagnostics)
    text: str          # decoded text, newlines as in the file
    encoding: str      # e.g. "utf-8", "gb18030"
    format: str        # "txt", "md", ...


class SourceError(Exception):
    """The file cannot be turned into text. ``problem`` names an FZ9xx problem kind."""

    def __init__(self, problem: str, detail: str = ""):
        super().__init__(problem, detail)
        self.problem = problem
        self.detail = detail


def _read_text(path: Path, display: str) -> Source:
    from checker.sources.text import read_text_file

    return read_text_file(path, display)


READERS: dict[str, Callable[[Path, str], Source]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".markdown": _read_text,
}


def supported(path: Path) -> bool:
    return path.suffix.lower() in READERS


def read(path: Path, display: str | None = None) -> Source:
    display = display if display is not None else str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError("unsupported_format", path.suffix or "(无扩展名)")
    return reader(path, display)
