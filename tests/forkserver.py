"""``python -m checker ARGS`` for the tests, without starting Python and importing fzlint each time.

The tests run the real command line several hundred times. Each run used to be a new
interpreter (``subprocess.run([sys.executable, "-m", "checker", ...])``), and at ~0.1 s of CPU
before fzlint reads anything, start-up was most of what the CLI tests cost. Here one server
process per test process starts once and imports fzlint and the libraries it reads with;
each run is a child forked from it (``os.fork``), which then does what ``python -m checker``
does after start-up: it gets its own standard input, output and error (pipes, or /dev/null
for stdin), its working directory and environment, ``sys.argv``, and runs ``checker/__main__.py``
with ``runpy`` as ``-m`` would; it ends as any interpreter ends (``sys.exit`` and finalization:
atexit handlers, flushing stdout). So each run is still a separate process: the exit code,
a signal that kills it, a crash in C code, the timeout and every byte it writes are what the
caller sees, as with ``subprocess.run``.

What a fork shares with the server, and a new interpreter would not: the modules imported
before the fork (fzlint reads its environment when called, not when imported) and the
hash seed of ``str``. So a run falls back to a new interpreter when its environment differs
from the server's in anything Python reads at start-up (``PYTHON*``, the locale variables,
``TZ``), and tests about start-up itself (the entry points, the wheel), about output from two
runs being the same (the hash seed) or with code run before fzlint is imported (``python -c``
harnesses that patch it) start their own interpreters. ``FZLINT_TESTS_FORK=0`` makes every
run a new interpreter.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

# What ``python -m checker`` may import while it runs: imported once in the server.
PRELOAD = ["checker.cli", "checker.config", "checker.lint", "checker.parallel", "checker.baseline",
           "checker.suppress", "checker.engine.registry", "checker.engine.run", "checker.skeleton.parser",
           "checker.sources", "checker.sources.text", "checker.sources.docx", "checker.sources.pdf",
           "checker.sources.html", "checker.reporters", "checker.reporters.concise", "checker.reporters.full",
           "checker.reporters.github", "checker.reporters.html_report", "checker.reporters.json_report",
           "checker.reporters.junit", "checker.reporters.matrix", "checker.reporters.outline",
           "checker.reporters.output", "checker.reporters.sarif", "checker.reporters.statistics",
           "checker.reporters.summary", "checker.reporters.summary_table", "checker.reporters.terminal",
           "checker.reporters.rules_doc", "yaml", "rich.console", "rich.table", "lxml.html", "docx", "pypdf",
           "multiprocessing", "concurrent.futures.process"]

SERVER = r"""
import atexit, gc, importlib, json, os, runpy, socket, struct, sys, threading, traceback

def exact(sock, n):
    data = b""
    while len(data) < n:
        more = sock.recv(n - len(data))
        if not more:
            raise EOFError
        data += more
    return data

def finish(code):
    # End as Py_FinalizeEx ends a run (threads joined, atexit handlers, stdout and stderr
    # flushed: a failed flush of stdout is reported, and either makes the exit code 120),
    # without tearing down every module and object, which in a forked child would copy most
    # of the heap's pages.
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    threading._shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:
            continue
        try:
            stream.flush()
        except Exception as exc:
            if stream is sys.stdout:
                print(f"Exception ignored in: {stream!r}", file=sys.stderr)
                traceback.print_exception(exc)
            code = 120
    os._exit(code)

sock = socket.socket(fileno=int(sys.argv[1]))
for name in json.loads(sys.argv[2]):
    try:
        importlib.import_module(name)
    except Exception:      # imported by the run itself then, as without the server
        pass
gc.collect()
gc.freeze()      # the children's collections leave the server's objects (and their pages) alone
sock.sendall(b"R")
while True:
    try:
        _, fds, _, _ = socket.recv_fds(sock, 1, 3)
        if len(fds) != 3:
            break
        request = json.loads(exact(sock, struct.unpack(">I", exact(sock, 4))[0]))
    except (EOFError, OSError):
        break
    pid = os.fork()
    if pid == 0:
        # the run: what `python -m checker ARGS` does after start-up, and then exit as it does
        sock.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["-m", *request["args"]]
        try:
            runpy.run_module("checker", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exc:
            code = exc.code
        finish(code)
    for fd in fds:
        os.close(fd)
    sock.sendall(struct.pack(">i", pid))
    _, status, usage = os.wait4(pid, 0)
    sock.sendall(struct.pack(">id", status, usage.ru_utime + usage.ru_stime))
"""

# Read by Python at start-up (or by the C library's locale and time zone): a run whose
# environment differs from the server's in one of them gets a new interpreter.
_STARTUP_PREFIXES = ("PYTHON", "LC_")
_STARTUP_NAMES = {"LANG", "LANGUAGE", "TZ"}


def _startup_env(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k.startswith(_STARTUP_PREFIXES) or k in _STARTUP_NAMES}


class _Server:
    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.env = dict(os.environ)
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, str(theirs.fileno()), json.dumps(PRELOAD)],
                                     pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, env=self.env)
        theirs.close()
        self.sock = ours
        self.lock = threading.Lock()
        if self._exact(1) != b"R":
            raise OSError("the fork server did not start")

    def _exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            more = self.sock.recv(n - len(data))
            if not more:
                raise OSError("the fork server is gone")
            data += more
        return data

    def run(self, args: list[str], cwd, env: dict[str, str], stdin: bytes | None,
            timeout: float) -> subprocess.CompletedProcess:
        with self.lock:
            try:
                return self._run(args, cwd, env, stdin, timeout)
            except subprocess.TimeoutExpired:
                raise
            except BaseException:      # cut off mid-request (Ctrl-C, an error): start afresh next time
                self.close()
                raise

    def _run(self, args, cwd, env, stdin, timeout):
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        if stdin is None:
            in_r, in_w = os.open(os.devnull, os.O_RDONLY), None
        else:
            in_r, in_w = os.pipe()
        request = json.dumps({"args": list(args), "cwd": os.fspath(cwd), "env": env}).encode("utf-8")
        try:
            socket.send_fds(self.sock, [b"F"], [in_r, out_w, err_w])
            self.sock.sendall(struct.pack(">I", len(request)) + request)
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
        (pid,) = struct.unpack(">i", self._exact(4))
        out, err, timed_out = _communicate(pid, in_w, stdin or b"", out_r, err_r, timeout)
        status, seconds = struct.unpack(">id", self._exact(12))
        global cpu_seconds
        cpu_seconds += seconds
        code = os.waitstatus_to_exitcode(status)
        cmd = [sys.executable, "-m", "checker", *args]
        if timed_out:
            raise subprocess.TimeoutExpired(cmd, timeout, out, err)
        return subprocess.CompletedProcess(cmd, code, out, err)

    def close(self) -> None:
        self.sock.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _communicate(pid: int, in_w: int | None, data: bytes, out_r: int, err_r: int, timeout: float):
    """Feed stdin and read stdout and stderr to their end; kill the run at the timeout."""
    chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
    deadline = time.monotonic() + timeout
    timed_out = False
    with selectors.DefaultSelector() as sel:
        sel.register(out_r, selectors.EVENT_READ)
        sel.register(err_r, selectors.EVENT_READ)
        if in_w is not None:
            if data:
                os.set_blocking(in_w, False)
                sel.register(in_w, selectors.EVENT_WRITE)
            else:
                os.close(in_w)
        view, sent = memoryview(data), 0
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0 and not timed_out:
                timed_out = True
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            for key, _ in sel.select(timeout=max(left, 0.05) if not timed_out else 1):
                fd = key.fd
                if fd == in_w:
                    try:
                        sent += os.write(fd, view[sent:sent + 65536])
                    except (BrokenPipeError, BlockingIOError) as exc:
                        if isinstance(exc, BlockingIOError):
                            continue
                        sent = len(data)
                    if sent >= len(data):
                        sel.unregister(fd)
                        os.close(fd)
                    continue
                block = os.read(fd, 65536)
                if block:
                    chunks[fd].append(block)
                else:
                    sel.unregister(fd)
                    os.close(fd)
    return b"".join(chunks[out_r]), b"".join(chunks[err_r]), timed_out


def text(data: bytes) -> str:
    """What ``subprocess.run(..., text=True, encoding="utf-8")`` makes of the bytes (universal newlines)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


_server: _Server | None = None
_broken = False
cpu_seconds = 0.0       # of the runs forked so far in this process (for measuring the suite)


def run(args, cwd, env: dict[str, str] | None = None, stdin: bytes | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess:
    """``subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, env=env,
    capture_output=True, stdin=DEVNULL or input=stdin, timeout=timeout)``, bytes in and out."""
    global _server, _broken
    env = dict(os.environ if env is None else env)
    if not _broken and os.environ.get("FZLINT_TESTS_FORK", "1") != "0" and hasattr(socket, "send_fds") \
            and hasattr(os, "fork"):
        try:
            if _server is None:
                _server = _Server()
            if _startup_env(env) == _startup_env(_server.env):
                try:
                    return _server.run(args, cwd, env, stdin, timeout)
                except subprocess.TimeoutExpired:
                    raise
                except BaseException:
                    _server = None
                    raise
        except OSError:      # the server could not start or went away: new interpreters from now on
            _broken = True
    cmd = [sys.executable, "-m", "checker", *args]
    if stdin is None:
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, stdin=subprocess.DEVNULL,
                              timeout=timeout)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, input=stdin, timeout=timeout)


def close() -> None:
    global _server
    if _server is not None:
        _server.close()
        _server = None
