"""Benchmark fzlint against a floor on a generated corpus, in one run.

    python bench/run.py --files 2000 --repeat 5 [--corpus DIR] [--json out.json]

Measured R times each, interleaved (floor, fzlint, cold start, floor, fzlint, ...):

- floor: list the corpus, read and decode every file (UTF-8) and run one regex over it;
  the least any Python linter must spend on the same files;
- fzlint: the full rule set over the corpus in this process (load_registry once, then
  lint_paths over the folder, counting diagnostics); a warm-up lint of one seed runs first,
  so the timed runs do not include building the parser;
- cold start: ``python -m checker check --format concise <one seed>`` as a subprocess,
  wall clock (interpreter start-up, imports, parser load, one report, output).

Then once: ``python -m checker check --format json <corpus>`` as a subprocess with stdout to
/dev/null, for its peak RSS (ru_maxrss of that child, from os.wait4) and wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import corpus  # bench/corpus.py (this folder is sys.path[0] when run as a script)

REPO = corpus.BENCH_DIR.parent
COLD_FILE = REPO / "seeds" / "000_eded0069a967b318.txt"
TARGETS = {"ratio": 10.0, "cold_ms": 150.0, "rss_mib": 100.0}  # project targets (later)

FLOOR_RE = re.compile(r"[一二三四五六七八九十]+、")

# Subprocesses run with bytecode caching on, cached under a temp folder (never in checker/),
# as an installed fzlint would have its .pyc files; --no-bytecode-cache keeps the caller's
# environment (e.g. PYTHONDONTWRITEBYTECODE=1 recompiles fzlint's modules on every start).
CHILD_ENV = dict(os.environ)


def list_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md") and p.is_file())


def floor_pass(folder: Path) -> int:
    """Read, decode and regex every file; returns the number of regex matches."""
    matches = 0
    for path in list_files(folder):
        text = path.read_bytes().decode("utf-8")
        matches += len(FLOOR_RE.findall(text))
    return matches


def fzlint_pass(folder: Path, registry, lint_paths) -> tuple[int, int, Counter]:
    """Lint the folder with every rule; returns (files, diagnostics, count per code)."""
    files = diags = 0
    codes: Counter = Counter()
    for res in lint_paths([str(folder)], registry):
        files += 1
        diags += len(res.diagnostics)
        codes.update(d.code for d in res.diagnostics)
    return files, diags, codes


def cold_start(path: Path) -> tuple[float, int]:
    cmd = [sys.executable, "-m", "checker", "check", "--format", "concise", str(path)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=CHILD_ENV)
    ms = (time.perf_counter() - t0) * 1000
    if proc.returncode not in (0, 1):
        raise SystemExit(f"cold start failed (exit {proc.returncode}): {proc.stderr.decode()}")
    return ms, proc.returncode


def batch_rss(folder: Path) -> tuple[float, float, int]:
    """(wall ms, peak RSS MiB, exit code) of the CLI linting the whole folder to /dev/null."""
    cmd = [sys.executable, "-m", "checker", "check", "--format", "json", str(folder)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=CHILD_ENV)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
    ms = (time.perf_counter() - t0) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch run failed (exit {proc.returncode}): {stderr.decode()}")
    # ru_maxrss is KiB on Linux, bytes on macOS
    rss = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return ms, rss, proc.returncode


def code_version() -> str:
    """Commit of the code under test, with '+dirty' when checker/, grammar/ or rules/ differ."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "checker", "grammar",
                                "rules"], cwd=REPO, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty.strip() else "")


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": values}


def main() -> None:
    ap = argparse.ArgumentParser(description="Time fzlint against a read+decode+regex floor.")
    ap.add_argument("--files", type=int, default=2000, help="reports in the corpus (2000)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each measure (5)")
    ap.add_argument("--corpus", type=Path, default=corpus.DEFAULT_OUT,
                    help="corpus folder, generated if missing or different (bench/corpus)")
    ap.add_argument("--seed", type=int, default=1, help="corpus random seed (1)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write the results as JSON")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="run subprocesses in the caller's environment as is")
    args = ap.parse_args()
    if not args.no_bytecode_cache:
        CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(),
                                                        "fzlint-bench-pycache")
    pyc = ("off" if CHILD_ENV.get("PYTHONDONTWRITEBYTECODE")
           else CHILD_ENV.get("PYTHONPYCACHEPREFIX", "on"))

    t0 = time.perf_counter()
    paths, made = corpus.ensure_corpus(args.corpus, args.files, args.seed)
    gen_ms = (time.perf_counter() - t0) * 1000
    sizes = sorted(p.stat().st_size for p in paths)
    n = len(paths)

    import checker
    version = code_version()
    from checker.engine.registry import load_registry
    from checker.lint import lint_paths

    t0 = time.perf_counter()
    registry = load_registry()
    registry_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    fzlint_pass(COLD_FILE.parent, registry, lint_paths)  # warm-up: parser build, lazy imports
    warmup_ms = (time.perf_counter() - t0) * 1000
    cold_start(COLD_FILE)  # warm-up: bytecode and parser caches on disk

    floor_ms, fz_ms, cold_ms = [], [], []
    fz_counts = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        floor_pass(args.corpus)
        floor_ms.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        counts = fzlint_pass(args.corpus, registry, lint_paths)
        fz_ms.append((time.perf_counter() - t0) * 1000)
        if fz_counts is not None and counts[:2] != fz_counts[:2]:
            raise SystemExit(f"fzlint results differ between runs: {counts[:2]} vs {fz_counts[:2]}")
        fz_counts = counts

        cold_ms.append(cold_start(COLD_FILE)[0])

    batch_ms, rss_mib, batch_rc = batch_rss(args.corpus)

    linted, n_diags, codes = fz_counts
    floor, fz, cold = summary(floor_ms), summary(fz_ms), summary(cold_ms)
    ratio = fz["median"] / floor["median"]

    print(f"corpus   {n} files, {sum(sizes) / 2**20:.1f} MiB (min {sizes[0] / 1024:.1f} KiB, "
          f"median {sizes[n // 2] / 1024:.1f} KiB, max {sizes[-1] / 1024:.1f} KiB) in "
          f"{args.corpus}{f' (generated, {gen_ms:.0f} ms)' if made else ''}")
    print(f"python   {platform.python_version()} on {platform.machine()}, fzlint "
          f"{checker.__version__} ({version}), {args.repeat} interleaved runs; load_registry "
          f"{registry_ms:.0f} ms, warm-up lint of seeds/ {warmup_ms:.0f} ms (untimed)")
    print(f"         subprocess bytecode cache: {pyc}")
    print()
    print(f"{'measure':<40}{'median ms':>11}{'min ms':>10}{'max ms':>10}{'files/s':>10}")
    for label, s, files in [
        ("floor: read+decode+1 regex, corpus", floor, n),
        ("fzlint in-process, all rules, corpus", fz, linted),
        ("cold start: CLI, 1 report", cold, 1),
    ]:
        rate = files / (s["median"] / 1000)
        print(f"{label:<40}{s['median']:>11.1f}{s['min']:>10.1f}{s['max']:>10.1f}{rate:>10,.0f}")
    print(f"{'CLI --format json, corpus (1 run)':<40}{batch_ms:>11.1f}{'':>10}{'':>10}"
          f"{n / (batch_ms / 1000):>10,.0f}")
    print()

    def verdict(value, target):
        return "meets" if value <= target else "misses"

    print(f"fzlint / floor (medians)   {ratio:8.1f}x    target <= {TARGETS['ratio']:.0f}x   "
          f"{verdict(ratio, TARGETS['ratio'])}")
    print(f"cold start median          {cold['median']:8.1f} ms   target <= "
          f"{TARGETS['cold_ms']:.0f} ms  {verdict(cold['median'], TARGETS['cold_ms'])}")
    print(f"peak RSS, CLI over corpus  {rss_mib:8.1f} MiB  target <= {TARGETS['rss_mib']:.0f} MiB "
          f"{verdict(rss_mib, TARGETS['rss_mib'])}")
    print(f"per file: floor {floor['median'] / n * 1000:.0f} us, fzlint "
          f"{fz['median'] / max(linted, 1) * 1000:.0f} us")
    top = ", ".join(f"{c} {k}" for c, k in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])))
    print(f"diagnostics {n_diags} over {linted} files (CLI exit {batch_rc}): {top}")

    if args.json:
        result = {
            "python": platform.python_version(), "machine": platform.machine(),
            "fzlint": checker.__version__, "code": version, "repeat": args.repeat, "bytecode_cache": pyc,
            "corpus": {"dir": str(args.corpus), "files": n, "seed": args.seed,
                       "bytes": sum(sizes), "min": sizes[0], "median": sizes[n // 2],
                       "max": sizes[-1]},
            "registry_ms": registry_ms, "warmup_ms": warmup_ms,
            "floor_ms": floor, "fzlint_ms": fz, "cold_start_ms": cold,
            "ratio": ratio, "batch_cli_ms": batch_ms, "peak_rss_mib": rss_mib,
            "diagnostics": n_diags, "codes": dict(codes), "targets": TARGETS,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
