"""Compare two versions of fzlint on the same corpus, runs alternating: wall and CPU.

    python bench/ab.py --old fc63ce7 [--new DIR] [--files 2000] [--repeat 5] [-j 2]

``--old`` (a git revision of this repository, unpacked with ``git archive`` into a
temporary folder) and ``--new`` (a source folder, default this checkout) each run
``python -m checker check --format json -j J <corpus>`` (stdout to /dev/null) as a
subprocess, alternating old, new, old, new ...; each run's wall time and CPU time (user +
sys of the process and the workers it waited for, from ``os.wait4``), then the cold start
of one report (``--format concise seeds/000_….txt``) the same way. Prints the medians and
the ratios new/old; ``--findings`` also checks that both give the same JSON (``--ignore``
codes whose findings are meant to differ).

Both run with this interpreter, bytecode cached under a temporary folder, the parsed packs and
parser tables cached in a folder of the comparison's own (one untimed run each first), and the
result cache off (FZLINT_NO_CACHE=1): every run checks every file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus  # bench/corpus.py (this folder is sys.path[0] when run as a script)

REPO = corpus.BENCH_DIR.parent
COLD_FILE = REPO / "seeds" / "000_eded0069a967b318.txt"


def unpack(rev: str, into: Path) -> Path:
    """The tree of ``rev`` (checker/, grammar/, rules/) in ``into``."""
    archive = subprocess.run(["git", "archive", rev, "checker", "grammar", "rules"], cwd=REPO,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run(code: Path, args: list[str], env: dict, stdout=subprocess.DEVNULL) -> tuple[float, float, int]:
    """(wall s, CPU s, exit code) of ``python -m checker ARGS`` with ``code`` first on the path."""
    t0 = time.perf_counter()
    # not in this checkout: ``-m`` puts the working folder first on the path, before PYTHONPATH
    proc = subprocess.Popen([sys.executable, "-m", "checker", *args], cwd=tempfile.gettempdir(), stdout=stdout,
                            stderr=subprocess.DEVNULL, env={**env, "PYTHONPATH": str(code)})
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    if rc not in (0, 1):
        raise SystemExit(f"{code}: fzlint {' '.join(args)} failed (exit {rc})")
    return wall, usage.ru_utime + usage.ru_stime, rc


def findings(code: Path, folder: Path, env: dict, ignore: set[str]) -> list[dict]:
    with tempfile.TemporaryFile() as out:
        run(code, ["check", "--format", "json", str(folder.resolve())], env, stdout=out)
        out.seek(0)
        return [f for f in json.loads(out.read()) if f["code"] not in ignore]


def main() -> None:
    ap = argparse.ArgumentParser(description="Two versions of fzlint on one corpus, alternating.")
    ap.add_argument("--old", required=True, help="git revision to compare with (e.g. a commit before a change)")
    ap.add_argument("--new", type=Path, default=REPO, help="source folder of the new version (this checkout)")
    ap.add_argument("--files", type=int, default=2000, help="reports in the corpus (2000)")
    ap.add_argument("--corpus", type=Path, default=corpus.DEFAULT_OUT, help="corpus folder (bench/corpus)")
    ap.add_argument("--seed", type=int, default=1, help="corpus random seed (1)")
    ap.add_argument("--as-is", action="store_true",
                    help="use the --corpus folder as it is (e.g. one an older bench/corpus.py made)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each version (5)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="fzlint's -j (2)")
    ap.add_argument("--findings", action="store_true", help="also compare the JSON findings of both")
    ap.add_argument("--ignore", default="", help="codes left out of --findings' comparison, e.g. FZ505")
    args = ap.parse_args()

    if not args.as_is:
        corpus.ensure_corpus(args.corpus, args.files, args.seed)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "fzlint-ab-pycache")
    # results never from the result cache (after the warm-up run every file would be served
    # from it, and the ratios would say nothing of the checking); the packs and parser tables
    # are cached, as on a user's machine, in a folder of the comparison's own
    env["FZLINT_NO_CACHE"] = "1"
    batch = ["check", "--format", "json", "-j", str(args.jobs), str(args.corpus.resolve())]
    cold = ["check", "--format", "concise", str(COLD_FILE)]
    with tempfile.TemporaryDirectory() as tmp:
        env["FZLINT_CACHE_DIR"] = os.path.join(tmp, "fzlint-cache")
        old = unpack(args.old, Path(tmp))
        versions = {"old": old, "new": args.new.resolve()}
        for code in versions.values():          # warm: bytecode, parsed packs, parser tables
            run(code, batch, env)
            run(code, cold, env)
        runs: dict[str, dict[str, list[float]]] = {v: {"wall": [], "cpu": [], "cold": []} for v in versions}
        for _ in range(args.repeat):
            for name, code in versions.items():
                wall, cpu, _ = run(code, batch, env)
                runs[name]["wall"].append(wall)
                runs[name]["cpu"].append(cpu)
        for _ in range(args.repeat):
            for name, code in versions.items():
                runs[name]["cold"].append(run(code, cold, env)[0])
        same = None
        if args.findings:
            ignore = {c for c in args.ignore.split(",") if c}
            same = findings(old, args.corpus, env, ignore) == findings(versions["new"], args.corpus, env, ignore)

    med = {v: {k: statistics.median(xs) for k, xs in r.items()} for v, r in runs.items()}
    reports = len(corpus.corpus_files(args.corpus))
    print(f"{args.corpus} ({reports} reports), -j {args.jobs}, {args.repeat} runs each, alternating; "
          f"old = {args.old}, new = {args.new}")
    print(f"{'':6}{'wall s':>10}{'CPU s':>10}{'cold ms':>10}   (medians; min wall / CPU)")
    for name in versions:
        m, r = med[name], runs[name]
        print(f"{name:6}{m['wall']:>10.3f}{m['cpu']:>10.3f}{m['cold'] * 1000:>10.0f}   "
              f"({min(r['wall']):.3f} / {min(r['cpu']):.3f})")
    ratio = {k: med["new"][k] / med["old"][k] for k in ("wall", "cpu", "cold")}
    print(f"{'new/old':6}{ratio['wall']:>10.2f}{ratio['cpu']:>10.2f}{ratio['cold']:>10.2f}")
    if same is not None:
        left_out = f" (leaving out {args.ignore})" if args.ignore else ""
        print("findings: " + ("the same" if same else "DIFFERENT") + left_out)


if __name__ == "__main__":
    main()
