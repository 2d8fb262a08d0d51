"""``-o FILE`` written whole or not at all (for stdout see :func:`checker.reporters.safe_stdout`).

The report is written to a temporary file beside FILE (same folder, so the same file system)
and renamed onto FILE only when the run completed: an interrupted or failed run leaves FILE as
it was, never half-written. The new file gets the old one's permissions (or the umask's for a
new file); a symlink is written through (the file it points at is replaced).
A FILE that is not a regular file (``/dev/null``, a FIFO) or belongs to another user is opened
and written directly, as is FILE when its folder does not let a temporary file be made.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO


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
        if st is not None and (not stat.S_ISREG(st.st_mode) or _someone_elses(st)):
            # /dev/null, a FIFO: nothing to truncate; another user's file: a new file would not
            # be theirs any more (and /tmp's sticky bit forbids the rename)
            self.stream = self._open_direct(encoding)
            return
        folder, name = os.path.split(self.target)
        temp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError:
            self.stream = self._open_direct(encoding)     # e.g. a folder where only FILE is writable
            return
        try:
            if st is not None:
                os.chmod(fd, stat.S_IMODE(st.st_mode))
            self.stream: TextIO = open(fd, "w", encoding=encoding, newline="")
        except BaseException:
            os.close(fd)
            os.unlink(temp)
            raise
        self.temp = temp

    def _open_direct(self, encoding: str) -> TextIO:
        self.temp = None
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


def _someone_elses(st: os.stat_result) -> bool:
    return hasattr(os, "geteuid") and st.st_uid != os.geteuid()
