"""`fzlint serve`: a local web page where authors and reviewers check reports without a terminal.

:func:`run` listens on 127.0.0.1 (another address only when asked, with a warning), on the
port given or a free one it prints, and serves :class:`checker.serve.app.App` with Werkzeug's
threaded WSGI server until Ctrl-C, SIGTERM or SIGHUP, which stop it cleanly: the listening
socket is closed and the results kept in memory are dropped. Uploaded files never touch the
disk. The page is rendered with Jinja2 templates (``checker/serve/templates``).
"""

from __future__ import annotations

import errno
import signal
import socket
import sys
import threading

from checker.serve.app import DEFAULT_MAX_UPLOAD, App, allowed_hosts

__all__ = ["App", "run", "ServeError", "DEFAULT_MAX_UPLOAD"]


class ServeError(Exception):
    """The server cannot start (the port is taken, the address is not this machine's, ...)."""


def is_loopback(host: str) -> bool:
    return allowed_hosts(host, 1) is not None


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port), or a :class:`ServeError` in Chinese."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        raise ServeError(f"无法解析监听地址“{host}”：找不到这个主机名或地址"
                         "（只在本机使用时不必加 --host）") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRNOTAVAIL:
            raise ServeError(f"{host} 不是本机的地址，无法在其上监听（只在本机使用时不必加 --host）") from None
        if port and exc.errno == errno.EADDRINUSE:
            raise ServeError(f"端口 {port} 已被其他程序占用；请换一个端口（--port），"
                             "或不指定 --port，由 fzlint 自动选择空闲端口") from None
        if port and port < 1024 and exc.errno == errno.EACCES:
            raise ServeError(f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）；"
                             "请用 1024 以上的端口") from None
        name = errno.errorcode.get(exc.errno or 0, str(exc.errno))
        raise ServeError(f"无法在 {host}:{port} 上监听（系统错误 {name}）") from None
    return sock


def _echo(message: str, file=None) -> None:
    print(message, file=file or sys.stdout, flush=True)


def url_for(host: str, port: int) -> str:
    if not is_loopback(host) and host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def run(settings, host: str = "127.0.0.1", port: int = 0, max_upload: int = DEFAULT_MAX_UPLOAD, *,
        verbose: bool = False, open_browser: bool = False, echo=None) -> int:
    """Serve the page until stopped; returns the exit code (0 after Ctrl-C, SIGTERM or SIGHUP)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    echo = echo or _echo

    sock = listen(host, port)
    port = sock.getsockname()[1]
    app = App(settings, max_upload, allowed_hosts(host, port), verbose)

    class Handler(WSGIRequestHandler):
        timeout = 300               # a connection that sends nothing for 5 minutes is dropped

        def log(self, type: str, message: str, *args) -> None:     # noqa: A002 - Werkzeug's name
            if verbose:
                super().log(type, message, *args)

    try:
        server = make_server(host, port, app, threaded=True, request_handler=Handler, fd=sock.fileno())
    finally:
        sock.close()                # the server listens on its own duplicate
    stopping = []

    def stop(signum, frame) -> None:
        if not stopping:
            stopping.append(signum)
            threading.Thread(target=server.shutdown, daemon=True).start()

    # before the address is printed: whoever read it may stop the server at once
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    previous = {name: signal.signal(getattr(signal, name), stop) for name in names if hasattr(signal, name)}
    url = url_for(host, port)
    try:
        if not is_loopback(host):
            echo(f"fzlint serve：警告：正在 {host} 上监听，同一网络中的其他计算机也能打开本页、上传文件；"
                 "请只在可信的网络中这样做（不加 --host 则只有本机可以访问）", file=sys.stderr)
        echo(f"fzlint serve：请在浏览器中打开 {url} （按 Ctrl-C 停止）")
        if open_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        server.serve_forever(poll_interval=0.2)
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
        server.server_close()
        app.store.clear()
    newline = "\n" if stopping and stopping[0] == signal.SIGINT and sys.stderr.isatty() else ""
    echo(f"{newline}fzlint serve：已停止", file=sys.stderr)
    return 0
