"""Suppression comments in Markdown reports: ``<!-- fzlint: disable=FZ202 -->`` and friends.

A report cannot carry ``noqa`` comments, but a Markdown draft can carry HTML comments, which
are not report text. Four directives, each one whole HTML comment:

=====================================================  =====================================
``<!-- fzlint: disable=FZ202,FZ105 -->``               from this line to the end of the file,
                                                        or to an ``enable`` of the same rules
``<!-- fzlint: enable=FZ202 -->``                      ends a ``disable`` from this line on
``<!-- fzlint: disable-next-line=FZ501 -->``           the next line with report text
``<!-- fzlint: disable-file=FZ105 -->``                the whole file, wherever it is written
=====================================================  =====================================

The list after ``=`` holds rule codes, code prefixes (``FZ1``) or rule names, as ``--ignore``
does, separated by commas or spaces; no list means every rule. A finding is suppressed when a
directive covers the line it starts on. Directives apply in the order they are written, rule
by rule: ``disable`` then ``enable=FZ202`` leaves every rule but FZ202 disabled. A ``disable``
or ``enable`` written before the first line of report text (only blank lines and comments
above it) counts from line 1, so a ``disable`` at the top covers the whole file, including
findings about the file as a whole; ``enable`` does not end a ``disable-file``.

Problems with a directive (an unknown action, or a code or name no rule has) never stop a run:
:attr:`Suppressions.problems` and :meth:`Suppressions.unknown` list them with their line, and
``fzlint check`` prints them on standard error (``报告.md:3: fzlint 注释中的 FZ2O2 不是已知的
规则代码、前缀或名称``). The directive's other rules still apply; the unknown one matches
nothing, so the finding the user meant to silence stays visible.

:func:`blank_comments` replaces every HTML comment of a Markdown text with spaces (line breaks
kept), so comments never feed the rules and line and column numbers stay those of the file.
An unterminated ``<!--`` is left as text. This module is pure: no registry, no I/O.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Directive", "Suppressions", "parse", "blank_comments", "COMMENT"]

COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_PREFIX = re.compile(r"\s*fzlint\s*:", re.I)
_DIRECTIVE = re.compile(r"\s*(?P<action>[A-Za-z-]+)\s*(?:=(?P<list>.*?))?\s*$", re.S)
_SPLIT = re.compile(r"[\s,，、]+")
_ACTIONS = ("disable", "enable", "disable-next-line", "disable-file")
_NOT_BREAK = re.compile(r"[^\r\n]")
_LINEBREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Directive:
    line: int                      # where the comment starts (1-based)
    action: str                    # one of _ACTIONS
    selectors: tuple[str, ...]     # empty: every rule
    applies_from: int              # the first line it acts on (disable/enable)
    target: int | None = None      # disable-next-line: the line it covers (None: no text follows)

    def matches(self, code: str, name: str | None = None) -> bool:
        return not self.selectors or any(_selects(s, code, name) for s in self.selectors)


def _selects(selector: str, code: str, name: str | None) -> bool:
    up = selector.upper()
    return up == "ALL" or code.upper().startswith(up) or (name is not None and selector == name)


@dataclass
class Suppressions:
    """The fzlint directives of one text, answering :meth:`covers`."""

    directives: list[Directive] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)   # (line, message)

    def __bool__(self) -> bool:
        return bool(self.directives)

    def covers(self, code: str, line: int, name: str | None = None) -> bool:
        """Is a finding of rule ``code`` (named ``name``) starting on ``line`` suppressed?"""
        disabled = False
        for d in self.directives:
            if not d.matches(code, name):
                continue
            if d.action == "disable-file":
                return True
            if d.action == "disable-next-line":
                if d.target == line:
                    return True
            elif d.applies_from <= line:
                disabled = d.action == "disable"
        return disabled

    def selectors(self) -> Iterable[tuple[int, str]]:
        """(line, selector) of every rule named in a directive."""
        for d in self.directives:
            for s in d.selectors:
                yield d.line, s

    def unknown(self, known: Iterable[tuple[str, str]]) -> list[tuple[int, str]]:
        """(line, selector) of the selectors matching none of ``known`` (code, name) pairs."""
        rules = list(known)
        return [(line, s) for line, s in self.selectors()
                if not any(_selects(s, code, name) for code, name in rules)]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in _LINEBREAK.finditer(text))
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    """1-based line of a character offset."""
    return bisect.bisect_right(starts, offset)


def blank_comments(text: str) -> tuple[str, int]:
    """(text with every HTML comment replaced by spaces, line breaks kept; number of comments)."""
    if "<!--" not in text:
        return text, 0
    count = 0

    def blank(m: re.Match) -> str:
        nonlocal count
        count += 1
        return _NOT_BREAK.sub(" ", m.group(0))

    return COMMENT.sub(blank, text), count


def parse(text: str, blanked: str | None = None) -> Suppressions:
    """The directives of a Markdown text (``blanked``: the same text after :func:`blank_comments`,
    to find the lines with report text; computed when not given)."""
    result = Suppressions()
    if "<!--" not in text:
        return result
    if blanked is None:
        blanked = blank_comments(text)[0]
    lines = _LINEBREAK.split(blanked)
    text_lines = [i + 1 for i, raw in enumerate(lines) if raw.strip()]
    first_text = text_lines[0] if text_lines else len(lines) + 1
    starts = _line_starts(text)
    for m in COMMENT.finditer(text):
        prefix = _PREFIX.match(m.group(1))
        if prefix is None:
            continue                       # an ordinary comment
        line = _line_of(starts, m.start())
        body = _DIRECTIVE.match(m.group(1), prefix.end())
        action = body.group("action").lower() if body else ""
        shown = " ".join(m.group(0).split())
        if action not in _ACTIONS:
            result.problems.append((line, f"无法识别的 fzlint 注释“{shown}”"
                                          f"（可用：{'、'.join(_ACTIONS)}）"))
            continue
        raw_list = body.group("list")
        selectors = tuple(s for s in _SPLIT.split(raw_list or "") if s)
        if raw_list is not None and not selectors:
            result.problems.append((line, f"fzlint 注释“{shown}”的“=”后没有规则代码"
                                          "（要针对全部规则，请省略“=”）"))
            continue
        applies_from = 1 if line < first_text else line
        target = None
        if action == "disable-next-line":
            end = _line_of(starts, m.end() - 1)
            i = bisect.bisect_right(text_lines, end)
            target = text_lines[i] if i < len(text_lines) else None
        result.directives.append(Directive(line, action, selectors, applies_from, target))
    return result
