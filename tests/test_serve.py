"""`fzlint serve`: the page, uploads and their limits, cross-site refusals, downloads, the server
starting and stopping. In process through Werkzeug's test client (fast), and as the real
command over HTTP. The page in a real browser is tests/test_serve_browser.py."""

import io
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import types
from html.parser import HTMLParser
from pathlib import Path

import pytest
from werkzeug.test import Client

from checker.config import Settings
from checker.engine.registry import load_registry
from checker.lint import lint_bytes
from checker.reporters.rules_doc import explain
from checker.serve import annotated
from checker.serve.app import App, allowed_hosts, upload_name

from conftest import ROOT
from test_cli import fzlint

SEED = ROOT / "seeds" / "003_112b9c6151324e38.txt"
DOCX = ROOT / "tests" / "data" / "libreoffice" / "002_c589ac335115484d.docx"
PDF = ROOT / "tests" / "data" / "libreoffice" / "001_f41aa8fe595c37d2.pdf"
HOST = "127.0.0.1:8765"
ORIGIN = f"http://{HOST}"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def make_app(registry, max_file=None, max_upload=100 * 1024 * 1024, hosts=None) -> App:
    settings = Settings(registry, None, ROOT, max_bytes=max_file) if max_file else Settings(registry, None, ROOT)
    return App(settings, max_upload, allowed_hosts("127.0.0.1", 8765) if hosts is None else hosts)


@pytest.fixture(scope="module")
def app(registry):
    return make_app(registry)


def client(app) -> Client:
    return Client(app)


def upload(app, files, origin=ORIGIN, host=HOST, headers=None, follow=True):
    """POST the (name, bytes) pairs as the page's form does; the response, followed to the results."""
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    extra = {"Host": host, **({"Origin": origin} if origin else {}), **(headers or {})}
    return client(app).post("/check", data=data, headers=extra, follow_redirects=follow)


# -- reading the page back ---------------------------------------------------------------------

class PageParser(HTMLParser):
    """The reports (data-path -> findings as (code, severity, line, column, marked text)), the
    matrix rows, the rule explanations, the error box and every element's attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.reports, self.rows, self.rules, self.tags = {}, [], {}, []
        self.status, self.error, self.unavailable = {}, None, {}
        self._report = self._finding = self._text = self._rule = None
        self._capture = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        classes = (a.get("class") or "").split()
        if tag == "section" and "report" in classes:
            self._report = a["data-path"]
            self.reports[self._report] = []
        elif tag == "li" and "finding" in classes:
            self._finding = [a["data-code"], a["data-severity"], int(a["data-line"]), int(a["data-column"]), ""]
            self.reports[self._report].append(self._finding)
        elif tag == "mark" and self._finding is not None:
            self._capture = "mark"
        elif tag == "tr" and "data-path" in a and a.get("class") in ("passed", "failing"):
            self.rows.append(a)
        elif tag == "details" and "rule" in classes:
            self._rule = a["data-code"]
            self.rules[self._rule] = ""
        elif tag == "pre" and "explain-text" in classes and self._rule:
            self._capture = "rule"
        elif tag == "p" and "error-message" in classes:
            self._capture, self.error = "error", ""
        elif tag == "p" and "status" in classes and self._report:
            self._capture = "status"
            self.status[self._report] = ""
        elif tag == "span" and "unavailable" in classes and self._report:
            self.unavailable[self._report] = a["data-reason"]

    def handle_endtag(self, tag):
        if tag in ("mark", "pre", "p"):
            self._capture = None
        if tag == "li":
            self._finding = None
        if tag == "details":
            self._rule = None

    def handle_data(self, data):
        if self._capture == "mark":
            self._finding[4] += data
        elif self._capture == "rule":
            self.rules[self._rule] += data
        elif self._capture == "error":
            self.error += data
        elif self._capture == "status":
            self.status[self._report] += data


def parse(text: str) -> PageParser:
    parser = PageParser()
    parser.feed(text)
    parser.close()
    return parser


def expected(registry, name: str, data: bytes):
    result = lint_bytes(data, name, registry)
    return sorted([[d.code, d.severity.label, d.span.line, d.span.column] for d in result.diagnostics],
                  key=lambda f: (f[2], f[3], f[0]))


def found(page: PageParser, name: str):
    return sorted([f[:4] for f in page.reports[name]], key=lambda f: (f[2], f[3], f[0]))


# -- the page ----------------------------------------------------------------------------------

def test_index_is_a_chinese_page_that_loads_nothing_from_elsewhere(app):
    response = client(app).get("/", headers={"Host": HOST})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in text and "把报告文件拖到这里，或点击选择文件" in text
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "form-action 'self'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    page = parse(text)
    for tag, attrs in page.tags:
        for key in ("src", "href", "action"):
            value = attrs.get(key)
            assert value is None or value.startswith(("/", "#", "data:")), (tag, key, value)
        if tag in ("script", "style"):
            assert attrs.get("nonce") == nonce          # the only code the page runs is its own
    form = next(a for tag, a in page.tags if tag == "form")
    assert (form["method"], form["action"], form["enctype"]) == ("post", "/check", "multipart/form-data")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert client(app).get("/", headers={"Host": HOST}).headers["Content-Security-Policy"] != csp  # a new nonce


def test_findings_on_the_page_are_those_of_check(app, registry):
    files = [(SEED.name, SEED.read_bytes()), (DOCX.name, DOCX.read_bytes()), (PDF.name, PDF.read_bytes())]
    response = upload(app, files)
    assert response.status_code == 200
    assert response.request.path.startswith("/results/")
    page = parse(response.get_data(as_text=True))
    assert list(page.reports) == [name for name, _ in files]
    for name, data in files:
        want = expected(registry, name, data)
        assert want, name
        assert found(page, name) == want
    # the quoted line marks the span: FZ501's misnamed regulation in the seed
    fz501 = next(f for f in page.reports[SEED.name] if f[0] == "FZ501")
    assert fz501[4] == "责任落实督查"
    # several files: the matrix, one row per file
    assert sorted(r["data-path"] for r in page.rows) == sorted(name for name, _ in files)
    # every rule that fired is explained, with `fzlint explain`'s text
    codes = {f[0] for findings in page.reports.values() for f in findings}
    assert set(page.rules) == codes
    assert page.rules["FZ501"] == explain(registry.rule("FZ501"), registry)


class TextParser(HTMLParser):
    """The full text of each report: its lines (number -> [(text, mark class or None)]) and
    the notes under them (number -> [(code, text)])."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._report, self._line, self._mark, self._note, self._in = {}, None, None, None, None, 0
        self._last = None          # the line the notes that follow are under

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "section" and "report" in classes:
            self._report = self.texts.setdefault(a["data-path"], {"lines": {}, "notes": {}})
        elif tag == "div" and "tl" in classes:
            self._line = self._last = int(a["data-line"])
            self._report["lines"][self._line] = []
        elif tag == "mark" and self._line is not None:
            self._mark = a.get("class")
        elif tag == "div" and "note" in classes:
            self._note = [a["data-code"], ""]
            self._report["notes"].setdefault(self._last, []).append(self._note)
        elif tag == "span" and "ln" in classes and self._line is not None:
            self._in = 1

    def handle_endtag(self, tag):
        if tag == "mark":
            self._mark = None
        elif tag == "span" and self._in:
            self._in = 0
        elif tag == "div":
            self._note = self._line = None

    def handle_data(self, data):
        if self._in:
            return
        if self._note is not None:
            self._note[1] += data
        elif self._line is not None and self._report is not None:
            self._report["lines"][self._line].append((data, self._mark))


def test_the_full_text_marks_the_findings_in_place(app, registry):
    text = upload(app, [(SEED.name, SEED.read_bytes())]).get_data(as_text=True)
    parser = TextParser()
    parser.feed(text)
    full = parser.texts[SEED.name]
    lines = SEED.read_text(encoding="utf-8").splitlines()
    assert len(full["lines"]) == len(lines)
    assert ["".join(t for t, _ in full["lines"][n]) for n in sorted(full["lines"])] == lines
    # FZ501 at 5:25, the misnamed regulation marked as a warning, its message under the line
    assert [t for t, mark in full["lines"][5] if mark] == ["责任落实督查"]
    assert [mark for t, mark in full["lines"][5] if mark] == ["warning"]
    result = lint_bytes(SEED.read_bytes(), SEED.name, registry)
    notes = sorted((n, code) for n, found in full["notes"].items() for code, _ in found)
    assert notes == sorted((d.span.line, d.code) for d in result.diagnostics)
    [(code, said)] = full["notes"][5]
    assert code == "FZ501" and said.endswith(next(d.message for d in result.diagnostics if d.code == "FZ501"))
    # a finding's position links to its line in the full text
    assert 'href="#r0-l5" title="在全文中查看">第 5 行第 25 列</a>' in text


def test_one_file_has_no_matrix_but_its_failed_items(app):
    page = parse(upload(app, [(SEED.name, SEED.read_bytes())]).get_data(as_text=True))
    assert page.rows == []
    assert page.status[SEED.name].startswith("未通过事项：不足原因（FZ107）")


def test_reports_of_several_kinds_get_a_matrix_each(app):
    gk = ROOT / "tests" / "data" / "gk" / "missing_part.txt"
    files = [(SEED.name, SEED.read_bytes()), ("信息公开年报.txt", gk.read_bytes()), ("照片.png", PNG)]
    page = parse(upload(app, files).get_data(as_text=True))
    tables = {a["id"]: a.get("data-kind") for tag, a in page.tags if tag == "table"}
    assert tables == {"matrix-fazhi": "fazhi", "matrix-gk": "gk", "unread-files": ""}
    rows = {r["data-path"]: r for r in page.rows}
    assert set(rows) == {name for name, _ in files}
    kinds = [a for tag, a in page.tags if tag == "span" and a.get("class") == "kind"]
    assert len(kinds) == 2                           # the two reports name their kind; the image none
    assert "FZG" in " ".join(f[0] for f in page.reports["信息公开年报.txt"])


def test_gb18030_text_and_chinese_names(app, registry):
    text = SEED.read_text(encoding="utf-8")
    data = text.encode("gb18030")
    page = parse(upload(app, [("平安县报告.txt", data)]).get_data(as_text=True))
    assert found(page, "平安县报告.txt") == expected(registry, "x.txt", text.encode("utf-8"))


@pytest.mark.parametrize("name, data, code, words", [
    ("图片.png", PNG, "FZ904", "暂不支持的文件格式：.png"),
    ("报告.txt", PNG, "FZ902", "疑似二进制文件"),
    ("表格.txt", b"PK\x03\x04" + b"xl/workbook.xml" + bytes(100), "FZ904", "文件内容是 Excel 表格"),
    ("随机.txt", bytes(range(256)) * 40, "FZ902", "疑似二进制文件"),
    ("坏的.docx", b"PK\x03\x04 not really", "FZ907", "压缩包已损坏"),
    ("空.txt", b"", "FZ903", "没有任何文字内容"),
    ("程序", b"\x7fELF" + bytes(300), "FZ904", "(无扩展名)"),
])
def test_binary_and_unreadable_uploads_get_a_message(app, name, data, code, words):
    response = upload(app, [(name, data), (SEED.name, SEED.read_bytes())])
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert [f[0] for f in page.reports[name]] == [code]
    assert page.status[name].startswith("无法检查：") and words in page.status[name]
    assert page.reports[SEED.name]                     # the other file was checked as usual


def test_a_file_over_the_size_limit_is_not_read(registry):
    app = make_app(registry, max_file=1024)
    page = parse(upload(app, [(SEED.name, SEED.read_bytes())]).get_data(as_text=True))
    assert [f[0] for f in page.reports[SEED.name]] == ["FZ909"]
    assert "超过上限 1 KB" in page.status[SEED.name]


def test_an_upload_over_the_request_limit_gets_413_and_a_message(registry):
    app = make_app(registry, max_file=1024, max_upload=1)       # the limit: one file at max_file + 1 MB
    big = bytes(2 * 1024 * 1024)
    response = upload(app, [("大.txt", big)], follow=False)
    assert response.status_code == 413
    page = parse(response.get_data(as_text=True))
    assert page.error.startswith("本次上传共 2 MB，超过每次上传的上限 1 MB") and "分批上传" in page.error
    assert app.store.get("x") is None and not app.store._batches


def test_too_many_files(registry):
    app = make_app(registry)
    response = upload(app, [(f"{i}.txt", b"x") for i in range(120)], follow=False)
    assert response.status_code == 413
    assert "每次最多 100 个文件" in parse(response.get_data(as_text=True)).error


def test_no_file_chosen(app):
    response = upload(app, [("", b"")], follow=False)
    assert response.status_code == 400
    assert parse(response.get_data(as_text=True)).error == "没有收到文件；请选择或拖入一个或多个报告文件"


def test_names_are_base_names_made_unique():
    taken = set()
    assert upload_name("../../etc/passwd.txt", taken) == "passwd.txt"
    assert upload_name("C:\\Users\\张三\\报告.docx", taken) == "报告.docx"
    assert upload_name("报告.docx", taken) == "报告 (2).docx"
    assert upload_name("", taken) == "未命名文件"
    assert len(upload_name("长" * 500 + ".txt", taken)) == 200


def test_a_path_as_the_file_name_reads_nothing_from_the_server(app):
    """The name is only a name: what is checked is the bytes sent."""
    page = parse(upload(app, [("/etc/passwd", b"")]).get_data(as_text=True))
    assert list(page.reports) == ["passwd"]
    assert [f[0] for f in page.reports["passwd"]] == ["FZ904"]


def test_control_characters_in_a_name_are_shown_escaped(app):
    page = parse(upload(app, [("a\u202eb\x1b.txt", SEED.read_bytes())]).get_data(as_text=True))
    assert list(page.reports) == ["a\\u202eb\\u001b.txt"]


# -- cross-site care ---------------------------------------------------------------------------

@pytest.mark.parametrize("origin, headers", [
    ("http://evil.example", {}),
    ("null", {}),
    ("http://127.0.0.1:9999", {}),
    (None, {"Sec-Fetch-Site": "cross-site"}),
    (ORIGIN, {"Sec-Fetch-Site": "same-site"}),
])
def test_posts_from_other_sites_are_refused(registry, origin, headers):
    app = make_app(registry)
    response = upload(app, [(SEED.name, SEED.read_bytes())], origin=origin, headers=headers, follow=False)
    assert response.status_code == 403
    assert "拒绝了来自其他网页" in parse(response.get_data(as_text=True)).error
    assert not app.store._batches                       # nothing was checked


def test_a_client_that_is_no_browser_may_post(registry):
    app = make_app(registry)
    assert upload(app, [(SEED.name, SEED.read_bytes())], origin=None, follow=False).status_code == 303


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "attacker.test", ""])
def test_other_host_names_are_refused(app, host):
    """DNS rebinding: a site whose name points at 127.0.0.1 sends its own name as Host."""
    response = client(app).get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "不是本服务的地址" in parse(response.get_data(as_text=True)).error


def test_hosts_of_a_loopback_server():
    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert "[::1]:8000" in allowed_hosts("::1", 8000)
    assert allowed_hosts("0.0.0.0", 8000) is None and allowed_hosts("192.168.1.5", 8000) is None


def test_any_host_when_listening_beyond_loopback(registry):
    app = make_app(registry, hosts=frozenset())
    app.hosts = None
    assert client(app).get("/", headers={"Host": "192.168.1.5:8000"}).status_code == 200


# -- downloads -----------------------------------------------------------------------------------

def test_the_html_report_download(app):
    response = upload(app, [(SEED.name, SEED.read_bytes()), (DOCX.name, DOCX.read_bytes())])
    token = response.request.path.rsplit("/", 1)[1]
    download = client(app).get(f"/results/{token}/report.html", headers={"Host": HOST})
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''fzlint-" in download.headers["Content-Disposition"]
    report = download.get_data(as_text=True)
    run = fzlint("report", str(SEED), str(DOCX), "-o", "/dev/stdout", "--exit-zero")
    counts = re.search(r'data-findings="(\d+)"', run.stdout).group(1)
    assert re.search(r'data-findings="(\d+)"', report).group(1) == counts
    assert report.count('<li class="finding') == run.stdout.count('<li class="finding')


def test_annotated_copy_unavailable_without_the_annotate_module(registry, monkeypatch):
    monkeypatch.setitem(sys.modules, "checker.annotate", None)      # `import checker.annotate` fails
    app = make_app(registry)
    response = upload(app, [(DOCX.name, DOCX.read_bytes())])
    page = parse(response.get_data(as_text=True))
    assert page.unavailable == {DOCX.name: "批注版暂不可用"}
    token = response.request.path.rsplit("/", 1)[1]
    download = client(app).get(f"/results/{token}/0/annotated.docx", headers={"Host": HOST})
    assert download.status_code == 404
    assert parse(download.get_data(as_text=True)).error == f"{DOCX.name}：批注版暂不可用"


def test_annotated_copy_through_the_adapter(registry, monkeypatch):
    calls = []

    def annotate_docx(data, name, diagnostics):
        calls.append((data, name, [d.code for d in diagnostics]))
        return b"PK\x03\x04annotated"

    monkeypatch.setitem(sys.modules, "checker.annotate", types.SimpleNamespace(annotate_docx=annotate_docx))
    app = make_app(registry)
    files = [(DOCX.name, DOCX.read_bytes()), (SEED.name, SEED.read_bytes()), ("坏的.docx", b"PK\x03\x04 x")]
    response = upload(app, files)
    page = parse(response.get_data(as_text=True))
    assert page.unavailable == {"坏的.docx": annotated.NOT_CHECKED}
    token = response.request.path.rsplit("/", 1)[1]
    download = client(app).get(f"/results/{token}/0/annotated.docx", headers={"Host": HOST})
    assert download.status_code == 200 and download.get_data() == b"PK\x03\x04annotated"
    assert "002_c589ac335115484d.fzlint.docx" in download.headers["Content-Disposition"]
    [(data, name, codes)] = calls
    assert data == DOCX.read_bytes() and name == DOCX.name
    assert sorted(codes) == sorted(f[0] for f in page.reports[DOCX.name])
    assert client(app).get(f"/results/{token}/1/annotated.docx", headers={"Host": HOST}).status_code == 200
    assert client(app).get(f"/results/{token}/2/annotated.docx", headers={"Host": HOST}).status_code == 404
    assert client(app).get(f"/results/{token}/9/annotated.docx", headers={"Host": HOST}).status_code == 404


def test_annotated_copy_has_a_comment_per_finding(registry):
    """With checker.annotate present: the .docx of a text seed carries one fzlint comment per
    finding the page shows, plus the summary on the title."""
    from docx import Document

    app = make_app(registry)
    response = upload(app, [(SEED.name, SEED.read_bytes())])
    page = parse(response.get_data(as_text=True))
    assert page.unavailable == {}
    token = response.request.path.rsplit("/", 1)[1]
    download = client(app).get(f"/results/{token}/0/annotated.docx", headers={"Host": HOST})
    assert download.status_code == 200
    comments = list(Document(io.BytesIO(download.get_data())).comments)
    assert len(comments) == len(page.reports[SEED.name]) + 1
    assert {c.author for c in comments} == {"fzlint"}


def test_unknown_pages_and_results(app):
    c = client(app)
    response = c.get("/results/nothing-here", headers={"Host": HOST})
    assert response.status_code == 404 and "请重新上传文件" in parse(response.get_data(as_text=True)).error
    assert c.get("/etc/passwd", headers={"Host": HOST}).status_code == 404
    assert c.get("/check", headers={"Host": HOST}).status_code == 405
    assert c.post("/check", data="a=1", content_type="application/x-www-form-urlencoded",
                  headers={"Host": HOST, "Origin": ORIGIN}).status_code == 400


def test_old_results_are_dropped(registry):
    app = make_app(registry)
    tokens = [upload(app, [("a.txt", b"x")]).request.path.rsplit("/", 1)[1] for _ in range(22)]
    assert app.store.get(tokens[0]) is None and app.store.get(tokens[1]) is None
    assert app.store.get(tokens[-1]) is not None


def test_a_crash_on_one_file_leaves_the_others(registry, monkeypatch):
    import checker.lint

    real = checker.lint.lint_bytes

    def failing(data, name, *args, **kwargs):
        if name == "坏.txt":
            raise RuntimeError("boom")
        return real(data, name, *args, **kwargs)

    monkeypatch.setattr(checker.lint, "lint_bytes", failing)
    app = make_app(registry)
    page = parse(upload(app, [("坏.txt", b"x"), (SEED.name, SEED.read_bytes())]).get_data(as_text=True))
    assert page.status["坏.txt"] == "fzlint 检查此文件时出错：RuntimeError: boom（其余文件照常检查）"
    assert page.reports[SEED.name]


# -- the real server -------------------------------------------------------------------------------

class Server:
    """`python -m checker serve ARGS` in a process of its own; ``url`` once it listens."""

    def __init__(self, *args: str, cwd: Path):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", *args], cwd=cwd, env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self._line(self.proc.stdout, 60)
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, (line, self.proc.stderr.read().decode() if self.proc.poll() is not None else "")
        self.port = int(match.group(1))
        self.url = match.group(0)
        self.first_line = line

    @staticmethod
    def _line(stream, timeout: float) -> str:
        end = time.monotonic() + timeout
        data = b""
        while not data.endswith(b"\n") and time.monotonic() < end:
            ready, _, _ = select.select([stream], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                break
            chunk = os.read(stream.fileno(), 1)
            if not chunk:
                break
            data += chunk
        return data.decode("utf-8", "replace")

    def stop(self, signum=signal.SIGTERM) -> tuple[int, str, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, out.decode("utf-8"), err.decode("utf-8")


def http(port: int, method: str, path: str, body: bytes = b"", headers=None):
    """One request to 127.0.0.1:port, without any proxy the environment names."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def multipart(files) -> tuple[bytes, str]:
    boundary = "fzlint-test-boundary"
    parts = []
    for name, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_server_checks_uploads_and_stops_cleanly(tmp_path, signum):
    server = Server(cwd=tmp_path)
    try:
        status, headers, body = http(server.port, "GET", "/")
        assert status == 200 and "fzlint 报告检查".encode() in body
        data, kind = multipart([(SEED.name, SEED.read_bytes())])
        origin = server.url.rstrip("/")
        status, headers, _ = http(server.port, "POST", "/check", data, {"Content-Type": kind, "Origin": origin})
        assert status == 303
        status, _, body = http(server.port, "GET", headers["Location"])
        assert status == 200 and 'data-code="FZ501"' in body.decode("utf-8")
    finally:
        code, out, err = server.stop(signum)
    assert code == 0, err
    assert out == "" and server.first_line.endswith("（按 Ctrl-C 停止）\n")
    assert err == "fzlint serve：已停止\n"
    assert refused(server.port)


def test_an_oversized_upload_over_http_gets_the_413_page(tmp_path):
    server = Server("--max-file-size", "100KB", "--max-upload-size", "1MB", cwd=tmp_path)
    try:
        data, kind = multipart([("大.txt", b"a" * (3 * 1024 * 1024))])
        status, _, body = http(server.port, "POST", "/check", data, {"Content-Type": kind})
        assert status == 413
        assert "超过每次上传的上限 1.1 MB" in body.decode("utf-8")
        assert http(server.port, "GET", "/")[0] == 200          # still serving
    finally:
        code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err


def test_a_port_in_use_is_said_in_chinese():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        run = fzlint("serve", "--port", str(port))
    assert run.returncode == 2
    assert run.stderr == (f"fzlint: 端口 {port} 已被其他程序占用；请换一个端口（--port），"
                          "或不指定 --port，由 fzlint 自动选择空闲端口\n")


def test_an_address_that_is_not_this_machines():
    """Binding to an address the machine does not have fails at once, sending nothing
    (192.0.2.1 is TEST-NET-1, never assigned)."""
    run = fzlint("serve", "--host", "192.0.2.1")
    said = "fzlint: 192.0.2.1 不是本机的地址，无法在其上监听（只在本机使用时不必加 --host）\n"
    assert (run.returncode, run.stderr) == (2, said)


def test_listening_beyond_loopback_is_warned(tmp_path):
    server = Server("--host", "0.0.0.0", cwd=tmp_path)
    code, _, err = server.stop()
    assert code == 0
    assert err.startswith("fzlint serve：警告：正在 0.0.0.0 上监听，同一网络中的其他计算机也能打开本页")


def test_bad_sizes_are_usage_errors():
    run = fzlint("serve", "--max-upload-size", "lots")
    assert run.returncode == 2 and "--max-upload-size" in run.stderr and "不是有效的大小" in run.stderr
