"""The errors a rule pack or a rule selection can raise, in a module of their own: the CLI and
the configuration catch them without importing the loader and the check types (a run served
from the result cache never loads those)."""

from __future__ import annotations

from pathlib import Path


class PackError(Exception):
    """A rule pack problem: ``path:line: message``."""

    def __init__(self, path: Path | str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = str(path), line, message


class SelectionError(ValueError):
    """A --select/--ignore/configuration selector that names no rule."""
