"""Reading a file the user named, safely: never blocks, never reads without a limit.

Every file fzlint reads (reports, configuration, baselines, rule packs) goes through here;
standard input is read with a limit too (checker/cli.py). A path is opened without blocking
(``O_NONBLOCK``: opening a FIFO or a device never waits for a writer) and never becomes the
controlling terminal, and then the *opened* file is checked with ``fstat``: a file swapped
for a FIFO between a check of its path and the open is still refused, as is a path that is a
pipe, a device or a socket (``/proc/kmsg`` would block a read forever, ``/dev/zero`` never
ends). What is read is bounded: at most ``limit`` bytes, one more tells that the file is
larger.
"""

from __future__ import annotations

import os
import stat

__all__ = ["NotRegular", "TooLarge", "read_regular"]

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | \
    getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


_KINDS = ((stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISCHR, "字符设备"),
          (stat.S_ISBLK, "块设备"), (stat.S_ISSOCK, "套接字"))


class NotRegular(OSError):
    """The path is a folder, a pipe, a device or a socket, not a regular file."""

    def __init__(self, mode: int):
        super().__init__("not a regular file")
        self.mode = mode
        self.is_dir = stat.S_ISDIR(mode)

    @property
    def kind(self) -> str:
        """What it is instead, in Chinese (文件夹, 命名管道（FIFO）, 字符设备, ...)."""
        return next((name for test, name in _KINDS if test(self.mode)), "特殊文件")


class TooLarge(Exception):
    """The file or stream holds more than the limit; ``size`` is what is known of its size
    (the file's size, or ``limit + 1`` for a stream that was not read to its end)."""

    def __init__(self, size: int, limit: int):
        super().__init__(size, limit)
        self.size = size
        self.limit = limit


def read_regular(path: str | os.PathLike, limit: int | None, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`NotRegular` (a folder, FIFO, device, socket: checked on the opened file),
    :class:`TooLarge` (more than ``limit`` bytes, by its size or by what was read: a file that
    grows while it is read is not read past the limit), or the ``OSError`` of the open (with
    ``follow_symlinks=False``, a symlink fails to open: fzlint's own cache entries).
    """
    try:
        fd = os.open(path, _FLAGS if follow_symlinks else _FLAGS | getattr(os, "O_NOFOLLOW", 0))
    except IsADirectoryError:
        raise NotRegular(stat.S_IFDIR) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(st.st_mode)
        if limit is not None and st.st_size > limit:
            raise TooLarge(st.st_size, limit)
        # a read of n bytes allocates n bytes first: ask for the size the file has, one byte
        # more tells whether it grew, and never more than one byte past the limit in all
        data = _read(fd, st.st_size + 1)
        if len(data) > st.st_size:
            data += _read(fd, None if limit is None else max(0, limit + 1 - len(data)))
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise TooLarge(len(data), limit)
    return data


def _read(fd: int, count: int | None) -> bytes:
    """Up to ``count`` bytes from ``fd`` (None: to its end), fewer only at its end: os.read
    until then (one call for a regular file read whole; no file object to make)."""
    parts = []
    while count is None or count > 0:
        part = os.read(fd, 1 << 20 if count is None else min(count, 1 << 30))
        if not part:
            break
        parts.append(part)
        if count is not None:
            count -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)
