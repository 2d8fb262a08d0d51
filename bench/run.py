"""Benchmark fzlint against a floor on a generated corpus, in one run.

    python bench/run.py --files 2000 --repeat 5 [--rss-files 20000] [--corpus DIR] [--json out.json]

Measured R times each, interleaved (floor, in-process, CLI, CLI -j 1, cold start, floor, ...):

- floor: list the corpus, read and decode every file (UTF-8) and run one regex over it, in
  one process: the least any Python linter must spend on the same files;
- fzlint CLI: ``python -m checker check --format json <corpus>`` as a subprocess, stdout to
  /dev/null: what a reviewer waits for (start-up, worker processes as checker.parallel plans
  them, output). The headline ratio is its median over the floor's;
- fzlint CLI -j 1: the same run in one process;
- fzlint in-process: the full rule set over the corpus in this process (load_registry once,
  then lint_paths over the folder), after an untimed warm-up lint of seeds/;
- cold start: ``python -m checker check --format concise <one seed>`` as a subprocess,
  wall clock (interpreter start-up, imports, parser load, one report, output).

Memory is measured in separate runs after the timed ones (``--memory-runs``, 3): the same CLI
run, its process tree sampled from /proc every 10 ms for the summed PSS of the process and its
workers (PSS shares the pages the workers inherited by fork among them; the summed RSS, which
counts them once per process, is printed as an upper bound), plus the largest single
process's ru_maxrss. Sampling is kept out of the timed runs: on 2 CPUs the sampler's /proc
reads take CPU from the run it measures (about +15% on the CLI's wall time here).

``--rss-files N`` then runs the CLI once over an N-file corpus (generated beside the first,
e.g. bench/corpus-20000), sampled, for its memory and time.
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
import threading
import time
from collections import Counter
from pathlib import Path

import corpus  # bench/corpus.py (this folder is sys.path[0] when run as a script)

REPO = corpus.BENCH_DIR.parent
COLD_FILE = REPO / "seeds" / "000_eded0069a967b318.txt"
TARGETS = {"ratio": 10.0, "cold_ms": 150.0, "rss_mib": 100.0}  # project targets (issue 7)

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


def _tree_memory_kib(root: int) -> tuple[int, int]:
    """(summed PSS, summed RSS) of ``root`` and all its descendants now, in KiB (Linux /proc).

    PSS (proportional set size) divides each page shared by several processes (the workers
    share the pages they inherited by fork) among them: the memory the tree really uses.
    The RSS sum counts a shared page once per process: an upper bound."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat[stat.rindex(b")") + 2:].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == pid and c not in tree]
        tree.update(kids)
        frontier.extend(kids)
    pss = rss = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith(b"Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            pass
    return pss, rss


def batch_cli(folder: Path, jobs: int = 0, sample: bool = False) -> dict:
    """One ``python -m checker check --format json -j JOBS <folder>`` with stdout to /dev/null.

    Returns wall ms, exit code and the largest single process's ru_maxrss (exact, from
    os.wait4); with ``sample``, also the peaks of the summed PSS and of the summed RSS of the
    process and its workers (sampled from /proc every 10 ms, see _tree_memory_kib), at the
    cost of the sampler's CPU time, which slows the run it measures."""
    cmd = [sys.executable, "-m", "checker", "check", "--format", "json", "-j", str(jobs), str(folder)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=CHILD_ENV)
    peak = [0, 0]
    done = threading.Event()

    def sample_tree() -> None:
        while not done.is_set():
            pss, rss = _tree_memory_kib(proc.pid)
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            done.wait(0.01)

    sampler = threading.Thread(target=sample_tree, daemon=True)
    if sample:
        sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child, with its waited-for workers
    ms = (time.perf_counter() - t0) * 1000
    done.set()
    if sample:
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch run failed (exit {proc.returncode}): {stderr.decode()}")
    # ru_maxrss is KiB on Linux, bytes on macOS
    single = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    run = {"ms": ms, "rc": proc.returncode, "max_rss_mib": single}
    if sample:
        run.update(tree_pss_mib=peak[0] / 1024, tree_rss_mib=peak[1] / 1024)
    return run


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
    ap.add_argument("--memory-runs", type=int, default=3, metavar="M",
                    help="sampled CLI runs for peak memory, after the timed runs (3)")
    ap.add_argument("--rss-files", type=int, default=0, metavar="N",
                    help="also run the CLI once over an N-file corpus (e.g. 20000) for its memory")
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

    floor_ms, fz_ms, cli_ms, cli1_ms, cold_ms, cli_runs = [], [], [], [], [], []
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

        run = batch_cli(args.corpus)          # the reviewer's run: workers as fzlint plans them
        cli_ms.append(run["ms"])
        cli_runs.append(run)
        cli1_ms.append(batch_cli(args.corpus, jobs=1)["ms"])   # the same, in one process
        cold_ms.append(cold_start(COLD_FILE)[0])

    mem_runs = [batch_cli(args.corpus, sample=True) for _ in range(max(args.memory_runs, 1))]
    mem_ms = summary([r["ms"] for r in mem_runs])

    big = None
    if args.rss_files:
        big_dir = args.corpus.parent / f"{args.corpus.name}-{args.rss_files}"
        big_paths, _ = corpus.ensure_corpus(big_dir, args.rss_files, args.seed)
        big = {"files": len(big_paths), "bytes": sum(p.stat().st_size for p in big_paths),
               "dir": str(big_dir), **batch_cli(big_dir, sample=True)}

    linted, n_diags, codes = fz_counts
    floor, fz, cli, cli1, cold = (summary(v) for v in (floor_ms, fz_ms, cli_ms, cli1_ms, cold_ms))
    ratio = cli["median"] / floor["median"]
    ratio_in = fz["median"] / floor["median"]
    tree_pss = max(r["tree_pss_mib"] for r in mem_runs)
    tree_rss = max(r["tree_rss_mib"] for r in mem_runs)
    single_rss = max(r["max_rss_mib"] for r in mem_runs + cli_runs)
    workers = plan_workers(args.corpus)

    print(f"corpus   {n} files, {sum(sizes) / 2**20:.1f} MiB (min {sizes[0] / 1024:.1f} KiB, "
          f"median {sizes[n // 2] / 1024:.1f} KiB, max {sizes[-1] / 1024:.1f} KiB) in "
          f"{args.corpus}{f' (generated, {gen_ms:.0f} ms)' if made else ''}")
    print(f"python   {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, fzlint "
          f"{checker.__version__} ({version}), {args.repeat} interleaved runs; load_registry "
          f"{registry_ms:.0f} ms, warm-up lint of seeds/ {warmup_ms:.0f} ms (untimed)")
    print(f"         subprocess bytecode cache: {pyc}; the CLI plans {workers} worker processes "
          f"for this corpus")
    print()
    print(f"{'measure':<44}{'median ms':>11}{'min ms':>10}{'max ms':>10}{'files/s':>10}")
    for label, s_, files in [
        ("floor: read+decode+1 regex, 1 process", floor, n),
        ("fzlint CLI -f json, corpus (as planned)", cli, n),
        ("fzlint CLI -f json -j 1, corpus", cli1, n),
        ("fzlint in-process, 1 process, corpus", fz, linted),
        ("cold start: CLI, 1 report", cold, 1),
    ]:
        rate = files / (s_["median"] / 1000)
        print(f"{label:<44}{s_['median']:>11.1f}{s_['min']:>10.1f}{s_['max']:>10.1f}{rate:>10,.0f}")
    print()

    def verdict(value, target):
        return "meets" if value <= target else "misses"

    print(f"fzlint CLI / floor (medians)         {ratio:8.1f}x    target <= {TARGETS['ratio']:.0f}x   "
          f"{verdict(ratio, TARGETS['ratio'])}")
    print(f"  (one process, in-process / floor   {ratio_in:8.1f}x; CLI -j 1 / floor "
          f"{cli1['median'] / floor['median']:.1f}x)")
    print(f"cold start median                    {cold['median']:8.1f} ms   target <= "
          f"{TARGETS['cold_ms']:.0f} ms  {verdict(cold['median'], TARGETS['cold_ms'])}")
    print(f"peak memory (PSS), CLI + workers, {n} files {tree_pss:8.1f} MiB  target <= "
          f"{TARGETS['rss_mib']:.0f} MiB {verdict(tree_pss, TARGETS['rss_mib'])}  (RSS sum {tree_rss:.1f} MiB; "
          f"largest single process {single_rss:.1f} MiB)")
    print(f"  ({len(mem_runs)} separate sampled runs, median {mem_ms['median']:.0f} ms while sampled)")
    if big is not None:
        print(f"peak memory (PSS), CLI + workers, {big['files']} files {big['tree_pss_mib']:6.1f} MiB  target <= "
              f"{TARGETS['rss_mib']:.0f} MiB {verdict(big['tree_pss_mib'], TARGETS['rss_mib'])}  "
              f"(RSS sum {big['tree_rss_mib']:.1f} MiB; largest single process {big['max_rss_mib']:.1f} MiB; "
              f"{big['bytes'] / 2**20:.0f} MiB corpus in {big['ms'] / 1000:.1f} s)")
    print(f"per file: floor {floor['median'] / n * 1000:.0f} us, fzlint CLI "
          f"{cli['median'] / n * 1000:.0f} us, in-process {fz['median'] / max(linted, 1) * 1000:.0f} us")
    top = ", ".join(f"{c} {k}" for c, k in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])))
    print(f"diagnostics {n_diags} over {linted} files (CLI exit {cli_runs[0]['rc']}): {top}")

    if args.json:
        result = {
            "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "fzlint": checker.__version__, "code": version, "repeat": args.repeat, "bytecode_cache": pyc,
            "corpus": {"dir": str(args.corpus), "files": n, "seed": args.seed,
                       "bytes": sum(sizes), "min": sizes[0], "median": sizes[n // 2],
                       "max": sizes[-1]},
            "registry_ms": registry_ms, "warmup_ms": warmup_ms, "workers": workers,
            "floor_ms": floor, "cli_ms": cli, "cli_j1_ms": cli1, "fzlint_inprocess_ms": fz,
            "cold_start_ms": cold, "ratio": ratio, "ratio_inprocess": ratio_in,
            "memory_runs_ms": mem_ms, "peak_tree_pss_mib": tree_pss, "peak_tree_rss_mib": tree_rss,
            "peak_single_rss_mib": single_rss,
            "big": big,
            "diagnostics": n_diags, "codes": dict(codes), "targets": TARGETS,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")


def plan_workers(folder: Path) -> int:
    """How many workers the CLI plans for this folder (checker.parallel.plan, default config)."""
    from checker.lint import iter_files
    from checker.parallel import estimate_ms, plan
    from checker.sources import DEFAULT_MAX_BYTES

    return plan([estimate_ms(p, DEFAULT_MAX_BYTES) for p, _, _ in iter_files([str(folder)])], None)


if __name__ == "__main__":
    main()
