"""What a careful reviewer says about each seed report, written from reading the reports.

These expectations are stated independently of the golden files: each finding (and each
absence) has its reason next to it.
"""

import pytest

from checker.engine.context import Context
from checker.engine.recognize import classify
from checker.lint import lint_path

from conftest import GK_SEEDS, ROOT, SEEDS

SEED = {p.stem[:3]: p for p in SEEDS}

# seed -> {code: line}: every finding a reviewer would make, and nothing else.
EXPECTED = {
    # 娄烦县: 第一责任人 part comes first (一、), before 举措成效 (二、): out of 第二十五条's order;
    # 三、不足和原因 lists problems, gives no reasons; no 其他 section; 不涉及生效裁判 is stated (l.17);
    # the text ends after the plans: no signature, no date.
    "000": {"FZ106": 9, "FZ107": 47, "FZ105": 57, "FZ308": 57},
    # 岳阳楼区: all four main items in order; no 其他 section; never states performing court
    # judgements ("向区法院申请强制执行" is enforcement it applied for, not performance).
    "001": {"FZ202": 25, "FZ105": 34},
    # 江门江海区: no 第一责任人 section (only a clause in 一（一）1.), placed before 三、工作安排;
    # 二、存在的不足 gives no reasons; nothing on court judgements; no 其他 section; cites
    # 《法治政府建设实施纲要（2021-2025）》 without the 年 of its official title (l.11).
    "002": {"FZ103": 63, "FZ107": 59, "FZ202": 3, "FZ105": 71, "FZ503": 11},
    # 大连金普: cites 《…督查工作的规定》 (should be 督察工作规定); 二、 lists shortfalls without
    # reasons; nothing on court judgements; no 其他 section.
    "003": {"FZ501": 5, "FZ107": 13, "FZ202": 17, "FZ105": 23},
    # 曲阜: all five items in order, reasons given ("由于"), "执行法院生效裁决" (l.69); but
    # 三、's (三)(四) are half-width among full-width （一）（二）… (l.67), and the report ends
    # after 五、其他 with no signature or date.
    "004": {"FZ405": 67, "FZ308": 89},
}

# seed -> the kinds of the top-level sections, in order.
TOP_KINDS = {
    "000": ["first_responsible", "measures", "shortfalls", "next_year"],
    "001": ["measures", "shortfalls", "first_responsible", "next_year"],
    "002": ["measures", "shortfalls", "next_year"],
    "003": ["measures", "shortfalls", "first_responsible", "next_year"],
    "004": ["measures", "shortfalls", "first_responsible", "next_year", "other"],
}
TITLES = {
    "000": "娄烦县卫生健康局关于2023年度法治政府建设情况的报告",
    "001": "岳阳楼区卫生健康局2022年法治政府建设年度工作报告",
    "002": "江门市江海区卫生健康局2023年法治政府建设年度报告",
    "003": "大连金普新区卫生健康局2024年度法治政府建设情况报告",
    "004": "曲阜市卫生健康局2024年度法治政府建设报告",
}
DATES = {"000": None, "001": "2023-01-17", "002": "2024-01-29", "003": "2025-01-14", "004": None}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_findings(seed, registry):
    result = lint_path(SEED[seed], registry)
    got = {d.code: d.span.line for d in result.diagnostics}
    assert len(got) == len(result.diagnostics), "one finding per rule per seed"
    assert got == EXPECTED[seed]


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_skeleton(seed, registry):
    report = lint_path(SEED[seed], registry).report
    pack = registry.pack_for(report)
    ctx = Context(report, pack, classify(report, pack))
    assert [s.kind for s in report.sections] == TOP_KINDS[seed]
    assert [s.kind for s in ctx.top_sections] == TOP_KINDS[seed]
    assert report.title == TITLES[seed]
    assert (report.closing.date if report.closing else None) == DATES[seed]
    assert report.problems == []


def test_front_matter_of_004(registry):
    report = lint_path(SEED["004"], registry).report
    assert [ln.no for ln in report.preamble] == [3, 5, 7]   # 文件 header, 文号, 签发人
    assert report.opening[0].body.first_line.no == 11


def test_addressee_and_signature_of_003(registry):
    report = lint_path(SEED["003"], registry).report
    assert report.addressee.no == 4
    assert report.closing.phrase.no == 24
    assert [ln.no for ln in report.closing.signers] == [28]


# --- the 政府信息公开 samples: seeds/1xx_gk_* ----------------------------------------------
# A correct report and one with a wrong cell of table 三, as text (copies of tests/data/gk/,
# whose README says what each is) and as Word files with real tables (merged cells), made once
# from the text with tests/builders (docx_with_tables(gk_blocks(text))).

GK_DATA = ROOT / "tests" / "data" / "gk"
# seed -> [(line, column, code, severity)]: exactly its findings. The wrong cell (（一）予以公开,
# 自然人: 3 for 2) breaks its row's 总计 (FZG206, at the 总计 cell) and its column's （七）总计
# (FZG207, at that cell); in the Word file the lines are those of the text fzlint reads from it.
GK_EXPECTED = {
    "100_gk_complete.txt": [],
    "101_gk_wrong_cell.txt": [(54, 37, "FZG206", "error"), (79, 11, "FZG207", "error")],
    "102_gk_complete.docx": [],
    "103_gk_wrong_cell.docx": [(36, 31, "FZG206", "error"), (57, 8, "FZG207", "error")],
}


def test_the_gk_seeds_are_these_four():
    assert [p.name for p in GK_SEEDS] == sorted(GK_EXPECTED)


@pytest.mark.parametrize("name, sample", [("100_gk_complete.txt", "complete.txt"),
                                          ("101_gk_wrong_cell.txt", "wrong_cell.txt")])
def test_the_gk_text_seeds_are_the_test_samples(name, sample):
    assert (ROOT / "seeds" / name).read_bytes() == (GK_DATA / sample).read_bytes()


@pytest.mark.parametrize("name", sorted(GK_EXPECTED))
def test_gk_seed_findings(name, registry):
    result = lint_path(ROOT / "seeds" / name, registry)
    assert result.kind == "gk"
    got = [(d.span.line, d.span.column, d.code, d.severity.name.lower()) for d in result.diagnostics]
    assert got == GK_EXPECTED[name]


def test_the_gk_word_seeds_hold_real_tables(registry):
    """The .docx seeds' tables are Word tables (not `|` text): the format's three tables, table
    三 with its merged header and label cells, read as Word tables."""
    import zipfile

    for docx in ("102_gk_complete.docx", "103_gk_wrong_cell.docx"):
        xml = zipfile.ZipFile(ROOT / "seeds" / docx).read("word/document.xml").decode("utf-8")
        assert xml.count("<w:tbl>") == 3 and "w:gridSpan" in xml and "w:vMerge" in xml
        assert "|" not in xml
        tables = lint_path(ROOT / "seeds" / docx, registry).report.tables
        assert [t.shape for t in tables] == ["docx"] * 3
        assert any(c.row_span > 1 for c in tables[1].cells()) and any(c.col_span > 1 for c in tables[1].cells())
