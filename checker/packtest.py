"""Run the ``tests:`` examples of rule packs: `fzlint test-pack` and tests/test_rule_examples.py.

Every rule of a pack carries examples that fire and that stay silent; a pack with
``recognition`` may carry ``recognition.tests`` (headings and the section kinds they must be
taken for). Both the command, for a pack author proving a pack before use, and the pytest of
the shipped packs run them here, the same way:

* a rule example is written to a file in an empty folder (``input`` as UTF-8, or the bytes of
  ``input_hex``; named ``filename``, default ``report.txt``; not written at all with
  ``missing: true``) and checked from disk with only that rule enabled, with the size limit
  ``max_file_size`` (default: fzlint's); the findings' ``line:col CODE`` must be exactly
  ``want`` (in any order);
* a recognition example's ``input`` is parsed, must be taken for a report of its own pack,
  and each ``want`` line (``"3 shortfalls"``, ``"5 none"``) must be a heading classified as
  that kind (``none``: left unclassified).

The packs are loaded as ``rule-packs`` in the configuration loads them: together with the
built-in packs (and the configuration's own ``rule-packs``), so that report-kind detection,
duplicate ids and names are those of a real run. The examples test the packs as written:
the configuration's ``severity`` and ``rules`` option overrides do not apply.
"""

from __future__ import annotations

import os
import re
import tempfile
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checker import resources
from checker.engine.registry import Pack, Registry, Rule, load_registry

DEFAULT_FILENAME = "report.txt"


class PackTestError(Exception):
    """A path given to `fzlint test-pack` that holds no pack (one line, exit 2)."""


@dataclass(frozen=True)
class Example:
    """One example: of a rule's ``tests:`` (``rule`` set), or of the pack's ``recognition.tests``."""

    pack: Pack
    rule: Rule | None
    case: dict = field(hash=False, compare=False)

    @property
    def name(self) -> str:
        return str(self.case.get("name", ""))

    @property
    def line(self) -> int:
        """The example's line in its pack file (0 when not known)."""
        return getattr(self.case, "line", 0)

    @property
    def test_id(self) -> str:
        """A pytest id: ``FZ101-report-without-...``, ``fazhi-...`` for a recognition example."""
        owner = self.rule.id if self.rule is not None else self.pack.name
        return f"{owner}-" + re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "-", self.name).strip("-")


@dataclass
class Outcome:
    example: Example
    passed: bool
    expected: list[str]        # as the example wants it
    found: list[str]           # what the run gave, with messages (rules) or heading texts (recognition)
    problem: str = ""          # why the example could not run as written, or what went wrong
    trace: str = ""            # the traceback of an internal error (for pytest)


class _BadExample(Exception):
    """The example cannot be run as written (a bad filename, input_hex, max_file_size)."""


def examples(packs: Iterable[Pack]) -> list[Example]:
    """The examples of ``packs``, pack by pack: each rule's in file order, then recognition's."""
    out = []
    for pack in packs:
        out += [Example(pack, rule, case) for rule in pack.rules for case in rule.tests]
        if pack.recognition is not None:
            out += [Example(pack, None, case) for case in pack.recognition.tests]
    return out


def run_example(example: Example, registry: Registry, folder: Path) -> Outcome:
    """Run one example; ``folder`` is an empty folder the example's file may be written to."""
    try:
        if example.rule is not None:
            return _run_rule_example(example, registry, folder)
        return _run_recognition_example(example, registry)
    except _BadExample as exc:
        return Outcome(example, False, _wanted(example), [], problem=str(exc))
    except Exception as exc:  # noqa: BLE001 - one example's crash is its failure; the others still run
        return Outcome(example, False, _wanted(example), [], problem=f"内部错误：{type(exc).__name__}: {exc}",
                       trace=traceback.format_exc())


def _wanted(example: Example) -> list[str]:
    want = example.case.get("want")
    return [str(w) for w in want] if isinstance(want, list) else []


def _run_rule_example(example: Example, registry: Registry, folder: Path) -> Outcome:
    from checker.lint import lint_path
    from checker.sources import DEFAULT_MAX_BYTES, parse_size

    case = example.case
    name = case.get("filename", DEFAULT_FILENAME)
    if not isinstance(name, str) or name in ("", ".", "..") or any(c in name for c in "/\\\0"):
        raise _BadExample(f"filename 应为不含文件夹的文件名（如 {DEFAULT_FILENAME}），实际为 {name!r}")
    limit = DEFAULT_MAX_BYTES
    if "max_file_size" in case:
        try:
            limit = parse_size(case["max_file_size"])
        except ValueError:
            raise _BadExample(f"max_file_size 应为大小（如 \"1KB\"、\"20MB\"），"
                              f"实际为 {case['max_file_size']!r}") from None
    path = folder / name
    if not case.get("missing"):
        if "input_hex" in case:
            try:
                path.write_bytes(bytes.fromhex(case["input_hex"]))
            except (TypeError, ValueError):
                raise _BadExample("input_hex 应为十六进制字节串（如 \"e6 8a a5\"）") from None
        else:
            text = case.get("input", "")
            if not isinstance(text, str):
                raise _BadExample(f"input 应为字符串，实际为 {text!r}")
            path.write_text(text, encoding="utf-8")
    rule = example.rule
    result = lint_path(path, registry, frozenset({rule.id}), display=name, max_bytes=limit)
    found = sorted(result.diagnostics, key=lambda d: (d.span.line, d.span.column, d.code))
    got = sorted(f"{d.span.line}:{d.span.column} {d.code}" for d in found)
    expected = _wanted(example)
    return Outcome(example, got == sorted(expected), expected,
                   [f"{d.span.line}:{d.span.column} {d.code} {d.message}" for d in found])


def _run_recognition_example(example: Example, registry: Registry) -> Outcome:
    from checker.engine.recognize import classify
    from checker.skeleton.parser import parse

    case, pack = example.case, example.pack
    report = parse(case["input"], layouts=registry.text_layouts)
    expected = _wanted(example)
    taken = registry.pack_for(report)
    if taken is not pack:
        return Outcome(example, False, expected, [], problem=f"这份报告被识别为规则包 "
                       f"{taken.name if taken is not None else '（无）'} 的报告类型，而不是 {pack.name}"
                       "（请在报告标题中写明本规则包 detect 中的词）")
    classify(report, pack)
    sections = {s.heading.line.no: s for s in report.walk()}
    found, passed = [], True
    for want in expected:
        line, kind = want.split()
        section = sections.get(int(line))
        if section is None:
            found.append(f"{line} 不是标题")
            passed = False
            continue
        got = section.kind or "none"
        found.append(f"{line} {got}（{section.heading.label}）")
        passed &= got == kind
    return Outcome(example, passed, expected, found)


# --- loading the packs to test ---------------------------------------------------------------

def load(paths: Iterable[str | Path], config_path: Path | None, cwd: Path) -> tuple[Registry, list[Pack]]:
    """The registry of a run (the built-in packs, the configuration's ``rule-packs`` and the
    packs at ``paths``: pack files or folders of ``*.yaml``, each file loaded once) and the
    packs to test: those at ``paths``, or every loaded pack when no path is given. A broken
    pack raises :class:`~checker.engine.registry.PackError`; a bad configuration
    :class:`~checker.config.ConfigError`."""
    paths = list(paths)
    named = _pack_files(paths)
    seen = {_key(p) for p in resources.rules_dir().glob("*.yaml")}
    extra = []
    for path in [*_configured_packs(config_path, cwd), *named]:
        if _key(path) not in seen:
            seen.add(_key(path))
            extra.append(path)
    registry = load_registry(extra)
    if not paths:
        return registry, list(registry.packs)
    wanted = {_key(p) for p in named}
    return registry, [p for p in registry.packs if _key(p.path) in wanted]


def _key(path: str | Path) -> str:
    return os.path.realpath(path)


def _pack_files(paths: list[str | Path]) -> list[Path]:
    """The pack files named: a folder gives its ``*.yaml`` files (as ``rule-packs`` reads one)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.yaml"))
            if not found:
                from checker.reporters.safe import human_path

                raise PackTestError(f"文件夹 {human_path(str(raw))} 中没有规则包（规则包是以 .yaml 结尾的文件）")
            files += found
        else:
            files.append(path)      # a missing or unreadable file: the loader says why, naming it
    return files


def _configured_packs(config_path: Path | None, cwd: Path) -> list[Path]:
    """The pack files of the configuration's ``rule-packs`` (the configuration `check` would
    use for the current folder, or ``--config``)."""
    from checker import config

    cfg = config.load(config.Resolver(config_path, cwd).default_config)
    return [f for folder in cfg.rule_packs for f in sorted(Path(folder).glob("*.yaml"))]


# --- the report ------------------------------------------------------------------------------

EXIT_OK, EXIT_FAILED, EXIT_INTERNAL = 0, 1, 3      # as `fzlint check`: 1 findings, 3 fzlint failed


def run(registry: Registry, packs: list[Pack], echo: Callable[..., None], cwd: Path | None = None,
        verbose: bool = False) -> int:
    """Run the examples of ``packs`` and print with ``echo`` (``click.echo``: ``err=True`` for
    stderr), pack by pack, one line per example (✓ or ✗, the rule's code or 识别, the example's
    name), what a failing example expected and found, and a summary line. Returns the exit
    code: 0 when every example passed, 1 when one failed, 3 when fzlint itself failed on one
    (the others still ran; ``verbose``: with the traceback)."""
    from checker.reporters.safe import escape

    passed = failed = crashed = 0
    with tempfile.TemporaryDirectory(prefix="fzlint-test-pack-") as tmp:
        number = 0
        for pack in packs:
            cases = examples([pack])
            where = _shown(pack.path, cwd)
            echo(f"规则包 {escape(pack.name)}（{escape(where)}）：{len(pack.rules)} 条规则，{len(cases)} 个例子")
            for example in cases:
                number += 1
                folder = Path(tmp) / str(number)
                folder.mkdir()
                outcome = run_example(example, registry, folder)
                passed += outcome.passed
                failed += not outcome.passed
                crashed += bool(outcome.trace)
                for line in describe(outcome, where):
                    echo(escape(line))
                if outcome.trace and verbose:
                    echo(outcome.trace.rstrip(), err=True)
            echo("")
    echo(f"{passed + failed} 个例子：通过 {passed}，失败 {failed}")
    if crashed:
        hint = "" if verbose else "；加 --verbose 查看详情"
        echo(f"fzlint: 内部错误：{crashed} 个例子未能运行完（见上{hint}）", err=True)
        return EXIT_INTERNAL
    return EXIT_FAILED if failed else EXIT_OK


def describe(outcome: Outcome, where: str | None = None) -> list[str]:
    """The lines of one example: ``✓ FZ101 name``; a failure adds where the example is, and
    what it expected and what the run found."""
    ex = outcome.example
    owner = ex.rule.id if ex.rule is not None else "识别"
    head = f"  {'✓' if outcome.passed else '✗'} {owner} {ex.name}"
    if outcome.passed:
        return [head]
    where = where if where is not None else ex.pack.path
    lines = [head + (f"（{where}:{ex.line}）" if ex.line else "")]
    if outcome.problem:
        lines.append(f"      问题：{outcome.problem}")
    if ex.rule is not None:
        lines += _listed("期望", outcome.expected, "不触发")
        if not outcome.problem:
            lines += _listed("实际", outcome.found, "未触发")
    else:
        lines += _listed("期望", outcome.expected, "（无）")
        if outcome.found:
            lines += _listed("实际", outcome.found, "（无）")
    return lines


def _listed(label: str, items: list[str], empty: str) -> list[str]:
    first, *rest = items or [empty]
    return [f"      {label}：{first}", *(f"            {item}" for item in rest)]


def _shown(path: str, cwd: Path | None) -> str:
    """A pack's path as the user can open it: relative to the current folder when inside it."""
    if cwd is None:
        return path
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(cwd)).as_posix()
    except ValueError:
        return path
