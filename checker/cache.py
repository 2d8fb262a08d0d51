"""fzlint's own cache folder: the parsed rule packs and lark's parser tables.

Both are derived from files fzlint ships or the user names, keyed by a hash of their content,
so a stale entry is never used. The folder is per user (``$FZLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/fzlint``, else ``~/.cache/fzlint``), created readable by its owner only.
When the folder cannot be made, nothing is cached and fzlint works as before, only slower to
start. fzlint never writes anywhere else (never to checked files).

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


@lru_cache(maxsize=1)
def cache_dir() -> Path | None:
    """The cache folder, created (mode 0700) if missing; None if it cannot be used."""
    if os.environ.get("FZLINT_CACHE_DIR"):
        base = Path(os.environ["FZLINT_CACHE_DIR"])
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "fzlint"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = base.stat()
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
            return None          # someone else's, or writable by others: do not trust it
        return base if os.access(base, os.W_OK) else None
    except (OSError, RuntimeError):   # RuntimeError: no home folder
        return None


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


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (readers never see a
    partial file); errors are ignored (a cache that cannot be written is only slower). The
    temporary file is created new (never through a symlink or a file already there) and the
    rename replaces whatever ``path`` was, a symlink included, without following it."""
    if len(data) > MAX_ENTRY_BYTES:
        return
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
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
