"""The bad-input catalogue (issue 6): every kind of input fzlint cannot or should not check.

Each case of ``CASES`` is built in a temporary folder and run through the real command line
(``python -m checker check``) as a subprocess with a timeout (a case that hangs fails on the
timeout, not on a timed assertion): alone, and all of them together in one folder beside two
good seed reports. For every run: the exit code; exactly one clear message per bad file (a
finding ``path:1:1: FZ9xx <Chinese message>`` or, where no file is involved, one ``fzlint:``
line on stderr); no traceback anywhere; stderr empty or only ``fzlint:`` lines. Together,
each case says what it said alone, byte for byte, and the good files' findings are those of a
run on the good files alone.

Permissions: CI runs as root, and chmod 000 does not stop root from reading. As root the CLI
is run through ``HARNESS`` (``python -c``), which makes ``open()`` of the named files fail
with EACCES, as chmod 000 does for anyone else (``os.stat`` still works, as it does on a
chmod 000 file), and for folders makes listing them and any access below them fail with
EACCES (chmod 000 on a folder). Run as another user, the tests chmod for real instead.

Also here: the rule-pack and configuration mistakes that tests/test_registry.py (in-process)
and tests/test_config.py do not already run through the CLI, the read-only guarantee of
every command, and a file that vanishes between being listed and being read.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from checker.lint import OUTSIDE

import forkserver
from builders.docx import numbered_docx, package, with_members
from builders.pdf import (
    form_bomb_pdf,
    inflated_pdf,
    many_objects_pdf,
    running_header_pdf,
    scattered_pdf,
    shared_contents_pdf,
)
from conftest import ROOT, SEEDS
from test_registry import GOOD_RULE, laughs

TIMEOUT = 60                      # seconds, per subprocess
MB = 1024 * 1024
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SEED0 = SEEDS[0]
SEED4 = SEEDS[4]
SEED4_TEXT = SEED4.read_text(encoding="utf-8")
GOOD = {"good_000.txt": SEED0, "good_004.txt": SEED4}
LIBREOFFICE = ROOT / "tests" / "data" / "libreoffice"
SUMMARY = re.compile(r"^(发现 \d+ 个问题|未发现问题).*（检查了 (\d+) 个文件）。$")

# ---------------------------------------------------------------------------------------
# Running the CLI

# Injects EACCES (see the module docstring) and, for the vanishing-file test, deletes a file
# between the moment iter_files lists it and the moment it is read; then runs the real CLI.
HARNESS = r"""
import builtins, errno, os, sys

def _paths(var):
    return {os.path.abspath(p) for p in os.environ.get(var, "").split(os.pathsep) if p}

FILES, DIRS = _paths("FZLINT_TEST_EACCES_FILES"), _paths("FZLINT_TEST_EACCES_DIRS")
VANISH = _paths("FZLINT_TEST_VANISH")

def _abs(path):
    return None if isinstance(path, int) else os.path.abspath(os.fsdecode(path))

def _guard(real, files=False, listing=False):
    def guarded(path=".", *args, **kwargs):
        p = _abs(path)
        if p is not None and ((files and p in FILES) or (listing and p in DIRS)
                              or any(p.startswith(d + os.sep) for d in DIRS)):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        return real(path, *args, **kwargs)
    return guarded

builtins.open = _guard(builtins.open, files=True)
os.open = _guard(os.open, files=True)
os.stat, os.lstat = _guard(os.stat), _guard(os.lstat)
os.scandir, os.listdir = _guard(os.scandir, listing=True), _guard(os.listdir, listing=True)

if VANISH:
    import checker.lint
    _listed = checker.lint.iter_files
    def iter_files(paths, *args):
        for item in _listed(paths, *args):
            if os.path.abspath(item[0]) in VANISH:
                os.unlink(item[0])
            yield item
    checker.lint.iter_files = iter_files

from checker.cli import main
main(sys.argv[1:])
"""


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def findings(self) -> list[str]:
        return [ln for ln in self.lines if not SUMMARY.match(ln)]

    @property
    def checked(self) -> int:
        m = SUMMARY.match(self.lines[-1]) if self.lines else None
        assert m, f"no summary line in {self.out[-500:]!r}"
        return int(m.group(2))


def fzlint(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = TIMEOUT) -> Run:
    """The real CLI in a subprocess (through HARNESS when something is injected)."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("FORCE_COLOR", "NO_COLOR", "GITHUB_ACTIONS") and not k.startswith("FZLINT_TEST_")}
    injected = {k: v for k, v in (env or {}).items() if v}
    start = time.monotonic()
    if injected:        # HARNESS patches the standard library before fzlint is imported: a new interpreter
        proc = subprocess.run([sys.executable, "-c", HARNESS, *args], cwd=cwd, capture_output=True, timeout=timeout,
                              env={**base, **injected}, stdin=subprocess.DEVNULL)
    else:               # its own process, forked from tests/forkserver.py's server
        proc = forkserver.run(args, cwd, base, timeout=timeout)
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"),
               time.monotonic() - start)


def assert_clean(run: Run) -> None:
    """No traceback anywhere; stderr empty or only `fzlint:` lines."""
    assert "Traceback" not in run.out + run.err, run.err[-2000:]
    assert all(ln.startswith("fzlint:") for ln in run.err.splitlines()), run.err[-2000:]


# ---------------------------------------------------------------------------------------
# Building the cases


@dataclass
class Built:
    """What a case put in its folder: the CLI arguments of its own run (relative to the
    folder), the file its message is about, and what must be injected as root."""

    args: list[str]
    bad: str | None = None            # default: args[0]
    explicit: bool = False            # named on the command line in the run of everything too
    eacces_files: list[str] = field(default_factory=list)
    eacces_dirs: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.bad if self.bad is not None else self.args[0]


def _deny(folder: Path, name: str, is_dir: bool = False) -> Built:
    """chmod 000, or (as root, where it does not stop reads) EACCES injected by HARNESS."""
    path = folder / name
    if AS_ROOT:
        return Built([name], eacces_dirs=[name] if is_dir else [], eacces_files=[] if is_dir else [name])
    path.chmod(0)
    return Built([name])


def _env(cwd: Path, built: list[tuple[str, Built]]) -> dict[str, str]:
    """HARNESS's variables for the cases (prefix: the case's folder below ``cwd``)."""
    files = [str(cwd / prefix / f) for prefix, b in built for f in b.eacces_files]
    dirs = [str(cwd / prefix / d) for prefix, b in built for d in b.eacces_dirs]
    return {"FZLINT_TEST_EACCES_FILES": os.pathsep.join(files), "FZLINT_TEST_EACCES_DIRS": os.pathsep.join(dirs)}


def _write(folder: Path, name: str, data: bytes | str) -> Built:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return Built([name])


def _copy(folder: Path, name: str, src: Path) -> Built:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, path)
    return Built([name])


def _link(folder: Path, name: str, src: Path) -> Built:
    """A hard link to a big file made once per module (no copy of 50 MB per case)."""
    os.link(src, folder / name)
    return Built([name])


# --- .docx by hand: the parts are written as text, so DOCTYPEs and relationships are exact

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def document_xml(lines: list[str], doctype: str = "", extra: str = "") -> str:
    paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(ln)}</w:t></w:r></w:p>' for ln in lines)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{paragraphs}{extra}</w:body></w:document>')


def make_docx(document: str, rels: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/document.xml", document)
        if rels:
            z.writestr("word/_rels/document.xml.rels",
                       '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f"{rels}</Relationships>")
    return buf.getvalue()


def external_docx(http: str) -> bytes:
    """The seed as a .docx whose body links an external image and a subdocument, with an
    external attached template: targets on ``http`` and file:///etc/passwd."""
    rels = (f'<Relationship Id="rId5" Type="{REL}image" Target="{http}" TargetMode="External"/>'
            f'<Relationship Id="rId6" Type="{REL}subDocument" Target="file:///etc/passwd" TargetMode="External"/>'
            f'<Relationship Id="rId7" Type="{REL}attachedTemplate" Target="{http}" TargetMode="External"/>'
            f'<Relationship Id="rId8" Type="{REL}attachedTemplate" Target="file:///etc/passwd" '
            'TargetMode="External"/>')
    image = ('<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
             'wordprocessingDrawing"><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
             '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
             '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill>'
             '<a:blip r:link="rId5"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline>'
             '</w:drawing></w:r></w:p><w:subDoc r:id="rId6"/>')
    return make_docx(document_xml(SEED4_TEXT.splitlines(), extra=image), rels)


XXE_DOCTYPE = ('<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
               '<!ENTITY web SYSTEM "http://127.0.0.1:9/x"><!ENTITY lol "lol">'
               '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')


def xxe_docx(http: str = "http://127.0.0.1:9/x") -> bytes:
    """The seed as a .docx whose document.xml declares external entities (file:///etc/passwd
    and ``http``) and a nested internal one, and uses them in its last paragraph."""
    extra = '<w:p><w:r><w:t>外部实体前&xxe;&web;&lol2;外部实体后</w:t></w:r></w:p>'
    doctype = XXE_DOCTYPE.replace("http://127.0.0.1:9/x", http)
    return make_docx(document_xml(SEED4_TEXT.splitlines(), doctype=doctype, extra=extra))


def zip_bomb(path: Path, inflated: int = 210 * MB) -> None:
    """A .docx whose document.xml inflates to ``inflated`` bytes (declared so), streamed
    through zipfile's deflate 1 MB at a time: ~0.2 MB on disk, little memory."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        with z.open("word/document.xml", "w") as member:
            member.write(f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode())
            chunk = b" " * MB
            for _ in range(inflated // MB):
                member.write(chunk)


def lying_zip_bomb(bomb: bytes, claimed: int = 5000) -> bytes:
    """The zip bomb with document.xml's sizes rewritten to claim ``claimed`` bytes, in the
    central directory and the local header (the CRC still is that of the whole member)."""
    data = bytearray(bomb)
    name = b"word/document.xml"
    for signature, size_at, name_len_at, name_at in ((b"PK\x01\x02", 24, 28, 46), (b"PK\x03\x04", 22, 26, 30)):
        at = data.find(signature)
        while at >= 0:
            (n,) = struct.unpack_from("<H", data, at + name_len_at)
            if data[at + name_at:at + name_at + n] == name:
                struct.pack_into("<I", data, at + size_at, claimed)
            at = data.find(signature, at + 4)
    return bytes(data)


# --- .pdf


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(LIBREOFFICE / "004_6e976291b2735034.pdf"))
    writer.encrypt(user_password="open-sesame", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def png(width: int, height: int, rng: random.Random) -> bytes:
    raw = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def scanned_pdf() -> bytes:
    """Two pages with only an image each, as a scanner makes them (reportlab)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rng = random.Random(906)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for _ in range(2):
        c.drawImage(ImageReader(io.BytesIO(png(60, 80, rng))), 50, 50, width=500, height=700)
        c.showPage()
    c.save()
    return buf.getvalue()


def surrogate_pdf() -> bytes:
    """A PDF whose font's /ToUnicode map gives the code of "A" a lone surrogate (pypdf decodes
    maps with surrogatepass): text that cannot be printed in UTF-8."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Helvetica", 16)
    c.drawString(72, 700, "ABAB report text")
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    cmap = DecodedStreamObject()
    cmap.set_data(b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
                  b"1 begincodespacerange <00> <FF> endcodespacerange\n"
                  b"2 beginbfchar <41> <D800> <42> <6CD5> endbfchar\n"
                  b"endcmap CMapName currentdict /CMap defineresource pop end end")
    ref = writer._add_object(cmap)
    fonts = writer.pages[0]["/Resources"]["/Font"]
    for name in fonts:
        fonts[name].get_object()[NameObject("/ToUnicode")] = ref
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- text

CN = "一二三四五六七八九"


def chinese(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else CN[n - 1]
    tens, ones = divmod(n, 10)
    return (CN[tens - 1] if tens > 1 else "") + "十" + (CN[ones - 1] if ones else "")


TITLE = "平安县司法局2023年度法治政府建设情况报告\n"


def ten_thousand_headings() -> str:
    """99 一、 headings with 99 （一） each, then 1. to 99. and a 100.: 10,000 lines, all in sequence."""
    out = [TITLE]
    for a in range(1, 100):
        out.append(f"{chinese(a)}、依法行政第{a}部分\n")
        out.extend(f"（{chinese(b)}）加强执法。全年办理行政复议案件{b}件。\n" for b in range(1, 100))
    out.extend(f"{c}.完善制度。\n" for c in range(1, 101))
    return "".join(out)


def nested_cycles(n: int = 3000) -> str:
    """``n`` cycles of 一、（一）1.（1）: 12,000 headings nested four deep, numbered 一 again and again."""
    return TITLE + "一、法治\n（一）政府\n1.建设\n（1）报告内容。\n" * n


def deep_html(depth: int) -> bytes:
    body = "".join(f"<p>{escape(ln)}</p>\n" for ln in SEED4_TEXT.splitlines() if ln.strip())
    return ("<html><head><meta charset='utf-8'><title>报告</title></head><body>" + "<div>" * depth + "\n"
            + body + "</div>" * depth + "</body></html>").encode("utf-8")


NOVEL = ("第一章　雨夜\n" + "那天夜里下着大雨，他推开客栈的门，抖落斗笠上的水珠。掌柜抬起头，认出了这张多年未见的脸。"
         "“你终于回来了。”掌柜说。窗外的雷声滚过山谷，炉火噼啪作响。\n" * 30)
ENGLISH = ("The annual report sets out what the department did in the year, what it failed to do and why, "
           "and what it plans for the next year. It is published before the first of April.\n") * 40
NUL_AT = len(SEED4_TEXT[:300].encode("utf-8"))


def fifo(folder: Path, name: str) -> Built:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(folder / name)
    return Built([name])


def symlink_loop(folder: Path) -> Built:
    """loop/a/link -> ../b and loop/b/link -> ../a, a report in each real folder."""
    for sub, seed in (("a", SEED4), ("b", SEED4)):
        (folder / "loop" / sub).mkdir(parents=True)
        shutil.copyfile(seed, folder / "loop" / sub / f"{sub}报告.txt")
    os.symlink("../b", folder / "loop" / "a" / "link")
    os.symlink("../a", folder / "loop" / "b" / "link")
    return Built(["loop", "loop/a/link", "loop/b/link"], bad="loop")


def dangling(folder: Path, explicit: bool) -> Built:
    (folder / "links").mkdir()
    os.symlink("gone.txt", folder / "links" / "dangling.txt")
    if explicit:
        return Built(["links/dangling.txt"], explicit=True)
    return Built(["links"], bad="links/dangling.txt")


def self_link(folder: Path) -> Built:
    os.symlink("self.txt", folder / "self.txt")
    return Built(["self.txt"])


SECRET = "仅限本人：工资条与体检报告"      # the first line of a private file outside the checked folder


def link_out(folder: Path, target: Path | str) -> Built:
    """A folder holding a symlinked report that points out of it (to another user's file, to
    /proc/kmsg): not followed, one finding, the target never opened nor quoted."""
    (folder / "inbox").mkdir()
    os.symlink(target, folder / "inbox" / "报告.txt")
    return Built(["inbox"], bad="inbox/报告.txt")


def link_within(folder: Path) -> Built:
    """A symlinked report pointing at a report in the same folder: read, once."""
    (folder / "in").mkdir()
    shutil.copyfile(SEED4, folder / "in" / "real.txt")
    os.symlink("real.txt", folder / "in" / "alias.txt")
    return Built(["in"], bad="in")


def _no_secret(run: Run, folder: Path) -> None:
    assert SECRET not in run.out + run.err


def _read_once(run: Run, folder: Path) -> None:
    _read_normally(run, folder)
    assert {ln.split(":")[0] for ln in run.findings} == {"in/alias.txt"} and run.checked == 1


# a file name that, printed raw, ends its finding line and forges another one
FORGED = "a.txt:1:1: FZ101 伪造的问题\nb.txt"
# seed 0 with a title that lacks its unit (FZ302 quotes it) and carries terminal escapes
TITLE_ESCAPES = SEEDS[0].read_text(encoding="utf-8").replace("娄烦县卫生健康局\n", "", 1).replace(
    "关于 2023 年度法治政府建设情况的报告", "\x1b[2J2023 年度法治政府建设\u202e工作情况\x9b31m", 1)
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _named(folder: Path, name: str | bytes, data: bytes, shown: str | None = None) -> Built:
    """A file whose name is given as bytes (not UTF-8) or holds control characters; ``shown``:
    the name as the findings show it."""
    with open(os.path.join(os.fsencode(folder), os.fsencode(name)), "wb") as fh:
        fh.write(data)
    return Built([os.fsdecode(name)], bad=shown)


def _title_escaped(run: Run, folder: Path) -> None:
    _read_normally(run, folder)
    assert not RAW_CONTROLS.search(run.out)
    [title] = [ln for ln in run.findings if ln.startswith("title.txt:4:1: FZ302 [提示] 报告标题“")]
    assert "“\\u001b[2J2023" in title and "工作情况\\u009b31m”未写明" in title   # U+202E: dropped or escaped
    assert "\u202e" not in title


def no_reports(folder: Path) -> Built:
    (folder / "nothing" / "deeper").mkdir(parents=True)
    (folder / "nothing" / "notes.doc").write_bytes(b"not a supported suffix")
    (folder / "nothing" / "deeper" / "data.csv").write_text("a,b\n", encoding="utf-8")
    (folder / "nothing" / ".hidden.txt").write_text(SEED4_TEXT, encoding="utf-8")
    return Built(["nothing"], bad="nothing")


# --- issue 14: hidden text (invisible characters inside words, Kangxi radicals from a PDF text layer)

SEED3 = SEEDS[3]
TO_KANGXI = str.maketrans({unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0x2F00, 0x2FD6)})


def _same_as_seed3(prefix: str):
    def check(run: Run, folder: Path) -> None:
        _read_normally(run, folder)
        assert any(" FZ501 " in ln for ln in run.findings if ln.startswith(prefix))
        seed = fzlint("check", str(SEED3.relative_to(ROOT)), cwd=ROOT)
        assert [ln.split(":", 1)[1] for ln in run.findings if ln.startswith(prefix)] == \
            [ln.split(":", 1)[1] for ln in seed.findings]
    return check


# --- issue 14: linear cost (text and HTML): short lines by the hundred thousand, and budgets


def linear_cost_texts() -> dict[str, str]:
    """Texts whose cost grew faster than their size, or without bound (figures: CLI, before
    this issue's fix -> after)."""
    items = "".join(f"{chinese(i % 9 + 1)}、依法行政\n（{chinese(i % 9 + 1)}）加强执法\n{i % 9 + 1}.完善制度\n"
                    f"（{i % 9 + 1}）落实责任\n" for i in range(15_000))
    return {
        # 20,000 short lines before the text: all title lines, joined quadratically (5.3 s -> 1.4 s)
        "front": "法治政府建设\n" * 20_000 + "一、主要举措和成效\n依法行政。\n",
        # 500 （1） lacking their 1. level: each repair deep-copied the parse so far (16.6 s -> 1.1 s)
        "parents": TITLE + "一、主要举措和成效\n（1）完善制度。\n" * 500,
        # 100,000 lines after 特此报告: one exception and recovery each (4.2 s -> 2.0 s for 200,000)
        "closing": TITLE + "一、主要举措和成效\n依法行政。\n特此报告。\n" + "特此报告。\n依法行政。\n" * 50_000,
        # 60,000 numbered headings: 56,673 findings (6.9 s); beyond the budget of 50,000 (1.5 s)
        "headings": TITLE + items,
        # 450,000 one-character lines: a title of 450,000 lines (over 300 s); beyond the budget of
        # 400,000 lines with text (1.1 s)
        "lines": TITLE + "法\n" * 450_000,
        # 1,500,000 blank lines (20 MB of them: 22 s, 3 GB); beyond the budget of 1,000,000 lines
        "blank": TITLE + "\n" * 1_500_000,
    }


def html_page(body: str, head: str = "<meta charset='utf-8'>") -> bytes:
    return f"<html><head>{head}<title>报告</title></head><body>{body}</body></html>".encode()


RAISE = "上限随 --max-file-size 按比例提高"


# ---------------------------------------------------------------------------------------
# The catalogue

READ = "read"          # `says` of a case that is read and checked like any report


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path, dict], Built]
    says: str            # "FZ9xx <message>" (the finding), "fzlint: <stderr line>", or READ
    exit: int
    check: Callable[[Run, Path], None] | None = None   # more assertions on the run alone


def _read_normally(run: Run, folder: Path) -> None:
    assert run.findings and not any(" FZ9" in ln for ln in run.findings), run.out[-2000:]


TABLES_LEFT_OUT = "表格：0 个（部分表格过大，未读取其结构）"


def _outline_says(line: str):
    """Read normally, and `outline` of the file (within the timeout) has this line."""
    def check(run: Run, folder: Path) -> None:
        _read_normally(run, folder)
        outline = fzlint("outline", "--format", "text", run.findings[0].split(":")[0], cwd=folder)
        assert outline.code == 0 and outline.err == "", outline.err
        assert line in outline.out.splitlines(), outline.out[-2000:]
    return check


def merged_down_docx(rows: int) -> bytes:
    """A Word table whose first column is one cell merged down ``rows`` rows (w:vMerge)."""
    first = ("<w:tr><w:tc><w:tcPr><w:vMerge w:val='restart'/></w:tcPr><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc>"
             "<w:tc><w:p/></w:tc></w:tr>")
    row = ("<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
           "<w:tc><w:p><w:r><w:t>依法行政</w:t></w:r></w:p></w:tc></w:tr>")
    return package(f"<w:p><w:r><w:t>{TITLE.strip()}</w:t></w:r></w:p><w:tbl>{first}{row * rows}</w:tbl>")


def _same_as_seed4(prefix: str):
    def check(run: Run, folder: Path) -> None:
        _read_normally(run, folder)
        seed = fzlint("check", str(SEED4.relative_to(ROOT)), cwd=ROOT)
        assert [ln.split(":", 1)[1] for ln in run.findings if ln.startswith(prefix)] == \
            [ln.split(":", 1)[1] for ln in seed.findings]
    return check


def _one_line_only(run: Run, folder: Path) -> None:
    _read_normally(run, folder)
    assert all(ln.startswith("line5mb.txt:1:") for ln in run.findings)


def _extract_has_no_passwd(run: Run, folder: Path) -> None:
    _read_normally(run, folder)
    extracted = fzlint("extract", run.findings[0].split(":")[0], cwd=folder)
    assert extracted.code == 0 and extracted.err == ""
    assert "root:" not in extracted.out and "/bin/" not in extracted.out
    assert extracted.out.splitlines()[2] == "曲阜市卫生健康局文件"


def _xxe_not_expanded(run: Run, folder: Path) -> None:
    _extract_has_no_passwd(run, folder)
    extracted = fzlint("extract", "xxe.docx", cwd=folder).out
    assert "外部实体前外部实体后" in extracted and "lol" not in extracted


def _extract_prints_it(run: Run, folder: Path) -> None:
    extracted = fzlint("extract", "-n", run.findings[0].split(":")[0], cwd=folder)
    assert_clean(extracted)
    assert extracted.code == 0 and extracted.out == "1 [第1页第1行]\t\ufffd法\ufffd法 report text\n"


def _loop_each_file_once(run: Run, folder: Path) -> None:
    _read_normally(run, folder)
    paths = {ln.split(":")[0] for ln in run.findings}
    assert paths == {"loop/a/a报告.txt", "loop/b/b报告.txt"}
    assert run.checked == 2


def _extract_has_no_running_header(run: Run, folder: Path) -> None:
    extracted = fzlint("extract", "header.pdf", cwd=folder)
    assert_clean(extracted)
    assert extracted.code == 0 and "第3行正文" in extracted.out and "某某市人民政府" not in extracted.out


TOO_COMPLEX = "FZ910 [错误] 文件结构过于复杂，超出单个文件的检查工作量上限，未检查："
BY_NUMBERING = "（编号文字过长或被大量段落引用，疑似恶意构造的文件）"
SIZE_50MB = ("FZ909 [错误] 文件过大，未读取：文件大小 50.0 MB，超过上限 20.0 MB；"
             "如确需检查，可用 --max-file-size 或配置项 max-file-size 提高上限")

CASES = [
    Case("empty", lambda d, big: _write(d, "empty.txt", b""), "FZ903 [错误] 文件没有任何文字内容", 1),
    Case("whitespace", lambda d, big: _write(d, "blank.txt", " \n\t\n\u3000\u3000\r\n\xa0\n"),
         "FZ903 [错误] 文件没有任何文字内容", 1),
    Case("binary", lambda d, big: _write(d, "image.txt", big["png"] + random.Random(6).randbytes(4096)),
         "FZ902 [错误] 无法识别文件编码：含有 NUL 字节（第 9 字节），疑似二进制文件", 1),
    Case("nul-in-utf8",
         lambda d, big: _write(d, "nul.txt", SEED4_TEXT[:300].encode() + b"\x00\x00" + SEED4_TEXT[300:].encode()),
         f"FZ902 [错误] 无法识别文件编码：UTF-8 文本中夹杂 NUL 字节（第 {NUL_AT + 1} 字节），"
         "请删除这些空字符后另存", 1),
    Case("not-utf8-nor-gb18030",
         lambda d, big: _write(d, "mixed.txt", "法治政府建设".encode() + b"\x80\xff" + "年度报告".encode()),
         "FZ902 [错误] 无法识别文件编码：既不是 UTF-8（第 19 字节无效）也不是 GB18030（第 19 字节无效）", 1),
    Case("utf16le-no-bom", lambda d, big: _write(d, "utf16.txt", SEED4_TEXT.encode("utf-16-le")),
         "FZ902 [错误] 无法识别文件编码：疑似不带 BOM 的 UTF-16LE 编码；请另存为 UTF-8（或带 BOM 的 UTF-16）", 1),
    Case("50mb", lambda d, big: _link(d, "big50mb.txt", big["50mb"]), SIZE_50MB, 1),
    Case("5mb-line", lambda d, big: _link(d, "line5mb.txt", big["line"]), READ, 1, _one_line_only),
    Case("10000-headings", lambda d, big: _write(d, "headings.txt", ten_thousand_headings()), READ, 1,
         _read_normally),
    Case("nested-headings", lambda d, big: _write(d, "nested.txt", nested_cycles()), READ, 1, _read_normally),
    Case("html-2000-deep", lambda d, big: _write(d, "deep2000.html", deep_html(2000)), READ, 0, _read_normally),
    Case("html-5000-deep", lambda d, big: _write(d, "deep5000.html", deep_html(5000)),
         "FZ907 [错误] 文件已损坏或格式与扩展名不符：页面标签嵌套过深，第 1 行之后的内容无法读取", 1),
    Case("novel", lambda d, big: _write(d, "novel.txt", NOVEL),
         "FZ908 [提示] 文件内容不像是政府年度报告（几乎没有“报告”、“政府”、“法治”、“依法”等报告用语），"
         "未做其他检查", 0),
    Case("python-source", lambda d, big: _copy(d, "lint.txt", Path(json.__file__)),   # no Chinese at all
         "FZ908 [提示] 文件内容不像是政府年度报告（中文字符只占 0%），未做其他检查", 0),
    Case("english", lambda d, big: _write(d, "english.txt", ENGLISH),
         "FZ908 [提示] 文件内容不像是政府年度报告（中文字符只占 0%），未做其他检查", 0),
    Case("docx-truncated", lambda d, big: _write(d, "cut.docx", big["docx"][: len(big["docx"]) // 2]),
         "FZ907 [错误] 文件已损坏或格式与扩展名不符：Word（.docx）压缩包已损坏或不完整", 1),
    Case("docx-zip-bomb", lambda d, big: _link(d, "bomb.docx", big["bomb"]),
         "FZ907 [错误] 文件已损坏或格式与扩展名不符：压缩包解压后异常巨大（疑似压缩炸弹），已拒绝读取", 1),
    Case("docx-zip-bomb-lying", lambda d, big: _write(d, "liar.docx", big["liar"]),
         "FZ907 [错误] 文件已损坏或格式与扩展名不符：压缩包中的文件解压后比声明的大（疑似压缩炸弹），已拒绝读取", 1),
    Case("docx-external-rels", lambda d, big: _write(d, "external.docx", external_docx("http://127.0.0.1:9/x")),
         READ, 0, _extract_has_no_passwd),
    Case("docx-xxe", lambda d, big: _write(d, "xxe.docx", xxe_docx()), READ, 0, _xxe_not_expanded),
    Case("pdf-lone-surrogate", lambda d, big: _write(d, "surrogate.pdf", big["surrogate"]),
         "FZ908 [提示] 文件内容不像是政府年度报告（中文字符只占 14%），未做其他检查 [第1页第1行]", 0,
         _extract_prints_it),
    Case("pdf-encrypted", lambda d, big: _write(d, "locked.pdf", big["encrypted"]),
         "FZ905 [错误] 文件已加密，无法读取正文：需要打开密码", 1),
    Case("pdf-scanned", lambda d, big: _write(d, "scan.pdf", big["scanned"]),
         "FZ906 [错误] 文件中没有可读取的文字：PDF 共 2 页，没有文字层（可能是扫描件），请提供可复制文字的版本", 1),
    Case("no-permission", lambda d, big: _deny(d, *_copy(d, "secret.txt", SEED4).args),
         "FZ901 [错误] 无法读取文件：没有读取权限", 1),
    Case("dangling-in-folder", lambda d, big: dangling(d, explicit=False),
         "FZ901 [错误] 无法读取文件：符号链接指向的文件不存在", 1),
    Case("dangling-named", lambda d, big: dangling(d, explicit=True),
         "FZ901 [错误] 无法读取文件：符号链接指向的文件不存在", 1),
    Case("symlink-loop", lambda d, big: symlink_loop(d), READ, 0, _loop_each_file_once),
    Case("symlink-to-itself", lambda d, big: self_link(d), "FZ901 [错误] 无法读取文件：符号链接形成了循环", 1),
    Case("fifo-in-folder", lambda d, big: fifo(d, "report.txt"),
         "FZ901 [错误] 无法读取文件：不是普通文件（管道、设备或套接字）", 1),
    Case("chinese-name-with-spaces",
         lambda d, big: _copy(d, "法治 报告/平安县 2023年度 报告.txt", SEED4), READ, 0,
         _same_as_seed4("法治 报告/平安县 2023年度 报告.txt:")),
    Case("missing-path", lambda d, big: Built(["不存在的 报告.txt"], explicit=True),
         "FZ901 [错误] 无法读取文件：文件不存在", 1),
    Case("folder-without-reports", lambda d, big: no_reports(d),
         "fzlint: 在 nothing 中没有找到可检查的报告文件（.txt、.md、.docx、.pdf、.html）", 0),
    # issue 14: hostile places
    Case("symlink-out-of-folder", lambda d, big: link_out(d, big["secret"]), f"FZ901 [错误] 无法读取文件：{OUTSIDE}", 1,
         _no_secret),
    Case("symlink-to-kmsg", lambda d, big: link_out(d, "/proc/kmsg"), f"FZ901 [错误] 无法读取文件：{OUTSIDE}", 1),
    Case("symlink-within-folder", lambda d, big: link_within(d), READ, 0, _read_once),
    Case("fifo-named", lambda d, big: Built(fifo(d, "named.txt").args, explicit=True),
         "FZ901 [错误] 无法读取文件：不是普通文件（管道、设备或套接字）", 1),
    # issue 14: hidden text
    Case("soft-hyphen-inside-misnomer",
         lambda d, big: _write(d, "督查.txt", SEED3.read_text(encoding="utf-8").replace("督查", "督\u00ad查")),
         READ, 0, _same_as_seed3("督查.txt:")),
    Case("bidi-inside-first-responsible",
         lambda d, big: _write(d, "bidi.txt", SEED4_TEXT.replace("第一责任人", "第一\u200f责任人")
                               .replace("党政主要负责人", "党政主要\u202a负责人\u202c")),
         READ, 0, _same_as_seed4("bidi.txt:")),
    Case("kangxi-radicals-text-layer", lambda d, big: _write(d, "kangxi.txt", SEED4_TEXT.translate(TO_KANGXI)),
         READ, 0, _same_as_seed4("kangxi.txt:")),
    # issue 14: Word expansion budget
    Case("docx-1mb-level-text-x10000", lambda d, big: _write(d, "lvltext.docx", numbered_docx("法" * MB, 10_000)),
         f"{TOO_COMPLEX}Word 自动编号展开后的文字超过 268 万个字符{BY_NUMBERING}", 1),
    Case("docx-1mb-level-text-via-style",
         lambda d, big: _write(d, "lvlstyle.docx", numbered_docx("法" * MB, 10_000, via="style")),
         f"{TOO_COMPLEX}Word 自动编号展开后的文字超过 194 万个字符{BY_NUMBERING}", 1),
    Case("docx-1mb-level-text-via-default-style",
         lambda d, big: _write(d, "lvldefault.docx", numbered_docx("法" * MB, 10_000, via="default")),
         f"{TOO_COMPLEX}Word 自动编号展开后的文字超过 112 万个字符{BY_NUMBERING}", 1),
    Case("docx-100000-placeholders-of-a-letter-counter",
         lambda d, big: _write(d, "letters.docx", numbered_docx("%1" * 100_000, 10_000, fmt="lowerLetter",
                                                                start=32767)),
         f"{TOO_COMPLEX}Word 自动编号展开后的文字超过 268 万个字符{BY_NUMBERING}", 1),
    Case("docx-50001-numbered-paragraphs",
         lambda d, big: _write(d, "paragraphs.docx", numbered_docx("%1.", 50_001)),
         f"{TOO_COMPLEX}Word 文档中的段落和表格行超过 5 万个（疑似恶意构造的文件）", 1),
    Case("docx-a-million-tabs",
         lambda d, big: _write(d, "tabs.docx", package("<w:p><w:r>" + "<w:tab/>" * 1_000_001 + "</w:r></w:p>")),
         f"{TOO_COMPLEX}Word 文档中的 XML 元素和属性超过 100 万个（疑似恶意构造的文件）", 1),
    Case("docx-10000-more-members", lambda d, big: _write(d, "members.docx", with_members(package("<w:p/>"), 10_000)),
         f"{TOO_COMPLEX}Word 压缩包中的文件超过 1 万个（疑似恶意构造的文件）", 1),
    Case("docx-4-million-characters",
         lambda d, big: _write(d, "text.docx", package("<w:p><w:r><w:t>" + "A" * 4_000_001 + "</w:t></w:r></w:p>")),
         f"{TOO_COMPLEX}Word 正文展开后的文字超过 400 万个字符（疑似恶意构造的文件）", 1),
    # issue 14: output (names and texts that would break or forge the output; see
    # checker/reporters/safe.py for how they are shown)
    Case("gbk-file-name", lambda d, big: _named(d, "报告".encode("gbk") + b".txt", SEED4.read_bytes()), READ, 0,
         _same_as_seed4("报告.txt:")),
    Case("undecodable-file-name", lambda d, big: _named(d, b"\xff\xfe report.txt", b"", r"\xff\xfe report.txt"),
         "FZ903 [错误] 文件没有任何文字内容", 1),
    Case("newline-in-name", lambda d, big: _named(d, FORGED, b"", FORGED.replace("\n", r"\n")),
         "FZ903 [错误] 文件没有任何文字内容", 1),
    Case("escapes-in-name", lambda d, big: _named(d, "esc\x1b[2J\x1b]0;标题\x07\x9b31m.txt", b"",
                                                 r"esc\u001b[2J\u001b]0;标题\u0007\u009b31m.txt"),
         "FZ903 [错误] 文件没有任何文字内容", 1),
    Case("bidi-override-in-name", lambda d, big: _named(d, "报告\u202etxt.exe\u2066.txt", b"",
                                                       r"报告\u202etxt.exe\u2066.txt"),
         "FZ903 [错误] 文件没有任何文字内容", 1),
    Case("escapes-in-title", lambda d, big: _named(d, "title.txt", TITLE_ESCAPES.encode("utf-8")), READ, 0,
         _title_escaped),
    # issue 14: PDF work budget (each file a few KB to a few hundred KB)
    Case("pdf-form-drawn-2000-times", lambda d, big: _write(d, "forms.pdf", form_bomb_pdf(2000, 1, 200)),
         TOO_COMPLEX + "PDF 中表单对象被重复绘制，需要排版的文字超过 200 万字节（疑似恶意构造的文件）", 1),
    Case("pdf-form-nested-4-deep", lambda d, big: _write(d, "nested.pdf", form_bomb_pdf(40, 4, 1)),
         TOO_COMPLEX + "PDF 中表单对象被重复绘制，需要排版的文字超过 200 万字节（疑似恶意构造的文件）", 1),
    Case("pdf-2000-pages-share-contents", lambda d, big: _write(d, "shared.pdf", shared_contents_pdf(2000, 2000)),
         TOO_COMPLEX + "PDF 中许多页面重复绘制同一段内容，需要排版的文字超过 200 万字节（疑似恶意构造的文件）", 1),
    Case("pdf-tj-pieces-drawn-40-times", lambda d, big: _write(d, "pieces.pdf", scattered_pdf(45_000, 40)),
         TOO_COMPLEX + "PDF 中表单对象被重复绘制，需要排版的文字片段超过 30 万个（疑似恶意构造的文件）", 1),
    Case("pdf-contents-inflating-1000x", lambda d, big: _write(d, "inflated.pdf", inflated_pdf()),
         TOO_COMPLEX + "PDF 需要解析的页面内容超过 4 MB（疑似恶意构造的文件）", 1),
    Case("pdf-running-header-2000-pages", lambda d, big: _write(d, "header.pdf", running_header_pdf(2000)),
         "FZ908 [提示] 文件内容不像是政府年度报告（几乎没有“报告”、“政府”、“法治”、“依法”等报告用语），"
         "未做其他检查 [第1页第4行]", 0, _extract_has_no_running_header),
    Case("pdf-5000-pages", lambda d, big: _write(d, "pages.pdf", running_header_pdf(5000)),
         TOO_COMPLEX + "PDF 页数超过 2000 页的上限", 1),
    Case("pdf-60000-objects", lambda d, big: _write(d, "objects.pdf", many_objects_pdf(60_000)),
         TOO_COMPLEX + "PDF 中的对象超过 5 万个", 1),
    # issue 14: linear cost
    Case("20000-title-lines", lambda d, big: _write(d, "front.txt", big["texts"]["front"]), READ, 1, _read_normally),
    Case("500-missing-parents", lambda d, big: _write(d, "parents.txt", big["texts"]["parents"]), READ, 1,
         _read_normally),
    Case("100000-lines-after-closing", lambda d, big: _write(d, "closing.txt", big["texts"]["closing"]), READ, 1,
         _read_normally),
    Case("60000-headings", lambda d, big: _write(d, "headings.txt", big["texts"]["headings"]),
         f"{TOO_COMPLEX}编号标题超过 5 万个（报告通常只有几十到几百个；{RAISE}）", 1),
    Case("60000-headings-md", lambda d, big: _write(d, "headings.md", "\n".join(
        "## " + ln if ln[:1] in CN else ln for ln in big["texts"]["headings"].split("\n"))),
         f"{TOO_COMPLEX}编号标题超过 5 万个（报告通常只有几十到几百个；{RAISE}）", 1),
    Case("450000-lines", lambda d, big: _write(d, "lines.txt", big["texts"]["lines"]),
         f"{TOO_COMPLEX}文本中有文字的行超过 40 万行（报告通常只有几百到几千行；{RAISE}）", 1),
    Case("1500000-blank-lines", lambda d, big: _write(d, "blank.txt", big["texts"]["blank"]),
         f"{TOO_COMPLEX}文本有 1500002 行，超过 100 万行的上限（报告通常只有几百到几千行；{RAISE}）", 1),
    # 20,000 table rows: each a title line of the page (8.4 s -> 2.1 s)
    Case("html-20000-rows", lambda d, big: _write(d, "rows.html", html_page("<table>" + "".join(
        f"<tr><td>依法行政</td><td>{i}</td></tr>\n" for i in range(20_000)) + "</table>")), READ, 1, _read_normally),
    # 100,001 <p> (4.7 s; 250,000: 28.6 s of CPU and 357 MB) and a million <br>: beyond 100,000 elements
    Case("html-100001-p", lambda d, big: _write(d, "p.html", html_page("<div>" + "<p>依法行政。</p>\n" * 100_001
                                                                       + "</div>")),
         f"{TOO_COMPLEX}网页元素（标签）超过 10 万个的上限（政府网站的文章页面通常只有几百到几千个）", 1),
    Case("html-1000000-br", lambda d, big: _write(d, "br.html", html_page("依法行政。<br>" * 1_000_000)),
         f"{TOO_COMPLEX}网页元素（标签）超过 10 万个的上限（政府网站的文章页面通常只有几百到几千个）", 1),
    # a charset naming a codec that is not a text encoding: exit 3 before
    Case("html-charset-base64", lambda d, big: _write(d, "base64.html", html_page(
        "".join(f"<p>{escape(ln)}</p>" for ln in SEED4_TEXT.splitlines() if ln.strip()),
        "<meta charset='base64'>")), READ, 0, _read_normally),
    Case("html-charset-zlib-http-equiv", lambda d, big: _write(d, "zlib.html", html_page(
        "".join(f"<p>{escape(ln)}</p>" for ln in SEED4_TEXT.splitlines() if ln.strip()),
        "<meta http-equiv='Content-Type' content='text/html; charset=zlib'>")), READ, 0, _read_normally),
    # issue 18: tables in the model. Each table counts against the budgets of
    # checker/skeleton/tables.py (20,000 cells a report, 400,000 grid positions a table); one past
    # them is left out of the model, said by `outline`, and its lines are read as always. CLI
    # wall clock before -> after tables (one run each, 2 shared cores): 0.58 -> 0.65 s,
    # 0.38 -> 0.40 s, 0.46 -> 0.58 s (its 6,001-row table built), 0.51 -> 0.54 s.
    Case("txt-100000-row-table", lambda d, big: _write(d, "rows.txt", TITLE + "| 项目 | 数量 |\n"
                                                        + "| 依法行政 | 1 |\n" * 100_000),
         READ, 1, _outline_says(TABLES_LEFT_OUT)),
    Case("md-table-100000-columns", lambda d, big: _write(d, "columns.md", TITLE + (
        "| " + " | ".join(["甲"] * 100_000) + " |\n") * 2), READ, 1, _outline_says(TABLES_LEFT_OUT)),
    Case("docx-6000-rows-merged-down", lambda d, big: _write(d, "merged.docx", merged_down_docx(6_000)), READ, 1,
         _outline_says("     2  表格1  6001行×2列  项目")),
    Case("html-table-of-20000-huge-spans", lambda d, big: _write(d, "spans.html", html_page(
        f"<p>{TITLE}</p><table>" + ("<tr>" + "<td colspan='1000' rowspan='65534'>依法行政</td>" * 20 + "</tr>\n")
        * 1000 + "</table>")), READ, 1, _outline_says(TABLES_LEFT_OUT)),
]


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> dict:
    """The expensive inputs, made once: a 50 MB report, a 5 MB line, the zip bombs, PDFs."""
    where = tmp_path_factory.mktemp("big")
    seed = SEED4_TEXT.encode("utf-8")
    with open(where / "50mb.txt", "wb") as fh:          # exactly 50 MB, in a few large writes
        block = seed * (4 * MB // len(seed))
        while fh.tell() + len(block) <= 50 * MB:
            fh.write(block)
        fh.write(b"\n" * (50 * MB - fh.tell()))
    line = SEED4_TEXT.replace("\n", "").encode("utf-8")
    (where / "line5mb.txt").write_bytes(line * (5 * MB // len(line)))
    zip_bomb(where / "bomb.docx")
    secret = where / "private.txt"          # outside every case's folder
    secret.write_text(SECRET + "\n" + SEED4_TEXT, encoding="utf-8")
    return {
        "50mb": where / "50mb.txt", "line": where / "line5mb.txt", "bomb": where / "bomb.docx",
        "liar": lying_zip_bomb((where / "bomb.docx").read_bytes()),
        "png": png(8, 8, random.Random(1)),
        "docx": make_docx(document_xml(SEED4_TEXT.splitlines())),
        "encrypted": encrypted_pdf(), "scanned": scanned_pdf(), "surrogate": surrogate_pdf(),
        "secret": secret,
        "texts": linear_cost_texts(),
    }


ALONE: dict[str, Run] = {}   # the runs of test_case_alone, reused by the run of everything


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_alone(case: Case, big, tmp_path):
    built = case.build(tmp_path, big)
    run = fzlint("check", *built.args, cwd=tmp_path, env=_env(tmp_path, [("", built)]))
    assert_clean(run)
    assert run.code == case.exit, run.out[-3000:] + run.err
    if case.says.startswith("fzlint:"):
        assert run.err.splitlines() == [case.says]
        assert run.findings == []
    else:
        assert run.err == ""
        if case.says.startswith("FZ9"):
            assert run.findings == [f"{built.path}:1:1: {case.says}"]
    if case.check is not None:
        case.check(run, tmp_path)
    ALONE[case.id] = run


def test_all_cases_together_beside_good_reports(big, tmp_path):
    """Every case in one folder with two good seeds: each case says what it says alone, and
    the good files' findings are byte for byte those of a run on the good files alone."""
    for name, seed in GOOD.items():
        shutil.copyfile(seed, tmp_path / name)
    built, alone = [], {}
    for case in CASES:
        (tmp_path / case.id).mkdir()
        b = case.build(tmp_path / case.id, big)
        built.append((case.id, b))
    explicit = [f"{cid}/{arg}" for cid, b in built if b.explicit for arg in b.args]
    env = _env(tmp_path, built)
    run = fzlint("check", ".", *explicit, cwd=tmp_path, env=env)
    assert_clean(run)
    assert run.err == ""
    assert run.code == 1
    good = fzlint("check", *GOOD, cwd=tmp_path)
    assert good.findings and all(ln.startswith(tuple(GOOD)) for ln in good.findings)
    assert [ln for ln in run.findings if ln.startswith(tuple(GOOD))] == good.findings
    for case, (cid, b) in zip(CASES, built):
        mine = [ln for ln in run.findings if ln.startswith(cid + "/")]
        if case.says.startswith("FZ9"):
            assert mine == [f"{cid}/{b.path}:1:1: {case.says}"], case.id
        elif case.says.startswith("fzlint:"):
            assert mine == [], case.id
        else:   # read like a report: the same findings as alone
            own = ALONE.get(cid) or fzlint("check", *b.args, cwd=tmp_path / cid, env=_env(tmp_path / cid, [("", b)]))
            alone[cid] = own.checked
            assert mine == [f"{cid}/{ln}" for ln in own.findings], case.id
    # every file checked once: the good ones, one per bad file, the readable cases' own files
    bad = sum(1 for case in CASES if case.says.startswith("FZ9"))
    assert run.checked == len(GOOD) + bad + sum(alone.values())


def test_a_report_over_the_default_limit_within_a_raised_limit(tmp_path):
    """A report just over the default limit (20 MB; the case "50mb" is far over it) is refused
    by default, and read and checked within the timeout with --max-file-size 60MB. (It was a
    50 MB report: 7 s of CPU for what 20.5 MB proves in 3.)"""
    seed = SEED4_TEXT.encode("utf-8")
    size = 20 * MB + MB // 2
    with open(tmp_path / "big.txt", "wb") as fh:
        fh.write(seed * (size // len(seed)))
        fh.write(b"\n" * (size - fh.tell()))
    refused = fzlint("check", "big.txt", cwd=tmp_path)
    assert refused.code == 1 and refused.err == ""
    assert refused.findings == ["big.txt:1:1: " + SIZE_50MB.replace("50.0 MB", "20.5 MB")]
    run = fzlint("check", "--max-file-size", "60MB", "big.txt", cwd=tmp_path)
    assert_clean(run)
    assert run.err == "" and run.code == 0
    assert run.findings and not any(" FZ9" in ln for ln in run.findings)
    assert run.checked == 1
    print(f"20.5 MB report with --max-file-size 60MB: {run.seconds:.1f} s, {len(run.findings)} findings")


def test_outline_of_a_text_beyond_the_budgets(big, tmp_path):
    """outline parses without the rules: a text beyond the budgets is a one-line error (exit 2)."""
    _write(tmp_path, "headings.txt", big["texts"]["headings"])
    run = fzlint("outline", "headings.txt", cwd=tmp_path)
    assert_clean(run)
    assert run.code == 2 and run.out == ""
    assert run.err.splitlines() == [
        f"fzlint: headings.txt: 无法检查（编号标题超过 5 万个（报告通常只有几十到几百个；{RAISE}））"]


def test_external_relationships_are_not_fetched(tmp_path):
    """A .docx whose relationships point at a server listening on this machine and at
    file:///etc/passwd is read from the package alone: nothing connects, nothing of
    /etc/passwd shows up in the text."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/x"
        (tmp_path / "external.docx").write_bytes(external_docx(url))
        (tmp_path / "xxe.docx").write_bytes(xxe_docx(url))
        runs = [fzlint("check", "external.docx", "xxe.docx", cwd=tmp_path),
                fzlint("extract", "external.docx", cwd=tmp_path), fzlint("extract", "xxe.docx", cwd=tmp_path),
                fzlint("outline", "xxe.docx", cwd=tmp_path)]
        with pytest.raises(BlockingIOError):
            server.accept()
    for run in runs:
        assert_clean(run)
        assert "root:" not in run.out
    assert runs[0].code == 0 and runs[1].code == runs[2].code == runs[3].code == 0


# ---------------------------------------------------------------------------------------
# Files that vanish, folders that cannot be read


def test_a_file_deleted_after_it_was_listed_in_process(tmp_path, registry):
    from checker.lint import iter_files, lint_path

    shutil.copyfile(SEED4, tmp_path / "a.txt")
    shutil.copyfile(SEED4, tmp_path / "b.txt")
    listed = iter_files([str(tmp_path)])
    path, display, named = next(listed)
    path.unlink()
    result = lint_path(path, registry, display=display)
    assert [(d.code, d.message) for d in result.diagnostics] == [("FZ901", "无法读取文件：文件不存在")]
    path, display, named = next(listed)
    assert lint_path(path, registry, display=display).diagnostics


@pytest.mark.parametrize("limit", [None, 4096, 100])
def test_a_file_that_grew_after_its_size_was_taken(tmp_path, monkeypatch, limit):
    """The reader asks for the size os.fstat gave, plus one byte: a file that grew in between
    is read to its end, or refused as too large when it grew past the limit."""
    from checker import fileio, sources

    text = "一、主要举措和成效\n" + "推进依法行政。" * 50       # ~1 KB of UTF-8
    path = tmp_path / "grew.txt"
    path.write_text(text, encoding="utf-8")
    real_stat = os.fstat

    def stale_stat(fd):    # the size the file had before it grew
        st = real_stat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid,
                               10, int(st.st_atime), int(st.st_mtime), int(st.st_ctime)))

    monkeypatch.setattr(fileio.os, "fstat", stale_stat)
    if limit == 100:
        with pytest.raises(sources.SourceError) as err:
            sources.read(path, "grew.txt", max_bytes=limit)
        assert err.value.problem == "too_large"
    else:
        assert sources.read(path, "grew.txt", max_bytes=limit).text == text


def test_a_file_deleted_after_it_was_listed_through_the_cli(tmp_path):
    """HARNESS deletes a.txt between the moment the folder walk lists it and the moment it is read."""
    for name in ("a.txt", "b.txt"):
        shutil.copyfile(SEED4, tmp_path / name)
    run = fzlint("check", ".", cwd=tmp_path, env={"FZLINT_TEST_VANISH": str(tmp_path / "a.txt")})
    assert_clean(run)
    assert run.code == 1 and run.err == ""
    assert [ln for ln in run.findings if ln.startswith("a.txt")] == ["a.txt:1:1: FZ901 [错误] 无法读取文件：文件不存在"]
    assert any(ln.startswith("b.txt:") for ln in run.findings) and run.checked == 2


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path):
    (tmp_path / "locked").mkdir()
    shutil.copyfile(SEED4, tmp_path / "locked" / "r.txt")
    shutil.copyfile(SEED4, tmp_path / "r.txt")
    built = _deny(tmp_path, "locked", is_dir=True)
    run = fzlint("check", ".", cwd=tmp_path, env=_env(tmp_path, [("", built)]))
    (tmp_path / "locked").chmod(0o755)
    assert_clean(run)
    assert run.code == 1
    assert "locked:1:1: FZ901 [错误] 无法读取文件：没有读取权限" in run.findings


def test_a_file_in_a_folder_that_cannot_be_searched(tmp_path):
    (tmp_path / "locked").mkdir()
    shutil.copyfile(SEED4, tmp_path / "locked" / "r.txt")
    built = _deny(tmp_path, "locked", is_dir=True)
    run = fzlint("check", "locked/r.txt", cwd=tmp_path, env=_env(tmp_path, [("", built)]))
    (tmp_path / "locked").chmod(0o755)
    assert_clean(run)
    assert run.findings == ["locked/r.txt:1:1: FZ901 [错误] 无法读取文件：没有读取权限"]


def test_a_hundredth_chinese_numbered_heading(tmp_path):
    text = TITLE + "".join(f"{chinese(i)}、依法行政第{i}部分\n内容。\n" for i in range(1, 100)) + "一、重复\n内容。\n"
    (tmp_path / "h.txt").write_text(text, encoding="utf-8")
    run = fzlint("check", "h.txt", cwd=tmp_path)
    assert_clean(run)
    assert any(ln.startswith("h.txt:200:1: FZ403 [警告] 标题编号“一、”不连续") for ln in run.findings)


def test_extract_numbers_lines_as_findings_count_them(tmp_path):
    """A .txt exported with a page break (form feed) in it: `extract -n` must show the line a
    finding names under the number the finding gives."""
    text = TITLE + "一、主要举措和成效\f\n全年办理行政许可120件。\n二、存在的不足和原因\n执法不够规范。\n"
    (tmp_path / "ff.txt").write_text(text, encoding="utf-8")
    run = fzlint("check", "--select", "FZ107", "ff.txt", cwd=tmp_path)
    assert run.findings == ["ff.txt:4:1: FZ107 [警告] “存在的不足和原因”部分只列举了不足，没有分析原因"]
    numbered = fzlint("extract", "-n", "ff.txt", cwd=tmp_path).out.splitlines()
    assert "4\t二、存在的不足和原因" in numbered


# ---------------------------------------------------------------------------------------
# Rule packs and configuration through the CLI (tests/test_registry.py loads packs
# in-process; tests/test_config.py already runs the configuration mistakes through the CLI)

PACK = """\
pack: extra
title: 测试
applies_to: all
rules:
""" + GOOD_RULE

PACK_ERRORS = [
    # (id, pack text, line, words in the message: what is wrong and what to do)
    ("malformed-yaml", PACK.replace("any: [样例]", "any: [样例"), 11, ["YAML 语法错误", "括号是否成对"]),
    ("python-object-tag", PACK.replace("any: [样例]", "any: !!python/object/apply:os.system [touch pwned]"), 10,
     ["!!python/object/apply:os.system", "只能使用普通的映射、列表和标量"]),
    ("unknown-check-type", PACK.replace("check: forbidden_text", "check: forbid"), 9,
     ["未知的检查类型", "forbid", "可用：", "forbidden_text"]),
    ("check-type-not-a-string", PACK.replace("check: forbidden_text", "check: [forbidden_text]"), 9,
     ["未知的检查类型", "可用："]),
    ("duplicate-rule-id", PACK.replace("FZ990", "FZ101"), 5, ["FZ101 重复", "fazhi.yaml", "请换一个未使用的 id"]),
    ("regex-re2-rejects", PACK.replace("any: [样例]", "regex: ['(?<=法治)政府']"), 10,
     ["RE2", "请改写"]),
    ("unbalanced-brace-in-message", PACK.replace("发现“{match}”", "发现{"), 13, ["花括号不成对", "{{"]),
    ("format-spec-in-message", PACK.replace("发现“{match}”", "发现{match!x}"), 13, ["{match!x}", "{名称}"]),
    ("wrong-shape-inside-an-option",
     PACK.replace("check: forbidden_text", "check: misnomer").replace("any: [样例]", "names: [{wrong: 1, right: 对}]"),
     10, ["names", "字符串列表"]),
    ("a-string-where-a-list-belongs",
     PACK.replace("check: forbidden_text", "check: misnomer")
         .replace("any: [样例]", "names: [{wrong: 法制政府, right: 对}]"),
     10, ["names", "字符串列表", "wrong: [法制政府]"]),
    ("unknown-test-keys", PACK.replace("      - name: silent\n", "      - name: silent\n        1: x\n        y: z\n"),
     19, ["未知的键 1、y"]),
    ("nested-30000-deep", "pack: " + "[" * 30000 + "]" * 30000 + "\n", 1, ["嵌套超过 100 层"]),
    ("not-utf8", "pack: extra\ntitle: 测试\n".encode("gb18030").decode("latin-1"), 2, ["不是 UTF-8", "另存为 UTF-8"]),
    # issue 14, rule packs (branch i14-packs): the work a pack can cause is bounded before it
    # is done (an alias bomb took minutes and GBs; 100,000 keywords made every file fail)
    ("alias-bomb", PACK.replace("rules:\n", laughs(9) + "rules:\n"), 9, ["展开别名", "50,000 个节点"]),
    ("alias-cycle", PACK.replace("rules:\n", "x-loop: &loop\n  - *loop\nrules:\n"), 5, ["循环引用", "*loop"]),
    ("keywords-100000",
     PACK.replace("any: [样例]", "any: [样例" + "".join(f", 词{i:06d}" for i in range(100_000)) + "]"),
     10, ["50,000 个节点", "未继续读取"]),
    ("keywords-over-the-budget",      # 2,000 keywords of 30 characters: 60,000 > 50,000
     PACK.replace("any: [样例]", "any: [" + ", ".join(f"{i:06d}" + "关键词" * 8 for i in range(2000)) + "]"),
     5, ["关键词过多", "FZ990", "50,000 字"]),
    ("int-of-5000-digits", PACK.replace("rules:\n", "x-number: " + "9" * 5000 + "\nrules:\n"), 4, ["无法读作整数"]),
    ("impossible-date", PACK.replace("rules:\n", "x-date: 2024-02-30\nrules:\n"), 4, ["“2024-02-30”", "无法读作日期"]),
    ("pack-over-5-MB", PACK + "#" * (5 * MB) + "\n", 1, ["超过 5 MB", "未读取"]),
]


def _pack_error_param(case):
    return pytest.param(*case, id=case[0])


@pytest.mark.parametrize("name,text,line,words", [_pack_error_param(c) for c in PACK_ERRORS])
def test_pack_error_through_the_cli(tmp_path, name, text, line, words):
    (tmp_path / "packs").mkdir()
    pack = tmp_path / "packs" / "extra.yaml"
    pack.write_bytes(text.encode("latin-1") if name == "not-utf8" else text.encode("utf-8"))
    (tmp_path / "fzlint.toml").write_text('rule-packs = ["packs"]\n', encoding="utf-8")
    shutil.copyfile(SEED4, tmp_path / "r.txt")
    run = fzlint("check", "r.txt", cwd=tmp_path)
    assert_clean(run)
    assert run.code == 2 and run.out == ""
    (said,) = run.err.splitlines()
    assert said.startswith(f"fzlint: 规则包错误：{pack}:{line}: "), said
    for w in words:
        assert w in said, said
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("parser", ["as-installed", "pure-python"])
@pytest.mark.parametrize("text,line", [
    ("pack: " + "[" * 101 + "]" * 101 + "\n", 1),
    ("pack: " + "[" * 1001 + "]" * 1001 + "\n", 1),          # libyaml's own limit is 1,000 levels
    ("pack: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n", 1),
    ("".join("  " * i + "k:\n" for i in range(150)) + "  " * 150 + "v\n", 100),
], ids=["flow-101", "flow-1001", "mappings-2000", "block-150"])
def test_pack_nesting_message_whatever_pyyaml_was_built_with(monkeypatch, parser, text, line):
    """issue 16: with libyaml (PyYAML's wheels), its scanner refuses 1,000 levels before our
    composer sees level 101, in English; without it PyYAML's Python parser has no limit. Either
    way the author reads our message, at the line of the level too many."""
    import yaml

    from checker.engine import yamlload

    if parser == "pure-python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    yamlload._loader.cache_clear()
    try:
        with pytest.raises(yamlload.YamlError) as err:
            yamlload.load(text)
    finally:
        monkeypatch.undo()
        yamlload._loader.cache_clear()
    assert (err.value.line, err.value.message) == (line, yamlload._depth_error(line).message)
    assert "嵌套超过 100 层" in err.value.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and devices")
@pytest.mark.parametrize("kind,words", [("fifo", ["命名管道（FIFO）", "未读取"]),
                                        ("symlink-to-a-device", ["字符设备"])])
def test_a_pack_that_is_not_a_regular_file_through_the_cli(tmp_path, kind, words):
    """issue 14: a FIFO named *.yaml in a configured rule-packs folder made fzlint wait forever
    for a writer; a symlink to /dev/zero was read until memory ran out (exit 3)."""
    (tmp_path / "packs").mkdir()
    pack = tmp_path / "packs" / "extra.yaml"
    if kind == "fifo":
        os.mkfifo(pack)
    else:
        os.symlink("/dev/zero", pack)
    (tmp_path / "fzlint.toml").write_text('rule-packs = ["packs"]\n', encoding="utf-8")
    shutil.copyfile(SEED4, tmp_path / "r.txt")
    run = fzlint("check", "r.txt", cwd=tmp_path)
    assert_clean(run)
    assert run.code == 2 and run.out == ""
    (said,) = run.err.splitlines()
    assert said.startswith(f"fzlint: 规则包错误：{pack}:1: 规则包不是普通文件"), said
    for w in words:
        assert w in said, said


def test_catastrophic_regex_runs_in_linear_time_on_a_1mb_file(tmp_path):
    """(a+)+$ backtracks exponentially in Python's re (2**40 steps for 40 a's and a '!'): RE2
    accepts it and runs in linear time. A report followed by ~1 MB of such lines is checked
    within the subprocess timeout; the one line of a's alone matches."""
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "extra.yaml").write_text(
        PACK.replace("any: [样例]", "regex: ['(a+)+$']").replace("input: 样例", "input: aaa"), encoding="utf-8")
    (tmp_path / "fzlint.toml").write_text('rule-packs = ["packs"]\n', encoding="utf-8")
    tail = ("a" * 40 + "!\n") * 100 + ("a" * 100_000 + "!\n") * 11 + "a" * 50 + "\n"
    (tmp_path / "r.txt").write_text(SEED4_TEXT + tail, encoding="utf-8")
    assert (tmp_path / "r.txt").stat().st_size > MB
    run = fzlint("check", "--select", "FZ990", "r.txt", cwd=tmp_path)
    assert_clean(run)
    assert run.err == "" and run.code == 0
    last = len((SEED4_TEXT + tail).splitlines())
    assert run.findings == [f"r.txt:{last}:1: FZ990 [警告] 发现“{'a' * 50}”"]


def test_config_errors_not_covered_by_test_config(tmp_path):
    """pyproject.toml named with --config whose tool or tool.fzlint is not a table, a
    max-file-size that is not a size, and an option of the wrong shape for its check type."""
    shutil.copyfile(SEED4, tmp_path / "r.txt")
    cases = [
        ("pyproject.toml", 'tool = "fzlint"\n', "tool.fzlint", ["没有 [tool.fzlint] 表"]),
        ("pyproject.toml", "[tool]\nfzlint = 1\n", "tool.fzlint", ["应为表"]),
        ("fzlint.toml", 'max-file-size = "lots"\n', "max-file-size", ["应为大小", "20MB"]),
        ("fzlint.toml", '[rules.FZ503]\nnames = [{wrong = 1, right = "x"}]\n', "rules.FZ503",
         ["names", "字符串列表"]),
    ]
    for name, text, key, words in cases:
        config = tmp_path / "cfg" / name
        config.parent.mkdir(exist_ok=True)
        config.write_text(text, encoding="utf-8")
        run = fzlint("check", "--config", str(config), "r.txt", cwd=tmp_path)
        assert_clean(run)
        assert run.code == 2 and run.out == "", (name, text, run.err)
        (said,) = run.err.splitlines()
        assert said.startswith(f"fzlint: 配置错误：{config}: {key}: "), said
        for w in words:
            assert w in said, said


# ---------------------------------------------------------------------------------------
# Read-only: no command writes next to the reports


def _state(folder: Path) -> dict:
    """Every path below ``folder`` (hidden ones too) with its bytes and mtime, folders' mtimes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        out[str(path.relative_to(folder))] = (path.read_bytes() if path.is_file() else None, st.st_mtime_ns)
    out["."] = (None, folder.stat().st_mtime_ns)
    return out


def test_no_command_writes_next_to_the_reports(tmp_path):
    from checker.reporters import FORMATS

    from builders.html import build_html

    reports = tmp_path / "reports"
    (reports / "sub").mkdir(parents=True)
    shutil.copyfile(SEED0, reports / "a.txt")
    shutil.copyfile(SEEDS[1], reports / "sub" / "b.md")
    shutil.copyfile(LIBREOFFICE / "002_c589ac335115484d.docx", reports / "c.docx")
    shutil.copyfile(LIBREOFFICE / "003_112b9c6151324e38.pdf", reports / "sub" / "d.pdf")
    (reports / "e.html").write_bytes(build_html(SEED4_TEXT, template="table"))
    files = ["a.txt", "sub/b.md", "c.docx", "sub/d.pdf", "e.html"]
    out = tmp_path / "out"
    out.mkdir()
    before = _state(reports)
    commands = [["check", "--format", fmt, "."] for fmt in FORMATS]
    commands += [
        ["check", "-o", str(out / "report.sarif"), "--format", "sarif", "."],
        ["check", "--statistics", "."],
        ["check", "--write-baseline", str(out / "baseline.json"), "."],
        ["check", "--baseline", str(out / "baseline.json"), "."],
        ["-v", "check", *files],
    ]
    commands += [["outline", f] for f in files] + [["extract", "-n", f] for f in files]
    for args in commands:
        run = fzlint(*args, cwd=reports)        # the reports folder is the current directory too
        assert_clean(run)
        assert run.code in (0, 1), (args, run.err)
    assert json.loads((out / "baseline.json").read_text(encoding="utf-8"))["entries"]
    assert (out / "report.sarif").stat().st_size > 0
    assert _state(reports) == before


# ---------------------------------------------------------------------------------------
# Sanity of the harness itself


def test_the_harness_injects_eacces_only_where_asked(tmp_path):
    shutil.copyfile(SEED4, tmp_path / "a.txt")
    shutil.copyfile(SEED4, tmp_path / "b.txt")
    run = fzlint("check", "a.txt", "b.txt", cwd=tmp_path,
                 env={"FZLINT_TEST_EACCES_FILES": str(tmp_path / "a.txt")})
    assert run.findings[0] == "a.txt:1:1: FZ901 [错误] 无法读取文件：没有读取权限"
    assert any(ln.startswith("b.txt:") for ln in run.findings)


def test_a_crash_on_one_file_does_not_lose_the_others(tmp_path):
    """If fzlint itself fails on one file (a bug), the other files are still checked and
    reported, one line names the file, and the run ends with exit code 3."""
    for name in ("a.txt", "bad.txt", "c.txt"):
        shutil.copyfile(SEED4, tmp_path / name)
    code = ("import sys\nimport checker.lint as L\norig = L.lint_path\n"
            "def crash(path, *a, **k):\n"
            "    if path.name == 'bad.txt':\n        raise RuntimeError('simulated bug')\n"
            "    return orig(path, *a, **k)\n"
            "L.lint_path = crash\nfrom checker.cli import main\nmain(['check', '.'])\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         encoding="utf-8", timeout=60)
    assert run.returncode == 3
    assert "Traceback" not in run.stdout + run.stderr
    out = run.stdout.splitlines()
    assert any(ln.startswith("a.txt:") for ln in out) and any(ln.startswith("c.txt:") for ln in out)
    err = run.stderr.splitlines()
    assert err[0].startswith("fzlint: 内部错误：检查 bad.txt 时出错：RuntimeError: simulated bug")
    assert err[-1] == "fzlint: 内部错误：1 个文件未能检查完（见上）"


# ---------------------------------------------------------------------------------------
# Issue 14: hostile places. Outputs onto inputs, reads that block or never end, shapes of
# configuration and baselines that broke the exit codes, signals and broken pipes.


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("args,output", [
    (["check", "-o", "报告.txt", "."], "报告.txt"),
    (["report", "-o", "a.html", "."], "a.html"),
    (["check", "--format", "csv", "-o", "a.docx", "."], "a.docx"),
    (["check", "--format", "json", "-o", "link.json", "."], "link.json"),       # a symlink to an input
    (["check", "--format", "sarif", "-o", "hard.sarif", "."], "hard.sarif"),    # a hard link to one
    (["check", "notes.json", "--write-baseline", "notes.json"], "notes.json"),  # named, though unsupported
])
def test_an_output_file_that_is_an_input_is_refused(tmp_path, args, output):
    """fzlint never writes the files it checks: -o / --write-baseline naming an input (or a
    link to one) stops the run with exit 2 before anything is written."""
    shutil.copyfile(SEED4, tmp_path / "报告.txt")
    (tmp_path / "a.html").write_text("<p>" + SEED4_TEXT.replace("\n", "</p><p>") + "</p>", encoding="utf-8")
    (tmp_path / "a.docx").write_bytes(make_docx(document_xml(SEED4_TEXT.splitlines())))
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    os.symlink("报告.txt", tmp_path / "link.json")
    os.link(tmp_path / "报告.txt", tmp_path / "hard.sarif")
    before = _tree(tmp_path)
    run = fzlint(*args, cwd=tmp_path)
    assert_clean(run)
    assert run.code == 2 and run.out == ""
    (said,) = run.err.splitlines()
    assert said.startswith(f"fzlint: 输出文件 {output} 就是被检查的文件 ") and "不会覆盖" in said, said
    assert _tree(tmp_path) == before


def test_an_output_file_beside_the_inputs_is_written(tmp_path):
    """The guard refuses only inputs: a new file in the checked folder is written as before."""
    shutil.copyfile(SEED4, tmp_path / "报告.txt")
    run = fzlint("check", "--format", "json", "-o", "out.json", ".", cwd=tmp_path)
    assert_clean(run)
    assert run.code == 0 and json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))


def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize("option,target,words", [
    ("--baseline", "fifo", "不是普通文件"),
    ("--config", "fifo", "不是普通文件"),
    ("--baseline", "/dev/zero", "不是普通文件"),
    ("--config", "/dev/zero", "不是普通文件"),
    ("--config", "/dev/stdin", "不是普通文件"),     # the test's stdin is /dev/null: a device
])
def test_a_named_file_that_is_a_pipe_or_device_is_refused_without_blocking(tmp_path, option, target, words):
    shutil.copyfile(SEED4, tmp_path / "r.txt")
    path = _fifo(tmp_path / "named.json") if target == "fifo" else target
    run = fzlint("check", option, path, "r.txt", cwd=tmp_path, timeout=20)
    assert_clean(run)
    assert run.code == 2 and run.out == ""
    (said,) = run.err.splitlines()
    assert path in said and words in said, said


@pytest.mark.parametrize("command", ["extract", "outline", "check"])
def test_an_endless_standard_input_stops_at_the_size_limit(tmp_path, command):
    """`extract -`, `outline -` and `check -` read /dev/zero's endless stream only up to the
    file-size limit (a timeout here would mean an unbounded read)."""
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run([sys.executable, "-m", "checker", command, "-"], cwd=tmp_path, stdin=zero,
                              capture_output=True, timeout=60)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "Traceback" not in out + err
    if command == "check":
        assert proc.returncode == 1 and "stdin.txt:1:1: FZ909 [错误] 文件过大，未读取" in out
    else:
        assert proc.returncode == 2 and err.startswith("fzlint: -: 文件过大，未读取：文件大小 20.0 MB，"
                                                       "超过上限 20.0 MB")


@pytest.mark.parametrize("name,text,key,words", [
    ("fzlint.toml", "select = " + "[" * 50_000 + "]" * 50_000 + "\n", "", ["嵌套过深"]),
    ("fzlint.toml", f'max-file-size = "{"9" * 400}"\n', "max-file-size", ["应为大小", "上限 1TB"]),
    ("fzlint.toml", f"max-file-size = {'9' * 400}\n", "max-file-size", ["应为大小", "上限 1TB"]),
])
def test_configuration_of_absurd_shape_is_a_usage_error(tmp_path, name, text, key, words):
    shutil.copyfile(SEED4, tmp_path / "r.txt")
    (tmp_path / name).write_text(text, encoding="utf-8")
    run = fzlint("check", "r.txt", cwd=tmp_path)
    assert_clean(run)
    assert run.code == 2 and run.out == ""
    (said,) = run.err.splitlines()
    assert said.startswith(f"fzlint: 配置错误：{tmp_path / name}: {key + ': ' if key else ''}"), said
    assert len(said) < 300 and all(w in said for w in words), said


def test_a_400_digit_max_file_size_option_is_a_usage_error(tmp_path):
    shutil.copyfile(SEED4, tmp_path / "r.txt")
    run = fzlint("check", "--max-file-size", "9" * 400, "r.txt", cwd=tmp_path)
    assert "Traceback" not in run.err      # click's usage error: "Usage: …" then "Error: …"
    assert run.code == 2 and "不是有效的大小" in run.err and "上限 1TB" in run.err


@pytest.mark.parametrize("text,words", [
    ("[" * 200_000 + "]" * 200_000, "JSON 嵌套过深"),
    ('{"fzlint-baseline": 1, "entries": [{"path": "r.txt", "code": "FZ101", "hash": "ab", "line": '
     + "9" * 5000 + "}]}", "位数过多"),
    ('{"fzlint-baseline": 1, "entries": [{"path": "r.txt", "code": "FZ101", "hash": "ab", "line": '
     + "9" * 20 + "}]}", "第 1 条记录"),
])
def test_a_baseline_of_absurd_shape_is_a_usage_error(tmp_path, text, words):
    shutil.copyfile(SEED4, tmp_path / "r.txt")
    (tmp_path / "base.json").write_text(text, encoding="utf-8")
    run = fzlint("check", "--baseline", "base.json", "r.txt", cwd=tmp_path)
    assert_clean(run)
    assert run.code == 2 and run.out == ""
    (said,) = run.err.splitlines()
    assert said.startswith("fzlint: 基线文件 base.json：") and words in said, said


def _batch(folder: Path, n: int) -> None:
    for i in range(n):
        shutil.copyfile(SEEDS[i % len(SEEDS)], folder / f"r{i:03}.txt")


@pytest.mark.parametrize("fail_on_error", [False, True])
def test_a_reader_that_closes_the_pipe_early(tmp_path, fail_on_error):
    """`fzlint check DIR | head -1`: no message, no exit 1 from the broken pipe itself; the
    findings printed before it decide (with --exit-zero: 0)."""
    _batch(tmp_path, 60)
    if fail_on_error:
        (tmp_path / "000.txt").write_bytes(b"")      # FZ903, an error, sorts first
    args = [sys.executable, "-m", "checker", "check", *([] if fail_on_error else ["--exit-zero"]), "-j", "1", "."]
    proc = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == (1 if fail_on_error else 0)
    assert first and err == ""


SLOW = """
import sys, time
import checker.lint as L
orig = L.lint_path
def slow(*a, **k):
    time.sleep(0.2)
    return orig(*a, **k)
L.lint_path = slow
from checker.cli import main
main(sys.argv[1:])
"""


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see worker processes")
@pytest.mark.parametrize("signame,code", [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_stops_the_run_and_its_workers(tmp_path, signame, code):
    """SIGTERM/SIGHUP to fzlint, or Ctrl-C to its process group, during `-j 2`: the workers
    end with it, the exit code is 128 + the signal's number, one line, no traceback."""
    import signal

    _batch(tmp_path, 40)
    proc = subprocess.Popen([sys.executable, "-c", SLOW, "check", "-j", "2", "--format", "json", "."],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert len(workers) >= 2
    sig = getattr(signal, signame)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)       # as a terminal's Ctrl-C: the whole group
    else:
        os.kill(proc.pid, sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == code
    assert "Traceback" not in err.decode() and len(err.decode().splitlines()) == 1, err.decode()
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{w}") and _state_of(w) != "Z" for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if os.path.exists(f"/proc/{w}") and _state_of(w) != "Z"]


# SIGHUP at the two moments a signal could be lost while the workers start (issue 16; the
# test above met them only now and then, on a loaded machine)
SIGNAL_AT = """
import os, signal, sys
import checker.parallel as P
if sys.argv[1] == "fork":      # in the parent's after-fork callbacks, as each worker is forked
    os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGHUP))
else:                          # as each worker has started, before the pool records it
    import multiprocessing.process as MP
    start = MP.BaseProcess.start
    def started(self):
        start(self)
        os.kill(os.getpid(), signal.SIGHUP)
    MP.BaseProcess.start = started
from checker.cli import main
main(sys.argv[2:])
"""


@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="POSIX fork")
@pytest.mark.parametrize("moment", ["fork", "started"])
def test_a_signal_while_the_workers_start(tmp_path, moment):
    """A signal handled inside an after-fork callback was printed as 'Exception ignored' and
    dropped: the run went on and exited 0. One handled just after a worker started, before the
    pool recorded it, ended the run, which then waited forever at exit for that worker."""
    _batch(tmp_path, 10)
    proc = subprocess.run([sys.executable, "-c", SIGNAL_AT, moment, "check", "-j", "2", "--format", "json", "."],
                          cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=30)
    assert proc.returncode == 129, proc.stderr[-2000:]
    assert proc.stderr.splitlines() == ["fzlint: 收到信号 1，已停止"]


# concurrent.futures' exit handler wakes each pool's thread without the pool's lock (CPython
# 3.11): if that thread closes its wake-up pipe in between, the write fails and Python prints
# 'Exception ignored in threading ... Bad file descriptor' after fzlint's last line. Here the
# handler waits for the thread to close the pipe (as a preempted one would), and the thread
# takes its time to close it, so a run whose pool's thread is still alive at exit fails every time.
# checker/parallel.py no longer uses concurrent.futures (its workers have a pipe each and no
# thread in the parent); the test stays, so that a pool with threads coming back meets it.
LATE_WAKEUP = """
import os, signal, sys, time
import concurrent.futures.process as CFP
join = CFP._ExecutorManagerThread.join_executor_internals
def slow_join(self):
    time.sleep(0.3)
    join(self)
CFP._ExecutorManagerThread.join_executor_internals = slow_join
wakeup = CFP._ThreadWakeup.wakeup
def late(self):
    if CFP._global_shutdown and not self._closed:
        deadline = time.monotonic() + 5
        while not self._closed and time.monotonic() < deadline:
            time.sleep(0.01)
        self._writer.send_bytes(b"")
    else:
        wakeup(self)
CFP._ThreadWakeup.wakeup = late
import checker.parallel as P
results = P.Batch.__iter__
def first_then_signal(self):
    for n, item in enumerate(results(self)):
        if n == 0:
            os.kill(os.getpid(), signal.SIGTERM)
        yield item
P.Batch.__iter__ = first_then_signal
from checker.cli import main
main(sys.argv[1:])
"""


def test_stopped_workers_leave_no_thread_behind(tmp_path):
    _batch(tmp_path, 20)
    proc = subprocess.run([sys.executable, "-c", LATE_WAKEUP, "check", "-j", "2", "--format", "json", "."],
                          cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 143, proc.stderr[-2000:]
    assert proc.stderr.splitlines() == ["fzlint: 收到信号 15，已停止"]


def _state_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
