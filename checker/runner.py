"""One `fzlint check` run: read the files, check them, report, decide the exit code.

The command line (checker/cli.py) turns options into a :class:`CheckRequest` and calls
:func:`run_check`; everything a run does lives here: the files found, the baseline read or
written, worker processes, the progress bar, crashes of single files, the reporters (made by
:func:`checker.reporters.reporters_for`), a broken pipe, and the exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from checker.record import Factory, Record

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
STDIN = "-"


class Fail(click.ClickException):
    """A one-line error about a file, printed as `fzlint: …`, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:
        click.echo(f"fzlint: {self.format_message()}", err=True)


class View(Record):
    """What the run prints besides findings: statistics, or the compliance matrix."""

    statistics: bool = False
    summary: bool = False
    sort: str = "path"
    only_failing: bool = False


class CheckRequest(Record):
    """What `fzlint check` was asked to do (the options, checked for conflicts by the CLI)."""

    paths: tuple[str, ...]
    fmt: str = "auto"
    output_file: Path | None = None
    overrides: object = None            # config.Overrides: --select, --ignore, --max-file-size ...
    config_path: Path | None = None
    fail_on: str = "error"
    exit_zero: bool = False
    view: View = Factory(View)
    stdin_filename: str | None = None
    jobs: int = 0
    baseline_path: Path | None = None
    write_baseline: Path | None = None
    force_exclude: bool = False
    verbose: bool = False
    no_cache: bool = False              # --no-cache: neither read nor write the result cache


def run_check(req: CheckRequest) -> int:
    """Run the check the request describes; return the exit code."""
    from checker.config import Overrides, Resolver
    from checker.diagnostics import Severity
    from checker.engine.errors import SelectionError
    from checker.lint import Crash, iter_files, lint_bytes
    from checker.reporters import reporters_for
    from checker.reporters.safe import escape, human_path
    from checker.reporters.summary import Tally

    paths, fmt, output_file, view = req.paths, req.fmt, req.output_file, req.view
    config_path, fail_on, exit_zero, verbose = req.config_path, req.fail_on, req.exit_zero, req.verbose
    stdin_filename, jobs, force_exclude = req.stdin_filename, req.jobs, req.force_exclude
    baseline_path, write_baseline = req.baseline_path, req.write_baseline
    overrides = req.overrides if req.overrides is not None else Overrides()
    baseline = bl = None
    if baseline_path is not None or write_baseline is not None:
        from checker import baseline as bl
    if baseline_path is not None:
        try:
            baseline = bl.load(baseline_path)
        except bl.BaselineError as exc:
            raise Fail(str(exc)) from None
        for raw in paths:
            if raw != STDIN and os.path.isdir(raw):
                baseline.walked(raw)
    if write_baseline is not None:
        from checker import sources

        if write_baseline.is_dir():
            raise Fail(f"基线文件 {write_baseline}：这是目录而不是文件")
        if sources.supported(write_baseline):
            raise Fail(f"基线文件 {write_baseline}：扩展名是报告文件的扩展名，"
                       "不会覆盖（请用 .json，如 fzlint-baseline.json）")
    recorded = []                                # --write-baseline: the entries of the run
    caching = STDIN not in paths and not req.no_cache
    if caching:
        from checker.resultcache import disabled_by_environment

        caching = not disabled_by_environment()
    # with the result cache, settings come from a settings record when there is one: a run
    # whose files are all served from the cache never builds the packs
    resolver = Resolver(config_path, Path.cwd(), overrides, records=caching)
    try:
        first = resolver.first()
    except SelectionError as exc:
        raise click.UsageError(str(exc)) from None
    entries = [] if STDIN in paths else list(iter_files(paths, force_exclude))
    _refuse_overwriting_inputs(entries, output_file, write_baseline)
    reporters, closers = reporters_for(fmt, output_file, view, lambda: first.registry, _open_output)
    keep_text = baseline is not None or write_baseline is not None \
        or any(getattr(r, "quotes", False) for r in reporters)
    cache = None
    if caching:
        from checker.resultcache import ResultCache

        cache = ResultCache.open(keep_text)

    def results():
        """(the file's path, its result) for every checked file."""
        if STDIN in paths:
            name = stdin_filename or "stdin.txt"
            settings = resolver.for_path(Path(name))
            data = read_stdin(settings.max_bytes)
            yield Path(name), lint_bytes(data, name, settings.registry, settings.enabled_for(Path(name)),
                                         settings.max_bytes, stdin=True)
            return
        outcomes = _outcomes(entries, resolver, (config_path, Path.cwd(), overrides), jobs, keep_text, cache)
        if progress is not None:
            progress.start(len(entries))     # after the workers started: the bar runs a thread
        for path, outcome in outcomes:
            if isinstance(outcome, Crash):
                failures.append(outcome)
                if verbose:
                    click.echo(outcome.trace.rstrip(), err=True)
                click.echo(f"fzlint: 内部错误：检查 {human_path(outcome.display)} 时出错：{escape(outcome.error)}"
                           "（其余文件照常检查；加 --verbose 查看详情）", err=True)
                continue
            yield path, outcome

    failures: list[Crash] = []     # files fzlint itself failed on
    tally = Tally()
    progress = Progress.wanted(STDIN in paths, fmt, view, output_file)
    broken = False      # the reader of stdout went away (`fzlint check DIR | head -1`)
    completed = False   # -o FILE replaces FILE only when the run completed
    try:
        from checker import startup

        for path, result in results():
            startup.end()             # the start is over: the collector's usual threshold
            for notice in result.notices:
                click.echo(f"fzlint: {escape(notice)}", err=True)
            if baseline is not None:
                baseline.filter(result, path)
            elif write_baseline is not None:
                recorded.extend(bl.entries(result, bl.relative(path, write_baseline.parent)))
            if verbose:
                _describe(result)
            tally.add(result.diagnostics)
            for reporter in reporters:
                reporter.file(result)
            if progress is not None:
                progress.advance(tally.total)
        if progress is not None:
            progress.stop()
        if tally.files == 0 and not failures and not force_exclude:   # (files it failed on were found)
            from checker.sources.formats import READABLE

            click.echo(f"fzlint: 在 {'、'.join(map(human_path, paths))} 中没有找到可检查的报告文件"
                       f"（{READABLE}）", err=True)
        for reporter in reporters:
            reporter.finish(tally)
        completed = True
    except BrokenPipeError:   # -o FILE then stays as it was: the run did not complete
        broken = True
        quiet_stdout()
    finally:
        if progress is not None:
            progress.stop()
        for close in closers:
            close(completed)
    if cache is not None:          # what was checked stays useful, also from a run cut short
        cache.save()
        if verbose:
            click.echo(f"fzlint: 结果缓存：{cache.hits} 个文件未变，沿用缓存的结果；"
                       f"{cache.checked} 个文件已检查", err=True)
    if broken:         # the findings so far decide; a baseline of part of the run is not written
        worst = tally.worst()
        return EXIT_OK if exit_zero or worst is None or worst < Severity.parse(fail_on) else EXIT_FINDINGS
    if write_baseline is not None:
        try:
            bl.write(write_baseline, recorded)
        except bl.BaselineError as exc:
            raise Fail(str(exc)) from None
        click.echo(f"fzlint: 已将 {len(recorded)} 条记录写入基线文件 {write_baseline}", err=True)
        return EXIT_OK
    if baseline is not None:
        _baseline_summary(baseline, verbose)
    if failures:
        click.echo(f"fzlint: 内部错误：{len(failures)} 个文件未能检查完（见上）", err=True)
        return EXIT_INTERNAL
    worst = tally.worst()
    if exit_zero or worst is None or worst < Severity.parse(fail_on):
        return EXIT_OK
    return EXIT_FINDINGS


def read_stdin(max_bytes: int) -> bytes:
    """Standard input, read up to one byte past the limit (the reader then says it is too large):
    an endless stream stops there."""
    return sys.stdin.buffer.read(max_bytes + 1)


def _refuse_overwriting_inputs(entries, *outputs: Path | None) -> None:
    """fzlint never writes the files it checks: an output file (-o, --write-baseline) that is
    one of the inputs (the same file by device and inode: also through a symlink or a hard
    link) stops the run before anything is opened for writing."""
    outputs = [o for o in outputs if o is not None]
    if not outputs:
        return
    mine = {}
    for out in outputs:
        try:
            st = os.stat(out)
        except OSError:        # does not exist yet (or cannot be looked at): not an input
            continue
        mine[(st.st_dev, st.st_ino)] = out
    if not mine:
        return
    for path, display, _ in entries:
        try:
            st = os.stat(path)
        except OSError:
            continue
        out = mine.get((st.st_dev, st.st_ino))
        if out is not None:
            raise Fail(f"输出文件 {out} 就是被检查的文件 {display}，不会覆盖"
                       "（fzlint 从不改写被检查的文件；请把输出写到其他文件名或文件夹）")


def _outcomes(entries, resolver, resolver_args: tuple, jobs: int, keep_text: bool, cache=None):
    """(path, FileResult or Crash) for each entry, in order: in worker processes when
    checker.parallel.plan() finds that they pay (or ``--jobs`` asks), else here. With the
    result cache, files its stat index knows unchanged are served here and only the others
    are checked (and counted in the plan)."""
    from checker.lint import lint_entry

    known = cache.known(entries, resolver) if cache is not None else None
    todo = entries if known is None else [e for e, found in zip(entries, known) if found is None]
    checked = _checked(todo, resolver, resolver_args, jobs, keep_text, cache)
    if checked is None:
        checked = ((path, lint_entry(resolver, path, display, error, cache)) for path, display, error in todo)
    return checked if cache is None else cache.merge(entries, known, checked, resolver)


def _checked(entries, resolver, resolver_args: tuple, jobs: int, keep_text: bool, cache):
    """The results of ``entries`` from worker processes, or None when they do not pay."""
    if jobs != 1 and len(entries) > 1:
        from checker.parallel import Batch, estimate_ms, plan

        # resolving every folder's settings first also reports a bad configuration before any output
        settings: dict[Path, object] = {}
        costs = []
        for path, _, error in entries:
            if error is not None:
                costs.append(0.0)
                continue
            folder = path.parent
            if folder not in settings:
                settings[folder] = resolver.for_path(path)      # the same for a folder's files
            costs.append(estimate_ms(path, settings[folder].max_bytes))
        workers = plan(costs, jobs)
        if workers:
            for s in {id(s): s for s in settings.values()}.values():
                _ = s.registry       # built here, before the workers fork, not once in each of them
            return iter(Batch(entries, costs, workers, resolver, resolver_args, keep_text, cache))
    return None


def _baseline_summary(baseline, verbose: bool) -> None:
    """After a run with --baseline: the stale entries (all of them with --verbose)."""
    from checker.reporters.safe import escape, human_path

    if verbose and baseline.dropped:
        click.echo(f"fzlint: 基线略去了 {baseline.dropped} 个已记录的问题", err=True)
    stale = baseline.stale()
    if not stale:
        return
    click.echo(f"fzlint: 基线中有 {len(stale)} 条记录已不再出现（可用 --write-baseline 更新）", err=True)
    if verbose:
        for e in stale:
            click.echo(f"fzlint:   {human_path(e.path)}:{e.line}: {escape(e.code)} {escape(e.message)}", err=True)


class Progress:
    """A rich progress bar on stderr for batch runs: files done and findings so far.

    Shown only when stderr is a terminal outside CI and the findings do not stream to the
    same terminal (with --summary/--statistics, a machine format, or stdout redirected), so
    it never interleaves with output; transient, so it leaves nothing behind.
    """

    MIN_FILES = 20

    def __init__(self):
        self.bar = None

    @classmethod
    def wanted(cls, stdin: bool, fmt: str, view, output_file) -> Progress | None:
        if stdin or os.environ.get("CI") or not sys.stderr.isatty():
            return None
        streams_to_terminal = sys.stdout.isatty() and not (view.summary or view.statistics) and \
            fmt in ("auto", "full", "concise")
        return None if streams_to_terminal and output_file is None else cls()

    def start(self, total: int) -> None:
        if total < self.MIN_FILES:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("检查中"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("已发现 {task.fields[found]} 个问题"), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        self.task = self.bar.add_task("check", total=total, found=0)
        self.bar.start()

    def advance(self, found: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, found=found)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _describe(result) -> None:
    """--verbose: how each file was read (format, encoding, what the reader did)."""
    from checker.reporters.safe import human_path

    src = result.source
    if src is None:
        click.echo(f"fzlint: {human_path(result.path)}: 未能读取", err=True)
        return
    parts = [f"格式 {src.format}"]
    if src.encoding != src.format:   # .docx/.pdf have no text encoding of their own
        parts.append(f"编码 {src.encoding}")
    if src.note:
        parts.append(src.note)
    if result.suppressed:
        parts.append(f"fzlint 注释略去 {result.suppressed} 个问题")
    click.echo(f"fzlint: {human_path(result.path)}: {'，'.join(parts)}", err=True)


def quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so that flushing it at exit is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _open_output(output_file: Path, encoding: str):
    """The -o file (written to a temporary file, renamed when the run completes) and its
    closer; a folder that does not exist or cannot be written is a one-line error."""
    from checker.oserror import reason
    from checker.reporters.output import OutputFile

    try:
        output = OutputFile(output_file, encoding)
    except OSError as exc:
        raise Fail(f"无法写入 {output_file}：{reason(exc, writing=True, path=output_file)}") from None

    def close(completed: bool) -> None:
        try:
            output.close(completed)
        except OSError as exc:
            raise Fail(f"无法写入 {output_file}：{reason(exc, writing=True, path=output_file)}") from None

    return output.stream, close
