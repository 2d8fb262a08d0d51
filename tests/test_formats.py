"""Every seed, in every form a report arrives in, gives the same findings as its .txt.

The variants are built here from the seeds: Markdown with # headings, GB18030, UTF-16 and
UTF-8 with BOMs, traditional characters (converted with OpenCC, independently of fzlint's own
table), a .docx with Word's automatic numbering, a PDF with a CJK font, running headers and
page numbers, and government web pages in three layouts. Beside them, real files made by
LibreOffice from the .docx (saved again as .docx, and exported as PDF) are read from
tests/data/libreoffice/ (scripts/make_libreoffice_fixtures.py makes them). For each finding the text at its
position must be the same as in the .txt (the first characters of the matching view there),
so positions point at the same words whatever the format.
"""

from __future__ import annotations

import re

import opencc
import pytest

from checker import sources
from checker.lint import lint_path, lint_source
from checker.skeleton.normalize import view
from checker.skeleton.parser import parse

from builders.docx import build_docx
from builders.html import build_html
from builders.pdf import build_pdf
from conftest import ROOT, SEEDS

ANCHOR = 6  # characters of the matching view compared at each finding's position


def markdown(text: str) -> bytes:
    """The seed as Markdown: # title, ## / ### ... headings by level, > for the addressee."""
    report = parse(text)
    lines = text.split("\n")
    marks = {ln.no: "# " for ln in report.title_lines}

    def walk(sections):
        for s in sections:
            marks[s.heading.line.no] = "#" * (s.heading.level + 1) + " "
            walk(s.children)

    walk(report.sections)
    return "\n".join(marks.get(i, "") + line for i, line in enumerate(lines, 1)).encode("utf-8")


_S2T = opencc.OpenCC("s2t.json")


def traditional(text: str) -> bytes:
    return _S2T.convert(text).encode("utf-8")


VARIANTS = {
    "md": (".md", markdown),
    "gb18030": (".txt", lambda t: t.encode("gb18030")),
    "gbk": (".txt", lambda t: t.encode("gbk")),
    "utf-8-sig": (".txt", lambda t: t.encode("utf-8-sig")),
    "utf-16": (".txt", lambda t: t.encode("utf-16")),
    "traditional": (".txt", traditional),
    "traditional-gb18030": (".txt", lambda t: _S2T.convert(t).encode("gb18030")),
    "docx": (".docx", build_docx),
    "pdf": (".pdf", build_pdf),
    "html": (".html", build_html),
    "html-table-gbk": (".html", lambda t: build_html(t, template="table")),
    "html-wechat": (".html", lambda t: build_html(t, template="wechat")),
}


def anchor(text_lines: list[str], d) -> str:
    line = text_lines[d.span.line - 1] if d.span.line <= len(text_lines) else ""
    return view(line[d.span.column - 1:])[:ANCHOR]


def findings(text: str, diagnostics) -> list[tuple[str, str]]:
    lines = text.splitlines()
    return sorted((d.code, anchor(lines, d)) for d in diagnostics)


_BASELINE: dict[int, tuple] = {}


def baseline(seed_index: int, registry) -> tuple:
    if seed_index not in _BASELINE:
        seed = SEEDS[seed_index]
        result = lint_path(seed, registry)
        _BASELINE[seed_index] = tuple(findings(seed.read_text(encoding="utf-8"), result.diagnostics))
    return _BASELINE[seed_index]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("seed_index", range(len(SEEDS)), ids=[s.stem[:3] for s in SEEDS])
def test_same_findings_in_every_format(seed_index, variant, registry, tmp_path):
    seed = SEEDS[seed_index]
    suffix, build = VARIANTS[variant]
    path = tmp_path / f"{seed.stem}{suffix}"
    path.write_bytes(build(seed.read_text(encoding="utf-8")))
    source = sources.read(path)
    result = lint_source(source, registry)
    want = baseline(seed_index, registry)
    assert result.diagnostics, "every seed has findings"
    assert tuple(findings(source.text, result.diagnostics)) == want
    if suffix in (".docx", ".pdf", ".html"):
        assert all(d.where for d in result.diagnostics), "findings name the place in the original"
    else:
        assert all(d.where is None for d in result.diagnostics)


LIBREOFFICE = ROOT / "tests" / "data" / "libreoffice"


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
@pytest.mark.parametrize("seed_index", range(len(SEEDS)), ids=[s.stem[:3] for s in SEEDS])
def test_same_findings_in_files_made_by_libreoffice(seed_index, suffix, registry):
    path = LIBREOFFICE / (SEEDS[seed_index].stem + suffix)
    source = sources.read(path)
    result = lint_source(source, registry)
    assert tuple(findings(source.text, result.diagnostics)) == baseline(seed_index, registry)
    assert all(d.where for d in result.diagnostics)


def test_libreoffice_files_are_what_they_claim():
    """The fixtures really come from LibreOffice, with its own numbering and fonts."""
    import zipfile

    import pypdf

    for seed in SEEDS:
        with zipfile.ZipFile(LIBREOFFICE / f"{seed.stem}.docx") as z:
            assert b"LibreOffice" in z.read("docProps/app.xml")
            numbering = z.read("word/numbering.xml")
            # LibreOffice writes chineseCounting back as taiwaneseCountingThousand; 002 types
            # its numbers after Markdown marks, so it has no automatic numbering
            assert b"taiwaneseCountingThousand" in numbering or seed.name.startswith("002")
        meta = pypdf.PdfReader(LIBREOFFICE / f"{seed.stem}.pdf").metadata
        assert "LibreOffice" in meta.producer


def test_traditional_variant_is_really_traditional():
    text = traditional(SEEDS[0].read_text(encoding="utf-8")).decode("utf-8")
    assert re.search("[報設與實務]", text) and "报告" not in text


def test_every_list_of_formats_is_the_one_table():
    """checker/sources/formats.py is the one list of formats: the readers, the cost estimate
    of checker.parallel, the suffixes users are told, the pre-commit hook's pattern and the
    README's list all agree with it."""
    import yaml

    from checker import parallel
    from checker.sources.formats import BY_SUFFIX, FORMATS, READABLE

    suffixes = set(BY_SUFFIX)
    assert set(parallel.COST_MS) == suffixes
    assert all(sources.supported(f"a{s}") and sources.supported(f"A{s.upper()}") for s in suffixes)
    assert not sources.supported("a.doc") and not sources.supported("a.xlsx")
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    pattern = re.compile(hook["files"])
    assert {s for s in suffixes if pattern.search(f"报告{s}")} == suffixes
    assert not pattern.search("logo.png") and not pattern.search("表.xlsx")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = "`, `".join(f.suffixes[0] for f in FORMATS)
    assert f"(recursively: `{shown}`" in readme
    assert READABLE == "、".join(f.suffixes[0] for f in FORMATS)
