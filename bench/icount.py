"""Instructions, not seconds: fzlint's work counted by valgrind's callgrind.

    python bench/icount.py [--files 300] [--old REV] [-j 2]

On a machine whose speed drifts (a shared or virtual one: the 2-CPU machine of issue 20 ran
the same in-process lint in 2.25 s at one hour and 5.0 s at another) timings of a change
smaller than the drift cannot be read. Instruction counts can: callgrind counts the
instructions a process executes, the same to about 0.1% run after run whatever else the
machine does. They leave out what the kernel does (system calls, page faults) and how
fast each instruction runs, so they measure Python-level work: use them to compare two
versions of the code, and bench/run.py for the figures the targets are stated in.

For this checkout and, with ``--old``, a git revision (unpacked as bench/ab.py does), it
counts, each in a process of its own with ``PYTHONHASHSEED=0``:

- **cold**: ``check --no-cache --format concise <one seed>``, a report from a cold start;
- **-j 1**: ``check -j 1 --no-cache --format json`` over the first ``--files`` reports of
  the corpus (copied into a temporary folder): one process does all the work;
- **-j J**: the same with ``-j J`` (default 2), followed into the worker processes. A forked
  worker inherits the parent's counters, so each worker's own instructions are its total
  less the parent's count when it was forked: before forking each worker the parent forks
  a marker process that exits at once, whose total is that count (``multiprocessing``'s
  fork is wrapped for this: the counts need a platform with fork). Printed: the parent's,
  each worker's own and their sum, and the sum over ``-j 1``'s (the cost of the workers).

valgrind must be installed (``valgrind --version``); runs take ~50x their normal time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import corpus  # bench/corpus.py (this folder is sys.path[0] when run as a script)
from ab import COLD_FILE, REPO, unpack

# Run as the program: wraps multiprocessing's fork so that a marker process is forked (and
# exits at once) just before each worker; then fzlint's command line.
MARKED = """
import os, sys
import multiprocessing.popen_fork as pf
launch = pf.Popen._launch
def marked(self, process_obj):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return launch(self, process_obj)
pf.Popen._launch = marked
from checker.cli import main
main(sys.argv[1:])
"""

_REFS = re.compile(r"==(\d+)== I\s+refs:\s+([\d,]+)")


def counts(code: Path, args: list[str], env: dict, marked: bool = False) -> list[tuple[int, int]]:
    """(pid, instructions) of every process of one run, in the order they started."""
    program = ["-c", MARKED] if marked else ["-m", "checker"]
    cmd = [sys.executable, *program, *args]
    run_env = {**env, "PYTHONPATH": str(code)}
    subprocess.run(cmd, cwd=tempfile.gettempdir(), env=run_env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)          # untimed: bytecode and pack caches warm
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           "--trace-children=yes", *cmd], cwd=tempfile.gettempdir(), env=run_env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = sorted((int(m.group(1)), int(m.group(2).replace(",", ""))) for m in _REFS.finditer(proc.stderr))
    if not found:
        raise SystemExit(f"{code}: no callgrind totals (is valgrind installed?)\n{proc.stderr[-2000:]}")
    return found


def measure(code: Path, folder: Path, jobs: int, env: dict) -> dict:
    cold = counts(code, ["check", "--no-cache", "--format", "concise", str(COLD_FILE)], env)[0][1]
    one = counts(code, ["check", "-j", "1", "--no-cache", "--format", "json", str(folder)], env)
    many = counts(code, ["check", "-j", str(jobs), "--no-cache", "--format", "json", str(folder)], env,
                  marked=True)
    parent, rest = many[0][1], [n for _, n in many[1:]]
    workers = [work - mark for mark, work in zip(rest[0::2], rest[1::2])]
    return {"cold": cold, "one": sum(n for _, n in one), "parent": parent, "workers": workers,
            "many": parent + sum(workers), "fork_at": rest[0::2]}


def show(name: str, m: dict, jobs: int) -> None:
    mi = 1e6
    own = ", ".join(f"{w / mi:,.0f}M" for w in m["workers"])
    print(f"{name:6s} cold {m['cold'] / mi:,.1f}M   -j 1 {m['one'] / mi:,.0f}M   "
          f"-j {jobs} {m['many'] / mi:,.0f}M (parent {m['parent'] / mi:,.0f}M, of it {m['fork_at'][0] / mi:,.0f}M "
          f"before the first fork; workers {own}) = {m['many'] / m['one']:.3f}x -j 1")


def main() -> None:
    ap = argparse.ArgumentParser(description="fzlint's instructions (callgrind): cold start, -j 1, -j J.")
    ap.add_argument("--files", type=int, default=300, help="reports of the corpus to check (300)")
    ap.add_argument("--corpus", type=Path, default=corpus.DEFAULT_OUT, help="corpus folder (bench/corpus)")
    ap.add_argument("--old", help="git revision to count too")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="workers of the parallel run (2)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("icount.py needs valgrind (apt install valgrind)")
    if not args.corpus.is_dir():
        corpus.ensure_corpus(args.corpus, 2000, 1)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "FORCE_COLOR")}
    with tempfile.TemporaryDirectory(prefix="fzlint-icount-") as tmp:
        tmp = Path(tmp)
        env.update(PYTHONHASHSEED="0", FZLINT_CACHE_DIR=str(tmp / "cache"),
                   PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
        folder = tmp / "corpus"
        folder.mkdir()
        for f in sorted(p for p in args.corpus.iterdir() if p.suffix in (".txt", ".md"))[:args.files]:
            shutil.copyfile(f, folder / f.name)
        print(f"{args.files} reports of {args.corpus}; instructions (callgrind), M = million")
        new = measure(REPO, folder, args.jobs, env)
        if args.old:
            (tmp / "old").mkdir()
            old_code = unpack(args.old, tmp / "old")
            old = measure(old_code, folder, args.jobs, env)
            show("old", old, args.jobs)
        show("new", new, args.jobs)
        if args.old:
            print(f"new/old cold {new['cold'] / old['cold']:.3f}   -j 1 {new['one'] / old['one']:.3f}   "
                  f"-j {args.jobs} {new['many'] / old['many']:.3f}")


if __name__ == "__main__":
    main()
