"""The rich renderers used on a terminal say the same as the plain ones, in colour."""

import io
import re

from rich.console import Console

from checker.lint import lint_path
from checker.reporters.concise import format_line
from checker.reporters.outline import outline_dict
from checker.reporters.summary import Tally
from checker.reporters.terminal import TerminalReporter

from conftest import SEEDS


def test_terminal_reporter_matches_concise_text(registry):
    result = lint_path(SEEDS[3], registry)
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="standard", width=400, highlight=False)
    reporter = TerminalReporter(console)
    tally = Tally()
    tally.add(result.diagnostics)
    reporter.file(result)
    reporter.finish(tally)
    out = buf.getvalue()
    assert "\x1b[" in out
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert stripped.splitlines() == [format_line(d) for d in result.diagnostics] + [tally.line()]


def test_outline_tree_renders(registry, monkeypatch):
    from checker.engine.recognize import classify
    from checker.reporters import outline

    result = lint_path(SEEDS[4], registry)
    classify(result.report, registry.pack_for(result.report))
    buf = io.StringIO()
    monkeypatch.setattr("rich.console.Console", lambda **kw: Console(file=buf, width=200, **kw))
    outline.print_tree(outline_dict(result.report))
    text = buf.getvalue()
    assert "曲阜市卫生健康局2024年度法治政府建设报告" in text
    assert "五 其他需要报告的情况 other" in text
