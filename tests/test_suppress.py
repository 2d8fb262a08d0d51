"""Markdown suppression comments (<!-- fzlint: disable=... -->) and HTML comments in .md files."""

import pytest

from checker import sources
from checker.engine.recognize import classify
from checker.lint import lint_bytes
from checker.reporters.outline import outline_dict
from checker.suppress import blank_comments, parse

from conftest import SMALL_REPORT
from test_cli import fzlint

REPORT = SMALL_REPORT   # findings: 3:38 FZ501, 8:1 FZ203, 9:1 FZ105, 9:24 FZ501
ALL = ["3:38 FZ501", "8:1 FZ203", "9:1 FZ105", "9:24 FZ501"]


def lines_of(text=REPORT):
    return text.splitlines()


def with_line(index, line, text=REPORT):
    """REPORT with ``line`` inserted before 0-based line ``index``."""
    lines = lines_of(text)
    lines.insert(index, line)
    return "\n".join(lines) + "\n"


def found(registry, text, name="report.md"):
    result = lint_bytes(text.encode("utf-8"), name, registry)
    return [f"{d.span.line}:{d.span.column} {d.code}" for d in result.diagnostics]


def shift(items, after, by=1):
    """Findings expected once ``by`` lines were inserted before line ``after``."""
    out = []
    for item in items:
        pos, code = item.split()
        line, col = map(int, pos.split(":"))
        out.append(f"{line + by if line >= after else line}:{col} {code}")
    return out


def test_the_sample_report(registry):
    assert found(registry, REPORT) == ALL
    assert found(registry, REPORT, "report.txt") == ALL


# --- parse(): each directive form -------------------------------------------------------------

def test_no_comments_no_directives():
    sup = parse(REPORT)
    assert not sup and sup.problems == [] and not sup.covers("FZ501", 3)


def test_disable_runs_from_its_line_to_the_end():
    sup = parse(with_line(4, "<!-- fzlint: disable=FZ501 -->"))   # line 5
    assert not sup.covers("FZ501", 4)
    assert sup.covers("FZ501", 5) and sup.covers("FZ501", 10) and sup.covers("FZ501", 99)
    assert not sup.covers("FZ105", 10)


def test_enable_ends_a_disable():
    text = with_line(6, "<!-- fzlint: enable=FZ501 -->", with_line(2, "<!-- fzlint: disable=FZ501,FZ105 -->"))
    sup = parse(text)        # disable on line 3, enable on line 7
    assert [sup.covers("FZ501", n) for n in (2, 3, 6, 7, 8)] == [False, True, True, False, False]
    assert sup.covers("FZ105", 12)                         # not named by the enable


def test_bare_enable_ends_everything_and_bare_disable_covers_everything():
    sup = parse("正文\n<!-- fzlint: disable -->\n正文\n<!-- fzlint: enable -->\n正文\n")
    assert sup.covers("FZ501", 3) and sup.covers("FZ903", 3, "file-empty")
    assert not sup.covers("FZ501", 5) and not sup.covers("FZ501", 1)


def test_disable_all_then_enable_one():
    sup = parse("正文\n<!-- fzlint: disable -->\n<!-- fzlint: enable=FZ202 -->\n正文\n")
    assert sup.covers("FZ501", 4) and not sup.covers("FZ202", 4)


def test_prefix_then_enable_one_code():
    sup = parse("正文\n<!-- fzlint: disable=FZ1 -->\n<!-- fzlint: enable=FZ105 -->\n正文\n")
    assert sup.covers("FZ101", 4) and sup.covers("FZ107", 4)
    assert not sup.covers("FZ105", 4) and not sup.covers("FZ202", 4)


def test_disable_at_the_top_covers_the_whole_file():
    # only blank lines and comments above it: it counts from line 1
    sup = parse("\n<!-- 说明 -->\n<!-- fzlint: disable=FZ105 -->\n标题\n正文\n")
    assert sup.covers("FZ105", 1) and sup.covers("FZ105", 5)
    # below the first line of text it does not
    sup = parse("标题\n<!-- fzlint: disable=FZ105 -->\n正文\n")
    assert not sup.covers("FZ105", 1) and sup.covers("FZ105", 2)


def test_disable_next_line_skips_blank_lines_and_comments():
    sup = parse("甲\n<!-- fzlint: disable-next-line=FZ501 -->\n\n<!-- 批注 -->\n乙\n丙\n")
    assert [sup.covers("FZ501", n) for n in range(1, 7)] == [False, False, False, False, True, False]
    assert not sup.covers("FZ105", 5)


def test_disable_next_line_after_text_on_the_same_line():
    sup = parse("甲 <!-- fzlint: disable-next-line=FZ501 -->\n乙\n")
    assert not sup.covers("FZ501", 1) and sup.covers("FZ501", 2)


def test_disable_next_line_at_the_end_covers_nothing():
    sup = parse("甲\n<!-- fzlint: disable-next-line=FZ501 -->\n\n")
    assert not any(sup.covers("FZ501", n) for n in range(1, 5))


def test_disable_file_anywhere_and_enable_does_not_end_it():
    sup = parse("甲\n乙\n<!-- fzlint: enable -->\n<!-- fzlint: disable-file=FZ105 -->\n<!-- fzlint: enable -->\n")
    assert sup.covers("FZ105", 1) and sup.covers("FZ105", 99)
    assert not sup.covers("FZ501", 1)


def test_codes_prefixes_names_and_separators():
    sup = parse("<!-- fzlint: disable-file=fz50, court-judgements-not-reported、FZ105 FZ3 -->\n正文\n")
    assert sup.covers("FZ501", 2) and sup.covers("FZ503", 2)              # prefix, any case
    assert sup.covers("FZ202", 2, "court-judgements-not-reported")        # name
    assert not sup.covers("FZ202", 2)                                      # the name is needed
    assert sup.covers("FZ105", 2) and sup.covers("FZ308", 2)
    assert not sup.covers("FZ101", 2)
    assert parse("<!-- fzlint: disable-file=ALL -->\n").covers("FZ999", 1)


def test_spacing_and_case_of_the_directive():
    sup = parse("<!--fzlint:disable-file = FZ105-->\n<!--  FZLINT :  DISABLE-NEXT-LINE=FZ501  -->\n正文\n")
    assert sup.covers("FZ105", 1) and sup.covers("FZ501", 3) and sup.problems == []


def test_ordinary_comments_are_not_directives():
    sup = parse("<!-- 请在此填写 fzlint 检查的结果 -->\n<!-- TODO -->\n正文\n")
    assert not sup and sup.problems == []


def test_a_multi_line_comment_counts_from_its_first_line():
    sup = parse("甲\n<!-- fzlint: disable-next-line=\n     FZ501 -->\n乙\n")
    assert sup.directives[0].line == 2 and sup.covers("FZ501", 4)


def test_mistyped_directives_are_problems_not_errors():
    sup = parse("正文\n<!-- fzlint: disabel=FZ501 -->\n<!-- fzlint: disable FZ501 -->\n<!-- fzlint: disable= -->\n")
    assert [line for line, _ in sup.problems] == [2, 3, 4]
    assert "disabel" in sup.problems[0][1] and "disable-next-line" in sup.problems[0][1]
    assert "省略“=”" in sup.problems[2][1]
    assert not sup.covers("FZ501", 4)


def test_unknown_selectors():
    sup = parse("<!-- fzlint: disable-file=FZ2O2,FZ105,court-judgement -->\n")
    rules = [("FZ105", "missing-other-section"), ("FZ202", "court-judgements-not-reported")]
    assert sup.unknown(rules) == [(1, "FZ2O2"), (1, "court-judgement")]


# --- blank_comments() -------------------------------------------------------------------------

def test_blanking_keeps_lengths_and_line_breaks():
    text = "甲<!-- 一、\r\n其他 -->乙\n<!---->丙\n"
    blanked, count = blank_comments(text)
    assert count == 2 and len(blanked) == len(text)
    assert blanked == "甲" + " " * 7 + "\r\n" + " " * 6 + "乙\n" + " " * 7 + "丙\n"


def test_an_unterminated_comment_stays_text():
    assert blank_comments("甲 <!-- 乙\n丙\n") == ("甲 <!-- 乙\n丙\n", 0)


# --- the .md reader and lint ------------------------------------------------------------------

def test_each_directive_form_in_a_report(registry):
    assert found(registry, with_line(0, "<!-- fzlint: disable-file=FZ105 -->")) == \
        [f for f in shift(ALL, 1) if "FZ105" not in f]
    assert found(registry, with_line(8, "<!-- fzlint: disable-next-line=FZ501 -->")) == \
        ["3:38 FZ501", "8:1 FZ203", "10:1 FZ105"]
    assert found(registry, with_line(8, "<!-- fzlint: disable=FZ1,FZ5 -->")) == ["3:38 FZ501", "8:1 FZ203"]
    assert found(registry, with_line(0, "<!-- fzlint: disable -->")) == []
    text = with_line(2, "<!-- fzlint: disable=misnamed-supervision-regulation -->")
    text = with_line(4, "<!-- fzlint: enable=FZ501 -->", text)
    assert found(registry, text) == ["10:1 FZ203", "11:1 FZ105", "11:24 FZ501"]   # 4:38 FZ501 silenced


def test_disable_file_silences_a_finding_about_the_whole_file(registry):
    # FZ105 points at line 9, far from the comment at the end
    text = REPORT + "<!-- fzlint: disable-file=missing-other-section -->\n"
    assert "9:1 FZ105" not in found(registry, text)
    # an .md file with nothing but a directive is empty, and may say so
    assert found(registry, "<!-- 草稿 -->\n") == ["1:1 FZ903"]
    assert found(registry, "<!-- fzlint: disable-file=FZ903 -->\n") == []


def test_directives_are_text_in_txt_files(registry):
    text = with_line(0, "<!-- fzlint: disable -->")
    assert found(registry, text, "report.txt") != []
    assert found(registry, text, "report.md") == []
    assert sources.read_bytes(text.encode(), "report.txt").suppressions is None


def test_comment_with_a_heading_does_not_change_the_skeleton(registry):
    comment = ["<!--", "五、其他需要报告的情况", "无。落实《法治政府建设与责任落实督查工作规定》。", "-->"]
    commented = REPORT.replace("平安县司法局\n2024", "\n".join(comment) + "\n平安县司法局\n2024")
    blank = REPORT.replace("平安县司法局\n2024", "\n\n\n\n平安县司法局\n2024")

    def headings(text, name="report.md"):
        result = lint_bytes(text.encode(), name, registry)
        classify(result.report, registry.pack_for(result.report))
        return outline_dict(result.report), [s["heading"] for s in outline_dict(result.report)["sections"]]

    assert headings(commented) == headings(blank)
    assert headings(commented)[1][-1] == "2024年度推进法治政府建设的主要安排"
    assert found(registry, commented) == found(registry, blank) == ALL   # FZ105 stays, no third FZ501
    # in a .txt file the comment is text: a fifth section
    assert headings(commented, "report.txt")[1][-1] == "其他需要报告的情况"
    assert found(registry, commented, "report.txt") == ["3:38 FZ501", "8:1 FZ203", "9:24 FZ501", "12:13 FZ501"]


def test_comments_keep_positions(registry):
    comment = "<!-- 批注：核对法规名称 -->"
    text = REPORT.replace("落实《法治政府建设与责任落实督查", comment + "落实《法治政府建设与责任落实督查", 1)
    assert found(registry, text)[0] == f"3:{38 + len(comment)} FZ501"
    text = with_line(1, "<!-- 第一行\n第二行\n第三行 -->")
    assert found(registry, text) == shift(ALL, 2, by=3)
    source = sources.read_bytes(text.encode(), "report.md")
    assert source.text.splitlines()[1:4] == [" " * 8, " " * 3, " " * 7]
    assert source.note == "略去 1 个 HTML 注释"


def test_a_mistyped_code_is_reported_on_stderr_and_the_finding_stays(tmp_path):
    (tmp_path / "报告.md").write_text(with_line(8, "<!-- fzlint: disable-next-line=FZ5O1 -->"), encoding="utf-8")
    run = fzlint("check", "报告.md", cwd=tmp_path)
    assert run.stderr.splitlines() == [
        "fzlint: 报告.md:9: fzlint 注释中的“FZ5O1”不是已知的规则代码、前缀或名称（是否应为 FZ501？）"]
    assert "报告.md:10:24: FZ501" in run.stdout
    assert run.returncode == 1                      # FZ203 is an error, as without the comment


def test_verbose_says_how_many_were_suppressed(tmp_path):
    (tmp_path / "报告.md").write_text(with_line(0, "<!-- fzlint: disable=FZ5 -->"), encoding="utf-8")
    run = fzlint("--verbose", "check", "报告.md", cwd=tmp_path)
    assert "fzlint: 报告.md: 格式 md，编码 utf-8，略去 1 个 HTML 注释，fzlint 注释略去 2 个问题" in run.stderr
    assert "FZ501" not in run.stdout


@pytest.mark.parametrize("name", ["report.md", "report.markdown"])
def test_markdown_suffixes(registry, name):
    assert found(registry, with_line(0, "<!-- fzlint: disable -->"), name) == []
