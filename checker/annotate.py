"""`fzlint annotate`: a copy of a report with one Word comment (批注) per finding.

Authors write and pass around .docx files, and reviewers mark them with comments; this puts
fzlint's findings where they look. :func:`annotate_docx` is the library function (bytes in,
bytes out, nothing written: `fzlint serve` offers its result for download too);
:func:`annotate_file` is the command.

Each comment wraps the text of its finding's span: the reader's map from the extracted text
back to the document (:func:`checker.sources.docx.open_mapped`) names, for each character,
the w:t (or tab, break, math zone) it comes from, and the runs are split there so that the
comment's range starts and ends exactly on the span (the split runs keep their properties:
the text, its formatting, the numbering and the styles of the copy stay those of the
original). A span that covers no text of the document (an automatic number, an empty
paragraph, a file-level finding) is anchored on its whole paragraph. A finding about
something missing already points where that thing belongs (the message says where). A
summary comment sits on the title.

Reports in other formats (.txt, .md, .pdf, .html) become a .docx of the text fzlint checked,
one paragraph per line, with the same comments.
"""

from __future__ import annotations

import bisect
import io
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.diagnostics import Diagnostic, Severity, Span

__all__ = ["AUTHOR", "INITIALS", "AnnotateError", "annotate_docx", "annotate_file", "default_output", "text_docx",
           "write_output", "written_line"]

AUTHOR = "fzlint"
INITIALS = "FZ"
SUFFIX = ".fzlint.docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_R, _T, _RPR, _PPR = (f"{{{W_NS}}}{tag}" for tag in ("r", "t", "rPr", "pPr"))
# characters XML 1.0 cannot hold (a text report may have them; the .docx shows U+FFFD)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# ---------------------------------------------------------------------------------------
# Comment texts
# ---------------------------------------------------------------------------------------

def comment_text(d: Diagnostic) -> str:
    """What a finding's comment says: the message, then the code and the severity."""
    return f"{d.message}\n{d.code}（{d.severity.zh}）"


def summary_text(diagnostics: Sequence[Diagnostic], kind: str | None = None) -> str:
    """The comment on the title: how many findings of each severity and of each rule."""
    checked = f"按“{kind}”的要求检查" if kind else "检查"
    if not diagnostics:
        return f"fzlint {checked}：未发现问题。"
    by_severity = Counter(d.severity for d in diagnostics)
    lines = [f"fzlint {checked}：发现 {len(diagnostics)} 个问题：错误 {by_severity[Severity.ERROR]} 个，"
             f"警告 {by_severity[Severity.WARNING]} 个，提示 {by_severity[Severity.INFO]} 个；"
             "每个问题的批注在它所指之处。"]
    by_code = Counter((d.code, d.severity) for d in diagnostics)
    for (code, severity), n in sorted(by_code.items(), key=lambda item: (-item[0][1], item[0][0])):
        lines.append(f"{code}（{severity.zh}）{n} 处")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The library function
# ---------------------------------------------------------------------------------------

def annotate_docx(data: bytes, name: str, diagnostics: Sequence[Diagnostic], *,
                  kind: str | None = None) -> bytes:
    """The .docx of the report ``data`` (a file named ``name``: its suffix picks the reader,
    as for ``fzlint check``) with a Word comment for each of ``diagnostics`` (the findings
    of checking those bytes, e.g. ``lint_bytes(data, name, registry).diagnostics``) and a
    summary comment on the title (``kind``: the report kind's title, named in it).

    A .docx input is copied with its body text, numbering and styles unchanged; another
    format becomes a .docx of the text fzlint checked, one paragraph per line. Works in
    memory, writes nothing. Raises :class:`checker.sources.SourceError` for bytes fzlint
    cannot read (the problem and a Chinese detail, as ``fzlint check`` reports them).
    """
    from checker.sources.docx import open_mapped

    if Path(name).suffix.lower() != ".docx":
        from checker.sources import read_bytes

        data = text_docx(read_bytes(data, name, None).text)
    document, lines = open_mapped(data)
    _Annotator(document, lines).add(diagnostics, summary_text(diagnostics, kind))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_docx(text: str) -> bytes:
    """A .docx of ``text``, one paragraph per line (tabs as Word tabs; characters XML cannot
    hold as U+FFFD): its lines, as fzlint reads them back, are the lines of ``text``."""
    from docx import Document

    from checker.skeleton.normalize import split_lines

    document = Document()
    body = document.element.body
    for paragraph in body.findall(f"{{{W_NS}}}p"):     # the template's empty paragraph
        body.remove(paragraph)
    for line in split_lines(text):
        document.add_paragraph(_NOT_XML.sub("\ufffd", line))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# Anchoring
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Range:
    """Where a comment goes: from character ``start_offset`` of ``start`` to just before
    character ``end_offset`` of ``end`` (elements of the original document: a w:t, a
    w:tab..., a math zone), or, with ``start`` None, the whole paragraph ``paragraph``."""

    start: Any = None
    start_offset: int = 0
    end: Any = None
    end_offset: int = 0
    paragraph: Any = None


class _Annotator:
    def __init__(self, document, lines):
        self.document = document
        self.lines = lines
        # a w:t split for an earlier comment: its pieces, as (offset in the original text, w:t)
        self.pieces: dict[Any, list[tuple[int, Any]]] = {}
        self._paragraphs: dict[Any, list] | None = None

    def add(self, diagnostics: Sequence[Diagnostic], summary: str) -> None:
        if not self.lines:
            return
        title = self._title_line()
        self._comment(self._paragraph_range(title, 0), summary)
        for d in sorted(diagnostics, key=lambda d: (d.span.line, d.span.column, d.code)):
            self._comment(self._range(d.span), comment_text(d))

    def _title_line(self) -> int:
        """The index of the title's first line (else of the first line with text)."""
        from checker.skeleton.parser import parse
        from checker.sources import SourceError

        text = "\n".join(line.text for line in self.lines)
        try:
            report = parse(text)
        except SourceError:            # past the parser's budgets: no title to find
            report = None
        if report is not None and report.title_lines:
            return min(report.title_lines[0].no, len(self.lines)) - 1
        return next((i for i, line in enumerate(self.lines) if line.text.strip()), 0)

    # --- where --------------------------------------------------------------------------

    def _range(self, span: Span) -> _Range:
        last = len(self.lines) - 1
        if span.line - 1 > last:         # past the text's end: its last paragraph
            return self._paragraph_range(last, len(self.lines[last].text))
        first_line = max(span.line, 1) - 1
        end_line = min(max(span.end_line, 1) - 1, last)
        start_column, end_column = max(span.column - 1, 0), max(span.end_column - 1, 0)
        if end_line < first_line or (end_line == first_line and end_column <= start_column):
            return self._paragraph_range(first_line, start_column)
        start = next(((o, start_column - o.column) for o in self.lines[first_line].origins
                      if o.column + o.length > start_column), None)
        end = next(((o, end_column - o.column) for o in reversed(self.lines[end_line].origins)
                    if o.column < end_column), None)
        if start is None or end is None:
            return self._paragraph_range(first_line, start_column)
        (s, s_offset), (e, e_offset) = start, end
        s_offset, e_offset = max(s_offset, 0), min(e_offset, e.length)
        if end_line == first_line:
            origins = self.lines[first_line].origins
            if origins.index(s) > origins.index(e) or (s is e and s_offset >= e_offset):
                return self._paragraph_range(first_line, start_column)
        return _Range(s.node, s_offset, e.node, e_offset)

    def _paragraph_range(self, index: int, column: int) -> _Range:
        """The whole paragraph of line ``index`` at ``column`` (in a table row: the cell's
        paragraph there, else the nearest one before it)."""
        line = self.lines[index]
        before = [o for o in line.origins if o.column <= column]
        paragraph = (before[-1] if before else line.origins[0]).paragraph if line.origins \
            else line.paragraphs[0] if line.paragraphs else None
        mine = self._by_paragraph().get(paragraph) if paragraph is not None else None
        if not mine:
            return _Range(paragraph=paragraph if paragraph is not None else self._any_paragraph())
        return _Range(mine[0].node, 0, mine[-1].node, mine[-1].length)

    def _by_paragraph(self) -> dict[Any, list]:
        """Each paragraph's origins (a table cell's paragraph has its own), made once."""
        if self._paragraphs is None:
            self._paragraphs = {}
            for line in self.lines:
                for o in line.origins:
                    self._paragraphs.setdefault(o.paragraph, []).append(o)
        return self._paragraphs

    def _any_paragraph(self):
        return next(p for line in self.lines for p in line.paragraphs)

    # --- the comment --------------------------------------------------------------------

    def _comment(self, where: _Range, text: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        # a message may quote report text: characters XML cannot hold are shown as U+FFFD
        comment = self.document.comments.add_comment(text=_NOT_XML.sub("\ufffd", text), author=AUTHOR,
                                                     initials=INITIALS)
        cid = str(comment.comment_id)
        start = OxmlElement("w:commentRangeStart", attrs={qn("w:id"): cid})
        end = OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): cid})
        reference = OxmlElement("w:r")
        reference.append(OxmlElement("w:commentReference", attrs={qn("w:id"): cid}))
        if where.start is None:           # an empty paragraph: a comment on its place
            p = where.paragraph
            ppr = p.find(_PPR)
            at = p.index(ppr) + 1 if ppr is not None else 0
            for offset, element in enumerate((start, end, reference)):
                p.insert(at + offset, element)
            return
        first = self._from(where.start, where.start_offset)     # split for the start first:
        last = self._until(where.end, where.end_offset)         # the end is found in its pieces
        first.addprevious(start)
        last.addnext(end)
        end.addnext(reference)

    def _locate(self, node, offset: int, end: bool) -> tuple[Any, int, int]:
        """(the piece of ``node`` holding character ``offset``, or for an ``end``, character
        ``offset - 1``; the piece's start in ``node``'s original text; the offset in it)."""
        pieces = self.pieces.get(node)
        if pieces is None:
            return node, 0, offset
        starts = [start for start, _ in pieces]
        i = max(bisect.bisect_left(starts, offset) - 1, 0) if end else bisect.bisect_right(starts, offset) - 1
        start, piece = pieces[i]
        return piece, start, offset - start

    def _from(self, node, offset: int):
        """The element a comment starting at character ``offset`` of ``node`` starts before."""
        piece, start, local = self._locate(node, offset, end=False)
        if _splittable(piece) and 0 < local < len(piece.text or ""):
            piece = self._split_text(node, piece, start, local)
        return _run_from(piece)

    def _until(self, node, offset: int):
        """The element a comment ending before character ``offset`` of ``node`` ends after."""
        piece, start, local = self._locate(node, offset, end=True)
        if _splittable(piece) and 0 < local < len(piece.text or ""):
            self._split_text(node, piece, start, local)
        return _run_until(piece)

    def _split_text(self, node, piece, start: int, local: int):
        """Split the w:t ``piece`` (of the original ``node``, from ``start`` in its text)
        before its character ``local``; the new w:t holding the rest, right after it."""
        from docx.oxml import OxmlElement

        text = piece.text
        rest = OxmlElement("w:t")
        rest.text = text[local:]
        piece.text = text[:local]
        for t in (piece, rest):
            t.set(XML_SPACE, "preserve")
        piece.addnext(rest)
        pieces = self.pieces.setdefault(node, [(0, node)])
        bisect.insort(pieces, (start + local, rest), key=lambda item: item[0])
        return rest


def _splittable(node) -> bool:
    """A w:t of plain text in a run: a comment may start or end inside it."""
    return node.tag == _T and len(node) == 0 and node.getparent().tag == _R


def _new_run_like(run):
    """An empty run with ``run``'s attributes and properties, right after it."""
    from copy import deepcopy

    new = run.makeelement(run.tag, dict(run.attrib))
    rpr = run.find(_RPR)
    if rpr is not None:
        new.append(deepcopy(rpr))
    run.addnext(new)
    return new


def _run_from(node):
    """The run that starts with ``node`` (split off its run when something comes before it);
    ``node`` itself when it is not in a run (a math zone)."""
    run = node.getparent()
    if run.tag != _R or all(sibling.tag == _RPR for sibling in node.itersiblings(preceding=True)):
        return run if run.tag == _R else node
    new = _new_run_like(run)
    for moved in [node, *node.itersiblings()]:
        new.append(moved)
    return new


def _run_until(node):
    """The run that ends with ``node`` (what follows it split off into a run of its own);
    ``node`` itself when it is not in a run."""
    run = node.getparent()
    if run.tag != _R:
        return node
    following = list(node.itersiblings())
    if following:
        new = _new_run_like(run)
        for moved in following:
            new.append(moved)
    return run


# ---------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------

def default_output(path: Path) -> Path:
    """报告.docx -> 报告.fzlint.docx beside it (报告.txt -> 报告.fzlint.docx)."""
    return path.with_name(path.stem + SUFFIX) if path.suffix else path.with_name(path.name + SUFFIX)


def written_line(output: Path, diagnostics: Sequence[Diagnostic]) -> str:
    """What `fzlint annotate` says when it has written the copy."""
    from checker.reporters.safe import human_path

    if not diagnostics:
        return f"已写入 {human_path(str(output))}：未发现问题（标题处有一条检查结果批注）"
    n = Counter(d.severity for d in diagnostics)
    return (f"已写入 {human_path(str(output))}：{len(diagnostics)} 条问题批注（错误 {n[Severity.ERROR]} 个，"
            f"警告 {n[Severity.WARNING]} 个，提示 {n[Severity.INFO]} 个），标题处另有一条检查结果批注")


class AnnotateError(Exception):
    """A one-line Chinese reason why no annotated copy was written."""


def annotate_file(path: Path, output: Path | None, force: bool, settings) -> tuple[Path, list[Diagnostic]]:
    """Check the report at ``path`` with ``settings`` (checker.config.Settings: its packs,
    selection and size limit) and write the annotated copy to ``output`` (default: beside
    it, :func:`default_output`); (the path written, the findings). AnnotateError otherwise:
    the report cannot be read, or the output is the report itself or exists (without
    ``force``) or cannot be written."""
    from checker import sources
    from checker.fileio import NotRegular, TooLarge, read_regular
    from checker.lint import lint_bytes

    output = output if output is not None else default_output(path)
    if output.suffix.lower() != ".docx":
        raise AnnotateError(f"{output}: 批注版是 Word 文档，文件名应以 .docx 结尾")
    try:
        data = read_regular(path, settings.max_bytes)
    except NotRegular as exc:
        raise AnnotateError(f"{path}: 这是{exc.kind}而不是报告文件") from None
    except TooLarge as exc:
        raise AnnotateError(f"{path}: {sources._too_large(exc.size, exc.limit)}") from None
    except OSError as exc:
        raise AnnotateError(f"{path}: {sources.os_problem(exc, path)}") from None
    _refuse(path, output, force)
    result = lint_bytes(data, str(path), settings.registry, settings.enabled_for(path), settings.max_bytes)
    if not result.checked:          # unreadable, empty, too large...: its FZ9xx finding says why
        said = result.diagnostics[0].message if result.diagnostics else "无法检查"
        raise AnnotateError(f"{path}: {said}，未生成批注版")
    pack = settings.registry.pack_named(result.kind)
    try:
        annotated = annotate_docx(data, str(path), result.diagnostics, kind=pack.title if pack else None)
    except sources.SourceError as exc:
        raise AnnotateError(f"{path}: {exc.detail or exc.problem}") from None
    write_output(output, annotated)
    return output, result.diagnostics


def _refuse(path: Path, output: Path, force: bool) -> None:
    """Never the report itself (also through a link); an existing file only with --force."""
    try:
        out = os.stat(output)
    except OSError:
        return
    here = os.stat(path)
    if (out.st_dev, out.st_ino) == (here.st_dev, here.st_ino):
        raise AnnotateError(f"输出文件 {output} 就是报告 {path}，不会覆盖（fzlint 从不改写被检查的文件）")
    if not force:
        raise AnnotateError(f"{output} 已存在；要覆盖它，请加 --force，或用 -o 指定其他文件名")


def write_output(output: Path, data: bytes) -> None:
    """Write whole or not at all: a temporary file beside ``output``, renamed onto it."""
    from checker.oserror import reason

    target = os.path.realpath(output)          # a symlink is written through
    folder, name = os.path.split(target)
    temp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")
    try:
        with open(temp, "xb") as f:
            f.write(data)
        os.replace(temp, target)
    except OSError as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise AnnotateError(f"无法写入 {output}：{reason(exc, writing=True, path=output)}") from None
