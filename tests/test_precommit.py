"""The real pre-commit runs this repository's hook in a repository of reports, on `git commit`:
a report missing a mandated section blocks the commit, a clean one passes, and the images,
spreadsheets and README files beside the reports never block it, whatever `files:` says.

The hook repository is this project's working tree as pre-commit would clone it (the files
the package is built from, committed once in a temporary repository), so the test checks the
hook definition and code as they are, uncommitted changes included. pre-commit builds its
environment once per module by installing the project (which needs the package index).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SEEDS

MISSING_PLANS = """\
平安县司法局2023年度法治政府建设情况报告
一、2023年度推进法治政府建设的主要举措和成效
全年办理行政复议案件12件，依法履行法院生效裁判3件。
二、存在的不足和原因
执法队伍专业化水平有待提高，原因是培训不足。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责人带头学法，召开专题会议4次。
平安县司法局
2024年3月15日
"""
# the folder's README, in the words of the reports: checked as a report it would fail (FZ101 ...)
README = """\
# 法治政府建设年度报告

本目录存放本局各年度法治政府建设情况报告，依法按《法治政府建设与责任落实督察工作规定》
第二十五条撰写，提交前由 fzlint 检查。
"""
NOTES = "Drafts and scans go to the shared drive; only final versions are committed here.\n"
# a 1x1 PNG
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
HOOK_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "checker", "grammar", "rules")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=reviewer@example.org", "-c", "user.name=reviewer", *args],
                          cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This project as a hook repository: (its path, the commit to use as `rev`)."""
    repo = tmp_path_factory.mktemp("fzlint-hook")
    for name in HOOK_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fzlint")
    return repo, git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    """One hook environment for the module: pre-commit builds it by installing this project."""
    return tmp_path_factory.mktemp("pre-commit-home")


def readme_config() -> str:
    """The `.pre-commit-config.yaml` README's pre-commit section shows."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## pre-commit\n", 1)[1]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def config(hook_repo, *, fail_on_warning: bool = False) -> str:
    path, rev = hook_repo
    text = readme_config().replace("<the URL of this repository>", str(path)).replace("<a tag or commit>", rev)
    if fail_on_warning:          # the line README shows commented out
        text = re.sub(r"# (args: \[--fail-on, warning\]).*", r"\1", text)
    return text


@dataclass
class ReportsRepo:
    """A repository of reports with the hook installed (`pre-commit install`)."""

    path: Path
    env: dict

    def commit(self, message: str) -> subprocess.CompletedProcess:
        """`git add -A` and `git commit -q`: git runs the hook (`stdout` holds its output, which
        git sends to stderr); a failing hook blocks the commit."""
        git(self.path, "add", "-A")
        return subprocess.run(["git", "-c", "user.email=a@example.org", "-c", "user.name=a", "commit", "-q", "-m",
                               message],
                              cwd=self.path, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, encoding="utf-8", timeout=600)

    @property
    def commits(self) -> int:
        return int(subprocess.run(["git", "rev-list", "--count", "--all"], cwd=self.path, capture_output=True,
                                  text=True).stdout.strip() or 0)


@pytest.fixture
def reports_repo(tmp_path, hook_repo, pre_commit_home, request) -> ReportsRepo:
    """A repository of reports with the hook installed as README says."""
    repo = tmp_path / "reports-repo"
    (repo / "reports").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(config(hook_repo, **getattr(request, "param", {})),
                                                  encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "PRE_COMMIT_COLOR": "never"}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True,
                   capture_output=True)
    return ReportsRepo(repo, env)


def findings(path: Path) -> list[dict]:
    run = subprocess.run([sys.executable, "-m", "checker", "check", "--format", "json", str(path)],
                         capture_output=True, text=True, encoding="utf-8", timeout=120)
    return json.loads(run.stdout)


def test_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "fzlint" and hook["language"] == "python"
    # in the entry, not in args (a user's `args:` replaces the hook's)
    assert hook["entry"] == "fzlint check --force-exclude"
    # no file types: identify cannot tell .docx from .xlsx; fzlint picks the files
    assert "types_or" not in hook and "types" not in hook
    files = re.compile(hook["files"])
    for name in ("a.txt", "b.md", "c.docx", "d.pdf", "e.html", "f.htm", "报告.DOCX", "g.Md"):
        assert files.search(name), name
    for name in ("setup.py", "notes.doc", "x.yaml", "logo.png", "表.xlsx"):
        assert not files.search(name), name


def test_files_beside_the_reports_never_block_a_commit(reports_repo):
    """files: ^reports/ (as README shows) hands the hook every file of the folder: the image,
    the spreadsheets and the README are skipped, a note that is not a report gets an info;
    a report missing a mandated section still blocks."""
    reports = reports_repo.path / "reports"
    shutil.copy(SEEDS[4], reports / "曲阜市卫健局 2024.txt")          # infos only
    shutil.copy(ROOT / "tests" / "data" / "libreoffice" / "004_6e976291b2735034.docx", reports / "卫健局.DOCX")
    (reports / "logo.png").write_bytes(PNG)
    with zipfile.ZipFile(reports / "汇总表.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    (reports / "汇总表.csv").write_text("文件,错误\n卫健局.docx,0\n", encoding="utf-8")
    (reports / "README.md").write_text(README, encoding="utf-8")
    (reports / "notes.md").write_text(NOTES, encoding="utf-8")
    # what the hook would have said of them before: errors
    assert any(f["severity"] == "error" for f in findings(reports / "README.md"))
    assert [f["code"] for f in findings(reports / "logo.png")] == ["FZ904"]
    assert [(f["code"], f["severity"]) for f in findings(reports / "notes.md")] == [("FZ908", "info")]

    passed = reports_repo.commit("reports and what lies beside them")
    assert passed.returncode == 0, passed.stdout
    assert reports_repo.commits == 1
    out = passed.stdout
    assert re.search(r"fzlint（法治政府建设年度报告检查）\.+Passed", out), out
    # verbose: true shows what the reports have, each line with its severity
    assert "reports/曲阜市卫健局 2024.txt:" in out and " FZ405 [提示] " in out
    assert "reports/卫健局.DOCX:" in out
    assert "reports/notes.md:1:1: FZ908 [提示] " in out
    for name in ("logo.png", "汇总表", "README.md", "FZ904", "[错误]"):
        assert name not in out, name

    (reports / "平安县司法局.md").write_text(MISSING_PLANS, encoding="utf-8")
    (reports / "logo.png").write_bytes(PNG + b"\0")
    blocked = reports_repo.commit("a report without its plans")
    assert blocked.returncode != 0 and reports_repo.commits == 1
    assert re.search(r"fzlint（法治政府建设年度报告检查）\.+Failed", blocked.stdout), blocked.stdout
    assert re.search(r"reports/平安县司法局\.md:\d+:\d+: FZ104 \[错误\] ", blocked.stdout)
    assert "logo.png" not in blocked.stdout


def _warnings_only(path: Path) -> list[dict]:
    found = findings(path)
    assert found and not any(f["severity"] == "error" for f in found)
    warnings = [f for f in found if f["severity"] == "warning"]
    assert warnings
    return warnings


def test_warnings_are_shown_on_a_passing_commit(reports_repo):
    """README's configuration (verbose: true): a report with warnings only goes through, and
    its warnings are printed, each with [警告]."""
    shutil.copy(SEEDS[2], reports_repo.path / "reports" / "2023.txt")
    warnings = _warnings_only(reports_repo.path / "reports" / "2023.txt")
    run = reports_repo.commit("a report with warnings")
    assert run.returncode == 0 and reports_repo.commits == 1, run.stdout
    shown = re.findall(r"reports/2023\.txt:\d+:\d+: (FZ\d{3}) \[警告\] ", run.stdout)
    assert shown == [f["code"] for f in warnings]


@pytest.mark.parametrize("reports_repo", [{"fail_on_warning": True}], indirect=True)
def test_fail_on_warning_blocks_a_report_with_warnings(reports_repo):
    """README's commented `args: [--fail-on, warning]`, uncommented: warnings block too; the
    files beside the reports still do not (FZ908 is an info)."""
    shutil.copy(SEEDS[2], reports_repo.path / "reports" / "2023.txt")
    _warnings_only(reports_repo.path / "reports" / "2023.txt")
    (reports_repo.path / "reports" / "README.md").write_text(README, encoding="utf-8")
    (reports_repo.path / "reports" / "notes.md").write_text(NOTES, encoding="utf-8")
    run = reports_repo.commit("a report with warnings")
    assert run.returncode != 0 and reports_repo.commits == 0
    assert re.search(r"reports/2023\.txt:\d+:\d+: FZ\d{3} \[警告\] ", run.stdout)
    shutil.move(reports_repo.path / "reports" / "2023.txt", reports_repo.path / "2023.txt")   # out of the hook's files
    run = reports_repo.commit("only the README and notes")
    assert run.returncode == 0 and reports_repo.commits == 1, run.stdout
