"""GitHub Actions workflow commands: one annotation per finding.

::

    ::warning file=seeds/003.txt,line=5,endLine=5,col=25,endColumn=31,title=FZ501 督察工作规定的名称有误::法规名称…

- The level follows the severity: ``error``, ``warning``, and ``notice`` for info (GitHub shows
  it with the annotation, so the severity is not repeated in the text).
- The title is the rule's code and its Chinese title (its name when no loaded pack has it).
- ``endColumn`` is exclusive, fzlint's own numbering (as ruff writes it too). ``col`` and
  ``endColumn`` are left out when a span crosses lines: GitHub reads them only for a span on
  one line.
- A .docx/.pdf/.html finding's place in the original follows the message (``[第3页第5行]``):
  the line number counts lines of the extracted text, which GitHub cannot show.
- A path under the current directory (the workspace, in a workflow) is made relative to it,
  with forward slashes, so GitHub can attach the annotation to the file.
- Escaping is GitHub's (actions/toolkit ``command.ts``): in the message ``%``, CR and LF; in
  property values also ``:`` and ``,``. So neither a file name nor a quoted text can end the
  command early or start another one. Other control characters (ESC, bidi overrides...) are
  shown as backslash escapes, and a name that is not UTF-8 as every format shows it
  (:mod:`checker.reporters.safe`): GitHub would print them raw in the log and the annotation.
- The summary line is printed last, plainly: GitHub shows it in the log and makes nothing of
  it (it is not a command), so a log reader still sees how many findings there were.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from checker.diagnostics import Diagnostic, Severity
from checker.reporters.safe import display_path, escape

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return escape(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@lru_cache(maxsize=1024)     # once per file, not per finding
def relative_path(path: str, cwd: Path) -> str:
    """``path`` relative to ``cwd`` (forward slashes) when it lies under it, else as given;
    shown as :func:`checker.reporters.safe.display_path` shows it."""
    p = Path(path)
    absolute = Path(os.path.normpath(p if p.is_absolute() else cwd / p))
    try:
        return display_path(absolute.relative_to(cwd).as_posix())
    except ValueError:
        return display_path(path)


def command(d: Diagnostic, cwd: Path, title: str | None = None) -> str:
    s = d.span
    props = [("file", relative_path(d.path, cwd)), ("line", str(s.line)), ("endLine", str(s.end_line))]
    if s.end_line == s.line:
        props += [("col", str(s.column)), ("endColumn", str(s.end_column))]
    props.append(("title", f"{d.code} {title or d.name}"))
    message = d.message + (f" [{d.where}]" if d.where else "")
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{LEVELS[d.severity]} {joined}::{escape_data(message)}"


class GithubReporter:
    def __init__(self, out: TextIO, cwd: Path | None = None, registry=None):
        self.out = out
        self.cwd = Path(os.path.normpath(cwd or Path.cwd()))
        self.registry = registry

    def title(self, code: str) -> str | None:
        rule = self.registry.rule(code) if self.registry is not None else None
        return rule.title if rule is not None else None

    def file(self, result) -> None:
        for d in result.diagnostics:
            self.out.write(command(d, self.cwd, self.title(d.code)) + "\n")

    def finish(self, tally) -> None:
        self.out.write(tally.line() + "\n")
