"""The page's link to a copy of a report with the findings as Word comments.

The comments are written by ``checker.annotate`` (``fzlint annotate``), built beside this
module and not always present: this adapter is the page's only contact with it. When the
module (or its ``annotate_docx``) is missing, the page says :data:`UNAVAILABLE` where the
link would be, and the download answers with the same words.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import PurePath

from checker.sources.formats import FORMATS

UNAVAILABLE = "批注版暂不可用"
ONLY_WORD = "批注版只适用于 fzlint 能读取的文件"
NOT_CHECKED = "文件未能检查，没有批注版"
# the inputs with an annotated copy: a .docx keeps the author's own document, the other formats
# give a .docx of the text fzlint read (as `fzlint annotate` does)
SUFFIXES = frozenset(suffix for f in FORMATS for suffix in f.suffixes)


class Unavailable(Exception):
    """No annotated copy can be made (the message says why, in Chinese)."""


def annotator() -> Callable | None:
    """``checker.annotate.annotate_docx(data, name, diagnostics) -> bytes``, or None when the
    module is not there (or has no such function)."""
    try:
        module = importlib.import_module("checker.annotate")
    except ImportError:
        return None
    return getattr(module, "annotate_docx", None)


def available() -> bool:
    return annotator() is not None


def why_not(name: str, checked: bool) -> str | None:
    """Why the page offers no annotated copy of ``name`` (None: it offers one)."""
    if not available():
        return UNAVAILABLE
    if PurePath(name).suffix.lower() not in SUFFIXES:
        return ONLY_WORD
    if not checked:
        return NOT_CHECKED
    return None


def annotated_name(name: str) -> str:
    """报告.docx -> 报告.fzlint.docx (the name `fzlint annotate` gives the copy)."""
    path = PurePath(name)
    return f"{path.stem}.fzlint.docx"


def annotate(data: bytes, name: str, diagnostics) -> bytes:
    """The bytes of the annotated copy; :class:`Unavailable` when it cannot be made."""
    write = annotator()
    if write is None:
        raise Unavailable(UNAVAILABLE)
    return write(data, name, diagnostics)
