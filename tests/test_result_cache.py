"""The result cache (checker/resultcache.py): a re-run over unchanged files gives the output of
a run without it, in every format; whatever decides the findings (the file, a pack, an option,
fzlint itself) is part of the key; damaged, planted or foreign entries only cost a check;
runs side by side share it; --no-cache, `fzlint cache info|clear` and the size bound.

The test run turns the cache off (conftest.py: FZLINT_NO_CACHE); these tests turn it on, each
in a cache folder of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from checker import cache, resultcache

from conftest import ROOT, SEEDS
from test_cli import fzlint

LIBREOFFICE = ROOT / "tests" / "data" / "libreoffice"
# A Markdown report whose comments silence one finding and name a rule that does not exist
# (a notice on stderr): both come back from the cache as they were.
MARKDOWN = """\
<!-- fzlint: disable-next-line=FZ501 -->
<!-- fzlint: disable=FZ5O1 -->
"""


@pytest.fixture
def cache_on(tmp_path, monkeypatch) -> Path:
    """The result cache on, in a folder of this test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("FZLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("FZLINT_NO_CACHE", raising=False)
    monkeypatch.delenv("FZLINT_CACHE_MAX_SIZE", raising=False)
    cache.cache_dir.cache_clear()
    yield folder
    cache.cache_dir.cache_clear()


@pytest.fixture
def reports(tmp_path) -> Path:
    """A folder of every kind of file: the seeds, a Markdown report with comments, Word, PDF
    and HTML reports, a GBK text, and files fzlint cannot check (damaged, empty, not a report)."""
    from builders.html import build_html

    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    text = SEEDS[3].read_text(encoding="utf-8")
    (folder / "注释.md").write_text(MARKDOWN + text, encoding="utf-8")
    (folder / "gbk.txt").write_bytes(SEEDS[1].read_text(encoding="utf-8").encode("gb18030"))
    shutil.copy(LIBREOFFICE / "000_eded0069a967b318.docx", folder / "娄烦.docx")
    shutil.copy(LIBREOFFICE / "001_f41aa8fe595c37d2.pdf", folder / "岳阳楼.pdf")
    (folder / "金普.html").write_bytes(build_html(SEEDS[3].read_text(encoding="utf-8"), template="table"))
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "pdf-named.txt").write_bytes((LIBREOFFICE / "000_eded0069a967b318.pdf").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "novel.md").write_text("从前有座山，山里有座庙。\n" * 20, encoding="utf-8")
    return folder


def files_in(folder: Path) -> int:
    return sum(1 for p in folder.iterdir() if p.is_file())


def run(*args, cwd):
    done = fzlint(*args, cwd=cwd)
    return done.returncode, done.stdout, done.stderr


def verbose_counts(*args, cwd) -> tuple[int, int]:
    """(files served from the cache, files checked) of a run, from its --verbose line."""
    done = fzlint("-v", "check", *args, cwd=cwd)
    line = next(x for x in done.stderr.splitlines() if x.startswith("fzlint: 结果缓存："))
    hits, checked = line.removeprefix("fzlint: 结果缓存：").split("；")
    return int(hits.split(" ")[0]), int(checked.split(" ")[0])


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "results").glob("*.json") if len(p.stem) == 64)


FORMATS = [("--format", f) for f in ("concise", "full", "json", "sarif", "github", "junit", "csv")] + \
    [("--summary",), ("--statistics",), ("--format", "json", "-j", "2")]


@pytest.mark.parametrize("args", FORMATS, ids=lambda a: " ".join(a))
def test_a_rerun_prints_what_a_run_without_the_cache_prints(cache_on, reports, args):
    """Every format, cold and warm, is byte for byte the run without the cache (stdout, stderr
    with the Markdown comment's notice, exit code), and the warm run checked nothing."""
    cwd = reports.parent
    without = run("check", "--no-cache", *args, "reports", cwd=cwd)
    assert not (cache_on / "results").exists() or not entries(cache_on)     # --no-cache wrote nothing
    cold = run("check", *args, "reports", cwd=cwd)
    assert entries(cache_on)
    warm = run("check", *args, "reports", cwd=cwd)
    assert cold == without and warm == without
    assert "FZ5O1" in without[2] and without[1]
    assert verbose_counts(*args, "reports", cwd=cwd) == (files_in(reports), 0)


def test_the_html_report_and_baselines_from_the_cache(cache_on, reports, tmp_path):
    """The reporters that quote lines get the text back (a .txt decoded again, the text of a
    .docx/.pdf/.html from the entry); a baseline written from cached results matches."""
    cwd = reports.parent
    pages = []
    for name, extra in (("without.html", ("--no-cache",)), ("cold.html", ()), ("warm.html", ())):
        done = fzlint("check", *extra, "--format", "html", "-o", name, "--summary", "reports", cwd=cwd)
        assert done.returncode == 1, done.stderr
        pages.append((cwd / name).read_text(encoding="utf-8"))
    assert pages[0] == pages[1] == pages[2] and "岳阳楼" in pages[0]
    baselines = []
    for name, extra in (("a.json", ("--no-cache",)), ("b.json", ())):
        fzlint("check", *extra, "--write-baseline", name, "reports", cwd=cwd)
        baselines.append((cwd / name).read_text(encoding="utf-8"))
    assert baselines[0] == baselines[1]
    assert run("check", "--baseline", "a.json", "reports", cwd=cwd) == \
        run("check", "--no-cache", "--baseline", "a.json", "reports", cwd=cwd)


def test_a_changed_file_is_checked_again(cache_on, reports):
    cwd = reports.parent
    run("check", "reports", cwd=cwd)
    target = reports / SEEDS[0].name
    target.write_text(target.read_text(encoding="utf-8").replace("法治", "法制", 1), encoding="utf-8")
    assert run("check", "reports", cwd=cwd) == run("check", "--no-cache", "reports", cwd=cwd)
    assert verbose_counts("reports", cwd=cwd) == (files_in(reports), 0)


@pytest.mark.parametrize("change", ["select", "ignore", "max-file-size", "severity", "option", "pack",
                                    "per-file-ignores"])
def test_what_decides_the_findings_is_part_of_the_key(cache_on, reports, change):
    """After a full run, a run with another selection, size limit, severity, rule option, pack
    or per-file ignore finds none of its results in the cache and prints what it would print
    without one."""
    cwd = reports.parent
    project = reports            # fzlint.toml in the reports' folder
    args: tuple[str, ...] = ()
    config = ""
    if change == "select":
        args = ("--select", "FZ1")
    elif change == "ignore":
        args = ("--ignore", "FZ105")
    elif change == "max-file-size":
        args = ("--max-file-size", "30KB")
    elif change == "severity":
        config = '[severity]\nFZ105 = "error"\n'
    elif change == "option":
        config = '[rules.FZ306]\ndeadline = "01-15"\n'
    elif change == "per-file-ignores":
        config = '[per-file-ignores]\n"0*.txt" = ["FZ1"]\n'
    else:
        (project / "packs").mkdir()
        (project / "packs" / "local.yaml").write_text(LOCAL_PACK.format(word="行政复议"), encoding="utf-8")
        config = 'rule-packs = ["packs"]\n'
    if config:
        (project / "fzlint.toml").write_text("", encoding="utf-8")     # the same files, no options
    cold = run("check", "reports", cwd=cwd)
    assert verbose_counts("reports", cwd=cwd)[1] == 0
    if config:
        (project / "fzlint.toml").write_text(config, encoding="utf-8")
    changed = run("check", *args, "reports", cwd=cwd)
    assert changed == run("check", "--no-cache", *args, "reports", cwd=cwd)
    assert changed != cold
    if change == "pack":         # the pack's own content: another word, other findings
        (project / "packs" / "local.yaml").write_text(LOCAL_PACK.format(word="行政许可"), encoding="utf-8")
        again = run("check", "reports", cwd=cwd)
        assert again == run("check", "--no-cache", "reports", cwd=cwd) and again != changed


LOCAL_PACK = """\
pack: local
title: 本地规则
applies_to: all
rules:
  - id: FZ599
    name: local-banned-word
    title: 本地禁用词
    severity: error
    check: forbidden_text
    any: [{word}]
    citation: {{practice: 本地要求}}
    message: 不要写“{{match}}”
    rationale: 测试。
    tests:
      - {{name: fires, input: {word}, want: ["1:1 FZ599"]}}
      - {{name: silent, input: 其他, want: []}}
"""

# fzlint with something of its own changed before it runs: its version, or one of its checks
HARNESS = """\
import sys
import checker
{patch}
from checker.cli import main
main(sys.argv[1:])
"""


def harness(patch: str, *args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HARNESS.format(patch=patch), *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_another_version_of_fzlint_checks_again(cache_on, reports):
    cwd = reports.parent
    run("check", "reports", cwd=cwd)
    done = harness("checker.__version__ = '9.9.9'", "-v", "check", "reports", cwd=cwd)
    assert f"0 个文件未变，沿用缓存的结果；{files_in(reports)} 个文件已检查" in done.stderr


def test_changed_code_is_another_fzlint(cache_on, monkeypatch, tmp_path):
    """The code's fingerprint is its content: a checkout with one file edited is another
    fzlint; the same files installed anew (other modification times) are the same."""
    package = tmp_path / "pkg" / "checker"
    shutil.copytree(Path(resultcache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(resultcache, "__file__", str(package / "resultcache.py"))
    fingerprints = []
    for step in ("as is", "touched", "edited"):
        if step == "touched":
            os.utime(package / "lint.py", ns=(0, 0))
        elif step == "edited":
            with open(package / "engine" / "checks" / "misnomer.py", "a", encoding="utf-8") as f:
                f.write("\n# edited\n")
        resultcache.code_fingerprint.cache_clear()
        fingerprints.append(resultcache.code_fingerprint())
    resultcache.code_fingerprint.cache_clear()
    assert fingerprints[0] == fingerprints[1] != fingerprints[2]


def test_a_result_checked_by_other_code_is_not_stored_for_this_code(cache_on, reports):
    """A harness whose check finds something else (a patched message) writes entries under its
    own fingerprint: the unpatched fzlint never sees them."""
    cwd = reports.parent
    patch = ("import checker.resultcache as rc, functools\n"
             "real = rc.code_fingerprint\n"
             "rc.code_fingerprint = functools.cache(lambda: real() + 'patched')")
    done = harness(patch, "check", "reports", cwd=cwd)
    assert done.returncode == 1 and entries(cache_on)
    assert verbose_counts("reports", cwd=cwd) == (0, files_in(reports))


# -- the stat index ---------------------------------------------------------------------------
TRACE_READS = """\
import atexit, checker.resultcache as rc, checker.fileio as fio, checker.sources as src
rc.RACY_NS = 0        # the files were written just now: trust their stat at once
real = fio.read_regular
read = []
def traced(path, *args, **kwargs):
    if str(path).endswith((".txt", ".md", ".docx", ".pdf", ".html")):
        read.append(str(path))
    return real(path, *args, **kwargs)
fio.read_regular = src.read_regular = traced
atexit.register(lambda: sys.stderr.write("READ %d\\n" % len(read)))
"""


def test_unchanged_files_are_not_read_again(cache_on, reports):
    """With the stat index, a re-run reads no report (the --format json run needs no text);
    the run that quotes lines (--format full) reads the text files again, not the documents,
    whose extracted text is in the entries."""
    cwd = reports.parent
    first = harness(TRACE_READS, "check", "--format", "json", "reports", cwd=cwd)
    assert f"READ {files_in(reports)}" in first.stderr
    second = harness(TRACE_READS, "check", "--format", "json", "reports", cwd=cwd)
    assert "READ 0" in second.stderr and second.stdout == first.stdout
    full = harness(TRACE_READS, "check", "--format", "full", "reports", cwd=cwd)
    texts = sum(1 for p in reports.iterdir() if p.suffix in (".txt", ".md"))
    assert f"READ {texts}" in full.stderr
    assert full.stdout == run("check", "--no-cache", "--format", "full", "reports", cwd=cwd)[1]


def test_a_file_changed_without_its_size_or_mtime_changing_is_read(cache_on, reports):
    """Rewritten to the same size with its old modification time put back (`touch -d`,
    `cp -p`, rsync): the status-change time still differs, so the file is read and checked."""
    cwd = reports.parent
    first = harness(TRACE_READS, "check", "reports", cwd=cwd)
    target = reports / SEEDS[3].name
    before = target.stat()
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("督查", "督察"), encoding="utf-8")    # the FZ501 misnomer fixed
    assert target.stat().st_size == before.st_size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    done = harness(TRACE_READS, "check", "reports", cwd=cwd)
    assert "READ 1" in done.stderr
    assert (done.returncode, done.stdout) == run("check", "--no-cache", "reports", cwd=cwd)[:2]
    assert done.stdout != first.stdout           # the misnomer's finding changed


def test_a_file_written_just_before_it_was_read_gets_no_stat_record(cache_on, tmp_path):
    """A file changed less than RACY_NS before it was read could change again within its
    timestamp's granularity: it is read (and hashed) on the next run too."""
    folder = tmp_path / "r"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "a.txt")
    cwd = tmp_path
    run("check", "r", cwd=cwd)
    assert not list((cache_on / "results" / "index").glob("*.json"))   # written just now
    assert verbose_counts("r", cwd=cwd) == (1, 0)                      # still served, by its hash


# -- damaged, planted, shared --------------------------------------------------------------------
def _forgeries(entry: Path, pickle: bytes) -> list:
    fmt, key, payload = json.loads(entry.read_bytes())
    unknown = json.loads(json.dumps(payload))
    unknown["d"] = [[1, 1, 1, 2, "FZ999", "no-such-rule", 2, "伪造", None]]
    bad_severity = json.loads(json.dumps(payload))
    bad_severity["d"] = [[1, 1, 1, 2, "FZ105", "x", 9, "伪造", None]]
    negative = json.loads(json.dumps(payload))
    negative["d"] = [[-1, 1, 1, 2, "FZ105", "x", 1, "伪造", None]]
    extra = dict(payload, x=1)
    return [b"\x00garbage", entry.read_bytes()[:40], json.dumps(["fzlint-results-0", key, payload]).encode(),
            json.dumps([fmt, "0" * 64, payload]).encode(), json.dumps([fmt, key, unknown]).encode(),
            json.dumps([fmt, key, bad_severity]).encode(), json.dumps([fmt, key, negative]).encode(),
            json.dumps([fmt, key, extra]).encode(), json.dumps([fmt, key]).encode(), b"[" * 100_000, pickle,
            "fifo", "symlink"]


PICKLE = r"""
import os, pickle, sys
class Payload:
    def __reduce__(self):
        return (os.system, ("touch " + sys.argv[1],))
sys.stdout.buffer.write(pickle.dumps(Payload()))
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_damaged_or_planted_entries_only_cost_a_check(cache_on, reports, tmp_path):
    """Every entry replaced by something fzlint did not write (garbage, cut short, another
    format or key, findings of a rule that does not exist, a severity or line out of range,
    a key too many or too few, deep nesting, a pickle, a FIFO, a symlink to a device): the
    output is that of a clean run, nothing runs, and the entries are written anew."""
    cwd = reports.parent
    clean = run("check", "reports", cwd=cwd)
    marker = tmp_path / "pwned"
    stored = entries(cache_on)
    assert len(stored) >= 13
    pickle = subprocess.run([sys.executable, "-c", PICKLE, str(marker)], capture_output=True, check=True).stdout
    for i, entry in enumerate(stored):
        forged = _forgeries(entry, pickle)[i % 13]
        entry.unlink()
        if forged == "fifo":
            os.mkfifo(entry)
        elif forged == "symlink":
            os.symlink("/dev/zero", entry)
        else:
            entry.write_bytes(forged)
    assert run("check", "reports", cwd=cwd) == clean
    assert not marker.exists()
    assert all(e.is_file() and not e.is_symlink() and json.loads(e.read_bytes())[1] for e in entries(cache_on))
    assert verbose_counts("reports", cwd=cwd) == (files_in(reports), 0)


@pytest.mark.parametrize("index", [
    b"\xff not json", b'["fzlint-stat-2", "/elsewhere", {}]', b'["fzlint-stat-2", "{folder}", []]',
    b'["fzlint-stat-2", "{folder}", {"{name}": "1:2:3:4:' + b"a" * 64 + b'"}]',
    b'["fzlint-stat-2", "{folder}", {"{name}": ["1", 2, 3, 4, 5]}]',
    b'["fzlint-stat-2", "{folder}", {"{name}": "{stamp}:' + b"a" * 64 + b'"}]',      # this file's stat, no entry
    b'["fzlint-stat-2", "{folder}", {"{name}": "{stamp}:../../x"}]'])
def test_a_damaged_or_planted_index_or_ledger_only_costs_a_check(cache_on, reports, index):
    """A stat record is used only when the file's size, times and inode are the ones recorded
    (a folder's index from another machine or checkout never matches: the kernel sets the
    status-change time and the inode); anything else in the index is passed over."""
    cwd = reports.parent
    clean = run("check", "reports", cwd=cwd)
    folder = os.path.abspath(reports)
    path = Path(resultcache.ResultCache(cache_on, False)._index_path(folder))
    path.parent.mkdir(mode=0o700, exist_ok=True)
    stamp = resultcache._stamp((reports / SEEDS[0].name).stat()).encode()
    path.write_bytes(index.replace(b"{folder}", folder.encode()).replace(b"{name}", SEEDS[0].name.encode())
                     .replace(b"{stamp}", stamp))
    (cache_on / "results" / "state.json").write_bytes(b"\xff not json")
    assert run("check", "reports", cwd=cwd) == clean
    assert run("check", "--format", "json", "reports", cwd=cwd) == run("check", "--no-cache", "--format", "json",
                                                                         "reports", cwd=cwd)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symlinks")
def test_a_symlinked_results_folder_is_neither_read_nor_written(cache_on, reports, tmp_path):
    """The results folder planted as a symlink (entries would be read from, or the reports'
    findings written to, another place) is passed over."""
    cwd = reports.parent
    clean = run("check", "reports", cwd=cwd)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(cache_on / "results", elsewhere)
    os.symlink(elsewhere, cache_on / "results")
    before = sorted(elsewhere.rglob("*"))
    assert run("check", "reports", cwd=cwd) == clean
    assert sorted(elsewhere.rglob("*")) == before


def test_entries_are_private_and_the_reports_untouched(cache_on, reports):
    cwd = reports.parent
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in reports.iterdir()}
    run("check", "reports", cwd=cwd)
    run("check", "--format", "full", "reports", cwd=cwd)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in reports.iterdir()} == before
    results = cache_on / "results"
    folders = [results, *(p for p in results.rglob("*") if p.is_dir())]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in folders)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in results.rglob("*") if p.is_file())
    assert not [p for p in results.rglob("*") if p.name.endswith(".tmp")]


def test_standard_input_is_never_cached(cache_on):
    for _ in range(2):
        done = fzlint("check", "-", "--stdin-filename", "a.txt", cwd=ROOT, stdin=SEEDS[0].read_bytes())
        assert done.returncode in (0, 1)
    assert not (cache_on / "results").exists() or not entries(cache_on)


def test_runs_side_by_side_share_the_cache(cache_on, tmp_path):
    """Four runs at once over the same 60 files, in new interpreters (two with workers): the
    same output as a run without the cache, intact entries, no temporary files left; a run
    after them checks nothing."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        seed = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")
        (folder / f"{i:03}.txt").write_text(seed.replace("。", f"（{i}）。", 1), encoding="utf-8")
    expected = run("check", "--no-cache", "--format", "json", "many", cwd=tmp_path)
    env = {**os.environ}
    procs = [subprocess.Popen([sys.executable, "-m", "checker", "check", "--format", "json", "-j", str(j), "many"],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for j in (1, 2, 1, 2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert (p.returncode, out.decode("utf-8"), err.decode("utf-8")) == expected
    assert all(json.loads(e.read_bytes())[0] == resultcache.FORMAT for e in entries(cache_on))
    assert not [p for p in (cache_on / "results").rglob("*") if p.name.endswith(".tmp")]
    assert verbose_counts("--format", "json", "many", cwd=tmp_path) == (60, 0)
    assert run("check", "--format", "json", "many", cwd=tmp_path) == expected


# -- info, clear, the bound --------------------------------------------------------------------
def test_cache_info_and_clear(cache_on, reports):
    cwd = reports.parent
    run("check", "reports", cwd=cwd)
    foreign = cache_on / "mine.txt"
    foreign.write_text("not fzlint's", encoding="utf-8")
    info = fzlint("cache", "info", cwd=cwd)
    assert info.returncode == 0
    n = len(entries(cache_on))
    assert f"缓存文件夹：{cache_on}" in info.stdout and f"检查结果：{n:,} 条" in info.stdout
    cleared = fzlint("cache", "clear", cwd=cwd)
    assert cleared.returncode == 0 and cleared.stderr.startswith(f"fzlint: 已清除缓存 {cache_on}：删除 ")
    assert sorted(p.name for p in cache_on.iterdir()) == ["mine.txt"]        # the user's file stays
    assert "检查结果：0 条" in fzlint("cache", "info", cwd=cwd).stdout
    assert verbose_counts("reports", cwd=cwd) == (0, files_in(reports))      # checked afresh


def test_cache_info_names_a_folder_it_cannot_use(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("FZLINT_CACHE_DIR", str(blocker / "cache"))
    info = fzlint("cache", "info", cwd=tmp_path)
    assert info.returncode == 0 and "不可用" in info.stdout
    cleared = fzlint("cache", "clear", cwd=tmp_path)
    assert cleared.returncode == 0 and "不可用" in cleared.stderr and blocker.read_text(encoding="utf-8")


def test_the_folder_stays_within_its_bound(cache_on, tmp_path, monkeypatch):
    """With a bound of 24 KB, a run over 40 reports (~60 KB of entries) leaves at most the
    bound, the entries used last kept; every run's output is still right."""
    monkeypatch.setenv("FZLINT_CACHE_MAX_SIZE", "24KB")
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        seed = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")
        (folder / f"{i:03}.txt").write_text(seed.replace("。", f"（{i}）。", 1), encoding="utf-8")
    expected = run("check", "--no-cache", "many", cwd=tmp_path)
    for _ in range(2):
        assert run("check", "many", cwd=tmp_path) == expected
        held = resultcache.usage(cache_on)
        assert held["results"][1] + held["index"][1] <= 24 * 1024
        assert held["results"][0] > 0


def test_pruning_removes_the_least_recently_used_first(tmp_path):
    root = tmp_path / "results"
    root.mkdir(mode=0o700)
    names = [f"{i:064x}.json" for i in range(10)]
    for i, name in enumerate(names):
        path = root / name
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    stale = root / f".{names[0]}.123.tmp"
    stale.write_bytes(b"y" * 10)
    os.utime(stale, (1_000, 1_000))
    mine = root / "keep.txt"           # not a name fzlint writes: never removed
    mine.write_bytes(b"z" * 5000)
    removed, freed = resultcache.prune(root, 5000)
    left = sorted(p.name for p in root.iterdir() if p.name != "state.json")
    assert left == sorted([*names[6:], "keep.txt"])            # down to 80% of 5000: the 4 newest
    assert (removed, freed) == (7, 6010)
    assert json.loads((root / "state.json").read_bytes())["bytes"] == 4000


def test_a_hit_marks_an_old_entry_used(cache_on, reports):
    cwd = reports.parent
    run("check", "reports", cwd=cwd)
    for entry in entries(cache_on):
        os.utime(entry, (1_000_000, 1_000_000))
    run("check", "reports", cwd=cwd)
    assert all(e.stat().st_mtime > 1_000_000 for e in entries(cache_on))


def test_a_cache_folder_that_cannot_be_written_only_costs_time(cache_on, reports):
    """The stat index's folder and the ledger planted as what they should not be (a file, a
    folder): the run's output and exit code are those of a run without the cache."""
    cwd = reports.parent
    expected = run("check", "--no-cache", "reports", cwd=cwd)
    (cache_on / "results").mkdir(parents=True, mode=0o700)
    (cache_on / "results" / "index").write_text("a file, not a folder", encoding="utf-8")
    (cache_on / "results" / "state.json").mkdir()
    for _ in range(2):
        assert run("check", "reports", cwd=cwd) == expected
    assert entries(cache_on)                          # the results themselves were written
