"""fzlint's own cache folder: the parsed rule packs and lark's parser tables.

Both are derived from files fzlint ships or the user names, keyed by a hash of their content,
so a stale entry is never used. The folder is per user (``$FZLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/fzlint``, else ``~/.cache/fzlint``), created readable by its owner only:
lark's cache holds pickles, which must not come from a folder other users can write to (the
system temp folder). When the folder cannot be made, nothing is cached and fzlint works as
before, only slower to start. fzlint never writes anywhere else (never to checked files).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


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


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (readers never see a
    partial file); errors are ignored (a cache that cannot be written is only slower)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
