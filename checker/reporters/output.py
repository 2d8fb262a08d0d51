"""Where reports go: standard output that cannot fail on a character, and ``-o FILE`` written
whole or not at all.

**stdout.** Findings quote the checked files, so any character can reach it. On a stdout that
cannot encode a character (``PYTHONIOENCODING=ascii``, ``LC_ALL=C`` without UTF-8 mode)
Python raises in the middle of a run and the findings of the files after it are lost;
:func:`safe_stdout` makes such characters ``\\uXXXX`` escapes instead (the machine formats
do better on such a stream: JSON and SARIF escape as JSON does, JUnit and HTML write
character references, see :func:`checker.reporters.safe.unicode_capable`). With
``surrogateescape`` (the C locale's default) a lone surrogate would be written as a raw byte
that is not UTF-8; the reporters never write one (:mod:`checker.reporters.safe`), and
``backslashreplace`` makes sure of it.

**-o FILE.** The report is written to a temporary file beside FILE (same folder, so the same
file system) and renamed onto FILE only when the run completed: an interrupted or failed run
leaves FILE as it was, never half-written. The new file gets the old one's permissions (or
the umask's for a new file); a symlink is written through (the file it points at is replaced).
A FILE that is not a regular file (``/dev/null``, a FIFO) is opened and written directly, as is
FILE when its folder does not let a temporary file be made.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TextIO

REPLACING = frozenset({"backslashreplace", "xmlcharrefreplace", "replace", "namereplace"})


def safe_stdout() -> None:
    """Make sys.stdout write what it cannot encode as escapes rather than fail."""
    out = sys.stdout
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is None or getattr(out, "errors", None) in REPLACING:
        return
    try:
        reconfigure(errors="backslashreplace")
    except (ValueError, OSError, AttributeError):   # closed, or not a real text stream
        pass


class OutputFile:
    """``-o FILE``: ``stream`` to write to, then :meth:`close` with whether the run completed."""

    def __init__(self, path: Path, encoding: str):
        self.path = path
        self.temp: str | None = None
        self.target = os.path.realpath(path)
        try:
            st = os.stat(self.target)
        except (FileNotFoundError, NotADirectoryError):
            st = None
        if st is not None and not stat.S_ISREG(st.st_mode):
            self.stream = self._open_direct(encoding)     # /dev/null, a FIFO: nothing to truncate
            return
        folder, name = os.path.split(self.target)
        temp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError:
            self.stream = self._open_direct(encoding)     # e.g. a folder where only FILE is writable
            return
        self.temp = temp
        try:
            if st is not None:
                os.chmod(fd, stat.S_IMODE(st.st_mode))
            self.stream: TextIO = open(fd, "w", encoding=encoding, newline="")
        except BaseException:
            os.close(fd)
            os.unlink(temp)
            raise

    def _open_direct(self, encoding: str) -> TextIO:
        return open(self.path, "w", encoding=encoding, newline="")

    def close(self, completed: bool) -> None:
        """Close; with a temporary file, rename it onto FILE if ``completed``, else delete it.
        An error (a full disk at the last flush) propagates, and FILE is left as it was."""
        try:
            self.stream.close()
            if self.temp is not None and completed:
                os.replace(self.temp, self.target)
                self.temp = None
        finally:
            if self.temp is not None:
                try:
                    os.unlink(self.temp)
                except OSError:
                    pass
