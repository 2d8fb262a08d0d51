"""Baselines: --write-baseline records today's findings, --baseline reports only new ones."""

import json

import pytest

from checker import baseline as bl
from checker.diagnostics import Diagnostic, Severity, Span
from checker.lint import FileResult, lint_bytes

from conftest import SMALL_REPORT
from test_cli import fzlint

REPORT = SMALL_REPORT   # findings: 3:38 FZ501, 8:1 FZ203 (error), 9:1 FZ105, 9:24 FZ501
STALE_1 = "fzlint: 基线中有 1 条记录已不再出现（可用 --write-baseline 更新）"
CLEAN_1 = "未发现问题（检查了 1 个文件）。"


def findings(run):
    """`line:col CODE` of the concise output (the summary line left out)."""
    return [f"{line.split(':')[1]}:{line.split(':')[2]} {line.split(': ')[1].split()[0]}"
            for line in run.stdout.splitlines()[:-1]]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "平安县.txt").write_text(REPORT, encoding="utf-8")
    return tmp_path


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write_baseline(project, *paths):
    run = fzlint("check", "--write-baseline", "fzlint-baseline.json", *(paths or ["reports"]), cwd=project)
    assert run.returncode == 0, run.stderr
    return run


# --- the workflow ----------------------------------------------------------------------------

def test_write_then_check_is_silent(project):
    before = fzlint("check", "reports", cwd=project)
    assert before.returncode == 1 and findings(before) == ["3:38 FZ501", "8:1 FZ203", "9:1 FZ105", "9:24 FZ501"]
    run = write_baseline(project)
    assert run.stderr == "fzlint: 已将 4 条记录写入基线文件 fzlint-baseline.json\n"
    assert run.stdout == before.stdout               # the run reports as usual, and exits 0
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "reports", cwd=project)
    assert (run.returncode, run.stdout, run.stderr) == (0, CLEAN_1 + "\n", "")


def test_the_file_format(project):
    write_baseline(project)
    text = (project / "fzlint-baseline.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == ["fzlint-baseline", "entries"] and data["fzlint-baseline"] == 1
    entries = data["entries"]
    assert [list(e) for e in entries] == [["path", "code", "hash", "line", "message"]] * 4
    assert [(e["path"], e["line"], e["code"]) for e in entries] == [
        ("reports/平安县.txt", 3, "FZ501"), ("reports/平安县.txt", 8, "FZ203"),
        ("reports/平安县.txt", 9, "FZ105"), ("reports/平安县.txt", 9, "FZ501")]
    assert all(len(e["hash"]) == 16 and int(e["hash"], 16) >= 0 for e in entries)
    assert "责任落实督查" in text                       # UTF-8, not \\u escapes
    assert text.endswith("]\n}\n") and len(text.splitlines()) == 5 + 4    # one entry per line
    assert entries[0]["hash"] != entries[3]["hash"]   # same code, other text


def test_lines_inserted_above_and_other_paragraphs_edited_stay_silent(project):
    write_baseline(project)
    report = project / "reports" / "平安县.txt"
    edit(report, "平安县司法局2023", "\n\n平安县司法局2023")                          # blank lines on top
    edit(report, "原因是培训不足。\n", "原因是培训不足，经费保障不够。\n新增的一段：执法案卷评查发现问题3个。\n")
    edit(report, "12件", "12 件")                                                # whitespace only
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "reports", cwd=project)
    assert (run.returncode, run.stdout, run.stderr) == (0, CLEAN_1 + "\n", "")
    assert findings(fzlint("check", "reports", cwd=project)) == [
        "5:39 FZ501", "11:1 FZ203", "12:1 FZ105", "12:24 FZ501"]           # they moved, still there


def test_editing_the_flagged_sentence_brings_the_finding_back(project):
    write_baseline(project)
    edit(project / "reports" / "平安县.txt", "行政复议案件12件", "行政复议案件15件")
    run = fzlint("-v", "check", "--baseline", "fzlint-baseline.json", "reports", cwd=project)
    assert findings(run) == ["3:38 FZ501"]
    assert run.returncode == 0                        # a warning: the error FZ203 stays baselined
    assert STALE_1 in run.stderr                      # the old entry for the old sentence


def test_fixed_text_leaves_a_stale_entry(project):
    write_baseline(project)
    edit(project / "reports" / "平安县.txt", "落实《法治政府建设与责任落实督查工作规定》。\n二",
         "落实《法治政府建设与责任落实督察工作规定》。\n二")
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "reports", cwd=project)
    assert (run.returncode, run.stdout, run.stderr) == (0, CLEAN_1 + "\n", STALE_1 + "\n")
    run = fzlint("--verbose", "check", "--baseline", "fzlint-baseline.json", "reports", cwd=project)
    assert run.stderr.splitlines()[-2:] == [
        STALE_1,
        "fzlint:   reports/平安县.txt:3: FZ501 法规名称“责任落实督查”有误，应为《法治政府建设与责任落实督察工作规定》"]
    assert "fzlint: 基线略去了 3 个已记录的问题" in run.stderr


def test_stale_counts_only_checked_files(project):
    (project / "reports" / "另一个.txt").write_text(REPORT, encoding="utf-8")
    write_baseline(project)
    edit(project / "reports" / "另一个.txt", "督查工作规定》。\n二", "督察工作规定》。\n二")
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "reports/平安县.txt", cwd=project)
    assert (run.returncode, run.stderr) == (0, "")
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "reports", cwd=project)
    assert run.stderr == STALE_1 + "\n"


def test_entries_of_a_deleted_file_are_stale_when_its_folder_is_checked(project):
    (project / "reports" / "另一个.txt").write_text(REPORT, encoding="utf-8")
    write_baseline(project)
    (project / "reports" / "另一个.txt").unlink()
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "reports/平安县.txt", cwd=project)
    assert (run.returncode, run.stderr) == (0, "")
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "reports", cwd=project)
    assert run.stderr == "fzlint: 基线中有 4 条记录已不再出现（可用 --write-baseline 更新）\n"
    run = fzlint("check", "--baseline", "../fzlint-baseline.json", ".", cwd=project / "reports")
    assert run.stderr.startswith("fzlint: 基线中有 4 条记录")


def test_new_findings_decide_the_exit_code(project):
    write_baseline(project)
    (project / "reports" / "新报告.txt").write_text("一、主要举措和成效\n全年办理行政许可120件。\n", encoding="utf-8")
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "reports", cwd=project)
    assert run.returncode == 1
    assert {line.split(":")[0] for line in run.stdout.splitlines()[:-1]} == {"reports/新报告.txt"}


def test_identical_findings_are_a_multiset(project):
    report = project / "reports" / "平安县.txt"
    edit(report, "落实《法治政府建设与责任落实督查工作规定》。\n二",
         "落实《法治政府建设与责任落实督查工作规定》和《法治政府建设与责任落实督查工作规定》。\n二")
    assert findings(fzlint("check", "reports", cwd=project))[:2] == ["3:38 FZ501", "3:58 FZ501"]
    write_baseline(project)
    path = project / "fzlint-baseline.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    first, second = data["entries"][:2]
    assert (first["code"], first["hash"]) == (second["code"], second["hash"])
    assert fzlint("check", "--baseline", path.name, "reports", cwd=project).returncode == 0
    del data["entries"][1]                               # one entry for two identical findings
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = fzlint("check", "--baseline", path.name, "reports", cwd=project)
    assert findings(run) == ["3:58 FZ501"] and run.stderr == ""


def test_paths_are_relative_to_the_baseline_folder(project, tmp_path_factory):
    # written from inside reports/, naming the baseline one folder up
    run = fzlint("check", "--write-baseline", "../fzlint-baseline.json", "平安县.txt", cwd=project / "reports")
    assert run.returncode == 0
    data = json.loads((project / "fzlint-baseline.json").read_text(encoding="utf-8"))
    assert {e["path"] for e in data["entries"]} == {"reports/平安县.txt"}
    # used from the project folder, from reports/, and from a folder elsewhere with absolute paths
    for cwd, args in [(project, ["fzlint-baseline.json", "reports"]),
                      (project / "reports", ["../fzlint-baseline.json", "平安县.txt"]),
                      (tmp_path_factory.mktemp("elsewhere"),
                       [str(project / "fzlint-baseline.json"), str(project / "reports" / "平安县.txt")])]:
        run = fzlint("check", "--baseline", *args, cwd=cwd)
        assert (run.returncode, run.stdout, run.stderr) == (0, CLEAN_1 + "\n", ""), cwd


def test_stdin_is_recorded_under_its_stdin_filename(project):
    data = REPORT.encode("utf-8")
    run = fzlint("check", "--write-baseline", "fzlint-baseline.json", "-", "--stdin-filename", "reports/平安县.txt",
                 cwd=project, stdin=data)
    assert run.returncode == 0 and "已将 4 条记录" in run.stderr
    entries = json.loads((project / "fzlint-baseline.json").read_text(encoding="utf-8"))["entries"]
    assert {e["path"] for e in entries} == {"reports/平安县.txt"}
    # the same file on disk and on standard input match the same entries
    assert fzlint("check", "--baseline", "fzlint-baseline.json", "reports", cwd=project).stdout == CLEAN_1 + "\n"
    run = fzlint("check", "--baseline", "../fzlint-baseline.json", "-", "--stdin-filename", "平安县.txt",
                 cwd=project / "reports", stdin=data)
    assert (run.returncode, run.stdout, run.stderr) == (0, CLEAN_1 + "\n", "")
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "-", "--stdin-filename", "reports/别的.txt",
                 cwd=project, stdin=data)
    assert run.returncode == 1 and len(findings(run)) == 4


def test_unreadable_files_are_matched_by_their_message(project):
    (project / "reports" / "旧报告.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    run = fzlint("check", "--write-baseline", "b.json", "reports/旧报告.doc", cwd=project)
    assert "已将 1 条记录" in run.stderr
    run = fzlint("check", "--baseline", "b.json", "reports/旧报告.doc", cwd=project)
    assert (run.returncode, run.stdout, run.stderr) == (0, CLEAN_1 + "\n", "")


def test_json_output_is_filtered_too(project):
    write_baseline(project)
    edit(project / "reports" / "平安县.txt", "行政复议案件12件", "行政复议案件15件")
    run = fzlint("check", "--format", "json", "--baseline", "fzlint-baseline.json", "reports", cwd=project)
    assert [(d["line"], d["code"]) for d in json.loads(run.stdout)] == [(3, "FZ501")]


# --- usage errors: exit 2, one line ------------------------------------------------------------

@pytest.mark.parametrize("content,problem", [
    (b"{not json", "不是有效的 JSON（第 1 行第 2 列"),
    (b"[]", "不是 fzlint 基线文件"),
    (b'{"fzlint-baseline": 2, "entries": []}', "不支持的基线版本 2"),
    (b'{"fzlint-baseline": 1}', '"entries" 应为列表'),
    (b'{"fzlint-baseline": 1, "entries": [{"path": "a.txt", "code": "FZ501"}]}', '第 1 条记录缺少字符串字段 "hash"'),
    (b'{"fzlint-baseline": 1, "entries": [{"path": "a.txt", "code": "FZ501", "hash": "0", "line": "3"}]}',
     '第 1 条记录的 "line" 应为整数'),
    (b'{"fzlint-baseline": 1, "entries": [3]}', "第 1 条记录应为对象"),
    ("{}".encode("utf-16"), "不是 UTF-8 编码"),
])
def test_a_corrupt_baseline_is_a_usage_error(project, content, problem):
    (project / "b.json").write_bytes(content)
    run = fzlint("check", "--baseline", "b.json", "reports", cwd=project)
    assert run.returncode == 2 and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("fzlint: 基线文件 b.json：") and problem in run.stderr, run.stderr


def test_a_missing_baseline_is_a_usage_error(project):
    run = fzlint("check", "--baseline", "nope.json", "reports", cwd=project)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "fzlint: 基线文件 nope.json：文件不存在（可先用 --write-baseline 生成）\n"
    run = fzlint("check", "--baseline", "reports", "reports", cwd=project)
    assert run.returncode == 2 and run.stderr == "fzlint: 基线文件 reports：这是目录而不是文件\n"


def test_baseline_options_that_cannot_be_used(project):
    write_baseline(project)
    run = fzlint("check", "--baseline", "fzlint-baseline.json", "--write-baseline", "new.json", "reports", cwd=project)
    assert run.returncode == 2 and "不能同时使用" in run.stderr
    assert not (project / "new.json").exists()
    report = project / "reports" / "平安县.txt"
    run = fzlint("check", "--write-baseline", "reports/平安县.txt", "reports", cwd=project)
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1 and "不会覆盖" in run.stderr
    assert report.read_text(encoding="utf-8") == REPORT
    run = fzlint("check", "--write-baseline", "no/such/folder/b.json", "reports", cwd=project)
    assert run.returncode == 2 and run.stderr.startswith("fzlint: 无法写入基线文件 no/such/folder/b.json：")
    assert len(run.stderr.splitlines()) == 1


# --- units ------------------------------------------------------------------------------------

def diag(line, code="FZ501", message="m"):
    return Diagnostic("r.txt", Span(line, 1, line, 2), code, "n", Severity.WARNING, message)


def test_fingerprint_is_the_code_and_the_text_around_the_line():
    text = "甲\n\n乙\n丙\n\n\n丁\n"
    fp = bl.fingerprint(diag(4), text)
    assert fp == bl._digest("FZ501", "乙", "丙", "丁")
    assert fp == bl.fingerprint(diag(6), "\n\n" + text)                       # moved down
    assert fp == bl.fingerprint(diag(4), "其他\n\n乙\n 丙 \n丁\n")            # far lines, spaces
    assert fp == bl.fingerprint(diag(4, message="另一条消息"), text)          # message not hashed
    assert fp != bl.fingerprint(diag(4, "FZ502"), text)
    assert fp != bl.fingerprint(diag(4), text.replace("丙", "丙丙"))
    assert fp != bl.fingerprint(diag(4), text.replace("丁", "戊"))            # the neighbours count
    assert bl.fingerprint(diag(1), "甲\n") == bl._digest("FZ501", "", "甲", "")
    assert bl.fingerprint(diag(9), "甲\n") == bl._digest("FZ501", "甲", "", "")   # past the end
    assert bl.fingerprint(diag(1, "FZ901", "无法读取：文件不存在"), None) == \
        bl._digest("FZ901", "无法读取：文件不存在")


def test_filter_and_stale_in_process(registry, tmp_path):
    result = lint_bytes(REPORT.encode(), "r.txt", registry)
    entries = bl.entries(result, "r.txt")
    assert [e.code for e in entries] == ["FZ501", "FZ203", "FZ105", "FZ501"]
    base = bl.Baseline(tmp_path / "b.json", [*entries, entries[0], bl.Entry("other.txt", "FZ105", "0" * 16)])
    result = lint_bytes(REPORT.encode(), "r.txt", registry)
    base.filter(result, tmp_path / "r.txt")
    assert result.diagnostics == [] and base.dropped == 4
    assert base.stale() == [entries[0]]               # the spare duplicate; other.txt was not checked


def test_dumps_and_load_round_trip(tmp_path):
    entries = [bl.Entry("b.txt", "FZ105", "2" * 16, 9, "缺少"), bl.Entry("a.txt", "FZ501", "1" * 16, 3, "有误")]
    path = tmp_path / "b.json"
    bl.write(path, entries)
    assert bl.load(path).entries == sorted(entries, key=lambda e: e.path)
    bl.write(path, [])
    assert json.loads(path.read_text(encoding="utf-8")) == {"fzlint-baseline": 1, "entries": []}
    assert [p.name for p in tmp_path.iterdir()] == ["b.json"]      # no temporary file left


def test_relative_paths_are_posix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert bl.relative("reports/a.txt", tmp_path) == "reports/a.txt"
    assert bl.relative(tmp_path / "reports" / "a.txt", tmp_path / "sub") == "../reports/a.txt"
    assert bl.relative("a.txt", tmp_path / "x" / "..") == "a.txt"


def test_file_results_without_a_source_hash_their_message():
    result = FileResult("gone.txt", [diag(1, "FZ901", "无法读取（文件不存在）")])
    assert bl.entries(result, "gone.txt")[0].hash == bl._digest("FZ901", "无法读取（文件不存在）")
