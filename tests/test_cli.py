"""The real command line, run as a subprocess: output formats, exit codes, errors."""

import json
import os
import shutil
import subprocess
import sys

import pytest

import forkserver
from conftest import ROOT, SEEDS

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
    assert run.returncode == 0, run.stderr        # warnings and infos only
    assert run.stderr == ""
    assert "\x1b[" not in run.stdout              # plain when piped
    snapshot("cli_check_concise.txt", run.stdout, update_golden)
    assert run.stdout.splitlines()[-1] == "发现 17 个问题：错误 0 个，警告 9 个，提示 8 个（检查了 5 个文件）。"


def test_json_snapshot(update_golden):
    run = fzlint("check", "--format", "json", "seeds")
    assert run.returncode == 0
    data = json.loads(run.stdout)
    assert isinstance(data, list) and len(data) == 17
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
    assert bad.returncode == 2 and bad.stderr.startswith("fzlint: -: 无法读取")


def test_outline_json_contract():
    run = fzlint("outline", "--format", "json", "seeds/004_6e976291b2735034.txt")
    data = json.loads(run.stdout)
    assert list(data) == ["title", "date", "sections"]
    top = data["sections"]
    assert [(s["number"], s["kind"]) for s in top] == [
        ("一", "measures"), ("二", "shortfalls"), ("三", "first_responsible"), ("四", "next_year"), ("五", "other")]
    assert list(top[0]) == ["level", "number", "heading", "line", "kind", "children"]
    assert top[0]["children"][0] == {"level": 2, "number": "一", "heading": "加强法治建设领导", "line": 15,
                                     "kind": None, "children": []}


def test_outline_text():
    run = fzlint("outline", "seeds/003_112b9c6151324e38.txt")
    assert run.returncode == 0
    assert run.stdout.splitlines()[:3] == [
        "标题：大连金普新区卫生健康局2024年度法治政府建设情况报告", "日期：2025-01-14",
        "   6  一 上一年度推进法治政府建设的主要举措和成效  [measures]"]


def test_outline_of_a_missing_file():
    run = fzlint("outline", "nope.txt")
    assert run.returncode == 2 and "nope.txt" in run.stderr and "Traceback" not in run.stderr


def test_explain():
    run = fzlint("explain", "fz202")
    assert run.returncode == 0
    out = run.stdout
    assert out.startswith("FZ202 court-judgements-not-reported")
    assert "依据：" in out and "会触发的例子" in out and "不涉及履行法院生效裁判情况" in out


def test_explain_unknown_rule():
    run = fzlint("explain", "FZ999")
    assert run.returncode == 2 and "FZ999" in run.stderr


def test_rules_table_lists_every_rule(registry):
    run = fzlint("rules")
    assert [line.split("\t")[0] for line in run.stdout.splitlines()] == [r.id for r in registry.rules]


def test_console_script_is_installed():
    exe = shutil.which("fzlint", path=os.path.dirname(sys.executable))
    if exe is None:
        pytest.fail("the fzlint console script is not installed next to this Python")
    run = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and "fzlint" in run.stdout


def test_text_runs_do_not_import_document_libraries():
    """The .docx/.pdf/.html libraries are imported by their readers only (start-up cost)."""
    code = ("import sys\nfrom checker.cli import main\ntry:\n    main(['check', 'seeds'])\n"
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
