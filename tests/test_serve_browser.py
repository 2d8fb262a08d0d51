"""`fzlint serve` in a real browser: headless Chromium (Debian's package, as tests/test_html_report.py
uses it) opens the page, files are chosen in its file input, the page sends them, and the
findings are read back from the rendered results; a screenshot shows Chinese text.

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages ending in NUL on file descriptors 3 and 4), so the test needs nothing but the
browser: no WebDriver, no Playwright download. These tests fail, not skip, without Chromium.
"""

import base64
import json
import os
import select
import struct
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest

from checker.engine.registry import load_registry
from checker.lint import lint_bytes

from conftest import ROOT
from test_html_report import (
    CHROMIUM_FLAGS,
    chromium,  # noqa: F401 - a fixture
    read_png,
)
from test_serve import DOCX, PDF, PNG, SEED, Server

DOCS_SHOT = ROOT / "docs" / "serve.png"


class DevTools:
    """A headless Chromium and one page in it, driven over the DevTools protocol's pipe."""

    def __init__(self, browser: str, timeout: float = 60):
        self.timeout = timeout
        self.profile = tempfile.TemporaryDirectory(prefix="fzlint-chromium-")
        to_browser, self._to_browser = os.pipe()        # we write, Chromium reads on fd 3
        self._from_browser, from_browser = os.pipe()    # Chromium writes on fd 4, we read
        self.log = open(Path(self.profile.name) / "stderr.txt", "wb")
        # bash (dash takes one-digit descriptors only) puts the pipes on 3 and 4, then is Chromium
        command = ["bash", "-c", f'exec "$0" "$@" 3<&{to_browser} 4>&{from_browser}', browser, *CHROMIUM_FLAGS,
                   "--no-proxy-server", "--remote-debugging-pipe", f"--user-data-dir={self.profile.name}"]
        self.proc = subprocess.Popen(command, pass_fds=(to_browser, from_browser), stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=self.log,
                                     env={**os.environ, "HOME": self.profile.name})
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._id = 0
        self.events: list[dict] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")

    # -- the protocol --------------------------------------------------------------------------

    def _read(self) -> dict:
        end = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = end - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            assert ready, f"Chromium said nothing for {self.timeout} s"
            chunk = os.read(self._from_browser, 1 << 16)
            assert chunk, "Chromium closed its pipe: " + self._stderr()
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self._id:
                assert "error" not in answer, (method, answer["error"])
                return answer["result"]
            self.events.append(answer)

    def call(self, method: str, params: dict | None = None) -> dict:
        """A command to the page."""
        return self.send(method, params, self.session)

    def wait_for(self, event: str) -> dict:
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == event:
                    return self.events.pop(i)
            self.events.append(self._read())

    # -- what a person does ---------------------------------------------------------------------

    def open(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def choose_files(self, selector: str, paths: list[Path], navigates: bool = True) -> None:
        """Choose files in a file input, as in the browser's file dialog: the input's change
        event fires, and the page does what it does with them (here: sends them)."""
        self.events.clear()
        root = self.call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, selector
        self.call("DOM.setFileInputFiles", {"nodeId": node, "files": [str(p) for p in paths]})
        if navigates:
            self.wait_for("Page.loadEventFired")

    def drop_files(self, selector: str, paths: list[Path]) -> None:
        """Drag files from the desktop and drop them on an element, as a person does."""
        x, y = self.js(f"""(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();
                                    return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        data = {"items": [], "files": [str(p) for p in paths], "dragOperationsMask": 1}
        self.events.clear()
        for kind in ("dragEnter", "dragOver", "drop"):
            self.call("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str):
        answer = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        assert "exceptionDetails" not in answer, answer["exceptionDetails"]
        return answer["result"].get("value")

    def screenshot(self, width: int, height: int) -> bytes:
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                         "deviceScaleFactor": 1, "mobile": False})
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (AssertionError, OSError):
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self.log.close()
        self.profile.cleanup()

    def _stderr(self) -> str:
        self.log.flush()
        return (Path(self.profile.name) / "stderr.txt").read_text(errors="replace")[-2000:]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(cwd=tmp_path_factory.mktemp("serve"))
    yield server
    code, _, err = server.stop()
    assert code == 0, err


@pytest.fixture(scope="module")
def browser(chromium):  # noqa: F811 - the fixture imported above
    browser = DevTools(chromium)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def uploads(tmp_path_factory):
    """The files a person chooses: a seed, a Word file, a PDF, a GB18030 text and an image."""
    folder = tmp_path_factory.mktemp("uploads")
    gb = folder / "平安县法治政府建设报告.txt"
    gb.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    image = folder / "照片.png"
    image.write_bytes(PNG)
    return [SEED, DOCX, PDF, gb, image]


# what the results page shows, read from the rendered DOM
READ_RESULTS = """JSON.stringify({
  reports: Array.from(document.querySelectorAll("section.report")).map(s => ({
    path: s.dataset.path,
    status: (s.querySelector("p.status") || {}).textContent || "",
    findings: Array.from(s.querySelectorAll("li.finding")).map(li => ({
      code: li.dataset.code, severity: li.dataset.severity,
      line: Number(li.dataset.line), column: Number(li.dataset.column),
      message: li.querySelector(".message").textContent,
      marked: Array.from(li.querySelectorAll("mark")).map(m => m.textContent).join(""),
      markVisible: Array.from(li.querySelectorAll("mark")).every(m => m.getBoundingClientRect().width > 0),
    })),
  })),
  matrix: Array.from(document.querySelectorAll("table.matrix tbody tr")).map(tr => tr.dataset.path),
  url: location.pathname,
})"""


def test_uploading_through_the_page_shows_the_findings(browser, server, uploads):
    browser.open(server.url)
    assert browser.js("document.documentElement.classList.contains('js')")     # the page's script ran
    browser.choose_files("#files", uploads)
    page = json.loads(browser.js(READ_RESULTS))
    assert page["url"].startswith("/results/")
    assert [r["path"] for r in page["reports"]] == [p.name for p in uploads]
    assert sorted(page["matrix"]) == sorted(p.name for p in uploads)
    registry = load_registry()
    for report, path in zip(page["reports"], uploads):
        result = lint_bytes(path.read_bytes(), path.name, registry)
        want = sorted((d.code, d.severity.label, d.span.line, d.span.column, d.message) for d in result.diagnostics)
        got = sorted((f["code"], f["severity"], f["line"], f["column"], f["message"]) for f in report["findings"])
        assert got == want, path.name
        assert all(f["markVisible"] for f in report["findings"] if f["marked"])
    seed = page["reports"][0]
    assert next(f["marked"] for f in seed["findings"] if f["code"] == "FZ501") == "责任落实督查"
    image = page["reports"][-1]
    assert image["status"] == "无法检查：暂不支持的文件格式：.png"


def test_files_dropped_on_the_page_are_checked(browser, server):
    browser.open(server.url)
    browser.drop_files("#drop", [SEED, DOCX])
    page = json.loads(browser.js(READ_RESULTS))
    assert page["url"].startswith("/results/")
    assert [r["path"] for r in page["reports"]] == [SEED.name, DOCX.name]
    assert all(r["findings"] for r in page["reports"])


def test_clicking_a_rule_code_shows_its_explanation(browser, server):
    browser.open(server.url)
    browser.choose_files("#files", [SEED])
    shown = browser.js("""(() => {
      const link = document.querySelector('li.finding[data-code="FZ501"] a.explain-toggle');
      const slot = link.parentNode.querySelector('.explain-slot');
      const before = slot.hidden;
      link.click();
      return [before, slot.hidden, slot.innerText, link.getAttribute('aria-expanded'), location.hash];
    })()""")
    hidden_before, hidden_after, text, expanded, hash_ = shown
    assert hidden_before and not hidden_after and expanded == "true" and hash_ == ""
    assert text.startswith("FZ501 督察工作规定的名称有误\n名称：misnamed-supervision-regulation")
    assert "依据：《法治政府建设与责任落实督察工作规定》" in text


def test_a_findings_line_number_opens_the_full_text_there(browser, server):
    browser.open(server.url)
    browser.choose_files("#files", [SEED])
    opened = browser.js("""(() => {
      const details = document.getElementById('r0-text');
      const before = details.open;
      document.querySelector('li.finding[data-code="FZ107"] a.to-line').click();
      const line = document.getElementById('r0-l13');
      const box = line.getBoundingClientRect();
      return [before, details.open, box.top >= 0 && box.bottom <= innerHeight, line.querySelector('.t').textContent];
    })()""")
    assert opened[:3] == [False, True, True]
    assert opened[3] == "二、上一年度推进法治政府建设存在的不足和原因"     # FZ107's line


def test_an_upload_over_the_limit_is_refused_in_the_page(chromium, tmp_path):  # noqa: F811
    server = Server("--max-file-size", "100KB", "--max-upload-size", "1MB", cwd=tmp_path)
    browser = DevTools(chromium)
    try:
        big = tmp_path / "大文件.txt"
        big.write_bytes(b"a" * (2 * 1024 * 1024))
        browser.open(server.url)
        browser.choose_files("#files", [big], navigates=False)
        said = browser.js("document.getElementById('client-status').textContent")
        assert said == "所选文件合计 2 MB，超过每次上传的上限 1.1 MB；请分批上传"
        assert browser.js("location.pathname") == "/"
        # without the page's own check (a browser without scripts), the server says it
        browser.js("document.getElementById('upload-form').dataset.maxUpload = '1e12'")
        browser.choose_files("#files", [big])
        assert browser.js("location.pathname") == "/check"
        assert browser.js("document.querySelector('.error-message').textContent").startswith(
            "本次上传共 2 MB，超过每次上传的上限 1.1 MB")
    finally:
        browser.close()
        code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err


CJK = range(0x4E00, 0xA000)


def test_screenshot_shows_the_results_in_chinese(browser, server, uploads):
    browser.open(server.url)
    browser.choose_files("#files", uploads[:3])
    text = browser.js("document.body.innerText")
    letters = [c for c in text if c.isalpha()]
    chinese = sum(ord(c) in CJK for c in letters)
    assert chinese / len(letters) > 0.5, f"{chinese} of {len(letters)} letters are Chinese"
    assert "法治政府建设年度报告检查结果" in text and "把报告文件拖到这里" in text
    shot = browser.screenshot(1200, 1400)
    width, height, rows = read_png(shot)
    assert (width, height) == (1200, 1400)
    colours = Counter()
    for row in rows[::2]:
        colours.update(row[i:i + 3] for i in range(0, len(row), 6))
    white = colours[b"\xff\xff\xff"] / sum(colours.values())
    assert len(colours) > 200, f"only {len(colours)} colours: a blank or broken page"
    assert 0.05 < 1 - white < 0.9
    dark = sum(n for c, n in colours.items() if max(c) < 90)
    assert dark > 2000, "hardly any dark pixels: no text drawn"
    if os.environ.get("FZLINT_UPDATE_SCREENSHOT"):
        # the README's picture: FZLINT_UPDATE_SCREENSHOT=1 python -m pytest -n 0 -k screenshot
        # tests/test_serve_browser.py, then make it small (a palette of 256 colours):
        # pngquant --quality 70-90 --speed 1 --force --output docs/serve.png docs/serve.png
        DOCS_SHOT.write_bytes(shot)


def test_the_readme_shows_the_page_in_a_small_png():
    data = DOCS_SHOT.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 1400) and len(data) < 200_000
    assert "![fzlint serve](docs/serve.png)" in (ROOT / "README.md").read_text(encoding="utf-8")
