"""Baselines: record the findings of today's reports, then report only new ones.

``fzlint check --write-baseline fzlint-baseline.json PATHS`` records every finding of the run;
``fzlint check --baseline fzlint-baseline.json PATHS`` drops the findings recorded there.

A finding matches an entry by **path, rule code and a hash of its text**, never by line
number, so lines inserted above and other paragraphs edited do not bring a recorded finding
back, while editing the flagged text does:

* the hash is the first 16 hex digits of the SHA-256 of, joined with ``"\\n"``: the rule code;
  the matching view (:func:`checker.skeleton.normalize.view`, which drops all whitespace) of
  the nearest line above the finding's start line whose view is not empty (``""`` if none);
  the view of the start line itself; the view of the nearest non-empty line below it. For a
  .docx/.pdf/.html file these are lines of the extracted text (``fzlint extract``); for a .md
  file, of the text with its HTML comments blanked.
* a finding about a file that could not be read (no text: FZ901, FZ902, FZ904 to FZ907) hashes
  the rule code and the message, which carries the reason.

Entries are a multiset: two identical findings (same path, code and hash) need two entries,
and a third one is reported. Paths are stored relative to the baseline file's folder, in POSIX
form, so the baseline works from any current directory and on any system; standard input is
recorded under its ``--stdin-filename``.

An entry no finding matched is *stale* (the text it flagged was fixed or rewritten); only
entries of files checked in the run can be stale, so checking one file does not call the rest
of the baseline stale. Entries of files that no longer exist inside a folder checked in the
run are stale too (the file was deleted or renamed).

File format (JSON, UTF-8, one entry per line, sorted by path, line and code; ``line`` and
``message`` are for the reader only)::

    {"fzlint-baseline": 1, "entries": [
      {"path": "reports/2023.md", "code": "FZ105", "hash": "9f2c0e4d5a1b3c7e", "line": 57, "message": "…"}
    ]}
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from checker.diagnostics import Diagnostic
from checker.digest import sha256
from checker.fileio import NotRegular, TooLarge, read_regular
from checker.oserror import reason
from checker.skeleton.normalize import split_lines, view

__all__ = ["VERSION", "Entry", "Baseline", "BaselineError", "fingerprint", "entries", "load", "write",
           "relative"]

VERSION = 1
KEY = "fzlint-baseline"


class BaselineError(Exception):
    """The baseline file cannot be used: a one-line Chinese message naming the file."""


@dataclass(frozen=True)
class Entry:
    path: str
    code: str
    hash: str
    line: int = 0
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.path, self.code, self.hash

    def to_dict(self) -> dict:
        return {"path": self.path, "code": self.code, "hash": self.hash, "line": self.line,
                "message": self.message}


class _Views:
    """Matching views of a text's lines, computed on demand."""

    def __init__(self, text: str):
        self.lines = split_lines(text)
        self._views: dict[int, str] = {}

    def __call__(self, index: int) -> str:
        if not 0 <= index < len(self.lines):
            return ""
        got = self._views.get(index)
        if got is None:
            got = self._views[index] = view(self.lines[index])
        return got

    def neighbour(self, index: int, step: int) -> str:
        i = index + step
        if step < 0:
            i = min(i, len(self.lines) - 1)
        while 0 <= i < len(self.lines):
            v = self(i)
            if v:
                return v
            i += step
        return ""


def _digest(*parts: str) -> str:
    return sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def fingerprint(d: Diagnostic, text: str | None, _views: _Views | None = None) -> str:
    """The hash of one finding: its code and the text around its start line (module docstring);
    ``text`` is the checked text, None for a file that could not be read."""
    if text is None:
        return _digest(d.code, d.message)
    views = _views or _Views(text)
    i = d.span.line - 1
    return _digest(d.code, views.neighbour(i, -1), views(i), views.neighbour(i, +1))


def entries(result, path: str) -> list[Entry]:
    """The baseline entries of one :class:`checker.lint.FileResult`, recorded under ``path``."""
    if not result.diagnostics:
        return []
    text = result.source.text if result.source is not None else None
    views = _Views(text) if text is not None else None
    return [Entry(path, d.code, fingerprint(d, text, views), d.span.line, d.message)
            for d in result.diagnostics]


def relative(path: str | os.PathLike, folder: Path) -> str:
    """``path`` relative to ``folder`` (both taken from the current directory), POSIX style."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(folder))
    except ValueError:          # another drive on Windows
        rel = absolute
    return Path(rel).as_posix()


@dataclass
class Baseline:
    """A loaded baseline, filtering the results of one run and noting what it used."""

    path: Path
    entries: list[Entry] = field(default_factory=list)
    _left: Counter = field(default_factory=Counter, repr=False)
    _checked: set[str] = field(default_factory=set, repr=False)
    _walked: list[str] = field(default_factory=list, repr=False)
    dropped: int = 0

    def __post_init__(self) -> None:
        self._left = Counter(e.key for e in self.entries)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def key(self, path: str | os.PathLike) -> str:
        return relative(path, self.folder)

    def filter(self, result, path: str | os.PathLike) -> None:
        """Drop the findings of ``result`` (the file at ``path``) that the baseline records."""
        rel = self.key(path)
        self._checked.add(rel)
        if not result.diagnostics:
            return
        kept = []
        for entry, d in zip(entries(result, rel), result.diagnostics):
            if self._left[entry.key] > 0:
                self._left[entry.key] -= 1
                self.dropped += 1
            else:
                kept.append(d)
        result.diagnostics = kept

    def walked(self, folder: str | os.PathLike) -> None:
        """Note a folder checked in this run: entries of files deleted from it are stale too."""
        self._walked.append(os.path.abspath(folder))

    def _checked_here(self, path: str) -> bool:
        if path in self._checked:
            return True
        if not self._walked:
            return False
        absolute = os.path.normpath(os.path.join(os.path.abspath(self.folder), path))
        return any(absolute.startswith(d.rstrip(os.sep) + os.sep) for d in self._walked) \
            and not os.path.lexists(absolute)

    def stale(self) -> list[Entry]:
        """Entries of the checked files (and of files gone from checked folders) that no finding
        matched, in file order."""
        left = Counter({k: n for k, n in self._left.items() if n > 0 and self._checked_here(k[0])})
        out = []
        for e in reversed(self.entries):     # of identical entries, the last ones are stale
            if left[e.key] > 0:
                left[e.key] -= 1
                out.append(e)
        return out[::-1]


MAX_BASELINE_BYTES = 256 * 1024 * 1024   # ~200 bytes an entry: a million findings fit
MAX_LINE = 10 ** 9                        # no report has more lines


# json's messages (English) in Chinese, for the one line naming a damaged baseline
_JSON_ZH = {
    "Expecting value": "此处应为一个值",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Expecting property name enclosed in double quotes": "键名应使用双引号",
    "Unterminated string starting at": "字符串缺少结束的双引号",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的转义",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
    "Extra data": "JSON 之后还有多余的内容",
}


def load(path: Path) -> Baseline:
    """Read a baseline file; BaselineError says what is wrong with it."""
    def fail(problem: str) -> BaselineError:
        return BaselineError(f"基线文件 {path}：{problem}")

    try:
        raw = read_regular(path, MAX_BASELINE_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        raise fail("文件不存在（可先用 --write-baseline 生成）") from None
    except NotRegular as exc:
        raise fail("这是目录而不是文件" if exc.is_dir else "不是普通文件（管道、设备或套接字），未读取") from None
    except TooLarge as exc:
        raise fail(f"超过 {exc.limit // 1024 // 1024} MB，不像是基线文件，未读取") from None
    except UnicodeDecodeError:
        raise fail("不是 UTF-8 编码") from None
    except OSError as exc:
        raise fail(reason(exc, path=path)) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        said = _JSON_ZH.get(exc.msg, exc.msg)
        raise fail(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{said}）") from None
    except ValueError:          # an integer of thousands of digits (int's conversion limit)
        raise fail("不是有效的基线文件（含有位数过多的数字）") from None
    except (RecursionError, MemoryError):   # the json module recurses once per nested [ or {
        raise fail("不是有效的基线文件（JSON 嵌套过深）") from None
    if not isinstance(data, dict) or KEY not in data:
        raise fail(f"不是 fzlint 基线文件（缺少 \"{KEY}\": {VERSION}）")
    if data[KEY] != VERSION:
        raise fail(f"不支持的基线版本 {data[KEY]!r}（本版 fzlint 读写版本 {VERSION}）")
    items = data.get("entries")
    if not isinstance(items, list):
        raise fail("\"entries\" 应为列表")
    out = []
    for no, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise fail(f"第 {no} 条记录应为对象")
        for name in ("path", "code", "hash"):
            if not isinstance(item.get(name), str) or not item[name]:
                raise fail(f"第 {no} 条记录缺少字符串字段 \"{name}\"")
        line = item.get("line", 0)
        message = item.get("message", "")
        if not isinstance(line, int) or isinstance(line, bool) or not 0 <= line <= MAX_LINE \
                or not isinstance(message, str):
            raise fail(f"第 {no} 条记录的 \"line\" 应为整数（0 到 {MAX_LINE} 之间的行号）、\"message\" 应为字符串")
        out.append(Entry(item["path"], item["code"], item["hash"], line, message))
    return Baseline(path, out)


def dumps(items: list[Entry]) -> str:
    """The file's text: sorted entries, one per line (small diffs when a baseline changes)."""
    ordered = sorted(items, key=lambda e: (e.path, e.line, e.code, e.hash, e.message))
    # encode/decode: a file name that is not UTF-8 (surrogate-escaped bytes) as JSON's \udcxx
    rows = ",\n".join("    " + json.dumps(e.to_dict(), ensure_ascii=False) for e in ordered) \
        .encode("utf-8", "backslashreplace").decode("utf-8")
    body = f"\n{rows}\n  " if rows else ""
    return f'{{\n  "{KEY}": {VERSION},\n  "entries": [{body}]\n}}\n'


def write(path: Path, items: list[Entry]) -> None:
    """Write a baseline file (atomically: a temporary file in the same folder, then renamed)."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BaselineError(f"无法写入基线文件 {path}：{reason(exc, writing=True, path=path)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(dumps(items))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)      # mkstemp creates 0600; a baseline is shared
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise BaselineError(f"无法写入基线文件 {path}：{reason(exc, writing=True, path=path)}") from None
