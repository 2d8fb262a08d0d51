"""`fzlint report`: the HTML page agrees with `--format json`, needs nothing from the network,
and renders in a real browser (headless Chromium: a screenshot and the rendered DOM).

Chromium is not a Python package: .ci/run installs Debian's `chromium` and a CJK font
(`fonts-wqy-zenhei`) when they are missing. These tests fail, not skip, without them.
"""

import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checker import sources
from checker.engine.registry import load_registry

from conftest import FAZHI_SEED_ARGS, ROOT
from test_cli import fzlint

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SEVERITIES = ("error", "warning", "info")
TOP_RULES = 15


# -- reading the page back ---------------------------------------------------------------------

@dataclass
class Finding:
    code: str
    severity: str
    line: int
    column: int
    marks: list = field(default_factory=list)


@dataclass
class Page:
    summary: dict = field(default_factory=dict)
    columns: list = field(default_factory=list)          # attrs of the column headers
    rows: list = field(default_factory=list)             # (tr attrs, [td attrs of the item cells])
    totals: list = field(default_factory=list)           # td attrs of the footer rows
    footer: dict = field(default_factory=dict)           # footer row id -> its <th> text
    bars: list = field(default_factory=list)             # attrs of the chart's bars
    reports: dict = field(default_factory=dict)          # data-path -> [Finding]
    anchors: dict = field(default_factory=dict)          # data-path -> section id
    links: dict = field(default_factory=dict)            # data-path -> href of the matrix link
    tags: list = field(default_factory=list)             # (tag, attrs) of every element


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.part = None           # "thead", "tbody", "tfoot" inside #matrix
        self.in_matrix = False
        self.row = None
        self.report = None
        self.finding = None
        self.mark = None
        self.th = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        p = self.page
        p.tags.append((tag, a))
        classes = (a.get("class") or "").split()
        if a.get("id") == "summary":
            p.summary = a
        if tag == "table" and a.get("id") == "matrix":
            self.in_matrix = True
        elif self.in_matrix and tag in ("thead", "tbody", "tfoot"):
            self.part = tag
        elif self.in_matrix and tag == "tr" and self.part == "tbody":
            self.row = (a, [])
            p.rows.append(self.row)
        elif self.in_matrix and tag == "th" and self.part == "thead" and "data-column" in a:
            p.columns.append(a)
        elif self.in_matrix and tag == "td" and self.part == "tbody" and "data-status" in a:
            self.row[1].append(a)
        elif self.in_matrix and tag == "td" and self.part == "tfoot":
            p.totals.append({**a, "row": self.row})
        elif self.in_matrix and tag == "tr" and self.part == "tfoot":
            self.row = a.get("id")
            p.footer[self.row] = ""
        elif self.in_matrix and tag == "th" and self.part == "tfoot":
            self.th = []
        elif self.in_matrix and tag == "a" and self.part == "tbody":
            p.links[self.row[0]["data-path"]] = a.get("href")
        elif tag == "g" and "bar" in classes:
            p.bars.append(a)
        elif tag == "section" and "report" in classes:
            self.report = a["data-path"]
            p.reports[self.report] = []
            p.anchors[self.report] = a.get("id")
        elif tag == "li" and "finding" in classes:
            self.finding = Finding(a["data-code"], a["data-severity"], int(a["data-line"]), int(a["data-column"]))
            p.reports[self.report].append(self.finding)
        elif tag == "mark" and self.finding is not None:
            self.mark = []

    def handle_endtag(self, tag):
        if tag == "table" and self.in_matrix:
            self.in_matrix, self.part = False, None
        elif tag == "mark" and self.mark is not None:
            self.finding.marks.append("".join(self.mark))
            self.mark = None
        elif tag == "th" and self.th is not None:
            self.page.footer[self.row] = "".join(self.th)
            self.th = None
        elif tag == "li":
            self.finding = None

    def handle_data(self, data):
        if self.mark is not None:
            self.mark.append(data)
        if self.th is not None:
            self.th.append(data)


def parse_page(text: str) -> Page:
    parser = PageParser()
    parser.feed(text)
    parser.close()
    return parser.page


# -- what the page must say: the JSON findings -------------------------------------------------

def files_under(*dirs: str) -> list[str]:
    """The files fzlint checks in these folders (or these files), as it names them (relative to ROOT)."""
    found = []
    for d in dirs:
        if (ROOT / d).is_file():
            found.append(d)
            continue
        for root, subdirs, names in os.walk(ROOT / d):
            subdirs[:] = [s for s in subdirs if not s.startswith(".")]
            for name in names:
                if sources.supported(name) and not name.startswith("."):
                    found.append((Path(root) / name).relative_to(ROOT).as_posix())
    return sorted(found)


@dataclass
class Expected:
    files: list
    findings: list          # the JSON objects

    @property
    def by_path(self) -> dict:
        out = defaultdict(list)
        for f in self.findings:
            out[f["path"]].append(f)
        return out


def json_findings(*paths: str) -> list:
    run = fzlint("check", "--format", "json", "--exit-zero", *paths)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def matrix_columns():
    """(label, rules) of the compliance matrix, from the rule pack itself."""
    registry = load_registry()
    pack = next(p for p in registry.packs if p.default and p.matrix)
    return [(c.label, c.rules) for c in pack.matrix]


def write_report(out: Path, *paths: str) -> tuple[str, subprocess.CompletedProcess]:
    run = fzlint("report", *paths, "-o", str(out))
    assert run.returncode == 0, run.stderr
    return out.read_text(encoding="utf-8"), run


# The page of the 法治 seeds (seeds/ also holds 政府信息公开 samples, a kind of its own with
# its own matrix: tests/test_report_kinds.py covers batches of both kinds).
@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report.html"
    text, run = write_report(out, *FAZHI_SEED_ARGS)
    return out, text, run, Expected(files_under(*FAZHI_SEED_ARGS), json_findings(*FAZHI_SEED_ARGS))


@pytest.fixture(scope="module")
def all_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report.html"
    paths = (*FAZHI_SEED_ARGS, "tests/data/libreoffice")
    text, run = write_report(out, *paths)
    return out, text, run, Expected(files_under(*paths), json_findings(*paths))


def check_agrees(page: Page, expected: Expected, columns) -> None:
    """Every number and cell of the page against the JSON findings."""
    by_path = expected.by_path
    assert expected.files and set(by_path) <= set(expected.files)
    # the header: the tally
    counts = Counter(f["severity"] for f in expected.findings)
    assert int(page.summary["data-reports"]) == len(expected.files)
    assert int(page.summary["data-findings"]) == len(expected.findings)
    for sev in SEVERITIES:
        assert int(page.summary[f"data-{sev}s"]) == counts[sev], sev
    # the matrix: one row per file, one cell per item
    assert [c["data-column"] for c in page.columns] == [label for label, _ in columns]
    assert [c["data-rules"].split() for c in page.columns] == [list(rules) for _, rules in columns]
    assert [tr["data-path"] for tr, _ in page.rows] == expected.files
    failing = Counter()
    for tr, cells in page.rows:
        path = tr["data-path"]
        fired = {f["code"] for f in by_path.get(path, [])}
        per_sev = Counter(f["severity"] for f in by_path.get(path, []))
        for sev in SEVERITIES:
            assert int(tr[f"data-{sev}s"]) == per_sev[sev], (path, sev)
        assert len(cells) == len(columns)
        for (label, rules), cell in zip(columns, cells):
            hit = [r for r in rules if r in fired]
            assert cell["data-column"] == label
            assert cell["data-status"] == ("fail" if hit else "ok"), (path, label)
            assert cell["data-codes"].split() == hit, (path, label)
            failing[label] += bool(hit)
        assert page.links[path] == "#" + page.anchors[path]
    # the footer: a row of reports that fail (each item, and with errors), a row of findings;
    # each row means one thing under every column
    assert page.footer == {"matrix-totals": "未通过的报告份数", "matrix-findings": "问题合计"}
    item_totals = [t for t in page.totals if "data-count" in t]
    assert {t["row"] for t in item_totals} == {"matrix-totals"}
    assert [(t["data-column"], int(t["data-count"])) for t in item_totals] == \
        [(label, failing[label]) for label, _ in columns]
    [with_errors] = [t for t in page.totals if "data-reports-with-errors" in t]
    assert with_errors["row"] == "matrix-totals"
    assert int(with_errors["data-reports-with-errors"]) == \
        len({f["path"] for f in expected.findings if f["severity"] == "error"})
    for sev in SEVERITIES:
        [cell] = [t for t in page.totals if f"data-{sev}s" in t]
        assert cell["row"] == "matrix-findings" and int(cell[f"data-{sev}s"]) == counts[sev]
    # the chart: the most frequent rules, most frequent first (ties by code)
    by_code = Counter(f["code"] for f in expected.findings)
    names = {f["code"]: f["name"] for f in expected.findings}
    want = sorted(by_code.items(), key=lambda t: (-t[1], t[0]))[:TOP_RULES]
    assert [(b["data-code"], int(b["data-count"])) for b in page.bars] == want
    assert all(b["data-name"] == names[b["data-code"]] for b in page.bars)
    titles = {r.id: r.title for r in load_registry().rules}     # the bars are labelled in Chinese
    assert all(b["data-title"] == titles[b["data-code"]] for b in page.bars)
    # each report's findings
    assert sorted(page.reports) == expected.files
    for path in expected.files:
        got = sorted((f.line, f.column, f.code, f.severity) for f in page.reports[path])
        assert got == sorted((f["line"], f["column"], f["code"], f["severity"]) for f in by_path.get(path, []))


# -- the page ----------------------------------------------------------------------------------

def test_seeds_report_agrees_with_json(seeds_report, matrix_columns):
    _, text, run, expected = seeds_report
    assert "已写入" in run.stderr
    assert run.stdout.splitlines()[0].startswith("文件\t")      # the matrix on stdout
    page = parse_page(text)
    check_agrees(page, expected, matrix_columns)
    assert '<html lang="zh-CN">' in text
    assert "<h1>法治政府建设年度报告检查结果</h1>" in text
    assert page.summary["data-version"] and f"fzlint {page.summary['data-version']}" in text
    for bar in page.bars:          # the chart names each rule by its Chinese title
        assert re.search(f'<text class="name" x="58" y="[0-9.]+">{re.escape(bar["data-title"])}</text>', text)


def test_report_over_seeds_and_documents_agrees_with_json(all_report, matrix_columns):
    _, text, _, expected = all_report
    assert len(expected.files) == 15
    check_agrees(parse_page(text), expected, matrix_columns)


def test_quoted_lines_mark_the_span(seeds_report):
    """For the text seeds, a finding's <mark> is the text its span covers (short one-line spans)."""
    _, text, _, expected = seeds_report
    page = parse_page(text)
    checked = 0
    for path, findings in expected.by_path.items():
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        shown = {(f.line, f.column, f.code): f for f in page.reports[path]}
        for f in findings:
            got = shown[(f["line"], f["column"], f["code"])]
            if f["end_line"] != f["line"] or f["end_column"] - f["column"] > 60:
                assert len(got.marks) >= 1
                continue
            assert got.marks == [lines[f["line"] - 1][f["column"] - 1:f["end_column"] - 1]]
            checked += 1
    assert checked >= 3


def test_report_is_deterministic(seeds_report, tmp_path):
    _, text, _, _ = seeds_report
    # a new interpreter, with a hash seed of its own (runs forked from tests/forkserver.py share one)
    again = tmp_path / "again.html"
    run = subprocess.run([sys.executable, "-m", "checker", "report", *FAZHI_SEED_ARGS, "-o", str(again)], cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert run.returncode == 0, run.stderr
    assert again.read_text(encoding="utf-8") == text


def test_page_is_self_contained(all_report):
    _, text, _, _ = all_report
    page = parse_page(text)
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base", "source", "video", "audio")
        for name, value in attrs.items():
            if name in ("href", "xlink:href"):
                assert value.startswith("#"), (tag, name, value)
            assert name not in ("src", "srcset", "action", "formaction", "poster", "data", "ping"), (tag, name)
    embedded = "".join(body for _, body in re.findall(r"<(style|script)>(.*?)</\1>", text, re.S))
    assert embedded
    for needle in ("url(", "@import", "http", "//", "fetch(", "XMLHttpRequest", "import("):
        assert needle not in embedded, needle
    for needle in ("http:", "https:", "//", "@import", "url("):   # nor anywhere else on this page
        assert needle not in text, needle


def test_files_that_cannot_be_checked_and_unselected_items(tmp_path, matrix_columns):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "报告.txt").write_text("<script>alert(1)</script>\u202e\x07\n", encoding="utf-8")
    out = tmp_path / "report.html"
    run = fzlint("report", str(tmp_path / "empty.txt"), str(tmp_path / "报告.txt"), "seeds/004_6e976291b2735034.txt",
                 "--select", "FZ1,FZ9", "-o", str(out))
    assert run.returncode == 1, run.stderr          # FZ903 (empty file) is an error, as in `check`
    text = out.read_text(encoding="utf-8")
    page = parse_page(text)
    rows = {tr["data-path"]: [c["data-status"] for c in cells] for tr, cells in page.rows}
    assert rows[str(tmp_path / "empty.txt")] == ["unread"] * len(matrix_columns)
    # 法院生效裁判 is FZ202 only, not selected: nothing is known about it
    court = [label for label, _ in matrix_columns].index("法院生效裁判")
    assert rows["seeds/004_6e976291b2735034.txt"][court] == "unchecked"
    assert "无法检查" in text and ">—<" in text
    # text from the checked file is escaped and cleaned
    assert text.count("<script>") == 1 and "&lt;script&gt;alert(1)" in text
    assert "\u202e" not in text and "\x07" not in text
    # 004 is not called complete: its court-judgement item was not checked
    assert "0 份全部事项齐全且无错误，1 份已检查的事项齐全且无错误，但有事项未检查（相关规则未启用）" in text
    assert "已检查的事项均已具备；未检查：法院生效裁判（相关规则未启用）。" in text


def test_items_not_checked_are_not_called_complete(tmp_path, matrix_columns):
    """With the item rules not selected every cell is —: the page says the items were not
    checked, never that the reports are complete, and the footer has no 0 to misread."""
    out = tmp_path / "report.html"
    run = fzlint("report", *FAZHI_SEED_ARGS, "--select", "FZ5", "-o", str(out))
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    page = parse_page(text)
    assert {c["data-status"] for _, cells in page.rows for c in cells} == {"unchecked"}
    assert page.summary["data-complete"] == "0"
    assert "0 份全部事项齐全且无错误，5 份已检查的事项齐全且无错误，但有事项未检查" in text
    assert "各事项均已具备" not in text and text.count("各事项均未检查（相关规则未启用）。") == 5
    items = [t for t in page.totals if t.get("data-column")]
    assert [(t["data-column"], t.get("data-status"), t.get("data-count")) for t in items] == \
        [(label, "unchecked", None) for label, _ in matrix_columns]
    # and the matrix on stdout says the same
    assert "5 份报告，0 份全部事项齐全且无错误，5 份已检查的事项齐全且无错误，但有事项未检查（相关规则未启用）；" \
        "各事项未通过的份数：" + "，".join(f"{label} 未检查" for label, _ in matrix_columns) in run.stdout


def test_report_exit_codes_are_those_of_check(tmp_path):
    """`fzlint report` exits 1 when a report has an error (the page is written anyway), like
    `check`: --fail-on and --exit-zero work the same."""
    (tmp_path / "draft.txt").write_text("一、主要举措和成效\n全年办理行政许可120件。\n", encoding="utf-8")
    out = tmp_path / "r.html"
    for args, code in (([str(tmp_path / "draft.txt")], 1), ([str(tmp_path / "draft.txt"), "--exit-zero"], 0),
                       (FAZHI_SEED_ARGS, 0), ([*FAZHI_SEED_ARGS, "--fail-on", "warning"], 1)):     # warnings, infos
        out.unlink(missing_ok=True)
        run = fzlint("report", *args, "-o", str(out))
        assert run.returncode == code, (args, run.stderr)
        assert out.exists() and "已写入" in run.stderr
        assert fzlint("check", *args).returncode == code


# -- in a real browser -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    assert os.access(CHROMIUM, os.X_OK), (
        f"{CHROMIUM} is missing: `apt-get install chromium fonts-wqy-zenhei` (.ci/run does this)")
    return CHROMIUM


def run_chromium(chromium: str, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="fzlint-chromium-") as profile:
        run = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                             capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                             env={**os.environ, "HOME": profile})
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")[-2000:]
    return run


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and not interlace, header
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(v for i, v in enumerate(line) if i % 4 != 3))
        prev = line
    return width, height, rows


def test_screenshot_is_not_blank(chromium, all_report, tmp_path):
    path, _, _, expected = all_report
    shot = tmp_path / "report.png"
    run_chromium(chromium, f"--screenshot={shot}", "--window-size=1400,2000", path.as_uri())
    width, height, rows = read_png(shot.read_bytes())
    assert (width, height) == (1400, 2000)
    colours = Counter()
    for row in rows[::2]:                      # every other row is plenty
        colours.update(row[i:i + 3] for i in range(0, len(row), 6))
    sampled = sum(colours.values())
    white = colours[b"\xff\xff\xff"]
    assert len(colours) > 200, f"only {len(colours)} colours: a blank or broken page"
    assert 0.05 < 1 - white / sampled < 0.9, f"{1 - white / sampled:.1%} of the page is not white"

    def near(rgb, tolerance=6):
        want = bytes.fromhex(rgb)
        return sum(n for c, n in colours.items() if all(abs(x - y) <= tolerance for x, y in zip(c, want)))

    # the matrix cells and the chart's bars are drawn in their colours
    assert near("dafbe1") > 2000, "no green (ok) matrix cells"
    assert near("ffebe9") > 1000, "no red (fail) matrix cells"
    assert near("0969da") > 500, "no info bars in the chart"
    assert near("d4a72c") > 500, "no warning bars in the chart"


def test_rendered_dom_has_the_matrix(chromium, all_report, matrix_columns):
    path, _, _, expected = all_report
    run = run_chromium(chromium, "--dump-dom", path.as_uri())
    dom = run.stdout.decode("utf-8")
    assert "法治政府建设年度报告检查结果" in dom       # decoded as UTF-8 by the browser
    page = parse_page(dom)
    assert len(page.rows) == len(expected.files) == 15
    check_agrees(page, expected, matrix_columns)
    assert 'class="js"' in dom                      # the sorting script ran without errors


# Run in the page after it loaded: click the 警告 header, then scroll 150px into the matrix and
# note where its header row is (sticky: at the top of the window, not scrolled away).
PROBE = """<script>
var th = document.querySelector('#matrix th[data-key="warnings"]');
th.click();
var table = document.getElementById("matrix");
window.scrollTo(0, table.getBoundingClientRect().top + window.scrollY + 150);
document.body.setAttribute("data-probe-header-top", Math.round(th.getBoundingClientRect().top));
document.body.setAttribute("data-probe-scroll", Math.round(window.scrollY));
</script>"""


def test_clicking_a_header_sorts_the_matrix_and_the_header_sticks(chromium, all_report, tmp_path):
    path, text, _, expected = all_report
    variant = tmp_path / "probed.html"
    variant.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = run_chromium(chromium, "--dump-dom", "--window-size=1400,900", variant.as_uri()).stdout.decode("utf-8")
    page = parse_page(dom)
    warnings = Counter(f["path"] for f in expected.findings if f["severity"] == "warning")
    want = sorted(expected.files, key=lambda p: (-warnings[p], p))
    assert want != expected.files
    assert [tr["data-path"] for tr, _ in page.rows] == want
    assert 'aria-sort="descending"' in dom
    body = next(a for tag, a in page.tags if tag == "body")
    assert int(body["data-probe-scroll"]) > 150
    assert body["data-probe-header-top"] == "0"      # the sticky header stayed in view
