"""Where fzlint's CPU goes, stage by stage, over a corpus (in one process).

    python bench/profile_stages.py [--corpus DIR | --files 2000] [--cprofile 40] [--json out.json]

Each stage's function is wrapped with a timer that counts its *exclusive* CPU time (a stage
called inside another one is taken out of the caller's figure), so the stages add up to the
whole run:

- read: reading and decoding the file (checker.sources.read);
- normalise: lines and their matching views (skeleton.normalize.lines_of);
- lex: classifying lines into tokens (skeleton.lexer.classify);
- parse (lark): lark's LALR parser, without the model builder's callbacks;
- model: the model builder (parser._Build's callbacks: sections, headings, paragraphs; and
  section_of, which the direct builder calls for each heading);
- tables: finding tables in the text (parser._attach_tables);
- recognition: section kinds (engine.recognize.classify);
- context: what the checks share (engine.context.Context: texts, joined, the keyword screen
  scan, loose headings, the section index);
- check <type>: each check type's own work, summed over its rules;
- spans: turning a finding's offsets into lines and columns (model.Text.span);
- diagnostics: making Diagnostic objects (engine.run.diagnostic) and sorting them;
- pickle: what a worker process sends back (results without the model and text, pickled
  and unpickled in chunks of 16 files as checker.parallel does);
- json: the JSON reporter over every result (to an in-memory stream);
- other: the rest of lint_paths (the folder walk, FileResult, ...).

``--cprofile N`` runs the corpus once more under cProfile and prints the N functions with
the most own time (cProfile's overhead inflates small functions: use the stage table for
figures, cProfile to see what is inside a stage).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pickle
import pstats
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import corpus  # bench/corpus.py (this folder is sys.path[0] when run as a script)

REPO = corpus.BENCH_DIR.parent
_clock = time.process_time_ns
CHUNK = 16      # results pickled together: about what checker.parallel sends of 12 KB reports


class Stages:
    """Exclusive CPU time per stage, with a stack of the stages running."""

    def __init__(self):
        self.ns: dict[str, int] = defaultdict(int)
        self.calls: dict[str, int] = defaultdict(int)
        self.stack: list[list] = []     # [name, start, time spent in nested stages]
        self.active = False             # off: the wrappers only call through

    def enter(self, name: str) -> None:
        self.stack.append([name, _clock(), 0])

    def leave(self) -> None:
        name, start, nested = self.stack.pop()
        spent = _clock() - start
        self.ns[name] += spent - nested
        self.calls[name] += 1
        if self.stack:
            self.stack[-1][2] += spent

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            if not self.active:
                return fn(*args, **kwargs)
            self.enter(name)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()

        timed.__wrapped__ = fn
        return timed

    def reset(self) -> None:
        self.ns.clear()
        self.calls.clear()


def instrument(stages: Stages, by_rule: bool = False) -> None:
    """Wrap each stage's functions (before the parser is built: lark binds the builder's
    callbacks when it builds the parser)."""
    import lark

    import checker.engine.run as run_mod
    import checker.skeleton.parser as parser_mod
    from checker import sources
    from checker.engine import context as ctx_mod
    from checker.engine import recognize as recognize_mod
    from checker.engine import screen as screen_mod
    from checker.skeleton import model as model_mod

    w = stages.wrap
    sources.read = w("read", sources.read)
    parser_mod.lines_of = w("normalise", parser_mod.lines_of)
    parser_mod.classify = w("lex", parser_mod.classify)
    parser_mod._tables = w("tables", parser_mod._tables)
    lark.Lark.parse = w("parse (lark)", lark.Lark.parse)
    if hasattr(parser_mod, "_Driver"):          # fzlint's own loop over lark's table
        parser_mod._Driver.parse = w("parse (lark)", parser_mod._Driver.parse)
    if hasattr(parser_mod, "_build_directly"):  # the pass without the table
        parser_mod._build_directly = w("parse (lark)", parser_mod._build_directly)
    for name in ("section", "sub2", "sub3", "sub4", "start", "closing", "signature", "front", "para", "section_of"):
        if not hasattr(parser_mod._Build, name):
            continue
        setattr(parser_mod._Build, name, w("model", getattr(parser_mod._Build, name)))
    recognize_mod.classify = w("recognition", recognize_mod.classify)
    for name in ("texts", "joined", "joined_text", "encoded"):
        setattr(ctx_mod.Context, name, w(f"context {name}", getattr(ctx_mod.Context, name)))
    screen_mod.Screen.scan = w("context keyword scan", screen_mod.Screen.scan)
    for name in ("_loose", "_index", "title_text"):
        prop = getattr(ctx_mod.Context, name)
        prop.func = w(f"context {name.strip('_')}", prop.func)
    model_mod.Text.span = w("spans", model_mod.Text.span)
    run_mod.diagnostic = w("diagnostics", run_mod.diagnostic)

    original = run_mod._findings

    def findings(out, path, rule, found):
        # the check's generator runs while its findings are consumed: time the consumption
        if not stages.active:
            return original(out, path, rule, found)
        stages.enter(f"check {rule.check} {rule.id}" if by_rule else f"check {rule.check}")
        try:
            original(out, path, rule, found)
        finally:
            stages.leave()

    run_mod._findings = findings
    sort = run_mod.Diagnostic.sort_key
    run_mod.Diagnostic.sort_key = w("diagnostics", sort)


def strip_for_pickle(result):
    """What checker.parallel._lint_chunk sends back for a format that quotes no text."""
    from checker import parallel

    if hasattr(parallel, "for_parent"):
        return parallel.for_parent(result, False)
    result.report = None
    if result.source is not None:
        result.source = replace(result.source, text="", places=None, suppressions=None, tables=None)
    return result


def run_once(folder: Path, registry, stages: Stages | None) -> tuple[int, int, float]:
    """Lint the folder, pickle the results, write JSON; returns (files, findings, CPU s)."""
    from checker.lint import lint_paths
    from checker.reporters.json_report import JsonReporter

    out = io.StringIO()
    reporter = JsonReporter(out)
    files = findings = 0
    if stages:
        stages.active = True
    t0 = time.process_time()
    results: list = []
    chunk: list = []

    def send() -> None:     # a worker's chunk of results to the parent (checker/parallel.py)
        if stages:
            stages.enter("pickle")
        results.extend(pickle.loads(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)))
        if stages:
            stages.leave()
        chunk.clear()

    for res in lint_paths([str(folder)], registry):
        files += 1
        findings += len(res.diagnostics)
        if stages:
            stages.enter("pickle")
        chunk.append(strip_for_pickle(res))
        if stages:
            stages.leave()
        if len(chunk) == CHUNK:
            send()
    if chunk:
        send()
    if stages:
        stages.enter("json")
    for res in results:
        reporter.file(res)
    reporter.finish(None)
    if stages:
        stages.leave()
        stages.active = False
    return files, findings, time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description="fzlint's CPU per stage over a corpus.")
    ap.add_argument("--files", type=int, default=2000, help="reports in the generated corpus (2000)")
    ap.add_argument("--corpus", type=Path, default=corpus.DEFAULT_OUT,
                    help="corpus folder (bench/corpus, generated as bench/run.py does; another existing "
                         "folder is used as it is)")
    ap.add_argument("--seed", type=int, default=1, help="corpus random seed (1)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the stage table is their median (3)")
    ap.add_argument("--cprofile", type=int, default=0, metavar="N",
                    help="also print the N functions with the most own time under cProfile")
    ap.add_argument("--by-rule", action="store_true", help="one line per rule instead of per check type")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    args = ap.parse_args()

    if args.corpus.is_dir() and args.corpus != corpus.DEFAULT_OUT:
        paths = corpus.corpus_files(args.corpus)        # a folder given: used as it is
    else:
        paths, _ = corpus.ensure_corpus(args.corpus, args.files, args.seed)
    stages = Stages()
    instrument(stages, args.by_rule)
    from checker.engine.registry import load_registry

    registry = load_registry()
    run_once(REPO / "seeds", registry, None)           # warm-up: parser, lazy imports
    bare = [run_once(args.corpus, registry, None)[2] for _ in range(args.repeat)]
    per_run: list[dict[str, int]] = []
    totals = []
    for _ in range(args.repeat):
        stages.reset()
        files, findings, cpu = run_once(args.corpus, registry, stages)
        totals.append(cpu)
        per_run.append(dict(stages.ns))
    names = sorted({n for run in per_run for n in run})

    def median(values):
        values = sorted(values)
        return values[len(values) // 2]

    figures = {n: median([run.get(n, 0) for run in per_run]) / 1e9 for n in names}
    total = median(totals)
    figures["other"] = max(total - sum(figures.values()), 0.0)
    print(f"{files} files, {len(paths)} in {args.corpus}, {findings} findings; CPU per run: "
          f"{median(bare):.3f} s uninstrumented, {total:.3f} s instrumented (medians of {args.repeat})")
    print(f"{'stage':<34}{'CPU s':>8}{'share':>8}{'calls/run':>11}")
    for name, secs in sorted(figures.items(), key=lambda kv: -kv[1]):
        calls = stages.calls.get(name, 0)
        print(f"{name:<34}{secs:>8.3f}{secs / total:>8.1%}{calls:>11}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"files": files, "findings": findings, "cpu_s": median(bare),
                                         "instrumented_cpu_s": total, "stages": figures}, indent=2) + "\n")
    if args.cprofile:
        prof = cProfile.Profile()
        prof.enable()
        run_once(args.corpus, registry, None)
        prof.disable()
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(args.cprofile)
        print(s.getvalue())


if __name__ == "__main__":
    sys.exit(main())
