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

from checker.lint import Crash, Entry, FileResult, lint_entry
from checker.sources import Source
from checker.sources.formats import BY_SUFFIX

# multiprocessing is imported only when workers start: a run over a few files (and the cold
# start) does not pay for it.

# Estimated milliseconds of work per file, by format: a fixed cost plus a cost per KiB.
COST_MS = {s: (f.fixed_ms, f.per_kib_ms) for s, f in BY_SUFFIX.items()}   # checker/sources/formats.py
MIN_PARALLEL_MS = 300.0     # less work than this: starting workers costs about what they save
WORK_PER_WORKER_MS = 150.0  # no more workers than the work keeps busy
CHUNK_MS = 20.0             # work sent to a worker at a time (fewer, larger messages)
MAX_CHUNK = 64
WINDOW = 4                  # chunks per worker in flight ahead of the consumer
QUEUED = 2                  # chunks a worker holds at most: the one it checks and the next
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
def _chunks(costs: list[float], begin: int) -> Iterator[tuple[int, int]]:
    """The batch cut into chunks of about CHUNK_MS of work: (start, stop) indices."""
    start = begin
    work = 0.0
    for i in range(begin, len(costs)):
        work += costs[i]
        if work >= CHUNK_MS or i + 1 - start >= MAX_CHUNK:
            yield start, i + 1
            start, work = i + 1, 0.0
    if start < len(costs):
        yield start, len(costs)


# The signals that stop a run. The parent blocks them while it starts the workers: one that
# came in the middle of a fork was handled inside the fork's after-fork callbacks, where the
# exception that unwinds the run is printed and dropped (the run went on, exit 0), or just
# after a worker started, before the batch knew it (the run ended, then waited forever at exit
# for that worker). Blocked, it is handled once every worker is known, and the workers are
# stopped on the way out.
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


def _serve(conn, entries: list[Entry], spec, keep_text: bool, cache) -> None:
    """A worker's life: check the chunks of ``entries`` the parent names, ``(start, stop)``,
    one at a time, and send back each chunk's results pickled, until the parent sends None or
    goes away. (``entries`` is inherited through fork; with spawn it was pickled once.)"""
    import pickle

    _init(spec, keep_text, cache)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        blob = pickle.dumps(_lint_chunk(entries[task[0]:task[1]]), pickle.HIGHEST_PROTOCOL)
        try:
            conn.send_bytes(blob)
        except OSError:          # the parent went away
            return


class _Worker:
    """A worker process, the parent's end of its pipe, and the numbers of the chunks it holds
    (it answers them in the order they were sent)."""

    __slots__ = ("process", "conn", "tasks")

    def __init__(self, process, conn):
        self.process = process
        self.conn = conn
        self.tasks: deque[int] = deque()


class Batch:
    """Worker processes checking ``entries``; iterate to get ``(path, result)`` in order.

    Constructing it starts the workers (call it before starting any thread). ``keep_text``:
    send each file's text back (reporters that quote lines and baselines need it); ``cache``:
    the run's result cache, used by the workers too.

    Each worker has a pipe of its own to the parent; the parent sends a chunk's indices
    (``(start, stop)``, a few bytes) and reads its results from whichever pipe has them, in
    its own thread: no pool thread, no feeder thread, no futures (concurrent.futures'
    ProcessPoolExecutor cost about 3% of a -j 2 run's instructions in its threads and
    their hand-offs). At most WINDOW chunks per worker are out (sent, or answered but not yet
    consumed), so memory stays flat. A worker holds at most QUEUED chunks (the one it checks
    and the next, so it never waits for the parent): a chunk goes to a worker when it has
    room, as a shared queue would hand it to the first one free."""

    def __init__(self, entries: list[Entry], costs: list[float], workers: int, resolver,
                 resolver_args: tuple, keep_text: bool = True, cache=None):
        self.entries = entries
        self.resolver = resolver
        self.cache = cache
        import multiprocessing

        method = start_method()
        spec = resolver if method == "fork" else resolver_args
        self.first: list[tuple[Path, FileResult | Crash]] = []
        begin = 0
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
                begin = 1
        self.window = workers * WINDOW
        self.chunks = _chunks(costs, begin)
        self.ranges: dict[int, tuple[int, int]] = {}     # chunk number -> its entries
        self.done: dict[int, list] = {}                  # chunk number -> its results, unconsumed
        self.sent = 0          # chunks sent so far (the next chunk's number)
        self.next = 0          # the next chunk to consume
        self.broken = False    # a worker died: the rest is checked here
        self.workers: list[_Worker] = []
        context = multiprocessing.get_context(method)
        mask = _block(_STOPPING)
        try:
            try:
                # Frozen objects are left alone by the workers' garbage collector, which would
                # otherwise write into (and so copy) every page of the objects they inherited,
                # e.g. 20,000 paths.
                gc.freeze()
                try:
                    for _ in range(workers):
                        ours, theirs = context.Pipe(duplex=True)
                        process = context.Process(target=_serve, args=(theirs, entries, spec, keep_text, cache),
                                                  daemon=True)
                        self.workers.append(_Worker(process, ours))   # known before it starts
                        process.start()
                        theirs.close()     # its end: the worker's exit then reads as the pipe's end
                finally:
                    gc.unfreeze()
                self._fill()
            finally:
                if mask is not None:
                    import signal

                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)   # a signal that came is handled now
        except BaseException:
            self.terminate()
            raise

    def _fill(self) -> None:
        while not self.broken and self.sent - self.next < self.window:
            worker = min(self.workers, key=lambda w: len(w.tasks))
            if len(worker.tasks) >= QUEUED:
                return
            chunk = next(self.chunks, None)
            if chunk is None:
                return
            self.ranges[self.sent] = chunk
            worker.tasks.append(self.sent)
            self.sent += 1
            try:
                worker.conn.send(chunk)
            except OSError:      # the worker is gone
                self.broken = True

    def _receive(self) -> None:
        """Wait for the next answer from any worker holding a chunk; store it."""
        import pickle
        from multiprocessing.connection import wait

        busy = {w.conn: w for w in self.workers if w.tasks}
        for conn in wait(list(busy)):
            worker = busy[conn]
            try:
                blob = conn.recv_bytes()
            except (EOFError, OSError):  # it died (killed, or a crash in C code)
                self.broken = True
                return
            self.done[worker.tasks.popleft()] = pickle.loads(blob)
        self._fill()             # the workers that answered get their next chunk now

    def __iter__(self) -> Iterator[tuple[Path, FileResult | Crash]]:
        finished = False
        try:
            if self.first:
                yield self.first.pop()
            while self.next < self.sent:
                while self.next not in self.done and not self.broken:
                    self._receive()
                if self.broken:
                    yield from self._rest()
                    break
                results = self.done.pop(self.next)
                start, stop = self.ranges.pop(self.next)
                self.next += 1
                self._fill()
                for (path, _, _), result in zip(self.entries[start:stop], results):
                    yield path, result
            finished = True
        finally:
            if finished and not self.broken:
                self.close()
            else:       # a signal, Ctrl-C, a broken pipe, an error, a dead worker: stop the workers now
                self.terminate()

    def _rest(self) -> Iterator[tuple[Path, FileResult | Crash]]:
        """A worker died: stop the others and check here what they had not answered yet, and
        the chunks not sent, in order (answers already in keep their place)."""
        self.terminate()
        for n in range(self.next, self.sent):
            start, stop = self.ranges.pop(n)
            results = self.done.pop(n, None)
            if results is None:
                yield from self._serial(start, stop)
            else:
                yield from ((path, r) for (path, _, _), r in zip(self.entries[start:stop], results))
        self.next = self.sent
        for start, stop in self.chunks:
            yield from self._serial(start, stop)

    def _serial(self, start: int, stop: int) -> Iterator[tuple[Path, FileResult | Crash]]:
        for path, display, error in self.entries[start:stop]:
            yield path, lint_entry(self.resolver, path, display, error, self.cache)

    def close(self) -> None:
        """The work is done: tell each worker to end, and wait for it."""
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join()
            worker.conn.close()

    def terminate(self) -> None:
        """Stop the workers without waiting for the work they hold (SIGTERM to each)."""
        for worker in self.workers:
            if worker.process.pid is not None and worker.process.is_alive():
                worker.process.terminate()
        for worker in self.workers:
            if worker.process.pid is not None:
                worker.process.join(5)
            worker.conn.close()
        self.workers = []
