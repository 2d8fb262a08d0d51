"""Benchmark fzlint against a floor and against the peer (textlint) on a generated corpus, in one run.

    python bench/run.py --files 2000 --repeat 5 [--rss-files 20000] [--corpus DIR] [--json out.json]
                        [--peer ../shared/peer-textlint | --no-peer]

Measured R times each, interleaved (floor, read+decode floor, in-process, CLI, peer, CLI with
an empty cache, CLI re-run, CLI -j 1, cold starts, floor, ...):

- floor: list the corpus, read and decode every file (UTF-8) and run one regex over it, in
  one process: the least any Python linter must spend on the same files;
- read+decode floor: the same without the regex (the floor of a re-run: issue 20);
- fzlint CLI: ``python -m checker check --no-cache --format json <corpus>`` as a subprocess,
  stdout to /dev/null: the full rule set, what a reviewer waits for (start-up, worker
  processes as checker.parallel plans them, output); wall clock and the CPU time (user + sys)
  of the process and its workers (os.wait4);
- peer: textlint 15.8 with one JS rule doing only the section checks
  (``../shared/peer-textlint``, installed with ``npm ci`` into a temporary folder for the run),
  over the same corpus: wall, CPU;
- the CLI and the peer again over the corpus's .txt files only (hard links in a temporary
  folder): textlint reads a .md file through its Markdown parser, several times the cost of a
  plain text file, so the share of .md files in a corpus moves the peer's figures, and the
  ratios, a lot (16% of .md files about double the peer's time); this pair shows the ratio
  without that help;
- fzlint CLI, empty cache: the CLI with the result cache on, in a new cache folder holding
  the parsed packs and parser tables but no results (the first run of a user: checks every
  file and writes the entries);
- fzlint CLI re-run: the same command right after, every file unchanged: served from the cache;
- fzlint CLI -j 1: the full rule set in one process (--no-cache);
- fzlint in-process: the full rule set over the corpus in this process (load_registry once,
  then lint_paths over the folder), after an untimed warm-up lint of seeds/;
- cold start: ``python -m checker check --format concise <one seed>`` as a subprocess, wall
  clock (interpreter start-up, imports, parser load, one report, output), with --no-cache
  (a report fzlint has not seen) and with its result in the cache.

Every fzlint subprocess uses a cache folder of the run (FZLINT_CACHE_DIR in a temporary
folder), never the user's.

Memory is measured in separate runs after the timed ones (``--memory-runs``, 3): the same CLI
run (--no-cache) and the peer, alternating, their process trees sampled from /proc every 10 ms
for the summed PSS of the process and its workers (PSS shares the pages the workers inherited
by fork among them; the summed RSS, which counts them once per process, is printed as an upper
bound), plus the largest single process's ru_maxrss. Sampling is kept out of the timed runs:
on 2 CPUs the sampler's /proc reads take CPU from the run it measures (about +15% on the CLI's
wall time here).

``--rss-files N`` then runs the CLI over an N-file corpus (generated beside the first, e.g.
bench/corpus-20000), sampled, for its memory and time: once with an empty cache, once again
(every file served from the cache).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
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
# project targets: issue 7 (ratio, cold start, memory), issue 20 (against the peer, re-run)
TARGETS = {"ratio": 10.0, "cold_ms": 150.0, "rss_mib": 100.0, "peer_cpu": 0.6, "peer_wall": 0.5, "rerun": 3.0}
PEER_DEFAULTS = [REPO.parent / "shared" / "peer-textlint", REPO.parent.parent / "shared" / "peer-textlint"]

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


def read_decode_pass(folder: Path) -> int:
    """Read and decode every file; returns the number of characters."""
    return sum(len(path.read_bytes().decode("utf-8")) for path in list_files(folder))


def fzlint_pass(folder: Path, registry, lint_paths) -> tuple[int, int, Counter]:
    """Lint the folder with every rule; returns (files, diagnostics, count per code)."""
    files = diags = 0
    codes: Counter = Counter()
    for res in lint_paths([str(folder)], registry):
        files += 1
        diags += len(res.diagnostics)
        codes.update(d.code for d in res.diagnostics)
    return files, diags, codes


def cold_start(path: Path, cache: bool = False) -> tuple[float, int]:
    """One report from a new process: with ``cache``, its result is in the cache."""
    cmd = [sys.executable, "-m", "checker", "check", "--format", "concise", *([] if cache else ["--no-cache"]),
           str(path)]
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


def measure(cmd: list[str], sample: bool = False, cwd: Path = REPO, ok=(0, 1), env: dict | None = None) -> dict:
    """Run ``cmd`` with stdout to /dev/null: wall ms, CPU ms (user + sys of the process and the
    children it waited for: fzlint's workers) and the largest single process's ru_maxrss
    (exact, from os.wait4); with ``sample``, also the peaks of the summed PSS and of the summed
    RSS of the process tree (sampled from /proc every 10 ms, see _tree_memory_kib), at the cost
    of the sampler's CPU time, which slows the run it measures."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env or CHILD_ENV)
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
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed (exit {proc.returncode}): {stderr.decode()[-2000:]}")
    # ru_maxrss is KiB on Linux, bytes on macOS
    single = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    run = {"ms": ms, "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000, "rc": proc.returncode,
           "max_rss_mib": single}
    if sample:
        run.update(tree_pss_mib=peak[0] / 1024, tree_rss_mib=peak[1] / 1024)
    return run


def batch_cli(folder: Path, jobs: int = 0, sample: bool = False, cache: bool = False, env: dict | None = None) -> dict:
    """One ``python -m checker check --format json -j JOBS <folder>``; ``cache``: with the result
    cache (else --no-cache: the full work of checking), in ``env``'s cache folder."""
    cmd = [sys.executable, "-m", "checker", "check", "--format", "json", "-j", str(jobs),
           *([] if cache else ["--no-cache"]), str(folder)]
    return measure(cmd, sample, env=env)


def fresh_cache(base: Path, n: int) -> dict:
    """The environment of a run with an empty result cache: a new cache folder holding the
    parsed packs and parser tables of ``base`` (warm, as on a user's machine), no results. A
    new folder, not the results removed: on this machine's ext4 (mounted with discard),
    creating files right after deleting thousands costs up to ten times as much, which would
    be charged to the run."""
    folder = base.parent / f"fresh-cache-{n}"
    folder.mkdir(mode=0o700)
    for entry in base.iterdir():
        if entry.is_file():
            shutil.copy2(entry, folder / entry.name)
    return {**CHILD_ENV, "FZLINT_CACHE_DIR": str(folder)}


def install_peer(source: Path, into: Path) -> Path:
    """Copy the peer's package (without node_modules) into ``into`` and ``npm ci`` it there;
    returns its textlint command."""
    target = into / "peer-textlint"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("node_modules"))
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm not found")
    proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=target,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"npm ci failed: {proc.stderr.strip()[-500:]}")
    textlint = target / "node_modules" / ".bin" / "textlint"
    if not textlint.exists():
        raise RuntimeError(f"{textlint} missing after npm ci")
    return textlint


def peer_cmd(textlint: Path, folder: Path) -> list[str]:
    return [str(textlint), "--rulesdir", str(textlint.parents[2] / "rules"), str(folder)]


def peer_version(textlint: Path) -> str:
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
        tl = subprocess.run([str(textlint), "--version"], capture_output=True, text=True).stdout.strip()
        return f"textlint {tl.lstrip('v')} on node {node}"
    except OSError:
        return "textlint"


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
    ap = argparse.ArgumentParser(description="Time fzlint against a floor and the peer (textlint).")
    ap.add_argument("--files", type=int, default=2000, help="reports in the corpus (2000)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each measure (5)")
    ap.add_argument("--corpus", type=Path, default=corpus.DEFAULT_OUT,
                    help="corpus folder, generated if missing or different (bench/corpus)")
    ap.add_argument("--seed", type=int, default=1, help="corpus random seed (1)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write the results as JSON")
    ap.add_argument("--memory-runs", type=int, default=3, metavar="M",
                    help="sampled runs of the CLI and of the peer for peak memory, after the timed runs (3)")
    ap.add_argument("--rss-files", type=int, default=0, metavar="N",
                    help="also run the CLI over an N-file corpus (e.g. 20000) for its memory, cold and cached")
    ap.add_argument("--peer", type=Path, metavar="DIR",
                    help="the peer's package (default: ../shared/peer-textlint), installed with npm ci "
                         "into a temporary folder")
    ap.add_argument("--no-peer", action="store_true", help="do not measure the peer")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="run subprocesses in the caller's environment as is")
    args = ap.parse_args()
    if not args.no_bytecode_cache:
        CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(),
                                                        "fzlint-bench-pycache")
    pyc = ("off" if CHILD_ENV.get("PYTHONDONTWRITEBYTECODE")
           else CHILD_ENV.get("PYTHONPYCACHEPREFIX", "on"))
    work = Path(tempfile.mkdtemp(prefix="fzlint-bench-"))
    CHILD_ENV["FZLINT_CACHE_DIR"] = str(work / "fzlint-cache")     # never the user's cache
    CHILD_ENV.pop("FZLINT_NO_CACHE", None)
    CHILD_ENV.pop("FZLINT_CACHE_MAX_SIZE", None)
    try:
        run_all(args, pyc, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(args, pyc: str, work: Path) -> None:
    t0 = time.perf_counter()
    paths, made = corpus.ensure_corpus(args.corpus, args.files, args.seed)
    gen_ms = (time.perf_counter() - t0) * 1000
    sizes = sorted(p.stat().st_size for p in paths)
    n = len(paths)

    textlint = peer_note = None
    if not args.no_peer:
        source = args.peer or next((d for d in PEER_DEFAULTS if d.is_dir()), None)
        if source is None:
            peer_note = "peer not measured: no ../shared/peer-textlint (give --peer DIR)"
        else:
            t0 = time.perf_counter()
            try:
                textlint = install_peer(source, work)
                peer_note = (f"{peer_version(textlint)}, installed from {source} with npm ci in "
                             f"{time.perf_counter() - t0:.0f} s")
            except (RuntimeError, OSError) as exc:
                peer_note = f"peer not measured: {exc}"

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
    cold_start(COLD_FILE, cache=True)  # and the seed's result in the cache
    if textlint is not None:
        measure(peer_cmd(textlint, COLD_FILE.parent))      # warm-up: node's own compile cache

    txt_only = work / "corpus-txt"      # the .txt files alone (see the module docstring)
    txt_only.mkdir()
    for p in paths:
        if p.suffix == ".txt":
            try:
                os.link(p, txt_only / p.name)
            except OSError:             # another file system: a copy
                shutil.copy2(p, txt_only / p.name)
    n_txt = sum(1 for _ in txt_only.iterdir())

    series: dict[str, list[dict]] = {k: [] for k in (
        "floor", "read_decode", "inprocess", "cli", "peer", "cli_txt", "peer_txt", "cli_cold_cache", "cli_rerun",
        "cli_j1", "cold", "cold_cached")}
    fz_counts = None
    base_cache = Path(CHILD_ENV["FZLINT_CACHE_DIR"])
    for rep in range(args.repeat):
        t0 = time.perf_counter()
        floor_pass(args.corpus)
        series["floor"].append({"ms": (time.perf_counter() - t0) * 1000})
        t0 = time.perf_counter()
        read_decode_pass(args.corpus)
        series["read_decode"].append({"ms": (time.perf_counter() - t0) * 1000})

        t0 = time.perf_counter()
        counts = fzlint_pass(args.corpus, registry, lint_paths)
        series["inprocess"].append({"ms": (time.perf_counter() - t0) * 1000})
        if fz_counts is not None and counts[:2] != fz_counts[:2]:
            raise SystemExit(f"fzlint results differ between runs: {counts[:2]} vs {fz_counts[:2]}")
        fz_counts = counts

        series["cli"].append(batch_cli(args.corpus))          # the full rule set, workers as planned
        if textlint is not None:
            series["peer"].append(measure(peer_cmd(textlint, args.corpus)))
            series["cli_txt"].append(batch_cli(txt_only))
            series["peer_txt"].append(measure(peer_cmd(textlint, txt_only)))
        env = fresh_cache(base_cache, rep)
        series["cli_cold_cache"].append(batch_cli(args.corpus, cache=True, env=env))   # writes the entries
        series["cli_rerun"].append(batch_cli(args.corpus, cache=True, env=env))        # every file unchanged
        series["cli_j1"].append(batch_cli(args.corpus, jobs=1))
        series["cold"].append({"ms": cold_start(COLD_FILE)[0]})
        series["cold_cached"].append({"ms": cold_start(COLD_FILE, cache=True)[0]})

    mem_runs, peer_mem = [], []
    for _ in range(max(args.memory_runs, 1)):
        mem_runs.append(batch_cli(args.corpus, sample=True))
        if textlint is not None:
            peer_mem.append(measure(peer_cmd(textlint, args.corpus), sample=True))
    rerun_mem = batch_cli(args.corpus, sample=True, cache=True, env=env)

    big = None
    if args.rss_files:
        big_dir = args.corpus.parent / f"{args.corpus.name}-{args.rss_files}"
        big_paths, _ = corpus.ensure_corpus(big_dir, args.rss_files, args.seed)
        env = fresh_cache(base_cache, args.repeat)
        big = {"files": len(big_paths), "bytes": sum(p.stat().st_size for p in big_paths),
               "dir": str(big_dir), **batch_cli(big_dir, sample=True, cache=True, env=env)}
        big["rerun"] = batch_cli(big_dir, sample=True, cache=True, env=env)

    linted, n_diags, codes = fz_counts
    med = {k: summary([r["ms"] for r in v]) for k, v in series.items() if v}
    cpu = {k: summary([r["cpu_ms"] for r in v]) for k, v in series.items() if v and "cpu_ms" in v[0]}
    floor, rd, fz, cli, cli1, cold = (med[k] for k in ("floor", "read_decode", "inprocess", "cli", "cli_j1",
                                                         "cold"))
    ratio = cli["median"] / floor["median"]
    ratio_in = fz["median"] / floor["median"]
    rerun_ratio = med["cli_rerun"]["median"] / rd["median"]
    tree_pss = max(r["tree_pss_mib"] for r in mem_runs)
    tree_rss = max(r["tree_rss_mib"] for r in mem_runs)
    single_rss = max(r["max_rss_mib"] for r in mem_runs + series["cli"])
    mem_ms = summary([r["ms"] for r in mem_runs])
    workers = plan_workers(args.corpus)

    print(f"corpus   {n} files, {sum(sizes) / 2**20:.1f} MiB (min {sizes[0] / 1024:.1f} KiB, "
          f"median {sizes[n // 2] / 1024:.1f} KiB, max {sizes[-1] / 1024:.1f} KiB) in "
          f"{args.corpus}{f' (generated, {gen_ms:.0f} ms)' if made else ''}")
    print(f"python   {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, fzlint "
          f"{checker.__version__} ({version}), {args.repeat} interleaved runs; load_registry "
          f"{registry_ms:.0f} ms, warm-up lint of seeds/ {warmup_ms:.0f} ms (untimed)")
    print(f"         subprocess bytecode cache: {pyc}; the CLI plans {workers} worker processes "
          f"for this corpus; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    print(f"peer     {peer_note}")
    print()
    print(f"{'measure':<46}{'median ms':>10}{'min':>9}{'max':>9}{'CPU ms':>9}{'files/s':>9}")
    rows = [
        ("floor: read+decode+1 regex, 1 process", "floor", n),
        ("floor: read+decode, 1 process", "read_decode", n),
        ("fzlint CLI, full rule set (as planned)", "cli", n),
        ("peer: textlint, section checks only", "peer", n),
        (f"fzlint CLI, full rule set, {n_txt} .txt only", "cli_txt", n_txt),
        (f"peer, {n_txt} .txt only", "peer_txt", n_txt),
        ("fzlint CLI, empty result cache (writes it)", "cli_cold_cache", n),
        ("fzlint CLI re-run, files unchanged (cache)", "cli_rerun", n),
        ("fzlint CLI -j 1, full rule set", "cli_j1", n),
        ("fzlint in-process, 1 process", "inprocess", linted),
        ("cold start: CLI, 1 report (--no-cache)", "cold", 1),
        ("cold start: CLI, 1 report (cached)", "cold_cached", 1),
    ]
    for label, key, files in rows:
        if key not in med:
            continue
        s_ = med[key]
        c_ = f"{cpu[key]['median']:>9.0f}" if key in cpu else f"{'':>9}"
        rate = files / (s_["median"] / 1000)
        print(f"{label:<46}{s_['median']:>10.1f}{s_['min']:>9.1f}{s_['max']:>9.1f}{c_}{rate:>9,.0f}")
    print()

    def verdict(value, target):
        return "meets" if value <= target else "misses"

    peer = None
    if "peer" in med:
        peer_pss = max(r["tree_pss_mib"] for r in peer_mem)
        peer = {"wall": cli["median"] / med["peer"]["median"], "cpu": cpu["cli"]["median"] / cpu["peer"]["median"],
                "pss": tree_pss / peer_pss, "peer_pss_mib": peer_pss}
        print(f"fzlint full set / peer, CPU (medians) {peer['cpu']:7.2f}x    target <= {TARGETS['peer_cpu']}x  "
              f"{verdict(peer['cpu'], TARGETS['peer_cpu'])}  ({cpu['cli']['median']:.0f} vs "
              f"{cpu['peer']['median']:.0f} ms)")
        print(f"fzlint full set / peer, wall          {peer['wall']:7.2f}x    target <= {TARGETS['peer_wall']}x  "
              f"{verdict(peer['wall'], TARGETS['peer_wall'])}  ({cli['median']:.0f} vs "
              f"{med['peer']['median']:.0f} ms)")
        print(f"fzlint full set / peer, peak memory   {peer['pss']:7.2f}x    ({tree_pss:.1f} vs {peer_pss:.1f} MiB "
              "PSS of the process tree)")
        # each round ran the CLI and the peer one after the other: the ratio of each round's pair
        # moves less with the machine's load than the ratio of the medians
        pairs = [(c["cpu_ms"] / p["cpu_ms"], c["ms"] / p["ms"]) for c, p in zip(series["cli"], series["peer"])]
        peer["paired_cpu"] = sorted(r[0] for r in pairs)
        peer["paired_wall"] = sorted(r[1] for r in pairs)
        pc, pw = peer["paired_cpu"], peer["paired_wall"]
        print(f"  per round (each CLI run over the peer's run right after it): CPU median "
              f"{statistics.median(pc):.2f}x ({pc[0]:.2f}-{pc[-1]:.2f}), "
              f"wall {statistics.median(pw):.2f}x ({pw[0]:.2f}-{pw[-1]:.2f})")
        peer["j1_cpu"] = cpu["cli_j1"]["median"] / cpu["peer"]["median"]
        peer["j1_wall"] = cli1["median"] / med["peer"]["median"]
        print(f"  -j 1 (one process): CPU {peer['j1_cpu']:.2f}x, wall {peer['j1_wall']:.2f}x the peer's (workers busy "
              "on every CPU may take more CPU time than one process doing the same work)")
        peer["txt_cpu"] = cpu["cli_txt"]["median"] / cpu["peer_txt"]["median"]
        peer["txt_wall"] = med["cli_txt"]["median"] / med["peer_txt"]["median"]
        print(f"  .txt files only ({n_txt}): CPU {peer['txt_cpu']:.2f}x ({cpu['cli_txt']['median']:.0f} vs "
              f"{cpu['peer_txt']['median']:.0f} ms), wall {peer['txt_wall']:.2f}x ({med['cli_txt']['median']:.0f} "
              f"vs {med['peer_txt']['median']:.0f} ms): the same targets, without the peer's Markdown parsing")
    print(f"re-run (cache) / read+decode floor     {rerun_ratio:6.2f}x    target <= {TARGETS['rerun']:.0f}x    "
          f"{verdict(rerun_ratio, TARGETS['rerun'])}  ({med['cli_rerun']['median']:.0f} vs {rd['median']:.0f} ms; "
          f"CPU {cpu['cli_rerun']['median']:.0f} ms; empty cache {med['cli_cold_cache']['median']:.0f} ms)")
    print(f"fzlint CLI / floor (medians)           {ratio:6.1f}x    target <= {TARGETS['ratio']:.0f}x   "
          f"{verdict(ratio, TARGETS['ratio'])}")
    print(f"  (one process, in-process / floor   {ratio_in:8.1f}x; CLI -j 1 / floor "
          f"{cli1['median'] / floor['median']:.1f}x)")
    print(f"cold start median                    {cold['median']:8.1f} ms   target <= "
          f"{TARGETS['cold_ms']:.0f} ms  {verdict(cold['median'], TARGETS['cold_ms'])}  "
          f"(cached: {med['cold_cached']['median']:.1f} ms)")
    print(f"peak memory (PSS), CLI + workers, {n} files {tree_pss:8.1f} MiB  target <= "
          f"{TARGETS['rss_mib']:.0f} MiB {verdict(tree_pss, TARGETS['rss_mib'])}  (RSS sum {tree_rss:.1f} MiB; "
          f"largest single process {single_rss:.1f} MiB; re-run from the cache {rerun_mem['tree_pss_mib']:.1f} MiB)")
    print(f"  ({len(mem_runs)} separate sampled runs, median {mem_ms['median']:.0f} ms while sampled)")
    if big is not None:
        print(f"peak memory (PSS), CLI + workers, {big['files']} files {big['tree_pss_mib']:6.1f} MiB  target <= "
              f"{TARGETS['rss_mib']:.0f} MiB {verdict(big['tree_pss_mib'], TARGETS['rss_mib'])}  "
              f"(RSS sum {big['tree_rss_mib']:.1f} MiB; largest single process {big['max_rss_mib']:.1f} MiB; "
              f"{big['bytes'] / 2**20:.0f} MiB corpus in {big['ms'] / 1000:.1f} s, empty cache)")
        print(f"  re-run of the {big['files']} files from the cache: {big['rerun']['tree_pss_mib']:.1f} MiB PSS, "
              f"{big['rerun']['ms'] / 1000:.2f} s")
    print(f"per file: floor {floor['median'] / n * 1000:.0f} us, fzlint CLI "
          f"{cli['median'] / n * 1000:.0f} us, in-process {fz['median'] / max(linted, 1) * 1000:.0f} us, "
          f"re-run {med['cli_rerun']['median'] / n * 1000:.0f} us")
    top = ", ".join(f"{c} {k}" for c, k in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])))
    print(f"diagnostics {n_diags} over {linted} files (CLI exit {series['cli'][0]['rc']}): {top}")

    if args.json:
        result = {
            "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "fzlint": checker.__version__, "code": version, "repeat": args.repeat, "bytecode_cache": pyc,
            "corpus": {"dir": str(args.corpus), "files": n, "seed": args.seed,
                       "bytes": sum(sizes), "min": sizes[0], "median": sizes[n // 2],
                       "max": sizes[-1]},
            "registry_ms": registry_ms, "warmup_ms": warmup_ms, "workers": workers, "peer": peer_note,
            "ms": med, "cpu_ms": cpu, "ratio": ratio, "ratio_inprocess": ratio_in, "rerun_ratio": rerun_ratio,
            "against_peer": peer, "memory_runs_ms": mem_ms, "peak_tree_pss_mib": tree_pss,
            "peak_tree_rss_mib": tree_rss, "peak_single_rss_mib": single_rss,
            "rerun_pss_mib": rerun_mem["tree_pss_mib"], "big": big,
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
