"""`fzlint init`: a skeleton of each report kind that passes its kind's rules once filled.

Left unfilled, every gap (【请填写：…】) gets FZ502 and no structural rule fires; filled with a
sentence each (in the written file: the .txt/.md text, the .docx's highlighted runs), the
report gets no finding at all. For every kind the packs declare: the two shipped ones (a
department's and a government's 信息公开 report: their rules differ) and a user's pack
without an ``init:`` block.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from test_report_kinds import ANQUAN

from checker.engine.registry import PackError, load_registry
from checker.lint import lint_bytes
from checker.scaffold import render, skeleton, write_skeleton

from test_cli import fzlint

# the check types of the rules about a report's structure: none may fire on a skeleton
STRUCTURAL = {"required_section", "order", "title", "report_year", "closing", "numbering", "skeleton_problem",
              "not_a_report", "file_problem"}
ORGS = {"fazhi": ["平安县司法局", "平安县人民政府"], "gk": ["平安县财政局", "平安县人民政府"],
        "anquan": ["平安县应急管理局"]}
CASES = [(kind, org, suffix) for kind, orgs in ORGS.items() for org in orgs for suffix in (".txt", ".md", ".docx")]


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """The shipped packs and a user's pack without ``init:`` (tests/test_report_kinds.py's)."""
    folder = tmp_path_factory.mktemp("packs")
    (folder / "anquan.yaml").write_text(ANQUAN, encoding="utf-8")
    return load_registry([folder])


@cache
def sentence(n: int) -> str:
    """A distinct sentence for gap ``n`` (FZ505 would flag a repeated one)."""
    return f"全年围绕第{n}项重点任务健全制度、压实责任，按期完成了年初确定的各项目标。"


def written(registry, kind: str, org: str, suffix: str):
    lines = skeleton(registry.pack_named(kind), org, 2025)
    return lines, render(lines, suffix)


def fill(data: bytes, suffix: str, gaps: list[str]) -> bytes:
    """The file with each gap replaced by a sentence, as an author would: in the text, or in
    the .docx's highlighted run."""
    if suffix != ".docx":
        text = data.decode()
        for n, gap in enumerate(gaps):
            assert text.count(gap) == 1
            text = text.replace(gap, sentence(n))
        return text.encode()
    document = Document(io.BytesIO(data))
    runs = [run for p in document.paragraphs for run in p.runs if run.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert [run.text for run in runs] == gaps
    for n, run in enumerate(runs):
        run.text = sentence(n)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind,org,suffix", CASES)
def test_unfilled_every_gap_gets_fz502_and_the_structure_passes(registry, kind, org, suffix):
    lines, data = written(registry, kind, org, suffix)
    result = lint_bytes(data, f"report{suffix}", registry)
    assert result.kind == kind
    checks = {r.id: r.check for r in registry.rules}
    assert [d for d in result.diagnostics if checks[d.code] in STRUCTURAL] == []
    text = result.source.text.split("\n")
    gaps = [line.text[a:b] for line in lines for a, b in line.gaps]
    assert gaps and len(set(gaps)) == len(gaps)
    places = []          # where each gap is in the text fzlint read: (line, first column, end column)
    for gap in gaps:
        [(no, at)] = [(no, row.find(gap)) for no, row in enumerate(text, 1) if gap in row]
        places.append((no, at + 1, at + 1 + len(gap)))
    placeholder = [(d.span.line, d.span.column) for d in result.diagnostics if d.code == "FZ502"]
    assert len(placeholder) == len(gaps)
    for (no, first, end), (line, column) in zip(sorted(places), sorted(placeholder)):
        assert no == line and first <= column < end


@pytest.mark.parametrize("kind,org,suffix", CASES)
def test_filled_with_a_sentence_per_gap_it_passes_every_rule(registry, kind, org, suffix):
    lines, data = written(registry, kind, org, suffix)
    gaps = [line.text[a:b] for line in lines for a, b in line.gaps]
    result = lint_bytes(fill(data, suffix, gaps), f"report{suffix}", registry)
    assert result.kind == kind
    assert [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in result.diagnostics] == []


def test_the_skeletons_follow_their_packs(registry):
    """Title, the parts in section_order under their headings, each part with its gaps, the
    date before the deadline in the year after the reported one."""
    fazhi = skeleton(registry.pack_named("fazhi"), "平安县司法局", 2025)
    assert fazhi[0].text == "平安县司法局2025年度法治政府建设情况报告"
    assert [line.text for line in fazhi if line.role == "heading"] == [
        "一、2025年度推进法治政府建设的主要举措和成效", "二、存在的不足和原因",
        "三、党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况",
        "四、2026年度推进法治政府建设的主要安排", "五、其他需要报告的情况"]
    assert [line.text for line in fazhi[-3:]] == ["特此报告。", "平安县司法局", "2026年3月31日"]
    court = next(line.text for line in fazhi if "法院" in line.text)
    assert court.startswith("本年度履行人民法院生效判决、裁定的情况：【请填写：")
    gk = skeleton(registry.pack_named("gk"), "平安县财政局", 2025)
    assert [line.text for line in gk if line.role == "subheading"] == [
        "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"]
    assert gk[-1].text == "2026年1月30日"
    anquan = skeleton(registry.pack_named("anquan"), "平安县应急管理局", 2023)
    assert [line.text for line in anquan] == [
        "平安县应急管理局2023年度安全生产工作年度报告", "一、安全生产工作开展情况", "【请填写：安全生产工作开展情况】",
        "二、下一年度安全生产工作计划", "【请填写：下一年度安全生产工作计划】", "平安县应急管理局", "2024年12月31日"]


def test_the_docx_has_one_paragraph_per_line_and_highlights_only_the_gaps(registry):
    lines, data = written(registry, "fazhi", "平安县司法局", ".docx")
    document = Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs] == [line.text for line in lines]
    highlighted = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert highlighted == [line.text[a:b] for line in lines for a, b in line.gaps]
    assert document.paragraphs[0].alignment == 1 and document.paragraphs[-1].alignment == 2   # centre, right


# ------------------------------------------------------------------------------ the pack's init block

GOOD_INIT = """\
init:
  title: "{org}{year}年度安全生产工作报告"
  date: 03-01
  parts:
    plan:
      heading: "{next_year}年工作计划"
      body:
        - heading: 重点工作
        - fill: 重点工作
        - text: 保障措施：
          fill: 保障措施
"""


def load_with(tmp_path, init: str):
    (tmp_path / "anquan.yaml").write_text(ANQUAN.replace("rules:\n", init + "rules:\n", 1), encoding="utf-8")
    return load_registry([tmp_path])


def test_an_init_block_is_read_with_defaults(tmp_path):
    pack = load_with(tmp_path, GOOD_INIT).pack_named("anquan")
    assert [(p.kind, p.heading) for p in pack.init.parts] == [
        ("work", "安全生产工作开展情况"), ("plan", "{next_year}年工作计划")]
    lines = skeleton(pack, "平安县应急管理局", 2023)
    assert [line.text for line in lines][3:] == ["二、2024年工作计划", "（一）重点工作", "【请填写：重点工作】",
                                                 "保障措施：【请填写：保障措施】", "平安县应急管理局", "2024年3月1日"]


@pytest.mark.parametrize("change,words", [
    (lambda t: t.replace("    plan:", "    plans:"), ["plans", "section_order"]),
    (lambda t: t.replace("  date: 03-01\n", '  date: 03-01\n  placeholder: "【待填】"\n'), ["placeholder", "{hint}"]),
    (lambda t: t.replace("        - heading: 重点工作\n", "        - heading: 重点工作\n          fill: 重点\n"),
     ["heading", "只能写其中一种"]),
    (lambda t: t.replace("{next_year}年工作计划", "{nextyear}年工作计划"), ["nextyear", "next_year"]),
    (lambda t: t.replace("date: 03-01", "date: 02-30"), ["init.date", "MM-DD"]),
    (lambda t: t.replace("init:\n", "init:\n  fill: x\n"), ["未知的选项“fill”"]),
    (lambda t: t.replace("  date: 03-01\n", ""), ["date", "deadline"]),      # the scratch pack has no deadline
])
def test_init_block_errors_name_the_line(tmp_path, change, words):
    with pytest.raises(PackError) as caught:
        load_with(tmp_path, change(GOOD_INIT))
    for w in words:
        assert w in caught.value.message, caught.value


# ------------------------------------------------------------------------------ the command

def test_command_writes_the_title_named_docx_and_refuses_to_overwrite(tmp_path):
    year = dt.date.today().year - 1
    run = fzlint("init", "--org", "平安县司法局", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = tmp_path / f"平安县司法局{year}年度法治政府建设情况报告.docx"
    assert run.stderr == (f"fzlint: 已写入 {out.name}：{out.stem}，8 处待填写（标有“请填写”）；"
                          f"写好后可用 fzlint check {out.name} 检查\n")
    check = fzlint("check", out.name, cwd=tmp_path)
    assert {line.split()[1] for line in check.stdout.splitlines()[:-1]} == {"FZ502", "FZ203"}
    again = fzlint("init", "--org", "平安县司法局", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr == f"fzlint: {out.name} 已存在；要覆盖它，请加 --force，或用 -o 指定其他文件名\n"
    assert fzlint("init", "--org", "平安县司法局", "--force", cwd=tmp_path).returncode == 0


def test_command_writes_markdown_of_another_kind(tmp_path):
    run = fzlint("init", "--kind", "gk", "--org", "平安县人民政府", "--year", "2024", "-o", "年报.md", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    text = (tmp_path / "年报.md").read_text(encoding="utf-8")
    assert text.startswith("# 平安县人民政府2024年政府信息公开工作年度报告\n\n")
    assert "统计期限自2024年1月1日起至2024年12月31日止" in text and text.endswith("2025年1月30日\n")


@pytest.mark.parametrize("args,said", [
    (["--kind", "anquan", "--org", "x"],
     "fzlint: 没有报告类型“anquan”（可用：fazhi（法治政府建设年度报告）、gk（政府信息公开工作年度报告））"),
    (["--org", " "], "fzlint: --org 应为一行、不超过 100 字的单位名称，如 平安县司法局（实际为 ''）"),
    (["--org", "a\nb"], "fzlint: --org 应为一行、不超过 100 字的单位名称，如 平安县司法局（实际为 'a\\nb'）"),
    (["--org", "x", "-o", "x.pdf"],
     "fzlint: x.pdf: 报告框架可写成 Word（.docx）、Markdown（.md）或文本（.txt），请用这些扩展名之一"),
    (["--org", "x", "-o", "nowhere/x.txt"], "fzlint: 无法写入 nowhere/x.txt：所在文件夹 nowhere 不存在"),
])
def test_command_errors_are_one_chinese_line(tmp_path, args, said):
    run = fzlint("init", *args, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr == said + "\n"
    assert list(tmp_path.iterdir()) == []


def test_a_configured_kind_without_init_block(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "anquan.yaml").write_text(ANQUAN, encoding="utf-8")
    (tmp_path / "fzlint.toml").write_text('rule-packs = ["packs"]\n', encoding="utf-8")
    run = fzlint("init", "--kind", "anquan", "--org", "平安县应急管理局", "--year", "2023", "-o", "a.txt", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = (tmp_path / "a.txt").read_text(encoding="utf-8").splitlines()
    assert (lines[0], lines[-1]) == ("平安县应急管理局2023年度安全生产工作年度报告", "2024年12月31日")


def test_write_skeleton_refuses_a_folder(tmp_path, registry):
    from checker.scaffold import InitError

    (tmp_path / "d.docx").mkdir()
    with pytest.raises(InitError):
        write_skeleton(registry.pack_named("fazhi"), "平安县司法局", 2025, tmp_path / "d.docx", True)
