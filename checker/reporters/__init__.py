"""Reporters: turn the results of a run into output, one module per format.

Every check reporter has the same two methods, called in the order files are checked:
``file(result)`` with a :class:`checker.lint.FileResult` (path, diagnostics, and the source
text for quoting lines) and ``finish(tally)`` with the run's :class:`Tally`. rich is imported
only by the terminal renderers, so piped runs and hooks never pay for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from checker.engine.registry import Registry
    from checker.lint import FileResult
    from checker.reporters.summary import Tally

# The formats of `fzlint check --format`; `auto` is resolved by resolve_format().
FORMATS = ("auto", "full", "concise", "json", "sarif", "github", "junit", "csv", "html")
# The orders of the compliance matrix rows (--sort); see checker/reporters/matrix.py.
SORT_KEYS = ("path", "failing", "errors", "warnings")


class Reporter(Protocol):
    quotes: bool    # True: shows the checked text's lines (FileResult.source.text); optional

    def file(self, result: FileResult) -> None: ...

    def finish(self, tally: Tally) -> None: ...


def visible_span(lines: list[str], span) -> tuple[int, int, int, int] | None:
    """(line, column, end_line, end_column) of ``span`` clamped into ``lines`` (the checked
    text), for quoting; None when the span starts outside the text. A span ending at column 1
    of a line really ends with the line before it."""
    if not 1 <= span.line <= len(lines):
        return None
    end_line, end_col = span.end_line, span.end_column
    if end_line > len(lines):
        end_line, end_col = len(lines), len(lines[-1]) + 1
    if end_line < span.line:
        end_line, end_col = span.line, span.column
    if end_line > span.line and end_col <= 1:
        end_line -= 1
        end_col = len(lines[end_line - 1]) + 1
    return span.line, span.column, end_line, end_col


_REPLACING = frozenset({"backslashreplace", "xmlcharrefreplace", "replace", "namereplace"})


def safe_stdout() -> None:
    """Make sys.stdout write what it cannot encode as escapes rather than fail.

    Findings quote the checked files, so any character can reach stdout. On a stdout that
    cannot encode one (``PYTHONIOENCODING=ascii``, ``LC_ALL=C`` without UTF-8 mode) Python
    would raise in the middle of a run and the findings of the files after it would be lost;
    ``backslashreplace`` writes ``\\u62a5`` instead (JSON and SARIF do better on such a
    stream, escaping as JSON does; JUnit and HTML write character references: see
    :func:`checker.reporters.safe.unicode_capable`). With ``surrogateescape`` (the C locale's
    default) a lone surrogate would go out as a raw byte that is not UTF-8; the reporters
    never write one (:mod:`checker.reporters.safe`), and ``backslashreplace`` makes sure.
    """
    out = sys.stdout
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is None or getattr(out, "errors", None) in _REPLACING:
        return
    try:
        reconfigure(errors="backslashreplace")
    except (ValueError, OSError, AttributeError):   # closed, or not a real text stream
        pass


def resolve_format(fmt: str, isatty: bool, env: dict[str, str] | None = None) -> str:
    """`auto`: github inside GitHub Actions, full on a terminal, concise otherwise."""
    if fmt != "auto":
        return fmt
    env = os.environ if env is None else env
    if env.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "full" if isatty else "concise"


def reporters_for(fmt: str, output_file, view, registry: Callable[[], Registry], open_output):
    """The reporters of a `check` run, made in this one place: the report in ``fmt`` on
    stdout, or in the --output-file (``open_output(path, encoding)`` -> (stream, closer)) with
    the human view on stdout; --statistics and --summary (``view``) replace the findings on
    stdout. ``registry()`` gives the run's registry, called only for a reporter that needs it (a
    run served from the result cache with a JSON or text report never builds it). Returns
    (reporters, closers)."""
    isatty = sys.stdout.isatty()
    reporters, closers = [], []
    if output_file is not None:
        # CSV with a BOM: Excel and WPS then open UTF-8 Chinese text correctly
        out, close = open_output(output_file, "utf-8-sig" if fmt == "csv" else "utf-8")
        closers.append(close)
        file_fmt = "concise" if fmt == "auto" else fmt
        reporters.append(make_reporter(file_fmt, out, _registry_for(file_fmt, registry), view=view))
        human = resolve_format("auto", isatty)
        stdout_fmt = human if human in ("full", "concise") else "concise"
    else:
        stdout_fmt = resolve_format(fmt, isatty)
    if stdout_fmt != "csv" and view.statistics:
        from checker.reporters.statistics import StatisticsReporter

        reporters.append(StatisticsReporter(sys.stdout, registry(), color=isatty))
    elif stdout_fmt != "csv" and view.summary:
        from checker.reporters.summary_table import SummaryReporter

        reporters.append(SummaryReporter(sys.stdout, registry(), sort=view.sort, only_failing=view.only_failing,
                                         csv=False, color=isatty))
    else:
        reporters.append(make_reporter(stdout_fmt, sys.stdout, _registry_for(stdout_fmt, registry), color=isatty,
                                       view=view))
    return reporters, closers


# the formats whose reporter reads the rules (titles, citations, the matrix's columns)
_READS_RULES = frozenset({"sarif", "github", "csv", "html"})


def _registry_for(fmt: str, registry: Callable[[], Registry]) -> Registry | None:
    return registry() if fmt in _READS_RULES else None


def make_reporter(fmt: str, out: TextIO, registry: Registry | None, *, color: bool = False, view=None) -> Reporter:
    """The reporter of a resolved format writing to ``out`` (``view``: the matrix's order for
    csv; ``registry``: needed by the formats of :data:`_READS_RULES` only)."""
    if fmt == "json":
        from checker.reporters.json_report import JsonReporter

        return JsonReporter(out)
    if fmt == "concise":
        if color:
            from checker.reporters.terminal import TerminalReporter

            return TerminalReporter.to(out)
        from checker.reporters.concise import ConciseReporter

        return ConciseReporter(out)
    if fmt == "full":
        from checker.reporters.full import FullReporter

        return FullReporter.to(out, color=color)
    if fmt == "sarif":
        from checker.reporters.sarif import SarifReporter

        return SarifReporter(out, registry)
    if fmt == "github":
        from checker.reporters.github import GithubReporter

        return GithubReporter(out, registry=registry)
    if fmt == "csv":
        from checker.reporters.summary_table import SummaryReporter

        sort, only_failing = (view.sort, view.only_failing) if view is not None else ("path", False)
        return SummaryReporter(out, registry, sort=sort, only_failing=only_failing, csv=True)
    if fmt == "html":
        from checker.reporters.html_report import HtmlReporter

        return HtmlReporter(out, registry)
    if fmt == "junit":
        from checker.reporters.junit import JunitReporter

        return JunitReporter(out)
    raise ValueError(f"unknown format {fmt!r}")
