"""The real command line, run as a subprocess: output formats, exit codes, errors."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import forkserver
from conftest import ALL_SEEDS, ROOT, SEEDS

GOLDEN = ROOT / "tests" / "golden"
JSON_KEYS = ["path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message"]


def fzlint(*args, cwd=ROOT, timeout=60, stdin: bytes | None = None):
    """``python -m checker ARGS`` in its own process (forked from tests/forkserver.py's server)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "GITHUB_ACTIONS")}
    run = forkserver.run(args, cwd, env, stdin, timeout)
    if stdin is not None:
        return subprocess.CompletedProcess(run.args, run.returncode, run.stdout.decode("utf-8"),
                                           run.stderr.decode("utf-8"))
    return subprocess.CompletedProcess(run.args, run.returncode, forkserver.text(run.stdout),
                                       forkserver.text(run.stderr))


def snapshot(name, actual, update):
    path = GOLDEN / name
    if update:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_concise_snapshot(update_golden):
    run = fzlint("check", "seeds")
    assert run.returncode == 1, run.stderr        # errors: the wrong_cell seeds' (.txt and .docx) only
    assert run.stderr == ""
    assert "\x1b[" not in run.stdout              # plain when piped
    snapshot("cli_check_concise.txt", run.stdout, update_golden)
    assert run.stdout.splitlines()[-1] == "发现 21 个问题：错误 4 个，警告 9 个，提示 8 个（检查了 9 个文件）。"


def test_json_snapshot(update_golden):
    run = fzlint("check", "--format", "json", "seeds")
    assert run.returncode == 1                    # the wrong_cell seeds' errors
    data = json.loads(run.stdout)
    assert isinstance(data, list) and len(data) == 21
    for item in data:
        assert list(item) == JSON_KEYS
        assert item["severity"] in ("error", "warning", "info")
        assert all(isinstance(item[k], int) for k in ("line", "column", "end_line", "end_column"))
    snapshot("cli_check_json.json", run.stdout, update_golden)


def test_json_empty_array_when_clean():
    run = fzlint("check", "--format", "json", "--select", "FZ1,FZ2", "seeds/004_6e976291b2735034.txt")
    assert (run.returncode, json.loads(run.stdout)) == (0, [])


def test_error_findings_exit_1(tmp_path):
    (tmp_path / "draft.txt").write_text("一、主要举措和成效\n全年办理行政许可120件。\n", encoding="utf-8")
    run = fzlint("check", str(tmp_path))
    assert run.returncode == 1
    codes = [line.split(": ")[1].split()[0] for line in run.stdout.splitlines()[:-1]]
    assert {"FZ102", "FZ104", "FZ201"} <= set(codes)


def test_select_and_ignore():
    run = fzlint("check", "--select", "FZ1", "--ignore", "FZ105,sections-out-of-order", "seeds")
    codes = {line.split(": ")[1].split()[0] for line in run.stdout.splitlines()[:-1]}
    assert codes == {"FZ103", "FZ107"}


def test_unknown_rule_selector_is_a_usage_error():
    run = fzlint("check", "--select", "FZ777", "seeds")
    assert run.returncode == 2
    assert "FZ777" in run.stderr and "Traceback" not in run.stderr


def test_bad_files_do_not_stop_the_run(tmp_path):
    shutil.copy(SEEDS[4], tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x80\x81\xff\xfe\x00")
    gbk = tmp_path / "gbk报告 2024.txt"
    gbk.write_bytes(SEEDS[4].read_text(encoding="utf-8").encode("gb18030"))
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")       # named, though not read: FZ904
    run = fzlint("check", str(tmp_path), str(tmp_path / "missing.txt"), str(tmp_path / "old.doc"))
    lines = run.stdout.splitlines()
    assert run.returncode == 1 and "Traceback" not in run.stderr + run.stdout
    assert any("empty.txt:1:1: FZ903" in ln for ln in lines)
    assert any("bad.txt:1:1: FZ902" in ln for ln in lines)
    assert any("missing.txt:1:1: FZ901" in ln for ln in lines)
    assert any("old.doc:1:1: FZ904" in ln for ln in lines)
    # seed 004 gives the same findings whatever its encoding
    assert [ln.split(":", 1)[1] for ln in lines if "good.txt" in ln] == \
        [ln.split(":", 1)[1] for ln in lines if "gbk报告" in ln]
    assert lines[-1].endswith("（检查了 6 个文件）。")


def test_folder_without_reports(tmp_path):
    run = fzlint("check", str(tmp_path))
    assert run.returncode == 0
    assert "没有找到可检查的报告文件" in run.stderr


def test_checked_files_are_never_modified(tmp_path):
    for seed in SEEDS:
        shutil.copy2(seed, tmp_path / seed.name)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    for args in (["check", str(tmp_path)], ["check", "--format", "json", str(tmp_path)],
                 ["outline", str(tmp_path / SEEDS[0].name)]):
        fzlint(*args)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before


def test_stdin_gives_the_findings_of_the_file():
    seed = SEEDS[2]
    from_file = fzlint("check", str(seed.relative_to(ROOT)))
    piped = fzlint("check", "-", "--stdin-filename", str(seed.relative_to(ROOT)),
                   stdin=seed.read_bytes())
    assert piped.returncode == from_file.returncode == 0
    assert piped.stdout == from_file.stdout


def test_stdin_is_read_with_the_reader_of_its_name():
    gbk = SEEDS[3].read_text(encoding="utf-8").encode("gb18030")
    run = fzlint("--verbose", "check", "-", "--stdin-filename", "草稿.txt", stdin=gbk)
    assert run.stdout.startswith("草稿.txt:5:"), run.stdout
    assert "草稿.txt: 格式 txt，编码 gb18030" in run.stderr
    default = fzlint("check", "-", stdin="一、主要举措和成效".encode())
    assert default.stdout.startswith("stdin.txt:")
    old = fzlint("check", "-", "--stdin-filename", "x.doc", stdin=b"abc")
    assert "x.doc:1:1: FZ904" in old.stdout and old.returncode == 1


def test_stdin_usage_errors():
    assert fzlint("check", "-", "seeds", stdin=b"").returncode == 2
    run = fzlint("check", "seeds", "--stdin-filename", "a.txt")
    assert run.returncode == 2 and "--stdin-filename" in run.stderr


def test_verbose_names_each_encoding(tmp_path):
    text = SEEDS[4].read_text(encoding="utf-8")
    for name, data in {"a.txt": text.encode("utf-8"), "b.txt": text.encode("utf-8-sig"),
                       "c.txt": text.encode("gb18030"), "d.txt": text.encode("utf-16")}.items():
        (tmp_path / name).write_bytes(data)
    run = fzlint("-v", "check", str(tmp_path))
    said = [ln.split(": ", 1)[1] for ln in run.stderr.splitlines()]
    assert said == [f"{tmp_path / n}: 格式 txt，编码 {e}" for n, e in
                    [("a.txt", "utf-8"), ("b.txt", "utf-8-sig"), ("c.txt", "gb18030"), ("d.txt", "utf-16")]]


def test_extract_prints_the_checked_text():
    seed = SEEDS[1]
    run = fzlint("extract", str(seed))
    assert run.returncode == 0 and run.stdout == seed.read_text(encoding="utf-8").rstrip("\n") + "\n"
    numbered = fzlint("extract", "-n", str(seed)).stdout.splitlines()
    assert numbered[24].startswith("25\t")
    bad = fzlint("extract", "-", stdin=b"\x80")
    assert bad.returncode == 2 and bad.stderr.startswith("fzlint: -: 无法识别文件编码：")     # as FZ902 says


def test_outline_json_contract():
    run = fzlint("outline", "--format", "json", "seeds/004_6e976291b2735034.txt")
    data = json.loads(run.stdout)
    assert list(data) == ["title", "date", "report_kind", "sections"]
    assert data["report_kind"] == {"pack": "fazhi", "title": "法治政府建设年度报告"}
    top = data["sections"]
    assert [(s["number"], s["kind"]) for s in top] == [
        ("一", "measures"), ("二", "shortfalls"), ("三", "first_responsible"), ("四", "next_year"), ("五", "other")]
    assert list(top[0]) == ["level", "number", "heading", "line", "kind", "kind_by", "children"]
    assert top[0]["kind_by"] == "keywords"
    assert top[0]["children"][0] == {"level": 2, "number": "一", "heading": "加强法治建设领导", "line": 15,
                                     "kind": None, "kind_by": None, "children": []}


def test_outline_says_which_kinds_were_inferred(tmp_path):
    """A heading recognised from its evidence (no keyword of the kind) is marked so in the
    outline, as text and as JSON: the author sees how fzlint read it."""
    report = tmp_path / "r.txt"
    report.write_text("平安县卫生健康局2023年度法治政府建设情况报告\n一、主要举措和成效\n全年办理行政许可120件。\n"
                      "二、短板和弱项\n一是执法力量不够。\n", encoding="utf-8")
    text = fzlint("outline", "--format", "text", str(report)).stdout.splitlines()
    assert text[2:] == ["报告类型：法治政府建设年度报告（规则包 fazhi）",
                        "   2  一 主要举措和成效  [measures]", "   4  二 短板和弱项  [shortfalls（据内容推断）]"]
    data = json.loads(fzlint("outline", "--format", "json", str(report)).stdout)
    assert [s["kind_by"] for s in data["sections"]] == ["keywords", "evidence"]


def test_outline_text():
    run = fzlint("outline", "seeds/003_112b9c6151324e38.txt")
    assert run.returncode == 0
    assert run.stdout.splitlines()[:4] == [
        "标题：大连金普新区卫生健康局2024年度法治政府建设情况报告", "日期：2025-01-14",
        "报告类型：法治政府建设年度报告（规则包 fazhi）",
        "   6  一 上一年度推进法治政府建设的主要举措和成效  [measures]"]


def test_outline_of_a_missing_file():
    run = fzlint("outline", "nope.txt")
    assert run.returncode == 2 and "nope.txt" in run.stderr and "Traceback" not in run.stderr


def test_explain():
    run = fzlint("explain", "fz202")
    assert run.returncode == 0
    out = run.stdout
    # the rule's Chinese title first, then its name (what --select and configuration take)
    assert out.startswith("FZ202 未说明履行法院生效裁判情况\n名称：court-judgements-not-reported")
    assert "依据：" in out and "会触发的例子" in out and "不涉及履行法院生效裁判情况" in out


def test_explain_unknown_rule():
    run = fzlint("explain", "FZ999")
    assert run.returncode == 2 and "FZ999" in run.stderr


def test_rules_table_lists_every_rule(registry):
    run = fzlint("rules")
    rows = [line.split("\t") for line in run.stdout.splitlines()]
    assert [row[0] for row in rows] == [r.id for r in registry.rules]
    # code, Chinese title, name, severity as people read it, citation
    assert [row[1:4] for row in rows] == [[r.title, r.name, r.severity.zh] for r in registry.rules]
    assert all(r.title and not r.title.isascii() for r in registry.rules)
    data = json.loads(fzlint("rules", "--format", "json").stdout)
    assert [d["title"] for d in data] == [r.title for r in registry.rules]


def test_console_script_is_installed():
    exe = shutil.which("fzlint", path=os.path.dirname(sys.executable))
    if exe is None:
        pytest.fail("the fzlint console script is not installed next to this Python")
    run = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and "fzlint" in run.stdout


def test_text_runs_do_not_import_document_libraries():
    """The .docx/.pdf/.html libraries are imported by their readers only (start-up cost)."""
    args = [str(p.relative_to(ROOT)) for p in ALL_SEEDS]     # every text seed, of both kinds, tables included
    code = ("import sys\nfrom checker.cli import main\ntry:\n    main(['check', *" + repr(args) + "])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'pypdf', 'lxml', 'cryptography'}))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         encoding="utf-8", timeout=60)
    assert run.stdout.splitlines()[-1] == "[]", run.stderr


def test_a_folder_of_documents(tmp_path):
    """.docx/.pdf/.html are found in folders, name their places, and broken ones do not stop the run."""
    from builders.html import build_html

    lo = ROOT / "tests" / "data" / "libreoffice"
    shutil.copy(lo / "000_eded0069a967b318.docx", tmp_path / "娄烦 报告.docx")
    shutil.copy(lo / "001_f41aa8fe595c37d2.pdf", tmp_path / "岳阳楼.pdf")
    (tmp_path / "金普.html").write_bytes(build_html(SEEDS[3].read_text(encoding="utf-8"), template="table"))
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "cut.pdf").write_bytes((lo / "000_eded0069a967b318.pdf").read_bytes()[:2000])
    (tmp_path / "notes.doc").write_bytes(b"ignored: not a supported suffix, not named")
    run = fzlint("-v", "check", str(tmp_path))
    assert run.returncode == 1 and "Traceback" not in run.stdout + run.stderr
    out = run.stdout.splitlines()
    assert any(ln.startswith(f"{tmp_path / '娄烦 报告.docx'}:9:1: FZ106") and ln.endswith("[第9段]") for ln in out)
    assert any(ln.startswith(f"{tmp_path / '岳阳楼.pdf'}:") and " FZ202 " in ln and ln.endswith("页第4行]")
               for ln in out)
    assert any(ln.startswith(f"{tmp_path / '金普.html'}:") and " FZ501 " in ln and "[HTML第" in ln for ln in out)
    assert any(f"{tmp_path / 'broken.docx'}:1:1: FZ907" in ln for ln in out)
    assert any(f"{tmp_path / 'cut.pdf'}:1:1: FZ907" in ln for ln in out)
    assert not any("notes.doc" in ln for ln in out)
    assert out[-1].endswith("（检查了 5 个文件）。")
    said = run.stderr.splitlines()
    assert any("娄烦 报告.docx: 格式 docx，57 段" in ln for ln in said)
    assert any("金普.html: 格式 html，编码 gb18030" in ln for ln in said)


# --- Messages: what is wrong, in Chinese, one line (issue 16) ----------------------------------

LIBREOFFICE = ROOT / "tests" / "data" / "libreoffice"
ENGLISH = re.compile(r"Usage:|Error:|Try '|Invalid value|Missing (argument|option|parameter)|No such|"
                     r"Got unexpected|requires an argument|does not take|is not one of|not in the range|"
                     r"No such file or directory|Permission denied|Unclosed|\(at line")


# Usage errors stop before any file is read: the cases below run in one Python process (a
# subprocess running checker.cli.main once per case), not one process each.
_DRIVER = """
import contextlib, io, json, sys
from checker.cli import main
results = []
for args in json.loads(sys.stdin.read()):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code
    results.append([code, out.getvalue(), err.getvalue()])
sys.stdout.write(json.dumps(results))
"""
USAGE_CASES: list[list[str]] = []


def usage_case(args: list[str]) -> list[str]:
    USAGE_CASES.append(args)
    return args


@pytest.fixture(scope="module")
def usage_runs(tmp_path_factory) -> dict[tuple[str, ...], subprocess.CompletedProcess]:
    out = str(tmp_path_factory.mktemp("usage") / "out")
    cases = [[a.replace("{out}", out) for a in args] for args in USAGE_CASES]
    run = subprocess.run([sys.executable, "-c", _DRIVER], cwd=ROOT, input=json.dumps(cases), capture_output=True,
                         text=True, encoding="utf-8", timeout=120)
    assert run.returncode == 0, run.stderr
    return {tuple(args): subprocess.CompletedProcess(args, code, stdout, stderr)
            for args, (code, stdout, stderr) in zip(USAGE_CASES, json.loads(run.stdout))}


def one_chinese_line(run, code: int = 2) -> str:
    """The run's stderr: one line, starting `fzlint: `, Chinese, no English from click or the OS."""
    assert run.returncode == code, (run.returncode, run.stdout, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("fzlint: "), run.stderr
    assert re.search(r"[\u4e00-\u9fff]", lines[0]) and not ENGLISH.search(lines[0]), lines[0]
    assert "Traceback" not in run.stdout + run.stderr
    return lines[0]


@pytest.mark.parametrize("name,says", [
    ("nonexist", "文件或文件夹不存在"),          # no suffix: was FZ904 "暂不支持的文件格式：(无扩展名)"
    ("nonexist/", "文件夹不存在"),
    ("nonexist.doc", "文件不存在"),              # a missing file is missing, whatever its suffix
    ("nonexist.txt", "文件不存在"),
])
def test_a_missing_path_says_it_does_not_exist(tmp_path, name, says):
    run = fzlint("check", name, cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.splitlines()[0] == f"{name}:1:1: FZ901 [错误] 无法读取文件：{says}"


@pytest.mark.parametrize("command", ["outline", "extract"])
def test_outline_and_extract_say_what_is_wrong_with_the_path(tmp_path, command):
    shutil.copy(SEEDS[0], tmp_path / "报告.txt")
    (tmp_path / "notes.toml").write_text("a = 1\n", encoding="utf-8")
    folder = one_chinese_line(fzlint(command, ".", cwd=tmp_path))
    assert folder == (f"fzlint: . 是文件夹；fzlint {command} 一次只读一个文件，请指定其中的一个报告文件，"
                      f"如 fzlint {command} 报告.txt")
    assert one_chinese_line(fzlint(command, "nope", cwd=tmp_path)) == "fzlint: nope: 无法读取文件：文件或文件夹不存在"
    assert one_chinese_line(fzlint(command, "notes.toml", cwd=tmp_path)) == \
        "fzlint: notes.toml: 暂不支持的文件格式：.toml"
    assert "--stdin-filename" in one_chinese_line(fzlint(command, "报告.txt", "--stdin-filename", "a.txt",
                                                         cwd=tmp_path))
    (tmp_path / "empty").mkdir()
    assert "该文件夹中没有可读取的报告文件" in one_chinese_line(fzlint(command, "empty", cwd=tmp_path))


def test_outline_and_extract_take_max_file_size(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(SEEDS[0].read_bytes() + b"\n" + "推进依法行政。".encode() * 200_000)   # ~4 MB
    said = one_chinese_line(fzlint("extract", str(big), "--max-file-size", "1MB"))
    assert "文件过大，未读取" in said and "--max-file-size" in said       # the option it names exists
    assert fzlint("extract", str(big), "--max-file-size", "10MB").returncode == 0


@pytest.mark.parametrize("args,both", [
    (usage_case(["check", "--summary", "--format", "json", "seeds"]), ("--summary", "--format json")),
    (usage_case(["check", "--summary", "--format", "concise", "seeds"]), ("--summary", "--format concise")),
    (usage_case(["check", "--statistics", "--format", "sarif", "seeds"]), ("--statistics", "--format sarif")),
    (usage_case(["check", "--statistics", "--format", "csv", "seeds"]), ("--statistics", "--format csv")),
    (usage_case(["check", "--summary", "--statistics", "seeds"]), ("--summary", "--statistics")),
    (usage_case(["check", "--sort", "errors", "seeds"]), ("--sort", "--summary")),
    (usage_case(["check", "--only-failing", "seeds"]), ("--only-failing", "--summary")),
    (usage_case(["check", "--statistics", "--sort", "errors", "seeds"]), ("--sort", "--summary")),
])
def test_conflicting_options_are_a_usage_error(usage_runs, args, both):
    said = one_chinese_line(usage_runs[tuple(args)])
    assert all(name in said for name in both), said


@pytest.mark.parametrize("args", [
    ["--summary", "--format", "json", "-o", "{out}"],       # the report to a file, the matrix on the terminal
    ["--summary", "--format", "csv", "--sort", "errors"],
    ["--format", "csv", "--only-failing", "-o", "{out}"],
    ["--statistics", "--format", "junit", "-o", "{out}"],
])
def test_options_that_work_together_still_do(tmp_path, args):
    run = fzlint("check", *[a.replace("{out}", str(tmp_path / "out")) for a in args], "seeds")
    assert run.returncode == 1 and run.stderr == "", run.stderr     # 1: the wrong_cell seeds' errors; not 2


def test_full_format_into_a_file_is_the_full_format(tmp_path):
    out = tmp_path / "f.txt"
    run = fzlint("check", "--format", "full", "-o", str(out), "--select", "FZ501", str(SEEDS[3]))
    assert run.returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "= 帮助：fzlint explain FZ501" in text and "^^^" in text and "\x1b[" not in text
    assert "= 帮助" not in run.stdout            # the terminal gets the concise view (a pipe here)


def test_explain_takes_a_rule_name():
    by_name = fzlint("explain", "court-judgements-not-reported")
    assert by_name.returncode == 0 and by_name.stdout == fzlint("explain", "FZ202").stdout


@pytest.mark.parametrize("args,hint", [
    (usage_case(["explain", "court-judgement"]),
     "fzlint: 没有规则 court-judgement（是否应为 court-judgements-not-reported？）"),
    (usage_case(["explain", "FZ5O1"]), "fzlint: 没有规则 FZ5O1（是否应为 FZ501？）"),
    (usage_case(["check", "--ignore", "FZ5O1", "seeds"]), "fzlint: 未知的规则或规则前缀：FZ5O1（是否应为 FZ501？）"),
    (usage_case(["check", "--select", "FZ5O1", "seeds"]), "fzlint: 未知的规则或规则前缀：FZ5O1（是否应为 FZ501？）"),
    (usage_case(["check", "--extend-select", "court-judgement", "seeds"]),
     "fzlint: 未知的规则或规则前缀：court-judgement（是否应为 court-judgements-not-reported？）"),
    (usage_case(["report", "--ignore", "FZ5O1", "-o", "{out}", "seeds"]),
     "fzlint: 未知的规则或规则前缀：FZ5O1（是否应为 FZ501？）"),
])
def test_a_mistyped_rule_gets_the_likely_one(usage_runs, args, hint):
    assert one_chinese_line(usage_runs[tuple(args)]) == hint


@pytest.mark.parametrize("key", ["select", "ignore", "extend-select"])
def test_a_mistyped_rule_in_a_configuration_gets_the_likely_one(tmp_path, key):
    (tmp_path / "fzlint.toml").write_text(f'{key} = ["FZ5O1"]\n', encoding="utf-8")
    shutil.copy(SEEDS[0], tmp_path / "r.txt")
    said = one_chinese_line(fzlint("check", "r.txt", cwd=tmp_path))
    assert said.endswith(f"fzlint.toml: {key}: 未知的规则或规则前缀：FZ5O1（是否应为 FZ501？）"), said


@pytest.mark.parametrize("name,says", [
    ("000_eded0069a967b318.docx",
     "标准输入的内容是 Word 文档（.docx），不是文本；请用 --stdin-filename 报告.docx 指明格式"),
    ("000_eded0069a967b318.pdf", "标准输入的内容是 PDF 文件，不是文本；请用 --stdin-filename 报告.pdf 指明格式"),
])
def test_a_document_piped_in_without_its_name_says_how_to_name_it(name, says):
    data = (LIBREOFFICE / name).read_bytes()
    run = fzlint("check", "-", stdin=data)
    assert run.returncode == 1
    assert run.stdout.splitlines()[0] == f"stdin.txt:1:1: FZ907 [错误] 文件已损坏或格式与扩展名不符：{says}"
    assert one_chinese_line(fzlint("extract", "-", stdin=data)) == f"fzlint: -: 文件已损坏或格式与扩展名不符：{says}"
    named = fzlint("check", "-", "--stdin-filename", "报告" + Path(name).suffix, stdin=data)
    assert " FZ907 " not in named.stdout and "检查了 1 个文件" in named.stdout      # and so it is read


def test_a_document_named_as_text_says_what_it_is(tmp_path):
    shutil.copy(LIBREOFFICE / "000_eded0069a967b318.pdf", tmp_path / "报告.txt")
    (tmp_path / "旧.md").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    (tmp_path / "包.txt").write_bytes(b"PK\x03\x04" + bytes(100))
    out = fzlint("check", ".", cwd=tmp_path).stdout.splitlines()
    assert "报告.txt:1:1: FZ907 [错误] 文件已损坏或格式与扩展名不符：" \
           "文件内容是 PDF 文件，扩展名却是 .txt；请把扩展名改为 .pdf" in out
    assert any(ln.startswith("旧.md:1:1: FZ904 [错误] 暂不支持的文件格式：文件内容是旧版 Office 文件") for ln in out)
    assert "包.txt:1:1: FZ904 [错误] 暂不支持的文件格式：" \
           "文件内容是 ZIP 压缩包，fzlint 暂不支持；请解压后检查其中的报告文件" in out


@pytest.mark.parametrize("args,says", [
    (usage_case(["check"]),
     "fzlint: 缺少参数 PATHS（要检查的文件或文件夹，`-` 为标准输入）；用法见 fzlint check --help"),
    (usage_case(["explain"]), "fzlint: 缺少参数 CODE（规则代码或名称，如 FZ202）；用法见 fzlint explain --help"),
    (usage_case(["check", "--fail-on", "warn", "seeds"]),
     "fzlint: 选项 --fail-on：“warn”无效，可选：error、warning、info；用法见 fzlint check --help"),
    (usage_case(["rules", "--format", "x"]),
     "fzlint: 选项 --format：“x”无效，可选：auto、text、json、markdown；用法见 fzlint rules --help"),
    (usage_case(["check", "-j", "-1", "seeds"]),
     "fzlint: 选项 --jobs/-j：“-1”无效，应为不小于 0 的整数；用法见 fzlint check --help"),
    (usage_case(["check", "--nope", "seeds"]),
     "fzlint: 没有选项 --nope（是否应为 --ignore、--no-cache？）；用法见 fzlint check --help"),
    (usage_case(["check", "--format"]), "fzlint: 选项 --format 后面缺少值；用法见 fzlint check --help"),
    (usage_case(["check", "--summary=yes", "seeds"]), "fzlint: 选项 --summary 不接受值；用法见 fzlint check --help"),
    (usage_case(["chek", "seeds"]), "fzlint: 没有命令 chek（是否应为 check？）；用法见 fzlint --help"),
    (usage_case(["explain", "FZ101", "FZ102"]), "fzlint: 多余的参数：FZ102；用法见 fzlint explain --help"),
    (usage_case(["report", "seeds"]), "fzlint: 缺少选项 --output/-o；用法见 fzlint report --help"),
    (usage_case(["check", "-o", "seeds", "seeds"]),
     "fzlint: 选项 --output-file/-o：“seeds”是文件夹，应为文件；用法见 fzlint check --help"),
])
def test_usage_errors_are_one_chinese_line(usage_runs, args, says):
    assert one_chinese_line(usage_runs[tuple(args)]) == says


VERSION = usage_case(["--version"])


def test_version_is_not_english(usage_runs):
    run = usage_runs[tuple(VERSION)]
    assert run.returncode == 0 and re.fullmatch(r"fzlint \S+\n", run.stdout), run.stdout


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_writing_into_a_missing_folder_says_so_in_chinese(tmp_path, option):
    target = tmp_path / "nodir" / "out.json"
    said = one_chinese_line(fzlint("check", option, str(target), "seeds"))
    assert f"所在文件夹 {tmp_path / 'nodir'} 不存在" in said, said


@pytest.mark.parametrize("toml,says", [
    ('select = ["FZ1"\n', "TOML 语法错误：第 1 行（文件末尾）：列表没有闭合（缺少“]”，或元素之间缺少逗号）"),
    ('select = ["FZ1"\nignore = ["FZ105"]\n',
     "TOML 语法错误：第 2 行第 1 列：列表没有闭合（缺少“]”，或元素之间缺少逗号）"),
    ('select = ["FZ1"]\nselect = ["FZ2"]\n', "TOML 语法错误：第 2 行第 17 列：键重复（同一个键只能赋值一次）"),
    ('rule-packs = ["C:\\quarterly"]\n', "TOML 语法错误：第 1 行第 20 列：字符串中的反斜杠“\\”没有转义"),
    ("select = FZ1\n", "TOML 语法错误：第 1 行第 10 列：无效的值"),
    ("[severity\n", "TOML 语法错误：第 1 行第 10 列：表名缺少“]”"),
])
def test_toml_errors_have_a_line_number_in_chinese(tmp_path, toml, says):
    (tmp_path / "fzlint.toml").write_text(toml, encoding="utf-8")
    shutil.copy(SEEDS[0], tmp_path / "r.txt")
    said = one_chinese_line(fzlint("check", "--config", "fzlint.toml", "r.txt", cwd=tmp_path))
    assert said.startswith(f"fzlint: 配置错误：fzlint.toml: {says}"), said


def test_a_control_character_from_a_configuration_stays_on_its_line(tmp_path):
    (tmp_path / "fzlint.toml").write_text('rule-packs = ["C:\\rules"]\n', encoding="utf-8")   # TOML's \r: a CR
    shutil.copy(SEEDS[0], tmp_path / "r.txt")
    said = one_chinese_line(fzlint("check", "r.txt", cwd=tmp_path))
    assert "规则包目录" in said and "C:\\rules" in said, said


def test_a_damaged_baseline_is_named_in_chinese(tmp_path):
    (tmp_path / "b.json").write_text('{"fzlint-baseline": 1,\n "entries": [}\n', encoding="utf-8")
    said = one_chinese_line(fzlint("check", "--baseline", str(tmp_path / "b.json"), "seeds"))
    assert "不是有效的 JSON（第 2 行第 14 列：此处应为一个值）" in said, said


def test_explain_shows_no_placeholders_or_english_example_names(registry):
    """A rule's explanation: its message with named placeholders (every placeholder of every
    rule has a name), examples as 例1, 例2…, each firing one with the finding it really gets."""
    from checker.reporters.rules_doc import explain, message_template

    for rule in registry.rules:
        template = message_template(rule.message)
        assert "{" not in template and "〈…〉" not in template, (rule.id, template)
    for code in ("FZ202", "FZ305", "FZ901", "FZ902", "FZ904", "FZ505"):   # text, missing file, bytes, file names
        rule = registry.rule(code)
        out = explain(rule, registry)          # what `fzlint explain` prints (test below)
        assert not re.search(r"\{\w+\}", out), (rule.id, out)
        for case in rule.tests:
            assert case["name"] not in out
        cases = len(rule.tests)
        assert [int(n) for n in re.findall(r"^  例(\d+)", out, re.MULTILINE)] == list(range(1, cases + 1))
        firing = sum(len(c["want"]) for c in rule.tests)
        assert len(re.findall(r"^    → 第 \d+ 行第 \d+ 列：", out, re.MULTILINE)) == firing, (rule.id, out)


def test_explain_fills_the_message_of_a_firing_example():
    out = fzlint("explain", "FZ305").stdout
    assert "提示信息：报告的是〈报告年度〉年度，成文日期却是〈成文日期〉，年份与报告年度不符" in out
    assert "→ 第 5 行第 1 列：报告的是2022年度，成文日期却是2024年1月10日，年份与报告年度不符" in out


def test_report_names_a_missing_path(tmp_path):
    page = tmp_path / "r.html"
    fzlint("report", "nonexist", "-o", str(page), cwd=tmp_path)
    assert "文件或文件夹不存在" in page.read_text(encoding="utf-8")


def test_force_exclude_skips_what_a_folder_walk_skips(tmp_path):
    """Named files are checked whatever they are (FZ904 for an image); --force-exclude (the
    pre-commit hook's entry) skips those a folder's walk skips: other formats, hidden files and
    README-like files, which walking a folder skips too."""
    shutil.copy(SEEDS[4], tmp_path / "report.txt")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "表.xlsx").write_bytes(b"PK\x03\x04")
    # a README in the reports' own words: checked as a report, it fails
    (tmp_path / "README.md").write_text("# 法治政府建设年度报告\n本目录存放依法撰写的各年度法治政府建设情况报告。\n",
                                        encoding="utf-8")
    (tmp_path / "CHANGELOG.txt").write_text("2024年3月 新增法治政府建设报告\n", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("", encoding="utf-8")
    names = ["report.txt", "logo.png", "表.xlsx", "README.md", "CHANGELOG.txt", ".draft.txt"]
    named = fzlint("check", *names, cwd=tmp_path)
    assert named.returncode == 1
    assert {ln.split(":")[0] for ln in named.stdout.splitlines()[:-1]} == set(names)
    hook = fzlint("check", "--force-exclude", *names, cwd=tmp_path)
    assert hook.returncode == 0 and hook.stderr == ""
    assert {ln.split(":")[0] for ln in hook.stdout.splitlines()[:-1]} == {"report.txt"}
    assert hook.stdout.splitlines()[-1].endswith("（检查了 1 个文件）。")
    walked = fzlint("check", ".", cwd=tmp_path)
    assert walked.returncode == 0 and walked.stdout == hook.stdout
    nothing = fzlint("check", "--force-exclude", "logo.png", "README.md", cwd=tmp_path)
    assert nothing.returncode == 0 and nothing.stderr == "" and nothing.stdout == "未发现问题（检查了 0 个文件）。\n"
