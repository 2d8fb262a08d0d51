"""Check a batch of files in worker processes when that pays; results come back in order.

A plain-text report costs about 1 ms to check, a .docx about 10 ms, a PDF 20-60 ms (see
bench/readers.py). Workers cost a process start each and some pickling per file, so
:func:`plan` estimates the batch's work from the files' formats and sizes and uses workers
only when it exceeds :data:`MIN_PARALLEL_MS` (bench/run.py measures both paths on the same
corpus).

Start method, chosen explicitly: ``fork`` where the platform has it (Linux): the workers
inherit the loaded rule packs, parser tables and imported modules, so they start in a few
milliseconds; the pool is started before any other thread of the process exists (the
progress bar starts after it), so no lock is copied while held. Elsewhere ``spawn``: each
worker imports fzlint and loads the configuration's packs once.

Results come back in the files' order, at most :data:`WINDOW` chunks per worker ahead of the
consumer, so memory stays flat however many files there are. The document model is not sent
back (only what the reporters use: diagnostics, the source text, notices), and a crash on one
file comes back as a :class:`Crash` for that file while the others are still checked.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from checker.lint import Crash, Entry, FileResult, lint_entry
from checker.sources import Source
from checker.sources.formats import BY_SUFFIX

if TYPE_CHECKING:
    from concurrent.futures import Future

# multiprocessing and concurrent.futures are imported only when workers start: a run over a
# few files (and the cold start) does not pay for them.

# Estimated milliseconds of work per file, by format: a fixed cost plus a cost per KiB.
COST_MS = {s: (f.fixed_ms, f.per_kib_ms) for s, f in BY_SUFFIX.items()}   # checker/sources/formats.py
MIN_PARALLEL_MS = 300.0     # less work than this: starting workers costs about what they save
WORK_PER_WORKER_MS = 150.0  # no more workers than the work keeps busy
CHUNK_MS = 20.0             # work sent to a worker at a time (fewer, larger messages)
MAX_CHUNK = 64
WINDOW = 4                  # chunks per worker in flight ahead of the consumer
WARM_MS = 50.0              # the parent checks the batch's first file before the fork if it costs less


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def estimate_ms(path: Path, max_bytes: int | None) -> float:
    """Rough milliseconds fzlint needs for one file (0 for what will not be read)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return 0.0
    if max_bytes is not None and size > max_bytes:
        return 0.0
    fixed, per_kib = COST_MS.get(path.suffix.lower(), (0.3, 0.07))
    return fixed + per_kib * size / 1024


def plan(costs: Sequence[float], jobs: int | None) -> int:
    """How many worker processes to use (0: check in this process).

    ``jobs``: None or 0 decides from the estimated work; 1 means no workers; N > 1 asks for
    N workers: never more than there are files, nor more than the CPUs (more processes than
    CPUs only cost memory and start-up: ``-j 300`` would fork 300), but two when asked for
    two or more on one CPU (the worker path stays testable everywhere)."""
    if jobs == 1 or len(costs) < 2:
        return 0
    if jobs:
        return min(jobs, len(costs), max(2, cpus()))
    total = sum(costs)
    if total < MIN_PARALLEL_MS or cpus() < 2:
        return 0
    return max(2, min(cpus(), int(total // WORK_PER_WORKER_MS), len(costs)))


# -- worker side --------------------------------------------------------------------------
_resolver = None
_keep_text = True
_cache = None          # the run's result cache (checker/resultcache.py), or None


def _init(spec, keep_text: bool, cache=None) -> None:
    """Worker start: the parent's Resolver (fork) or the arguments to build one (spawn)."""
    global _resolver, _keep_text, _cache
    import signal

    # Ctrl-C reaches the whole process group: the parent alone handles it (it stops the
    # workers), so a worker prints no KeyboardInterrupt traceback; SIGTERM/SIGHUP end a worker
    # at once (the parent's handlers, inherited through fork, would unwind it instead)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    _unblock(_STOPPING)      # blocked by the parent while it started the workers (Batch)
    from checker import startup

    startup.end()            # a worker starts checking at once (checker/startup.py)
    if isinstance(spec, tuple):
        from checker.config import Resolver

        spec = Resolver(*spec)
    _resolver, _keep_text, _cache = spec, keep_text, cache


def _lint_chunk(entries: list[Entry]) -> list[FileResult | Crash]:
    out = []
    for path, display, error in entries:
        result = lint_entry(_resolver, path, display, error, _cache)
        if isinstance(result, FileResult):
            for_parent(result, _keep_text)
        out.append(result)
    return out


def for_parent(result: FileResult, keep_text: bool) -> FileResult:
    """What a worker sends back of a file's result: not the model (reporters do not use it),
    nor, unless they quote it (``keep_text``), the text."""
    result.report = None
    source = result.source
    if not keep_text and source is not None:
        # built directly: dataclasses.replace costs more than pickling the result
        result.source = Source(source.path, "", source.encoding, source.format, note=source.note)
    return result


# -- parent side --------------------------------------------------------------------------
def _chunks(entries: list[Entry], costs: list[float]) -> Iterator[list[Entry]]:
    chunk: list[Entry] = []
    work = 0.0
    for entry, cost in zip(entries, costs):
        chunk.append(entry)
        work += cost
        if work >= CHUNK_MS or len(chunk) >= MAX_CHUNK:
            yield chunk
            chunk, work = [], 0.0
    if chunk:
        yield chunk


# The signals that stop a run. The parent blocks them while it starts the workers: one that
# came in the middle of a fork was handled inside the fork's after-fork callbacks, where the
# exception that unwinds the run is printed and dropped (the run went on, exit 0), or just
# after a worker started, before the pool knew it or had the thread that ends the workers
# (the run ended, then waited forever at exit for that worker). Blocked, it is handled once
# the pool is complete, and the workers are stopped on the way out.
_STOPPING = ("SIGINT", "SIGTERM", "SIGHUP")


def _block(names) -> object:
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {getattr(signal, n) for n in names if hasattr(signal, n)})


def _unblock(names) -> None:
    import signal

    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {getattr(signal, n) for n in names if hasattr(signal, n)})


def start_method() -> str:
    import multiprocessing

    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


class Batch:
    """Worker processes checking ``entries``; iterate to get ``(path, result)`` in order.

    Constructing it starts the workers (call it before starting any thread). ``keep_text``:
    send each file's text back (reporters that quote lines and baselines need it); ``cache``:
    the run's result cache, used by the workers too."""

    def __init__(self, entries: list[Entry], costs: list[float], workers: int, resolver,
                 resolver_args: tuple, keep_text: bool = True, cache=None):
        self.entries = entries
        self.costs = costs
        self.resolver = resolver
        self.cache = cache
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = start_method()
        spec = resolver if method == "fork" else resolver_args
        self.first: list[tuple[Path, FileResult | Crash]] = []
        if method == "fork":      # the line shapes and model builder made once here, not once per worker
            from checker.skeleton.parser import _skeleton

            _skeleton()           # (lark's tables only where a stream needs them: see parser.py)
            if entries and costs[0] <= WARM_MS:
                # The first file checked in a process also makes what is made on first use
                # (RE2's automata, patterns compiled lazily, modules imported lazily): ~20 ms.
                # Checked here, before the fork, the workers inherit it all instead of each
                # making it again; its result comes first, as it would from a worker.
                path, display, error = entries[0]
                self.first.append((path, lint_entry(resolver, path, display, error, cache)))
                entries, costs = entries[1:], costs[1:]
        self.window = workers * WINDOW
        self.pending: deque[tuple[list[Entry], Future]] = deque()
        self.chunks = _chunks(entries, costs)
        mask = _block(_STOPPING)
        try:
            try:
                self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                                initializer=_init, initargs=(spec, keep_text, cache))
                # Submitting starts the processes (all at once with fork). Frozen objects are
                # left alone by the workers' garbage collector, which would otherwise write into
                # (and so copy) every page of the objects they inherited, e.g. 20,000 paths.
                gc.freeze()
                try:
                    self._fill()
                finally:
                    gc.unfreeze()
            finally:
                if mask is not None:
                    import signal

                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)   # a signal that came is handled now
        except BaseException:
            if hasattr(self, "pool"):
                self.terminate()
            raise

    def _fill(self) -> None:
        while len(self.pending) < self.window:
            chunk = next(self.chunks, None)
            if chunk is None:
                return
            self.pending.append((chunk, self.pool.submit(_lint_chunk, chunk)))

    def __iter__(self) -> Iterator[tuple[Path, FileResult | Crash]]:
        from concurrent.futures.process import BrokenProcessPool

        finished = False
        try:
            if self.first:
                yield self.first.pop()
            while self.pending:
                chunk, future = self.pending.popleft()
                try:
                    results = future.result()
                except BrokenProcessPool:
                    # a worker died (killed, or a crash in C code): check the rest here
                    yield from self._serial(chunk)
                    for rest, _ in self.pending:
                        yield from self._serial(rest)
                    self.pending.clear()
                    for rest in self.chunks:
                        yield from self._serial(rest)
                    return
                self._fill()
                for (path, _, _), result in zip(chunk, results):
                    yield path, result
            finished = True
        finally:
            if finished:
                self.close()
            else:       # a signal, Ctrl-C, a broken pipe, an error: stop the workers now
                self.terminate()

    def _serial(self, chunk: list[Entry]) -> Iterator[tuple[Path, FileResult | Crash]]:
        for path, display, error in chunk:
            yield path, lint_entry(self.resolver, path, display, error, self.cache)

    def close(self) -> None:
        for _, future in self.pending:
            future.cancel()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def terminate(self) -> None:
        """Stop the workers without waiting for the work they hold (SIGTERM to each)."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        manager = getattr(self.pool, "_executor_manager_thread", None)
        for _, future in self.pending:
            future.cancel()
        for proc in processes:
            if proc.is_alive():
                proc.terminate()
        self.pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.join(5)
        # the pool's thread ends once its workers are gone: wait for it here, or it may close its
        # wake-up pipe while concurrent.futures' exit handler writes to it ('Exception ignored
        # in threading ... Bad file descriptor' after the run's last line)
        if manager is not None:
            manager.join(5)
