"""Worker processes (checker/parallel.py): same output as one process, in the same order;
crashes and dead workers cost only their own file; the plan uses workers only for enough work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker import parallel

import forkserver
from conftest import ROOT, SEEDS

LIBREOFFICE = ROOT / "tests" / "data" / "libreoffice"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "GITHUB_ACTIONS")}
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, env=env)


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """Every seed as .txt, plus the LibreOffice .docx and .pdf files, in two folders."""
    root = tmp_path_factory.mktemp("batch")
    for i, seed in enumerate(SEEDS):
        for copy in range(3):
            shutil.copyfile(seed, root / f"t{copy}_{i}.txt")
    shutil.copytree(LIBREOFFICE, root / "office")
    (root / "office" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    return root


_ONE: dict[tuple, subprocess.CompletedProcess] = {}


def one_process(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``check -j 1 ARGS``, the run in one process that several tests compare with: once a
    module, forked from tests/forkserver.py's server (whose hash seed is not the new
    interpreter's of the run it is compared with)."""
    key = (args, cwd)
    if key not in _ONE:
        env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "GITHUB_ACTIONS")}
        got = forkserver.run(["check", "-j", "1", *args], cwd, env, timeout=120)
        _ONE[key] = subprocess.CompletedProcess(got.args, got.returncode, forkserver.text(got.stdout),
                                                forkserver.text(got.stderr))
    return _ONE[key]


@pytest.mark.parametrize("fmt", ["json", "concise", "full", "csv", "sarif"])
def test_workers_print_what_one_process_prints(batch, fmt):
    one = one_process("--format", fmt, ".", cwd=batch)
    two = run("check", "-j", "2", "--format", fmt, ".", cwd=batch)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and one.stdout
    assert one.stderr == two.stderr


def test_workers_give_the_same_matrix(batch):
    one = one_process("--summary", ".", cwd=batch)
    two = run("check", "-j", "2", "--summary", ".", cwd=batch)
    assert one.stdout == two.stdout
    assert "无法检查" not in one.stdout.split("broken.pdf")[0]   # only the broken PDF is unread


def test_auto_uses_workers_for_the_office_files_and_agrees(batch):
    costs = [parallel.estimate_ms(p, None) for p in sorted(batch.rglob("*")) if p.is_file()]
    assert sum(costs) > parallel.MIN_PARALLEL_MS      # 10 office files: workers pay
    auto = run("check", "--format", "json", ".", cwd=batch)
    one = one_process("--format", "json", ".", cwd=batch)
    assert auto.stdout == one.stdout


CRASH = """
import os, sys
import checker.lint as L
parent = os.getpid()
orig = L.lint_path
def patched(path, *a, **k):
    if path.name == "t1_2.txt":
        raise RuntimeError("simulated bug")
    if path.name == "t2_3.txt" and os.getpid() != parent:
        os._exit(9)              # a worker dies (as if killed): the parent checks the rest
    return orig(path, *a, **k)
L.lint_path = patched
from checker.cli import main
main(sys.argv[1:])
"""


def test_a_crash_and_a_dead_worker_lose_no_other_file(batch):
    args = ["check", "-j", "2", "--format", "concise", "."]
    proc = subprocess.run([sys.executable, "-c", CRASH, *args], cwd=batch, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stdout + proc.stderr
    err = proc.stderr.splitlines()
    assert err[0].startswith("fzlint: 内部错误：检查 t1_2.txt 时出错：RuntimeError: simulated bug")
    assert err[-1] == "fzlint: 内部错误：1 个文件未能检查完（见上）"
    reference = one_process("--format", "concise", ".", cwd=batch).stdout.splitlines()
    *findings, tally = proc.stdout.splitlines()
    assert findings == [ln for ln in reference[:-1] if not ln.startswith("t1_2.txt:")]
    assert "检查了 25 个文件" in tally and "检查了 26 个文件" in reference[-1]


def test_plan(monkeypatch):
    monkeypatch.setattr(parallel, "cpus", lambda: 4)
    assert parallel.plan([1.0] * 50, None) == 0              # 50 ms of work: not worth a process
    assert parallel.plan([1.0] * 2000, None) == 4            # 2 s: every CPU
    assert parallel.plan([1.0] * 400, None) == 2             # 400 ms: two workers are enough
    assert parallel.plan([1.0] * 2000, 1) == 0               # -j 1
    assert parallel.plan([1.0] * 3, 8) == 3                  # -j 8, three files
    assert parallel.plan([1.0] * 2000, 300) == 4             # -j 300: no more workers than CPUs
    assert parallel.plan([500.0], None) == 0                 # one file: nothing to share
    monkeypatch.setattr(parallel, "cpus", lambda: 1)
    assert parallel.plan([1.0] * 2000, None) == 0            # one CPU: workers only add cost
    assert parallel.plan([1.0] * 2000, 8) == 2               # asked for: two, even on one CPU


def test_estimates_by_format(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"x" * 10240)
    (tmp_path / "a.pdf").write_bytes(b"x" * 10240)
    txt, pdf = parallel.estimate_ms(tmp_path / "a.txt", None), parallel.estimate_ms(tmp_path / "a.pdf", None)
    assert 0 < txt < pdf
    assert parallel.estimate_ms(tmp_path / "a.pdf", 100) == 0        # over the size limit: not read
    assert parallel.estimate_ms(tmp_path / "missing.txt", None) == 0


def test_start_method_is_explicit():
    assert parallel.start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")


WHO = """
import os, sys
import checker.lint as L
parent = os.getpid()
orig = L.lint_path
def patched(path, *a, **k):
    with open(os.environ["WHO_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{path.name} {'parent' if os.getpid() == parent else 'worker'}\\n")
    if path.name == os.environ.get("WHO_CRASH"):
        raise RuntimeError("simulated bug")
    return orig(path, *a, **k)
L.lint_path = patched
from checker.cli import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("crash", [False, True])
def test_the_first_file_is_checked_before_the_fork(batch, tmp_path, crash):
    """What a process makes on first use (RE2's automata, lazily compiled patterns) is made
    once, in the parent, by checking the batch's first file there; the workers inherit it.
    That file's result (or its crash) still comes first, and the output is one process's."""
    log = tmp_path / "who.log"
    reference = one_process("--format", "concise", ".", cwd=batch).stdout.splitlines()
    first = reference[0].split(":", 1)[0]
    env = {**os.environ, "WHO_LOG": str(log), "WHO_CRASH": first if crash else ""}
    proc = subprocess.run([sys.executable, "-c", WHO, "check", "-j", "2", "--format", "concise", "."],
                          cwd=batch, capture_output=True, text=True, encoding="utf-8", timeout=120, env=env)
    who = dict(line.rsplit(" ", 1) for line in log.read_text(encoding="utf-8").splitlines())
    assert who.pop(Path(first).name) == "parent"
    assert set(who.values()) == {"worker"} and len(who) > 10
    if crash:
        assert proc.returncode == 3
        assert proc.stderr.startswith(f"fzlint: 内部错误：检查 {first} 时出错：RuntimeError: simulated bug")
        assert proc.stdout.splitlines()[:-1] == [ln for ln in reference[:-1] if not ln.startswith(f"{first}:")]
    else:
        assert proc.returncode == 1 and proc.stdout.splitlines() == reference


SPAWN = """
import sys
import checker.parallel as P
P.start_method = lambda: "spawn"       # as on a platform without fork (macOS, Windows)
from checker.cli import main
main(sys.argv[1:])
"""


def test_spawned_workers_print_what_one_process_prints(batch):
    """Without fork, each worker imports fzlint, builds its settings from the arguments and
    gets the batch's entries pickled once; the output is still one process's."""
    one = one_process("--format", "concise", ".", cwd=batch)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "GITHUB_ACTIONS")}
    two = subprocess.run([sys.executable, "-c", SPAWN, "check", "-j", "2", "--format", "concise", "."],
                         cwd=batch, capture_output=True, text=True, encoding="utf-8", timeout=120, env=env)
    assert two.returncode == one.returncode == 1, two.stderr[-2000:]
    assert two.stdout == one.stdout and two.stderr == one.stderr
