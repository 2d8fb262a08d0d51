"""Command line: click commands only. The work happens in lint, engine and reporters."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from checker import __version__
from checker.reporters import FORMATS, SORT_KEYS
from checker.runner import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, STDIN, Fail, quiet_stdout, read_stdin


def _split(values: tuple[str, ...]) -> list[str]:
    return [v for value in values for v in value.split(",") if v.strip()]


def _settings(config_path: Path | None, file: str | None = None):
    """The settings every command works with, found as `check` finds them: the configuration
    given, else the one governing FILE's folder (or the current folder), with its rule packs
    (`rule-packs`) and rule options. One way for every command to get its packs."""
    from checker.config import Resolver

    resolver = Resolver(config_path, Path.cwd())
    return resolver.first() if file is None or file == STDIN else resolver.for_path(Path(file))


def _color(fmt: str) -> bool:
    return fmt == "auto" and sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fzlint", message="%(prog)s %(version)s")
@click.option("--verbose", "-v", is_flag=True, help="Show details (tracebacks of internal errors).")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """fzlint: check government annual reports (the 法治政府建设年度报告 and any kind a rule pack
    declares) against the rules of their rule packs."""
    from checker.reporters import safe_stdout

    safe_stdout()     # a character stdout cannot encode becomes an escape, never a crash mid-run
    ctx.obj = {"verbose": verbose}


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="auto: github in GitHub Actions, full on a terminal, concise otherwise.")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report (in --format) to this file; the terminal still gets the human view.")
@click.option("--select", multiple=True, help="Only these rules (codes, prefixes like FZ1, names; comma-separated).")
@click.option("--extend-select", multiple=True, help="Add these rules to the selection.")
@click.option("--ignore", multiple=True, help="Skip these rules (codes, prefixes, names).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="fzlint.toml or pyproject.toml for every file (default: the nearest one above each file).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Exit with 1 when a finding of this severity or worse remains.")
@click.option("--exit-zero", is_flag=True, help="Exit with 0 even when findings remain (usage errors still exit 2).")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--max-file-size", help="Do not read files larger than this (e.g. 50MB; default 20MB).")
@click.option("--summary", is_flag=True,
              help="Print the compliance matrix (one row per report) instead of the findings.")
@click.option("--sort", type=click.Choice(SORT_KEYS), default="path", show_default=True,
              help="Order of the matrix rows (--summary, --format csv).")
@click.option("--only-failing", is_flag=True, help="Matrix rows only for reports that fail an item or have errors.")
@click.option("--stdin-filename", help="With `-` as the path: the name of the text on standard input "
                                       "(its suffix picks the reader; default: stdin.txt).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes: 0 decides from the batch's estimated work, 1 checks in this process.")
@click.option("--force-exclude", is_flag=True,
              help="Skip named files that a folder's walk skips too (formats fzlint does not read such as "
                   "images and spreadsheets, hidden files, README/LICENSE/CHANGELOG files): for pre-commit "
                   "and editors that pass every changed file.")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path),
              help="Leave out the findings recorded in this baseline file; report entries no longer found.")
@click.option("--write-baseline", "write_baseline", type=click.Path(path_type=Path),
              help="Record every finding of this run in this baseline file (exit 0).")
@click.option("--no-cache", is_flag=True,
              help="Check every file afresh: neither read nor write the result cache (`fzlint cache info`).")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], fmt: str, output_file: Path | None,
          select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          config_path: Path | None, fail_on: str, exit_zero: bool, statistics: bool,
          max_file_size: str | None, summary: bool, sort: str, only_failing: bool,
          stdin_filename: str | None, jobs: int, baseline_path: Path | None,
          write_baseline: Path | None, force_exclude: bool = False, no_cache: bool = False) -> int:
    """Check reports (files, or folders searched recursively; `-` reads standard input)."""
    from checker.config import Overrides
    from checker.runner import CheckRequest, View, run_check

    if STDIN in paths and len(paths) > 1:
        raise click.UsageError("`-`（标准输入）不能与其他路径同时使用")
    if stdin_filename and STDIN not in paths:
        raise click.UsageError("--stdin-filename 只能与 `-`（标准输入）一起使用")
    _refuse_conflicts(ctx, fmt, output_file, statistics, summary)
    if baseline_path is not None and write_baseline is not None:
        raise click.UsageError("--baseline 与 --write-baseline 不能同时使用"
                               "（要更新基线，只用 --write-baseline 重新生成）")
    overrides = Overrides(_split(select), _split(ignore), _split(extend_select), _size_option(max_file_size))
    return run_check(CheckRequest(
        paths=paths, fmt=fmt, output_file=output_file, overrides=overrides, config_path=config_path,
        fail_on=fail_on, exit_zero=exit_zero, view=View(statistics, summary, sort, only_failing),
        stdin_filename=stdin_filename, jobs=jobs, baseline_path=baseline_path, write_baseline=write_baseline,
        force_exclude=force_exclude, verbose=ctx.obj["verbose"], no_cache=no_cache))

def _refuse_conflicts(ctx: click.Context, fmt: str, output_file: Path | None, statistics: bool,
                      summary: bool) -> None:
    """Options that cannot both take effect stop the run (exit 2, naming both) instead of one
    of them being dropped without a word."""
    from click.core import ParameterSource

    if summary and statistics:
        raise click.UsageError("--summary 与 --statistics 不能同时使用：两者都代替问题列表输出"
                               "（--summary 输出合规矩阵，--statistics 输出每条规则的问题数）")
    view = "--summary" if summary else "--statistics" if statistics else None
    if view and output_file is None and fmt != "auto" and not (summary and fmt == "csv"):
        raise click.UsageError(f"{view} 与 --format {fmt} 不能同时使用：{view} 在标准输出上代替问题列表；"
                               f"要同时得到 {fmt} 格式的报告，请加 -o 文件名 写入文件")
    for name, option in (("sort", "--sort"), ("only_failing", "--only-failing")):
        given = ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)
        if given and not summary and fmt != "csv":
            raise click.UsageError(f"{option} 只作用于合规矩阵，需与 --summary 或 --format csv 一起使用")


def _size_option(max_file_size: str | None, option: str = "--max-file-size") -> int | None:
    """--max-file-size (or another size ``option``) in bytes (None: not given); a usage error
    when it is not a size."""
    from checker.sources import parse_size

    try:
        return parse_size(max_file_size) if max_file_size else None
    except ValueError:
        raise click.BadParameter(f"{max_file_size[:40]!r} 不是有效的大小（如 50MB、512KB；上限 1TB）",
                                 param_hint=option) from None


def _load(file: str, stdin_filename: str | None, max_bytes: int, registry=None):
    """Read one file (or standard input) for `outline` and `extract`; exit 2 if unreadable,
    with the reason `check` would give (its FZ9xx message)."""
    from checker import sources

    if stdin_filename and file != STDIN:
        raise click.UsageError("--stdin-filename 只能与 `-`（标准输入）一起使用")
    if file != STDIN and os.path.isdir(file):
        raise Fail(_folder_given(file))
    try:
        if file == STDIN:
            return sources.read_bytes(read_stdin(max_bytes), stdin_filename or "stdin.txt", max_bytes,
                                      stdin=True)
        return sources.read(Path(file), max_bytes=max_bytes)
    except sources.SourceError as exc:
        rule = (registry or _settings(None).registry).file_rule(exc.problem)
        said = rule.message.format_map(_Blank(detail=exc.detail)) if rule is not None else exc.detail or exc.problem
        raise Fail(f"{file}: {said}") from None


class _Blank(dict):
    """Message parameters: one a message names but nobody gave is left empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _folder_given(folder: str) -> str:
    """`fzlint outline DIR`: the command reads one file; name one of the folder's."""
    from checker.lint import iter_files
    from checker.reporters.safe import human_path

    command = click.get_current_context().info_name
    first = next((display for _, display, error in iter_files([folder]) if error is None), None)
    example = f"，如 fzlint {command} {human_path(first)}" if first else "（该文件夹中没有可读取的报告文件）"
    return f"{folder} 是文件夹；fzlint {command} 一次只读一个文件，请指定其中的一个报告文件{example}"


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", "output_file", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write (one self-contained page).")
@click.option("--select", multiple=True, help="Only these rules (codes, prefixes, names).")
@click.option("--ignore", multiple=True, help="Skip these rules.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="fzlint.toml or pyproject.toml for every file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Exit with 1 when a finding of this severity or worse remains (as `check`).")
@click.option("--exit-zero", is_flag=True, help="Exit with 0 even when findings remain (the page is written anyway).")
@click.pass_context
def report(ctx: click.Context, paths: tuple[str, ...], output_file: Path, select: tuple[str, ...],
           ignore: tuple[str, ...], config_path: Path | None, fail_on: str, exit_zero: bool) -> int:
    """Write an HTML report for reviewers: the compliance matrix, totals, the most frequent
    findings and every report's findings with the lines they quote. Exit codes as `check`."""
    code = ctx.invoke(check, paths=paths, fmt="html", output_file=output_file, select=select, ignore=ignore,
                      config_path=config_path, summary=True, fail_on=fail_on, exit_zero=exit_zero)
    click.echo(f"fzlint: 已写入 {output_file}", err=True)
    return code


@cli.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "json"]), default="auto", show_default=True)
@click.option("--stdin-filename", help="With FILE `-`: the name of the text on standard input.")
@click.option("--max-file-size", help="Do not read files larger than this (e.g. 50MB; default 20MB).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="fzlint.toml or pyproject.toml (default: found from the current folder, as for check).")
def outline(file: str, fmt: str, stdin_filename: str | None, max_file_size: str | None,
            config_path: Path | None) -> int:
    """Show the skeleton fzlint recognised in FILE: title, date, numbered headings, kinds."""
    from checker.engine.recognize import classify
    from checker.reporters.outline import outline_dict, outline_lines, print_tree
    from checker.skeleton.parser import parse
    from checker.sources import DEFAULT_MAX_BYTES, SourceError

    registry = _settings(config_path, file).registry
    max_bytes = _size_option(max_file_size) or DEFAULT_MAX_BYTES
    source = _load(file, stdin_filename, max_bytes, registry)
    try:
        report = parse(source.text, max_bytes, source.tables, registry.text_layouts)
    except SourceError as exc:      # beyond the parser's budgets
        raise Fail(f"{file}: 无法检查（{exc.detail}）") from None
    pack = registry.pack_for(report)
    classify(report, pack)
    data = outline_dict(report, pack)
    if fmt == "json":
        import json

        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif _color(fmt):
        print_tree(data)
    else:
        from checker.reporters.safe import escape

        click.echo("\n".join(map(escape, outline_lines(data))))    # headings are report text
    return EXIT_OK


@cli.command()
@click.argument("file")
@click.option("--numbered", "-n", is_flag=True, help="Prefix each line with its number and its place in the original.")
@click.option("--stdin-filename", help="With FILE `-`: the name of the text on standard input.")
@click.option("--max-file-size", help="Do not read files larger than this (e.g. 50MB; default 20MB).")
def extract(file: str, numbered: bool, stdin_filename: str | None, max_file_size: str | None) -> int:
    """Print the text fzlint reads from FILE (.docx/.pdf/.html: the extracted text).

    Line numbers in findings count lines of this text.
    """
    from checker.skeleton.normalize import split_lines
    from checker.sources import DEFAULT_MAX_BYTES

    source = _load(file, stdin_filename, _size_option(max_file_size) or DEFAULT_MAX_BYTES)
    lines = split_lines(source.text)     # lines as findings count them (LF, CRLF, CR only)
    if lines and lines[-1] == "":
        lines.pop()
    if not numbered:
        click.echo("\n".join(lines))
        return EXIT_OK
    width = len(str(len(lines)))
    for no, line in enumerate(lines, 1):
        place = source.place(no)
        click.echo(f"{no:>{width}}" + (f" [{place}]" if place else "") + f"\t{line}")
    return EXIT_OK


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "json", "markdown"]), default="auto",
              show_default=True, help="markdown: the rule reference in docs/rules.md.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="fzlint.toml or pyproject.toml (default: found from the current folder, as for check).")
def rules(fmt: str, config_path: Path | None) -> int:
    """List the rules of the loaded rule packs (the built-in ones and the configuration's)."""
    from checker.reporters import rules_doc

    registry = _settings(config_path).registry
    if fmt == "markdown":
        click.echo(rules_doc.markdown(registry), nl=False)
    elif fmt == "json":
        data = [{"code": r.id, "name": r.name, "title": r.title, "severity": r.severity.label, "check": r.check,
                 "pack": r.pack, "citation": r.citation, "message": r.message} for r in registry.rules]
        import json

        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif _color(fmt):
        from rich.console import Console
        from rich.table import Table

        table = Table(*rules_doc.TABLE_HEADER)
        for row in rules_doc.table_rows(registry):
            table.add_row(*row)
        Console().print(table)
    else:
        for row in rules_doc.table_rows(registry):
            click.echo("\t".join(row))
    return EXIT_OK


@cli.command()
@click.argument("code")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="fzlint.toml or pyproject.toml (default: found from the current folder, as for check).")
def explain(code: str, config_path: Path | None) -> int:
    """Explain one rule (a code such as FZ202, or a name): citation, rationale and examples."""
    from checker.reporters.rules_doc import explain as render

    registry = _settings(config_path).registry
    rule = registry.rule(code.strip()) or next((r for r in registry.rules if r.name == code.strip()), None)
    if rule is None:
        from checker.suggest import closest

        close = closest(code, [(r.id, r.name) for r in registry.rules])
        raise Fail(f"没有规则 {code}（{f'是否应为 {close}？' if close else '可用 `fzlint rules` 查看全部规则'}）")
    click.echo(render(rule, registry), nl=False)
    return EXIT_OK


@cli.command()
@click.argument("report")
@click.option("--output", "-o", "output_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The annotated copy to write (default: REPORT.fzlint.docx beside REPORT).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists (never REPORT itself).")
@click.option("--select", multiple=True, help="Only these rules (codes, prefixes, names).")
@click.option("--ignore", multiple=True, help="Skip these rules.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="fzlint.toml or pyproject.toml (default: the nearest one above REPORT, as for check).")
@click.option("--max-file-size", help="Do not read larger files (e.g. 50MB; default 20MB).")
def annotate(report: str, output_file: Path | None, force: bool, select: tuple[str, ...], ignore: tuple[str, ...],
             config_path: Path | None, max_file_size: str | None) -> int:
    """Write a copy of REPORT with one Word comment per finding (a .docx; other formats become
    a .docx of their text). REPORT itself is never written."""
    from checker.annotate import AnnotateError, annotate_file, written_line
    from checker.config import Overrides, Resolver
    from checker.engine.errors import SelectionError

    overrides = Overrides(_split(select), _split(ignore), [], _size_option(max_file_size))
    path = Path(report)
    if path.is_dir():
        raise Fail(_folder_given(report))
    try:
        settings = Resolver(config_path, Path.cwd(), overrides).for_path(path)
    except SelectionError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        written, found = annotate_file(path, output_file, force, settings)
    except AnnotateError as exc:
        raise Fail(str(exc)) from None
    click.echo(f"fzlint: {written_line(written, found)}", err=True)
    return EXIT_OK


@cli.command("init")
@click.option("--kind", help="The report kind: a rule pack's name, e.g. fazhi or gk (default: the default kind).")
@click.option("--org", required=True, help="The reporting organisation, e.g. 平安县司法局.")
@click.option("--year", type=click.IntRange(1949, 2100), help="The reported year (default: last year).")
@click.option("--output", "-o", "output_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .docx, .md or .txt (default: the title, .docx, in this folder).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="fzlint.toml or pyproject.toml whose rule-packs declare more kinds (default: the nearest one).")
def init_command(kind: str | None, org: str, year: int | None, output_file: Path | None, force: bool,
                 config_path: Path | None) -> int:
    """Write the skeleton of a new report: the title, the mandated parts in order with what
    belongs in each (marked 【请填写：…】 until filled), the signature and the date."""
    import datetime as dt

    from checker.scaffold import InitError, write_skeleton

    registry = _settings(config_path).registry
    kinds = [p for p in registry.packs if not p.applies_to_all]
    pack = next((p for p in kinds if p.name == kind), None) if kind else \
        next((p for p in kinds if p.default), kinds[0] if kinds else None)
    if pack is None:
        known = "、".join(f"{p.name}（{p.title}）" for p in kinds)
        raise Fail(f"没有报告类型“{kind}”（可用：{known}）")
    try:
        written, lines = write_skeleton(pack, org, year or dt.date.today().year - 1, output_file, force)
    except InitError as exc:
        raise Fail(str(exc)) from None
    gaps = sum(len(line.gaps) for line in lines)
    click.echo(f"fzlint: 已写入 {written}：{lines[0].text}，{gaps} 处待填写（标有“请填写”）；"
               f"写好后可用 fzlint check {written} 检查", err=True)
    return EXIT_OK


@cli.command("test-pack")
@click.argument("paths", nargs=-1)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="fzlint.toml or pyproject.toml whose rule-packs load too (default: the nearest one).")
@click.pass_context
def test_pack(ctx: click.Context, paths: tuple[str, ...], config_path: Path | None) -> int:
    """Run the `tests:` examples of rule packs (pack files or folders of *.yaml; no PATH: every
    pack `check` loads): one line per example; exit 1 when one fails."""
    from checker import packtest

    try:
        registry, packs = packtest.load(paths, config_path, Path.cwd())
    except packtest.PackTestError as exc:
        raise Fail(str(exc)) from None
    return packtest.run(registry, packs, click.echo, Path.cwd(), ctx.obj["verbose"])


@cli.command()
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=0,
              help="Port to listen on (default: a free one, printed at start).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than loopback lets other computers use the page (warned).")
@click.option("--max-file-size", help="Do not read uploaded files larger than this (e.g. 50MB; default 20MB).")
@click.option("--max-upload-size", help="Refuse an upload whose files together are larger (default 100MB).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="fzlint.toml or pyproject.toml (default: found from the current folder, as for check).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, max_file_size: str | None, max_upload_size: str | None,
          config_path: Path | None, open_browser: bool) -> int:
    """Serve a local web page (127.0.0.1): upload reports, read their findings, download the
    HTML report. Files are checked in memory and sent nowhere; Ctrl-C stops it."""
    from checker.config import Overrides, Resolver
    from checker.serve import DEFAULT_MAX_UPLOAD, ServeError, run

    overrides = Overrides(max_bytes=_size_option(max_file_size))
    upload = _size_option(max_upload_size, "--max-upload-size") or DEFAULT_MAX_UPLOAD
    settings = Resolver(config_path, Path.cwd(), overrides).first()
    try:
        return run(settings, host, port, upload, verbose=ctx.obj["verbose"], open_browser=open_browser,
                   echo=click.echo)
    except ServeError as exc:
        raise Fail(str(exc)) from None


@cli.group("cache")
def cache_group() -> None:
    """Show or clear fzlint's cache folder (results of checked files, parsed rule packs, parser tables)."""


@cache_group.command("info")
def cache_info() -> int:
    """Where the cache folder is and what it holds."""
    from checker import cache, resultcache

    folder = cache.cache_path()
    usable = cache.cache_dir()
    click.echo(f"缓存文件夹：{folder}")
    if usable is None:
        click.echo("该文件夹不可用（无法创建，或不属于当前用户、其他用户可写），fzlint 不读也不写缓存")
        return EXIT_OK
    held = resultcache.usage(usable)
    limit = resultcache.max_size()
    click.echo(f"检查结果：{held['results'][0]:,} 条，{_size(held['results'][1])}"
               f"（上限 {_size(limit)}，可用环境变量 FZLINT_CACHE_MAX_SIZE 调整）")
    click.echo(f"文件索引：{held['index'][0]:,} 个文件夹，{_size(held['index'][1])}")
    click.echo(f"规则包、语法表及其他：{held['other'][0]:,} 个文件，{_size(held['other'][1])}")
    if resultcache.disabled_by_environment():
        click.echo("结果缓存已由环境变量 FZLINT_NO_CACHE 关闭")
    return EXIT_OK


@cache_group.command("clear")
def cache_clear() -> int:
    """Remove everything fzlint keeps in its cache folder (it is rebuilt as needed)."""
    from checker import cache, resultcache

    folder = cache.cache_dir()
    if folder is None:
        click.echo(f"fzlint: 缓存文件夹 {cache.cache_path()} 不可用，没有可清除的内容", err=True)
        return EXIT_OK
    removed, freed = resultcache.clear(folder)
    click.echo(f"fzlint: 已清除缓存 {folder}：删除 {removed:,} 个文件，共 {_size(freed)}", err=True)
    return EXIT_OK


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


EXIT_INTERRUPTED = 130          # Ctrl-C, as shells report a command killed by SIGINT


class Terminated(BaseException):
    """SIGTERM or SIGHUP reached fzlint: unwind (worker processes are stopped on the way)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame) -> None:
    raise Terminated(signum)


def main(argv: list[str] | None = None) -> None:
    """Entry point: map every outcome to the documented exit codes, never a traceback.

    Click's own ``main`` is not used: it turns a broken pipe into exit 1 and Ctrl-C into an
    Abort; here the reader closing the pipe (``fzlint check | head -1``) ends the run with the
    exit code of what was found, Ctrl-C exits 130, and SIGTERM/SIGHUP 128 + the signal's
    number, after worker processes were stopped.
    """
    import signal

    from checker import clickzh
    from checker.config import ConfigError
    from checker.engine.errors import PackError

    clickzh.localize(cli)        # click's usage errors in Chinese
    args = sys.argv[1:] if argv is None else argv
    verbose = "--verbose" in args or "-v" in args
    for name in ("SIGTERM", "SIGHUP"):     # left alone when ignored (nohup) or already handled
        if hasattr(signal, name) and signal.getsignal(getattr(signal, name)) is signal.SIG_DFL:
            signal.signal(getattr(signal, name), _on_signal)
    try:
        with cli.make_context("fzlint", list(args)) as ctx:
            code = cli.invoke(ctx)
    except click.exceptions.Exit as exc:       # --help, --version
        code = exc.exit_code
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo(("\n" if sys.stderr.isatty() else "") + "fzlint: 已中断", err=True)   # after the ^C echo
        code = EXIT_INTERRUPTED
    except Terminated as exc:
        click.echo(f"fzlint: 收到信号 {exc.signum}，已停止", err=True)
        code = 128 + exc.signum
    except click.ClickException as exc:
        clickzh.show(exc, cli, list(args))
        code = EXIT_USAGE
    except (PackError, ConfigError) as exc:     # one line: a name or value from the file is escaped
        from checker.reporters.safe import escape

        kind = "规则包错误" if isinstance(exc, PackError) else "配置错误"
        click.echo(f"fzlint: {kind}：{escape(str(exc))}", err=True)
        code = EXIT_USAGE
    except BrokenPipeError:       # a command other than check: what it printed was cut short
        quiet_stdout()
        code = EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if verbose:
            import traceback

            traceback.print_exc()
        click.echo(f"fzlint: 内部错误：{type(exc).__name__}: {exc}（加 --verbose 查看详情）", err=True)
        code = EXIT_INTERNAL
    sys.exit(code if isinstance(code, int) else EXIT_OK)
