"""The WSGI application behind `fzlint serve`: one page to upload reports and read their findings.

Routes:

* ``GET /``: the page with the upload form (drop files on it, or choose them);
* ``POST /check``: the uploaded files are checked in memory (:func:`checker.lint.lint_bytes`,
  never written to disk: the multipart parser's file streams are :class:`io.BytesIO`), the
  results kept in memory under a random token, and the browser sent on (303) to
* ``GET /results/<token>``: the page with the results: the compliance matrix for several
  files, each report with its findings (the line, the span marked, the message, the
  severity, the rule's explanation on click), and the downloads:
* ``GET /results/<token>/report.html``: the HTML report of the batch (:mod:`checker.reporters.html_report`);
* ``GET /results/<token>/<n>/annotated.docx``: the n-th file with the findings as Word
  comments, through :mod:`checker.serve.annotated`.

Nothing is fetched from elsewhere: the CSS and the script are inline, allowed by a nonce in
the Content-Security-Policy (``default-src 'none'``), so the page cannot load anything else.
Requests whose Host is not the server's own address are refused (a web page cannot reach the
server through a DNS name of its own: DNS rebinding), and so are POSTs from another origin
(a page the user visits cannot make the server check, or read, anything). The server never
opens a path a client names: it reads only the bytes uploaded.

Results are kept for the server's life, the last :data:`KEEP_BATCHES` batches at most and no
more than twice the upload limit in bytes; the oldest go first.
"""

from __future__ import annotations

import io
import secrets
import threading
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from jinja2 import Environment, PackageLoader, StrictUndefined
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Request, Response

from checker import __version__, sources
from checker.diagnostics import Severity
from checker.reporters.html_report import (
    CSS,
    SCRIPT,
    SEVERITY_LABEL,
    STATUS_RANK,
    STATUS_TEXT,
    STATUS_TITLE,
    HtmlReporter,
    clean,
)
from checker.reporters.matrix import FAIL, UNCHECKED, UNCHECKED_NOTE, UNREAD, passed_phrase
from checker.reporters.safe import escape as shown
from checker.reporters.safe import human_path
from checker.serve import annotated

FIELD = "files"                  # the form's file field
MAX_FILES = 100                  # files in one upload
KEEP_BATCHES = 20                # batches of results kept in memory
DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024
NAME_CHARS = 200                 # code points kept of an uploaded file's name
ACCEPT = ".docx,.pdf,.txt,.md,.markdown,.html,.htm"


def size_text(n: int) -> str:
    """A size as the messages say it: 1.5 MB, 300 KB."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    return f"{max(n, 1) / 1024:.0f} KB"


class Refused(Exception):
    """A request the page answers with a message (status and Chinese text), not with results."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class UploadRequest(Request):
    """Multipart uploads parsed into memory only. (max_form_memory_size stays Werkzeug's 500 KB:
    its decoder checks each read of 64 KB plus what it still buffers against it, in file parts
    too, so at 64 KB a Word file and a PDF sent together were refused.)"""

    max_form_parts = MAX_FILES + 10

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()        # bounded by max_content_length: never a temporary file on disk


@dataclass
class TextLine:
    """One line of a checked text as the page shows it: its pieces, those inside a finding's
    span marked with the worst severity there, and the findings that start on it."""

    number: int
    pieces: list[tuple[str, str | None]]      # (text, severity label of a mark, or None)
    findings: list = field(default_factory=list)


MAX_TEXT_LINES = 5000            # lines of a text shown in the page (its findings are all listed anyway)


def text_lines(text: str, diagnostics, findings) -> list[TextLine]:
    """The text's lines with each finding's span marked where it is (a span over several lines
    marks the end of its first line, the lines between and the start of its last) and each
    finding listed under the line it starts on. ``findings``: html_report's, in the order of
    ``diagnostics`` sorted by their sort_key."""
    from checker.reporters import visible_span
    from checker.skeleton.normalize import split_lines

    lines = split_lines(text)
    if lines and lines[-1] == "":
        lines.pop()
    lines = lines[:MAX_TEXT_LINES]
    marks: dict[int, list[tuple[int, int, Severity]]] = {}
    starts: dict[int, list] = {}
    for d, f in zip(sorted(diagnostics, key=lambda d: d.sort_key()), findings):
        span = visible_span(lines, d.span) if lines else None
        if span is None:
            continue
        line, col, end_line, end_col = span
        starts.setdefault(line, []).append(f)
        for n in range(line, end_line + 1):
            a = col - 1 if n == line else 0
            b = end_col - 1 if n == end_line else len(lines[n - 1])
            b = max(b, a + 1) if a < len(lines[n - 1]) else b       # an empty span marks one character
            if b > a:
                marks.setdefault(n, []).append((a, b, d.severity))
    return [TextLine(n, _pieces(raw, marks.get(n, [])), starts.get(n, [])) for n, raw in enumerate(lines, 1)]


def _pieces(line: str, marks: list[tuple[int, int, Severity]]) -> list[tuple[str, str | None]]:
    if not marks:
        return [(line, None)]
    worst = [None] * len(line)
    for a, b, severity in marks:
        for i in range(max(a, 0), min(b, len(line))):
            if worst[i] is None or severity > worst[i]:
                worst[i] = severity
    pieces: list[tuple[str, str | None]] = []
    start = 0
    for i in range(1, len(line) + 1):
        if i == len(line) or worst[i] != worst[start]:
            pieces.append((line[start:i], worst[start].label if worst[start] is not None else None))
            start = i
    return pieces


@dataclass
class Item:
    """One uploaded file and what the page shows of it."""

    index: int
    name: str                      # as shown (a base name, made unique in the batch)
    row: object                    # its matrix row (checker.reporters.matrix.Row)
    findings: list                 # html_report.Finding, sorted, with the quoted lines
    diagnostics: list
    size: int
    checked: bool
    crash: str = ""                # fzlint failed on this file (a bug): what to say
    data: bytes | None = None      # kept only when an annotated copy can be made
    no_annotation: str | None = None   # why there is no annotated copy (None: there is one)
    labels: list[str] = field(default_factory=list)   # the items of its kind (the matrix's columns)
    text: list[TextLine] = field(default_factory=list)   # the checked text, findings in place

    @property
    def status(self) -> tuple[str, str]:
        """(css class, sentence) for the line under the file's name."""
        r = self.row
        if self.crash:
            return "unread", f"fzlint 检查此文件时出错：{self.crash}（其余文件照常检查）"
        if r.unread:
            return "unread", f"无法检查：{shown(r.problem)}"
        labels, columns = self.labels, r.cells
        failed = [f"{label}（{'、'.join(c.codes)}）" for label, c in zip(labels, columns) if c.status == FAIL]
        if failed:
            return "fail", "未通过事项：" + "、".join(failed)
        if not labels:
            return "ok", ""
        unchecked = [label for label, c in zip(labels, columns) if c.status == UNCHECKED]
        if len(unchecked) == len(labels):
            return "unchecked", f"各事项均未检查（{UNCHECKED_NOTE}）。"
        if unchecked:
            return "unchecked", f"已检查的事项均已具备；未检查：{'、'.join(unchecked)}（{UNCHECKED_NOTE}）。"
        return "ok", "各事项均已具备。"


@dataclass
class Batch:
    """The results of one upload."""

    token: str
    items: list[Item]
    groups: list                   # matrix.Group: the matrix, one per report kind
    tally: object                  # checker.reporters.summary.Tally
    rules: list[dict]              # the rules that fired: code, title, severity, explanation
    report_html: str               # the downloadable HTML report
    size: int = 0                  # bytes kept (report and files), for the store's bound
    title: str = ""

    @property
    def passed(self) -> str:
        return passed_phrase([i.row for i in self.items])


class Store:
    """The batches of results, newest last; the oldest go when there are too many or too big."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._batches: OrderedDict[str, Batch] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, batch: Batch) -> None:
        with self._lock:
            self._batches[batch.token] = batch
            while len(self._batches) > 1 and (len(self._batches) > KEEP_BATCHES or
                                              sum(b.size for b in self._batches.values()) > self.max_bytes):
                self._batches.popitem(last=False)

    def get(self, token: str) -> Batch | None:
        with self._lock:
            return self._batches.get(token)

    def clear(self) -> None:
        with self._lock:
            self._batches.clear()


def upload_name(raw: str | None, taken: set[str]) -> str:
    """The name an uploaded file is shown and read under: its base name only (a client's
    path is never used as one), at most :data:`NAME_CHARS` code points, made unique in the
    batch (报告 (2).docx); the suffix still picks the reader."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "未命名文件"
    if len(name) > NAME_CHARS:
        suffix = PurePath(name).suffix[:16]
        name = name[:NAME_CHARS - len(suffix)] + suffix
    unique, n = name, 1
    while unique in taken:
        n += 1
        path = PurePath(name)
        unique = f"{path.stem} ({n}){path.suffix}" if path.stem else f"{name} ({n})"
    taken.add(unique)
    return unique


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The Host headers the server answers: its own loopback address and port (by number or
    as localhost); None (any) when it listens beyond loopback."""
    if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("127."):
        return None
    names = {*LOOPBACK_NAMES, host if ":" not in host else f"[{host}]"}
    hosts = {f"{n}:{port}" for n in names}
    if port == 80:
        hosts |= names
    return frozenset(hosts)


class App:
    """The WSGI application: ``App(settings, max_upload)``; ``settings`` is the
    :class:`checker.config.Settings` every upload is checked with (its registry, selection,
    per-file ignores and file size limit)."""

    def __init__(self, settings, max_upload: int = DEFAULT_MAX_UPLOAD, hosts: frozenset[str] | None = None,
                 verbose: bool = False):
        self.settings = settings
        self.registry = settings.registry
        self.max_file = settings.max_bytes or sources.DEFAULT_MAX_BYTES
        self.max_upload = max(max_upload, self.max_file + 1024 * 1024)   # one file at the limit fits
        self.hosts = hosts
        self.verbose = verbose
        self.store = Store(2 * self.max_upload)
        self._lint_lock = threading.Lock()        # one batch at a time: memory and CPU stay bounded
        self._explained: dict[str, str] = {}
        self.env = Environment(loader=PackageLoader("checker.serve", "templates"), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters["clean"] = clean
        self.env.filters["clean_lines"] = lambda text: "\n".join(clean(line) for line in text.split("\n"))
        self.env.filters["shown"] = shown
        self.env.filters["path"] = human_path
        self.env.filters["size"] = size_text
        self.env.globals.update(
            version=__version__, css=CSS, matrix_script=SCRIPT, severity_label=SEVERITY_LABEL,
            status_text=STATUS_TEXT, status_title=STATUS_TITLE, status_rank=STATUS_RANK, FAIL=FAIL,
            UNREAD=UNREAD, UNCHECKED=UNCHECKED, max_file=self.max_file, max_upload=self.max_upload,
            max_files=MAX_FILES, accept=ACCEPT, field=FIELD, severity=Severity)
        self.urls = Map([
            Rule("/", endpoint="index", methods=["GET"]),
            Rule("/check", endpoint="check", methods=["POST"]),
            Rule("/results/<token>", endpoint="results", methods=["GET"]),
            Rule("/results/<token>/report.html", endpoint="report", methods=["GET"]),
            Rule("/results/<token>/<int:index>/annotated.docx", endpoint="annotated", methods=["GET"]),
        ], strict_slashes=False)

    # -- WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = UploadRequest(environ)
        request.max_content_length = self.max_upload
        try:
            response = self.dispatch(request)
        except Refused as exc:
            response = self.page(exc.status, error=exc.message)
        except HTTPException as exc:
            response = self.page(exc.code or 500, error=self._http_message(exc))
        except Exception as exc:  # noqa: BLE001 - a bug answers with a message, never a traceback page
            if self.verbose:
                traceback.print_exc()
            response = self.page(500, error=f"fzlint 内部错误：{type(exc).__name__}: {shown(str(exc))}"
                                            "（服务仍在运行；启动时加 --verbose 可查看详情）")
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        self._check_host(request)
        adapter = self.urls.bind_to_environ(request.environ)
        endpoint, args = adapter.match()
        return getattr(self, f"on_{endpoint}")(request, **args)

    def _http_message(self, exc: HTTPException) -> str:
        if exc.code == 404:
            return "没有这个页面；请从首页上传文件"
        if exc.code == 405:
            return "该页面不接受这种请求"
        if isinstance(exc, RequestEntityTooLarge):
            return self._too_large(None)
        return f"请求无效（HTTP {exc.code}）"

    # -- cross-site care -----------------------------------------------------------------------

    def _check_host(self, request: Request) -> None:
        """Answer only requests for our own address: a page of another site that has its DNS
        name point at 127.0.0.1 (DNS rebinding) sends its own name as Host and is refused."""
        if self.hosts is None:
            return
        host = request.environ.get("HTTP_HOST", "").lower()
        if host not in self.hosts:
            raise Refused(400, f"请求的主机名“{shown(host[:100])}”不是本服务的地址，已拒绝"
                               "（为防止其他网站借道访问本机服务）；请用 fzlint serve 启动时显示的地址打开本页")

    def _check_origin(self, request: Request) -> None:
        """Refuse a POST that another site's page made the browser send: its Origin (which
        browsers send with every cross-origin POST, and Chromium with same-origin ones too) is
        not this page's, or its Sec-Fetch-Site says so. A client that sends neither is no
        browser, and no other site's page."""
        origin = request.headers.get("Origin")
        host = request.environ.get("HTTP_HOST", "")
        if origin is not None and origin.lower() != f"http://{host}".lower():
            raise Refused(403, f"拒绝了来自其他网页（{shown(origin[:100])}）的上传请求；请直接在本页选择文件")
        site = request.headers.get("Sec-Fetch-Site")
        if site is not None and site not in ("same-origin", "none"):
            raise Refused(403, "拒绝了来自其他网页的上传请求；请直接在本页选择文件")

    # -- pages ---------------------------------------------------------------------------------

    def page(self, status: int = 200, batch: Batch | None = None, error: str | None = None) -> Response:
        nonce = secrets.token_urlsafe(16)
        body = self.env.get_template("page.html").render(batch=batch, error=error, nonce=nonce, status=status)
        response = Response(body, status=status, mimetype="text/html")
        self._secure(response, nonce)
        return response

    @staticmethod
    def _secure(response: Response, nonce: str | None = None) -> None:
        inline = f"'nonce-{nonce}'" if nonce else "'none'"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; style-src {inline}; script-src {inline}; img-src data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"     # no-referrer would make Chromium send Origin: null
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"

    def on_index(self, request: Request) -> Response:
        return self.page()

    def on_results(self, request: Request, token: str) -> Response:
        return self.page(batch=self._batch(token))

    def _batch(self, token: str) -> Batch:
        batch = self.store.get(token)
        if batch is None:
            raise Refused(404, f"这批检查结果已不在内存中（本服务只保留最近 {KEEP_BATCHES} 批结果，停止后全部清除）；"
                               "请重新上传文件")
        return batch

    def on_report(self, request: Request, token: str) -> Response:
        batch = self._batch(token)
        name = f"{PurePath(batch.items[0].name).stem}.fzlint.html" if len(batch.items) == 1 else "fzlint-检查结果.html"
        return self._download(batch.report_html.encode("utf-8"), name, "text/html; charset=utf-8", request)

    def on_annotated(self, request: Request, token: str, index: int) -> Response:
        batch = self._batch(token)
        if not 0 <= index < len(batch.items):
            raise Refused(404, "没有这个文件；请重新上传")
        item = batch.items[index]
        why = item.no_annotation or (None if item.data is not None else annotated.UNAVAILABLE)
        if why is not None:
            raise Refused(404, f"{human_path(item.name)}：{why}")
        try:
            data = annotated.annotate(item.data, item.name, item.diagnostics)
        except annotated.Unavailable as exc:
            raise Refused(404, f"{human_path(item.name)}：{exc}") from None
        return self._download(data, annotated.annotated_name(item.name),
                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document", request)

    def _download(self, data: bytes, name: str, mimetype: str, request: Request) -> Response:
        response = send_file(io.BytesIO(data), request.environ, mimetype=mimetype, as_attachment=True,
                             download_name=name, max_age=0)
        self._secure(response)
        return response

    # -- checking ------------------------------------------------------------------------------

    def _too_large(self, size: int | None) -> str:
        said = f"共 {size_text(size)}，" if size else ""
        return (f"本次上传{said}超过每次上传的上限 {size_text(self.max_upload)}；请分批上传，"
                "或在启动时用 fzlint serve --max-upload-size 提高上限")

    def on_check(self, request: Request) -> Response:
        self._check_origin(request)
        if request.mimetype != "multipart/form-data":
            raise Refused(400, "请通过本页的表单上传文件")
        size = request.content_length
        if size is not None and size > self.max_upload:
            raise Refused(413, self._too_large(size))
        try:
            files = request.files.getlist(FIELD)
        except RequestEntityTooLarge:      # too many parts, or a body without a length that grew too long
            if self.verbose:
                traceback.print_exc()
            raise Refused(413, f"本次上传超过上限（每次最多 {MAX_FILES} 个文件、合计 {size_text(self.max_upload)}）；"
                               "请分批上传") from None
        files = [f for f in files if f.filename or f.stream.getbuffer().nbytes]   # an empty input sends one empty part
        if not files:
            raise Refused(400, "没有收到文件；请选择或拖入一个或多个报告文件")
        if len(files) > MAX_FILES:
            raise Refused(413, f"一次最多上传 {MAX_FILES} 个文件（本次 {len(files)} 个）；请分批上传")
        taken: set[str] = set()
        uploads = [(upload_name(f.filename, taken), f.stream.getvalue()) for f in files]
        with self._lint_lock:
            batch = self._lint(uploads)
        self.store.put(batch)
        return redirect(f"/results/{batch.token}", 303)

    def _lint(self, uploads: list[tuple[str, bytes]]) -> Batch:
        from checker.lint import FileResult, lint_bytes
        from checker.reporters.summary import Tally

        out = io.StringIO()
        reporter = HtmlReporter(out, self.registry)
        tally = Tally()
        items = []
        can_annotate = annotated.available()
        for index, (name, data) in enumerate(uploads):
            enabled = self.settings.enabled_for(Path(name))
            crash = ""
            try:
                result = lint_bytes(data, name, self.registry, enabled, self.max_file)
            except Exception as exc:  # noqa: BLE001 - one file's crash must not lose the others
                if self.verbose:
                    traceback.print_exc()
                crash = f"{type(exc).__name__}: {shown(str(exc))}"
                result = FileResult(name, enabled=enabled)
            reporter.file(result)
            tally.add(result.diagnostics)
            row = reporter.matrix.rows[-1]
            entry = reporter.entries[id(row)]
            why = annotated.why_not(name, result.checked) if not crash else annotated.NOT_CHECKED
            keep = can_annotate and why is None
            item = Item(index, name, row, entry.findings, result.diagnostics, len(data), result.checked,
                        crash, data if keep else None, why)
            if result.checked and result.source is not None:
                item.text = text_lines(result.source.text, result.diagnostics, entry.findings)
            items.append(item)
        reporter.finish(tally)
        groups = reporter.matrix.groups("path")
        labels = {id(r): g.labels for g in groups for r in g.rows}
        for item in items:
            item.labels = labels.get(id(item.row), [])
        html = out.getvalue()
        kept = len(html.encode("utf-8")) + sum(len(i.data) for i in items if i.data is not None) \
            + sum(3 * len(text) for i in items for line in i.text for text, _ in line.pieces)
        rules = [self._rule(code) for _, code, _ in sorted(tally.statistics(), key=lambda t: t[1])]
        from checker.reporters.html_report import page_title

        return Batch(secrets.token_urlsafe(18), items, groups, tally, rules, html, kept, page_title(groups))

    def _rule(self, code: str) -> dict:
        rule = self.registry.rule(code)
        if rule is None:
            return {"code": code, "title": "", "severity": "info", "zh": "", "text": ""}
        if code not in self._explained:
            from checker.reporters.rules_doc import explain

            try:
                self._explained[code] = explain(rule, self.registry)
            except Exception as exc:  # noqa: BLE001 - an example that fails leaves the rest of the page
                self._explained[code] = f"{rule.id} {rule.title}\n\n（无法生成说明：{type(exc).__name__}）"
        return {"code": code, "title": rule.title, "severity": rule.severity.label, "zh": rule.severity.zh,
                "text": self._explained[code]}
