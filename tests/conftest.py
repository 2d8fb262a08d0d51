import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from checker.engine.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
# seeds/ holds five real 法治政府建设 reports (.txt) and four 政府信息公开 samples (1xx_gk_*: a
# complete report and one with a wrong table cell, each as .txt and as a .docx with Word tables).
# SEEDS: the five 法治 reports, for the tests that convert seeds into other formats or assume
# that kind; ALL_SEEDS: every .txt seed (the golden files); GK_SEEDS: the gk samples, any format.
ALL_SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GK_SEEDS = sorted((ROOT / "seeds").glob("*_gk_*"))
SEEDS = [p for p in ALL_SEEDS if p not in GK_SEEDS]
# The 法治 seeds as command-line arguments (relative to ROOT), for runs meant to see only them.
FAZHI_SEED_ARGS = [str(p.relative_to(ROOT)) for p in SEEDS]
# Every file of seeds/, in the order a run over the folder reports them.
SEED_FILES = sorted(p for p in (ROOT / "seeds").iterdir() if p.is_file())

# A small report with four findings, used by the baseline and suppression tests:
# 3:38 FZ501, 8:1 FZ203 (error), 9:1 FZ105, 9:24 FZ501.
SMALL_REPORT = """\
平安县司法局2023年度法治政府建设情况报告
一、2023年度推进法治政府建设的主要举措和成效
全年办理行政复议案件12件，依法履行法院生效裁判3件，落实《法治政府建设与责任落实督查工作规定》。
二、存在的不足和原因
执法队伍专业化水平有待提高，原因是培训不足。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责人带头学法，召开专题会议4次。
四、2024年度推进法治政府建设的主要安排
一是加强执法队伍培训，二是落实《法治政府建设与责任落实督查工作规定》。
平安县司法局
2024年3月15日
"""


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/* from the current output (review the diff!)")


# Two things the fzlint processes of the tests write go to one folder of this run, removed
# at its end:
# - fzlint's cache (FZLINT_CACHE_DIR; else ~/.cache/fzlint): a run starts from an empty one,
#   whatever the user's cache holds, and leaves the user's alone. Tests of the cache itself
#   set their own folder. The result cache (checker/resultcache.py) is off (FZLINT_NO_CACHE):
#   tests run fzlint over the same files with harnesses that patch it (a check that crashes,
#   smaller budgets), whose results must neither come from nor go to a shared cache;
#   tests/test_result_cache.py turns it on in folders of its own.
# - with bytecode writing turned off (PYTHONDONTWRITEBYTECODE), each `python -m checker` and
#   `python -c` process the tests start would compile fzlint from source again (~60 ms of its
#   ~150 ms): the processes they start keep their bytecode in a cache of this run instead
#   (PYTHONPYCACHEPREFIX), not beside the sources. Not pytest's own processes (the xdist
#   workers): for them Python would then compile pytest, hypothesis and the rest again too,
#   whose bytecode pip wrote at install.
# Set before collection, so that the pytest-xdist workers inherit it and share it.
_PYCACHE = "FZLINT_TESTS_PYCACHE"


def pytest_configure(config):
    if hasattr(config, "workerinput"):      # a pytest-xdist worker: the controller set it all up
        return
    run = Path(tempfile.mkdtemp(prefix="fzlint-tests-"))
    config._fzlint_run_folder = run
    os.environ["FZLINT_CACHE_DIR"] = str(run / "fzlint-cache")
    os.environ["FZLINT_NO_CACHE"] = "1"
    if (sys.flags.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")) \
            and not os.environ.get("PYTHONPYCACHEPREFIX"):
        os.environ[_PYCACHE] = str(run / "pycache")


@pytest.fixture(scope="session", autouse=True)
def _bytecode_of_the_processes_tests_start():
    """In the process that runs the tests (an xdist worker, or the only one), from the first
    test on: see above."""
    if os.environ.get(_PYCACHE):
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = os.environ[_PYCACHE]


def pytest_unconfigure(config):
    forkserver = sys.modules.get("forkserver")
    if forkserver is not None:
        forkserver.close()
    run = getattr(config, "_fzlint_run_folder", None)
    if run is not None:
        shutil.rmtree(run, ignore_errors=True)


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def registry():
    return load_registry()


# The bad-input catalogue (tests/test_bad_inputs.py) says at the end of every run how many
# hostile and broken inputs it ran, and how many held, alone and together.
_CATALOGUE = {"alone": [0, 0], "together": [0, 0]}


def pytest_runtest_logreport(report):
    if report.when == "call" and "test_wording.py::" in report.nodeid:
        # with pytest-xdist the workers ran the module: this process imports it to count
        import importlib

        importlib.import_module("test_wording").record(report.nodeid, report.passed)
    if report.when != "call" or "test_bad_inputs.py::" not in report.nodeid:
        return
    name = report.nodeid.split("::", 1)[1]
    kind = "alone" if name.startswith("test_case_alone[") else \
        "together" if name.startswith("test_all_cases_together") else None
    if kind is not None:
        _CATALOGUE[kind][0] += 1
        _CATALOGUE[kind][1] += report.passed


def pytest_terminal_summary(terminalreporter):
    import importlib

    # The wording test bed (tests/test_wording.py): recall and negatives held per family.
    wording = sys.modules.get("test_wording")
    for line in wording.summary_lines() if wording is not None else ():
        terminalreporter.write_line(line)
    if not any(ran for ran, _ in _CATALOGUE.values()):
        return
    # with pytest-xdist the workers ran the module: this process gets their reports only
    module = sys.modules.get("test_bad_inputs") or importlib.import_module("test_bad_inputs")
    (ran, held), (together, held_together) = _CATALOGUE["alone"], _CATALOGUE["together"]
    terminalreporter.write_line(
        f"bad-input catalogue: {len(module.CASES)} cases; {held} of {ran} held alone"
        + (f", {'all held' if held_together == together else 'FAILED'} together beside good reports"
           if together else ""))
