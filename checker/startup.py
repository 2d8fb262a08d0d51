"""The start of a ``fzlint`` process, before any file is checked.

Starting makes tens of thousands of objects that live as long as the process: modules,
click's commands, the rule packs. The cyclic collector's default threshold (a collection
every 700 new objects) runs some 40 collections over them during a one-report run, ~5 ms of
its ~160, and frees nothing. :func:`begin` (the command's entry point) raises the threshold;
:func:`end` (once the first file is checked, and in each worker process) sets it back. A
command that never checks a file keeps the raised threshold: the collector still runs, less
often.
"""

from __future__ import annotations

import gc

START_THRESHOLD = (100_000, 50, 50)
_saved: tuple[int, int, int] | None = None


def begin() -> None:
    global _saved
    if _saved is None:
        _saved = gc.get_threshold()
        gc.set_threshold(*START_THRESHOLD)


def end() -> None:
    global _saved
    if _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None
