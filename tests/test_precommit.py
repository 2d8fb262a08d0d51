"""The real pre-commit runs this repository's hook (`pre-commit try-repo`) in a repository of
reports: a report missing a mandated section blocks the commit, a clean one passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    """One hook environment for the module: pre-commit builds it by installing this project."""
    return tmp_path_factory.mktemp("pre-commit-home")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "fzlint", "--verbose"],
                          cwd=repo, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "reports"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "reviewer@example.org")
    git(repo, "config", "user.name", "reviewer")
    return repo


def test_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "fzlint" and hook["entry"] == "fzlint check" and hook["language"] == "python"
    import re

    files = re.compile(hook["files"])
    for name in ("a.txt", "b.md", "c.docx", "d.pdf", "e.html", "f.htm"):
        assert files.search(name), name
    for name in ("setup.py", "notes.doc", "x.yaml"):
        assert not files.search(name), name


def test_missing_section_blocks_and_clean_report_passes(repo, pre_commit_home):
    clean = repo / "曲阜市卫健局 2024.txt"
    shutil.copy(SEEDS[4], clean)          # seed 004: warnings and infos only, no error
    git(repo, "add", ".")
    passed = try_repo(repo, pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
    assert "FZ405" in passed.stdout       # the hook ran fzlint and showed its warnings

    (repo / "平安县司法局.md").write_text(MISSING_PLANS, encoding="utf-8")
    (repo / "setup.cfg").write_text("[x]\n", encoding="utf-8")   # not a report: not passed to fzlint
    git(repo, "add", ".")
    blocked = try_repo(repo, pre_commit_home)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "Failed" in blocked.stdout
    assert "平安县司法局.md:" in blocked.stdout and " FZ104 " in blocked.stdout
    assert "setup.cfg" not in blocked.stdout
