"""fzlint's own cache folder: the parsed rule packs, lark's parser tables and the results of
checked files (``results/``, checker/resultcache.py).

All are derived from files fzlint ships or the user names, keyed by a hash of their content
(a result also by the settings and fzlint's code), so a stale entry is never used. The folder
is per user (``$FZLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/fzlint``, else ``~/.cache/fzlint``),
created readable by its owner only. When the folder cannot be made, nothing is cached and
fzlint works as before, only slower. fzlint never writes anywhere else (never to checked files).

The folder may still hold files fzlint did not write (restored from a CI cache, copied from
another machine, shared): every entry is plain JSON data, never pickle or marshal, so reading
one runs no code; its readers check its shape and build the value afresh on any doubt. An
entry is only ever read from a regular file of bounded size, opened without following a
symlink and without blocking (a FIFO planted under an entry's name is not waited on).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

# The largest entry read or written. fzlint's own entries are tens of KB (the parser tables
# ~47 KB, a parsed shipped pack ~100 KB); a pack at yamlload's budgets (50,000 nodes, 5 million
# characters with aliases expanded: 15 MB of Chinese in UTF-8) stays below it. Anything larger
# is not fzlint's.
MAX_ENTRY_BYTES = 20 * 1024 * 1024


def cache_path() -> Path | None:
    """Where the cache folder is (whether or not it exists or can be used); None without a
    home folder."""
    if os.environ.get("FZLINT_CACHE_DIR"):
        return Path(os.environ["FZLINT_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        return (Path(xdg) if xdg else Path.home() / ".cache") / "fzlint"
    except RuntimeError:     # no home folder
        return None


@lru_cache(maxsize=1)
def cache_dir() -> Path | None:
    """The cache folder, created (mode 0700) if missing; None if it cannot be used."""
    base = cache_path()
    if base is None:
        return None
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = base.stat()
        if not _private(st):
            return None          # someone else's, or writable by others: do not trust it
        return base if os.access(base, os.W_OK) else None
    except OSError:
        return None


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    return not hasattr(os, "getuid") or (st.st_uid == os.getuid() and not st.st_mode & 0o022)


def private_folder(path: Path, create: bool = True) -> bool:
    """Whether ``path`` (a folder inside the cache folder) is a real folder of this user that
    nobody else can write to, created (mode 0700) when missing and ``create``. A symlink or a
    file planted under its name is not used (entries would be read from, or written to,
    elsewhere)."""
    import stat

    for attempt in (0, 1):
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            if not create or attempt:
                return False
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:      # made by a run beside this one
                pass
            except OSError:
                return False
            continue
        except OSError:
            return False
        return stat.S_ISDIR(st.st_mode) and _private(st)
    return False


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_BINARY", 0)


def read_entry(path: Path) -> bytes | None:
    """The bytes of the entry at ``path``; None when it is missing, not a regular file (a
    symlink, a FIFO, a device), larger than :data:`MAX_ENTRY_BYTES` or unreadable."""
    from checker.fileio import TooLarge, read_regular

    try:
        return read_regular(path, MAX_ENTRY_BYTES, follow_symlinks=False)
    except (OSError, TooLarge):     # NotRegular is an OSError
        return None


def read_entry_touched(path: str, older_than: float) -> bytes | None:
    """:func:`read_entry`, and the entry's modification time set to now when it is older than
    ``older_than`` (seconds since the epoch): pruning removes the entries used least recently
    first, and a file's modification time says when it was last used, give or take a day.
    (One open, fstat and read: the result cache reads thousands of entries a run.)"""
    import stat

    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY_BYTES:
            return None
        data = os.read(fd, st.st_size + 1)        # one read: an entry is written whole
        if len(data) != st.st_size:                # changed under our feet, or a short read
            return None
        if st.st_mtime < older_than and _UTIME_FD:
            os.utime(fd)
        return data
    except OSError:
        return None
    finally:
        os.close(fd)


_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | \
    getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_UTIME_FD = os.utime in os.supports_fd


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename (readers never see a
    partial file); errors are ignored (a cache that cannot be written is only slower: False). The
    temporary file is created new (never through a symlink or a file already there) and the
    rename replaces whatever ``path`` was, a symlink included, without following it."""
    if len(data) > MAX_ENTRY_BYTES:
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        try:
            fd = os.open(tmp, _WRITE_FLAGS, 0o600)
        except FileExistsError:     # left by a crashed run, or planted: replace it, once
            os.unlink(tmp)
            fd = os.open(tmp, _WRITE_FLAGS, 0o600)
        with open(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        return False
