"""One report through the pipeline, and the batch loop over files and folders.

read (sources) -> parse (skeleton) -> rules (engine) -> diagnostics. Files are yielded one at
a time so a run over thousands of files never holds more than one report in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from checker import sources
from checker.diagnostics import Diagnostic, Severity, Span
from checker.record import Record, Value

if TYPE_CHECKING:
    from checker.engine.registry import Registry
    from checker.skeleton.model import Report

# The parser (and lark), the recognition and the rules are imported when a file is checked:
# a run that finds every result in the result cache never loads them.

FILE_SPAN = Span(1, 1, 1, 1)


class FileResult(Value):
    """One file's outcome. Written out, not a @dataclass (which costs ~0.7 ms of every start
    per class); equal by its fields, unhashable, as the dataclass was."""

    __slots__ = _compared = _shown = ("path", "diagnostics", "report", "source", "suppressed", "notices",
                                      "enabled", "checked", "kind", "cache_note")

    def __init__(self, path: str, diagnostics: list[Diagnostic] | None = None, report: Report | None = None,
                 source: sources.Source | None = None, suppressed: int = 0, notices: list[str] | None = None,
                 enabled: frozenset[str] | None = None, checked: bool = False, kind: str | None = None,
                 cache_note: tuple | None = None):
        self.path = path
        self.diagnostics = diagnostics if diagnostics is not None else []
        self.report = report
        self.source = source
        self.suppressed = suppressed            # findings dropped by <!-- fzlint: ... --> comments
        self.notices = notices if notices is not None else []   # `path:line: message` for stderr
        self.enabled = enabled                  # the rules that ran (None: all)
        self.checked = checked                  # the text was parsed and the rules ran over it
        self.kind = kind                        # name of the report-kind pack the rules came from
        # the result cache's note to the run (checker/resultcache.py): the file's stat record to
        # keep (or None), bytes of cache written, whether the result came from the cache
        self.cache_note = cache_note


    @property
    def encoding(self) -> str | None:
        return self.source.encoding if self.source else None

    def __reduce__(self):
        """Pickled flat (worker processes send every result back): a finding of the file as a
        tuple of its fields without the file's name, instead of a Diagnostic and a Span each
        pickled on their own (unpickling 2,000 results: ~40 -> ~25 ms)."""
        path = self.path
        rows = [(d.span.line, d.span.column, d.span.end_line, d.span.end_column, d.code, d.name, int(d.severity),
                 d.message, d.where) if d.path == path else d for d in self.diagnostics]
        return (_file_result, (path, rows, self.report, self.source, self.suppressed, self.notices, self.enabled,
                               self.checked, self.kind, self.cache_note))


_SEVERITY = {int(s): s for s in Severity}


def _file_result(path, rows, report, source, suppressed, notices, enabled, checked, kind, cache_note) -> FileResult:
    diagnostics = [Diagnostic(path, Span(*r[:4]), r[4], r[5], _SEVERITY[r[6]], r[7], r[8]) if type(r) is tuple else r
                   for r in rows]
    return FileResult(path, diagnostics, report, source, suppressed, notices, enabled, checked, kind, cache_note)


def lint_text(text: str, path: str, registry: Registry, enabled: frozenset[str] | None = None,
              max_bytes: int | None = sources.DEFAULT_MAX_BYTES, tables=None) -> FileResult:
    """Lint already-decoded text (``path`` is only used in diagnostics; ``max_bytes``: the size
    limit it was read under, which scales the parser's budgets; ``tables``: a reader's tables,
    None to find them in the text)."""
    from checker.engine.recognize import classify as recognize
    from checker.engine.run import run
    from checker.skeleton.parser import parse

    if not text or text.isspace():      # (as not text.strip(), without copying the text)
        return _file_problem(path, registry, enabled, "empty", "")
    try:
        report = parse(text, max_bytes, tables, registry.text_layouts)
    except sources.SourceError as exc:     # too_complex: beyond the parser's budgets
        return _file_problem(path, registry, enabled, exc.problem, exc.detail)
    pack = registry.pack_for(report)
    unclassified = recognize(report, pack)          # the stage between the model and the rules
    return FileResult(path, run(report, registry, path, enabled, pack, unclassified), report, enabled=enabled,
                      checked=True,
                      kind=pack.name if pack is not None else None)


def lint_source(source: sources.Source, registry: Registry, enabled: frozenset[str] | None = None,
                max_bytes: int | None = sources.DEFAULT_MAX_BYTES) -> FileResult:
    """Lint what a reader produced; findings name the original's place where it has one."""
    result = lint_text(source.text, source.path, registry, enabled, max_bytes, source.tables)
    result.source = source
    if source.suppressions is not None:
        _suppress(result, source.suppressions, registry)
    if source.places is not None:
        result.diagnostics = [d.replace(where=source.place(d.span.line)) for d in result.diagnostics]
    return result


def _suppress(result: FileResult, suppressions, registry: Registry) -> None:
    """Drop the findings a Markdown file's fzlint comments cover; note the comments' problems."""
    kept = [d for d in result.diagnostics if not suppressions.covers(d.code, d.span.line, d.name)]
    result.suppressed = len(result.diagnostics) - len(kept)
    result.diagnostics = kept
    rules = [(r.id, r.name) for r in registry.rules]
    unknown = [(line, f"fzlint 注释中的“{sel}”不是已知的规则代码、前缀或名称（{_did_you_mean(sel, rules)}）")
               for line, sel in suppressions.unknown(rules)]
    for line, message in sorted([*suppressions.problems, *unknown], key=lambda t: t[0]):
        result.notices.append(f"{result.path}:{line}: {message}")


def _did_you_mean(selector: str, rules: list[tuple[str, str]]) -> str:
    from checker.suggest import did_you_mean

    return did_you_mean(selector, rules)


def lint_path(path: Path, registry: Registry, enabled: frozenset[str] | None = None,
              display: str | None = None,
              max_bytes: int | None = sources.DEFAULT_MAX_BYTES) -> FileResult:
    display = display if display is not None else str(path)
    try:
        source = sources.read(path, display, max_bytes)
    except sources.SourceError as exc:
        return _file_problem(display, registry, enabled, exc.problem, exc.detail)
    return lint_source(source, registry, enabled, max_bytes)


def lint_bytes(data: bytes, display: str, registry: Registry,
               enabled: frozenset[str] | None = None,
               max_bytes: int | None = sources.DEFAULT_MAX_BYTES, *, stdin: bool = False) -> FileResult:
    """Lint a file's bytes (standard input: ``stdin``); ``display``'s suffix picks the reader."""
    try:
        source = sources.read_bytes(data, display, max_bytes, stdin=stdin)
    except sources.SourceError as exc:
        return _file_problem(display, registry, enabled, exc.problem, exc.detail)
    return lint_source(source, registry, enabled, max_bytes)


def _file_problem(path: str, registry: Registry, enabled, problem: str, detail: str) -> FileResult:
    from checker.engine.run import diagnostic

    rule = registry.file_rule(problem)
    result = FileResult(path, enabled=enabled)
    if rule is not None and (enabled is None or rule.id in enabled):
        result.diagnostics.append(diagnostic(path, rule, FILE_SPAN, {"detail": detail}))
    return result


# (path, display name, problem) from iter_files; the problem is a folder's OSError, or the
# SourceError of a file that is not to be read (a symlink out of the checked folder)
Entry = tuple[Path, str, "OSError | sources.SourceError | None"]


class Crash(Record):
    """fzlint itself failed on one file (a bug): what to tell the user."""

    display: str
    error: str            # "TypeError: ..."
    trace: str            # the formatted traceback, for --verbose


def lint_entry(resolver, path: Path, display: str,
               error: OSError | sources.SourceError | None, cache=None) -> FileResult | Crash:
    """Check one entry of iter_files with its configuration (through the result cache
    ``cache``, a :class:`checker.resultcache.ResultCache`, when given); a crash becomes a
    :class:`Crash`."""
    settings = resolver.for_path(path)     # a bad configuration is the run's error, not the file's
    try:
        if isinstance(error, sources.SourceError):
            return _file_problem(display, settings.registry, settings.enabled_for(path), error.problem, error.detail)
        if error is not None:
            return folder_problem(display, error, settings.registry, settings.enabled_for(path))
        if cache is not None:
            return cache.lint(path, display, settings, settings.enabled_for(path))
        return lint_path(path, settings.registry, settings.enabled_for(path), display, settings.max_bytes)
    except Exception as exc:  # noqa: BLE001 - one file's crash must not lose the others
        import traceback

        return Crash(display, f"{type(exc).__name__}: {exc}", traceback.format_exc())


# a symlinked file found in a folder is read only if it points inside the folder named
OUTSIDE = ("符号链接指向所检查的文件夹之外，为安全起见未读取"
           "（文件夹中的链接不能让 fzlint 读取并引用别处的文件；确需检查请在命令行直接指定该文件）")


# Files named so by convention document a folder; they are never reports (README.md beside
# the reports, LICENSE, CHANGELOG.md ...), whatever their suffix and language.
NOT_REPORTS = frozenset({"readme", "changelog", "changes", "history", "license", "licence", "copying",
                         "authors", "contributing", "notice"})


def is_candidate(path: str) -> bool:
    """Would a walk of the current folder take this file? Only a format fzlint reads, no
    README/LICENSE/CHANGELOG-like documentation file, no hidden file, and (for a relative
    path, as hooks pass them) none in a hidden folder such as .github/."""
    parts = [p for p in os.path.normpath(path).replace(os.sep, "/").split("/") if p not in ("", ".", "..")]
    if not parts:
        return False
    name = parts[-1]
    hidden = parts if not os.path.isabs(path) else [name]
    return not any(p.startswith(".") for p in hidden) and sources.supported(name) \
        and name.split(".", 1)[0].lower() not in NOT_REPORTS


def _candidate_name(name: str) -> bool:
    """:func:`is_candidate` of a bare file name, a folder's entry (a walk's inner loop)."""
    return not name.startswith(".") and sources.supported(name) and name.split(".", 1)[0].lower() not in NOT_REPORTS


def iter_files(paths: Iterable[str], force_exclude: bool = False) -> Iterator[Entry]:
    """(path, display name, problem) for every file to check, in a stable order.

    Folders are walked recursively (symlinked folders are not followed, so loops cannot
    occur) and only candidate files are taken from them (:func:`is_candidate`: supported
    formats, no hidden or README-like files); a path named explicitly is always checked, so
    an unsupported or missing one gets a diagnostic, unless ``force_exclude`` (a hook or an
    editor passing every changed file): then a named file that is not a candidate is
    skipped as a folder's would be. A
    folder that cannot be listed is yielded too, with the error (``problem`` is None for files),
    so that it is reported instead of silently skipped. A symlinked file in a folder is
    read only when it resolves to a file inside the folder named (whoever filled the folder
    cannot make fzlint read, and quote, files elsewhere: another user's, /etc, /proc/kmsg);
    one pointing outside is yielded with a SourceError and is not opened. A file named on the
    command line is read wherever its symlink points: the user chose it.
    """
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if os.path.isdir(p):      # unlike Path.is_dir, never raises (e.g. below an unsearchable folder)
            top = os.path.join(os.path.realpath(p), "")          # with a trailing separator
            errors: list[OSError] = []
            for root, files in _walk(os.fspath(p), errors):
                yield from _walk_errors(errors)
                base, real_root = Path(root), os.path.realpath(root)   # once per folder, not per file
                for entry in files:
                    name = entry.name
                    if not _candidate_name(name):
                        continue
                    f = base / name
                    if entry.is_symlink():
                        key = os.path.realpath(f)
                        if not key.startswith(top):
                            yield f, str(f), sources.SourceError("unreadable", OUTSIDE)
                            continue
                    else:
                        key = os.path.join(real_root, name)
                    if key not in seen:
                        seen.add(key)
                        yield f, str(f), None
            yield from _walk_errors(errors)
        else:
            if force_exclude and not is_candidate(raw):
                continue
            key = os.path.realpath(p)
            if key not in seen:
                seen.add(key)
                yield p, raw, None


def _walk(top: str, errors: list[OSError]) -> Iterator[tuple[str, list[os.DirEntry]]]:
    """(folder, its files sorted by name) for ``top`` and every folder below it, as
    ``os.walk(top, onerror=errors.append)`` visits them when each folder's subfolders are
    sorted and the hidden ones dropped: top-down, depth first, symlinked folders not followed.
    The files are os.DirEntry objects, which know whether they are symlinks without an
    lstat call each (a folder of 2,000 reports: 24 -> 8 ms)."""
    stack = [top]
    while stack:
        root = stack.pop()
        try:
            with os.scandir(root) as it:
                found = list(it)
        except OSError as exc:
            errors.append(exc)
            continue
        dirs, files = [], []
        for entry in found:
            try:
                is_dir = entry.is_dir()
            except OSError:                  # as os.walk: an entry that cannot be stat-ed is a file
                is_dir = False
            if not is_dir:
                files.append(entry)
            elif not entry.name.startswith("."):
                try:
                    symlink = entry.is_symlink()
                except OSError:                  # as os.walk: then walked into
                    symlink = False
                if not symlink:
                    dirs.append(entry.name)
        files.sort(key=_entry_name)
        yield root, files
        stack.extend(os.path.join(root, d) for d in sorted(dirs, reverse=True))


def _entry_name(entry: os.DirEntry) -> str:
    return entry.name


def _walk_errors(errors: list[OSError]) -> Iterator[tuple[Path, str, OSError]]:
    while errors:
        exc = errors.pop(0)
        folder = Path(exc.filename or "")
        yield folder, str(folder), exc


def folder_problem(display: str, error: OSError, registry: Registry,
                   enabled: frozenset[str] | None = None) -> FileResult:
    """FZ901 for a folder whose files could not be listed."""
    return _file_problem(display, registry, enabled, "unreadable", sources.os_problem(error))


def lint_paths(paths: Iterable[str], registry: Registry,
               enabled: frozenset[str] | None = None) -> Iterator[FileResult]:
    for path, display, error in iter_files(paths):
        if isinstance(error, sources.SourceError):
            yield _file_problem(display, registry, enabled, error.problem, error.detail)
        elif error is not None:
            yield folder_problem(display, error, registry, enabled)
        else:
            yield lint_path(path, registry, enabled, display)
