"""The start and the end of a ``fzlint`` process.

Starting makes tens of thousands of objects that live as long as the process: modules,
click's commands, the rule packs. The cyclic collector's default threshold (a collection
every 700 new objects) runs some 40 collections over them during a one-report run, ~5 ms of
its ~160, and frees nothing. :func:`begin` (the command's entry point) raises the threshold;
:func:`end` (once the first file is checked, and in each worker process) sets it back. A
command that never checks a file keeps the raised threshold: the collector still runs, less
often.

:func:`finish`: the end. By then the command has written and closed what it writes (its
output, the result cache, -o files, baselines) and stopped its worker processes; tearing the
interpreter down (freeing every module and object one by one) would cost another ~13 ms of
a one-report run. So the exit handlers run, the standard streams are flushed, and the
process exits at once, unless a thread is still running (normal exit waits for it).
"""

from __future__ import annotations

import gc
import os
import sys

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


def finish(code: int) -> None:
    """Exit with ``code`` (see above); returns only by raising SystemExit (a normal exit)."""
    import atexit
    import threading

    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):    # the reader went away, or the stream was closed
            pass
    os._exit(code)
