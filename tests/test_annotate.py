"""`fzlint annotate`: one Word comment per finding, on the text the finding points at.

The comments are read back from the copy with python-docx (the library that wrote them) and
their ranges from the copy's XML; LibreOffice (Debian's `libreoffice-writer-nogui`, which
.ci/run installs when it is missing, as it does Chromium) opens the copies and converts them.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from checker.annotate import AUTHOR, INITIALS, annotate_docx, comment_text, default_output, text_docx
from checker.diagnostics import Diagnostic, Severity, Span
from checker.engine.registry import load_registry
from checker.lint import lint_bytes
from checker.skeleton.normalize import split_lines
from checker.skeleton.parser import parse
from checker.sources import SourceError, read_bytes
from checker.sources.docx import open_mapped

from builders.docx import build_docx, docx_with_tables
from builders.html import build_html
from builders.pdf import build_pdf
from builders.tables import table_3
from conftest import ROOT, SEEDS
from test_cli import fzlint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
P, R, T, TAB = (f"{{{W}}}{tag}" for tag in ("p", "r", "t", "tab"))
START, END, REFERENCE = (f"{{{W}}}{tag}" for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"))
ID = f"{{{W}}}id"
GK = ROOT / "tests" / "data" / "gk"
LIBREOFFICE = ROOT / "tests" / "data" / "libreoffice"
registry = cache(load_registry)


def tables_report() -> bytes:
    """A 政府信息公开 report in Word with table 三, one figure of which is wrong (FZG205 and
    FZG206 point at cells), and merged cells."""
    spec = table_3()
    spec[5] = [*spec[5][:2], "7", *spec[5][3:]]        # （一）予以公开, 自然人: 6 -> 7
    return docx_with_tables([
        "平安县交通运输局2023年政府信息公开工作年度报告",
        "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
        "三、收到和处理政府信息公开申请情况", spec,
        "五、存在的主要问题及改进情况", "公开质量有待提高，下一步将加强培训。"])


@cache
def case(name: str) -> tuple[str, bytes]:
    """(file name, bytes) of a test report: a seed as .txt or as .docx with Word's automatic
    numbering, a real LibreOffice .docx, a 政府信息公开 sample, the Word report with tables,
    the .docx `fzlint init` writes."""
    kind, _, stem = name.partition(":")
    if kind == "txt":
        return "report.txt", (ROOT / "seeds" / f"{stem}.txt").read_bytes()
    if kind == "docx":
        return "report.docx", build_docx((ROOT / "seeds" / f"{stem}.txt").read_text(encoding="utf-8"))
    if kind == "libreoffice":
        return "report.docx", (LIBREOFFICE / f"{stem}.docx").read_bytes()
    if kind == "gk":
        return "report.txt", (GK / f"{stem}.txt").read_bytes()
    if kind == "init":                          # fzlint init's skeleton, not filled in
        from checker.scaffold import render, skeleton

        return "report.docx", render(skeleton(registry().pack_named(stem), "平安县司法局", 2025), ".docx")
    assert kind == "tables"
    return "report.docx", tables_report()


CASES = ([f"txt:{s.stem}" for s in SEEDS] + [f"docx:{s.stem}" for s in SEEDS]
         + [f"libreoffice:{p.stem}" for p in sorted(LIBREOFFICE.glob("*.docx"))]
         + [f"gk:{stem}" for stem in ("wrong_cell", "missing_part", "government_no_assessment")]
         + ["tables", "init:fazhi", "init:gk"])


@cache
def annotated(name: str) -> tuple[list[Diagnostic], bytes]:
    filename, data = case(name)
    found = lint_bytes(data, filename, registry()).diagnostics
    return found, annotate_docx(data, filename, found, kind="测试")


def anchors(data: bytes) -> tuple[dict[str, tuple[int, int, str]], list]:
    """Each comment's range in the copy: {id: (line of its start, line of its end, the text
    it wraps)}, lines 0-based as fzlint numbers them; and the copy's line maps."""
    document, lines = open_mapped(data)
    line_of = {p: i for i, line in enumerate(lines) for p in line.paragraphs}
    found, open_ = {}, {}
    line = -1
    for element in document.element.body.iter():
        if element.tag == P:
            line = line_of.get(element, line)
        elif element.tag == START:
            open_[element.get(ID)] = (line, [])
        elif element.tag == END:
            first, texts = open_.pop(element.get(ID))
            found[element.get(ID)] = (first, line, "".join(texts))
        elif element.tag in (T, TAB):
            for _, texts in open_.values():
                texts.append(element.text or "" if element.tag == T else "\t")
    assert not open_, f"ranges without an end: {open_}"
    return found, lines


def expected_text(line: str, paragraph: str, start: int, end: int) -> str:
    """What a comment on characters ``start:end`` of ``line`` wraps: those characters, less
    an automatic number before the paragraph's own text; its whole paragraph when that
    leaves nothing."""
    assert line.endswith(paragraph), (line, paragraph)
    wrapped = line[max(start, len(line) - len(paragraph)):end]
    return wrapped or paragraph


def paragraph_text(lines, index: int) -> str:
    """The text of line ``index``'s paragraph, as python-docx reads it (no automatic number)."""
    from docx.text.paragraph import Paragraph

    [p] = lines[index].paragraphs
    return Paragraph(p, None).text


# ------------------------------------------------------------------------------ one comment per finding

@pytest.mark.parametrize("name", CASES)
def test_one_comment_per_finding_on_its_text(name):
    found, copy = annotated(name)
    assert found, "every case has findings"
    comments = [c for c in Document(io.BytesIO(copy)).comments if c.author == AUTHOR]
    assert len(comments) == len(found) + 1                        # and the summary on the title
    assert all(c.initials == INITIALS for c in comments)
    summary, *per_finding = comments
    assert summary.text.startswith("fzlint 按“测试”的要求检查：") and f"发现 {len(found)} 个问题" in summary.text
    ordered = sorted(found, key=lambda d: (d.span.line, d.span.column, d.code))
    for comment, d in zip(per_finding, ordered):
        assert comment.text == comment_text(d)
        assert d.message in comment.text and d.code in comment.text and d.severity.zh in comment.text

    ranges, lines = anchors(copy)
    filename, data = case(name)
    text = read_bytes(data, filename).text
    assert [line.text for line in lines] == split_lines(text)
    title = parse(text).title_lines[0].no - 1
    first, last, wrapped = ranges[str(summary.comment_id)]
    tables = name == "tables"
    assert (first, last) == (title, title)
    if not tables:
        assert wrapped == paragraph_text(lines, title)
    for comment, d in zip(per_finding, ordered):
        first, last, wrapped = ranges[str(comment.comment_id)]
        assert (first, last) == (d.span.line - 1, d.span.end_line - 1), (d, wrapped)
        line = lines[first].text
        if len(lines[first].paragraphs) == 1:
            assert wrapped == expected_text(line, paragraph_text(lines, first), d.span.column - 1,
                                            d.span.end_column - 1), d
        else:                                   # a table row: the cell's text
            assert wrapped == line[d.span.column - 1:d.span.end_column - 1].replace("\t", ""), d


def test_findings_at_table_cells_wrap_the_cell_figure():
    found, copy = annotated("tables")
    [cell] = [d for d in found if d.code == "FZG206"]
    ranges, lines = anchors(copy)
    [comment] = [c for c in Document(io.BytesIO(copy)).comments if c.author == AUTHOR and c.text == comment_text(cell)]
    assert ranges[str(comment.comment_id)] == (8, 8, "8")       # the 总计 cell the finding names
    assert lines[8].text.split("\t")[-1] == "8" and "7" in lines[8].text.split("\t")


@pytest.mark.parametrize("name", [c for c in CASES if not c.startswith(("txt:", "gk:"))])
def test_the_copy_keeps_text_formatting_numbering_and_styles(name):
    """Every paragraph keeps its properties and each character its run's properties; every
    part but the body, the comments and the package's lists of parts is unchanged."""
    _, data = case(name)
    _, copy = annotated(name)
    assert body(copy) == body(data)
    before, after = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(copy))
    changed = {"word/document.xml", "word/comments.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"}
    for member in before.namelist():
        if member in changed:
            continue
        old, new = before.read(member), after.read(member)
        if member.endswith(".rels"):                    # rewritten by python-docx, maybe in another order
            assert relationships(new) == relationships(old), member
        elif member.endswith(".xml"):
            assert canonical(new) == canonical(old), member
        else:
            assert new == old, member
    for member in ("word/numbering.xml", "word/styles.xml"):
        assert member in before.namelist()
    member = "word/_rels/document.xml.rels"
    assert relationships(before.read(member)) <= relationships(after.read(member))


def canonical(xml: bytes) -> bytes:
    """The XML without the whitespace between elements (how a part is indented)."""
    return etree.tostring(etree.fromstring(xml, etree.XMLParser(remove_blank_text=True)), method="c14n")


def relationships(xml: bytes) -> set:
    return {tuple(sorted(r.attrib.items())) for r in etree.fromstring(xml)}


def body(data: bytes) -> list:
    """Each paragraph of the body (tables' included): its properties, and each character with
    its run's properties (comment marks and reference runs left out)."""
    document = Document(io.BytesIO(data))
    out = []
    for p in document.element.body.iter(P):
        ppr = p.find(f"{{{W}}}pPr")
        chars = []
        for r in p.iter(R):
            if r.find(REFERENCE) is not None:
                assert [child.tag for child in r if child.tag != f"{{{W}}}rPr"] == [REFERENCE]
                continue
            rpr = r.find(f"{{{W}}}rPr")
            props = etree.tostring(rpr, method="c14n") if rpr is not None else b""
            for child in r:
                if child.tag == T:
                    chars.extend((ch, props) for ch in child.text or "")
                elif child.tag != f"{{{W}}}rPr":
                    chars.append((etree.QName(child).localname, props))
        out.append((etree.tostring(ppr, method="c14n") if ppr is not None else b"", chars))
    return out


@pytest.mark.parametrize("name", ["docx:003_112b9c6151324e38", "tables", "txt:000_eded0069a967b318"])
def test_the_copy_gets_the_same_findings(name):
    found, copy = annotated(name)
    again = lint_bytes(copy, "copy.docx", registry()).diagnostics
    assert [d.to_dict() | {"path": ""} for d in again] == [d.to_dict() | {"path": ""} for d in found]


@pytest.mark.parametrize("name", CASES)
def test_the_package_is_consistent(name):
    """What Word checks before it opens a file without a repair prompt: each comment has one
    range start before its end and one reference in the body; the comments part is declared
    in the content types and related from the document; every XML part parses."""
    found, copy = annotated(name)
    package = zipfile.ZipFile(io.BytesIO(copy))
    assert package.testzip() is None
    for member in package.namelist():
        if member.endswith((".xml", ".rels")):
            etree.fromstring(package.read(member))
    types = package.read("[Content_Types].xml").decode()
    assert 'PartName="/word/comments.xml"' in types and "wordprocessingml.comments+xml" in types
    assert b"relationships/comments" in package.read("word/_rels/document.xml.rels")
    comments = etree.fromstring(package.read("word/comments.xml"))
    ids = [c.get(ID) for c in comments]
    assert len(ids) == len(set(ids))
    document = etree.fromstring(package.read("word/document.xml"))
    seen: dict[str, list[str]] = {}
    for element in document.iter(START, END, REFERENCE):
        seen.setdefault(element.get(ID), []).append(etree.QName(element).localname)
    assert set(seen) == set(ids)
    assert all(marks == ["commentRangeStart", "commentRangeEnd", "commentReference"] for marks in seen.values())
    for comment in comments:
        if comment.get(f"{{{W}}}author") == AUTHOR:
            assert comment.get(f"{{{W}}}date") and comment.get(f"{{{W}}}initials") == INITIALS


# ------------------------------------------------------------------------------ LibreOffice

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def soffice(target: str, files: list[Path], out: Path) -> None:
    assert os.path.exists(SOFFICE), (
        f"{SOFFICE} is missing: `apt-get install libreoffice-writer-nogui` (.ci/run does this)")
    with tempfile.TemporaryDirectory(prefix="fzlint-soffice-") as profile:
        run = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                              "--convert-to", target, "--outdir", str(out), *map(str, files)],
                             capture_output=True, timeout=600)
    assert run.returncode == 0, run.stderr.decode(errors="replace")


def test_libreoffice_opens_the_copies_and_reads_every_comment(tmp_path):
    names = [f"docx:{SEEDS[0].stem}", f"txt:{SEEDS[3].stem}", f"libreoffice:{SEEDS[2].stem}", "tables", "init:gk"]
    files = []
    for n, name in enumerate(names):
        files.append(tmp_path / f"copy{n}.docx")
        files[-1].write_bytes(annotated(name)[1])
    soffice("pdf", files, tmp_path / "pdf")
    soffice("odt", files, tmp_path / "odt")
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    ns = {"office": office, "dc": "http://purl.org/dc/elements/1.1/"}
    for n, name in enumerate(names):
        pdf = (tmp_path / "pdf" / f"copy{n}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
        content = etree.fromstring(zipfile.ZipFile(tmp_path / "odt" / f"copy{n}.odt").read("content.xml"))
        ours = [a for a in content.iterfind(".//office:annotation", ns) if a.findtext("dc:creator", namespaces=ns)
                == AUTHOR]
        found, _ = annotated(name)
        assert len(ours) == len(found) + 1, name
        said = ["".join("".join(a.itertext()).split()) for a in ours]     # spaces are <text:s/> there
        assert all(any("".join(d.message.split()) in s for s in said) for d in found)


# ------------------------------------------------------------------------------ other formats

@pytest.mark.parametrize("fmt", ["md", "pdf", "html"])
def test_other_formats_become_a_docx_of_their_text(fmt):
    seed = SEEDS[3].read_text(encoding="utf-8")
    data = {"md": lambda: seed.encode(), "pdf": lambda: build_pdf(seed), "html": lambda: build_html(seed)}[fmt]()
    name = f"report.{fmt}"
    found = lint_bytes(data, name, registry()).diagnostics
    copy = annotate_docx(data, name, found)
    ranges, lines = anchors(copy)
    text = read_bytes(data, name).text
    assert [line.text for line in lines] == split_lines(text)
    assert len(ranges) == len(found) + 1
    for d in found:
        assert any(r[:2] == (d.span.line - 1, d.span.end_line - 1) for r in ranges.values())


def test_text_docx_keeps_columns_of_tabs_and_characters_xml_cannot_hold():
    text = "一、主要举措\t成效\n控制\x01字符\x0c\n\n末行"
    _, lines = open_mapped(text_docx(text))
    assert [line.text for line in lines] == ["一、主要举措\t成效", "控制\ufffd字符\ufffd", "", "末行"]


def test_unreadable_bytes_raise_the_readers_error():
    with pytest.raises(SourceError) as caught:
        annotate_docx(b"not a zip", "report.docx", [])
    assert caught.value.problem == "damaged"


# ------------------------------------------------------------------------------ where a comment goes

def finding(line: int, column: int, end_line: int, end_column: int, code: str = "FZ501") -> Diagnostic:
    return Diagnostic("r.docx", Span(line, column, end_line, end_column), code, "x", Severity.WARNING, f"问题{code}")


def runs_docx() -> bytes:
    """Line 1: 平安县 (bold) + 司法局报告 (italic); line 2 empty; line 3: one run 甲乙丙丁."""
    document = Document()
    p = document.add_paragraph()
    p.add_run("平安县").bold = True
    p.add_run("司法局报告").italic = True
    document.add_paragraph()
    document.add_paragraph("甲乙丙丁")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("span,wrapped", [
    ((1, 2, 1, 6), "安县司法"),          # across two runs, split inside both
    ((1, 4, 1, 9), "司法局报告"),        # exactly one run
    ((3, 2, 3, 4), "乙丙"),              # inside one run
    ((2, 1, 2, 5), ""),                  # an empty paragraph: a comment on its place
    ((1, 3, 3, 3), "县司法局报告甲乙"),   # over three paragraphs
    ((3, 9, 3, 12), "甲乙丙丁"),          # past the end of the line: the paragraph
    ((9, 1, 9, 2), "甲乙丙丁"),           # past the last line: the last paragraph
])
def test_comment_ranges(span, wrapped):
    data = runs_docx()
    copy = annotate_docx(data, "r.docx", [finding(*span)])
    ranges, _ = anchors(copy)
    [(_, _, text)] = [r for cid, r in ranges.items() if cid != "0"]
    assert text == wrapped
    assert body(copy) == body(data)


def test_a_message_quoting_characters_xml_cannot_hold():
    d = Diagnostic("r.txt", Span(1, 1, 1, 3), "FZ502", "x", Severity.WARNING, "疑似模板占位符“某\x01某”")
    copy = annotate_docx("某\x01某报告\n".encode(), "r.txt", [d])
    texts = [c.text for c in Document(io.BytesIO(copy)).comments]
    assert texts[1] == "疑似模板占位符“某\ufffd某”\nFZ502（警告）"


def test_overlapping_comments_on_one_run():
    data = runs_docx()
    copy = annotate_docx(data, "r.docx", [finding(3, 1, 3, 4), finding(3, 2, 3, 5, "FZ502"), finding(3, 3, 3, 3)])
    ranges, _ = anchors(copy)
    assert sorted(r[2] for cid, r in ranges.items() if cid != "0") == ["乙丙丁", "甲乙丙", "甲乙丙丁"]
    assert body(copy) == body(data)


RUN_LINES = ["平安县司法局报告", "", "甲乙丙丁"]
spans = st.tuples(st.integers(0, 5), st.integers(-1, 12), st.integers(0, 5), st.integers(-1, 12)).map(
    lambda t: finding(*t))


@settings(max_examples=40, deadline=None)
@given(st.lists(spans, min_size=1, max_size=6))
def test_any_spans_give_consistent_comments_and_leave_the_text_alone(found):
    """Spans anywhere (empty, reversed, past the ends, over several lines, overlapping): one
    comment each, every range well formed, the body's text and formatting untouched, and a
    span inside one line's text wraps exactly that text."""
    data = runs_docx()
    copy = annotate_docx(data, "r.docx", found)
    assert body(copy) == body(data)
    ranges, lines = anchors(copy)
    assert [line.text for line in lines] == RUN_LINES
    assert len(ranges) == len(found) + 1
    order = sorted(found, key=lambda d: (d.span.line, d.span.column, d.code))
    for cid, d in enumerate(order, 1):
        (line, column, end_line, end_column) = (d.span.line, d.span.column, d.span.end_line, d.span.end_column)
        if 1 <= line == end_line <= len(RUN_LINES) and 1 <= column < end_column <= len(RUN_LINES[line - 1]) + 1:
            assert ranges[str(cid)] == (line - 1, line - 1, RUN_LINES[line - 1][column - 1:end_column - 1])


def test_automatic_number_takes_the_whole_paragraph():
    text = "平安县司法局2023年度法治政府建设情况报告\n一、主要举措和成效\n全年办理行政许可120件。\n"
    data = build_docx(text)
    _, lines = open_mapped(data)
    assert lines[1].text == "一、主要举措和成效" and paragraph_text(lines, 1) == "主要举措和成效"
    copy = annotate_docx(data, "r.docx", [finding(2, 1, 2, 3), finding(2, 2, 2, 5)])
    ranges, _ = anchors(copy)
    ours = {str(c.comment_id) for c in Document(io.BytesIO(copy)).comments if c.author == AUTHOR}
    assert sorted(r[2] for cid, r in ranges.items() if cid in ours) == [
        "主要", "主要举措和成效", "平安县司法局2023年度法治政府建设情况报告"]


# ------------------------------------------------------------------------------ the command

def test_command_writes_beside_the_report_and_never_over_it(tmp_path):
    report = tmp_path / "报告.docx"
    report.write_bytes(case(f"docx:{SEEDS[3].stem}")[1])
    before = report.read_bytes()
    run = fzlint("annotate", str(report))
    assert run.returncode == 0, run.stderr
    out = tmp_path / "报告.fzlint.docx"
    assert default_output(report) == out and out.exists()
    assert run.stderr == (f"fzlint: 已写入 {out}：4 条问题批注（错误 0 个，警告 3 个，提示 1 个），"
                          "标题处另有一条检查结果批注\n")
    assert len([c for c in Document(out).comments if c.author == AUTHOR]) == 5
    again = fzlint("annotate", str(report))
    assert again.returncode == 2
    assert again.stderr == f"fzlint: {out} 已存在；要覆盖它，请加 --force，或用 -o 指定其他文件名\n"
    assert fzlint("annotate", "--force", str(report)).returncode == 0
    for target in (report, tmp_path / "link.docx", tmp_path / "hard.docx"):
        if target.name == "link.docx":
            target.symlink_to(report)
        elif target.name == "hard.docx":
            os.link(report, target)
        run = fzlint("annotate", "--force", "-o", str(target), str(report))
        assert run.returncode == 2 and "就是报告" in run.stderr and "从不改写" in run.stderr
    assert report.read_bytes() == before


def test_command_on_text_with_selection_and_output(tmp_path):
    report = tmp_path / "报告.txt"
    report.write_bytes(SEEDS[3].read_bytes())
    out = tmp_path / "批注" / "审阅.docx"
    out.parent.mkdir()
    run = fzlint("annotate", "--select", "FZ501", "-o", str(out), str(report))
    assert run.returncode == 0, run.stderr
    comments = [c for c in Document(out).comments if c.author == AUTHOR]
    assert [c.text.split("\n")[-1] for c in comments[1:]] == ["FZ501（警告）"]


@pytest.mark.parametrize("setup,args,said", [
    (None, ["missing.docx"], "fzlint: missing.docx: 文件不存在"),
    ("bad.docx", ["bad.docx"],
     "fzlint: bad.docx: 文件已损坏或格式与扩展名不符：不是有效的 Word（.docx）文件：压缩包无法打开，未生成批注版"),
    ("empty.txt", ["empty.txt"], "fzlint: empty.txt: 文件没有任何文字内容，未生成批注版"),
    ("r.txt", ["r.txt", "-o", "r.pdf"], "fzlint: r.pdf: 批注版是 Word 文档，文件名应以 .docx 结尾"),
    ("r.txt", ["r.txt", "-o", "nowhere/r.docx"], "fzlint: 无法写入 nowhere/r.docx：所在文件夹 nowhere 不存在"),
    ("r.txt", ["r.txt", "--select", "FZ777"], "fzlint: 未知的规则或规则前缀：FZ777"),
])
def test_command_errors_are_one_chinese_line(tmp_path, setup, args, said):
    if setup is not None:
        (tmp_path / setup).write_bytes({"bad.docx": b"garbage", "empty.txt": b""}.get(setup, SEEDS[0].read_bytes()))
    run = fzlint("annotate", *args, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith(said) and run.stderr.count("\n") == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ([setup] if setup else [])
