"""`fzlint check --format full|sarif|github|junit`, `auto` and `--output-file`.

Each format has a CLI snapshot over the seeds (regenerate with `--update-golden` and review the
diff) and unit tests of what a snapshot of the seeds cannot show: wide characters and tabs
under the marker, spans across lines, escaping, schema validity.
"""

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from checker.diagnostics import Diagnostic, Severity, Span
from checker.lint import FileResult, lint_path
from checker.reporters import resolve_format
from checker.reporters.full import FullReporter, cell_width, render_plain
from checker.reporters.github import GithubReporter, command, escape_data, escape_property
from checker.reporters.junit import JunitReporter
from checker.reporters.sarif import SarifReporter, artifact_location
from checker.reporters.summary import Tally
from checker.sources import Source

import forkserver
from conftest import ROOT, SEED_FILES, SEEDS
from test_cli import GOLDEN, fzlint, snapshot

SARIF_SCHEMA = ROOT / "tests" / "data" / "schemas" / "sarif-schema-2.1.0.json"   # OASIS SARIF 2.1.0
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SRCROOT_PLACEHOLDER = "file:///SRCROOT/"


def run_env(*args, env_add=None, env_drop=("FORCE_COLOR", "NO_COLOR", "GITHUB_ACTIONS"), cwd=ROOT):
    """fzlint as a subprocess with the environment under the test's control."""
    env = {k: v for k, v in os.environ.items() if k not in env_drop}
    env.update(env_add or {})
    run = forkserver.run(args, cwd, env)
    return subprocess.CompletedProcess(run.args, run.returncode, forkserver.text(run.stdout),
                                       forkserver.text(run.stderr))


def diag(span=(1, 1, 1, 1), *, path="a.txt", code="FZ501", name="misnamed-supervision-regulation",
         severity=Severity.WARNING, message="法规名称有误", where=None) -> Diagnostic:
    return Diagnostic(path, Span(*span), code, name, severity, message, where)


def result_of(text: str, *diagnostics: Diagnostic, path="a.txt") -> FileResult:
    return FileResult(path, list(diagnostics), source=Source(path, text, "utf-8", "txt"))


def run_reporter(reporter, *results: FileResult) -> str:
    tally = Tally()
    for r in results:
        tally.add(r.diagnostics)
        reporter.file(r)
    reporter.finish(tally)
    return reporter.out.getvalue() if hasattr(reporter, "out") else ""


def json_findings() -> list[dict]:
    return json.loads((GOLDEN / "cli_check_json.json").read_text(encoding="utf-8"))


# The human formats end a finding in a Word file, PDF or web page with its place in the
# original ([表格2第6行]); JSON's message has none (SARIF: properties.place).
PLACE = re.compile(r" \[[^\[\]]+\]$")


def without_place(path: str, text: str) -> str:
    return text if path.endswith((".txt", ".md")) else PLACE.sub("", text)


# -- full ---------------------------------------------------------------------------------

def test_full_snapshot(update_golden):
    run = fzlint("check", "--format", "full", "seeds")
    assert run.returncode == 1, run.stderr        # the wrong_cell seeds' errors
    assert run.stderr == "" and "\x1b[" not in run.stdout
    snapshot("cli_check_full.txt", run.stdout, update_golden)
    # every finding's header is its concise line; the summary comes last
    concise = (GOLDEN / "cli_check_concise.txt").read_text(encoding="utf-8").splitlines()
    headers = [ln for ln in run.stdout.splitlines() if ln.startswith("seeds/")]
    assert headers == concise[:-1]
    assert run.stdout.splitlines()[-1] == concise[-1]
    assert run.stdout.count("= 帮助：fzlint explain FZ") == len(headers)


def test_full_marker_under_chinese_characters_and_a_tab():
    line = "一、\t主要举措“和”成效：“责任落实督查”工作"
    d = diag((1, 15, 1, 21))              # 责任落实督查: code points 15-20
    out = render_plain(d, [line])
    assert out[0] == "a.txt:1:15: FZ501 [警告] 法规名称有误"
    # 一、 4 cells, the tab to cell 8, 主要举措 8, “ 1, 和 2, ” 1, 成效 4, ： 2, “ 1: 27 cells before 责
    assert out[1:] == ["  |",
                       "1 | 一、    主要举措“和”成效：“责任落实督查”工作",
                       "  | " + " " * 27 + "^" * 12,
                       "  |",
                       "  = 帮助：fzlint explain FZ501"]
    text_row, marker_row = out[2], out[3]
    assert cell_width(text_row.split("责")[0]) == cell_width(marker_row.split("^")[0])


def test_full_tab_expands_to_the_next_stop_of_four_cells():
    # "一、" is 4 cells, so the tab takes 4; "abc" is 3 cells, so its tab takes 1
    out = render_plain(diag((1, 4, 1, 5)), ["一、\t主"])
    assert out[2:4] == ["1 | 一、    主", "  |         ^^"]
    out = render_plain(diag((1, 5, 1, 6)), ["abc\t主"])
    assert out[2:4] == ["1 | abc 主", "  |     ^^"]


def test_full_span_across_lines():
    lines = ["一、主要举措和成效", "第二行", "第三行", "（一）依法行政。"]
    two = render_plain(diag((1, 3, 2, 3)), lines)
    assert two[1:8] == ["  |",
                        "1 | 一、主要举措和成效",
                        "  |     ^^^^^^^^^^^^^^",       # from 主 to the end of line 1
                        "2 | 第二行",
                        "  | ^^^^",                     # 第二, the end is exclusive
                        "  |",
                        "  = 帮助：fzlint explain FZ501"]
    four = render_plain(diag((1, 3, 4, 4)), lines)
    assert four[2:8] == ["1 | 一、主要举措和成效", "  |     ^^^^^^^^^^^^^^", "...",
                         "4 | （一）依法行政。", "  | ^^^^^^", "  |"]
    # a span ending at column 1 of the next line ends with its first line
    assert render_plain(diag((2, 1, 3, 1)), lines)[2:4] == ["2 | 第二行", "  | ^^^^^^"]


def test_full_long_line_is_cut_around_the_span():
    line = "甲" * 100 + "督查" + "乙" * 100
    out = render_plain(diag((1, 101, 1, 103)), [line])
    text, marker = out[2][4:], out[3][4:]
    assert text.startswith("...甲") and text.endswith("乙...")
    assert cell_width(text) <= 80 + 6
    pad = len(marker) - len(marker.lstrip(" "))
    assert cell_width(text.split("督查")[0]) == pad and marker.strip() == "^^^^"


def test_full_control_characters_cannot_reach_the_terminal():
    out = render_plain(diag((1, 1, 1, 2)), ["\x1b[31m红\u202e字"])
    assert "\x1b" not in "\n".join(out) and "\u202e" not in "\n".join(out)
    assert out[2] == "1 | \u241b[31m红字"


def test_full_file_level_finding_on_an_empty_file(tmp_path, registry):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = lint_path(tmp_path / "empty.txt", registry, display="empty.txt")
    assert [d.code for d in result.diagnostics] == ["FZ903"]
    out = run_reporter(FullReporter(io.StringIO()), result)
    assert out == ("empty.txt:1:1: FZ903 [错误] 文件没有任何文字内容\n"
                   "  |\n"
                   "1 |\n"
                   "  | ^\n"
                   "  |\n"
                   "  = 帮助：fzlint explain FZ903\n"
                   "\n"
                   "发现 1 个问题：错误 1 个，警告 0 个，提示 0 个（检查了 1 个文件）。\n")


def test_full_finding_without_source_text_has_no_snippet(tmp_path, registry):
    result = lint_path(tmp_path / "missing.txt", registry, display="missing.txt")
    out = run_reporter(FullReporter(io.StringIO()), result).splitlines()
    assert out[:2] == ["missing.txt:1:1: FZ901 [错误] 无法读取文件：文件不存在", "  = 帮助：fzlint explain FZ901"]


def test_full_names_the_place_in_the_original():
    d = diag((2, 1, 2, 3), where="第3页第5行")
    assert render_plain(d, ["x", "督查"])[0] == "a.txt:2:1: FZ501 [警告] 法规名称有误 [第3页第5行]"


def test_full_colour_is_the_same_text_with_ansi_codes(registry):
    result = lint_path(SEEDS[3], registry)
    plain = run_reporter(FullReporter(io.StringIO()), result)
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="standard", width=60, highlight=False)
    run_reporter(FullReporter(buf, color=True, console=console), result)
    coloured = buf.getvalue()
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == plain
    # FullReporter.to(color=True) styles even a file object (the CLI decided on colour); how
    # many colours rich uses depends on TERM, the text does not
    out = io.StringIO()
    run_reporter(FullReporter.to(out, color=True), result)
    assert ANSI.sub("", out.getvalue()) == plain


# -- the severity on every finding line ----------------------------------------------------

ZH = {"error": "错误", "warning": "警告", "info": "提示"}
# a problem matcher for the finding lines (VS Code, CI log parsers): prefix, severity, message
MATCHER = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>FZ[A-Z]?\d{3}) "
                     r"\[(?P<sev>错误|警告|提示)\] (?P<msg>.+)$")


def test_every_human_format_says_the_severity_on_every_finding_line(tmp_path):
    """An author whose commit is blocked sees which lines block it: concise (pipes, hooks),
    full and the terminal views (whose headers are the concise lines), junit (one failure per
    file listing every finding), github (the annotation's level); the `path:line:col: CODE`
    prefix problem matchers read is unchanged."""
    (tmp_path / "draft.txt").write_text("一、主要举措和成效\n全年办理行政许可120件。\n", encoding="utf-8")
    paths = ["seeds", str(tmp_path / "draft.txt")]            # warnings and infos, and errors
    findings = json.loads(run_env("check", "--format", "json", *paths).stdout)
    assert {f["severity"] for f in findings} == {"error", "warning", "info"}
    want = [(f["path"], str(f["line"]), str(f["column"]), f["code"], ZH[f["severity"]], f["message"])
            for f in findings]
    concise = run_env("check", "--format", "concise", *paths).stdout.splitlines()[:-1]
    got = [MATCHER.match(ln).groups() for ln in concise]
    assert [(*g[:5], without_place(g[0], g[5])) for g in got] == want
    full = [ln for ln in run_env("check", "--format", "full", *paths).stdout.splitlines() if MATCHER.match(ln)]
    assert full == concise
    junit = ET.fromstring(run_env("check", "--format", "junit", *paths).stdout.encode("utf-8"))
    listed = [without_place(c.get("name"), ln) for c in junit.iter("testcase") for f in c.iter("failure")
              for ln in f.text.splitlines()]
    assert listed == [f"{f['line']}:{f['column']} {f['code']} [{ZH[f['severity']]}] {f['message']}" for f in findings]
    levels = {"error": "::error ", "warning": "::warning ", "notice": "::notice "}
    github = [ln for ln in run_env("check", "--format", "github", *paths).stdout.splitlines() if ln.startswith("::")]
    assert [next(k for k, v in levels.items() if ln.startswith(v)) for ln in github] == \
        [{"info": "notice"}.get(f["severity"], f["severity"]) for f in findings]
    # the terminal views: the same text, the severity coloured like the code
    result = result_of("督查", diag(severity=Severity.ERROR))
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="standard", width=200, highlight=False)
    run_reporter(FullReporter(buf, color=True, console=console), result)
    assert "\x1b[1;31mFZ501\x1b[0m\x1b[1;31m [错误]\x1b[0m" in buf.getvalue()


# -- sarif --------------------------------------------------------------------------------

def _sarif_run():
    run = fzlint("check", "--format", "sarif", "seeds")
    assert run.returncode == 1, run.stderr        # the wrong_cell seeds' errors
    assert run.stderr == ""
    return run.stdout


def test_sarif_snapshot(update_golden):
    out = _sarif_run()
    root_uri = ROOT.as_uri() + "/"
    assert f'"uri": "{root_uri}"' in out
    snapshot("cli_check_sarif.json", out.replace(root_uri, SRCROOT_PLACEHOLDER), update_golden)


def test_sarif_is_valid_and_says_what_json_says(registry):
    log = json.loads(_sarif_run())
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    findings = json_findings()
    assert len(run["results"]) == len(findings)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for res, f in zip(run["results"], findings):
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": f["path"], "uriBaseId": "%SRCROOT%"}
        assert loc["region"] == {"startLine": f["line"], "startColumn": f["column"],
                                 "endLine": f["end_line"], "endColumn": f["end_column"]}
        place = res.get("properties", {}).get("place")
        assert res["ruleId"] == f["code"]
        assert res["message"]["text"] == f["message"] + (f" [{place}]" if place else "")
        assert bool(place) == f["path"].endswith(".docx")       # the seeds: text files and two Word files
        assert res["level"] == levels[f["severity"]]
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]


def test_sarif_rules_are_the_registry(registry):
    driver = json.loads(_sarif_run())["runs"][0]["tool"]["driver"]
    from checker import __version__

    assert (driver["name"], driver["version"]) == ("fzlint", __version__)
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.id for r in registry.rules]
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for sr, rule in zip(rules, registry.rules):
        assert sr["name"] == rule.name
        assert sr["defaultConfiguration"]["level"] == levels[rule.severity]
        assert sr["fullDescription"]["text"] == rule.rationale.replace("\n", "")
        assert sr["help"]["text"].startswith((f"依据：{rule.citation_text}", "实务要求："))
        assert rule.citation_text in sr["help"]["text"]
        assert "{" not in sr["shortDescription"]["text"]
        assert (sr["properties"]["pack"], sr["properties"]["check"]) == (rule.pack, rule.check)
        assert sr["properties"]["citation"] == rule.citation_text


def test_sarif_locations(tmp_path):
    cwd = tmp_path / "repo"
    assert artifact_location("seeds/报告 #1%.txt", cwd) == {
        "uri": "seeds/%E6%8A%A5%E5%91%8A%20%231%25.txt", "uriBaseId": "%SRCROOT%"}
    assert artifact_location(str(cwd / "a" / "b.txt"), cwd) == {"uri": "a/b.txt", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("a:b.txt", cwd)["uri"] == "a%3Ab.txt"      # not a URI scheme
    outside = tmp_path / "elsewhere" / "c.txt"
    assert artifact_location(str(outside), cwd) == {"uri": outside.as_uri()}
    assert artifact_location("../elsewhere/c.txt", cwd) == {"uri": outside.as_uri()}


def test_sarif_result_names_the_place_and_an_unknown_rule(registry, tmp_path):
    out = io.StringIO()
    reporter = SarifReporter(out, registry, cwd=tmp_path)
    d = diag((3, 2, 4, 5), where="第12段", path="报告.docx")
    extra = diag(code="FZ999", name="house-rule", severity=Severity.INFO)
    run_reporter(reporter, result_of("x", d, extra))
    log = json.loads(out.getvalue())
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    first, second = log["runs"][0]["results"]
    assert first["message"]["text"] == "法规名称有误 [第12段]"
    assert first["properties"] == {"place": "第12段"}
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 2, "endLine": 4, "endColumn": 5}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[second["ruleIndex"]] == {"id": "FZ999", "name": "house-rule"}
    assert second["level"] == "note"


# -- github -------------------------------------------------------------------------------

def test_github_snapshot(update_golden):
    run = fzlint("check", "--format", "github", "seeds")
    assert run.returncode == 1 and run.stderr == ""     # the wrong_cell seeds' errors
    snapshot("cli_check_github.txt", run.stdout, update_golden)
    lines = run.stdout.splitlines()
    assert len(lines) == len(json_findings()) + 1
    assert all(ln.startswith(("::warning ", "::notice ", "::error ")) for ln in lines[:-1])
    assert lines[-1].startswith("发现 21 个问题")


def test_github_escaping():
    assert escape_data("50%\r\n::x") == "50%25%0D%0A::x"
    assert escape_property("a,b:c%d\n") == "a%2Cb%3Ac%25d%0A"
    d = diag((2, 3, 2, 7), path="目录,1/报告:终稿%.txt", message="完成率 50%\n::error::注入, 冒号: 仍是消息",
             name="x-y")
    assert command(d, Path("/nowhere")) == (
        "::warning file=目录%2C1/报告%3A终稿%25.txt,line=2,endLine=2,col=3,endColumn=7,"
        "title=FZ501 x-y::完成率 50%25%0A::error::注入, 冒号: 仍是消息")


def test_github_span_across_lines_has_no_columns():
    line = command(diag((2, 3, 5, 7)), Path("/nowhere"))
    assert line.startswith("::warning file=a.txt,line=2,endLine=5,title=FZ501 ")
    assert "col=" not in line and "endColumn=" not in line


def test_github_level_per_severity_place_and_relative_path(tmp_path):
    levels = {Severity.ERROR: "::error ", Severity.WARNING: "::warning ", Severity.INFO: "::notice "}
    for severity, prefix in levels.items():
        assert command(diag(severity=severity), tmp_path).startswith(prefix)
    d = diag(path=str(tmp_path / "docs" / "报告.pdf"), where="第3页第5行")
    assert command(d, tmp_path) == ("::warning file=docs/报告.pdf,line=1,endLine=1,col=1,endColumn=1,"
                                    "title=FZ501 misnamed-supervision-regulation::法规名称有误 [第3页第5行]")
    out = io.StringIO()
    run_reporter(GithubReporter(out, cwd=tmp_path), result_of("x", diag()), result_of(""))
    assert out.getvalue().splitlines()[-1] == "发现 1 个问题：错误 0 个，警告 1 个，提示 0 个（检查了 2 个文件）。"


# -- junit --------------------------------------------------------------------------------

def test_junit_snapshot(update_golden):
    run = fzlint("check", "--format", "junit", "seeds")
    assert run.returncode == 1 and run.stderr == ""     # the wrong_cell seeds' errors
    snapshot("cli_check_junit.xml", run.stdout, update_golden)
    root = ET.fromstring(run.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [str(s.relative_to(ROOT)) for s in SEED_FILES]
    assert suite.get("tests") == root.get("tests") == str(len(SEED_FILES))
    failures = suite.findall("testcase/failure")
    assert suite.get("failures") == str(len(failures))
    findings = json_findings()
    listed = [without_place(c.get("name"), ln) for c in cases for f in c.iter("failure")
              for ln in f.text.splitlines()]
    assert len(listed) == len(findings)
    zh = {"error": "错误", "warning": "警告", "info": "提示"}
    assert listed == [f"{f['line']}:{f['column']} {f['code']} [{zh[f['severity']]}] {f['message']}" for f in findings]


def test_junit_clean_files_pass_and_text_is_escaped():
    out = io.StringIO()
    bad = diag(path="a&b<c>.txt", message='引号"与<标签>&\x01控制符', severity=Severity.ERROR)
    info = diag((2, 1, 2, 3), severity=Severity.INFO, where="第2段")
    run_reporter(JunitReporter(out), result_of("x", bad, info, path="a&b<c>.txt"), result_of("ok", path="clean.txt"))
    root = ET.fromstring(out.getvalue().encode("utf-8"))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    first, clean = suite.findall("testcase")
    assert first.get("name") == "a&b<c>.txt" and clean.get("name") == "clean.txt"
    assert clean.find("failure") is None
    failure = first.find("failure")
    assert failure.get("type") == "error"
    assert failure.get("message") == "2 个问题：错误 1 个，提示 1 个"
    # a control character is shown as in every human format (checker/reporters/safe.py)
    assert failure.text == '1:1 FZ501 [错误] 引号"与<标签>&\\u0001控制符\n2:1 FZ501 [提示] 法规名称有误 [第2段]'


def test_junit_without_files_is_still_a_report():
    out = io.StringIO()
    run_reporter(JunitReporter(out))
    root = ET.fromstring(out.getvalue().encode("utf-8"))
    assert root.find("testsuite").get("tests") == "0"


# -- auto and --output-file ---------------------------------------------------------------

@pytest.mark.parametrize(("env", "isatty", "want"), [
    ({"GITHUB_ACTIONS": "true"}, False, "github"),
    ({"GITHUB_ACTIONS": "true"}, True, "github"),
    ({}, True, "full"),
    ({}, False, "concise"),
    ({"GITHUB_ACTIONS": "false"}, True, "full"),
])
def test_resolve_auto(env, isatty, want):
    assert resolve_format("auto", isatty, env) == want


def test_resolve_keeps_an_explicit_format():
    for fmt in ("full", "concise", "json", "sarif", "github", "junit"):
        assert resolve_format(fmt, False, {"GITHUB_ACTIONS": "true"}) == fmt


def test_auto_in_github_actions_gives_annotations():
    run = run_env("check", "seeds", env_add={"GITHUB_ACTIONS": "true"})
    assert run.returncode == 1, run.stderr        # the wrong_cell seeds' errors
    assert run.stdout == (GOLDEN / "cli_check_github.txt").read_text(encoding="utf-8")
    plain = run_env("check", "seeds")
    assert plain.stdout == (GOLDEN / "cli_check_concise.txt").read_text(encoding="utf-8")


def test_output_file_gets_the_format_and_stdout_the_findings(tmp_path):
    target = tmp_path / "out.sarif"
    run = run_env("check", "--format", "sarif", "-o", str(target), "seeds")
    assert run.returncode == 1, run.stderr        # the wrong_cell seeds' errors
    assert run.stdout == (GOLDEN / "cli_check_concise.txt").read_text(encoding="utf-8")
    log = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert len(log["runs"][0]["results"]) == len(json_findings())
    # the exit code is the run's: an error-level finding gives 1 with a report file too
    (tmp_path / "draft.txt").write_text("一、主要举措和成效\n全年办理行政许可120件。\n", encoding="utf-8")
    junit = tmp_path / "out.xml"
    run = run_env("check", "--format", "junit", "-o", str(junit), str(tmp_path / "draft.txt"))
    assert run.returncode == 1
    assert ET.fromstring(junit.read_bytes()).find("testsuite").get("failures") == "1"
    assert run.stdout.splitlines()[0].startswith(f"{tmp_path / 'draft.txt'}:")


# -- hostile file names and texts (issue 14) ------------------------------------------------
# Through the real CLI in every format: a file name that is not UTF-8, on a strict UTF-8 stdout
# and on an ASCII one; names and a title with control characters; CSV formulas; -o after a crash.

GBK_NAME = "报告".encode("gbk") + b".txt"       # a name from a zip made on Chinese Windows
GBK_SHOWN = "报告.txt"                           # as every format shows it: decoded as GB18030
STDOUTS = {"strict": {"PYTHONIOENCODING": "utf-8:strict"}, "ascii": {"PYTHONIOENCODING": "ascii"}}
EVERY_FORMAT = {**{f: ["--format", f] for f in ("concise", "full", "json", "sarif", "github", "junit", "csv",
                                                  "html")}, "summary": ["--summary"]}
# greedy: a name may itself hold ":1:1: FZ101 " (the message never does)
FINDING = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>FZ\d{3}) ")
GITHUB = re.compile(r"^::(?:error|warning|notice) file=(?P<path>[^,]*),line=(?P<line>\d+),.*?title=(?P<code>FZ\d{3}) ")
HTML_SECTION = re.compile(r'<section class="report" id="r\d+" data-path="([^"]*)"')
HTML_FINDING = re.compile(r'<li class="finding \w+" data-code="(FZ\d{3})" data-severity="\w+" data-line="(\d+)"')
# what must never reach a terminal or a log raw: C0 (but tab and LF), DEL, C1, bidi controls
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run_bytes(*args, cwd, env_add=None) -> subprocess.CompletedProcess:
    """fzlint as a subprocess, its output as bytes (whatever its stdout's encoding)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "NO_COLOR", "GITHUB_ACTIONS", "PYTHONIOENCODING")}
    env.update(env_add or {})
    return forkserver.run(args, cwd, env)


def _github_unescape(value: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def findings_by_file(fmt: str, text: str) -> dict:
    """{file name as shown: sorted [(line, code)]} from an output in ``fmt``; for the matrix
    formats (csv, summary) {name: [errors, warnings, infos]}."""
    out: dict = {}
    if fmt in ("concise", "full"):
        for m in map(FINDING.match, text.splitlines()):
            if m:
                out.setdefault(m["path"], []).append((int(m["line"]), m["code"]))
    elif fmt == "json":
        for d in json.loads(text):
            out.setdefault(d["path"], []).append((d["line"], d["code"]))
    elif fmt == "sarif":
        from urllib.parse import unquote_to_bytes

        for r in json.loads(text)["runs"][0]["results"]:
            loc = r["locations"][0]["physicalLocation"]
            name = unquote_to_bytes(loc["artifactLocation"]["uri"])     # the file's own bytes
            shown = GBK_SHOWN if name == GBK_NAME else name.decode("utf-8")
            out.setdefault(shown, []).append((loc["region"]["startLine"], r["ruleId"]))
    elif fmt == "github":
        for m in map(GITHUB.match, text.splitlines()):
            if m:
                out.setdefault(_github_unescape(m["path"]), []).append((int(m["line"]), m["code"]))
    elif fmt == "junit":
        for case in ET.fromstring(text.encode("utf-8")).iter("testcase"):
            failure = case.find("failure")
            lines = failure.text.splitlines() if failure is not None else []
            found = [(int(ln.split(":")[0]), ln.split()[1]) for ln in lines]
            if found:
                out[case.get("name")] = found
    elif fmt == "html":
        parts = HTML_SECTION.split(text)[1:]
        for name, body in zip(parts[0::2], parts[1::2]):
            found = [(int(line), code) for code, line in HTML_FINDING.findall(body)]
            if found:
                out[html.unescape(name)] = found
    elif fmt == "csv":
        for row in list(csv.reader(io.StringIO(text)))[1:]:
            out[row[0]] = [int(n) for n in row[-4:-1]]
    elif fmt == "summary":
        for line in text.splitlines()[1:-2]:
            row = line.split("\t")
            out[row[0]] = [int(n) for n in row[-3:]]
    return {k: sorted(v) if fmt not in ("csv", "summary") else v for k, v in out.items()}


@pytest.fixture(scope="module")
def gbk_batch(tmp_path_factory):
    """Two good seeds and a copy of a third under a GBK name; beside it, the same batch with
    that copy under an ASCII name: what the run must say (exit code, findings)."""
    batch, twin = tmp_path_factory.mktemp("gbk"), tmp_path_factory.mktemp("twin")
    for folder in (batch, twin):
        shutil.copyfile(SEEDS[0], folder / "good_000.txt")
        shutil.copyfile(SEEDS[3], folder / "good_003.txt")
    with open(os.path.join(os.fsencode(batch), GBK_NAME), "wb") as fh:
        fh.write(SEEDS[2].read_bytes())
    shutil.copyfile(SEEDS[2], twin / "gbk.txt")
    expected = {}
    for fmt, args in EVERY_FORMAT.items():
        run = run_bytes("check", *args, ".", cwd=twin)
        found = findings_by_file(fmt, run.stdout.decode("utf-8"))
        found[GBK_SHOWN] = found.pop("gbk.txt")
        expected[fmt] = (run.returncode, found)
    assert len(expected["json"][1]) == 3 and expected["json"][1][GBK_SHOWN]
    return batch, expected


def _same_output(fmt: str, ascii_out: bytes, utf8_out: bytes) -> None:
    """An ASCII stdout says what a UTF-8 one says, in escapes the format's readers understand."""
    text = ascii_out.decode("ascii")
    utf8 = utf8_out.decode("utf-8")
    if fmt in ("json", "sarif"):
        assert json.loads(text) == json.loads(utf8)
    elif fmt == "junit":
        assert ET.canonicalize(text) == ET.canonicalize(utf8)
    elif fmt == "html":
        assert html.unescape(text) == html.unescape(utf8)
    else:   # Python's backslashreplace: 报 as \u62a5
        assert text == utf8.encode("ascii", "backslashreplace").decode("ascii")


@pytest.mark.parametrize("stdout", STDOUTS)
@pytest.mark.parametrize("fmt", EVERY_FORMAT)
def test_gbk_file_name_in_every_format(gbk_batch, fmt, stdout):
    """A GBK file name beside good reports: the exit code and every file's findings are those
    of the same batch with an ASCII name, the output parses, and an ASCII stdout says the same."""
    batch, expected = gbk_batch
    code, want = expected[fmt]
    run = run_bytes("check", *EVERY_FORMAT[fmt], ".", cwd=batch, env_add=STDOUTS[stdout])
    assert run.stderr == b"", run.stderr.decode("utf-8", "replace")
    assert run.returncode == code
    if stdout == "ascii":
        assert run.stdout.isascii()
        _same_output(fmt, run.stdout, run_bytes("check", *EVERY_FORMAT[fmt], ".", cwd=batch,
                                                env_add=STDOUTS["strict"]).stdout)
        return
    assert findings_by_file(fmt, run.stdout.decode("utf-8")) == want


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "junit", "csv", "html"])
def test_gbk_file_name_in_an_output_file(gbk_batch, fmt, tmp_path):
    """`-o FILE` with a GBK name in the batch: the file is complete and parses, stdout has the
    findings (it crashed, leaving a truncated file)."""
    batch, expected = gbk_batch
    code, want = expected[fmt]
    target = tmp_path / f"out.{fmt}"
    run = run_bytes("check", "--format", fmt, "-o", str(target), ".", cwd=batch, env_add=STDOUTS["strict"])
    assert (run.returncode, run.stderr) == (code, b"")
    text = target.read_bytes().decode("utf-8-sig" if fmt == "csv" else "utf-8")
    assert findings_by_file(fmt, text) == want
    assert findings_by_file("concise", run.stdout.decode("utf-8")) == expected["concise"][1]


def test_gbk_file_name_in_the_html_report(gbk_batch, tmp_path):
    batch, expected = gbk_batch
    run = run_bytes("report", ".", "-o", str(tmp_path / "r.html"), cwd=batch, env_add=STDOUTS["ascii"])
    assert run.returncode == 0 and run.stdout.isascii()     # the matrix, in escapes
    assert findings_by_file("html", (tmp_path / "r.html").read_text(encoding="utf-8")) == expected["html"][1]


# names that, printed raw, forge a finding line, move the cursor, recolour or reorder the line
HOSTILE_NAMES = {
    "a.txt:1:1: FZ101 伪造的问题\nb.txt": r"a.txt:1:1: FZ101 伪造的问题\nb.txt",
    "esc\x1b[2J\x1b]0;标题\x07.txt": r"esc\u001b[2J\u001b]0;标题\u0007.txt",
    "c1\x9b31m\x7f.txt": r"c1\u009b31m\u007f.txt",
    "报告\u202etxt.exe\u2066.txt": r"报告\u202etxt.exe\u2066.txt",
    "tab\there.txt": r"tab\there.txt",
}
TITLE_WITH_ESCAPES = SEEDS[0].read_text(encoding="utf-8").replace("娄烦县卫生健康局\n", "", 1).replace(
    "关于 2023 年度法治政府建设情况的报告", "\x1b[2J2023 年度法治政府建设\u202e工作情况\x9b31m", 1)


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name in HOSTILE_NAMES:
        shutil.copyfile(SEEDS[0], folder / name)
    (folder / "title.txt").write_text(TITLE_WITH_ESCAPES, encoding="utf-8")
    shutil.copyfile(SEEDS[3], folder / "good.txt")
    return folder


@pytest.mark.parametrize("fmt", ["concise", "full", "github", "junit", "csv", "html", "summary"])
def test_control_characters_never_reach_the_output(hostile_batch, fmt):
    """Names with a newline, ESC/OSC/C1 sequences, DEL, bidi overrides and a tab, and a title
    with escape sequences: no control character is printed raw, each finding is one line
    starting with its file's name, escaped."""
    run = run_bytes("check", *EVERY_FORMAT[fmt], ".", cwd=hostile_batch)
    assert run.returncode == 0 and run.stderr == b""
    text = run.stdout.decode("utf-8")
    assert not RAW.search(text.replace("\r\n", "\n") if fmt == "csv" else text)
    shown = set(HOSTILE_NAMES.values()) | {"title.txt", "good.txt"}
    if fmt == "github":   # GitHub's own %0A keeps a line break in the name: the annotation names the file
        shown = {v.replace(r"\n", "\n") for v in shown}
    found = findings_by_file(fmt, text)
    assert set(found) == shown
    if fmt in ("concise", "full"):
        lines = [ln for ln in text.splitlines() if FINDING.match(ln)]
        assert all(ln.startswith(tuple(n + ":" for n in shown)) for ln in lines)
        assert len(lines) == sum(len(v) for v in found.values())
    if fmt != "summary" and fmt != "csv":
        assert "\\u001b[2J2023" in text      # the title FZ302 quotes


def test_json_keeps_the_names_themselves(hostile_batch):
    """A machine format carries the real names (JSON escapes control characters itself)."""
    run = run_bytes("check", "--format", "json", ".", cwd=hostile_batch)
    paths = {d["path"] for d in json.loads(run.stdout)}
    assert paths == set(HOSTILE_NAMES) | {"title.txt", "good.txt"}
    assert not RAW.search(run.stdout.decode("utf-8"))


FORMULA_NAMES = ['=HYPERLINK("evil.example","点击").txt', "+1.txt", "-2.txt", "@SUM(A1).txt"]


def test_csv_cells_are_never_formulas(tmp_path):
    """File names starting with = + - @ are neutralised with a leading ' (OWASP); a report
    titled =HYPERLINK(...) is not in any cell."""
    for name in FORMULA_NAMES:
        shutil.copyfile(SEEDS[3], tmp_path / name)
    (tmp_path / "title.txt").write_text('=HYPERLINK("http://evil.example/x","点击查看")\n' + SEEDS[3].read_text(
        encoding="utf-8"), encoding="utf-8")
    run = run_bytes("check", "--format", "csv", "-o", str(tmp_path / "m.csv"), ".", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    for text in ((tmp_path / "m.csv").read_text(encoding="utf-8-sig"),
                 run_bytes("check", "--format", "csv", ".", cwd=tmp_path).stdout.decode("utf-8")):
        rows = list(csv.reader(io.StringIO(text)))
        assert sorted(r[0] for r in rows[1:]) == sorted(["'" + n for n in FORMULA_NAMES] + ["title.txt"])
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def _crash_after_first_file(exception: str) -> str:
    """The real CLI with the JSON reporter failing on the second file it is given."""
    return ("import sys\n"
            "import checker.reporters.json_report as j\n"
            "real = j.JsonReporter.file\n"
            "def file(self, result, calls=[]):\n"
            "    calls.append(1)\n"
            f"    if len(calls) == 2: raise {exception}\n"
            "    real(self, result)\n"
            "j.JsonReporter.file = file\n"
            "from checker.cli import main\n"
            "main(sys.argv[1:])\n")


@pytest.mark.parametrize("exception", ["RuntimeError('boom')", "KeyboardInterrupt"])
def test_output_file_is_never_left_half_written(tmp_path, exception):
    """A run that fails or is interrupted half-way leaves -o FILE as it was, and no temporary
    file; a run that completes replaces it (keeping its permissions)."""
    for seed in SEEDS[:3]:
        shutil.copyfile(seed, tmp_path / seed.name)
    target = tmp_path / "out" / "fzlint.json"
    target.parent.mkdir()
    target.write_text("the previous report\n", encoding="utf-8")
    target.chmod(0o640)
    proc = subprocess.run([sys.executable, "-c", _crash_after_first_file(exception), "check", "--format", "json",
                           "-o", str(target), str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert target.read_text(encoding="utf-8") == "the previous report\n"
    assert os.listdir(target.parent) == ["fzlint.json"]
    run = run_bytes("check", "--format", "json", "-o", str(target), str(tmp_path), cwd=tmp_path)
    assert run.returncode == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) > 0
    assert os.listdir(target.parent) == ["fzlint.json"]
    assert target.stat().st_mode & 0o777 == 0o640


def test_output_file_through_a_symlink_and_to_a_device(tmp_path):
    """-o through a symlink writes the file it points at (the link stays); -o /dev/null works;
    another user's file is written in place (as root)."""
    real = tmp_path / "reports" / "real.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(real)
    seed = str(SEEDS[3])
    assert run_bytes("check", "--format", "json", "-o", str(tmp_path / "link.json"), seed, cwd=tmp_path).returncode == 0
    assert (tmp_path / "link.json").is_symlink() and json.loads(real.read_text(encoding="utf-8"))
    assert sorted(os.listdir(real.parent)) == ["real.json"]
    run = run_bytes("check", "--format", "json", "-o", os.devnull, seed, cwd=tmp_path)
    assert run.returncode == 0 and run.stderr == b"" and FINDING.match(run.stdout.decode("utf-8"))
    if hasattr(os, "geteuid") and os.geteuid() == 0:    # another user's file stays theirs (written in place)
        os.chown(real, 65534, 65534)
        assert run_bytes("check", "--format", "json", "-o", str(real), seed, cwd=tmp_path).returncode == 0
        assert real.stat().st_uid == 65534 and json.loads(real.read_text(encoding="utf-8"))


def test_summary_table_on_a_terminal_reads_no_markup_in_names(registry, monkeypatch):
    """rich reads "[...]" as markup: a file name like `[/b]` must not break the coloured matrix."""
    from checker.reporters.summary_table import SummaryReporter

    monkeypatch.setenv("COLUMNS", "200")

    out = io.StringIO()
    reporter = SummaryReporter(out, registry, color=True)
    run_reporter(reporter, result_of("x", diag(path="[/b]报告[red]\x1b.txt"), path="[/b]报告[red]\x1b.txt"))
    assert "[/b]报告[red]\\u001b.txt" in out.getvalue()


def test_baseline_with_a_gbk_file_name(gbk_batch, tmp_path):
    """--write-baseline records a GBK-named file (it failed with exit 3) so that --baseline
    matches it again: the name is kept as JSON escapes of its bytes (``\\udcb1``)."""
    batch, _ = gbk_batch
    baseline = tmp_path / "fzlint-baseline.json"
    run = run_bytes("check", "--write-baseline", str(baseline), ".", cwd=batch, env_add=STDOUTS["strict"])
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert "\\udcb1\\udca8\\udcb8\\udce6.txt" in baseline.read_text(encoding="utf-8")
    run = run_bytes("check", "--baseline", str(baseline), ".", cwd=batch, env_add=STDOUTS["strict"])
    assert (run.returncode, run.stderr) == (0, b"")
    assert run.stdout.decode("utf-8").startswith("未发现问题")
